/** Shape ops that keep every value: reshape, transpose, expandDims, squeeze, flatten, clone, broadcastTo. */
import { arraysEqual, sizeFromShape } from '../backend/shape_util.js';
import { Tensor } from '../tensor/tensor.js';
import { shareStorage } from '../tensor/engine.js';
import { chainable, convert, isFloat, normalizeAxis, runOp, wrap, type TensorInput } from './op.js';
import { neg, unbroadcast } from './arithmetic.js';
import { complex, imag, isComplex, real } from './complex.js';

function resolveShape(op: string, x: Tensor, shape: readonly number[]): number[] {
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= -1)) {
    throw new Error(`${op}: shape must be an array of non-negative integers (one may be -1), got ${JSON.stringify(shape)}`);
  }
  const unknown = shape.filter((d) => d === -1).length;
  if (unknown > 1) throw new Error(`${op}: only one dimension may be -1, got [${shape}]`);
  const known = sizeFromShape(shape.filter((d) => d !== -1));
  if (unknown === 1) {
    if (known === 0 || x.size % known !== 0) {
      throw new Error(`${op}: cannot reshape [${x.shape}] (${x.size} values) into [${shape}]`);
    }
    return shape.map((d) => (d === -1 ? x.size / known : d));
  }
  if (known !== x.size) {
    throw new Error(`${op}: cannot reshape [${x.shape}] (${x.size} values) into [${shape}] (${known} values)`);
  }
  return [...shape];
}

/**
 * A new shape over the same values (no copy); one dimension may be -1.
 *
 * @example
 * ```ts
 * st.reshape(st.range(0, 6), [2, 3]).print();
 * ```
 */
export function reshape(x: TensorInput, shape: readonly number[]): Tensor {
  const op = 'reshape';
  const t = convert(x, op, 'x');
  const newShape = resolveShape(op, t, shape);
  return runOp(op, [t], (_be, [v]) => shareStorage(v, newShape),
    isFloat(t.dtype) || isComplex(t) ? (dy, [v]) => [reshape(dy, v.shape)] : undefined);
}

/**
 * To rank 1, or to [batch, rest] with `flatten(x, 1)`... TensorFlow.js flattens fully.
 *
 * @example
 * ```ts
 * st.flatten(st.tensor2d([[1, 2], [3, 4]])).print(); // [1, 2, 3, 4]
 * ```
 */
export function flatten(x: TensorInput): Tensor {
  return reshape(x, [-1]);
}

/**
 * Inserts a size-1 axis at `axis` (negative counts from the end).
 *
 * @example
 * ```ts
 * console.log(st.expandDims(st.tensor1d([1, 2]), 1).shape); // [2, 1]
 * ```
 */
export function expandDims(x: TensorInput, axis = 0): Tensor {
  const op = 'expandDims';
  const t = convert(x, op, 'x');
  const a = normalizeAxis(op, axis, t.rank + 1);
  const shape = [...t.shape];
  shape.splice(a, 0, 1);
  return reshape(t, shape);
}

/**
 * Removes size-1 axes (all of them, or those in `axis`, which must have size 1).
 *
 * @example
 * ```ts
 * console.log(st.squeeze(st.zeros([1, 3, 1])).shape); // [3]
 * ```
 */
export function squeeze(x: TensorInput, axis?: number | readonly number[]): Tensor {
  const op = 'squeeze';
  const t = convert(x, op, 'x');
  let drop: number[];
  if (axis === undefined) {
    drop = t.shape.map((d, i) => (d === 1 ? i : -1)).filter((i) => i >= 0);
  } else {
    drop = (typeof axis === 'number' ? [axis] : [...axis]).map((a) => normalizeAxis(op, a, t.rank));
    for (const a of drop) {
      if (t.shape[a] !== 1) throw new Error(`${op}: axis ${a} has size ${t.shape[a]}, only size-1 axes can be squeezed (shape [${t.shape}])`);
    }
  }
  return reshape(t, t.shape.filter((_, i) => !drop.includes(i)));
}

/**
 * Permutes axes; by default reverses them (the matrix transpose for rank 2).
 *
 * @example
 * ```ts
 * st.transpose(st.tensor2d([[1, 2, 3], [4, 5, 6]])).print(); // shape [3, 2]
 * ```
 */
export function transpose(x: TensorInput, perm?: readonly number[], conjugate = false): Tensor {
  const op = 'transpose';
  const t = convert(x, op, 'x');
  if (typeof conjugate !== 'boolean') throw new Error(`${op}: conjugate must be a boolean, got ${typeof conjugate}`);
  if (isComplex(t)) {
    // each part moves alike (complex area); conjugate negates the imaginary parts
    const im = transpose(imag(t), perm);
    return complex(transpose(real(t), perm), conjugate ? neg(im) : im);
  }
  const p = perm === undefined ? t.shape.map((_, i) => t.rank - 1 - i) : [...perm];
  const sorted = [...p].sort((a, b) => a - b);
  if (p.length !== t.rank || !sorted.every((v, i) => v === i)) {
    throw new Error(`${op}: perm must be a permutation of 0..${t.rank - 1} for shape [${t.shape}], got ${JSON.stringify(perm)}`);
  }
  if (p.every((v, i) => v === i)) return t;
  const inverse = new Array<number>(p.length);
  p.forEach((v, i) => (inverse[v] = i));
  return runOp(op, [t], (be, [v]) => wrap(be, be.transpose(v, p), p.map((a) => v.shape[a]), v.dtype),
    isFloat(t.dtype) ? (dy) => [transpose(dy, inverse)] : undefined);
}

/**
 * A copy with its own storage.
 *
 * @example
 * ```ts
 * const a = st.tensor1d([1, 2]);
 * st.clone(a).print();
 * ```
 */
export function clone(x: TensorInput): Tensor {
  const op = 'clone';
  const t = convert(x, op, 'x');
  return runOp(op, [t], (be, [v]) => wrap(be, be.cast(v, v.dtype), v.shape, v.dtype),
    isFloat(t.dtype) || isComplex(t) ? (dy) => [dy] : undefined);
}

/**
 * Repeats `x` along size-1 (or missing leading) axes to reach `shape`, as NumPy broadcasting does.
 *
 * @example
 * ```ts
 * st.broadcastTo(st.tensor1d([1, 2]), [3, 2]).print();
 * ```
 */
export function broadcastTo(x: TensorInput, shape: readonly number[]): Tensor {
  const op = 'broadcastTo';
  const t = convert(x, op, 'x');
  const lead = shape.length - t.rank;
  const padded = [...new Array<number>(Math.max(lead, 0)).fill(1), ...t.shape];
  if (lead < 0 || padded.some((d, i) => d !== shape[i] && d !== 1)) {
    throw new Error(`${op}: cannot broadcast [${t.shape}] to [${shape}]`);
  }
  if (arraysEqual(t.shape, shape)) return t;
  const reps = padded.map((d, i) => (d === shape[i] ? 1 : shape[i]));
  const r = reshape(t, padded);
  return runOp(op, [r], (be, [v]) => wrap(be, be.tile(v, reps), shape, v.dtype),
    isFloat(t.dtype) ? (dy) => [unbroadcast(dy, padded)] : undefined);
}

declare module '../tensor/tensor.js' {
  interface Tensor {
    reshape(shape: readonly number[]): Tensor;
    flatten(): Tensor;
    expandDims(axis?: number): Tensor;
    squeeze(axis?: number | readonly number[]): Tensor;
    transpose(perm?: readonly number[]): Tensor;
    clone(): Tensor;
    broadcastTo(shape: readonly number[]): Tensor;
    /** Same as reshape: for shapes of equal size, by TensorFlow.js' name. */
    as1D(): Tensor;
  }
}

chainable({ reshape, flatten, expandDims, squeeze, transpose, clone, broadcastTo, as1D: flatten });
