/**
 * The small nets of the per-step benches (threads_ab.ts, step_trace.ts, small_train_speed.ts):
 * the digit CNN, LeNet-5 or the MLP of workloads.ts, compiled as the bench trains them (Adam 1e-3,
 * sparse categorical cross-entropy), with their batch size and random data of the right shape.
 */
import * as st from '../src/index.js';
import { flag } from './quick.js';
import { MODEL_LAYERS, sampleShape, type ModelKind } from './workloads.js';

/** The bench's batch size of a model: cnn 64, lenet and mlp 128. */
export function smallBatch(kind: ModelKind): number {
  return kind === 'cnn' ? 64 : 128;
}

/** A freshly seeded (seed 1) and compiled model of `kind`. */
export function smallModel(kind: ModelKind): st.Sequential {
  st.setSeed(1);
  let model: st.Sequential;
  if (kind === 'cnn') model = st.models.digitCnn();
  else {
    model = st.sequential();
    const layers = st.layers as unknown as Record<string, (config: object) => st.Layer>;
    for (const [type, config] of MODEL_LAYERS[kind]) model.add(layers[type](config));
  }
  model.compile({ optimizer: st.train.adam(1e-3), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

/** `n` random samples of `kind`'s input shape (uniform in [0, 1), seed 4) and labels 0-9. */
export function smallData(kind: ModelKind, n: number): { xs: st.Tensor; ys: st.Tensor } {
  const xs = st.randomUniform([n, ...sampleShape(kind)], 0, 1, 'float32', 4);
  const ys = st.tensor(Int32Array.from({ length: n }, (_, i) => (i * 7) % 10), [n], 'int32');
  return { xs, ys };
}

/** The model named by --model (mlp when absent). */
export function smallKind(): ModelKind {
  return flag('--model', 'mlp') as ModelKind;
}

/**
 * A model of `kind` with `batches` of its batches of random data, and `fit`: one shuffled epoch
 * over them (the unit the epoch-timing benches measure).
 */
export function smallEpoch(kind: ModelKind, batches: number) {
  const model = smallModel(kind);
  const batch = smallBatch(kind);
  const n = batch * batches;
  const { xs, ys } = smallData(kind, n);
  const fit = () => model.fit(xs, ys, { epochs: 1, batchSize: batch, verbose: 0, shuffle: true, seed: 1 });
  return { model, batch, n, xs, ys, fit };
}
