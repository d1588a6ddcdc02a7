/**
 * Convolutions, NHWC, with TensorFlow.js names and argument order: conv1d, conv2d,
 * depthwiseConv2d, separableConv2d, conv2dTranspose; and the textbook single-channel
 * convolve2d (true convolution, kernel flipped) and correlate2d (cross-correlation, what a
 * CNN layer computes).
 *
 * Every forward runs a backend kernel; the backward rules use the backprop kernels, wrapped as
 * ops of their own (with their own backward rules), so gradients of gradients work too.
 */
import type { Conv2DInfo, DType } from '../backend/types.js';
import { computeWindowInfo, type DimRoundingMode, type PadSpec } from '../backend/conv_info.js';
import { Tensor } from '../tensor/tensor.js';
import { assertFloat, chainable, convert, runOp, upcast, wrap, type TensorInput } from './op.js';
import { add, cast } from './arithmetic.js';
import { relu } from './activations.js';
import { reluGradient } from './relu_grad.js';
import { sum } from './reduce.js';
import { reshape } from './transform.js';

// ---------------------------------------------------------------------------------------------
// validation helpers

const X4 = '[batch, height, width, inChannels]';
const X3 = '[height, width, inChannels]';

/** Only channels-last is implemented; says so clearly for anything else. */
function checkDataFormat(op: string, dataFormat: string | undefined, expected: 'NHWC' | 'NWC'): void {
  if (dataFormat === undefined || dataFormat === expected) return;
  if (dataFormat === 'NCHW' || dataFormat === 'NCW') {
    throw new Error(`${op}: dataFormat '${dataFormat}' is not supported, use '${expected}' (channels-last) ` +
      `and transpose the input`);
  }
  throw new Error(`${op}: dataFormat must be '${expected}', got ${JSON.stringify(dataFormat)}`);
}

/** x as a float rank-4 NHWC tensor (rank 3 gets a batch of 1); `unbatched` says to drop it again. */
function asBatch4(op: string, x: TensorInput, arg = 'x'): { x4: Tensor; unbatched: boolean } {
  const t = convert(x, op, arg);
  if (t.rank !== 4 && t.rank !== 3) {
    throw new Error(`${op}: expected ${arg} of rank 4 ${X4}, got [${t.shape}] (rank 3 ${X3} is also accepted)`);
  }
  assertFloat(op, t, arg);
  return { x4: t.rank === 3 ? reshape(t, [1, ...t.shape]) : t, unbatched: t.rank === 3 };
}

function asFilter(op: string, f: TensorInput, dtypeHint: DType, layout: string, arg = 'filter'): Tensor {
  const t = convert(f, op, arg, dtypeHint);
  if (t.rank !== 4) throw new Error(`${op}: expected ${arg} of rank 4 ${layout}, got [${t.shape}]`);
  assertFloat(op, t, arg);
  return t;
}

/** Both operands in one float dtype. */
function sameDtype(a: Tensor, b: Tensor): [Tensor, Tensor] {
  const d = upcast(a.dtype, b.dtype);
  return [a.dtype === d ? a : cast(a, d), b.dtype === d ? b : cast(b, d)];
}

/**
 * Accepts TensorFlow.js' explicit NHWC padding [[0, 0], [top, bottom], [left, right], [0, 0]]
 * besides the PadSpec forms; batch and channel padding must be zero.
 *
 * @example
 * ```ts
 * console.log(st.normalizePad('myConv', 'same')); // 'same'
 * ```
 */
export function normalizePad(op: string, pad: PadSpec | readonly (readonly [number, number])[]): PadSpec {
  if (Array.isArray(pad) && pad.length === 4) {
    const p = pad as readonly (readonly [number, number])[];
    if (!p.every((q) => Array.isArray(q) && q.length === 2) || p[0][0] !== 0 || p[0][1] !== 0 || p[3][0] !== 0 || p[3][1] !== 0) {
      throw new Error(`${op}: explicit NHWC padding must be [[0, 0], [top, bottom], [left, right], [0, 0]], got ${JSON.stringify(pad)}`);
    }
    return [p[1], p[2]] as PadSpec;
  }
  return pad as PadSpec;
}

function dropBatch(y: Tensor, unbatched: boolean): Tensor {
  return unbatched ? reshape(y, y.shape.slice(1)) : y;
}

// ---------------------------------------------------------------------------------------------
// the raw ops on a computed geometry; each one's backward rule uses the other two

function conv2dWithInfo(x: Tensor, f: Tensor, info: Conv2DInfo): Tensor {
  const shape = [info.batchSize, info.outHeight, info.outWidth, info.outChannels];
  return runOp('conv2d', [x, f], (be, [a, b]) => wrap(be, be.conv2d(a, b, info), shape, a.dtype),
    (dy, [a, b], _y, needed) => [needed[0] ? conv2dBackpropInputWithInfo(dy, b, info) : null,
      needed[1] ? conv2dBackpropFilterWithInfo(a, dy, info) : null]);
}

/** dx of conv2d: [batch, inH, inW, inC]; linear in dy and in the filter. */
function conv2dBackpropInputWithInfo(dy: Tensor, f: Tensor, info: Conv2DInfo): Tensor {
  const shape = [info.batchSize, info.inHeight, info.inWidth, info.inChannels];
  return runOp('conv2dBackpropInput', [dy, f], (be, [d, b]) => wrap(be, be.conv2dBackpropInput(d, b, info), shape, d.dtype),
    (ddx, [d, b]) => [conv2dWithInfo(ddx, b, info), conv2dBackpropFilterWithInfo(ddx, d, info)]);
}

/** dfilter of conv2d: [fh, fw, inC, outC]; linear in x and in dy. */
function conv2dBackpropFilterWithInfo(x: Tensor, dy: Tensor, info: Conv2DInfo): Tensor {
  const shape = [info.filterHeight, info.filterWidth, info.inChannels, info.outChannels];
  return runOp('conv2dBackpropFilter', [x, dy], (be, [a, d]) => wrap(be, be.conv2dBackpropFilter(a, d, info), shape, a.dtype),
    (ddf, [a, d]) => [conv2dBackpropInputWithInfo(d, ddf, info), conv2dWithInfo(a, ddf, info)]);
}

/**
 * activation(conv2d(x, f) + bias) in one backend kernel where there is one (the wasm conv's
 * GEMM epilogue), and as separate ops otherwise. Backward: relu's mask, then conv2d's rules.
 */
function fusedConv2dWithInfo(x: Tensor, f: Tensor, bias: Tensor | null, activation: 'linear' | 'relu',
                             info: Conv2DInfo): Tensor {
  const be = x.backend;
  const fusable = x.dtype === 'float32' && f.dtype === 'float32' && be.fusedConv2d !== undefined &&
    f.backend === be && (bias === null || (bias.backend === be && bias.dtype === 'float32' &&
      bias.rank === 1 && bias.shape[0] === info.outChannels));
  if (!fusable) {
    let y = conv2dWithInfo(x, f, info);
    if (bias) y = add(y, bias);
    return activation === 'relu' ? relu(y) : y;
  }
  const shape = [info.batchSize, info.outHeight, info.outWidth, info.outChannels];
  return runOp('fused.conv2d', bias ? [x, f, bias] : [x, f], (b, [a, w, c]) => {
    const out = b.fusedConv2d!(a, w, info, c ?? null, activation);
    if (out !== null) return wrap(b, out, shape, 'float32');
    let y = conv2dWithInfo(a, w, info);
    if (c) y = add(y, c);
    return activation === 'relu' ? relu(y) : y;
  }, (dy, [a, w], y, needed) => {
    const dz = activation === 'relu' ? reluGradient(dy, y) : dy;
    // the first layer's input (the images) needs no gradient: skip the largest of the three
    const grads = [needed[0] ? conv2dBackpropInputWithInfo(dz, w, info) : null,
      needed[1] ? conv2dBackpropFilterWithInfo(a, dz, info) : null];
    return bias ? [...grads, sum(dz, [0, 1, 2])] : grads;
  });
}

/**
 * conv2d with its bias and activation fused (`st.fused.conv2d`, TensorFlow.js' order of arguments).
 *
 * @example
 * ```ts
 * const x = st.ones([1, 3, 3, 1]);
 * st.fused.conv2d({ x, filter: st.ones([2, 2, 1, 1]), strides: 1, pad: 'valid', bias: st.tensor1d([1]) }).print(); // 5 everywhere
 * ```
 */
export function fusedConv2d(args: {
  x: TensorInput; filter: TensorInput; strides?: number | [number, number];
  pad: PadSpec | readonly (readonly [number, number])[]; dataFormat?: 'NHWC' | 'NCHW';
  dilations?: number | [number, number]; bias?: TensorInput | null; activation?: 'linear' | 'relu';
}): Tensor {
  const op = 'fused.conv2d';
  const { strides = 1, pad, dataFormat = 'NHWC', dilations = 1, activation = 'linear' } = args;
  if (activation !== 'linear' && activation !== 'relu') {
    throw new Error(`${op}: activation must be 'linear' or 'relu', got ${JSON.stringify(activation)}`);
  }
  checkDataFormat(op, dataFormat, 'NHWC');
  const { x4, unbatched } = asBatch4(op, args.x);
  const f0 = asFilter(op, args.filter, x4.dtype, '[filterHeight, filterWidth, inChannels, outChannels]');
  const [xs, f] = sameDtype(x4, f0);
  if (f.shape[2] !== xs.shape[3]) {
    throw new Error(`${op}: filter has ${f.shape[2]} input channels but x has ${xs.shape[3]} ` +
      `(x [${xs.shape}], filter [${f.shape}])`);
  }
  const bias = args.bias === undefined || args.bias === null ? null : convert(args.bias, op, 'bias', xs.dtype);
  const info = computeWindowInfo(op, xs.shape, f.shape[0], f.shape[1], f.shape[3], strides, normalizePad(op, pad), dilations);
  return dropBatch(fusedConv2dWithInfo(xs, f, bias, activation, info), unbatched);
}

function depthwiseWithInfo(x: Tensor, f: Tensor, info: Conv2DInfo): Tensor {
  const shape = [info.batchSize, info.outHeight, info.outWidth, info.outChannels];
  return runOp('depthwiseConv2d', [x, f], (be, [a, b]) => wrap(be, be.depthwiseConv2d(a, b, info), shape, a.dtype),
    (dy, [a, b]) => [depthwiseBackpropInputWithInfo(dy, b, info), depthwiseBackpropFilterWithInfo(a, dy, info)]);
}

function depthwiseBackpropInputWithInfo(dy: Tensor, f: Tensor, info: Conv2DInfo): Tensor {
  const shape = [info.batchSize, info.inHeight, info.inWidth, info.inChannels];
  return runOp('depthwiseConv2dBackpropInput', [dy, f],
    (be, [d, b]) => wrap(be, be.depthwiseConv2dBackpropInput(d, b, info), shape, d.dtype),
    (ddx, [d, b]) => [depthwiseWithInfo(ddx, b, info), depthwiseBackpropFilterWithInfo(ddx, d, info)]);
}

function depthwiseBackpropFilterWithInfo(x: Tensor, dy: Tensor, info: Conv2DInfo): Tensor {
  const shape = [info.filterHeight, info.filterWidth, info.inChannels, info.channelMultiplier];
  return runOp('depthwiseConv2dBackpropFilter', [x, dy],
    (be, [a, d]) => wrap(be, be.depthwiseConv2dBackpropFilter(a, d, info), shape, a.dtype),
    (ddf, [a, d]) => [depthwiseBackpropInputWithInfo(d, ddf, info), depthwiseWithInfo(a, ddf, info)]);
}

// ---------------------------------------------------------------------------------------------
// public ops

/**
 * 2-D convolution (cross-correlation, as in every deep-learning library).
 * x [batch, h, w, inC] (or [h, w, inC]), filter [fh, fw, inC, outC] -> [batch, outH, outW, outC].
 * pad: 'valid', 'same' (TensorFlow's: out = ceil(in / stride), the odd extra cell at the
 * bottom/right), a number for every side, or [[top, bottom], [left, right]].
 *
 * @example
 * ```ts
 * const x = st.ones([1, 4, 4, 1]);           // NHWC
 * const filter = st.ones([3, 3, 1, 2]);      // [height, width, in, out]
 * st.conv2d(x, filter, 1, 'same').print();   // shape [1, 4, 4, 2]
 * ```
 */
export function conv2d(
  x: TensorInput, filter: TensorInput, strides: number | [number, number] = 1,
  pad: PadSpec | readonly (readonly [number, number])[] = 'valid',
  dataFormat: 'NHWC' | 'NCHW' = 'NHWC', dilations: number | [number, number] = 1,
  dimRoundingMode?: DimRoundingMode,
): Tensor {
  const op = 'conv2d';
  checkDataFormat(op, dataFormat, 'NHWC');
  const { x4, unbatched } = asBatch4(op, x);
  const f0 = asFilter(op, filter, x4.dtype, '[filterHeight, filterWidth, inChannels, outChannels]');
  const [xs, f] = sameDtype(x4, f0);
  if (f.shape[2] !== xs.shape[3]) {
    throw new Error(`${op}: filter has ${f.shape[2]} input channels but x has ${xs.shape[3]} ` +
      `(x [${convert(x, op, 'x').shape}], filter [${f.shape}])`);
  }
  const info = computeWindowInfo(op, xs.shape, f.shape[0], f.shape[1], f.shape[3], strides, normalizePad(op, pad), dilations,
    1, dimRoundingMode);
  return dropBatch(conv2dWithInfo(xs, f, info), unbatched);
}

/**
 * 1-D convolution over steps: x [batch, width, inC] (or [width, inC]), filter [fw, inC, outC]
 * -> [batch, outWidth, outC]. Runs as conv2d on a height-1 image.
 *
 * @example
 * ```ts
 * const x = st.tensor3d([[[1], [2], [3], [4]]]); // [batch, width, channels]
 * st.conv1d(x, st.ones([2, 1, 1]), 1, 'valid').print(); // [[[3], [5], [7]]]
 * ```
 */
export function conv1d(
  x: TensorInput, filter: TensorInput, stride = 1,
  pad: 'valid' | 'same' | number | readonly (readonly [number, number])[] = 'valid',
  dataFormat: 'NWC' | 'NCW' = 'NWC', dilation = 1, dimRoundingMode?: DimRoundingMode,
): Tensor {
  const op = 'conv1d';
  checkDataFormat(op, dataFormat, 'NWC');
  const t = convert(x, op, 'x');
  if (t.rank !== 3 && t.rank !== 2) {
    throw new Error(`${op}: expected x of rank 3 [batch, width, inChannels], got [${t.shape}] ` +
      `(rank 2 [width, inChannels] is also accepted)`);
  }
  assertFloat(op, t, 'x');
  const f0 = convert(filter, op, 'filter', t.dtype);
  if (f0.rank !== 3) throw new Error(`${op}: expected filter of rank 3 [filterWidth, inChannels, outChannels], got [${f0.shape}]`);
  assertFloat(op, f0, 'filter');
  const x3 = t.rank === 2 ? reshape(t, [1, ...t.shape]) : t;
  const [xs, f] = sameDtype(x3, f0);
  if (f.shape[1] !== xs.shape[2]) {
    throw new Error(`${op}: filter has ${f.shape[1]} input channels but x has ${xs.shape[2]} (x [${t.shape}], filter [${f.shape}])`);
  }
  for (const [name, v] of [['stride', stride], ['dilation', dilation]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new Error(`${op}: ${name} must be a positive integer, got ${JSON.stringify(v)}`);
  }
  let pad2: PadSpec;
  if (typeof pad === 'number') {
    if (!Number.isInteger(pad) || pad < 0) throw new Error(`${op}: pad must be a non-negative integer, got ${pad}`);
    pad2 = [[0, 0], [pad, pad]];
  } else if (Array.isArray(pad)) {
    // TensorFlow.js hands conv1d's explicit padding to conv2d on a height-1 image: the NHWC form
    // [[0, 0], [0, 0], [left, right], [0, 0]], whose height pads must stay zero
    const p = normalizePad(op, pad as readonly (readonly [number, number])[]);
    if (!Array.isArray(p) || p.length !== 2 || pad.length !== 4 || p[0][0] !== 0 || p[0][1] !== 0) {
      throw new Error(`${op}: explicit padding must be [[0, 0], [0, 0], [left, right], [0, 0]], got ${JSON.stringify(pad)}`);
    }
    pad2 = p;
  } else {
    pad2 = pad as 'valid' | 'same';
  }
  const x4 = reshape(xs, [xs.shape[0], 1, xs.shape[1], xs.shape[2]]);
  const f4 = reshape(f, [1, ...f.shape]);
  const info = computeWindowInfo(op, x4.shape, 1, f.shape[0], f.shape[2], [1, stride], pad2, [1, dilation], 1, dimRoundingMode);
  const y = conv2dWithInfo(x4, f4, info);
  const y3 = reshape(y, [y.shape[0], y.shape[2], y.shape[3]]);
  return t.rank === 2 ? reshape(y3, y3.shape.slice(1)) : y3;
}

/**
 * Depthwise convolution: each input channel convolved with its own `multiplier` filters.
 * x [batch, h, w, inC], filter [fh, fw, inC, multiplier] -> [batch, outH, outW, inC*multiplier],
 * output channel c*multiplier + m.
 *
 * @example
 * ```ts
 * const x = st.ones([1, 3, 3, 2]);
 * st.depthwiseConv2d(x, st.ones([2, 2, 2, 1]), 1, 'valid').print(); // 4 in every cell and channel
 * ```
 */
export function depthwiseConv2d(
  x: TensorInput, filter: TensorInput, strides: number | [number, number] = 1,
  pad: PadSpec | readonly (readonly [number, number])[] = 'valid',
  dataFormat: 'NHWC' | 'NCHW' = 'NHWC', dilations: number | [number, number] = 1,
  dimRoundingMode?: DimRoundingMode,
): Tensor {
  const op = 'depthwiseConv2d';
  checkDataFormat(op, dataFormat, 'NHWC');
  const { x4, unbatched } = asBatch4(op, x);
  const f0 = asFilter(op, filter, x4.dtype, '[filterHeight, filterWidth, inChannels, channelMultiplier]');
  const [xs, f] = sameDtype(x4, f0);
  if (f.shape[2] !== xs.shape[3]) {
    throw new Error(`${op}: filter has ${f.shape[2]} input channels but x has ${xs.shape[3]} ` +
      `(x [${convert(x, op, 'x').shape}], filter [${f.shape}])`);
  }
  const mult = f.shape[3];
  const info = computeWindowInfo(op, xs.shape, f.shape[0], f.shape[1], xs.shape[3] * mult, strides,
    normalizePad(op, pad), dilations, mult, dimRoundingMode);
  return dropBatch(depthwiseWithInfo(xs, f, info), unbatched);
}

/**
 * Depthwise convolution followed by a 1x1 (pointwise) convolution mixing the channels.
 * depthwiseFilter [fh, fw, inC, multiplier], pointwiseFilter [1, 1, inC*multiplier, outC].
 *
 * @example
 * ```ts
 * const x = st.ones([1, 3, 3, 2]);
 * st.separableConv2d(x, st.ones([2, 2, 2, 1]), st.ones([1, 1, 2, 3]), 1, 'valid').print(); // 8 everywhere, 3 channels
 * ```
 */
export function separableConv2d(
  x: TensorInput, depthwiseFilter: TensorInput, pointwiseFilter: TensorInput,
  strides: number | [number, number] = 1, pad: PadSpec = 'valid',
  dilation: number | [number, number] = 1, dataFormat: 'NHWC' | 'NCHW' = 'NHWC',
): Tensor {
  const op = 'separableConv2d';
  checkDataFormat(op, dataFormat, 'NHWC');
  const { x4, unbatched } = asBatch4(op, x);
  const dw = asFilter(op, depthwiseFilter, x4.dtype, '[filterHeight, filterWidth, inChannels, channelMultiplier]', 'depthwiseFilter');
  const pw = asFilter(op, pointwiseFilter, x4.dtype, '[1, 1, inChannels*channelMultiplier, outChannels]', 'pointwiseFilter');
  if (dw.shape[2] !== x4.shape[3]) {
    throw new Error(`${op}: depthwiseFilter has ${dw.shape[2]} input channels but x has ${x4.shape[3]} ` +
      `(x [${x4.shape}], depthwiseFilter [${dw.shape}])`);
  }
  if (pw.shape[0] !== 1 || pw.shape[1] !== 1) {
    throw new Error(`${op}: pointwiseFilter must be 1x1, got [${pw.shape}]`);
  }
  const mid = dw.shape[2] * dw.shape[3];
  if (pw.shape[2] !== mid) {
    throw new Error(`${op}: pointwiseFilter has ${pw.shape[2]} input channels but the depthwise step gives ` +
      `${mid} (inChannels ${dw.shape[2]} x multiplier ${dw.shape[3]}; pointwiseFilter [${pw.shape}])`);
  }
  const y = depthwiseConv2d(x4, dw, strides, pad, 'NHWC', dilation);
  return dropBatch(conv2d(y, pw, 1, 'valid'), unbatched);
}

/**
 * Transposed convolution (the gradient of conv2d w.r.t. its input): x [batch, h, w, inC],
 * filter [fh, fw, outC, inC] -> outputShape [batch, outH, outW, outC] (or [outH, outW, outC]).
 * Applying conv2d(result, filter, strides, pad) maps back to x's shape.
 *
 * @example
 * ```ts
 * const x = st.ones([1, 2, 2, 1]);
 * st.conv2dTranspose(x, st.ones([2, 2, 1, 1]), [1, 4, 4, 1], 2, 'same').print();
 * ```
 */
export function conv2dTranspose(
  x: TensorInput, filter: TensorInput, outputShape: readonly number[],
  strides: number | [number, number] = 1, pad: 'valid' | 'same' | number = 'valid',
  dimRoundingMode?: DimRoundingMode,
): Tensor {
  const op = 'conv2dTranspose';
  const { x4, unbatched } = asBatch4(op, x);
  const f0 = asFilter(op, filter, x4.dtype, '[filterHeight, filterWidth, outChannels, inChannels]');
  const [xs, f] = sameDtype(x4, f0);
  if (f.shape[3] !== xs.shape[3]) {
    throw new Error(`${op}: filter has ${f.shape[3]} input channels (its last axis) but x has ${xs.shape[3]} ` +
      `(x [${convert(x, op, 'x').shape}], filter [${f.shape}])`);
  }
  if (!Array.isArray(outputShape) || (outputShape.length !== 4 && outputShape.length !== 3) ||
      !outputShape.every((d) => Number.isInteger(d) && d > 0)) {
    throw new Error(`${op}: outputShape must be [batch, height, width, outChannels] or [height, width, outChannels] ` +
      `of positive integers, got ${JSON.stringify(outputShape)}`);
  }
  const out4 = outputShape.length === 3 ? [1, ...outputShape] : [...outputShape];
  if (out4[0] !== xs.shape[0]) {
    throw new Error(`${op}: outputShape batch ${out4[0]} does not match x's batch ${xs.shape[0]} (x [${xs.shape}])`);
  }
  if (out4[3] !== f.shape[2]) {
    throw new Error(`${op}: outputShape has ${out4[3]} channels but filter [${f.shape}] produces ${f.shape[2]}`);
  }
  const info = computeWindowInfo(op, out4, f.shape[0], f.shape[1], f.shape[3], strides, pad, 1, 1, dimRoundingMode);
  if (info.outHeight !== xs.shape[1] || info.outWidth !== xs.shape[2]) {
    throw new Error(`${op}: a convolution of outputShape [${out4}] with this filter, strides and pad gives ` +
      `${info.outHeight}x${info.outWidth}, but x is ${xs.shape[1]}x${xs.shape[2]} (x [${xs.shape}])`);
  }
  const y = conv2dBackpropInputWithInfo(xs, f, info);
  return unbatched || outputShape.length === 3 ? reshape(y, y.shape.slice(1)) : y;
}

// ---------------------------------------------------------------------------------------------
// textbook single-channel convolution and cross-correlation

export type ConvMode = 'valid' | 'same' | 'full';

/** Reverses a kernel along both spatial axes (its own gradient). */
function flip2d(k: Tensor): Tensor {
  return runOp('flip2d', [k], (be, [v]) => wrap(be, be.reverse(v, [0, 1]), v.shape, v.dtype), (dy) => [flip2d(dy)]);
}

function singleChannel(op: string, image2d: TensorInput, kernel2d: TensorInput, mode: ConvMode): [Tensor, Tensor, PadSpec] {
  const img = convert(image2d, op, 'image2d');
  if (img.rank !== 2) throw new Error(`${op}: expected image2d of rank 2 [height, width], got [${img.shape}]`);
  assertFloat(op, img, 'image2d');
  const k0 = convert(kernel2d, op, 'kernel2d', img.dtype);
  if (k0.rank !== 2) throw new Error(`${op}: expected kernel2d of rank 2 [kernelHeight, kernelWidth], got [${k0.shape}]`);
  assertFloat(op, k0, 'kernel2d');
  const [a, k] = sameDtype(img, k0);
  let pad: PadSpec;
  if (mode === 'valid' || mode === 'same') pad = mode;
  else if (mode === 'full') pad = [[k.shape[0] - 1, k.shape[0] - 1], [k.shape[1] - 1, k.shape[1] - 1]];
  else throw new Error(`${op}: mode must be 'valid', 'same' or 'full', got ${JSON.stringify(mode)}`);
  return [a, k, pad];
}

/**
 * Cross-correlation of a single-channel image with a kernel (what a CNN layer computes):
 * out[i][j] = sum_{u,v} image[i+u][j+v] * kernel[u][v]. mode 'valid' (no padding), 'same'
 * (output as large as the image; TensorFlow's padding, the odd extra cell at the bottom/right)
 * or 'full' (every overlap, output (h+kh-1) x (w+kw-1)).
 *
 * @example
 * ```ts
 * st.correlate2d(st.tensor2d([[1, 2], [3, 4]]), st.tensor2d([[1, 0], [0, 1]])).print(); // [[5]]
 * ```
 */
export function correlate2d(image2d: TensorInput, kernel2d: TensorInput, mode: ConvMode = 'valid'): Tensor {
  const op = 'correlate2d';
  const [img, k, pad] = singleChannel(op, image2d, kernel2d, mode);
  const x4 = reshape(img, [1, img.shape[0], img.shape[1], 1]);
  const f4 = reshape(k, [k.shape[0], k.shape[1], 1, 1]);
  const info = computeWindowInfo(op, x4.shape, k.shape[0], k.shape[1], 1, 1, pad);
  const y = conv2dWithInfo(x4, f4, info);
  return reshape(y, [y.shape[1], y.shape[2]]);
}

/**
 * True (mathematical) convolution of a single-channel image with a kernel: the kernel is
 * flipped in both directions, out[i][j] = sum_{u,v} image[i-u][j-v] * kernel[u][v] over the
 * overlap. Same modes as correlate2d; convolve2d(a, k) = correlate2d(a, flip(k)).
 *
 * @example
 * ```ts
 * st.convolve2d(st.tensor2d([[1, 2], [3, 4]]), st.tensor2d([[1, 0], [0, 1]])).print(); // the flipped kernel: [[5]]
 * ```
 */
export function convolve2d(image2d: TensorInput, kernel2d: TensorInput, mode: ConvMode = 'valid'): Tensor {
  const op = 'convolve2d';
  const [img, k, pad] = singleChannel(op, image2d, kernel2d, mode);
  const x4 = reshape(img, [1, img.shape[0], img.shape[1], 1]);
  const f4 = reshape(flip2d(k), [k.shape[0], k.shape[1], 1, 1]);
  const info = computeWindowInfo(op, x4.shape, k.shape[0], k.shape[1], 1, 1, pad);
  const y = conv2dWithInfo(x4, f4, info);
  return reshape(y, [y.shape[1], y.shape[2]]);
}

// ---- conv3d area: the convolutions as Tensor methods, as TensorFlow.js has them ----
declare module '../tensor/tensor.js' {
  interface Tensor {
    conv1d(filter: TensorInput, stride?: number, pad?: 'valid' | 'same' | number | readonly (readonly [number, number])[],
      dataFormat?: 'NWC' | 'NCW', dilation?: number, dimRoundingMode?: DimRoundingMode): Tensor;
    conv2d(filter: TensorInput, strides?: number | [number, number], pad?: PadSpec | readonly (readonly [number, number])[],
      dataFormat?: 'NHWC' | 'NCHW', dilations?: number | [number, number], dimRoundingMode?: DimRoundingMode): Tensor;
    depthwiseConv2d(filter: TensorInput, strides?: number | [number, number],
      pad?: PadSpec | readonly (readonly [number, number])[], dataFormat?: 'NHWC' | 'NCHW',
      dilations?: number | [number, number], dimRoundingMode?: DimRoundingMode): Tensor;
    separableConv2d(depthwiseFilter: TensorInput, pointwiseFilter: TensorInput, strides?: number | [number, number],
      pad?: PadSpec, dilation?: number | [number, number], dataFormat?: 'NHWC' | 'NCHW'): Tensor;
    conv2dTranspose(filter: TensorInput, outputShape: readonly number[], strides?: number | [number, number],
      pad?: 'valid' | 'same' | number, dimRoundingMode?: DimRoundingMode): Tensor;
  }
}

chainable({ conv1d, conv2d, depthwiseConv2d, separableConv2d, conv2dTranspose });
