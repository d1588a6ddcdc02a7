/**
 * What the benchmark's processes share: command-line options, the metrics (the rows of the
 * table), timing and memory helpers, and the Fashion-MNIST data. Each system runs in its own
 * process (one per system and workload) so that peak RSS and thread pools never mix.
 */
import { existsSync } from 'node:fs';
import { loadIdxImages, type IdxImages } from '../src/data/idx.js';

export const WORKLOADS = ['gemm', 'conv', 'cnn', 'lenet', 'mlp', 'infer', 'rss10', 'zoo',
  'cifar', 'resnet20', 'lstm', 'gru', 'textcnn', 'convtable'] as const;
export type Workload = typeof WORKLOADS[number];

export interface MetricSpec {
  key: string;
  workload: Workload;
  label: string;
  unit: string;
  /** which direction is better; decides the ratio column */
  better: 'higher' | 'lower';
  /** no striate/peer ratio for this row (a parameter count, a share of the system's own GEMM) */
  noRatio?: boolean;
}

/** The zoo workload's models (functions of `st.models`), each timed on one full-size image. */
export const ZOO_MODELS = [
  { name: 'alexnet', label: 'AlexNet', size: 227 }, { name: 'vgg16', label: 'VGG-16', size: 224 },
  { name: 'vgg19', label: 'VGG-19', size: 224 }, { name: 'resnet18', label: 'ResNet-18', size: 224 },
  { name: 'resnet50', label: 'ResNet-50', size: 224 }, { name: 'inceptionV3', label: 'Inception-v3', size: 299 },
] as const;
export type ZooModel = typeof ZOO_MODELS[number]['name'];

export function zooMetricKey(name: ZooModel): string {
  return `zoo_${name}`;
}

/**
 * Issue 18's wider workloads (synthetic data, batch 64, Adam 1e-3): the networks trained, and the
 * conv layers timed one by one (batch 64, 3x3 'same' unless `kernel` says otherwise).
 */
export const WIDE_TRAIN = [
  { workload: 'cifar', label: 'CIFAR-style convnet 32-32-64-64 train (b64)' },
  { workload: 'resnet20', label: 'ResNet-20 CIFAR train (b64)' },
  { workload: 'lstm', label: 'IMDB-style LSTM 128 x 80 steps train (b64)' },
  { workload: 'gru', label: 'IMDB-style GRU 128 x 80 steps train (b64)' },
  { workload: 'textcnn', label: 'text CNN 3/4/5 x 100 train (b64)' },
] as const;
export type WideWorkload = typeof WIDE_TRAIN[number]['workload'];

export interface ConvLayerSpec {
  name: string;
  size: number;
  cin: number;
  cout: number;
  kernel: number;
}
export const CONV_TABLE: ConvLayerSpec[] = [
  { name: 'c3_32', size: 32, cin: 3, cout: 32, kernel: 3 },
  { name: 'c32_32', size: 32, cin: 32, cout: 32, kernel: 3 },
  { name: 'c32_64', size: 16, cin: 32, cout: 64, kernel: 3 },
  { name: 'c64_64', size: 16, cin: 64, cout: 64, kernel: 3 },
  { name: 'c64_128', size: 8, cin: 64, cout: 128, kernel: 3 },
  { name: 'c256_1024', size: 14, cin: 256, cout: 1024, kernel: 1 },
];
export const CONV_TABLE_BATCH = 64;
/** the GEMM the conv layers are compared with, n^3 at the same thread count in the same process */
export const CONV_TABLE_GEMM = 1024;

/** Multiply-adds x 2 of one forward pass of `c` over the batch; the two gradients cost twice that. */
export function convLayerFlops(c: ConvLayerSpec): number {
  return 2 * CONV_TABLE_BATCH * c.size * c.size * c.cout * c.kernel * c.kernel * c.cin;
}

export function convLayerLabel(c: ConvLayerSpec): string {
  return `conv ${c.kernel}x${c.kernel} ${c.cin}->${c.cout} at ${c.size}x${c.size}`;
}

function wideMetrics(): MetricSpec[] {
  const rows: MetricSpec[] = [];
  for (const { workload, label } of WIDE_TRAIN) {
    rows.push({ key: `${workload}Train`, workload, label, unit: 'samples/s', better: 'higher' });
    if (workload === 'resnet20') {
      rows.push({ key: 'resnet20Params', workload, label: 'ResNet-20 trainable parameters', unit: 'count', better: 'higher', noRatio: true });
    }
  }
  rows.push({ key: 'ctGemm', workload: 'convtable', label: `GEMM f32 ${CONV_TABLE_GEMM}^3 (conv table's reference)`, unit: 'GFLOP/s', better: 'higher' });
  for (const c of CONV_TABLE) {
    rows.push({ key: `ct_${c.name}_fwd`, workload: 'convtable', label: `${convLayerLabel(c)} fwd`, unit: 'GFLOP/s', better: 'higher' });
    rows.push({ key: `ct_${c.name}_grad`, workload: 'convtable', label: `${convLayerLabel(c)} fwd+dx+dw`, unit: 'GFLOP/s', better: 'higher' });
  }
  for (const c of CONV_TABLE) {
    for (const [pass, what] of [['fwd', 'fwd'], ['grad', 'fwd+dx+dw']] as const) {
      rows.push({ key: `ct_${c.name}_${pass}Pct`, workload: 'convtable', label: `${convLayerLabel(c)} ${what}`, unit: '% of GEMM', better: 'higher', noRatio: true });
    }
  }
  return rows;
}

/** The rows of the table, in order. */
export const METRICS: MetricSpec[] = [
  { key: 'gemm256', workload: 'gemm', label: 'GEMM f32 256^3', unit: 'GFLOP/s', better: 'higher' },
  { key: 'gemm1024', workload: 'gemm', label: 'GEMM f32 1024^3', unit: 'GFLOP/s', better: 'higher' },
  { key: 'convFwd', workload: 'conv', label: 'conv2d 64x28x28x32 * 3x3x32x64 fwd', unit: 'ms', better: 'lower' },
  { key: 'convGrad', workload: 'conv', label: 'conv2d fwd + dx + dw', unit: 'ms', better: 'lower' },
  { key: 'cnnTrain', workload: 'cnn', label: 'digit CNN train (Fashion, b64)', unit: 'samples/s', better: 'higher' },
  { key: 'cnnPeakRss', workload: 'cnn', label: 'digit CNN train peak RSS', unit: 'MB', better: 'lower' },
  { key: 'cnnAcc1', workload: 'cnn', label: 'digit CNN test acc, 1 epoch', unit: '%', better: 'higher' },
  { key: 'cnnAcc5', workload: 'cnn', label: 'digit CNN test acc, 5 epochs', unit: '%', better: 'higher' },
  { key: 'lenetTrain', workload: 'lenet', label: 'LeNet-5 train (b128)', unit: 'samples/s', better: 'higher' },
  { key: 'mlpTrain', workload: 'mlp', label: 'MLP 784-256-256-10 train (b128)', unit: 'samples/s', better: 'higher' },
  { key: 'inferB1', workload: 'infer', label: 'digit CNN infer b1, median', unit: 'ms', better: 'lower' },
  { key: 'inferB256', workload: 'infer', label: 'digit CNN infer b256', unit: 'samples/s', better: 'higher' },
  { key: 'rssStart', workload: 'rss10', label: '10-epoch run RSS at start', unit: 'MB', better: 'lower' },
  { key: 'rssAfter1', workload: 'rss10', label: '10-epoch run RSS after epoch 1', unit: 'MB', better: 'lower' },
  { key: 'rssEnd', workload: 'rss10', label: '10-epoch run RSS at end', unit: 'MB', better: 'lower' },
  ...zooMetrics(),
  ...wideMetrics(),
];

function zooMetrics(): MetricSpec[] {
  return ZOO_MODELS.map(({ name, label, size }) => ({
    key: zooMetricKey(name), workload: 'zoo' as const, label: `${label} forward b1 ${size}x${size}`, unit: 'ms', better: 'lower' as const,
  }));
}

/** Deterministic pseudo-random 32-bit integers (a linear congruential generator) for synthetic data. */
export function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0);
}

/** One measurement: a number, or null with a note saying why not (n/a, skipped, failed). */
export interface Metric {
  value: number | null;
  note?: string;
}
export type Results = Record<string, Metric>;

export interface Options {
  quick: boolean;
  workload: Workload;
  /** system-specific: 'wasm' | 'js' for striate, 'cpu' | 'wasm' for tfjs */
  backend: string;
  threads: number;
  /** train to test accuracy when time allows (off for the 1-thread columns) */
  accuracy: boolean;
  dataDir: string;
}

export const DEFAULT_DATA_DIR = process.env.FASHION_MNIST_DIR ?? '/usr/share/datasets/fashion-mnist';

/** `--workload cnn --backend wasm --threads 1 --quick --no-accuracy --data DIR` for a system process. */
export function parseChildArgs(argv: string[]): Options {
  const value = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const workload = value('--workload') as Workload;
  if (!WORKLOADS.includes(workload)) {
    throw new Error(`--workload must be one of ${WORKLOADS.join(', ')}, got ${JSON.stringify(workload)}`);
  }
  return {
    quick: argv.includes('--quick'),
    workload,
    backend: value('--backend') ?? '',
    threads: Number(value('--threads') ?? 1),
    accuracy: !argv.includes('--no-accuracy'),
    dataDir: value('--data') ?? DEFAULT_DATA_DIR,
  };
}

/**
 * How long things may take. The full run is sized for a 2-core machine to finish in about
 * 12 minutes with every peer for the older workloads, and about 12 more for issue 18's wider
 * ones (bench/wide_workloads.ts); --quick in about 3, and 8 more for the wider ones.
 */
export function plan(quick: boolean) {
  return {
    /** seconds a timed loop runs at least (after one warm-up call) */
    minSeconds: quick ? 0.3 : 1,
    /** a warm-up call slower than this is taken as the measurement */
    slowSeconds: quick ? 2 : 10,
    /** the conv workload skips a call estimated to take longer than this */
    convCallSeconds: quick ? 6 : 40,
    /** batches (after one warm-up batch) that size up a system before the real measurement */
    probeBatches: quick ? 1 : 2,
    /** seconds of training for a samples/s figure when no full epoch is run */
    trainSeconds: quick ? 1.5 : 6,
    /** at most this many seconds for the 5-epoch accuracy run, else 1 epoch, else none */
    fiveEpochBudget: quick ? 0 : 420,
    oneEpochBudget: quick ? 0 : 90,
    /** batch-1 latency: this many calls, or fewer when they pass latencySeconds */
    latencyCalls: quick ? 200 : 1000,
    /** calls before the latency is timed (or fewer when they pass latencyWarmupSeconds), for every
     * system alike: V8 keeps optimising striate's and tfjs's per-op JavaScript for ~2,000 batch-1
     * calls (0.19 ms at first, 0.06 ms once settled, on this machine) */
    latencyWarmup: quick ? 20 : 3000,
    latencyWarmupSeconds: quick ? 1 : 3,
    latencySeconds: quick ? 3 : 10,
    /** seconds per epoch of the 10-epoch RSS run (the subset per epoch is sized to fit) */
    rssEpochSeconds: quick ? 1 : 5,
    /** seconds of training for the wider workloads' samples/s (after a warm-up batch and the probe) */
    wideSeconds: quick ? 1.5 : 10,
  };
}

export function now(): number {
  return performance.now() / 1000;
}

/**
 * Seconds per call of `body`: one warm-up call, then calls until `minSeconds` pass; the median.
 * When the warm-up alone takes longer than `slowSeconds`, that call is the measurement (the
 * note says so): a system that slow gains nothing from a second call but minutes.
 */
export async function timePerCall(body: () => void | Promise<void>, minSeconds: number, slowSeconds: number,
  maxCalls = 1000): Promise<{ seconds: number; note?: string }> {
  const warm = now();
  await body();
  const warmSeconds = now() - warm;
  if (warmSeconds > slowSeconds) return { seconds: warmSeconds, note: 'one call, no warm-up (slow)' };
  const times: number[] = [];
  const start = now();
  while (times.length < maxCalls && (times.length === 0 || now() - start < minSeconds)) {
    const t = now();
    await body();
    times.push(now() - t);
  }
  return { seconds: median(times) };
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export const MB = 1024 * 1024;
/**
 * RSS after a full garbage collection (the bench starts node with --expose-gc): a leak shows
 * as growth that survives a collection, whereas uncollected garbage (an epoch's freed data
 * window, say) only shows when the collector last ran. V8 frees large buffers on a background
 * thread after the collection, so it collects, waits 100 ms, and collects again.
 */
export async function rssMB(): Promise<number> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 100));
    gc();
  }
  return process.memoryUsage().rss / MB;
}
/** The most memory this process has held so far (Node reports maxRSS in KiB). */
export function peakRssMB(): number {
  return process.resourceUsage().maxRSS / 1024;
}

export interface Fashion {
  train: IdxImages;
  test: IdxImages;
}

/** Fashion-MNIST from `dir`; a clear error (becoming the metric's note) when it is not there. */
export function loadFashion(dir: string): Fashion {
  if (!existsSync(dir)) {
    throw new Error(`no Fashion-MNIST in ${dir} (apt-get install dataset-fashion-mnist, or set FASHION_MNIST_DIR)`);
  }
  return { train: loadIdxImages(dir, 'train'), test: loadIdxImages(dir, 'test') };
}

/** The first `n` samples of `d` (views, no copies). */
export function firstSamples(d: IdxImages, n: number): IdxImages {
  const count = Math.min(n, d.count);
  const size = d.shape[1] * d.shape[2] * d.shape[3];
  return {
    xs: d.xs.subarray(0, count * size), labels: d.labels.subarray(0, count), count,
    shape: [count, d.shape[1], d.shape[2], d.shape[3]],
  };
}

/** Samples [from, from + n), wrapping at the end (views when no wrap is needed). */
export function sampleWindow(d: IdxImages, from: number, n: number): IdxImages {
  const start = from % d.count;
  if (start + n <= d.count) {
    const size = d.shape[1] * d.shape[2] * d.shape[3];
    return {
      xs: d.xs.subarray(start * size, (start + n) * size), labels: d.labels.subarray(start, start + n), count: n,
      shape: [n, d.shape[1], d.shape[2], d.shape[3]],
    };
  }
  return firstSamples(d, n);
}

/** Percentage of `predicted` equal to `labels`. */
export function accuracyPercent(predicted: ArrayLike<number>, labels: ArrayLike<number>): number {
  let right = 0;
  for (let i = 0; i < labels.length; i++) if (predicted[i] === labels[i]) right++;
  return (100 * right) / labels.length;
}

/** Index of the largest of each row of `probs` ([n, classes] row-major). */
export function argmaxRows(probs: ArrayLike<number>, classes: number): Int32Array {
  const n = probs.length / classes;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (probs[i * classes + c] > probs[i * classes + best]) best = c;
    out[i] = best;
  }
  return out;
}

/** Prints the child's results as the last line of stdout, for the runner. */
export function emit(system: string, options: Options, results: Results): void {
  process.stdout.write(`${JSON.stringify({ system, workload: options.workload, results })}\n`);
}

export function errorText(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0].slice(0, 200);
}

/**
 * Each metric's median over the rounds (the lower middle one for an even count), its note saying
 * so with the range: on a host whose speed shifts by half for seconds at a time (seen on the
 * 2-core Zen 5 VM, 2026-12-06), one round's figure can land in either phase.
 */
export function medianTable(rounds: Record<string, Results>[]): Record<string, Results> {
  const table: Record<string, Results> = {};
  for (const id of Object.keys(rounds[0])) {
    const out: Results = (table[id] = {});
    const keys = new Set(rounds.flatMap((r) => Object.keys(r[id] ?? {})));
    for (const key of keys) {
      const got = rounds.map((r) => r[id]?.[key]).filter((m): m is Metric => m !== undefined);
      const values = got.map((m) => m.value).filter((v): v is number => v !== null).sort((a, b) => a - b);
      if (values.length === 0) {
        out[key] = got[0];
        continue;
      }
      const mid = values[(values.length - 1) >> 1];
      const first = got.find((m) => m.value !== null)!;
      const range = values.length > 1 ? `median of ${values.length} rounds (${short(values[0])} .. ${short(values[values.length - 1])})` : '';
      out[key] = { ...first, value: mid, note: [first.note, range].filter(Boolean).join('; ') || undefined };
    }
  }
  return table;
}

/** 3 significant figures, whole numbers from 100 */
function short(v: number): string {
  return Math.abs(v) >= 100 ? v.toFixed(0) : v.toPrecision(3);
}
