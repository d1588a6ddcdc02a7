/**
 * The built-in callbacks (`callbacks.earlyStopping`, `reduceLROnPlateau`, `terminateOnNaN`,
 * `csvLogger`) and, re-exported, the callback interface. EarlyStopping and ReduceLROnPlateau live
 * here; the base pieces are in callback_base.ts, the logging ones in logging_callbacks.ts.
 */
import { strictFactory } from '../tensor/options.js';
import { BaseCallback, checkNumber, maximises, type Logs, type Mode } from './callback_base.js';
import { TerminateOnNaN, CSVLogger, type CSVLoggerArgs } from './logging_callbacks.js';
import type { Tensor } from '../tensor/tensor.js';
import { output } from './progress.js';

export * from './callback_base.js';
export * from './logging_callbacks.js';

export interface EarlyStoppingArgs {
  /** the logged quantity to watch (default 'val_loss') */
  monitor?: string;
  /** the least change that counts as an improvement (default 0) */
  minDelta?: number;
  /** epochs without improvement before stopping (default 0) */
  patience?: number;
  mode?: Mode;
  /** a value the monitored quantity must beat for the patience to reset */
  baseline?: number;
  /** at the end of training, go back to the weights of the best epoch (default false) */
  restoreBestWeights?: boolean;
  /** print when stopping (default 0) */
  verbose?: number;
}

/** Keras' EarlyStopping: stops when `monitor` has not improved for `patience` epochs. */
export class EarlyStopping extends BaseCallback {
  readonly monitor: string;
  readonly minDelta: number;
  readonly patience: number;
  readonly baseline?: number;
  readonly restoreBestWeights: boolean;
  readonly verbose: number;
  private readonly maximise: boolean;
  /** epochs without improvement so far */
  wait = 0;
  /** the epoch (0-based) training stopped after; 0 when it did not stop early */
  stoppedEpoch = 0;
  /** the epoch (0-based) with the best value of `monitor`, and that value */
  bestEpoch = 0;
  best = NaN;
  private bestWeights: Tensor[] | null = null;

  constructor(args: EarlyStoppingArgs = {}) {
    super();
    const owner = 'earlyStopping';
    this.monitor = args.monitor ?? 'val_loss';
    this.minDelta = Math.abs(checkNumber(owner, 'minDelta', args.minDelta ?? 0, -Infinity));
    this.patience = checkNumber(owner, 'patience', args.patience ?? 0, 0, true);
    if (args.baseline !== undefined) checkNumber(owner, 'baseline', args.baseline, -Infinity);
    this.baseline = args.baseline;
    this.restoreBestWeights = args.restoreBestWeights ?? false;
    this.verbose = args.verbose ?? 0;
    this.maximise = maximises(owner, this.monitor, args.mode ?? 'auto');
  }

  private improves(current: number, reference: number): boolean {
    if (Number.isNaN(reference)) return !Number.isNaN(current);
    return this.maximise ? current - this.minDelta > reference : current + this.minDelta < reference;
  }

  onTrainBegin(): void {
    this.wait = 0;
    this.stoppedEpoch = 0;
    this.bestEpoch = 0;
    this.best = NaN;
    this.bestWeights = null;
  }

  onEpochEnd(epoch: number, logs: Logs = {}): void {
    const current = logs[this.monitor];
    if (current === undefined) {
      output.warn(`earlyStopping: "${this.monitor}" is not logged (available: ${Object.keys(logs).join(', ')}); ` +
        `not stopping on it${this.monitor.startsWith('val_') ? ' (give fit validationData or validationSplit)' : ''}`);
      return;
    }
    if (this.restoreBestWeights && this.bestWeights === null) this.bestWeights = this.snapshotWeights();
    this.wait++;
    if (this.improves(current, this.best)) {
      this.best = current;
      this.bestEpoch = epoch;
      if (this.restoreBestWeights) this.bestWeights = this.snapshotWeights();
      if (this.baseline === undefined || this.improves(current, this.baseline)) {
        this.wait = 0;
        return;
      }
    }
    if (this.wait >= this.patience && epoch > 0) {
      this.stoppedEpoch = epoch;
      this.trainingModel.stopTraining = true;
    }
  }

  /** Copies of the weights (getWeights hands out the live variables, as in TensorFlow.js). */
  private snapshotWeights(): Tensor[] {
    return this.trainingModel.getWeights().map((w) => w.clone());
  }

  onTrainEnd(): void {
    if (this.stoppedEpoch > 0 && this.verbose > 0) {
      output.warn(`Epoch ${this.stoppedEpoch + 1}: early stopping (best ${this.monitor} ${this.best} at epoch ${this.bestEpoch + 1})`);
    }
    if (this.restoreBestWeights && this.bestWeights) {
      this.trainingModel.setWeights(this.bestWeights);
      if (this.verbose > 0) output.warn(`Restoring model weights from the end of the best epoch: ${this.bestEpoch + 1}.`);
    }
  }
}

export interface ReduceLROnPlateauArgs {
  monitor?: string;
  /** new rate = rate * factor, factor < 1 (default 0.1) */
  factor?: number;
  /** epochs without improvement before reducing (default 10) */
  patience?: number;
  mode?: Mode;
  /** the least change that counts as an improvement (default 1e-4) */
  minDelta?: number;
  /** epochs to wait after a reduction before counting again (default 0) */
  cooldown?: number;
  /** the rate never goes below this (default 0) */
  minLr?: number;
  verbose?: number;
}

/** Keras' ReduceLROnPlateau: multiplies the optimizer's learning rate by `factor` on a plateau. */
export class ReduceLROnPlateau extends BaseCallback {
  readonly monitor: string;
  readonly factor: number;
  readonly patience: number;
  readonly minDelta: number;
  readonly cooldown: number;
  readonly minLr: number;
  readonly verbose: number;
  private readonly maximise: boolean;
  wait = 0;
  cooldownCounter = 0;
  best = NaN;

  constructor(args: ReduceLROnPlateauArgs = {}) {
    super();
    const owner = 'reduceLROnPlateau';
    this.monitor = args.monitor ?? 'val_loss';
    this.factor = checkNumber(owner, 'factor', args.factor ?? 0.1, 0);
    if (!(this.factor < 1)) throw new Error(`${owner}: factor must be < 1, got ${this.factor}`);
    this.patience = checkNumber(owner, 'patience', args.patience ?? 10, 0, true);
    this.minDelta = Math.abs(checkNumber(owner, 'minDelta', args.minDelta ?? 1e-4, -Infinity));
    this.cooldown = checkNumber(owner, 'cooldown', args.cooldown ?? 0, 0, true);
    this.minLr = checkNumber(owner, 'minLr', args.minLr ?? 0, 0);
    this.verbose = args.verbose ?? 0;
    this.maximise = maximises(owner, this.monitor, args.mode ?? 'auto');
  }

  onTrainBegin(): void {
    this.wait = 0;
    this.cooldownCounter = 0;
    this.best = NaN;
  }

  onEpochEnd(epoch: number, logs: Logs = {}): void {
    const optimizer = this.trainingModel.optimizer;
    if (optimizer && typeof optimizer.learningRate === 'number') logs.lr = optimizer.learningRate;
    const current = logs[this.monitor];
    if (current === undefined) {
      output.warn(`reduceLROnPlateau: "${this.monitor}" is not logged (available: ${Object.keys(logs).join(', ')})`);
      return;
    }
    if (this.cooldownCounter > 0) {
      this.cooldownCounter--;
      this.wait = 0;
    }
    const better = Number.isNaN(this.best) ? !Number.isNaN(current)
      : this.maximise ? current > this.best + this.minDelta : current < this.best - this.minDelta;
    if (better) {
      this.best = current;
      this.wait = 0;
    } else if (this.cooldownCounter <= 0) {
      this.wait++;
      if (this.wait >= this.patience) {
        if (!optimizer) return;
        if (typeof optimizer.learningRate !== 'number') {
          output.warn('reduceLROnPlateau: the optimizer\'s learning rate is a schedule; leaving it alone');
          return;
        }
        const old = optimizer.learningRate;
        if (old > this.minLr) {
          const next = Math.max(old * this.factor, this.minLr);
          optimizer.learningRate = next;
          if (this.verbose > 0) output.warn(`Epoch ${epoch + 1}: reduceLROnPlateau reducing learning rate to ${next}.`);
        }
        this.cooldownCounter = this.cooldown;
        this.wait = 0;
      }
    }
  }
}

/** `st.callbacks.*`: the built-in callbacks, TensorFlow.js names; each checks its option keys. */
export const callbacks = {
  /**
   * @example
   * ```ts
   * const stop = st.callbacks.earlyStopping({ monitor: 'val_loss', patience: 2, restoreBestWeights: true });
   * // await model.fit(xs, ys, { epochs: 50, validationSplit: 0.2, callbacks: [stop] });
   * ```
   */
  earlyStopping: strictFactory('callbacks.earlyStopping',
    ['monitor', 'minDelta', 'patience', 'verbose', 'mode', 'baseline', 'restoreBestWeights'],
    (args?: EarlyStoppingArgs) => new EarlyStopping(args)),
  /**
   * @example
   * ```ts
   * const cb = st.callbacks.reduceLROnPlateau({ monitor: 'loss', factor: 0.5, patience: 3 });
   * // await model.fit(xs, ys, { epochs: 50, callbacks: [cb] });
   * ```
   */
  reduceLROnPlateau: strictFactory('callbacks.reduceLROnPlateau',
    ['monitor', 'factor', 'patience', 'mode', 'minDelta', 'cooldown', 'minLr', 'verbose'],
    (args?: ReduceLROnPlateauArgs) => new ReduceLROnPlateau(args)),
  /**
   * @example
   * ```ts
   * const model = st.sequential({ layers: [st.layers.dense({ units: 1, inputShape: [1] })] });
   * model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
   * await model.fit(st.ones([4, 1]), st.ones([4, 1]), { epochs: 2, verbose: 0, callbacks: [st.callbacks.terminateOnNaN()] });
   * ```
   */
  terminateOnNaN: strictFactory('callbacks.terminateOnNaN', [], () => new TerminateOnNaN()),
  /**
   * A fit callback writing one CSV row per epoch (Node: it writes a file).
   *
   * @example
   * ```ts
   * const fs = await import('node:fs'), os = await import('node:os'), path = await import('node:path');
   * const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'st-csv-')), 'log.csv');
   * const model = st.sequential({ layers: [st.layers.dense({ units: 1, inputShape: [1] })] });
   * model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
   * await model.fit(st.ones([4, 1]), st.ones([4, 1]), { epochs: 2, verbose: 0, callbacks: [st.callbacks.csvLogger({ filename: file })] });
   * console.log(fs.readFileSync(file, 'utf8')); // a header, then one row per epoch
   * ```
   */
  csvLogger: strictFactory('callbacks.csvLogger', ['filename', 'separator', 'append'], (args: CSVLoggerArgs) => new CSVLogger(args)),
};
