/**
 * Issue 18's wider workloads, written once for every JavaScript system like the rest of
 * workloads.ts: the CIFAR-style convnet, ResNet-20, the IMDB-style LSTM and GRU and the text CNN
 * train on synthetic data (batch 64, Adam 1e-3, one warm-up batch, a probe, then a timed run
 * sized to `plan().wideSeconds`), and `convtable` times the conv layers one by one beside an n^3
 * GEMM measured in the same process at the same thread count. bench/peers/torch_bench.py mirrors
 * every rule here.
 */
import {
  CONV_TABLE, CONV_TABLE_GEMM, convLayerFlops, lcg, plan, timePerCall, type Options, type Results, type WideWorkload,
} from './common.js';
import type { Adapter } from './workloads.js';

export const WIDE_BATCH = 64;
/** the most synthetic samples one timed run trains on (6400 CIFAR images are 79 MB of float32) */
export const WIDE_MAX_SAMPLES = 100 * WIDE_BATCH;
export { IMAGE, TEXT, WIDE_LAYERS } from './layer_specs.js';
import { IMAGE, TEXT } from './layer_specs.js';

/** Kim's text CNN as striate's `models.textCnn` builds it by default, on the LSTM's vocabulary and length. */
export const TEXT_CNN = { filters: 100, kernelSizes: [3, 4, 5], dropout: 0.5 } as const;

/** n synthetic samples of a workload: images uniform in [0, 1) (NHWC) or token ids, and class labels. */
export interface Synthetic {
  xs: Float32Array | Int32Array;
  /** the shape of xs, batch first */
  shape: number[];
  labels: Int32Array;
}

export function synthetic(kind: WideWorkload, n: number, seed = 1): Synthetic {
  const next = lcg(seed);
  if (kind === 'cifar' || kind === 'resnet20') {
    const shape = [n, IMAGE.size, IMAGE.size, IMAGE.channels];
    const xs = new Float32Array(n * IMAGE.size * IMAGE.size * IMAGE.channels);
    for (let i = 0; i < xs.length; i++) xs[i] = next() / 2 ** 32;
    return { xs, shape, labels: Int32Array.from({ length: n }, () => next() % IMAGE.classes) };
  }
  const xs = Int32Array.from({ length: n * TEXT.steps }, () => next() % TEXT.vocab);
  return { xs, shape: [n, TEXT.steps], labels: Int32Array.from({ length: n }, () => next() % TEXT.classes) };
}

/** A wider network built and compiled by one system (Adam 1e-3, sparse categorical cross-entropy). */
export interface WideModel {
  /** trainable parameters (PyTorch's parameters(): batch-norm statistics not counted) */
  trainableParams: number;
  /** `d` in the system's tensors, made outside any timing */
  data(d: Synthetic): unknown;
  /** one epoch over all of `data`, shuffled, reading the loss back at the end */
  fit(data: unknown, batchSize: number): Promise<void>;
  release(data: unknown): void;
}

/** The bodies of one conv layer of the table: forward, and forward with both gradients for a given dy. */
export interface ConvLayerCalls {
  forward: () => void;
  withGrads: () => void;
  release: () => void;
}

/** Samples/s training on `n` synthetic samples, after a one-batch warm-up. */
async function wideRate(model: WideModel, kind: WideWorkload, n: number): Promise<number> {
  const warm = model.data(synthetic(kind, WIDE_BATCH, 7));
  await model.fit(warm, WIDE_BATCH);
  model.release(warm);
  const data = model.data(synthetic(kind, n));
  const t = performance.now();
  await model.fit(data, WIDE_BATCH);
  const seconds = (performance.now() - t) / 1000;
  model.release(data);
  return n / seconds;
}

async function wideTrain(kind: WideWorkload, adapter: Adapter, options: Options, out: Results): Promise<void> {
  const p = plan(options.quick);
  const key = `${kind}Train`;
  const model = adapter.wide ? await adapter.wide(kind) : 'n/a: this system has no adapter for the wider workloads';
  if (typeof model === 'string') {
    out[key] = { value: null, note: model };
    return;
  }
  if (kind === 'resnet20') out.resnet20Params = { value: model.trainableParams };
  const probe = p.probeBatches * WIDE_BATCH;
  const rate = await wideRate(model, kind, probe);
  const batches = Math.max(p.probeBatches, Math.floor((rate * p.wideSeconds) / WIDE_BATCH));
  const n = Math.min(batches * WIDE_BATCH, WIDE_MAX_SAMPLES);
  const measured = n > probe ? await wideRate(model, kind, n) : rate;
  out[key] = { value: measured, note: `${n} synthetic samples, one epoch after a warm-up batch` };
}

async function convTable(adapter: Adapter, options: Options, out: Results): Promise<void> {
  const { minSeconds, slowSeconds } = plan(options.quick);
  const gemm = await timePerCall(adapter.gemm(CONV_TABLE_GEMM), minSeconds, slowSeconds);
  const gemmRate = (2 * CONV_TABLE_GEMM ** 3) / gemm.seconds / 1e9;
  out.ctGemm = { value: gemmRate, note: gemm.note };
  for (const c of CONV_TABLE) {
    if (!adapter.convLayer) {
      out[`ct_${c.name}_fwd`] = { value: null, note: 'n/a: this system has no conv-layer adapter' };
      continue;
    }
    const calls = adapter.convLayer(c);
    try {
      for (const [pass, body, flops] of [['fwd', calls.forward, convLayerFlops(c)], ['grad', calls.withGrads, 3 * convLayerFlops(c)]] as const) {
        const { seconds, note } = await timePerCall(body, minSeconds, slowSeconds);
        const rate = flops / seconds / 1e9;
        out[`ct_${c.name}_${pass}`] = { value: rate, note };
        out[`ct_${c.name}_${pass}Pct`] = { value: (100 * rate) / gemmRate };
      }
    } finally {
      calls.release();
    }
  }
}

type Runner = (adapter: Adapter, options: Options, out: Results) => Promise<void>;
export const WIDE_RUNNERS: Record<WideWorkload | 'convtable', Runner> = {
  cifar: (a, o, out) => wideTrain('cifar', a, o, out),
  resnet20: (a, o, out) => wideTrain('resnet20', a, o, out),
  lstm: (a, o, out) => wideTrain('lstm', a, o, out),
  gru: (a, o, out) => wideTrain('gru', a, o, out),
  textcnn: (a, o, out) => wideTrain('textcnn', a, o, out),
  convtable: convTable,
};
