/**
 * striate in one benchmark process: `node dist/bench/striate.js --workload W --backend wasm|js
 * --threads N [--quick] [--no-accuracy]`. Prints one JSON line of results.
 */
import * as st from '../src/index.js';
import type { IdxImages } from '../src/data/idx.js';
import { CONV_TABLE_BATCH, emit, errorText, parseChildArgs, type Options } from './common.js';
import { MODEL_LAYERS, runWorkload, sampleShape, type Adapter, type BenchModel, type ModelKind } from './workloads.js';
import { resnet20, trainableCount } from './resnet20.js';
import { TEXT, TEXT_CNN, WIDE_LAYERS, type Synthetic, type WideModel } from './wide_workloads.js';

const SEED = 1;

/**
 * Waits for `ts` on a GPU backend only. The CPU backends finish each kernel inside the op, and
 * PyTorch's side reads nothing back; reading into a fresh array cost more than the work timed
 * (a 1024^3 product: 15 ms added to 30 on two threads; a 12.8 MB conv output: 2-50 ms against
 * 12-23).
 */
function settle(...ts: st.Tensor[]): void {
  if (st.getBackend() !== 'webgpu') return;
  for (const t of ts) t.dataSync();
}

/** Chooses the backend and thread count; the reason when that cannot be done. */
function selectBackend(options: Options): string | undefined {
  try {
    st.setBackend(options.backend);
  } catch (e) {
    return `n/a: ${errorText(e)}`;
  }
  if (options.backend === 'wasm') st.setNumThreads(options.threads);
  return undefined;
}

class StriateModel implements BenchModel {
  constructor(private readonly model: st.LayersModel, private readonly kind: ModelKind) {}

  data(d: IdxImages): { xs: st.Tensor; ys: st.Tensor } {
    return {
      xs: st.tensor(d.xs, [d.count, ...sampleShape(this.kind)], 'float32'),
      ys: st.tensor(d.labels, [d.count], 'int32'),
    };
  }

  async fit(data: unknown, epochs: number, batchSize: number): Promise<void> {
    const { xs, ys } = data as { xs: st.Tensor; ys: st.Tensor };
    const history = await this.model.fit(xs, ys, { epochs, batchSize, verbose: 0, shuffle: true, seed: SEED });
    const losses = history.history.loss;
    if (!Number.isFinite(Number(losses[losses.length - 1]))) throw new Error('training diverged (loss not finite)');
  }

  predictClasses(data: unknown, batchSize: number): Int32Array {
    const { xs } = data as { xs: st.Tensor };
    const out = st.tidy(() => st.argMax(this.model.predict(xs, { batchSize }) as st.Tensor, 1));
    const classes = Int32Array.from(out.dataSync());
    out.dispose();
    return classes;
  }

  predictOnce(data: unknown): void {
    const { xs } = data as { xs: st.Tensor };
    st.tidy(() => {
      (this.model.predict(xs, { batchSize: xs.shape[0] }) as st.Tensor).dataSync();
    });
  }

  release(data: unknown): void {
    const { xs, ys } = data as { xs: st.Tensor; ys: st.Tensor };
    xs.dispose();
    ys.dispose();
  }
}

/** A wider network on synthetic data (bench/wide_workloads.ts). */
class StriateWideModel implements WideModel {
  readonly trainableParams: number;
  constructor(private readonly model: st.LayersModel) {
    this.trainableParams = trainableCount(model);
  }

  data(d: Synthetic): { xs: st.Tensor; ys: st.Tensor } {
    return {
      xs: d.xs instanceof Int32Array ? st.tensor(d.xs, d.shape, 'int32') : st.tensor(d.xs, d.shape, 'float32'),
      ys: st.tensor(d.labels, [d.labels.length], 'int32'),
    };
  }

  async fit(data: unknown, batchSize: number): Promise<void> {
    const { xs, ys } = data as { xs: st.Tensor; ys: st.Tensor };
    const history = await this.model.fit(xs, ys, { epochs: 1, batchSize, verbose: 0, shuffle: true, seed: SEED });
    const losses = history.history.loss;
    if (!Number.isFinite(Number(losses[losses.length - 1]))) throw new Error('training diverged (loss not finite)');
  }

  release(data: unknown): void {
    const { xs, ys } = data as { xs: st.Tensor; ys: st.Tensor };
    xs.dispose();
    ys.dispose();
  }
}

const adapter: Adapter = {
  gemm(n) {
    const a = st.randomNormal([n, n], 0, 1, 'float32', SEED);
    const b = st.randomNormal([n, n], 0, 1, 'float32', SEED + 1);
    return () => st.tidy(() => settle(st.matMul(a, b)));
  },

  conv(batch) {
    const x = st.randomNormal([batch, 28, 28, 32], 0, 1, 'float32', SEED);
    const f = st.randomNormal([3, 3, 32, 64], 0, 0.1, 'float32', SEED + 1);
    const both = st.grads((xi: st.Tensor, fi: st.Tensor) => st.conv2d(xi, fi, 1, 'same').sum());
    return {
      forward: () => st.tidy(() => settle(st.conv2d(x, f, 1, 'same'))),
      withGrads: () => st.tidy(() => settle(...both([x, f]))),
    };
  },

  async model(kind) {
    st.setSeed(SEED);
    let model: st.Sequential;
    if (kind === 'cnn') {
      model = st.models.digitCnn();
    } else {
      model = st.sequential();
      const layers = st.layers as unknown as Record<string, (config: object) => st.Layer>;
      for (const [type, config] of MODEL_LAYERS[kind]) model.add(layers[type](config));
    }
    model.compile({ optimizer: st.train.adam(1e-3), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    return new StriateModel(model, kind);
  },

  async wide(kind) {
    st.setSeed(SEED);
    let model: st.LayersModel;
    if (kind === 'resnet20') {
      model = resnet20();
    } else if (kind === 'textcnn') {
      model = st.models.textCnn({ vocabSize: TEXT.vocab, sequenceLength: TEXT.steps, embeddingDim: TEXT.embedding,
        filters: TEXT_CNN.filters, kernelSizes: [...TEXT_CNN.kernelSizes], dropout: TEXT_CNN.dropout, classes: TEXT.classes, seed: SEED });
    } else {
      const seq = st.sequential();
      const layers = st.layers as unknown as Record<string, (config: object) => st.Layer>;
      for (const [type, config] of WIDE_LAYERS[kind]!) seq.add(layers[type](config));
      model = seq;
    }
    model.compile({ optimizer: st.train.adam(1e-3), loss: 'sparseCategoricalCrossentropy' });
    return new StriateWideModel(model);
  },

  convLayer(c) {
    const x = st.randomNormal([CONV_TABLE_BATCH, c.size, c.size, c.cin], 0, 1, 'float32', SEED);
    const f = st.randomNormal([c.kernel, c.kernel, c.cin, c.cout], 0, 0.1, 'float32', SEED + 1);
    const dy = st.randomNormal([CONV_TABLE_BATCH, c.size, c.size, c.cout], 0, 1, 'float32', SEED + 2);
    const both = st.grads((xi: st.Tensor, fi: st.Tensor) => st.conv2d(xi, fi, 1, 'same'));
    return {
      forward: () => st.tidy(() => settle(st.conv2d(x, f, 1, 'same'))),
      withGrads: () => st.tidy(() => settle(...both([x, f], dy))),
      release: () => {
        x.dispose();
        f.dispose();
        dy.dispose();
      },
    };
  },

  async zooForward(name) {
    st.setSeed(SEED);
    const model = st.models[name]();
    const x = st.randomNormal([1, ...(model.inputs[0].shape.slice(1) as number[])], 0, 1, 'float32', SEED);
    return {
      forward: () => st.tidy(() => { (model.predict(x, { batchSize: 1 }) as st.Tensor).dataSync(); }),
      release: () => {
        for (const v of model.weights) v.dispose();
        x.dispose();
      },
    };
  },
};

async function main(): Promise<void> {
  const options = parseChildArgs(process.argv.slice(2));
  const system = `striate-${options.backend}`;
  const unavailable = selectBackend(options);
  if (unavailable) {
    emit(system, options, { error: { value: null, note: unavailable } });
    return;
  }
  await runWorkload(system, options, adapter);
}

await main();
