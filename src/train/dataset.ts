/**
 * `fitDataset` and `evaluateDataset`: training and evaluation on data that arrives in batches,
 * as in TensorFlow.js. A dataset is a `st.data.Dataset` (or anything with `iterator()` giving
 * `next()`, as tf.data's), or an async or sync iterable, yielding `{xs, ys}` batches; xs and ys
 * are each a tensor, an array of tensors, or an object of tensors keyed by the model's input
 * (output) layer names. `[xs, ys]` pairs are accepted too (TensorFlow.js takes only objects).
 *
 * Epochs follow tfjs-layers: without `batchesPerEpoch` every epoch reads the dataset afresh;
 * with it, one stream runs on across epochs (so a repeated dataset is not restarted each epoch),
 * and a stream that ends early ends the epoch with a warning.
 */
import type { LayersModel } from '../nn/model.js';
import { Tensor } from '../tensor/tensor.js';
import { scalar } from '../tensor/creation.js';
import { checkOptions } from '../tensor/options.js';
import type { CallbackHooks, Logs } from './callback_base.js';
import type { History, TrainingParams } from './history.js';
import { Compiled, checkData, expandRank1, getCompiled, tensorList } from './compile.js';
import {
  ClassWeight, LogAverager, addStep, ensureBuilt, metricNames, trainStepValues, trainingLoop, type YieldEvery,
} from './fit.js';
import { evaluateCompiled } from './evaluate.js';
import { tidy } from '../tensor/engine.js';

type TensorOrArrayOrMap = Tensor | Tensor[] | { [name: string]: Tensor };

export interface Batch {
  xs: TensorOrArrayOrMap;
  ys: TensorOrArrayOrMap;
}

type BatchStream = { next(): Promise<IteratorResult<unknown>> | IteratorResult<unknown>; return?(): unknown };

export type Dataset =
  | AsyncIterable<Batch>
  | Iterable<Batch>
  | { iterator(): Promise<BatchStream> | BatchStream; size?: number | null };

export interface FitDatasetArgs {
  epochs?: number;
  /** batches per epoch; by default each epoch reads the whole dataset */
  batchesPerEpoch?: number;
  initialEpoch?: number;
  /** a dataset of batches, or [xVal, yVal] tensors */
  validationData?: Dataset | [TensorOrArrayOrMap, TensorOrArrayOrMap];
  /** with [xVal, yVal]: samples per evaluation batch (default 32) */
  validationBatchSize?: number;
  /** with a validation dataset: how many of its batches to use (default all) */
  validationBatches?: number;
  classWeight?: ClassWeight;
  callbacks?: CallbackHooks | CallbackHooks[];
  verbose?: number;
  /** 'auto' or 'batch' (the default here): let the event loop run after every batch; 'epoch': after each epoch only; 'never' */
  yieldEvery?: YieldEvery;
}

export interface EvaluateDatasetArgs {
  /** how many batches to evaluate (default: until the dataset ends) */
  batches?: number;
  verbose?: number;
}

const FIT_KEYS = ['epochs', 'batchesPerEpoch', 'initialEpoch', 'validationData', 'validationBatchSize', 'validationBatches',
  'classWeight', 'callbacks', 'verbose', 'yieldEvery', 'validationSplit'];

/** A fresh stream of batches from `ds`. */
async function openStream(door: string, ds: Dataset | BatchStream): Promise<BatchStream> {
  // an iterator already open (evaluateDataset takes one, as in tfjs-layers)
  if (ds && typeof (ds as BatchStream).next === 'function') return ds as BatchStream;
  if (ds && typeof (ds as { iterator?: unknown }).iterator === 'function') {
    const it = await (ds as { iterator(): Promise<BatchStream> | BatchStream }).iterator();
    if (!it || typeof it.next !== 'function') throw new Error(`${door}: the dataset's iterator() gave no object with next()`);
    return it;
  }
  if (ds && typeof (ds as AsyncIterable<Batch>)[Symbol.asyncIterator] === 'function') return (ds as AsyncIterable<Batch>)[Symbol.asyncIterator]();
  if (ds && typeof (ds as Iterable<Batch>)[Symbol.iterator] === 'function') return (ds as Iterable<Batch>)[Symbol.iterator]();
  throw new Error(`${door}: expected a dataset (st.data.Dataset, an object with iterator(), or an iterable of {xs, ys} batches), ` +
    `got ${ds === null ? 'null' : typeof ds}`);
}

function isDatasetLike(v: unknown): v is Dataset {
  // an array of {xs, ys} batches is a dataset too (striate takes any iterable of batches);
  // [xVal, yVal] holds tensors or arrays, never batch objects
  if (Array.isArray(v)) return v.length > 0 && v.every((b) => b !== null && typeof b === 'object' && !Array.isArray(b) && 'xs' in b && 'ys' in b);
  return v !== null && typeof v === 'object' && (typeof (v as { iterator?: unknown }).iterator === 'function'
    || typeof (v as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function' || typeof (v as Iterable<unknown>)[Symbol.iterator] === 'function');
}

function layerNames(list: { sourceLayer?: { name: string } | null; name: string }[]): string[] {
  return list.map((s) => s.sourceLayer?.name ?? s.name);
}

/** xs or ys as the model's list: a tensor, an array, or an object keyed by input/output layer names. */
function flatten(door: string, what: string, v: unknown, names: string[]): Tensor[] {
  if (v instanceof Tensor || Array.isArray(v)) return tensorList(door, what, v);
  if (v === null || typeof v !== 'object') throw new Error(`${door}: ${what} must be a Tensor, an array of Tensors or an object of Tensors, got ${v === null ? 'null' : typeof v}`);
  const obj = v as Record<string, unknown>;
  if (names.length === 0) {
    throw new Error(`${door}: ${what} is an object (keys ${Object.keys(obj).join(', ')}), which needs a model with known input and output names; build the model first or give tensors`);
  }
  const missing = names.find((n) => !(n in obj));
  if (missing !== undefined) {
    throw new Error(`${door}: ${what} has keys ${Object.keys(obj).join(', ')}, but the model's ${what.endsWith('xs') ? 'inputs' : 'outputs'} ` +
      `are named ${names.join(', ')} (no ${JSON.stringify(missing)})`);
  }
  return tensorList(door, what, names.map((n) => obj[n]));
}

/** The batch's xs and ys as lists of tensors in the model's input and output order. */
function batchTensors(door: string, model: LayersModel, b: unknown, i: number): [Tensor[], Tensor[]] {
  let xs: unknown;
  let ys: unknown;
  if (Array.isArray(b) && b.length === 2) [xs, ys] = b;
  else if (b !== null && typeof b === 'object' && 'xs' in b && 'ys' in b) ({ xs, ys } = b as Batch);
  else {
    throw new Error(`${door}: batch ${i} must be an object {xs, ys} (tensors, arrays of tensors, or objects of tensors by layer name), ` +
      `got ${b === null ? 'null' : Array.isArray(b) ? `an array of length ${b.length}` : typeof b === 'object' ? `an object with keys ${Object.keys(b).join(', ')}` : typeof b}`);
  }
  const m = model as LayersModel & { inputNames?: string[]; outputNames?: string[] };
  return [
    flatten(door, `batch ${i} xs`, xs, m.inputNames ?? layerNames(model.inputs)),
    flatten(door, `batch ${i} ys`, ys, m.outputNames ?? layerNames(model.outputs)),
  ];
}

function checkCount(door: string, name: string, v: unknown): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new Error(`${door}: ${name} must be a positive integer, got ${JSON.stringify(v)}`);
  return v;
}

function knownSize(ds: unknown): number | undefined {
  const size = (ds as { size?: unknown } | null)?.size;
  return typeof size === 'number' && Number.isFinite(size) ? size : undefined;
}

export async function fitDataset(model: LayersModel, dataset: Dataset, args: FitDatasetArgs = {}): Promise<History> {
  const door = `model "${model.name}".fitDataset`;
  checkOptions(door, args, FIT_KEYS);
  if ((args as { validationSplit?: unknown }).validationSplit !== undefined) {
    throw new Error(`${door}: validationSplit cannot split a stream; give validationData (a dataset or [xVal, yVal]) instead`);
  }
  const c = getCompiled(model, 'fitDataset');
  const epochs = args.epochs ?? 1;
  if (!Number.isInteger(epochs) || epochs < 1) throw new Error(`${door}: epochs must be a positive integer, got ${epochs}`);
  const limit = checkCount(door, 'batchesPerEpoch', args.batchesPerEpoch);
  const vd = args.validationData;
  const validation = vd === undefined || vd === null ? null : prepareValidation(door, model, vd, args);
  const params: TrainingParams = {
    epochs, initialEpoch: args.initialEpoch ?? 0, steps: limit ?? knownSize(dataset), verbose: args.verbose ?? 1,
    doValidation: validation !== null, metrics: metricNames(c, validation !== null),
  };
  // with batchesPerEpoch the stream runs on from epoch to epoch (tfjs-layers does the same)
  let shared: BatchStream | null = limit !== undefined ? await openStream(door, dataset) : null;
  try {
    return await trainingLoop(model, door, params, args.callbacks, async (epoch, callbacks, yielder) => {
      const stream = shared ?? await openStream(door, dataset);
      const averager = new LogAverager();
      let b = 0;
      let ended = false;
      try {
        while (limit === undefined || b < limit) {
          const r = await stream.next();
          if (r.done) { ended = true; break; }
          let [xs, ys] = batchTensors(door, model, r.value, b);
          ensureBuilt(model, xs);
          // rank-1 targets (or inputs) for a [null, 1] output, as TensorFlow.js accepts
          [xs, ys] = expandRank1(model, xs, ys, c);
          const size = checkData(model, door, xs, ys, c);
          await callbacks.onBatchBegin(b, { batch: b, size });
          const values = tidy(() => trainStepValues(model, c, xs, ys, args.classWeight));
          const soFar = addStep(averager, callbacks, values, { batch: b, size });
          await callbacks.onBatchEnd(b, soFar);
          b++;
          if ((model as LayersModel & { stopTraining: boolean }).stopTraining) break;
          await yielder.afterBatch(epoch, b - 1, soFar);
        }
      } finally {
        if (!shared && !ended) await stream.return?.();
      }
      if (limit !== undefined && ended) {
        console.warn(`${door}: the dataset ran out after ${b} of the ${limit} batches per epoch (batchesPerEpoch); ` +
          `the epoch ends here. A dataset for ${epochs} epochs of ${limit} batches must give ${epochs * limit} batches: repeat() it`);
        // nothing more will come: later epochs would be empty
        if (b === 0) (model as LayersModel & { stopTraining: boolean }).stopTraining = true;
      } else if (b === 0) {
        throw new Error(`${door}: the dataset gave no batches`);
      }
      if (params.steps === undefined) params.steps = b;
      const logs: Logs = averager.result();
      if (validation) Object.assign(logs, await validation());
      return logs;
    }, args.yieldEvery);
  } finally {
    if (shared) await shared.return?.();
    shared = null;
  }
}

/** The val_ logs for one epoch, from a dataset (validationBatches of it) or from [x, y]. */
function prepareValidation(door: string, model: LayersModel, data: NonNullable<FitDatasetArgs['validationData']>, args: FitDatasetArgs): () => Promise<Logs> {
  const c = getCompiled(model, 'fitDataset');
  const toLogs = (values: number[]): Logs => {
    const logs: Logs = { val_loss: values[0] };
    c.metrics.forEach((m, i) => (logs[`val_${m.name}`] = values[i + 1]));
    return logs;
  };
  if (isDatasetLike(data)) {
    const batches = checkCount(door, 'validationBatches', args.validationBatches);
    return async () => toLogs(await evaluateBatches(`${door} (validationData)`, model, c, data, batches));
  }
  if (!Array.isArray(data)) throw new Error(`${door}: validationData must be a dataset or [xVal, yVal], got ${typeof data}`);
  if ((data as unknown[]).length === 3) throw new Error(`${door}: validationData with sample weights ([x, y, weights]) is not supported`);
  if (data.length !== 2) throw new Error(`${door}: validationData must be [xVal, yVal], got an array of length ${(data as unknown[]).length}`);
  const batchSize = checkCount(door, 'validationBatchSize', args.validationBatchSize) ?? 32;
  return async () => {
    const [xs, ys] = batchTensors(`${door} (validationData)`, model, data, 0);
    const n = checkData(model, `${door} (validationData)`, xs, ys, c);
    if (n === 0) throw new Error(`${door}: validationData has no samples`);
    return toLogs(evaluateCompiled(model, c, xs, ys, batchSize));
  };
}

/** [loss, ...metrics] averaged over the samples of up to `batches` batches. */
async function evaluateBatches(door: string, model: LayersModel, c: Compiled, dataset: Dataset | BatchStream, batches: number | undefined): Promise<number[]> {
  const stream = await openStream(door, dataset);
  const sums = new Array<number>(1 + c.metrics.length).fill(0);
  let count = 0;
  let b = 0;
  let ended = false;
  try {
    while (batches === undefined || b < batches) {
      const r = await stream.next();
      if (r.done) { ended = true; break; }
      let [xs, ys] = batchTensors(door, model, r.value, b);
      ensureBuilt(model, xs);
      [xs, ys] = expandRank1(model, xs, ys, c);
      const n = checkData(model, door, xs, ys, c);
      evaluateCompiled(model, c, xs, ys, Math.max(n, 1)).forEach((v, i) => (sums[i] += v * n));
      count += n;
      b++;
    }
  } finally {
    if (!ended) await stream.return?.();
  }
  if (batches !== undefined && ended) {
    console.warn(`${door}: the dataset ran out after ${b} of the ${batches} batches asked for; evaluated those`);
  }
  if (count === 0) throw new Error(`${door}: the dataset gave no samples`);
  return sums.map((s) => s / count);
}

/** Loss and metrics over a dataset of {xs, ys} batches: a scalar, or [loss, ...metrics] with metrics. */
export async function evaluateDataset(model: LayersModel, dataset: Dataset | BatchStream, args: EvaluateDatasetArgs = {}): Promise<Tensor | Tensor[]> {
  const door = `model "${model.name}".evaluateDataset`;
  checkOptions(door, args, ['batches', 'verbose']);
  const c = getCompiled(model, 'evaluateDataset');
  const batches = checkCount(door, 'batches', args.batches);
  const values = (await evaluateBatches(door, model, c, dataset, batches)).map((v) => scalar(v));
  return values.length === 1 ? values[0] : values;
}
