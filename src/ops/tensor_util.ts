/**
 * Small TensorFlow.js names around dtypes and containers: `tensor_util`, `upcastType`,
 * `sumOutType`, the `Rank` enum, `print` and `addN`.
 */
import type { DType } from '../backend/types.js';
import { Tensor } from '../tensor/tensor.js';
import type { TensorContainer } from '../tensor/engine.js';
import { add, cast } from './arithmetic.js';
import { convert, upcast, type TensorInput as TensorLikeInput } from './op.js';

/** Ranks by name, as TensorFlow.js' `Rank` enum. */
export enum Rank {
  R0 = 'R0',
  R1 = 'R1',
  R2 = 'R2',
  R3 = 'R3',
  R4 = 'R4',
  R5 = 'R5',
  R6 = 'R6',
}

/**
 * The dtype two operands are computed in: bool < int32 < float32 < float64.
 *
 * @example
 * ```ts
 * console.log(st.upcastType('int32', 'float32')); // 'float32'
 * ```
 */
export function upcastType(typeA: DType, typeB: DType): DType {
  return upcast(typeA, typeB);
}

/**
 * The dtype of a sum: bool and int32 sum to int32, floats to themselves.
 *
 * @example
 * ```ts
 * console.log(st.sumOutType('bool')); // 'int32'
 * ```
 */
export function sumOutType(type: DType): DType {
  return type === 'bool' ? 'int32' : type;
}

/**
 * Logs a tensor's values (TensorFlow.js' `tf.print(x, verbose)`).
 *
 * @example
 * ```ts
 * st.print(st.tensor2d([[1, 2], [3, 4]]));
 * ```
 */
export function print(x: Tensor, verbose = false): void {
  if (!(x instanceof Tensor)) throw new Error(`print: expected a Tensor, got ${x === null ? 'null' : typeof x}`);
  x.print(verbose);
}

/**
 * @example
 * ```ts
 * st.tensor_util.assertTypesMatch(st.tensor1d([1]), st.tensor1d([2])); // both float32: passes
 * ```
 */
function assertTypesMatch(a: Tensor, b: Tensor): void {
  if (a.dtype !== b.dtype) {
    throw new Error(`The dtypes of the first (${a.dtype}) and second (${b.dtype}) input must match`);
  }
}

/**
 * Both tensors in their common dtype.
 *
 * @example
 * ```ts
 * const [a, b] = st.tensor_util.makeTypesMatch(st.tensor1d([1], 'int32'), st.tensor1d([2.5]));
 * console.log(a.dtype, b.dtype); // float32 float32
 * ```
 */
function makeTypesMatch<T extends Tensor>(a: T, b: T): [T, T] {
  if (a.dtype === b.dtype) return [a, b];
  const dtype = upcast(a.dtype, b.dtype);
  return [cast(a, dtype) as T, cast(b, dtype) as T];
}

/**
 * @example
 * ```ts
 * const a = st.tensor1d([1]);
 * console.log(st.tensor_util.isTensorInList(a, [a, st.tensor1d([2])])); // true
 * ```
 */
function isTensorInList(tensor: Tensor, tensorList: readonly Tensor[]): boolean {
  return tensorList.some((t) => t.id === tensor.id);
}

/**
 * Every tensor in a container (arrays, objects, nested), each once.
 *
 * @example
 * ```ts
 * const found = st.tensor_util.getTensorsInContainer({ a: st.scalar(1), b: [st.scalar(2)] });
 * console.log(found.length); // 2
 * ```
 */
function getTensorsInContainer(result: TensorContainer): Tensor[] {
  const found: Tensor[] = [];
  const seen = new Set<unknown>();
  const walk = (v: unknown): void => {
    if (v instanceof Tensor) {
      if (!isTensorInList(v, found)) found.push(v);
      return;
    }
    // a typed array holds no tensor: not walked value by value (mlp speed area)
    if (v === null || typeof v !== 'object' || seen.has(v) || ArrayBuffer.isView(v)) return;
    seen.add(v);
    for (const x of Array.isArray(v) ? v : Object.values(v)) walk(x);
  };
  walk(result);
  return found;
}

/**
 * `st.tensor_util`: TensorFlow.js' helpers on dtypes and tensor containers.
 * @namespace
 */
export const tensor_util = { assertTypesMatch, makeTypesMatch, isTensorInList, getTensorsInContainer };

/**
 * The element-wise sum of a list of tensors of one shape and dtype (TensorFlow.js' `addN`).
 *
 * @example
 * ```ts
 * st.addN([st.tensor1d([1, 2]), st.tensor1d([3, 4]), st.tensor1d([5, 6])]).print(); // [9, 12]
 * ```
 */
export function addN(tensors: readonly (Tensor | TensorLikeInput)[]): Tensor {
  const op = 'addN';
  if (!Array.isArray(tensors) || tensors.length === 0) {
    throw new Error(`${op}: expected a non-empty array of tensors, got ${Array.isArray(tensors) ? 'an empty array' : typeof tensors}`);
  }
  const ts = tensors.map((t, i) => convert(t, op, `tensors[${i}]`));
  ts.forEach((t, i) => {
    if (t.shape.join() !== ts[0].shape.join() || t.dtype !== ts[0].dtype) {
      throw new Error(`${op}: every tensor must have the shape and dtype of tensors[0] ([${ts[0].shape}] ${ts[0].dtype}); ` +
        `tensors[${i}] is [${t.shape}] ${t.dtype}`);
    }
  });
  return ts.reduce((sum, t) => add(sum, t));
}
