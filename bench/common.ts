/**
 * What the benchmark's processes share: command-line options, the metrics (the rows of the
 * table), timing and memory helpers, and the Fashion-MNIST data. Each system runs in its own
 * process (one per system and workload) so that peak RSS and thread pools never mix.
 */
import { existsSync } from 'node:fs';
import { loadIdxImages, type IdxImages } from '../src/data/idx.js';

export const WORKLOADS = ['gemm', 'conv', 'cnn', 'lenet', 'mlp', 'infer', 'rss10', 'zoo'] as const;
export type Workload = typeof WORKLOADS[number];

export interface MetricSpec {
  key: string;
  workload: Workload;
  label: string;
  unit: string;
  /** which direction is better; decides the ratio column */
  better: 'higher' | 'lower';
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
];

function zooMetrics(): MetricSpec[] {
  return ZOO_MODELS.map(({ name, label, size }) => ({
    key: zooMetricKey(name), workload: 'zoo' as const, label: `${label} forward b1 ${size}x${size}`, unit: 'ms', better: 'lower' as const,
  }));
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
 * 12 minutes with every peer; --quick in about 3.
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
