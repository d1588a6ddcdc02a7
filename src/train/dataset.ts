/**
 * `fitDataset`: training on data that arrives in batches. A dataset is anything that yields
 * `{xs, ys}` batches: an async or sync iterable, or an object with `iterator()` (TensorFlow.js'
 * `tf.data.Dataset`). It is iterated afresh each epoch.
 */
import type { LayersModel } from '../nn/model.js';
import type { Tensor } from '../tensor/tensor.js';
import type { CallbackHooks, Logs } from './callback_base.js';
import type { History, TrainingParams } from './history.js';
import { checkData, expandRank1, getCompiled, tensorList } from './compile.js';
import { ClassWeight, LogAverager, ensureBuilt, metricNames, trainStep, trainingLoop, type YieldEvery } from './fit.js';
import { checkOptions } from '../tensor/options.js';
import { evaluateCompiled } from './evaluate.js';
import { tidy } from '../tensor/engine.js';

export interface Batch {
  xs: Tensor | Tensor[];
  ys: Tensor | Tensor[];
}

export type Dataset =
  | AsyncIterable<Batch>
  | Iterable<Batch>
  | { iterator(): Promise<{ next(): Promise<IteratorResult<Batch>> }> | { next(): IteratorResult<Batch> | Promise<IteratorResult<Batch>> } };

export interface FitDatasetArgs {
  epochs?: number;
  /** batches per epoch; by default the dataset's whole length */
  batchesPerEpoch?: number;
  initialEpoch?: number;
  /** a dataset of batches or [xVal, yVal] */
  validationData?: Dataset | [Tensor | Tensor[], Tensor | Tensor[]];
  classWeight?: ClassWeight;
  callbacks?: CallbackHooks | CallbackHooks[];
  verbose?: number;
  /** when callbacks' onYield runs (see fit) */
  yieldEvery?: YieldEvery;
  /** batches of a validation dataset to use (default: all) */
  validationBatches?: number;
  /** TensorFlow.js' option for validation tensors; validation here goes batch by batch of the dataset */
  validationBatchSize?: number;
}

export const FIT_DATASET_OPTIONS = ['epochs', 'batchesPerEpoch', 'initialEpoch', 'validationData', 'classWeight',
  'callbacks', 'verbose', 'yieldEvery', 'validationBatches', 'validationBatchSize'] as const;

export async function* batchesOf(door: string, ds: Dataset): AsyncGenerator<Batch> {
  if (ds && typeof (ds as AsyncIterable<Batch>)[Symbol.asyncIterator] === 'function') {
    yield* ds as AsyncIterable<Batch>;
  } else if (ds && typeof (ds as Iterable<Batch>)[Symbol.iterator] === 'function') {
    yield* ds as Iterable<Batch>;
  } else if (ds && typeof (ds as { iterator?: unknown }).iterator === 'function') {
    const it = await (ds as { iterator(): Promise<{ next(): Promise<IteratorResult<Batch>> }> }).iterator();
    for (;;) {
      const r = await it.next();
      if (r.done) return;
      yield r.value;
    }
  } else {
    throw new Error(`${door}: expected a dataset (an iterable of {xs, ys} batches, or an object with iterator()), got ${typeof ds}`);
  }
}

export function batchTensors(door: string, b: Batch, i: number): [Tensor[], Tensor[]] {
  if (!b || typeof b !== 'object' || !('xs' in b) || !('ys' in b)) {
    throw new Error(`${door}: batch ${i} must be an object {xs, ys}, got ${b === null ? 'null' : typeof b}`);
  }
  return [tensorList(door, `batch ${i} xs`, b.xs), tensorList(door, `batch ${i} ys`, b.ys)];
}

export async function fitDataset(model: LayersModel, dataset: Dataset, args: FitDatasetArgs = {}): Promise<History> {
  const door = `model "${model.name}".fitDataset`;
  const c = getCompiled(model, 'fitDataset');
  checkOptions('fitDataset', args, FIT_DATASET_OPTIONS);
  const epochs = args.epochs ?? 1;
  if (!Number.isInteger(epochs) || epochs < 1) throw new Error(`${door}: epochs must be a positive integer, got ${epochs}`);
  const limit = args.batchesPerEpoch;
  if (limit !== undefined && !(Number.isInteger(limit) && limit > 0)) {
    throw new Error(`${door}: batchesPerEpoch must be a positive integer, got ${limit}`);
  }
  const vd = args.validationData;
  const params: TrainingParams = {
    epochs, initialEpoch: args.initialEpoch ?? 0, steps: limit, verbose: args.verbose ?? 1,
    doValidation: vd !== undefined, metrics: metricNames(c, vd !== undefined),
  };
  return trainingLoop(model, door, params, args.callbacks, async (epoch, callbacks, yielder) => {
    const averager = new LogAverager();
    let b = 0;
    for await (const batch of batchesOf(door, dataset)) {
      if (limit !== undefined && b >= limit) break;
      let [xs, ys] = batchTensors(door, batch, b);
      ensureBuilt(model, xs);
      [xs, ys] = expandRank1(model, xs, ys, c);
      const size = checkData(model, door, xs, ys, c);
      await callbacks.onBatchBegin(b, { batch: b, size });
      averager.add(tidy(() => trainStep(model, c, xs, ys, args.classWeight)), size);
      const soFar = { batch: b, size, ...averager.result() };
      await callbacks.onBatchEnd(b, soFar);
      b++;
      if ((model as LayersModel & { stopTraining: boolean }).stopTraining) break;
      await yielder.afterBatch(epoch, b - 1, soFar);
    }
    if (b === 0) throw new Error(`${door}: the dataset gave no batches`);
    if (params.steps === undefined) params.steps = b;
    const logs: Logs = averager.result();
    if (vd !== undefined) Object.assign(logs, await validate(door, model, vd, args.validationBatches));
    return logs;
  }, args.yieldEvery);
}

/** val_loss and val_ metrics over a dataset or [x, y]. */
async function validate(door: string, model: LayersModel, data: NonNullable<FitDatasetArgs['validationData']>,
  maxBatches?: number): Promise<Logs> {
  const c = getCompiled(model, 'fitDataset');
  const sums = new Array<number>(1 + c.metrics.length).fill(0);
  let count = 0;
  const addBatch = (xs0: Tensor[], ys0: Tensor[]): void => {
    const [xs, ys] = expandRank1(model, xs0, ys0, c);
    const n = checkData(model, `${door} (validationData)`, xs, ys, c);
    evaluateCompiled(model, c, xs, ys, n).forEach((v, i) => (sums[i] += v * n));
    count += n;
  };
  if (Array.isArray(data) && data.length === 2 && !('xs' in (data[0] as object))) {
    addBatch(tensorList(door, 'validationData x', data[0]), tensorList(door, 'validationData y', data[1]));
  } else {
    let i = 0;
    for await (const b of batchesOf(door, data as Dataset)) {
      if (maxBatches !== undefined && i >= maxBatches) break;
      addBatch(...batchTensors(door, b, i++));
    }
  }
  if (count === 0) throw new Error(`${door}: validationData gave no samples`);
  const logs: Logs = { val_loss: sums[0] / count };
  c.metrics.forEach((m, i) => (logs[`val_${m.name}`] = sums[i + 1] / count));
  return logs;
}
