/**
 * Reference kernels for the window ops beside convolution (NHWC): grey-scale dilation
 * (dilation2d) with both backward passes, and the argmax indexes of max pooling.
 */
import type { Conv2DInfo, TypedArray } from '../types.js';
import { argMaxOfWindow } from './conv.js';

/**
 * For output cell (b, oy, ox) and channel c: the window tap (ky*fw + kx) whose x + filter is the
 * first maximum, and the flat x index it reads; tap -1 when the window covers no real cell
 * (possible under 'same' padding with a large dilation).
 */
function dilationArgmax(x: TypedArray, f: TypedArray, info: Conv2DInfo, b: number, oy: number, ox: number, c: number,
                        found: { tap: number; xIndex: number; value: number }): void {
  const { inHeight: H, inWidth: W, inChannels: C, filterHeight: FH, filterWidth: FW,
    strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw, padTop, padLeft } = info;
  found.tap = -1;
  found.xIndex = -1;
  found.value = -Infinity;
  for (let ky = 0; ky < FH; ky++) {
    const iy = oy * sh - padTop + ky * dh;
    if (iy < 0 || iy >= H) continue;
    for (let kx = 0; kx < FW; kx++) {
      const ix = ox * sw - padLeft + kx * dw;
      if (ix < 0 || ix >= W) continue;
      const xi = ((b * H + iy) * W + ix) * C + c;
      const tap = ky * FW + kx;
      const v = x[xi] + f[tap * C + c];
      if (found.tap < 0 || v > found.value) {
        found.tap = tap;
        found.xIndex = xi;
        found.value = v;
      }
    }
  }
}

function forEachOutput(info: Conv2DInfo, visit: (b: number, oy: number, ox: number, c: number, o: number) => void): void {
  const { batchSize, outHeight: OH, outWidth: OW, inChannels: C } = info;
  for (let b = 0; b < batchSize; b++) {
    for (let oy = 0; oy < OH; oy++) {
      for (let ox = 0; ox < OW; ox++) {
        const o = ((b * OH + oy) * OW + ox) * C;
        for (let c = 0; c < C; c++) visit(b, oy, ox, c, o + c);
      }
    }
  }
}

/** y[b, oy, ox, c] = max over the window of x + filter[ky, kx, c] (-Infinity for an empty window). */
export function dilation2dKernel(x: TypedArray, f: TypedArray, info: Conv2DInfo, out: TypedArray): void {
  const found = { tap: -1, xIndex: -1, value: -Infinity };
  forEachOutput(info, (b, oy, ox, c, o) => {
    dilationArgmax(x, f, info, b, oy, ox, c, found);
    out[o] = found.value;
  });
}

/** dx: each dy cell goes to the input cell that won its window. */
export function dilation2dBackpropInputKernel(dy: TypedArray, x: TypedArray, f: TypedArray, info: Conv2DInfo, out: TypedArray): void {
  const found = { tap: -1, xIndex: -1, value: -Infinity };
  out.fill(0);
  forEachOutput(info, (b, oy, ox, c, o) => {
    dilationArgmax(x, f, info, b, oy, ox, c, found);
    if (found.tap >= 0) out[found.xIndex] += dy[o];
  });
}

/** dfilter: each dy cell goes to the filter tap that won its window. */
export function dilation2dBackpropFilterKernel(dy: TypedArray, x: TypedArray, f: TypedArray, info: Conv2DInfo, out: TypedArray): void {
  const found = { tap: -1, xIndex: -1, value: -Infinity };
  const C = info.inChannels;
  out.fill(0);
  forEachOutput(info, (b, oy, ox, c, o) => {
    dilationArgmax(x, f, info, b, oy, ox, c, found);
    if (found.tap >= 0) out[found.tap * C + c] += dy[o];
  });
}

/** int32 flat index of each window's first maximum, with or without the batch offset. */
export function maxPoolArgmaxKernel(x: TypedArray, info: Conv2DInfo, includeBatchInIndex: boolean, out: TypedArray): void {
  const perImage = info.inHeight * info.inWidth * info.inChannels;
  forEachOutput(info, (b, oy, ox, c, o) => {
    const i = argMaxOfWindow(x, info, b, oy, ox, c);
    out[o] = i < 0 || includeBatchInIndex ? i : i - b * perImage;
  });
}
