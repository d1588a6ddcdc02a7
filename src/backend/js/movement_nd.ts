/**
 * N-dimensional gather and scatter kernels of the reference backend (gatherND, scatterND and the
 * ops built on them: tensorScatterUpdate, unsortedSegmentSum, sparseToDense, diag).
 *
 * Both take `indices` as rows of `depth` coordinates into the leading `depth` axes of `shape`;
 * each row names one slice of the trailing axes. A row with a coordinate outside its axis names
 * nothing: gather writes zeros for it and scatter drops it. The public ops reject such rows
 * before calling; unsortedSegmentSum relies on the dropping (TensorFlow drops such segment ids).
 */
import type { TypedArray } from '../types.js';
import { computeStrides, sizeFromShape } from '../shape_util.js';

/** The flat offset of the slice named by row `row` of `indices`, or -1 when a coordinate is out of range. */
function sliceOffset(indices: TypedArray, row: number, depth: number, shape: readonly number[],
  strides: readonly number[]): number {
  let offset = 0;
  for (let j = 0; j < depth; j++) {
    const c = indices[row * depth + j];
    if (c < 0 || c >= shape[j]) return -1;
    offset += c * strides[j];
  }
  return offset;
}

/** out[row, ...] = x[indices[row, 0], ..., indices[row, depth - 1], ...]; out holds rows * slice values. */
export function gatherNDKernel(x: TypedArray, shape: readonly number[], indices: TypedArray, depth: number,
  out: TypedArray): void {
  const strides = computeStrides(shape);
  const slice = sizeFromShape(shape.slice(depth));
  const rows = depth === 0 ? out.length / Math.max(slice, 1) : indices.length / depth;
  for (let row = 0; row < rows; row++) {
    const src = depth === 0 ? 0 : sliceOffset(indices, row, depth, shape, strides);
    const dst = row * slice;
    if (src < 0) out.fill(0, dst, dst + slice);
    else out.set(x.subarray(src, src + slice), dst);
  }
}

/**
 * Writes `updates` (rows * slice values) into `out` (already holding the base values) at the
 * slices named by `indices`: summed ('add', duplicates accumulate) or assigned ('update', the
 * last row naming a slice wins).
 */
export function scatterNDKernel(indices: TypedArray, updates: TypedArray, depth: number, shape: readonly number[],
  mode: 'add' | 'update', out: TypedArray): void {
  const strides = computeStrides(shape);
  const slice = sizeFromShape(shape.slice(depth));
  const rows = slice === 0 ? 0 : updates.length / slice;
  for (let row = 0; row < rows; row++) {
    const dst = depth === 0 ? 0 : sliceOffset(indices, row, depth, shape, strides);
    if (dst < 0) continue;
    const src = row * slice;
    if (mode === 'update') {
      out.set(updates.subarray(src, src + slice), dst);
    } else {
      for (let i = 0; i < slice; i++) out[dst + i] += updates[src + i];
    }
  }
}
