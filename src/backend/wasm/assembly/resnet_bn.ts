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

// 121 args: x shift rows c per partials. partial [2c] per chunk: sum (x - shift[j]) then
// sum (x - shift[j])^2, in f64 (the shift, one row of x, keeps the variance free of cancellation)
function bnMoments(args: usize, chunk: i32): void {
  const x = <usize>arg(args, 0), shift = <usize>arg(args, 1), rows = arg(args, 2), c = arg(args, 3);
  const per = arg(args, 4);
  const part = <usize>arg(args, 5) + ((<usize>(chunk * 2 * c)) << 3);
  const r0 = chunk * per, r1 = min(rows, r0 + per);
  memory.fill(part, 0, (<usize>(2 * c)) << 3);
  const sq = p64(part, c);
  for (let r = r0; r < r1; r++) {
    const xr = x + off(r * c);
    let j = 0;
    for (; j + 4 <= c; j += 4) {
      const v = v128.load(xr + off(j)), s = v128.load(shift + off(j));
      const a = f64x2.sub(f64x2.promote_low_f32x4(v), f64x2.promote_low_f32x4(s));
      const b = f64x2.sub(promoteHigh(v), promoteHigh(s));
      v128.store(p64(part, j), f64x2.add(v128.load(p64(part, j)), a));
      v128.store(p64(part, j + 2), f64x2.add(v128.load(p64(part, j + 2)), b));
      v128.store(p64(sq, j), f64x2.add(v128.load(p64(sq, j)), f64x2.mul(a, a)));
      v128.store(p64(sq, j + 2), f64x2.add(v128.load(p64(sq, j + 2)), f64x2.mul(b, b)));
    }
    for (; j < c; j++) {
      const d = <f64>at(xr, j) - <f64>at(shift, j);
      store<f64>(p64(part, j), load<f64>(p64(part, j)) + d);
      store<f64>(p64(sq, j), load<f64>(p64(sq, j)) + d * d);
    }
  }
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
  for (let r = r0; r < r1; r++) {
    const o = off(r * c);
    let j = 0;
    for (; j + 4 <= c; j += 4) {
      let g = v128.load(dy + o + off(j));
      if (y != 0) g = reluMask(g, v128.load(y + o + off(j)));
      const xc = f32x4.sub(v128.load(x + o + off(j)), v128.load(mean + off(j)));
      const gl = f64x2.promote_low_f32x4(g), gh = promoteHigh(g);
      v128.store(p64(part, j), f64x2.add(v128.load(p64(part, j)), gl));
      v128.store(p64(part, j + 2), f64x2.add(v128.load(p64(part, j + 2)), gh));
      v128.store(p64(pr, j), f64x2.add(v128.load(p64(pr, j)), f64x2.mul(gl, f64x2.promote_low_f32x4(xc))));
      v128.store(p64(pr, j + 2), f64x2.add(v128.load(p64(pr, j + 2)), f64x2.mul(gh, promoteHigh(xc))));
    }
    for (; j < c; j++) {
      let g = at(dy + o, j);
      if (y != 0 && !(at(y + o, j) > 0)) g = g * 0;
      store<f64>(p64(part, j), load<f64>(p64(part, j)) + <f64>g);
      store<f64>(p64(pr, j), load<f64>(p64(pr, j)) + <f64>g * <f64>(at(x + o, j) - at(mean, j)));
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

export function resnetBnTask(task: i32, args: usize, chunk: i32): void {
  if (task == TASK_BN_MOMENTS) bnMoments(args, chunk);
  else if (task == TASK_BN_GRAD_MOMENTS) bnGradMoments(args, chunk);
  else if (task == TASK_BN_APPLY_RELU) bnApplyRelu(args, chunk);
  else if (task == TASK_BN_GRAD_DX_RELU) bnGradDxRelu(args, chunk);
}
