// ---- conv stride-2 area (issue 18, tasks 175-179) ----
// The forward pass and the filter gradient of convolutions whose output pixels lie 32 floats
// apart along a row of the input (stride 2 over 16 channels: ResNet-20's 3x3 32x32x16 ->
// 16x16x32 layer). With K = 144 the direct kernel's window rows are 48 floats, too short for its
// 6-pixel tile (conv_relaxed.ts MIN_RUN), and the packed filter gradient spends a good part of
// its time packing windows whose reduction is only 16 channels deep.
//
// Both kernels here read the zero-bordered input in place. Since the step from one output pixel
// to the next along a row is a constant 128 bytes, the pixels of a tile are immediate offsets of
// one pointer, and the window's shape (fh rows of fw * c contiguous floats) is a table of byte
// offsets walked by one loop over all K elements: no row jumps inside a tile, no per-pixel
// pointers (the tile's step is 12 FMAs, 2 filter loads, 6 broadcasts, one table load and four
// integer operations).
// - forward: tiles of 6 pixels of one output row by an 8-column filter panel (12 accumulators,
//   relaxed build) or 4 pixels (8 accumulators, plain build and short rows), over (fy, fx, c)
//   in im2col's order with one accumulator per output: the direct kernel's bits.
// - filter gradient: tiles of 6 (relaxed) or 4 (plain) contiguous floats of a window row (K
//   rows of dW) by 8 output channels, summed over a block of pixels whose window origins are a
//   table, dy read in place; each block's sums added to the partial.
import { madd } from './fma';
import { NR } from './gemm';
import { IN_H, IN_W, IN_C, OUT_H, OUT_W, OUT_C, FH, FW, SH, SW, DH, PAD_T, PAD_L, gi, off } from './conv_geometry';
import { finish } from './conv_direct';

/** Whether the plain build's filter gradient takes 5-row tiles (dw5) where they fit. */
const PLAIN_DW5: bool = true;

/** Bytes from one output pixel's window origin to the next along a row (sw * c floats). */
export const S2_PIXEL: i32 = 32;

/** sums[6][8] = six windows at x, x + 128 .. x + 640 by the panel bp [K][8], offsets tab .. end. */
function fwd6(x: usize, tab: usize, end: usize, bp: usize, sums: usize): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  let c40 = f32x4.splat(0), c41 = f32x4.splat(0);
  let c50 = f32x4.splat(0), c51 = f32x4.splat(0);
  while (tab < end) {
    const a = x + <usize>load<u32>(tab);
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    { const v = v128.load32_splat(a); c00 = madd(v, b0, c00); c01 = madd(v, b1, c01); }
    { const v = v128.load32_splat(a, 128); c10 = madd(v, b0, c10); c11 = madd(v, b1, c11); }
    { const v = v128.load32_splat(a, 256); c20 = madd(v, b0, c20); c21 = madd(v, b1, c21); }
    { const v = v128.load32_splat(a, 384); c30 = madd(v, b0, c30); c31 = madd(v, b1, c31); }
    { const v = v128.load32_splat(a, 512); c40 = madd(v, b0, c40); c41 = madd(v, b1, c41); }
    { const v = v128.load32_splat(a, 640); c50 = madd(v, b0, c50); c51 = madd(v, b1, c51); }
    tab += 4;
    bp += 32;
  }
  v128.store(sums, c00); v128.store(sums, c01, 16);
  v128.store(sums, c10, 32); v128.store(sums, c11, 48);
  v128.store(sums, c20, 64); v128.store(sums, c21, 80);
  v128.store(sums, c30, 96); v128.store(sums, c31, 112);
  v128.store(sums, c40, 128); v128.store(sums, c41, 144);
  v128.store(sums, c50, 160); v128.store(sums, c51, 176);
}

/** fwd6 for five windows, x .. x + 512 (10 chains: as many as the FMA latency needs). */
function fwd5(x: usize, tab: usize, end: usize, bp: usize, sums: usize): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  let c40 = f32x4.splat(0), c41 = f32x4.splat(0);
  while (tab < end) {
    const a = x + <usize>load<u32>(tab);
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    { const v = v128.load32_splat(a); c00 = madd(v, b0, c00); c01 = madd(v, b1, c01); }
    { const v = v128.load32_splat(a, 128); c10 = madd(v, b0, c10); c11 = madd(v, b1, c11); }
    { const v = v128.load32_splat(a, 256); c20 = madd(v, b0, c20); c21 = madd(v, b1, c21); }
    { const v = v128.load32_splat(a, 384); c30 = madd(v, b0, c30); c31 = madd(v, b1, c31); }
    { const v = v128.load32_splat(a, 512); c40 = madd(v, b0, c40); c41 = madd(v, b1, c41); }
    tab += 4;
    bp += 32;
  }
  v128.store(sums, c00); v128.store(sums, c01, 16);
  v128.store(sums, c10, 32); v128.store(sums, c11, 48);
  v128.store(sums, c20, 64); v128.store(sums, c21, 80);
  v128.store(sums, c30, 96); v128.store(sums, c31, 112);
  v128.store(sums, c40, 128); v128.store(sums, c41, 144);
}

/** fwd6 for four windows, x .. x + 384. */
function fwd4(x: usize, tab: usize, end: usize, bp: usize, sums: usize): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  // two steps a turn with the exit test between them (as gemm.ts tile4x8): the plain build's
  // multiply-add is two instructions, so the loop's own instructions weigh; the test keeps V8
  // from hoisting the second step's loads (and spilling accumulators)
  const last = end - 4;
  while (tab < end) {
    let a = x + <usize>load<u32>(tab);
    let b0 = v128.load(bp);
    let b1 = v128.load(bp, 16);
    { const v = v128.load32_splat(a); c00 = madd(v, b0, c00); c01 = madd(v, b1, c01); }
    { const v = v128.load32_splat(a, 128); c10 = madd(v, b0, c10); c11 = madd(v, b1, c11); }
    { const v = v128.load32_splat(a, 256); c20 = madd(v, b0, c20); c21 = madd(v, b1, c21); }
    { const v = v128.load32_splat(a, 384); c30 = madd(v, b0, c30); c31 = madd(v, b1, c31); }
    if (tab >= last) break;
    a = x + <usize>load<u32>(tab, 4);
    b0 = v128.load(bp, 32);
    b1 = v128.load(bp, 48);
    { const v = v128.load32_splat(a); c00 = madd(v, b0, c00); c01 = madd(v, b1, c01); }
    { const v = v128.load32_splat(a, 128); c10 = madd(v, b0, c10); c11 = madd(v, b1, c11); }
    { const v = v128.load32_splat(a, 256); c20 = madd(v, b0, c20); c21 = madd(v, b1, c21); }
    { const v = v128.load32_splat(a, 384); c30 = madd(v, b0, c30); c31 = madd(v, b1, c31); }
    tab += 8;
    bp += 64;
  }
  v128.store(sums, c00); v128.store(sums, c01, 16);
  v128.store(sums, c10, 32); v128.store(sums, c11, 48);
  v128.store(sums, c20, 64); v128.store(sums, c21, 80);
  v128.store(sums, c30, 96); v128.store(sums, c31, 112);
}

/** fwd6 for one window at x. */
function fwd1(x: usize, tab: usize, end: usize, bp: usize, sums: usize): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  while (tab < end) {
    const v = v128.load32_splat(x + <usize>load<u32>(tab));
    c00 = madd(v, v128.load(bp), c00);
    c01 = madd(v, v128.load(bp, 16), c01);
    tab += 4;
    bp += 32;
  }
  v128.store(sums, c00); v128.store(sums, c01, 16);
}

/** The first n pixels of `sums` (8 floats each) to dst, dst + step ..: bias, relu, cols columns. */
function put(dst: usize, n: i32, step: usize, sums: usize, bias: usize, act: i32, cols: i32, edge: usize): void {
  for (let i = 0; i < n; i++) {
    finish(dst, v128.load(sums + off(i * NR)), v128.load(sums + off(i * NR), 16), bias, act, cols, edge);
    dst += step;
  }
}

/** Where the band of zero-bordered input rows lies in the scratch (after the sums and offset tables). */
const BAND_AT: usize = 32768;
/** Bytes of input rows a band holds (L2-resident); one window's rows always fit (the host checks). */
const BAND_BYTES: i32 = 256 * 1024;

/**
 * Output rows a band covers: as many as BAND_BYTES of input rows hold, at least 1. The input is
 * copied band by band into the scratch with its zero border (padded rows iy of wp pixels), read
 * there while it is in the cache: a zero-bordered copy of the whole input beforehand (the
 * direct kernel's) cost 13% of the forward pass of ResNet-20's stride-2 layer.
 */
@inline function bandRows(g: usize, wp: i32): i32 {
  const span = (gi(g, FH) - 1) * gi(g, DH) + 1;
  const fit = BAND_BYTES / (wp * gi(g, IN_C) * 4);
  return fit > span ? (fit - span) / gi(g, SH) + 1 : 1;
}

/** Padded rows iy0..iy1 of image b of x [batch, inH, inW, c] into band [iy1 - iy0][wp][c], zeros outside the image. */
function fillBand(g: usize, x: usize, b: i32, iy0: i32, iy1: i32, wp: i32, band: usize): void {
  const inH = gi(g, IN_H), inW = gi(g, IN_W), c = gi(g, IN_C), padT = gi(g, PAD_T), padL = gi(g, PAD_L);
  const rowOut = off(wp * c), rowIn = off(inW * c), left = off(padL * c);
  const tail = rowOut - left - rowIn;
  let dst = band;
  for (let iy = iy0; iy < iy1; iy++) {
    const y = iy - padT;
    if (y < 0 || y >= inH) {
      memory.fill(dst, 0, rowOut);
    } else {
      if (left > 0) memory.fill(dst, 0, left);
      memory.copy(dst + left, x + off((b * inH + y) * inW * c), rowIn);
      if (tail > 0) memory.fill(dst + left + rowIn, 0, tail);
    }
    dst += rowOut;
  }
}

/**
 * Output rows r0..r1 (a row is one (image, oy)) of conv(xp, filter) + bias, relu when act is 1:
 * convDirectRows' result (conv_direct.ts) from x itself (copied band by band with its zero
 * border, wp padded pixels a row), for geometries with sw * c = 32 and dilation 1 along the
 * width. `scratch` needs BAND_AT + one band (the offset table, 4 * K bytes, below BAND_AT).
 */
export function s2ForwardRows(g: usize, x: usize, wp: i32, panels: usize, out: usize,
                              r0: i32, r1: i32, biasPad: usize, act: i32, scratch: usize): void {
  const c = gi(g, IN_C), outH = gi(g, OUT_H), outW = gi(g, OUT_W), outC = gi(g, OUT_C);
  const fh = gi(g, FH), fw = gi(g, FW), sh = gi(g, SH), sw = gi(g, SW), dh = gi(g, DH);
  const k = fh * fw * c, run = fw * c;
  const sums = scratch, edge = scratch + 192, tab = scratch + 256;
  // byte offsets of the window's elements from its origin, in (fy, fx, c) order
  for (let fy = 0; fy < fh; fy++) {
    for (let e = 0; e < run; e++) store<u32>(tab + off(fy * run + e), <u32>off(fy * dh * wp * c + e));
  }
  const end = tab + off(k);
  const step = off(outC), px = off(sw * c);
  const band = scratch + BAND_AT, perBand = bandRows(g, wp), span = (fh - 1) * dh + 1;
  let b = -1, iy0 = 0, iy1 = 0;
  for (let r = r0; r < r1; r++) {
    const rb = r / outH, oy = r - rb * outH;
    // a new band at an image's first row or the band's end: output rows oy .. oy + perBand
    if (rb != b || oy * sh + span > iy1) {
      b = rb;
      iy0 = oy * sh;
      iy1 = (min(oy + perBand, outH) - 1) * sh + span;
      fillBand(g, x, b, iy0, iy1, wp, band);
    }
    const rowBase = band + off((oy * sh - iy0) * wp * c);
    const outRow = out + off(r * outW * outC);
    for (let j0 = 0; j0 < outC; j0 += NR) {
      const cols = min(NR, outC - j0);
      const panel = panels + off(j0 * k);
      const bias = biasPad != 0 ? biasPad + off(j0) : 0;
      let ox = 0;
      if (ASC_FEATURE_RELAXED_SIMD) {
        // A row of 6a + 5b pixels as a 6-pixel tiles (12 chains) and b 5-pixel ones (10 chains,
        // each as fast a step as FMA latency allows): 16 = 6 + 5 + 5. Other widths: 6-pixel
        // tiles, then the last 1-5 pixels through a 4-pixel tile (8 chains: less time a step
        // than 6 pixels at full rate) ending on the row's last pixel, or a 6-pixel one for 5
        // (pixels computed twice get the same sums).
        const fives = (6 - outW % 6) % 6;
        if (fives > 0 && 5 * fives <= outW) {
          const o5 = outW - 5 * fives;
          for (; ox < o5; ox += 6) {
            fwd6(rowBase + <usize>ox * px, tab, end, panel, sums);
            put(outRow + off(ox * outC + j0), 6, step, sums, bias, act, cols, edge);
          }
          // in pairs: two call sites (called once, binaryen inlines the tile and V8 spills)
          for (; ox + 10 <= outW; ox += 10) {
            fwd5(rowBase + <usize>ox * px, tab, end, panel, sums);
            put(outRow + off(ox * outC + j0), 5, step, sums, bias, act, cols, edge);
            fwd5(rowBase + <usize>(ox + 5) * px, tab, end, panel, sums);
            put(outRow + off((ox + 5) * outC + j0), 5, step, sums, bias, act, cols, edge);
          }
          if (ox < outW) {
            fwd5(rowBase + <usize>ox * px, tab, end, panel, sums);
            put(outRow + off(ox * outC + j0), 5, step, sums, bias, act, cols, edge);
            ox = outW;
          }
        }
        for (; ox + 6 <= outW; ox += 6) {
          fwd6(rowBase + <usize>ox * px, tab, end, panel, sums);
          put(outRow + off(ox * outC + j0), 6, step, sums, bias, act, cols, edge);
        }
        if (outW - ox == 5 && outW >= 6) {
          ox = outW - 6;
          fwd6(rowBase + <usize>ox * px, tab, end, panel, sums);
          put(outRow + off(ox * outC + j0), 6, step, sums, bias, act, cols, edge);
          ox = outW;
        }
      }
      for (; ox + 4 <= outW; ox += 4) {
        fwd4(rowBase + <usize>ox * px, tab, end, panel, sums);
        put(outRow + off(ox * outC + j0), 4, step, sums, bias, act, cols, edge);
      }
      if (ox < outW && outW >= 4) {
        ox = outW - 4;
        fwd4(rowBase + <usize>ox * px, tab, end, panel, sums);
        put(outRow + off(ox * outC + j0), 4, step, sums, bias, act, cols, edge);
        ox = outW;
      }
      for (; ox < outW; ox++) {
        fwd1(rowBase + <usize>ox * px, tab, end, panel, sums);
        put(outRow + off(ox * outC + j0), 1, step, sums, bias, act, cols, edge);
      }
    }
  }
}

/**
 * sums[6][8] = sum over pixels of the six floats at tab[i] + xk .. + 20 by dy's 8 columns at
 * dy + i * dyStep, for the window origins tab .. end.
 */
function dw6(tab: usize, end: usize, xk: usize, dy: usize, dyStep: usize, sums: usize): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  let c40 = f32x4.splat(0), c41 = f32x4.splat(0);
  let c50 = f32x4.splat(0), c51 = f32x4.splat(0);
  while (tab < end) {
    const a = <usize>load<u32>(tab) + xk;
    const b0 = v128.load(dy);
    const b1 = v128.load(dy, 16);
    { const v = v128.load32_splat(a); c00 = madd(v, b0, c00); c01 = madd(v, b1, c01); }
    { const v = v128.load32_splat(a, 4); c10 = madd(v, b0, c10); c11 = madd(v, b1, c11); }
    { const v = v128.load32_splat(a, 8); c20 = madd(v, b0, c20); c21 = madd(v, b1, c21); }
    { const v = v128.load32_splat(a, 12); c30 = madd(v, b0, c30); c31 = madd(v, b1, c31); }
    { const v = v128.load32_splat(a, 16); c40 = madd(v, b0, c40); c41 = madd(v, b1, c41); }
    { const v = v128.load32_splat(a, 20); c50 = madd(v, b0, c50); c51 = madd(v, b1, c51); }
    tab += 4;
    dy += dyStep;
  }
  v128.store(sums, c00); v128.store(sums, c01, 16);
  v128.store(sums, c10, 32); v128.store(sums, c11, 48);
  v128.store(sums, c20, 64); v128.store(sums, c21, 80);
  v128.store(sums, c30, 96); v128.store(sums, c31, 112);
  v128.store(sums, c40, 128); v128.store(sums, c41, 144);
  v128.store(sums, c50, 160); v128.store(sums, c51, 176);
}

/**
 * dw6 for five floats, for the plain build: with multiply and add apart, 10 accumulators, 2 dy
 * vectors, a broadcast and a product take 14 of the 15 registers, and a step is 20 arithmetic
 * instructions to 9 others (16 to 9 with four floats).
 */
function dw5(tab: usize, end: usize, xk: usize, dy: usize, dyStep: usize, sums: usize): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  let c40 = f32x4.splat(0), c41 = f32x4.splat(0);
  while (tab < end) {
    const a = <usize>load<u32>(tab) + xk;
    const b0 = v128.load(dy);
    const b1 = v128.load(dy, 16);
    { const v = v128.load32_splat(a); c00 = madd(v, b0, c00); c01 = madd(v, b1, c01); }
    { const v = v128.load32_splat(a, 4); c10 = madd(v, b0, c10); c11 = madd(v, b1, c11); }
    { const v = v128.load32_splat(a, 8); c20 = madd(v, b0, c20); c21 = madd(v, b1, c21); }
    { const v = v128.load32_splat(a, 12); c30 = madd(v, b0, c30); c31 = madd(v, b1, c31); }
    { const v = v128.load32_splat(a, 16); c40 = madd(v, b0, c40); c41 = madd(v, b1, c41); }
    tab += 4;
    dy += dyStep;
  }
  v128.store(sums, c00); v128.store(sums, c01, 16);
  v128.store(sums, c10, 32); v128.store(sums, c11, 48);
  v128.store(sums, c20, 64); v128.store(sums, c21, 80);
  v128.store(sums, c30, 96); v128.store(sums, c31, 112);
  v128.store(sums, c40, 128); v128.store(sums, c41, 144);
}

/** dw6 for four floats. */
function dw4(tab: usize, end: usize, xk: usize, dy: usize, dyStep: usize, sums: usize): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  // two steps a turn with the exit test between them, as fwd4
  const last = end - 4;
  while (tab < end) {
    let a = <usize>load<u32>(tab) + xk;
    let b0 = v128.load(dy);
    let b1 = v128.load(dy, 16);
    { const v = v128.load32_splat(a); c00 = madd(v, b0, c00); c01 = madd(v, b1, c01); }
    { const v = v128.load32_splat(a, 4); c10 = madd(v, b0, c10); c11 = madd(v, b1, c11); }
    { const v = v128.load32_splat(a, 8); c20 = madd(v, b0, c20); c21 = madd(v, b1, c21); }
    { const v = v128.load32_splat(a, 12); c30 = madd(v, b0, c30); c31 = madd(v, b1, c31); }
    if (tab >= last) break;
    dy += dyStep;
    a = <usize>load<u32>(tab, 4) + xk;
    b0 = v128.load(dy);
    b1 = v128.load(dy, 16);
    { const v = v128.load32_splat(a); c00 = madd(v, b0, c00); c01 = madd(v, b1, c01); }
    { const v = v128.load32_splat(a, 4); c10 = madd(v, b0, c10); c11 = madd(v, b1, c11); }
    { const v = v128.load32_splat(a, 8); c20 = madd(v, b0, c20); c21 = madd(v, b1, c21); }
    { const v = v128.load32_splat(a, 12); c30 = madd(v, b0, c30); c31 = madd(v, b1, c31); }
    tab += 8;
    dy += dyStep;
  }
  v128.store(sums, c00); v128.store(sums, c01, 16);
  v128.store(sums, c10, 32); v128.store(sums, c11, 48);
  v128.store(sums, c20, 64); v128.store(sums, c21, 80);
  v128.store(sums, c30, 96); v128.store(sums, c31, 112);
}

/** dw6 for one float. */
function dw1(tab: usize, end: usize, xk: usize, dy: usize, dyStep: usize, sums: usize): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  while (tab < end) {
    const v = v128.load32_splat(<usize>load<u32>(tab) + xk);
    c00 = madd(v, v128.load(dy), c00);
    c01 = madd(v, v128.load(dy, 16), c01);
    tab += 4;
    dy += dyStep;
  }
  v128.store(sums, c00); v128.store(sums, c01, 16);
}

/** partial rows p .. p + n - 1, 8 columns from j0, += the first n rows of sums. */
function addRows(partial: usize, p: i32, n: i32, outC: i32, j0: i32, sums: usize): void {
  for (let i = 0; i < n; i++) {
    const dst = partial + off((p + i) * outC + j0), src = sums + off(i * NR);
    v128.store(dst, f32x4.add(v128.load(dst), v128.load(src)));
    v128.store(dst, f32x4.add(v128.load(dst, 16), v128.load(src, 16)), 16);
  }
}

/**
 * dW [K, outC] += the filter gradient's rows pLo..pHi over images b0..b1: x [batch, inH,
 * inW, c] copied band by band with its zero border (wp padded pixels a row) into the scratch,
 * each band's pixels (at most `block`, whole output rows, at least one) a table of window
 * origins, dy [pixels, outC] read in place (outC a multiple of 8). Dilation 1 along the width
 * (a window row is fw * c contiguous floats). `scratch` needs BAND_AT + one band; the table
 * (4 * max(block, outW) bytes) lies below BAND_AT.
 */
export function s2FilterGrad(g: usize, x: usize, wp: i32, dy: usize, dW: usize, pLo: i32, pHi: i32,
                             b0: i32, b1: i32, block: i32, scratch: usize): void {
  const c = gi(g, IN_C), outH = gi(g, OUT_H), outW = gi(g, OUT_W), outC = gi(g, OUT_C);
  const fh = gi(g, FH), fw = gi(g, FW), sh = gi(g, SH), sw = gi(g, SW), dh = gi(g, DH);
  const run = fw * c, span = (fh - 1) * dh + 1;
  const sums = scratch, tab = scratch + 256, band = scratch + BAND_AT;
  const dyStep = off(outC);
  const perBand = max(1, min(bandRows(g, wp), block / outW));
  for (let b = b0; b < b1; b++) {
    for (let oy0 = 0; oy0 < outH; oy0 += perBand) {
      const oy1 = min(outH, oy0 + perBand);
      const iy0 = oy0 * sh;
      fillBand(g, x, b, iy0, (oy1 - 1) * sh + span, wp, band);
      let t = tab;
      for (let oy = oy0; oy < oy1; oy++) {
        for (let ox = 0; ox < outW; ox++) {
          store<u32>(t, <u32>(band + off(((oy - oy0) * sh * wp + ox * sw) * c)));
          t += 4;
        }
      }
      const end = t;
      const dyBlock = dy + off((b * outH + oy0) * outW * outC);
      for (let j0 = 0; j0 < outC; j0 += NR) {
        let p = pLo;
        while (p < pHi) {
          const fy = p / run, e = p - fy * run;
          const xk = off(fy * dh * wp * c + e);
          // tiles stay inside one window row (contiguous floats)
          const left = min(pHi - p, run - e);
          // two tiles a turn where they fit: binaryen inlines a function called once, and V8
          // then spills the inlined tile's accumulators (measured 0.6x the packed kernel)
          if (ASC_FEATURE_RELAXED_SIMD && left >= 12) {
            dw6(tab, end, xk, dyBlock + off(j0), dyStep, sums);
            addRows(dW, p, 6, outC, j0, sums);
            dw6(tab, end, xk + 24, dyBlock + off(j0), dyStep, sums);
            addRows(dW, p + 6, 6, outC, j0, sums);
            p += 12;
          } else if (ASC_FEATURE_RELAXED_SIMD && left >= 6) {
            dw6(tab, end, xk, dyBlock + off(j0), dyStep, sums);
            addRows(dW, p, 6, outC, j0, sums);
            p += 6;
          } else if (!ASC_FEATURE_RELAXED_SIMD && PLAIN_DW5 && left >= 10) {
            dw5(tab, end, xk, dyBlock + off(j0), dyStep, sums);
            addRows(dW, p, 5, outC, j0, sums);
            dw5(tab, end, xk + 20, dyBlock + off(j0), dyStep, sums);
            addRows(dW, p + 5, 5, outC, j0, sums);
            p += 10;
          } else if (!ASC_FEATURE_RELAXED_SIMD && PLAIN_DW5 && left == 5) {
            dw5(tab, end, xk, dyBlock + off(j0), dyStep, sums);
            addRows(dW, p, 5, outC, j0, sums);
            p += 5;
          } else if (left >= 8) {
            dw4(tab, end, xk, dyBlock + off(j0), dyStep, sums);
            addRows(dW, p, 4, outC, j0, sums);
            dw4(tab, end, xk + 16, dyBlock + off(j0), dyStep, sums);
            addRows(dW, p + 4, 4, outC, j0, sums);
            p += 8;
          } else if (left >= 4) {
            dw4(tab, end, xk, dyBlock + off(j0), dyStep, sums);
            addRows(dW, p, 4, outC, j0, sums);
            p += 4;
          } else {
            dw1(tab, end, xk, dyBlock + off(j0), dyStep, sums);
            addRows(dW, p, 1, outC, j0, sums);
            p += 1;
          }
        }
      }
    }
  }
}
// ---- end of conv stride-2 area ----
