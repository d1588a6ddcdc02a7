/** Element-wise arithmetic with NumPy broadcasting, math functions, comparisons, where, cast. */
import type { BinaryOp, DType, UnaryOp } from '../backend/types.js';
import { arraysEqual, broadcastShapes } from '../backend/shape_util.js';
import { Tensor } from '../tensor/tensor.js';
import { chainable, convert, isFloat, runOp, upcast, wrap, type TensorInput } from './op.js';
import { sum } from './reduce.js';
import { reshape } from './transform.js';
import { castTensor, complexAbs, complexBinary, complexCast, isComplex } from './complex.js';

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
  const dtype = upcast(ta.dtype, tb.dtype);
  return [ta.dtype === dtype ? ta : cast(ta, dtype), tb.dtype === dtype ? tb : cast(tb, dtype), shape];
}

function binary(
  name: BinaryOp, a: TensorInput, b: TensorInput,
  grad?: (dy: Tensor, a: Tensor, b: Tensor, y: Tensor) => [Tensor | null, Tensor | null],
  outDtype?: DType,
): Tensor {
  if (isComplex(a) || isComplex(b)) return complexBinary(name, a, b);
  const [ta, tb, shape] = operands(name, a, b);
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
 * A unary op over the backend kernel `kernel`. `grad(dy, x, y)` gives dx; omitted for
 * piecewise-constant functions (their gradient is zero almost everywhere: none flows).
 *
 * @example
 * ```ts
 * // the building block of the element-wise ops: kernel name, input, gradient rule
 * const y = st.unary('square', st.tensor1d([1, 2]), (dy, x) => st.mul(dy, st.mul(x, 2)));
 * y.print(); // [1, 4]
 * ```
 */
export function unary(
  kernel: UnaryOp, x: TensorInput, grad?: (dy: Tensor, x: Tensor, y: Tensor) => Tensor,
  options: { name?: string; floatOnly?: boolean; outDtype?: DType } = {},
): Tensor {
  const name = options.name ?? kernel;
  let t = convert(x, name, 'x');
  // before any cast to float, which would keep only the real parts
  if (isComplex(t)) throw new Error(`${name} does not support ${t.dtype} tensors`);
  if (options.floatOnly && !isFloat(t.dtype)) t = cast(t, 'float32');
  const dtype = options.outDtype ?? t.dtype;
  return runOp(name, [t], (be, [v]) => wrap(be, be.unary(kernel, v, dtype), v.shape, dtype),
    grad && isFloat(dtype) ? (dy, [v], y) => [grad(dy, v, y)] : undefined);
}

/**
 * @example
 * ```ts
 * st.neg(st.tensor1d([1, -2])).print(); // [-1, 2]
 * ```
 */
export const neg = (x: TensorInput): Tensor => unary('neg', x, (dy) => neg(dy));
/**
 * Gradient sign(x) (0 at 0, as TensorFlow).
 *
 * @example
 * ```ts
 * st.abs(st.tensor1d([-1, 2, -3])).print(); // [1, 2, 3]
 * ```
 */
export const abs = (x: TensorInput): Tensor =>
  (isComplex(x) ? complexAbs(x as Tensor) : unary('abs', x, (dy, v) => mul(dy, sign(v))));
/**
 * @example
 * ```ts
 * st.sign(st.tensor1d([-2, 0, 3])).print(); // [-1, 0, 1]
 * ```
 */
export const sign = (x: TensorInput): Tensor => unary('sign', x);
/**
 * @example
 * ```ts
 * st.sqrt(st.tensor1d([4, 9])).print(); // [2, 3]
 * ```
 */
export const sqrt = (x: TensorInput): Tensor => unary('sqrt', x, (dy, _v, y) => div(dy, mul(y, 2)), { floatOnly: true });
/**
 * @example
 * ```ts
 * st.rsqrt(st.tensor1d([4, 16])).print(); // [0.5, 0.25]
 * ```
 */
export const rsqrt = (x: TensorInput): Tensor =>
  unary('rsqrt', x, (dy, v, y) => mul(dy, mul(div(y, v), -0.5)), { floatOnly: true });
/**
 * @example
 * ```ts
 * st.square(st.tensor1d([2, -3])).print(); // [4, 9]
 * ```
 */
export const square = (x: TensorInput): Tensor => unary('square', x, (dy, v) => mul(dy, mul(v, 2)));
/**
 * @example
 * ```ts
 * st.reciprocal(st.tensor1d([2, 4])).print(); // [0.5, 0.25]
 * ```
 */
export const reciprocal = (x: TensorInput): Tensor =>
  unary('reciprocal', x, (dy, _v, y) => neg(mul(dy, square(y))), { floatOnly: true });
/**
 * @example
 * ```ts
 * st.exp(st.tensor1d([0, 1])).print(); // [1, 2.718...]
 * ```
 */
export const exp = (x: TensorInput): Tensor => unary('exp', x, (dy, _v, y) => mul(dy, y), { floatOnly: true });
/**
 * @example
 * ```ts
 * st.expm1(st.tensor1d([0, 1e-5])).print(); // [0, 0.00001]
 * ```
 */
export const expm1 = (x: TensorInput): Tensor => unary('expm1', x, (dy, _v, y) => mul(dy, add(y, 1)), { floatOnly: true });
/**
 * @example
 * ```ts
 * st.log(st.tensor1d([1, Math.E])).print(); // [0, 1]
 * ```
 */
export const log = (x: TensorInput): Tensor => unary('log', x, (dy, v) => div(dy, v), { floatOnly: true });
/**
 * @example
 * ```ts
 * st.log1p(st.tensor1d([0, 1e-5])).print(); // [0, 0.00001]
 * ```
 */
export const log1p = (x: TensorInput): Tensor => unary('log1p', x, (dy, v) => div(dy, add(v, 1)), { floatOnly: true });
/**
 * @example
 * ```ts
 * st.sin(st.tensor1d([0, Math.PI / 2])).print(); // [0, 1]
 * ```
 */
export const sin = (x: TensorInput): Tensor => unary('sin', x, (dy, v) => mul(dy, cos(v)), { floatOnly: true });
/**
 * @example
 * ```ts
 * st.cos(st.tensor1d([0, Math.PI])).print(); // [1, -1]
 * ```
 */
export const cos = (x: TensorInput): Tensor => unary('cos', x, (dy, v) => neg(mul(dy, sin(v))), { floatOnly: true });
/**
 * @example
 * ```ts
 * st.tan(st.tensor1d([0, Math.PI / 4])).print(); // [0, 1]
 * ```
 */
export const tan = (x: TensorInput): Tensor =>
  unary('tan', x, (dy, _v, y) => mul(dy, add(square(y), 1)), { floatOnly: true });
/**
 * @example
 * ```ts
 * st.asin(st.tensor1d([0, 1])).print(); // [0, π/2]
 * ```
 */
export const asin = (x: TensorInput): Tensor =>
  unary('asin', x, (dy, v) => div(dy, sqrt(sub(1, square(v)))), { floatOnly: true });
/**
 * @example
 * ```ts
 * st.acos(st.tensor1d([1, 0])).print(); // [0, π/2]
 * ```
 */
export const acos = (x: TensorInput): Tensor =>
  unary('acos', x, (dy, v) => neg(div(dy, sqrt(sub(1, square(v))))), { floatOnly: true });
/**
 * @example
 * ```ts
 * st.atan(st.tensor1d([0, 1])).print(); // [0, π/4]
 * ```
 */
export const atan = (x: TensorInput): Tensor =>
  unary('atan', x, (dy, v) => div(dy, add(square(v), 1)), { floatOnly: true });
/**
 * @example
 * ```ts
 * st.sinh(st.tensor1d([0, 1])).print();
 * ```
 */
export const sinh = (x: TensorInput): Tensor => unary('sinh', x, (dy, v) => mul(dy, cosh(v)), { floatOnly: true });
/**
 * @example
 * ```ts
 * st.cosh(st.tensor1d([0, 1])).print();
 * ```
 */
export const cosh = (x: TensorInput): Tensor => unary('cosh', x, (dy, v) => mul(dy, sinh(v)), { floatOnly: true });
/**
 * @example
 * ```ts
 * st.tanh(st.tensor1d([-1, 0, 1])).print();
 * ```
 */
export const tanh = (x: TensorInput): Tensor =>
  unary('tanh', x, (dy, _v, y) => mul(dy, sub(1, square(y))), { floatOnly: true });
/**
 * @example
 * ```ts
 * st.sigmoid(st.tensor1d([-2, 0, 2])).print(); // [0.119, 0.5, 0.881]
 * ```
 */
export const sigmoid = (x: TensorInput): Tensor =>
  unary('sigmoid', x, (dy, _v, y) => mul(dy, mul(y, sub(1, y))), { floatOnly: true });
/**
 * d/dx erf(x) = 2/sqrt(pi) exp(-x^2)
 *
 * @example
 * ```ts
 * st.erf(st.tensor1d([0, 1])).print(); // [0, 0.8427]
 * ```
 */
export const erf = (x: TensorInput): Tensor =>
  unary('erf', x, (dy, v) => mul(dy, mul(exp(neg(square(v))), 2 / Math.sqrt(Math.PI))), { floatOnly: true });
/**
 * @example
 * ```ts
 * st.floor(st.tensor1d([1.7, -1.2])).print(); // [1, -2]
 * ```
 */
export const floor = (x: TensorInput): Tensor => unary('floor', x);
/**
 * @example
 * ```ts
 * st.ceil(st.tensor1d([1.2, -1.7])).print(); // [2, -1]
 * ```
 */
export const ceil = (x: TensorInput): Tensor => unary('ceil', x);
/**
 * @example
 * ```ts
 * st.round(st.tensor1d([0.5, 1.5, 2.4])).print(); // [0, 2, 2]: halves go to even
 * ```
 */
export const round = (x: TensorInput): Tensor => unary('round', x);
/**
 * @example
 * ```ts
 * st.isNaN(st.tensor1d([1, NaN])).print(); // [false, true]
 * ```
 */
export const isNaN = (x: TensorInput): Tensor => unary('isNaN', x, undefined, { outDtype: 'bool' });
/**
 * @example
 * ```ts
 * st.isFinite(st.tensor1d([1, Infinity, NaN])).print(); // [true, false, false]
 * ```
 */
export const isFinite = (x: TensorInput): Tensor => unary('isFinite', x, undefined, { outDtype: 'bool' });
/**
 * @example
 * ```ts
 * st.isInf(st.tensor1d([1, -Infinity])).print(); // [false, true]
 * ```
 */
export const isInf = (x: TensorInput): Tensor => unary('isInf', x, undefined, { outDtype: 'bool' });
/**
 * @example
 * ```ts
 * st.logicalNot(st.tensor1d([1, 0], 'bool')).print(); // [false, true]
 * ```
 */
export const logicalNot = (x: TensorInput): Tensor => {
  const t = convert(x, 'logicalNot', 'x', 'bool');
  if (t.dtype !== 'bool') throw new Error(`logicalNot: expected a bool tensor, got ${t.dtype}`);
  return unary('logicalNot', t, undefined, { outDtype: 'bool' });
};

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
    logicalNot(): Tensor;
    neg(): Tensor;
    abs(): Tensor;
    sign(): Tensor;
    sqrt(): Tensor;
    rsqrt(): Tensor;
    square(): Tensor;
    reciprocal(): Tensor;
    exp(): Tensor;
    expm1(): Tensor;
    log(): Tensor;
    log1p(): Tensor;
    sin(): Tensor;
    cos(): Tensor;
    tan(): Tensor;
    asin(): Tensor;
    acos(): Tensor;
    atan(): Tensor;
    sinh(): Tensor;
    cosh(): Tensor;
    tanh(): Tensor;
    sigmoid(): Tensor;
    erf(): Tensor;
    floor(): Tensor;
    ceil(): Tensor;
    round(): Tensor;
    isNaN(): Tensor;
    isFinite(): Tensor;
    isInf(): Tensor;
    clipByValue(min: number, max: number): Tensor;
    where(condition: TensorInput, b: TensorInput): Tensor;
    cast(dtype: DType): Tensor;
  }
}

chainable({
  add, sub, mul, div, pow, minimum, maximum, squaredDifference, mod, floorDiv,
  equal, notEqual, less, lessEqual, greater, greaterEqual, logicalAnd, logicalOr, logicalXor, logicalNot,
  neg, abs, sign, sqrt, rsqrt, square, reciprocal, exp, expm1, log, log1p, sin, cos, tan, asin, acos, atan,
  sinh, cosh, tanh, sigmoid, erf, floor, ceil, round, isNaN, isFinite, isInf, clipByValue, cast: castTensor,
  // TensorFlow.js: x.where(cond, other) keeps x where cond holds
  where: (x: Tensor, condition: TensorInput, b: TensorInput) => where(condition, x, b),
});
