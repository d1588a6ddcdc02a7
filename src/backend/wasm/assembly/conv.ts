// The convolution's input gradient, NHWC, f32: dy * W^T blocks from gemmBlock scattered back
// with col2im, for strides above 1 (stride 1 runs the forward kernel, conv_direct.ts, on dy with
// the turned filter; the filter gradient is conv_filter_grad.ts). Geometry comes as 15 i32 at `g` (see G_* below), the same
// order as Conv2DInfo.
import { gemmBlock, GEMM_SCRATCH, NC_MAX } from './gemm';
import { IN_H, IN_W, IN_C, OUT_H, OUT_W, OUT_C, FH, FW, SH, SW, DH, DW, PAD_T, PAD_L, gi, off } from './conv_geometry';


/** dst[0:n] += src[0:n] */
@inline function addFloats(dst: usize, src: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(dst + off(i), f32x4.add(v128.load(dst + off(i)), v128.load(src + off(i))));
  for (; i < n; i++) store<f32>(dst + off(i), load<f32>(dst + off(i)) + load<f32>(src + off(i)));
}

/** Adds rows q0..q0+rows of a column-gradient matrix back onto the input gradient. */
function col2imAdd(g: usize, dcol: usize, q0: i32, rows: i32, dx: usize): void {
  const inH = gi(g, IN_H), inW = gi(g, IN_W), inC = gi(g, IN_C);
  const outH = gi(g, OUT_H), outW = gi(g, OUT_W), fh = gi(g, FH), fw = gi(g, FW);
  const sh = gi(g, SH), sw = gi(g, SW), dh = gi(g, DH), dw = gi(g, DW);
  const padT = gi(g, PAD_T), padL = gi(g, PAD_L);
  const plane = outH * outW;
  let src = dcol;
  for (let q = q0; q < q0 + rows; q++) {
    const b = q / plane;
    const r = q - b * plane;
    const oy = r / outW;
    const ox = r - oy * outW;
    const image = dx + off(b * inH * inW * inC);
    for (let fy = 0; fy < fh; fy++) {
      const iy = oy * sh - padT + fy * dh;
      if (iy < 0 || iy >= inH) {
        src += off(fw * inC);
        continue;
      }
      const ix0 = ox * sw - padL;
      if (dw == 1 && ix0 >= 0 && ix0 + fw <= inW) {
        addFloats(image + off((iy * inW + ix0) * inC), src, fw * inC);
        src += off(fw * inC);
        continue;
      }
      for (let fx = 0; fx < fw; fx++) {
        const ix = ix0 + fx * dw;
        if (ix >= 0 && ix < inW) addFloats(image + off((iy * inW + ix) * inC), src, inC);
        src += off(inC);
      }
    }
  }
}

/** the column-gradient matrix's width */
@inline function kdim(g: usize): i32 {
  return gi(g, FH) * gi(g, FW) * gi(g, IN_C);
}

/** dx of whole images b0..b1: zeroed, then each block of output pixels' dy * filter^T scattered back. */
export function conv2dBackInputImages(g: usize, dy: usize, w: usize, dx: usize, b0: i32, b1: i32,
                                      rowsPer: i32, scratch: usize): void {
  const k = kdim(g), outC = gi(g, OUT_C);
  const plane = gi(g, OUT_H) * gi(g, OUT_W);
  const imageBytes = off(gi(g, IN_H) * gi(g, IN_W) * gi(g, IN_C));
  memory.fill(dx + <usize>b0 * imageBytes, 0, <usize>(b1 - b0) * imageBytes);
  const dcol = scratch + <usize>GEMM_SCRATCH;
  for (let q0 = b0 * plane; q0 < b1 * plane; q0 += rowsPer) {
    const rows = min(rowsPer, b1 * plane - q0);
    // dcol[rows, K] = dy[rows, outC] * W^T, W^T read from W [K, outC] with strides (1, outC)
    for (let j0 = 0; j0 < k; j0 += NC_MAX) {
      gemmBlock(dy + off(q0 * outC), outC, 1, w, 1, outC, dcol, k, outC, 0, rows, j0, min(k, j0 + NC_MAX),
        0, 0, 0, scratch);
    }
    col2imAdd(g, dcol, q0, rows, dx);
  }
}
