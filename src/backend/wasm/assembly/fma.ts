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
