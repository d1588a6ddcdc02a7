/** Making tensors from JavaScript values. */
import type { DType, TypedArray } from '../backend/types.js';
import { sizeFromShape, typedArrayFor } from '../backend/shape_util.js';
import { makeStringTensor, makeTensor } from './engine.js';
import { Tensor, Variable, type NestedArray } from './tensor.js';
import { checkDtypeName } from './options.js';

/**
 * Anything `tensor()` accepts: numbers, booleans or strings, nested or flat, typed arrays, and
 * (with dtype 'string') Uint8Array byte strings, one per element.
 */
export type TensorLike = TypedArray | NestedArray | readonly number[] | readonly boolean[] | readonly string[]
  | readonly Uint8Array[];

/**
 * Throws unless `dtype` is one of striate's dtypes; a typo names the nearest (see checkDtypeName).
 *
 * @example
 * ```ts
 * st.assertDtype('myOp', 'float32'); // passes; 'float16' would throw
 * ```
 */
export function assertDtype(op: string, dtype: unknown): asserts dtype is DType {
  checkDtypeName(op, dtype);
}

/**
 * @example
 * ```ts
 * st.assertShape('myOp', [2, 3]); // passes; [2, -3] would throw
 * ```
 */
export function assertShape(op: string, shape: unknown): asserts shape is number[] {
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new Error(`${op}: shape must be an array of non-negative integers, got ${JSON.stringify(shape)}`);
  }
}

/** A short description of a value for an error message (never throws on cycles). */
function describeValue(v: unknown): string {
  if (v !== null && typeof v === 'object') {
    const name = (v as object).constructor?.name ?? 'object';
    return name === 'Tensor' ? 'a Tensor (pass it directly, not inside an array)' : `a ${name}`;
  }
  return typeof v === 'string' ? JSON.stringify(v) : String(v);
}

/** Shape of nested arrays, checking that they are rectangular. */
function inferShape(values: NestedArray | TypedArray, op: string, bytesAsValues: boolean): number[] {
  if (ArrayBuffer.isView(values)) return [values.length];
  const shape: number[] = [];
  let level: unknown = values;
  while (Array.isArray(level)) {
    shape.push(level.length);
    level = level[0];
  }
  const check = (v: unknown, depth: number, path: string): void => {
    if (depth === shape.length) {
      if (Array.isArray(v)) throw new Error(`${op}: ragged nested array: element ${path} is an array, expected a number`);
      if (typeof v !== 'number' && typeof v !== 'boolean' && typeof v !== 'string' && !(bytesAsValues && v instanceof Uint8Array)) {
        throw new Error(`${op}: element ${path || '(scalar)'} is ${describeValue(v)}, expected a number, boolean or string`);
      }
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[depth]) {
      throw new Error(`${op}: ragged nested array: element ${path || '(top)'} should have length ${shape[depth]}, ` +
        `got ${Array.isArray(v) ? v.length : JSON.stringify(v)}`);
    }
    v.forEach((item, i) => check(item, depth + 1, `${path}[${i}]`));
  };
  check(values, 0, '');
  return shape;
}

function flatten(values: NestedArray, out: number[]): number[] {
  if (Array.isArray(values)) for (const v of values) flatten(v, out);
  // numeric text becomes its number, as TensorFlow.js reads tensor(['1', '2.5'], [2], 'float32')
  else out.push(typeof values === 'boolean' ? (values ? 1 : 0) : typeof values === 'string' ? Number(values) : values);
  return out;
}

/** The leaves of nested arrays as UTF-8 byte strings (non-string leaves as their text). */
function flattenStrings(values: unknown, out: Uint8Array[], encoder: TextEncoder): Uint8Array[] {
  if (Array.isArray(values)) for (const v of values) flattenStrings(v, out, encoder);
  else if (values instanceof Uint8Array) out.push(values.slice());
  else out.push(encoder.encode(String(values)));
  return out;
}

/** The first leaf of nested arrays. */
function firstLeaf(values: unknown): unknown {
  let v = values;
  while (Array.isArray(v)) v = v[0];
  return v;
}

function dtypeOf(values: TensorLike): DType {
  if (values instanceof Float64Array) return 'float64';
  if (values instanceof Int32Array) return 'int32';
  if (values instanceof Uint8Array) return 'bool';
  const v = firstLeaf(values);
  return typeof v === 'boolean' ? 'bool' : typeof v === 'string' ? 'string' : 'float32';
}

/**
 * `tensor([[1, 2], [3, 4]])`, `tensor(flatValues, shape)`, `tensor(values, shape, 'float64')`.
 * Nested arrays must be rectangular; a flat array with a shape must have the shape's size.
 *
 * @example
 * ```ts
 * const t = st.tensor([[1, 2], [3, 4]]);
 * t.print();
 * st.tensor([1, 2, 3, 4], [2, 2], 'int32').print();
 * ```
 */
export function tensor(values: TensorLike, shape?: readonly number[], dtype?: DType): Tensor {
  const op = 'tensor';
  if (dtype === 'complex64' || dtype === 'complex128') {
    // as TensorFlow.js: values cannot say which are real and which imaginary parts
    throw new Error(`${op}: cannot construct a ${dtype} tensor directly; use complex(real, imag)`);
  }
  if (dtype !== undefined) assertDtype(op, dtype);
  const inferred = inferShape(values as NestedArray | TypedArray, op, dtype === 'string');
  if ((dtype ?? dtypeOf(values)) === 'string') return stringTensor(op, values, inferred, shape);
  const flat: ArrayLike<number> = ArrayBuffer.isView(values) ? values as TypedArray : flatten(values as NestedArray, []);
  if (shape !== undefined) {
    assertShape(op, shape);
    if (sizeFromShape(shape) !== flat.length) {
      throw new Error(`${op}: shape [${shape}] holds ${sizeFromShape(shape)} values, but ${flat.length} were given`);
    }
  }
  const finalShape = shape ?? inferred;
  const finalDtype = dtype ?? dtypeOf(values);
  const data = typedArrayFor(finalDtype, flat.length);
  if (finalDtype === 'int32') for (let i = 0; i < flat.length; i++) data[i] = Math.trunc(flat[i]);
  // NaN (text that is no number) counts as true, as in TensorFlow.js
  else if (finalDtype === 'bool') for (let i = 0; i < flat.length; i++) data[i] = flat[i] !== 0 ? 1 : 0;
  else data.set(flat);
  return makeTensor(data, finalShape, finalDtype);
}

/** A 'string' tensor from strings (or byte strings): the dtype comes from the values or was asked. */
function stringTensor(op: string, values: TensorLike, inferred: number[], shape?: readonly number[]): Tensor {
  if (ArrayBuffer.isView(values)) {
    throw new Error(`${op}: dtype 'string' needs strings (or one Uint8Array per element), got a ${values.constructor.name}`);
  }
  const first = firstLeaf(values);
  if (first !== undefined && typeof first !== 'string' && !(first instanceof Uint8Array)) {
    throw new Error(`${op}: dtype 'string' needs strings (or one Uint8Array per element), got ${describeValue(first)}`);
  }
  const flat = flattenStrings(values, [], new TextEncoder());
  if (shape !== undefined) {
    assertShape(op, shape);
    if (sizeFromShape(shape) !== flat.length) {
      throw new Error(`${op}: shape [${shape}] holds ${sizeFromShape(shape)} values, but ${flat.length} were given`);
    }
  }
  return makeStringTensor(flat, shape ?? inferred);
}

/**
 * @example
 * ```ts
 * st.scalar(3.14).print();
 * st.scalar('text').print();
 * ```
 */
export function scalar(value: number | boolean | string | Uint8Array, dtype?: DType): Tensor {
  if (typeof value !== 'number' && typeof value !== 'boolean' && typeof value !== 'string' &&
      !(value instanceof Uint8Array && dtype === 'string')) {
    throw new Error(`scalar: expected a number, boolean or string, got ${JSON.stringify(value)}`);
  }
  if (value instanceof Uint8Array) return makeStringTensor([value.slice()], []);
  return tensor(value as NestedArray, [], dtype);
}

function ofRank(rank: number) {
  const op = `tensor${rank}d`;
  return (values: TensorLike, shape?: readonly number[], dtype?: DType): Tensor => {
    if (shape !== undefined && (!Array.isArray(shape) || shape.length !== rank)) {
      throw new Error(`${op}: shape must be ${rank} dimensions, got ${JSON.stringify(shape)}` +
        (typeof shape === 'string' ? ` (the dtype comes third: ${op}(values, shape, dtype))` : ''));
    }
    const t = tensor(values, shape, dtype);
    if (t.rank !== rank) throw new Error(`${op}: expected a rank-${rank} value, got shape [${t.shape}]`);
    return t;
  };
}

/**
 * A rank-1 tensor: `tensor1d([0, 2, 4], 'int32')` (TensorFlow.js takes no shape here).
 *
 * @example
 * ```ts
 * st.tensor1d([1, 2, 3]).print();
 * ```
 */
export function tensor1d(values: TensorLike, dtype?: DType): Tensor {
  if (dtype !== undefined && typeof dtype !== 'string') {
    throw new Error(`tensor1d: the second argument is the dtype, got ${JSON.stringify(dtype)} ` +
      '(tensor1d takes no shape; use tensor(values, shape) for one)');
  }
  const t = tensor(values, undefined, dtype);
  if (t.rank !== 1) throw new Error(`tensor1d: expected a rank-1 value, got shape [${t.shape}]`);
  return t;
}
// their doc comments and examples sit on the public versions in checked.ts, the names st.* exports
export const tensor2d = ofRank(2);
export const tensor3d = ofRank(3);
export const tensor4d = ofRank(4);
export const tensor5d = ofRank(5);
export const tensor6d = ofRank(6);

/**
 * A tensor of `shape` with every value `value` (a string fills a 'string' tensor).
 *
 * @example
 * ```ts
 * st.fill([2, 3], 7).print();
 * st.fill([2], 'a').print();
 * ```
 */
export function fill(shape: readonly number[], value: number | string, dtype?: DType): Tensor {
  assertShape('fill', shape);
  dtype ??= typeof value === 'string' ? 'string' : 'float32';
  if (dtype === 'string' || typeof value === 'string') {
    if (dtype !== 'string' || typeof value !== 'string') {
      throw new Error(`fill: a ${dtype} tensor cannot be filled with ${JSON.stringify(value)}; strings fill 'string' tensors`);
    }
    const bytes = new TextEncoder().encode(value);
    return makeStringTensor(Array.from({ length: sizeFromShape(shape) }, () => bytes.slice()), shape);
  }
  const complex = dtype === 'complex64' || dtype === 'complex128';
  if (!complex) assertDtype('fill', dtype);
  const data = typedArrayFor(dtype, sizeFromShape(shape));
  // a complex fill sets the real parts (ones(shape, 'complex64') is 1 + 0j)
  if (complex) for (let i = 0; i < data.length; i += 2) data[i] = value;
  else data.fill(value);
  return makeTensor(data, shape, dtype);
}

/**
 * @example
 * ```ts
 * st.zeros([2, 3]).print();
 * ```
 */
export function zeros(shape: readonly number[], dtype: DType = 'float32'): Tensor {
  return fill(shape, 0, dtype);
}

/**
 * @example
 * ```ts
 * st.ones([2, 2], 'int32').print();
 * ```
 */
export function ones(shape: readonly number[], dtype: DType = 'float32'): Tensor {
  return fill(shape, 1, dtype);
}

/**
 * @example
 * ```ts
 * st.zerosLike(st.tensor([[1, 2], [3, 4]])).print();
 * ```
 */
export function zerosLike(x: Tensor): Tensor {
  return zeros(x.shape, x.dtype);
}

/**
 * @example
 * ```ts
 * st.onesLike(st.tensor([1, 2, 3])).print();
 * ```
 */
export function onesLike(x: Tensor): Tensor {
  return ones(x.shape, x.dtype);
}

/**
 * A trainable tensor (model weight).
 *
 * @example
 * ```ts
 * const v = st.variable(st.tensor([1, 2, 3]));
 * v.assign(st.tensor([4, 5, 6]));
 * v.print();
 * ```
 */
export function variable(initial: Tensor, trainable = true, name?: string, dtype?: DType): Variable {
  if (!(initial instanceof Tensor)) throw new Error('variable: expected a Tensor as the initial value');
  if (dtype !== undefined && dtype !== initial.dtype) {
    throw new Error(`variable: initial value has dtype ${initial.dtype}, but dtype ${dtype} was asked (cast it first)`);
  }
  return new Variable(initial, trainable, name);
}
