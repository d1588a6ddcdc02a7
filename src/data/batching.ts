/**
 * Stacking dataset elements into batches (what `Dataset.batch` does), by tf.data's rules:
 * tensors of one shape and dtype become one tensor with a new leading axis; numbers become a
 * [b] float32 tensor and booleans a [b] bool tensor; a row of numbers (a typed array or a
 * nested array of numbers) becomes [b, ...its shape] (int32 for integer typed arrays, as
 * TensorFlow.js infers it); objects are stacked key by key, so `{xs, ys}` elements give
 * `{xs, ys}` batches. Arrays holding tensors or objects (`[xs, ys]` pairs) are stacked entry by
 * entry: TensorFlow.js turns such arrays into a meaningless tensor, we keep their structure.
 * Where TensorFlow.js quietly pads a ragged batch with NaN or zeros (a missing key, a null, a
 * short row), we raise an error naming the element.
 */
import type { DType } from '../backend/types.js';
import { typedArrayFor } from '../backend/shape_util.js';
import { makeTensor } from '../tensor/engine.js';
import { Tensor } from '../tensor/tensor.js';

/** What a batch of `T`s looks like. */
export type Batched<T> =
  T extends Tensor | number | boolean | ArrayBufferView | readonly number[] | readonly (readonly number[])[] ? Tensor
    : T extends readonly unknown[] ? { [K in keyof T]: Batched<T[K]> }
      : T extends object ? { [K in keyof T]: Batched<T[K]> }
        : never;

type NumberArrayView = ArrayBufferView & ArrayLike<number>;

function isNumberView(v: unknown): v is NumberArrayView {
  return ArrayBuffer.isView(v) && !(v instanceof DataView) && !(v instanceof BigInt64Array) && !(v instanceof BigUint64Array);
}

/** The dtype TensorFlow.js infers for a typed array: int32 for integer arrays, float32 otherwise. */
function viewDType(v: NumberArrayView): DType {
  return v instanceof Float32Array || v instanceof Float64Array ? 'float32' : 'int32';
}

interface NumericValue {
  shape: number[];
  dtype: DType;
  /** the values in row-major order */
  flat: ArrayLike<number>;
}

/**
 * `v` as a block of numbers when it is one: a number, a boolean, a typed array, or a
 * rectangular nested array of those. Null for anything else (tensors, objects, ragged arrays,
 * arrays holding tensors).
 */
function numericValue(v: unknown): NumericValue | null {
  if (typeof v === 'number') return { shape: [], dtype: 'float32', flat: [v] };
  if (typeof v === 'boolean') return { shape: [], dtype: 'bool', flat: [v ? 1 : 0] };
  if (isNumberView(v)) return { shape: [v.length], dtype: viewDType(v), flat: v };
  if (!Array.isArray(v) || v.length === 0) return null;
  const parts = v.map(numericValue);
  const first = parts[0];
  if (!first) return null;
  for (const p of parts) {
    if (!p || p.dtype !== first.dtype || p.shape.length !== first.shape.length || p.shape.some((d, k) => d !== first.shape[k])) return null;
  }
  const flat: number[] = [];
  for (const p of parts as NumericValue[]) for (let i = 0; i < p.flat.length; i++) flat.push(p.flat[i]);
  // a nested plain array of numbers is float32 in TensorFlow.js, whatever typed arrays sit inside
  return { shape: [v.length, ...first.shape], dtype: first.dtype === 'bool' ? 'bool' : 'float32', flat };
}

function describe(v: unknown): string {
  if (v instanceof Tensor) return `a ${v.dtype} tensor [${v.shape.join(', ')}]`;
  if (isNumberView(v)) return `a ${v.constructor.name} of length ${v.length}`;
  if (Array.isArray(v)) {
    const n = numericValue(v);
    return n ? `an array of numbers of shape [${n.shape.join(', ')}]` : `an array of length ${v.length}`;
  }
  if (typeof v === 'number' || typeof v === 'boolean') return `a ${typeof v} (${v})`;
  if (typeof v === 'string') return `a string (${JSON.stringify(v.length > 20 ? `${v.slice(0, 20)}...` : v)})`;
  return v === null ? 'null' : v === undefined ? 'undefined' : typeof v;
}

function stackTensors(items: Tensor[], where: string): Tensor {
  const first = items[0];
  const out = typedArrayFor(first.dtype, items.length * first.size);
  items.forEach((t, i) => {
    if (t.dtype !== first.dtype || t.shape.length !== first.shape.length || t.shape.some((d, k) => d !== first.shape[k])) {
      throw new Error(`Dataset.batch: element 0${where} is ${describe(first)} but element ${i}${where} is ${describe(t)}; ` +
        'a batch needs elements of one shape and dtype');
    }
    out.set(t.dataSync(), i * first.size);
  });
  return makeTensor(out, [items.length, ...first.shape], first.dtype);
}

function stackNumeric(items: unknown[], first: NumericValue, where: string): Tensor {
  const size = first.flat.length;
  const out = typedArrayFor(first.dtype, items.length * size);
  items.forEach((v, i) => {
    const n = i === 0 ? first : numericValue(v);
    if (!n || n.shape.length !== first.shape.length || n.shape.some((d, k) => d !== first.shape[k])) {
      throw new Error(`Dataset.batch: element 0${where} is ${describe(items[0])} but element ${i}${where} is ${describe(v)}; ` +
        'a batch needs elements of one shape');
    }
    for (let k = 0; k < size; k++) out[i * size + k] = n.flat[k];
  });
  return makeTensor(out, [items.length, ...first.shape], first.dtype);
}

/**
 * One batch from `items` (at least one); `where` names the entry inside an element, for errors.
 *
 * @example
 * ```ts
 * const batch = st.data.stackElements([{ x: st.tensor1d([1, 2]) }, { x: st.tensor1d([3, 4]) }]) as { x: st.Tensor };
 * batch.x.print(); // [[1, 2], [3, 4]]
 * ```
 */
export function stackElements(items: unknown[], where = ''): unknown {
  const first = items[0];
  if (first instanceof Tensor) {
    items.forEach((v, i) => {
      if (!(v instanceof Tensor)) {
        throw new Error(`Dataset.batch: element 0${where} is ${describe(first)} but element ${i}${where} is ${describe(v)}`);
      }
    });
    return stackTensors(items as Tensor[], where);
  }
  const numeric = numericValue(first);
  if (numeric) return stackNumeric(items, numeric, where);
  if (typeof first === 'string') {
    throw new Error(`Dataset.batch: element 0${where} is ${describe(first)}; striate has no string tensors, ` +
      'so turn text into numbers (e.g. with map) before batching');
  }
  if (Array.isArray(first) && first.length > 0) {
    items.forEach((v, i) => {
      if (!Array.isArray(v) || v.length !== first.length) {
        throw new Error(`Dataset.batch: element 0${where} is ${describe(first)} but element ${i}${where} is ${describe(v)}`);
      }
    });
    return first.map((_, k) => stackElements(items.map((v) => (v as unknown[])[k]), `${where}[${k}]`));
  }
  if (first !== null && typeof first === 'object' && !Array.isArray(first)) {
    const keys = Object.keys(first);
    items.forEach((v, i) => {
      const missing = v !== null && typeof v === 'object' ? keys.find((k) => !(k in (v as object))) : undefined;
      if (v === null || typeof v !== 'object' || missing !== undefined) {
        throw new Error(`Dataset.batch: element 0${where} is an object with keys ${keys.join(', ')} but element ${i}${where} ` +
          (missing !== undefined ? `has no key ${JSON.stringify(missing)}` : `is ${describe(v)}`));
      }
    });
    const out: Record<string, unknown> = {};
    for (const k of keys) out[k] = stackElements(items.map((v) => (v as Record<string, unknown>)[k]), `${where}.${k}`);
    return out;
  }
  throw new Error(`Dataset.batch: element 0${where} is ${describe(first)}; expected tensors, numbers, booleans, ` +
    'arrays of numbers, or arrays/objects of those');
}
