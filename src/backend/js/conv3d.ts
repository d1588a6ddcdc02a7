/**
 * 3-D convolution and pooling kernels of the reference backend (NDHWC), forward and both
 * backward passes. Plain loops over typed arrays, the oracle for any faster kernel.
 *
 * Index conventions (row-major):
 *   x      [batch, inD, inH, inW, inC]
 *   y      [batch, outD, outH, outW, outC]
 *   filter [fd, fh, fw, inC, outC]
 * Output cell (od, oy, ox) reads input plane od*strideD - padFront + kd*dilationD, row
 * oy*strideH - padTop + ky*dilationH and column ox*strideW - padLeft + kx*dilationW; cells
 * outside the input are zeros (conv) or skipped (pooling).
 */
import type { Conv3DInfo, TypedArray } from '../types.js';

/**
 * Calls `visit(xCell, filterTap, yCell)` for every (output cell, filter tap) pair whose input
 * cell is inside x, with flat offsets of the cells' channel vectors: xCell into x (times inC),
 * filterTap the tap's [kd, kh, kw] number, yCell into y (times outC). One walk serves the forward
 * pass and both backward passes, which differ only in what they accumulate.
 */
function forEachTap(info: Conv3DInfo, visit: (xCell: number, tap: number, yCell: number) => void): void {
  const {
    batchSize, inDepth: D, inHeight: H, inWidth: W, outDepth: OD, outHeight: OH, outWidth: OW,
    filterDepth: FD, filterHeight: FH, filterWidth: FW, strideDepth: sd, strideHeight: sh, strideWidth: sw,
    dilationDepth: dd, dilationHeight: dh, dilationWidth: dw, padFront, padTop, padLeft,
  } = info;
  for (let b = 0; b < batchSize; b++) {
    for (let od = 0; od < OD; od++) {
      for (let oy = 0; oy < OH; oy++) {
        for (let ox = 0; ox < OW; ox++) {
          const yCell = ((b * OD + od) * OH + oy) * OW + ox;
          for (let kd = 0; kd < FD; kd++) {
            const id = od * sd - padFront + kd * dd;
            if (id < 0 || id >= D) continue;
            for (let ky = 0; ky < FH; ky++) {
              const iy = oy * sh - padTop + ky * dh;
              if (iy < 0 || iy >= H) continue;
              for (let kx = 0; kx < FW; kx++) {
                const ix = ox * sw - padLeft + kx * dw;
                if (ix < 0 || ix >= W) continue;
                visit(((b * D + id) * H + iy) * W + ix, (kd * FH + ky) * FW + kx, yCell);
              }
            }
          }
        }
      }
    }
  }
}

export function conv3dKernel(x: TypedArray, f: TypedArray, info: Conv3DInfo, out: TypedArray): void {
  const C = info.inChannels;
  const OC = info.outChannels;
  out.fill(0);
  forEachTap(info, (xCell, tap, yCell) => {
    const xi = xCell * C;
    const o = yCell * OC;
    for (let c = 0; c < C; c++) {
      const xv = x[xi + c];
      const fr = (tap * C + c) * OC;
      for (let oc = 0; oc < OC; oc++) out[o + oc] += xv * f[fr + oc];
    }
  });
}

/** dx[cell, c] = sum over the output cells and taps that read it of dy * filter. */
export function conv3dBackpropInputKernel(dy: TypedArray, f: TypedArray, info: Conv3DInfo, out: TypedArray): void {
  const C = info.inChannels;
  const OC = info.outChannels;
  out.fill(0);
  forEachTap(info, (xCell, tap, yCell) => {
    const xi = xCell * C;
    const o = yCell * OC;
    for (let c = 0; c < C; c++) {
      const fr = (tap * C + c) * OC;
      let acc = 0;
      for (let oc = 0; oc < OC; oc++) acc += dy[o + oc] * f[fr + oc];
      out[xi + c] += acc;
    }
  });
}

/** dfilter[tap, c, oc] = sum over batch and output cells of x * dy. */
export function conv3dBackpropFilterKernel(x: TypedArray, dy: TypedArray, info: Conv3DInfo, out: TypedArray): void {
  const C = info.inChannels;
  const OC = info.outChannels;
  out.fill(0);
  forEachTap(info, (xCell, tap, yCell) => {
    const xi = xCell * C;
    const o = yCell * OC;
    for (let c = 0; c < C; c++) {
      const xv = x[xi + c];
      const fr = (tap * C + c) * OC;
      for (let oc = 0; oc < OC; oc++) out[fr + oc] += xv * dy[o + oc];
    }
  });
}

/**
 * Per output cell and channel, the flat x index of the window's first maximum (NaN wins and
 * stays, so NaNs propagate); -1 where the window covers no real cell.
 */
function maxPool3dArgmax(x: TypedArray, info: Conv3DInfo): Int32Array {
  const C = info.inChannels;
  const cells = info.batchSize * info.outDepth * info.outHeight * info.outWidth;
  const best = new Int32Array(cells * C).fill(-1);
  forEachTap(info, (xCell, _tap, yCell) => {
    for (let c = 0; c < C; c++) {
      const i = xCell * C + c;
      const slot = yCell * C + c;
      const cur = best[slot];
      const v = x[i];
      if (cur < 0 || v > x[cur] || (Number.isNaN(v) && !Number.isNaN(x[cur]))) best[slot] = i;
    }
  });
  return best;
}

export function maxPool3dKernel(x: TypedArray, info: Conv3DInfo, out: TypedArray): void {
  const best = maxPool3dArgmax(x, info);
  for (let k = 0; k < best.length; k++) out[k] = best[k] < 0 ? -Infinity : x[best[k]];
}

export function maxPool3dBackpropKernel(dy: TypedArray, x: TypedArray, info: Conv3DInfo, out: TypedArray): void {
  const best = maxPool3dArgmax(x, info);
  out.fill(0);
  for (let k = 0; k < best.length; k++) if (best[k] >= 0) out[best[k]] += dy[k];
}

/** How many real (unpadded) input cells each output cell's window covers. */
function realCounts(info: Conv3DInfo): Int32Array {
  const counts = new Int32Array(info.batchSize * info.outDepth * info.outHeight * info.outWidth);
  forEachTap(info, (_xCell, _tap, yCell) => {
    counts[yCell]++;
  });
  return counts;
}

/** The mean over each window's real cells, as TensorFlow.js (padding is not counted). */
export function avgPool3dKernel(x: TypedArray, info: Conv3DInfo, out: TypedArray): void {
  const C = info.inChannels;
  const counts = realCounts(info);
  out.fill(0);
  forEachTap(info, (xCell, _tap, yCell) => {
    const xi = xCell * C;
    const o = yCell * C;
    for (let c = 0; c < C; c++) out[o + c] += x[xi + c];
  });
  for (let cell = 0; cell < counts.length; cell++) {
    const n = counts[cell];
    // a window wholly in the padding (possible with dimRoundingMode 'ceil') averages to 0, as in TensorFlow.js
    for (let c = 0; c < C; c++) out[cell * C + c] = n > 0 ? out[cell * C + c] / n : 0;
  }
}

export function avgPool3dBackpropKernel(dy: TypedArray, info: Conv3DInfo, out: TypedArray): void {
  const C = info.inChannels;
  const counts = realCounts(info);
  out.fill(0);
  forEachTap(info, (xCell, _tap, yCell) => {
    const xi = xCell * C;
    const o = yCell * C;
    const scale = 1 / counts[yCell];
    for (let c = 0; c < C; c++) out[xi + c] += dy[o + c] * scale;
  });
}
