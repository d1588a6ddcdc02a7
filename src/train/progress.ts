/**
 * Progress printing for `fit`. `verbose: 1` in a terminal draws Keras' bar per epoch, redrawn
 * with '\r':
 *   Epoch 1/5
 *   312/938 [=========>....................] - ETA: 12s - loss: 0.4312 - acc: 0.8431
 * When stdout is not a TTY (logs, CI), one line per epoch:
 *   Epoch 1/5 - 938/938 - 12s - loss: 0.4312 - acc: 0.8431 - val_loss: 0.3921 - val_acc: 0.8610
 * `verbose: 0` prints nothing. Where it goes is `output`, replaceable with `setOutput` (tests).
 */
import type { CallbackHooks, Logs } from './callback_base.js';
import type { TrainingParams } from './history.js';

export interface ProgressOutput {
  /** writes text as is (no newline added) */
  write(text: string): void;
  /** whether the destination is a terminal (bars) or not (one line per epoch) */
  isTTY(): boolean;
  /** a message outside the progress display (callbacks' notices), newline added */
  warn(message: string): void;
}

const hasProcess = typeof process !== 'undefined' && !!process.stdout;

const defaultOutput: ProgressOutput = {
  write: (text) => (hasProcess ? process.stdout.write(text) : console.log(text)),
  isTTY: () => hasProcess && !!process.stdout.isTTY,
  warn: (message) => console.warn(message),
};

/** Where progress and callback notices go. */
export const output: ProgressOutput = { ...defaultOutput };

/**
 * Sends progress elsewhere (parts not given keep their current behaviour); with no argument, back to stdout.
 *
 * @example
 * ```ts
 * const lines: string[] = [];
 * st.setProgressOutput({ write: (text) => lines.push(text), isTTY: () => false });
 * st.setProgressOutput(); // back to the terminal
 * ```
 */
export function setOutput(next?: Partial<ProgressOutput>): void {
  Object.assign(output, next ? { ...output, ...next } : defaultOutput);
}

/** Keras' number format: 4 decimals, or exponent form for tiny values. */
export function formatValue(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  return Math.abs(v) > 1e-3 || v === 0 ? v.toFixed(4) : v.toExponential(4);
}

export function formatDuration(seconds: number): string {
  if (seconds >= 3600) {
    const h = Math.floor(seconds / 3600);
    const m = Math.floor((seconds % 3600) / 60);
    const s = Math.floor(seconds % 60);
    return `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
  }
  if (seconds >= 60) return `${Math.floor(seconds / 60)}:${String(Math.floor(seconds % 60)).padStart(2, '0')}`;
  return `${Math.round(seconds)}s`;
}

/** '312/938 [=========>....................]' (Keras: width 30, '>' at the head until done). */
export function formatBar(current: number, target: number | undefined, width = 30): string {
  if (!target) return `${current}/Unknown`;
  const digits = String(target).length;
  let bar = `${String(current).padStart(digits)}/${target} [`;
  const filled = Math.floor((width * Math.min(current, target)) / target);
  if (filled > 0) bar += '='.repeat(filled - 1) + (current < target ? '>' : '=');
  bar += '.'.repeat(width - filled) + ']';
  return bar;
}

/** ' - loss: 0.4312 - acc: 0.8431' for the given keys, in order. */
export function formatLogs(logs: Logs, keys: string[]): string {
  return keys.filter((k) => logs[k] !== undefined).map((k) => ` - ${k}: ${formatValue(logs[k])}`).join('');
}

/**
 * On batch logs whose numbers are still on a device (a GPU): a function that reads the running
 * means without blocking (fit's LogAverager.lazyResult sets it).
 */
export const READ_LOGS_LATER: unique symbol = Symbol.for('striate.readLogsLater');

/** The progress display, as a callback that fit adds when verbose > 0. */
export class ProgressLogger implements CallbackHooks {
  params?: TrainingParams;
  private epochStart = 0;
  private lastDraw = 0;
  private seen = 0;
  private epoch = 0;
  private tty = false;
  /** at most this often (ms) is the bar redrawn, besides the last batch */
  static redrawInterval = 50;
  /**
   * Reads a batch's logs only while drawing, inside onBatchEnd: fit on a GPU then hands it logs
   * whose values stay on the device, and the bar asks for them asynchronously (READ_LOGS_LATER):
   * it draws the numbers of the last read that came back, so the GPU is never waited for.
   */
  readonly readsBatchLogsLazily = true;
  /** the numbers of the latest asynchronous read of the running means, and whether one is under way */
  private latest: Logs = {};
  private reading = false;

  constructor(private readonly verbose: number) {}

  setParams(params: TrainingParams): void {
    this.params = params;
  }

  private get metricKeys(): string[] {
    return (this.params?.metrics ?? ['loss']).filter((k) => !k.startsWith('val_'));
  }

  onTrainBegin(): void {
    this.tty = output.isTTY();
  }

  onEpochBegin(epoch: number): void {
    this.epoch = epoch;
    this.epochStart = Date.now();
    this.lastDraw = 0;
    this.seen = 0;
    if (this.verbose > 0 && this.tty) output.write(`Epoch ${epoch + 1}/${this.params?.epochs}\n`);
  }

  onBatchEnd(batch: number, logs: Logs = {}): void {
    this.seen = batch + 1;
    if (this.verbose <= 0 || !this.tty) return;
    const now = Date.now();
    const steps = this.params?.steps;
    const last = steps !== undefined && this.seen >= steps;
    if (!last && now - this.lastDraw < ProgressLogger.redrawInterval) return;
    this.lastDraw = now;
    const elapsed = (now - this.epochStart) / 1000;
    const eta = steps ? (elapsed / this.seen) * (steps - this.seen) : undefined;
    const timing = eta === undefined ? ` - ${formatDuration(elapsed)}` : ` - ETA: ${formatDuration(eta)}`;
    output.write(`\r${formatBar(this.seen, steps)}${timing}${formatLogs(this.numbers(logs), this.metricKeys)}\x1b[K`);
  }

  /** The logs to draw: as given, or where they are still on a device, the last ones read back. */
  private numbers(logs: Logs): Logs {
    const readLater = (logs as { [READ_LOGS_LATER]?: () => Promise<Logs> })[READ_LOGS_LATER];
    if (!readLater) return logs;
    if (!this.reading) {
      this.reading = true;
      readLater().then((values) => { this.latest = values; }, () => undefined).finally(() => { this.reading = false; });
    }
    return this.latest;
  }

  onEpochEnd(epoch: number, logs: Logs = {}): void {
    this.latest = {};
    if (this.verbose <= 0) return;
    const elapsed = (Date.now() - this.epochStart) / 1000;
    const steps = this.params?.steps ?? this.seen;
    const perStep = this.seen > 0 ? `${Math.round((elapsed * 1000) / this.seen)}ms/step` : '';
    const keys = Object.keys(logs).filter((k) => k !== 'batch' && k !== 'size');
    const values = formatLogs(logs, keys);
    if (this.tty) {
      output.write(`\r${formatBar(this.seen, steps)} - ${formatDuration(elapsed)} ${perStep}${values}\x1b[K\n`);
    } else {
      output.write(`Epoch ${epoch + 1}/${this.params?.epochs} - ${this.seen}/${steps} - ${formatDuration(elapsed)}${values}\n`);
    }
    this.epoch = epoch;
  }
}
