// 2-D max and average pooling, NHWC f32, with their gradients. Geometry comes as 14 i32 at `g`
// (see below). Results match the reference kernels in src/backend/js/conv.ts bit for bit:
// - max: the first maximum in row-major window order wins, a NaN wins and stays, padded
//   cells never count; a window without a real cell gives -Infinity (and no gradient);
// - avg: f32 sums in window order divided by the number of real (unpadded) cells, NaN when
//   there is none; its gradient adds dy * (1/n) in f64 and rounds once, like the reference.
// Forward chunks are runs of output rows; gradient chunks are whole images, because windows
// of neighbouring output rows overlap in dx when the window is larger than the stride.
// Max pooling with a 2x2 window and stride 2 wholly inside the image (the common CNN case) runs
// kernels of its own, chosen per chunk from the geometry words; every other geometry runs the
// general ones.

const BATCH = 0, H = 1, W = 2, C = 3, OH = 4, OW = 5, FH = 6, FW = 7, SH = 8, SW = 9, DH = 10, DW = 11;
const PAD_T = 12, PAD_L = 13;

@inline function gi(g: usize, i: i32): i32 {
  return load<i32>(g + ((<usize>i) << 2));
}

@inline function arg(args: usize, i: i32): i32 {
  return load<i32>(args + ((<usize>i) << 2));
}

@inline function off(i: i32): usize {
  return (<usize>i) << 2;
}

/** Lanes where v replaces the running max: greater, or a NaN over a number. */
@inline export function wins(v: v128, best: v128): v128 {
  return v128.or(f32x4.gt(v, best), v128.and(f32x4.ne(v, v), f32x4.eq(best, best)));
}

/** How many real input cells the window of output cell (oy, ox) covers. */
function realCount(g: usize, oy: i32, ox: i32): i32 {
  let rows = 0, cols = 0;
  for (let ky = 0; ky < gi(g, FH); ky++) {
    const iy = oy * gi(g, SH) - gi(g, PAD_T) + ky * gi(g, DH);
    if (iy >= 0 && iy < gi(g, H)) rows++;
  }
  for (let kx = 0; kx < gi(g, FW); kx++) {
    const ix = ox * gi(g, SW) - gi(g, PAD_L) + kx * gi(g, DW);
    if (ix >= 0 && ix < gi(g, W)) cols++;
  }
  return rows * cols;
}

/** Output rows q0..q1 (q = b*OH + oy) of a max (isMax) or average pool. */
@inline function poolRows(isMax: bool, g: usize, x: usize, out: usize, q0: i32, q1: i32): void {
  const h = gi(g, H), w = gi(g, W), ch = gi(g, C), oh = gi(g, OH), ow = gi(g, OW);
  const fh = gi(g, FH), fw = gi(g, FW), sh = gi(g, SH), sw = gi(g, SW), dh = gi(g, DH), dw = gi(g, DW);
  const padT = gi(g, PAD_T), padL = gi(g, PAD_L);
  const start: f32 = isMax ? -Infinity : 0;
  for (let q = q0; q < q1; q++) {
    const b = q / oh, oy = q - (q / oh) * oh;
    const image = x + off(b * h * w * ch);
    for (let ox = 0; ox < ow; ox++) {
      const o = out + off((q * ow + ox) * ch);
      const n: f32 = isMax ? 1 : <f32>realCount(g, oy, ox);
      let c = 0;
      for (; c + 4 <= ch; c += 4) {
        let acc = f32x4.splat(start);
        for (let ky = 0; ky < fh; ky++) {
          const iy = oy * sh - padT + ky * dh;
          if (iy < 0 || iy >= h) continue;
          for (let kx = 0; kx < fw; kx++) {
            const ix = ox * sw - padL + kx * dw;
            if (ix < 0 || ix >= w) continue;
            const v = v128.load(image + off((iy * w + ix) * ch + c));
            acc = isMax ? v128.bitselect(v, acc, wins(v, acc)) : f32x4.add(acc, v);
          }
        }
        if (!isMax) acc = n > 0 ? f32x4.div(acc, f32x4.splat(n)) : f32x4.splat(NaN);
        v128.store(o + off(c), acc);
      }
      for (; c < ch; c++) {
        let acc = start;
        for (let ky = 0; ky < fh; ky++) {
          const iy = oy * sh - padT + ky * dh;
          if (iy < 0 || iy >= h) continue;
          for (let kx = 0; kx < fw; kx++) {
            const ix = ox * sw - padL + kx * dw;
            if (ix < 0 || ix >= w) continue;
            const v = load<f32>(image + off((iy * w + ix) * ch + c));
            if (isMax) acc = v > acc || (v != v && acc == acc) ? v : acc;
            else acc += v;
          }
        }
        if (!isMax) acc = n > 0 ? acc / n : <f32>NaN;
        store<f32>(o + off(c), acc);
      }
    }
  }
}

// args: g x out rows rowsPer
export function maxPoolRows(args: usize, chunk: i32): void {
  const g = <usize>arg(args, 0), q0 = chunk * arg(args, 4), q1 = min(arg(args, 3), q0 + arg(args, 4));
  if (isPool2x2(g)) maxPool2x2Rows(g, <usize>arg(args, 1), <usize>arg(args, 2), q0, q1);
  else poolRows(true, g, <usize>arg(args, 1), <usize>arg(args, 2), q0, q1);
}

export function avgPoolRows(args: usize, chunk: i32): void {
  const q0 = chunk * arg(args, 4);
  poolRows(false, <usize>arg(args, 0), <usize>arg(args, 1), <usize>arg(args, 2), q0, min(arg(args, 3), q0 + arg(args, 4)));
}

// The 2x2 stride-2 window of the digit CNNs, every window wholly inside the image. Each input
// cell then lies in at most one window, so the kernels need no bounds checks, and the gradient
// can write each covered dx cell once instead of zeroing dx and scattering into it.

/**
 * Whether the 2x2 kernels below apply. The geometry words hold only the top and left padding,
 * so a window past the bottom or right edge ('same' on an odd size pads there alone) shows as
 * 2 * OH > H or 2 * OW > W.
 */
@inline function isPool2x2(g: usize): bool {
  return gi(g, FH) == 2 && gi(g, FW) == 2 && gi(g, SH) == 2 && gi(g, SW) == 2 && gi(g, DH) == 1 &&
    gi(g, DW) == 1 && gi(g, PAD_T) == 0 && gi(g, PAD_L) == 0 && 2 * gi(g, OH) <= gi(g, H) &&
    2 * gi(g, OW) <= gi(g, W);
}

/**
 * Lanes where `later` replaces `first`. Taking the pairs (a, b) and (c, d) first and then their
 * winners gives the same cell as the reference's row-major a, b, c, d: a later cell still needs a
 * strict win, so a tie keeps the earlier one, and the first NaN stays.
 */
@inline function pick(first: v128, later: v128): v128 {
  return wins(later, first);
}

@inline function pickScalar(first: f32, later: f32): bool {
  return later > first || (later != later && first == first);
}

function maxPool2x2Rows(g: usize, x: usize, out: usize, q0: i32, q1: i32): void {
  const h = gi(g, H), w = gi(g, W), ch = gi(g, C), oh = gi(g, OH), ow = gi(g, OW);
  const rowBytes = off(w * ch), step = off(ch);
  for (let q = q0; q < q1; q++) {
    const b = q / oh, oy = q - b * oh;
    let top = x + off((b * h + 2 * oy) * w * ch);
    let o = out + off(q * ow * ch);
    for (let ox = 0; ox < ow; ox++) {
      const bottom = top + rowBytes;
      let c = 0;
      for (; c + 4 <= ch; c += 4) {
        const k = off(c);
        const a = v128.load(top + k), bb = v128.load(top + step + k);
        const cc = v128.load(bottom + k), d = v128.load(bottom + step + k);
        const upper = v128.bitselect(bb, a, pick(a, bb));
        const lower = v128.bitselect(d, cc, pick(cc, d));
        v128.store(o + k, v128.bitselect(lower, upper, pick(upper, lower)));
      }
      for (; c < ch; c++) {
        const k = off(c);
        const a = load<f32>(top + k), bb = load<f32>(top + step + k);
        const cc = load<f32>(bottom + k), d = load<f32>(bottom + step + k);
        const upper = pickScalar(a, bb) ? bb : a;
        const lower = pickScalar(cc, d) ? d : cc;
        store<f32>(o + k, pickScalar(upper, lower) ? lower : upper);
      }
      top += step << 1;
      o += step;
    }
  }
}

/**
 * Images b0..b1 of the 2x2 gradient: each dx cell of a window gets 0 + dy if it is the window's
 * first arg-max and +0 otherwise. The reference adds dy to a zeroed dx, so a -0 dy lands as +0;
 * adding +0 here keeps those bits.
 */
function maxPool2x2BackImages(g: usize, dy: usize, x: usize, dx: usize, b0: i32, b1: i32): void {
  const h = gi(g, H), w = gi(g, W), ch = gi(g, C), oh = gi(g, OH), ow = gi(g, OW);
  const imageSize = h * w * ch;
  // only an odd height or width leaves cells outside every window
  if (2 * oh != h || 2 * ow != w) memory.fill(dx + off(b0 * imageSize), 0, off((b1 - b0) * imageSize));
  const rowBytes = off(w * ch), step = off(ch);
  const zero = f32x4.splat(0);
  for (let b = b0; b < b1; b++) {
    for (let oy = 0; oy < oh; oy++) {
      const rowStart = off((b * h + 2 * oy) * w * ch);
      let top = x + rowStart, dTop = dx + rowStart;
      let o = dy + off((b * oh + oy) * ow * ch);
      for (let ox = 0; ox < ow; ox++) {
        const bottom = top + rowBytes, dBottom = dTop + rowBytes;
        let c = 0;
        for (; c + 4 <= ch; c += 4) {
          const k = off(c);
          const a = v128.load(top + k), bb = v128.load(top + step + k);
          const cc = v128.load(bottom + k), d = v128.load(bottom + step + k);
          const right = pick(a, bb), rightLow = pick(cc, d);
          const upper = v128.bitselect(bb, a, right), lower = v128.bitselect(d, cc, rightLow);
          const low = pick(upper, lower);
          const grad = f32x4.add(v128.load(o + k), zero);
          v128.store(dTop + k, v128.andnot(grad, v128.or(low, right)));
          v128.store(dTop + step + k, v128.and(v128.andnot(grad, low), right));
          v128.store(dBottom + k, v128.andnot(v128.and(grad, low), rightLow));
          v128.store(dBottom + step + k, v128.and(v128.and(grad, low), rightLow));
        }
        for (; c < ch; c++) {
          const k = off(c);
          const a = load<f32>(top + k), bb = load<f32>(top + step + k);
          const cc = load<f32>(bottom + k), d = load<f32>(bottom + step + k);
          const right = pickScalar(a, bb), rightLow = pickScalar(cc, d);
          const low = pickScalar(right ? bb : a, rightLow ? d : cc);
          const grad: f32 = load<f32>(o + k) + 0;
          store<f32>(dTop + k, !low && !right ? grad : 0);
          store<f32>(dTop + step + k, !low && right ? grad : 0);
          store<f32>(dBottom + k, low && !rightLow ? grad : 0);
          store<f32>(dBottom + step + k, low && rightLow ? grad : 0);
        }
        top += step << 1;
        dTop += step << 1;
        o += step;
      }
    }
  }
}

/** dx[i] += dy where lane index i >= 0 (a window with no real cell routes nowhere). */
@inline export function scatterLane(dx: usize, idx: i32, ch: i32, c: i32, dy: f32): void {
  if (idx >= 0) {
    const p = dx + off(idx * ch + c);
    store<f32>(p, load<f32>(p) + dy);
  }
}

// args: g dy x dx imagesPer. Routes each dy cell to the first arg-max of its window.
export function maxPoolBackImages(args: usize, chunk: i32): void {
  const g = <usize>arg(args, 0), dy = <usize>arg(args, 1), x = <usize>arg(args, 2), dx = <usize>arg(args, 3);
  const per = arg(args, 4);
  const b0 = chunk * per, b1 = min(gi(g, BATCH), b0 + per);
  if (isPool2x2(g)) {
    maxPool2x2BackImages(g, dy, x, dx, b0, b1);
    return;
  }
  const h = gi(g, H), w = gi(g, W), ch = gi(g, C), oh = gi(g, OH), ow = gi(g, OW);
  const fh = gi(g, FH), fw = gi(g, FW), sh = gi(g, SH), sw = gi(g, SW), dh = gi(g, DH), dw = gi(g, DW);
  const padT = gi(g, PAD_T), padL = gi(g, PAD_L);
  const imageSize = h * w * ch;
  memory.fill(dx + off(b0 * imageSize), 0, off((b1 - b0) * imageSize));
  const none = i32x4.splat(-1);
  for (let b = b0; b < b1; b++) {
    const image = x + off(b * imageSize), dImage = dx + off(b * imageSize);
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++) {
        const o = dy + off(((b * oh + oy) * ow + ox) * ch);
        let c = 0;
        for (; c + 4 <= ch; c += 4) {
          let best = f32x4.splat(-Infinity), idx = none;
          for (let ky = 0; ky < fh; ky++) {
            const iy = oy * sh - padT + ky * dh;
            if (iy < 0 || iy >= h) continue;
            for (let kx = 0; kx < fw; kx++) {
              const ix = ox * sw - padL + kx * dw;
              if (ix < 0 || ix >= w) continue;
              const cell = iy * w + ix;
              const v = v128.load(image + off(cell * ch + c));
              // the first real cell always wins (even -Infinity), as in the reference
              const m = v128.or(wins(v, best), i32x4.eq(idx, none));
              best = v128.bitselect(v, best, m);
              idx = v128.bitselect(i32x4.splat(cell), idx, m);
            }
          }
          scatterLane(dImage, i32x4.extract_lane(idx, 0), ch, c, load<f32>(o + off(c)));
          scatterLane(dImage, i32x4.extract_lane(idx, 1), ch, c + 1, load<f32>(o + off(c + 1)));
          scatterLane(dImage, i32x4.extract_lane(idx, 2), ch, c + 2, load<f32>(o + off(c + 2)));
          scatterLane(dImage, i32x4.extract_lane(idx, 3), ch, c + 3, load<f32>(o + off(c + 3)));
        }
        for (; c < ch; c++) {
          let best: f32 = -Infinity, bi = -1;
          for (let ky = 0; ky < fh; ky++) {
            const iy = oy * sh - padT + ky * dh;
            if (iy < 0 || iy >= h) continue;
            for (let kx = 0; kx < fw; kx++) {
              const ix = ox * sw - padL + kx * dw;
              if (ix < 0 || ix >= w) continue;
              const v = load<f32>(image + off((iy * w + ix) * ch + c));
              if (bi < 0 || v > best || (v != v && best == best)) {
                best = v;
                bi = iy * w + ix;
              }
            }
          }
          scatterLane(dImage, bi, ch, c, load<f32>(o + off(c)));
        }
      }
    }
  }
}

// args: g dy dx imagesPer. Spreads dy * (1/n) over the real cells of each window.
export function avgPoolBackImages(args: usize, chunk: i32): void {
  const g = <usize>arg(args, 0), dy = <usize>arg(args, 1), dx = <usize>arg(args, 2), per = arg(args, 3);
  const h = gi(g, H), w = gi(g, W), ch = gi(g, C), oh = gi(g, OH), ow = gi(g, OW);
  const fh = gi(g, FH), fw = gi(g, FW), sh = gi(g, SH), sw = gi(g, SW), dh = gi(g, DH), dw = gi(g, DW);
  const padT = gi(g, PAD_T), padL = gi(g, PAD_L);
  const b0 = chunk * per, b1 = min(gi(g, BATCH), b0 + per);
  const imageSize = h * w * ch;
  memory.fill(dx + off(b0 * imageSize), 0, off((b1 - b0) * imageSize));
  for (let b = b0; b < b1; b++) {
    const dImage = dx + off(b * imageSize);
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++) {
        const n = realCount(g, oy, ox);
        if (n == 0) continue;
        const scale = 1.0 / <f64>n;
        const vs = f64x2.splat(scale);
        const o = dy + off(((b * oh + oy) * ow + ox) * ch);
        for (let ky = 0; ky < fh; ky++) {
          const iy = oy * sh - padT + ky * dh;
          if (iy < 0 || iy >= h) continue;
          for (let kx = 0; kx < fw; kx++) {
            const ix = ox * sw - padL + kx * dw;
            if (ix < 0 || ix >= w) continue;
            const dst = dImage + off((iy * w + ix) * ch);
            let c = 0;
            // two channels at a time in f64: out + dy*scale rounded once to f32
            for (; c + 2 <= ch; c += 2) {
              const cur = f64x2.promote_low_f32x4(v128.load64_zero(dst + off(c)));
              const d = f64x2.promote_low_f32x4(v128.load64_zero(o + off(c)));
              v128.store64_lane(dst + off(c), f32x4.demote_f64x2_zero(f64x2.add(cur, f64x2.mul(d, vs))), 0);
            }
            for (; c < ch; c++) {
              const p = dst + off(c);
              store<f32>(p, <f32>(<f64>load<f32>(p) + <f64>load<f32>(o + off(c)) * scale));
            }
          }
        }
      }
    }
  }
}
