// 3-D max and average pooling, NDHWC f32, with their gradients. Geometry: the 21-word block of
// volume_geometry.ts. Results match the reference kernels in src/backend/js/conv3d.ts bit for
// bit:
// - max: the first maximum in window order (depth, row, column) wins, a NaN wins and stays,
//   padded cells never count; a window without a real cell gives -Infinity and no gradient;
// - avg: f32 sums in window order divided by the number of real (unpadded) cells, 0 when there
//   is none (unlike 2-D pooling's NaN: the reference and TensorFlow.js' 3-D kernel give 0); its
//   gradient adds dy * (1/n) in f64 and rounds once per add, like the reference.
// Forward chunks are runs of output rows (b, od, oy); gradient chunks are whole volumes, since
// the windows of neighbouring cells overlap in dx when a window is larger than its stride.
import { gi, off } from './conv_geometry';
// the max rule (a NaN wins) and the gradient's scatter are 2-D pooling's
import { scatterLane, wins } from './pool';
import {
  V_BATCH, V_IN_D, V_IN_H, V_IN_W, V_IN_C, V_OUT_D, V_OUT_H, V_OUT_W, V_FD, V_FH, V_FW, V_SD, V_SH, V_SW,
  V_DD, V_DH, V_DW, V_PAD_F, V_PAD_T, V_PAD_L,
} from './volume_geometry';

export const TASK_MAX_POOL3D = 96, TASK_AVG_POOL3D = 97, TASK_MAX_POOL3D_BACK = 98, TASK_AVG_POOL3D_BACK = 99;

@inline function arg(args: usize, i: i32): i32 {
  return load<i32>(args + ((<usize>i) << 2));
}

/** The real (inside the input) taps of one window along one axis: [first, end) tap numbers. */
@inline function firstTap(o: i32, s: i32, pad: i32, dil: i32, taps: i32, size: i32): i32 {
  let k = 0;
  while (k < taps && o * s - pad + k * dil < 0) k++;
  return k;
}
@inline function endTap(o: i32, s: i32, pad: i32, dil: i32, taps: i32, size: i32): i32 {
  let k = taps;
  while (k > 0 && o * s - pad + (k - 1) * dil >= size) k--;
  return k;
}

/** Output rows q0..q1 (q = (b * OD + od) * OH + oy) of a max (isMax) or average pool. */
@inline function poolRows(isMax: bool, g: usize, x: usize, out: usize, q0: i32, q1: i32): void {
  const d = gi(g, V_IN_D), h = gi(g, V_IN_H), w = gi(g, V_IN_W), ch = gi(g, V_IN_C);
  const od_ = gi(g, V_OUT_D), oh = gi(g, V_OUT_H), ow = gi(g, V_OUT_W);
  const fd = gi(g, V_FD), fh = gi(g, V_FH), fw = gi(g, V_FW);
  const sd = gi(g, V_SD), sh = gi(g, V_SH), sw = gi(g, V_SW);
  const dd = gi(g, V_DD), dh = gi(g, V_DH), dw = gi(g, V_DW);
  const padF = gi(g, V_PAD_F), padT = gi(g, V_PAD_T), padL = gi(g, V_PAD_L);
  const start: f32 = isMax ? -Infinity : 0;
  for (let q = q0; q < q1; q++) {
    const t = q / oh, oy = q - t * oh;
    const b = t / od_, od = t - b * od_;
    const volume = x + off(b * d * h * w * ch);
    const kd0 = firstTap(od, sd, padF, dd, fd, d), kd1 = endTap(od, sd, padF, dd, fd, d);
    const ky0 = firstTap(oy, sh, padT, dh, fh, h), ky1 = endTap(oy, sh, padT, dh, fh, h);
    const depthTaps = max(0, kd1 - kd0), rowTaps = max(0, ky1 - ky0);
    for (let ox = 0; ox < ow; ox++) {
      const kx0 = firstTap(ox, sw, padL, dw, fw, w), kx1 = endTap(ox, sw, padL, dw, fw, w);
      const n = depthTaps * rowTaps * max(0, kx1 - kx0);
      const o = out + off((q * ow + ox) * ch);
      let c = 0;
      for (; c + 4 <= ch; c += 4) {
        let acc = f32x4.splat(start);
        for (let kd = kd0; kd < kd1; kd++) {
          const id = od * sd - padF + kd * dd;
          for (let ky = ky0; ky < ky1; ky++) {
            const line = volume + off(((id * h) + oy * sh - padT + ky * dh) * w * ch + c);
            for (let kx = kx0; kx < kx1; kx++) {
              const v = v128.load(line + off((ox * sw - padL + kx * dw) * ch));
              acc = isMax ? v128.bitselect(v, acc, wins(v, acc)) : f32x4.add(acc, v);
            }
          }
        }
        if (!isMax) acc = n > 0 ? f32x4.div(acc, f32x4.splat(<f32>n)) : f32x4.splat(0);
        v128.store(o + off(c), acc);
      }
      for (; c < ch; c++) {
        let acc = start;
        for (let kd = kd0; kd < kd1; kd++) {
          const id = od * sd - padF + kd * dd;
          for (let ky = ky0; ky < ky1; ky++) {
            const line = volume + off(((id * h) + oy * sh - padT + ky * dh) * w * ch + c);
            for (let kx = kx0; kx < kx1; kx++) {
              const v = load<f32>(line + off((ox * sw - padL + kx * dw) * ch));
              if (isMax) acc = v > acc || (v != v && acc == acc) ? v : acc;
              else acc += v;
            }
          }
        }
        if (!isMax) acc = n > 0 ? acc / <f32>n : 0;
        store<f32>(o + off(c), acc);
      }
    }
  }
}

/**
 * The gradient over volumes b0..b1: max (isMax) routes each dy cell to the first arg-max of its
 * window in x; average spreads dy * (1/n) over the real cells of each window (x unused).
 * Inlined with a constant isMax, like poolRows.
 */
@inline function poolBackVolumes(isMax: bool, g: usize, dy: usize, x: usize, dx: usize, b0: i32, b1: i32): void {
  const d = gi(g, V_IN_D), h = gi(g, V_IN_H), w = gi(g, V_IN_W), ch = gi(g, V_IN_C);
  const od_ = gi(g, V_OUT_D), oh = gi(g, V_OUT_H), ow = gi(g, V_OUT_W);
  const fd = gi(g, V_FD), fh = gi(g, V_FH), fw = gi(g, V_FW);
  const sd = gi(g, V_SD), sh = gi(g, V_SH), sw = gi(g, V_SW);
  const dd = gi(g, V_DD), dh = gi(g, V_DH), dw = gi(g, V_DW);
  const padF = gi(g, V_PAD_F), padT = gi(g, V_PAD_T), padL = gi(g, V_PAD_L);
  const volumeSize = d * h * w * ch;
  memory.fill(dx + off(b0 * volumeSize), 0, off((b1 - b0) * volumeSize));
  const none = i32x4.splat(-1);
  for (let b = b0; b < b1; b++) {
    const volume = x + off(b * volumeSize), dVolume = dx + off(b * volumeSize);
    for (let od = 0; od < od_; od++) {
      const kd0 = firstTap(od, sd, padF, dd, fd, d), kd1 = endTap(od, sd, padF, dd, fd, d);
      for (let oy = 0; oy < oh; oy++) {
        const ky0 = firstTap(oy, sh, padT, dh, fh, h), ky1 = endTap(oy, sh, padT, dh, fh, h);
        for (let ox = 0; ox < ow; ox++) {
          const kx0 = firstTap(ox, sw, padL, dw, fw, w), kx1 = endTap(ox, sw, padL, dw, fw, w);
          const o = dy + off((((b * od_ + od) * oh + oy) * ow + ox) * ch);
          if (isMax) {
            let c = 0;
            for (; c + 4 <= ch; c += 4) {
              let best = f32x4.splat(-Infinity), idx = none;
              for (let kd = kd0; kd < kd1; kd++) {
                const id = od * sd - padF + kd * dd;
                for (let ky = ky0; ky < ky1; ky++) {
                  const row = (id * h + oy * sh - padT + ky * dh) * w;
                  for (let kx = kx0; kx < kx1; kx++) {
                    const cell = row + ox * sw - padL + kx * dw;
                    const v = v128.load(volume + off(cell * ch + c));
                    // the first real cell always wins (even -Infinity), as in the reference
                    const m = v128.or(wins(v, best), i32x4.eq(idx, none));
                    best = v128.bitselect(v, best, m);
                    idx = v128.bitselect(i32x4.splat(cell), idx, m);
                  }
                }
              }
              scatterLane(dVolume, i32x4.extract_lane(idx, 0), ch, c, load<f32>(o + off(c)));
              scatterLane(dVolume, i32x4.extract_lane(idx, 1), ch, c + 1, load<f32>(o + off(c + 1)));
              scatterLane(dVolume, i32x4.extract_lane(idx, 2), ch, c + 2, load<f32>(o + off(c + 2)));
              scatterLane(dVolume, i32x4.extract_lane(idx, 3), ch, c + 3, load<f32>(o + off(c + 3)));
            }
            for (; c < ch; c++) {
              let best: f32 = -Infinity, bi = -1;
              for (let kd = kd0; kd < kd1; kd++) {
                const id = od * sd - padF + kd * dd;
                for (let ky = ky0; ky < ky1; ky++) {
                  const row = (id * h + oy * sh - padT + ky * dh) * w;
                  for (let kx = kx0; kx < kx1; kx++) {
                    const cell = row + ox * sw - padL + kx * dw;
                    const v = load<f32>(volume + off(cell * ch + c));
                    if (bi < 0 || v > best || (v != v && best == best)) {
                      best = v;
                      bi = cell;
                    }
                  }
                }
              }
              scatterLane(dVolume, bi, ch, c, load<f32>(o + off(c)));
            }
            continue;
          }
          const n = max(0, kd1 - kd0) * max(0, ky1 - ky0) * max(0, kx1 - kx0);
          if (n == 0) continue;
          const scale = 1.0 / <f64>n;
          const vs = f64x2.splat(scale);
          for (let kd = kd0; kd < kd1; kd++) {
            const id = od * sd - padF + kd * dd;
            for (let ky = ky0; ky < ky1; ky++) {
              const row = (id * h + oy * sh - padT + ky * dh) * w;
              for (let kx = kx0; kx < kx1; kx++) {
                const dst = dVolume + off((row + ox * sw - padL + kx * dw) * ch);
                let c = 0;
                // two channels at a time in f64: out + dy*scale rounded once to f32
                for (; c + 2 <= ch; c += 2) {
                  const cur = f64x2.promote_low_f32x4(v128.load64_zero(dst + off(c)));
                  const dv = f64x2.promote_low_f32x4(v128.load64_zero(o + off(c)));
                  v128.store64_lane(dst + off(c), f32x4.demote_f64x2_zero(f64x2.add(cur, f64x2.mul(dv, vs))), 0);
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
  }
}

// forward args: g x out rows rowsPer; gradient args: g dy x dx imagesPer (avg: x unused)
export function pool3dTask(task: i32, args: usize, chunk: i32): void {
  const g = <usize>arg(args, 0);
  if (task == TASK_MAX_POOL3D || task == TASK_AVG_POOL3D) {
    const q0 = chunk * arg(args, 4), q1 = min(arg(args, 3), q0 + arg(args, 4));
    if (task == TASK_MAX_POOL3D) poolRows(true, g, <usize>arg(args, 1), <usize>arg(args, 2), q0, q1);
    else poolRows(false, g, <usize>arg(args, 1), <usize>arg(args, 2), q0, q1);
    return;
  }
  const per = arg(args, 4), b0 = chunk * per, b1 = min(gi(g, V_BATCH), b0 + per);
  if (task == TASK_MAX_POOL3D_BACK) poolBackVolumes(true, g, <usize>arg(args, 1), <usize>arg(args, 2), <usize>arg(args, 3), b0, b1);
  else if (task == TASK_AVG_POOL3D_BACK) poolBackVolumes(false, g, <usize>arg(args, 1), 0, <usize>arg(args, 3), b0, b1);
}
