/**
 * Ops that cut, join and rearrange tensors: slice, gather, concat, stack, unstack, split, tile,
 * pad, reverse. TensorFlow.js names and argument orders; each backward rule sits beside its op.
 */
import { complex, imag, isComplex, real } from './complex.js';
import { Tensor } from '../tensor/tensor.js';
import { chainable, convert, isFloat, normalizeAxes, normalizeAxis, runOp, wrap, type TensorInput } from './op.js';
import { reshape, expandDims, transpose as transposeAxes } from './transform.js';
import { sum } from './reduce.js';

function isIntArray(v: unknown): v is number[] {
  return Array.isArray(v) && v.every((d) => Number.isInteger(d));
}

// ---- slice ----

/**
 * The block of `x` starting at `begin` with `size` (TensorFlow.js `slice`). A number `begin`
 * or a short array is padded with zeros; a missing or short `size` with -1 (to the end).
 *
 * @example
 * ```ts
 * st.slice(st.tensor2d([[1, 2, 3], [4, 5, 6]]), [0, 1], [2, 2]).print(); // [[2, 3], [5, 6]]
 * ```
 */
export function slice(x: TensorInput, begin: number | readonly number[], size?: number | readonly number[]): Tensor {
  const op = 'slice';
  const t = convert(x, op, 'x');
  const rank = t.rank;
  const b = typeof begin === 'number' ? [begin] : begin;
  const s = size === undefined || size === null ? [] : typeof size === 'number' ? [size] : size;
  if (!isIntArray(b) || b.length > rank) {
    throw new Error(`${op}: begin must be an integer or up to ${rank} integers for shape [${t.shape}], got ${JSON.stringify(begin)}`);
  }
  if (!isIntArray(s) || s.length > rank) {
    throw new Error(`${op}: size must be an integer or up to ${rank} integers for shape [${t.shape}], got ${JSON.stringify(size)}`);
  }
  const beginFull = t.shape.map((_, i) => b[i] ?? 0);
  const sizeFull = t.shape.map((d, i) => {
    const bi = beginFull[i];
    if (bi < 0 || bi > d) {
      throw new Error(`${op}: begin[${i}] = ${bi} is out of range for axis ${i} of size ${d} (shape [${t.shape}])`);
    }
    const si = s[i] ?? -1;
    if (si === -1) return d - bi;
    if (si < -1 || bi + si > d) {
      throw new Error(`${op}: begin[${i}] + size[${i}] = ${bi} + ${si} exceeds axis ${i} of size ${d} (shape [${t.shape}])`);
    }
    return si;
  });
  return sliceFull(t, beginFull, sizeFull);
}

/** slice with full, validated begin and size. */
function sliceFull(t: Tensor, begin: readonly number[], size: readonly number[]): Tensor {
  if (size.every((d, i) => d === t.shape[i])) return t;
  const strides = size.map(() => 1);
  return runOp('slice', [t], (be, [v]) => wrap(be, be.stridedSlice(v, begin, size, strides), size, v.dtype),
    isFloat(t.dtype)
      ? (dy, [v]) => [pad(dy, v.shape.map((d, i) => [begin[i], d - begin[i] - size[i]] as [number, number]))]
      : undefined);
}

/** `size` entries along `axis` starting at `start`. */
function sliceAxis(t: Tensor, axis: number, start: number, size: number): Tensor {
  const begin = t.shape.map((_, i) => (i === axis ? start : 0));
  const sizes = t.shape.map((d, i) => (i === axis ? size : d));
  return sliceFull(t, begin, sizes);
}

// ---- stridedSlice ----

/**
 * TensorFlow.js `stridedSlice`: x[begin:end:strides] per axis. Bit i of `beginMask`/`endMask`
 * ignores begin[i]/end[i] (takes the widest range); bit i of `shrinkAxisMask` takes the single
 * entry begin[i] and drops the axis. Negative begin/end count from the end. Axes beyond the
 * given begin/end are taken whole. ellipsisMask and newAxisMask are not supported (use
 * expandDims).
 *
 * @example
 * ```ts
 * st.stridedSlice(st.range(0, 10), [1], [8], [3]).print(); // [1, 4, 7]
 * ```
 */
export function stridedSlice(x: TensorInput, begin: readonly number[], end: readonly number[], strides?: readonly number[],
  beginMask = 0, endMask = 0, ellipsisMask = 0, newAxisMask = 0, shrinkAxisMask = 0): Tensor {
  const op = 'stridedSlice';
  const t = convert(x, op, 'x');
  const rank = t.rank;
  const st = strides ?? begin.map(() => 1);
  for (const [name, arr] of [['begin', begin], ['end', end], ['strides', st]] as const) {
    if (!isIntArray(arr) || arr.length > rank) {
      throw new Error(`${op}: ${name} must be up to ${rank} integers for shape [${t.shape}], got ${JSON.stringify(arr)}`);
    }
  }
  if (ellipsisMask !== 0 || newAxisMask !== 0) {
    throw new Error(`${op}: ellipsisMask and newAxisMask are not supported (got ${ellipsisMask} and ${newAxisMask}); use expandDims or reshape`);
  }
  const first: number[] = [];
  const size: number[] = [];
  const step: number[] = [];
  const keep: boolean[] = [];
  for (let i = 0; i < rank; i++) {
    const d = t.shape[i];
    const s = st[i] ?? 1;
    if (s === 0) throw new Error(`${op}: strides[${i}] must not be 0`);
    const bit = 1 << i;
    if (shrinkAxisMask & bit) {
      let b = begin[i] ?? 0;
      if (b < 0) b += d;
      if (b < 0 || b >= d) {
        throw new Error(`${op}: begin[${i}] = ${begin[i]} is out of range for axis ${i} of size ${d}, which shrinkAxisMask takes one entry of`);
      }
      first.push(b); size.push(1); step.push(1); keep.push(false);
      continue;
    }
    const lo = s > 0 ? 0 : -1;
    const hi = s > 0 ? d : d - 1;
    const clamp = (v: number) => Math.min(hi, Math.max(lo, v < 0 ? v + d : v));
    const b = (beginMask & bit) || begin[i] === undefined ? (s > 0 ? 0 : d - 1) : clamp(begin[i]);
    const e = (endMask & bit) || end[i] === undefined ? (s > 0 ? d : -1) : clamp(end[i]);
    const n = s > 0 ? Math.max(0, Math.ceil((e - b) / s)) : Math.max(0, Math.ceil((b - e) / -s));
    first.push(b); size.push(n); step.push(s); keep.push(true);
  }
  const outShape = size.filter((_, i) => keep[i]);
  if (step.every((s) => s === 1)) return reshape(sliceFull(t, first, size), outShape);
  const sliced = runOp(op, [t], (be, [v]) => wrap(be, be.stridedSlice(v, first, size, step), size, v.dtype),
    isFloat(t.dtype)
      ? (dy, [v]) => {
        // scatter dy back one axis at a time: along axis i, entry k came from first[i] + k * step[i]
        let g = dy;
        for (let i = 0; i < rank; i++) {
          if (size[i] === v.shape[i] && step[i] === 1) continue;
          const idx = makeIndexTensor(Array.from({ length: size[i] }, (_, k) => first[i] + k * step[i]));
          const shape = g.shape.map((d, j) => (j === i ? v.shape[i] : d));
          g = scatterAddInto(g, idx, i, shape);
        }
        return [g];
      }
      : undefined);
  return reshape(sliced, outShape);
}

function makeIndexTensor(values: number[]): Tensor {
  return convert(values.length === 0 ? new Int32Array(0) : values, 'stridedSlice', 'indices', 'int32');
}

// ---- gather ----

/** Indices as an int32 tensor, checked to be in [0, n) along `axis`. */
function gatherIndices(op: string, indices: Tensor | readonly number[], axis: number, n: number): Tensor {
  let idx: Tensor;
  if (indices instanceof Tensor) {
    if (indices.dtype !== 'int32') throw new Error(`${op}: indices must be an int32 tensor, got dtype ${indices.dtype}`);
    idx = convert(indices, op, 'indices');
  } else if (Array.isArray(indices)) {
    const flat = (indices as unknown[]).flat(Infinity) as unknown[];
    const bad = flat.findIndex((v) => !Number.isInteger(v));
    if (bad >= 0) throw new Error(`${op}: indices must be integers, got ${JSON.stringify(flat[bad])}`);
    idx = convert(indices as number[], op, 'indices', 'int32');
  } else {
    throw new Error(`${op}: indices must be an int32 tensor or an array of integers, got ${typeof indices}`);
  }
  const values = idx.dataSync();
  for (let i = 0; i < values.length; i++) {
    if (values[i] < 0 || values[i] >= n) {
      throw new Error(`${op}: index ${values[i]} is out of range for axis ${axis} of size ${n}`);
    }
  }
  return idx;
}

/**
 * Slices of `x` along `axis` at `indices` (int32, any shape): shape x.shape[:axis] + indices.shape +
 * x.shape[axis+1:]. With `batchDims` b, the first b axes of x and indices are a batch: each batch
 * entry gathers with its own indices (shape x.shape[:axis] + indices.shape[b:] + x.shape[axis+1:]).
 *
 * @example
 * ```ts
 * st.gather(st.tensor1d([10, 20, 30]), st.tensor1d([2, 0], 'int32')).print(); // [30, 10]
 * ```
 */
export function gather(x: TensorInput, indices: Tensor | readonly number[], axis = 0, batchDims = 0): Tensor {
  const op = 'gather';
  const t = convert(x, op, 'x');
  if (t.rank === 0) throw new Error(`${op}: expected 'x' of rank 1 or more, got a scalar`);
  const a = normalizeAxis(op, axis, t.rank);
  if (batchDims !== 0) return batchedGather(t, indices, a, batchDims);
  const idx = gatherIndices(op, indices, a, t.shape[a]);
  const outShape = [...t.shape.slice(0, a), ...idx.shape, ...t.shape.slice(a + 1)];
  return runOp(op, [t], (be, [v]) => wrap(be, be.gather(v, idx, a), outShape, v.dtype),
    isFloat(t.dtype) ? (dy, [v]) => [scatterAddInto(dy, idx, a, v.shape)] : undefined);
}

/**
 * gather with batch axes, composed from one plain gather: the batch and the gathered axis are
 * folded into one axis (offsetting each batch entry's indices), the axes between them moved out
 * of the way and back.
 */
function batchedGather(t: Tensor, indices: Tensor | readonly number[], axis: number, batchDims: number): Tensor {
  const op = 'gather';
  const idx0 = indices instanceof Tensor ? indices : convert(indices as number[], op, 'indices', 'int32');
  const b = batchDims < 0 ? batchDims + idx0.rank : batchDims;
  if (!Number.isInteger(b) || b < 0 || b > idx0.rank || b > axis) {
    throw new Error(`${op}: batchDims ${batchDims} must be an integer in [${-idx0.rank}, ${idx0.rank}] and at most axis ${axis}`);
  }
  for (let i = 0; i < b; i++) {
    if (t.shape[i] !== idx0.shape[i]) {
      throw new Error(`${op}: with batchDims ${b}, x [${t.shape}] and indices [${idx0.shape}] must agree on the first ${b} axes`);
    }
  }
  const batchShape = t.shape.slice(0, b);
  const batch = batchShape.reduce((p, d) => p * d, 1);
  const middle = t.shape.slice(b, axis);
  const n = t.shape[axis];
  const rest = t.shape.slice(axis + 1);
  const idxShape = idx0.shape.slice(b);
  // x as [batch, n, middle..., rest...] then [batch * n, middle..., rest...]
  const perm = [0, 1 + middle.length, ...middle.map((_, i) => 1 + i), ...rest.map((_, i) => 2 + middle.length + i)];
  const moved = transposeAxes(reshape(t, [batch, ...middle, n, ...rest]), perm);
  const folded = reshape(moved, [batch * n, ...middle, ...rest]);
  const idxFlat = reshape(gatherIndices(op, idx0, axis, n), [batch, -1]);
  const offsets = runOp('gatherOffsets', [idxFlat], (be, [v]) => {
    const values = v.backend.read(v.dataId);
    const out = new Int32Array(values.length);
    const per = values.length / Math.max(batch, 1);
    for (let i = 0; i < values.length; i++) out[i] = values[i] + Math.floor(i / per) * n;
    return wrap(be, be.write(out, 'int32'), v.shape, 'int32');
  });
  const gathered = gather(folded, reshape(offsets, [batch, ...idxShape]), 0); // [batch, idx..., middle..., rest...]
  const k = idxShape.length;
  const back = [0, ...middle.map((_, i) => 1 + k + i), ...idxShape.map((_, i) => 1 + i), ...rest.map((_, i) => 1 + k + middle.length + i)];
  return reshape(transposeAxes(gathered, back), [...batchShape, ...middle, ...idxShape, ...rest]);
}

/** The gradient of gather: dy summed into zeros of `shape` at `indices` along `axis` (differentiable in dy). */
function scatterAddInto(dy: Tensor, idx: Tensor, axis: number, shape: readonly number[]): Tensor {
  return runOp('scatterAdd', [dy], (be, [g]) => wrap(be, be.scatterAdd(g, idx, axis, shape), shape, g.dtype),
    (ddy) => [gather(ddy, idx, axis)]);
}

// ---- concat, stack ----

function tensorList(op: string, tensors: readonly TensorInput[]): Tensor[] {
  if (!Array.isArray(tensors) || tensors.length === 0) {
    throw new Error(`${op}: expected a non-empty array of tensors, got ${Array.isArray(tensors) ? 'an empty array' : typeof tensors}`);
  }
  const first = tensors.find((v) => v instanceof Tensor) as Tensor | undefined;
  const ts = tensors.map((v, i) => convert(v, op, `tensors[${i}]`, first?.dtype));
  const dtype = ts[0].dtype;
  ts.forEach((v, i) => {
    if (v.dtype !== dtype) throw new Error(`${op}: tensors[${i}] has dtype ${v.dtype}, expected ${dtype} (as tensors[0]); cast it first`);
  });
  return ts;
}

/**
 * Joins tensors along an existing `axis`; their shapes must agree on every other axis.
 *
 * @example
 * ```ts
 * st.concat([st.tensor1d([1, 2]), st.tensor1d([3])]).print(); // [1, 2, 3]
 * ```
 */
export function concat(tensors: readonly TensorInput[], axis = 0): Tensor {
  const op = 'concat';
  const ts = tensorList(op, tensors);
  const rank = ts[0].rank;
  if (rank === 0) throw new Error(`${op}: cannot concatenate scalars; use stack`);
  const a = normalizeAxis(op, axis, rank);
  ts.forEach((v, i) => {
    if (v.rank !== rank) {
      throw new Error(`${op}: tensors[${i}] has rank ${v.rank} (shape [${v.shape}]), expected rank ${rank} as tensors[0] (shape [${ts[0].shape}])`);
    }
    const d = v.shape.findIndex((s, j) => j !== a && s !== ts[0].shape[j]);
    if (d >= 0) {
      throw new Error(`${op}: tensors[${i}] has shape [${v.shape}], which differs from tensors[0] [${ts[0].shape}] ` +
        `on axis ${d} (${v.shape[d]} vs ${ts[0].shape[d]}); shapes must agree except on the concat axis ${a}`);
    }
  });
  if (ts.length === 1) return ts[0];
  if (isComplex(ts[0])) {
    // joined part by part (complex area)
    return complex(concat(ts.map((v) => real(v)), a), concat(ts.map((v) => imag(v)), a));
  }
  const outShape = [...ts[0].shape];
  outShape[a] = ts.reduce((n, v) => n + v.shape[a], 0);
  return runOp(op, ts, (be, vs) => wrap(be, be.concat(vs, a), outShape, vs[0].dtype),
    isFloat(ts[0].dtype)
      ? (dy, vs) => {
        let start = 0;
        return vs.map((v) => {
          const g = sliceAxis(dy, a, start, v.shape[a]);
          start += v.shape[a];
          return g;
        });
      }
      : undefined);
}

/**
 * Joins tensors of one shape along a new `axis`.
 *
 * @example
 * ```ts
 * st.stack([st.tensor1d([1, 2]), st.tensor1d([3, 4])]).print(); // [[1, 2], [3, 4]]
 * ```
 */
export function stack(tensors: readonly TensorInput[], axis = 0): Tensor {
  const op = 'stack';
  const ts = tensorList(op, tensors);
  const shape = ts[0].shape;
  ts.forEach((v, i) => {
    if (v.rank !== shape.length || v.shape.some((d, j) => d !== shape[j])) {
      throw new Error(`${op}: tensors[${i}] has shape [${v.shape}], expected [${shape}] as tensors[0] (all tensors must have the same shape)`);
    }
  });
  const a = normalizeAxis(op, axis, shape.length + 1);
  return concat(ts.map((v) => expandDims(v, a)), a);
}

// ---- unstack, split ----

/**
 * The slices of `x` along `axis`, each without that axis.
 *
 * @example
 * ```ts
 * const [row0, row1] = st.unstack(st.tensor2d([[1, 2], [3, 4]]));
 * row1.print(); // [3, 4]
 * ```
 */
export function unstack(x: TensorInput, axis = 0): Tensor[] {
  const op = 'unstack';
  const t = convert(x, op, 'x');
  if (t.rank === 0) throw new Error(`${op}: expected 'x' of rank 1 or more, got a scalar`);
  const a = normalizeAxis(op, axis, t.rank);
  const outShape = t.shape.filter((_, i) => i !== a);
  return Array.from({ length: t.shape[a] }, (_, i) => reshape(sliceAxis(t, a, i, 1), outShape));
}

/**
 * Splits `x` along `axis` into `numOrSizeSplits` equal parts, or into parts of the given sizes
 * (one size may be -1: whatever is left).
 *
 * @example
 * ```ts
 * const [a, b] = st.split(st.range(0, 6), [2, 4]);
 * b.print(); // [2, 3, 4, 5]
 * ```
 */
export function split(x: TensorInput, numOrSizeSplits: number | readonly number[], axis = 0): Tensor[] {
  const op = 'split';
  const t = convert(x, op, 'x');
  if (t.rank === 0) throw new Error(`${op}: expected 'x' of rank 1 or more, got a scalar`);
  const a = normalizeAxis(op, axis, t.rank);
  const n = t.shape[a];
  let sizes: number[];
  if (typeof numOrSizeSplits === 'number') {
    if (!Number.isInteger(numOrSizeSplits) || numOrSizeSplits <= 0) {
      throw new Error(`${op}: number of splits must be a positive integer, got ${numOrSizeSplits}`);
    }
    if (n % numOrSizeSplits !== 0) {
      throw new Error(`${op}: number of splits ${numOrSizeSplits} must evenly divide size ${n} of axis ${a} (shape [${t.shape}])`);
    }
    sizes = new Array<number>(numOrSizeSplits).fill(n / numOrSizeSplits);
  } else {
    if (!isIntArray(numOrSizeSplits) || numOrSizeSplits.length === 0 || numOrSizeSplits.some((s) => s < -1)) {
      throw new Error(`${op}: sizes must be a non-empty array of non-negative integers (one may be -1), got ${JSON.stringify(numOrSizeSplits)}`);
    }
    const unknown = numOrSizeSplits.filter((s) => s === -1).length;
    if (unknown > 1) throw new Error(`${op}: only one size may be -1, got [${numOrSizeSplits}]`);
    const known = numOrSizeSplits.reduce((s, v) => (v === -1 ? s : s + v), 0);
    if (unknown === 1 ? known > n : known !== n) {
      throw new Error(`${op}: sizes [${numOrSizeSplits}] must add up to size ${n} of axis ${a} (shape [${t.shape}]), got ${known}`);
    }
    sizes = numOrSizeSplits.map((s) => (s === -1 ? n - known : s));
  }
  let start = 0;
  return sizes.map((s) => {
    const part = sliceAxis(t, a, start, s);
    start += s;
    return part;
  });
}

// ---- tile, pad, reverse ----

/**
 * Repeats `x` reps[i] times along axis i.
 *
 * @example
 * ```ts
 * st.tile(st.tensor1d([1, 2]), [3]).print(); // [1, 2, 1, 2, 1, 2]
 * ```
 */
export function tile(x: TensorInput, reps: readonly number[]): Tensor {
  const op = 'tile';
  const t = convert(x, op, 'x');
  if (!isIntArray(reps) || reps.some((r) => r < 0) || reps.length !== t.rank) {
    throw new Error(`${op}: reps must be ${t.rank} non-negative integers (one per axis of shape [${t.shape}]), got ${JSON.stringify(reps)}`);
  }
  if (reps.every((r) => r === 1)) return t;
  const outShape = t.shape.map((d, i) => d * reps[i]);
  return runOp(op, [t], (be, [v]) => wrap(be, be.tile(v, reps), outShape, v.dtype),
    isFloat(t.dtype)
      ? (dy, [v]) => {
        // out index along axis i is rep * d + j: split each axis into [reps[i], d] and sum the reps
        const split2 = v.shape.flatMap((d, i) => [reps[i], d]);
        const repAxes = v.shape.map((_, i) => 2 * i);
        return [reshape(sum(reshape(dy, split2), repAxes), v.shape)];
      }
      : undefined);
}

/**
 * Pads with `constantValue`: paddings[i] = [before, after] for axis i.
 *
 * @example
 * ```ts
 * st.pad(st.tensor1d([1, 2]), [[1, 2]]).print(); // [0, 1, 2, 0, 0]
 * ```
 */
export function pad(x: TensorInput, paddings: readonly (readonly [number, number])[] | readonly (readonly number[])[],
  constantValue = 0): Tensor {
  const op = 'pad';
  const t = convert(x, op, 'x');
  const ok = Array.isArray(paddings) && paddings.length === t.rank &&
    paddings.every((p) => Array.isArray(p) && p.length === 2 && p.every((v) => Number.isInteger(v) && v >= 0));
  if (!ok) {
    throw new Error(`${op}: paddings must be ${t.rank} pairs [before, after] of non-negative integers (one per axis of shape [${t.shape}]), ` +
      `got ${JSON.stringify(paddings)}`);
  }
  if (typeof constantValue !== 'number') {
    throw new Error(`${op}: constantValue must be a number, got ${JSON.stringify(constantValue)}`);
  }
  const pairs = paddings.map((p) => [p[0], p[1]] as [number, number]);
  if (pairs.every(([b, e]) => b === 0 && e === 0)) return t;
  const outShape = t.shape.map((d, i) => d + pairs[i][0] + pairs[i][1]);
  return runOp(op, [t], (be, [v]) => wrap(be, be.pad(v, pairs, constantValue), outShape, v.dtype),
    isFloat(t.dtype) ? (dy, [v]) => [sliceFull(dy, pairs.map((p) => p[0]), v.shape)] : undefined);
}

/**
 * Reverses the order of entries along `axis` (all axes when omitted).
 *
 * @example
 * ```ts
 * st.reverse(st.tensor1d([1, 2, 3])).print(); // [3, 2, 1]
 * ```
 */
export function reverse(x: TensorInput, axis?: number | readonly number[]): Tensor {
  const op = 'reverse';
  const t = convert(x, op, 'x');
  const axes = normalizeAxes(op, axis, t.rank);
  if (axes.length === 0 || t.size === 0) return t;
  return runOp(op, [t], (be, [v]) => wrap(be, be.reverse(v, axes), v.shape, v.dtype),
    isFloat(t.dtype) ? (dy) => [reverse(dy, axes)] : undefined);
}

declare module '../tensor/tensor.js' {
  interface Tensor {
    slice(begin: number | readonly number[], size?: number | readonly number[]): Tensor;
    stridedSlice(begin: readonly number[], end: readonly number[], strides?: readonly number[],
      beginMask?: number, endMask?: number, ellipsisMask?: number, newAxisMask?: number, shrinkAxisMask?: number): Tensor;
    gather(indices: Tensor | readonly number[], axis?: number, batchDims?: number): Tensor;
    /** x.concat(y, axis) or x.concat([y, z], axis) */
    concat(others: TensorInput | readonly TensorInput[], axis?: number): Tensor;
    /** x.stack(y, axis) or x.stack([y, z], axis) */
    stack(others: TensorInput | readonly TensorInput[], axis?: number): Tensor;
    unstack(axis?: number): Tensor[];
    split(numOrSizeSplits: number | readonly number[], axis?: number): Tensor[];
    tile(reps: readonly number[]): Tensor;
    pad(paddings: readonly (readonly [number, number])[] | readonly (readonly number[])[], constantValue?: number): Tensor;
    reverse(axis?: number | readonly number[]): Tensor;
  }
}

const withOthers = (others: TensorInput | readonly TensorInput[]): TensorInput[] =>
  others instanceof Tensor || !Array.isArray(others) || !(others as unknown[]).every((o) => o instanceof Tensor)
    ? [others as TensorInput]
    : [...(others as TensorInput[])];

chainable({
  slice, stridedSlice, gather, unstack, split, tile, pad, reverse,
  concat: (x: Tensor, others: TensorInput | readonly TensorInput[], axis = 0) => concat([x, ...withOthers(others)], axis),
  stack: (x: Tensor, others: TensorInput | readonly TensorInput[], axis = 0) => stack([x, ...withOthers(others)], axis),
});
