/**
 * Element-wise binary arithmetic with NumPy broadcasting (add ... atan2), comparisons, logical
 * and/or/xor, clipByValue, where, cast, and the gradient's unbroadcast. The unary math functions
 * (neg, exp, sin, ...) are in unary_math.ts, re-exported here as before.
 */
import type { BinaryOp, DType } from '../backend/types.js';
import { arraysEqual, broadcastShapes } from '../backend/shape_util.js';
import { Tensor } from '../tensor/tensor.js';
import { chainable, convert, isFloat, runOp, upcast, wrap, type TensorInput } from './op.js';
import { sum } from './reduce.js';
import { reshape } from './transform.js';
import { compareStrings, moveStrings } from './string_tensors.js';
import { castTensor, complexBinary, complexCast, isComplex } from './complex.js';
import { floor, log, neg, square } from './unary_math.js';

// the unary math functions, split into unary_math.ts; exported from here as before
export {
  unary, neg, abs, sign, sqrt, rsqrt, square, reciprocal, exp, expm1, log, log1p, sin, cos, tan, asin, acos, atan,
  sinh, cosh, tanh, sigmoid, erf, floor, ceil, round, isNaN, isFinite, isInf, logicalNot,
} from './unary_math.js';

/**
 * Sums a broadcast gradient back down to `shape`.
 *
 * @example
 * ```ts
 * const g = st.ones([2, 3]); // a gradient for a value broadcast from [3]
 * st.unbroadcast(g, [3]).print(); // [2, 2, 2]
 * ```
 */
export function unbroadcast(g: Tensor, shape: readonly number[]): Tensor {
  if (arraysEqual(g.shape, shape)) return g;
  const lead = g.rank - shape.length;
  const axes: number[] = [];
  for (let i = 0; i < g.rank; i++) {
    if (i < lead || shape[i - lead] === 1) axes.push(i);
  }
  return reshape(sum(g, axes), shape);
}

/** Both operands as tensors of one dtype, plus their broadcast shape. */
function operands(op: string, a: TensorInput, b: TensorInput): [Tensor, Tensor, number[]] {
  const ta = convert(a, op, 'a', b instanceof Tensor ? b.dtype : undefined);
  const tb = convert(b, op, 'b', ta.dtype);
  const shape = broadcastShapes(ta.shape, tb.shape);
  if (shape === null) {
    throw new Error(`${op}: shapes [${ta.shape}] and [${tb.shape}] cannot be broadcast together`);
  }
  let dtype: DType;
  try {
    dtype = upcast(ta.dtype, tb.dtype);
  } catch (e) {
    throw new Error(`${op}: ${(e as Error).message}`);
  }
  return [ta.dtype === dtype ? ta : cast(ta, dtype), tb.dtype === dtype ? tb : cast(tb, dtype), shape];
}

function binary(
  name: BinaryOp, a: TensorInput, b: TensorInput,
  grad?: (dy: Tensor, a: Tensor, b: Tensor, y: Tensor) => [Tensor | null, Tensor | null],
  outDtype?: DType,
): Tensor {
  if (isComplex(a) || isComplex(b)) return complexBinary(name, a, b);
  const [ta, tb, shape] = operands(name, a, b);
  // only comparisons get here with strings (convert refuses them elsewhere)
  if (ta.dtype === 'string') return compareStrings(ta, tb, (ia, ib) => binary(name, ia, ib, undefined, 'bool'));
  const dtype = outDtype ?? ta.dtype;
  return runOp(name, [ta, tb], (be, [x, y]) => wrap(be, be.binary(name, x, y, shape, dtype), shape, dtype),
    grad && isFloat(dtype)
      ? (dy, [x, y], out) => {
        const [ga, gb] = grad(dy, x, y, out);
        return [ga && unbroadcast(ga, x.shape), gb && unbroadcast(gb, y.shape)];
      }
      : undefined);
}

/**
 * @example
 * ```ts
 * st.add(st.tensor1d([1, 2, 3]), st.tensor1d([10, 20, 30])).print();
 * st.add(st.tensor2d([[1, 2], [3, 4]]), 1).print(); // numbers broadcast
 * ```
 */
export function add(a: TensorInput, b: TensorInput): Tensor {
  return binary('add', a, b, (dy) => [dy, dy]);
}

/**
 * @example
 * ```ts
 * st.sub(st.tensor1d([10, 20]), st.tensor1d([1, 2])).print(); // [9, 18]
 * ```
 */
export function sub(a: TensorInput, b: TensorInput): Tensor {
  return binary('sub', a, b, (dy) => [dy, neg(dy)]);
}

/**
 * @example
 * ```ts
 * st.mul(st.tensor1d([1, 2, 3]), 2).print(); // [2, 4, 6]
 * ```
 */
export function mul(a: TensorInput, b: TensorInput): Tensor {
  return binary('mul', a, b, (dy, x, y) => [mul(dy, y), mul(dy, x)]);
}

/**
 * @example
 * ```ts
 * st.div(st.tensor1d([1, 4, 9]), st.tensor1d([1, 2, 3])).print(); // [1, 2, 3]
 * ```
 */
export function div(a: TensorInput, b: TensorInput): Tensor {
  return binary('div', a, b, (dy, x, y) => [div(dy, y), neg(div(mul(dy, x), square(y)))]);
}

/**
 * a^b. d/da = b a^(b-1); d/db = a^b log a (0 where a <= 0, where the log is undefined).
 *
 * @example
 * ```ts
 * st.pow(st.tensor1d([2, 3]), 2).print(); // [4, 9]
 * ```
 */
export function pow(a: TensorInput, b: TensorInput): Tensor {
  return binary('pow', a, b, (dy, x, y, out) => {
    const ga = mul(dy, mul(y, pow(x, sub(y, 1))));
    const safeLog = where(greater(x, 0), log(x), 0);
    const gb = mul(dy, mul(out, safeLog));
    return [ga, gb];
  });
}

/**
 * Gradient goes to `a` where a <= b (ties to a), else to b.
 *
 * @example
 * ```ts
 * st.minimum(st.tensor1d([1, 5, 3]), st.tensor1d([4, 2, 6])).print(); // [1, 2, 3]
 * ```
 */
export function minimum(a: TensorInput, b: TensorInput): Tensor {
  return binary('minimum', a, b, (dy, x, y) => {
    const toA = lessEqual(x, y);
    return [where(toA, dy, 0), where(toA, 0, dy)];
  });
}

/**
 * Gradient goes to `a` where a >= b (ties to a), else to b.
 *
 * @example
 * ```ts
 * st.maximum(st.tensor1d([1, 5, 3]), 2).print(); // [2, 5, 3]
 * ```
 */
export function maximum(a: TensorInput, b: TensorInput): Tensor {
  return binary('maximum', a, b, (dy, x, y) => {
    const toA = greaterEqual(x, y);
    return [where(toA, dy, 0), where(toA, 0, dy)];
  });
}

/**
 * (a - b)^2
 *
 * @example
 * ```ts
 * st.squaredDifference(st.tensor1d([1, 4]), st.tensor1d([3, 1])).print(); // [4, 9]
 * ```
 */
export function squaredDifference(a: TensorInput, b: TensorInput): Tensor {
  return binary('squaredDifference', a, b, (dy, x, y) => {
    const g = mul(dy, mul(sub(x, y), 2));
    return [g, neg(g)];
  });
}

/**
 * Floor modulo: the result takes the divisor's sign.
 *
 * @example
 * ```ts
 * st.mod(st.tensor1d([5, -5]), 3).print(); // [2, 1]: the sign of the divisor
 * ```
 */
export function mod(a: TensorInput, b: TensorInput): Tensor {
  return binary('mod', a, b, (dy, x, y) => [dy, mul(dy, neg(floor(div(x, y))))]);
}

/**
 * @example
 * ```ts
 * st.floorDiv(st.tensor1d([7, -7]), 2).print(); // [3, -4]
 * ```
 */
export function floorDiv(a: TensorInput, b: TensorInput): Tensor {
  return binary('floorDiv', a, b);
}

/**
 * @example
 * ```ts
 * st.atan2(st.tensor1d([1, 1]), st.tensor1d([1, -1])).print(); // [π/4, 3π/4]
 * ```
 */
export function atan2(a: TensorInput, b: TensorInput): Tensor {
  return binary('atan2', a, b, (dy, y, x) => {
    const d = add(square(x), square(y));
    return [mul(dy, div(x, d)), mul(dy, div(neg(y), d))];
  });
}

/**
 * @example
 * ```ts
 * st.equal(st.tensor1d([1, 2, 3]), st.tensor1d([1, 0, 3])).print(); // [true, false, true]
 * ```
 */
export const equal = (a: TensorInput, b: TensorInput): Tensor => binary('equal', a, b, undefined, 'bool');
/**
 * @example
 * ```ts
 * st.notEqual(st.tensor1d([1, 2]), 2).print(); // [true, false]
 * ```
 */
export const notEqual = (a: TensorInput, b: TensorInput): Tensor => binary('notEqual', a, b, undefined, 'bool');
/**
 * @example
 * ```ts
 * st.less(st.tensor1d([1, 2, 3]), 2).print(); // [true, false, false]
 * ```
 */
export const less = (a: TensorInput, b: TensorInput): Tensor => binary('less', a, b, undefined, 'bool');
/**
 * @example
 * ```ts
 * st.lessEqual(st.tensor1d([1, 2, 3]), 2).print(); // [true, true, false]
 * ```
 */
export const lessEqual = (a: TensorInput, b: TensorInput): Tensor => binary('lessEqual', a, b, undefined, 'bool');
/**
 * @example
 * ```ts
 * st.greater(st.tensor1d([1, 2, 3]), 2).print(); // [false, false, true]
 * ```
 */
export const greater = (a: TensorInput, b: TensorInput): Tensor => binary('greater', a, b, undefined, 'bool');
/**
 * @example
 * ```ts
 * st.greaterEqual(st.tensor1d([1, 2, 3]), 2).print(); // [false, true, true]
 * ```
 */
export const greaterEqual = (a: TensorInput, b: TensorInput): Tensor => binary('greaterEqual', a, b, undefined, 'bool');

function logical(name: 'logicalAnd' | 'logicalOr' | 'logicalXor', a: TensorInput, b: TensorInput): Tensor {
  const ta = convert(a, name, 'a', 'bool');
  const tb = convert(b, name, 'b', 'bool');
  if (ta.dtype !== 'bool' || tb.dtype !== 'bool') {
    throw new Error(`${name}: expected bool tensors, got ${ta.dtype} and ${tb.dtype}`);
  }
  return binary(name, ta, tb, undefined, 'bool');
}
/**
 * @example
 * ```ts
 * st.logicalAnd(st.tensor1d([1, 1, 0], 'bool'), st.tensor1d([1, 0, 0], 'bool')).print(); // [true, false, false]
 * ```
 */
export const logicalAnd = (a: TensorInput, b: TensorInput): Tensor => logical('logicalAnd', a, b);
/**
 * @example
 * ```ts
 * st.logicalOr(st.tensor1d([1, 1, 0], 'bool'), st.tensor1d([1, 0, 0], 'bool')).print(); // [true, true, false]
 * ```
 */
export const logicalOr = (a: TensorInput, b: TensorInput): Tensor => logical('logicalOr', a, b);
/**
 * @example
 * ```ts
 * st.logicalXor(st.tensor1d([1, 1, 0], 'bool'), st.tensor1d([1, 0, 0], 'bool')).print(); // [false, true, false]
 * ```
 */
export const logicalXor = (a: TensorInput, b: TensorInput): Tensor => logical('logicalXor', a, b);

/**
 * Limits values to [min, max]; the gradient flows only where x is inside.
 *
 * @example
 * ```ts
 * st.clipByValue(st.tensor1d([-2, 0.5, 3]), 0, 1).print(); // [0, 0.5, 1]
 * ```
 */
export function clipByValue(x: TensorInput, clipMin: number, clipMax: number): Tensor {
  const op = 'clipByValue';
  if (typeof clipMin !== 'number' || typeof clipMax !== 'number' || !(clipMin <= clipMax)) {
    throw new Error(`${op}: expected numbers with min <= max, got min ${clipMin} and max ${clipMax}`);
  }
  const t = convert(x, op, 'x');
  return runOp(op, [t], (be, [v]) => {
    const lo = convert(clipMin, op, 'clipValueMin', v.dtype);
    const hi = convert(clipMax, op, 'clipValueMax', v.dtype);
    const mid = wrap(be, be.binary('maximum', v, lo, v.shape, v.dtype), v.shape, v.dtype);
    return wrap(be, be.binary('minimum', mid, hi, v.shape, v.dtype), v.shape, v.dtype);
  }, isFloat(t.dtype)
    ? (dy, [v]) => [where(logicalAnd(greaterEqual(v, clipMin), lessEqual(v, clipMax)), dy, 0)]
    : undefined);
}

/**
 * cond ? a : b, element-wise, all three broadcast together.
 *
 * @example
 * ```ts
 * const cond = st.tensor1d([1, 0, 1], 'bool');
 * st.where(cond, st.tensor1d([1, 2, 3]), st.tensor1d([10, 20, 30])).print(); // [1, 20, 3]
 * ```
 */
export function where(condition: TensorInput, a: TensorInput, b: TensorInput): Tensor {
  const op = 'where';
  const c = convert(condition, op, 'condition', 'bool');
  if (c.dtype !== 'bool') throw new Error(`${op}: condition must be a bool tensor, got ${c.dtype}`);
  const [ta, tb, abShape] = operands(op, a, b);
  const shape = broadcastShapes(c.shape, abShape);
  if (shape === null) {
    throw new Error(`${op}: condition [${c.shape}] cannot be broadcast with [${ta.shape}] and [${tb.shape}]`);
  }
  if (ta.dtype === 'string') return moveStrings([ta, tb], ([pa, pb]) => where(c, pa, pb));
  return runOp(op, [c, ta, tb], (be, [cv, x, y]) => wrap(be, be.where(cv, x, y, shape), shape, x.dtype),
    isFloat(ta.dtype)
      ? (dy, [cv, x, y]) => [null, unbroadcast(where(cv, dy, 0), x.shape), unbroadcast(where(cv, 0, dy), y.shape)]
      : undefined);
}

/**
 * Converts to `dtype`; float to int truncates toward zero, anything nonzero to bool is true.
 *
 * @example
 * ```ts
 * st.cast(st.tensor1d([1.7, -1.7]), 'int32').print(); // [1, -1]
 * ```
 */
export function cast(x: TensorInput, dtype: DType): Tensor {
  const op = 'cast';
  const t = convert(x, op, 'x');
  if (isComplex(t) && dtype !== 'complex64' && dtype !== 'complex128') {
    // ops cast their inputs with this one: a complex input must fail there, not lose its imaginary parts
    // (st.cast and x.cast / x.toFloat, as users call them, are castTensor in complex.ts, which takes the real part)
    throw new Error(`casting ${t.dtype} to ${dtype} would drop the imaginary parts: this op does not support ${t.dtype} ` +
      'tensors (take real(x), imag(x) or abs(x) first)');
  }
  if (isComplex(t) || dtype === 'complex64' || dtype === 'complex128') return complexCast(t, dtype);
  if (!['float32', 'float64', 'int32', 'bool'].includes(dtype)) {
    throw new Error(`${op}: unknown dtype ${JSON.stringify(dtype)} (expected float32, float64, int32, bool or complex64)`);
  }
  return runOp(op, [t], (be, [v]) => wrap(be, be.cast(v, dtype), v.shape, dtype),
    isFloat(t.dtype) && isFloat(dtype) ? (dy, [v]) => [cast(dy, v.dtype)] : undefined);
}

declare module '../tensor/tensor.js' {
  interface Tensor {
    add(b: TensorInput): Tensor;
    sub(b: TensorInput): Tensor;
    mul(b: TensorInput): Tensor;
    div(b: TensorInput): Tensor;
    pow(b: TensorInput): Tensor;
    minimum(b: TensorInput): Tensor;
    maximum(b: TensorInput): Tensor;
    squaredDifference(b: TensorInput): Tensor;
    mod(b: TensorInput): Tensor;
    floorDiv(b: TensorInput): Tensor;
    equal(b: TensorInput): Tensor;
    notEqual(b: TensorInput): Tensor;
    less(b: TensorInput): Tensor;
    lessEqual(b: TensorInput): Tensor;
    greater(b: TensorInput): Tensor;
    greaterEqual(b: TensorInput): Tensor;
    logicalAnd(b: TensorInput): Tensor;
    logicalOr(b: TensorInput): Tensor;
    logicalXor(b: TensorInput): Tensor;
    clipByValue(min: number, max: number): Tensor;
    where(condition: TensorInput, b: TensorInput): Tensor;
    cast(dtype: DType): Tensor;
  }
}

chainable({
  add, sub, mul, div, pow, minimum, maximum, squaredDifference, mod, floorDiv,
  equal, notEqual, less, lessEqual, greater, greaterEqual, logicalAnd, logicalOr, logicalXor,
  clipByValue, cast: castTensor,
  // TensorFlow.js: x.where(cond, other) keeps x where cond holds
  where: (x: Tensor, condition: TensorInput, b: TensorInput) => where(condition, x, b),
});
