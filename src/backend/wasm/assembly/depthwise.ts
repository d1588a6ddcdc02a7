// Depthwise 2-D convolution, NHWC f32 (task 50), and the helpers its gradients share
// (depthwise_grad.ts, tasks 51, 52 and 61).
// Filter [fh, fw, C, M]; output channel j = c*M + m reads input channel c = j / M.
// Geometry comes as 16 i32 at `g` (see the constants below), the same words ops.ts writes for
// the dense convolution plus the channel multiplier.
//
// The forward pass and, for M == 1, the input gradient sum each output cell over its window in
// registers, sixteen channels at a time, and store it once; each cell is summed in window
// order, so results differ from the reference only by f32 rounding. The input gradient for
// M > 1 adds into memory per window cell (neighbouring windows share dx cells). The filter
// gradient sums each tap over a chunk's output cells in registers (sixteen output channels at
// a time; fewer channels add into memory) into one partial per chunk.

import { madd } from './fma';

export const H = 1, W = 2, C = 3, OH = 4, OW = 5, FH = 7, FW = 8, SH = 9, SW = 10;
export const DH = 11, DW = 12, PAD_T = 13, PAD_L = 14, MULT = 15;

@inline export function gi(g: usize, i: i32): i32 {
  return load<i32>(g + ((<usize>i) << 2));
}

@inline export function arg(args: usize, i: i32): i32 {
  return load<i32>(args + ((<usize>i) << 2));
}

@inline export function off(i: i32): usize {
  return (<usize>i) << 2;
}

/** out[j] += x[j / M] * f[j] for j < C*M. */
@inline export function macRow(out: usize, x: usize, f: usize, ch: i32, mult: i32): void {
  if (mult == 1) {
    let c = 0;
    for (; c + 4 <= ch; c += 4) {
      v128.store(out + off(c), madd(v128.load(x + off(c)), v128.load(f + off(c)), v128.load(out + off(c))));
    }
    for (; c < ch; c++) store<f32>(out + off(c), load<f32>(out + off(c)) + load<f32>(x + off(c)) * load<f32>(f + off(c)));
    return;
  }
  for (let c = 0; c < ch; c++) {
    const xv = load<f32>(x + off(c));
    const j0 = c * mult;
    let m = 0;
    if (mult >= 4) {
      const vx = f32x4.splat(xv);
      for (; m + 4 <= mult; m += 4) {
        const o = out + off(j0 + m);
        v128.store(o, madd(vx, v128.load(f + off(j0 + m)), v128.load(o)));
      }
    }
    for (; m < mult; m++) {
      const o = out + off(j0 + m);
      store<f32>(o, load<f32>(o) + xv * load<f32>(f + off(j0 + m)));
    }
  }
}

/**
 * One output pixel of a multiplier-1 depthwise convolution: sixteen channels at a time in four
 * registers summed over the window (in window order, as the reference), stored once.
 */
@inline function depthwisePixel1(o: usize, image: usize, f: usize, g: usize, oy: i32, ox: i32): void {
  const h = gi(g, H), w = gi(g, W), ch = gi(g, C);
  const fh = gi(g, FH), fw = gi(g, FW), sh = gi(g, SH), sw = gi(g, SW), dh = gi(g, DH), dw = gi(g, DW);
  const y0 = oy * sh - gi(g, PAD_T), x0 = ox * sw - gi(g, PAD_L);
  let c = 0;
  for (; c + 16 <= ch; c += 16) {
    let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
    for (let ky = 0; ky < fh; ky++) {
      const iy = y0 + ky * dh;
      if (iy < 0 || iy >= h) continue;
      for (let kx = 0; kx < fw; kx++) {
        const ix = x0 + kx * dw;
        if (ix < 0 || ix >= w) continue;
        const xp = image + off((iy * w + ix) * ch + c), fp = f + off((ky * fw + kx) * ch + c);
        a0 = madd(v128.load(xp), v128.load(fp), a0);
        a1 = madd(v128.load(xp, 16), v128.load(fp, 16), a1);
        a2 = madd(v128.load(xp, 32), v128.load(fp, 32), a2);
        a3 = madd(v128.load(xp, 48), v128.load(fp, 48), a3);
      }
    }
    v128.store(o + off(c), a0);
    v128.store(o + off(c), a1, 16);
    v128.store(o + off(c), a2, 32);
    v128.store(o + off(c), a3, 48);
  }
  for (; c + 4 <= ch; c += 4) {
    let a = f32x4.splat(0);
    for (let ky = 0; ky < fh; ky++) {
      const iy = y0 + ky * dh;
      if (iy < 0 || iy >= h) continue;
      for (let kx = 0; kx < fw; kx++) {
        const ix = x0 + kx * dw;
        if (ix < 0 || ix >= w) continue;
        a = madd(v128.load(image + off((iy * w + ix) * ch + c)), v128.load(f + off((ky * fw + kx) * ch + c)), a);
      }
    }
    v128.store(o + off(c), a);
  }
  for (; c < ch; c++) {
    let a: f32 = 0;
    for (let ky = 0; ky < fh; ky++) {
      const iy = y0 + ky * dh;
      if (iy < 0 || iy >= h) continue;
      for (let kx = 0; kx < fw; kx++) {
        const ix = x0 + kx * dw;
        if (ix < 0 || ix >= w) continue;
        a += at(image, (iy * w + ix) * ch + c) * at(f, (ky * fw + kx) * ch + c);
      }
    }
    store<f32>(o + off(c), a);
  }
}

@inline export function at(p: usize, i: i32): f32 {
  return load<f32>(p + off(i));
}

// args: g x f out rows rowsPer; chunk = a run of output rows q = b*OH + oy
export function depthwiseRows(args: usize, chunk: i32): void {
  const g = <usize>arg(args, 0), x = <usize>arg(args, 1), f = <usize>arg(args, 2), out = <usize>arg(args, 3);
  const rows = arg(args, 4), per = arg(args, 5);
  const h = gi(g, H), w = gi(g, W), ch = gi(g, C), oh = gi(g, OH), ow = gi(g, OW);
  const fh = gi(g, FH), fw = gi(g, FW), sh = gi(g, SH), sw = gi(g, SW), dh = gi(g, DH), dw = gi(g, DW);
  const padT = gi(g, PAD_T), padL = gi(g, PAD_L), mult = gi(g, MULT);
  const oc = ch * mult;
  const q0 = chunk * per, q1 = min(rows, q0 + per);
  if (mult == 1) {
    for (let q = q0; q < q1; q++) {
      const b = q / oh, oy = q - b * oh;
      const image = x + off(b * h * w * ch);
      for (let ox = 0; ox < ow; ox++) depthwisePixel1(out + off((q * ow + ox) * ch), image, f, g, oy, ox);
    }
    return;
  }
  // multiplier > 1: sixteen output channels j at a time in four registers, like multiplier 1,
  // each lane fed its input x[j / M] (by shuffles for M = 2 and 4, lane by lane otherwise)
  for (let q = q0; q < q1; q++) {
    const b = q / oh, oy = q - b * oh;
    const image = x + off(b * h * w * ch);
    for (let ox = 0; ox < ow; ox++) {
      const o = out + off((q * ow + ox) * oc);
      const y0 = oy * sh - padT, x0 = ox * sw - padL;
      let j = 0;
      for (; j + 16 <= oc; j += 16) {
        let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
        for (let ky = 0; ky < fh; ky++) {
          const iy = y0 + ky * dh;
          if (iy < 0 || iy >= h) continue;
          for (let kx = 0; kx < fw; kx++) {
            const ix = x0 + kx * dw;
            if (ix < 0 || ix >= w) continue;
            const xp = image + off((iy * w + ix) * ch);
            const fp = f + off((ky * fw + kx) * oc + j);
            const x0v = xLanes(xp, j, mult, 0), x1v = xLanes(xp, j, mult, 1);
            const x2v = xLanes(xp, j, mult, 2), x3v = xLanes(xp, j, mult, 3);
            a0 = madd(x0v, v128.load(fp), a0);
            a1 = madd(x1v, v128.load(fp, 16), a1);
            a2 = madd(x2v, v128.load(fp, 32), a2);
            a3 = madd(x3v, v128.load(fp, 48), a3);
          }
        }
        v128.store(o + off(j), a0);
        v128.store(o + off(j), a1, 16);
        v128.store(o + off(j), a2, 32);
        v128.store(o + off(j), a3, 48);
      }
      for (; j < oc; j++) {
        let a: f32 = 0;
        for (let ky = 0; ky < fh; ky++) {
          const iy = y0 + ky * dh;
          if (iy < 0 || iy >= h) continue;
          for (let kx = 0; kx < fw; kx++) {
            const ix = x0 + kx * dw;
            if (ix < 0 || ix >= w) continue;
            a += at(image, (iy * w + ix) * ch + j / mult) * at(f, (ky * fw + kx) * oc + j);
          }
        }
        store<f32>(o + off(j), a);
      }
    }
  }
}

/**
 * Lanes 4 part .. 4 part + 3 of the inputs of output channels j .. j + 15: x[(j + l) / M], by a
 * load (M = 1), shuffles (M = 2, 4) or lane by lane. `part` is a constant at every call.
 */
@inline export function xLanes(xp: usize, j: i32, mult: i32, part: i32): v128 {
  if (mult == 1) return v128.load(xp + off(j + 4 * part));
  if (mult == 2) {
    const v = v128.load(xp + off((j >> 1) + ((part >> 1) << 2)));
    return (part & 1) == 0 ? v128.shuffle<f32>(v, v, 0, 0, 1, 1) : v128.shuffle<f32>(v, v, 2, 2, 3, 3);
  }
  if (mult == 4) {
    const v = v128.load(xp + off(j >> 2));
    if (part == 0) return v128.shuffle<f32>(v, v, 0, 0, 0, 0);
    if (part == 1) return v128.shuffle<f32>(v, v, 1, 1, 1, 1);
    if (part == 2) return v128.shuffle<f32>(v, v, 2, 2, 2, 2);
    return v128.shuffle<f32>(v, v, 3, 3, 3, 3);
  }
  return gatherLanes(xp, j + 4 * part, mult);
}

/** [x[j / M], x[(j + 1) / M], x[(j + 2) / M], x[(j + 3) / M]] for any multiplier M. */
@inline function gatherLanes(xp: usize, j: i32, mult: i32): v128 {
  let v = f32x4.splat(load<f32>(xp + off(j / mult)));
  v = f32x4.replace_lane(v, 1, load<f32>(xp + off((j + 1) / mult)));
  v = f32x4.replace_lane(v, 2, load<f32>(xp + off((j + 2) / mult)));
  return f32x4.replace_lane(v, 3, load<f32>(xp + off((j + 3) / mult)));
}
