/**
 * Scans, selection and counting on typed arrays: cumulative sums and products along one axis,
 * the k largest entries of each row, binary search in sorted rows, and bin counts. The wasm
 * backend runs these same loops over views of its heap.
 */
import type { TypedArray } from '../types.js';
import { sizeFromShape } from '../shape_util.js';

/**
 * Running sum or product along `axis` of `x` (shape `shape`) into `out` (same shape).
 * `exclusive`: each entry leaves out its own element (starting from 0 or 1);
 * `reverse`: runs from the end of the axis towards its start.
 */
export function cumulativeKernel(
  op: 'sum' | 'prod', x: TypedArray, shape: readonly number[], axis: number,
  exclusive: boolean, reverse: boolean, out: TypedArray,
): void {
  const n = shape[axis];
  const inner = sizeFromShape(shape.slice(axis + 1));
  const outer = sizeFromShape(shape.slice(0, axis));
  const isSum = op === 'sum';
  const first = reverse ? n - 1 : 0;
  const step = reverse ? -inner : inner;
  if (inner === 1) {
    // the last axis: one running total per row
    for (let o = 0; o < outer; o++) {
      let at = o * n + first;
      let acc = isSum ? 0 : 1;
      for (let k = 0; k < n; k++, at += step) {
        const v = x[at];
        if (exclusive) out[at] = acc;
        acc = isSum ? acc + v : acc * v;
        if (!exclusive) out[at] = acc;
      }
    }
    return;
  }
  // another axis: each (outer, inner) pair is one independent run; walking the inner index
  // fastest keeps the reads contiguous
  const acc = new Float64Array(inner);
  for (let o = 0; o < outer; o++) {
    acc.fill(isSum ? 0 : 1);
    let row = o * n * inner + first * inner;
    for (let k = 0; k < n; k++, row += step) {
      for (let j = 0; j < inner; j++) {
        const v = x[row + j];
        if (exclusive) out[row + j] = acc[j];
        acc[j] = isSum ? acc[j] + v : acc[j] * v;
        if (!exclusive) out[row + j] = acc[j];
      }
    }
  }
}

/**
 * The k largest entries of each row (the last axis) of `x`: values into `values`, their
 * positions into `indices` (both [rows, k]). Equal values keep their order (the lower index
 * first); NaN counts as larger than every number. `sorted` false still returns the k largest,
 * in index order.
 */
export function topKKernel(
  x: TypedArray, shape: readonly number[], k: number, sorted: boolean,
  values: TypedArray, indices: Int32Array,
): void {
  const n = shape.length === 0 ? 1 : shape[shape.length - 1];
  const rows = n === 0 ? 0 : x.length / n;
  if (k === 0) return;
  const row = new Float64Array(n);
  const order = new Int32Array(n);
  const heap = new Int32Array(k);
  const before = (a: number, b: number): number => ranksBefore(row, a, b);
  for (let r = 0; r < rows; r++) {
    const base = r * n;
    for (let i = 0; i < n; i++) row[i] = x[base + i];
    let chosen: Int32Array;
    if (k * 4 >= n) {
      for (let i = 0; i < n; i++) order[i] = i;
      chosen = order.sort(before).subarray(0, k);
    } else {
      // a heap of the k best seen so far, the weakest of them on top: O(n log k)
      for (let i = 0; i < k; i++) siftUp(row, heap, i, i);
      for (let i = k; i < n; i++) {
        if (ranksBefore(row, i, heap[0]) < 0) siftDown(row, heap, k, i);
      }
      chosen = sorted ? heap.sort(before) : heap;
    }
    if (!sorted) chosen.sort();
    const outBase = r * k;
    for (let i = 0; i < k; i++) {
      indices[outBase + i] = chosen[i];
      values[outBase + i] = x[base + chosen[i]];
    }
  }
}

/** < 0 when entry a of `row` ranks before entry b: larger, or NaN against a number, or equal and earlier. */
function ranksBefore(row: Float64Array, a: number, b: number): number {
  const va = row[a];
  const vb = row[b];
  if (va > vb) return -1;
  if (va < vb) return 1;
  if (va !== va) { if (vb === vb) return -1; } else if (vb !== vb) return 1;
  return a - b;
}

/** Puts index `item` at slot `at` of a min-heap (weakest on top) and restores the order upwards. */
function siftUp(row: Float64Array, heap: Int32Array, at: number, item: number): void {
  while (at > 0) {
    const parent = (at - 1) >> 1;
    if (ranksBefore(row, heap[parent], item) > 0) break;
    heap[at] = heap[parent];
    at = parent;
  }
  heap[at] = item;
}

/** Replaces the heap's top (its weakest entry) with `item` and restores the order downwards. */
function siftDown(row: Float64Array, heap: Int32Array, size: number, item: number): void {
  let at = 0;
  for (;;) {
    let child = 2 * at + 1;
    if (child >= size) break;
    // the weaker child: the one that ranks after the other
    if (child + 1 < size && ranksBefore(row, heap[child + 1], heap[child]) > 0) child++;
    if (ranksBefore(row, item, heap[child]) < 0) {
      heap[at] = heap[child];
      at = child;
    } else break;
  }
  heap[at] = item;
}

/**
 * For each row b, the insertion point of every `values[b, j]` in the sorted row
 * `sorted[b, :]`: the first position whose entry is >= the value ('left') or > it ('right').
 */
export function searchSortedKernel(
  sorted: TypedArray, rows: number, n: number, values: TypedArray, m: number,
  side: 'left' | 'right', out: Int32Array,
): void {
  for (let b = 0; b < rows; b++) {
    const base = b * n;
    for (let j = 0; j < m; j++) {
      const v = values[b * m + j];
      let lo = 0;
      let hi = n;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        const s = sorted[base + mid];
        if (side === 'left' ? s < v : s <= v) lo = mid + 1;
        else hi = mid;
      }
      out[b * m + j] = hi;
    }
  }
}

/**
 * Counts (or sums `weights` at) each value of the int32 `x`, per row: x is [rows, cols]
 * (rows 1 for a vector), out is [rows, size]. Values >= size are skipped; `binary` writes 1
 * for any occurrence. A negative value is an error (there is no bin for it).
 */
export function bincountKernel(
  x: TypedArray, rows: number, cols: number, weights: TypedArray | null, size: number,
  binary: boolean, out: TypedArray,
): void {
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const i = r * cols + c;
      const v = x[i];
      if (v < 0) throw new Error(`bincount: expected non-negative values in 'x', got ${v} at index ${i}`);
      if (v >= size) continue;
      const at = r * size + v;
      if (binary) out[at] = 1;
      else out[at] += weights ? weights[i] : 1;
    }
  }
}
