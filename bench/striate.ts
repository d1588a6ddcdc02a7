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
    // as in convLayer below: the CPU backends finish inside the op and PyTorch's side reads
    // nothing back; reading the product into a fresh array added 15 ms to the 30 ms of 1024^3
    // on two threads (0.9 ms to 0.55 at 256^3). A GPU backend must be waited for.
    const sync = st.getBackend() === 'webgpu';
    return () => st.tidy(() => {
      const c = st.matMul(a, b);
      if (sync) c.dataSync();
    });
  },

  conv(batch) {
    const x = st.randomNormal([batch, 28, 28, 32], 0, 1, 'float32', SEED);
    const f = st.randomNormal([3, 3, 32, 64], 0, 0.1, 'float32', SEED + 1);
    const both = st.grads((xi: st.Tensor, fi: st.Tensor) => st.conv2d(xi, fi, 1, 'same').sum());
    // read back on a GPU only, as the GEMM and convLayer: a 12.8 MB output read into a fresh array
    // took 2-50 ms here, against 12-23 ms for the convolution itself
    const sync = st.getBackend() === 'webgpu';
    return {
      forward: () => st.tidy(() => {
        const y = st.conv2d(x, f, 1, 'same');
        if (sync) y.dataSync();
      }),
      withGrads: () => st.tidy(() => {
        const [dx, df] = both([x, f]);
        if (sync) {
          dx.dataSync();
          df.dataSync();
        }
      }),
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
    // The CPU backends run each kernel to completion inside the op, so nothing is read back
    // there: PyTorch's side does not read its outputs either, and reading a first layer's
    // output (8 MB at 32x32x32, batch 64) costs about as much as its convolution. A GPU backend
    // computes later and must be waited for.
    const sync = st.getBackend() === 'webgpu';
    return {
      forward: () => st.tidy(() => {
        const y = st.conv2d(x, f, 1, 'same');
        if (sync) y.dataSync();
      }),
      withGrads: () => st.tidy(() => {
        const [dx, df] = both([x, f], dy);
        if (sync) {
          dx.dataSync();
          df.dataSync();
        }
      }),
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
