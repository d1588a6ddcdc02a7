/**
 * Row-wise helpers shared by the data modules: a tensor (or typed array) seen as `n` rows of
 * equal size along axis 0, and copies of chosen rows. Everything works on typed arrays so that
 * a 70,000-image set is moved with block copies, never one JavaScript object per pixel.
 */
import type { DType, TypedArray } from '../backend/types.js';
import { typedArrayFor } from '../backend/shape_util.js';
import { makeTensor } from '../tensor/engine.js';
import { Tensor } from '../tensor/tensor.js';

/** What data functions accept where a column of numbers is meant: a tensor or plain numbers. */
export type NumbersLike = Tensor | ArrayLike<number>;

export interface Rows {
  data: TypedArray;
  shape: number[];
  dtype: DType;
  count: number;
  rowSize: number;
}

/** `x` as rows along axis 0; `op` and `name` go into the error when `x` is not a tensor of rank >= 1. */
export function rowsOf(op: string, name: string, x: NumbersLike): Rows {
  if (x instanceof Tensor) {
    if (x.rank === 0) throw new Error(`${op}: ${name} must have at least one axis (rows along axis 0), got a scalar`);
    const count = x.shape[0];
    return { data: x.dataSync(), shape: [...x.shape], dtype: x.dtype, count, rowSize: count === 0 ? 0 : x.size / count };
  }
  if (x === null || typeof x !== 'object' || typeof (x as ArrayLike<number>).length !== 'number') {
    throw new Error(`${op}: ${name} must be a Tensor or an array of numbers, got ${x === null ? 'null' : typeof x}`);
  }
  const data = x instanceof Float32Array || x instanceof Int32Array || x instanceof Float64Array || x instanceof Uint8Array
    ? x : Float64Array.from(x as ArrayLike<number>);
  const dtype: DType = x instanceof Int32Array ? 'int32' : x instanceof Float64Array ? 'float64' : 'float32';
  return { data: x instanceof Uint8Array ? Float32Array.from(x) : data, shape: [x.length], dtype, count: x.length, rowSize: 1 };
}

/** A new tensor holding rows `indices` of `rows`, in that order. */
export function gatherRows(rows: Rows, indices: ArrayLike<number>): Tensor {
  const { rowSize } = rows;
  const out = typedArrayFor(rows.dtype, indices.length * rowSize);
  for (let i = 0; i < indices.length; i++) {
    const start = indices[i] * rowSize;
    out.set(rows.data.subarray(start, start + rowSize), i * rowSize);
  }
  return makeTensor(out, [indices.length, ...rows.shape.slice(1)], rows.dtype);
}

/** Plain labels (a column of integers) from sparse [n] / [n, 1] labels or one-hot [n, k] rows. */
export function labelColumn(op: string, name: string, y: NumbersLike): Int32Array {
  const rows = rowsOf(op, name, y);
  const out = new Int32Array(rows.count);
  if (rows.rowSize === 1) {
    for (let i = 0; i < rows.count; i++) {
      const v = rows.data[i];
      if (!Number.isInteger(v)) throw new Error(`${op}: ${name}[${i}] = ${v} is not an integer class label`);
      out[i] = v;
    }
    return out;
  }
  // one-hot (or probability) rows: the class is the column of the largest value
  for (let i = 0; i < rows.count; i++) {
    let best = 0;
    for (let k = 1; k < rows.rowSize; k++) {
      if (rows.data[i * rows.rowSize + k] > rows.data[i * rows.rowSize + best]) best = k;
    }
    out[i] = best;
  }
  return out;
}
