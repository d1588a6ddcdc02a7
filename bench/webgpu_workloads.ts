/**
 * The webgpu benchmark's jobs, written once against the API that striate and TensorFlow.js share
 * (`tensor`, `matMul`, `sequential`, `layers`, `train.adam`, `fit` ...), so both libraries run
 * the same loop on the same data. This module imports nothing that needs Node: bench/webgpu.ts
 * loads it in a worker of a headless Chromium page (each library on `navigator.gpu`) or, with
 * `--dawn`, in a Node child process (on the `webgpu` package). Every timed block ends by
 * reading a value back, so no GPU work is left running when the clock stops.
 */
import { MODEL_LAYERS, WIDE_LAYERS, type LayerSpec } from './layer_specs.js';
import { buildResnet, type LayersLib } from './resnet20_net.js';

export type TrainNet = 'cifar' | 'resnet20' | 'cnn';
export type Job =
  | { kind: 'gemm'; n: number; /** seconds one timed block should last (3 blocks, the median kept) */ blockSeconds: number }
  | { kind: 'train'; net: TrainNet; batch: number; batches: number; epochs: number };

export interface GemmResult {
  kind: 'gemm';
  gflops: number;
  /** calls per timed block and the milliseconds per call of each block */
  reps: number;
  msPerCall: number[];
  /** C[i] at the indices of `gemmSampleIndices(n)`: Node compares them with a float64 product */
  sample: number[];
}

export interface TrainResult {
  kind: 'train';
  samplesPerSecond: number;
  seconds: number;
  samples: number;
  /** the warm-up batch's loss, then the mean loss of each timed epoch */
  warmupLoss: number;
  epochLosses: number[];
}

export type JobResult = (GemmResult | TrainResult) & { fallbacks?: string[] };

/** The GEMM inputs, element i of A (n x n) and of B: a fixed pattern in [-0.5, 0.5). */
export function gemmValue(i: number, which: 'a' | 'b'): number {
  return which === 'a' ? ((i * 7919) % 1000) / 1000 - 0.5 : ((i * 104729 + 17) % 997) / 997 - 0.5;
}

/** 64 entries of C spread over the matrix (the corners included), the same for both libraries. */
export function gemmSampleIndices(n: number): number[] {
  const out: number[] = [];
  for (let s = 0; s < 64; s++) out.push(s === 63 ? n * n - 1 : Math.floor((s * 2654435761) % (n * n)));
  return out;
}

/** The input shape of one sample of each network. */
export function netInputShape(net: TrainNet): number[] {
  return net === 'cnn' ? [28, 28, 1] : [32, 32, 3];
}

/**
 * `n` synthetic samples that can be learnt: noise in [0, 0.5) plus a bright horizontal band whose
 * place says the class (10 classes), so the loss must fall within a few steps of Adam. The same
 * generator (a 32-bit LCG) for both libraries.
 */
export function learnableImages(net: TrainNet, n: number, seed = 1): { xs: Float32Array; labels: Int32Array } {
  const [h, w, c] = netInputShape(net);
  let state = seed >>> 0;
  const next = () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const xs = new Float32Array(n * h * w * c);
  const labels = new Int32Array(n);
  for (let s = 0; s < n; s++) {
    const label = Math.floor(next() * 10);
    labels[s] = label;
    const top = Math.floor((label * h) / 10), bottom = Math.floor(((label + 1) * h) / 10);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w * c; x++) xs[((s * h + y) * w) * c + x] = 0.5 * next() + (y >= top && y < bottom ? 0.5 : 0);
    }
  }
  return { xs, labels };
}

/** The library as the jobs use it (striate's and TensorFlow.js' shared API, loosely typed). */
type Lib = any;

function buildNet(lib: Lib, net: TrainNet): any {
  if (net === 'resnet20') return buildResnet(lib as LayersLib);
  const specs: LayerSpec[] = net === 'cnn' ? MODEL_LAYERS.cnn : WIDE_LAYERS.cifar!;
  const model = lib.sequential();
  for (const [type, config] of specs) model.add(lib.layers[type](config));
  return model;
}

const now = () => performance.now();

async function gemm(lib: Lib, job: Extract<Job, { kind: 'gemm' }>): Promise<GemmResult> {
  const { n } = job;
  const fill = (which: 'a' | 'b') => Float32Array.from({ length: n * n }, (_, i) => gemmValue(i, which));
  const a = lib.tensor(fill('a'), [n, n], 'float32');
  const b = lib.tensor(fill('b'), [n, n], 'float32');
  // the first call compiles the pipeline; its full result gives the sample that is checked
  const first = lib.matMul(a, b);
  const all = (await first.data()) as Float32Array;
  const sample = gemmSampleIndices(n).map((i) => all[i]);
  first.dispose();
  // each block ends by reading one element back: that waits for every product of the block
  const block = async (reps: number): Promise<number> => {
    const t = now();
    let c = lib.matMul(a, b);
    for (let r = 1; r < reps; r++) {
      c.dispose();
      c = lib.matMul(a, b);
    }
    const corner = lib.slice(c, [0, 0], [1, 1]); // not c.slice: tfjs-core alone (Node) has no chained ops
    await corner.data();
    corner.dispose();
    c.dispose();
    return (now() - t) / reps;
  };
  const estimate = await block(1);
  const reps = Math.max(1, Math.min(50, Math.round((1000 * job.blockSeconds) / estimate)));
  const msPerCall: number[] = [];
  for (let i = 0; i < 3; i++) msPerCall.push(await block(reps));
  a.dispose();
  b.dispose();
  const median = [...msPerCall].sort((x, y) => x - y)[1];
  return { kind: 'gemm', gflops: (2 * n ** 3) / (median / 1000) / 1e9, reps, msPerCall, sample };
}

async function train(lib: Lib, job: Extract<Job, { kind: 'train' }>, tfjsLabels: boolean): Promise<TrainResult> {
  const model = buildNet(lib, job.net);
  model.compile({ optimizer: lib.train.adam(1e-3), loss: 'sparseCategoricalCrossentropy' });
  const shape = netInputShape(job.net);
  const tensors = (count: number, seed: number) => {
    const d = learnableImages(job.net, count, seed);
    // tfjs-layers wants sparse labels as [n, 1] floats; striate takes int32 class ids
    const ys = tfjsLabels ? lib.tensor2d(Float32Array.from(d.labels), [count, 1]) : lib.tensor(d.labels, [count], 'int32');
    return { xs: lib.tensor(d.xs, [count, ...shape], 'float32'), ys };
  };
  const lossOf = (h: any) => h.history.loss.map(Number) as number[];
  // one batch first: it compiles the pipelines and sizes the buffer pools
  const warm = tensors(job.batch, 7);
  const warmupLoss = lossOf(await model.fit(warm.xs, warm.ys, { epochs: 1, batchSize: job.batch, verbose: 0, shuffle: false }))[0];
  warm.xs.dispose();
  warm.ys.dispose();
  const samples = job.batch * job.batches;
  const data = tensors(samples, 1);
  const t = now();
  const history = await model.fit(data.xs, data.ys, { epochs: job.epochs, batchSize: job.batch, verbose: 0, shuffle: false });
  const epochLosses = lossOf(history); // fit has read the losses back: the GPU is done
  const seconds = (now() - t) / 1000;
  data.xs.dispose();
  data.ys.dispose();
  return { kind: 'train', samplesPerSecond: (samples * job.epochs) / seconds, seconds, samples: samples * job.epochs, warmupLoss, epochLosses };
}

/** Runs one job on `lib` (its webgpu backend already set); `system` says which library it is. */
export async function runJob(lib: Lib, system: 'striate' | 'tfjs', job: Job): Promise<JobResult> {
  if (system === 'striate') lib.setSeed(1);
  const result: JobResult = job.kind === 'gemm' ? await gemm(lib, job) : await train(lib, job, system === 'tfjs');
  if (system === 'striate') result.fallbacks = [...lib.backendReport().fallbacks];
  return result;
}
