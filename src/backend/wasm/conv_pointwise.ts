/**
 * proj area (issue 18): strided 1x1 convolutions (ResNet's projection shortcuts, 1x1 stride 2)
 * read in place by kernels of their own (assembly/conv_pointwise.ts, tasks 130-132), in place of
 * conv_stride.ts's gather + GEMM (forward), col2im (input gradient) and the strided
 * filter-gradient kernel:
 * - forward: a tile of 4 pixels (6 with relaxed SIMD) x 8 channels over the whole K, each
 *   pixel's channels read where they lie in x, accumulators started from the bias, relu folded;
 * - input gradient: every dx row written once, the unsampled pixels zeroed and the sampled ones
 *   dy row · Wᵀ from the same tile, instead of a zero fill of all dx then a scatter;
 * - filter gradient: x read at the strided pixels through a table of addresses, dy rows in
 *   place, accumulators kept over blocks of 128 pixels; chunks of pixels into partials.
 * `globalThis.STRIATE_CONV_POINTWISE = 'off'` keeps the paths before (benchmarks, tests).
 */
import type { Conv2DInfo } from '../types.js';
import type { WasmBackend } from './backend.js';
import { KernelGroup, roundUp } from './kernel_group.js';
import { MAX_CHUNKS } from './pool.js';

const TASK_FORWARD = 130, TASK_BACK_INPUT = 131, TASK_FILTER_GRAD = 132;
/** c * outC up to which these kernels run: ResNet-18's first projection, 64 -> 128 (measured) */
const POINTWISE_MAX = 64 * 128;
/** c * outC from which the filter gradient stays with the packed strided kernel (measured) */
const POINTWISE_FILTER_GRAD_MAX = 64 * 128;
/** pixels per block of the filter-gradient kernel (PB there) */
const FILTER_GRAD_BLOCK = 128;

/** Whether the kernels of this file take this convolution: 1x1, a stride above 1, dilation 1. */
export function pointwiseStridedApplies(info: Conv2DInfo): boolean {
  if ((globalThis as { STRIATE_CONV_POINTWISE?: unknown }).STRIATE_CONV_POINTWISE === 'off') return false;
  // with larger filters the packed panels outgrow the cache that the GEMM's blocking keeps them in:
  // measured 1 thread plain, off -> on GFLOP/s per CPU second, forward 22.0 -> 20.1 at
  // 28x28x128->256 b8 and 22.1 -> 15.8 at 14x14x256->512 b8
  return info.filterHeight === 1 && info.filterWidth === 1 && (info.strideHeight > 1 || info.strideWidth > 1) &&
    info.inChannels * info.outChannels <= POINTWISE_MAX;
}

export class ConvPointwiseOps extends KernelGroup {
  constructor(b: WasmBackend) {
    super(b);
  }

  /** The 11 geometry words the kernels read after their 8 argument words. */
  private words(info: Conv2DInfo): number[] {
    return [info.batchSize, info.inHeight, info.inWidth, info.inChannels, info.outHeight, info.outWidth,
      info.outChannels, info.strideHeight, info.strideWidth, info.padTop, info.padLeft];
  }

  /** Output pixels per chunk: a multiple of 12 (whole tiles of 4 and of 6 pixels). */
  private pixelChunks(pixels: number, work: number): { per: number; chunks: number; parallel: boolean } {
    const parallel = this.parallel(work);
    const per = parallel ? Math.max(12, roundUp(Math.ceil(pixels / this.target), 12)) : pixels;
    return { per, chunks: Math.ceil(pixels / per), parallel };
  }

  /** Scratch bytes of the forward and input-gradient tile: edge tile, zero and sink rows, panels, bias, packed A. */
  private tileScratch(k: number, n: number): number {
    const npad = roundUp(n, 8), kpad = Math.max(k, npad);
    return 320 + kpad * 8 + (k * npad + npad) * 4 + 6 * 1024;
  }

  /** out [pixels, outC] = x at the strided pixels · W + bias, relu when act is 1. False: not taken. */
  forward(x: number, filter: number, info: Conv2DInfo, out: number, bias: number, act: number): boolean {
    const c = info.inChannels, n = info.outChannels;
    if (act !== 0 && act !== 1) return false;
    if (this.tileScratch(c, n) > this.b.scratchBytes) return false;
    const pixels = info.batchSize * info.outHeight * info.outWidth;
    const { per, chunks, parallel } = this.pixelChunks(pixels, pixels * c * n);
    if (chunks > MAX_CHUNKS) return false;
    const args = this.b.args([x, filter, out, bias, act, pixels, per, 0, ...this.words(info)]);
    this.b.run(TASK_FORWARD, args, chunks, parallel, pixels * c * n);
    return true;
  }

  /** dx (all of it written) from dy [pixels, outC] · Wᵀ at the sampled pixels. False: not taken. */
  backInput(dy: number, filter: number, info: Conv2DInfo, out: number): boolean {
    const c = info.inChannels, n = info.outChannels;
    if (this.tileScratch(n, c) > this.b.scratchBytes) return false;
    const rows = info.batchSize * info.outHeight;
    const work = rows * info.outWidth * c * n;
    const parallel = this.parallel(work);
    const per = parallel ? Math.max(1, Math.ceil(rows / this.target)) : rows;
    const chunks = Math.ceil(rows / per);
    if (chunks > MAX_CHUNKS) return false;
    const args = this.b.args([dy, filter, out, 0, 0, rows, per, 0, ...this.words(info)]);
    this.b.run(TASK_BACK_INPUT, args, chunks, parallel, work);
    return true;
  }

  /** dW [c, outC] = sum over the sampled pixels of x[pixel]ᵀ dy[pixel]. False: not taken. */
  backFilter(x: number, dy: number, info: Conv2DInfo, out: number): boolean {
    const c = info.inChannels, n = info.outChannels;
    // measured (bench/conv_stride_ab.ts, docs/performance.md): ahead of the packed strided
    // kernel at 16->32 channels (plain and relaxed SIMD, 1 and 2 threads), level (plain) or
    // behind (relaxed: its 6x8 tile) at 64->128; so only for small filters
    if (c * n >= POINTWISE_FILTER_GRAD_MAX) return false;
    const npad = roundUp(n, 4), cpad = roundUp(c, 8);
    const scratch = (cpad + FILTER_GRAD_BLOCK + cpad * npad + FILTER_GRAD_BLOCK * (cpad + npad)) * 4;
    if (scratch > this.b.scratchBytes) return false;
    const pixels = info.batchSize * info.outHeight * info.outWidth;
    const work = pixels * c * n;
    const parallel = this.parallel(work);
    // chunks of whole blocks; each chunk sums into its own partial, added up below
    const per = parallel ? roundUp(Math.ceil(pixels / this.target), FILTER_GRAD_BLOCK) : Math.max(pixels, 1);
    const chunks = Math.ceil(pixels / per);
    if (chunks > 64) return false;
    const size = c * n;
    if (pixels === 0) {
      this.b.mem.f32.fill(0, out >> 2, (out >> 2) + size);
      return true;
    }
    const partialBytes = chunks > 1 ? chunks * size * 4 : 0;
    const partials = chunks > 1 ? this.b.heap.alloc(partialBytes) : out;
    try {
      const args = this.b.args([x, dy, partials, pixels, per, size, 0, 0, ...this.words(info)]);
      this.b.run(TASK_FILTER_GRAD, args, chunks, parallel, work);
      if (chunks > 1) {
        // in chunk order: the same sum whichever thread ran which chunk
        const f32 = this.b.mem.f32, o = out >> 2, p = partials >> 2;
        for (let i = 0; i < size; i++) {
          let s = f32[p + i];
          for (let t = 1; t < chunks; t++) s += f32[p + t * size + i];
          f32[o + i] = s;
        }
      }
      return true;
    } finally {
      if (chunks > 1) this.b.heap.release(partials, partialBytes);
    }
  }
}
