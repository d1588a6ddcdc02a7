// First conv layer filter gradient area (issue 18, task 127): the filter gradient of a short
// window (K <= 64) with a multiple of 8 output channels, reading x and dy in place, no packing.
//
// dW[p, o] = sum over output pixels q of x[window of q at p] * dy[q, o]. With dilation 1 the
// fw * c filter rows p of one window row are a run of contiguous floats of the NHWC input (a
// 3x3x3 window: three runs of 9; else each tap's c channels are a run), so a tile's taps come
// from runs: 4 side by side are broadcast from one moving x pointer at immediate offsets (plain;
// the relaxed build loads them as one vector and splits it by lane shuffles, with a fifth tap
// for 10 FMA chains), and the taps left at the runs' ends are pooled into groups at runtime
// offsets (the last group as a tile of its own size, no padding taps). dy's row q is outC contiguous
// floats: a tile reads its 8 columns in place (the kernel before, conv_filter_grad.ts, copied dy
// into 8-column panels first: one more pass over 8 MB for the CIFAR layer, and a row table
// lookup and four address adds per pixel). Each tile walks its pixels with two pointers (x +=
// sw * c floats, dy += outC floats), moving x to the next padded row at an output row's end, and
// keeps its accumulators across the rows of a block of pixels (1024 by default), adding them to
// the chunk's partial once per block; the block's dy stays in L2 while the groups x panels tiles
// re-read it. Each accumulator takes its pixels in order: the result depends only on the chunks
// the host makes, as with the kernel before. Measured (load 5-8, 1 thread, per CPU second, % of
// the GEMM 512^3 in the same process) on the CIFAR 3->32 layer: plain 67% -> 92%, relaxed 61% ->
// 85% (docs/performance.md, first conv layer filter gradient area).
import { madd } from './fma';
import { IN_C, OUT_H, OUT_W, OUT_C, FH, FW, SH, SW, DH, DW, gi, off } from './conv_geometry';

/** i32 words per group in the table: kind, base offset (bytes), 6 offsets from it, 6 filter rows (-1: none) */
const WORDS: i32 = 16;
/** 4 taps side by side in x (4x8 tile, broadcasts at immediate offsets) */
const C4 = 0;
/**
 * The relaxed build's 5x8 tile: 4 taps side by side and one more at a runtime offset (10 FMA
 * chains keep two FMA pipes of latency 5 busy, where 8 leave them a fifth idle)
 */
const Q5 = 1;
/** 4 taps at runtime offsets from the base: the ends of runs pooled (4x8 tile) */
const S4 = 2;
/** the last taps, two at a time, even and odd pixels into their own sums (8 chains over two pixels) */
const P2 = 3;
/** the plain build's last 3 pooled taps (3x8 tile) */
const S3 = 4;

/** Bytes of scratch the group table and the relaxed build's lists of runs' pieces need. */
export const RUNS_TABLE_BYTES: i32 = 64 * WORDS * 4 + 2 * 64 * 8;

/** A group at entry n of the table: kind, x offset o (bytes), offsets 0 4 8 .. (0 for S4), filter rows p .. p + count (the rest -1). */
function setGroup(table: usize, n: i32, kind: i32, o: i32, p: i32, count: i32): usize {
  const e = table + off(n * WORDS);
  store<i32>(e, kind);
  store<i32>(e, o, 4);
  for (let u = 0; u < 6; u++) {
    store<i32>(e + off(2 + u), kind == S4 || kind == P2 ? 0 : u << 2);
    store<i32>(e + off(8 + u), u < count ? p + u : -1);
  }
  return e;
}

/**
 * Runs of taps side by side in x: a window row (dilation 1 in x: fw * c floats) or one tap's c
 * channels (else). Run r's x offset (bytes) and first filter row are computed by runStart.
 */
@inline function runCount(g: usize): i32 {
  return gi(g, DW) == 1 ? gi(g, FH) : gi(g, FH) * gi(g, FW);
}
@inline function runLength(g: usize): i32 {
  return gi(g, DW) == 1 ? gi(g, FW) * gi(g, IN_C) : gi(g, IN_C);
}
/** run r's x offset in bytes (high 32 bits: its first filter row) */
@inline function runStart(g: usize, wp: i32, r: i32): i64 {
  const c = gi(g, IN_C), fw = gi(g, FW);
  const rowRun = gi(g, DW) == 1;
  const fy = rowRun ? r : r / fw, fx = rowRun ? 0 : r - fy * fw;
  const o = ((fy * gi(g, DH) * wp + fx * gi(g, DW)) * c) << 2, p = (fy * fw + fx) * c;
  return (<i64>p << 32) | <i64>(<u32>o);
}

/**
 * The plain build's groups of taps into the table at `table`; returns their count. Each run cut
 * into C4 groups, the rest pooled 4 at a time (S4; a pooled group's unused taps read its first
 * tap and are not added anywhere).
 */
function buildGroups(g: usize, wp: i32, table: usize): i32 {
  const runs = runCount(g), len = runLength(g);
  let n = 0, pooled = 0;
  let cur: usize = 0;
  for (let r = 0; r < runs; r++) {
    const start = runStart(g, wp, r);
    const o = <i32>start, p = <i32>(start >> 32);
    let i = 0;
    for (; i + 4 <= len; i += 4) setGroup(table, n++, C4, o + (i << 2), p + i, 4);
    for (; i < len; i++) {
      if (pooled == 0) cur = setGroup(table, n++, S4, o + (i << 2), 0, 0);
      store<i32>(cur + off(2 + pooled), o + (i << 2) - load<i32>(cur, 4));
      store<i32>(cur + off(8 + pooled), p + i);
      if (++pooled == 4) pooled = 0;
    }
  }
  // a last pooled group of 1-3 taps: a tile of its size instead of 4 with padding (3x3x3's three
  // row ends: 3 multiply-add pairs a pixel instead of 4; 5x5x1's fifth single: 1 instead of 4)
  if (pooled == 3) store<i32>(cur, S3);
  else if (pooled > 0) store<i32>(cur, P2);
  return n;
}

/**
 * The relaxed build's groups: the runs cut into quads and single taps; a quad with a single
 * makes a Q5 (a 3x3x3 window's three rows of 9: 6 quads and 3 singles; one quad split into
 * singles gives 5 Q5 and a P2 for the 2 taps left, 27.5 FMA-pipe cycles a pixel and panel where
 * Q5 + C4 per row took 30); quads left over go to C4, singles to P2.
 */
function buildGroupsRelaxed(g: usize, wp: i32, table: usize): i32 {
  const runs = runCount(g), len = runLength(g);
  const quads = table + off(64 * WORDS), singles = quads + 64 * 8;
  let nq = 0, ns = 0;
  for (let r = 0; r < runs; r++) {
    const start = runStart(g, wp, r);
    const o = <i32>start, p = <i32>(start >> 32);
    let i = 0;
    for (; i + 4 <= len; i += 4, nq++) {
      store<i32>(quads + off(2 * nq), o + (i << 2));
      store<i32>(quads + off(2 * nq + 1), p + i);
    }
    for (; i < len; i++, ns++) {
      store<i32>(singles + off(2 * ns), o + (i << 2));
      store<i32>(singles + off(2 * ns + 1), p + i);
    }
  }
  // split quads (the last ones) into singles while that makes more quad-single pairs
  while (nq > 1 && min(nq - 1, ns + 4) > min(nq, ns)) {
    nq--;
    for (let u = 0; u < 4; u++, ns++) {
      store<i32>(singles + off(2 * ns), load<i32>(quads + off(2 * nq)) + (u << 2));
      store<i32>(singles + off(2 * ns + 1), load<i32>(quads + off(2 * nq + 1)) + u);
    }
  }
  const pairs = min(nq, ns);
  let n = 0;
  for (let i = 0; i < nq; i++) {
    const o = load<i32>(quads + off(2 * i)), p = load<i32>(quads + off(2 * i + 1));
    const e = setGroup(table, n++, i < pairs ? Q5 : C4, o, p, 4);
    if (i < pairs) {
      store<i32>(e, load<i32>(singles + off(2 * i)) - o, 24);
      store<i32>(e, load<i32>(singles + off(2 * i + 1)), 48);
    }
  }
  for (let i = pairs; i < ns; i += 2) {
    const o = load<i32>(singles + off(2 * i));
    const e = setGroup(table, n++, P2, o, load<i32>(singles + off(2 * i + 1)), 1);
    if (i + 1 < ns) {
      store<i32>(e, load<i32>(singles + off(2 * i + 2)) - o, 12);
      store<i32>(e, load<i32>(singles + off(2 * i + 3)), 36);
    }
  }
  return n;
}

/** partial[p, j0 .. j0 + 8] += (v0, v1), p >= 0 (-1: a padding tap of a pooled group) */
@inline function flush(partial: usize, p: i32, outC: i32, j0: i32, v0: v128, v1: v128): void {
  if (p < 0) return;
  const dst = partial + off(p * outC + j0);
  v128.store(dst, f32x4.add(v0, v128.load(dst)));
  v128.store(dst, f32x4.add(v1, v128.load(dst, 16)), 16);
}

/**
 * partial[.., outC] += the filter gradient over output pixels q0 .. q1 (flat over (image, oy,
 * ox)), from the padded input xp [batch, hp, wp, c] and dy [pixels, outC], `block` pixels at a
 * time. outC a multiple of 8 (the host takes up to 64); K <= 64.
 */
export function convBackFilterRuns(g: usize, xp: usize, hp: i32, wp: i32, dy: usize, partial: usize,
                                   q0: i32, q1: i32, block: i32, scratch: usize): void {
  const outC = gi(g, OUT_C);
  const groups = ASC_FEATURE_RELAXED_SIMD ? buildGroupsRelaxed(g, wp, scratch) : buildGroups(g, wp, scratch);
  for (let qb = q0; qb < q1; qb += block) {
    const n = min(block, q1 - qb);
    for (let j0 = 0; j0 < outC; j0 += 8) {
      for (let gq = 0; gq < groups; gq++) {
        const e = scratch + off(gq * WORDS);
        const kind = load<i32>(e);
        if (kind == C4) tile4Contiguous(g, xp, hp, wp, dy, partial, qb, n, j0, e);
        else if (kind == S4) tile4Scattered(g, xp, hp, wp, dy, partial, qb, n, j0, e);
        else if (ASC_FEATURE_RELAXED_SIMD && kind == Q5) tile5(g, xp, hp, wp, dy, partial, qb, n, j0, e);
        else if (kind == S3) tile3Scattered(g, xp, hp, wp, dy, partial, qb, n, j0, e);
        else tile2Split(g, xp, hp, wp, dy, partial, qb, n, j0, e);
      }
    }
  }
}

// The tiles below share their walk: `left` pixels from q, an output row's pixels at a time
// (seg), x's pointer moved to the next padded row at each row's end, dy's pointer running on.
// Each is a function of its own so that V8 allocates its accumulators alone (see gemm.ts
// tile6x8).

function tile4Contiguous(g: usize, xp: usize, hp: i32, wp: i32, dy: usize, partial: usize,
                         q: i32, left: i32, j0: i32, e: usize): void {
  const c = gi(g, IN_C), oh = gi(g, OUT_H), ow = gi(g, OUT_W), outC = gi(g, OUT_C), sh = gi(g, SH), sw = gi(g, SW);
  const xs = off(sw * c), ds = off(outC), o = <usize>load<i32>(e, 4);
  let dyp = dy + off(q * outC + j0);
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  // x at the start of q's output row (+ the group's offset) and at q; per row after it a few
  // scalar steps (divisions per row measured as much as a third of a 32-pixel row's products)
  const t = q / ow, b = t / oh;
  let oy = t - b * oh, seg = min(ow - (q - t * ow), left);
  let xrow = xp + off((b * hp + oy * sh) * wp * c) + o;
  let ap = xrow + xs * <usize>(q - t * ow);
  const rowStep = off(sh * wp * c), imageStep = off((hp - oh * sh) * wp * c);
  while (true) {
    const end = ap + xs * <usize>seg;
    // two pixels a turn with the exit test between them (gemm.ts tile4x8)
    while (true) {
      let b0 = v128.load(dyp);
      let b1 = v128.load(dyp, 16);
      let a = v128.load32_splat(ap);
      c00 = madd(a, b0, c00);
      c01 = madd(a, b1, c01);
      a = v128.load32_splat(ap, 4);
      c10 = madd(a, b0, c10);
      c11 = madd(a, b1, c11);
      a = v128.load32_splat(ap, 8);
      c20 = madd(a, b0, c20);
      c21 = madd(a, b1, c21);
      a = v128.load32_splat(ap, 12);
      c30 = madd(a, b0, c30);
      c31 = madd(a, b1, c31);
      ap += xs;
      dyp += ds;
      if (ap >= end) break;
      b0 = v128.load(dyp);
      b1 = v128.load(dyp, 16);
      a = v128.load32_splat(ap);
      c00 = madd(a, b0, c00);
      c01 = madd(a, b1, c01);
      a = v128.load32_splat(ap, 4);
      c10 = madd(a, b0, c10);
      c11 = madd(a, b1, c11);
      a = v128.load32_splat(ap, 8);
      c20 = madd(a, b0, c20);
      c21 = madd(a, b1, c21);
      a = v128.load32_splat(ap, 12);
      c30 = madd(a, b0, c30);
      c31 = madd(a, b1, c31);
      ap += xs;
      dyp += ds;
      if (ap >= end) break;
    }
    left -= seg;
    if (left <= 0) break;
    xrow += rowStep;
    if (++oy == oh) {
      oy = 0;
      xrow += imageStep;
    }
    ap = xrow;
    seg = min(ow, left);
  }
  flush(partial, load<i32>(e, 32), outC, j0, c00, c01);
  flush(partial, load<i32>(e, 36), outC, j0, c10, c11);
  flush(partial, load<i32>(e, 40), outC, j0, c20, c21);
  flush(partial, load<i32>(e, 44), outC, j0, c30, c31);
}

function tile4Scattered(g: usize, xp: usize, hp: i32, wp: i32, dy: usize, partial: usize,
                        q: i32, left: i32, j0: i32, e: usize): void {
  const c = gi(g, IN_C), oh = gi(g, OUT_H), ow = gi(g, OUT_W), outC = gi(g, OUT_C), sh = gi(g, SH), sw = gi(g, SW);
  const xs = off(sw * c), ds = off(outC), o = <usize>load<i32>(e, 4);
  const o1 = <usize>load<i32>(e, 12), o2 = <usize>load<i32>(e, 16), o3 = <usize>load<i32>(e, 20);
  let dyp = dy + off(q * outC + j0);
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  // x at the start of q's output row (+ the group's offset) and at q; per row after it a few
  // scalar steps (divisions per row measured as much as a third of a 32-pixel row's products)
  const t = q / ow, b = t / oh;
  let oy = t - b * oh, seg = min(ow - (q - t * ow), left);
  let xrow = xp + off((b * hp + oy * sh) * wp * c) + o;
  let ap = xrow + xs * <usize>(q - t * ow);
  const rowStep = off(sh * wp * c), imageStep = off((hp - oh * sh) * wp * c);
  while (true) {
    const end = ap + xs * <usize>seg;
    while (true) {
      let b0 = v128.load(dyp);
      let b1 = v128.load(dyp, 16);
      let a = v128.load32_splat(ap);
      c00 = madd(a, b0, c00);
      c01 = madd(a, b1, c01);
      a = v128.load32_splat(ap + o1);
      c10 = madd(a, b0, c10);
      c11 = madd(a, b1, c11);
      a = v128.load32_splat(ap + o2);
      c20 = madd(a, b0, c20);
      c21 = madd(a, b1, c21);
      a = v128.load32_splat(ap + o3);
      c30 = madd(a, b0, c30);
      c31 = madd(a, b1, c31);
      ap += xs;
      dyp += ds;
      if (ap >= end) break;
      b0 = v128.load(dyp);
      b1 = v128.load(dyp, 16);
      a = v128.load32_splat(ap);
      c00 = madd(a, b0, c00);
      c01 = madd(a, b1, c01);
      a = v128.load32_splat(ap + o1);
      c10 = madd(a, b0, c10);
      c11 = madd(a, b1, c11);
      a = v128.load32_splat(ap + o2);
      c20 = madd(a, b0, c20);
      c21 = madd(a, b1, c21);
      a = v128.load32_splat(ap + o3);
      c30 = madd(a, b0, c30);
      c31 = madd(a, b1, c31);
      ap += xs;
      dyp += ds;
      if (ap >= end) break;
    }
    left -= seg;
    if (left <= 0) break;
    xrow += rowStep;
    if (++oy == oh) {
      oy = 0;
      xrow += imageStep;
    }
    ap = xrow;
    seg = min(ow, left);
  }
  flush(partial, load<i32>(e, 32), outC, j0, c00, c01);
  flush(partial, load<i32>(e, 36), outC, j0, c10, c11);
  flush(partial, load<i32>(e, 40), outC, j0, c20, c21);
  flush(partial, load<i32>(e, 44), outC, j0, c30, c31);
}

function tile3Scattered(g: usize, xp: usize, hp: i32, wp: i32, dy: usize, partial: usize,
                        q: i32, left: i32, j0: i32, e: usize): void {
  const c = gi(g, IN_C), oh = gi(g, OUT_H), ow = gi(g, OUT_W), outC = gi(g, OUT_C), sh = gi(g, SH), sw = gi(g, SW);
  const xs = off(sw * c), ds = off(outC), o = <usize>load<i32>(e, 4);
  const o1 = <usize>load<i32>(e, 12), o2 = <usize>load<i32>(e, 16);
  let dyp = dy + off(q * outC + j0);
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  // x at the start of q's output row (+ the group's offset) and at q; per row after it a few
  // scalar steps (divisions per row measured as much as a third of a 32-pixel row's products)
  const t = q / ow, b = t / oh;
  let oy = t - b * oh, seg = min(ow - (q - t * ow), left);
  let xrow = xp + off((b * hp + oy * sh) * wp * c) + o;
  let ap = xrow + xs * <usize>(q - t * ow);
  const rowStep = off(sh * wp * c), imageStep = off((hp - oh * sh) * wp * c);
  while (true) {
    const end = ap + xs * <usize>seg;
    while (true) {
      let b0 = v128.load(dyp);
      let b1 = v128.load(dyp, 16);
      let a = v128.load32_splat(ap);
      c00 = madd(a, b0, c00);
      c01 = madd(a, b1, c01);
      a = v128.load32_splat(ap + o1);
      c10 = madd(a, b0, c10);
      c11 = madd(a, b1, c11);
      a = v128.load32_splat(ap + o2);
      c20 = madd(a, b0, c20);
      c21 = madd(a, b1, c21);
      ap += xs;
      dyp += ds;
      if (ap >= end) break;
      b0 = v128.load(dyp);
      b1 = v128.load(dyp, 16);
      a = v128.load32_splat(ap);
      c00 = madd(a, b0, c00);
      c01 = madd(a, b1, c01);
      a = v128.load32_splat(ap + o1);
      c10 = madd(a, b0, c10);
      c11 = madd(a, b1, c11);
      a = v128.load32_splat(ap + o2);
      c20 = madd(a, b0, c20);
      c21 = madd(a, b1, c21);
      ap += xs;
      dyp += ds;
      if (ap >= end) break;
    }
    left -= seg;
    if (left <= 0) break;
    xrow += rowStep;
    if (++oy == oh) {
      oy = 0;
      xrow += imageStep;
    }
    ap = xrow;
    seg = min(ow, left);
  }
  flush(partial, load<i32>(e, 32), outC, j0, c00, c01);
  flush(partial, load<i32>(e, 36), outC, j0, c10, c11);
  flush(partial, load<i32>(e, 40), outC, j0, c20, c21);
}

// The relaxed build's 5x8 tile: 10 FMA chains, enough for two FMA pipes of latency 5. A 6x8 one
// (12 chains, as the GEMM's) measured slower here: V8 moved its six broadcasts ahead of the
// multiply-adds (12 + 2 + 6 registers) and spilled four accumulators on every pixel, whatever
// the source order and loop form. Here four taps come from one vector load and lane shuffles,
// which V8 places beside their use: 10 accumulators + 2 dy + 2 x + 1 = 15 xmm.
function tile5(g: usize, xp: usize, hp: i32, wp: i32, dy: usize, partial: usize,
                         q: i32, left: i32, j0: i32, e: usize): void {
  const c = gi(g, IN_C), oh = gi(g, OUT_H), ow = gi(g, OUT_W), outC = gi(g, OUT_C), sh = gi(g, SH), sw = gi(g, SW);
  const xs = off(sw * c), ds = off(outC), o = <usize>load<i32>(e, 4), o4 = <usize>load<i32>(e, 24);
  let dyp = dy + off(q * outC + j0);
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  let c40 = f32x4.splat(0), c41 = f32x4.splat(0);
  const t = q / ow, b = t / oh;
  let oy = t - b * oh, seg = min(ow - (q - t * ow), left);
  let xrow = xp + off((b * hp + oy * sh) * wp * c) + o;
  let ap = xrow + xs * <usize>(q - t * ow);
  const rowStep = off(sh * wp * c), imageStep = off((hp - oh * sh) * wp * c);
  while (true) {
    const end = ap + xs * <usize>seg;
    while (ap < end) {
      const v = v128.load(ap);
      const b0 = v128.load(dyp);
      const b1 = v128.load(dyp, 16);
      { const a = v128.shuffle<f32>(v, v, 0, 0, 0, 0); c00 = madd(a, b0, c00); c01 = madd(a, b1, c01); }
      { const a = v128.shuffle<f32>(v, v, 1, 1, 1, 1); c10 = madd(a, b0, c10); c11 = madd(a, b1, c11); }
      { const a = v128.shuffle<f32>(v, v, 2, 2, 2, 2); c20 = madd(a, b0, c20); c21 = madd(a, b1, c21); }
      { const a = v128.shuffle<f32>(v, v, 3, 3, 3, 3); c30 = madd(a, b0, c30); c31 = madd(a, b1, c31); }
      { const a = v128.load32_splat(ap + o4); c40 = madd(a, b0, c40); c41 = madd(a, b1, c41); }
      ap += xs;
      dyp += ds;
    }
    left -= seg;
    if (left <= 0) break;
    xrow += rowStep;
    if (++oy == oh) {
      oy = 0;
      xrow += imageStep;
    }
    ap = xrow;
    seg = min(ow, left);
  }
  flush(partial, load<i32>(e, 32), outC, j0, c00, c01);
  flush(partial, load<i32>(e, 36), outC, j0, c10, c11);
  flush(partial, load<i32>(e, 40), outC, j0, c20, c21);
  flush(partial, load<i32>(e, 44), outC, j0, c30, c31);
  flush(partial, load<i32>(e, 48), outC, j0, c40, c41);
}

function tile2Split(g: usize, xp: usize, hp: i32, wp: i32, dy: usize, partial: usize,
                    q: i32, left: i32, j0: i32, e: usize): void {
  const c = gi(g, IN_C), oh = gi(g, OUT_H), ow = gi(g, OUT_W), outC = gi(g, OUT_C), sh = gi(g, SH), sw = gi(g, SW);
  const xs = off(sw * c), ds = off(outC), o = <usize>load<i32>(e, 4), o1 = <usize>load<i32>(e, 12);
  let dyp = dy + off(q * outC + j0);
  let e00 = f32x4.splat(0), e01 = f32x4.splat(0), e10 = f32x4.splat(0), e11 = f32x4.splat(0);
  let d00 = f32x4.splat(0), d01 = f32x4.splat(0), d10 = f32x4.splat(0), d11 = f32x4.splat(0);
  const t = q / ow, b = t / oh;
  let oy = t - b * oh, seg = min(ow - (q - t * ow), left);
  let xrow = xp + off((b * hp + oy * sh) * wp * c) + o;
  let ap = xrow + xs * <usize>(q - t * ow);
  const rowStep = off(sh * wp * c), imageStep = off((hp - oh * sh) * wp * c);
  while (true) {
    const end = ap + xs * <usize>seg;
    while (true) {
      let b0 = v128.load(dyp);
      let b1 = v128.load(dyp, 16);
      let a = v128.load32_splat(ap);
      e00 = madd(a, b0, e00);
      e01 = madd(a, b1, e01);
      a = v128.load32_splat(ap + o1);
      e10 = madd(a, b0, e10);
      e11 = madd(a, b1, e11);
      ap += xs;
      dyp += ds;
      if (ap >= end) break;
      b0 = v128.load(dyp);
      b1 = v128.load(dyp, 16);
      a = v128.load32_splat(ap);
      d00 = madd(a, b0, d00);
      d01 = madd(a, b1, d01);
      a = v128.load32_splat(ap + o1);
      d10 = madd(a, b0, d10);
      d11 = madd(a, b1, d11);
      ap += xs;
      dyp += ds;
      if (ap >= end) break;
    }
    left -= seg;
    if (left <= 0) break;
    xrow += rowStep;
    if (++oy == oh) {
      oy = 0;
      xrow += imageStep;
    }
    ap = xrow;
    seg = min(ow, left);
  }
  flush(partial, load<i32>(e, 32), outC, j0, f32x4.add(e00, d00), f32x4.add(e01, d01));
  flush(partial, load<i32>(e, 36), outC, j0, f32x4.add(e10, d10), f32x4.add(e11, d11));
}
