/** `st.util`, part 2: shapes, strides, dtypes and typed arrays. */
import type { DType, TypedArray } from '../backend/types.js';
import { computeStrides as stridesOf, sizeFromShape as sizeOf, typedArrayFor } from '../backend/shape_util.js';
import { assert } from './util_arrays.js';
import { encodeString, flatten } from './util_text.js';

/**
 * `shape` with its one -1 replaced by what makes it hold `size` values.
 *
 * @example
 * ```ts
 * console.log(st.util.inferFromImplicitShape([2, -1], 8)); // [2, 4]
 * ```
 */
export function inferFromImplicitShape(shape: number[], size: number): number[] {
  let known = 1;
  let implicit = -1;
  shape.forEach((d, i) => {
    if (d >= 0) known *= d;
    else if (d === -1) {
      if (implicit !== -1) throw new Error(`util.inferFromImplicitShape: only one -1 allowed, found at dims ${implicit} and ${i}`);
      implicit = i;
    } else throw new Error(`util.inferFromImplicitShape: dimension ${i} is ${d}; dimensions must be >= 0 (or one -1)`);
  });
  if (implicit === -1) {
    if (size > 0 && size !== known) throw new Error(`util.inferFromImplicitShape: shape [${shape}] holds ${known} values, not ${size}`);
    return shape;
  }
  if (known === 0) throw new Error(`util.inferFromImplicitShape: cannot infer the -1 in [${shape}] with 0 elements`);
  if (size % known !== 0) throw new Error(`util.inferFromImplicitShape: ${size} values do not divide into [${shape}]`);
  const out = shape.slice();
  out[implicit] = size / known;
  return out;
}

/**
 * Axes as a sorted-as-given list of non-negative integers; null/undefined means every axis.
 *
 * @example
 * ```ts
 * console.log(st.util.parseAxisParam(-1, [2, 3])); // [1]
 * ```
 */
export function parseAxisParam(axis: number | number[] | null | undefined, shape: number[]): number[] {
  const rank = shape.length;
  const list = axis == null ? shape.map((_, i) => i) : ([] as number[]).concat(axis);
  for (const a of list) {
    if (!(a >= -rank && a < rank) || !Number.isInteger(a)) {
      throw new Error(`util.parseAxisParam: axis ${a} is out of range for a tensor of rank ${rank}`);
    }
  }
  return list.map((a) => (a < 0 ? rank + a : a));
}

/**
 * The shape without its size-1 dimensions (only those in `axis`, when given), and which dims stayed.
 *
 * @example
 * ```ts
 * console.log(st.util.squeezeShape([1, 3, 1]).newShape); // [3]
 * ```
 */
export function squeezeShape(shape: number[], axis?: number[]): { newShape: number[]; keptDims: number[] } {
  const axes = axis == null || axis.length === 0 ? null : parseAxisParam(axis, shape);
  const newShape: number[] = [];
  const keptDims: number[] = [];
  shape.forEach((d, i) => {
    if (axes?.includes(i) && d !== 1) throw new Error(`util.squeezeShape: cannot squeeze axis ${i}, its size is ${d}, not 1`);
    if (d !== 1 || (axes !== null && !axes.includes(i))) {
      newShape.push(d);
      keptDims.push(i);
    }
  });
  return { newShape, keptDims };
}

function checkDtype(op: string, dtype: unknown): asserts dtype is DType {
  if (!isValidDtype(dtype as DType)) {
    throw new Error(`util.${op}: unknown dtype ${JSON.stringify(dtype)} (expected float32, int32, bool or float64)`);
  }
}

/**
 * @example
 * ```ts
 * console.log(st.util.getTypedArrayFromDType('int32', 3)); // Int32Array [0, 0, 0]
 * ```
 */
export function getTypedArrayFromDType(dtype: DType, size: number): TypedArray {
  checkDtype('getTypedArrayFromDType', dtype);
  return typedArrayFor(dtype, size);
}

/**
 * @example
 * ```ts
 * console.log(st.util.getArrayFromDType('float32', 2)); // Float32Array [0, 0]
 * ```
 */
export function getArrayFromDType(dtype: DType, size: number): TypedArray {
  return getTypedArrayFromDType(dtype, size);
}

/**
 * Throws when a value on its way into a tensor is NaN or infinite.
 *
 * @example
 * ```ts
 * st.util.checkConversionForErrors([1, 2], 'float32'); // NaN in an int32 array would throw
 * ```
 */
export function checkConversionForErrors(vals: ArrayLike<number>, dtype: DType): void {
  for (let i = 0; i < vals.length; i++) {
    if (!Number.isFinite(vals[i])) throw new Error(`A tensor of type ${dtype} being uploaded contains ${vals[i]} (element ${i}).`);
  }
}

/**
 * @example
 * ```ts
 * console.log(st.util.isValidDtype('float32'), st.util.isValidDtype('float16' as st.DType)); // true false
 * ```
 */
export function isValidDtype(dtype: DType): boolean {
  return dtype === 'float32' || dtype === 'int32' || dtype === 'bool' || dtype === 'float64' ||
    (dtype as string) === 'complex64' || (dtype as string) === 'string';
}

/**
 * Whether casting from `oldType` to `newType` can lose information.
 *
 * @example
 * ```ts
 * console.log(st.util.hasEncodingLoss('float32', 'int32')); // true
 * ```
 */
export function hasEncodingLoss(oldType: DType, newType: DType): boolean {
  const order = ['bool', 'int32', 'float32', 'float64'];
  return order.indexOf(newType) < order.indexOf(oldType);
}

/**
 * @example
 * ```ts
 * console.log(st.util.bytesPerElement('float32')); // 4
 * ```
 */
export function bytesPerElement(dtype: DType): number {
  if (dtype === 'float32' || dtype === 'int32') return 4;
  if (dtype === 'bool') return 1;
  if (dtype === 'float64') return 8;
  if ((dtype as string) === 'complex64') return 8;
  throw new Error(`util.bytesPerElement: unknown dtype ${JSON.stringify(dtype)}`);
}

/**
 * Total bytes of a list of encoded strings.
 *
 * @example
 * ```ts
 * console.log(st.util.bytesFromStringArray([new Uint8Array(3), new Uint8Array(2)])); // 5
 * ```
 */
export function bytesFromStringArray(arr: Uint8Array[]): number {
  return arr == null ? 0 : arr.reduce((n, b) => n + b.length, 0);
}

/**
 * @example
 * ```ts
 * console.log(st.util.isString('a')); // true
 * ```
 */
export function isString(value: unknown): value is string {
  return typeof value === 'string' || value instanceof String;
}

/**
 * @example
 * ```ts
 * console.log(st.util.isBoolean(false)); // true
 * ```
 */
export function isBoolean(value: unknown): boolean {
  return typeof value === 'boolean';
}

/**
 * @example
 * ```ts
 * console.log(st.util.isNumber(3)); // true
 * ```
 */
export function isNumber(value: unknown): boolean {
  return typeof value === 'number';
}

/**
 * The dtype TensorFlow.js would give these values: int32 arrays, bools, strings, else float32.
 *
 * @example
 * ```ts
 * console.log(st.util.inferDtype([true, false])); // 'bool'
 * ```
 */
export function inferDtype(values: unknown): DType {
  if (Array.isArray(values)) return inferDtype(values[0]);
  if (values instanceof Float32Array) return 'float32';
  if (values instanceof Float64Array) return 'float64';
  if (values instanceof Int32Array || values instanceof Uint8Array || values instanceof Uint8ClampedArray) return 'int32';
  if (isNumber(values)) return 'float32';
  if (isString(values)) return 'string' as DType;
  if (isBoolean(values)) return 'bool';
  return 'float32';
}

/**
 * @example
 * ```ts
 * console.log(st.util.isFunction(() => 1)); // true
 * ```
 */
export function isFunction(f: unknown): boolean {
  return typeof f === 'function';
}

/**
 * The smallest divisor of `size` that is >= start (or size itself).
 *
 * @example
 * ```ts
 * console.log(st.util.nearestDivisor(10, 3)); // 5
 * ```
 */
export function nearestDivisor(size: number, start: number): number {
  for (let i = start; i < size; i++) if (size % i === 0) return i;
  return size;
}

/**
 * Row-major strides of every axis but the last (TensorFlow.js' convention: rank - 1 numbers).
 *
 * @example
 * ```ts
 * console.log(st.util.computeStrides([2, 3, 4])); // [12, 4]
 * ```
 */
export function computeStrides(shape: number[]): number[] {
  return shape.length < 2 ? [] : stridesOf(shape).slice(0, -1);
}

/**
 * Flat values as nested arrays of `shape` (pairs for complex values).
 *
 * @example
 * ```ts
 * console.log(st.util.toNestedArray([2, 2], [1, 2, 3, 4])); // [[1, 2], [3, 4]]
 * ```
 */
export function toNestedArray(shape: number[], a: ArrayLike<number>, isComplex = false): number | unknown[] {
  if (shape.length === 0) return a[0];
  const width = isComplex ? 2 : 1;
  const size = sizeOf(shape) * width;
  if (size === 0) return [];
  if (size !== a.length) throw new Error(`util.toNestedArray: [${shape}]${isComplex ? ' complex' : ''} needs ${size} values, got ${a.length}`);
  const build = (offset: number, axis: number): unknown[] => {
    const n = shape[axis];
    const inner = sizeOf(shape.slice(axis + 1)) * width;
    const out: unknown[] = [];
    for (let i = 0; i < n; i++) {
      if (axis === shape.length - 1) out.push(isComplex ? [a[offset + 2 * i], a[offset + 2 * i + 1]] : a[offset + i]);
      else out.push(build(offset + i * inner, axis + 1));
    }
    return out;
  };
  return build(0, 0);
}

/**
 * Backend values or a raw ArrayBuffer as the typed array of `dtype`.
 *
 * @example
 * ```ts
 * const bytes = new Float32Array([1, 2]).buffer;
 * console.log(st.util.convertBackendValuesAndArrayBuffer(bytes, 'float32')); // Float32Array [1, 2]
 * ```
 */
export function convertBackendValuesAndArrayBuffer(data: ArrayBuffer | TypedArray | Uint8Array[], dtype: DType): TypedArray | Uint8Array[] {
  if (Array.isArray(data)) return data;
  const buffer = data instanceof ArrayBuffer ? data : (data as TypedArray).buffer;
  const offset = data instanceof ArrayBuffer ? 0 : (data as TypedArray).byteOffset;
  const bytes = data instanceof ArrayBuffer ? data.byteLength : (data as TypedArray).byteLength;
  switch (dtype) {
    case 'float32': return new Float32Array(buffer, offset, bytes / 4);
    case 'int32': return new Int32Array(buffer, offset, bytes / 4);
    case 'float64': return new Float64Array(buffer, offset, bytes / 8);
    case 'bool': return Uint8Array.from(new Int32Array(buffer, offset, bytes / 4));
    default: throw new Error(`util.convertBackendValuesAndArrayBuffer: unknown dtype ${JSON.stringify(dtype)}`);
  }
}

/**
 * @example
 * ```ts
 * console.log(st.util.makeOnesTypedArray(3, 'int32')); // Int32Array [1, 1, 1]
 * ```
 */
export function makeOnesTypedArray(size: number, dtype: DType): TypedArray {
  const a = makeZerosTypedArray(size, dtype);
  a.fill(1);
  return a;
}

/**
 * @example
 * ```ts
 * console.log(st.util.makeZerosTypedArray(2, 'float32')); // Float32Array [0, 0]
 * ```
 */
export function makeZerosTypedArray(size: number, dtype: DType): TypedArray {
  return getTypedArrayFromDType(dtype, size);
}

/**
 * @example
 * ```ts
 * console.log(st.util.makeZerosNestedTypedArray([2, 2], 'float32'));
 * ```
 */
export function makeZerosNestedTypedArray(shape: number[], dtype: DType): number | unknown[] {
  return toNestedArray(shape, makeZerosTypedArray(sizeOf(shape), dtype));
}

/**
 * @example
 * ```ts
 * st.util.assertNonNegativeIntegerDimensions([2, 3]); // [2, -1] would throw
 * ```
 */
export function assertNonNegativeIntegerDimensions(shape: number[]): void {
  shape.forEach((d, i) => {
    assert(Number.isInteger(d) && d >= 0, () => `Tensor must have a shape of non-negative integers, dimension ${i} is ${d} in [${shape}]`);
  });
}

/**
 * The flat index of `locs`, given TensorFlow.js-style strides (rank - 1 of them).
 *
 * @example
 * ```ts
 * console.log(st.util.locToIndex([1, 2], 2, [3])); // 5: row 1, column 2 of a [*, 3] array
 * ```
 */
export function locToIndex(locs: number[], rank: number, strides: number[]): number {
  if (rank === 0) return 0;
  if (rank === 1) return locs[0];
  let index = locs[locs.length - 1];
  for (let i = 0; i < locs.length - 1; i++) index += strides[i] * locs[i];
  return index;
}

/**
 * The location of a flat index, given TensorFlow.js-style strides (rank - 1 of them).
 *
 * @example
 * ```ts
 * console.log(st.util.indexToLoc(5, 2, [3])); // [1, 2]
 * ```
 */
export function indexToLoc(index: number, rank: number, strides: number[]): number[] {
  if (rank === 0) return [];
  if (rank === 1) return [index];
  const locs = new Array<number>(rank);
  for (let i = 0; i < rank - 1; i++) {
    locs[i] = Math.floor(index / strides[i]);
    index -= locs[i] * strides[i];
  }
  locs[rank - 1] = index;
  return locs;
}

/**
 * @example
 * ```ts
 * console.log(st.util.isPromise(Promise.resolve(1))); // true
 * ```
 */
export function isPromise(object: unknown): object is Promise<unknown> {
  return object != null && typeof (object as { then?: unknown }).then === 'function';
}

/**
 * A one-element typed array holding `value` as `dtype`.
 *
 * @example
 * ```ts
 * console.log(st.util.createScalarValue(3, 'int32')); // Int32Array [3]
 * ```
 */
export function createScalarValue(value: number | boolean | string, dtype: DType): TypedArray | Uint8Array[] {
  if ((dtype as string) === 'string') return [encodeString(String(value))];
  return toTypedArray([value as number], dtype);
}

/**
 * Values (nested arrays, a typed array, booleans) as a flat typed array of `dtype`.
 *
 * @example
 * ```ts
 * console.log(st.util.toTypedArray([1, 2, 3], 'float32')); // Float32Array [1, 2, 3]
 * ```
 */
export function toTypedArray(a: unknown, dtype: DType): TypedArray {
  checkDtype('toTypedArray', dtype);
  const flat = ArrayBuffer.isView(a) ? Array.from(a as TypedArray) : flatten(a as number[]);
  const out = typedArrayFor(dtype, flat.length);
  for (let i = 0; i < flat.length; i++) {
    const v = Number(flat[i]);
    out[i] = dtype === 'int32' ? Math.trunc(v) : dtype === 'bool' ? (v ? 1 : 0) : v;
  }
  return out;
}
