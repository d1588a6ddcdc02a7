/**
 * 3-D convolution and pooling over volumes (video frames, medical scans), NDHWC, with
 * TensorFlow.js' names and argument order: conv3d, conv3dTranspose, maxPool3d, avgPool3d.
 *
 * As for the 2-D ops, each forward runs a backend kernel and the backward rules use the backprop
 * kernels, wrapped as ops with rules of their own, so gradients of gradients work too.
 */
import type { Conv3DInfo, DType } from '../backend/types.js';
import { computeConv3DInfo, type DimRoundingMode, type Pad3DSpec } from '../backend/conv_info.js';
import { Tensor } from '../tensor/tensor.js';
import { assertFloat, convert, runOp, upcast, wrap, type TensorInput } from './op.js';
import { cast } from './arithmetic.js';
import { reshape } from './transform.js';

type Triple = number | [number, number, number];

const X5 = '[batch, depth, height, width, channels]';
const X4 = '[depth, height, width, channels]';

function checkDataFormat(op: string, dataFormat: string | undefined): void {
  if (dataFormat === undefined || dataFormat === 'NDHWC') return;
  if (dataFormat === 'NCDHW') {
    throw new Error(`${op}: dataFormat 'NCDHW' is not supported, use 'NDHWC' (channels-last) and transpose the input`);
  }
  throw new Error(`${op}: dataFormat must be 'NDHWC', got ${JSON.stringify(dataFormat)}`);
}

/** x as a float rank-5 NDHWC tensor (rank 4 gets a batch of 1); `unbatched` says to drop it again. */
function asBatch5(op: string, x: TensorInput, arg = 'x'): { x5: Tensor; unbatched: boolean } {
  const t = convert(x, op, arg);
  if (t.rank !== 5 && t.rank !== 4) {
    throw new Error(`${op}: expected ${arg} of rank 5 ${X5}, got [${t.shape}] (rank 4 ${X4} is also accepted)`);
  }
  assertFloat(op, t, arg);
  return { x5: t.rank === 4 ? reshape(t, [1, ...t.shape]) : t, unbatched: t.rank === 4 };
}

function asFilter5(op: string, f: TensorInput, dtypeHint: DType, layout: string): Tensor {
  const t = convert(f, op, 'filter', dtypeHint);
  if (t.rank !== 5) throw new Error(`${op}: expected filter of rank 5 ${layout}, got [${t.shape}]`);
  assertFloat(op, t, 'filter');
  return t;
}

function sameDtype(a: Tensor, b: Tensor): [Tensor, Tensor] {
  const d = upcast(a.dtype, b.dtype);
  return [a.dtype === d ? a : cast(a, d), b.dtype === d ? b : cast(b, d)];
}

function dropBatch(y: Tensor, unbatched: boolean): Tensor {
  return unbatched ? reshape(y, y.shape.slice(1)) : y;
}

function outShape(info: Conv3DInfo): number[] {
  return [info.batchSize, info.outDepth, info.outHeight, info.outWidth, info.outChannels];
}

function inShape(info: Conv3DInfo): number[] {
  return [info.batchSize, info.inDepth, info.inHeight, info.inWidth, info.inChannels];
}

function filterShape(info: Conv3DInfo): number[] {
  return [info.filterDepth, info.filterHeight, info.filterWidth, info.inChannels, info.outChannels];
}

// ---------------------------------------------------------------------------------------------
// the raw ops on a computed geometry; each one's backward rule uses the other two

function conv3dWithInfo(x: Tensor, f: Tensor, info: Conv3DInfo): Tensor {
  return runOp('conv3d', [x, f], (be, [a, b]) => wrap(be, be.conv3d(a, b, info), outShape(info), a.dtype),
    (dy, [a, b], _y, needed) => [needed[0] ? conv3dBackpropInputWithInfo(dy, b, info) : null,
      needed[1] ? conv3dBackpropFilterWithInfo(a, dy, info) : null]);
}

/** dx of conv3d: [batch, inD, inH, inW, inC]; linear in dy and in the filter. */
function conv3dBackpropInputWithInfo(dy: Tensor, f: Tensor, info: Conv3DInfo): Tensor {
  return runOp('conv3dBackpropInput', [dy, f],
    (be, [d, b]) => wrap(be, be.conv3dBackpropInput(d, b, info), inShape(info), d.dtype),
    (ddx, [d, b]) => [conv3dWithInfo(ddx, b, info), conv3dBackpropFilterWithInfo(ddx, d, info)]);
}

/** dfilter of conv3d: [fd, fh, fw, inC, outC]; linear in x and in dy. */
function conv3dBackpropFilterWithInfo(x: Tensor, dy: Tensor, info: Conv3DInfo): Tensor {
  return runOp('conv3dBackpropFilter', [x, dy],
    (be, [a, d]) => wrap(be, be.conv3dBackpropFilter(a, d, info), filterShape(info), a.dtype),
    (ddf, [a, d]) => [conv3dBackpropInputWithInfo(d, ddf, info), conv3dWithInfo(a, ddf, info)]);
}

function maxPool3dBackprop(dy: Tensor, x: Tensor, info: Conv3DInfo): Tensor {
  return runOp('maxPool3dBackprop', [dy, x], (be, [d, v]) => wrap(be, be.maxPool3dBackprop(d, v, info), inShape(info), d.dtype));
}

function maxPool3dWithInfo(x: Tensor, info: Conv3DInfo): Tensor {
  return runOp('maxPool3d', [x], (be, [v]) => wrap(be, be.maxPool3d(v, info), outShape(info), v.dtype),
    (dy, [v]) => [maxPool3dBackprop(dy, v, info)]);
}

function avgPool3dBackprop(dy: Tensor, info: Conv3DInfo): Tensor {
  return runOp('avgPool3dBackprop', [dy], (be, [d]) => wrap(be, be.avgPool3dBackprop(d, info), inShape(info), d.dtype),
    (ddx) => [avgPool3dWithInfo(ddx, info)]);
}

function avgPool3dWithInfo(x: Tensor, info: Conv3DInfo): Tensor {
  return runOp('avgPool3d', [x], (be, [v]) => wrap(be, be.avgPool3d(v, info), outShape(info), v.dtype),
    (dy) => [avgPool3dBackprop(dy, info)]);
}

// ---------------------------------------------------------------------------------------------
// public ops

/**
 * 3-D convolution (cross-correlation): x [batch, d, h, w, inC] (or [d, h, w, inC]), filter
 * [fd, fh, fw, inC, outC] -> [batch, outD, outH, outW, outC]. pad 'valid', 'same' (TensorFlow's)
 * or a number of cells on every side.
 *
 * @example
 * ```ts
 * const x = st.ones([1, 3, 3, 3, 1]); // NDHWC
 * st.conv3d(x, st.ones([2, 2, 2, 1, 1]), 1, 'valid').print(); // 8 everywhere, shape [1, 2, 2, 2, 1]
 * ```
 */
export function conv3d(
  x: TensorInput, filter: TensorInput, strides: Triple = 1, pad: Pad3DSpec = 'valid',
  dataFormat: 'NDHWC' | 'NCDHW' = 'NDHWC', dilations: Triple = 1,
): Tensor {
  const op = 'conv3d';
  checkDataFormat(op, dataFormat);
  const { x5, unbatched } = asBatch5(op, x);
  const f0 = asFilter5(op, filter, x5.dtype, '[filterDepth, filterHeight, filterWidth, inChannels, outChannels]');
  const [xs, f] = sameDtype(x5, f0);
  if (f.shape[3] !== xs.shape[4]) {
    throw new Error(`${op}: filter has ${f.shape[3]} input channels but x has ${xs.shape[4]} ` +
      `(x [${xs.shape}], filter [${f.shape}])`);
  }
  const info = computeConv3DInfo(op, xs.shape, [f.shape[0], f.shape[1], f.shape[2]], f.shape[4], strides, pad, dilations);
  return dropBatch(conv3dWithInfo(xs, f, info), unbatched);
}

/**
 * Transposed 3-D convolution (conv3d's gradient w.r.t. its input): x [batch, d, h, w, inC],
 * filter [fd, fh, fw, outC, inC] -> outputShape [batch, outD, outH, outW, outC] (or without the
 * batch). conv3d(result, filter, strides, pad) maps back to x's shape.
 *
 * @example
 * ```ts
 * const x = st.ones([1, 1, 1, 1, 1]);
 * console.log(st.conv3dTranspose(x, st.ones([2, 2, 2, 1, 1]), [1, 2, 2, 2, 1], 2, 'same').shape);
 * ```
 */
export function conv3dTranspose(
  x: TensorInput, filter: TensorInput, outputShape: readonly number[], strides: Triple = 1, pad: 'valid' | 'same' = 'valid',
): Tensor {
  const op = 'conv3dTranspose';
  const { x5, unbatched } = asBatch5(op, x);
  const f0 = asFilter5(op, filter, x5.dtype, '[filterDepth, filterHeight, filterWidth, outChannels, inChannels]');
  const [xs, f] = sameDtype(x5, f0);
  if (f.shape[4] !== xs.shape[4]) {
    throw new Error(`${op}: filter has ${f.shape[4]} input channels (its last axis) but x has ${xs.shape[4]} ` +
      `(x [${xs.shape}], filter [${f.shape}])`);
  }
  if (!Array.isArray(outputShape) || (outputShape.length !== 5 && outputShape.length !== 4) ||
      !outputShape.every((d) => Number.isInteger(d) && d > 0)) {
    throw new Error(`${op}: outputShape must be [batch, depth, height, width, outChannels] or [depth, height, width, ` +
      `outChannels] of positive integers, got ${JSON.stringify(outputShape)}`);
  }
  const out5 = outputShape.length === 4 ? [1, ...outputShape] : [...outputShape];
  if (out5[0] !== xs.shape[0]) {
    throw new Error(`${op}: outputShape batch ${out5[0]} does not match x's batch ${xs.shape[0]} (x [${xs.shape}])`);
  }
  if (out5[4] !== f.shape[3]) {
    throw new Error(`${op}: outputShape has ${out5[4]} channels but filter [${f.shape}] produces ${f.shape[3]}`);
  }
  const info = computeConv3DInfo(op, out5, [f.shape[0], f.shape[1], f.shape[2]], f.shape[4], strides, pad);
  if (info.outDepth !== xs.shape[1] || info.outHeight !== xs.shape[2] || info.outWidth !== xs.shape[3]) {
    throw new Error(`${op}: a convolution of outputShape [${out5}] with this filter, strides and pad gives ` +
      `${info.outDepth}x${info.outHeight}x${info.outWidth}, but x is ${xs.shape.slice(1, 4).join('x')} (x [${xs.shape}])`);
  }
  const y = conv3dBackpropInputWithInfo(xs, f, info);
  return unbatched || outputShape.length === 4 ? reshape(y, y.shape.slice(1)) : y;
}

function poolSize3(op: string, filterSize: Triple): [number, number, number] {
  const size: number[] = typeof filterSize === 'number' ? [filterSize, filterSize, filterSize] : filterSize;
  if (!Array.isArray(size) || size.length !== 3 || !size.every((v) => Number.isInteger(v) && v >= 1)) {
    throw new Error(`${op}: filterSize must be a positive integer or three of them [depth, height, width], ` +
      `got ${JSON.stringify(filterSize)}`);
  }
  return size as [number, number, number];
}

function pool3d(
  op: 'maxPool3d' | 'avgPool3d', x: TensorInput, filterSize: Triple, strides: Triple | undefined, pad: Pad3DSpec,
  dimRoundingMode: DimRoundingMode | undefined, dataFormat: string,
): Tensor {
  checkDataFormat(op, dataFormat);
  const { x5, unbatched } = asBatch5(op, x);
  const size = poolSize3(op, filterSize);
  const info = computeConv3DInfo(op, x5.shape, size, x5.shape[4], strides ?? size, pad, 1, dimRoundingMode);
  const y = op === 'maxPool3d' ? maxPool3dWithInfo(x5, info) : avgPool3dWithInfo(x5, info);
  return dropBatch(y, unbatched);
}

/**
 * 3-D max pooling: x [batch, d, h, w, c] (or [d, h, w, c]) -> the maximum of each
 * filterSize window; strides default to filterSize; padded cells never win.
 *
 * @example
 * ```ts
 * const x = st.range(0, 8).reshape([1, 2, 2, 2, 1]);
 * st.maxPool3d(x, 2, 2, 'valid').print(); // [[[[[7]]]]]
 * ```
 */
export function maxPool3d(
  x: TensorInput, filterSize: Triple = [1, 1, 1], strides?: Triple, pad: Pad3DSpec = 'valid',
  dimRoundingMode?: DimRoundingMode, dataFormat: 'NDHWC' | 'NCDHW' = 'NDHWC',
): Tensor {
  return pool3d('maxPool3d', x, filterSize, strides, pad, dimRoundingMode, dataFormat);
}

/**
 * 3-D average pooling: the mean of each window over its real cells (padding is not counted).
 *
 * @example
 * ```ts
 * const x = st.range(0, 8).reshape([1, 2, 2, 2, 1]);
 * st.avgPool3d(x, 2, 2, 'valid').print(); // [[[[[3.5]]]]]
 * ```
 */
export function avgPool3d(
  x: TensorInput, filterSize: Triple = [1, 1, 1], strides?: Triple, pad: Pad3DSpec = 'valid',
  dimRoundingMode?: DimRoundingMode, dataFormat: 'NDHWC' | 'NCDHW' = 'NDHWC',
): Tensor {
  return pool3d('avgPool3d', x, filterSize, strides, pad, dimRoundingMode, dataFormat);
}
