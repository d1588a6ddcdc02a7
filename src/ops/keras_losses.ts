/**
 * Loss functions with Keras 3 names and formulas, the ones `model.compile` resolves by name:
 * `st.losses.meanAbsoluteError(yTrue, yPred, { reduction: 'none' })`. Where TensorFlow.js'
 * `tf.losses` has the same name with another signature (meanSquaredError), `st.losses` holds
 * TensorFlow.js' (tfjs_losses.ts) and this one serves training and metrics. Each computes a per-sample value (mean over the last axis for the regression and binary
 * losses, sum over classes for cross-entropies) and reduces it: `reduction: 'mean'` (default,
 * a scalar), `'sum'` or `'none'` (the per-sample tensor).
 */
import { Tensor } from '../tensor/tensor.js';
import { tensor } from '../tensor/creation.js';
import { noGrad } from '../autograd/tape.js';
import { convert, isFloat } from './op.js';
import {
  abs, add, cast, clipByValue, div, exp, lessEqual, log, log1p, maximum, mul, neg, square, sub,
  where,
} from './arithmetic.js';
import { logSoftmax } from './activations.js';
import { max, mean, sum } from './reduce.js';
import type { TensorInput } from './op.js';
import { checkOptions, describeValue } from '../tensor/options.js';

/** Keras' backend epsilon: probabilities are clipped to [EPSILON, 1 - EPSILON]. */
export const EPSILON = 1e-7;

export type KerasReduction = 'mean' | 'sum' | 'none';

export interface LossOptions {
  /** 'mean' (default): mean over samples; 'sum': their sum; 'none': the per-sample tensor */
  reduction?: KerasReduction;
}

export interface HuberOptions extends LossOptions {
  /** where the loss turns from quadratic to linear (default 1) */
  delta?: number;
}

export interface CrossentropyOptions extends LossOptions {
  /** yPred holds logits rather than probabilities (default false) */
  fromLogits?: boolean;
  /** squeeze targets toward uniform: y * (1 - s) + s / classes (0.5 for binary) (default 0) */
  labelSmoothing?: number;
}

export interface SparseCrossentropyOptions extends LossOptions {
  fromLogits?: boolean;
}

function reduce(op: string, perSample: Tensor, reduction: KerasReduction | undefined): Tensor {
  switch (reduction ?? 'mean') {
    case 'mean': return mean(perSample);
    case 'sum': return sum(perSample);
    case 'none': return perSample;
    default:
      throw new Error(`${op}: reduction must be 'mean', 'sum' or 'none', got ${JSON.stringify(reduction)}`);
  }
}

/**
 * The options argument, checked: a plain object with known keys only. A boolean stands for
 * `fromLogits` where the loss has it, as Keras' functional form takes it positionally
 * (`categorical_crossentropy(y_true, y_pred, from_logits)`). Anything else, or an argument
 * past the options, is an error naming it.
 */
function lossOptions<T extends object>(op: string, options: T | boolean | undefined, extra: readonly unknown[],
  known: readonly string[]): T {
  const takesLogits = known.includes('fromLogits');
  if (extra.length > 0) {
    throw new Error(`${op}: expected at most 3 arguments (yTrue, yPred, ${takesLogits ? 'options or fromLogits' : 'options'}), ` +
      `got ${3 + extra.length}; pass the rest in the options object { ${known.join(', ')} }`);
  }
  if (typeof options === 'boolean') {
    if (takesLogits) return { fromLogits: options } as T;
    throw new Error(`${op}: expected 'options' to be an options object { ${known.join(', ')} }, got boolean ${options}`);
  }
  if (options === undefined || options === null) return {} as T;
  if (typeof options !== 'object' || Array.isArray(options) || options instanceof Tensor) {
    throw new Error(`${op}: expected 'options' to be an options object { ${known.join(', ')} }` +
      `${takesLogits ? ' or a boolean fromLogits' : ''}, got ${describeValue(options)}`);
  }
  checkOptions(op, options, known);
  return options;
}

/** yTrue and yPred as float tensors of one dtype and the same shape. */
function pair(op: string, yTrue: TensorInput, yPred: TensorInput): [Tensor, Tensor] {
  let p = convert(yPred, op, 'yPred');
  if (!isFloat(p.dtype)) p = cast(p, 'float32');
  let t = convert(yTrue, op, 'yTrue', p.dtype);
  if (t.dtype !== p.dtype) t = cast(t, p.dtype);
  if (t.rank !== p.rank || t.shape.some((d, i) => d !== p.shape[i])) {
    throw new Error(`${op}: yTrue and yPred must have the same shape, got yTrue [${t.shape}] and yPred [${p.shape}]`);
  }
  return [t, p];
}

/** The last axis, or all of a scalar's none. */
function lastAxis(x: Tensor): number[] {
  return x.rank === 0 ? [] : [x.rank - 1];
}

function checkSmoothing(op: string, s: number): number {
  if (typeof s !== 'number' || !(s >= 0 && s <= 1)) {
    throw new Error(`${op}: labelSmoothing must be a number in [0, 1], got ${JSON.stringify(s)}`);
  }
  return s;
}

/** mean((yPred - yTrue)^2) over the last axis. */
export function meanSquaredError(yTrue: TensorInput, yPred: TensorInput, options: LossOptions = {},
  ...extra: unknown[]): Tensor {
  const op = 'meanSquaredError';
  const opts = lossOptions<LossOptions>(op, options, extra, ['reduction']);
  const [t, p] = pair(op, yTrue, yPred);
  return reduce(op, mean(square(sub(p, t)), lastAxis(p)), opts.reduction);
}

/**
 * mean(|yPred - yTrue|) over the last axis.
 *
 * @example
 * ```ts
 * st.losses.meanAbsoluteError(st.tensor2d([[1, 2]]), st.tensor2d([[2, 4]])).print(); // [1.5], one value per sample
 * ```
 */
export function meanAbsoluteError(yTrue: TensorInput, yPred: TensorInput, options: LossOptions = {},
  ...extra: unknown[]): Tensor {
  const op = 'meanAbsoluteError';
  const opts = lossOptions<LossOptions>(op, options, extra, ['reduction']);
  const [t, p] = pair(op, yTrue, yPred);
  return reduce(op, mean(abs(sub(p, t)), lastAxis(p)), opts.reduction);
}

/**
 * 0.5 e^2 where |e| <= delta, else delta |e| - 0.5 delta^2; mean over the last axis.
 *
 * @example
 * ```ts
 * st.losses.huber(st.tensor2d([[0, 0]]), st.tensor2d([[0.5, 3]])).print();
 * ```
 */
export function huber(yTrue: TensorInput, yPred: TensorInput, options: HuberOptions = {},
  ...extra: unknown[]): Tensor {
  const op = 'huber';
  const opts = lossOptions<HuberOptions>(op, options, extra, ['delta', 'reduction']);
  const delta = opts.delta ?? 1;
  if (typeof delta !== 'number' || !(delta > 0) || !Number.isFinite(delta)) {
    throw new Error(`${op}: delta must be a positive number, got ${JSON.stringify(delta)}`);
  }
  const [t, p] = pair(op, yTrue, yPred);
  const e = sub(p, t);
  const a = abs(e);
  const perElement = where(lessEqual(a, delta), mul(square(e), 0.5), sub(mul(a, delta), 0.5 * delta * delta));
  return reduce(op, mean(perElement, lastAxis(p)), opts.reduction);
}

/**
 * Binary cross-entropy, mean over the last axis. Probabilities are clipped to [1e-7, 1 - 1e-7];
 * logits use max(x, 0) - x z + log(1 + exp(-|x|)).
 *
 * @example
 * ```ts
 * st.losses.binaryCrossentropy(st.tensor2d([[1, 0]]), st.tensor2d([[0.9, 0.2]])).print();
 * ```
 */
export function binaryCrossentropy(yTrue: TensorInput, yPred: TensorInput, options: CrossentropyOptions | boolean = {},
  ...extra: unknown[]): Tensor {
  const op = 'binaryCrossentropy';
  const opts = lossOptions<CrossentropyOptions>(op, options, extra, ['fromLogits', 'labelSmoothing', 'reduction']);
  let [t, p] = pair(op, yTrue, yPred);
  const smoothing = checkSmoothing(op, opts.labelSmoothing ?? 0);
  if (smoothing > 0) t = add(mul(t, 1 - smoothing), 0.5 * smoothing);
  let perElement: Tensor;
  if (opts.fromLogits) {
    perElement = add(sub(maximum(p, 0), mul(p, t)), log1p(exp(neg(abs(p)))));
  } else {
    const q = clipByValue(p, EPSILON, 1 - EPSILON);
    perElement = neg(add(mul(t, log(q)), mul(sub(1, t), log(sub(1, q)))));
  }
  return reduce(op, mean(perElement, lastAxis(p)), opts.reduction);
}

/** -sum(yTrue * log(yPred)) over the last axis (classes). */
function crossentropyOfTargets(op: string, t: Tensor, p: Tensor, fromLogits: boolean | undefined): Tensor {
  if (p.rank === 0) throw new Error(`${op}: expected yPred of rank >= 1 [..., classes], got a scalar`);
  let logProb: Tensor;
  if (fromLogits) {
    logProb = logSoftmax(p, -1);
  } else {
    // Keras: renormalise each row, then clip
    const q = div(p, sum(p, -1, true));
    logProb = log(clipByValue(q, EPSILON, 1 - EPSILON));
  }
  return neg(sum(mul(t, logProb), -1));
}

/**
 * Cross-entropy of one-hot (or soft) targets, summed over the last axis (classes).
 *
 * @example
 * ```ts
 * st.losses.categoricalCrossentropy(st.tensor2d([[0, 1]]), st.tensor2d([[0.3, 0.7]])).print(); // -log(0.7)
 * ```
 */
export function categoricalCrossentropy(yTrue: TensorInput, yPred: TensorInput, options: CrossentropyOptions | boolean = {},
  ...extra: unknown[]): Tensor {
  const op = 'categoricalCrossentropy';
  const opts = lossOptions<CrossentropyOptions>(op, options, extra, ['fromLogits', 'labelSmoothing', 'reduction']);
  let [t, p] = pair(op, yTrue, yPred);
  const smoothing = checkSmoothing(op, opts.labelSmoothing ?? 0);
  if (smoothing > 0 && p.rank > 0) {
    t = add(mul(t, 1 - smoothing), smoothing / p.shape[p.rank - 1]);
  }
  return reduce(op, crossentropyOfTargets(op, t, p, opts.fromLogits), opts.reduction);
}

/**
 * Cross-entropy with integer class labels: yTrue [...batch] (or [...batch, 1]) against yPred
 * [...batch, classes]. Labels outside [0, classes) are an error naming the label.
 *
 * @example
 * ```ts
 * st.losses.sparseCategoricalCrossentropy(st.tensor1d([1]), st.tensor2d([[0.3, 0.7]])).print();
 * ```
 */
export function sparseCategoricalCrossentropy(yTrue: TensorInput, yPred: TensorInput, options: SparseCrossentropyOptions | boolean = {},
  ...extra: unknown[]): Tensor {
  const op = 'sparseCategoricalCrossentropy';
  const opts = lossOptions<SparseCrossentropyOptions>(op, options, extra, ['fromLogits', 'reduction']);
  let p = convert(yPred, op, 'yPred');
  if (!isFloat(p.dtype)) p = cast(p, 'float32');
  const labels = convert(yTrue, op, 'yTrue', 'int32');
  if (p.rank === 0) throw new Error(`${op}: expected yPred of shape [batch, classes], got a scalar`);
  const lead = p.shape.slice(0, -1);
  const classes = p.shape[p.rank - 1];
  const sameLead = (s: readonly number[]) => s.length === lead.length && s.every((d, i) => d === lead[i]);
  const withOne = labels.rank === p.rank && labels.shape[labels.rank - 1] === 1 && sameLead(labels.shape.slice(0, -1));
  if (!sameLead(labels.shape) && !withOne) {
    throw new Error(`${op}: expected yTrue of shape [${lead}] (integer labels) for yPred [${p.shape}], ` +
      `got [${labels.shape}]`);
  }
  const values = noGrad(() => labels.dataSync());
  const oneHot = new Float64Array(values.length * classes);
  for (let i = 0; i < values.length; i++) {
    const label = values[i];
    if (!Number.isInteger(label) || label < 0 || label >= classes) {
      throw new Error(`${op}: label ${label} (at index ${i}) is out of range for ${classes} classes ` +
        `(expected an integer in [0, ${classes - 1}])`);
    }
    oneHot[i * classes + label] = 1;
  }
  const t = tensor(oneHot, p.shape, p.dtype);
  return reduce(op, crossentropyOfTargets(op, t, p, opts.fromLogits), opts.reduction);
}

/** Labels that are all 0 or 1 become -1 or 1, as Keras does for the hinge losses. */
function hingeLabels(t: Tensor): Tensor {
  const values = noGrad(() => t.dataSync());
  const binary = values.every((v) => v === 0 || v === 1);
  return binary ? sub(mul(t, 2), 1) : t;
}

/**
 * mean(max(1 - yTrue * yPred, 0)) over the last axis; 0/1 labels are taken as -1/1.
 *
 * @example
 * ```ts
 * st.losses.hinge(st.tensor2d([[1, -1]]), st.tensor2d([[0.5, -2]])).print();
 * ```
 */
export function hinge(yTrue: TensorInput, yPred: TensorInput, options: LossOptions = {},
  ...extra: unknown[]): Tensor {
  const op = 'hinge';
  const opts = lossOptions<LossOptions>(op, options, extra, ['reduction']);
  const [t, p] = pair(op, yTrue, yPred);
  return reduce(op, mean(maximum(sub(1, mul(hingeLabels(t), p)), 0), lastAxis(p)), opts.reduction);
}

/**
 * mean(max(1 - yTrue * yPred, 0)^2) over the last axis; 0/1 labels are taken as -1/1.
 *
 * @example
 * ```ts
 * st.losses.squaredHinge(st.tensor2d([[1, -1]]), st.tensor2d([[0.5, -2]])).print();
 * ```
 */
export function squaredHinge(yTrue: TensorInput, yPred: TensorInput, options: LossOptions = {},
  ...extra: unknown[]): Tensor {
  const op = 'squaredHinge';
  const opts = lossOptions<LossOptions>(op, options, extra, ['reduction']);
  const [t, p] = pair(op, yTrue, yPred);
  return reduce(op, mean(square(maximum(sub(1, mul(hingeLabels(t), p)), 0)), lastAxis(p)), opts.reduction);
}

/**
 * max(0, max((1 - yTrue) * yPred) - sum(yTrue * yPred) + 1) over the last axis (one-hot targets).
 *
 * @example
 * ```ts
 * st.losses.categoricalHinge(st.tensor2d([[0, 1]]), st.tensor2d([[0.4, 0.6]])).print();
 * ```
 */
export function categoricalHinge(yTrue: TensorInput, yPred: TensorInput, options: LossOptions = {},
  ...extra: unknown[]): Tensor {
  const op = 'categoricalHinge';
  const opts = lossOptions<LossOptions>(op, options, extra, ['reduction']);
  const [t, p] = pair(op, yTrue, yPred);
  const axis = lastAxis(p);
  const pos = sum(mul(t, p), axis);
  const negative = max(mul(sub(1, t), p), axis);
  return reduce(op, maximum(add(sub(negative, pos), 1), 0), opts.reduction);
}

/**
 * sum(yTrue * log(yTrue / yPred)) over the last axis, both clipped to [1e-7, 1].
 *
 * @example
 * ```ts
 * st.losses.kullbackLeiblerDivergence(st.tensor2d([[0.5, 0.5]]), st.tensor2d([[0.9, 0.1]])).print();
 * ```
 */
export function kullbackLeiblerDivergence(yTrue: TensorInput, yPred: TensorInput, options: LossOptions = {},
  ...extra: unknown[]): Tensor {
  const op = 'kullbackLeiblerDivergence';
  const opts = lossOptions<LossOptions>(op, options, extra, ['reduction']);
  const [t, p] = pair(op, yTrue, yPred);
  const tc = clipByValue(t, EPSILON, 1);
  const pc = clipByValue(p, EPSILON, 1);
  return reduce(op, sum(mul(tc, log(div(tc, pc))), lastAxis(p)), opts.reduction);
}

