/**
 * Grey-scale morphological dilation (TensorFlow.js' dilation2d), NHWC: each output cell is the
 * maximum over its window of x + filter, one filter [fh, fw, channels] per channel. The
 * gradient of a maximum goes to the input cell and the filter tap that won it.
 */
import type { Conv2DInfo } from '../backend/types.js';
import { computeWindowInfo, type PadSpec } from '../backend/conv_info.js';
import { Tensor } from '../tensor/tensor.js';
import { assertFloat, chainable, convert, runOp, upcast, wrap, type TensorInput } from './op.js';
import { cast } from './arithmetic.js';
import { reshape } from './transform.js';

function dilation2dWithInfo(x: Tensor, f: Tensor, info: Conv2DInfo): Tensor {
  const shape = [info.batchSize, info.outHeight, info.outWidth, info.inChannels];
  return runOp('dilation2d', [x, f], (be, [a, b]) => wrap(be, be.dilation2d(a, b, info), shape, a.dtype),
    (dy, [a, b], _y, needed) => [
      needed[0] ? runOp('dilation2dBackpropInput', [dy, a, b],
        (be, [d, v, w]) => wrap(be, be.dilation2dBackpropInput(d, v, w, info), v.shape, d.dtype)) : null,
      needed[1] ? runOp('dilation2dBackpropFilter', [dy, a, b],
        (be, [d, v, w]) => wrap(be, be.dilation2dBackpropFilter(d, v, w, info), w.shape, d.dtype)) : null,
    ]);
}

/**
 * x [batch, h, w, c] (or [h, w, c]), filter [fh, fw, c] -> [batch, outH, outW, c]:
 * y[b, i, j, c] = max over (u, v) of x[b, i*sh + u*dh - padTop, j*sw + v*dw - padLeft, c] + filter[u, v, c].
 * pad 'valid' or 'same' (TensorFlow's); a window entirely in the padding gives -Infinity.
 *
 * @example
 * ```ts
 * const x = st.range(0, 9).reshape([1, 3, 3, 1]);
 * st.dilation2d(x, st.zeros([2, 2, 1]), 1, 'valid').print(); // a 2×2 max filter: [[4, 5], [7, 8]]
 * ```
 */
export function dilation2d(
  x: TensorInput, filter: TensorInput, strides: number | [number, number] = 1, pad: 'valid' | 'same' = 'valid',
  dilations: number | [number, number] = 1, dataFormat: 'NHWC' = 'NHWC',
): Tensor {
  const op = 'dilation2d';
  if (dataFormat !== 'NHWC') throw new Error(`${op}: dataFormat must be 'NHWC', got ${JSON.stringify(dataFormat)}`);
  const t = convert(x, op, 'x');
  if (t.rank !== 4 && t.rank !== 3) {
    throw new Error(`${op}: expected x of rank 4 [batch, height, width, channels], got [${t.shape}] ` +
      '(rank 3 [height, width, channels] is also accepted)');
  }
  assertFloat(op, t, 'x');
  const f0 = convert(filter, op, 'filter', t.dtype);
  if (f0.rank !== 3) throw new Error(`${op}: expected filter of rank 3 [filterHeight, filterWidth, channels], got [${f0.shape}]`);
  assertFloat(op, f0, 'filter');
  const x4 = t.rank === 3 ? reshape(t, [1, ...t.shape]) : t;
  if (f0.shape[2] !== x4.shape[3]) {
    throw new Error(`${op}: filter has ${f0.shape[2]} channels but x has ${x4.shape[3]} (x [${t.shape}], filter [${f0.shape}])`);
  }
  const d = upcast(x4.dtype, f0.dtype);
  const xs = x4.dtype === d ? x4 : cast(x4, d);
  const f = f0.dtype === d ? f0 : cast(f0, d);
  const info = computeWindowInfo(op, xs.shape, f.shape[0], f.shape[1], xs.shape[3], strides, pad as PadSpec, dilations);
  const y = dilation2dWithInfo(xs, f, info);
  return t.rank === 3 ? reshape(y, y.shape.slice(1)) : y;
}

declare module '../tensor/tensor.js' {
  interface Tensor {
    dilation2d(filter: TensorInput, strides?: number | [number, number], pad?: 'valid' | 'same',
      dilations?: number | [number, number], dataFormat?: 'NHWC'): Tensor;
  }
}

chainable({ dilation2d });
