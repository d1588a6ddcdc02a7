// Convolution forward for a short depth K (the first layers of image models: 3x3x3 = 27,
// 7x7x3 = 147), NHWC, f32, on the same zero-bordered input and 8-column filter panels as the
// direct kernel (conv_direct.ts).
//
// The direct kernel walks a window as nested loops (filter rows, then fw * c contiguous floats),
// so a 4x8 register tile over K = 27 runs three inner loops of 9 steps: every tile pays three
// loop exits and their set-up on top of 27 steps of work. Here the window is one loop over K
// whose step reads the offset of tap p from a table built once per chunk (a scalar load per step,
// far cheaper than the loop exits), so a tile is a single K loop, the same for any filter size,
// stride or dilation. The sum still runs over (fy, fx, c) in im2col's order with one accumulator.
// Measured: a K loop unrolled by 3 taps (K = 27) ran 15-20% slower than this one (V8 spilled the
// accumulators, as the GEMM's notes say of taller tiles); with relaxed SIMD this kernel is level
// with the direct one or behind, so only the plain build takes it (ops.ts forwardPath).
import { madd } from './fma';
import { NR } from './gemm';
import { finish } from './conv_direct';
import { IN_C, OUT_H, OUT_W, OUT_C, FH, FW, SH, SW, DH, DW, gi, off } from './conv_geometry';

/** scratch bytes convShortRows needs for k taps: 32 for a narrow panel's edge, then the table */
export function shortScratch(k: i32): i32 {
  return 64 + k * 4;
}

/**
 * Output rows r0..r1 (a row is one (image, oy)) of conv(xp, filter) + bias, relu when act is 1,
 * with the arguments of convDirectRows; `scratch` holds shortScratch(K) bytes.
 */
export function convShortRows(g: usize, xp: usize, hp: i32, wp: i32, panels: usize, out: usize,
                              r0: i32, r1: i32, biasPad: usize, act: i32, scratch: usize): void {
  const c = gi(g, IN_C), outH = gi(g, OUT_H), outW = gi(g, OUT_W), outC = gi(g, OUT_C);
  const fh = gi(g, FH), fw = gi(g, FW), sh = gi(g, SH), sw = gi(g, SW), dh = gi(g, DH), dw = gi(g, DW);
  const k = fh * fw * c;
  const edge = scratch, tab = scratch + 64;
  // byte offset of tap p = (fy, fx, ci) from the window's corner
  let t = tab;
  for (let fy = 0; fy < fh; fy++) {
    for (let fx = 0; fx < fw; fx++) {
      for (let ci = 0; ci < c; ci++) {
        store<i32>(t, <i32>off((fy * dh * wp + fx * dw) * c + ci));
        t += 4;
      }
    }
  }
  const tabEnd = tab + off(k);
  const px = off(sw * c);
  for (let r = r0; r < r1; r++) {
    const b = r / outH, oy = r - b * outH;
    const rowBase = xp + off((b * hp + oy * sh) * wp * c);
    const outRow = out + off(r * outW * outC);
    let ox = 0;
    for (; ox + 4 <= outW; ox += 4) {
      const a = rowBase + off(ox * sw * c);
      const dst0 = outRow + off(ox * outC);
      for (let j0 = 0; j0 < outC; j0 += NR) {
        let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
        let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
        let bp = panels + off(j0 * k);
        for (let tp = tab; tp < tabEnd; tp += 4) {
          const ap = a + <usize>load<i32>(tp);
          const b0 = v128.load(bp), b1 = v128.load(bp, 16);
          let v = v128.load32_splat(ap);
          c00 = madd(v, b0, c00);
          c01 = madd(v, b1, c01);
          v = v128.load32_splat(ap + px);
          c10 = madd(v, b0, c10);
          c11 = madd(v, b1, c11);
          v = v128.load32_splat(ap + 2 * px);
          c20 = madd(v, b0, c20);
          c21 = madd(v, b1, c21);
          v = v128.load32_splat(ap + 3 * px);
          c30 = madd(v, b0, c30);
          c31 = madd(v, b1, c31);
          bp += 32;
        }
        const cols = min(NR, outC - j0);
        const bias = biasPad != 0 ? biasPad + off(j0) : 0;
        const dst = dst0 + off(j0), step = off(outC);
        finish(dst, c00, c01, bias, act, cols, edge);
        finish(dst + step, c10, c11, bias, act, cols, edge);
        finish(dst + 2 * step, c20, c21, bias, act, cols, edge);
        finish(dst + 3 * step, c30, c31, bias, act, cols, edge);
      }
    }
    for (; ox < outW; ox++) {
      const a = rowBase + off(ox * sw * c);
      for (let j0 = 0; j0 < outC; j0 += NR) {
        let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
        let bp = panels + off(j0 * k);
        for (let tp = tab; tp < tabEnd; tp += 4) {
          const v = v128.load32_splat(a + <usize>load<i32>(tp));
          c00 = madd(v, v128.load(bp), c00);
          c01 = madd(v, v128.load(bp, 16), c01);
          bp += 32;
        }
        const cols = min(NR, outC - j0);
        finish(outRow + off(ox * outC + j0), c00, c01, biasPad != 0 ? biasPad + off(j0) : 0, act, cols, edge);
      }
    }
  }
}
