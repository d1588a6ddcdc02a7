// ---- conv first-layer forward area (issue 18, tasks 113-114) ----
// Convolution forward for the first layers of image models: 1-4 input channels, a window of at
// most 64 taps (3x3x3, 5x5x1 ...), stride 1 and dilation 1 across (any stride and dilation
// down), NHWC, f32.
//
// The short-K kernel (conv_short.ts) reads each tap's offset from a table and the direct kernel
// (conv_direct.ts) walks a window as fh loops of fw * c floats: with K = 27 either pays, on every
// 4x8 tile, a table load and three address adds a step or three loop exits a tile. Here every
// output row (image, oy) first gets a strip in scratch: for each input column x the fh input
// rows of its window stacked, strip[x][fy][ci] (zeros for the border, so no padded copy of the
// input is made). The window of output pixel ox is then the K = fw * fh * c CONTIGUOUS floats
// from strip[ox] on, in the order (fx, fy, ci), and the next pixel's window starts fh * c floats
// further: a tile is one pointer walk over K (a += 4, bp += 32 a step) with no table, and the
// pixel stride is a compile-time constant of each variant (the size of a layout class S1..S12,
// offsetof<S>() = fh * c * 4 bytes), so every splat load has an immediate offset (4x8 tile; the
// 6x8 tile computes its addresses, see tile6). Two taps a loop turn in the 4x8 tile, with the
// exit test between them (gemm.ts tile4x8: V8 then neither hoists the loads nor spills). The
// accumulators start from the bias (no adds after the loop). The strip slides down an image's
// rows (convFirstRows), so an output row costs one input row copied into it, not fh; its borders
// are zeroed by stores: memory.fill is a call out of the wasm code, and with it the strip cost
// 15% of the 3x3x3 layer (relaxed build), with stores 7%.
// The filter is packed once per call in the strip's (fx, fy, ci) order (packFirstFilter), so the
// sum of each output runs in that order, not im2col's: results differ from the other kernels'
// by rounding only.
// Tiles: plain SIMD 4 pixels x 8 channels (8 mul + 8 add chains); relaxed SIMD also 6 x 8 (12
// FMA chains: FMA latency 5 needs 10 to keep both units busy), a row split into 6- and 4-pixel
// tiles (32 = 6+6+6+6+4+4); a row's tiles run pixel group by pixel group over all panels (relaxed,
// short rows) or panel by panel (see rowTiles); a last partial tile is a 4-pixel tile ending at the row's end (its
// pixels recomputed with the same bits), rows under 4 pixels one pixel at a time (a 5-pixel tile
// to make rows of 6a + 5b pixels measured slower: 81% of the GEMM against 89%). In the relaxed
// build relu is one pass over each finished output row (see tile6). Measured: docs/performance.md
// "Strip kernel for first-layer forward passes".
import { madd } from './fma';
import { NR } from './gemm';
import { finish } from './conv_direct';
import { IN_H, IN_W, IN_C, OUT_H, OUT_W, OUT_C, FH, FW, SH, DH, PAD_T, PAD_L, gi, off } from './conv_geometry';

// layout classes: offsetof<Sn>() = n * 4 bytes, the strip's pixel stride for fh * c = n
@unmanaged class S1 { a: f32; }
@unmanaged class S2 { a: f32; b: f32; }
@unmanaged class S3 { a: f32; b: f32; c: f32; }
@unmanaged class S4 { a: v128; }
@unmanaged class S5 { a: v128; b: f32; }
@unmanaged class S6 { a: v128; b: f32; c: f32; }
@unmanaged class S7 { a: v128; b: f32; c: f32; d: f32; }
@unmanaged class S8 { a: v128; b: v128; }
@unmanaged class S9 { a: v128; b: v128; c: f32; }
@unmanaged class S10 { a: v128; b: v128; c: f32; d: f32; }
@unmanaged class S11 { a: v128; b: v128; c: f32; d: f32; e: f32; }
@unmanaged class S12 { a: v128; b: v128; c: v128; }

/** The largest fh * c the kernel has a variant for (convFirstRows). */
export const FIRST_MAX_STACK: i32 = 12;

/** scratch bytes convFirstRows needs: the edge block, a zero bias, the strip and its slide over an image's rows */
export function firstScratch(g: usize): i32 {
  const wIn = gi(g, OUT_W) + gi(g, FW) - 1;
  return 256 + (gi(g, OUT_C) + NR) * 4 + (wIn * gi(g, FH) + gi(g, OUT_H)) * gi(g, IN_C) * 4;
}

/** The filter w [fh, fw, c, outC] as panels of NR columns over the taps in (fx, fy, ci) order, the last panel zero-filled. */
export function packFirstFilter(g: usize, w: usize, panels: usize): void {
  const fh = gi(g, FH), fw = gi(g, FW), c = gi(g, IN_C), outC = gi(g, OUT_C);
  let dst = panels;
  for (let j0 = 0; j0 < outC; j0 += NR) {
    const cols = min(NR, outC - j0);
    for (let fx = 0; fx < fw; fx++) {
      for (let fy = 0; fy < fh; fy++) {
        for (let ci = 0; ci < c; ci++) {
          const src = w + off(((fy * fw + fx) * c + ci) * outC + j0);
          for (let q = 0; q < NR; q++) {
            store<f32>(dst, q < cols ? load<f32>(src + off(q)) : 0);
            dst += 4;
          }
        }
      }
    }
  }
}

/**
 * Slot fy of every strip column: the c floats of input row iy (of image b) at column x - padL
 * to dst0 + x * fh * c floats, x in 0..wIn; zeros outside the image. Stores, never memory.fill
 * (a call out of the wasm code: with it the strip cost 15% of the 3x3x3 layer).
 */
function stripSlots(g: usize, x: usize, b: i32, iy: i32, dst0: usize, wIn: i32): void {
  const inH = gi(g, IN_H), inW = gi(g, IN_W), c = gi(g, IN_C), padL = gi(g, PAD_L);
  const px = off(gi(g, FH) * c);
  const valid = iy >= 0 && iy < inH;
  const x0 = valid ? min(max(padL, 0), wIn) : wIn, x1 = valid ? max(x0, min(wIn, padL + inW)) : wIn;
  let dst = dst0;
  const left = dst0 + <usize>x0 * px, mid = dst0 + <usize>x1 * px, end = dst0 + <usize>wIn * px;
  let src = x + off(((b * inH + iy) * inW + x0 - padL) * c);
  // one pixel's c floats a step, in loads no wider than the pixel (no read past the input)
  if (c == 3) {
    for (; dst < left; dst += px) { store<u64>(dst, 0); store<f32>(dst, 0, 8); }
    for (; dst < mid; dst += px) { store<u64>(dst, load<u64>(src)); store<f32>(dst, load<f32>(src, 8), 8); src += 12; }
    for (; dst < end; dst += px) { store<u64>(dst, 0); store<f32>(dst, 0, 8); }
  } else if (c == 4) {
    for (; dst < left; dst += px) v128.store(dst, i32x4.splat(0));
    for (; dst < mid; dst += px) { v128.store(dst, v128.load(src)); src += 16; }
    for (; dst < end; dst += px) v128.store(dst, i32x4.splat(0));
  } else if (c == 2) {
    for (; dst < left; dst += px) store<u64>(dst, 0);
    for (; dst < mid; dst += px) { store<u64>(dst, load<u64>(src)); src += 8; }
    for (; dst < end; dst += px) store<u64>(dst, 0);
  } else {
    for (; dst < left; dst += px) store<f32>(dst, 0);
    for (; dst < mid; dst += px) { store<f32>(dst, load<f32>(src)); src += 4; }
    for (; dst < end; dst += px) store<f32>(dst, 0);
  }
}

/**
 * 4 pixels x 8 channels: windows at a, a + P, a + 2P, a + 3P (P = offsetof<S>()), k4 = K * 4
 * bytes, panel bp [K][8], accumulators from the bias, results to dst, dst + step ...
 */
function tile4<S>(a: usize, bp: usize, k4: usize, bias: usize, dst: usize, step: usize, act: i32, cols: i32,
                  edge: usize): void {
  let c00 = v128.load(bias), c01 = v128.load(bias, 16);
  let c10 = c00, c11 = c01, c20 = c00, c21 = c01, c30 = c00, c31 = c01;
  const aEnd = a + k4, aLast = aEnd - 4;
  while (a < aEnd) {
    let b0 = v128.load(bp), b1 = v128.load(bp, 16);
    let v = v128.load32_splat(a);
    c00 = madd(v, b0, c00);
    c01 = madd(v, b1, c01);
    v = v128.load32_splat(a, offsetof<S>());
    c10 = madd(v, b0, c10);
    c11 = madd(v, b1, c11);
    v = v128.load32_splat(a, 2 * offsetof<S>());
    c20 = madd(v, b0, c20);
    c21 = madd(v, b1, c21);
    v = v128.load32_splat(a, 3 * offsetof<S>());
    c30 = madd(v, b0, c30);
    c31 = madd(v, b1, c31);
    if (a >= aLast) break;
    b0 = v128.load(bp, 32);
    b1 = v128.load(bp, 48);
    v = v128.load32_splat(a, 4);
    c00 = madd(v, b0, c00);
    c01 = madd(v, b1, c01);
    v = v128.load32_splat(a, offsetof<S>() + 4);
    c10 = madd(v, b0, c10);
    c11 = madd(v, b1, c11);
    v = v128.load32_splat(a, 2 * offsetof<S>() + 4);
    c20 = madd(v, b0, c20);
    c21 = madd(v, b1, c21);
    v = v128.load32_splat(a, 3 * offsetof<S>() + 4);
    c30 = madd(v, b0, c30);
    c31 = madd(v, b1, c31);
    a += 8;
    bp += 64;
  }
  finish(dst, c00, c01, 0, act, cols, edge);
  finish(dst + step, c10, c11, 0, act, cols, edge);
  finish(dst + 2 * step, c20, c21, 0, act, cols, edge);
  finish(dst + 3 * step, c30, c31, 0, act, cols, edge);
}

/**
 * The same for 6 pixels and a whole panel of 8 channels (relaxed SIMD only), the plain sums
 * (bias included, no relu: the caller's row pass) to dst, dst + step ... V8 keeps 12
 * accumulators + 2 B vectors + 1 broadcast in 15 xmm only in this form (read in
 * `node --print-wasm-code`): out of line (binaryen inlines a function called once: the callers
 * call it from two places), pixel addresses computed rather than load offsets (as gemm.ts
 * tile6x8), one tap a turn, and nothing but stores after the loop. With a max (relu) or adds
 * after the loop V8 moved all six broadcasts ahead of the multiply-adds and spilled 4
 * accumulators a step (the forward pass 35% slower); with two taps a turn it spilled too.
 */
function tile6<S>(a: usize, bp: usize, k4: usize, bias: usize, dst: usize, step: usize): void {
  let c00 = v128.load(bias), c01 = v128.load(bias, 16);
  let c10 = c00, c11 = c01, c20 = c00, c21 = c01, c30 = c00, c31 = c01, c40 = c00, c41 = c01, c50 = c00, c51 = c01;
  const aEnd = a + k4;
  while (a < aEnd) {
    const b0 = v128.load(bp), b1 = v128.load(bp + 16);
    { const v = v128.load32_splat(a); c00 = madd(v, b0, c00); c01 = madd(v, b1, c01); }
    { const v = v128.load32_splat(a + offsetof<S>()); c10 = madd(v, b0, c10); c11 = madd(v, b1, c11); }
    { const v = v128.load32_splat(a + 2 * offsetof<S>()); c20 = madd(v, b0, c20); c21 = madd(v, b1, c21); }
    { const v = v128.load32_splat(a + 3 * offsetof<S>()); c30 = madd(v, b0, c30); c31 = madd(v, b1, c31); }
    { const v = v128.load32_splat(a + 4 * offsetof<S>()); c40 = madd(v, b0, c40); c41 = madd(v, b1, c41); }
    { const v = v128.load32_splat(a + 5 * offsetof<S>()); c50 = madd(v, b0, c50); c51 = madd(v, b1, c51); }
    a += 4;
    bp += 32;
  }
  v128.store(dst, c00); v128.store(dst, c01, 16);
  v128.store(dst + step, c10); v128.store(dst + step, c11, 16);
  v128.store(dst + 2 * step, c20); v128.store(dst + 2 * step, c21, 16);
  v128.store(dst + 3 * step, c30); v128.store(dst + 3 * step, c31, 16);
  v128.store(dst + 4 * step, c40); v128.store(dst + 4 * step, c41, 16);
  v128.store(dst + 5 * step, c50); v128.store(dst + 5 * step, c51, 16);
}

/** One pixel x 8 channels (rows under 4 pixels). */
function tile1(a: usize, bp: usize, k4: usize, bias: usize, dst: usize, act: i32, cols: i32, edge: usize): void {
  let c00 = v128.load(bias), c01 = v128.load(bias, 16);
  const aEnd = a + k4;
  for (; a < aEnd; a += 4) {
    const v = v128.load32_splat(a);
    c00 = madd(v, v128.load(bp), c00);
    c01 = madd(v, v128.load(bp, 16), c01);
    bp += 32;
  }
  finish(dst, c00, c01, 0, act, cols, edge);
}

/** The relaxed build's count of 6-pixel tiles in a row: as many as leave a multiple of 4 pixels (else as many as fit). */
function sixes(outW: i32): i32 {
  let n6 = outW / 6;
  while (n6 > 0 && (outW - 6 * n6) % 4 != 0) n6--;
  return n6 == 0 ? outW / 6 : n6;
}

/**
 * Output row `out` (outW pixels) from its strip: the tiles of the file's header, pixels outer
 * and panels inner, so that each group of 4 or 6 output pixels is written whole (all its
 * channels: whole cache lines, in address order) before the next. Panels outer (stripRowPanels,
 * the order before) writes a row in outC / 8 strided passes, each line in halves: for 32
 * channels a row is one 4 KiB page, and the output (8 MB for the CIFAR layer at batch 64) is far
 * out of cache. Measured (relaxed, 1 thread): with every row's stores sent to two rows that stay
 * in L1 (an experiment) the CIFAR layer ran 19% faster, so its output's stores cost that much;
 * this order won 15% of it back (rowTiles says where it runs).
 */
function stripRow<S>(strip: usize, panels: usize, out: usize, outW: i32, outC: i32, k: i32, bias: usize, act: i32,
                     edge: usize): void {
  const k4 = off(k), step = off(outC), px = <usize>offsetof<S>();
  const full = outC - outC % NR, panelK = off(NR * k);
  let n6 = 0, tileAct = act;
  if (ASC_FEATURE_RELAXED_SIMD) {
    tileAct = 0;
    n6 = sixes(outW);
  }
  let ox = 0;
  if (ASC_FEATURE_RELAXED_SIMD) {
    for (; ox < 6 * n6; ox += 6) {
      const a = strip + <usize>ox * px, o = out + off(ox * outC);
      let j0 = 0, bp = panels;
      // two call sites, so that binaryen keeps tile6 out of line (see tile6)
      for (; j0 + 2 * NR <= full; j0 += 2 * NR) {
        tile6<S>(a, bp, k4, bias + off(j0), o + off(j0), step);
        tile6<S>(a, bp + panelK, k4, bias + off(j0 + NR), o + off(j0 + NR), step);
        bp += 2 * panelK;
      }
      if (j0 < full) tile6<S>(a, bp, k4, bias + off(j0), o + off(j0), step);
    }
  }
  if (outW < 4) {
    for (; ox < outW; ox++) {
      for (let j0 = 0; j0 < outC; j0 += NR) {
        tile1(strip + <usize>ox * px, panels + off(j0 * k), k4, bias + off(j0), out + off(ox * outC + j0), tileAct,
          min(NR, outC - j0), edge);
      }
    }
  } else {
    for (; ox < outW; ox += 4) {
      const o = min(ox, outW - 4), a = strip + <usize>o * px, dst = out + off(o * outC);
      for (let j0 = 0; j0 < full; j0 += NR) {
        tile4<S>(a, panels + off(j0 * k), k4, bias + off(j0), dst + off(j0), step, tileAct, NR, edge);
      }
    }
    // a last partial panel (outC not a multiple of NR): 4-pixel tiles over the whole row
    if (full < outC) {
      for (let q = 0; q < outW; q += 4) {
        const o = min(q, outW - 4);
        tile4<S>(strip + <usize>o * px, panels + off(full * k), k4, bias + off(full), out + off(o * outC + full), step,
          tileAct, outC - full, edge);
      }
    }
  }
  // relaxed SIMD: relu in one pass over the row (see tile6)
  if (ASC_FEATURE_RELAXED_SIMD && act == 1) reluRow(out, outW * outC);
}

/** relu over n floats at p (the relaxed build's row pass, see tile6) */
function reluRow(p: usize, n: i32): void {
  const z = f32x4.splat(0), end = p + off(n), end4 = end - 12;
  for (; p < end4; p += 16) v128.store(p, f32x4.pmax(v128.load(p), z));
  for (; p < end; p += 4) store<f32>(p, max(load<f32>(p), 0));
}

/** The same, panels outer (the order before stripRow's; STRIATE_CONV_FIRST_FWD = 'panels'). */
function stripRowPanels<S>(strip: usize, panels: usize, out: usize, outW: i32, outC: i32, k: i32, bias: usize, act: i32,
                     edge: usize): void {
  const k4 = off(k), step = off(outC), px = <usize>offsetof<S>();
  let n6 = 0, tileAct = act;
  if (ASC_FEATURE_RELAXED_SIMD) {
    tileAct = 0;
    n6 = sixes(outW);
  }
  for (let j0 = 0; j0 < outC; j0 += NR) {
    const cols = min(NR, outC - j0), bp = panels + off(j0 * k), bz = bias + off(j0);
    let ox = 0;
    if (ASC_FEATURE_RELAXED_SIMD && cols == NR) {
      for (; ox + 12 <= 6 * n6; ox += 12) {
        tile6<S>(strip + <usize>ox * px, bp, k4, bz, out + off(ox * outC + j0), step);
        tile6<S>(strip + <usize>(ox + 6) * px, bp, k4, bz, out + off((ox + 6) * outC + j0), step);
      }
      if (ox < 6 * n6) {
        tile6<S>(strip + <usize>ox * px, bp, k4, bz, out + off(ox * outC + j0), step);
        ox += 6;
      }
    }
    if (outW < 4) {
      for (; ox < outW; ox++) tile1(strip + <usize>ox * px, bp, k4, bz, out + off(ox * outC + j0), tileAct, cols, edge);
      continue;
    }
    for (; ox < outW; ox += 4) {
      const o = min(ox, outW - 4);
      tile4<S>(strip + <usize>o * px, bp, k4, bz, out + off(o * outC + j0), step, tileAct, cols, edge);
    }
  }
  if (ASC_FEATURE_RELAXED_SIMD && act == 1) reluRow(out, outW * outC);
}

/** An output row of at most this many bytes takes stripRow's order, a longer one stripRowPanels's (measured, see rowTiles). */
const GROUPS_MAX_ROW: i32 = 16384;

/**
 * stripRow or stripRowPanels: `mode` 1 forces the panels' order, 2 the pixel groups' (host:
 * STRIATE_CONV_FIRST_FWD 'panels', 'groups'), 0 picks: pixel groups in the relaxed build for
 * output rows up to GROUPS_MAX_ROW bytes, else panels. Measured (bench/first_layer_ab.ts --fwd,
 * rounds alternating, per CPU second, medians): relaxed, pixel groups 13-22% faster on the CIFAR
 * layer (4 KiB rows) and 3-6% on ResNet-20's 3->16 (2 KiB), but 14% slower on VGG's 3->64 at 224
 * (57 KiB rows; in blocks of 2 or 4 panels too); plain SIMD (mul + add, more time per store)
 * level within the noise on all three, so it keeps the panels' order.
 */
// @ts-ignore: decorator
@inline
function rowTiles<S>(strip: usize, panels: usize, out: usize, outW: i32, outC: i32, k: i32, bias: usize, act: i32,
                     edge: usize, mode: i32): void {
  const groups = mode == 2 || (mode == 0 && ASC_FEATURE_RELAXED_SIMD && outW * outC * 4 <= GROUPS_MAX_ROW);
  if (groups) stripRow<S>(strip, panels, out, outW, outC, k, bias, act, edge);
  else stripRowPanels<S>(strip, panels, out, outW, outC, k, bias, act, edge);
}

/**
 * Output rows r0..r1 (a row is one (image, oy)) of conv(x, filter) + bias, relu when act is 1,
 * from the unpadded input x and the panels of packFirstFilter; `biasPad` holds the bias
 * zero-padded to whole panels (0 for none); `scratch` holds firstScratch(g) bytes.
 * Needs stride 1 and dilation 1 across and fh * c <= FIRST_MAX_STACK (the host checks). `mode`:
 * the tiles' order in a row (rowTiles).
 */
export function convFirstRows(g: usize, x: usize, panels: usize, out: usize, r0: i32, r1: i32, biasPad: usize,
                              act: i32, scratch: usize, mode: i32): void {
  const c = gi(g, IN_C), outH = gi(g, OUT_H), outW = gi(g, OUT_W), outC = gi(g, OUT_C);
  const fh = gi(g, FH), fw = gi(g, FW);
  const k = fh * fw * c, stack = fh * c, wIn = outW + fw - 1;
  const sh = gi(g, SH), dh = gi(g, DH), padT = gi(g, PAD_T), cb = off(c);
  const edge = scratch, noBias = scratch + 256, start = noBias + off(outC + NR);
  if (biasPad == 0) memory.fill(noBias, 0, off(outC + NR));
  const bias = biasPad != 0 ? biasPad : noBias;
  // With stride and dilation 1 down, the next row's strip is this one's shifted by one slot (c
  // floats: slot fy + 1 of column x becomes slot fy) with its last slots (fh - 1) rewritten from
  // the new input row, over slot 0 of the next column, no longer needed: one input row copied
  // per output row instead of fh (measured: the strip cost 25% of the digit CNN's 5x5x1 layer)
  const slide = sh == 1 && dh == 1;
  let strip = start, prev = -2;
  for (let r = r0; r < r1; r++) {
    const b = r / outH, oy = r - b * outH;
    if (slide && r == prev + 1 && oy > 0) {
      strip += cb;
      stripSlots(g, x, b, oy + fh - 1 - padT, strip + off((fh - 1) * c), wIn);
    } else {
      strip = start;
      for (let fy = 0; fy < fh; fy++) stripSlots(g, x, b, oy * sh + fy * dh - padT, strip + off(fy * c), wIn);
    }
    prev = r;
    const o = out + off(r * outW * outC);
    switch (stack) {
      case 1: rowTiles<S1>(strip, panels, o, outW, outC, k, bias, act, edge, mode); break;
      case 2: rowTiles<S2>(strip, panels, o, outW, outC, k, bias, act, edge, mode); break;
      case 3: rowTiles<S3>(strip, panels, o, outW, outC, k, bias, act, edge, mode); break;
      case 4: rowTiles<S4>(strip, panels, o, outW, outC, k, bias, act, edge, mode); break;
      case 5: rowTiles<S5>(strip, panels, o, outW, outC, k, bias, act, edge, mode); break;
      case 6: rowTiles<S6>(strip, panels, o, outW, outC, k, bias, act, edge, mode); break;
      case 7: rowTiles<S7>(strip, panels, o, outW, outC, k, bias, act, edge, mode); break;
      case 8: rowTiles<S8>(strip, panels, o, outW, outC, k, bias, act, edge, mode); break;
      case 9: rowTiles<S9>(strip, panels, o, outW, outC, k, bias, act, edge, mode); break;
      case 10: rowTiles<S10>(strip, panels, o, outW, outC, k, bias, act, edge, mode); break;
      case 11: rowTiles<S11>(strip, panels, o, outW, outC, k, bias, act, edge, mode); break;
      default: rowTiles<S12>(strip, panels, o, outW, outC, k, bias, act, edge, mode); break;
    }
  }
}
