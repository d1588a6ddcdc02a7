/**
 * Activations: relu relu6 leakyRelu prelu elu selu gelu softplus softsign softmax logSoftmax.
 * (sigmoid and tanh live in arithmetic.ts.) Each has an exact backward rule; kinks take the
 * subgradient TensorFlow takes (0 at relu's 0).
 */
import { Tensor } from '../tensor/tensor.js';
import { noGrad } from '../autograd/tape.js';
import { chainable, convert, isFloat, normalizeAxis, runOp, wrap, type TensorInput } from './op.js';
import {
  abs, add, cast, div, erf, exp, greater, isFinite, less, log, logicalAnd, mul, sigmoid, square, sub, tanh, unary,
  where,
} from './arithmetic.js';
import { max, sum } from './reduce.js';
import { reluGradient } from './relu_grad.js';

const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;

function asFloat(op: string, x: TensorInput, arg = 'x'): Tensor {
  const t = convert(x, op, arg);
  return isFloat(t.dtype) ? t : cast(t, 'float32');
}

/**
 * max(x, 0); gradient 1 where x > 0, 0 elsewhere (including at 0).
 *
 * @example
 * ```ts
 * st.relu(st.tensor1d([-1, 0, 2])).print(); // [0, 0, 2]
 * ```
 */
// (resnet speed area) the gradient from the output in one backend pass (relu(x) > 0 exactly where
// x > 0), instead of a step mask and a product: 3x less memory traffic in every conv net's backward
export const relu = (x: TensorInput): Tensor => unary('relu', x, (dy, _v, y) => reluGradient(dy, y));

/**
 * min(max(x, 0), 6); gradient 1 strictly inside (0, 6).
 *
 * @example
 * ```ts
 * st.relu6(st.tensor1d([-1, 3, 8])).print(); // [0, 3, 6]
 * ```
 */
export const relu6 = (x: TensorInput): Tensor =>
  unary('relu6', x, (dy, v) => where(logicalAnd(greater(v, 0), less(v, 6)), dy, 0));

/**
 * x > 0 ? x : alpha * x (alpha 0.2, as TensorFlow.js).
 *
 * @example
 * ```ts
 * st.leakyRelu(st.tensor1d([-1, 2]), 0.1).print(); // [-0.1, 2]
 * ```
 */
export function leakyRelu(x: TensorInput, alpha = 0.2): Tensor {
  const op = 'leakyRelu';
  if (typeof alpha !== 'number' || !Number.isFinite(alpha)) {
    throw new Error(`${op}: alpha must be a finite number, got ${JSON.stringify(alpha)}`);
  }
  const t = asFloat(op, x);
  return where(greater(t, 0), t, mul(t, alpha));
}

/**
 * x > 0 ? x : alpha * x with a learnable `alpha` that broadcasts against x.
 *
 * @example
 * ```ts
 * st.prelu(st.tensor1d([-1, 2]), st.scalar(0.25)).print(); // [-0.25, 2]
 * ```
 */
export function prelu(x: TensorInput, alpha: TensorInput): Tensor {
  const op = 'prelu';
  const t = asFloat(op, x);
  const a = convert(alpha, op, 'alpha', t.dtype);
  const scaled = mul(t, a);
  if (scaled.shape.length !== t.shape.length || scaled.shape.some((d, i) => d !== t.shape[i])) {
    throw new Error(`${op}: alpha [${a.shape}] must broadcast to x [${t.shape}] without growing it`);
  }
  return where(greater(t, 0), t, scaled);
}

/** x > 0 ? x : exp(x) - 1 (the backend kernel); gradient 1 or exp(x) = y + 1. */
const eluUnit = (x: TensorInput): Tensor =>
  unary('elu', x, (dy, v, y) => mul(dy, where(greater(v, 0), 1, add(y, 1))), { floatOnly: true });

/**
 * x > 0 ? x : alpha * (exp(x) - 1). TensorFlow.js' tf.elu has alpha 1 only; Keras' elu (and
 * the ELU layer) take alpha, so it is an optional extra argument here.
 *
 * @example
 * ```ts
 * st.elu(st.tensor1d([-1, 2])).print(); // [e⁻¹ - 1, 2]
 * ```
 */
export function elu(x: TensorInput, alpha = 1): Tensor {
  if (typeof alpha !== 'number' || !Number.isFinite(alpha)) {
    throw new Error(`elu: alpha must be a finite number, got ${JSON.stringify(alpha)}`);
  }
  if (alpha === 1) return eluUnit(x);
  const t = asFloat('elu', x);
  // the kernel's value on the negative side scaled; on the positive side it is x, so where()'s
  // unused branch has a finite gradient (expm1 of a large x would overflow to inf * 0)
  return where(greater(t, 0), t, mul(eluUnit(t), alpha));
}

/**
 * scale * (x > 0 ? x : alpha * (exp(x) - 1)) with the self-normalising constants.
 *
 * @example
 * ```ts
 * st.selu(st.tensor1d([-1, 1])).print();
 * ```
 */
export const selu = (x: TensorInput): Tensor =>
  unary('selu', x, (dy, v, y) => mul(dy, where(greater(v, 0), SELU_SCALE, add(y, SELU_SCALE * SELU_ALPHA))),
    { floatOnly: true });

/**
 * log(1 + exp(x)), computed without overflow; gradient sigmoid(x).
 *
 * @example
 * ```ts
 * st.softplus(st.tensor1d([0])).print(); // log 2
 * ```
 */
export const softplus = (x: TensorInput): Tensor =>
  unary('softplus', x, (dy, v) => mul(dy, sigmoid(v)), { floatOnly: true });

/**
 * x / (1 + |x|); gradient 1 / (1 + |x|)^2.
 *
 * @example
 * ```ts
 * st.softsign(st.tensor1d([-1, 3])).print(); // [-0.5, 0.75]
 * ```
 */
export const softsign = (x: TensorInput): Tensor =>
  unary('softsign', x, (dy, v) => div(dy, square(add(abs(v), 1))), { floatOnly: true });

/**
 * Gaussian error linear unit. Exact: 0.5 x (1 + erf(x / sqrt 2)); approximate: the tanh form
 * 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))).
 *
 * @example
 * ```ts
 * st.gelu(st.tensor1d([-1, 0, 1])).print();
 * ```
 */
export function gelu(x: TensorInput, approximate = false): Tensor {
  const t = asFloat('gelu', x);
  if (approximate) {
    const inner = mul(add(t, mul(mul(square(t), t), 0.044715)), Math.sqrt(2 / Math.PI));
    return mul(mul(t, 0.5), add(tanh(inner), 1));
  }
  return mul(mul(t, 0.5), add(erf(mul(t, Math.SQRT1_2)), 1));
}

/** The max along `axis` (kept), with non-finite maxima replaced by 0: a constant shift. */
function stableShift(t: Tensor, axis: number): Tensor {
  return noGrad(() => {
    const m = max(t, axis, true);
    return where(isFinite(m), m, 0);
  });
}

/**
 * exp(x) / sum(exp(x)) along `dim` (default the last axis), shifted by the max so huge logits stay finite.
 *
 * @example
 * ```ts
 * st.softmax(st.tensor1d([1, 2, 3])).print(); // sums to 1
 * ```
 */
export function softmax(logits: TensorInput, dim = -1): Tensor {
  const op = 'softmax';
  const t = asFloat(op, logits, 'logits');
  if (t.rank === 0) throw new Error(`${op}: expected logits of rank >= 1, got a scalar`);
  const axis = normalizeAxis(op, dim, t.rank, 'dim');
  return runOp(op, [t], (be, [v]) => {
    if (axis === v.rank - 1 && v.dtype === 'float32' && be.softmax && v.backend === be) {
      // one pass per row in the backend instead of six ops, each a tensor and a trip over x
      const rows = v.size / Math.max(v.shape[axis], 1);
      const out = be.softmax({ dataId: v.dataId, shape: [rows, v.shape[axis]], dtype: 'float32' });
      if (out !== null) return wrap(be, out, v.shape, 'float32');
    }
    const e = exp(sub(v, stableShift(v, axis)));
    return div(e, sum(e, axis, true));
  }, (dy, _inputs, y) => [mul(y, sub(dy, sum(mul(dy, y), axis, true)))]);
}

/**
 * x - logSumExp(x) along `axis` (default the last axis), stable for huge logits.
 *
 * @example
 * ```ts
 * st.logSoftmax(st.tensor1d([1, 2, 3])).print();
 * ```
 */
export function logSoftmax(logits: TensorInput, axis = -1): Tensor {
  const op = 'logSoftmax';
  const t = asFloat(op, logits, 'logits');
  if (t.rank === 0) throw new Error(`${op}: expected logits of rank >= 1, got a scalar`);
  const a = normalizeAxis(op, axis, t.rank);
  return runOp(op, [t], (_be, [v]) => {
    const shifted = sub(v, stableShift(v, a));
    return sub(shifted, log(sum(exp(shifted), a, true)));
  }, (dy, _inputs, y) => [sub(dy, mul(exp(y), sum(dy, a, true)))]);
}

declare module '../tensor/tensor.js' {
  interface Tensor {
    relu(): Tensor;
    relu6(): Tensor;
    leakyRelu(alpha?: number): Tensor;
    prelu(alpha: TensorInput): Tensor;
    elu(alpha?: number): Tensor;
    selu(): Tensor;
    gelu(approximate?: boolean): Tensor;
    softplus(): Tensor;
    softsign(): Tensor;
    softmax(dim?: number): Tensor;
    logSoftmax(axis?: number): Tensor;
  }
}

chainable({ relu, relu6, leakyRelu, prelu, elu, selu, gelu, softplus, softsign, softmax, logSoftmax });
