/**
 * Gathers and scatters by N-dimensional coordinates: gatherND, scatterND, tensorScatterUpdate,
 * unsortedSegmentSum, sparseToDense and diag. All run on the backend's gatherND/scatterND
 * kernels; gatherND and the additive scatter are each other's gradient.
 */
import { Tensor } from '../tensor/tensor.js';
import { noGrad } from '../autograd/tape.js';
import { chainable, convert, isFloat, runOp, wrap, type TensorInput } from './op.js';
import { reshape, broadcastTo } from './transform.js';
import { cast } from './arithmetic.js';
import { zeros } from '../tensor/creation.js';

/** An int32 index tensor from an int32 Tensor or an array of integers; names the argument otherwise. */
export function intTensor(op: string, arg: string, x: TensorInput): Tensor {
  if (x instanceof Tensor) {
    if (x.dtype !== 'int32') throw new Error(`${op}: expected '${arg}' to be an int32 tensor, got dtype ${x.dtype}`);
    return convert(x, op, arg);
  }
  const t = convert(x, op, arg, 'int32');
  if (t.dtype !== 'int32') {
    throw new Error(`${op}: expected '${arg}' to hold integers, got a ${t.dtype} value`);
  }
  if (Array.isArray(x)) {
    const flat = (x as unknown[]).flat(Infinity) as unknown[];
    const bad = flat.findIndex((v) => !Number.isInteger(v));
    if (bad >= 0) throw new Error(`${op}: expected '${arg}' to hold integers, got ${JSON.stringify(flat[bad])} at flat position ${bad}`);
  } else if (typeof x === 'number' && !Number.isInteger(x)) {
    throw new Error(`${op}: expected '${arg}' to be an integer, got ${x}`);
  }
  return t;
}

/** A shape argument: an array of non-negative integers. */
export function checkShape(op: string, arg: string, shape: unknown): number[] {
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new Error(`${op}: expected '${arg}' to be an array of non-negative integers, got ${JSON.stringify(shape)}`);
  }
  return [...shape] as number[];
}

/** Throws, naming the row, when a row of `indices` [rows, depth] leaves `shape`'s leading axes. */
function checkCoordinates(op: string, indices: Tensor, depth: number, shape: readonly number[]): void {
  if (depth === 0) return;
  const values = noGrad(() => indices.dataSync());
  for (let i = 0; i < values.length; i++) {
    const axis = i % depth;
    if (values[i] < 0 || values[i] >= shape[axis]) {
      const row = Math.floor(i / depth);
      const coords = Array.from(values.subarray(row * depth, row * depth + depth));
      throw new Error(`${op}: indices row ${row} = [${coords}] is out of range for shape [${shape}] ` +
        `(coordinate ${axis} must be in [0, ${shape[axis] - 1}])`);
    }
  }
}

// ---- the two kernels as differentiable ops, without validation (callers validate) ----

/** x's slices at `indices` [..., depth]. Gradient: scatter-add into x's shape. */
function gatherNDOp(x: Tensor, indices: Tensor): Tensor {
  const depth = indices.shape[indices.rank - 1];
  const outShape = [...indices.shape.slice(0, -1), ...x.shape.slice(depth)];
  return runOp('gatherND', [x], (be, [v]) => wrap(be, be.gatherND(v, indices), outShape, v.dtype),
    isFloat(x.dtype) ? (dy, [v]) => [scatterAddOp(indices, dy, v.shape)] : undefined);
}

/** zeros of `shape` plus `updates` summed at `indices` [..., depth]. Gradient: gather. */
function scatterAddOp(indices: Tensor, updates: Tensor, shape: readonly number[]): Tensor {
  return runOp('scatterND', [updates], (be, [u]) => wrap(be, be.scatterND(indices, u, shape, null, 'add'), shape, u.dtype),
    isFloat(updates.dtype) ? (dy) => [gatherNDOp(dy, indices)] : undefined);
}

/**
 * `base` with the slices at `indices` replaced by `updates`. Gradient: dy with those slices
 * zeroed for base, dy's slices for updates (rows naming a slice twice: each gets that slice's
 * gradient, though only the last one's value shows).
 */
function scatterUpdateOp(base: Tensor, indices: Tensor, updates: Tensor): Tensor {
  const shape = base.shape;
  return runOp('tensorScatterUpdate', [base, updates],
    (be, [b, u]) => wrap(be, be.scatterND(indices, u, shape, b, 'update'), shape, b.dtype),
    isFloat(base.dtype)
      ? (dy, [, u], _out, needed) => [
        needed[0] ? scatterUpdateOp(dy, indices, zeros(u.shape, dy.dtype)) : null,
        needed[1] ? gatherNDOp(dy, indices) : null,
      ]
      : undefined);
}

// ---- public ops ----

/**
 * Slices of `x` picked by coordinates: `indices` [..., depth] holds rows of `depth` coordinates
 * into x's leading axes; the result has shape indices.shape[:-1] + x.shape[depth:].
 *
 * @example
 * ```ts
 * st.gatherND(st.tensor2d([[1, 2], [3, 4]]), st.tensor2d([[1, 0], [0, 1]], undefined, 'int32')).print(); // [3, 2]
 * ```
 */
export function gatherND(x: TensorInput, indices: TensorInput): Tensor {
  const op = 'gatherND';
  const idx = intTensor(op, 'indices', indices);
  const t = convert(x, op, 'x');
  if (t.rank < 1) throw new Error(`${op}: expected 'x' of rank 1 or more, got a scalar`);
  if (idx.rank < 1) throw new Error(`${op}: expected 'indices' of rank 1 or more [..., depth], got a scalar`);
  const depth = idx.shape[idx.rank - 1];
  if (depth > t.rank) {
    throw new Error(`${op}: indices rows have ${depth} coordinates (indices shape [${idx.shape}]), ` +
      `more than the rank ${t.rank} of 'x' (shape [${t.shape}])`);
  }
  checkCoordinates(op, idx, depth, t.shape);
  return gatherNDOp(t, idx);
}

/** Checks updates.shape = indices.shape[:-1] + shape[depth:] (TensorFlow's scatter rule); returns indices as [rows, depth]. */
function scatterIndices(op: string, idx: Tensor, updates: Tensor, shape: readonly number[]): Tensor {
  if (idx.rank < 1) throw new Error(`${op}: expected 'indices' of rank 1 or more, got a scalar`);
  if (updates.rank < 1) throw new Error(`${op}: expected 'updates' of rank 1 or more, got a scalar`);
  if (shape.length < 1) throw new Error(`${op}: expected an output shape of rank 1 or more, got []`);
  // rank-1 indices hold one coordinate per row
  const rows2d = idx.rank === 1 ? reshape(idx, [-1, 1]) : idx;
  const depth = rows2d.shape[rows2d.rank - 1];
  const lead = rows2d.shape.slice(0, -1);
  const expected = [...lead, ...shape.slice(depth)];
  if (depth > shape.length || updates.rank !== expected.length || updates.shape.some((d, i) => d !== expected[i])) {
    throw new Error(`${op}: expected 'updates' of shape [${expected}] (indices.shape[:-1] + shape[${depth}:]) ` +
      `for indices [${idx.shape}] into shape [${shape}], got [${updates.shape}]`);
  }
  checkCoordinates(op, rows2d, depth, shape);
  return rows2d;
}

/**
 * A zero tensor of `shape` with `updates` added at `indices` (duplicates sum).
 *
 * @example
 * ```ts
 * st.scatterND(st.tensor2d([[1], [3]], undefined, 'int32'), st.tensor1d([9, 10]), [5]).print(); // [0, 9, 0, 10, 0]
 * ```
 */
export function scatterND(indices: TensorInput, updates: TensorInput, shape: readonly number[]): Tensor {
  const op = 'scatterND';
  const s = checkShape(op, 'shape', shape);
  const idx = intTensor(op, 'indices', indices);
  const u = convert(updates, op, 'updates');
  return scatterAddOp(scatterIndices(op, idx, u, s), u, s);
}

/**
 * A copy of `tensor` with the slices at `indices` replaced by `updates` (same dtype).
 *
 * @example
 * ```ts
 * const t = st.zeros([4]);
 * st.tensorScatterUpdate(t, st.tensor2d([[0], [2]], undefined, 'int32'), st.tensor1d([5, 6])).print(); // [5, 0, 6, 0]
 * ```
 */
export function tensorScatterUpdate(tensor: TensorInput, indices: TensorInput, updates: TensorInput): Tensor {
  const op = 'tensorScatterUpdate';
  const base = convert(tensor, op, 'tensor');
  const idx = intTensor(op, 'indices', indices);
  const u = convert(updates, op, 'updates', base.dtype);
  if (u.dtype !== base.dtype) {
    throw new Error(`${op}: 'tensor' and 'updates' must have the same dtype, got ${base.dtype} and ${u.dtype}`);
  }
  return scatterUpdateOp(base, scatterIndices(op, idx, u, base.shape), u);
}

/**
 * Sums of the slices x[i] that share a segment id: out[s] = sum over i with segmentIds[i] = s,
 * shape [numSegments, ...x.shape[1:]]. Ids outside [0, numSegments) are dropped, as in TensorFlow.
 *
 * @example
 * ```ts
 * st.unsortedSegmentSum(st.tensor1d([1, 2, 3, 4]), st.tensor1d([0, 1, 0, 1], 'int32'), 2).print(); // [4, 6]
 * ```
 */
export function unsortedSegmentSum(x: TensorInput, segmentIds: TensorInput, numSegments: number): Tensor {
  const op = 'unsortedSegmentSum';
  const t = convert(x, op, 'x');
  const ids = intTensor(op, 'segmentIds', segmentIds);
  if (!Number.isInteger(numSegments) || numSegments < 0) {
    throw new Error(`${op}: expected 'numSegments' to be a non-negative integer, got ${JSON.stringify(numSegments)}`);
  }
  if (ids.rank !== 1 || t.rank < 1 || ids.shape[0] !== t.shape[0]) {
    throw new Error(`${op}: expected 'segmentIds' of shape [${t.shape[0] ?? 'n'}] (one id per row of 'x', shape [${t.shape}]), ` +
      `got [${ids.shape}]`);
  }
  const data = t.dtype === 'bool' ? cast(t, 'int32') : t;
  return scatterAddOp(reshape(ids, [-1, 1]), data, [numSegments, ...t.shape.slice(1)]);
}

/**
 * A dense tensor of `outputShape` filled with `defaultValue`, holding `sparseValues` at
 * `sparseIndices` (a scalar, [n] or [n, rank]); a scalar value goes to every index. When an
 * index repeats, the last value wins.
 *
 * @example
 * ```ts
 * st.sparseToDense(st.tensor1d([0, 3], 'int32'), st.tensor1d([7, 8]), [5]).print(); // [7, 0, 0, 8, 0]
 * ```
 */
export function sparseToDense(sparseIndices: TensorInput, sparseValues: TensorInput, outputShape: readonly number[],
  defaultValue: TensorInput = 0): Tensor {
  const op = 'sparseToDense';
  const shape = checkShape(op, 'outputShape', outputShape);
  const idx = intTensor(op, 'sparseIndices', sparseIndices);
  const values = convert(sparseValues, op, 'sparseValues');
  const fillValue = convert(defaultValue, op, 'defaultValue', values.dtype);
  if (idx.rank > 2) throw new Error(`${op}: expected 'sparseIndices' of rank 0, 1 or 2, got shape [${idx.shape}]`);
  const count = idx.rank > 0 ? idx.shape[0] : 1;
  const depth = idx.rank > 1 ? idx.shape[1] : 1;
  if (shape.length !== depth) {
    throw new Error(`${op}: 'outputShape' [${shape}] must have ${depth} entries (the coordinates per index of ` +
      `'sparseIndices' [${idx.shape}]), got ${shape.length}`);
  }
  if (!(values.rank === 0 || (values.rank === 1 && values.size === count))) {
    throw new Error(`${op}: expected 'sparseValues' of shape [] or [${count}], got [${values.shape}]`);
  }
  if (fillValue.dtype !== values.dtype || fillValue.rank !== 0) {
    throw new Error(`${op}: expected 'defaultValue' to be a scalar of dtype ${values.dtype} (as sparseValues), ` +
      `got ${fillValue.dtype} of shape [${fillValue.shape}]`);
  }
  const rows = reshape(idx, [count, depth]);
  checkCoordinates(op, rows, depth, shape);
  const perIndex = values.rank === 0 ? broadcastTo(values, [count]) : values;
  const base = broadcastTo(fillValue, shape);
  return scatterUpdateOp(base, rows, perIndex);
}

/**
 * A tensor with `x`'s values on its diagonal: x of shape S gives shape S + S, out[i..., i...] =
 * x[i...] and zero elsewhere.
 *
 * @example
 * ```ts
 * st.diag(st.tensor1d([1, 2, 3])).print();
 * ```
 */
export function diag(x: TensorInput): Tensor {
  const op = 'diag';
  const t = convert(x, op, 'x');
  const n = t.size;
  const coords = new Int32Array(2 * n);
  for (let i = 0; i < n; i++) { coords[2 * i] = i; coords[2 * i + 1] = i; }
  const idx = convert(coords, op, 'indices');
  const square = scatterUpdateOp(zeros([n, n], t.dtype), reshape(idx, [n, 2]), reshape(t, [n]));
  return reshape(square, [...t.shape, ...t.shape]);
}

declare module '../tensor/tensor.js' {
  interface Tensor {
    unsortedSegmentSum(segmentIds: TensorInput, numSegments: number): Tensor;
  }
}

chainable({ unsortedSegmentSum });
