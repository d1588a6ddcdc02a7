/**
 * TensorFlow.js' `tf.sparse` namespace (`st.sparse.*`): ops on a sparse tensor held as
 * `indices` [nnz, rank] (int32), `values` [nnz] and a dense shape. The index bookkeeping reads
 * the (small) index tensors; values move through gather and segment sums, so gradients reach them.
 */
import { Tensor } from '../tensor/tensor.js';
import { tensor } from '../tensor/creation.js';
import { noGrad } from '../autograd/tape.js';
import { convert, type TensorInput } from './op.js';
import { reshape } from './transform.js';
import { concat, gather } from './slicing.js';
import { cast, div } from './arithmetic.js';
import { intTensor, unsortedSegmentSum } from './movement_nd.js';

function intValues(t: Tensor): Int32Array {
  return noGrad(() => t.dataSync()) as Int32Array;
}

function int32(values: ArrayLike<number>, shape: readonly number[]): Tensor {
  return tensor(Int32Array.from(values), shape, 'int32');
}

export interface SparseFillEmptyRowsResult {
  [name: string]: Tensor;
  /** int32 [n, rank]: the entries by row (stable within a row), one [row, 0, ...] entry per empty row */
  outputIndices: Tensor;
  outputValues: Tensor;
  /** bool [rows]: whether each row of the dense shape had no entry */
  emptyRowIndicator: Tensor;
  /** int32 [nnz]: where each input entry went in the output */
  reverseIndexMap: Tensor;
}

/**
 * Gives every empty row of a 2-D (or higher) sparse tensor one entry of `defaultValue` at
 * column 0, and orders the entries by row.
 *
 * @example
 * ```ts
 * const { outputIndices, outputValues } = st.sparse.sparseFillEmptyRows(
 *   st.tensor2d([[0, 0], [2, 1]], undefined, 'int32'), st.tensor1d([5, 6]), st.tensor1d([3, 2], 'int32'), st.scalar(-1));
 * outputValues.print(); // [5, -1, 6]: row 1 was empty
 * ```
 */
export function sparseFillEmptyRows(indices: TensorInput, values: TensorInput, denseShape: TensorInput,
  defaultValue: TensorInput): SparseFillEmptyRowsResult {
  const op = 'sparseFillEmptyRows';
  const idx = intTensor(op, 'indices', indices);
  const vals = convert(values, op, 'values');
  const shapeT = intTensor(op, 'denseShape', denseShape);
  const fillValue = convert(defaultValue, op, 'defaultValue', vals.dtype);
  if (idx.rank !== 2) throw new Error(`${op}: expected 'indices' of rank 2 [nnz, rank], got shape [${idx.shape}]`);
  if (vals.rank !== 1 || vals.shape[0] !== idx.shape[0]) {
    throw new Error(`${op}: expected 'values' of shape [${idx.shape[0]}] (one per row of indices), got [${vals.shape}]`);
  }
  if (shapeT.rank !== 1) throw new Error(`${op}: expected 'denseShape' of rank 1, got shape [${shapeT.shape}]`);
  if (fillValue.rank !== 0) throw new Error(`${op}: expected 'defaultValue' to be a scalar, got shape [${fillValue.shape}]`);
  const rank = idx.shape[1];
  const nnz = idx.shape[0];
  const rows = intValues(shapeT)[0] ?? 0;
  const coords = intValues(idx);
  const perRow = new Array<number>(rows).fill(0);
  for (let i = 0; i < nnz; i++) {
    const row = coords[i * rank];
    if (row < 0 || row >= rows) {
      throw new Error(`${op}: indices[${i}] has row ${row}, outside the ${rows} rows of the dense shape`);
    }
    perRow[row]++;
  }
  // each row's first output position; an empty row takes one slot for its default entry
  const start = new Array<number>(rows + 1).fill(0);
  for (let r = 0; r < rows; r++) start[r + 1] = start[r] + Math.max(perRow[r], 1);
  const total = start[rows];
  const outCoords = new Int32Array(total * rank);
  const source = new Int32Array(total).fill(nnz); // nnz stands for defaultValue
  const filled = new Array<number>(rows).fill(0);
  const reverse = new Int32Array(nnz);
  for (let i = 0; i < nnz; i++) {
    const row = coords[i * rank];
    const at = start[row] + filled[row]++;
    outCoords.set(coords.subarray(i * rank, i * rank + rank), at * rank);
    source[at] = i;
    reverse[i] = at;
  }
  for (let r = 0; r < rows; r++) if (perRow[r] === 0) outCoords[start[r] * rank] = r;
  const pool = concat([vals, reshape(fillValue, [1])]);
  return {
    outputIndices: tensor(outCoords, [total, rank], 'int32'),
    outputValues: gather(pool, tensor(source, [total], 'int32')),
    emptyRowIndicator: tensor(Uint8Array.from(perRow, (c) => (c === 0 ? 1 : 0)), [rows], 'bool'),
    reverseIndexMap: tensor(reverse, [nnz], 'int32'),
  };
}

export interface SparseReshapeResult {
  [name: string]: Tensor;
  /** int32 [nnz, newRank] */
  outputIndices: Tensor;
  /** int32 [newRank]: newShape with its -1 resolved */
  outputShape: Tensor;
}

/**
 * The indices of a sparse tensor of `inputShape` re-expressed in `newShape` (one entry may be -1).
 *
 * @example
 * ```ts
 * const { outputIndices, outputShape } = st.sparse.sparseReshape(
 *   st.tensor2d([[0, 1], [1, 0]], undefined, 'int32'), st.tensor1d([2, 2], 'int32'), st.tensor1d([4], 'int32'));
 * outputIndices.print(); // [[1], [2]]
 * ```
 */
export function sparseReshape(inputIndices: TensorInput, inputShape: TensorInput, newShape: TensorInput): SparseReshapeResult {
  const op = 'sparseReshape';
  const idx = intTensor(op, 'inputIndices', inputIndices);
  const fromT = intTensor(op, 'inputShape', inputShape);
  const toT = intTensor(op, 'newShape', newShape);
  if (idx.rank !== 2) throw new Error(`${op}: expected 'inputIndices' of rank 2 [nnz, rank], got shape [${idx.shape}]`);
  if (fromT.rank !== 1) throw new Error(`${op}: expected 'inputShape' of rank 1, got shape [${fromT.shape}]`);
  if (toT.rank !== 1) throw new Error(`${op}: expected 'newShape' of rank 1, got shape [${toT.shape}]`);
  const from = Array.from(intValues(fromT));
  const target = Array.from(intValues(toT));
  if (idx.shape[1] !== from.length) {
    throw new Error(`${op}: 'inputIndices' rows have ${idx.shape[1]} coordinates, but 'inputShape' [${from}] has rank ${from.length}`);
  }
  const denseSize = from.reduce((a, b) => a * b, 1);
  const unknown = target.flatMap((d, i) => (d === -1 ? [i] : []));
  if (unknown.length > 1) throw new Error(`${op}: only one entry of 'newShape' may be -1, got [${target}]`);
  const bad = target.findIndex((d) => d < -1);
  if (bad >= 0) throw new Error(`${op}: 'newShape'[${bad}] = ${target[bad]} is negative (only -1 is allowed)`);
  const known = target.reduce((a, d) => (d === -1 ? a : a * d), 1);
  const out = [...target];
  if (unknown.length === 1) {
    if (known === 0 || denseSize % known !== 0) {
      throw new Error(`${op}: cannot reshape a sparse tensor of shape [${from}] (${denseSize} entries) into [${target}]`);
    }
    out[unknown[0]] = denseSize / known;
  }
  if (out.reduce((a, b) => a * b, 1) !== denseSize) {
    throw new Error(`${op}: cannot reshape a sparse tensor of shape [${from}] (${denseSize} entries) into [${target}]`);
  }
  const nnz = idx.shape[0];
  const inRank = from.length;
  const outRank = out.length;
  const inStrides = from.map((_, i) => from.slice(i + 1).reduce((a, b) => a * b, 1));
  const outStrides = out.map((_, i) => out.slice(i + 1).reduce((a, b) => a * b, 1));
  const coords = intValues(idx);
  const result = new Int32Array(nnz * outRank);
  for (let i = 0; i < nnz; i++) {
    let flat = 0;
    for (let j = 0; j < inRank; j++) flat += coords[i * inRank + j] * inStrides[j];
    for (let j = 0; j < outRank; j++) {
      result[i * outRank + j] = Math.floor(flat / outStrides[j]);
      flat %= outStrides[j];
    }
  }
  return { outputIndices: tensor(result, [nnz, outRank], 'int32'), outputShape: int32(out, [outRank]) };
}

/** Validates sorted segment ids and in-range indices; returns the number of segments. */
function segments(op: string, data: Tensor, idx: Tensor, ids: Tensor): number {
  if (data.rank < 1) throw new Error(`${op}: expected 'data' of rank 1 or more, got a scalar`);
  if (idx.rank !== 1) throw new Error(`${op}: expected 'indices' of rank 1, got shape [${idx.shape}]`);
  if (ids.rank !== 1 || ids.shape[0] !== idx.shape[0]) {
    throw new Error(`${op}: expected 'segmentIds' of shape [${idx.shape[0]}] (one per index), got [${ids.shape}]`);
  }
  const rows = intValues(idx);
  const segs = intValues(ids);
  for (let i = 0; i < rows.length; i++) {
    if (rows[i] < 0 || rows[i] >= data.shape[0]) {
      throw new Error(`${op}: indices[${i}] = ${rows[i]} is out of range for 'data' with ${data.shape[0]} rows`);
    }
    if (segs[i] < 0) throw new Error(`${op}: segmentIds[${i}] = ${segs[i]} is negative`);
    if (i > 0 && segs[i] < segs[i - 1]) {
      throw new Error(`${op}: segmentIds must be sorted (non-decreasing), but segmentIds[${i}] = ${segs[i]} follows ${segs[i - 1]}`);
    }
  }
  return segs.length > 0 ? segs[segs.length - 1] + 1 : 0;
}

/**
 * out[s] = sum of data[indices[i]] over i with segmentIds[i] = s (ids sorted); missing segments are 0.
 *
 * @example
 * ```ts
 * const data = st.tensor2d([[1, 2], [3, 4], [5, 6]]);
 * st.sparse.sparseSegmentSum(data, st.tensor1d([0, 2], 'int32'), st.tensor1d([0, 0], 'int32')).print(); // [[6, 8]]
 * ```
 */
export function sparseSegmentSum(data: TensorInput, indices: TensorInput, segmentIds: TensorInput): Tensor {
  const op = 'sparseSegmentSum';
  const t = convert(data, op, 'data');
  const idx = intTensor(op, 'indices', indices);
  const ids = intTensor(op, 'segmentIds', segmentIds);
  const count = segments(op, t, idx, ids);
  return unsortedSegmentSum(gather(t, idx), ids, count);
}

/**
 * The mean instead of the sum over each segment; missing segments are 0.
 *
 * @example
 * ```ts
 * const data = st.tensor2d([[1, 2], [3, 4], [5, 6]]);
 * st.sparse.sparseSegmentMean(data, st.tensor1d([0, 2], 'int32'), st.tensor1d([0, 0], 'int32')).print(); // [[3, 4]]
 * ```
 */
export function sparseSegmentMean(data: TensorInput, indices: TensorInput, segmentIds: TensorInput): Tensor {
  const op = 'sparseSegmentMean';
  let t = convert(data, op, 'data');
  if (t.dtype !== 'float32' && t.dtype !== 'float64') t = cast(t, 'float32');
  const idx = intTensor(op, 'indices', indices);
  const ids = intTensor(op, 'segmentIds', segmentIds);
  const count = segments(op, t, idx, ids);
  const sizes = new Array<number>(count).fill(0);
  for (const s of intValues(ids)) sizes[s]++;
  const divisor = tensor(sizes.map((n) => Math.max(n, 1)), [count, ...t.shape.slice(1).map(() => 1)], t.dtype);
  return div(unsortedSegmentSum(gather(t, idx), ids, count), divisor);
}
