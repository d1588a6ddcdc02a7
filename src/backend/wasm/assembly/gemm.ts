// Matrix multiply for the wasm backend, f32, 128-bit SIMD.
//
// C[i, j] (+)= sum_p A[i, p] * B[p, j], each operand addressed by a row and a column stride so
// that transposed operands need no copy: packing reads them in whatever order they lie. Blocks
// of B (KC x NR panels) and A (MR x KC panels) are packed into per-thread scratch, then an
// MR x 8 register tile runs over them.
//
// The tile's height depends on the build (measured, V8 12 in Node 20 on this project's AMD EPYC;
// docs/performance.md, "The GEMM's ceiling"). The fused build (relaxed SIMD) keeps one
// vfmadd231ps per accumulator per step; the FMA has a latency of 5 cycles and 2 issue per cycle,
// so at least 10 independent accumulators are needed to keep both FMA pipes busy: 4x8 (8
// accumulators) tops out at 8/10 of the peak and measured ~75% of it, 6x8 (12 accumulators, 2 B
// + 1 broadcast A register: 15 xmm, all that V8 allocates, no spill) ~90%. The plain build does a
// vmulps into a temporary then a vaddps, so 6x8 would need 16 registers and V8 spills
// accumulators to the stack on every step; its 4x8 loop (8 + 2 + 1 + 1 = 12 registers) is bound
// by instructions per cycle rather than by latency, and no larger tile measured faster.

import { madd, maddf } from './fma';

/** rows of the register tile: 6 in the fused (relaxed SIMD) build, 4 in the plain one */
export const MR: i32 = ASC_FEATURE_RELAXED_SIMD ? 6 : 4;
export const NR: i32 = 8;
export const KC: i32 = 256;
export const MC: i32 = 120;
/** widest block of columns one call may take (the caller splits wider ones) */
export const NC_MAX: i32 = 512;

/** scratch bytes one gemmBlock call needs */
export const GEMM_SCRATCH: i32 = (KC * NC_MAX + MC * KC + MR * NR) * 4;

export const ACT_NONE: i32 = 0;
export const ACT_RELU: i32 = 1;

@inline function at(base: usize, i: i32, j: i32, rs: i32, cs: i32): usize {
  return base + ((<usize>(i * rs + j * cs)) << 2);
}

function packA(a: usize, rs: i32, cs: i32, i0: i32, mc: i32, p0: i32, kc: i32, dst: usize): void {
  for (let ir = 0; ir < mc; ir += MR) {
    const rows = min(MR, mc - ir);
    if (rows == MR && rs == 1) {
      // a transposed A (the filter gradient X^T dY): the tile's rows lie side by side
      let src = at(a, i0 + ir, p0, 1, cs);
      const step = (<usize>cs) << 2;
      for (let p = 0; p < kc; p++) {
        v128.store(dst, v128.load(src));
        if (MR == 6) store<u64>(dst, load<u64>(src, 16), 16);
        src += step;
        dst += MR * 4;
      }
    } else if (rows == MR && cs == 1) {
      // rows in place: 4 values of each row, turned into 4 steps of the panel
      const src = at(a, i0 + ir, p0, rs, 1);
      const step = (<usize>rs) << 2;
      let p = 0;
      for (; p + 4 <= kc; p += 4) {
        const o = (<usize>p) << 2;
        const r0 = v128.load(src + o), r1 = v128.load(src + step + o);
        const r2 = v128.load(src + 2 * step + o), r3 = v128.load(src + 3 * step + o);
        const t0 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5), t1 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5);
        const t2 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7), t3 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
        v128.store(dst, v128.shuffle<f32>(t0, t1, 0, 1, 4, 5));
        v128.store(dst, v128.shuffle<f32>(t0, t1, 2, 3, 6, 7), MR * 4);
        v128.store(dst, v128.shuffle<f32>(t2, t3, 0, 1, 4, 5), MR * 8);
        v128.store(dst, v128.shuffle<f32>(t2, t3, 2, 3, 6, 7), MR * 12);
        if (MR == 6) {
          // rows 4 and 5 as pairs (row 4, row 5) of each step
          const r4 = v128.load(src + 4 * step + o), r5 = v128.load(src + 5 * step + o);
          const lo = v128.shuffle<f32>(r4, r5, 0, 4, 1, 5), hi = v128.shuffle<f32>(r4, r5, 2, 6, 3, 7);
          v128.store64_lane(dst, lo, 0, 16);
          v128.store64_lane(dst, lo, 1, MR * 4 + 16);
          v128.store64_lane(dst, hi, 0, MR * 8 + 16);
          v128.store64_lane(dst, hi, 1, MR * 12 + 16);
        }
        dst += MR * 16;
      }
      for (; p < kc; p++) {
        const o = (<usize>p) << 2;
        for (let r = 0; r < MR; r++) store<f32>(dst + ((<usize>r) << 2), load<f32>(src + (<usize>r) * step + o));
        dst += MR * 4;
      }
    } else if (rows == MR) {
      const step = (<usize>rs) << 2;
      for (let p = 0; p < kc; p++) {
        const src = at(a, i0 + ir, p0 + p, rs, cs);
        for (let r = 0; r < MR; r++) store<f32>(dst + ((<usize>r) << 2), load<f32>(src + (<usize>r) * step));
        dst += MR * 4;
      }
    } else {
      for (let p = 0; p < kc; p++) {
        for (let r = 0; r < MR; r++) {
          store<f32>(dst, r < rows ? load<f32>(at(a, i0 + ir + r, p0 + p, rs, cs)) : 0);
          dst += 4;
        }
      }
    }
  }
}

function packB(b: usize, rs: i32, cs: i32, p0: i32, kc: i32, j0: i32, nc: i32, dst: usize): void {
  for (let jr = 0; jr < nc; jr += NR) {
    const cols = min(NR, nc - jr);
    if (cols == NR && cs == 1) {
      for (let p = 0; p < kc; p++) {
        const src = at(b, p0 + p, j0 + jr, rs, 1);
        v128.store(dst, v128.load(src));
        v128.store(dst, v128.load(src, 16), 16);
        dst += 32;
      }
    } else if (cols == NR && rs == 1) {
      dst = packBColumns(at(b, p0, j0 + jr, 1, cs), cs, kc, dst);
    } else if (cs == 1) {
      // the last, partial panel with rows in place (n = 10: 2 columns): zeros, then the row's values
      const zero = f32x4.splat(0);
      const step = (<usize>rs) << 2;
      let src = at(b, p0, j0 + jr, rs, 1);
      for (let p = 0; p < kc; p++) {
        v128.store(dst, zero);
        v128.store(dst, zero, 16);
        for (let c = 0; c < cols; c++) store<f32>(dst + ((<usize>c) << 2), load<f32>(src + ((<usize>c) << 2)));
        src += step;
        dst += 32;
      }
    } else {
      for (let p = 0; p < kc; p++) {
        for (let c = 0; c < NR; c++) {
          store<f32>(dst, c < cols ? load<f32>(at(b, p0 + p, j0 + jr + c, rs, cs)) : 0);
          dst += 4;
        }
      }
    }
  }
}

// ---- gemm plain area (issue 18): packing a transposed B four steps at a time ----
// A transposed B (rs == 1: the input gradient dY W^T of a dense layer) has each of the panel's 8
// columns contiguous along k; the general path stored it one value at a time (kc x 8 scalar
// loads and stores with index arithmetic each). Here 4 k steps of the 8 columns are read as 8
// vectors and turned by shuffles into the panel's 4 rows of 8, as packA does for rows in place.
// Returns the end of the panel (dst + kc * NR floats).
function packBColumns(src: usize, cs: i32, kc: i32, dst: usize): usize {
  const step = (<usize>cs) << 2;
  let p = 0;
  for (; p + 4 <= kc; p += 4) {
    const o = (<usize>p) << 2;
    for (let h = 0; h < 2; h++) {
      // columns 4h .. 4h + 3, their values at steps p .. p + 3
      const col = src + (<usize>(4 * h)) * step + o;
      const r0 = v128.load(col), r1 = v128.load(col + step);
      const r2 = v128.load(col + 2 * step), r3 = v128.load(col + 3 * step);
      const t0 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5), t1 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5);
      const t2 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7), t3 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
      const d = dst + (<usize>(16 * h));
      v128.store(d, v128.shuffle<f32>(t0, t1, 0, 1, 4, 5));
      v128.store(d, v128.shuffle<f32>(t0, t1, 2, 3, 6, 7), NR * 4);
      v128.store(d, v128.shuffle<f32>(t2, t3, 0, 1, 4, 5), NR * 8);
      v128.store(d, v128.shuffle<f32>(t2, t3, 2, 3, 6, 7), NR * 12);
    }
    dst += NR * 16;
  }
  for (; p < kc; p++) {
    const o = (<usize>p) << 2;
    for (let c = 0; c < NR; c++) store<f32>(dst + ((<usize>c) << 2), load<f32>(src + (<usize>c) * step + o));
    dst += NR * 4;
  }
  return dst;
}

// One MR x 8 tile of C from packed panels: C tile = (accumulate ? C tile : 0) + Ap * Bp.
// `edge` is MR x NR floats of scratch.
@inline function tile(ap: usize, bp: usize, kc: i32, c: usize, ldc: i32, accumulate: bool, edge: usize): void {
  if (MR == 6) {
    if (accumulate) {
      tile6x8(ap, bp, kc, edge, NR);
      addTile(edge, c, ldc);
    } else {
      tile6x8(ap, bp, kc, c, ldc);
    }
  } else {
    tile4x8(ap, bp, kc, c, ldc, accumulate);
  }
}

@inline function tile4x8(ap: usize, bp: usize, kc: i32, c: usize, ldc: i32, accumulate: bool): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  // two k steps a turn with the exit test between them (plain tile area): one stack check and
  // one pointer update per two steps. The test also keeps V8 from interleaving the two steps'
  // loads (without it, it loaded both steps' B and spilled accumulators); each accumulator
  // still takes its products in k order, so the bits are those of one step a turn.
  const end = ap + (<usize>(kc * 16)), last = end - 16;
  while (ap < end) {
    let b0 = v128.load(bp);
    let b1 = v128.load(bp, 16);
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
    if (ap >= last) break;
    b0 = v128.load(bp, 32);
    b1 = v128.load(bp, 48);
    a = v128.load32_splat(ap, 16);
    c00 = madd(a, b0, c00);
    c01 = madd(a, b1, c01);
    a = v128.load32_splat(ap, 20);
    c10 = madd(a, b0, c10);
    c11 = madd(a, b1, c11);
    a = v128.load32_splat(ap, 24);
    c20 = madd(a, b0, c20);
    c21 = madd(a, b1, c21);
    a = v128.load32_splat(ap, 28);
    c30 = madd(a, b0, c30);
    c31 = madd(a, b1, c31);
    ap += 32;
    bp += 64;
  }
  const row = (<usize>ldc) << 2;
  if (accumulate) {
    c00 = f32x4.add(c00, v128.load(c)); c01 = f32x4.add(c01, v128.load(c, 16));
    c10 = f32x4.add(c10, v128.load(c + row)); c11 = f32x4.add(c11, v128.load(c + row, 16));
    c20 = f32x4.add(c20, v128.load(c + 2 * row)); c21 = f32x4.add(c21, v128.load(c + 2 * row, 16));
    c30 = f32x4.add(c30, v128.load(c + 3 * row)); c31 = f32x4.add(c31, v128.load(c + 3 * row, 16));
  }
  v128.store(c, c00); v128.store(c, c01, 16);
  v128.store(c + row, c10); v128.store(c + row, c11, 16);
  v128.store(c + 2 * row, c20); v128.store(c + 2 * row, c21, 16);
  v128.store(c + 3 * row, c30); v128.store(c + 3 * row, c31, 16);
}

// C tile = Ap * Bp with 12 accumulators. Kept small and out of line (binaryen does not inline a
// function with a loop unless told to): inlined into gemmBlock, or with the C-adding branch of
// tile4x8 after its loop, V8 12 moved all six A broadcasts ahead of the multiply-adds, which
// needs 12 + 2 + 6 registers, and spilled four accumulators on every step; in this form it
// broadcasts each A value just before its two multiply-adds: 12 + 2 + 1 = 15 xmm, no spill.
// The A addresses are computed (ap + 4 ...) rather than given as load offsets for the same
// reason (the offset form was the one V8 hoisted).
function tile6x8(ap: usize, bp: usize, kc: i32, c: usize, ldc: i32): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  let c40 = f32x4.splat(0), c41 = f32x4.splat(0);
  let c50 = f32x4.splat(0), c51 = f32x4.splat(0);
  const end = ap + (<usize>(kc * 24));
  while (ap < end) {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    { const a = v128.load32_splat(ap); c00 = madd(a, b0, c00); c01 = madd(a, b1, c01); }
    { const a = v128.load32_splat(ap + 4); c10 = madd(a, b0, c10); c11 = madd(a, b1, c11); }
    { const a = v128.load32_splat(ap + 8); c20 = madd(a, b0, c20); c21 = madd(a, b1, c21); }
    { const a = v128.load32_splat(ap + 12); c30 = madd(a, b0, c30); c31 = madd(a, b1, c31); }
    { const a = v128.load32_splat(ap + 16); c40 = madd(a, b0, c40); c41 = madd(a, b1, c41); }
    { const a = v128.load32_splat(ap + 20); c50 = madd(a, b0, c50); c51 = madd(a, b1, c51); }
    ap += 24;
    bp += 32;
  }
  const row = (<usize>ldc) << 2;
  v128.store(c, c00); v128.store(c, c01, 16);
  v128.store(c + row, c10); v128.store(c + row, c11, 16);
  v128.store(c + 2 * row, c20); v128.store(c + 2 * row, c21, 16);
  v128.store(c + 3 * row, c30); v128.store(c + 3 * row, c31, 16);
  v128.store(c + 4 * row, c40); v128.store(c + 4 * row, c41, 16);
  v128.store(c + 5 * row, c50); v128.store(c + 5 * row, c51, 16);
}

/** C tile (MR x NR at c, row stride ldc) += the tile at t (rows of NR floats) */
@inline function addTile(t: usize, c: usize, ldc: i32): void {
  const row = (<usize>ldc) << 2;
  for (let r = 0; r < MR; r++) {
    v128.store(c, f32x4.add(v128.load(c), v128.load(t)));
    v128.store(c, f32x4.add(v128.load(c, 16), v128.load(t, 16)), 16);
    c += row;
    t += NR * 4;
  }
}

/**
 * C[i0:i1, j0:j1] of one matrix product (j1 - j0 <= NC_MAX). beta 0 overwrites C, 1 adds to it;
 * bias (0 for none) is added per column and act applied after the last K block.
 */
export function gemmBlock(a: usize, rsA: i32, csA: i32, b: usize, rsB: i32, csB: i32,
                          c: usize, ldc: i32, k: i32, i0: i32, i1: i32, j0: i32, j1: i32,
                          beta: i32, bias: usize, act: i32, scratch: usize): void {
  const nc = j1 - j0;
  if (i1 - i0 <= FEW_ROWS && csB == 1 && k > 0) {
    fewRows(a, rsA, csA, b, rsB, c, ldc, k, i0, i1, j0, j1, beta);
    if (bias != 0 || act != ACT_NONE) epilogue(c, ldc, i0, i1, j0, j1, bias, act);
    return;
  }
  const packedB = scratch;
  const packedA = scratch + (<usize>(KC * NC_MAX) << 2);
  const edge = packedA + (<usize>(MC * KC) << 2);
  if (k == 0 && beta == 0) {
    for (let i = i0; i < i1; i++) memory.fill(c + ((<usize>(i * ldc + j0)) << 2), 0, (<usize>nc) << 2);
  }
  for (let p0 = 0; p0 < k; p0 += KC) {
    const kc = min(KC, k - p0);
    const accumulate = p0 > 0 || beta != 0;
    packB(b, rsB, csB, p0, kc, j0, nc, packedB);
    for (let ic = i0; ic < i1; ic += MC) {
      const mc = min(MC, i1 - ic);
      packA(a, rsA, csA, ic, mc, p0, kc, packedA);
      for (let jr = 0; jr < nc; jr += NR) {
        const cols = min(NR, nc - jr);
        const bp = packedB + (<usize>(jr * kc) << 2);
        for (let ir = 0; ir < mc; ir += MR) {
          const rows = min(MR, mc - ir);
          const ap = packedA + (<usize>(ir * kc) << 2);
          const cp = c + ((<usize>((ic + ir) * ldc + j0 + jr)) << 2);
          if (rows == MR && cols == NR) {
            tile(ap, bp, kc, cp, ldc, accumulate, edge);
          } else {
            tile(ap, bp, kc, edge, NR, false, edge);
            for (let r = 0; r < rows; r++) {
              for (let q = 0; q < cols; q++) {
                const dst = cp + ((<usize>(r * ldc + q)) << 2);
                const v = load<f32>(edge + ((<usize>(r * NR + q)) << 2));
                store<f32>(dst, accumulate ? load<f32>(dst) + v : v);
              }
            }
          }
        }
      }
    }
  }
  if (bias != 0 || act != ACT_NONE) epilogue(c, ldc, i0, i1, j0, j1, bias, act);
}

/**
 * Up to this many rows of C are computed straight from A and B without packing: packing B
 * (k x n floats written and read again) costs more than the product itself when only one or
 * two rows use it, as in inference at batch 1.
 */
const FEW_ROWS: i32 = 3;

/**
 * C[i, j0:j1] (+)= A[i, :] B[:, j0:j1] for a few rows i, B rows contiguous (csB == 1). The sums
 * run in the packed path's order (K in blocks of KC, each block's sum added to C), so a row
 * gets the same bits whichever path computes it and however the rows were split into chunks.
 */
function fewRows(a: usize, rsA: i32, csA: i32, b: usize, rsB: i32, c: usize, ldc: i32, k: i32,
                 i0: i32, i1: i32, j0: i32, j1: i32, beta: i32): void {
  const stepB = (<usize>rsB) << 2, stepA = (<usize>csA) << 2;
  for (let p0 = 0; p0 < k; p0 += KC) {
    const kc = min(KC, k - p0);
    const add = p0 > 0 || beta != 0;
    const b0 = b + (<usize>p0) * stepB;
    for (let i = i0; i < i1; i++) {
      const ai = a + ((<usize>(i * rsA)) << 2) + (<usize>p0) * stepA;
      const ci = c + ((<usize>(i * ldc)) << 2);
      let j = j0;
      // 16 columns at a time: four accumulators hide the add latency
      for (; j + 16 <= j1; j += 16) {
        let s0 = f32x4.splat(0), s1 = f32x4.splat(0), s2 = f32x4.splat(0), s3 = f32x4.splat(0);
        let bp = b0 + ((<usize>j) << 2), ap = ai;
        for (let p = 0; p < kc; p++) {
          const x = v128.load32_splat(ap);
          s0 = madd(x, v128.load(bp), s0);
          s1 = madd(x, v128.load(bp, 16), s1);
          s2 = madd(x, v128.load(bp, 32), s2);
          s3 = madd(x, v128.load(bp, 48), s3);
          ap += stepA;
          bp += stepB;
        }
        const cp = ci + ((<usize>j) << 2);
        if (add) {
          s0 = f32x4.add(s0, v128.load(cp)); s1 = f32x4.add(s1, v128.load(cp, 16));
          s2 = f32x4.add(s2, v128.load(cp, 32)); s3 = f32x4.add(s3, v128.load(cp, 48));
        }
        v128.store(cp, s0); v128.store(cp, s1, 16); v128.store(cp, s2, 32); v128.store(cp, s3, 48);
      }
      for (; j + 4 <= j1; j += 4) {
        let s0 = f32x4.splat(0);
        let bp = b0 + ((<usize>j) << 2), ap = ai;
        for (let p = 0; p < kc; p++) {
          s0 = madd(v128.load32_splat(ap), v128.load(bp), s0);
          ap += stepA;
          bp += stepB;
        }
        const cp = ci + ((<usize>j) << 2);
        v128.store(cp, add ? f32x4.add(s0, v128.load(cp)) : s0);
      }
      for (; j < j1; j++) {
        let s: f32 = 0;
        let bp = b0 + ((<usize>j) << 2), ap = ai;
        for (let p = 0; p < kc; p++) {
          s = maddf(load<f32>(ap), load<f32>(bp), s);
          ap += stepA;
          bp += stepB;
        }
        const cp = ci + ((<usize>j) << 2);
        store<f32>(cp, add ? load<f32>(cp) + s : s);
      }
    }
  }
}

function epilogue(c: usize, ldc: i32, i0: i32, i1: i32, j0: i32, j1: i32, bias: usize, act: i32): void {
  const zero = f32x4.splat(0);
  for (let i = i0; i < i1; i++) {
    const row = c + ((<usize>(i * ldc)) << 2);
    let j = j0;
    for (; j + 4 <= j1; j += 4) {
      const p = row + ((<usize>j) << 2);
      let v = v128.load(p);
      if (bias != 0) v = f32x4.add(v, v128.load(bias + ((<usize>j) << 2)));
      if (act == ACT_RELU) v = f32x4.max(v, zero);
      v128.store(p, v);
    }
    for (; j < j1; j++) {
      const p = row + ((<usize>j) << 2);
      let v = load<f32>(p);
      if (bias != 0) v += load<f32>(bias + ((<usize>j) << 2));
      if (act == ACT_RELU) v = max<f32>(v, 0);
      store<f32>(p, v);
    }
  }
}

// ---- recurrent area: products on a B packed once (issue 18) ----
// A recurrent layer multiplies by the same U at every step; gemmBlock packs its B again on each
// call, so the recurrence packs U once per sequence (packPanels) and each step runs gemmPacked.
// Layout of a packed k x n matrix: K blocks of KC rows; block p0 starts at p0 * nPanels(n) * NR
// floats and holds its NR-wide column panels one after another (kc x NR each, kc the block's
// height), exactly what packB writes for one block.

/** columns of a packed matrix, rounded up to whole panels */
@inline function paddedCols(n: i32): i32 {
  return (n + NR - 1) / NR * NR;
}

/** floats the packed copy of a k x n matrix needs */
export function packedPanelsSize(k: i32, n: i32): i32 {
  return k * paddedCols(n);
}

/** packs B (k x n, strides rsB and csB) whole into dst (packedPanelsSize(k, n) floats) */
export function packPanels(b: usize, rsB: i32, csB: i32, k: i32, n: i32, dst: usize): void {
  const np = paddedCols(n);
  for (let p0 = 0; p0 < k; p0 += KC) {
    packB(b, rsB, csB, p0, min(KC, k - p0), 0, n, dst + (<usize>(p0 * np) << 2));
  }
}

/**
 * C[i0:i1, 0:n] (+)= A[i0:i1, 0:k] B with B packed by packPanels(k, n); beta 0 overwrites C, 1 adds;
 * bias (0 for none) is added per column after the product.
 * Each element's sum runs in the same order whatever i0 and i1 are (K blocks of KC, each block
 * summed then added to C), so the bits of a row do not depend on how rows were split into chunks.
 */
export function gemmPacked(a: usize, rsA: i32, csA: i32, bp: usize, k: i32, n: i32, c: usize, ldc: i32,
                           i0: i32, i1: i32, beta: i32, bias: usize, scratch: usize): void {
  const np = paddedCols(n);
  const packedA = scratch;
  const edge = packedA + (<usize>(MC * KC) << 2);
  if (k == 0) {
    if (beta == 0) for (let i = i0; i < i1; i++) memory.fill(c + ((<usize>(i * ldc)) << 2), 0, (<usize>n) << 2);
    if (bias != 0) epilogue(c, ldc, i0, i1, 0, n, bias, ACT_NONE);
    return;
  }
  for (let p0 = 0; p0 < k; p0 += KC) {
    const kc = min(KC, k - p0);
    const accumulate = p0 > 0 || beta != 0;
    const block = bp + (<usize>(p0 * np) << 2);
    for (let ic = i0; ic < i1; ic += MC) {
      const mc = min(MC, i1 - ic);
      packA(a, rsA, csA, ic, mc, p0, kc, packedA);
      for (let jr = 0; jr < n; jr += NR) {
        const cols = min(NR, n - jr);
        const bpan = block + (<usize>(jr * kc) << 2);
        for (let ir = 0; ir < mc; ir += MR) {
          const rows = min(MR, mc - ir);
          const ap = packedA + (<usize>(ir * kc) << 2);
          const cp = c + ((<usize>((ic + ir) * ldc + jr)) << 2);
          if (rows == MR && cols == NR) {
            tile(ap, bpan, kc, cp, ldc, accumulate, edge);
          } else {
            tile(ap, bpan, kc, edge, NR, false, edge);
            for (let r = 0; r < rows; r++) {
              for (let q = 0; q < cols; q++) {
                const dst = cp + ((<usize>(r * ldc + q)) << 2);
                const v = load<f32>(edge + ((<usize>(r * NR + q)) << 2));
                store<f32>(dst, accumulate ? load<f32>(dst) + v : v);
              }
            }
          }
        }
      }
    }
  }
  if (bias != 0) epilogue(c, ldc, i0, i1, 0, n, bias, ACT_NONE);
}
