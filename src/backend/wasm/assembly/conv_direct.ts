// Convolution forward without an im2col matrix ("implicit GEMM"), NHWC, f32.
//
// The im2col path copies every window into a column block and the GEMM then packs that block
// again into 4-row panels; for the small input depths of a CNN's first layers (1 to 16
// channels) those two copies cost more than the multiply-adds. Here the register tile reads
// its A values straight from the input, which is first copied once into a zero-bordered buffer
// so that no window needs bounds checks, and B is the filter packed once per call into panels
// of 8 output channels. The sum of each output runs over (fy, fx, c) in im2col's order with one
// accumulator, so for K <= the GEMM's K block it gives the im2col path's bits, and it never
// depends on how rows were split into chunks.
import { madd } from './fma';
import { NR } from './gemm';
import { IN_H, IN_W, IN_C, OUT_H, OUT_W, OUT_C, FH, FW, SH, SW, DH, DW, PAD_T, PAD_L, gi, off } from './conv_geometry';


/** Images b0..b1 of x copied into xp [batch, hp, wp, c] with the borders zeroed. */
export function padImages(g: usize, x: usize, xp: usize, hp: i32, wp: i32, b0: i32, b1: i32): void {
  const inH = gi(g, IN_H), inW = gi(g, IN_W), c = gi(g, IN_C), padT = gi(g, PAD_T), padL = gi(g, PAD_L);
  const rowIn = inW * c, rowOut = wp * c;
  for (let b = b0; b < b1; b++) {
    const dst = xp + off(b * hp * rowOut), src = x + off(b * inH * rowIn);
    memory.fill(dst, 0, off(hp * rowOut));
    for (let y = 0; y < inH; y++) {
      memory.copy(dst + off((y + padT) * rowOut + padL * c), src + off(y * rowIn), off(rowIn));
    }
  }
}

/** The filter [K, outC] as panels of NR columns, K x NR each, the last one zero-filled. */
export function packFilter(g: usize, w: usize, panels: usize): void {
  packPanels(w, panels, gi(g, FH) * gi(g, FW) * gi(g, IN_C), gi(g, OUT_C));
}

/** w [k, outC] as panels of NR columns, k x NR each, the last one zero-filled (conv3d_direct.ts too). */
export function packPanels(w: usize, panels: usize, k: i32, outC: i32): void {
  let dst = panels;
  for (let j0 = 0; j0 < outC; j0 += NR) {
    const cols = min(NR, outC - j0);
    for (let p = 0; p < k; p++) {
      for (let q = 0; q < NR; q++) {
        store<f32>(dst, q < cols ? load<f32>(w + off(p * outC + j0 + q)) : 0);
        dst += 4;
      }
    }
  }
}

/** Adds the bias, applies relu and stores `cols` (<= 8) channels of one output pixel. */
@inline export function finish(dst: usize, v0: v128, v1: v128, bias: usize, act: i32, cols: i32, edge: usize): void {
  if (bias != 0) {
    v0 = f32x4.add(v0, v128.load(bias));
    v1 = f32x4.add(v1, v128.load(bias, 16));
  }
  if (act == 1) {
    v0 = f32x4.max(v0, f32x4.splat(0));
    v1 = f32x4.max(v1, f32x4.splat(0));
  }
  if (cols == NR) {
    v128.store(dst, v0);
    v128.store(dst, v1, 16);
  } else {
    v128.store(edge, v0);
    v128.store(edge, v1, 16);
    for (let q = 0; q < cols; q++) store<f32>(dst + off(q), load<f32>(edge + off(q)));
  }
}

/**
 * Output rows r0..r1 (a row is one (image, oy)) of conv(xp, filter) + bias, relu when act is 1.
 * `biasPad` holds the bias zero-padded to whole panels (0 for none); `edge` is 32 bytes of
 * scratch for a last panel narrower than NR.
 */
export function convDirectRows(g: usize, xp: usize, hp: i32, wp: i32, panels: usize, out: usize,
                               r0: i32, r1: i32, biasPad: usize, act: i32, edge: usize): void {
  const c = gi(g, IN_C), outH = gi(g, OUT_H), outW = gi(g, OUT_W), outC = gi(g, OUT_C);
  const fh = gi(g, FH), fw = gi(g, FW), sh = gi(g, SH), sw = gi(g, SW), dh = gi(g, DH), dw = gi(g, DW);
  const k = fh * fw * c;
  const px = off(sw * c), px2 = px + px, px3 = px2 + px;
  const fyStep = off(dh * wp * c);
  const fxLoops = dw == 1 ? 1 : fw, cLoop = dw == 1 ? fw * c : c;
  const fxSkip = off(dw * c) - off(c);
  for (let r = r0; r < r1; r++) {
    const b = r / outH, oy = r - b * outH;
    const rowBase = xp + off((b * hp + oy * sh) * wp * c);
    const outRow = out + off(r * outW * outC);
    for (let j0 = 0; j0 < outC; j0 += NR) {
      const cols = min(NR, outC - j0);
      const panel = panels + off(j0 * k);
      const bias = biasPad != 0 ? biasPad + off(j0) : 0;
      let ox = 0;
      for (; ox + 4 <= outW; ox += 4) {
        let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
        let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
        let bp = panel;
        let rowA = rowBase + off(ox * sw * c);
        for (let fy = 0; fy < fh; fy++) {
          let a = rowA;
          // with dilation 1 a window row is fw * c contiguous floats: one loop, not two
          for (let fx = 0; fx < fxLoops; fx++) {
            // two steps a turn with the exit test between them (plain tile area, as gemm.ts
            // tile4x8): one stack check and one pointer update per two steps, each
            // accumulator's products still in order
            const aEnd = a + off(cLoop), aLast = aEnd - 4, bpEnd = bp + off(cLoop * NR);
            // one pointer per pixel, stepped along: no address arithmetic in the loads
            let a1 = a + px, a2 = a + px2, a3 = a + px3;
            while (a < aEnd) {
              let b0 = v128.load(bp), b1 = v128.load(bp, 16);
              let v = v128.load32_splat(a);
              c00 = madd(v, b0, c00);
              c01 = madd(v, b1, c01);
              v = v128.load32_splat(a1);
              c10 = madd(v, b0, c10);
              c11 = madd(v, b1, c11);
              v = v128.load32_splat(a2);
              c20 = madd(v, b0, c20);
              c21 = madd(v, b1, c21);
              v = v128.load32_splat(a3);
              c30 = madd(v, b0, c30);
              c31 = madd(v, b1, c31);
              if (a >= aLast) break;
              b0 = v128.load(bp, 32);
              b1 = v128.load(bp, 48);
              v = v128.load32_splat(a, 4);
              c00 = madd(v, b0, c00);
              c01 = madd(v, b1, c01);
              v = v128.load32_splat(a1, 4);
              c10 = madd(v, b0, c10);
              c11 = madd(v, b1, c11);
              v = v128.load32_splat(a2, 4);
              c20 = madd(v, b0, c20);
              c21 = madd(v, b1, c21);
              v = v128.load32_splat(a3, 4);
              c30 = madd(v, b0, c30);
              c31 = madd(v, b1, c31);
              a += 8;
              a1 += 8;
              a2 += 8;
              a3 += 8;
              bp += 64;
            }
            a = aEnd + fxSkip;
            bp = bpEnd;
          }
          rowA += fyStep;
        }
        const dst = outRow + off(ox * outC + j0);
        const step = off(outC);
        finish(dst, c00, c01, bias, act, cols, edge);
        finish(dst + step, c10, c11, bias, act, cols, edge);
        finish(dst + 2 * step, c20, c21, bias, act, cols, edge);
        finish(dst + 3 * step, c30, c31, bias, act, cols, edge);
      }
      for (; ox < outW; ox++) {
        let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
        let bp = panel;
        let rowA = rowBase + off(ox * sw * c);
        for (let fy = 0; fy < fh; fy++) {
          let a = rowA;
          for (let fx = 0; fx < fxLoops; fx++) {
            for (let ci = 0; ci < cLoop; ci++) {
              const v = v128.load32_splat(a);
              c00 = madd(v, v128.load(bp), c00);
              c01 = madd(v, v128.load(bp, 16), c01);
              a += 4;
              bp += 32;
            }
            a += fxSkip;
          }
          rowA += fyStep;
        }
        finish(outRow + off(ox * outC + j0), c00, c01, bias, act, cols, edge);
      }
    }
  }
}
