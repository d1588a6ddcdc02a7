// 3-D convolution forward without a vol2col matrix, NDHWC f32: the 3-D twin of conv_direct.ts.
// The input is first copied once into a zero-bordered buffer xp [batch, dp, hp, wp, c] so that
// no window needs bounds checks, the filter [K, outC] is packed once into panels of 8 output
// channels, and a 4-pixel x 8-channel register tile reads its A values straight from xp. For
// the small channel counts of 3-D networks this skips writing each window into a column block
// and packing that block again, which cost more than the multiply-adds. Each output sums over
// (kd, ky, kx, c) in the filter's order with one accumulator, within one chunk, so the split
// into chunks never changes a bit.
import { NR } from './gemm';
import { gi, off } from './conv_geometry';
import {
  V_IN_D, V_IN_H, V_IN_W, V_IN_C, V_OUT_D, V_OUT_H, V_OUT_W, V_OUT_C, V_FD, V_FH, V_FW, V_SD, V_SH, V_SW,
  V_DD, V_DH, V_DW, V_PAD_F, V_PAD_T, V_PAD_L,
} from './volume_geometry';

/** Volumes b0..b1 of x copied into xp [batch, dp, hp, wp, c] with the borders zeroed (pads >= 0). */
export function padVolumes(g: usize, x: usize, xp: usize, dp: i32, hp: i32, wp: i32, b0: i32, b1: i32): void {
  const d = gi(g, V_IN_D), h = gi(g, V_IN_H), w = gi(g, V_IN_W), c = gi(g, V_IN_C);
  const padF = gi(g, V_PAD_F), padT = gi(g, V_PAD_T), padL = gi(g, V_PAD_L);
  const rowIn = w * c, rowOut = wp * c;
  for (let b = b0; b < b1; b++) {
    const dst = xp + off(b * dp * hp * rowOut), src = x + off(b * d * h * rowIn);
    memory.fill(dst, 0, off(dp * hp * rowOut));
    for (let z = 0; z < d; z++) {
      for (let y = 0; y < h; y++) {
        memory.copy(dst + off(((z + padF) * hp + y + padT) * rowOut + padL * c), src + off((z * h + y) * rowIn), off(rowIn));
      }
    }
  }
}

/** The filter [K, outC] as panels of NR columns, K x NR each, the last one zero-filled. */
export function packVolumeFilter(g: usize, w: usize, panels: usize): void {
  const k = gi(g, V_FD) * gi(g, V_FH) * gi(g, V_FW) * gi(g, V_IN_C), outC = gi(g, V_OUT_C);
  let dst = panels;
  for (let j0 = 0; j0 < outC; j0 += NR) {
    const cols = min(NR, outC - j0);
    for (let p = 0; p < k; p++) {
      for (let q = 0; q < NR; q++) {
        store<f32>(dst, q < cols ? load<f32>(w + off(p * outC + j0 + q)) : 0);
        dst += 4;
      }
    }
  }
}

/** Stores `cols` (<= 8) channels of one output cell. */
@inline function put(dst: usize, v0: v128, v1: v128, cols: i32, edge: usize): void {
  if (cols == NR) {
    v128.store(dst, v0);
    v128.store(dst, v1, 16);
  } else {
    v128.store(edge, v0);
    v128.store(edge, v1, 16);
    for (let q = 0; q < cols; q++) store<f32>(dst + off(q), load<f32>(edge + off(q)));
  }
}

/**
 * Output rows r0..r1 (a row is one (volume, od, oy)) of conv(xp, filter) from the padded input
 * and the packed panels. `edge` is 32 bytes of scratch for a last panel narrower than NR.
 */
export function conv3dDirectRows(g: usize, xp: usize, dp: i32, hp: i32, wp: i32, panels: usize, out: usize,
                                 r0: i32, r1: i32, edge: usize): void {
  const c = gi(g, V_IN_C), od_ = gi(g, V_OUT_D), oh = gi(g, V_OUT_H), ow = gi(g, V_OUT_W), outC = gi(g, V_OUT_C);
  const fd = gi(g, V_FD), fh = gi(g, V_FH), fw = gi(g, V_FW);
  const sd = gi(g, V_SD), sh = gi(g, V_SH), sw = gi(g, V_SW);
  const dd = gi(g, V_DD), dh = gi(g, V_DH), dw = gi(g, V_DW);
  const k = fd * fh * fw * c;
  const px = off(sw * c);
  const kyStep = off(dh * wp * c), kdStep = off(dd * hp * wp * c);
  // with dilation 1 a window row is fw * c contiguous floats: one loop, not two
  const kxLoops = dw == 1 ? 1 : fw, cLoop = dw == 1 ? fw * c : c;
  const kxSkip = off(dw * c) - off(c);
  for (let r = r0; r < r1; r++) {
    const t = r / oh, oy = r - t * oh;
    const b = t / od_, od = t - b * od_;
    const rowBase = xp + off(((b * dp + od * sd) * hp + oy * sh) * wp * c);
    const outRow = out + off(r * ow * outC);
    for (let j0 = 0; j0 < outC; j0 += NR) {
      const cols = min(NR, outC - j0);
      const panel = panels + off(j0 * k);
      let ox = 0;
      for (; ox + 4 <= ow; ox += 4) {
        let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
        let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
        let bp = panel;
        let plane = rowBase + off(ox * sw * c);
        for (let kd = 0; kd < fd; kd++) {
          let line = plane;
          for (let ky = 0; ky < fh; ky++) {
            let a = line;
            for (let kx = 0; kx < kxLoops; kx++) {
              for (let ci = 0; ci < cLoop; ci++) {
                const b0 = v128.load(bp), b1 = v128.load(bp, 16);
                let v = v128.load32_splat(a);
                c00 = f32x4.add(c00, f32x4.mul(v, b0));
                c01 = f32x4.add(c01, f32x4.mul(v, b1));
                v = v128.load32_splat(a + px);
                c10 = f32x4.add(c10, f32x4.mul(v, b0));
                c11 = f32x4.add(c11, f32x4.mul(v, b1));
                v = v128.load32_splat(a + 2 * px);
                c20 = f32x4.add(c20, f32x4.mul(v, b0));
                c21 = f32x4.add(c21, f32x4.mul(v, b1));
                v = v128.load32_splat(a + 3 * px);
                c30 = f32x4.add(c30, f32x4.mul(v, b0));
                c31 = f32x4.add(c31, f32x4.mul(v, b1));
                a += 4;
                bp += 32;
              }
              a += kxSkip;
            }
            line += kyStep;
          }
          plane += kdStep;
        }
        const dst = outRow + off(ox * outC + j0);
        const step = off(outC);
        put(dst, c00, c01, cols, edge);
        put(dst + step, c10, c11, cols, edge);
        put(dst + 2 * step, c20, c21, cols, edge);
        put(dst + 3 * step, c30, c31, cols, edge);
      }
      for (; ox < ow; ox++) {
        let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
        let bp = panel;
        let plane = rowBase + off(ox * sw * c);
        for (let kd = 0; kd < fd; kd++) {
          let line = plane;
          for (let ky = 0; ky < fh; ky++) {
            let a = line;
            for (let kx = 0; kx < kxLoops; kx++) {
              for (let ci = 0; ci < cLoop; ci++) {
                const v = v128.load32_splat(a);
                c00 = f32x4.add(c00, f32x4.mul(v, v128.load(bp)));
                c01 = f32x4.add(c01, f32x4.mul(v, v128.load(bp, 16)));
                a += 4;
                bp += 32;
              }
              a += kxSkip;
            }
            line += kyStep;
          }
          plane += kdStep;
        }
        put(outRow + off(ox * outC + j0), c00, c01, cols, edge);
      }
    }
  }
}

// ---- the filter gradient read the same way ----
//
// dW[p, o] = sum over output cells q of xp[window of q at tap-channel p] * dy[q, o], with p in the
// filter's (kd, ky, kx, c) order. A 4x8 register tile holds four filter rows p by eight output
// channels and walks the cells of a block, reading xp at four fixed offsets from each cell's
// window and dy in place; the block's sums are then added to the chunk's partial.

/** Byte offset of filter row p inside a cell's window of the padded input; 0 past the end. */
@inline function windowOffset(p: i32, k: i32, c: i32, fh: i32, fw: i32, dd: i32, dh: i32, dw: i32, hp: i32, wp: i32): usize {
  if (p >= k) return 0;
  const perPlane = fh * fw * c;
  const kd = p / perPlane, inPlane = p - kd * perPlane;
  const ky = inPlane / (fw * c), inRow = inPlane - ky * fw * c;
  const kx = inRow / c, ci = inRow - kx * c;
  return off(((kd * dd * hp + ky * dh) * wp + kx * dw) * c + ci);
}

/** partial[p, j0 + q] += acc row, for p below k and the first `cols` lanes. */
@inline function addRow(partial: usize, p: i32, k: i32, outC: i32, j0: i32, cols: i32, v0: v128, v1: v128, edge: usize): void {
  if (p >= k) return;
  const dst = partial + off(p * outC + j0);
  if (cols == NR) {
    v128.store(dst, f32x4.add(v0, v128.load(dst)));
    v128.store(dst, f32x4.add(v1, v128.load(dst, 16)), 16);
  } else {
    v128.store(edge, v0);
    v128.store(edge, v1, 16);
    for (let q = 0; q < cols; q++) store<f32>(dst + off(q), load<f32>(edge + off(q)) + load<f32>(dst + off(q)));
  }
}

/**
 * partial[K, outC] += the filter gradient over output cells q0..q0+rows (flat over volume, od,
 * oy, ox), from the padded input xp [batch, dp, hp, wp, c] and dy [cells, outC]. `edge` is 64
 * bytes of scratch for a last panel narrower than NR.
 */
export function conv3dBackFilterDirect(g: usize, xp: usize, dp: i32, hp: i32, wp: i32, dy: usize, partial: usize,
                                       q0: i32, rows: i32, edge: usize): void {
  const c = gi(g, V_IN_C), od_ = gi(g, V_OUT_D), oh = gi(g, V_OUT_H), ow = gi(g, V_OUT_W), outC = gi(g, V_OUT_C);
  const fd = gi(g, V_FD), fh = gi(g, V_FH), fw = gi(g, V_FW);
  const sd = gi(g, V_SD), sh = gi(g, V_SH), sw = gi(g, V_SW);
  const dd = gi(g, V_DD), dh = gi(g, V_DH), dw = gi(g, V_DW);
  const k = fd * fh * fw * c;
  const step = off(sw * c), dyStep = off(outC);
  const lanes = edge + 32;
  for (let p0 = 0; p0 < k; p0 += 4) {
    const o0 = windowOffset(p0, k, c, fh, fw, dd, dh, dw, hp, wp);
    const o1 = windowOffset(p0 + 1, k, c, fh, fw, dd, dh, dw, hp, wp);
    const o2 = windowOffset(p0 + 2, k, c, fh, fw, dd, dh, dw, hp, wp);
    const o3 = windowOffset(p0 + 3, k, c, fh, fw, dd, dh, dw, hp, wp);
    for (let j0 = 0; j0 < outC; j0 += NR) {
      const cols = min(NR, outC - j0);
      let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
      let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
      let q = q0;
      const q1 = q0 + rows;
      while (q < q1) {
        // one run of cells along a row of the output: the window moves by a fixed step
        let t = q / ow;
        const ox = q - t * ow;
        const oy = t - (t / oh) * oh;
        t = t / oh;
        const b = t / od_, od = t - b * od_;
        const run = min(ow - ox, q1 - q);
        let base = xp + off((((b * dp + od * sd) * hp + oy * sh) * wp + ox * sw) * c);
        let d = dy + off(q * outC + j0);
        for (let i = 0; i < run; i++) {
          let d0: v128, d1: v128;
          if (cols == NR) {
            d0 = v128.load(d);
            d1 = v128.load(d, 16);
          } else {
            // dy's last panel is narrower than 8: its lanes through a zero-filled copy
            for (let u = 0; u < NR; u++) store<f32>(lanes + off(u), u < cols ? load<f32>(d + off(u)) : 0);
            d0 = v128.load(lanes);
            d1 = v128.load(lanes, 16);
          }
          let v = v128.load32_splat(base + o0);
          c00 = f32x4.add(c00, f32x4.mul(v, d0));
          c01 = f32x4.add(c01, f32x4.mul(v, d1));
          v = v128.load32_splat(base + o1);
          c10 = f32x4.add(c10, f32x4.mul(v, d0));
          c11 = f32x4.add(c11, f32x4.mul(v, d1));
          v = v128.load32_splat(base + o2);
          c20 = f32x4.add(c20, f32x4.mul(v, d0));
          c21 = f32x4.add(c21, f32x4.mul(v, d1));
          v = v128.load32_splat(base + o3);
          c30 = f32x4.add(c30, f32x4.mul(v, d0));
          c31 = f32x4.add(c31, f32x4.mul(v, d1));
          base += step;
          d += dyStep;
        }
        q += run;
      }
      addRow(partial, p0, k, outC, j0, cols, c00, c01, edge);
      addRow(partial, p0 + 1, k, outC, j0, cols, c10, c11, edge);
      addRow(partial, p0 + 2, k, outC, j0, cols, c20, c21, edge);
      addRow(partial, p0 + 3, k, outC, j0, cols, c30, c31, edge);
    }
  }
}
