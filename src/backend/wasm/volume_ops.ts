/**
 * The wasm backend's 3-D convolution and pooling, float32 (assembly/conv3d.ts,
 * assembly/pool3d.ts). Each method returns the result's storage, or null for another dtype, and
 * the backend then runs the reference kernel (src/backend/js/conv3d.ts).
 *
 * - conv3d: read straight from a zero-bordered copy of the input by a register tile
 *   (assembly/conv3d_direct.ts), chunks of output rows on the pool; where 'same' padding is
 *   negative (a window smaller than its stride) vol2col blocks times the filter on the GEMM.
 * - its input gradient: with stride 1 it is itself a convolution, of dy with the filter turned
 *   end for end in all three axes (in and out channels swapped), so it runs as the forward
 *   pass; other strides multiply dy by the filter's transpose and scatter the blocks back
 *   (col2vol), a chunk per run of whole volumes.
 * - its filter gradient: a register tile reading the taps from the same zero-bordered copy
 *   (vol2col blocks against dy on the GEMM where padding is negative), one partial sum per
 *   chunk; the chunks follow from the shape alone and are added in order, so every thread
 *   count gives the same bits.
 * - pooling: forward chunks are runs of output rows, gradient chunks whole volumes.
 */
import type { Conv3DInfo, DataId, TensorInfo } from '../types.js';
import type { WasmBuffer } from './backend.js';
import { KernelGroup, PARALLEL_MIN_MACS, roundUp } from './kernel_group.js';

// must match assembly/conv3d.ts and assembly/pool3d.ts
const TASK_CONV3D = 90, TASK_CONV3D_BACK_INPUT = 91, TASK_CONV3D_BACK_FILTER = 92, TASK_CONV3D_SUM_PARTIALS = 93;
const TASK_CONV3D_DIRECT_PREP = 94, TASK_CONV3D_DIRECT = 95;
const TASK_MAX_POOL3D = 96, TASK_AVG_POOL3D = 97, TASK_MAX_POOL3D_BACK = 98, TASK_AVG_POOL3D_BACK = 99;

/** col rows per GEMM call: big enough that packing the filter is a small share of the work */
const BLOCK_ROWS = 256;
/** output cells per filter-gradient chunk (the chunk count must not depend on the threads) */
const CELLS_PER_PARTIAL = 512;
/** at most this many filter-gradient partial sums */
const MAX_PARTIALS = 16;

export class VolumeOps extends KernelGroup {
  /** `out` filled with zeros (an empty sum: no input channels, no output cells). */
  private zeros(out: WasmBuffer): WasmBuffer {
    this.b.mem.f32.fill(0, out.ptr >> 2, (out.ptr >> 2) + out.length);
    return out;
  }

  /** The 21 geometry words of assembly/volume_geometry.ts, after the task's own words. */
  private geometry(info: Conv3DInfo): number {
    this.b.args([
      info.batchSize, info.inDepth, info.inHeight, info.inWidth, info.inChannels,
      info.outDepth, info.outHeight, info.outWidth, info.outChannels,
      info.filterDepth, info.filterHeight, info.filterWidth, info.strideDepth, info.strideHeight, info.strideWidth,
      info.dilationDepth, info.dilationHeight, info.dilationWidth, info.padFront, info.padTop, info.padLeft,
    ], 64);
    return this.b.argsPtr + 256;
  }

  private static taps(info: Conv3DInfo): number {
    return info.filterDepth * info.filterHeight * info.filterWidth;
  }

  /** Rows of a vol2col block of width k that fit the per-thread scratch (0: none fit). */
  private blockRows(k: number): number {
    return Math.min(this.b.colRows(Math.max(k, 1)), BLOCK_ROWS);
  }

  conv3d(x: TensorInfo, filter: TensorInfo, info: Conv3DInfo): DataId | null {
    if (x.dtype !== 'float32' || filter.dtype !== 'float32') return null;
    const k = VolumeOps.taps(info) * info.inChannels;
    const block = this.blockRows(k);
    if (block < 1) return null;
    const cells = info.batchSize * info.outDepth * info.outHeight * info.outWidth;
    const out = this.b.allocate('float32', cells * info.outChannels);
    if (cells * info.outChannels === 0) return out;
    if (k === 0) return this.zeros(out);
    this.forward(this.ptr(x), this.ptr(filter), info, out.ptr, block);
    return out;
  }

  private forward(x: number, filter: number, info: Conv3DInfo, out: number, block: number): void {
    if (VolumeOps.direct(info)) {
      this.forwardDirect(x, filter, info, out);
      return;
    }
    const k = VolumeOps.taps(info) * info.inChannels;
    const cells = info.batchSize * info.outDepth * info.outHeight * info.outWidth;
    const parallel = this.parallel(cells * k * info.outChannels);
    const per = parallel ? Math.max(1, Math.ceil(cells / this.target)) : cells;
    const g = this.geometry(info);
    const args = this.b.args([g, x, filter, out, cells, per, block]);
    this.b.run(TASK_CONV3D, args, Math.ceil(cells / per), parallel);
  }

  /** Whether the direct kernels apply: they read a zero-bordered copy, so no padding may be negative. */
  private static direct(info: Conv3DInfo): boolean {
    return info.padFront >= 0 && info.padTop >= 0 && info.padLeft >= 0;
  }

  /**
   * The padded input the direct kernels read (assembly/conv3d_direct.ts): x itself when the
   * geometry needs no border, else a zero-bordered copy [batch, dp, hp, wp, c] wide enough for
   * every window, made by the prep task, which also packs `filter` into 8-column panels at
   * `panels` when given. The caller releases `bytes` at `xp` when not 0.
   */
  private padded(x: number, info: Conv3DInfo, parallel: boolean, filter = 0, panels = 0):
    { xp: number; dp: number; hp: number; wp: number; bytes: number } {
    const { batchSize: batch, inDepth: d, inHeight: h, inWidth: w, inChannels: c } = info;
    const span = (o: number, s: number, f: number, dil: number): number => (o - 1) * s + (f - 1) * dil + 1;
    const dp = Math.max(d + info.padFront, span(info.outDepth, info.strideDepth, info.filterDepth, info.dilationDepth));
    const hp = Math.max(h + info.padTop, span(info.outHeight, info.strideHeight, info.filterHeight, info.dilationHeight));
    const wp = Math.max(w + info.padLeft, span(info.outWidth, info.strideWidth, info.filterWidth, info.dilationWidth));
    const pad = dp !== d || hp !== h || wp !== w || info.padFront !== 0 || info.padTop !== 0 || info.padLeft !== 0;
    const bytes = pad ? batch * dp * hp * wp * c * 4 : 0;
    const xp = pad ? this.b.heap.alloc(bytes) : x;
    if (pad || filter !== 0) {
      // padding is a plain copy: a few volumes per chunk, only when the work is worth a wake-up
      const volumesPer = parallel && batch > 1 ? Math.ceil(batch / this.target) : batch;
      const g = this.geometry(info);
      const args = this.b.args([g, x, xp, dp, hp, wp, filter, panels, volumesPer, pad ? 1 : 0]);
      this.b.run(TASK_CONV3D_DIRECT_PREP, args, pad ? Math.ceil(batch / volumesPer) : 1, parallel && pad && batch > 1);
    }
    return { xp, dp, hp, wp, bytes };
  }

  /**
   * The forward pass without vol2col: the padded input, the filter packed once, then chunks of
   * output rows (volume, od, oy).
   */
  private forwardDirect(x: number, filter: number, info: Conv3DInfo, out: number): void {
    const k = VolumeOps.taps(info) * info.inChannels;
    const rows = info.batchSize * info.outDepth * info.outHeight;
    const parallel = this.parallel(rows * info.outWidth * k * info.outChannels);
    const panelBytes = Math.ceil(info.outChannels / 8) * 8 * k * 4;
    const panels = this.b.heap.alloc(panelBytes);
    let bytes = 0, xp = 0;
    try {
      const p = this.padded(x, info, parallel, filter, panels);
      ({ bytes, xp } = p);
      const per = parallel ? Math.max(1, Math.ceil(rows / this.target)) : rows;
      const g = this.geometry(info);
      const args = this.b.args([g, xp, p.dp, p.hp, p.wp, panels, out, rows, per]);
      this.b.run(TASK_CONV3D_DIRECT, args, Math.ceil(rows / per), parallel);
    } finally {
      if (bytes > 0) this.b.heap.release(xp, bytes);
      this.b.heap.release(panels, panelBytes);
    }
  }

  conv3dBackpropInput(dy: TensorInfo, filter: TensorInfo, info: Conv3DInfo): DataId | null {
    if (dy.dtype !== 'float32' || filter.dtype !== 'float32') return null;
    const k = VolumeOps.taps(info) * info.inChannels;
    const size = info.batchSize * info.inDepth * info.inHeight * info.inWidth * info.inChannels;
    const stride1 = info.strideDepth === 1 && info.strideHeight === 1 && info.strideWidth === 1;
    // the stride-1 path convolves dy, whose windows are taps * outC wide
    const block = this.blockRows(stride1 ? VolumeOps.taps(info) * info.outChannels : k);
    if (block < 1) return null;
    const out = this.b.allocate('float32', size);
    if (size === 0) return out;
    if (info.outChannels === 0) return this.zeros(out);
    if (stride1) {
      this.backInputAsConv(dy, filter, info, out.ptr, block);
      return out;
    }
    const cells = info.batchSize * info.outDepth * info.outHeight * info.outWidth;
    const parallel = this.parallel(cells * k * info.outChannels) && info.batchSize > 1;
    const imagesPer = parallel ? Math.max(1, Math.ceil(info.batchSize / this.target)) : info.batchSize;
    const g = this.geometry(info);
    const args = this.b.args([g, this.ptr(dy), this.ptr(filter), out.ptr, block, imagesPer]);
    this.b.run(TASK_CONV3D_BACK_INPUT, args, Math.ceil(info.batchSize / imagesPer), parallel);
    return out;
  }

  /**
   * Stride 1: dx[i] = sum over taps t of dy[i + pad - t * dilation] . filter[t]^T, which is the
   * forward convolution of dy with the filter taken in reverse tap order and channels swapped,
   * padded by the window's reach (dilation * (taps - 1)) less the forward padding. The forward
   * kernel treats cells outside dy as zeros, so any padding works.
   */
  private backInputAsConv(dy: TensorInfo, filter: TensorInfo, info: Conv3DInfo, out: number, block: number): void {
    const { filterDepth: fd, filterHeight: fh, filterWidth: fw, inChannels: ci, outChannels: co } = info;
    const taps = fd * fh * fw;
    const turnedBytes = taps * ci * co * 4;
    const turned = this.b.heap.alloc(turnedBytes);
    try {
      // filter-sized, once per call: the reverse of the flat tap order is the reverse in every axis
      const f32 = this.b.mem.f32;
      const src = this.ptr(filter) >> 2, dst = turned >> 2;
      for (let t = 0; t < taps; t++) {
        const from = src + (taps - 1 - t) * ci * co, to = dst + t * co * ci;
        for (let o = 0; o < co; o++) for (let i = 0; i < ci; i++) f32[to + o * ci + i] = f32[from + i * co + o];
      }
      const reach = (f: number, d: number): number => (f - 1) * d;
      const backInfo: Conv3DInfo = {
        ...info,
        inDepth: info.outDepth, inHeight: info.outHeight, inWidth: info.outWidth, inChannels: co,
        outDepth: info.inDepth, outHeight: info.inHeight, outWidth: info.inWidth, outChannels: ci,
        padFront: reach(fd, info.dilationDepth) - info.padFront,
        padTop: reach(fh, info.dilationHeight) - info.padTop,
        padLeft: reach(fw, info.dilationWidth) - info.padLeft,
      };
      this.forward(this.ptr(dy), turned, backInfo, out, block);
    } finally {
      this.b.heap.release(turned, turnedBytes);
    }
  }

  conv3dBackpropFilter(x: TensorInfo, dy: TensorInfo, info: Conv3DInfo): DataId | null {
    if (x.dtype !== 'float32' || dy.dtype !== 'float32') return null;
    const k = VolumeOps.taps(info) * info.inChannels;
    const outC = info.outChannels;
    const block = this.blockRows(k);
    if (block < 1) return null;
    const out = this.b.allocate('float32', k * outC);
    if (k * outC === 0) return out;
    const cells = info.batchSize * info.outDepth * info.outHeight * info.outWidth;
    if (cells === 0) return this.zeros(out);
    // the chunks from the shape alone: the same partial sums, added in the same order, on any
    // number of threads
    const chunks = cells * k * outC < PARALLEL_MIN_MACS ? 1
      : Math.min(MAX_PARTIALS, Math.ceil(cells / CELLS_PER_PARTIAL));
    const per = Math.ceil(cells / chunks);
    const used = Math.ceil(cells / per);
    const partialBytes = roundUp(k * outC * 4, 64);
    const partials = this.b.heap.alloc(partialBytes * used);
    const parallel = this.b.threads > 1 && used > 1;
    // the direct kernel reads the taps from a zero-bordered copy in place; negative padding
    // takes vol2col blocks and the GEMM
    const direct = VolumeOps.direct(info);
    let bytes = 0, xp = 0;
    try {
      const p = direct ? this.padded(this.ptr(x), info, parallel) : { xp: this.ptr(x), dp: 0, hp: 0, wp: 0, bytes: 0 };
      ({ bytes, xp } = p);
      const g = this.geometry(info);
      let args = this.b.args([g, xp, this.ptr(dy), partials, cells, per, partialBytes, block, direct ? 1 : 0,
        p.dp, p.hp, p.wp]);
      this.b.run(TASK_CONV3D_BACK_FILTER, args, used, parallel);
      args = this.b.args([partials, used, k * outC, partialBytes, out.ptr]);
      this.b.run(TASK_CONV3D_SUM_PARTIALS, args, 1, false);
      return out;
    } finally {
      if (bytes > 0) this.b.heap.release(xp, bytes);
      this.b.heap.release(partials, partialBytes * used);
    }
  }

  private poolForward(task: number, x: TensorInfo, info: Conv3DInfo): DataId | null {
    if (x.dtype !== 'float32') return null;
    const rows = info.batchSize * info.outDepth * info.outHeight;
    const size = rows * info.outWidth * info.inChannels;
    const out = this.b.allocate('float32', size);
    if (size === 0) return out;
    const parallel = this.parallel(size * VolumeOps.taps(info));
    const rowsPer = parallel ? Math.max(1, Math.ceil(rows / this.target)) : rows;
    const g = this.geometry(info);
    const args = this.b.args([g, this.ptr(x), out.ptr, rows, rowsPer]);
    this.b.run(task, args, Math.ceil(rows / rowsPer), parallel);
    return out;
  }

  /** A gradient task over whole volumes: overlapping windows share dx cells. */
  private poolBackward(task: number, dy: TensorInfo, x: TensorInfo | null, info: Conv3DInfo): DataId | null {
    if (dy.dtype !== 'float32' || (x !== null && x.dtype !== 'float32')) return null;
    const size = info.batchSize * info.inDepth * info.inHeight * info.inWidth * info.inChannels;
    const out = this.b.allocate('float32', size);
    if (size === 0) return out;
    const cost = info.batchSize * info.outDepth * info.outHeight * info.outWidth * info.inChannels * VolumeOps.taps(info);
    const parallel = this.parallel(cost) && info.batchSize > 1;
    const per = parallel ? Math.ceil(info.batchSize / this.target) : info.batchSize;
    const g = this.geometry(info);
    const args = this.b.args([g, this.ptr(dy), x === null ? 0 : this.ptr(x), out.ptr, per]);
    this.b.run(task, args, Math.ceil(info.batchSize / per), parallel);
    return out;
  }

  maxPool3d(x: TensorInfo, info: Conv3DInfo): DataId | null {
    return this.poolForward(TASK_MAX_POOL3D, x, info);
  }
  avgPool3d(x: TensorInfo, info: Conv3DInfo): DataId | null {
    return this.poolForward(TASK_AVG_POOL3D, x, info);
  }
  maxPool3dBackprop(dy: TensorInfo, x: TensorInfo, info: Conv3DInfo): DataId | null {
    return this.poolBackward(TASK_MAX_POOL3D_BACK, dy, x, info);
  }
  avgPool3dBackprop(dy: TensorInfo, info: Conv3DInfo): DataId | null {
    return this.poolBackward(TASK_AVG_POOL3D_BACK, dy, null, info);
  }
}
