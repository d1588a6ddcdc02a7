/**
 * `TensorBuffer`: a mutable typed array with a shape, for building a tensor value by value
 * (`const b = st.buffer([2, 2]); b.set(5, 0, 1); b.toTensor()`), as TensorFlow.js has it, and
 * `tensor.buffer()` / `bufferSync()` to read a tensor that way.
 */
import type { DType, TypedArray } from '../backend/types.js';
import { computeStrides, sizeFromShape, typedArrayFor } from '../backend/shape_util.js';
import { assertDtype, assertShape } from './creation.js';
import { makeTensor } from './engine.js';
import { Tensor } from './tensor.js';

export class TensorBuffer {
  readonly shape: number[];
  readonly dtype: DType;
  readonly size: number;
  readonly strides: number[];
  readonly values: TypedArray;

  constructor(shape: readonly number[], dtype: DType = 'float32', values?: TypedArray | ArrayLike<number>) {
    assertShape('buffer', shape);
    assertDtype('buffer', dtype);
    this.shape = [...shape];
    this.dtype = dtype;
    this.size = sizeFromShape(shape);
    this.strides = computeStrides(shape).slice(0, -1);
    if (values !== undefined) {
      if (values.length !== this.size) {
        throw new Error(`buffer: shape [${shape}] holds ${this.size} values, but ${values.length} were given`);
      }
      const expected = typedArrayFor(dtype, 0).constructor;
      if (ArrayBuffer.isView(values) && values.constructor === expected) this.values = values as TypedArray;
      else {
        this.values = typedArrayFor(dtype, this.size);
        this.values.set(values as ArrayLike<number>);
      }
    } else this.values = typedArrayFor(dtype, this.size);
  }

  get rank(): number {
    return this.shape.length;
  }

  /** Writes `value` at the location `locs` (one index per axis). */
  set(value: number | boolean, ...locs: number[]): void {
    if (locs.length === 0) locs = [0];
    this.values[this.locToIndex(locs)] = typeof value === 'boolean' ? Number(value) : value;
  }

  /** The value at `locs` (one index per axis). */
  get(...locs: number[]): number {
    if (locs.length === 0) locs = [0];
    return this.values[this.locToIndex(locs)];
  }

  /** The flat (row-major) index of a location; checks every index against its axis. */
  locToIndex(locs: readonly number[]): number {
    if (this.rank === 0) return 0;
    if (locs.length !== this.rank) {
      throw new Error(`TensorBuffer: expected ${this.rank} indices for shape [${this.shape}], got [${locs}]`);
    }
    let index = 0;
    for (let i = 0; i < locs.length; i++) {
      const l = locs[i];
      if (!Number.isInteger(l) || l < 0 || l >= this.shape[i]) {
        throw new Error(`TensorBuffer: index ${l} on axis ${i} is out of range for shape [${this.shape}]`);
      }
      index += l * (i < this.strides.length ? this.strides[i] : 1);
    }
    return index;
  }

  /** The location (one index per axis) of a flat index. */
  indexToLoc(index: number): number[] {
    if (this.rank === 0) return [];
    if (this.rank === 1) return [index];
    const locs = new Array<number>(this.rank);
    for (let i = 0; i < this.strides.length; i++) {
      locs[i] = Math.floor(index / this.strides[i]);
      index -= locs[i] * this.strides[i];
    }
    locs[this.rank - 1] = index;
    return locs;
  }

  /** A tensor holding a copy of the values. */
  toTensor(): Tensor {
    return makeTensor(this.values.slice(), this.shape, this.dtype);
  }
}

/**
 * `st.buffer(shape, dtype?, values?)`: a TensorBuffer, filled with zeros unless values are given.
 *
 * @example
 * ```ts
 * const b = st.buffer([2, 2]);
 * b.set(5, 0, 1);
 * b.toTensor().print(); // [[0, 5], [0, 0]]
 * ```
 */
export function buffer(shape: readonly number[], dtype: DType = 'float32', values?: TypedArray | ArrayLike<number>): TensorBuffer {
  return new TensorBuffer(shape, dtype, values);
}

declare module './tensor.js' {
  interface Tensor {
    /** The values in a TensorBuffer (a copy). */
    buffer(): Promise<TensorBuffer>;
    bufferSync(): TensorBuffer;
    /** The raw bytes of the values (a copy), as TensorFlow.js' `bytes()` for numeric dtypes. */
    bytes(): Promise<Uint8Array>;
  }
}

Object.defineProperties(Tensor.prototype, {
  bufferSync: {
    value(this: Tensor) { return new TensorBuffer(this.shape, this.dtype, this.dataSync()); },
    writable: true, configurable: true,
  },
  buffer: {
    async value(this: Tensor) { return this.bufferSync(); },
    writable: true, configurable: true,
  },
  bytes: {
    async value(this: Tensor) {
      const values = this.dataSync();
      return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
    },
    writable: true, configurable: true,
  },
});
