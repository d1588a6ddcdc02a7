// Register tiles of other shapes than 4x8 for the plain-SIMD GEMM (gemm plain area, issue 18),
// for bench/tile_rows.ts: each computes C (R x W, row stride ldc) = Ap (kc x R, packed) * Bp
// (kc x W, packed), kc even. Built by bench/tile_rows.ts with asc; kept out of tsc (tsconfig
// excludes bench/asm).
import { madd } from '../../src/backend/wasm/assembly/fma';

/** 4x8, two k steps a turn, test between, load offsets (gemm.ts tile4x8 as it is) */
export function r4x8(ap: usize, bp: usize, kc: i32, c: usize, ldc: i32): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  const end = ap + (<usize>(kc * 16)), last = end - 16;
  while (ap < end) {
    let b0 = v128.load(bp, 0);
    let b1 = v128.load(bp, 16);
    let a = v128.load32_splat(ap, 0); c00 = madd(a, b0, c00); c01 = madd(a, b1, c01);
    a = v128.load32_splat(ap, 4); c10 = madd(a, b0, c10); c11 = madd(a, b1, c11);
    a = v128.load32_splat(ap, 8); c20 = madd(a, b0, c20); c21 = madd(a, b1, c21);
    a = v128.load32_splat(ap, 12); c30 = madd(a, b0, c30); c31 = madd(a, b1, c31);
    if (ap >= last) break;
    b0 = v128.load(bp, 32);
    b1 = v128.load(bp, 48);
    a = v128.load32_splat(ap, 16); c00 = madd(a, b0, c00); c01 = madd(a, b1, c01);
    a = v128.load32_splat(ap, 20); c10 = madd(a, b0, c10); c11 = madd(a, b1, c11);
    a = v128.load32_splat(ap, 24); c20 = madd(a, b0, c20); c21 = madd(a, b1, c21);
    a = v128.load32_splat(ap, 28); c30 = madd(a, b0, c30); c31 = madd(a, b1, c31);
    ap += 32;
    bp += 64;
  }
  const row = (<usize>ldc) << 2;
  v128.store(c + 0 * row, c00, 0); v128.store(c + 0 * row, c01, 16);
  v128.store(c + 1 * row, c10, 0); v128.store(c + 1 * row, c11, 16);
  v128.store(c + 2 * row, c20, 0); v128.store(c + 2 * row, c21, 16);
  v128.store(c + 3 * row, c30, 0); v128.store(c + 3 * row, c31, 16);
}

/** 5x8, two k steps a turn, test between, load offsets */
export function r5x8(ap: usize, bp: usize, kc: i32, c: usize, ldc: i32): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  let c40 = f32x4.splat(0), c41 = f32x4.splat(0);
  const end = ap + (<usize>(kc * 20)), last = end - 20;
  while (ap < end) {
    let b0 = v128.load(bp, 0);
    let b1 = v128.load(bp, 16);
    let a = v128.load32_splat(ap, 0); c00 = madd(a, b0, c00); c01 = madd(a, b1, c01);
    a = v128.load32_splat(ap, 4); c10 = madd(a, b0, c10); c11 = madd(a, b1, c11);
    a = v128.load32_splat(ap, 8); c20 = madd(a, b0, c20); c21 = madd(a, b1, c21);
    a = v128.load32_splat(ap, 12); c30 = madd(a, b0, c30); c31 = madd(a, b1, c31);
    a = v128.load32_splat(ap, 16); c40 = madd(a, b0, c40); c41 = madd(a, b1, c41);
    if (ap >= last) break;
    b0 = v128.load(bp, 32);
    b1 = v128.load(bp, 48);
    a = v128.load32_splat(ap, 20); c00 = madd(a, b0, c00); c01 = madd(a, b1, c01);
    a = v128.load32_splat(ap, 24); c10 = madd(a, b0, c10); c11 = madd(a, b1, c11);
    a = v128.load32_splat(ap, 28); c20 = madd(a, b0, c20); c21 = madd(a, b1, c21);
    a = v128.load32_splat(ap, 32); c30 = madd(a, b0, c30); c31 = madd(a, b1, c31);
    a = v128.load32_splat(ap, 36); c40 = madd(a, b0, c40); c41 = madd(a, b1, c41);
    ap += 40;
    bp += 64;
  }
  const row = (<usize>ldc) << 2;
  v128.store(c + 0 * row, c00, 0); v128.store(c + 0 * row, c01, 16);
  v128.store(c + 1 * row, c10, 0); v128.store(c + 1 * row, c11, 16);
  v128.store(c + 2 * row, c20, 0); v128.store(c + 2 * row, c21, 16);
  v128.store(c + 3 * row, c30, 0); v128.store(c + 3 * row, c31, 16);
  v128.store(c + 4 * row, c40, 0); v128.store(c + 4 * row, c41, 16);
}

/** 5x8, one k step a turn, load offsets */
export function r5x8one(ap: usize, bp: usize, kc: i32, c: usize, ldc: i32): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  let c40 = f32x4.splat(0), c41 = f32x4.splat(0);
  const end = ap + (<usize>(kc * 20));
  while (ap < end) {
    let b0 = v128.load(bp, 0);
    let b1 = v128.load(bp, 16);
    let a = v128.load32_splat(ap, 0); c00 = madd(a, b0, c00); c01 = madd(a, b1, c01);
    a = v128.load32_splat(ap, 4); c10 = madd(a, b0, c10); c11 = madd(a, b1, c11);
    a = v128.load32_splat(ap, 8); c20 = madd(a, b0, c20); c21 = madd(a, b1, c21);
    a = v128.load32_splat(ap, 12); c30 = madd(a, b0, c30); c31 = madd(a, b1, c31);
    a = v128.load32_splat(ap, 16); c40 = madd(a, b0, c40); c41 = madd(a, b1, c41);
    ap += 20;
    bp += 32;
  }
  const row = (<usize>ldc) << 2;
  v128.store(c + 0 * row, c00, 0); v128.store(c + 0 * row, c01, 16);
  v128.store(c + 1 * row, c10, 0); v128.store(c + 1 * row, c11, 16);
  v128.store(c + 2 * row, c20, 0); v128.store(c + 2 * row, c21, 16);
  v128.store(c + 3 * row, c30, 0); v128.store(c + 3 * row, c31, 16);
  v128.store(c + 4 * row, c40, 0); v128.store(c + 4 * row, c41, 16);
}

/** 5x8, two k steps a turn, computed A addresses */
export function r5x8addr(ap: usize, bp: usize, kc: i32, c: usize, ldc: i32): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  let c40 = f32x4.splat(0), c41 = f32x4.splat(0);
  const end = ap + (<usize>(kc * 20)), last = end - 20;
  while (ap < end) {
    let b0 = v128.load(bp, 0);
    let b1 = v128.load(bp, 16);
    let a = v128.load32_splat(ap); c00 = madd(a, b0, c00); c01 = madd(a, b1, c01);
    a = v128.load32_splat(ap + 4); c10 = madd(a, b0, c10); c11 = madd(a, b1, c11);
    a = v128.load32_splat(ap + 8); c20 = madd(a, b0, c20); c21 = madd(a, b1, c21);
    a = v128.load32_splat(ap + 12); c30 = madd(a, b0, c30); c31 = madd(a, b1, c31);
    a = v128.load32_splat(ap + 16); c40 = madd(a, b0, c40); c41 = madd(a, b1, c41);
    if (ap >= last) break;
    b0 = v128.load(bp, 32);
    b1 = v128.load(bp, 48);
    a = v128.load32_splat(ap + 20); c00 = madd(a, b0, c00); c01 = madd(a, b1, c01);
    a = v128.load32_splat(ap + 24); c10 = madd(a, b0, c10); c11 = madd(a, b1, c11);
    a = v128.load32_splat(ap + 28); c20 = madd(a, b0, c20); c21 = madd(a, b1, c21);
    a = v128.load32_splat(ap + 32); c30 = madd(a, b0, c30); c31 = madd(a, b1, c31);
    a = v128.load32_splat(ap + 36); c40 = madd(a, b0, c40); c41 = madd(a, b1, c41);
    ap += 40;
    bp += 64;
  }
  const row = (<usize>ldc) << 2;
  v128.store(c + 0 * row, c00, 0); v128.store(c + 0 * row, c01, 16);
  v128.store(c + 1 * row, c10, 0); v128.store(c + 1 * row, c11, 16);
  v128.store(c + 2 * row, c20, 0); v128.store(c + 2 * row, c21, 16);
  v128.store(c + 3 * row, c30, 0); v128.store(c + 3 * row, c31, 16);
  v128.store(c + 4 * row, c40, 0); v128.store(c + 4 * row, c41, 16);
}

/** 3x12, two k steps a turn, load offsets */
export function r3x12(ap: usize, bp: usize, kc: i32, c: usize, ldc: i32): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c02 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0), c12 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c22 = f32x4.splat(0);
  const end = ap + (<usize>(kc * 12)), last = end - 12;
  while (ap < end) {
    let b0 = v128.load(bp, 0);
    let b1 = v128.load(bp, 16);
    let b2 = v128.load(bp, 32);
    let a = v128.load32_splat(ap, 0); c00 = madd(a, b0, c00); c01 = madd(a, b1, c01); c02 = madd(a, b2, c02);
    a = v128.load32_splat(ap, 4); c10 = madd(a, b0, c10); c11 = madd(a, b1, c11); c12 = madd(a, b2, c12);
    a = v128.load32_splat(ap, 8); c20 = madd(a, b0, c20); c21 = madd(a, b1, c21); c22 = madd(a, b2, c22);
    if (ap >= last) break;
    b0 = v128.load(bp, 48);
    b1 = v128.load(bp, 64);
    b2 = v128.load(bp, 80);
    a = v128.load32_splat(ap, 12); c00 = madd(a, b0, c00); c01 = madd(a, b1, c01); c02 = madd(a, b2, c02);
    a = v128.load32_splat(ap, 16); c10 = madd(a, b0, c10); c11 = madd(a, b1, c11); c12 = madd(a, b2, c12);
    a = v128.load32_splat(ap, 20); c20 = madd(a, b0, c20); c21 = madd(a, b1, c21); c22 = madd(a, b2, c22);
    ap += 24;
    bp += 96;
  }
  const row = (<usize>ldc) << 2;
  v128.store(c + 0 * row, c00, 0); v128.store(c + 0 * row, c01, 16); v128.store(c + 0 * row, c02, 32);
  v128.store(c + 1 * row, c10, 0); v128.store(c + 1 * row, c11, 16); v128.store(c + 1 * row, c12, 32);
  v128.store(c + 2 * row, c20, 0); v128.store(c + 2 * row, c21, 16); v128.store(c + 2 * row, c22, 32);
}

/** 6x8, two k steps a turn (16 registers: expected to spill) */
export function r6x8(ap: usize, bp: usize, kc: i32, c: usize, ldc: i32): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  let c40 = f32x4.splat(0), c41 = f32x4.splat(0);
  let c50 = f32x4.splat(0), c51 = f32x4.splat(0);
  const end = ap + (<usize>(kc * 24)), last = end - 24;
  while (ap < end) {
    let b0 = v128.load(bp, 0);
    let b1 = v128.load(bp, 16);
    let a = v128.load32_splat(ap, 0); c00 = madd(a, b0, c00); c01 = madd(a, b1, c01);
    a = v128.load32_splat(ap, 4); c10 = madd(a, b0, c10); c11 = madd(a, b1, c11);
    a = v128.load32_splat(ap, 8); c20 = madd(a, b0, c20); c21 = madd(a, b1, c21);
    a = v128.load32_splat(ap, 12); c30 = madd(a, b0, c30); c31 = madd(a, b1, c31);
    a = v128.load32_splat(ap, 16); c40 = madd(a, b0, c40); c41 = madd(a, b1, c41);
    a = v128.load32_splat(ap, 20); c50 = madd(a, b0, c50); c51 = madd(a, b1, c51);
    if (ap >= last) break;
    b0 = v128.load(bp, 32);
    b1 = v128.load(bp, 48);
    a = v128.load32_splat(ap, 24); c00 = madd(a, b0, c00); c01 = madd(a, b1, c01);
    a = v128.load32_splat(ap, 28); c10 = madd(a, b0, c10); c11 = madd(a, b1, c11);
    a = v128.load32_splat(ap, 32); c20 = madd(a, b0, c20); c21 = madd(a, b1, c21);
    a = v128.load32_splat(ap, 36); c30 = madd(a, b0, c30); c31 = madd(a, b1, c31);
    a = v128.load32_splat(ap, 40); c40 = madd(a, b0, c40); c41 = madd(a, b1, c41);
    a = v128.load32_splat(ap, 44); c50 = madd(a, b0, c50); c51 = madd(a, b1, c51);
    ap += 48;
    bp += 64;
  }
  const row = (<usize>ldc) << 2;
  v128.store(c + 0 * row, c00, 0); v128.store(c + 0 * row, c01, 16);
  v128.store(c + 1 * row, c10, 0); v128.store(c + 1 * row, c11, 16);
  v128.store(c + 2 * row, c20, 0); v128.store(c + 2 * row, c21, 16);
  v128.store(c + 3 * row, c30, 0); v128.store(c + 3 * row, c31, 16);
  v128.store(c + 4 * row, c40, 0); v128.store(c + 4 * row, c41, 16);
  v128.store(c + 5 * row, c50, 0); v128.store(c + 5 * row, c51, 16);
}

/** 4x12, two k steps a turn (17 registers: expected to spill) */
export function r4x12(ap: usize, bp: usize, kc: i32, c: usize, ldc: i32): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c02 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0), c12 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c22 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0), c32 = f32x4.splat(0);
  const end = ap + (<usize>(kc * 16)), last = end - 16;
  while (ap < end) {
    let b0 = v128.load(bp, 0);
    let b1 = v128.load(bp, 16);
    let b2 = v128.load(bp, 32);
    let a = v128.load32_splat(ap, 0); c00 = madd(a, b0, c00); c01 = madd(a, b1, c01); c02 = madd(a, b2, c02);
    a = v128.load32_splat(ap, 4); c10 = madd(a, b0, c10); c11 = madd(a, b1, c11); c12 = madd(a, b2, c12);
    a = v128.load32_splat(ap, 8); c20 = madd(a, b0, c20); c21 = madd(a, b1, c21); c22 = madd(a, b2, c22);
    a = v128.load32_splat(ap, 12); c30 = madd(a, b0, c30); c31 = madd(a, b1, c31); c32 = madd(a, b2, c32);
    if (ap >= last) break;
    b0 = v128.load(bp, 48);
    b1 = v128.load(bp, 64);
    b2 = v128.load(bp, 80);
    a = v128.load32_splat(ap, 16); c00 = madd(a, b0, c00); c01 = madd(a, b1, c01); c02 = madd(a, b2, c02);
    a = v128.load32_splat(ap, 20); c10 = madd(a, b0, c10); c11 = madd(a, b1, c11); c12 = madd(a, b2, c12);
    a = v128.load32_splat(ap, 24); c20 = madd(a, b0, c20); c21 = madd(a, b1, c21); c22 = madd(a, b2, c22);
    a = v128.load32_splat(ap, 28); c30 = madd(a, b0, c30); c31 = madd(a, b1, c31); c32 = madd(a, b2, c32);
    ap += 32;
    bp += 96;
  }
  const row = (<usize>ldc) << 2;
  v128.store(c + 0 * row, c00, 0); v128.store(c + 0 * row, c01, 16); v128.store(c + 0 * row, c02, 32);
  v128.store(c + 1 * row, c10, 0); v128.store(c + 1 * row, c11, 16); v128.store(c + 1 * row, c12, 32);
  v128.store(c + 2 * row, c20, 0); v128.store(c + 2 * row, c21, 16); v128.store(c + 2 * row, c22, 32);
  v128.store(c + 3 * row, c30, 0); v128.store(c + 3 * row, c31, 16); v128.store(c + 3 * row, c32, 32);
}

/** r4x8 inlined into run's loop over calls, as tile4x8 sits in gemmBlock's loops (V8 unrolls an inner loop there) */
@inline function r4x8in(ap: usize, bp: usize, kc: i32, c: usize, ldc: i32): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  const end = ap + (<usize>(kc * 16)), last = end - 16;
  while (ap < end) {
    let b0 = v128.load(bp, 0);
    let b1 = v128.load(bp, 16);
    let a = v128.load32_splat(ap, 0); c00 = madd(a, b0, c00); c01 = madd(a, b1, c01);
    a = v128.load32_splat(ap, 4); c10 = madd(a, b0, c10); c11 = madd(a, b1, c11);
    a = v128.load32_splat(ap, 8); c20 = madd(a, b0, c20); c21 = madd(a, b1, c21);
    a = v128.load32_splat(ap, 12); c30 = madd(a, b0, c30); c31 = madd(a, b1, c31);
    if (ap >= last) break;
    b0 = v128.load(bp, 32);
    b1 = v128.load(bp, 48);
    a = v128.load32_splat(ap, 16); c00 = madd(a, b0, c00); c01 = madd(a, b1, c01);
    a = v128.load32_splat(ap, 20); c10 = madd(a, b0, c10); c11 = madd(a, b1, c11);
    a = v128.load32_splat(ap, 24); c20 = madd(a, b0, c20); c21 = madd(a, b1, c21);
    a = v128.load32_splat(ap, 28); c30 = madd(a, b0, c30); c31 = madd(a, b1, c31);
    ap += 32;
    bp += 64;
  }
  const row = (<usize>ldc) << 2;
  v128.store(c + 0 * row, c00, 0); v128.store(c + 0 * row, c01, 16);
  v128.store(c + 1 * row, c10, 0); v128.store(c + 1 * row, c11, 16);
  v128.store(c + 2 * row, c20, 0); v128.store(c + 2 * row, c21, 16);
  v128.store(c + 3 * row, c30, 0); v128.store(c + 3 * row, c31, 16);
}

/** r5x8one inlined into run's loop over calls */
@inline function r5x8onein(ap: usize, bp: usize, kc: i32, c: usize, ldc: i32): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  let c40 = f32x4.splat(0), c41 = f32x4.splat(0);
  const end = ap + (<usize>(kc * 20));
  while (ap < end) {
    let b0 = v128.load(bp, 0);
    let b1 = v128.load(bp, 16);
    let a = v128.load32_splat(ap, 0); c00 = madd(a, b0, c00); c01 = madd(a, b1, c01);
    a = v128.load32_splat(ap, 4); c10 = madd(a, b0, c10); c11 = madd(a, b1, c11);
    a = v128.load32_splat(ap, 8); c20 = madd(a, b0, c20); c21 = madd(a, b1, c21);
    a = v128.load32_splat(ap, 12); c30 = madd(a, b0, c30); c31 = madd(a, b1, c31);
    a = v128.load32_splat(ap, 16); c40 = madd(a, b0, c40); c41 = madd(a, b1, c41);
    ap += 20;
    bp += 32;
  }
  const row = (<usize>ldc) << 2;
  v128.store(c + 0 * row, c00, 0); v128.store(c + 0 * row, c01, 16);
  v128.store(c + 1 * row, c10, 0); v128.store(c + 1 * row, c11, 16);
  v128.store(c + 2 * row, c20, 0); v128.store(c + 2 * row, c21, 16);
  v128.store(c + 3 * row, c30, 0); v128.store(c + 3 * row, c31, 16);
  v128.store(c + 4 * row, c40, 0); v128.store(c + 4 * row, c41, 16);
}

/** reps calls of variant id (order as in bench/tile_rows.ts) */
export function run(id: i32, reps: i32, ap: usize, bp: usize, kc: i32, c: usize): void {
  for (let r = 0; r < reps; r++) {
    if (id == 0) r4x8(ap, bp, kc, c, 16);
    else if (id == 1) r5x8(ap, bp, kc, c, 16);
    else if (id == 2) r5x8one(ap, bp, kc, c, 16);
    else if (id == 3) r5x8addr(ap, bp, kc, c, 16);
    else if (id == 4) r3x12(ap, bp, kc, c, 16);
    else if (id == 5) r6x8(ap, bp, kc, c, 16);
    else if (id == 6) r4x12(ap, bp, kc, c, 16);
    else if (id == 7) r4x8in(ap, bp, kc, c, 16);
    else if (id == 8) r5x8onein(ap, bp, kc, c, 16);
  }
}
