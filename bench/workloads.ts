/**
 * The workloads, written once against a small adapter that each JavaScript system (striate,
 * TensorFlow.js) implements, so every system runs the same loop with the same sizes, data,
 * warm-up and stopping rules. Each timed call ends by reading values back, so lazy or
 * asynchronous backends cannot finish after the clock stops.
 */
import {
  type Fashion, type Metric, type Options, type Results, accuracyPercent, emit, errorText, firstSamples, loadFashion,
  now, peakRssMB, plan, rssMB, sampleWindow, timePerCall, ZOO_MODELS, zooMetricKey, type ZooModel,
} from './common.js';
import { getHeapSpaceStatistics } from 'node:v8';
import type { IdxImages } from '../src/data/idx.js';
import type { ConvLayerSpec, WideWorkload } from './common.js';
import { sampleShape, type ModelKind } from './layer_specs.js';
import { WIDE_RUNNERS, type ConvLayerCalls, type WideModel } from './wide_workloads.js';

/** the networks' layer configs live in layer_specs.ts (no run-time imports: the browser loads it too) */
export { MODEL_LAYERS, sampleShape, type LayerSpec, type ModelKind } from './layer_specs.js';

/** A model built and compiled by one system (Adam 1e-3, sparse categorical cross-entropy). */
export interface BenchModel {
  /** `d` in the system's tensors, shaped for this model; made outside any timing */
  data(d: IdxImages): unknown;
  /** trains on all of `data` for `epochs`, shuffled, reading the loss back at the end */
  fit(data: unknown, epochs: number, batchSize: number): Promise<void>;
  /** the predicted class of each sample */
  predictClasses(data: unknown, batchSize: number): Int32Array;
  /** one forward pass over `data` as a single batch, values read back */
  predictOnce(data: unknown): void;
  /** frees the system's tensors made by data() where the system needs that */
  release(data: unknown): void;
}

export interface Adapter {
  /** the body of one timed n^3 matmul call (inputs made before) */
  gemm(n: number): () => void;
  /** bodies of one conv2d forward and one forward with both gradients, input [batch, 28, 28, 32] */
  conv(batch: number): { forward: () => void; withGrads: () => void };
  model(kind: ModelKind): Promise<BenchModel>;
  /**
   * The zoo model `name` at its full input size with its 1000-way top, built outside the timing:
   * the body of one batch-1 inference pass, and a release of its weights. Systems without the
   * zoo leave this out.
   */
  zooForward?(name: ZooModel): Promise<{ forward: () => void; release: () => void }>;
  /** a wider network (bench/wide_workloads.ts), or why this system does not run it ('n/a: ...') */
  wide?(kind: WideWorkload): Promise<WideModel | string>;
  /** one conv layer of the conv table, inputs made before */
  convLayer?(c: ConvLayerSpec): ConvLayerCalls;
}

const CNN_BATCH = 64;
const CONV_BATCH = 64;
const LENET_BATCH = 128;
const MLP_BATCH = 128;

/**
 * Runs `options.workload` on the adapter and prints the results line. `notes` (metric -> text)
 * label results that need a caveat, e.g. a substitute kernel.
 */
export async function runWorkload(system: string, options: Options, adapter: Adapter,
  notes: Record<string, string> = {}): Promise<void> {
  const results: Results = {};
  try {
    await WORKLOAD_RUNNERS[options.workload](adapter, options, results);
  } catch (e) {
    results.error = { value: null, note: `failed: ${errorText(e)}` };
  }
  for (const [key, note] of Object.entries(notes)) {
    const r = results[key];
    if (r && r.value !== null) r.note = r.note ? `${r.note}; ${note}` : note;
  }
  emit(system, options, results);
}

type Runner = (adapter: Adapter, options: Options, out: Results) => Promise<void>;

const WORKLOAD_RUNNERS: Record<Options['workload'], Runner> = {
  ...WIDE_RUNNERS,
  async gemm(adapter, options, out) {
    const { minSeconds, slowSeconds } = plan(options.quick);
    for (const n of [256, 1024]) {
      const { seconds, note } = await timePerCall(adapter.gemm(n), minSeconds, slowSeconds);
      out[`gemm${n}`] = { value: (2 * n ** 3) / seconds / 1e9, note };
    }
  },

  async conv(adapter, options, out) {
    const { minSeconds, slowSeconds, convCallSeconds } = plan(options.quick);
    // The same convolution on one sample first: some systems take minutes per call at batch 64
    // (tfjs-cpu's filter gradient), and a call cannot be stopped once started.
    const small = adapter.conv(1);
    const full = adapter.conv(CONV_BATCH);
    for (const [key, which] of [['convFwd', 'forward'], ['convGrad', 'withGrads']] as const) {
      small[which]();
      const t = now();
      small[which]();
      const estimate = (now() - t) * CONV_BATCH;
      if (estimate > convCallSeconds) {
        out[key] = { value: null, note: `skipped (too slow: about ${estimate.toFixed(0)} s per call, from batch 1 x ${CONV_BATCH})` };
        continue;
      }
      const { seconds, note } = await timePerCall(full[which], minSeconds, slowSeconds);
      out[key] = { value: 1000 * seconds, note };
    }
  },

  async cnn(adapter, options, out) {
    const p = plan(options.quick);
    const fashion = loadFashion(options.dataDir);
    // A probe of two batches (after a one-batch warm-up) says how fast this system is, and so
    // whether the full-epoch runs fit the time budget.
    const probeModel = await adapter.model('cnn');
    const rate = await trainRate(probeModel, fashion, CNN_BATCH, p.probeBatches * CNN_BATCH);
    const epochSeconds = fashion.train.count / rate;
    const why = options.quick ? 'not run (--quick)' : !options.accuracy ? 'not run (1-thread column)' : 'skipped (too slow)';
    if (options.accuracy && 5 * epochSeconds * 1.15 <= p.fiveEpochBudget) {
      await accuracyRun(adapter, fashion, 5, out);
    } else if (options.accuracy && epochSeconds * 1.15 <= p.oneEpochBudget) {
      await accuracyRun(adapter, fashion, 1, out);
      out.cnnAcc5 = { value: null, note: why };
    } else {
      const n = roundToBatch(rate * p.trainSeconds, CNN_BATCH, fashion.train.count);
      const measured = n > p.probeBatches * CNN_BATCH ? await trainRate(probeModel, fashion, CNN_BATCH, n) : rate;
      out.cnnTrain = { value: measured, note: `${n} samples, not a full epoch` };
      out.cnnAcc1 = { value: null, note: why };
      out.cnnAcc5 = { value: null, note: why };
    }
    out.cnnPeakRss = { value: peakRssMB(), note: 'whole process, Fashion-MNIST as float32 included' };
  },

  lenet: (adapter, options, out) => smallModel('lenet', LENET_BATCH, 'lenetTrain', adapter, options, out),
  mlp: (adapter, options, out) => smallModel('mlp', MLP_BATCH, 'mlpTrain', adapter, options, out),

  async infer(adapter, options, out) {
    const p = plan(options.quick);
    const fashion = loadFashion(options.dataDir);
    const model = await adapter.model('cnn');
    const one = model.data(firstSamples(fashion.test, 1));
    let warmups = 0;
    for (const warmStart = now(); warmups < p.latencyWarmup && now() - warmStart < p.latencyWarmupSeconds; warmups++) model.predictOnce(one);
    const times: number[] = [];
    const start = now();
    while (times.length < p.latencyCalls && now() - start < p.latencySeconds) {
      const t = now();
      model.predictOnce(one);
      times.push(now() - t);
    }
    times.sort((a, b) => a - b);
    out.inferB1 = {
      value: 1000 * times[times.length >> 1],
      note: `median of ${times.length} calls${times.length < p.latencyCalls ? ' (time cap)' : ''}, after ${warmups} warm-up calls`,
    };
    const batch = model.data(firstSamples(fashion.test, 256));
    const { seconds, note } = await timePerCall(() => model.predictOnce(batch), p.minSeconds, p.slowSeconds);
    out.inferB256 = { value: 256 / seconds, note };
  },

  async zoo(adapter, options, out) {
    const { minSeconds, slowSeconds } = plan(options.quick);
    for (const { name } of ZOO_MODELS) {
      const key = zooMetricKey(name);
      if (!adapter.zooForward) {
        out[key] = { value: null, note: 'n/a: this system has no model zoo' };
        continue;
      }
      // one model at a time, its weights freed before the next: VGG-19 alone holds 575 MB
      try {
        const run = await adapter.zooForward(name);
        try {
          const { seconds, note } = await timePerCall(run.forward, minSeconds, slowSeconds);
          out[key] = { value: 1000 * seconds, note };
        } finally {
          run.release();
        }
      } catch (e) {
        out[key] = { value: null, note: `failed: ${errorText(e)}` };
      }
    }
  },

  async rss10(adapter, options, out) {
    const p = plan(options.quick);
    const fashion = loadFashion(options.dataDir);
    const model = await adapter.model('cnn');
    const rate = await trainRate(model, fashion, CNN_BATCH, p.probeBatches * CNN_BATCH);
    // Each epoch trains on the next window of the training set, sized to take about
    // rssEpochSeconds, so the ten epochs together walk through fresh data.
    const perEpoch = roundToBatch(rate * p.rssEpochSeconds, CNN_BATCH, fashion.train.count);
    const windowOf = (epoch: number) => model.data(sampleWindow(fashion.train, epoch * perEpoch, perEpoch));
    // the start is taken with the first epoch's data in memory, as a run starts with its data
    // loaded; later windows reuse the space the previous one freed
    let data = windowOf(0);
    const start = await rssMB();
    // V8's own heap, to tell its one-time growth from memory the library holds: the young
    // generation's pages become resident once both semispaces have been used, and it doubles
    // (to 2 x 16 MB by default) once enough objects have survived its collections
    const v8Heap = (): string => {
      const young = getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
      const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(0);
      return `${mb(process.memoryUsage().heapTotal)} MB (young generation ${mb(young?.physical_space_size ?? 0)} MB resident)`;
    };
    const v8Start = v8Heap();
    let peak = start;
    let afterFirst = start;
    for (let epoch = 0; epoch < 10; epoch++) {
      if (epoch > 0) data = windowOf(epoch);
      await model.fit(data, 1, CNN_BATCH);
      model.release(data);
      const rss = await rssMB();
      peak = Math.max(peak, rss);
      if (epoch === 0) afterFirst = rss;
    }
    const note = `10 epochs of ${perEpoch} samples each (a different window of the training set per epoch)`;
    out.rssStart = { value: start, note: 'after loading data, building the model, a few warm-up batches and making the first epoch\'s window' };
    // the first epoch sizes the heap for the step; growth after it is what a leak would show
    out.rssAfter1 = { value: afterFirst, note: 'once the first epoch has sized the heap' };
    out.rssEnd = { value: await rssMB(), note: `${note}; highest after an epoch ${peak.toFixed(0)} MB; V8 heap ${v8Start} at the start, ${v8Heap()} at the end` };
  },
};

/** Samples/s of `model` training on the first `n` training samples, after a one-batch warm-up. */
async function trainRate(model: BenchModel, fashion: Fashion, batch: number, n: number): Promise<number> {
  const warm = model.data(firstSamples(fashion.train, batch));
  await model.fit(warm, 1, batch);
  model.release(warm);
  const data = model.data(firstSamples(fashion.train, n));
  const t = now();
  await model.fit(data, 1, batch);
  const seconds = now() - t;
  model.release(data);
  return n / seconds;
}

/** Trains a fresh model for `epochs` full epochs: epoch 1's samples/s, test accuracy after 1 and 5. */
async function accuracyRun(adapter: Adapter, fashion: Fashion, epochs: 1 | 5, out: Results): Promise<void> {
  const model = await adapter.model('cnn');
  const warm = model.data(firstSamples(fashion.train, CNN_BATCH));
  await model.fit(warm, 1, CNN_BATCH);
  model.release(warm);
  const train = model.data(fashion.train);
  const test = model.data(fashion.test);
  const t = now();
  await model.fit(train, 1, CNN_BATCH);
  out.cnnTrain = { value: fashion.train.count / (now() - t), note: 'one full epoch' };
  out.cnnAcc1 = { value: accuracyPercent(model.predictClasses(test, 256), fashion.test.labels) };
  if (epochs === 5) {
    await model.fit(train, 4, CNN_BATCH);
    out.cnnAcc5 = { value: accuracyPercent(model.predictClasses(test, 256), fashion.test.labels) };
  }
}

async function smallModel(kind: ModelKind, batch: number, key: string, adapter: Adapter, options: Options,
  out: Results): Promise<void> {
  const p = plan(options.quick);
  const fashion = loadFashion(options.dataDir);
  const model = await adapter.model(kind);
  const rate = await trainRate(model, fashion, batch, p.probeBatches * batch);
  const n = roundToBatch(rate * p.trainSeconds, batch, fashion.train.count);
  const measured = n > p.probeBatches * batch ? await trainRate(model, fashion, batch, n) : rate;
  const metric: Metric = { value: measured, note: `${n} samples` };
  out[key] = metric;
}

/** `samples` rounded down to whole batches, at least 2 batches and at most `limit`. */
function roundToBatch(samples: number, batch: number, limit: number): number {
  const batches = Math.max(2, Math.floor(samples / batch));
  return Math.min(batches * batch, Math.floor(limit / batch) * batch);
}
