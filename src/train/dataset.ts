/**
 * `fitDataset`: training on data that arrives in batches. A dataset is anything that yields
 * `{xs, ys}` batches: an async or sync iterable, or an object with `iterator()` (TensorFlow.js'
 * `tf.data.Dataset`). It is iterated afresh each epoch.
 */
import type { LayersModel } from '../nn/model.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Callback, Logs } from './callback_base.js';
import type { History, TrainingParams } from './history.js';
import { checkData, getCompiled, tensorList } from './compile.js';
import { ClassWeight, LogAverager, ensureBuilt, metricNames, nextTick, trainStep, trainingLoop } from './fit.js';
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
  callbacks?: Callback | Callback[];
  verbose?: number;
}

async function* batchesOf(door: string, ds: Dataset): AsyncGenerator<Batch> {
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

function batchTensors(door: string, b: Batch, i: number): [Tensor[], Tensor[]] {
  if (!b || typeof b !== 'object' || !('xs' in b) || !('ys' in b)) {
    throw new Error(`${door}: batch ${i} must be an object {xs, ys}, got ${b === null ? 'null' : typeof b}`);
  }
  return [tensorList(door, `batch ${i} xs`, b.xs), tensorList(door, `batch ${i} ys`, b.ys)];
}

export async function fitDataset(model: LayersModel, dataset: Dataset, args: FitDatasetArgs = {}): Promise<History> {
  const door = `model "${model.name}".fitDataset`;
  const c = getCompiled(model, 'fitDataset');
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
  return trainingLoop(model, door, params, args.callbacks, async (_epoch, callbacks) => {
    const averager = new LogAverager();
    let b = 0;
    for await (const batch of batchesOf(door, dataset)) {
      if (limit !== undefined && b >= limit) break;
      const [xs, ys] = batchTensors(door, batch, b);
      ensureBuilt(model, xs);
      const size = checkData(model, door, xs, ys, c);
      await callbacks.onBatchBegin(b, { batch: b, size });
      averager.add(tidy(() => trainStep(model, c, xs, ys, args.classWeight)), size);
      await callbacks.onBatchEnd(b, { batch: b, size, ...averager.result() });
      b++;
      if ((model as LayersModel & { stopTraining: boolean }).stopTraining) break;
      await nextTick();
    }
    if (b === 0) throw new Error(`${door}: the dataset gave no batches`);
    if (params.steps === undefined) params.steps = b;
    const logs: Logs = averager.result();
    if (vd !== undefined) Object.assign(logs, await validate(door, model, vd));
    return logs;
  });
}

/** val_loss and val_ metrics over a dataset or [x, y]. */
async function validate(door: string, model: LayersModel, data: NonNullable<FitDatasetArgs['validationData']>): Promise<Logs> {
  const c = getCompiled(model, 'fitDataset');
  const sums = new Array<number>(1 + c.metrics.length).fill(0);
  let count = 0;
  const addBatch = (xs: Tensor[], ys: Tensor[]): void => {
    const n = checkData(model, `${door} (validationData)`, xs, ys, c);
    evaluateCompiled(model, c, xs, ys, n).forEach((v, i) => (sums[i] += v * n));
    count += n;
  };
  if (Array.isArray(data) && data.length === 2 && !('xs' in (data[0] as object))) {
    addBatch(tensorList(door, 'validationData x', data[0]), tensorList(door, 'validationData y', data[1]));
  } else {
    let i = 0;
    for await (const b of batchesOf(door, data as Dataset)) addBatch(...batchTensors(door, b, i++));
  }
  if (count === 0) throw new Error(`${door}: validationData gave no samples`);
  const logs: Logs = { val_loss: sums[0] / count };
  c.metrics.forEach((m, i) => (logs[`val_${m.name}`] = sums[i + 1] / count));
  return logs;
}
