// 3-D convolution, NDHWC f32, forward and both gradients, as im2col ("vol2col") blocks and the
// GEMM of gemm.ts, and the task entry points of the direct kernels (conv3d_direct.ts), which the
// backend prefers wherever no padding is negative:
//   forward   out[q, o]  = col[q, :] . W[:, o]        (col: one row per output cell q, K wide)
//   input     dcol[q, :] = dy[q, :] . W^T, scattered back onto dx (col2vol)
//   filter    dW[p, o]   = sum over q of col[q, p] * dy[q, o]
// with K = fd * fh * fw * inC in the filter's [fd, fh, fw, inC, outC] order. Cells outside the
// input (padding, or a dilated tap past the edge) read as zeros and take no gradient, as in the
// reference kernels (src/backend/js/conv3d.ts). A block of col rows lives in the per-thread
// scratch after the GEMM's own area.
//
// Chunks: the forward pass splits output cells, each computed by one GEMM over the whole K, so
// any split gives the same bits. The input gradient splits whole images, since the windows of
// neighbouring cells scatter into the same dx cells. The filter gradient gives each chunk a
// partial sum of its own, added in chunk order (the backend picks the chunks from the shape).
import { gemmBlock, GEMM_SCRATCH, NC_MAX } from './gemm';
import { gi, off } from './conv_geometry';
import { conv3dBackFilterDirect, conv3dDirectRows, packVolumeFilter, padVolumes } from './conv3d_direct';
import {
  V_BATCH, V_IN_D, V_IN_H, V_IN_W, V_IN_C, V_OUT_D, V_OUT_H, V_OUT_W, V_OUT_C, V_FD, V_FH, V_FW, V_SD, V_SH, V_SW,
  V_DD, V_DH, V_DW, V_PAD_F, V_PAD_T, V_PAD_L,
} from './volume_geometry';

export const TASK_CONV3D = 90, TASK_CONV3D_BACK_INPUT = 91, TASK_CONV3D_BACK_FILTER = 92;
export const TASK_CONV3D_SUM_PARTIALS = 93, TASK_CONV3D_DIRECT_PREP = 94, TASK_CONV3D_DIRECT = 95;

@inline function arg(args: usize, i: i32): i32 {
  return load<i32>(args + ((<usize>i) << 2));
}

/** the col matrix's width: one filter's taps times input channels */
@inline function kdim(g: usize): i32 {
  return gi(g, V_FD) * gi(g, V_FH) * gi(g, V_FW) * gi(g, V_IN_C);
}

/** dst[0:n] += src[0:n] */
@inline function addFloats(dst: usize, src: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(dst + off(i), f32x4.add(v128.load(dst + off(i)), v128.load(src + off(i))));
  for (; i < n; i++) store<f32>(dst + off(i), load<f32>(dst + off(i)) + load<f32>(src + off(i)));
}

/**
 * Walks rows q0..q0+rows (flat output cells over batch, od, oy, ox) of the col matrix at `col`
 * against the volumes at `vol`. gather: col = the windows of vol (vol2col), padding as zeros.
 * Else (col2vol) each col row is added back onto its window in vol and padding taps are skipped.
 * Inlined with a constant `gather`, so each direction compiles to its own loop without the test.
 */
@inline function colWalk(gather: bool, g: usize, vol: usize, q0: i32, rows: i32, col: usize): void {
  const d = gi(g, V_IN_D), h = gi(g, V_IN_H), w = gi(g, V_IN_W), c = gi(g, V_IN_C);
  const od_ = gi(g, V_OUT_D), oh = gi(g, V_OUT_H), ow = gi(g, V_OUT_W);
  const fd = gi(g, V_FD), fh = gi(g, V_FH), fw = gi(g, V_FW);
  const sd = gi(g, V_SD), sh = gi(g, V_SH), sw = gi(g, V_SW);
  const dd = gi(g, V_DD), dh = gi(g, V_DH), dw = gi(g, V_DW);
  const padF = gi(g, V_PAD_F), padT = gi(g, V_PAD_T), padL = gi(g, V_PAD_L);
  const rowBytes = off(fw * c), planeBytes = off(fh * fw * c);
  let at = col;
  for (let q = q0; q < q0 + rows; q++) {
    let t = q / ow;
    const ox = q - t * ow;
    const oy = t - (t / oh) * oh;
    t = t / oh;
    const od = t - (t / od_) * od_;
    const b = t / od_;
    const volume = vol + off(b * d * h * w * c);
    const ix0 = ox * sw - padL;
    const wholeRow = dw == 1 && ix0 >= 0 && ix0 + fw <= w;
    for (let kd = 0; kd < fd; kd++) {
      const id = od * sd - padF + kd * dd;
      if (id < 0 || id >= d) {
        if (gather) memory.fill(at, 0, planeBytes);
        at += planeBytes;
        continue;
      }
      for (let ky = 0; ky < fh; ky++) {
        const iy = oy * sh - padT + ky * dh;
        if (iy < 0 || iy >= h) {
          if (gather) memory.fill(at, 0, rowBytes);
          at += rowBytes;
          continue;
        }
        const line = volume + off((id * h + iy) * w * c);
        if (wholeRow) {
          if (gather) memory.copy(at, line + off(ix0 * c), rowBytes);
          else addFloats(line + off(ix0 * c), at, fw * c);
          at += rowBytes;
          continue;
        }
        for (let kx = 0; kx < fw; kx++) {
          const ix = ix0 + kx * dw;
          if (gather) {
            if (ix >= 0 && ix < w) memory.copy(at, line + off(ix * c), off(c));
            else memory.fill(at, 0, off(c));
          } else if (ix >= 0 && ix < w) {
            addFloats(line + off(ix * c), at, c);
          }
          at += off(c);
        }
      }
    }
  }
}

/** Rows q0..q0+rows of the col matrix of x, into col. */
function vol2col(g: usize, x: usize, q0: i32, rows: i32, col: usize): void {
  colWalk(true, g, x, q0, rows, col);
}

/** Adds rows q0..q0+rows of a col-shaped gradient back onto dx (vol2col's transpose). */
function col2volAdd(g: usize, dcol: usize, q0: i32, rows: i32, dx: usize): void {
  colWalk(false, g, dx, q0, rows, dcol);
}

// args: g x w out cells per blockRows
function conv3dChunk(args: usize, chunk: i32, scratch: usize): void {
  const g = <usize>arg(args, 0), x = <usize>arg(args, 1), w = <usize>arg(args, 2), out = <usize>arg(args, 3);
  const cells = arg(args, 4), per = arg(args, 5), block = arg(args, 6);
  const k = kdim(g), outC = gi(g, V_OUT_C);
  const col = scratch + <usize>GEMM_SCRATCH;
  const q1 = min(cells, chunk * per + per);
  for (let q = chunk * per; q < q1; q += block) {
    const rows = min(block, q1 - q);
    vol2col(g, x, q, rows, col);
    for (let j0 = 0; j0 < outC; j0 += NC_MAX) {
      gemmBlock(col, k, 1, w, outC, 1, out + off(q * outC), outC, k, 0, rows, j0, min(outC, j0 + NC_MAX),
        0, 0, 0, scratch);
    }
  }
}

// args: g dy w dx blockRows imagesPer
function conv3dBackInputChunk(args: usize, chunk: i32, scratch: usize): void {
  const g = <usize>arg(args, 0), dy = <usize>arg(args, 1), w = <usize>arg(args, 2), dx = <usize>arg(args, 3);
  const block = arg(args, 4), per = arg(args, 5);
  const k = kdim(g), outC = gi(g, V_OUT_C);
  const b0 = chunk * per, b1 = min(gi(g, V_BATCH), b0 + per);
  const cellsPer = gi(g, V_OUT_D) * gi(g, V_OUT_H) * gi(g, V_OUT_W);
  const volumeBytes = off(gi(g, V_IN_D) * gi(g, V_IN_H) * gi(g, V_IN_W) * gi(g, V_IN_C));
  memory.fill(dx + <usize>b0 * volumeBytes, 0, <usize>(b1 - b0) * volumeBytes);
  const dcol = scratch + <usize>GEMM_SCRATCH;
  for (let q = b0 * cellsPer; q < b1 * cellsPer; q += block) {
    const rows = min(block, b1 * cellsPer - q);
    // dcol[rows, K] = dy[rows, outC] * W^T, W^T read from W [K, outC] with strides (1, outC)
    for (let j0 = 0; j0 < k; j0 += NC_MAX) {
      gemmBlock(dy + off(q * outC), outC, 1, w, 1, outC, dcol, k, outC, 0, rows, j0, min(k, j0 + NC_MAX),
        0, 0, 0, scratch);
    }
    col2volAdd(g, dcol, q, rows, dx);
  }
}

// args: g x dy partials cells per partialBytes blockRows direct dp hp wp. With direct != 0, x is
// the zero-bordered copy [batch, dp, hp, wp, c] and the taps are read from it in place
// (conv3d_direct.ts); else through vol2col blocks and the GEMM.
function conv3dBackFilterChunk(args: usize, chunk: i32, scratch: usize): void {
  const g = <usize>arg(args, 0), x = <usize>arg(args, 1), dy = <usize>arg(args, 2);
  const cells = arg(args, 4), per = arg(args, 5), block = arg(args, 7), direct = arg(args, 8) != 0;
  const partial = <usize>arg(args, 3) + <usize>chunk * <usize>arg(args, 6);
  const k = kdim(g), outC = gi(g, V_OUT_C);
  memory.fill(partial, 0, off(k * outC));
  const col = scratch + <usize>GEMM_SCRATCH;
  const q1 = min(cells, chunk * per + per);
  for (let q = chunk * per; q < q1; q += block) {
    const rows = min(block, q1 - q);
    if (direct) {
      conv3dBackFilterDirect(g, x, arg(args, 9), arg(args, 10), arg(args, 11), dy, partial, q, rows, scratch);
      continue;
    }
    vol2col(g, x, q, rows, col);
    // partial[K, outC] += col^T[K, rows] * dy[rows, outC], col^T read with strides (1, K)
    for (let j0 = 0; j0 < outC; j0 += NC_MAX) {
      gemmBlock(col, 1, k, dy + off(q * outC), outC, 1, partial, outC, rows, 0, k, j0, min(outC, j0 + NC_MAX),
        1, 0, 0, scratch);
    }
  }
}

// args: partials count n partialBytes out. out = the partials added in chunk order.
function sumPartials(args: usize): void {
  const partials = <usize>arg(args, 0), count = arg(args, 1), n = arg(args, 2);
  const stride = <usize>arg(args, 3), out = <usize>arg(args, 4);
  memory.copy(out, partials, off(n));
  for (let t = 1; t < count; t++) addFloats(out, partials + <usize>t * stride, n);
}

// args: g x xp dp hp wp w panels imagesPer pad. Chunk 0 also packs the filter w (when not 0).
function directPrepChunk(args: usize, chunk: i32): void {
  const g = <usize>arg(args, 0);
  if (chunk == 0 && arg(args, 6) != 0) packVolumeFilter(g, arg(args, 6), arg(args, 7));
  if (arg(args, 9) != 0) {
    const per = arg(args, 8), b0 = chunk * per;
    padVolumes(g, arg(args, 1), arg(args, 2), arg(args, 3), arg(args, 4), arg(args, 5), b0, min(gi(g, V_BATCH), b0 + per));
  }
}

export function conv3dTask(task: i32, args: usize, chunk: i32, scratch: usize): void {
  if (task == TASK_CONV3D) conv3dChunk(args, chunk, scratch);
  else if (task == TASK_CONV3D_BACK_INPUT) conv3dBackInputChunk(args, chunk, scratch);
  else if (task == TASK_CONV3D_BACK_FILTER) conv3dBackFilterChunk(args, chunk, scratch);
  else if (task == TASK_CONV3D_SUM_PARTIALS) sumPartials(args);
  else if (task == TASK_CONV3D_DIRECT_PREP) directPrepChunk(args, chunk);
  else if (task == TASK_CONV3D_DIRECT) {
    // args: g xp dp hp wp panels out rows per
    const rows = arg(args, 7), per = arg(args, 8), r0 = chunk * per;
    conv3dDirectRows(arg(args, 0), arg(args, 1), arg(args, 2), arg(args, 3), arg(args, 4), arg(args, 5), arg(args, 6),
      r0, min(rows, r0 + per), scratch);
  }
}
