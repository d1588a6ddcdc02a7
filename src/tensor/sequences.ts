/** Tensors that follow a pattern: range, linspace, eye, oneHot (TensorFlow.js signatures). */
import type { DType } from '../backend/types.js';
import { sizeFromShape, typedArrayFor } from '../backend/shape_util.js';
import { makeTensor } from './engine.js';
import { assertDtype, assertShape, tensor, type TensorLike } from './creation.js';
import { Tensor } from './tensor.js';

function finite(op: string, name: string, value: unknown): asserts value is number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new Error(`${op}: ${name} must be a finite number, got ${JSON.stringify(value)}`);
  }
}

function nonNegativeInt(op: string, name: string, value: unknown): asserts value is number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new Error(`${op}: ${name} must be a non-negative integer, got ${JSON.stringify(value)}`);
  }
}

/**
 * Numbers from `start` up to (not including) `stop` in steps of `step`. A step that points away
 * from `stop`, or start === stop, gives an empty tensor (as TensorFlow.js does).
 *
 * @example
 * ```ts
 * st.range(0, 10, 2).print(); // [0, 2, 4, 6, 8]
 * ```
 */
export function range(start: number, stop: number, step = 1, dtype: DType = 'float32'): Tensor {
  const op = 'range';
  finite(op, 'start', start);
  finite(op, 'stop', stop);
  finite(op, 'step', step);
  assertDtype(op, dtype);
  if (dtype === 'bool') throw new Error(`${op}: dtype must be float32, float64 or int32, got "bool"`);
  if (step === 0) throw new Error(`${op}: step must not be 0`);
  const n = (stop - start) / step > 0 ? Math.ceil((stop - start) / step) : 0;
  const data = typedArrayFor(dtype, n);
  for (let i = 0; i < n; i++) data[i] = start + i * step;
  return makeTensor(data, [n], dtype);
}

/**
 * `num` evenly spaced float32 values from `start` to `stop`, both included.
 *
 * @example
 * ```ts
 * st.linspace(0, 1, 5).print(); // [0, 0.25, 0.5, 0.75, 1]
 * ```
 */
export function linspace(start: number, stop: number, num: number): Tensor {
  const op = 'linspace';
  finite(op, 'start', start);
  finite(op, 'stop', stop);
  if (typeof num !== 'number' || !Number.isInteger(num) || num <= 0) {
    throw new Error(`${op}: num must be a positive integer, got ${JSON.stringify(num)}`);
  }
  const data = new Float32Array(num);
  const step = num === 1 ? 0 : (stop - start) / (num - 1);
  for (let i = 0; i < num; i++) data[i] = start + i * step;
  if (num > 1) data[num - 1] = stop;
  return makeTensor(data, [num], 'float32');
}

/**
 * An identity matrix [numRows, numColumns], repeated over `batchShape` when given.
 *
 * @example
 * ```ts
 * st.eye(3).print();
 * ```
 */
export function eye(numRows: number, numColumns?: number, batchShape?: readonly number[],
  dtype: DType = 'float32'): Tensor {
  const op = 'eye';
  nonNegativeInt(op, 'numRows', numRows);
  const cols = numColumns ?? numRows;
  nonNegativeInt(op, 'numColumns', cols);
  const batch = batchShape ?? [];
  assertShape(op, batch);
  assertDtype(op, dtype);
  const batchSize = sizeFromShape(batch);
  const shape = [...batch, numRows, cols];
  const data = typedArrayFor(dtype, batchSize * numRows * cols);
  const diag = Math.min(numRows, cols);
  for (let b = 0; b < batchSize; b++) {
    for (let i = 0; i < diag; i++) data[b * numRows * cols + i * cols + i] = 1;
  }
  return makeTensor(data, shape, dtype);
}

/**
 * One-hot encoding: for indices of shape S, a tensor of shape [...S, depth] holding `onValue`
 * at each index and `offValue` elsewhere. Indices outside [0, depth) give a row of `offValue`.
 *
 * @example
 * ```ts
 * st.oneHot(st.tensor1d([0, 2, 1], 'int32'), 3).print();
 * ```
 */
export function oneHot(indices: Tensor | number | TensorLike, depth: number, onValue = 1, offValue = 0,
  dtype: DType = 'int32'): Tensor {
  const op = 'oneHot';
  let values: ArrayLike<number>;
  let shape: readonly number[];
  if (indices instanceof Tensor) {
    indices.assertLive();
    if (indices.dtype === 'bool') throw new Error(`${op}: indices must be int32, got dtype bool`);
    values = indices.dataSync();
    shape = indices.shape;
  } else if (typeof indices === 'number' || Array.isArray(indices) || ArrayBuffer.isView(indices)) {
    // a number or nested arrays, as TensorFlow.js accepts: made into an int32 tensor first
    let t: Tensor;
    try {
      t = tensor(indices as TensorLike, undefined, 'int32');
    } catch (e) {
      throw new Error(`${op}: indices: ${(e as Error).message}`);
    }
    const raw = Array.isArray(indices) ? (indices as unknown[]).flat(Infinity) as number[] : typeof indices === 'number' ? [indices] : Array.from(indices as ArrayLike<number>);
    raw.forEach((v, i) => {
      if (!Number.isInteger(v)) throw new Error(`${op}: indices must be integers, got ${v} at position ${i}`);
    });
    values = t.dataSync();
    shape = t.shape;
  } else {
    throw new Error(`${op}: indices must be a Tensor, a number or an array of integers, got ${indices === null ? 'null' : typeof indices}`);
  }
  for (let i = 0; i < values.length; i++) {
    if (!Number.isInteger(values[i])) {
      throw new Error(`${op}: indices must be integers, got ${values[i]} at position ${i}`);
    }
  }
  if (typeof depth !== 'number' || !Number.isInteger(depth) || depth < 1) {
    throw new Error(`${op}: depth must be a positive integer, got ${JSON.stringify(depth)}`);
  }
  finite(op, 'onValue', onValue);
  finite(op, 'offValue', offValue);
  assertDtype(op, dtype);
  const data = typedArrayFor(dtype, values.length * depth);
  if (offValue !== 0) data.fill(offValue);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v >= 0 && v < depth) data[i * depth + v] = onValue;
  }
  return makeTensor(data, [...shape, depth], dtype);
}
