// proj area (issue 18, tasks 130-132): strided 1x1 convolutions (ResNet's projection shortcuts)
// read in place, without the gather, pack, zero-fill and scatter passes around one GEMM
// (host: src/backend/wasm/conv_pointwise.ts).
// - forward (130): out [pixels, n] = x at the strided pixels [pixels, c] · W [c, n] + bias, relu;
//   a register tile of R pixels x 8 channels with the whole K (c) in one loop, each pixel's row
//   of x read where it lies (pixel step s*c floats), accumulators started from the bias;
// - input gradient (131): every dx row written once: rows and pixels that no output pixel
//   samples are zeroed, the sampled pixels get dy row · Wᵀ from the same tile (K = n);
// - filter gradient (132): dW [c, n] = sum over pixels of x[pixel, c] * dy[pixel, n], x read at
//   the strided pixel, accumulators kept over a block of pixels, each chunk into its own partial.
// The tile's R is 4 with plain SIMD (8 accumulators: mul + add, arithmetic-bound) and 6 with
// relaxed SIMD (12 fused multiply-add chains: 8 would be latency-bound on FMA latency 5).
import { madd } from './fma';
import { ACT_RELU } from './gemm';

@inline function arg(args: usize, i: i32): i32 {
  return load<i32>(args + ((<usize>i) << 2));
}

/** Pixels per tile: 6 with relaxed SIMD, 4 with plain. */
const R: i32 = ASC_FEATURE_RELAXED_SIMD ? 6 : 4;
/** The relaxed build's 6-row tile from this K and N up (its rows are copied first, a cost per tile). */
const SIX_MIN_K: i32 = 32;
const SIX_MIN_N: i32 = 32;

/**
 * B [k, n] (element (p, j) at b + (p * rs + j * cs) floats) into panels of 8 columns, [panel][k][8],
 * zero past n.
 */
function packPanels8(b: usize, rs: i32, cs: i32, k: i32, n: i32, dst: usize): void {
  for (let j0 = 0; j0 < n; j0 += 8) {
    const w = min(8, n - j0);
    for (let p = 0; p < k; p++) {
      for (let j = 0; j < 8; j++) {
        const v: f32 = j < w ? load<f32>(b + ((<usize>(p * rs + (j0 + j) * cs)) << 2)) : 0;
        store<f32>(dst + ((<usize>j) << 2), v);
      }
      dst += 32;
    }
  }
}

/**
 * tiles x 4 rows of C, all n columns: C row i (at c + i * cs bytes) = A row i (at a + i * as, k
 * floats) · the packed panels bp, plus the padded bias (0: none), relu when act is ACT_RELU.
 * A panel narrower than 8 goes through tmp (R x 8 floats). The rows of a run are equally spaced
 * (pixels of one output row), so a tile's addresses cost a few adds: with K = 16 a tile's pointer
 * set-up measured as costly as its multiply-adds when each pixel's address was worked out apart.
 */
function run4(a: usize, as: usize, c: usize, cs: usize, tiles: i32, bp: usize, k: i32, n: i32, bias: usize, act: i32,
              tmp: usize): void {
  const kb = (<usize>k) << 2;
  for (let t = 0; t < tiles; t++, a += 4 * as, c += 4 * cs) {
  const a0 = a, a1 = a + as, a2 = a + 2 * as, a3 = a + 3 * as;
  for (let j0 = 0; j0 < n; j0 += 8) {
    let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
    if (bias != 0) {
      c00 = v128.load(bias + ((<usize>j0) << 2));
      c01 = v128.load(bias + ((<usize>j0) << 2), 16);
    }
    let c10 = c00, c11 = c01, c20 = c00, c21 = c01, c30 = c00, c31 = c01;
    let p0 = a0, p1 = a1, p2 = a2, p3 = a3, bq = bp + (<usize>j0) * kb;
    const end = a0 + kb, last = end - 4;
    // two k steps a turn with the exit test between them (as gemm.ts tile4x8): V8 then keeps
    // each step's loads beside its multiply-adds instead of hoisting them and spilling
    while (p0 < end) {
      let b0 = v128.load(bq);
      let b1 = v128.load(bq, 16);
      let a = v128.load32_splat(p0);
      c00 = madd(a, b0, c00); c01 = madd(a, b1, c01);
      a = v128.load32_splat(p1);
      c10 = madd(a, b0, c10); c11 = madd(a, b1, c11);
      a = v128.load32_splat(p2);
      c20 = madd(a, b0, c20); c21 = madd(a, b1, c21);
      a = v128.load32_splat(p3);
      c30 = madd(a, b0, c30); c31 = madd(a, b1, c31);
      if (p0 >= last) break;
      b0 = v128.load(bq, 32);
      b1 = v128.load(bq, 48);
      a = v128.load32_splat(p0, 4);
      c00 = madd(a, b0, c00); c01 = madd(a, b1, c01);
      a = v128.load32_splat(p1, 4);
      c10 = madd(a, b0, c10); c11 = madd(a, b1, c11);
      a = v128.load32_splat(p2, 4);
      c20 = madd(a, b0, c20); c21 = madd(a, b1, c21);
      a = v128.load32_splat(p3, 4);
      c30 = madd(a, b0, c30); c31 = madd(a, b1, c31);
      p0 += 8; p1 += 8; p2 += 8; p3 += 8;
      bq += 64;
    }
    if (act == ACT_RELU) {
      const z = f32x4.splat(0);
      c00 = f32x4.max(c00, z); c01 = f32x4.max(c01, z); c10 = f32x4.max(c10, z); c11 = f32x4.max(c11, z);
      c20 = f32x4.max(c20, z); c21 = f32x4.max(c21, z); c30 = f32x4.max(c30, z); c31 = f32x4.max(c31, z);
    }
    const w = min(8, n - j0);
    const off = (<usize>j0) << 2;
    if (w == 8) {
      let o = c + off; v128.store(o, c00); v128.store(o, c01, 16);
      o += cs; v128.store(o, c10); v128.store(o, c11, 16);
      o += cs; v128.store(o, c20); v128.store(o, c21, 16);
      o += cs; v128.store(o, c30); v128.store(o, c31, 16);
    } else {
      v128.store(tmp, c00); v128.store(tmp, c01, 16); v128.store(tmp, c10, 32); v128.store(tmp, c11, 48);
      v128.store(tmp, c20, 64); v128.store(tmp, c21, 80); v128.store(tmp, c30, 96); v128.store(tmp, c31, 112);
      copyEdge(c + off, cs, 4, w, tmp);
    }
  }
  }
}

/**
 * run4 with 6-row tiles for the relaxed build (12 fused multiply-add chains: 8 are latency-bound
 * on this Zen 1). Each tile's six A rows are first copied by vectors to `pack`, row i at i * PITCH
 * bytes, so that the loop moves one A pointer (six row pointers plus an offset spilled in V8 and
 * ran at half speed) and the copy costs a few vector moves per row instead of the copy into
 * [k][6] by single floats before (with the dx change below, relaxed 1 thread, 56x56x64->128 b8,
 * GFLOP/s per CPU second: forward 24-26 -> 27, input gradient 21-22 -> 24; A read in place with
 * a chain of row adds ran the forward at 17). At K = 16 (ResNet-20's 16 -> 32) both 6-row forms
 * measured no faster than run4, hence SIX_MIN_K/N.
 */
function run6(a: usize, as: usize, c: usize, cs: usize, tiles: i32, bp: usize, k: i32, n: i32, bias: usize, act: i32,
              tmp: usize, zero: usize, pack: usize): void {
  const kb = (<usize>k) << 2, kv = kb & ~15;
  for (let t = 0; t < tiles; t++, a += 6 * as, c += 6 * cs) {
    let r = a, d = pack;
    for (let i = 0; i < 6; i++, r += as, d += PITCH) {
      let o: usize = 0;
      for (; o < kv; o += 16) v128.store(d + o, v128.load(r + o));
      for (; o < kb; o += 4) store<f32>(d + o, load<f32>(r + o));
    }
    for (let j0 = 0; j0 < n; j0 += 8) {
      const w = min(8, n - j0);
      const off = (<usize>j0) << 2;
      const dst = w == 8 ? c + off : tmp, ds = w == 8 ? cs : 32;
      const init = bias != 0 ? bias + off : zero;
      // two call sites: binaryen inlines a function called once, and inlined here the loop ran
      // at half the speed (the spills gemm.ts tile6x8's comment describes)
      if (w == 8) panel6(pack, bp + (<usize>j0) * kb, k, init, dst, ds);
      else panel6(pack, bp + (<usize>j0) * kb, k, init, tmp, 32);
      if (act == ACT_RELU) {
        const z = f32x4.splat(0);
        let r = dst;
        for (let i = 0; i < 6; i++, r += ds) {
          v128.store(r, f32x4.max(v128.load(r), z));
          v128.store(r, f32x4.max(v128.load(r, 16), z), 16);
        }
      }
      if (w < 8) copyEdge(c + off, cs, 6, w, tmp);
    }
  }
}

/** Bytes between the copied A rows of the 6-row tile: the tile runs where k * 4 <= PITCH (every k with n >= SIX_MIN_N under the host's c * n limit). */
const PITCH: usize = 1024;

/**
 * Six rows (at c, step cs) x 8 columns = init (8 floats) + the packed A (row i at ap + i * PITCH)
 * · one packed panel. Small and out of line, each A value broadcast just before its two
 * multiply-adds, A addresses computed (ap + PITCH ...) rather than load offsets: the form of
 * gemm.ts tile6x8 that V8 compiles without spilling (12 + 2 + 1 = 15 xmm).
 */
function panel6(ap: usize, bq: usize, k: i32, init: usize, c: usize, cs: usize): void {
  let c00 = v128.load(init), c01 = v128.load(init, 16);
  let c10 = c00, c11 = c01, c20 = c00, c21 = c01, c30 = c00, c31 = c01, c40 = c00, c41 = c01, c50 = c00, c51 = c01;
  const end = ap + ((<usize>k) << 2);
  while (ap < end) {
    const b0 = v128.load(bq);
    const b1 = v128.load(bq, 16);
    { const a = v128.load32_splat(ap); c00 = madd(a, b0, c00); c01 = madd(a, b1, c01); }
    { const a = v128.load32_splat(ap + PITCH); c10 = madd(a, b0, c10); c11 = madd(a, b1, c11); }
    { const a = v128.load32_splat(ap + 2 * PITCH); c20 = madd(a, b0, c20); c21 = madd(a, b1, c21); }
    { const a = v128.load32_splat(ap + 3 * PITCH); c30 = madd(a, b0, c30); c31 = madd(a, b1, c31); }
    { const a = v128.load32_splat(ap + 4 * PITCH); c40 = madd(a, b0, c40); c41 = madd(a, b1, c41); }
    { const a = v128.load32_splat(ap + 5 * PITCH); c50 = madd(a, b0, c50); c51 = madd(a, b1, c51); }
    ap += 4;
    bq += 32;
  }
  v128.store(c, c00); v128.store(c, c01, 16);
  c += cs; v128.store(c, c10); v128.store(c, c11, 16);
  c += cs; v128.store(c, c20); v128.store(c, c21, 16);
  c += cs; v128.store(c, c30); v128.store(c, c31, 16);
  c += cs; v128.store(c, c40); v128.store(c, c41, 16);
  c += cs; v128.store(c, c50); v128.store(c, c51, 16);
}

/** One row of C (at c) = A row (at a) · the panels + bias, relu: the pixels left over by the tiles. */
function run1(a: usize, c: usize, bp: usize, k: i32, n: i32, bias: usize, act: i32, tmp: usize): void {
  const kb = (<usize>k) << 2;
  for (let j0 = 0; j0 < n; j0 += 8) {
    let c0 = f32x4.splat(0), c1 = f32x4.splat(0);
    if (bias != 0) {
      c0 = v128.load(bias + ((<usize>j0) << 2));
      c1 = v128.load(bias + ((<usize>j0) << 2), 16);
    }
    let bq = bp + (<usize>j0) * kb;
    for (let o: usize = 0; o < kb; o += 4, bq += 32) {
      const s = v128.load32_splat(a + o);
      c0 = madd(s, v128.load(bq), c0);
      c1 = madd(s, v128.load(bq, 16), c1);
    }
    if (act == ACT_RELU) {
      c0 = f32x4.max(c0, f32x4.splat(0));
      c1 = f32x4.max(c1, f32x4.splat(0));
    }
    v128.store(tmp, c0);
    v128.store(tmp, c1, 16);
    copyEdge(c + ((<usize>j0) << 2), 0, 1, min(8, n - j0), tmp);
  }
}

/** The first w columns of each of the tile's rows at tmp (8 floats each) to C row i (at c + i * cs). */
function copyEdge(c: usize, cs: usize, rows: i32, w: i32, tmp: usize): void {
  for (let i = 0; i < rows; i++, c += cs) {
    for (let j = 0; j < w; j++) store<f32>(c + ((<usize>j) << 2), load<f32>(tmp + ((<usize>(i * 8 + j)) << 2)));
  }
}

// ---- geometry shared by the three kernels ----
// g: the words batch H W c oh ow n sy sx padTop padLeft (11 i32 at args + 4 * G)
const G = 8;
@inline function gw(args: usize, i: i32): i32 {
  return arg(args, G + i);
}

/** Address of input row (b, oy*sy - padTop) of full [batch, H, W, c], or 0 where it lies outside. */
@inline function rowAddr(full: usize, b: i32, oy: i32, h: i32, rowBytes: usize, sy: i32, padTop: i32): usize {
  const iy = oy * sy - padTop;
  return iy >= 0 && iy < h ? full + (<usize>(b * h + iy)) * rowBytes : 0;
}

/**
 * Output pixels q0..q1, output row by output row: stridedIsA (forward) reads A at the strided
 * pixels of `full` and writes C to flat rows; else (input gradient) A is flat rows (dy) and C
 * the strided pixels of `full` (dx). The pixels inside the image run in tiles (run6 / run4),
 * those left over one by one (run1); outside the image the forward pass reads the zero row
 * `zero` (its output: bias, relu) and the input gradient has nothing to write.
 */
function pixelRange(args: usize, full: usize, flat: usize, flatBytes: usize, stridedIsA: bool, q0: i32, q1: i32,
                    bp: usize, k: i32, n: i32, bias: usize, act: i32, zero: usize, tmp: usize, pack: usize): void {
  const h = gw(args, 1), w = gw(args, 2), c = gw(args, 3), oh = gw(args, 4), ow = gw(args, 5);
  const sy = gw(args, 7), sx = gw(args, 8), padTop = gw(args, 9), padLeft = gw(args, 10);
  const pixBytes = (<usize>c) << 2, rowBytes = (<usize>w) * pixBytes, step = (<usize>sx) * pixBytes;
  // output columns whose input column lies inside the image: lo <= ox < hi
  const lo = (padLeft + sx - 1) / sx, hi = max(lo, min(ow, (w - 1 + padLeft) / sx + 1));
  const per = oh * ow;
  let q = q0;
  while (q < q1) {
    const b = q / per, rem = q - b * per, oy = rem / ow, ox0 = rem - oy * ow;
    const ox1 = min(ow, ox0 + (q1 - q));
    const row = rowAddr(full, b, oy, h, rowBytes, sy, padTop);
    const flatRow = flat + (<usize>(q - ox0)) * flatBytes;
    let v0 = max(ox0, lo), v1 = min(ox1, hi);
    if (row == 0 || v0 >= v1) { v0 = ox1; v1 = ox1; }
    // outside the image: the forward pass's bias (and relu) from the zero row
    if (stridedIsA) {
      for (let ox = ox0; ox < v0; ox++) run1(zero, flatRow + (<usize>ox) * flatBytes, bp, k, n, bias, act, tmp);
      for (let ox = v1; ox < ox1; ox++) run1(zero, flatRow + (<usize>ox) * flatBytes, bp, k, n, bias, act, tmp);
    }
    let ox = v0;
    let s = row + (<usize>(ox * sx - padLeft)) * pixBytes;
    let f = flatRow + (<usize>ox) * flatBytes;
    const sStep = step, fStep = flatBytes;
    if (R == 6 && k >= SIX_MIN_K && (<usize>k) * 4 <= PITCH && n >= SIX_MIN_N && v1 - ox >= 6) {
      // as many 6-pixel tiles as leave a multiple of 4 (8 pixels: 4 + 4, not 6 + 1 + 1: the
      // pixels one by one measured slower than the old path at 16x16x32->64)
      const len = v1 - ox;
      let tiles = len / 6;
      for (let t = tiles; t >= 0; t--) {
        if ((len - 6 * t) % 4 == 0) { tiles = t; break; }
      }
      if (stridedIsA) run6(s, sStep, f, fStep, tiles, bp, k, n, bias, act, tmp, zero, pack);
      else run6(f, fStep, s, sStep, tiles, bp, k, n, bias, act, tmp, zero, pack);
      ox += 6 * tiles;
      s += (<usize>(6 * tiles)) * sStep;
      f += (<usize>(6 * tiles)) * fStep;
    }
    if (v1 - ox >= 4) {
      const tiles = (v1 - ox) / 4;
      if (stridedIsA) run4(s, sStep, f, fStep, tiles, bp, k, n, bias, act, tmp);
      else run4(f, fStep, s, sStep, tiles, bp, k, n, bias, act, tmp);
      ox += 4 * tiles;
      s += (<usize>(4 * tiles)) * sStep;
      f += (<usize>(4 * tiles)) * fStep;
    }
    for (; ox < v1; ox++, s += sStep, f += fStep) {
      if (stridedIsA) run1(s, f, bp, k, n, bias, act, tmp);
      else run1(f, s, bp, k, n, bias, act, tmp);
    }
    q += ox1 - ox0;
  }
}

// scratch layout: 64 B unused | tmp (256 B) | zero and sink (kpad floats each) | packed panels (and
// the forward pass's bias) | the relaxed tile's copied A rows (6 x PITCH bytes)
@inline function scratchParts(scratch: usize, kpad: i32): usize {
  return scratch + 320 + (<usize>kpad << 3);
}

/** args: x w out bias act pixels per _ | g (11 words). Chunk t: output pixels t*per.. */
function forwardChunk(args: usize, chunk: i32, scratch: usize): void {
  const c = gw(args, 3), n = gw(args, 6);
  const pixels = arg(args, 5), per = arg(args, 6);
  const q0 = chunk * per, q1 = min(pixels, q0 + per);
  const npad = (n + 7) & ~7, kpad = max(c, npad);
  const zero = scratch + 320;
  memory.fill(zero, 0, (<usize>kpad) << 2);
  const bp = scratchParts(scratch, kpad);
  packPanels8(<usize>arg(args, 1), n, 1, c, n, bp);
  let bias = <usize>arg(args, 3);
  if (bias != 0) {
    const pb = bp + (<usize>(c * npad)) * 4;
    for (let j = 0; j < npad; j++) store<f32>(pb + ((<usize>j) << 2), j < n ? load<f32>(bias + ((<usize>j) << 2)) : 0);
    bias = pb;
  }
  // after the panels and the bias: the relaxed tile's packed A rows (6 x PITCH bytes)
  const pack = bp + (<usize>(c * npad + npad)) * 4;
  pixelRange(args, <usize>arg(args, 0), <usize>arg(args, 2), (<usize>n) << 2, true, q0, q1, bp, c, n, bias,
    arg(args, 4), zero, scratch + 64, pack);
}

/**
 * args: dy w dx _ _ rows(batch*oh) per _ | g. Chunk t: output rows t*per.. and the input rows
 * they own (input row iy belongs to output row clamp(floor((iy + padTop) / sy), 0, oh - 1)):
 * the pixels no output pixel samples are zeroed, then the sampled ones computed.
 */
function backInputChunk(args: usize, chunk: i32, scratch: usize): void {
  const h = gw(args, 1), w = gw(args, 2), c = gw(args, 3), oh = gw(args, 4), ow = gw(args, 5), n = gw(args, 6);
  const sy = gw(args, 7), sx = gw(args, 8), padTop = gw(args, 9), padLeft = gw(args, 10);
  const rows = arg(args, 5), per = arg(args, 6);
  const r0 = chunk * per, r1 = min(rows, r0 + per);
  if (r0 >= r1) return;
  const dx = <usize>arg(args, 2);
  const cpad = (c + 7) & ~7, kpad = max(n, cpad);
  const zero = scratch + 320;
  memory.fill(zero, 0, (<usize>kpad) << 2);
  const bp = scratchParts(scratch, kpad);
  // B = Wᵀ [n, c]: element (o, i) at W[i * n + o]
  packPanels8(<usize>arg(args, 1), 1, n, n, c, bp);
  const pack = bp + (<usize>(n * cpad)) * 4;
  // output row by output row, its zeros then its sampled pixels, so that the sampled dx rows are
  // still in cache when the products land (all zeros of the chunk first took 3-6% longer at
  // 32x32x16->32 b64, 1 thread, loaded machine)
  for (let r = r0; r < r1; r++) {
    zeroOwned(dx, r, h, w, c, oh, ow, sy, sx, padTop, padLeft);
    pixelRange(args, dx, <usize>arg(args, 0), (<usize>n) << 2, false, r * ow, (r + 1) * ow, bp, n, c, 0, 0, zero,
      scratch + 64, pack);
  }
}

/** Zeros in the dx rows that output row r owns, where no output pixel samples. */
function zeroOwned(dx: usize, r: i32, h: i32, w: i32, c: i32, oh: i32, ow: i32, sy: i32, sx: i32, padTop: i32, padLeft: i32): void {
  const pixBytes = (<usize>c) << 2, rowBytes = (<usize>w) * pixBytes;
  const z = f32x4.splat(0);
  const b = r / oh, oy = r - b * oh;
  const sampled = oy * sy - padTop;
  const lo = oy == 0 ? 0 : max(0, sampled), hi = oy == oh - 1 ? h : min(h, sampled + sy);
  for (let iy = lo; iy < hi; iy++) {
    const row = dx + (<usize>(b * h + iy)) * rowBytes;
    if (iy != sampled) {
      memory.fill(row, 0, rowBytes);
      continue;
    }
    // the pixels between (and beyond) the sampled ones, by vector stores (memory.fill per
    // pixel is a call)
    // (column ix + padLeft = ox * sx + ph, kept by counting: a division per pixel cost about as
    // much as the zero stores)
    let ox = padLeft / sx, ph = padLeft - ox * sx;
    for (let ix = 0; ix < w; ix++) {
      const skip = ph == 0 && ox < ow;
      if (++ph == sx) { ph = 0; ox++; }
      if (skip) continue;
      const p = row + (<usize>ix) * pixBytes;
      let i = 0;
      for (; i + 4 <= c; i += 4) v128.store(p + ((<usize>i) << 2), z);
      for (; i < c; i++) store<f32>(p + ((<usize>i) << 2), 0);
    }
  }
}

/**
 * args: x dy partials pixels per partialFloats _ _ | g. Chunk t: pixels t*per.. summed into
 * partial t (c x n floats at partials + t * partialFloats), overwritten. The tile is dWᵀ: 4
 * output channels (dy values broadcast) x 8 input channels (x's pixel, two vectors), so that a
 * pixel step costs one table load, one add and loads at fixed offsets; the tile with x
 * broadcast (4 input channels x 8 output channels, four offsets kept in registers) ran at about
 * 65% of this one (19.0 against 12.3 GFLOP/s per CPU second, 56x56x64->128 b8, plain SIMD).
 */
function filterGradChunk(args: usize, chunk: i32, scratch: usize): void {
  const h = gw(args, 1), w = gw(args, 2), c = gw(args, 3), oh = gw(args, 4), ow = gw(args, 5), n = gw(args, 6);
  const sy = gw(args, 7), sx = gw(args, 8), padTop = gw(args, 9), padLeft = gw(args, 10);
  const x = <usize>arg(args, 0), dy = <usize>arg(args, 1);
  const pixels = arg(args, 3), per = arg(args, 4);
  const q0 = chunk * per, q1 = min(pixels, q0 + per);
  const out = <usize>arg(args, 2) + (<usize>chunk) * (<usize>arg(args, 5)) * 4;
  const cpad = (c + 7) & ~7, npad = (n + 3) & ~3;
  const pixBytes = (<usize>c) << 2, rowBytes = (<usize>w) * pixBytes, padBytes = (<usize>cpad) << 2;
  // scratch: zero pixel (cpad floats) | table (PB addresses) | accᵀ [npad][cpad] | x block with
  // rows of cpad floats (where c < cpad) | dy block with rows of npad floats (where n < npad):
  // the vector loads past a pixel's last channel stay inside scratch
  const zero = scratch;
  memory.fill(zero, 0, padBytes);
  const table = zero + padBytes;
  const acc = table + PB * 4;
  const accBytes = (<usize>(cpad * npad)) << 2;
  memory.fill(acc, 0, accBytes);
  const xpad = acc + accBytes, dpad = xpad + (<usize>PB) * padBytes;
  const perImage = oh * ow;
  let b = q0 / perImage;
  const rem = q0 - b * perImage;
  let oy = rem / ow, ox = rem - oy * ow;
  let row = rowAddr(x, b, oy, h, rowBytes, sy, padTop);
  for (let q = q0; q < q1; q += PB) {
    const cnt = min(PB, q1 - q);
    for (let i = 0; i < cnt; i++) {
      const ix = ox * sx - padLeft;
      let p = row != 0 && ix >= 0 && ix < w ? row + (<usize>ix) * pixBytes : zero;
      if (c != cpad && p != zero) {
        const dst = xpad + (<usize>i) * padBytes;
        memory.copy(dst, p, pixBytes);
        memory.fill(dst + pixBytes, 0, padBytes - pixBytes);
        p = dst;
      }
      store<u32>(table + ((<usize>i) << 2), <u32>p);
      if (++ox == ow) {
        ox = 0;
        if (++oy == oh) { oy = 0; b++; }
        row = rowAddr(x, b, oy, h, rowBytes, sy, padTop);
      }
    }
    let d = dy + (<usize>q) * (<usize>n) * 4, dStride = (<usize>n) << 2;
    if (n != npad) {
      for (let i = 0; i < cnt; i++) {
        const src = d + (<usize>i) * dStride, dst = dpad + (<usize>(i * npad)) * 4;
        memory.copy(dst, src, (<usize>n) << 2);
        memory.fill(dst + ((<usize>n) << 2), 0, (<usize>(npad - n)) << 2);
      }
      d = dpad;
      dStride = (<usize>npad) << 2;
    }
    for (let o0 = 0; o0 < npad; o0 += 4) {
      const dj = d + ((<usize>o0) << 2);
      // two call sites: binaryen inlines a function called once, and inlined here such loops ran
      // at about half the speed (as panel6 did)
      for (let c0 = 0; c0 < cpad; c0 += 8) {
        const at = acc + ((<usize>(o0 * cpad + c0)) << 2);
        if (c0 == 0) dwTile(table, cnt, (<usize>c0) << 2, dj, dStride, at, padBytes);
        else dwTile(table, cnt, (<usize>c0) << 2, dj, dStride, at, padBytes);
      }
    }
  }
  for (let i = 0; i < c; i++) {
    for (let o = 0; o < n; o++) store<f32>(out + ((<usize>(i * n + o)) << 2), load<f32>(acc + ((<usize>(o * cpad + i)) << 2)));
  }
}

/** Pixels per block of the filter gradient (addresses in the table, dy rows in cache). */
const PB = 128;

/**
 * accᵀ rows o0..o0+3 (at acc, step rs bytes), 8 input channels += sum over the cnt pixels of the
 * table of dy[pixel, o0 + i] (at d, step dStride) * x[pixel, c0..c0+7] (at table entry + cOff).
 */
function dwTile(table: usize, cnt: i32, cOff: usize, d: usize, dStride: usize, acc: usize, rs: usize): void {
  let c00 = v128.load(acc), c01 = v128.load(acc, 16);
  let c10 = v128.load(acc + rs), c11 = v128.load(acc + rs, 16);
  let c20 = v128.load(acc + 2 * rs), c21 = v128.load(acc + 2 * rs, 16);
  let c30 = v128.load(acc + 3 * rs), c31 = v128.load(acc + 3 * rs, 16);
  let t = table;
  const end = table + ((<usize>cnt) << 2);
  while (t < end) {
    const p = <usize>load<u32>(t) + cOff;
    const x0 = v128.load(p);
    const x1 = v128.load(p, 16);
    { const a = v128.load32_splat(d); c00 = madd(a, x0, c00); c01 = madd(a, x1, c01); }
    { const a = v128.load32_splat(d + 4); c10 = madd(a, x0, c10); c11 = madd(a, x1, c11); }
    { const a = v128.load32_splat(d + 8); c20 = madd(a, x0, c20); c21 = madd(a, x1, c21); }
    { const a = v128.load32_splat(d + 12); c30 = madd(a, x0, c30); c31 = madd(a, x1, c31); }
    t += 4;
    d += dStride;
  }
  v128.store(acc, c00); v128.store(acc, c01, 16);
  v128.store(acc + rs, c10); v128.store(acc + rs, c11, 16);
  v128.store(acc + 2 * rs, c20); v128.store(acc + 2 * rs, c21, 16);
  v128.store(acc + 3 * rs, c30); v128.store(acc + 3 * rs, c31, 16);
}

export function convPointwiseTask(task: i32, args: usize, chunk: i32, scratch: usize): void {
  if (task == 130) forwardChunk(args, chunk, scratch);
  else if (task == 131) backInputChunk(args, chunk, scratch);
  else if (task == 132) filterGradChunk(args, chunk, scratch);
}
