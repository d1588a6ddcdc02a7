/**
 * Pooling, NHWC: maxPool and avgPool over any window and stride (overlapping windows too, as
 * AlexNet's 3x3 stride 2), and the global poolings that reduce the spatial axes away.
 */
import type { Conv2DInfo } from '../backend/types.js';
import { computeWindowInfo, type DimRoundingMode, type PadSpec } from '../backend/conv_info.js';
import { Tensor } from '../tensor/tensor.js';
import { assertFloat, chainable, convert, runOp, wrap, type TensorInput } from './op.js';
import { max, mean } from './reduce.js';
import { reshape } from './transform.js';
import { pad as padWithZeros } from './slicing.js';
import { normalizePad } from './conv.js';

type Pair = number | [number, number];

/** x as a float rank-4 NHWC tensor (rank 3 gets a batch of 1). */
function asBatch4(op: string, x: TensorInput): { x4: Tensor; unbatched: boolean } {
  const t = convert(x, op, 'x');
  if (t.rank !== 4 && t.rank !== 3) {
    throw new Error(`${op}: expected x of rank 4 [batch, height, width, channels], got [${t.shape}] ` +
      `(rank 3 [height, width, channels] is also accepted)`);
  }
  assertFloat(op, t, 'x');
  return { x4: t.rank === 3 ? reshape(t, [1, ...t.shape]) : t, unbatched: t.rank === 3 };
}

/** 'valid', 'same', a number, or TensorFlow.js' explicit NHWC [[0, 0], [top, bottom], [left, right], [0, 0]]. */
export type PoolPad = 'valid' | 'same' | number | readonly (readonly [number, number])[];

function poolInfo(op: string, x4: Tensor, filterSize: Pair, strides: Pair | undefined, pad: PoolPad,
                  dimRoundingMode?: DimRoundingMode, dilations: Pair = 1): Conv2DInfo {
  const size: [number, number] = typeof filterSize === 'number' ? [filterSize, filterSize] : [filterSize[0], filterSize[1]];
  if ((typeof filterSize !== 'number' && (!Array.isArray(filterSize) || filterSize.length !== 2)) ||
      !size.every((v) => Number.isInteger(v) && v >= 1)) {
    throw new Error(`${op}: filterSize must be a positive integer or a pair of them, got ${JSON.stringify(filterSize)}`);
  }
  if (pad !== 'valid' && pad !== 'same' && typeof pad !== 'number' && !(Array.isArray(pad) && pad.length === 4)) {
    throw new Error(`${op}: pad must be 'valid', 'same', a number or [[0, 0], [top, bottom], [left, right], [0, 0]], ` +
      `got ${JSON.stringify(pad)}`);
  }
  return computeWindowInfo(op, x4.shape, size[0], size[1], x4.shape[3], strides ?? size, normalizePad(op, pad as PadSpec),
    dilations, 1, dimRoundingMode);
}

function outShape(info: Conv2DInfo): number[] {
  return [info.batchSize, info.outHeight, info.outWidth, info.outChannels];
}

function inShape(info: Conv2DInfo): number[] {
  return [info.batchSize, info.inHeight, info.inWidth, info.inChannels];
}

/** dx of maxPool: each dy cell goes to the first maximum of its window. */
function maxPoolBackprop(dy: Tensor, x: Tensor, info: Conv2DInfo): Tensor {
  return runOp('maxPoolBackprop', [dy, x], (be, [d, v]) => wrap(be, be.maxPoolBackprop(d, v, info), inShape(info), d.dtype));
}

function maxPoolWithInfo(x: Tensor, info: Conv2DInfo): Tensor {
  return runOp('maxPool', [x], (be, [v]) => wrap(be, be.maxPool(v, info), outShape(info), v.dtype),
    (dy, [v]) => [maxPoolBackprop(dy, v, info)]);
}

/** dx of avgPool: each dy cell shared equally among the real cells of its window (linear in dy). */
function avgPoolBackprop(dy: Tensor, info: Conv2DInfo): Tensor {
  return runOp('avgPoolBackprop', [dy], (be, [d]) => wrap(be, be.avgPoolBackprop(d, info), inShape(info), d.dtype),
    (ddx) => [avgPoolWithInfo(ddx, info)]);
}

function avgPoolWithInfo(x: Tensor, info: Conv2DInfo): Tensor {
  return runOp('avgPool', [x], (be, [v]) => wrap(be, be.avgPool(v, info), outShape(info), v.dtype),
    (dy) => [avgPoolBackprop(dy, info)]);
}

/**
 * Max pooling: x [batch, h, w, c] (or [h, w, c]) -> the maximum of each filterSize window.
 * strides default to filterSize; pad 'valid', 'same' (padded cells never win) or a number.
 *
 * @example
 * ```ts
 * const x = st.range(0, 16).reshape([1, 4, 4, 1]);
 * st.maxPool(x, 2, 2, 'valid').print(); // [[[[5], [7]], [[13], [15]]]]
 * ```
 */
export function maxPool(x: TensorInput, filterSize: Pair, strides?: Pair, pad: PoolPad = 'valid',
                        dimRoundingMode?: DimRoundingMode): Tensor {
  const op = 'maxPool';
  const { x4, unbatched } = asBatch4(op, x);
  const y = maxPoolWithInfo(x4, poolInfo(op, x4, filterSize, strides, pad, dimRoundingMode));
  return unbatched ? reshape(y, y.shape.slice(1)) : y;
}

/**
 * Average pooling: the mean of each window over its real cells (padding is not counted, as in
 * TensorFlow), so a 'same' window half off the edge averages only what it covers.
 *
 * @example
 * ```ts
 * const x = st.range(0, 16).reshape([1, 4, 4, 1]);
 * st.avgPool(x, 2, 2, 'valid').print(); // [[[[2.5], [4.5]], [[10.5], [12.5]]]]
 * ```
 */
export function avgPool(x: TensorInput, filterSize: Pair, strides?: Pair, pad: PoolPad = 'valid',
                        dimRoundingMode?: DimRoundingMode): Tensor {
  const op = 'avgPool';
  const { x4, unbatched } = asBatch4(op, x);
  const y = avgPoolWithInfo(x4, poolInfo(op, x4, filterSize, strides, pad, dimRoundingMode));
  return unbatched ? reshape(y, y.shape.slice(1)) : y;
}

function globalAxes(op: string, x: Tensor): number[] {
  if (x.rank === 3) return [1];
  if (x.rank === 4) return [1, 2];
  throw new Error(`${op}: expected x of rank 4 [batch, height, width, channels] or rank 3 [batch, steps, channels], ` +
    `got [${x.shape}]`);
}

/**
 * Mean over the spatial axes: [b, h, w, c] -> [b, c]; [b, steps, c] -> [b, c].
 *
 * @example
 * ```ts
 * st.globalAvgPool(st.range(0, 8).reshape([1, 2, 2, 2])).print(); // [[3, 4]]
 * ```
 */
export function globalAvgPool(x: TensorInput): Tensor {
  const op = 'globalAvgPool';
  const t = convert(x, op, 'x');
  const axes = globalAxes(op, t);
  assertFloat(op, t, 'x');
  return mean(t, axes);
}

/**
 * Maximum over the spatial axes: [b, h, w, c] -> [b, c]; [b, steps, c] -> [b, c].
 *
 * @example
 * ```ts
 * st.globalMaxPool(st.range(0, 8).reshape([1, 2, 2, 2])).print(); // [[6, 7]]
 * ```
 */
export function globalMaxPool(x: TensorInput): Tensor {
  const op = 'globalMaxPool';
  const t = convert(x, op, 'x');
  const axes = globalAxes(op, t);
  assertFloat(op, t, 'x');
  return max(t, axes);
}

// ---- conv3d area: TensorFlow.js' generic pool and maxPoolWithArgmax ----

/**
 * TensorFlow.js' tf.pool: max or average pooling with dilations (strides default 1). With
 * dilations above 1 TensorFlow.js pools a zero-padded input ('same' pads the dilated window's
 * reach, the odd cell at the end) with 'valid' windows, so under 'same' the zeros of the border
 * count in the max and in the mean; this does the same with one dilated pooling.
 *
 * @example
 * ```ts
 * const x = st.range(0, 16).reshape([1, 4, 4, 1]);
 * st.pool(x, 2, 'max', 'valid', 1, 2).print();
 * ```
 */
export function pool(
  input: TensorInput, windowShape: Pair, poolingType: 'avg' | 'max', pad: PoolPad,
  dilations: Pair = 1, strides: Pair = 1, dimRoundingMode?: DimRoundingMode,
): Tensor {
  const op = 'pool';
  if (poolingType !== 'avg' && poolingType !== 'max') {
    throw new Error(`${op}: poolingType must be 'avg' or 'max', got ${JSON.stringify(poolingType)}`);
  }
  const pads = pad === 0 ? 'valid' : pad;
  const ones = (v: Pair) => (typeof v === 'number' ? v === 1 : v.every((d) => d === 1));
  if (!ones(dilations) && !ones(strides)) {
    throw new Error(`${op}: strides or dilations must be 1, got strides ${JSON.stringify(strides)} and dilations ` +
      `${JSON.stringify(dilations)}`);
  }
  const { x4, unbatched } = asBatch4(op, input);
  if (ones(dilations)) {
    const info = poolInfo(op, x4, windowShape, strides, pads, dimRoundingMode);
    const y = poolingType === 'max' ? maxPoolWithInfo(x4, info) : avgPoolWithInfo(x4, info);
    return unbatched ? reshape(y, y.shape.slice(1)) : y;
  }
  if (pads !== 'valid' && pads !== 'same') {
    // TensorFlow.js drops a numeric or explicit pad here without a word; refuse rather than guess
    throw new Error(`${op}: with dilations above 1 pad must be 'valid' or 'same', got ${JSON.stringify(pad)}`);
  }
  let x = x4;
  if (pads === 'same') {
    const size = typeof windowShape === 'number' ? [windowShape, windowShape] : windowShape;
    const dil = typeof dilations === 'number' ? [dilations, dilations] : dilations;
    const reach = size.map((k, i) => (k - 1) * dil[i]);
    const around = reach.map((r) => [Math.floor(r / 2), r - Math.floor(r / 2)] as [number, number]);
    x = padWithZeros(x4, [[0, 0], around[0], around[1], [0, 0]]);
  }
  const info = poolInfo(op, x, windowShape, 1, 'valid', undefined, dilations);
  const y = poolingType === 'max' ? maxPoolWithInfo(x, info) : avgPoolWithInfo(x, info);
  return unbatched ? reshape(y, y.shape.slice(1)) : y;
}

/**
 * Max pooling that also says where each maximum came from: { result, indexes }, indexes int32
 * flat positions ((b*height + y)*width + x)*channels + c, without the b term unless
 * includeBatchInIndex. x must be rank 4. Only `result` has a gradient (the indexes are integers).
 *
 * @example
 * ```ts
 * const x = st.range(0, 16).reshape([1, 4, 4, 1]);
 * const { result, indexes } = st.maxPoolWithArgmax(x, 2, 2, 'valid');
 * indexes.print(); // the flat positions of the maxima: [5, 7, 13, 15]
 * ```
 */
export function maxPoolWithArgmax(
  x: TensorInput, filterSize: Pair, strides: Pair, pad: PoolPad, includeBatchInIndex = false,
): { result: Tensor; indexes: Tensor } {
  const op = 'maxPoolWithArgmax';
  const t = convert(x, op, 'x');
  if (t.rank !== 4) throw new Error(`${op}: expected x of rank 4 [batch, height, width, channels], got [${t.shape}]`);
  assertFloat(op, t, 'x');
  const info = poolInfo(op, t, filterSize, strides, pad);
  const result = maxPoolWithInfo(t, info);
  const be = t.backend;
  const indexes = wrap(be, be.maxPoolArgmax(t, info, includeBatchInIndex), outShape(info), 'int32');
  return { result, indexes };
}

declare module '../tensor/tensor.js' {
  interface Tensor {
    maxPool(filterSize: Pair, strides?: Pair, pad?: PoolPad, dimRoundingMode?: DimRoundingMode): Tensor;
    avgPool(filterSize: Pair, strides?: Pair, pad?: PoolPad, dimRoundingMode?: DimRoundingMode): Tensor;
    pool(windowShape: Pair, poolingType: 'avg' | 'max', pad: PoolPad, dilations?: Pair, strides?: Pair,
      dimRoundingMode?: DimRoundingMode): Tensor;
  }
}

chainable({ maxPool, avgPool, pool });
