/**
 * Stacking dataset elements into batches (what `Dataset.batch` does): tensors of one shape
 * become one tensor with a new leading axis, numbers become a [b] float32 tensor, arrays of
 * numbers and typed arrays become [b, length] rows, and arrays or objects of those are stacked
 * entry by entry, so `{xs, ys}` elements give `{xs, ys}` batches.
 */
import type { TypedArray } from '../backend/types.js';
import { typedArrayFor } from '../backend/shape_util.js';
import { makeTensor } from '../tensor/engine.js';
import { Tensor } from '../tensor/tensor.js';

/** What a batch of `T`s looks like. */
export type Batched<T> =
  T extends Tensor | number | TypedArray | readonly number[] ? Tensor
    : T extends readonly unknown[] ? { [K in keyof T]: Batched<T[K]> }
      : T extends object ? { [K in keyof T]: Batched<T[K]> }
        : never;

function isTypedArray(v: unknown): v is TypedArray {
  return v instanceof Float32Array || v instanceof Float64Array || v instanceof Int32Array || v instanceof Uint8Array;
}

function isNumberRow(v: unknown): v is readonly number[] {
  return Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'number');
}

function describe(v: unknown): string {
  if (v instanceof Tensor) return `a ${v.dtype} tensor [${v.shape.join(', ')}]`;
  if (isTypedArray(v)) return `a ${v.constructor.name} of length ${v.length}`;
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  return v === null ? 'null' : typeof v;
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

function stackRows(items: (TypedArray | readonly number[])[], where: string): Tensor {
  const len = items[0].length;
  const out = new Float32Array(items.length * len);
  items.forEach((row, i) => {
    if (row.length !== len) {
      throw new Error(`Dataset.batch: element 0${where} has ${len} values but element ${i}${where} has ${row.length}`);
    }
    out.set(row, i * len);
  });
  return makeTensor(out, [items.length, len], 'float32');
}

/** One batch from `items` (at least one); `where` names the entry inside an element, for errors. */
export function stackElements(items: unknown[], where = ''): unknown {
  const first = items[0];
  const same = (test: (v: unknown) => boolean, kind: string): void => {
    items.forEach((v, i) => {
      if (!test(v)) throw new Error(`Dataset.batch: element 0${where} is ${kind} but element ${i}${where} is ${describe(v)}`);
    });
  };
  if (first instanceof Tensor) {
    same((v) => v instanceof Tensor, describe(first));
    return stackTensors(items as Tensor[], where);
  }
  if (typeof first === 'number') {
    same((v) => typeof v === 'number', 'a number');
    return makeTensor(Float32Array.from(items as number[]), [items.length], 'float32');
  }
  if (isTypedArray(first) || isNumberRow(first)) {
    same((v) => isTypedArray(v) || isNumberRow(v), 'a row of numbers');
    return stackRows(items as (TypedArray | number[])[], where);
  }
  if (Array.isArray(first)) {
    same((v) => Array.isArray(v) && v.length === first.length, describe(first));
    return first.map((_, k) => stackElements(items.map((v) => (v as unknown[])[k]), `${where}[${k}]`));
  }
  if (first !== null && typeof first === 'object') {
    const keys = Object.keys(first);
    same((v) => v !== null && typeof v === 'object' && keys.every((k) => k in (v as object)), `an object with keys ${keys.join(', ')}`);
    const out: Record<string, unknown> = {};
    for (const k of keys) out[k] = stackElements(items.map((v) => (v as Record<string, unknown>)[k]), `${where}.${k}`);
    return out;
  }
  throw new Error(`Dataset.batch: element 0${where} is ${describe(first)}; expected tensors, numbers, ` +
    'rows of numbers, or arrays/objects of those');
}
