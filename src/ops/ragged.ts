/**
 * Ragged tensors as TensorFlow.js holds them: dense values plus row splits (int32 vectors,
 * splits[i]..splits[i + 1] the entries of row i). raggedRange builds one; raggedGather picks
 * rows of one. The splits are index bookkeeping read into JavaScript; the values move through
 * gather, so gradients reach them.
 */
import { Tensor } from '../tensor/tensor.js';
import { tensor } from '../tensor/creation.js';
import { noGrad } from '../autograd/tape.js';
import { convert, type TensorInput } from './op.js';
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
