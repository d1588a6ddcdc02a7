// The one multiply-add of the SIMD kernels: a * b + c on four f32 lanes.
//
// The same source builds twice (package.json build:wasm). With `--enable relaxed-simd` the
// compile-time constant below is true and the kernels use f32x4.relaxed_madd, which V8 turns
// into one fused vfmadd instruction where the CPU has FMA (one rounding instead of two, and
// one instruction instead of two); without it they use mul then add, valid wherever plain SIMD
// is. The branch is resolved by the compiler, so neither build carries the other's code.
// Which build runs is decided at load time (module.ts).

// @ts-ignore: decorator
@inline
export function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}

/**
 * The same on one f32, for the scalar tails of kernels whose vector body uses madd: a column
 * then gets the same bits whichever path computes it. Wasm has no scalar fused multiply-add,
 * so the relaxed build goes through lane 0 of a vector.
 */
// @ts-ignore: decorator
@inline
export function maddf(a: f32, b: f32, c: f32): f32 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.extract_lane(f32x4.relaxed_madd(f32x4.splat(a), f32x4.splat(b), f32x4.splat(c)), 0);
  return c + a * b;
}
