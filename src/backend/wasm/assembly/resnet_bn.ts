// (resnet speed area, tasks 121-124) Training-mode batch normalisation over the last axis, x
// viewed as [rows, c], for conv nets (ResNets put one after every convolution):
//   121 the batch statistics in one streaming pass, row by row (the column-blocked kernel of
//       fused_nn.ts walks a chunk's rows once per four channels and twice, for the mean and
//       then the variance: with few channels a chunk's rows leave the cache between walks);
//   122 the backward pass's two per-channel sums, row by row, optionally through relu's mask;
//   123 normalisation with scale and offset, then relu, in one pass (batch norm + relu layers);
//   124 the input gradient through relu's mask, in one pass.
// Reductions write one f64 partial per chunk, added by the caller in chunk order: chunks depend
// only on the shape, so one and many threads give the same bits.
import { arg, off, at } from './fused_nn';

export const TASK_BN_MOMENTS = 121, TASK_BN_GRAD_MOMENTS = 122, TASK_BN_APPLY_RELU = 123, TASK_BN_GRAD_DX_RELU = 124;

@inline function promoteHigh(v: v128): v128 {
  return f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1));
}

@inline function p64(base: usize, j: i32): usize {
  return base + ((<usize>j) << 3);
}

/** dy where y > 0, else dy * 0 (relu's gradient from its output, as Backend.reluGrad). */
@inline function reluMask(d: v128, y: v128): v128 {
  return v128.bitselect(d, f32x4.mul(d, f32x4.splat(0)), f32x4.gt(y, f32x4.splat(0)));
}

// (bn speed area, issue 18) The two reductions below add in float32 over runs of RUN rows, the
// run's sums kept in registers, then add each run's sums into the chunk's float64 partials. Each
// element then costs a few float32 operations where the float64 sums cost two conversions and
// twice the adds, and the partials leave memory only once per run (with 16 channels the float64
// partials were loaded and stored at every row). A float32 sum of RUN values errs by at most
// (RUN - 1) ulp-halves of the run's magnitude, ~1e-6 relative for RUN 16 (test/backend/
// wasm_bn_speed.test.ts measures the statistics' error against a float64 reference: ~1e-7).
const RUN = 16;

@inline function addPromoted(p: usize, j: i32, v: v128): void {
  v128.store(p64(p, j), f64x2.add(v128.load(p64(p, j)), f64x2.promote_low_f32x4(v)));
  v128.store(p64(p, j + 2), f64x2.add(v128.load(p64(p, j + 2)), promoteHigh(v)));
}

// 121 args: x shift rows c per partials. partial [2c] per chunk: sum (x - shift[j]) then
// sum (x - shift[j])^2 (the shift, one row of x, keeps the variance free of cancellation)
function bnMoments(args: usize, chunk: i32): void {
  const x = <usize>arg(args, 0), shift = <usize>arg(args, 1), rows = arg(args, 2), c = arg(args, 3);
  const per = arg(args, 4);
  const part = <usize>arg(args, 5) + ((<usize>(chunk * 2 * c)) << 3);
  const r0 = chunk * per, r1 = min(rows, r0 + per);
  memory.fill(part, 0, (<usize>(2 * c)) << 3);
  const sq = p64(part, c);
  const stride = off(c);
  for (let r = r0; r < r1; r += RUN) {
    const n = min(RUN, r1 - r);
    const base = x + off(r * c);
    let j = 0;
    // blocks of 16 channels: 4 sums and 4 sums of squares in registers down the run's rows
    for (; j + 16 <= c; j += 16) {
      const k0 = v128.load(shift + off(j)), k1 = v128.load(shift + off(j + 4));
      const k2 = v128.load(shift + off(j + 8)), k3 = v128.load(shift + off(j + 12));
      let s0 = f32x4.splat(0), s1 = s0, s2 = s0, s3 = s0, q0 = s0, q1 = s0, q2 = s0, q3 = s0;
      let p = base + off(j);
      for (let i = 0; i < n; i++, p += stride) {
        const d0 = f32x4.sub(v128.load(p), k0), d1 = f32x4.sub(v128.load(p, 16), k1);
        const d2 = f32x4.sub(v128.load(p, 32), k2), d3 = f32x4.sub(v128.load(p, 48), k3);
        s0 = f32x4.add(s0, d0); s1 = f32x4.add(s1, d1); s2 = f32x4.add(s2, d2); s3 = f32x4.add(s3, d3);
        q0 = f32x4.add(q0, f32x4.mul(d0, d0)); q1 = f32x4.add(q1, f32x4.mul(d1, d1));
        q2 = f32x4.add(q2, f32x4.mul(d2, d2)); q3 = f32x4.add(q3, f32x4.mul(d3, d3));
      }
      addPromoted(part, j, s0); addPromoted(part, j + 4, s1); addPromoted(part, j + 8, s2); addPromoted(part, j + 12, s3);
      addPromoted(sq, j, q0); addPromoted(sq, j + 4, q1); addPromoted(sq, j + 8, q2); addPromoted(sq, j + 12, q3);
    }
    for (; j + 4 <= c; j += 4) {
      const k = v128.load(shift + off(j));
      let s = f32x4.splat(0), q = s;
      let p = base + off(j);
      for (let i = 0; i < n; i++, p += stride) {
        const d = f32x4.sub(v128.load(p), k);
        s = f32x4.add(s, d);
        q = f32x4.add(q, f32x4.mul(d, d));
      }
      addPromoted(part, j, s);
      addPromoted(sq, j, q);
    }
    for (; j < c; j++) {
      const k = at(shift, j);
      let s: f32 = 0, q: f32 = 0;
      let p = base + off(j);
      for (let i = 0; i < n; i++, p += stride) {
        const d = load<f32>(p) - k;
        s += d;
        q += d * d;
      }
      store<f64>(p64(part, j), load<f64>(p64(part, j)) + <f64>s);
      store<f64>(p64(sq, j), load<f64>(p64(sq, j)) + <f64>q);
    }
  }
}

@inline function gradIn(dy: usize, y: usize, o: usize): v128 {
  const g = v128.load(dy + o);
  return y != 0 ? reluMask(g, v128.load(y + o)) : g;
}

// 122 args: dy x mean y rows c per partials. g = dy, or relu's mask of dy by y when y != 0.
// partial [2c] per chunk: sum g, then sum g (x - mean[j])
function bnGradMoments(args: usize, chunk: i32): void {
  const dy = <usize>arg(args, 0), x = <usize>arg(args, 1), mean = <usize>arg(args, 2), y = <usize>arg(args, 3);
  const rows = arg(args, 4), c = arg(args, 5), per = arg(args, 6);
  const part = <usize>arg(args, 7) + ((<usize>(chunk * 2 * c)) << 3);
  const r0 = chunk * per, r1 = min(rows, r0 + per);
  memory.fill(part, 0, (<usize>(2 * c)) << 3);
  const pr = p64(part, c);
  const stride = off(c);
  for (let r = r0; r < r1; r += RUN) {
    const n = min(RUN, r1 - r);
    const base = off(r * c);
    let j = 0;
    for (; j + 8 <= c; j += 8) {
      const m0 = v128.load(mean + off(j)), m1 = v128.load(mean + off(j + 4));
      let s0 = f32x4.splat(0), s1 = s0, q0 = s0, q1 = s0;
      let o = base + off(j);
      for (let i = 0; i < n; i++, o += stride) {
        const g0 = gradIn(dy, y, o), g1 = gradIn(dy, y, o + 16);
        s0 = f32x4.add(s0, g0); s1 = f32x4.add(s1, g1);
        q0 = f32x4.add(q0, f32x4.mul(g0, f32x4.sub(v128.load(x + o), m0)));
        q1 = f32x4.add(q1, f32x4.mul(g1, f32x4.sub(v128.load(x + o, 16), m1)));
      }
      addPromoted(part, j, s0); addPromoted(part, j + 4, s1);
      addPromoted(pr, j, q0); addPromoted(pr, j + 4, q1);
    }
    for (; j + 4 <= c; j += 4) {
      const m = v128.load(mean + off(j));
      let s = f32x4.splat(0), q = s;
      let o = base + off(j);
      for (let i = 0; i < n; i++, o += stride) {
        const g = gradIn(dy, y, o);
        s = f32x4.add(s, g);
        q = f32x4.add(q, f32x4.mul(g, f32x4.sub(v128.load(x + o), m)));
      }
      addPromoted(part, j, s);
      addPromoted(pr, j, q);
    }
    for (; j < c; j++) {
      const m = at(mean, j);
      let s: f32 = 0, q: f32 = 0;
      let o = base + off(j);
      for (let i = 0; i < n; i++, o += stride) {
        let g = load<f32>(dy + o);
        if (y != 0 && !(load<f32>(y + o) > 0)) g = g * 0;
        s += g;
        q += g * (load<f32>(x + o) - m);
      }
      store<f64>(p64(part, j), load<f64>(p64(part, j)) + <f64>s);
      store<f64>(p64(pr, j), load<f64>(p64(pr, j)) + <f64>q);
    }
  }
}

// 123 args: x mean scale offset y rows c per:  y = relu((x - mean[j]) * scale[j] + offset[j])
// (relu keeps NaN and makes -0 +0, as the element-wise relu kernel)
function bnApplyRelu(args: usize, chunk: i32): void {
  const x = <usize>arg(args, 0), mean = <usize>arg(args, 1), scale = <usize>arg(args, 2);
  const offset = <usize>arg(args, 3), y = <usize>arg(args, 4), rows = arg(args, 5), c = arg(args, 6);
  const per = arg(args, 7);
  const r0 = chunk * per, r1 = min(rows, r0 + per);
  const zero = f32x4.splat(0);
  for (let r = r0; r < r1; r++) {
    const xr = x + off(r * c), yr = y + off(r * c);
    let j = 0;
    for (; j + 4 <= c; j += 4) {
      const d = f32x4.sub(v128.load(xr + off(j)), v128.load(mean + off(j)));
      const v = f32x4.add(f32x4.mul(d, v128.load(scale + off(j))), v128.load(offset + off(j)));
      const keep = v128.or(f32x4.gt(v, zero), f32x4.ne(v, v));
      v128.store(yr + off(j), v128.bitselect(v, zero, keep));
    }
    for (; j < c; j++) {
      const v = (at(xr, j) - at(mean, j)) * at(scale, j) + at(offset, j);
      store<f32>(yr + off(j), v > 0 || v != v ? v : 0);
    }
  }
}

// 124 args: dy x mean a b k dx rows c per y:  g = relu's mask of dy by y;
// dx = (g - a[j] - (x - mean[j]) * b[j]) * k[j]
function bnGradDxRelu(args: usize, chunk: i32): void {
  const dy = <usize>arg(args, 0), x = <usize>arg(args, 1), mean = <usize>arg(args, 2);
  const a = <usize>arg(args, 3), b = <usize>arg(args, 4), k = <usize>arg(args, 5), dx = <usize>arg(args, 6);
  const rows = arg(args, 7), c = arg(args, 8), per = arg(args, 9), y = <usize>arg(args, 10);
  const r0 = chunk * per, r1 = min(rows, r0 + per);
  for (let r = r0; r < r1; r++) {
    const o = off(r * c);
    let j = 0;
    for (; j + 4 <= c; j += 4) {
      const g = reluMask(v128.load(dy + o + off(j)), v128.load(y + o + off(j)));
      const xc = f32x4.sub(v128.load(x + o + off(j)), v128.load(mean + off(j)));
      const t = f32x4.sub(f32x4.sub(g, v128.load(a + off(j))), f32x4.mul(xc, v128.load(b + off(j))));
      v128.store(dx + o + off(j), f32x4.mul(t, v128.load(k + off(j))));
    }
    for (; j < c; j++) {
      let g = at(dy + o, j);
      if (!(at(y + o, j) > 0)) g = g * 0;
      store<f32>(dx + o + off(j), (g - at(a, j) - (at(x + o, j) - at(mean, j)) * at(b, j)) * at(k, j));
    }
  }
}

// ---- bn speed area (issue 18, task 155) ----
export const TASK_BN_APPLY_ADD_RELU = 155;

// 155 args: x mean scale offset y rows c per res:  y = relu((x - mean[j]) * scale[j] + offset[j] + res)
// (a residual block's second batch norm, its Add and the relu after it in one pass: x and res
// read once, y written once, where the three ops read four tensors and write three)
function bnApplyAddRelu(args: usize, chunk: i32): void {
  const x = <usize>arg(args, 0), mean = <usize>arg(args, 1), scale = <usize>arg(args, 2);
  const offset = <usize>arg(args, 3), y = <usize>arg(args, 4), rows = arg(args, 5), c = arg(args, 6);
  const per = arg(args, 7), res = <usize>arg(args, 8);
  const r0 = chunk * per, r1 = min(rows, r0 + per);
  const zero = f32x4.splat(0);
  for (let r = r0; r < r1; r++) {
    const o = off(r * c);
    let j = 0;
    for (; j + 4 <= c; j += 4) {
      const d = f32x4.sub(v128.load(x + o + off(j)), v128.load(mean + off(j)));
      const b = f32x4.add(f32x4.mul(d, v128.load(scale + off(j))), v128.load(offset + off(j)));
      const v = f32x4.add(b, v128.load(res + o + off(j)));
      const keep = v128.or(f32x4.gt(v, zero), f32x4.ne(v, v));
      v128.store(y + o + off(j), v128.bitselect(v, zero, keep));
    }
    for (; j < c; j++) {
      const v = ((at(x + o, j) - at(mean, j)) * at(scale, j) + at(offset, j)) + at(res + o, j);
      store<f32>(y + o + off(j), v > 0 || v != v ? v : 0);
    }
  }
}

export function resnetBnTask(task: i32, args: usize, chunk: i32): void {
  if (task == TASK_BN_APPLY_ADD_RELU) bnApplyAddRelu(args, chunk);
  else if (task == TASK_BN_MOMENTS) bnMoments(args, chunk);
  else if (task == TASK_BN_GRAD_MOMENTS) bnGradMoments(args, chunk);
  else if (task == TASK_BN_APPLY_RELU) bnApplyRelu(args, chunk);
  else if (task == TASK_BN_GRAD_DX_RELU) bnGradDxRelu(args, chunk);
}
