/**
 * Metrics, Keras formulas: `st.metrics.categoricalAccuracy(yTrue, yPred)`. Most return one value
 * per sample (training averages them over the epoch); precision and recall return one scalar
 * for the whole batch. `getMetric('accuracy', lossName)` picks the accuracy that fits the loss.
 */
import { Tensor } from '../tensor/tensor.js';
import { tensor } from '../tensor/creation.js';
import {
  abs, argMax, cast, clipByValue, convert, div, equal, greater, maximum, mean, mul, neg, reshape, sqrt, square, sub, sum,
  type TensorInput,
} from '../ops/index.js';
import { isFloat } from '../ops/op.js';
import {
  EPSILON, binaryCrossentropy as bceLoss, categoricalCrossentropy as cceLoss, meanAbsoluteError as maeLoss,
  meanSquaredError as mseLoss,
} from '../ops/keras_losses.js';

/** A metric: (yTrue, yPred) => per-sample values or a scalar, named for logs and history. */
export interface Metric {
  (yTrue: TensorInput, yPred: TensorInput): Tensor;
  /** the name shown in logs and `history`: 'acc', 'mse', 'precision', ... */
  readonly metricName: string;
}

export type MetricFunction = (yTrue: TensorInput, yPred: TensorInput) => Tensor;
export type MetricIdentifier = string | MetricFunction;

function floatDtype(t: Tensor): 'float32' | 'float64' {
  return t.dtype === 'float64' ? 'float64' : 'float32';
}

function sameShape(op: string, t: Tensor, p: Tensor): void {
  if (t.rank !== p.rank || t.shape.some((d, i) => d !== p.shape[i])) {
    throw new Error(`${op}: yTrue and yPred must have the same shape, got yTrue [${t.shape}] and yPred [${p.shape}]`);
  }
}

function atLeastRank1(op: string, p: Tensor): void {
  if (p.rank < 1) throw new Error(`${op}: yPred must have rank >= 1 (classes on the last axis), got a scalar`);
}

/**
 * mean over the last axis of (yTrue == (yPred > threshold)): one value per sample.
 *
 * @example
 * ```ts
 * st.metrics.binaryAccuracy(st.tensor2d([[1], [0]]), st.tensor2d([[0.8], [0.6]])).print(); // [1, 0]
 * ```
 */
export function binaryAccuracy(yTrue: TensorInput, yPred: TensorInput, threshold = 0.5): Tensor {
  const op = 'binaryAccuracy';
  const p = convert(yPred, op, 'yPred');
  const t = convert(yTrue, op, 'yTrue', p.dtype);
  sameShape(op, t, p);
  const dtype = floatDtype(p);
  const hits = cast(equal(cast(t, dtype), cast(greater(p, threshold), dtype)), dtype);
  return p.rank === 0 ? hits : mean(hits, -1);
}

/**
 * 1 where argMax(yTrue) == argMax(yPred) over the last axis, else 0: one value per sample.
 *
 * @example
 * ```ts
 * st.metrics.categoricalAccuracy(st.tensor2d([[0, 1], [1, 0]]), st.tensor2d([[0.2, 0.8], [0.3, 0.7]])).print(); // [1, 0]
 * ```
 */
export function categoricalAccuracy(yTrue: TensorInput, yPred: TensorInput): Tensor {
  const op = 'categoricalAccuracy';
  const p = convert(yPred, op, 'yPred');
  const t = convert(yTrue, op, 'yTrue', p.dtype);
  atLeastRank1(op, p);
  sameShape(op, t, p);
  return cast(equal(argMax(t, -1), argMax(p, -1)), floatDtype(p));
}

/** yTrue as integer labels of shape yPred.shape[:-1] (a trailing 1 is dropped). */
function sparseLabels(op: string, yTrue: TensorInput, p: Tensor): Tensor {
  let t = convert(yTrue, op, 'yTrue', 'int32');
  const outer = p.shape.slice(0, -1);
  if (t.rank === p.rank && t.shape[t.rank - 1] === 1) t = reshape(t, t.shape.slice(0, -1));
  if (t.rank !== outer.length || t.shape.some((d, i) => d !== outer[i])) {
    throw new Error(`${op}: expected yTrue of shape [${outer}] (integer class labels) for yPred [${p.shape}], got [${t.shape}]`);
  }
  return t;
}

/**
 * 1 where the label yTrue equals argMax(yPred) over the last axis, else 0: one value per sample.
 *
 * @example
 * ```ts
 * st.metrics.sparseCategoricalAccuracy(st.tensor1d([1, 0]), st.tensor2d([[0.2, 0.8], [0.3, 0.7]])).print(); // [1, 0]
 * ```
 */
export function sparseCategoricalAccuracy(yTrue: TensorInput, yPred: TensorInput): Tensor {
  const op = 'sparseCategoricalAccuracy';
  const p = convert(yPred, op, 'yPred');
  atLeastRank1(op, p);
  const t = sparseLabels(op, yTrue, p);
  return cast(equal(cast(t, 'int32'), argMax(p, -1)), floatDtype(p));
}

/**
 * 1 where `label` is among the k largest of each row of yPred (TensorFlow's inTopK: ties at the
 * boundary count as in, fewer than k classes always hit, non-finite scores never do).
 */
function inTopK(op: string, labels: ArrayLike<number>, p: Tensor, k: number): Tensor {
  if (!Number.isInteger(k) || k < 1) throw new Error(`${op}: k must be a positive integer, got ${JSON.stringify(k)}`);
  const classes = p.shape[p.rank - 1];
  const scores = p.dataSync();
  const out = new Float64Array(labels.length);
  for (let r = 0; r < labels.length; r++) {
    const label = labels[r];
    if (!Number.isInteger(label) || label < 0 || label >= classes) {
      throw new Error(`${op}: label ${label} at sample ${r} is outside [0, ${classes})`);
    }
    const target = scores[r * classes + label];
    if (!Number.isFinite(target)) continue;
    let above = 0;
    for (let c = 0; c < classes; c++) if (scores[r * classes + c] > target) above++;
    out[r] = above < k ? 1 : 0;
  }
  return tensor(out, p.shape.slice(0, -1), floatDtype(p));
}

/**
 * 1 where the true class (argMax of one-hot yTrue) is among the k highest scores of yPred.
 *
 * @example
 * ```ts
 * st.metrics.topKCategoricalAccuracy(st.tensor2d([[0, 0, 1]]), st.tensor2d([[0.5, 0.3, 0.2]]), 2).print(); // [0]
 * ```
 */
export function topKCategoricalAccuracy(yTrue: TensorInput, yPred: TensorInput, k = 5): Tensor {
  const op = 'topKCategoricalAccuracy';
  const p = convert(yPred, op, 'yPred');
  const t = convert(yTrue, op, 'yTrue', p.dtype);
  atLeastRank1(op, p);
  sameShape(op, t, p);
  return inTopK(op, argMax(t, -1).dataSync(), p, k);
}

/**
 * 1 where the label yTrue is among the k highest scores of yPred.
 *
 * @example
 * ```ts
 * st.metrics.sparseTopKCategoricalAccuracy(st.tensor1d([1]), st.tensor2d([[0.5, 0.3, 0.2]]), 2).print(); // [1]
 * ```
 */
export function sparseTopKCategoricalAccuracy(yTrue: TensorInput, yPred: TensorInput, k = 5): Tensor {
  const op = 'sparseTopKCategoricalAccuracy';
  const p = convert(yPred, op, 'yPred');
  atLeastRank1(op, p);
  return inTopK(op, sparseLabels(op, yTrue, p).dataSync(), p, k);
}

/**
 * mean((yPred - yTrue)^2) over the last axis: one value per sample.
 *
 * @example
 * ```ts
 * st.metrics.meanSquaredError(st.tensor2d([[1, 2]]), st.tensor2d([[1, 4]])).print(); // [2]
 * ```
 */
export function meanSquaredError(yTrue: TensorInput, yPred: TensorInput): Tensor {
  return mseLoss(yTrue, yPred, { reduction: 'none' });
}

/**
 * mean(|yPred - yTrue|) over the last axis: one value per sample.
 *
 * @example
 * ```ts
 * st.metrics.meanAbsoluteError(st.tensor2d([[1, 2]]), st.tensor2d([[1, 4]])).print(); // [1]
 * ```
 */
export function meanAbsoluteError(yTrue: TensorInput, yPred: TensorInput): Tensor {
  return maeLoss(yTrue, yPred, { reduction: 'none' });
}

/** Binary true/false positive/negative counts over the whole batch (yPred > threshold is positive). */
function confusion(op: string, yTrue: TensorInput, yPred: TensorInput, threshold: number): { tp: Tensor; fp: Tensor; fn: Tensor } {
  let p = convert(yPred, op, 'yPred');
  if (!isFloat(p.dtype)) p = cast(p, 'float32');
  const t = convert(yTrue, op, 'yTrue', p.dtype);
  sameShape(op, t, p);
  const dtype = floatDtype(p);
  const predicted = cast(greater(p, threshold), dtype);
  const actual = cast(greater(t, 0.5), dtype);
  const tp = sum(mul(predicted, actual));
  return { tp, fp: sub(sum(predicted), tp), fn: sub(sum(actual), tp) };
}

/** a / (a + b), 0 where a + b is 0. */
function ratio(a: Tensor, b: Tensor): Tensor {
  const x = a.dataSync()[0];
  const y = b.dataSync()[0];
  return tensor([x + y === 0 ? 0 : x / (x + y)], [], a.dtype);
}

/**
 * TP / (TP + FP) over the whole batch, predictions above `threshold` counted positive; 0 when nothing is predicted positive.
 *
 * @example
 * ```ts
 * st.metrics.precision(st.tensor1d([1, 0, 1]), st.tensor1d([0.9, 0.8, 0.2])).print(); // 0.5
 * ```
 */
export function precision(yTrue: TensorInput, yPred: TensorInput, threshold = 0.5): Tensor {
  const { tp, fp } = confusion('precision', yTrue, yPred, threshold);
  return ratio(tp, fp);
}

/**
 * TP / (TP + FN) over the whole batch, predictions above `threshold` counted positive; 0 when there are no positives.
 *
 * @example
 * ```ts
 * st.metrics.recall(st.tensor1d([1, 0, 1]), st.tensor1d([0.9, 0.8, 0.2])).print(); // 0.5
 * ```
 */
export function recall(yTrue: TensorInput, yPred: TensorInput, threshold = 0.5): Tensor {
  const { tp, fn } = confusion('recall', yTrue, yPred, threshold);
  return ratio(tp, fn);
}

// ---- regression, similarity and cross-entropy metrics TensorFlow.js exports (tf.metrics.*) ----

/** yTrue and yPred as float tensors of one shape, for the formulas below. */
function floatPair(op: string, yTrue: TensorInput, yPred: TensorInput): [Tensor, Tensor] {
  let p = convert(yPred, op, 'yPred');
  if (!isFloat(p.dtype)) p = cast(p, 'float32');
  const t = cast(convert(yTrue, op, 'yTrue', p.dtype), p.dtype);
  sameShape(op, t, p);
  return [t, p];
}

/**
 * 100 * mean(|(yTrue - yPred) / yTrue|) over the last axis, one value per sample; |yTrue| is
 * held at 1e-7 or above so that zero targets give a large error, not a division by zero.
 *
 * @example
 * ```ts
 * st.metrics.meanAbsolutePercentageError(st.tensor2d([[2, 4]]), st.tensor2d([[1, 4]])).print(); // [25]
 * ```
 */
export function meanAbsolutePercentageError(yTrue: TensorInput, yPred: TensorInput): Tensor {
  const [t, p] = floatPair('meanAbsolutePercentageError', yTrue, yPred);
  const scale = clipByValue(abs(t), EPSILON, Number.MAX_VALUE);
  return mul(mean(abs(div(sub(t, p), scale)), -1), 100);
}

/** TensorFlow.js' short names for the same metrics */
export const MAPE = meanAbsolutePercentageError;
export const mape = meanAbsolutePercentageError;
export const MSE = meanSquaredError;
export const mse = meanSquaredError;

/**
 * The coefficient of determination over the whole batch (a scalar): 1 - sum((yTrue - yPred)^2) /
 * sum((yTrue - mean(yTrue))^2), the mean taken over every value, as TensorFlow.js does.
 *
 * @example
 * ```ts
 * st.metrics.r2Score(st.tensor1d([1, 2, 3]), st.tensor1d([1, 2, 3])).print(); // 1
 * ```
 */
export function r2Score(yTrue: TensorInput, yPred: TensorInput): Tensor {
  const [t, p] = floatPair('r2Score', yTrue, yPred);
  const residual = sum(square(sub(t, p)));
  const total = sum(square(sub(t, mean(t))));
  return sub(1, div(residual, total));
}

/** x / sqrt(max(sum(x^2), 1e-7)) along `axis`: unit length, zero vectors stay zero. */
function l2Normalize(x: Tensor, axis: number): Tensor {
  return div(x, sqrt(maximum(sum(square(x), axis, true), EPSILON)));
}

/**
 * -sum(normalize(yTrue) * normalize(yPred)) over the last axis: -1 for the same direction, one value per sample.
 *
 * @example
 * ```ts
 * st.metrics.cosineProximity(st.tensor2d([[1, 0]]), st.tensor2d([[1, 0]])).print();
 * ```
 */
export function cosineProximity(yTrue: TensorInput, yPred: TensorInput): Tensor {
  const op = 'cosineProximity';
  const [t, p] = floatPair(op, yTrue, yPred);
  atLeastRank1(op, p);
  return neg(sum(mul(l2Normalize(t, -1), l2Normalize(p, -1)), -1));
}

/**
 * The binary cross-entropy loss, one value per sample (mean over the last axis).
 *
 * @example
 * ```ts
 * st.metrics.binaryCrossentropy(st.tensor2d([[1, 0]]), st.tensor2d([[0.9, 0.1]])).print();
 * ```
 */
export function binaryCrossentropy(yTrue: TensorInput, yPred: TensorInput): Tensor {
  return bceLoss(yTrue, yPred, { reduction: 'none' });
}

/**
 * The categorical cross-entropy loss on probabilities, one value per sample.
 *
 * @example
 * ```ts
 * st.metrics.categoricalCrossentropy(st.tensor2d([[0, 1]]), st.tensor2d([[0.2, 0.8]])).print(); // [-log 0.8]
 * ```
 */
export function categoricalCrossentropy(yTrue: TensorInput, yPred: TensorInput): Tensor {
  return cceLoss(yTrue, yPred, { reduction: 'none' });
}

const table: Record<string, MetricFunction> = {
  binaryAccuracy: (t, p) => binaryAccuracy(t, p),
  categoricalAccuracy,
  sparseCategoricalAccuracy,
  topKCategoricalAccuracy: (t, p) => topKCategoricalAccuracy(t, p),
  sparseTopKCategoricalAccuracy: (t, p) => sparseTopKCategoricalAccuracy(t, p),
  meanSquaredError,
  meanAbsoluteError,
  precision: (t, p) => precision(t, p),
  recall: (t, p) => recall(t, p),
  meanAbsolutePercentageError,
  r2Score,
  cosineProximity,
  binaryCrossentropy,
  categoricalCrossentropy,
};

const aliases: Record<string, string> = {
  mse: 'meanSquaredError', mae: 'meanAbsoluteError', mape: 'meanAbsolutePercentageError', cosine: 'cosineProximity',
};

/** Lookup keys are lower case without underscores: camelCase, snake_case and class names all match. */
const byKey: Record<string, string> = {};
for (const name of Object.keys(table)) byKey[name.toLowerCase()] = name;
for (const [alias, name] of Object.entries(aliases)) byKey[alias] = name;

function key(name: string): string {
  return name.toLowerCase().replace(/_/g, '');
}

function named(f: MetricFunction, metricName: string): Metric {
  const m = ((yTrue: TensorInput, yPred: TensorInput) => f(yTrue, yPred)) as Metric;
  Object.defineProperty(m, 'metricName', { value: metricName, enumerable: true });
  return m;
}

/**
 * The accuracy Keras 2 / TensorFlow.js pick for a loss: binary, sparse categorical or categorical.
 *
 * @example
 * ```ts
 * const acc = st.metrics.accuracyForLoss('sparseCategoricalCrossentropy');
 * acc(st.tensor1d([1]), st.tensor2d([[0.2, 0.8]])).print(); // [1]
 * ```
 */
export function accuracyForLoss(lossName?: string | { name?: string }): MetricFunction {
  const raw = typeof lossName === 'string' ? lossName : lossName?.name ?? '';
  const k = key(raw);
  if (k === 'binarycrossentropy' || k === 'bce') return table.binaryAccuracy;
  if (k === 'sparsecategoricalcrossentropy') return table.sparseCategoricalAccuracy;
  return table.categoricalAccuracy;
}

/**
 * A metric from a name or a function. 'accuracy' / 'acc' picks binaryAccuracy for a
 * binaryCrossentropy loss, sparseCategoricalAccuracy for sparseCategoricalCrossentropy and
 * categoricalAccuracy otherwise, and is named 'acc'. Other names ('mse', 'mae', 'precision',
 * 'recall', 'topKCategoricalAccuracy', snake_case forms) keep the name they were given.
 * A function is named by its `metricName` or its function name.
 *
 * @example
 * ```ts
 * const m = st.metrics.getMetric('accuracy', 'categoricalCrossentropy');
 * console.log(m.metricName);
 * ```
 */
export function getMetric(identifier: MetricIdentifier, lossName?: string | { name?: string }, where = 'getMetric'): Metric {
  if (typeof identifier === 'function') {
    const given = (identifier as Partial<Metric>).metricName ?? identifier.name;
    return named(identifier, given || 'metric');
  }
  if (typeof identifier !== 'string') {
    throw new Error(`${where}: expected a metric name or function, got ${identifier === undefined ? 'undefined' : JSON.stringify(identifier)}`);
  }
  const k = key(identifier);
  if (k === 'accuracy' || k === 'acc') return named(accuracyForLoss(lossName), 'acc');
  const name = byKey[k];
  if (!name) {
    throw new Error(`${where}: unknown metric ${JSON.stringify(identifier)}; known: accuracy, acc, ` +
      `${Object.keys(table).join(', ')}, ${Object.keys(aliases).join(', ')} (snake_case forms work too)`);
  }
  return named(table[name], identifier);
}
