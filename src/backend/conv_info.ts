/** Window geometry for convolution and pooling (NHWC), computed once per call. */
import type { Conv2DInfo, Conv3DInfo } from './types.js';

/** 'valid', 'same' (TensorFlow's: out = ceil(in / stride)), a symmetric number, or explicit [[top, bottom], [left, right]]. */
export type PadSpec = 'valid' | 'same' | number | readonly [readonly [number, number], readonly [number, number]];

/**
 * The seeds' output-size formula: floor((in + 2*pad - dilation*(kernel-1) - 1) / stride) + 1.
 * `pad` may be a number (each side) or 'valid' / 'same' as in TensorFlow.
 *
 * @example
 * ```ts
 * console.log(st.convOutputSize(28, 5, 1, 'valid')); // 24
 * console.log(st.convOutputSize(28, 3, 2, 'same'));  // 14
 * ```
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
  roundingMode?: DimRoundingMode,
): Conv2DInfo {
  const [batchSize, inHeight, inWidth, inChannels] = xShape;
  const [strideHeight, strideWidth] = pair(op, 'strides', strides);
  const [dilationHeight, dilationWidth] = pair(op, 'dilations', dilations);
  const effH = dilationHeight * (filterHeight - 1) + 1;
  const effW = dilationWidth * (filterWidth - 1) + 1;
  const [padTop, padBottom, padLeft, padRight] = padsFor(op, pad, inHeight, inWidth, effH, effW, strideHeight, strideWidth);
  checkRoundingMode(op, pad, roundingMode);
  const outHeight = roundOut((inHeight + padTop + padBottom - effH) / strideHeight + 1, roundingMode);
  const outWidth = roundOut((inWidth + padLeft + padRight - effW) / strideWidth + 1, roundingMode);
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

// ---- conv3d area: rounding of output sizes, and the 3-D geometry ----

/** How TensorFlow.js rounds an output size that a numeric padding leaves fractional. */
export type DimRoundingMode = 'floor' | 'round' | 'ceil';

/**
 * TensorFlow.js takes dimRoundingMode only with numeric (or explicit) padding, where the output
 * size can be fractional; 'valid' and 'same' fix the size themselves.
 */
function checkRoundingMode(op: string, pad: unknown, roundingMode: DimRoundingMode | undefined): void {
  if (roundingMode === undefined || roundingMode === null) return;
  if (roundingMode !== 'floor' && roundingMode !== 'round' && roundingMode !== 'ceil') {
    throw new Error(`${op}: dimRoundingMode must be 'floor', 'round' or 'ceil', got ${JSON.stringify(roundingMode)}`);
  }
  if (typeof pad === 'string') {
    throw new Error(`${op}: dimRoundingMode '${roundingMode}' needs a numeric or explicit pad, got pad '${pad}'`);
  }
}

/** floor by default (the sizes are positive, so TensorFlow.js' truncation is the same) */
function roundOut(value: number, roundingMode: DimRoundingMode | undefined): number {
  if (roundingMode === 'ceil') return Math.ceil(value);
  if (roundingMode === 'round') return Math.round(value);
  return Math.floor(value);
}

function triple(op: string, what: string, v: number | readonly number[]): [number, number, number] {
  const t: [number, number, number] = typeof v === 'number' ? [v, v, v] : [v[0], v[1], v[2]];
  if ((typeof v !== 'number' && (!Array.isArray(v) || v.length !== 3)) || !t.every((x) => Number.isInteger(x) && x >= 1)) {
    throw new Error(`${op}: ${what} must be a positive integer or three of them [depth, height, width], got ${JSON.stringify(v)}`);
  }
  return t;
}

/** 'valid', 'same' or a number of cells on every side. */
export type Pad3DSpec = 'valid' | 'same' | number;

/**
 * Geometry of a 3-D convolution or pooling of x [batch, d, h, w, inC] with a window of
 * `filterSize` [fd, fh, fw]. 'same' follows TensorFlow.js: out = ceil(in / stride), the odd extra
 * cell at the back/bottom/right; unlike its 2-D sibling TensorFlow.js does not clamp the total
 * padding at zero, so a window smaller than its stride starts that much later, and so do we.
 */
export function computeConv3DInfo(
  op: string,
  xShape: readonly number[],
  filterSize: readonly [number, number, number],
  outChannels: number,
  strides: number | readonly number[],
  pad: Pad3DSpec,
  dilations: number | readonly number[] = 1,
  roundingMode?: DimRoundingMode,
): Conv3DInfo {
  const [batchSize, inDepth, inHeight, inWidth, inChannels] = xShape;
  const [filterDepth, filterHeight, filterWidth] = filterSize;
  const [strideDepth, strideHeight, strideWidth] = triple(op, 'strides', strides);
  const [dilationDepth, dilationHeight, dilationWidth] = triple(op, 'dilations', dilations);
  checkRoundingMode(op, pad, roundingMode);
  const inSizes = [inDepth, inHeight, inWidth];
  const eff = [filterDepth, filterHeight, filterWidth].map((k, i) => [dilationDepth, dilationHeight, dilationWidth][i] * (k - 1) + 1);
  const steps = [strideDepth, strideHeight, strideWidth];
  let pads: [number, number][];
  let outs: number[];
  if (pad === 'same') {
    outs = inSizes.map((n, i) => Math.ceil(n / steps[i]));
    pads = outs.map((o, i) => {
      const total = (o - 1) * steps[i] + eff[i] - inSizes[i];
      const before = Math.floor(total / 2);
      return [before, total - before];
    });
  } else if (pad === 'valid' || typeof pad === 'number') {
    const p = pad === 'valid' ? 0 : pad;
    if (!Number.isInteger(p) || p < 0) throw new Error(`${op}: pad must be a non-negative integer, got ${p}`);
    pads = [[p, p], [p, p], [p, p]];
    outs = inSizes.map((n, i) => roundOut((n + 2 * p - eff[i]) / steps[i] + 1, roundingMode));
  } else {
    throw new Error(`${op}: pad must be 'valid', 'same' or a number, got ${JSON.stringify(pad)}`);
  }
  if (outs.some((o) => o <= 0)) {
    throw new Error(`${op}: the ${eff.join('x')} window (after dilation) does not fit the ${inSizes.join('x')} input ` +
      `with padding ${JSON.stringify(pads)}`);
  }
  return {
    batchSize, inDepth, inHeight, inWidth, inChannels, outDepth: outs[0], outHeight: outs[1], outWidth: outs[2], outChannels,
    filterDepth, filterHeight, filterWidth, strideDepth, strideHeight, strideWidth, dilationDepth, dilationHeight, dilationWidth,
    padFront: pads[0][0], padBack: pads[0][1], padTop: pads[1][0], padBottom: pads[1][1], padLeft: pads[2][0], padRight: pads[2][1],
  };
}
