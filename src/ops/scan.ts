/**
 * Scans, selection, sets and counting (TensorFlow.js signatures): cumsum, cumprod, topk,
 * unique, searchSorted / lowerBound / upperBound, bincount, denseBincount, inTopKAsync.
 */
import type { DType } from '../backend/types.js';
import { Tensor } from '../tensor/tensor.js';
import { makeTensor } from '../tensor/engine.js';
import { range } from '../tensor/sequences.js';
import { typedArrayFor } from '../backend/shape_util.js';
import { checkArgType } from '../tensor/options.js';
import { chainable, convert, isFloat, normalizeAxis, runOp, wrap, type TensorInput } from './op.js';
import { cast, div, equal, mul } from './arithmetic.js';
import { sum } from './reduce.js';
import { expandDims, reshape } from './transform.js';

// ---- cumulative sum and product ----

function cumulative(op: 'cumsum' | 'cumprod', x: TensorInput, axis: number, exclusive: boolean, reverse: boolean): Tensor {
  const t = convert(x, op, 'x');
  if (t.rank === 0) throw new Error(`${op}: expected 'x' of rank 1 or more, got a scalar`);
  const a = normalizeAxis(op, axis, t.rank);
  checkArgType(op, 'exclusive', exclusive, 'boolean');
  checkArgType(op, 'reverse', reverse, 'boolean');
  // bool sums and products count in int32, as TensorFlow.js
  const dtype: DType = t.dtype === 'bool' ? 'int32' : t.dtype;
  const kind = op === 'cumsum' ? 'sum' : 'prod';
  return runOp(op, [t], (be, [v]) => wrap(be, be.cumulative(kind, v, a, exclusive, reverse, dtype), v.shape, dtype),
    !isFloat(dtype) ? undefined : op === 'cumsum'
      // each input feeds every later (or, reversed, earlier) output: the running sum the other way
      ? (dy) => [cumsum(dy, a, exclusive, !reverse)]
      // d/dx_i of the running products: sum over the outputs x_i feeds of dy * out / x_i
      // (TensorFlow's formula; infinite or NaN where x_i is 0)
      : (dy, [v], out) => [div(cumsum(mul(dy, out), a, exclusive, !reverse), v)]);
}

/**
 * Running sum along `axis` (default 0). `exclusive` leaves each element out of its own sum; `reverse` sums from the end.
 *
 * @example
 * ```ts
 * st.cumsum(st.tensor1d([1, 2, 3])).print(); // [1, 3, 6]
 * ```
 */
export function cumsum(x: TensorInput, axis = 0, exclusive = false, reverse = false): Tensor {
  return cumulative('cumsum', x, axis, exclusive, reverse);
}

/**
 * Running product along `axis` (default 0); `exclusive` and `reverse` as in cumsum.
 *
 * @example
 * ```ts
 * st.cumprod(st.tensor1d([1, 2, 3])).print(); // [1, 2, 6]
 * ```
 */
export function cumprod(x: TensorInput, axis = 0, exclusive = false, reverse = false): Tensor {
  return cumulative('cumprod', x, axis, exclusive, reverse);
}

// ---- top k ----

/**
 * The `k` largest entries along the last axis and their int32 indices. Sorted (largest first)
 * by default; equal values come in index order. The gradient sends dy back to the chosen entries.
 *
 * @example
 * ```ts
 * const { values, indices } = st.topk(st.tensor1d([1, 9, 3, 7]), 2);
 * values.print();  // [9, 7]
 * indices.print(); // [1, 3]
 * ```
 */
export function topk(x: TensorInput, k = 1, sorted = true): { values: Tensor; indices: Tensor } {
  const op = 'topk';
  const t = convert(x, op, 'x');
  if (t.rank === 0) throw new Error(`${op}: expected 'x' of rank 1 or more, got a scalar`);
  const last = t.shape[t.rank - 1];
  if (!Number.isInteger(k) || k < 0 || k > last) {
    throw new Error(`${op}: expected 'k' to be an integer in [0, ${last}] (the last dimension of shape [${t.shape}]), got ${k}`);
  }
  checkArgType(op, 'sorted', sorted, 'boolean');
  const outShape = [...t.shape.slice(0, -1), k];
  let indices: Tensor | null = null;
  const values = runOp(op, [t], (be, [v]) => {
    const r = be.topK(v, k, sorted);
    indices = wrap(be, r.indices, outShape, 'int32');
    return wrap(be, r.values, outShape, v.dtype);
  }, isFloat(t.dtype) ? (dy, [v]) => [scatterLast(dy, indices as unknown as Tensor, last, v.dtype)] : undefined);
  return { values, indices: indices as unknown as Tensor };
}

/** dy [..., k] placed at positions `indices` [..., k] of a zero [..., n] tensor. */
function scatterLast(dy: Tensor, indices: Tensor, n: number, dtype: DType): Tensor {
  // [..., k, 1] == [n] marks, for each chosen entry, its column
  const hit = cast(equal(expandDims(indices, -1), range(0, n, 1, 'int32')), dtype);
  return sum(mul(expandDims(dy, -1), hit), -2);
}

// ---- unique ----

/**
 * The distinct slices of `x` along `axis` (default 0), in order of first appearance, and for
 * each slice of x the int32 index of its value in the result. NaN equals NaN; 0 equals -0.
 *
 * @example
 * ```ts
 * const { values, indices } = st.unique(st.tensor1d([4, 2, 4, 1]));
 * values.print();  // [4, 2, 1]
 * indices.print(); // [0, 1, 0, 2]
 * ```
 */
export function unique(x: TensorInput, axis = 0): { values: Tensor; indices: Tensor } {
  const op = 'unique';
  const t = convert(x, op, 'x');
  if (t.rank === 0) throw new Error(`${op}: expected 'x' of rank 1 or more, got a scalar`);
  const a = normalizeAxis(op, axis, t.rank);
  const n = t.shape[a];
  const outer = t.shape.slice(0, a).reduce((p, d) => p * d, 1);
  const inner = t.shape.slice(a + 1).reduce((p, d) => p * d, 1);
  const data = t.dataSync();
  const seen = new Map<number | string, number>();
  const indices = new Int32Array(n);
  const firsts: number[] = [];
  const slice = new Array<number>(outer * inner);
  for (let i = 0; i < n; i++) {
    let key: number | string;
    if (outer * inner === 1) {
      key = data[i];
    } else {
      for (let o = 0; o < outer; o++) {
        for (let j = 0; j < inner; j++) slice[o * inner + j] = data[(o * n + i) * inner + j];
      }
      // String(-0) is "0" and String(NaN) is "NaN": the same equality as for single values
      key = slice.join(',');
    }
    let at = seen.get(key);
    if (at === undefined) {
      at = firsts.length;
      seen.set(key, at);
      firsts.push(i);
    }
    indices[i] = at;
  }
  const m = firsts.length;
  const values = typedArrayFor(t.dtype, outer * m * inner);
  for (let o = 0; o < outer; o++) {
    for (let u = 0; u < m; u++) {
      const from = (o * n + firsts[u]) * inner;
      values.set(data.subarray(from, from + inner), (o * m + u) * inner);
    }
  }
  const outShape = [...t.shape];
  outShape[a] = m;
  return { values: makeTensor(values, outShape, t.dtype), indices: makeTensor(indices, [n], 'int32') };
}

// ---- sorted search ----

/**
 * For each value, the index at which it would be inserted into the sorted last-axis rows of
 * `sortedSequence` to keep them sorted: before equal entries ('left') or after them ('right').
 * As in TensorFlow.js the leading dimensions are flattened: the result is int32 [rows, m].
 *
 * @example
 * ```ts
 * st.searchSorted(st.tensor1d([1, 3, 5]), st.tensor1d([0, 3, 6])).print(); // [0, 1, 3]
 * ```
 */
export function searchSorted(sortedSequence: TensorInput, values: TensorInput, side: 'left' | 'right' = 'left'): Tensor {
  const op = 'searchSorted';
  const s = convert(sortedSequence, op, 'sortedSequence');
  const v = convert(values, op, 'values', s.dtype);
  if (side !== 'left' && side !== 'right') {
    throw new Error(`${op}: side must be 'left' or 'right', got ${JSON.stringify(side)}`);
  }
  if (s.rank === 0 || v.rank === 0) {
    throw new Error(`${op}: expected 'sortedSequence' and 'values' of rank 1 or more, got shapes [${s.shape}] and [${v.shape}]`);
  }
  const n = s.shape[s.rank - 1];
  const m = v.shape[v.rank - 1];
  const rows = s.size / Math.max(n, 1);
  const valueRows = v.size / Math.max(m, 1);
  if (rows !== valueRows) {
    throw new Error(`${op}: 'sortedSequence' [${s.shape}] and 'values' [${v.shape}] must have the same number of ` +
      `rows (the product of all but the last dimension): ${rows} vs ${valueRows}`);
  }
  const s2 = reshape(s, [rows, n]);
  const v2 = reshape(v.dtype === s.dtype ? v : cast(v, s.dtype), [rows, m]);
  return runOp(op, [s2, v2], (be, [a, b]) => wrap(be, be.searchSorted(a, b, side), [rows, m], 'int32'));
}

/**
 * searchSorted with side 'left': the first index whose entry is >= the value.
 *
 * @example
 * ```ts
 * st.lowerBound(st.tensor1d([1, 3, 5]), st.tensor1d([3])).print(); // [1]
 * ```
 */
export function lowerBound(sortedSequence: TensorInput, values: TensorInput): Tensor {
  return searchSorted(sortedSequence, values, 'left');
}

/**
 * searchSorted with side 'right': the first index whose entry is > the value.
 *
 * @example
 * ```ts
 * st.upperBound(st.tensor1d([1, 3, 5]), st.tensor1d([3])).print(); // [2]
 * ```
 */
export function upperBound(sortedSequence: TensorInput, values: TensorInput): Tensor {
  return searchSorted(sortedSequence, values, 'right');
}

// ---- bin counts ----

function binArgs(op: string, x: TensorInput, weights: TensorInput, size: number, maxRank: number): [Tensor, Tensor | null, DType] {
  const t = convert(x, op, 'x', 'int32');
  if (t.dtype !== 'int32') throw new Error(`${op}: expected 'x' of dtype int32, got ${t.dtype}`);
  if (t.rank < 1 || t.rank > maxRank) {
    throw new Error(`${op}: expected 'x' of rank ${maxRank === 1 ? '1' : '1 or 2'}, got shape [${t.shape}]`);
  }
  if (!Number.isInteger(size) || size < 0) throw new Error(`${op}: expected 'size' to be a non-negative integer, got ${size}`);
  const w = convert(weights, op, 'weights');
  if (w.size !== 0 && w.size !== t.size) {
    throw new Error(`${op}: 'weights' must have the shape of 'x' [${t.shape}] or be empty, got shape [${w.shape}]`);
  }
  // the counts take the weights' dtype (float32 for an empty weights tensor), as TensorFlow.js
  const dtype: DType = w.dtype === 'bool' ? 'int32' : w.dtype;
  return [t, w.size === 0 ? null : w, dtype];
}

/**
 * How often each value 0..size-1 occurs in the int32 vector `x` (or the sum of `weights` there).
 *
 * @example
 * ```ts
 * st.bincount(st.tensor1d([0, 1, 1, 3], 'int32'), st.tensor1d([], 'float32'), 4).print(); // [1, 2, 0, 1]
 * ```
 */
export function bincount(x: TensorInput, weights: TensorInput, size: number): Tensor {
  const op = 'bincount';
  const [t, w, dtype] = binArgs(op, x, weights, size, 1);
  return runOp(op, w ? [t, w] : [t], (be, [v, wv]) => wrap(be, be.bincount(v, wv ?? null, size, false, dtype), [size], dtype));
}

/**
 * bincount of a vector or of each row of a matrix; `binaryOutput` marks presence with 1 instead of counting.
 *
 * @example
 * ```ts
 * st.denseBincount(st.tensor1d([0, 1, 1, 3], 'int32'), st.tensor1d([], 'float32'), 4).print(); // [1, 2, 0, 1]
 * ```
 */
export function denseBincount(x: TensorInput, weights: TensorInput, size: number, binaryOutput = false): Tensor {
  const op = 'denseBincount';
  const [t, w, dtype] = binArgs(op, x, weights, size, 2);
  checkArgType(op, 'binaryOutput', binaryOutput, 'boolean');
  const outShape = t.rank === 2 ? [t.shape[0], size] : [size];
  return runOp(op, w ? [t, w] : [t], (be, [v, wv]) => wrap(be, be.bincount(v, wv ?? null, size, binaryOutput, dtype), outShape, dtype));
}

// ---- in top k ----

/**
 * Whether each target class is among the `k` largest predictions of its row: predictions
 * [..., classes], targets [...] (int32) -> bool [...]. Ties rank the lower index first.
 *
 * @example
 * ```ts
 * const predictions = st.tensor2d([[0.1, 0.8, 0.1], [0.6, 0.3, 0.1]]);
 * (await st.inTopKAsync(predictions, st.tensor1d([1, 1], 'int32'), 1)).print(); // [true, false]
 * ```
 */
export async function inTopKAsync(predictions: TensorInput, targets: TensorInput, k = 1): Promise<Tensor> {
  const op = 'inTopK';
  const p = convert(predictions, op, 'predictions');
  const t = convert(targets, op, 'targets', 'int32');
  if (p.rank < 2) throw new Error(`${op}: expected 'predictions' of rank 2 or more, got shape [${p.shape}]`);
  if (t.rank !== p.rank - 1 || t.shape.some((d, i) => d !== p.shape[i])) {
    throw new Error(`${op}: expected 'targets' of shape [${p.shape.slice(0, -1)}] (predictions [${p.shape}] without ` +
      `the last dimension), got [${t.shape}]`);
  }
  const classes = p.shape[p.rank - 1];
  if (!Number.isInteger(k) || k <= 0 || k > classes) {
    throw new Error(`${op}: expected 'k' to be an integer in [1, ${classes}], got ${k}`);
  }
  const chosen = await topk(p, k, true).indices.data();
  const wanted = await t.data();
  const hits = new Uint8Array(t.size);
  for (let r = 0; r < hits.length; r++) {
    for (let j = 0; j < k; j++) {
      if (chosen[r * k + j] === wanted[r]) hits[r] = 1;
    }
  }
  return makeTensor(hits, t.shape, 'bool');
}

declare module '../tensor/tensor.js' {
  interface Tensor {
    cumsum(axis?: number, exclusive?: boolean, reverse?: boolean): Tensor;
    cumprod(axis?: number, exclusive?: boolean, reverse?: boolean): Tensor;
    topk(k?: number, sorted?: boolean): { values: Tensor; indices: Tensor };
    unique(axis?: number): { values: Tensor; indices: Tensor };
  }
}

chainable({ cumsum, cumprod, topk, unique });
