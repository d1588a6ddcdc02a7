/**
 * Element-wise unary math: `unary` (a backend unary kernel with its gradient rule) and the ops
 * built on it: neg, abs, sign, sqrt ... erf, floor, ceil, round, isNaN, isFinite, isInf,
 * logicalNot, with their Tensor methods. Split from arithmetic.ts, which re-exports all of them.
 */
import type { DType, UnaryOp } from '../backend/types.js';
import type { Tensor } from '../tensor/tensor.js';
import { chainable, convert, isFloat, runOp, wrap, type TensorInput } from './op.js';
import { complexAbs, isComplex } from './complex.js';
import { add, cast, div, mul, sub } from './arithmetic.js';

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


declare module '../tensor/tensor.js' {
  interface Tensor {
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
  }
}

chainable({
  logicalNot, neg, abs, sign, sqrt, rsqrt, square, reciprocal, exp, expm1, log, log1p, sin, cos, tan, asin, acos,
  atan, sinh, cosh, tanh, sigmoid, erf, floor, ceil, round, isNaN, isFinite, isInf,
});
