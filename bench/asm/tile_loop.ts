// Variants of the GEMM's 4x8 register tile, for bench/tile_loop.ts (bare-loop harness): each
// computes C (4 x 8, row stride ldc) = Ap (kc x 4, packed) * Bp (kc x 8, packed). Built by
// bench/tile_loop.ts with asc, plain or relaxed SIMD; kept out of tsc (tsconfig excludes bench/asm).
import { madd } from '../../src/backend/wasm/assembly/fma';

@inline function store4x8(c: usize, ldc: i32, c00: v128, c01: v128, c10: v128, c11: v128,
                          c20: v128, c21: v128, c30: v128, c31: v128): void {
  const row = (<usize>ldc) << 2;
  v128.store(c, c00); v128.store(c, c01, 16);
  v128.store(c + row, c10); v128.store(c + row, c11, 16);
  v128.store(c + 2 * row, c20); v128.store(c + 2 * row, c21, 16);
  v128.store(c + 3 * row, c30); v128.store(c + 3 * row, c31, 16);
}

/** the GEMM's tile4x8 as it is: load_splat with offsets, counter loop */
export function tRef(ap: usize, bp: usize, kc: i32, c: usize, ldc: i32): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    let a = v128.load32_splat(ap);
    c00 = madd(a, b0, c00); c01 = madd(a, b1, c01);
    a = v128.load32_splat(ap, 4);
    c10 = madd(a, b0, c10); c11 = madd(a, b1, c11);
    a = v128.load32_splat(ap, 8);
    c20 = madd(a, b0, c20); c21 = madd(a, b1, c21);
    a = v128.load32_splat(ap, 12);
    c30 = madd(a, b0, c30); c31 = madd(a, b1, c31);
    ap += 16;
    bp += 32;
  }
  store4x8(c, ldc, c00, c01, c10, c11, c20, c21, c30, c31);
}

/** one v128 load of the 4 A values of a step, lanes broadcast by shuffles */
export function tShuf(ap: usize, bp: usize, kc: i32, c: usize, ldc: i32): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    const av = v128.load(ap);
    let a = i32x4.shuffle(av, av, 0, 0, 0, 0);
    c00 = madd(a, b0, c00); c01 = madd(a, b1, c01);
    a = i32x4.shuffle(av, av, 1, 1, 1, 1);
    c10 = madd(a, b0, c10); c11 = madd(a, b1, c11);
    a = i32x4.shuffle(av, av, 2, 2, 2, 2);
    c20 = madd(a, b0, c20); c21 = madd(a, b1, c21);
    a = i32x4.shuffle(av, av, 3, 3, 3, 3);
    c30 = madd(a, b0, c30); c31 = madd(a, b1, c31);
    ap += 16;
    bp += 32;
  }
  store4x8(c, ldc, c00, c01, c10, c11, c20, c21, c30, c31);
}

/** k unrolled by 2, load_splat with offsets (kc even) */
export function tUnroll2(ap: usize, bp: usize, kc: i32, c: usize, ldc: i32): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  for (let p = 0; p < kc; p += 2) {
    let b0 = v128.load(bp);
    let b1 = v128.load(bp, 16);
    let a = v128.load32_splat(ap);
    c00 = madd(a, b0, c00); c01 = madd(a, b1, c01);
    a = v128.load32_splat(ap, 4);
    c10 = madd(a, b0, c10); c11 = madd(a, b1, c11);
    a = v128.load32_splat(ap, 8);
    c20 = madd(a, b0, c20); c21 = madd(a, b1, c21);
    a = v128.load32_splat(ap, 12);
    c30 = madd(a, b0, c30); c31 = madd(a, b1, c31);
    b0 = v128.load(bp, 32);
    b1 = v128.load(bp, 48);
    a = v128.load32_splat(ap, 16);
    c00 = madd(a, b0, c00); c01 = madd(a, b1, c01);
    a = v128.load32_splat(ap, 20);
    c10 = madd(a, b0, c10); c11 = madd(a, b1, c11);
    a = v128.load32_splat(ap, 24);
    c20 = madd(a, b0, c20); c21 = madd(a, b1, c21);
    a = v128.load32_splat(ap, 28);
    c30 = madd(a, b0, c30); c31 = madd(a, b1, c31);
    ap += 32;
    bp += 64;
  }
  store4x8(c, ldc, c00, c01, c10, c11, c20, c21, c30, c31);
}

/** shuffled broadcasts and k unrolled by 2 (kc even) */
export function tShufUnroll2(ap: usize, bp: usize, kc: i32, c: usize, ldc: i32): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  for (let p = 0; p < kc; p += 2) {
    let b0 = v128.load(bp);
    let b1 = v128.load(bp, 16);
    let av = v128.load(ap);
    let a = i32x4.shuffle(av, av, 0, 0, 0, 0);
    c00 = madd(a, b0, c00); c01 = madd(a, b1, c01);
    a = i32x4.shuffle(av, av, 1, 1, 1, 1);
    c10 = madd(a, b0, c10); c11 = madd(a, b1, c11);
    a = i32x4.shuffle(av, av, 2, 2, 2, 2);
    c20 = madd(a, b0, c20); c21 = madd(a, b1, c21);
    a = i32x4.shuffle(av, av, 3, 3, 3, 3);
    c30 = madd(a, b0, c30); c31 = madd(a, b1, c31);
    b0 = v128.load(bp, 32);
    b1 = v128.load(bp, 48);
    av = v128.load(ap, 16);
    a = i32x4.shuffle(av, av, 0, 0, 0, 0);
    c00 = madd(a, b0, c00); c01 = madd(a, b1, c01);
    a = i32x4.shuffle(av, av, 1, 1, 1, 1);
    c10 = madd(a, b0, c10); c11 = madd(a, b1, c11);
    a = i32x4.shuffle(av, av, 2, 2, 2, 2);
    c20 = madd(a, b0, c20); c21 = madd(a, b1, c21);
    a = i32x4.shuffle(av, av, 3, 3, 3, 3);
    c30 = madd(a, b0, c30); c31 = madd(a, b1, c31);
    ap += 32;
    bp += 64;
  }
  store4x8(c, ldc, c00, c01, c10, c11, c20, c21, c30, c31);
}

/** end-pointer while loop, computed A addresses (tile6x8's form) */
export function tWhile(ap: usize, bp: usize, kc: i32, c: usize, ldc: i32): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  const end = ap + (<usize>(kc * 16));
  while (ap < end) {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    const av = v128.load(ap);
    let a = i32x4.shuffle(av, av, 0, 0, 0, 0);
    c00 = madd(a, b0, c00); c01 = madd(a, b1, c01);
    a = i32x4.shuffle(av, av, 1, 1, 1, 1);
    c10 = madd(a, b0, c10); c11 = madd(a, b1, c11);
    a = i32x4.shuffle(av, av, 2, 2, 2, 2);
    c20 = madd(a, b0, c20); c21 = madd(a, b1, c21);
    a = i32x4.shuffle(av, av, 3, 3, 3, 3);
    c30 = madd(a, b0, c30); c31 = madd(a, b1, c31);
    ap += 16;
    bp += 32;
  }
  store4x8(c, ldc, c00, c01, c10, c11, c20, c21, c30, c31);
}

/** steps of 4 A values broadcast by shuffles; two steps per loop turn with the exit test between them */
export function tShufMid(ap: usize, bp: usize, kc: i32, c: usize, ldc: i32): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  const end = ap + (<usize>(kc * 16));
  const end1 = end - 16;
  while (ap < end) {
    let b0 = v128.load(bp);
    let b1 = v128.load(bp, 16);
    let av = v128.load(ap);
    let a = i32x4.shuffle(av, av, 0, 0, 0, 0);
    c00 = madd(a, b0, c00); c01 = madd(a, b1, c01);
    a = i32x4.shuffle(av, av, 1, 1, 1, 1);
    c10 = madd(a, b0, c10); c11 = madd(a, b1, c11);
    a = i32x4.shuffle(av, av, 2, 2, 2, 2);
    c20 = madd(a, b0, c20); c21 = madd(a, b1, c21);
    a = i32x4.shuffle(av, av, 3, 3, 3, 3);
    c30 = madd(a, b0, c30); c31 = madd(a, b1, c31);
    if (ap >= end1) break;
    b0 = v128.load(bp, 32);
    b1 = v128.load(bp, 48);
    av = v128.load(ap, 16);
    a = i32x4.shuffle(av, av, 0, 0, 0, 0);
    c00 = madd(a, b0, c00); c01 = madd(a, b1, c01);
    a = i32x4.shuffle(av, av, 1, 1, 1, 1);
    c10 = madd(a, b0, c10); c11 = madd(a, b1, c11);
    a = i32x4.shuffle(av, av, 2, 2, 2, 2);
    c20 = madd(a, b0, c20); c21 = madd(a, b1, c21);
    a = i32x4.shuffle(av, av, 3, 3, 3, 3);
    c30 = madd(a, b0, c30); c31 = madd(a, b1, c31);
    ap += 32;
    bp += 64;
  }
  store4x8(c, ldc, c00, c01, c10, c11, c20, c21, c30, c31);
}

/** load_splat from computed addresses; two steps per loop turn with the exit test between them */
export function tSplatMid(ap: usize, bp: usize, kc: i32, c: usize, ldc: i32): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  const end = ap + (<usize>(kc * 16));
  const end1 = end - 16;
  while (ap < end) {
    let b0 = v128.load(bp);
    let b1 = v128.load(bp, 16);
    let a = v128.load32_splat(ap);
    c00 = madd(a, b0, c00); c01 = madd(a, b1, c01);
    a = v128.load32_splat(ap + 4);
    c10 = madd(a, b0, c10); c11 = madd(a, b1, c11);
    a = v128.load32_splat(ap + 8);
    c20 = madd(a, b0, c20); c21 = madd(a, b1, c21);
    a = v128.load32_splat(ap + 12);
    c30 = madd(a, b0, c30); c31 = madd(a, b1, c31);
    if (ap >= end1) break;
    b0 = v128.load(bp, 32);
    b1 = v128.load(bp, 48);
    a = v128.load32_splat(ap + 16);
    c00 = madd(a, b0, c00); c01 = madd(a, b1, c01);
    a = v128.load32_splat(ap + 20);
    c10 = madd(a, b0, c10); c11 = madd(a, b1, c11);
    a = v128.load32_splat(ap + 24);
    c20 = madd(a, b0, c20); c21 = madd(a, b1, c21);
    a = v128.load32_splat(ap + 28);
    c30 = madd(a, b0, c30); c31 = madd(a, b1, c31);
    ap += 32;
    bp += 64;
  }
  store4x8(c, ldc, c00, c01, c10, c11, c20, c21, c30, c31);
}

/** shuffled broadcasts; the loop runs two steps a turn (one test), an odd last step after it */
export function tShufPairs(ap: usize, bp: usize, kc: i32, c: usize, ldc: i32): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  const end = ap + (<usize>(kc * 16));
  const end2 = end - 16;
  while (ap < end2) {
    let b0 = v128.load(bp);
    let b1 = v128.load(bp, 16);
    let av = v128.load(ap);
    let a = i32x4.shuffle(av, av, 0, 0, 0, 0);
    c00 = madd(a, b0, c00); c01 = madd(a, b1, c01);
    a = i32x4.shuffle(av, av, 1, 1, 1, 1);
    c10 = madd(a, b0, c10); c11 = madd(a, b1, c11);
    a = i32x4.shuffle(av, av, 2, 2, 2, 2);
    c20 = madd(a, b0, c20); c21 = madd(a, b1, c21);
    a = i32x4.shuffle(av, av, 3, 3, 3, 3);
    c30 = madd(a, b0, c30); c31 = madd(a, b1, c31);
    b0 = v128.load(bp, 32);
    b1 = v128.load(bp, 48);
    av = v128.load(ap, 16);
    a = i32x4.shuffle(av, av, 0, 0, 0, 0);
    c00 = madd(a, b0, c00); c01 = madd(a, b1, c01);
    a = i32x4.shuffle(av, av, 1, 1, 1, 1);
    c10 = madd(a, b0, c10); c11 = madd(a, b1, c11);
    a = i32x4.shuffle(av, av, 2, 2, 2, 2);
    c20 = madd(a, b0, c20); c21 = madd(a, b1, c21);
    a = i32x4.shuffle(av, av, 3, 3, 3, 3);
    c30 = madd(a, b0, c30); c31 = madd(a, b1, c31);
    ap += 32;
    bp += 64;
  }
  if (ap < end) {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    const av = v128.load(ap);
    let a = i32x4.shuffle(av, av, 0, 0, 0, 0);
    c00 = madd(a, b0, c00); c01 = madd(a, b1, c01);
    a = i32x4.shuffle(av, av, 1, 1, 1, 1);
    c10 = madd(a, b0, c10); c11 = madd(a, b1, c11);
    a = i32x4.shuffle(av, av, 2, 2, 2, 2);
    c20 = madd(a, b0, c20); c21 = madd(a, b1, c21);
    a = i32x4.shuffle(av, av, 3, 3, 3, 3);
    c30 = madd(a, b0, c30); c31 = madd(a, b1, c31);
  }
  store4x8(c, ldc, c00, c01, c10, c11, c20, c21, c30, c31);
}

/** load_splat with offsets (the reference's form); two steps per loop turn with the exit test between them */
export function tSplatMidOff(ap: usize, bp: usize, kc: i32, c: usize, ldc: i32): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  const end = ap + (<usize>(kc * 16));
  const end1 = end - 16;
  while (ap < end) {
    let b0 = v128.load(bp);
    let b1 = v128.load(bp, 16);
    let a = v128.load32_splat(ap);
    c00 = madd(a, b0, c00); c01 = madd(a, b1, c01);
    a = v128.load32_splat(ap, 4);
    c10 = madd(a, b0, c10); c11 = madd(a, b1, c11);
    a = v128.load32_splat(ap, 8);
    c20 = madd(a, b0, c20); c21 = madd(a, b1, c21);
    a = v128.load32_splat(ap, 12);
    c30 = madd(a, b0, c30); c31 = madd(a, b1, c31);
    if (ap >= end1) break;
    b0 = v128.load(bp, 32);
    b1 = v128.load(bp, 48);
    a = v128.load32_splat(ap, 16);
    c00 = madd(a, b0, c00); c01 = madd(a, b1, c01);
    a = v128.load32_splat(ap, 20);
    c10 = madd(a, b0, c10); c11 = madd(a, b1, c11);
    a = v128.load32_splat(ap, 24);
    c20 = madd(a, b0, c20); c21 = madd(a, b1, c21);
    a = v128.load32_splat(ap, 28);
    c30 = madd(a, b0, c30); c31 = madd(a, b1, c31);
    ap += 32;
    bp += 64;
  }
  store4x8(c, ldc, c00, c01, c10, c11, c20, c21, c30, c31);
}

/** A packed pre-broadcast (each value 4 times: 64 bytes a step): plain loads with offsets */
export function tBcast(ap: usize, bp: usize, kc: i32, c: usize, ldc: i32): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  const end = ap + (<usize>(kc * 64));
  while (ap < end) {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    let a = v128.load(ap);
    c00 = madd(a, b0, c00); c01 = madd(a, b1, c01);
    a = v128.load(ap, 16);
    c10 = madd(a, b0, c10); c11 = madd(a, b1, c11);
    a = v128.load(ap, 32);
    c20 = madd(a, b0, c20); c21 = madd(a, b1, c21);
    a = v128.load(ap, 48);
    c30 = madd(a, b0, c30); c31 = madd(a, b1, c31);
    ap += 64;
    bp += 32;
  }
  store4x8(c, ldc, c00, c01, c10, c11, c20, c21, c30, c31);
}

/** pre-broadcast A, two steps a turn with the exit test between them */
export function tBcastMid(ap: usize, bp: usize, kc: i32, c: usize, ldc: i32): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  const end = ap + (<usize>(kc * 64));
  const end1 = end - 64;
  while (ap < end) {
    let b0 = v128.load(bp);
    let b1 = v128.load(bp, 16);
    let a = v128.load(ap);
    c00 = madd(a, b0, c00); c01 = madd(a, b1, c01);
    a = v128.load(ap, 16);
    c10 = madd(a, b0, c10); c11 = madd(a, b1, c11);
    a = v128.load(ap, 32);
    c20 = madd(a, b0, c20); c21 = madd(a, b1, c21);
    a = v128.load(ap, 48);
    c30 = madd(a, b0, c30); c31 = madd(a, b1, c31);
    if (ap >= end1) break;
    b0 = v128.load(bp, 32);
    b1 = v128.load(bp, 48);
    a = v128.load(ap, 64);
    c00 = madd(a, b0, c00); c01 = madd(a, b1, c01);
    a = v128.load(ap, 80);
    c10 = madd(a, b0, c10); c11 = madd(a, b1, c11);
    a = v128.load(ap, 96);
    c20 = madd(a, b0, c20); c21 = madd(a, b1, c21);
    a = v128.load(ap, 112);
    c30 = madd(a, b0, c30); c31 = madd(a, b1, c31);
    ap += 128;
    bp += 64;
  }
  store4x8(c, ldc, c00, c01, c10, c11, c20, c21, c30, c31);
}

/** conv_direct.ts's loop as it is: the 4 A values of a step px bytes apart (4 output pixels), counter loop */
export function tDirRef(ap: usize, bp: usize, kc: i32, c: usize, px: usize): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  let a = ap;
  for (let ci = 0; ci < kc; ci++) {
    const b0 = v128.load(bp), b1 = v128.load(bp, 16);
    let v = v128.load32_splat(a);
    c00 = madd(v, b0, c00); c01 = madd(v, b1, c01);
    v = v128.load32_splat(a + px);
    c10 = madd(v, b0, c10); c11 = madd(v, b1, c11);
    v = v128.load32_splat(a + 2 * px);
    c20 = madd(v, b0, c20); c21 = madd(v, b1, c21);
    v = v128.load32_splat(a + 3 * px);
    c30 = madd(v, b0, c30); c31 = madd(v, b1, c31);
    a += 4;
    bp += 32;
  }
  store4x8(c, 8, c00, c01, c10, c11, c20, c21, c30, c31);
}

/** the same with two steps a turn, the exit test between them, and an end pointer */
export function tDirMid(ap: usize, bp: usize, kc: i32, c: usize, px: usize): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  let a = ap;
  const end = ap + (<usize>kc << 2), end1 = end - 4;
  const px2 = px + px, px3 = px2 + px;
  while (a < end) {
    let b0 = v128.load(bp), b1 = v128.load(bp, 16);
    let v = v128.load32_splat(a);
    c00 = madd(v, b0, c00); c01 = madd(v, b1, c01);
    v = v128.load32_splat(a + px);
    c10 = madd(v, b0, c10); c11 = madd(v, b1, c11);
    v = v128.load32_splat(a + px2);
    c20 = madd(v, b0, c20); c21 = madd(v, b1, c21);
    v = v128.load32_splat(a + px3);
    c30 = madd(v, b0, c30); c31 = madd(v, b1, c31);
    if (a >= end1) break;
    b0 = v128.load(bp, 32); b1 = v128.load(bp, 48);
    v = v128.load32_splat(a, 4);
    c00 = madd(v, b0, c00); c01 = madd(v, b1, c01);
    v = v128.load32_splat(a + px, 4);
    c10 = madd(v, b0, c10); c11 = madd(v, b1, c11);
    v = v128.load32_splat(a + px2, 4);
    c20 = madd(v, b0, c20); c21 = madd(v, b1, c21);
    v = v128.load32_splat(a + px3, 4);
    c30 = madd(v, b0, c30); c31 = madd(v, b1, c31);
    a += 8;
    bp += 64;
  }
  store4x8(c, 8, c00, c01, c10, c11, c20, c21, c30, c31);
}

/** one pointer per A row (4 adds a step, no address arithmetic in the loads) */
export function tDirPtrs(ap: usize, bp: usize, kc: i32, c: usize, px: usize): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  let a0 = ap, a1 = ap + px, a2 = ap + 2 * px, a3 = ap + 3 * px;
  const end = ap + (<usize>kc << 2), end1 = end - 4;
  while (a0 < end) {
    let b0 = v128.load(bp), b1 = v128.load(bp, 16);
    let v = v128.load32_splat(a0);
    c00 = madd(v, b0, c00); c01 = madd(v, b1, c01);
    v = v128.load32_splat(a1);
    c10 = madd(v, b0, c10); c11 = madd(v, b1, c11);
    v = v128.load32_splat(a2);
    c20 = madd(v, b0, c20); c21 = madd(v, b1, c21);
    v = v128.load32_splat(a3);
    c30 = madd(v, b0, c30); c31 = madd(v, b1, c31);
    if (a0 >= end1) break;
    b0 = v128.load(bp, 32); b1 = v128.load(bp, 48);
    v = v128.load32_splat(a0, 4);
    c00 = madd(v, b0, c00); c01 = madd(v, b1, c01);
    v = v128.load32_splat(a1, 4);
    c10 = madd(v, b0, c10); c11 = madd(v, b1, c11);
    v = v128.load32_splat(a2, 4);
    c20 = madd(v, b0, c20); c21 = madd(v, b1, c21);
    v = v128.load32_splat(a3, 4);
    c30 = madd(v, b0, c30); c31 = madd(v, b1, c31);
    a0 += 8; a1 += 8; a2 += 8; a3 += 8;
    bp += 64;
  }
  store4x8(c, 8, c00, c01, c10, c11, c20, c21, c30, c31);
}

/**
 * reps calls of one variant (id as in bench/tile_loop.ts) on the same panels: B at bp, A at ap
 * and, broadcast (each value 4 times), at ap + kc * 48 for the tBcast variants
 */
export function run(id: i32, reps: i32, ap: usize, bp: usize, kc: i32, c: usize): void {
  for (let r = 0; r < reps; r++) {
    if (id == 0) tRef(ap, bp, kc, c, 8);
    else if (id == 1) tShuf(ap, bp, kc, c, 8);
    else if (id == 2) tUnroll2(ap, bp, kc, c, 8);
    else if (id == 3) tShufUnroll2(ap, bp, kc, c, 8);
    else if (id == 4) tWhile(ap, bp, kc, c, 8);
    else if (id == 5) tShufMid(ap, bp, kc, c, 8);
    else if (id == 6) tSplatMid(ap, bp, kc, c, 8);
    else if (id == 7) tShufPairs(ap, bp, kc, c, 8);
    else if (id == 8) tSplatMidOff(ap, bp, kc, c, 8);
    else if (id == 9) tBcast(ap + (<usize>(kc * 48)), bp, kc, c, 8);
    else if (id == 10) tBcastMid(ap + (<usize>(kc * 48)), bp, kc, c, 8);
    else if (id == 11) tDirRef(ap, bp, kc, c, <usize>(kc * 4));
    else if (id == 12) tDirMid(ap, bp, kc, c, <usize>(kc * 4));
    else tDirPtrs(ap, bp, kc, c, <usize>(kc * 4));
  }
}
