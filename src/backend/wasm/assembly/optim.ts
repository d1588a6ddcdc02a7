// Optimizer updates in one pass over the parameters (task ids 40-42): the moments are updated in
// place and the new parameters written to `pOut`, with the same operations in the same order
// as the op-by-op formula, so both paths give the same float32 results.

export const TASK_ADAM: i32 = 40;

@inline function word(args: usize, i: i32): i32 {
  return load<i32>(args + ((<usize>i) << 2));
}

@inline function real(args: usize, i: i32): f32 {
  return load<f32>(args + ((<usize>i) << 2));
}

// args: p g m v pOut n per | alpha c1 c2 eps (f32), c1 = 1 - beta1, c2 = 1 - beta2
export function adamChunk(args: usize, chunk: i32): void {
  const n = word(args, 5), per = word(args, 6);
  const i0 = chunk * per, i1 = min(n, i0 + per);
  const p = <usize>word(args, 0), g = <usize>word(args, 1), m = <usize>word(args, 2);
  const v = <usize>word(args, 3), out = <usize>word(args, 4);
  const alpha = real(args, 7), c1 = real(args, 8), c2 = real(args, 9), eps = real(args, 10);
  const va = f32x4.splat(alpha), v1 = f32x4.splat(c1), v2 = f32x4.splat(c2), ve = f32x4.splat(eps);
  let i = i0;
  for (; i + 4 <= i1; i += 4) {
    const o = (<usize>i) << 2;
    const gi = v128.load(g + o);
    const mi = f32x4.add(v128.load(m + o), f32x4.mul(f32x4.sub(gi, v128.load(m + o)), v1));
    const vi = f32x4.add(v128.load(v + o), f32x4.mul(f32x4.sub(f32x4.mul(gi, gi), v128.load(v + o)), v2));
    v128.store(m + o, mi);
    v128.store(v + o, vi);
    const step = f32x4.div(f32x4.mul(mi, va), f32x4.add(f32x4.sqrt(vi), ve));
    v128.store(out + o, f32x4.sub(v128.load(p + o), step));
  }
  for (; i < i1; i++) {
    const o = (<usize>i) << 2;
    const gi = load<f32>(g + o);
    const mi = load<f32>(m + o) + (gi - load<f32>(m + o)) * c1;
    const vi = load<f32>(v + o) + (gi * gi - load<f32>(v + o)) * c2;
    store<f32>(m + o, mi);
    store<f32>(v + o, vi);
    store<f32>(out + o, load<f32>(p + o) - (mi * alpha) / (sqrt<f32>(vi) + eps));
  }
}

export const TASK_SGD_MOMENTUM: i32 = 41;
export const TASK_RMSPROP: i32 = 42;

// args: p g s _ pOut n per | lr a b (f32)
// SGD with momentum (a = momentum): s = s * a - g * lr; pOut = p + s.
// RMSprop (a = rho, b = epsilon): s = s * a + g * g * (1 - a); pOut = p - g * lr / sqrt(s + b).
export function sgdRmspropChunk(task: i32, args: usize, chunk: i32): void {
  const n = word(args, 5), per = word(args, 6);
  const i0 = chunk * per, i1 = min(n, i0 + per);
  const p = <usize>word(args, 0), g = <usize>word(args, 1), s = <usize>word(args, 2);
  const out = <usize>word(args, 4);
  const lr = real(args, 7), a = real(args, 8), b = real(args, 9);
  const one = <f32>1 - a;
  const vlr = f32x4.splat(lr), va = f32x4.splat(a), vb = f32x4.splat(b), vone = f32x4.splat(one);
  const rms = task == TASK_RMSPROP;
  let i = i0;
  for (; i + 4 <= i1; i += 4) {
    const o = (<usize>i) << 2;
    const gi = v128.load(g + o);
    if (rms) {
      const si = f32x4.add(f32x4.mul(v128.load(s + o), va), f32x4.mul(f32x4.mul(gi, gi), vone));
      v128.store(s + o, si);
      const inc = f32x4.div(f32x4.mul(gi, vlr), f32x4.sqrt(f32x4.add(si, vb)));
      v128.store(out + o, f32x4.sub(v128.load(p + o), inc));
    } else {
      const si = f32x4.sub(f32x4.mul(v128.load(s + o), va), f32x4.mul(gi, vlr));
      v128.store(s + o, si);
      v128.store(out + o, f32x4.add(v128.load(p + o), si));
    }
  }
  for (; i < i1; i++) {
    const o = (<usize>i) << 2;
    const gi = load<f32>(g + o);
    if (rms) {
      const si = load<f32>(s + o) * a + gi * gi * one;
      store<f32>(s + o, si);
      store<f32>(out + o, load<f32>(p + o) - (gi * lr) / sqrt<f32>(si + b));
    } else {
      const si = load<f32>(s + o) * a - gi * lr;
      store<f32>(s + o, si);
      store<f32>(out + o, load<f32>(p + o) + si);
    }
  }
}

// ---- dropout mask ----------------------------------------------------------------------------

export const TASK_DROPOUT_MASK: i32 = 43;

@inline function rotl(x: u32, k: u32): u32 {
  return (x << k) | (x >>> (32 - k));
}

// args: out n | s0 s1 s2 s3 (the generator's state, updated) | threshold (f64 at word 8) |
// scale (f32 at word 10). out[i] = (next xoshiro128** draw < threshold) ? scale : 0: the same
// draws, in the same order, as tensor/random.ts' Random.nextUint32 in the dropout op, so both
// backends drop the same elements. One chunk: the stream is sequential.
export function dropoutMask(args: usize): void {
  const out = <usize>word(args, 0), n = word(args, 1);
  let s0 = <u32>word(args, 2), s1 = <u32>word(args, 3), s2 = <u32>word(args, 4), s3 = <u32>word(args, 5);
  const threshold = load<f64>(args + 32), scale = real(args, 10);
  for (let i = 0; i < n; i++) {
    const result = rotl(s1 * 5, 7) * 9;
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl(s3, 11);
    store<f32>(out + ((<usize>i) << 2), <f64>result < threshold ? scale : 0);
  }
  store<u32>(args + 8, s0);
  store<u32>(args + 12, s1);
  store<u32>(args + 16, s2);
  store<u32>(args + 20, s3);
}
