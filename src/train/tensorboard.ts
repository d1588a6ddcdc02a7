/**
 * TensorBoard logging, as @tensorflow/tfjs-node has it: `summaryFileWriter(logdir)` writes an
 * event file (tfevents.ts) with `scalar(name, value, step)`, `histogram(name, data, step)` and
 * `flush()`; `tensorBoard(logdir, {updateFreq, histogramFreq})` is a fit callback writing the
 * losses and metrics under logdir/train and logdir/val (the val_ logs), as `epoch_loss`,
 * `batch_acc`, ..., so `tensorboard --logdir <logdir>` shows the curves. Node only.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Tensor } from '../tensor/tensor.js';
import { BaseCallback, type Logs } from './callback_base.js';
import { checkOptions } from '../tensor/options.js';
import { encodeEvent, FILE_VERSION, histogramOf, tfRecord, type TfEvent } from './tfevents.js';

let fileCounter = 0;

/** One event file in `logdir`; events are queued and appended (and fsynced) on flush. */
export class SummaryFileWriter {
  readonly logdir: string;
  readonly file: string;
  private queue: Uint8Array[] = [];
  private lastFlush = Date.now();

  constructor(logdir: string, private readonly maxQueue = 10, private readonly flushMillis = 120000, filenameSuffix = '.v2') {
    if (typeof logdir !== 'string' || logdir === '') throw new Error(`summaryFileWriter: expected a log folder path, got ${JSON.stringify(logdir)}`);
    if (!Number.isInteger(maxQueue) || maxQueue < 0) throw new Error(`summaryFileWriter: maxQueue must be an integer >= 0, got ${JSON.stringify(maxQueue)}`);
    if (!(flushMillis >= 0)) throw new Error(`summaryFileWriter: flushMillis must be a number >= 0, got ${JSON.stringify(flushMillis)}`);
    this.logdir = logdir;
    fs.mkdirSync(logdir, { recursive: true });
    const seconds = Math.floor(Date.now() / 1000);
    // TensorBoard finds files by the "tfevents" in their names; the counter keeps writers of one process apart
    this.file = path.join(logdir, `events.out.tfevents.${seconds}.${os.hostname()}.${process.pid}.${fileCounter++}${filenameSuffix}`);
    fs.writeFileSync(this.file, tfRecord(encodeEvent({ wallTime: Date.now() / 1000, step: 0, fileVersion: FILE_VERSION })));
  }

  private add(event: TfEvent): void {
    this.queue.push(tfRecord(encodeEvent(event)));
    if (this.queue.length > this.maxQueue || Date.now() - this.lastFlush >= this.flushMillis) this.flush();
  }

  private checkStep(where: string, step: unknown): number {
    if (!Number.isInteger(step)) throw new Error(`${where}: step must be an integer, got ${JSON.stringify(step)}`);
    return step as number;
  }

  /** Logs `value` (a number or a scalar tensor) under `name` at `step`. */
  scalar(name: string, value: number | Tensor, step: number, description?: string): void {
    if (typeof name !== 'string' || name === '') throw new Error(`scalar: expected a non-empty name, got ${JSON.stringify(name)}`);
    const v = typeof value === 'number' ? value : value && typeof value.dataSync === 'function' && value.size === 1 ? value.dataSync()[0] : NaN;
    if (typeof value !== 'number' && Number.isNaN(v)) throw new Error(`scalar "${name}": expected a number or a one-element tensor`);
    void description; // TensorBoard shows descriptions from summary metadata, which plain scalar values do not carry
    this.add({ wallTime: Date.now() / 1000, step: this.checkStep(`scalar "${name}"`, step), summary: { value: [{ tag: name, simpleValue: v }] } });
  }

  /** Logs the distribution of `data`'s values under `name` at `step`, in `buckets` equal-width buckets (default 30). */
  histogram(name: string, data: Tensor, step: number, buckets = 30, description?: string): void {
    if (!data || typeof data.dataSync !== 'function') throw new Error(`histogram "${name}": expected a tensor of values`);
    if (!Number.isInteger(buckets) || buckets < 1) throw new Error(`histogram "${name}": buckets must be an integer >= 1, got ${JSON.stringify(buckets)}`);
    void description;
    this.add({ wallTime: Date.now() / 1000, step: this.checkStep(`histogram "${name}"`, step),
      summary: { value: [{ tag: name, histo: histogramOf(data.dataSync(), buckets) }] } });
  }

  /** Appends the queued events to the file and fsyncs it. */
  flush(): void {
    this.lastFlush = Date.now();
    if (this.queue.length === 0) return;
    const fd = fs.openSync(this.file, 'a');
    try {
      for (const record of this.queue) fs.writeSync(fd, record);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    this.queue = [];
  }
}

const writers = new Map<string, SummaryFileWriter>();

/**
 * The writer of `logdir` (one per folder in a process, as tfjs-node keeps them).
 *
 * @example
 * ```ts
 * const os = await import('node:os'), path = await import('node:path');
 * const writer = st.node.summaryFileWriter(path.join(os.tmpdir(), 'st-summaries'));
 * writer.scalar('loss', 0.5, 1);
 * writer.flush();
 * ```
 */
export function summaryFileWriter(logdir: string, maxQueue = 10, flushMillis = 120000, filenameSuffix = '.v2'): SummaryFileWriter {
  const key = path.resolve(String(logdir));
  let writer = writers.get(key);
  if (!writer) {
    writer = new SummaryFileWriter(logdir, maxQueue, flushMillis, filenameSuffix);
    writers.set(key, writer);
  }
  return writer;
}

export interface TensorBoardCallbackArgs {
  /** 'epoch' (default): log at each epoch's end; 'batch': also after every batch */
  updateFreq?: 'batch' | 'epoch';
  /** every how many epochs to log histograms of the weights (0, the default: never) */
  histogramFreq?: number;
}

/** Logs of a batch that are bookkeeping, not measurements. */
const NOT_METRICS = new Set(['batch', 'size', 'num_steps']);

export class TensorBoardCallback extends BaseCallback {
  readonly logdir: string;
  private readonly args: Required<TensorBoardCallbackArgs>;
  private batchesSeen = 0;
  private trainWriter: SummaryFileWriter | null = null;
  private valWriter: SummaryFileWriter | null = null;

  constructor(logdir = './logs', args: TensorBoardCallbackArgs = {}) {
    super();
    checkOptions('tensorBoard', args, ['updateFreq', 'histogramFreq']);
    const updateFreq = args?.updateFreq ?? 'epoch';
    const histogramFreq = args?.histogramFreq ?? 0;
    if (updateFreq !== 'batch' && updateFreq !== 'epoch') throw new Error(`tensorBoard: updateFreq must be 'batch' or 'epoch', got ${JSON.stringify(updateFreq)}`);
    if (!Number.isInteger(histogramFreq) || histogramFreq < 0) throw new Error(`tensorBoard: histogramFreq must be an integer >= 0, got ${JSON.stringify(histogramFreq)}`);
    this.logdir = logdir;
    this.args = { updateFreq, histogramFreq };
  }

  private writer(kind: 'train' | 'val'): SummaryFileWriter {
    if (kind === 'train') return (this.trainWriter ??= summaryFileWriter(path.join(this.logdir, 'train')));
    return (this.valWriter ??= summaryFileWriter(path.join(this.logdir, 'val')));
  }

  private logMetrics(logs: Logs, prefix: string, step: number): void {
    for (const [key, value] of Object.entries(logs)) {
      if (NOT_METRICS.has(key) || typeof value !== 'number') continue;
      if (key.startsWith('val_')) this.writer('val').scalar(prefix + key.slice(4), value, step);
      else this.writer('train').scalar(prefix + key, value, step);
    }
  }

  async onTrainBegin(): Promise<void> {
    this.batchesSeen = 0;
  }

  async onBatchEnd(_batch: number, logs: Logs = {}): Promise<void> {
    this.batchesSeen++;
    if (this.args.updateFreq === 'batch') this.logMetrics(logs, 'batch_', this.batchesSeen);
  }

  async onEpochEnd(epoch: number, logs: Logs = {}): Promise<void> {
    this.logMetrics(logs, 'epoch_', epoch + 1);
    if (this.args.histogramFreq > 0 && epoch % this.args.histogramFreq === 0 && this.model) {
      for (const w of this.model.weights) this.writer('train').histogram(w.name, w as unknown as Tensor, epoch + 1);
    }
    this.trainWriter?.flush();
    this.valWriter?.flush();
  }

  async onTrainEnd(): Promise<void> {
    this.trainWriter?.flush();
    this.valWriter?.flush();
  }
}

/**
 * A fit callback that writes TensorBoard event files under `logdir` (default './logs').
 *
 * @example
 * ```ts
 * const os = await import('node:os'), path = await import('node:path');
 * const cb = st.node.tensorBoard(path.join(os.tmpdir(), 'st-logs'));
 * // await model.fit(xs, ys, { epochs: 5, callbacks: [cb] }); then: tensorboard --logdir /tmp/st-logs
 * ```
 */
export function tensorBoard(logdir = './logs', args?: TensorBoardCallbackArgs): TensorBoardCallback {
  return new TensorBoardCallback(logdir, args);
}
