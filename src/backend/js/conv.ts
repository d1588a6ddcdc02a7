/**
 * Convolution and pooling kernels of the reference backend (NHWC). Plain loops over typed
 * arrays: clear rather than fast, they are the oracle the fast backends are checked against.
 *
 * Index conventions (all row-major):
 *   x  [batch, inH, inW, inC]
 *   y  [batch, outH, outW, outC]
 *   filter (conv)      [fh, fw, inC, outC]
 *   filter (depthwise) [fh, fw, inC, mult], output channel c*mult+m
 * An output cell (oy, ox) reads input row oy*strideH - padTop + ky*dilationH and column
 * ox*strideW - padLeft + kx*dilationW; rows/columns outside the input are zeros (conv) or
 * skipped (pooling).
 */
import type { Conv2DInfo, TypedArray } from '../types.js';

export function conv2dKernel(x: TypedArray, f: TypedArray, info: Conv2DInfo, out: TypedArray): void {
  const {
    batchSize, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW, outChannels: OC,
    filterHeight: FH, filterWidth: FW, strideHeight: sh, strideWidth: sw,
    dilationHeight: dh, dilationWidth: dw, padTop, padLeft,
  } = info;
  out.fill(0);
  for (let b = 0; b < batchSize; b++) {
    const xb = b * H * W * C;
    for (let oy = 0; oy < OH; oy++) {
      for (let ox = 0; ox < OW; ox++) {
        const o = ((b * OH + oy) * OW + ox) * OC;
        for (let ky = 0; ky < FH; ky++) {
          const iy = oy * sh - padTop + ky * dh;
          if (iy < 0 || iy >= H) continue;
          for (let kx = 0; kx < FW; kx++) {
            const ix = ox * sw - padLeft + kx * dw;
            if (ix < 0 || ix >= W) continue;
            const xi = xb + (iy * W + ix) * C;
            const fi = (ky * FW + kx) * C * OC;
            for (let c = 0; c < C; c++) {
              const xv = x[xi + c];
              const fr = fi + c * OC;
              for (let oc = 0; oc < OC; oc++) out[o + oc] += xv * f[fr + oc];
            }
          }
        }
      }
    }
  }
}

/** dx[b, iy, ix, c] = sum over the output cells that read (iy, ix) of dy * filter. */
export function conv2dBackpropInputKernel(dy: TypedArray, f: TypedArray, info: Conv2DInfo, out: TypedArray): void {
  const {
    batchSize, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW, outChannels: OC,
    filterHeight: FH, filterWidth: FW, strideHeight: sh, strideWidth: sw,
    dilationHeight: dh, dilationWidth: dw, padTop, padLeft,
  } = info;
  out.fill(0);
  for (let b = 0; b < batchSize; b++) {
    const xb = b * H * W * C;
    for (let oy = 0; oy < OH; oy++) {
      for (let ox = 0; ox < OW; ox++) {
        const o = ((b * OH + oy) * OW + ox) * OC;
        for (let ky = 0; ky < FH; ky++) {
          const iy = oy * sh - padTop + ky * dh;
          if (iy < 0 || iy >= H) continue;
          for (let kx = 0; kx < FW; kx++) {
            const ix = ox * sw - padLeft + kx * dw;
            if (ix < 0 || ix >= W) continue;
            const xi = xb + (iy * W + ix) * C;
            const fi = (ky * FW + kx) * C * OC;
            for (let c = 0; c < C; c++) {
              const fr = fi + c * OC;
              let acc = 0;
              for (let oc = 0; oc < OC; oc++) acc += dy[o + oc] * f[fr + oc];
              out[xi + c] += acc;
            }
          }
        }
      }
    }
  }
}

/** dfilter[ky, kx, c, oc] = sum over batch and output cells of x * dy. */
export function conv2dBackpropFilterKernel(x: TypedArray, dy: TypedArray, info: Conv2DInfo, out: TypedArray): void {
  const {
    batchSize, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW, outChannels: OC,
    filterHeight: FH, filterWidth: FW, strideHeight: sh, strideWidth: sw,
    dilationHeight: dh, dilationWidth: dw, padTop, padLeft,
  } = info;
  out.fill(0);
  for (let b = 0; b < batchSize; b++) {
    const xb = b * H * W * C;
    for (let oy = 0; oy < OH; oy++) {
      for (let ox = 0; ox < OW; ox++) {
        const o = ((b * OH + oy) * OW + ox) * OC;
        for (let ky = 0; ky < FH; ky++) {
          const iy = oy * sh - padTop + ky * dh;
          if (iy < 0 || iy >= H) continue;
          for (let kx = 0; kx < FW; kx++) {
            const ix = ox * sw - padLeft + kx * dw;
            if (ix < 0 || ix >= W) continue;
            const xi = xb + (iy * W + ix) * C;
            const fi = (ky * FW + kx) * C * OC;
            for (let c = 0; c < C; c++) {
              const xv = x[xi + c];
              const fr = fi + c * OC;
              for (let oc = 0; oc < OC; oc++) out[fr + oc] += xv * dy[o + oc];
            }
          }
        }
      }
    }
  }
}

export function depthwiseConv2dKernel(x: TypedArray, f: TypedArray, info: Conv2DInfo, out: TypedArray): void {
  const {
    batchSize, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW,
    filterHeight: FH, filterWidth: FW, strideHeight: sh, strideWidth: sw,
    dilationHeight: dh, dilationWidth: dw, padTop, padLeft, channelMultiplier: M,
  } = info;
  const OC = C * M;
  out.fill(0);
  for (let b = 0; b < batchSize; b++) {
    const xb = b * H * W * C;
    for (let oy = 0; oy < OH; oy++) {
      for (let ox = 0; ox < OW; ox++) {
        const o = ((b * OH + oy) * OW + ox) * OC;
        for (let ky = 0; ky < FH; ky++) {
          const iy = oy * sh - padTop + ky * dh;
          if (iy < 0 || iy >= H) continue;
          for (let kx = 0; kx < FW; kx++) {
            const ix = ox * sw - padLeft + kx * dw;
            if (ix < 0 || ix >= W) continue;
            const xi = xb + (iy * W + ix) * C;
            const fi = (ky * FW + kx) * C * M;
            for (let c = 0; c < C; c++) {
              const xv = x[xi + c];
              for (let m = 0; m < M; m++) out[o + c * M + m] += xv * f[fi + c * M + m];
            }
          }
        }
      }
    }
  }
}

export function depthwiseConv2dBackpropInputKernel(dy: TypedArray, f: TypedArray, info: Conv2DInfo, out: TypedArray): void {
  const {
    batchSize, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW,
    filterHeight: FH, filterWidth: FW, strideHeight: sh, strideWidth: sw,
    dilationHeight: dh, dilationWidth: dw, padTop, padLeft, channelMultiplier: M,
  } = info;
  const OC = C * M;
  out.fill(0);
  for (let b = 0; b < batchSize; b++) {
    const xb = b * H * W * C;
    for (let oy = 0; oy < OH; oy++) {
      for (let ox = 0; ox < OW; ox++) {
        const o = ((b * OH + oy) * OW + ox) * OC;
        for (let ky = 0; ky < FH; ky++) {
          const iy = oy * sh - padTop + ky * dh;
          if (iy < 0 || iy >= H) continue;
          for (let kx = 0; kx < FW; kx++) {
            const ix = ox * sw - padLeft + kx * dw;
            if (ix < 0 || ix >= W) continue;
            const xi = xb + (iy * W + ix) * C;
            const fi = (ky * FW + kx) * C * M;
            for (let c = 0; c < C; c++) {
              let acc = 0;
              for (let m = 0; m < M; m++) acc += dy[o + c * M + m] * f[fi + c * M + m];
              out[xi + c] += acc;
            }
          }
        }
      }
    }
  }
}

export function depthwiseConv2dBackpropFilterKernel(x: TypedArray, dy: TypedArray, info: Conv2DInfo, out: TypedArray): void {
  const {
    batchSize, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW,
    filterHeight: FH, filterWidth: FW, strideHeight: sh, strideWidth: sw,
    dilationHeight: dh, dilationWidth: dw, padTop, padLeft, channelMultiplier: M,
  } = info;
  const OC = C * M;
  out.fill(0);
  for (let b = 0; b < batchSize; b++) {
    const xb = b * H * W * C;
    for (let oy = 0; oy < OH; oy++) {
      for (let ox = 0; ox < OW; ox++) {
        const o = ((b * OH + oy) * OW + ox) * OC;
        for (let ky = 0; ky < FH; ky++) {
          const iy = oy * sh - padTop + ky * dh;
          if (iy < 0 || iy >= H) continue;
          for (let kx = 0; kx < FW; kx++) {
            const ix = ox * sw - padLeft + kx * dw;
            if (ix < 0 || ix >= W) continue;
            const xi = xb + (iy * W + ix) * C;
            const fi = (ky * FW + kx) * C * M;
            for (let c = 0; c < C; c++) {
              const xv = x[xi + c];
              for (let m = 0; m < M; m++) out[fi + c * M + m] += xv * dy[o + c * M + m];
            }
          }
        }
      }
    }
  }
}

/**
 * Flat index into x of the maximum of the window of output cell (b, oy, ox, c): the first
 * maximum in row-major window order; padded cells never win. -1 if the window holds no real
 * cell (cannot happen for windows computed by computeWindowInfo, kept for safety).
 */
export function argMaxOfWindow(x: TypedArray, info: Conv2DInfo, b: number, oy: number, ox: number, c: number): number {
  const { inHeight: H, inWidth: W, inChannels: C, filterHeight: FH, filterWidth: FW,
    strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw, padTop, padLeft } = info;
  let best = -1;
  let bestV = -Infinity;
  for (let ky = 0; ky < FH; ky++) {
    const iy = oy * sh - padTop + ky * dh;
    if (iy < 0 || iy >= H) continue;
    for (let kx = 0; kx < FW; kx++) {
      const ix = ox * sw - padLeft + kx * dw;
      if (ix < 0 || ix >= W) continue;
      const i = ((b * H + iy) * W + ix) * C + c;
      const v = x[i];
      // NaN wins (and stays) so NaNs propagate as in TensorFlow
      if (best < 0 || v > bestV || (Number.isNaN(v) && !Number.isNaN(bestV))) {
        best = i;
        bestV = v;
      }
    }
  }
  return best;
}

export function maxPoolKernel(x: TypedArray, info: Conv2DInfo, out: TypedArray): void {
  const { batchSize, inChannels: C, outHeight: OH, outWidth: OW } = info;
  for (let b = 0; b < batchSize; b++) {
    for (let oy = 0; oy < OH; oy++) {
      for (let ox = 0; ox < OW; ox++) {
        const o = ((b * OH + oy) * OW + ox) * C;
        for (let c = 0; c < C; c++) {
          const i = argMaxOfWindow(x, info, b, oy, ox, c);
          out[o + c] = i < 0 ? -Infinity : x[i];
        }
      }
    }
  }
}

export function maxPoolBackpropKernel(dy: TypedArray, x: TypedArray, info: Conv2DInfo, out: TypedArray): void {
  const { batchSize, inChannels: C, outHeight: OH, outWidth: OW } = info;
  out.fill(0);
  for (let b = 0; b < batchSize; b++) {
    for (let oy = 0; oy < OH; oy++) {
      for (let ox = 0; ox < OW; ox++) {
        const o = ((b * OH + oy) * OW + ox) * C;
        for (let c = 0; c < C; c++) {
          const i = argMaxOfWindow(x, info, b, oy, ox, c);
          if (i >= 0) out[i] += dy[o + c];
        }
      }
    }
  }
}

/** How many real (unpadded) input cells the window of output cell (oy, ox) covers. */
function realCount(info: Conv2DInfo, oy: number, ox: number): number {
  const { inHeight: H, inWidth: W, filterHeight: FH, filterWidth: FW,
    strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw, padTop, padLeft } = info;
  let rows = 0;
  for (let ky = 0; ky < FH; ky++) {
    const iy = oy * sh - padTop + ky * dh;
    if (iy >= 0 && iy < H) rows++;
  }
  let cols = 0;
  for (let kx = 0; kx < FW; kx++) {
    const ix = ox * sw - padLeft + kx * dw;
    if (ix >= 0 && ix < W) cols++;
  }
  return rows * cols;
}

export function avgPoolKernel(x: TypedArray, info: Conv2DInfo, out: TypedArray): void {
  const { batchSize, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW,
    filterHeight: FH, filterWidth: FW, strideHeight: sh, strideWidth: sw,
    dilationHeight: dh, dilationWidth: dw, padTop, padLeft } = info;
  out.fill(0);
  for (let b = 0; b < batchSize; b++) {
    for (let oy = 0; oy < OH; oy++) {
      for (let ox = 0; ox < OW; ox++) {
        const o = ((b * OH + oy) * OW + ox) * C;
        const n = realCount(info, oy, ox);
        for (let ky = 0; ky < FH; ky++) {
          const iy = oy * sh - padTop + ky * dh;
          if (iy < 0 || iy >= H) continue;
          for (let kx = 0; kx < FW; kx++) {
            const ix = ox * sw - padLeft + kx * dw;
            if (ix < 0 || ix >= W) continue;
            const xi = ((b * H + iy) * W + ix) * C;
            for (let c = 0; c < C; c++) out[o + c] += x[xi + c];
          }
        }
        if (n > 0) for (let c = 0; c < C; c++) out[o + c] /= n;
        else for (let c = 0; c < C; c++) out[o + c] = NaN;
      }
    }
  }
}

export function avgPoolBackpropKernel(dy: TypedArray, info: Conv2DInfo, out: TypedArray): void {
  const { batchSize, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW,
    filterHeight: FH, filterWidth: FW, strideHeight: sh, strideWidth: sw,
    dilationHeight: dh, dilationWidth: dw, padTop, padLeft } = info;
  out.fill(0);
  for (let b = 0; b < batchSize; b++) {
    for (let oy = 0; oy < OH; oy++) {
      for (let ox = 0; ox < OW; ox++) {
        const o = ((b * OH + oy) * OW + ox) * C;
        const n = realCount(info, oy, ox);
        if (n === 0) continue;
        const scale = 1 / n;
        for (let ky = 0; ky < FH; ky++) {
          const iy = oy * sh - padTop + ky * dh;
          if (iy < 0 || iy >= H) continue;
          for (let kx = 0; kx < FW; kx++) {
            const ix = ox * sw - padLeft + kx * dw;
            if (ix < 0 || ix >= W) continue;
            const xi = ((b * H + iy) * W + ix) * C;
            for (let c = 0; c < C; c++) out[xi + c] += dy[o + c] * scale;
          }
        }
      }
    }
  }
}
