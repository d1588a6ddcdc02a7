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
  // every (outer, inner) pair is one independent run along the axis; walking the inner index
  // fastest keeps reads contiguous when the axis is not the last one
  const acc = new Float64Array(inner);
  const first = reverse ? n - 1 : 0;
  const step = reverse ? -1 : 1;
  for (let o = 0; o < outer; o++) {
    const base = o * n * inner;
    acc.fill(isSum ? 0 : 1);
    for (let k = 0, i = first; k < n; k++, i += step) {
      const row = base + i * inner;
      if (exclusive) {
        for (let j = 0; j < inner; j++) {
          const v = x[row + j];
          out[row + j] = acc[j];
          acc[j] = isSum ? acc[j] + v : acc[j] * v;
        }
      } else {
        for (let j = 0; j < inner; j++) {
          const v = x[row + j];
          acc[j] = isSum ? acc[j] + v : acc[j] * v;
          out[row + j] = acc[j];
        }
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
  const order = new Int32Array(n);
  // ranks a before b when it is larger, or equal and earlier
  let row = x;
  let base = 0;
  const before = (a: number, b: number): number => {
    const va = row[base + a];
    const vb = row[base + b];
    if (va > vb || (va !== va && vb === vb)) return -1; // NaN first
    if (va < vb || (vb !== vb && va === va)) return 1;
    return a - b;
  };
  for (let r = 0; r < rows; r++) {
    base = r * n;
    row = x;
    for (let i = 0; i < n; i++) order[i] = i;
    let chosen: Int32Array;
    if (k === 1) {
      let best = 0;
      for (let i = 1; i < n; i++) if (before(i, best) < 0) best = i;
      chosen = order.subarray(0, 1);
      chosen[0] = best;
    } else if (k * 8 < n) {
      // a small k of a long row: keep a sorted window of the k best seen so far
      const window = new Int32Array(k);
      let filled = 0;
      for (let i = 0; i < n; i++) {
        if (filled === k && before(i, window[k - 1]) > 0) continue;
        let p = filled < k ? filled++ : k - 1;
        while (p > 0 && before(i, window[p - 1]) < 0) {
          window[p] = window[p - 1];
          p--;
        }
        window[p] = i;
      }
      chosen = window;
    } else {
      chosen = order.sort(before).subarray(0, k);
    }
    if (!sorted) chosen = Int32Array.from(chosen).sort();
    const outBase = r * k;
    for (let i = 0; i < k; i++) {
      indices[outBase + i] = chosen[i];
      values[outBase + i] = x[base + chosen[i]];
    }
  }
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
