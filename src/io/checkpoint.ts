/**
 * `modelCheckpoint`: a fit callback that saves the model's weights after an epoch (only when the
 * monitored value improves, with `saveBestOnly`), atomically, through `saveWeights` or, with
 * `saveWeightsOnly: false`, the whole model through `saveModelSync`.
 */
import { checkOptions } from '../tensor/options.js';
import type { LayersModel } from '../nn/model.js';
import { saveWeights } from './weights_file.js';
import { saveModelSync } from './model_file.js';

export interface ModelCheckpointArgs {
  /** folder to save into; `{epoch}` is replaced by the 1-based epoch number */
  filepath: string;
  monitor?: string;
  saveBestOnly?: boolean;
  mode?: 'auto' | 'min' | 'max';
  verbose?: number;
  /**
   * true (the default here, as before): weights.json plus a shard, for `loadWeights`. false: the
   * whole model (topology, weights, training config, optimizer state) as model.json, for
   * `loadLayersModel`, so training can resume from the checkpoint.
   */
  saveWeightsOnly?: boolean;
}

export class ModelCheckpoint {
  model?: LayersModel;
  readonly filepath: string;
  readonly monitor: string;
  readonly saveBestOnly: boolean;
  readonly saveWeightsOnly: boolean;
  private readonly better: (a: number, b: number) => boolean;
  best: number;
  /** epochs (0-based) at which a save happened */
  readonly savedEpochs: number[] = [];

  constructor(args: ModelCheckpointArgs) {
    if (!args || typeof args.filepath !== 'string' || args.filepath === '') {
      throw new Error('modelCheckpoint: filepath (a folder) is required');
    }
    this.filepath = args.filepath;
    this.monitor = args.monitor ?? 'val_loss';
    this.saveBestOnly = args.saveBestOnly ?? false;
    this.saveWeightsOnly = args.saveWeightsOnly ?? true;
    const mode = args.mode ?? 'auto';
    if (!['auto', 'min', 'max'].includes(mode)) throw new Error(`modelCheckpoint: mode must be auto, min or max, got ${mode}`);
    const maximize = mode === 'max' || (mode === 'auto' && /acc|auc|precision|recall/.test(this.monitor));
    this.better = maximize ? (a, b) => a > b : (a, b) => a < b;
    this.best = maximize ? -Infinity : Infinity;
  }

  setModel(model: LayersModel): void {
    this.model = model;
  }

  onEpochEnd(epoch: number, logs: Record<string, number> = {}): void {
    if (!this.model) throw new Error('modelCheckpoint: no model (use it as a fit callback)');
    const value = logs[this.monitor];
    if (this.saveBestOnly) {
      if (value === undefined) {
        throw new Error(`modelCheckpoint: monitor "${this.monitor}" is not among the logged values ` +
          `(${Object.keys(logs).join(', ')}); with val_ metrics, give fit validation data`);
      }
      if (!this.better(value, this.best)) return;
      this.best = value;
    }
    const dir = this.filepath.replace('{epoch}', String(epoch + 1));
    if (this.saveWeightsOnly) saveWeights(this.model, dir, { epoch: epoch + 1, [this.monitor]: value });
    else saveModelSync(this.model, dir);
    this.savedEpochs.push(epoch);
  }
}

/**
 * A fit callback saving the model after each epoch (or after each better one, with `saveBestOnly`) into `filepath` (Node: it writes files).
 *
 * @example
 * ```ts
 * const fs = await import('node:fs'), os = await import('node:os'), path = await import('node:path');
 * const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'st-ckpt-'));
 * const model = st.sequential({ layers: [st.layers.dense({ units: 1, inputShape: [1] })] });
 * model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
 * const checkpoint = st.callbacks.modelCheckpoint({ filepath: path.join(dir, 'epoch-{epoch}') });
 * await model.fit(st.ones([4, 1]), st.ones([4, 1]), { epochs: 2, verbose: 0, callbacks: [checkpoint] });
 * console.log(fs.readdirSync(dir)); // ['epoch-1', 'epoch-2']
 * st.io.loadWeights(model, path.join(dir, 'epoch-2')); // back to the last epoch's weights
 * ```
 */
export function modelCheckpoint(args: ModelCheckpointArgs): ModelCheckpoint {
  checkOptions('callbacks.modelCheckpoint', args, ['filepath', 'monitor', 'saveBestOnly', 'mode', 'verbose', 'saveWeightsOnly']);
  return new ModelCheckpoint(args);
}
