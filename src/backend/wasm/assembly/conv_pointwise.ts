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
 * R rows of C (addresses at ptrs[R..2R)), all n columns: C row i = A row i (address ptrs[i], k
 * floats) · the packed panels bp, plus the padded bias (0: none), relu when act is ACT_RELU.
 * A panel narrower than 8 goes through tmp (R x 8 floats).
 */
function rows4(ptrs: usize, bp: usize, k: i32, n: i32, bias: usize, act: i32, tmp: usize): void {
  const a0 = <usize>load<u32>(ptrs), a1 = <usize>load<u32>(ptrs, 4), a2 = <usize>load<u32>(ptrs, 8), a3 = <usize>load<u32>(ptrs, 12);
  const kb = (<usize>k) << 2;
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
      let c = <usize>load<u32>(ptrs, 16) + off; v128.store(c, c00); v128.store(c, c01, 16);
      c = <usize>load<u32>(ptrs, 20) + off; v128.store(c, c10); v128.store(c, c11, 16);
      c = <usize>load<u32>(ptrs, 24) + off; v128.store(c, c20); v128.store(c, c21, 16);
      c = <usize>load<u32>(ptrs, 28) + off; v128.store(c, c30); v128.store(c, c31, 16);
    } else {
      v128.store(tmp, c00); v128.store(tmp, c01, 16); v128.store(tmp, c10, 32); v128.store(tmp, c11, 48);
      v128.store(tmp, c20, 64); v128.store(tmp, c21, 80); v128.store(tmp, c30, 96); v128.store(tmp, c31, 112);
      copyEdge(ptrs, 4, off, w, tmp);
    }
  }
}

/** The 6-row tile of the relaxed build (12 accumulators + 2 B + 1 A = 15 xmm), one k step a turn. */
function rows6(ptrs: usize, bp: usize, k: i32, n: i32, bias: usize, act: i32, tmp: usize): void {
  const a0 = <usize>load<u32>(ptrs), a1 = <usize>load<u32>(ptrs, 4), a2 = <usize>load<u32>(ptrs, 8);
  const a3 = <usize>load<u32>(ptrs, 12), a4 = <usize>load<u32>(ptrs, 16), a5 = <usize>load<u32>(ptrs, 20);
  const kb = (<usize>k) << 2;
  for (let j0 = 0; j0 < n; j0 += 8) {
    let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
    if (bias != 0) {
      c00 = v128.load(bias + ((<usize>j0) << 2));
      c01 = v128.load(bias + ((<usize>j0) << 2), 16);
    }
    let c10 = c00, c11 = c01, c20 = c00, c21 = c01, c30 = c00, c31 = c01, c40 = c00, c41 = c01, c50 = c00, c51 = c01;
    let o: usize = 0, bq = bp + (<usize>j0) * kb;
    // one offset for the six rows (six moving pointers would not fit the general registers);
    // each A value broadcast just before its two multiply-adds (gemm.ts tile6x8)
    while (o < kb) {
      const b0 = v128.load(bq);
      const b1 = v128.load(bq, 16);
      { const a = v128.load32_splat(a0 + o); c00 = madd(a, b0, c00); c01 = madd(a, b1, c01); }
      { const a = v128.load32_splat(a1 + o); c10 = madd(a, b0, c10); c11 = madd(a, b1, c11); }
      { const a = v128.load32_splat(a2 + o); c20 = madd(a, b0, c20); c21 = madd(a, b1, c21); }
      { const a = v128.load32_splat(a3 + o); c30 = madd(a, b0, c30); c31 = madd(a, b1, c31); }
      { const a = v128.load32_splat(a4 + o); c40 = madd(a, b0, c40); c41 = madd(a, b1, c41); }
      { const a = v128.load32_splat(a5 + o); c50 = madd(a, b0, c50); c51 = madd(a, b1, c51); }
      o += 4;
      bq += 32;
    }
    if (act == ACT_RELU) {
      const z = f32x4.splat(0);
      c00 = f32x4.max(c00, z); c01 = f32x4.max(c01, z); c10 = f32x4.max(c10, z); c11 = f32x4.max(c11, z);
      c20 = f32x4.max(c20, z); c21 = f32x4.max(c21, z); c30 = f32x4.max(c30, z); c31 = f32x4.max(c31, z);
      c40 = f32x4.max(c40, z); c41 = f32x4.max(c41, z); c50 = f32x4.max(c50, z); c51 = f32x4.max(c51, z);
    }
    const w = min(8, n - j0);
    const off = (<usize>j0) << 2;
    if (w == 8) {
      let c = <usize>load<u32>(ptrs, 24) + off; v128.store(c, c00); v128.store(c, c01, 16);
      c = <usize>load<u32>(ptrs, 28) + off; v128.store(c, c10); v128.store(c, c11, 16);
      c = <usize>load<u32>(ptrs, 32) + off; v128.store(c, c20); v128.store(c, c21, 16);
      c = <usize>load<u32>(ptrs, 36) + off; v128.store(c, c30); v128.store(c, c31, 16);
      c = <usize>load<u32>(ptrs, 40) + off; v128.store(c, c40); v128.store(c, c41, 16);
      c = <usize>load<u32>(ptrs, 44) + off; v128.store(c, c50); v128.store(c, c51, 16);
    } else {
      v128.store(tmp, c00); v128.store(tmp, c01, 16); v128.store(tmp, c10, 32); v128.store(tmp, c11, 48);
      v128.store(tmp, c20, 64); v128.store(tmp, c21, 80); v128.store(tmp, c30, 96); v128.store(tmp, c31, 112);
      v128.store(tmp, c40, 128); v128.store(tmp, c41, 144); v128.store(tmp, c50, 160); v128.store(tmp, c51, 176);
      copyEdge(ptrs, 6, off, w, tmp);
    }
  }
}

/** The first w columns of each of the rows tile rows at tmp (8 floats each) to C row i + off. */
function copyEdge(ptrs: usize, rows: i32, off: usize, w: i32, tmp: usize): void {
  for (let i = 0; i < rows; i++) {
    const c = <usize>load<u32>(ptrs + ((<usize>(rows + i)) << 2)) + off;
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
 * Output pixels q0..q1 through the R-row tile: stridedIsA (forward) reads A at the strided pixel
 * of `full` (zero row `none` outside the image) and writes C to flat rows; else (input gradient)
 * A is flat rows (dy) and C the strided pixel of `full` (dx; `none` a sink outside the image).
 * flatBytes: a flat row's bytes. Tile rows past q1 read `zero` and write `sink`.
 */
function pixelRange(args: usize, full: usize, flat: usize, flatBytes: usize, stridedIsA: bool, q0: i32, q1: i32,
                    bp: usize, k: i32, n: i32, bias: usize, act: i32, zero: usize, sink: usize, ptrs: usize, tmp: usize): void {
  const h = gw(args, 1), w = gw(args, 2), c = gw(args, 3), oh = gw(args, 4), ow = gw(args, 5);
  const sy = gw(args, 7), sx = gw(args, 8), padTop = gw(args, 9), padLeft = gw(args, 10);
  const pixBytes = (<usize>c) << 2, rowBytes = (<usize>w) * pixBytes;
  const none = stridedIsA ? zero : sink;
  const per = oh * ow;
  let b = q0 / per;
  const rem = q0 - b * per;
  let oy = rem / ow, ox = rem - oy * ow;
  let row = rowAddr(full, b, oy, h, rowBytes, sy, padTop);
  const sOff: usize = stridedIsA ? 0 : (<usize>R) << 2, fOff: usize = stridedIsA ? (<usize>R) << 2 : 0;
  for (let q = q0; q < q1; q += R) {
    for (let i = 0; i < R; i++) {
      let s = stridedIsA ? zero : sink, f = stridedIsA ? sink : zero;
      if (q + i < q1) {
        const ix = ox * sx - padLeft;
        s = row != 0 && ix >= 0 && ix < w ? row + (<usize>ix) * pixBytes : none;
        f = flat + (<usize>(q + i)) * flatBytes;
        if (++ox == ow) {
          ox = 0;
          if (++oy == oh) { oy = 0; b++; }
          row = rowAddr(full, b, oy, h, rowBytes, sy, padTop);
        }
      }
      store<u32>(ptrs + sOff + ((<usize>i) << 2), <u32>s);
      store<u32>(ptrs + fOff + ((<usize>i) << 2), <u32>f);
    }
    if (R == 6) rows6(ptrs, bp, k, n, bias, act, tmp);
    else rows4(ptrs, bp, k, n, bias, act, tmp);
  }
}

// scratch layout: ptrs (64 B) | tmp (256 B) | zero and sink (kpad floats each) | packed panels
@inline function scratchParts(scratch: usize, kpad: i32): usize {
  return scratch + 320 + (<usize>kpad << 3);
}

/** args: x w out bias act pixels per _ | g (11 words). Chunk t: output pixels t*per.. */
function forwardChunk(args: usize, chunk: i32, scratch: usize): void {
  const c = gw(args, 3), n = gw(args, 6);
  const pixels = arg(args, 5), per = arg(args, 6);
  const q0 = chunk * per, q1 = min(pixels, q0 + per);
  const npad = (n + 7) & ~7, kpad = max(c, npad);
  const zero = scratch + 320, sink = zero + ((<usize>kpad) << 2);
  memory.fill(zero, 0, (<usize>kpad) << 2);
  const bp = scratchParts(scratch, kpad);
  packPanels8(<usize>arg(args, 1), n, 1, c, n, bp);
  let bias = <usize>arg(args, 3);
  if (bias != 0) {
    const pb = bp + (<usize>(c * npad)) * 4;
    for (let j = 0; j < npad; j++) store<f32>(pb + ((<usize>j) << 2), j < n ? load<f32>(bias + ((<usize>j) << 2)) : 0);
    bias = pb;
  }
  pixelRange(args, <usize>arg(args, 0), <usize>arg(args, 2), (<usize>n) << 2, true, q0, q1, bp, c, n, bias,
    arg(args, 4), zero, sink, scratch, scratch + 64);
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
  const pixBytes = (<usize>c) << 2, rowBytes = (<usize>w) * pixBytes;
  for (let r = r0; r < r1; r++) {
    const b = r / oh, oy = r - b * oh;
    const sampled = oy * sy - padTop;
    const lo = oy == 0 ? 0 : max(0, sampled), hi = oy == oh - 1 ? h : min(h, sampled + sy);
    for (let iy = lo; iy < hi; iy++) {
      const row = dx + (<usize>(b * h + iy)) * rowBytes;
      if (iy != sampled) {
        memory.fill(row, 0, rowBytes);
        continue;
      }
      // the pixels between (and beyond) the sampled ones
      for (let ix = 0; ix < w; ix++) {
        const t = ix + padLeft, ox = t / sx;
        if (t - ox * sx == 0 && ox < ow) continue;
        memory.fill(row + (<usize>ix) * pixBytes, 0, pixBytes);
      }
    }
  }
  const cpad = (c + 7) & ~7, kpad = max(n, cpad);
  const zero = scratch + 320, sink = zero + ((<usize>kpad) << 2);
  memory.fill(zero, 0, (<usize>kpad) << 2);
  const bp = scratchParts(scratch, kpad);
  // B = Wᵀ [n, c]: element (o, i) at W[i * n + o]
  packPanels8(<usize>arg(args, 1), 1, n, n, c, bp);
  pixelRange(args, dx, <usize>arg(args, 0), (<usize>n) << 2, false, r0 * ow, r1 * ow, bp, n, c, 0, 0, zero, sink,
    scratch, scratch + 64);
}

/**
 * args: x dy partials pixels per partialFloats _ _ | g. Chunk t: pixels t*per.. summed into
 * partial t (c x n floats at partials + t * partialFloats), overwritten.
 */
function filterGradChunk(args: usize, chunk: i32, scratch: usize): void {
  const h = gw(args, 1), w = gw(args, 2), c = gw(args, 3), oh = gw(args, 4), ow = gw(args, 5), n = gw(args, 6);
  const sy = gw(args, 7), sx = gw(args, 8), padTop = gw(args, 9), padLeft = gw(args, 10);
  const x = <usize>arg(args, 0), dy = <usize>arg(args, 1);
  const pixels = arg(args, 3), per = arg(args, 4);
  const q0 = chunk * per, q1 = min(pixels, q0 + per);
  const out = <usize>arg(args, 2) + (<usize>chunk) * (<usize>arg(args, 5)) * 4;
  const npad = (n + 7) & ~7, cpad = (c + 3) & ~3;
  const pixBytes = (<usize>c) << 2, rowBytes = (<usize>w) * pixBytes;
  // scratch: zero pixel (c floats) | table (PB addresses) | acc [cpad][npad] | padded dy block
  const zero = scratch;
  memory.fill(zero, 0, pixBytes);
  const table = zero + ((pixBytes + 15) & ~15);
  const acc = table + PB * 4;
  const accBytes = (<usize>(cpad * npad)) << 2;
  memory.fill(acc, 0, accBytes);
  const padded = acc + accBytes;
  const perImage = oh * ow;
  let b = q0 / perImage;
  const rem = q0 - b * perImage;
  let oy = rem / ow, ox = rem - oy * ow;
  let row = rowAddr(x, b, oy, h, rowBytes, sy, padTop);
  for (let q = q0; q < q1; q += PB) {
    const cnt = min(PB, q1 - q);
    for (let i = 0; i < cnt; i++) {
      const ix = ox * sx - padLeft;
      store<u32>(table + ((<usize>i) << 2), <u32>(row != 0 && ix >= 0 && ix < w ? row + (<usize>ix) * pixBytes : zero));
      if (++ox == ow) {
        ox = 0;
        if (++oy == oh) { oy = 0; b++; }
        row = rowAddr(x, b, oy, h, rowBytes, sy, padTop);
      }
    }
    let d = dy + (<usize>q) * (<usize>n) * 4, dStride = (<usize>n) << 2;
    if (n != npad) {
      // a row of dy narrower than the panels: copy the block with rows of npad floats, zero-padded
      for (let i = 0; i < cnt; i++) {
        const src = d + (<usize>i) * dStride, dst = padded + (<usize>(i * npad)) * 4;
        for (let j = 0; j < npad; j++) store<f32>(dst + ((<usize>j) << 2), j < n ? load<f32>(src + ((<usize>j) << 2)) : 0);
      }
      d = padded;
      dStride = (<usize>npad) << 2;
    }
    for (let c0 = 0; c0 < c; c0 += 4) {
      for (let j0 = 0; j0 < npad; j0 += 8) {
        dwTile(table, cnt, d + ((<usize>j0) << 2), dStride, c0, c, acc + ((<usize>(c0 * npad + j0)) << 2), npad);
      }
    }
  }
  for (let i = 0; i < c; i++) memory.copy(out + (<usize>(i * n)) * 4, acc + (<usize>(i * npad)) * 4, (<usize>n) << 2);
}

/** Pixels per block of the filter gradient (addresses in the table, dy rows in cache). */
const PB = 128;

/**
 * acc rows c0..c0+3 (row stride npad floats), 8 columns, += sum over the cnt pixels of the table
 * of x[pixel, c0 + i] * dy row (at d, step dStride). Rows past c read channel c - 1 and are not
 * stored.
 */
function dwTile(table: usize, cnt: i32, d: usize, dStride: usize, c0: i32, c: i32, acc: usize, npad: i32): void {
  const rs = (<usize>npad) << 2;
  const o0 = (<usize>c0) << 2, o1 = (<usize>min(c0 + 1, c - 1)) << 2;
  const o2 = (<usize>min(c0 + 2, c - 1)) << 2, o3 = (<usize>min(c0 + 3, c - 1)) << 2;
  let c00 = v128.load(acc), c01 = v128.load(acc, 16);
  let c10 = v128.load(acc + rs), c11 = v128.load(acc + rs, 16);
  let c20 = v128.load(acc + 2 * rs), c21 = v128.load(acc + 2 * rs, 16);
  let c30 = v128.load(acc + 3 * rs), c31 = v128.load(acc + 3 * rs, 16);
  let t = table;
  const end = table + ((<usize>cnt) << 2);
  while (t < end) {
    const p = <usize>load<u32>(t);
    const b0 = v128.load(d);
    const b1 = v128.load(d, 16);
    { const a = v128.load32_splat(p + o0); c00 = madd(a, b0, c00); c01 = madd(a, b1, c01); }
    { const a = v128.load32_splat(p + o1); c10 = madd(a, b0, c10); c11 = madd(a, b1, c11); }
    { const a = v128.load32_splat(p + o2); c20 = madd(a, b0, c20); c21 = madd(a, b1, c21); }
    { const a = v128.load32_splat(p + o3); c30 = madd(a, b0, c30); c31 = madd(a, b1, c31); }
    t += 4;
    d += dStride;
  }
  v128.store(acc, c00); v128.store(acc, c01, 16);
  if (c0 + 1 < c) { v128.store(acc + rs, c10); v128.store(acc + rs, c11, 16); }
  if (c0 + 2 < c) { v128.store(acc + 2 * rs, c20); v128.store(acc + 2 * rs, c21, 16); }
  if (c0 + 3 < c) { v128.store(acc + 3 * rs, c30); v128.store(acc + 3 * rs, c31, 16); }
}

export function convPointwiseTask(task: i32, args: usize, chunk: i32, scratch: usize): void {
  if (task == 130) forwardChunk(args, chunk, scratch);
  else if (task == 131) backInputChunk(args, chunk, scratch);
  else if (task == 132) filterGradChunk(args, chunk, scratch);
}
