// The gradients of the depthwise convolution (tasks 51, 52 and 61); the geometry words and the
// design notes are in depthwise.ts.
import { madd } from './fma';
import { H, W, C, OH, OW, FH, FW, SH, SW, DH, DW, PAD_T, PAD_L, MULT, gi, arg, off, at, macRow, xLanes } from './depthwise';

/** Four channels of one dx cell of depthwiseBackInputRows (below), over the window. */
@inline function gatherPixel1(dyImage: usize, f: usize, g: usize, iy: i32, ix: i32, c: i32): v128 {
  const ch = gi(g, C), oh = gi(g, OH), ow = gi(g, OW), fh = gi(g, FH), fw = gi(g, FW);
  const sh = gi(g, SH), sw = gi(g, SW), dh = gi(g, DH), dw = gi(g, DW);
  let a = f32x4.splat(0);
  for (let ky = 0; ky < fh; ky++) {
    const ty = iy + gi(g, PAD_T) - ky * dh;
    if (ty < 0) break;
    const oy = ty / sh;
    if (oy * sh != ty || oy >= oh) continue;
    for (let kx = 0; kx < fw; kx++) {
      const tx = ix + gi(g, PAD_L) - kx * dw;
      if (tx < 0) break;
      const ox = tx / sw;
      if (ox * sw != tx || ox >= ow) continue;
      a = madd(v128.load(dyImage + off((oy * ow + ox) * ch + c)), v128.load(f + off((ky * fw + kx) * ch + c)), a);
    }
  }
  return a;
}

/**
 * dx[b, iy, ix, c] for multiplier 1, gathered: the sum over the window cells (ky, kx) whose
 * output cell (oy, ox) = ((iy + padT - ky dh) / sh, (ix + padL - kx dw) / sw) exists (exact
 * division), of dy[b, oy, ox, c] f[ky, kx, c]; sixteen channels at a time in registers. Each
 * dx cell is written once, so chunks are runs of input rows q = b*H + iy (a single image
 * splits across threads too).
 */
// args: g dy f dx rows rowsPer (rows = batch * H); multiplier 1 only
export function depthwiseBackInputRows(args: usize, chunk: i32): void {
  const g = <usize>arg(args, 0), dy = <usize>arg(args, 1), f = <usize>arg(args, 2), dx = <usize>arg(args, 3);
  const rows = arg(args, 4), per = arg(args, 5);
  const h = gi(g, H), w = gi(g, W), ch = gi(g, C), oh = gi(g, OH), ow = gi(g, OW);
  const fh = gi(g, FH), fw = gi(g, FW), sh = gi(g, SH), sw = gi(g, SW), dh = gi(g, DH), dw = gi(g, DW);
  const padT = gi(g, PAD_T), padL = gi(g, PAD_L);
  const q0 = chunk * per, q1 = min(rows, q0 + per);
  for (let q = q0; q < q1; q++) {
    const b = q / h, iy = q - b * h;
    const dyImage = dy + off(b * oh * ow * ch);
    for (let ix = 0; ix < w; ix++) {
      const o = dx + off((q * w + ix) * ch);
      let c = 0;
      for (; c + 16 <= ch; c += 16) {
        let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
        for (let ky = 0; ky < fh; ky++) {
          const ty = iy + padT - ky * dh;
          if (ty < 0) break;
          const oy = ty / sh;
          if (oy * sh != ty || oy >= oh) continue;
          for (let kx = 0; kx < fw; kx++) {
            const tx = ix + padL - kx * dw;
            if (tx < 0) break;
            const ox = tx / sw;
            if (ox * sw != tx || ox >= ow) continue;
            const dp = dyImage + off((oy * ow + ox) * ch + c), fp = f + off((ky * fw + kx) * ch + c);
            a0 = madd(v128.load(dp), v128.load(fp), a0);
            a1 = madd(v128.load(dp, 16), v128.load(fp, 16), a1);
            a2 = madd(v128.load(dp, 32), v128.load(fp, 32), a2);
            a3 = madd(v128.load(dp, 48), v128.load(fp, 48), a3);
          }
        }
        v128.store(o + off(c), a0);
        v128.store(o + off(c), a1, 16);
        v128.store(o + off(c), a2, 32);
        v128.store(o + off(c), a3, 48);
      }
      for (; c + 4 <= ch; c += 4) v128.store(o + off(c), gatherPixel1(dyImage, f, g, iy, ix, c));
      for (; c < ch; c++) {
        let a: f32 = 0;
        for (let ky = 0; ky < fh; ky++) {
          const ty = iy + padT - ky * dh;
          if (ty < 0) break;
          const oy = ty / sh;
          if (oy * sh != ty || oy >= oh) continue;
          for (let kx = 0; kx < fw; kx++) {
            const tx = ix + padL - kx * dw;
            if (tx < 0) break;
            const ox = tx / sw;
            if (ox * sw != tx || ox >= ow) continue;
            a += at(dyImage, (oy * ow + ox) * ch + c) * at(f, (ky * fw + kx) * ch + c);
          }
        }
        store<f32>(o + off(c), a);
      }
    }
  }
}

// args: g dy f dx batch imagesPer; chunk = whole images (windows overlap in dx)
export function depthwiseBackInputImages(args: usize, chunk: i32): void {
  const g = <usize>arg(args, 0), dy = <usize>arg(args, 1), f = <usize>arg(args, 2), dx = <usize>arg(args, 3);
  const batch = arg(args, 4), per = arg(args, 5);
  const h = gi(g, H), w = gi(g, W), ch = gi(g, C), oh = gi(g, OH), ow = gi(g, OW);
  const fh = gi(g, FH), fw = gi(g, FW), sh = gi(g, SH), sw = gi(g, SW), dh = gi(g, DH), dw = gi(g, DW);
  const padT = gi(g, PAD_T), padL = gi(g, PAD_L), mult = gi(g, MULT);
  const oc = ch * mult;
  const b0 = chunk * per, b1 = min(batch, b0 + per);
  memory.fill(dx + off(b0 * h * w * ch), 0, <usize>((b1 - b0) * h * w * ch) << 2);
  for (let b = b0; b < b1; b++) {
    const image = dx + off(b * h * w * ch);
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++) {
        const d = dy + off(((b * oh + oy) * ow + ox) * oc);
        for (let ky = 0; ky < fh; ky++) {
          const iy = oy * sh - padT + ky * dh;
          if (iy < 0 || iy >= h) continue;
          for (let kx = 0; kx < fw; kx++) {
            const ix = ox * sw - padL + kx * dw;
            if (ix < 0 || ix >= w) continue;
            const xi = image + off((iy * w + ix) * ch);
            const fi = f + off((ky * fw + kx) * oc);
            if (mult == 1) {
              macRow(xi, d, fi, ch, 1);
              continue;
            }
            for (let c = 0; c < ch; c++) {
              let acc: f32 = 0;
              for (let m = 0; m < mult; m++) acc += load<f32>(d + off(c * mult + m)) * load<f32>(fi + off(c * mult + m));
              store<f32>(xi + off(c), load<f32>(xi + off(c)) + acc);
            }
          }
        }
      }
    }
  }
}

// args: g x dy partials rows rowsPer partialBytes; chunk `c` adds the output rows it covers into
// its own zeroed partial filter gradient (the caller adds the partials in chunk order)
export function depthwiseBackFilterRows(args: usize, chunk: i32): void {
  const g = <usize>arg(args, 0), x = <usize>arg(args, 1), dy = <usize>arg(args, 2);
  const rows = arg(args, 4), per = arg(args, 5);
  const df = <usize>arg(args, 3) + <usize>chunk * <usize>arg(args, 6);
  const h = gi(g, H), w = gi(g, W), ch = gi(g, C), oh = gi(g, OH), ow = gi(g, OW);
  const fh = gi(g, FH), fw = gi(g, FW), sh = gi(g, SH), sw = gi(g, SW), dh = gi(g, DH), dw = gi(g, DW);
  const padT = gi(g, PAD_T), padL = gi(g, PAD_L), mult = gi(g, MULT);
  const oc = ch * mult;
  const q0 = chunk * per, q1 = min(rows, q0 + per);
  if (oc >= 16) {
    filterRowsBlocked(g, x, dy, df, q0, q1);
    return;
  }
  for (let q = q0; q < q1; q++) {
    const b = q / oh, oy = q - b * oh;
    const image = x + off(b * h * w * ch);
    for (let ox = 0; ox < ow; ox++) {
      const d = dy + off((q * ow + ox) * oc);
      for (let ky = 0; ky < fh; ky++) {
        const iy = oy * sh - padT + ky * dh;
        if (iy < 0 || iy >= h) continue;
        for (let kx = 0; kx < fw; kx++) {
          const ix = ox * sw - padL + kx * dw;
          if (ix < 0 || ix >= w) continue;
          // df[j] += x[j / M] * dy[j]: the same multiply-add as the forward with f -> dy
          macRow(df + off((ky * fw + kx) * oc), image + off((iy * w + ix) * ch), d, ch, mult);
        }
      }
    }
  }
}

/**
 * The filter gradient of output rows q0..q1 into a zeroed partial: for each window cell and
 * sixteen output channels, the sum over the rows' output cells of x dy in registers (in
 * output-cell order, as the general loop adds them), written once.
 */
function filterRowsBlocked(g: usize, x: usize, dy: usize, df: usize, q0: i32, q1: i32): void {
  const h = gi(g, H), w = gi(g, W), ch = gi(g, C), oh = gi(g, OH), ow = gi(g, OW);
  const fh = gi(g, FH), fw = gi(g, FW), sh = gi(g, SH), sw = gi(g, SW), dh = gi(g, DH), dw = gi(g, DW);
  const padT = gi(g, PAD_T), padL = gi(g, PAD_L), mult = gi(g, MULT);
  const oc = ch * mult;
  for (let ky = 0; ky < fh; ky++) {
    for (let kx = 0; kx < fw; kx++) {
      const tap = df + off((ky * fw + kx) * oc);
      let c = 0;
      for (; c + 16 <= oc; c += 16) {
        let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
        for (let q = q0; q < q1; q++) {
          const b = q / oh, oy = q - b * oh;
          const iy = oy * sh - padT + ky * dh;
          if (iy < 0 || iy >= h) continue;
          const row = x + off((b * h + iy) * w * ch), drow = dy + off(q * ow * oc + c);
          for (let ox = 0; ox < ow; ox++) {
            const ix = ox * sw - padL + kx * dw;
            if (ix < 0 || ix >= w) continue;
            const xp = row + off(ix * ch), dp = drow + off(ox * oc);
            a0 = madd(xLanes(xp, c, mult, 0), v128.load(dp), a0);
            a1 = madd(xLanes(xp, c, mult, 1), v128.load(dp, 16), a1);
            a2 = madd(xLanes(xp, c, mult, 2), v128.load(dp, 32), a2);
            a3 = madd(xLanes(xp, c, mult, 3), v128.load(dp, 48), a3);
          }
        }
        v128.store(tap + off(c), a0);
        v128.store(tap + off(c), a1, 16);
        v128.store(tap + off(c), a2, 32);
        v128.store(tap + off(c), a3, 48);
      }
      for (; c < oc; c++) {
        let a: f32 = 0;
        for (let q = q0; q < q1; q++) {
          const b = q / oh, oy = q - b * oh;
          const iy = oy * sh - padT + ky * dh;
          if (iy < 0 || iy >= h) continue;
          for (let ox = 0; ox < ow; ox++) {
            const ix = ox * sw - padL + kx * dw;
            if (ix < 0 || ix >= w) continue;
            a += at(x, ((b * h + iy) * w + ix) * ch + c / mult) * at(dy, (q * ow + ox) * oc + c);
          }
        }
        store<f32>(tap + off(c), a);
      }
    }
  }
}
