/** Reductions over any axes, with keepDims: sum mean max min prod argMax argMin logSumExp moments any all. */
import type { ReduceOp } from '../backend/types.js';
import { Tensor } from '../tensor/tensor.js';
import { noGrad } from '../autograd/tape.js';
import { chainable, convert, isFloat, normalizeAxes, normalizeAxis, runOp, wrap, type TensorInput } from './op.js';
import { add, cast, div, equal, exp, isFinite, log, mul, sub, where, square } from './arithmetic.js';
import { broadcastTo, reshape } from './transform.js';

export type Axis = number | readonly number[] | null;

/** The shape with reduced axes kept as size 1. */
function keptShape(shape: readonly number[], axes: readonly number[]): number[] {
  return shape.map((d, i) => (axes.includes(i) ? 1 : d));
}

/** dy of a reduction, put back to x's shape (broadcast over the reduced axes). */
function expandGrad(dy: Tensor, x: Tensor, axes: readonly number[]): Tensor {
  return broadcastTo(reshape(dy, keptShape(x.shape, axes)), x.shape);
}

function reduction(
  op: ReduceOp, name: string, x: TensorInput, axis: Axis | undefined, keepDims: boolean,
  grad?: (dy: Tensor, x: Tensor, y: Tensor, axes: number[]) => Tensor,
): Tensor {
  const t = convert(x, name, 'x');
  const axes = normalizeAxes(name, axis, t.rank);
  const outDtype = (op === 'any' || op === 'all') ? 'bool' : (t.dtype === 'bool' ? 'int32' : t.dtype);
  const outShape = keepDims ? keptShape(t.shape, axes) : t.shape.filter((_, i) => !axes.includes(i));
  return runOp(name, [t], (be, [v]) => wrap(be, be.reduce(op, v, axes, outDtype), outShape, outDtype),
    grad && isFloat(t.dtype) ? (dy, [v], y) => [grad(dy, v, y, axes)] : undefined);
}

/**
 * @example
 * ```ts
 * const x = st.tensor2d([[1, 2], [3, 4]]);
 * st.sum(x).print();    // 10
 * st.sum(x, 0).print(); // [4, 6]
 * ```
 */
export function sum(x: TensorInput, axis?: Axis, keepDims = false): Tensor {
  return reduction('sum', 'sum', x, axis, keepDims, (dy, v, _y, axes) => expandGrad(dy, v, axes));
}

/**
 * @example
 * ```ts
 * st.mean(st.tensor2d([[1, 2], [3, 4]]), 1).print(); // [1.5, 3.5]
 * ```
 */
export function mean(x: TensorInput, axis?: Axis, keepDims = false): Tensor {
  const t = convert(x, 'mean', 'x');
  const axes = normalizeAxes('mean', axis, t.rank);
  const count = axes.reduce((n, a) => n * t.shape[a], 1);
  const total = sum(isFloat(t.dtype) ? t : cast(t, 'float32'), axes, keepDims);
  return div(total, count);
}

/** The gradient of max/min: dy shared equally by the elements that attain the extreme. */
function extremeGrad(dy: Tensor, x: Tensor, y: Tensor, axes: number[]): Tensor {
  // the reduced tensors keep size-1 axes and broadcast in the binary ops: no copy of x's size
  // is made of them (a global max pool's gradient made three)
  const kept = keptShape(x.shape, axes);
  const hit = cast(equal(x, reshape(y, kept)), x.dtype);
  return mul(reshape(dy, kept), div(hit, reshape(sum(hit, axes), kept)));
}

/**
 * @example
 * ```ts
 * st.max(st.tensor2d([[1, 5], [3, 4]]), 1).print(); // [5, 4]
 * ```
 */
export function max(x: TensorInput, axis?: Axis, keepDims = false): Tensor {
  return reduction('max', 'max', x, axis, keepDims, extremeGrad);
}

/**
 * @example
 * ```ts
 * st.min(st.tensor2d([[1, 5], [3, 4]]), 1).print(); // [1, 3]
 * ```
 */
export function min(x: TensorInput, axis?: Axis, keepDims = false): Tensor {
  return reduction('min', 'min', x, axis, keepDims, extremeGrad);
}

/**
 * Product. Its gradient is prod/x_i, computed without dividing by zero: for a zero element it is
 * the product of the others (nonzero only when that element is the single zero).
 *
 * @example
 * ```ts
 * st.prod(st.tensor1d([1, 2, 3, 4])).print(); // 24
 * ```
 */
export function prod(x: TensorInput, axis?: Axis, keepDims = false): Tensor {
  return reduction('prod', 'prod', x, axis, keepDims, (dy, v, _y, axes) => {
    const isZero = equal(v, 0);
    const nonZero = where(isZero, 1, v);
    const prodNonZero = expandGrad(reductionNoGrad('prod', nonZero, axes), v, axes);
    const zeros = expandGrad(reductionNoGrad('sum', cast(isZero, v.dtype), axes), v, axes);
    const whenNoZero = div(prodNonZero, nonZero);
    const forTheZero = where(equal(zeros, 1), prodNonZero, 0);
    const g = where(equal(zeros, 0), whenNoZero, where(isZero, forTheZero, 0));
    return mul(expandGrad(dy, v, axes), g);
  });
}

function reductionNoGrad(op: ReduceOp, x: Tensor, axes: number[]): Tensor {
  return reduction(op, op, x, axes, false);
}

/**
 * @example
 * ```ts
 * st.any(st.tensor1d([0, 1, 0], 'bool')).print(); // true
 * ```
 */
export function any(x: TensorInput, axis?: Axis, keepDims = false): Tensor {
  return reduction('any', 'any', x, axis, keepDims);
}

/**
 * @example
 * ```ts
 * st.all(st.tensor1d([1, 1, 0], 'bool')).print(); // false
 * ```
 */
export function all(x: TensorInput, axis?: Axis, keepDims = false): Tensor {
  return reduction('all', 'all', x, axis, keepDims);
}

function argReduce(name: 'argMax' | 'argMin', x: TensorInput, axis: number): Tensor {
  const t = convert(x, name, 'x');
  if (t.rank === 0) throw new Error(`${name}: expected a tensor of rank >= 1, got a scalar`);
  const a = normalizeAxis(name, axis, t.rank);
  if (t.shape[a] === 0) throw new Error(`${name}: axis ${a} is empty in shape [${t.shape}]`);
  const outShape = t.shape.filter((_, i) => i !== a);
  return runOp(name, [t], (be, [v]) => wrap(be, be.argReduce(name, v, a), outShape, 'int32'));
}

/**
 * Index of the largest value along `axis` (default 0, as TensorFlow.js); first one on ties.
 *
 * @example
 * ```ts
 * st.argMax(st.tensor2d([[1, 9, 3], [7, 2, 8]]), 1).print(); // [1, 2]
 * ```
 */
export function argMax(x: TensorInput, axis = 0): Tensor {
  return argReduce('argMax', x, axis);
}

/**
 * @example
 * ```ts
 * st.argMin(st.tensor1d([4, 1, 3])).print(); // 1
 * ```
 */
export function argMin(x: TensorInput, axis = 0): Tensor {
  return argReduce('argMin', x, axis);
}

/**
 * log(sum(exp(x))) computed stably: max + log(sum(exp(x - max))).
 *
 * @example
 * ```ts
 * st.logSumExp(st.tensor1d([0, 0])).print(); // log 2
 * ```
 */
export function logSumExp(x: TensorInput, axis?: Axis, keepDims = false): Tensor {
  const t = convert(x, 'logSumExp', 'x');
  const axes = normalizeAxes('logSumExp', axis, t.rank);
  // the shift is a constant for differentiation: its gradient cancels exactly
  const shift = noGrad(() => {
    const m = max(t, axes, true);
    return where(isFinite(m), m, 0);
  });
  const lse = add(log(sum(exp(sub(t, shift)), axes, true)), shift);
  return keepDims ? lse : reshape(lse, t.shape.filter((_, i) => !axes.includes(i)));
}

/**
 * Mean and (biased) variance over `axis`.
 *
 * @example
 * ```ts
 * const { mean, variance } = st.moments(st.tensor1d([1, 2, 3, 4]));
 * mean.print();     // 2.5
 * variance.print(); // 1.25
 * ```
 */
export function moments(x: TensorInput, axis?: Axis, keepDims = false): { mean: Tensor; variance: Tensor } {
  const t = convert(x, 'moments', 'x');
  const axes = normalizeAxes('moments', axis, t.rank);
  const m = mean(t, axes, true);
  const variance = mean(square(sub(t, m)), axes, keepDims);
  return { mean: keepDims ? m : reshape(m, t.shape.filter((_, i) => !axes.includes(i))), variance };
}

declare module '../tensor/tensor.js' {
  interface Tensor {
    sum(axis?: Axis, keepDims?: boolean): Tensor;
    mean(axis?: Axis, keepDims?: boolean): Tensor;
    max(axis?: Axis, keepDims?: boolean): Tensor;
    min(axis?: Axis, keepDims?: boolean): Tensor;
    prod(axis?: Axis, keepDims?: boolean): Tensor;
    any(axis?: Axis, keepDims?: boolean): Tensor;
    all(axis?: Axis, keepDims?: boolean): Tensor;
    argMax(axis?: number): Tensor;
    argMin(axis?: number): Tensor;
    logSumExp(axis?: Axis, keepDims?: boolean): Tensor;
  }
}

chainable({ sum, mean, max, min, prod, any, all, argMax, argMin, logSumExp });
