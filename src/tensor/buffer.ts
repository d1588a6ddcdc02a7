/**
 * `TensorBuffer`: a mutable typed array with a shape, for building a tensor value by value
 * (`const b = st.buffer([2, 2]); b.set(5, 0, 1); b.toTensor()`), as TensorFlow.js has it, and
 * `tensor.buffer()` / `bufferSync()` to read a tensor that way.
 */
import type { DType, TypedArray } from '../backend/types.js';
import { computeStrides, sizeFromShape, typedArrayFor } from '../backend/shape_util.js';
import { assertDtype, assertShape } from './creation.js';
import { makeStringTensor, makeTensor } from './engine.js';
import { Tensor, type DataTypeMap, type NumericDType } from './tensor.js';

/** A TensorBuffer's values: a typed array, or strings for dtype 'string' (TensorFlow.js' DataTypeMap). */
export class TensorBuffer<D extends DType = NumericDType> {
  readonly shape: number[];
  readonly dtype: D;
  readonly size: number;
  readonly strides: number[];
  readonly values: DataTypeMap[D];

  constructor(shape: readonly number[], dtype: D = 'float32' as D, values?: TypedArray | ArrayLike<number> | readonly string[]) {
    assertShape('buffer', shape);
    assertDtype('buffer', dtype);
    this.shape = [...shape];
    this.dtype = dtype;
    this.size = sizeFromShape(shape);
    this.strides = computeStrides(shape).slice(0, -1);
    if (dtype === 'string') {
      // strings: empty until set (TensorFlow.js leaves them undefined, which no tensor can hold)
      if (values !== undefined && (values.length !== this.size || !Array.from(values as ArrayLike<unknown>).every((v) => typeof v === 'string'))) {
        throw new Error(`buffer: a 'string' buffer of shape [${shape}] takes ${this.size} strings`);
      }
      this.values = (values === undefined ? new Array<string>(this.size).fill('') : [...values as string[]]) as DataTypeMap[D];
      return;
    }
    let numeric: TypedArray;
    if (values !== undefined) {
      if (values.length !== this.size) {
        throw new Error(`buffer: shape [${shape}] holds ${this.size} values, but ${values.length} were given`);
      }
      const expected = typedArrayFor(dtype, 0).constructor;
      if (ArrayBuffer.isView(values) && values.constructor === expected) numeric = values as TypedArray;
      else {
        numeric = typedArrayFor(dtype, this.size);
        numeric.set(values as ArrayLike<number>);
      }
    } else numeric = typedArrayFor(dtype, this.size);
    this.values = numeric as DataTypeMap[D];
  }

  get rank(): number {
    return this.shape.length;
  }

  /** Writes `value` at the location `locs` (one index per axis). */
  set(value: DataTypeMap[D][number] | boolean, ...locs: number[]): void {
    if (locs.length === 0) locs = [0];
    if ((typeof value === 'string') !== (this.dtype === 'string')) {
      throw new Error(`TensorBuffer.set: a ${this.dtype} buffer cannot hold ${JSON.stringify(value)}`);
    }
    (this.values as ArrayLike<unknown> as unknown[])[this.locToIndex(locs)] = typeof value === 'boolean' ? Number(value) : value;
  }

  /** The value at `locs` (one index per axis). */
  get(...locs: number[]): DataTypeMap[D][number] {
    if (locs.length === 0) locs = [0];
    return this.values[this.locToIndex(locs)] as DataTypeMap[D][number];
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
    if (this.dtype === 'string') {
      const encoder = new TextEncoder();
      return makeStringTensor((this.values as string[]).map((v) => encoder.encode(v)), this.shape);
    }
    return makeTensor((this.values as TypedArray).slice(), this.shape, this.dtype);
  }
}

/**
 * `st.buffer(shape, dtype?, values?)`: a TensorBuffer, filled with zeros (empty strings for
 * 'string') unless values are given.
 *
 * @example
 * ```ts
 * const b = st.buffer([2, 2]);
 * b.set(5, 0, 1);
 * b.toTensor().print(); // [[0, 5], [0, 0]]
 * ```
 */
export function buffer<D extends DType = NumericDType>(shape: readonly number[], dtype: D = 'float32' as D,
  values?: TypedArray | ArrayLike<number> | readonly string[]): TensorBuffer<D> {
  return new TensorBuffer<D>(shape, dtype, values);
}

declare module './tensor.js' {
  interface Tensor {
    /** The values in a TensorBuffer (a copy). */
    buffer<D extends DType = NumericDType>(): Promise<TensorBuffer<D>>;
    bufferSync<D extends DType = NumericDType>(): TensorBuffer<D>;
    /**
     * The raw bytes of the values (a copy), as TensorFlow.js' `bytes()`: one Uint8Array for a
     * numeric dtype, one Uint8Array per element (its UTF-8 bytes) for a 'string' tensor.
     */
    bytes(): Promise<Uint8Array | Uint8Array[]>;
  }
}

Object.defineProperties(Tensor.prototype, {
  bufferSync: {
    value(this: Tensor) { return new TensorBuffer(this.shape, this.dtype, this.dataSync<DType>()); },
    writable: true, configurable: true,
  },
  buffer: {
    async value(this: Tensor) { return this.bufferSync(); },
    writable: true, configurable: true,
  },
  bytes: {
    async value(this: Tensor) {
      if (this.dtype === 'string') {
        this.assertLive();
        return this.backend.readStrings(this.dataId).map((b) => b.slice());
      }
      const values = this.dataSync();
      return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
    },
    writable: true, configurable: true,
  },
});
