/**
 * TensorFlow.js' `tf.losses` namespace, with its signatures: (labels, predictions, weights?,
 * ..., reduction?) and the `Reduction` enum. Each computes an element-wise (or per-row) loss and
 * hands it to `computeWeightedLoss`, which weighs and reduces it. The default reduction,
 * SUM_BY_NONZERO_WEIGHTS, is the sum of the weighted losses over the number of nonzero weights
 * (the mean, without weights).
 */
import { Tensor } from '../tensor/tensor.js';
import { describeValue } from '../tensor/options.js';
import { convert, isFloat, type TensorInput } from './op.js';
import {
  abs, add, cast, div, exp, log, log1p, minimum, mul, neg, notEqual, squaredDifference, sub,
} from './arithmetic.js';
import { relu } from './activations.js';
import { mean, sum } from './reduce.js';
import { broadcastTo } from './transform.js';
import { softmaxCrossEntropy as softmaxCrossEntropyRows } from './softmax_cross_entropy.js';

/** How computeWeightedLoss reduces; the numbers are TensorFlow.js' own. */
export enum Reduction {
  /** the weighted losses themselves */
  NONE,
  /** sum(weighted losses) / sum(weights) */
  MEAN,
  /** sum(weighted losses) */
  SUM,
  /** sum(weighted losses) / number of nonzero weights (default) */
  SUM_BY_NONZERO_WEIGHTS,
}

function checkReduction(op: string, reduction: unknown): Reduction {
  if (reduction === undefined) return Reduction.SUM_BY_NONZERO_WEIGHTS;
  if (typeof reduction !== 'number' || Reduction[reduction] === undefined) {
    throw new Error(`${op}: expected 'reduction' to be one of tf.Reduction.NONE (0), MEAN (1), SUM (2), ` +
      `SUM_BY_NONZERO_WEIGHTS (3), got ${describeValue(reduction)}`);
  }
  return reduction;
}

function checkNumber(op: string, arg: string, value: unknown, fallback: number): number {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new Error(`${op}: expected '${arg}' to be a number, got ${describeValue(value)}`);
  }
  return value;
}

/** An argument past the last parameter is an error: TensorFlow.js would ignore it. */
function noExtra(op: string, signature: string, extra: readonly unknown[]): void {
  if (extra.length > 0) {
    throw new Error(`${op}: got ${extra.length} argument(s) more than ${op}(${signature}) takes`);
  }
}

/** A float tensor from a loss argument (ints and bools become float32). */
function floatArg(op: string, arg: string, x: TensorInput, dtypeHint?: Tensor['dtype']): Tensor {
  const t = convert(x, op, arg, dtypeHint);
  return isFloat(t.dtype) ? t : cast(t, dtypeHint !== undefined && isFloat(dtypeHint) ? dtypeHint : 'float32');
}

function optionalWeights(op: string, weights: TensorInput | null | undefined, dtype: Tensor['dtype']): Tensor | null {
  if (weights === undefined || weights === null) return null;
  if (typeof weights === 'object' && !Array.isArray(weights) && !(weights instanceof Tensor) && !ArrayBuffer.isView(weights)) {
    throw new Error(`${op}: expected 'weights' to be a Tensor, a number or an array, got ${describeValue(weights)} ` +
      `(tf.losses take (labels, predictions, weights?, ..., reduction?), not an options object)`);
  }
  return floatArg(op, 'weights', weights, dtype);
}

/** labels and predictions as float tensors of one dtype and one shape. */
function pair(op: string, labelsName: string, labels: TensorInput, predsName: string, predictions: TensorInput): [Tensor, Tensor] {
  const p = floatArg(op, predsName, predictions);
  const l = floatArg(op, labelsName, labels, p.dtype);
  const sameDtype = l.dtype === p.dtype ? l : cast(l, p.dtype);
  if (l.rank !== p.rank || l.shape.some((d, i) => d !== p.shape[i])) {
    throw new Error(`${op}: '${labelsName}' and '${predsName}' must have the same shape, got [${l.shape}] and [${p.shape}]`);
  }
  return [sameDtype, p];
}

/**
 * Weighs `losses` by `weights` (broadcast against them) and reduces as `reduction` says
 * (default SUM_BY_NONZERO_WEIGHTS).
 *
 * @example
 * ```ts
 * st.losses.computeWeightedLoss(st.tensor1d([1, 2, 3]), st.tensor1d([1, 0, 1])).print();
 * ```
 */
export function computeWeightedLoss(losses: TensorInput, weights?: TensorInput | null, reduction?: Reduction,
  ...extra: unknown[]): Tensor {
  const op = 'computeWeightedLoss';
  noExtra(op, 'losses, weights?, reduction?', extra);
  const l = floatArg(op, 'losses', losses);
  return weighAndReduce(op, l, optionalWeights(op, weights, l.dtype), checkReduction(op, reduction));
}

function weighAndReduce(op: string, losses: Tensor, weights: Tensor | null, reduction: Reduction): Tensor {
  const weighted = weights === null ? losses : mul(losses, weights);
  switch (reduction) {
    case Reduction.NONE: return weighted;
    case Reduction.SUM: return sum(weighted);
    case Reduction.MEAN: {
      if (weights === null) return mean(weighted);
      const ratio = sum(weighted).div(sum(weights));
      // weights broadcast over the losses count once per loss they cover
      const spread = losses.size / weights.size;
      return spread > 1 ? div(ratio, spread) : ratio;
    }
    case Reduction.SUM_BY_NONZERO_WEIGHTS: {
      if (weights === null) return div(sum(weighted), losses.size);
      const spreadWeights = broadcastTo(weights, weighted.shape);
      const nonzero = cast(sum(cast(notEqual(spreadWeights, 0), 'int32')), weighted.dtype);
      return div(sum(weighted), nonzero);
    }
    default:
      throw new Error(`${op}: unknown reduction ${describeValue(reduction)}`);
  }
}

/**
 * |labels - predictions|, weighted and reduced.
 *
 * @example
 * ```ts
 * st.losses.absoluteDifference(st.tensor1d([1, 2, 3]), st.tensor1d([1, 3, 5])).print(); // 1
 * ```
 */
export function absoluteDifference(labels: TensorInput, predictions: TensorInput, weights?: TensorInput | null,
  reduction?: Reduction, ...extra: unknown[]): Tensor {
  const op = 'absoluteDifference';
  noExtra(op, 'labels, predictions, weights?, reduction?', extra);
  const [l, p] = pair(op, 'labels', labels, 'predictions', predictions);
  return weighAndReduce(op, abs(sub(l, p)), optionalWeights(op, weights, p.dtype), checkReduction(op, reduction));
}

/**
 * (labels - predictions)², weighted and reduced.
 *
 * @example
 * ```ts
 * st.losses.meanSquaredError(st.tensor1d([1, 2, 3]), st.tensor1d([1, 3, 5])).print(); // 5/3
 * ```
 */
export function meanSquaredError(labels: TensorInput, predictions: TensorInput, weights?: TensorInput | null,
  reduction?: Reduction, ...extra: unknown[]): Tensor {
  const op = 'meanSquaredError';
  noExtra(op, 'labels, predictions, weights?, reduction?', extra);
  const [l, p] = pair(op, 'labels', labels, 'predictions', predictions);
  return weighAndReduce(op, squaredDifference(l, p), optionalWeights(op, weights, p.dtype), checkReduction(op, reduction));
}

/**
 * 1 - sum(labels * predictions) along `axis` (kept, size 1): the cosine distance of unit vectors.
 *
 * @example
 * ```ts
 * st.losses.cosineDistance(st.tensor2d([[1, 0]]), st.tensor2d([[0, 1]]), 1).print(); // 1
 * ```
 */
export function cosineDistance(labels: TensorInput, predictions: TensorInput, axis: number, weights?: TensorInput | null,
  reduction?: Reduction, ...extra: unknown[]): Tensor {
  const op = 'cosineDistance';
  noExtra(op, 'labels, predictions, axis, weights?, reduction?', extra);
  if (!Number.isInteger(axis)) throw new Error(`${op}: expected 'axis' to be an integer, got ${describeValue(axis)}`);
  const [l, p] = pair(op, 'labels', labels, 'predictions', predictions);
  const losses = sub(1, sum(mul(l, p), axis, true));
  return weighAndReduce(op, losses, optionalWeights(op, weights, p.dtype), checkReduction(op, reduction));
}

/**
 * max(0, 1 - (2 labels - 1) predictions): labels 0/1 become -1/1.
 *
 * @example
 * ```ts
 * st.losses.hingeLoss(st.tensor1d([1, 0, 1]), st.tensor1d([0.8, -0.5, 2])).print();
 * ```
 */
export function hingeLoss(labels: TensorInput, predictions: TensorInput, weights?: TensorInput | null,
  reduction?: Reduction, ...extra: unknown[]): Tensor {
  const op = 'hingeLoss';
  noExtra(op, 'labels, predictions, weights?, reduction?', extra);
  const [l, p] = pair(op, 'labels', labels, 'predictions', predictions);
  const losses = relu(sub(1, mul(sub(mul(l, 2), 1), p)));
  return weighAndReduce(op, losses, optionalWeights(op, weights, p.dtype), checkReduction(op, reduction));
}

/**
 * 0.5 e² where |e| <= delta, delta (|e| - 0.5 delta) beyond, e = predictions - labels.
 *
 * @example
 * ```ts
 * st.losses.huberLoss(st.tensor1d([0, 0]), st.tensor1d([0.5, 3])).print();
 * ```
 */
export function huberLoss(labels: TensorInput, predictions: TensorInput, weights?: TensorInput | null, delta = 1,
  reduction?: Reduction, ...extra: unknown[]): Tensor {
  const op = 'huberLoss';
  noExtra(op, 'labels, predictions, weights?, delta?, reduction?', extra);
  const d = checkNumber(op, 'delta', delta, 1);
  const [l, p] = pair(op, 'labels', labels, 'predictions', predictions);
  const error = abs(sub(p, l));
  const quadratic = minimum(error, d);
  const losses = add(mul(mul(quadratic, quadratic), 0.5), mul(sub(error, quadratic), d));
  return weighAndReduce(op, losses, optionalWeights(op, weights, p.dtype), checkReduction(op, reduction));
}

/**
 * -labels log(predictions + epsilon) - (1 - labels) log(1 - predictions + epsilon).
 *
 * @example
 * ```ts
 * st.losses.logLoss(st.tensor1d([1, 0]), st.tensor1d([0.9, 0.2])).print();
 * ```
 */
export function logLoss(labels: TensorInput, predictions: TensorInput, weights?: TensorInput | null, epsilon = 1e-7,
  reduction?: Reduction, ...extra: unknown[]): Tensor {
  const op = 'logLoss';
  noExtra(op, 'labels, predictions, weights?, epsilon?, reduction?', extra);
  const e = checkNumber(op, 'epsilon', epsilon, 1e-7);
  const [l, p] = pair(op, 'labels', labels, 'predictions', predictions);
  const positive = mul(l, log(add(p, e)));
  const negative = mul(sub(1, l), log(add(sub(1, p), e)));
  return weighAndReduce(op, neg(add(positive, negative)), optionalWeights(op, weights, p.dtype), checkReduction(op, reduction));
}

function checkSmoothing(op: string, value: unknown): number {
  const s = checkNumber(op, 'labelSmoothing', value, 0);
  if (s < 0 || s > 1) throw new Error(`${op}: expected 'labelSmoothing' in [0, 1], got ${s}`);
  return s;
}

/**
 * Sigmoid cross-entropy from logits, element-wise: max(x, 0) - x z + log(1 + exp(-|x|)).
 * labelSmoothing squeezes the labels toward 1/2: z (1 - s) + s / 2.
 *
 * @example
 * ```ts
 * st.losses.sigmoidCrossEntropy(st.tensor1d([1, 0]), st.tensor1d([2, -1])).print();
 * ```
 */
export function sigmoidCrossEntropy(multiClassLabels: TensorInput, logits: TensorInput, weights?: TensorInput | null,
  labelSmoothing = 0, reduction?: Reduction, ...extra: unknown[]): Tensor {
  const op = 'sigmoidCrossEntropy';
  noExtra(op, 'multiClassLabels, logits, weights?, labelSmoothing?, reduction?', extra);
  const s = checkSmoothing(op, labelSmoothing);
  let [z, x] = pair(op, 'multiClassLabels', multiClassLabels, 'logits', logits);
  if (s > 0) z = add(mul(z, 1 - s), 0.5 * s);
  const losses = add(sub(relu(x), mul(x, z)), log1p(exp(neg(abs(x)))));
  return weighAndReduce(op, losses, optionalWeights(op, weights, x.dtype), checkReduction(op, reduction));
}

/**
 * Softmax cross-entropy from logits, one loss per row of the last axis ([...batch]), on the fused
 * kernel. labelSmoothing squeezes the labels toward uniform: t (1 - s) + s / classes.
 *
 * @example
 * ```ts
 * const labels = st.tensor2d([[0, 1, 0]]);
 * st.losses.softmaxCrossEntropy(labels, st.tensor2d([[1, 3, 0.5]])).print();
 * ```
 */
export function softmaxCrossEntropy(onehotLabels: TensorInput, logits: TensorInput, weights?: TensorInput | null,
  labelSmoothing = 0, reduction?: Reduction, ...extra: unknown[]): Tensor {
  const op = 'softmaxCrossEntropy';
  noExtra(op, 'onehotLabels, logits, weights?, labelSmoothing?, reduction?', extra);
  const s = checkSmoothing(op, labelSmoothing);
  const [t, z] = pair(op, 'onehotLabels', onehotLabels, 'logits', logits);
  if (z.rank === 0) throw new Error(`${op}: expected 'logits' of shape [..., classes], got a scalar`);
  const perRow = softmaxCrossEntropyRows(t, z, { labelSmoothing: s, reduction: 'none' });
  return weighAndReduce(op, perRow, optionalWeights(op, weights, z.dtype), checkReduction(op, reduction));
}
