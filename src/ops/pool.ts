/**
 * Pooling, NHWC: maxPool and avgPool over any window and stride (overlapping windows too, as
 * AlexNet's 3x3 stride 2), and the global poolings that reduce the spatial axes away.
 */
import type { Conv2DInfo } from '../backend/types.js';
import { computeWindowInfo } from '../backend/conv_info.js';
import { Tensor } from '../tensor/tensor.js';
import { assertFloat, convert, runOp, wrap, type TensorInput } from './op.js';
import { max, mean } from './reduce.js';
import { reshape } from './transform.js';

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

function poolInfo(op: string, x4: Tensor, filterSize: Pair, strides: Pair | undefined, pad: 'valid' | 'same' | number): Conv2DInfo {
  const size: [number, number] = typeof filterSize === 'number' ? [filterSize, filterSize] : [filterSize[0], filterSize[1]];
  if ((typeof filterSize !== 'number' && (!Array.isArray(filterSize) || filterSize.length !== 2)) ||
      !size.every((v) => Number.isInteger(v) && v >= 1)) {
    throw new Error(`${op}: filterSize must be a positive integer or a pair of them, got ${JSON.stringify(filterSize)}`);
  }
  if (pad !== 'valid' && pad !== 'same' && typeof pad !== 'number') {
    throw new Error(`${op}: pad must be 'valid', 'same' or a number, got ${JSON.stringify(pad)}`);
  }
  return computeWindowInfo(op, x4.shape, size[0], size[1], x4.shape[3], strides ?? size, pad);
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
 */
export function maxPool(x: TensorInput, filterSize: Pair, strides?: Pair, pad: 'valid' | 'same' | number = 'valid'): Tensor {
  const op = 'maxPool';
  const { x4, unbatched } = asBatch4(op, x);
  const y = maxPoolWithInfo(x4, poolInfo(op, x4, filterSize, strides, pad));
  return unbatched ? reshape(y, y.shape.slice(1)) : y;
}

/**
 * Average pooling: the mean of each window over its real cells (padding is not counted, as in
 * TensorFlow), so a 'same' window half off the edge averages only what it covers.
 */
export function avgPool(x: TensorInput, filterSize: Pair, strides?: Pair, pad: 'valid' | 'same' | number = 'valid'): Tensor {
  const op = 'avgPool';
  const { x4, unbatched } = asBatch4(op, x);
  const y = avgPoolWithInfo(x4, poolInfo(op, x4, filterSize, strides, pad));
  return unbatched ? reshape(y, y.shape.slice(1)) : y;
}

function globalAxes(op: string, x: Tensor): number[] {
  if (x.rank === 3) return [1];
  if (x.rank === 4) return [1, 2];
  throw new Error(`${op}: expected x of rank 4 [batch, height, width, channels] or rank 3 [batch, steps, channels], ` +
    `got [${x.shape}]`);
}

/** Mean over the spatial axes: [b, h, w, c] -> [b, c]; [b, steps, c] -> [b, c]. */
export function globalAvgPool(x: TensorInput): Tensor {
  const op = 'globalAvgPool';
  const t = convert(x, op, 'x');
  const axes = globalAxes(op, t);
  assertFloat(op, t, 'x');
  return mean(t, axes);
}

/** Maximum over the spatial axes: [b, h, w, c] -> [b, c]; [b, steps, c] -> [b, c]. */
export function globalMaxPool(x: TensorInput): Tensor {
  const op = 'globalMaxPool';
  const t = convert(x, op, 'x');
  const axes = globalAxes(op, t);
  assertFloat(op, t, 'x');
  return max(t, axes);
}
