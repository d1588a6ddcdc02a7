/**
 * `st.util`: TensorFlow.js' small helpers on shapes, typed arrays and strings, for programs that
 * call them (`tf.util.shuffle`, `tf.util.assert`, `tf.util.createShuffledIndices`, ...).
 * Shuffles draw from striate's global seeded stream (`st.setSeed` makes them repeatable).
 */
import type { DType, TypedArray } from '../backend/types.js';
import { computeStrides as stridesOf, sizeFromShape as sizeOf, typedArrayFor } from '../backend/shape_util.js';
import { randomFor } from './random.js';
import { platformHooks } from './platform.js';
import type Long from 'long';
import { fingerprint64 } from './farmhash.js';

type FlatVector = ArrayLike<number>;
type Shuffleable = unknown[] | Uint32Array | Int32Array | Float32Array;

/**
 * Shuffles an array in place (Fisher-Yates).
 *
 * @example
 * ```ts
 * const a = [1, 2, 3, 4];
 * st.util.shuffle(a); // in place
 * console.log(a);
 * ```
 */
export function shuffle(array: Shuffleable): void {
  const random = randomFor();
  for (let i = array.length - 1; i > 0; i--) {
    const j = Math.floor(random.next() * (i + 1));
    swap(array as unknown as Record<number, unknown>, i, j);
  }
}

/**
 * Shuffles two arrays of one length in place, by the same permutation.
 *
 * @example
 * ```ts
 * const xs = [1, 2, 3], ys = ['a', 'b', 'c'];
 * st.util.shuffleCombo(xs, ys); // the same permutation for both
 * console.log(xs, ys);
 * ```
 */
export function shuffleCombo(array: Shuffleable, array2: Shuffleable): void {
  if (array.length !== array2.length) {
    throw new Error(`util.shuffleCombo: the arrays must have one length, got ${array.length} and ${array2.length}`);
  }
  const random = randomFor();
  for (let i = array.length - 1; i > 0; i--) {
    const j = Math.floor(random.next() * (i + 1));
    swap(array as unknown as Record<number, unknown>, i, j);
    swap(array2 as unknown as Record<number, unknown>, i, j);
  }
}

/**
 * 0 .. n-1 in random order.
 *
 * @example
 * ```ts
 * console.log(st.util.createShuffledIndices(5)); // 0..4 in random order
 * ```
 */
export function createShuffledIndices(n: number): Uint32Array {
  const indices = new Uint32Array(n);
  for (let i = 0; i < n; i++) indices[i] = i;
  shuffle(indices);
  return indices;
}

/**
 * @example
 * ```ts
 * console.log(st.util.clamp(0, 7, 5)); // 5
 * ```
 */
export function clamp(min: number, x: number, max: number): number {
  return Math.max(min, Math.min(x, max));
}

/**
 * @example
 * ```ts
 * console.log(st.util.nearestLargerEven(3)); // 4
 * ```
 */
export function nearestLargerEven(val: number): number {
  return val % 2 === 0 ? val : val + 1;
}

/**
 * @example
 * ```ts
 * const a = [1, 2, 3];
 * st.util.swap(a, 0, 2);
 * console.log(a); // [3, 2, 1]
 * ```
 */
export function swap<T>(object: { [index: number]: T }, left: number, right: number): void {
  const t = object[left];
  object[left] = object[right];
  object[right] = t;
}

/**
 * @example
 * ```ts
 * console.log(st.util.sum([1, 2, 3])); // 6
 * ```
 */
export function sum(arr: FlatVector): number {
  let s = 0;
  for (let i = 0; i < arr.length; i++) s += arr[i];
  return s;
}

/**
 * A uniform random number in [a, b).
 *
 * @example
 * ```ts
 * console.log(st.util.randUniform(0, 10)); // a number in [0, 10)
 * ```
 */
export function randUniform(a: number, b: number): number {
  return a + randomFor().next() * (b - a);
}

/**
 * @example
 * ```ts
 * console.log(st.util.distSquared([0, 0], [3, 4])); // 25
 * ```
 */
export function distSquared(a: FlatVector, b: FlatVector): number {
  if (a.length !== b.length) throw new Error(`util.distSquared: vectors of lengths ${a.length} and ${b.length}`);
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return s;
}

/**
 * Throws `new Error(msg())` when `expr` is false (msg is a function, so building it costs nothing when true).
 *
 * @example
 * ```ts
 * st.util.assert(2 > 1, () => 'never shown');
 * ```
 */
export function assert(expr: boolean, msg: () => string): void {
  if (!expr) throw new Error(typeof msg === 'string' ? msg : msg());
}

/**
 * @example
 * ```ts
 * st.util.assertShapesMatch([2, 3], [2, 3]); // [2, 4] would throw
 * ```
 */
export function assertShapesMatch(shapeA: number[], shapeB: number[], errorMessagePrefix = ''): void {
  assert(arraysEqual(shapeA, shapeB), () => `${errorMessagePrefix} Shapes [${shapeA}] and [${shapeB}] must match`);
}

/**
 * @example
 * ```ts
 * st.util.assertNonNull(0); // null or undefined would throw
 * ```
 */
export function assertNonNull(a: unknown): void {
  assert(a != null, () => 'The input to the tensor constructor must be a non-null value.');
}

/**
 * @example
 * ```ts
 * console.log(st.util.sizeFromShape([2, 3, 4])); // 24
 * ```
 */
export function sizeFromShape(shape: number[]): number {
  return sizeOf(shape);
}

/**
 * @example
 * ```ts
 * console.log(st.util.isScalarShape([])); // true
 * ```
 */
export function isScalarShape(shape: number[]): boolean {
  return shape.length === 0;
}

/**
 * Equal shapes where null (an unknown dimension) matches anything.
 *
 * @example
 * ```ts
 * console.log(st.util.arraysEqualWithNull([null, 3], [null, 3])); // true
 * ```
 */
export function arraysEqualWithNull(n1: (number | null)[], n2: (number | null)[]): boolean {
  if (n1 === n2) return true;
  if (n1 == null || n2 == null || n1.length !== n2.length) return false;
  return n1.every((v, i) => v === null || n2[i] === null || v === n2[i]);
}

/**
 * @example
 * ```ts
 * console.log(st.util.arraysEqual([1, 2], [1, 2])); // true
 * ```
 */
export function arraysEqual(n1: FlatVector, n2: FlatVector): boolean {
  if (n1 === n2) return true;
  if (n1 == null || n2 == null || n1.length !== n2.length) return false;
  for (let i = 0; i < n1.length; i++) if (n1[i] !== n2[i]) return false;
  return true;
}

/**
 * @example
 * ```ts
 * console.log(st.util.isInt(3), st.util.isInt(3.5)); // true false
 * ```
 */
export function isInt(a: number): boolean {
  return a % 1 === 0;
}

/**
 * @example
 * ```ts
 * console.log(st.util.tanh(0.5));
 * ```
 */
export function tanh(x: number): number {
  return Math.tanh(x);
}

/**
 * [width, height] of the near-square grid that holds `size` cells.
 *
 * @example
 * ```ts
 * console.log(st.util.sizeToSquarishShape(12)); // [3, 4]
 * ```
 */
export function sizeToSquarishShape(size: number): [number, number] {
  const width = Math.ceil(Math.sqrt(size));
  return [width, Math.ceil(size / width)];
}

/**
 * @example
 * ```ts
 * console.log(`[${st.util.rightPad('ab', 5)}]`); // '[ab   ]'
 * ```
 */
export function rightPad(a: string, size: number): string {
  return size <= a.length ? a : a + ' '.repeat(size - a.length);
}

/**
 * Calls `checkFn` until it returns true, waiting `delayFn(tries)` ms between calls; rejects after
 * `maxCounter` tries.
 *
 * @example
 * ```ts
 * let calls = 0;
 * await st.util.repeatedTry(() => ++calls === 3);
 * console.log(calls); // 3
 * ```
 */
export function repeatedTry(checkFn: () => boolean, delayFn: (counter: number) => number = () => 0,
  maxCounter?: number, scheduleFn?: (f: () => void, delay: number) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    let tries = 0;
    const attempt = (): void => {
      if (checkFn()) return resolve();
      tries++;
      if (maxCounter != null && tries >= maxCounter) return reject(new Error(`util.repeatedTry: gave up after ${tries} tries`));
      const delay = delayFn(tries);
      if (scheduleFn) scheduleFn(attempt, delay);
      else setTimeout(attempt, delay);
    };
    attempt();
  });
}

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

/**
 * Milliseconds, from a high-resolution clock.
 *
 * @example
 * ```ts
 * const start = st.util.now();
 * console.log(`${st.util.now() - start} ms`);
 * ```
 */
export function now(): number {
  return platformHooks.now();
}

/**
 * The platform's fetch (the browser's, or Node's built-in one).
 *
 * @example
 * ```ts
 * // the platform's fetch: await st.util.fetch('https://example.com/model.json')
 * console.log(typeof st.util.fetch);
 * ```
 */
export function fetch(path: string, requestInits?: RequestInit): Promise<Response> {
  return platformHooks.fetch(path, requestInits);
}

/**
 * @example
 * ```ts
 * console.log(st.util.encodeString('hé')); // Uint8Array [104, 195, 169]
 * ```
 */
export function encodeString(s: string, encoding = 'utf-8'): Uint8Array {
  if (encoding.toLowerCase().replace('-', '') !== 'utf8') throw new Error(`util.encodeString: only utf-8 is supported, got ${encoding}`);
  return new TextEncoder().encode(s);
}

/**
 * @example
 * ```ts
 * console.log(st.util.decodeString(new Uint8Array([104, 105]))); // 'hi'
 * ```
 */
export function decodeString(bytes: Uint8Array, encoding = 'utf-8'): string {
  return new TextDecoder(encoding).decode(bytes);
}

/**
 * @example
 * ```ts
 * console.log(st.util.isTypedArray(new Float32Array(2))); // true
 * ```
 */
export function isTypedArray(a: unknown): a is Float32Array | Int32Array | Uint8Array | Uint8ClampedArray {
  return a instanceof Float32Array || a instanceof Int32Array || a instanceof Uint8Array || a instanceof Uint8ClampedArray;
}

/**
 * Nested arrays (and, unless skipTypedArray, typed arrays inside them) as one flat list.
 *
 * @example
 * ```ts
 * console.log(st.util.flatten([[1, 2], [3, [4]]])); // [1, 2, 3, 4]
 * ```
 */
export function flatten<T>(arr: T | unknown[], result: T[] = [], skipTypedArray = false): T[] {
  if (Array.isArray(arr) || (ArrayBuffer.isView(arr) && !skipTypedArray && !(arr instanceof DataView))) {
    for (let i = 0; i < (arr as ArrayLike<unknown>).length; i++) flatten((arr as ArrayLike<unknown>)[i] as T, result, skipTypedArray);
  } else result.push(arr as T);
  return result;
}

// ---- strings area (issue 16): 64-bit hashes as TensorFlow.js returns them ----
// TensorFlow.js hands these out as Long objects of the `long` package; striate does the same
// (long 5, which protobufjs already brings), so that programs calling .toString(), .modulo(),
// .getLowBitsUnsigned() on them keep working.

// the browser entry loads unbundled and so cannot import packages: the Node entry hands the Long
// class in (setLongClass); elsewhere these two functions say what they need
let LongClass: typeof Long | undefined;

/**
 * Gives util.hexToLong/fingerPrint64 the `long` package's class (the Node entry does this).
 *
 * @example
 * ```ts
 * // in a browser, where the unbundled entry cannot import packages:
 * // import Long from 'long'; st.util.setLongClass(Long);
 * // Node's entry has done it already, so this runs there:
 * console.log(st.util.hexToLong('ff').toString()); // '255'
 * ```
 */
export function setLongClass(cls: typeof Long): void {
  LongClass = cls;
}

function longClass(where: string): typeof Long {
  if (!LongClass) throw new Error(`util.${where}: needs the "long" package; in a browser call st.util.setLongClass(Long) with it first`);
  return LongClass;
}

/**
 * An unsigned 64-bit Long from hexadecimal text (TensorFlow.js' `util.hexToLong`).
 *
 * @example
 * ```ts
 * const big = st.util.hexToLong('ffffffffffffffff');
 * console.log(big.toString()); // '18446744073709551615' (unsigned)
 * ```
 */
export function hexToLong(hex: string): Long {
  if (typeof hex !== 'string' || !/^[0-9a-fA-F]+$/.test(hex)) {
    throw new Error(`util.hexToLong: expected hexadecimal digits, got ${JSON.stringify(hex)}`);
  }
  return longClass('hexToLong').fromString(hex, true, 16);
}

/**
 * Farmhash Fingerprint64 of the first `len` bytes of `s`, as an unsigned Long (TensorFlow.js' `util.fingerPrint64`).
 *
 * @example
 * ```ts
 * const hash = st.util.fingerPrint64(new TextEncoder().encode('hello'));
 * console.log(hash.toString(16)); // the same 64 bits as TensorFlow's Fingerprint64
 * ```
 */
export function fingerPrint64(s: Uint8Array, len = s.length): Long {
  if (!(s instanceof Uint8Array)) throw new Error(`util.fingerPrint64: expected a Uint8Array, got ${typeof s}`);
  const h = fingerprint64(s, len);
  return longClass('fingerPrint64').fromBits(Number(h & 0xffffffffn) | 0, Number(h >> 32n) | 0, true);
}
