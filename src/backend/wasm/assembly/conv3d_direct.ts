// 3-D convolution forward without a vol2col matrix, NDHWC f32: the 3-D twin of conv_direct.ts.
// The input is first copied once into a zero-bordered buffer xp [batch, dp, hp, wp, c] so that
// no window needs bounds checks, the filter [K, outC] is packed once into panels of 8 output
// channels, and a 4-pixel x 8-channel register tile reads its A values straight from xp. For
// the small channel counts of 3-D networks this skips writing each window into a column block
// and packing that block again, which cost more than the multiply-adds. Each output sums over
// (kd, ky, kx, c) in the filter's order with one accumulator, within one chunk, so the split
// into chunks never changes a bit.
import { madd } from './fma';
import { NR } from './gemm';
import { finish, packPanels } from './conv_direct';
import { backFilterTiles } from './conv_direct_grad';
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
  packPanels(w, panels, gi(g, V_FD) * gi(g, V_FH) * gi(g, V_FW) * gi(g, V_IN_C), gi(g, V_OUT_C));
}

/** Stores `cols` (<= 8) channels of one output cell: no bias, no activation. */
@inline function put(dst: usize, v0: v128, v1: v128, cols: i32, edge: usize): void {
  finish(dst, v0, v1, 0, 0, cols, edge);
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
                c00 = madd(v, b0, c00);
                c01 = madd(v, b1, c01);
                v = v128.load32_splat(a + px);
                c10 = madd(v, b0, c10);
                c11 = madd(v, b1, c11);
                v = v128.load32_splat(a + 2 * px);
                c20 = madd(v, b0, c20);
                c21 = madd(v, b1, c21);
                v = v128.load32_splat(a + 3 * px);
                c30 = madd(v, b0, c30);
                c31 = madd(v, b1, c31);
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
                c00 = madd(v, v128.load(bp), c00);
                c01 = madd(v, v128.load(bp, 16), c01);
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
// filter's (kd, ky, kx, c) order: the register tile of conv_direct_grad.ts, which walks cells
// of a volume (the 2-D kernel is its one-plane case).

/**
 * partial[K, outC] += the filter gradient over output cells q0..q0+rows (flat over volume, od,
 * oy, ox), from the padded input xp [batch, dp, hp, wp, c] and dy [cells, outC]. `edge` is 64
 * bytes of scratch for a last panel narrower than NR.
 */
export function conv3dBackFilterDirect(g: usize, xp: usize, dp: i32, hp: i32, wp: i32, dy: usize, partial: usize,
                                       q0: i32, rows: i32, edge: usize): void {
  backFilterTiles(xp, dp, hp, wp, gi(g, V_IN_C), gi(g, V_OUT_D), gi(g, V_OUT_H), gi(g, V_OUT_W), gi(g, V_OUT_C),
    gi(g, V_FD), gi(g, V_FH), gi(g, V_FW), gi(g, V_SD), gi(g, V_SH), gi(g, V_SW), gi(g, V_DD), gi(g, V_DH), gi(g, V_DW),
    dy, partial, q0, rows, edge);
}
