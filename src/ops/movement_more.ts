/**
 * More data-movement ops of TensorFlow.js, composed from slice, pad, reverse, concat, reshape
 * and transpose (so their gradients come with them): the rank-checked forms (slice1d..4d,
 * pad1d..4d, reverse1d..4d, concat1d..4d), mirrorPad, spaceToBatchND, batchToSpaceND,
 * depthToSpace, meshgrid, ensureShape, broadcastArgs and the data-dependent async ops
 * (whereAsync, booleanMaskAsync, setdiff1dAsync).
 */
import { Tensor } from '../tensor/tensor.js';
import { tensor } from '../tensor/creation.js';
import { noGrad } from '../autograd/tape.js';
import { checkOptions } from '../tensor/options.js';
import { chainable, convert, normalizeAxis, type TensorInput } from './op.js';
import { reshape, transpose, broadcastTo } from './transform.js';
import { concat, gather, pad, reverse, slice } from './slicing.js';
import { intTensor } from './movement_nd.js';

function isIntList(v: unknown, length?: number): v is number[] {
  return Array.isArray(v) && (length === undefined || v.length === length) && v.every((d) => Number.isInteger(d));
}

function assertRankOf(op: string, t: Tensor, rank: number): void {
  if (t.rank !== rank) throw new Error(`${op}: expected 'x' of rank ${rank}, got shape [${t.shape}] (rank ${t.rank})`);
}

// ---- rank-checked forms ----

function sliceNd(rank: number) {
  const op = `slice${rank}d`;
  return (x: TensorInput, begin: number | readonly number[], size: number | readonly number[]): Tensor => {
    const t = convert(x, op, 'x');
    assertRankOf(op, t, rank);
    return slice(t, begin, size);
  };
}

/**
 * `slice` for a 1-D tensor: `size` entries from `begin`.
 *
 * @example
 * ```ts
 * st.slice1d(st.tensor1d([1, 2, 3, 4]), 1, 2).print(); // [2, 3]
 * ```
 */
export const slice1d = sliceNd(1) as (x: TensorInput, begin: number, size: number) => Tensor;
/**
 * `slice` for a 2-D tensor; the rank is checked.
 *
 * @example
 * ```ts
 * st.slice2d(st.tensor2d([[1, 2, 3], [4, 5, 6]]), [0, 1], [2, 2]).print(); // [[2, 3], [5, 6]]
 * ```
 */
export const slice2d = sliceNd(2) as (x: TensorInput, begin: [number, number], size: [number, number]) => Tensor;
/**
 * `slice` for a 3-D tensor; the rank is checked.
 *
 * @example
 * ```ts
 * console.log(st.slice3d(st.zeros([2, 3, 4]), [0, 1, 1], [2, 2, 3]).shape); // [2, 2, 3]
 * ```
 */
export const slice3d = sliceNd(3) as (x: TensorInput, begin: [number, number, number], size: [number, number, number]) => Tensor;
/**
 * `slice` for a 4-D tensor; the rank is checked.
 *
 * @example
 * ```ts
 * console.log(st.slice4d(st.zeros([1, 4, 4, 3]), [0, 1, 1, 0], [1, 2, 2, 3]).shape); // [1, 2, 2, 3]
 * ```
 */
export const slice4d = sliceNd(4) as (x: TensorInput, begin: [number, number, number, number],
  size: [number, number, number, number]) => Tensor;

function reverseNd(rank: number) {
  const op = `reverse${rank}d`;
  return (x: TensorInput, axis?: number | readonly number[]): Tensor => {
    const t = convert(x, op, 'x');
    assertRankOf(op, t, rank);
    return reverse(t, axis);
  };
}

/**
 * `reverse` for a 1-D tensor.
 *
 * @example
 * ```ts
 * st.reverse1d(st.tensor1d([1, 2, 3])).print(); // [3, 2, 1]
 * ```
 */
export const reverse1d = reverseNd(1) as (x: TensorInput) => Tensor;
/**
 * @example
 * ```ts
 * st.reverse2d(st.tensor2d([[1, 2], [3, 4]]), 1).print(); // [[2, 1], [4, 3]]
 * ```
 */
export const reverse2d = reverseNd(2);
/**
 * @example
 * ```ts
 * st.reverse3d(st.range(0, 8).reshape([2, 2, 2]), 0).print();
 * ```
 */
export const reverse3d = reverseNd(3);
/**
 * @example
 * ```ts
 * console.log(st.reverse4d(st.zeros([1, 2, 2, 1]), [1, 2]).shape);
 * ```
 */
export const reverse4d = reverseNd(4);

function concatNd(rank: number) {
  const op = `concat${rank}d`;
  return (tensors: readonly TensorInput[], axis = 0): Tensor => {
    if (!Array.isArray(tensors)) throw new Error(`${op}: expected an array of tensors, got ${typeof tensors}`);
    const ts = tensors.map((v, i) => convert(v, op, `tensors[${i}]`));
    ts.forEach((v, i) => {
      if (v.rank !== rank) throw new Error(`${op}: expected tensors of rank ${rank}, got tensors[${i}] of shape [${v.shape}]`);
    });
    return concat(ts, axis);
  };
}

/**
 * `concat` for 1-D tensors.
 *
 * @example
 * ```ts
 * st.concat1d([st.tensor1d([1, 2]), st.tensor1d([3])]).print(); // [1, 2, 3]
 * ```
 */
export const concat1d = concatNd(1) as (tensors: readonly TensorInput[]) => Tensor;
/**
 * @example
 * ```ts
 * st.concat2d([st.tensor2d([[1, 2]]), st.tensor2d([[3, 4]])], 0).print(); // [[1, 2], [3, 4]]
 * ```
 */
export const concat2d = concatNd(2);
/**
 * @example
 * ```ts
 * console.log(st.concat3d([st.zeros([1, 2, 2]), st.ones([1, 2, 1])], 2).shape); // [1, 2, 3]
 * ```
 */
export const concat3d = concatNd(3);
/**
 * @example
 * ```ts
 * console.log(st.concat4d([st.zeros([1, 2, 2, 1]), st.ones([1, 2, 2, 1])], 3).shape); // [1, 2, 2, 2]
 * ```
 */
export const concat4d = concatNd(4);

function padNd(rank: number) {
  const op = `pad${rank}d`;
  return (x: TensorInput, paddings: readonly number[] | readonly (readonly number[])[], constantValue = 0): Tensor => {
    const pairs = rank === 1 ? [paddings as readonly number[]] : paddings as readonly (readonly number[])[];
    if (!Array.isArray(pairs) || pairs.length !== rank || !pairs.every((p) => isIntList(p, 2))) {
      throw new Error(`${op}: expected 'paddings' to be ${rank === 1 ? 'one pair [before, after]' : `${rank} pairs [before, after]`}, ` +
        `got ${JSON.stringify(paddings)}`);
    }
    const t = convert(x, op, 'x');
    assertRankOf(op, t, rank);
    return pad(t, pairs, constantValue);
  };
}

/**
 * `pad` for a 1-D tensor: [before, after] entries of `constantValue` (0).
 *
 * @example
 * ```ts
 * st.pad1d(st.tensor1d([1, 2]), [1, 2]).print(); // [0, 1, 2, 0, 0]
 * ```
 */
export const pad1d = padNd(1) as (x: TensorInput, paddings: [number, number], constantValue?: number) => Tensor;
/**
 * `pad` for a 2-D tensor; the rank is checked.
 *
 * @example
 * ```ts
 * st.pad2d(st.tensor2d([[1]]), [[1, 0], [0, 1]], 9).print(); // [[9, 9], [1, 9]]
 * ```
 */
export const pad2d = padNd(2) as (x: TensorInput, paddings: [[number, number], [number, number]], constantValue?: number) => Tensor;
/**
 * `pad` for a 3-D tensor; the rank is checked.
 *
 * @example
 * ```ts
 * console.log(st.pad3d(st.ones([1, 1, 1]), [[0, 0], [1, 1], [2, 2]]).shape); // [1, 3, 5]
 * ```
 */
export const pad3d = padNd(3) as (x: TensorInput, paddings: [[number, number], [number, number], [number, number]],
  constantValue?: number) => Tensor;
/**
 * `pad` for a 4-D tensor; the rank is checked.
 *
 * @example
 * ```ts
 * console.log(st.pad4d(st.ones([1, 2, 2, 1]), [[0, 0], [1, 1], [1, 1], [0, 0]]).shape); // [1, 4, 4, 1]
 * ```
 */
export const pad4d = padNd(4) as (x: TensorInput, paddings: [[number, number], [number, number], [number, number], [number, number]],
  constantValue?: number) => Tensor;

// ---- mirrorPad ----

/**
 * Pads each axis with mirror images of the edge: 'reflect' leaves the edge value out of the
 * mirror (paddings at most size - 1), 'symmetric' repeats it (paddings at most size).
 *
 * @example
 * ```ts
 * st.mirrorPad(st.tensor1d([1, 2, 3]), [[2, 2]], 'reflect').print(); // [3, 2, 1, 2, 3, 2, 1]
 * ```
 */
export function mirrorPad(x: TensorInput, paddings: readonly (readonly [number, number])[] | readonly (readonly number[])[],
  mode: 'reflect' | 'symmetric'): Tensor {
  const op = 'mirrorPad';
  if (mode !== 'reflect' && mode !== 'symmetric') {
    throw new Error(`${op}: expected 'mode' to be 'reflect' or 'symmetric', got ${JSON.stringify(mode)}`);
  }
  const t = convert(x, op, 'x');
  if (t.rank === 0) throw new Error(`${op}: expected 'x' of rank 1 or more, got a scalar`);
  if (!Array.isArray(paddings) || paddings.length !== t.rank || !paddings.every((p) => isIntList(p, 2))) {
    throw new Error(`${op}: expected 'paddings' to be ${t.rank} pairs [before, after] (one per axis of shape [${t.shape}]), ` +
      `got ${JSON.stringify(paddings)}`);
  }
  const skipEdge = mode === 'reflect' ? 1 : 0;
  let out = t;
  paddings.forEach(([before, after], axis) => {
    const n = t.shape[axis];
    const most = n - skipEdge;
    if (before < 0 || after < 0 || before > most || after > most) {
      throw new Error(`${op}: paddings[${axis}] = [${before}, ${after}] must be in [0, ${most}] for axis ${axis} of size ${n} ` +
        `in '${mode}' mode (shape [${t.shape}])`);
    }
    if (before === 0 && after === 0) return;
    const along = (start: number, size: number): Tensor => {
      const begin = out.shape.map((_, i) => (i === axis ? start : 0));
      const sizes = out.shape.map((d, i) => (i === axis ? size : d));
      return reverse(slice(out, begin, sizes), axis);
    };
    const parts: Tensor[] = [];
    if (before > 0) parts.push(along(skipEdge, before));
    parts.push(out);
    if (after > 0) parts.push(along(n - after - skipEdge, after));
    out = concat(parts, axis);
  });
  return out;
}

// ---- space <-> batch ----

function checkBlocks(op: string, t: Tensor, blockShape: unknown, pairs: unknown, pairsName: string): number[] {
  if (!isIntList(blockShape) || blockShape.length === 0 || blockShape.some((b) => b < 1)) {
    throw new Error(`${op}: expected 'blockShape' to be a non-empty array of positive integers, got ${JSON.stringify(blockShape)}`);
  }
  if (t.rank < 1 + blockShape.length) {
    throw new Error(`${op}: expected 'x' of rank ${1 + blockShape.length} or more ([batch, ...${blockShape.length} spatial axes, ...rest]) ` +
      `for blockShape [${blockShape}], got shape [${t.shape}]`);
  }
  if (!Array.isArray(pairs) || pairs.length !== blockShape.length || !pairs.every((p) => isIntList(p, 2) && p[0] >= 0 && p[1] >= 0)) {
    throw new Error(`${op}: expected '${pairsName}' to be ${blockShape.length} pairs of non-negative integers (one per block axis), ` +
      `got ${JSON.stringify(pairs)}`);
  }
  return blockShape;
}

/**
 * Moves blocks of the padded spatial axes into the batch: x [batch, ...spatial, ...rest] padded
 * by `paddings` becomes [batch * prod(blockShape), ...spatial / blockShape, ...rest].
 *
 * @example
 * ```ts
 * const x = st.range(0, 4).reshape([1, 2, 2, 1]);
 * console.log(st.spaceToBatchND(x, [2, 2], [[0, 0], [0, 0]]).shape); // [4, 1, 1, 1]
 * ```
 */
export function spaceToBatchND(x: TensorInput, blockShape: readonly number[], paddings: readonly (readonly number[])[]): Tensor {
  const op = 'spaceToBatchND';
  const t = convert(x, op, 'x');
  const blocks = checkBlocks(op, t, blockShape, paddings, 'paddings');
  const m = blocks.length;
  const padded = pad(t, t.shape.map((_, i) => (i >= 1 && i <= m ? [paddings[i - 1][0], paddings[i - 1][1]] : [0, 0])));
  const batch = t.shape[0];
  const rest = t.shape.slice(1 + m);
  const reduced = blocks.map((b, i) => {
    const size = padded.shape[1 + i];
    if (size % b !== 0) {
      throw new Error(`${op}: padded spatial axis ${1 + i} has size ${size} (shape [${t.shape}] with paddings ` +
        `${JSON.stringify(paddings)}), which blockShape[${i}] = ${b} does not divide`);
    }
    return size / b;
  });
  const split = reshape(padded, [batch, ...blocks.flatMap((b, i) => [reduced[i], b]), ...rest]);
  const perm = [...blocks.map((_, i) => 2 + 2 * i), 0, ...blocks.map((_, i) => 1 + 2 * i), ...rest.map((_, i) => 1 + 2 * m + i)];
  const prod = blocks.reduce((a, b) => a * b, 1);
  return reshape(transpose(split, perm), [batch * prod, ...reduced, ...rest]);
}

/**
 * The inverse of spaceToBatchND: x [batch, ...spatial, ...rest] becomes [batch / prod(blockShape),
 * ...spatial * blockShape, ...rest] with `crops` cut from each spatial axis.
 *
 * @example
 * ```ts
 * const x = st.range(0, 4).reshape([4, 1, 1, 1]);
 * st.batchToSpaceND(x, [2, 2], [[0, 0], [0, 0]]).print(); // [[[[0], [1]], [[2], [3]]]]
 * ```
 */
export function batchToSpaceND(x: TensorInput, blockShape: readonly number[], crops: readonly (readonly number[])[]): Tensor {
  const op = 'batchToSpaceND';
  const t = convert(x, op, 'x');
  const blocks = checkBlocks(op, t, blockShape, crops, 'crops');
  const m = blocks.length;
  const prod = blocks.reduce((a, b) => a * b, 1);
  if (t.shape[0] % prod !== 0) {
    throw new Error(`${op}: batch size ${t.shape[0]} (shape [${t.shape}]) must be divisible by the product of blockShape ` +
      `[${blocks}] = ${prod}`);
  }
  const batch = t.shape[0] / prod;
  const spatial = t.shape.slice(1, 1 + m);
  const rest = t.shape.slice(1 + m);
  const split = reshape(t, [...blocks, batch, ...spatial, ...rest]);
  const perm = [m, ...blocks.flatMap((_, i) => [m + 1 + i, i]), ...rest.map((_, i) => 2 * m + 1 + i)];
  const full = blocks.map((b, i) => spatial[i] * b);
  const joined = reshape(transpose(split, perm), [batch, ...full, ...rest]);
  full.forEach((size, i) => {
    if (crops[i][0] + crops[i][1] > size) {
      throw new Error(`${op}: crops[${i}] = [${crops[i]}] crop more than the ${size} entries of spatial axis ${1 + i}`);
    }
  });
  return slice(joined, [0, ...crops.map((c) => c[0]), ...rest.map(() => 0)],
    [batch, ...full.map((size, i) => size - crops[i][0] - crops[i][1]), ...rest]);
}

/**
 * Rearranges depth into blocks of space: x [batch, h, w, c] (NHWC) becomes [batch, h * blockSize,
 * w * blockSize, c / blockSize²]; with 'NCHW', [batch, c, h, w] becomes [batch, c / blockSize²,
 * h * blockSize, w * blockSize].
 *
 * @example
 * ```ts
 * const x = st.range(0, 4).reshape([1, 1, 1, 4]);
 * st.depthToSpace(x, 2).print(); // shape [1, 2, 2, 1]
 * ```
 */
export function depthToSpace(x: TensorInput, blockSize: number, dataFormat: 'NHWC' | 'NCHW' = 'NHWC'): Tensor {
  const op = 'depthToSpace';
  const t = convert(x, op, 'x');
  if (dataFormat !== 'NHWC' && dataFormat !== 'NCHW') {
    throw new Error(`${op}: expected 'dataFormat' to be 'NHWC' or 'NCHW', got ${JSON.stringify(dataFormat)}`);
  }
  const layout = dataFormat === 'NHWC' ? '[batch, height, width, depth]' : '[batch, depth, height, width]';
  if (t.rank !== 4) throw new Error(`${op}: expected 'x' of rank 4 ${layout}, got shape [${t.shape}]`);
  if (!Number.isInteger(blockSize) || blockSize < 2) {
    throw new Error(`${op}: expected 'blockSize' to be an integer of 2 or more, got ${JSON.stringify(blockSize)}`);
  }
  const nhwc = dataFormat === 'NHWC';
  const [b, h, w, c] = nhwc ? t.shape : [t.shape[0], t.shape[2], t.shape[3], t.shape[1]];
  const area = blockSize * blockSize;
  if (c % area !== 0) {
    throw new Error(`${op}: depth ${c} (shape [${t.shape}], ${dataFormat}) must be divisible by blockSize² = ${area}`);
  }
  const depth = c / area;
  if (nhwc) {
    const split = reshape(t, [b, h, w, blockSize, blockSize, depth]);
    return reshape(transpose(split, [0, 1, 3, 2, 4, 5]), [b, h * blockSize, w * blockSize, depth]);
  }
  const split = reshape(t, [b, blockSize, blockSize, depth, h, w]);
  return reshape(transpose(split, [0, 3, 4, 1, 5, 2]), [b, depth, h * blockSize, w * blockSize]);
}

// ---- grids and shapes ----

/**
 * Coordinate grids from two vectors (flattened): with indexing 'xy' (default) both results have
 * shape [y.size, x.size]; with 'ij', [x.size, y.size]. No arguments give [], one gives [x].
 *
 * @example
 * ```ts
 * const [X, Y] = st.meshgrid(st.tensor1d([1, 2, 3]), st.tensor1d([4, 5]));
 * X.print(); // [[1, 2, 3], [1, 2, 3]]
 * ```
 */
export function meshgrid(x?: TensorInput, y?: TensorInput, options: { indexing?: 'xy' | 'ij' | string } = {}): Tensor[] {
  const op = 'meshgrid';
  checkOptions(op, options, ['indexing']);
  const indexing = options?.indexing ?? 'xy';
  if (indexing !== 'xy' && indexing !== 'ij') {
    throw new Error(`${op}: expected 'indexing' to be 'xy' or 'ij', got ${JSON.stringify(indexing)}`);
  }
  if (x === undefined) return [];
  const tx = reshape(convert(x, op, 'x'), [-1]);
  if (y === undefined) return [tx];
  const ty = reshape(convert(y, op, 'y'), [-1]);
  const w = tx.size;
  const h = ty.size;
  if (indexing === 'xy') {
    return [broadcastTo(reshape(tx, [1, w]), [h, w]), broadcastTo(reshape(ty, [h, 1]), [h, w])];
  }
  return [broadcastTo(reshape(tx, [w, 1]), [w, h]), broadcastTo(reshape(ty, [1, h]), [w, h])];
}

/**
 * `x` itself when its shape is `shape` (null entries match any size); an error otherwise.
 *
 * @example
 * ```ts
 * st.ensureShape(st.zeros([2, 3]), [null, 3]).print(); // passes; [null, 4] would throw
 * ```
 */
export function ensureShape(x: TensorInput, shape: readonly (number | null)[]): Tensor {
  const op = 'ensureShape';
  const t = convert(x, op, 'x');
  if (!Array.isArray(shape) || !shape.every((d) => d === null || (Number.isInteger(d) && d >= 0))) {
    throw new Error(`${op}: expected 'shape' to be an array of non-negative integers or nulls, got ${JSON.stringify(shape)}`);
  }
  const fits = shape.length === t.rank && shape.every((d, i) => d === null || d === t.shape[i]);
  if (!fits) {
    throw new Error(`${op}: the tensor has shape [${t.shape}], which is not compatible with the expected shape ` +
      `[${shape.map((d) => (d === null ? 'null' : d))}]`);
  }
  return t;
}

/**
 * The broadcast of two shapes given as int32 vectors, as an int32 vector.
 *
 * @example
 * ```ts
 * st.broadcastArgs(st.tensor1d([2, 1], 'int32'), st.tensor1d([3], 'int32')).print(); // [2, 3]
 * ```
 */
export function broadcastArgs(s0: TensorInput, s1: TensorInput): Tensor {
  const op = 'broadcastArgs';
  const a = intTensor(op, 's0', s0);
  const b = intTensor(op, 's1', s1);
  if (a.rank !== 1) throw new Error(`${op}: expected 's0' of rank 1 (a shape), got shape [${a.shape}]`);
  if (b.rank !== 1) throw new Error(`${op}: expected 's1' of rank 1 (a shape), got shape [${b.shape}]`);
  const [da, db] = noGrad(() => [Array.from(a.dataSync()), Array.from(b.dataSync())]);
  const rank = Math.max(da.length, db.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const p = da[da.length - rank + i] ?? 1;
    const q = db[db.length - rank + i] ?? 1;
    if (p !== q && p !== 1 && q !== 1) {
      throw new Error(`${op}: shapes [${da}] and [${db}] cannot be broadcast together (${p} vs ${q} at axis ${i} of the result)`);
    }
    out.push(p === 1 ? q : p);
  }
  return tensor(Int32Array.from(out), [rank], 'int32');
}

// ---- data-dependent shapes ----

/**
 * The coordinates of the true entries of `condition`, row-major: int32 [count, rank].
 *
 * @example
 * ```ts
 * (await st.whereAsync(st.tensor1d([0, 1, 1], 'bool'))).print(); // [[1], [2]]
 * ```
 */
export async function whereAsync(condition: TensorInput): Promise<Tensor> {
  const op = 'whereAsync';
  const c = convert(condition, op, 'condition', 'bool');
  const values = await c.data();
  const rank = c.rank;
  let count = 0;
  for (let i = 0; i < values.length; i++) if (values[i]) count++;
  const coords = new Int32Array(count * rank);
  const strides = c.shape.map((_, i) => c.shape.slice(i + 1).reduce((p, d) => p * d, 1));
  for (let i = 0, row = 0; i < values.length; i++) {
    if (!values[i]) continue;
    let rest = i;
    for (let d = 0; d < rank; d++) {
      coords[row * rank + d] = Math.floor(rest / strides[d]);
      rest %= strides[d];
    }
    row++;
  }
  return tensor(coords, [count, rank], 'int32');
}

/**
 * The entries of `tensor` where `mask` is true: mask's shape matches tensor's axes from `axis`
 * on; those axes collapse to one axis of the true entries.
 *
 * @example
 * ```ts
 * const mask = st.tensor1d([1, 0, 1], 'bool');
 * (await st.booleanMaskAsync(st.tensor1d([10, 20, 30]), mask)).print(); // [10, 30]
 * ```
 */
export async function booleanMaskAsync(tensor: TensorInput, mask: TensorInput, axis?: number): Promise<Tensor> {
  const op = 'booleanMaskAsync';
  const t = convert(tensor, op, 'tensor');
  const m = convert(mask, op, 'mask', 'bool');
  if (m.dtype !== 'bool') throw new Error(`${op}: expected 'mask' to be a bool tensor, got dtype ${m.dtype}`);
  if (m.rank === 0) throw new Error(`${op}: expected 'mask' of rank 1 or more, got a scalar`);
  const from = normalizeAxis(op, axis ?? 0, Math.max(t.rank, 1));
  const covered = t.shape.slice(from, from + m.rank);
  if (covered.length !== m.rank || covered.some((d, i) => d !== m.shape[i])) {
    throw new Error(`${op}: 'mask' of shape [${m.shape}] must match axes ${from}..${from + m.rank - 1} of 'tensor' ` +
      `(shape [${t.shape}])`);
  }
  const count = covered.reduce((a, b) => a * b, 1);
  const flat = reshape(t, [...t.shape.slice(0, from), count, ...t.shape.slice(from + m.rank)]);
  const values = await m.data();
  const positions: number[] = [];
  for (let i = 0; i < values.length; i++) if (values[i]) positions.push(i);
  return gather(flat, convert(Int32Array.from(positions), op, 'positions'), from);
}

/**
 * The entries of 1-D `x` that are not in 1-D `y`, in order, and their positions in x (int32).
 *
 * @example
 * ```ts
 * const [values, indices] = await st.setdiff1dAsync(st.tensor1d([1, 2, 3, 4]), st.tensor1d([2, 4]));
 * values.print(); // [1, 3]
 * ```
 */
export async function setdiff1dAsync(x: TensorInput, y: TensorInput): Promise<[Tensor, Tensor]> {
  const op = 'setdiff1dAsync';
  const tx = convert(x, op, 'x');
  const ty = convert(y, op, 'y', tx.dtype);
  if (tx.dtype !== ty.dtype) throw new Error(`${op}: 'x' and 'y' must have the same dtype, got ${tx.dtype} and ${ty.dtype}`);
  if (tx.rank !== 1) throw new Error(`${op}: expected 'x' of rank 1, got shape [${tx.shape}]`);
  if (ty.rank !== 1) throw new Error(`${op}: expected 'y' of rank 1, got shape [${ty.shape}]`);
  const [xs, ys] = await Promise.all([tx.data(), ty.data()]);
  const exclude = new Set(ys);
  const keptValues: number[] = [];
  const keptPositions: number[] = [];
  xs.forEach((v, i) => {
    if (!exclude.has(v)) { keptValues.push(v); keptPositions.push(i); }
  });
  return [tensor(keptValues, [keptValues.length], tx.dtype), tensor(Int32Array.from(keptPositions), [keptPositions.length], 'int32')];
}

declare module '../tensor/tensor.js' {
  interface Tensor {
    mirrorPad(paddings: readonly (readonly [number, number])[] | readonly (readonly number[])[], mode: 'reflect' | 'symmetric'): Tensor;
    spaceToBatchND(blockShape: readonly number[], paddings: readonly (readonly number[])[]): Tensor;
    batchToSpaceND(blockShape: readonly number[], crops: readonly (readonly number[])[]): Tensor;
    depthToSpace(blockSize: number, dataFormat?: 'NHWC' | 'NCHW'): Tensor;
  }
}

chainable({ mirrorPad, spaceToBatchND, batchToSpaceND, depthToSpace });
