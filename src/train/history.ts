/**
 * `History`: what `fit` returns, as in Keras and TensorFlow.js. `epoch` lists the epochs run
 * (0-based, `initialEpoch` first) and `history[key]` the value of each logged quantity per epoch:
 * `loss`, each metric (`acc`, ...), and `val_loss`, `val_acc`, ... when validating.
 */
import type { Logs } from './callback_base.js';

export interface TrainingParams {
  epochs: number;
  initialEpoch: number;
  /** samples per epoch (undefined for datasets of unknown size) */
  samples?: number;
  /** batches per epoch (undefined until known for datasets) */
  steps?: number;
  batchSize?: number;
  verbose: number;
  doValidation: boolean;
  /** names of what is logged: loss, metrics, then val_ versions */
  metrics: string[];
}

export class History {
  readonly epoch: number[] = [];
  readonly history: Record<string, number[]> = {};
  params?: TrainingParams;

  model?: unknown;

  // TensorFlow.js' History is a callback: these let one be passed in fit's callbacks, where it
  // records the epochs the same way the History that fit returns does
  setParams(params: TrainingParams): void {
    this.params = params;
  }

  setModel(model: unknown): void {
    this.model = model;
  }

  /** Starts empty. */
  onTrainBegin(_logs?: Logs): void {
    this.epoch.length = 0;
    for (const k of Object.keys(this.history)) delete this.history[k];
  }

  onEpochEnd(epoch: number, logs: Logs = {}): void {
    this.record(epoch, logs);
  }

  onEpochBegin(_epoch?: number, _logs?: Logs): void {}
  onBatchBegin(_batch?: number, _logs?: Logs): void {}
  onBatchEnd(_batch?: number, _logs?: Logs): void {}
  onTrainEnd(_logs?: Logs): void {}

  /** TensorFlow.js awaits tensor-valued logs here; striate's logs are numbers already. */
  async syncData(): Promise<void> {}

  /** Appends one epoch's logs. */
  record(epoch: number, logs: Logs): void {
    this.epoch.push(epoch);
    const keys = new Set([...Object.keys(this.history), ...Object.keys(logs)]);
    for (const key of keys) {
      const value = logs[key];
      if (value !== undefined && typeof value !== 'number') continue;
      // a key that appears late (lr from reduceLROnPlateau) is padded with NaN for earlier epochs
      const list = this.history[key] ?? (this.history[key] = new Array(this.epoch.length - 1).fill(NaN));
      list.push(value ?? NaN);
    }
  }
}
