/** Window geometry for convolution and pooling (NHWC), computed once per call. */
import type { Conv2DInfo } from './types.js';

/** 'valid', 'same' (TensorFlow's: out = ceil(in / stride)), a symmetric number, or explicit [[top, bottom], [left, right]]. */
export type PadSpec = 'valid' | 'same' | number | readonly [readonly [number, number], readonly [number, number]];

/**
 * The seeds' output-size formula: floor((in + 2*pad - dilation*(kernel-1) - 1) / stride) + 1.
 * `pad` may be a number (each side) or 'valid' / 'same' as in TensorFlow.
 */
export function convOutputSize(
  inSize: number, kernel: number, stride = 1, pad: 'valid' | 'same' | number = 0, dilation = 1,
): number {
  const effective = dilation * (kernel - 1) + 1;
  if (pad === 'same') return Math.ceil(inSize / stride);
  if (pad === 'valid') pad = 0;
  const out = Math.floor((inSize + 2 * pad - effective) / stride) + 1;
  return Math.max(out, 0);
}

function padsFor(
  op: string, pad: PadSpec, inH: number, inW: number, fh: number, fw: number,
  sh: number, sw: number,
): [number, number, number, number] {
  if (pad === 'valid') return [0, 0, 0, 0];
  if (pad === 'same') {
    const outH = Math.ceil(inH / sh);
    const outW = Math.ceil(inW / sw);
    const totalH = Math.max((outH - 1) * sh + fh - inH, 0);
    const totalW = Math.max((outW - 1) * sw + fw - inW, 0);
    // TensorFlow puts the odd extra cell at the bottom/right
    const top = Math.floor(totalH / 2);
    const left = Math.floor(totalW / 2);
    return [top, totalH - top, left, totalW - left];
  }
  if (typeof pad === 'number') {
    if (!Number.isInteger(pad) || pad < 0) throw new Error(`${op}: pad must be a non-negative integer, got ${pad}`);
    return [pad, pad, pad, pad];
  }
  if (Array.isArray(pad) && pad.length === 2 && pad.every((p) => Array.isArray(p) && p.length === 2)) {
    const flat = [pad[0][0], pad[0][1], pad[1][0], pad[1][1]];
    if (flat.some((p) => !Number.isInteger(p) || p < 0)) {
      throw new Error(`${op}: explicit padding must be non-negative integers, got ${JSON.stringify(pad)}`);
    }
    return flat as [number, number, number, number];
  }
  throw new Error(`${op}: pad must be 'valid', 'same', a number or [[top, bottom], [left, right]], got ${JSON.stringify(pad)}`);
}

function pair(op: string, what: string, v: number | readonly number[]): [number, number] {
  const p: [number, number] = typeof v === 'number' ? [v, v] : [v[0], v[1]];
  if ((typeof v !== 'number' && v.length !== 2) || !p.every((x) => Number.isInteger(x) && x >= 1)) {
    throw new Error(`${op}: ${what} must be a positive integer or a pair of them, got ${JSON.stringify(v)}`);
  }
  return p;
}

/**
 * Geometry of a convolution of x [batch, h, w, inC] with a window of `filterHeight x filterWidth`.
 * `outChannels` is the filter's output channels (conv), inC*multiplier (depthwise) or inC (pooling).
 */
export function computeWindowInfo(
  op: string,
  xShape: readonly number[],
  filterHeight: number,
  filterWidth: number,
  outChannels: number,
  strides: number | readonly number[],
  pad: PadSpec,
  dilations: number | readonly number[] = 1,
  channelMultiplier = 1,
): Conv2DInfo {
  const [batchSize, inHeight, inWidth, inChannels] = xShape;
  const [strideHeight, strideWidth] = pair(op, 'strides', strides);
  const [dilationHeight, dilationWidth] = pair(op, 'dilations', dilations);
  const effH = dilationHeight * (filterHeight - 1) + 1;
  const effW = dilationWidth * (filterWidth - 1) + 1;
  const [padTop, padBottom, padLeft, padRight] = padsFor(op, pad, inHeight, inWidth, effH, effW, strideHeight, strideWidth);
  const outHeight = Math.floor((inHeight + padTop + padBottom - effH) / strideHeight) + 1;
  const outWidth = Math.floor((inWidth + padLeft + padRight - effW) / strideWidth) + 1;
  if (outHeight <= 0 || outWidth <= 0) {
    throw new Error(
      `${op}: the ${effH}x${effW} window (after dilation) does not fit the ${inHeight}x${inWidth} input ` +
      `with padding [[${padTop},${padBottom}],[${padLeft},${padRight}]]`);
  }
  return {
    batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels,
    filterHeight, filterWidth, strideHeight, strideWidth, dilationHeight, dilationWidth,
    padTop, padBottom, padLeft, padRight, channelMultiplier,
  };
}
