// Convolution forward through a small im2col slab (implicit GEMM with K blocks), NHWC, f32: for
// deep windows (K = fh * fw * c >= 1024) and strided 1x1 convolutions (ops.ts forwardPath).
//
// conv_direct.ts reads its A values straight from the padded input and reuses each filter panel
// (K x 8 floats) over one output row only; once K is in the thousands (3x3x256, 3x3x512 at 14x14)
// a panel no longer stays in cache over that row and the kernel fell to two thirds of the GEMM's
// speed. Here a block of PB output pixels (several output rows) first copies its windows into a
// slab [pixels, kc] (contiguous rows, 128-bit moves), K cut into blocks of KB and padded to a
// multiple of 4 with zeros; each filter panel of the block is then reused over all PB pixels,
// and the 4x8 register tile runs one flat loop over the block's K. A block's sums are added to
// the output of the previous block, the bias and relu applied after the last. The filter is
// packed once per call, per K block, into panels of 8 output channels.
//
// Tried and measured (bench/conv_table.ts): with 1-4 input channels (3x3x3, K = 27) this path
// is no faster than conv_direct.ts (about 62% of the GEMM against 68%): the copy is cheap there,
// the cost is each tile's fixed work around a 27-step K loop; and unrolling the K loop by 4 made
// V8 spill accumulators (every shape fell to ~8 GFLOP/s), so the loop does one step per turn.
import { madd } from './fma';
import { NR } from './gemm';
import { finish } from './conv_direct';
import { IN_C, OUT_H, OUT_W, OUT_C, FH, FW, SH, SW, DH, DW, gi, off } from './conv_geometry';

/** K block (a multiple of 4) */
export const KB: i32 = 256;
/** output pixels per slab block (a multiple of 4) */
export const PB: i32 = 96;

/** K rounded up to a multiple of 4: the padded depth the panels and slabs use. */
@inline function padK(k: i32): i32 {
  return (k + 3) & ~3;
}

/**
 * The filter w [k, outC] packed per K block: block (p0, kc) holds ceil(outC / 8) panels of
 * kcp x 8 floats (kcp = kc padded to a multiple of 4), zeros past outC and past k.
 * Block p0 starts at float p0 * ceil(outC / 8) * 8.
 */
export function packSlabFilter(g: usize, w: usize, panels: usize): void {
  const k = gi(g, FH) * gi(g, FW) * gi(g, IN_C), outC = gi(g, OUT_C);
  const kp = padK(k);
  let dst = panels;
  for (let p0 = 0; p0 < kp; p0 += KB) {
    const kcp = min(KB, kp - p0);
    for (let j0 = 0; j0 < outC; j0 += NR) {
      const cols = min(NR, outC - j0);
      for (let p = p0; p < p0 + kcp; p++) {
        for (let q = 0; q < NR; q++) {
          store<f32>(dst, p < k && q < cols ? load<f32>(w + off(p * outC + j0 + q)) : 0);
          dst += 4;
        }
      }
    }
  }
}

/** n floats from src to dst: 128-bit moves, then the tail one by one. */
@inline function copyFloats(dst: usize, src: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(dst + off(i), v128.load(src + off(i)));
  for (; i < n; i++) store<f32>(dst + off(i), load<f32>(src + off(i)));
}

/** v0, v1 plus the `cols` (<= 8) floats at src; 8 floats at src when cols is NR. */
@inline function addStored(src: usize, cols: i32, edge: usize, v: v128, hi: bool): v128 {
  if (cols == NR) return f32x4.add(v, v128.load(src + (hi ? 16 : 0)));
  for (let q = 0; q < NR; q++) store<f32>(edge + off(q), q < cols ? load<f32>(src + off(q)) : 0);
  return f32x4.add(v, v128.load(edge + (hi ? 16 : 0)));
}

/**
 * Output pixels q0..q1 (pixel = (image, oy, ox) in output order) of conv(xp, filter) + bias,
 * relu when act is 1. xp is the zero-bordered input [batch, hp, wp, c]; `panels` from
 * packSlabFilter; `scratch` holds the slab (PB x KB floats) and 64 bytes of edge. Only the
 * 8-column panels jFrom..jTo-1 of the output (all by default).
 */
export function convSlabRows(g: usize, xp: usize, hp: i32, wp: i32, panels: usize, out: usize,
                             q0: i32, q1: i32, bias: usize, act: i32, scratch: usize,
                             jFrom: i32 = 0, jTo: i32 = 0x7fffffff): void {
  const c = gi(g, IN_C), outH = gi(g, OUT_H), outW = gi(g, OUT_W), outC = gi(g, OUT_C);
  const fh = gi(g, FH), fw = gi(g, FW), sh = gi(g, SH), sw = gi(g, SW), dh = gi(g, DH), dw = gi(g, DW);
  const k = fh * fw * c, kp = padK(k);
  const np = (outC + NR - 1) / NR;
  // the window is segments of contiguous floats: a whole window row when dilation is 1
  const seg = dw == 1 ? fw * c : c;
  const fyStep = off(dh * wp * c), fxStep = off(dw * c);
  // (with dilation 1 a segment is a window row: fx stays 0)
  const slab = scratch, edge = scratch + off(PB * KB);
  const plane = outH * outW;
  for (let b0 = q0; b0 < q1; b0 += PB) {
    const n = min(PB, q1 - b0), nq = (n + 3) & ~3;
    for (let p0 = 0; p0 < kp; p0 += KB) {
      const kc = min(KB, kp - p0), last = p0 + KB >= kp;
      const ke = min(k, p0 + kc); // real K end of this block
      // pack the block's windows: pixel i's K range [p0, p0 + kc) into slab row i
      let b = b0 / plane, rem = b0 - b * plane, oy = rem / outW, ox = rem - oy * outW;
      // the slab's rows past n (a last quad not full) are zeros: their sums are computed, not stored
      if (nq > n) memory.fill(slab + off((nq - 4) * kc), 0, off(4 * kc));
      // the segment (and window row fy, column fx) where this K block starts: the same for every pixel
      const t0 = p0 / seg, o0 = p0 - t0 * seg;
      const fy0 = dw == 1 ? t0 : t0 / fw, fx0 = dw == 1 ? 0 : t0 - fy0 * fw;
      for (let i = 0; i < n; i++) {
        const base = xp + off(((b * hp + oy * sh) * wp + ox * sw) * c);
        const row = slab + off(i * kc);
        let p = p0, o = o0, fy = fy0, fx = fx0;
        while (p < ke) {
          const src = base + <usize>fy * fyStep + <usize>fx * fxStep + off(o);
          const len = min(seg - o, ke - p);
          const dst = row + off(p - p0);
          if (ke - (p + len) >= 3) {
            // whole 128-bit moves: the up to 3 floats written past the segment are overwritten by
            // the next one, and those read past it lie before the last of the (at least 3) window
            // elements still to come, so inside the input
            for (let j = 0; j < len; j += 4) v128.store(dst + off(j), v128.load(src + off(j)));
          } else {
            copyFloats(dst, src, len);
          }
          p += len;
          o = 0;
          if (dw == 1) fy++;
          else if (++fx == fw) { fx = 0; fy++; }
        }
        for (; p < p0 + kc; p++) store<f32>(row + off(p - p0), 0);
        if (++ox == outW) {
          ox = 0;
          if (++oy == outH) { oy = 0; b++; }
        }
      }
      const px = off(kc);
      const block = panels + off(p0 * np * NR);
      // r50 area: panels jFrom..jTo only (conv_small.ts splits small images over output channels)
      for (let j = jFrom, jEnd = min(np, jTo); j < jEnd; j++) {
        const j0 = j * NR, cols = min(NR, outC - j0);
        const panel = block + off(j * kc * NR);
        const bj = last && bias != 0 ? bias + off(j0) : 0;
        const actj = last ? act : 0;
        for (let i = 0; i < nq; i += 4) {
          let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
          let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
          let a = slab + off(i * kc), bp = panel;
          const aEnd = a + px;
          while (a < aEnd) {
            const b0v = v128.load(bp), b1v = v128.load(bp, 16);
            let v = v128.load32_splat(a);
            c00 = madd(v, b0v, c00); c01 = madd(v, b1v, c01);
            v = v128.load32_splat(a + px);
            c10 = madd(v, b0v, c10); c11 = madd(v, b1v, c11);
            v = v128.load32_splat(a + 2 * px);
            c20 = madd(v, b0v, c20); c21 = madd(v, b1v, c21);
            v = v128.load32_splat(a + 3 * px);
            c30 = madd(v, b0v, c30); c31 = madd(v, b1v, c31);
            a += 4;
            bp += 32;
          }
          const rows = min(4, n - i);
          const step = off(outC);
          const dst = out + off((b0 + i) * outC + j0);
          if (p0 > 0) {
            c00 = addStored(dst, cols, edge, c00, false); c01 = addStored(dst, cols, edge, c01, true);
            if (rows > 1) { c10 = addStored(dst + step, cols, edge, c10, false); c11 = addStored(dst + step, cols, edge, c11, true); }
            if (rows > 2) { c20 = addStored(dst + 2 * step, cols, edge, c20, false); c21 = addStored(dst + 2 * step, cols, edge, c21, true); }
            if (rows > 3) { c30 = addStored(dst + 3 * step, cols, edge, c30, false); c31 = addStored(dst + 3 * step, cols, edge, c31, true); }
          }
          finish(dst, c00, c01, bj, actj, cols, edge);
          if (rows > 1) finish(dst + step, c10, c11, bj, actj, cols, edge);
          if (rows > 2) finish(dst + 2 * step, c20, c21, bj, actj, cols, edge);
          if (rows > 3) finish(dst + 3 * step, c30, c31, bj, actj, cols, edge);
        }
      }
    }
  }
}
