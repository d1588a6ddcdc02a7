// ---- conv stride-2 area (issue 18): which convolutions take assembly/conv_stride2.ts ----
/**
 * The forward pass and the filter gradient of strided convolutions over 16 input channels
 * (ResNet-20's 3x3 stride-2 32x32x16 -> 16x16x32 layer) through the kernels of
 * assembly/conv_stride2.ts: x copied band by band (an L2-sized run of input rows with its zero
 * border) into each thread's scratch, not into a zero-bordered copy of the whole input
 * beforehand (13% of the forward pass here), the window a table of offsets.
 * `globalThis.STRIATE_CONV_S2` = 'off' keeps the kernels before them (direct / packed),
 * 'forward' or 'filter' only that one (A/B benches, tests), 'all' takes windows other than 3x3.
 *
 * Measured at ResNet-20's layer (bench/conv_s2_ab.js, new against 'off' in one process, rounds
 * alternating, medians, GFLOP/s per CPU second, load 5-10 on 2 cores), 1 thread: relaxed
 * forward 26.8 vs 22.3 (1.20x), filter gradient 25.3 vs 21.3 (1.19x); plain forward 18.8 vs
 * 18.3 (1.03x), filter gradient 18.9 vs 16.3 (1.16x). 2 threads, filter gradient: relaxed 22.8
 * vs 17.4, plain 17.0 vs 14.1 (split over images; over filter rows 21.4-22.2 and 15.6-16.3).
 * Without the border copy (a 33x33 'valid' input) the kernels before ran 25.6 (relaxed): the
 * copy of the whole input was most of what they lost.
 */
import type { Conv2DInfo } from '../types.js';
import type { WasmBackend } from './backend.js';
import { KernelGroup, roundUp } from './kernel_group.js';

const TASK_S2_FORWARD = 175, TASK_S2_FILTER = 176;
/** the direct kernel's prep task: chunk 0 packs the filter into 8-column panels (assembly/index.ts) */
const TASK_CONV_DIRECT_PREP = 6;
/** where conv_stride2.ts puts the band in the scratch (BAND_AT): the offset tables lie below */
const BAND_AT = 32768;

function s2Mode(): string {
  const v = (globalThis as { STRIATE_CONV_S2?: unknown }).STRIATE_CONV_S2;
  return typeof v === 'string' ? v : 'on';
}

/**
 * 16 input channels, stride 2 across, dilation 1 along the width; a 3x3 window (the measured
 * one), or with STRIATE_CONV_S2 'all' any window wider than 1x1 (tests: the kernels take them).
 */
function s2Geometry(info: Conv2DInfo, mode: string): boolean {
  const window = mode === 'all' ? info.filterHeight * info.filterWidth > 1 : info.filterHeight === 3 && info.filterWidth === 3;
  return window && info.inChannels === 16 && info.strideHeight === 2 && info.strideWidth === 2 && info.dilationWidth === 1 &&
    info.filterHeight * info.filterWidth * 16 * 4 + 256 <= BAND_AT && info.outWidth * 4 + 256 <= BAND_AT;
}

/** Padded pixels a row, as ops.ts padded() computes them. */
function paddedWidth(info: Conv2DInfo): number {
  return Math.max(info.inWidth + info.padLeft, (info.outWidth - 1) * info.strideWidth + (info.filterWidth - 1) * info.dilationWidth + 1);
}

/**
 * Whether the forward pass of this geometry takes task 175 in place of the direct kernel. Its
 * tiles step 128 bytes from pixel to pixel (stride 2 over 16 channels, fixed in the kernel).
 */
export function s2ForwardApplies(info: Conv2DInfo): boolean {
  const mode = s2Mode();
  return (mode === 'on' || mode === 'all' || mode === 'forward') && s2Geometry(info, mode);
}

/** Whether the filter gradient takes task 176: s2Geometry and whole 8-column panels of dy (read in place). */
export function s2FilterApplies(info: Conv2DInfo): boolean {
  const mode = s2Mode();
  return (mode === 'on' || mode === 'all' || mode === 'filter') && s2Geometry(info, mode) && info.outChannels % 8 === 0;
}

/** Pixels per block of window origins of task 176 (dy's block is re-read by every tile); `globalThis.STRIATE_CONV_S2_BLOCK` for tuning. */
export function s2FilterBlock(): number {
  const v = Number((globalThis as { STRIATE_CONV_S2_BLOCK?: unknown }).STRIATE_CONV_S2_BLOCK);
  return v > 0 ? Math.min(Math.floor(v), 4096) : 128;
}
export class ConvS2Ops extends KernelGroup {
  constructor(b: WasmBackend) {
    super(b);
  }

  /** Whether one window's band of input rows fits this build's scratch. */
  fits(info: Conv2DInfo): boolean {
    const span = (info.filterHeight - 1) * info.dilationHeight + 1;
    return span * paddedWidth(info) * info.inChannels * 4 <= this.b.scratchBytes - BAND_AT;
  }

  /** The 15 geometry words (conv_geometry.ts), after the argument words. */
  private geometry(info: Conv2DInfo): number {
    this.b.args([
      info.batchSize, info.inHeight, info.inWidth, info.inChannels, info.outHeight, info.outWidth,
      info.outChannels, info.filterHeight, info.filterWidth, info.strideHeight, info.strideWidth,
      info.dilationHeight, info.dilationWidth, info.padTop, info.padLeft,
    ], 64);
    return this.b.argsPtr + 256;
  }

  /** out = conv(x, filter) + bias, relu when act is 1: the filter packed once, then chunks of output rows. */
  forward(x: number, filter: number, info: Conv2DInfo, out: number, bias: number, act: number): void {
    const k = info.filterHeight * info.filterWidth * info.inChannels;
    const panelBytes = Math.ceil(info.outChannels / 8) * 8 * k * 4;
    const panels = this.b.heap.alloc(panelBytes);
    try {
      const g = this.geometry(info);
      const wp = paddedWidth(info);
      this.b.run(TASK_CONV_DIRECT_PREP, this.b.args([g, x, 0, 0, wp, filter, panels, info.batchSize, 0]), 1, false, 0);
      const rows = info.batchSize * info.outHeight;
      const macs = rows * info.outWidth * k * info.outChannels;
      const parallel = this.parallel(macs);
      const per = parallel ? Math.max(1, Math.ceil(rows / this.target)) : rows;
      this.b.run(TASK_S2_FORWARD, this.b.args([g, x, wp, panels, out, rows, per, bias, act]), Math.ceil(rows / per), parallel, macs);
    } finally {
      this.b.heap.release(panels, panelBytes);
    }
  }

  /**
   * dW [K, outC] = the filter gradient into `dw`. On one thread all of it. On several, with at
   * least two images a thread, chunks of images (a few per thread, so that a thread slowed by
   * the machine's load is evened out) each into a partial of its own, added in chunk order;
   * else one chunk of filter rows (a multiple of 12) per thread
   * over all images, straight into dW. Either way the bits do not depend on which thread ran
   * which chunk. `globalThis.STRIATE_CONV_S2_SPLIT = 'rows'` forces the split over rows (A/B).
   */
  backFilter(x: number, dy: number, info: Conv2DInfo, dw: number): void {
    const k = info.filterHeight * info.filterWidth * info.inChannels;
    const outC = info.outChannels, batch = info.batchSize;
    const total = batch * info.outHeight * info.outWidth;
    const parallel = this.parallel(total * k * outC);
    const threads = this.b.threads;
    const byImages = parallel && batch >= 2 * threads &&
      (globalThis as { STRIATE_CONV_S2_SPLIT?: unknown }).STRIATE_CONV_S2_SPLIT !== 'rows';
    const imagesPer = byImages ? Math.ceil(batch / Math.min(this.target, batch)) : 0;
    const chunks = byImages ? Math.ceil(batch / imagesPer) : 1;
    const partialBytes = roundUp(k * outC * 4, 64);
    const partials = chunks > 1 ? this.b.heap.alloc(partialBytes * chunks) : dw;
    try {
      this.b.mem.u8.fill(0, partials, partials + (chunks > 1 ? partialBytes * chunks : k * outC * 4));
      if (total === 0) return;
      const pPer = parallel && !byImages ? roundUp(Math.ceil(k / threads), 12) : k;
      const g = this.geometry(info);
      const args = this.b.args([g, x, paddedWidth(info), dy, partials, pPer, s2FilterBlock(), imagesPer, partialBytes]);
      this.b.run(TASK_S2_FILTER, args, byImages ? chunks : Math.ceil(k / pPer), parallel, total * k * outC);
      if (chunks > 1) this.sumPartials(dw, partials, chunks, partialBytes, k * outC);
    } finally {
      if (chunks > 1) this.b.heap.release(partials, partialBytes * chunks);
    }
  }
}
// ---- end of conv stride-2 area ----
