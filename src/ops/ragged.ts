/**
 * Ragged tensors as TensorFlow.js holds them: dense values plus row splits (int32 vectors,
 * splits[i]..splits[i + 1] the entries of row i). raggedRange builds one; raggedGather picks
 * rows of one; raggedTensorToTensor pads one into a dense tensor. The splits are index
 * bookkeeping read into JavaScript; raggedGather's values move through gather, so gradients
 * reach them (raggedTensorToTensor has no gradient, as in TensorFlow.js).
 */
import { Tensor } from '../tensor/tensor.js';
import { tensor } from '../tensor/creation.js';
import { noGrad } from '../autograd/tape.js';
import { convert, runOp, wrap, type TensorInput } from './op.js';
import type { RaggedPartitionType } from '../backend/types.js';
import { gather } from './slicing.js';
import { intTensor } from './movement_nd.js';

/**
 * Ranges start, start + delta, ... up to (not including) limit, one row per entry of the
 * vectors (or scalars, broadcast): `rtNestedSplits` int32 [rows + 1] and `rtDenseValues`.
 *
 * @example
 * ```ts
 * const { rtNestedSplits, rtDenseValues } = st.raggedRange(st.tensor1d([0, 5], 'int32'), st.tensor1d([3, 7], 'int32'), st.tensor1d([1, 1], 'int32'));
 * rtDenseValues.print(); // [0, 1, 2, 5, 6]
 * ```
 */
export function raggedRange(starts: TensorInput, limits: TensorInput, deltas: TensorInput): { [name: string]: Tensor;
  rtNestedSplits: Tensor; rtDenseValues: Tensor; } {
  const op = 'raggedRange';
  const s = convert(starts, op, 'starts');
  const l = convert(limits, op, 'limits', s.dtype);
  const d = convert(deltas, op, 'deltas', s.dtype);
  const args = [['starts', s], ['limits', l], ['deltas', d]] as const;
  for (const [name, t] of args) {
    if (t.rank > 1) throw new Error(`${op}: expected '${name}' to be a scalar or a vector, got shape [${t.shape}]`);
    if (t.dtype !== s.dtype) throw new Error(`${op}: expected '${name}' of dtype ${s.dtype} (as starts), got ${t.dtype}`);
  }
  const lengths = args.filter(([, t]) => t.rank === 1).map(([name, t]) => [name, t.shape[0]] as const);
  if (lengths.some(([, n]) => n !== lengths[0][1])) {
    throw new Error(`${op}: the vectors among starts, limits and deltas must have one length, got ` +
      lengths.map(([name, n]) => `${name} ${n}`).join(', '));
  }
  const rows = lengths.length > 0 ? lengths[0][1] : 1;
  const [sv, lv, dv] = noGrad(() => [s.dataSync(), l.dataSync(), d.dataSync()]);
  const at = (v: ArrayLike<number>, t: Tensor, i: number) => (t.rank === 0 ? v[0] : v[i]);
  const splits = new Int32Array(rows + 1);
  const values: number[] = [];
  for (let r = 0; r < rows; r++) {
    const start = at(sv, s, r);
    const limit = at(lv, l, r);
    const delta = at(dv, d, r);
    if (delta === 0) throw new Error(`${op}: deltas[${r}] is 0; a range needs a nonzero step`);
    const size = (delta > 0 && limit < start) || (delta < 0 && limit > start) ? 0 : Math.ceil(Math.abs((limit - start) / delta));
    for (let k = 0, v = start; k < size; k++, v += delta) values.push(v);
    splits[r + 1] = splits[r] + size;
  }
  return { rtNestedSplits: tensor(splits, [rows + 1], 'int32'), rtDenseValues: tensor(values, [values.length], s.dtype) };
}

/**
 * Rows of a ragged tensor (`paramsNestedSplits`, outermost first, over `paramsDenseValues`) at
 * `indices` (int32, any shape): the result's splits describe indices.shape followed by the
 * gathered rows' ragged dimensions; `outputRaggedRank` is indices.rank - 1 + the number of splits.
 *
 * @example
 * ```ts
 * const { outputDenseValues } = st.raggedGather([st.tensor1d([0, 2, 3], 'int32')], st.tensor1d([1, 2, 3]), st.tensor1d([1, 0], 'int32'), 1);
 * outputDenseValues.print(); // [3, 1, 2]
 * ```
 */
export function raggedGather(paramsNestedSplits: readonly TensorInput[], paramsDenseValues: TensorInput, indices: TensorInput,
  outputRaggedRank: number): { outputNestedSplits: Tensor[]; outputDenseValues: Tensor } {
  const op = 'raggedGather';
  if (!Array.isArray(paramsNestedSplits) || paramsNestedSplits.length === 0) {
    throw new Error(`${op}: expected 'paramsNestedSplits' to be a non-empty array of int32 vectors`);
  }
  const splitTensors = paramsNestedSplits.map((t, i) => intTensor(op, `paramsNestedSplits[${i}]`, t));
  const values = convert(paramsDenseValues, op, 'paramsDenseValues');
  const idx = intTensor(op, 'indices', indices);
  if (values.rank === 0) throw new Error(`${op}: expected 'paramsDenseValues' of rank 1 or more, got a scalar`);
  const expectedRank = Math.max(idx.rank, 1) - 1 + splitTensors.length;
  if (outputRaggedRank !== expectedRank) {
    throw new Error(`${op}: expected 'outputRaggedRank' ${expectedRank} (indices rank ${idx.rank} - 1 + ${splitTensors.length} splits), ` +
      `got ${JSON.stringify(outputRaggedRank)}`);
  }
  const splits = splitTensors.map((t, i) => {
    if (t.rank !== 1 || t.size === 0) throw new Error(`${op}: expected paramsNestedSplits[${i}] to be a non-empty vector, got shape [${t.shape}]`);
    return noGrad(() => t.dataSync()) as Int32Array;
  });
  splits.forEach((sp, dim) => {
    const end = dim === splits.length - 1 ? values.shape[0] : splits[dim + 1].length - 1;
    for (let i = 0; i < sp.length; i++) {
      if (sp[i] < 0 || sp[i] > end || (i > 0 && sp[i] < sp[i - 1])) {
        throw new Error(`${op}: paramsNestedSplits[${dim}] must rise from 0 or more to at most ${end}, got [${Array.from(sp)}]`);
      }
    }
  });
  const rowsOfParams = splits[0].length - 1;
  const picks = noGrad(() => idx.dataSync());
  picks.forEach((p, i) => {
    if (p < 0 || p >= rowsOfParams) throw new Error(`${op}: indices (flat position ${i}) = ${p} is not in [0, ${rowsOfParams})`);
  });
  // the uniform outer dimensions of indices become splits of fixed-length rows
  const out: number[][] = [];
  let outer = 1;
  for (let dim = 0; dim < idx.rank - 1; dim++) {
    outer *= idx.shape[dim];
    const width = idx.shape[dim + 1];
    out.push(Array.from({ length: outer + 1 }, (_, i) => i * width));
  }
  const firstRagged = out.length;
  splits.forEach(() => out.push([0]));
  const valueRows: number[] = [];
  for (const p of picks) {
    let start = p;
    let limit = p + 1;
    splits.forEach((sp, dim) => {
      const target = out[firstRagged + dim];
      const shift = target[target.length - 1] - sp[start];
      for (let j = start; j < limit; j++) target.push(sp[j + 1] + shift);
      start = sp[start];
      limit = sp[limit];
    });
    for (let r = start; r < limit; r++) valueRows.push(r);
  }
  return {
    outputNestedSplits: out.map((sp) => tensor(Int32Array.from(sp), [sp.length], 'int32')),
    outputDenseValues: gather(values, tensor(Int32Array.from(valueRows), [valueRows.length], 'int32')),
  };
}

const partitionTypeNames = ['FIRST_DIM_SIZE', 'VALUE_ROWIDS', 'ROW_LENGTHS', 'ROW_SPLITS', 'ROW_LIMITS', 'ROW_STARTS'];

/** One ragged level after its checks: its partition, the number of children it places and its widest row. */
interface RaggedLevel { type: RaggedPartitionType; tensor: Tensor; children: number; widest: number }

/**
 * Checks one level's partition against the rows above it (`parents`) and measures it: the number
 * of children it describes and its widest row. Splits may describe fewer rows than there are
 * parents (the rest are empty), as TensorFlow.js allows.
 */
function readLevel(op: string, where: string, type: RaggedPartitionType, t: Tensor, parents: number): RaggedLevel {
  if (t.rank !== 1) throw new Error(`${op}: expected ${where} (${type}) to be a vector, got shape [${t.shape}]`);
  const p = noGrad(() => t.dataSync());
  let widest = 0;
  if (type === 'ROW_SPLITS') {
    if (p.length === 0) throw new Error(`${op}: expected ${where} (ROW_SPLITS) to hold at least one entry, got an empty vector`);
    if (p.length - 1 > parents) {
      throw new Error(`${op}: ${where} (ROW_SPLITS) splits ${p.length - 1} rows, but the level above has only ${parents}`);
    }
    for (let i = 0; i < p.length; i++) {
      if ((i === 0 && p[0] !== 0) || (i > 0 && p[i] < p[i - 1])) {
        throw new Error(`${op}: ${where} (ROW_SPLITS) must start at 0 and never fall, got [${Array.from(p)}]`);
      }
      if (i > 0) widest = Math.max(widest, p[i] - p[i - 1]);
    }
    return { type, tensor: t, children: p[p.length - 1], widest };
  }
  for (let i = 0, run = 0; i < p.length; i++) {
    if (p[i] < 0 || p[i] >= parents || (i > 0 && p[i] < p[i - 1])) {
      throw new Error(`${op}: ${where} (VALUE_ROWIDS) must be sorted row ids in [0, ${parents}), got ${p[i]} at position ${i}`);
    }
    run = i > 0 && p[i] === p[i - 1] ? run + 1 : 1;
    widest = Math.max(widest, run);
  }
  return { type, tensor: t, children: p.length, widest };
}

/**
 * The dense tensor of a ragged tensor: `values` [n, ...inner] grouped into rows by
 * `rowPartitionTensors` (int32, outermost level first), whose kinds `rowPartitionTypes` names:
 * 'ROW_SPLITS' (row i holds children splits[i]..splits[i + 1]) or 'VALUE_ROWIDS' (the sorted
 * row of each child), the latter at the top only after a 'FIRST_DIM_SIZE' scalar giving the
 * number of top rows. ('ROW_LENGTHS', 'ROW_LIMITS' and 'ROW_STARTS' are named by TensorFlow but
 * not handled by TensorFlow.js either.)
 *
 * `shape` (int32, ragged levels + values.rank entries) sets the output shape; -1 entries take
 * the natural size (the number of top rows, the widest row of a level, values' own inner
 * sizes), and so does a scalar -1 or an empty vector for all of them. A smaller size drops the
 * values past it; cells no value reaches hold `defaultValue`, broadcast to values' inner shape
 * (rank below values' rank). Same dtype as values; no gradient, as in TensorFlow.js.
 * @example
 * ```ts
 * // rows [1, 2], [], [3, 4, 5] padded with 0 to the natural shape [3, 3]
 * st.raggedTensorToTensor([-1, -1], [1, 2, 3, 4, 5], 0, [st.tensor1d([0, 2, 2, 5], 'int32')], ['ROW_SPLITS']).print();
 * ```
 */
export function raggedTensorToTensor(shape: TensorInput, values: TensorInput, defaultValue: TensorInput,
  rowPartitionTensors: readonly TensorInput[], rowPartitionTypes: readonly string[]): Tensor {
  const op = 'raggedTensorToTensor';
  const shapeTensor = intTensor(op, 'shape', shape);
  const v = convert(values, op, 'values');
  const dv = convert(defaultValue, op, 'defaultValue', v.dtype);
  if (v.rank === 0) throw new Error(`${op}: expected 'values' of rank 1 or more, got a scalar`);
  if (dv.dtype !== v.dtype) throw new Error(`${op}: expected 'defaultValue' of dtype ${v.dtype} (as values), got ${dv.dtype}`);
  if (!Array.isArray(rowPartitionTensors) || rowPartitionTensors.length === 0) {
    throw new Error(`${op}: expected 'rowPartitionTensors' to be a non-empty array of int32 tensors`);
  }
  if (!Array.isArray(rowPartitionTypes) || rowPartitionTypes.length !== rowPartitionTensors.length) {
    throw new Error(`${op}: expected 'rowPartitionTypes' to be an array of ${rowPartitionTensors.length} names, one per ` +
      `row partition tensor, got ${Array.isArray(rowPartitionTypes) ? `${rowPartitionTypes.length} names` : typeof rowPartitionTypes}`);
  }
  rowPartitionTypes.forEach((type, i) => {
    if (!partitionTypeNames.includes(type)) {
      throw new Error(`${op}: unknown row partition type ${JSON.stringify(type)} at rowPartitionTypes[${i}] ` +
        `(expected one of ${partitionTypeNames.join(', ')})`);
    }
    if (type === 'FIRST_DIM_SIZE' && i > 0) {
      throw new Error(`${op}: FIRST_DIM_SIZE may only come first in rowPartitionTypes, got it at position ${i}`);
    }
    if (type === 'ROW_LENGTHS' || type === 'ROW_LIMITS' || type === 'ROW_STARTS') {
      throw new Error(`${op}: row partition type ${type} (rowPartitionTypes[${i}]) is not supported, as in TensorFlow.js; ` +
        'give ROW_SPLITS or VALUE_ROWIDS');
    }
  });
  const partitions = rowPartitionTensors.map((t, i) => intTensor(op, `rowPartitionTensors[${i}]`, t));

  // the number of top rows: FIRST_DIM_SIZE's scalar, or the rows the first splits describe
  const first = rowPartitionTypes[0];
  let firstDimSize: number;
  if (first === 'FIRST_DIM_SIZE') {
    if (partitions[0].size !== 1) {
      throw new Error(`${op}: expected rowPartitionTensors[0] (FIRST_DIM_SIZE) to be a scalar, got shape [${partitions[0].shape}]`);
    }
    firstDimSize = noGrad(() => partitions[0].dataSync())[0];
    if (firstDimSize < 0) throw new Error(`${op}: FIRST_DIM_SIZE must be 0 or more, got ${firstDimSize}`);
    if (partitions.length === 1) throw new Error(`${op}: FIRST_DIM_SIZE must be followed by at least one row partition`);
  } else if (first === 'VALUE_ROWIDS') {
    throw new Error(`${op}: VALUE_ROWIDS in the first dimension needs a FIRST_DIM_SIZE before it (the number of rows)`);
  } else {
    if (partitions[0].rank !== 1 || partitions[0].size === 0) {
      throw new Error(`${op}: expected rowPartitionTensors[0] (ROW_SPLITS) to be a non-empty vector, got shape [${partitions[0].shape}]`);
    }
    firstDimSize = partitions[0].size - 1;
  }
  const offset = first === 'FIRST_DIM_SIZE' ? 1 : 0;
  const levels: RaggedLevel[] = [];
  let parents = firstDimSize;
  for (let i = offset; i < partitions.length; i++) {
    const level = readLevel(op, `rowPartitionTensors[${i}]`, rowPartitionTypes[i] as RaggedPartitionType, partitions[i], parents);
    levels.push(level);
    parents = level.children;
  }
  if (parents !== v.shape[0]) {
    throw new Error(`${op}: the innermost row partition describes ${parents} values, but 'values' has ${v.shape[0]} ` +
      `(shape [${v.shape}])`);
  }

  const outShape = resolveShape(op, shapeTensor, firstDimSize, levels.map((l) => l.widest), v.shape);
  const inner = v.shape.slice(1);
  if (dv.rank >= v.rank) {
    throw new Error(`${op}: expected 'defaultValue' of rank below values' rank ${v.rank}, got shape [${dv.shape}]`);
  }
  dv.shape.forEach((dim, i) => {
    const against = inner[inner.length - dv.rank + i];
    if (dim !== 1 && dim !== against) {
      throw new Error(`${op}: 'defaultValue' of shape [${dv.shape}] does not broadcast to values' inner shape [${inner}]`);
    }
  });
  const kernelPartitions = levels.map((l) => l.tensor);
  const kernelTypes = levels.map((l) => l.type);
  return runOp(op, [v, dv], (b, [vals, dflt]) =>
    wrap(b, b.raggedTensorToTensor(vals, dflt, kernelPartitions, kernelTypes, firstDimSize, outShape), outShape, v.dtype));
}

/** The output shape: `shape`'s entries, its -1 entries (or all, for a scalar -1 or an empty vector) taking the natural sizes. */
function resolveShape(op: string, shapeTensor: Tensor, firstDimSize: number, widths: readonly number[],
  valuesShape: readonly number[]): number[] {
  const natural = [firstDimSize, ...widths, ...valuesShape.slice(1)];
  const given = Array.from(noGrad(() => shapeTensor.dataSync()));
  if (shapeTensor.rank === 0) {
    if (given[0] !== -1) throw new Error(`${op}: a scalar 'shape' can only be -1 (the natural shape), got ${given[0]}`);
    return natural;
  }
  if (shapeTensor.rank !== 1) throw new Error(`${op}: expected 'shape' to be a vector or the scalar -1, got shape [${shapeTensor.shape}]`);
  if (given.length === 0) return natural;
  if (given.length !== natural.length) {
    throw new Error(`${op}: expected 'shape' of ${natural.length} entries (${widths.length + 1} ragged dimensions + values' ` +
      `${valuesShape.length - 1} inner ones), got [${given}]`);
  }
  const raggedDims = widths.length + 1;
  return given.map((dim, i) => {
    if (dim < -1) throw new Error(`${op}: shape[${i}] must be -1 (natural size) or 0 or more, got ${dim}`);
    if (i >= raggedDims && dim !== -1 && dim !== natural[i]) {
      throw new Error(`${op}: shape[${i}] = ${dim} cannot change values' inner dimension ${natural[i]} (values shape [${valuesShape}])`);
    }
    return dim === -1 ? natural[i] : dim;
  });
}
