/**
 * TensorFlow.js in one benchmark process: `node dist/bench/tfjs.js --workload W --backend cpu|wasm
 * [--quick] [--no-accuracy]`. tfjs-backend-cpu is plain JavaScript on one thread; tfjs-backend-wasm
 * runs single-threaded under Node (its threaded build needs a browser's cross-origin isolation).
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import * as tfl from '@tensorflow/tfjs-layers';
import type { IdxImages } from '../src/data/idx.js';
import { emit, errorText, parseChildArgs } from './common.js';
import { registerConvFilterGradForWasm } from './tfjs_wasm_filter_grad.js';
import { MODEL_LAYERS, runWorkload, sampleShape, type Adapter, type BenchModel, type ModelKind } from './workloads.js';
import { TEXT, TEXT_CNN, WIDE_LAYERS, type Synthetic, type WideModel } from './wide_workloads.js';

const SEED = 1;

class TfjsModel implements BenchModel {
  constructor(private readonly model: tfl.Sequential, private readonly kind: ModelKind) {}

  data(d: IdxImages): { xs: tf.Tensor; ys: tf.Tensor } {
    return {
      xs: tf.tensor(d.xs, [d.count, ...sampleShape(this.kind)], 'float32'),
      // tfjs-layers wants sparse labels shaped like the output's batch axis plus one
      ys: tf.tensor2d(Float32Array.from(d.labels), [d.count, 1]),
    };
  }

  async fit(data: unknown, epochs: number, batchSize: number): Promise<void> {
    const { xs, ys } = data as { xs: tf.Tensor; ys: tf.Tensor };
    const history = await this.model.fit(xs, ys, { epochs, batchSize, verbose: 0, shuffle: true });
    const losses = history.history.loss as number[];
    if (!Number.isFinite(losses[losses.length - 1])) throw new Error('training diverged (loss not finite)');
  }

  predictClasses(data: unknown, batchSize: number): Int32Array {
    const { xs } = data as { xs: tf.Tensor };
    const out = tf.tidy(() => tf.argMax(this.model.predict(xs, { batchSize }) as tf.Tensor, -1));
    const classes = Int32Array.from(out.dataSync());
    out.dispose();
    return classes;
  }

  predictOnce(data: unknown): void {
    const { xs } = data as { xs: tf.Tensor };
    tf.tidy(() => {
      (this.model.predict(xs, { batchSize: xs.shape[0] }) as tf.Tensor).dataSync();
    });
  }

  release(data: unknown): void {
    const { xs, ys } = data as { xs: tf.Tensor; ys: tf.Tensor };
    xs.dispose();
    ys.dispose();
  }
}

/** A wider network on synthetic data (bench/wide_workloads.ts). */
class TfjsWideModel implements WideModel {
  readonly trainableParams: number;
  constructor(private readonly model: tfl.LayersModel) {
    this.trainableParams = model.countParams();
  }

  data(d: Synthetic): { xs: tf.Tensor; ys: tf.Tensor } {
    return {
      // tfjs' embedding takes float ids
      xs: d.xs instanceof Int32Array ? tf.tensor(Float32Array.from(d.xs), d.shape, 'float32') : tf.tensor(d.xs, d.shape, 'float32'),
      ys: tf.tensor2d(Float32Array.from(d.labels), [d.labels.length, 1]),
    };
  }

  async fit(data: unknown, batchSize: number): Promise<void> {
    const { xs, ys } = data as { xs: tf.Tensor; ys: tf.Tensor };
    const history = await this.model.fit(xs, ys, { epochs: 1, batchSize, verbose: 0, shuffle: true });
    const losses = history.history.loss as number[];
    if (!Number.isFinite(losses[losses.length - 1])) throw new Error('training diverged (loss not finite)');
  }

  release(data: unknown): void {
    const { xs, ys } = data as { xs: tf.Tensor; ys: tf.Tensor };
    xs.dispose();
    ys.dispose();
  }
}

/** striate's models.textCnn layer for layer in tfjs-layers' functional API. */
function tfjsTextCnn(): tfl.LayersModel {
  const ids = tfl.input({ shape: [TEXT.steps] });
  const embedded = tfl.layers.embedding({ inputDim: TEXT.vocab, outputDim: TEXT.embedding }).apply(ids) as tfl.SymbolicTensor;
  const branches = TEXT_CNN.kernelSizes.map((k) => {
    const conv = tfl.layers.conv1d({ filters: TEXT_CNN.filters, kernelSize: k, activation: 'relu' }).apply(embedded) as tfl.SymbolicTensor;
    return tfl.layers.globalMaxPooling1d({}).apply(conv) as tfl.SymbolicTensor;
  });
  let x = tfl.layers.concatenate().apply(branches) as tfl.SymbolicTensor;
  x = tfl.layers.dropout({ rate: TEXT_CNN.dropout }).apply(x) as tfl.SymbolicTensor;
  const probs = tfl.layers.dense({ units: TEXT.classes, activation: 'softmax' }).apply(x) as tfl.SymbolicTensor;
  return tfl.model({ inputs: ids, outputs: probs });
}

/** Waits for `ts` on a GPU backend only: the CPU backends (cpu, wasm) finish inside the op, as striate's do. */
function settle(...ts: tf.Tensor[]): void {
  if (tf.getBackend() !== 'webgpu') return;
  for (const t of ts) t.dataSync();
}

const adapter: Adapter = {
  gemm(n) {
    const a = tf.randomNormal([n, n], 0, 1, 'float32', SEED);
    const b = tf.randomNormal([n, n], 0, 1, 'float32', SEED + 1);
    return () => tf.tidy(() => settle(tf.matMul(a, b)));
  },

  conv(batch) {
    const x = tf.randomNormal([batch, 28, 28, 32], 0, 1, 'float32', SEED) as tf.Tensor4D;
    const f = tf.randomNormal([3, 3, 32, 64], 0, 0.1, 'float32', SEED + 1) as tf.Tensor4D;
    const both = tf.grads((xi: tf.Tensor, fi: tf.Tensor) => tf.sum(tf.conv2d(xi as tf.Tensor4D, fi as tf.Tensor4D, 1, 'same')));
    return {
      forward: () => tf.tidy(() => settle(tf.conv2d(x, f, 1, 'same'))),
      withGrads: () => tf.tidy(() => settle(...both([x, f]))),
    };
  },

  async wide(kind) {
    let model: tfl.LayersModel;
    if (kind === 'resnet20') return 'n/a: not built for TensorFlow.js (its training would take far too long)';
    if (kind === 'textcnn') {
      model = tfjsTextCnn();
    } else {
      const seq = tfl.sequential();
      const layers = tfl.layers as unknown as Record<string, (config: object) => tfl.layers.Layer>;
      for (const [type, config] of WIDE_LAYERS[kind]!) seq.add(layers[type](config));
      model = seq;
    }
    model.compile({ optimizer: tf.train.adam(1e-3), loss: 'sparseCategoricalCrossentropy' });
    return new TfjsWideModel(model);
  },

  async model(kind) {
    const model = tfl.sequential();
    const layers = tfl.layers as unknown as Record<string, (config: object) => tfl.layers.Layer>;
    for (const [type, config] of MODEL_LAYERS[kind]) model.add(layers[type](config));
    model.compile({ optimizer: tf.train.adam(1e-3), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    return new TfjsModel(model, kind);
  },
};

async function main(): Promise<void> {
  const options = parseChildArgs(process.argv.slice(2));
  const system = `tfjs-${options.backend}`;
  try {
    if (!(await tf.setBackend(options.backend))) throw new Error(`tf.setBackend('${options.backend}') failed`);
    await tf.ready();
  } catch (e) {
    emit(system, options, { error: { value: null, note: `n/a: ${errorText(e)}` } });
    return;
  }
  let notes: Record<string, string> | undefined;
  if (options.backend === 'wasm') {
    registerConvFilterGradForWasm();
    const note = 'filter grad: substitute kernel (tfjs ops)';
    notes = { convGrad: note, cnnTrain: note, cnnAcc1: note, cnnAcc5: note, lenetTrain: note, cifarTrain: note, textcnnTrain: note };
  }
  await runWorkload(system, options, adapter, notes);
}

await main();
