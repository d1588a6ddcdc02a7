// The 3-D convolution's filter gradient without an im2col matrix, NHWC, f32 (backFilterTiles,
// for conv3d_direct.ts; the 2-D one is blocked like the GEMM in conv_filter_grad.ts).
//
// dW[p, o] = sum over output pixels q of x[window of q at p] * dy[q, o], with p = (fy, fx, c)
// in im2col's order. A 4x8 register tile holds four filter rows p by eight output channels and
// walks the pixels of a block, reading x from the zero-bordered copy made for the forward pass
// (conv_direct.ts) at four fixed offsets from each pixel's window, and dy in place. Each block's
// sums are added to the chunk's partial exactly as the im2col GEMM added them (one accumulator
// over the block's pixels in order, then partial + block), so the result has the same bits.
import { madd } from './fma';
import { NR } from './gemm';
import { off } from './conv_geometry';


/**
 * Byte offset of filter row p inside a cell's window of the padded input [.., dp, hp, wp, c]
 * (a 2-D window is one plane); 0 past the end.
 */
@inline function windowOffset(p: i32, k: i32, c: i32, fh: i32, fw: i32, dd: i32, dh: i32, dw: i32, hp: i32, wp: i32): usize {
  if (p >= k) return 0;
  const perPlane = fh * fw * c;
  const kd = p / perPlane, inPlane = p - kd * perPlane;
  const ky = inPlane / (fw * c), inRow = inPlane - ky * fw * c;
  const kx = inRow / c, ci = inRow - kx * c;
  return off(((kd * dd * hp + ky * dh) * wp + kx * dw) * c + ci);
}

/** partial[p0 + i, j0 + q] += acc row i, for the rows below k and the first `cols` lanes. */
@inline export function addRow(partial: usize, p: i32, k: i32, outC: i32, j0: i32, cols: i32, v0: v128, v1: v128, edge: usize): void {
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
 * partial[K, outC] += the filter gradient over output cells q0..q0+rows (a flat index over
 * (volume, od, oy, ox)), from the padded input xp [batch, dp, hp, wp, c] and dy [cells, outC],
 * K = fd * fh * fw * c. The 2-D kernel is the one-plane case (dp = od_ = fd = 1). `edge` is 64
 * bytes of scratch for a last panel narrower than NR.
 */
@inline export function backFilterTiles(xp: usize, dp: i32, hp: i32, wp: i32, c: i32, od_: i32, oh: i32, ow: i32, outC: i32,
                                        fd: i32, fh: i32, fw: i32, sd: i32, sh: i32, sw: i32, dd: i32, dh: i32, dw: i32,
                                        dy: usize, partial: usize, q0: i32, rows: i32, edge: usize): void {
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
          c00 = madd(v, d0, c00);
          c01 = madd(v, d1, c01);
          v = v128.load32_splat(base + o1);
          c10 = madd(v, d0, c10);
          c11 = madd(v, d1, c11);
          v = v128.load32_splat(base + o2);
          c20 = madd(v, d0, c20);
          c21 = madd(v, d1, c21);
          v = v128.load32_splat(base + o3);
          c30 = madd(v, d0, c30);
          c31 = madd(v, d1, c31);
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
