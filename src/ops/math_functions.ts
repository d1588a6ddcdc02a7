/**
 * Further math ops of TensorFlow.js: acosh asinh atanh, logSigmoid, divNoNan, step (with
 * alpha), bitwiseAnd, norm and euclideanNorm, movingAverage. Each gradient sits beside its op.
 */
import { arraysEqual, broadcastShapes } from '../backend/shape_util.js';
import { Tensor } from '../tensor/tensor.js';
import { zerosLike } from '../tensor/creation.js';
import { checkArgType } from '../tensor/options.js';
import { chainable, convert, isFloat, normalizeAxis, runOp, upcast, wrap, type TensorInput } from './op.js';
import {
  abs, add, cast, div, equal, floorDiv, greater, isNaN, mul, neg, pow, sqrt, square, sub, unary, unbroadcast, where,
} from './arithmetic.js';
import { softplus } from './activations.js';
import { max, min, sum } from './reduce.js';
import { reshape } from './transform.js';

// ---- inverse hyperbolic functions ----

/**
 * Inverse hyperbolic cosine (defined for x >= 1); d/dx = 1 / sqrt(x² - 1).
 *
 * @example
 * ```ts
 * st.acosh(st.tensor1d([1, 2])).print(); // [0, 1.317]
 * ```
 */
export const acosh = (x: TensorInput): Tensor =>
  unary('acosh', x, (dy, v) => div(dy, sqrt(sub(square(v), 1))), { floatOnly: true });

/**
 * Inverse hyperbolic sine; d/dx = 1 / sqrt(x² + 1).
 *
 * @example
 * ```ts
 * st.asinh(st.tensor1d([0, 1])).print(); // [0, 0.881]
 * ```
 */
export const asinh = (x: TensorInput): Tensor =>
  unary('asinh', x, (dy, v) => div(dy, sqrt(add(square(v), 1))), { floatOnly: true });

/**
 * Inverse hyperbolic tangent (defined for |x| < 1); d/dx = 1 / (1 - x²).
 *
 * @example
 * ```ts
 * st.atanh(st.tensor1d([0, 0.5])).print(); // [0, 0.549]
 * ```
 */
export const atanh = (x: TensorInput): Tensor =>
  unary('atanh', x, (dy, v) => div(dy, sub(1, square(v))), { floatOnly: true });

/**
 * log(sigmoid(x)), computed as -softplus(-x) so that large |x| neither overflows nor rounds to log(0).
 *
 * @example
 * ```ts
 * st.logSigmoid(st.tensor1d([0])).print(); // -log 2
 * ```
 */
export function logSigmoid(x: TensorInput): Tensor {
  const t = convert(x, 'logSigmoid', 'x');
  return neg(softplus(neg(isFloat(t.dtype) ? t : cast(t, 'float32'))));
}

/**
 * a / b, but 0 where b is 0 (even for a = 0 or b = 0 with a = ±inf). Broadcasts. The gradient
 * is 0 wherever b is 0, as in TensorFlow (TensorFlow.js, which composes the op, gives NaN there).
 *
 * @example
 * ```ts
 * st.divNoNan(st.tensor1d([1, 2]), st.tensor1d([0, 4])).print(); // [0, 0.5]
 * ```
 */
export function divNoNan(a: TensorInput, b: TensorInput): Tensor {
  const op = 'divNoNan';
  let ta = convert(a, op, 'a', b instanceof Tensor ? b.dtype : undefined);
  let tb = convert(b, op, 'b', ta.dtype);
  const dtype = upcast(ta.dtype, tb.dtype);
  if (ta.dtype !== dtype) ta = cast(ta, dtype);
  if (tb.dtype !== dtype) tb = cast(tb, dtype);
  const shape = broadcastShapes(ta.shape, tb.shape);
  if (shape === null) throw new Error(`${op}: shapes [${ta.shape}] and [${tb.shape}] cannot be broadcast together`);
  return runOp(op, [ta, tb], (_be, [x, y]) => {
    // integers divide with floor, as TensorFlow.js' div does for int32
    const q = isFloat(dtype) ? div(x, y) : floorDiv(x, y);
    return where(equal(y, 0), zerosLike(q), q);
  }, isFloat(dtype)
    ? (dy, [x, y]) => [
      unbroadcast(divNoNan(dy, y), x.shape),
      unbroadcast(divNoNan(neg(mul(dy, x)), square(y)), y.shape),
    ]
    : undefined);
}

/**
 * 1 where x > 0, else `alpha` (default 0); NaN stays NaN. Its gradient is 0 everywhere, as TensorFlow.js.
 *
 * @example
 * ```ts
 * st.step(st.tensor1d([-1, 0, 2])).print(); // [0, 0, 1]
 * ```
 */
export function step(x: TensorInput, alpha = 0): Tensor {
  const op = 'step';
  checkArgType(op, 'alpha', alpha, 'number');
  const t = convert(x, op, 'x');
  return runOp(op, [t], (_be, [v]) => {
    const s = unary('step', v);
    if (alpha === 0) return s;
    const stepped = where(greater(v, 0), s, convert(alpha, op, 'alpha', v.dtype));
    return isFloat(v.dtype) ? where(isNaN(v), v, stepped) : stepped;
  }, isFloat(t.dtype) ? (dy) => [zerosLike(dy)] : undefined);
}

/**
 * The bitwise AND of two int32 tensors of one shape.
 *
 * @example
 * ```ts
 * st.bitwiseAnd(st.tensor1d([6, 5], 'int32'), st.tensor1d([3, 4], 'int32')).print(); // [2, 4]
 * ```
 */
export function bitwiseAnd(x: TensorInput, y: TensorInput): Tensor {
  const op = 'bitwiseAnd';
  const tx = convert(x, op, 'x', 'int32');
  const ty = convert(y, op, 'y', 'int32');
  if (!arraysEqual(tx.shape, ty.shape)) {
    throw new Error(`${op}: expected 'x' and 'y' of one shape, got [${tx.shape}] and [${ty.shape}]`);
  }
  if (tx.dtype !== 'int32' || ty.dtype !== 'int32') {
    throw new Error(`${op}: expected int32 tensors, got ${tx.dtype} and ${ty.dtype}`);
  }
  return runOp(op, [tx, ty], (be, [a, b]) => wrap(be, be.binary('bitwiseAnd', a, b, a.shape, 'int32'), a.shape, 'int32'));
}

// ---- norms ----

export type NormOrder = number | 'euclidean' | 'fro';

function vectorNorm(op: string, x: Tensor, ord: NormOrder, axis: number): Tensor {
  if (ord === 'euclidean' || ord === 2) return sqrt(sum(square(x), axis));
  if (ord === 1) return sum(abs(x), axis);
  if (ord === Infinity) return max(abs(x), axis);
  if (ord === -Infinity) return min(abs(x), axis);
  if (typeof ord === 'number' && ord > 0 && Number.isFinite(ord)) {
    // the general p-norm (TensorFlow.js stops at 1, 2 and ±Infinity)
    return pow(sum(pow(abs(x), ord), axis), 1 / ord);
  }
  throw new Error(`${op}: expected ord 'euclidean', 1, 2, Infinity, -Infinity or a number > 0 for a vector norm, ` +
    `got ${JSON.stringify(ord)}`);
}

function matrixNorm(op: string, x: Tensor, ord: NormOrder, rows: number, cols: number): Tensor {
  // NumPy's definitions: 1 = largest column sum, Infinity = largest row sum (of |x|)
  const after = (a: number, removed: number): number => (a > removed ? a - 1 : a);
  if (ord === 'euclidean' || ord === 'fro') return sqrt(sum(square(x), [rows, cols]));
  if (ord === 1) return max(sum(abs(x), rows), after(cols, rows));
  if (ord === -1) return min(sum(abs(x), rows), after(cols, rows));
  if (ord === Infinity) return max(sum(abs(x), cols), after(rows, cols));
  if (ord === -Infinity) return min(sum(abs(x), cols), after(rows, cols));
  throw new Error(`${op}: expected ord 'euclidean', 'fro', 1, -1, Infinity or -Infinity for a matrix norm, ` +
    `got ${JSON.stringify(ord)}`);
}

/**
 * Vector and matrix norms. `axis` null (the default) treats x as one vector; a number (or one
 * axis in an array) gives vector norms along it; two axes give matrix norms over them.
 *
 * @example
 * ```ts
 * st.norm(st.tensor1d([3, 4])).print();    // 5
 * st.norm(st.tensor1d([3, -4]), 1).print(); // 7
 * ```
 */
export function norm(x: TensorInput, ord: NormOrder = 'euclidean', axis: number | readonly number[] | null = null,
  keepDims = false): Tensor {
  const op = 'norm';
  let t = convert(x, op, 'x');
  if (!isFloat(t.dtype)) t = cast(t, 'float32');
  checkArgType(op, 'keepDims', keepDims, 'boolean');
  const axes = axis === null || axis === undefined ? null
    : (typeof axis === 'number' ? [axis] : [...axis]).map((a) => normalizeAxis(op, a, t.rank));
  if (axes !== null && (axes.length < 1 || axes.length > 2 || new Set(axes).size !== axes.length)) {
    throw new Error(`${op}: expected 'axis' to be null, one axis or two different axes, got ${JSON.stringify(axis)}`);
  }
  let result: Tensor;
  if (t.rank === 0) result = abs(t);
  else if (axes === null) result = vectorNorm(op, reshape(t, [-1]), ord, 0);
  else if (axes.length === 1) result = vectorNorm(op, t, ord, axes[0]);
  else result = matrixNorm(op, t, ord, axes[0], axes[1]);
  if (!keepDims) return result;
  const reduced = axes ?? t.shape.map((_, i) => i);
  return reshape(result, t.shape.map((d, i) => (reduced.includes(i) ? 1 : d)));
}

/**
 * The Euclidean norm: norm(x, 'euclidean', axis, keepDims).
 *
 * @example
 * ```ts
 * st.euclideanNorm(st.tensor2d([[3, 4], [6, 8]]), 1).print(); // [5, 10]
 * ```
 */
export function euclideanNorm(x: TensorInput, axis: number | readonly number[] | null = null, keepDims = false): Tensor {
  return norm(x, 'euclidean', axis, keepDims);
}

// ---- moving average ----

/**
 * One step of an exponential moving average: v + (x - v) (1 - decay), divided by
 * 1 - decay^step when `zeroDebias` (the default), which then needs `step`.
 *
 * @example
 * ```ts
 * const avg = st.movingAverage(st.tensor1d([0, 0]), st.tensor1d([1, 2]), 0.9, undefined, false);
 * avg.print(); // v - (1 - decay)(v - x) = [0.1, 0.2]
 * ```
 */
export function movingAverage(v: TensorInput, x: TensorInput, decay: number | Tensor, step?: number | Tensor,
  zeroDebias = true): Tensor {
  const op = 'movingAverage';
  const tv = convert(v, op, 'v');
  const tx = convert(x, op, 'x', tv.dtype);
  if (tv.dtype !== tx.dtype) throw new Error(`${op}: 'v' and 'x' must have one dtype, got ${tv.dtype} and ${tx.dtype}`);
  if (!arraysEqual(tv.shape, tx.shape)) throw new Error(`${op}: 'v' [${tv.shape}] and 'x' [${tx.shape}] must have one shape`);
  checkArgType(op, 'zeroDebias', zeroDebias, 'boolean');
  const d = convert(decay, op, 'decay', tv.dtype);
  let update = mul(sub(tx, tv), sub(1, d));
  if (zeroDebias) {
    if (step === undefined || step === null) throw new Error(`${op}: 'step' is required when zeroDebias is true`);
    update = div(update, sub(1, pow(d, convert(step, op, 'step', d.dtype))));
  }
  return add(tv, update);
}

declare module '../tensor/tensor.js' {
  interface Tensor {
    acosh(): Tensor;
    asinh(): Tensor;
    atanh(): Tensor;
    logSigmoid(): Tensor;
    divNoNan(b: TensorInput): Tensor;
    step(alpha?: number): Tensor;
    norm(ord?: NormOrder, axis?: number | readonly number[] | null, keepDims?: boolean): Tensor;
    euclideanNorm(axis?: number | readonly number[] | null, keepDims?: boolean): Tensor;
  }
}

chainable({ acosh, asinh, atanh, logSigmoid, divNoNan, step, norm, euclideanNorm });
