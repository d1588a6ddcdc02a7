/**
 * The wasm backend's fast paths: each returns the result's storage, or null when the case is
 * not covered (another dtype, an unusual broadcast) so the backend runs the reference kernel.
 */
import type { BinaryOp, Conv2DInfo, DataId, DType, ReduceOp, TensorInfo, UnaryOp } from '../types.js';
import { sizeFromShape } from '../shape_util.js';
import type { WasmBackend } from './backend.js';
import { MAX_CHUNKS } from './pool.js';
import { ElementwiseOps } from './elementwise_ops.js';
import { KernelGroup, PARALLEL_MIN_MACS, roundUp } from './kernel_group.js';
import { ConvStrideOps, stridedPointwise } from './conv_stride.js'; // conv stride area
import { ConvS2Ops, s2ForwardApplies, s2FilterApplies } from './conv_s2.js'; // conv stride-2 area
import { ConvPointwiseOps, pointwiseStridedApplies } from './conv_pointwise.js'; // proj area
import { ConvPhaseDxOps, phaseDxApplies } from './conv_phase_dx.js'; // strided dx area
import { WinogradOps, winogradApplies, winogradFilterWins } from './winograd_ops.js'; // winograd area
import { F4X4, winograd4FilterWins } from './winograd4_ops.js'; // winograd4 area
import { FirstLayerOps, firstBackInputApplies, firstDwApplies, firstDwBlock, TASK_CONV_FILTER_RUNS } from './conv_first.js'; // first conv layer area
import { FirstForwardOps } from './conv_first_fwd.js'; // conv first-layer forward area
import { forwardPath, slabGrid, strideMode, winogradTooFewTiles, SLAB_KB, type ForwardPath } from './conv_paths.js';

// still exported from here for modules that import them from ops.js
export { forwardPath, slabGrid, strideMode, winogradTooFewTiles };

const TASK_MATMUL = 1, TASK_CONV_BACK_INPUT = 3, TASK_ADAM = 40;
/** conv gradients area (tasks 120-129, assembly/index.ts) */
const TASK_CONV_FILTER_GRAD = 120;
const TASK_CONV_DIRECT = 5, TASK_CONV_DIRECT_PREP = 6;
export const TASK_SGD_MOMENTUM = 41, TASK_RMSPROP = 42;
const TASK_DROPOUT_MASK = 43;
const TASK_CONV_SHORT = 112; // conv short-K area (assembly/conv_short.ts)
// r50 area (tasks 165-169, assembly/conv_small.ts): the slab kernel's packing by K block and its grid split
const TASK_SLAB_PACK_BLOCK = 165, TASK_SLAB_GRID = 166;
/** The slab filter's packing (a memory-bound copy) goes to the pool from this many floats (1 MB). */
const SLAB_PACK_PARALLEL_MIN_FLOATS = 256 * 1024;

// still exported from here for modules that import it from ops.js
export { PARALLEL_MIN_MACS };

// ---- thread use of the GEMM (speed area) ----
/**
 * Below this many multiply-adds a matMul stays on the calling thread. Handing a task to the
 * pool and waiting for it costs about 12 us on the development VM (bench/dispatch_cost.ts:
 * an empty 2-chunk task, machine loaded), while one thread does about 15 G multiply-adds a
 * second: at 512K a single thread needs ~35 us, so two threads gain ~1.2x at that cost and
 * more where waking is cheaper; below it the wake-up eats the gain (the MLP's 256x10 layers,
 * 327K each, measured 0.8-0.9x on two threads).
 */
export const GEMM_PARALLEL_MIN_MACS = 512 * 1024;
/**
 * Chunks per thread of a parallel matMul: enough to even out a thread that starts late, few
 * enough that the operand packing each chunk repeats stays small.
 */
const GEMM_CHUNKS_PER_THREAD = 2;
// ---- mlp speed area (issue 18) ----
/**
 * The GEMM's split for the pool, as a mutable object so that bench/mlp_ab.ts can compare
 * settings in one process, rounds interleaved (the shared machine's load falls on all alike).
 */
export const gemmSplit = { chunksPerThread: GEMM_CHUNKS_PER_THREAD };
/** A conv's zero-bordered input copy goes to the pool from this many bytes (a memory-bound copy). */
const PAD_COPY_PARALLEL_MIN_BYTES = 2 * 1024 * 1024;

export class WasmOps extends KernelGroup {
  /** element-wise, reduction and pooling fast paths */
  private readonly ew: ElementwiseOps;
  /** conv stride area: strided convolutions through stride-1 kernels (conv_stride.ts) */
  private readonly stride: ConvStrideOps;
  /** conv stride-2 area: 16-channel stride-2 forward and filter gradient (conv_s2.ts) */
  private readonly s2: ConvS2Ops;
  /** proj area: strided 1x1 convolutions read in place (conv_pointwise.ts) */
  private readonly pointwise: ConvPointwiseOps;
  /** strided dx area: a strided convolution's input gradient phase by phase (conv_phase_dx.ts) */
  private readonly phaseDx: ConvPhaseDxOps;
  /** winograd area: 3x3 stride-1 convolutions through Winograd F(2x2, 3x3) (winograd_ops.ts) */
  private readonly winograd: WinogradOps;
  /** winograd4 area: the same through Winograd F(4x4, 3x3) (winograd4_ops.ts) */
  private readonly winograd4: WinogradOps;

  /** first conv layer area: kernels for 1-3 input channels (conv_first.ts) */
  private readonly first: FirstLayerOps;
  /** conv first-layer forward area: the strip kernel (conv_first_fwd.ts) */
  private readonly firstFwd: FirstForwardOps;

  constructor(b: WasmBackend) {
    super(b);
    this.ew = new ElementwiseOps(b);
    this.pointwise = new ConvPointwiseOps(b); // proj area
    this.s2 = new ConvS2Ops(b); // conv stride-2 area
    this.phaseDx = new ConvPhaseDxOps(b); // strided dx area
    this.stride = new ConvStrideOps(b, (x, f, info, out) => this.convForwardAt(x, f, info, out, 0, 0),
      (x, dy, info, out) => this.backFilterAt(x, dy, info, out));
    this.winograd = new WinogradOps(b, (info) => this.geometry(info));
    this.winograd4 = new WinogradOps(b, (info) => this.geometry(info), F4X4);

    this.first = new FirstLayerOps(b, (info) => this.geometry(info));
    this.firstFwd = new FirstForwardOps(b, (info) => this.geometry(info));
  }

  matMul(a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean,
         outBatch: readonly number[], bias = 0, act = 0): DataId | null {
    if (a.dtype !== 'float32' || b.dtype !== 'float32') return null;
    const ra = a.shape.length, rb = b.shape.length;
    const m = transposeA ? a.shape[ra - 1] : a.shape[ra - 2];
    const k = transposeA ? a.shape[ra - 2] : a.shape[ra - 1];
    const n = transposeB ? b.shape[rb - 2] : b.shape[rb - 1];
    const batch = sizeFromShape(outBatch);
    const strideA = batchStride(a.shape.slice(0, -2), outBatch, m * k);
    const strideB = batchStride(b.shape.slice(0, -2), outBatch, k * n);
    if (strideA === null || strideB === null) return null;
    const out = this.b.allocate('float32', batch * m * n);
    if (batch * m * n === 0) return out;
    const macs = batch * m * n * k;
    // the thread policy may keep it on this thread: then one thread's split (no repacking per chunk)
    const parallel = this.b.threads > 1 && macs >= GEMM_PARALLEL_MIN_MACS && this.b.choosePool(TASK_MATMUL, macs);
    let rowsPer = m, colsPer = Math.min(n, 512);
    const target = this.b.threads * gemmSplit.chunksPerThread;
    if (parallel && batch < target) {
      // Every chunk packs its own share of B (all of B when C is split by rows) and of A (all of
      // A when split by columns): split the side whose repeated packing costs less. Packing
      // moves 4 values per instruction where the operand's layout allows (B's rows in place, A
      // either way), one value otherwise.
      const parts = Math.ceil(target / batch);
      const packA = m * k / 4, packB = k * n / (transposeB ? 1 : 4);
      const byRows = m >= 8 * parts && (n <= 64 || parts * packB + packA <= packB + parts * packA);
      if (byRows || n < 32 * parts) {
        // whole register tiles per chunk (gemm area, issue 18): the tile is MR = 4 rows in the
        // plain build, 6 in the relaxed one, and a chunk's last partial tile computes all MR rows
        const quantum = this.b.gemmTileRows === 4 ? 8 : this.b.gemmTileRows;
        rowsPer = Math.max(quantum, roundUp(Math.ceil(m / parts), quantum));
      } else {
        colsPer = Math.min(512, Math.max(32, roundUp(Math.ceil(n / parts), 8)));
      }
    }
    const chunks = batch * Math.ceil(m / rowsPer) * Math.ceil(n / colsPer);
    if (chunks > MAX_CHUNKS) {
      this.b.forgetChoice();
      return null;
    }
    const args = this.b.args([
      this.ptr(a), transposeA ? 1 : k, transposeA ? m : 1,
      this.ptr(b), transposeB ? 1 : n, transposeB ? k : 1,
      out.ptr, n, k, m, n, rowsPer, colsPer, batch, strideA, strideB, m * n, 0, bias, act,
    ]);
    this.b.run(TASK_MATMUL, args, chunks, parallel, macs);
    return out;
  }

  /** Geometry words for the conv kernels, written after the argument words. */
  private geometry(info: Conv2DInfo): number {
    this.b.args([
      info.batchSize, info.inHeight, info.inWidth, info.inChannels, info.outHeight, info.outWidth,
      info.outChannels, info.filterHeight, info.filterWidth, info.strideHeight, info.strideWidth,
      info.dilationHeight, info.dilationWidth, info.padTop, info.padLeft,
    ], 64);
    return this.b.argsPtr + 256;
  }

  conv2d(x: TensorInfo, filter: TensorInfo, info: Conv2DInfo, bias = 0, act = 0): DataId | null {
    if (x.dtype !== 'float32' || filter.dtype !== 'float32') return null;
    const total = info.batchSize * info.outHeight * info.outWidth;
    const path = forwardPath(info, this.b.k.simd === 'relaxed');
    if (path === 'gemm' && total * info.outChannels > 0 && !stridedPointwise(info)) {
      // the input already is the [pixels, c] matrix: no copy
      return this.matMul({ ...x, shape: [total, info.inChannels] }, { ...filter, shape: [info.inChannels, info.outChannels] },
        false, false, [], bias, act);
    }
    const out = this.b.allocate('float32', total * info.outChannels);
    if (total * info.outChannels === 0) return out;
    // proj area: a strided 1x1 convolution read in place (conv_pointwise.ts)
    if (path === 'gemm' && pointwiseStridedApplies(info) && this.pointwise.forward(this.ptr(x), this.ptr(filter), info, out.ptr, bias, act)) return out;
    // conv stride area: a strided 1x1 convolution gathers its pixels, then one GEMM
    if (path === 'gemm' && this.stride.forwardPointwise(this.ptr(x), this.ptr(filter), info, out.ptr, bias, act)) return out;
    this.convForwardAt(this.ptr(x), this.ptr(filter), info, out.ptr, bias, act, path === 'gemm' ? 'slab' : path);
    return out;
  }

  /**
   * A forward convolution on heap addresses through the slab, direct or short-K kernel (the
   * path of `forwardPath` unless given; 'gemm' is left to the callers, which own the matrices).
   */
  convForwardAt(x: number, filter: number, info: Conv2DInfo, out: number, bias: number, act: number,
                path: ForwardPath = forwardPath(info, this.b.k.simd === 'relaxed')): void {
    if (path === 'slab' || path === 'gemm') this.convSlab(x, filter, info, out, bias, act);
    else if (path === 'winograd') this.winograd.forward(x, filter, info, out, bias, act);
    else if (path === 'winograd4') this.winograd4.forward(x, filter, info, out, bias, act);
    else if (path === 'first' && this.firstFwd.fits(info)) this.firstFwd.forward(x, filter, info, out, bias, act);
    // conv stride-2 area: 16 channels at stride 2, x read band by band (conv_s2.ts, conv_stride2.ts)
    else if (path === 'direct' && s2ForwardApplies(info) && this.s2.fits(info)) this.s2.forward(x, filter, info, out, bias, act);
    else this.convDirect(x, filter, info, out, bias, act, path === 'short' ? TASK_CONV_SHORT : TASK_CONV_DIRECT);
  }

  // ---- conv forward area: the im2col-slab kernel (assembly/conv_slab.ts) ----
  /**
   * The forward pass through a slab of windows per block of output pixels: the padded input,
   * the filter packed once per call in K blocks, then chunks of output pixels on the pool.
   */
  private convSlab(x: number, filter: number, info: Conv2DInfo, out: number, bias: number, act: number): void {
    const { batchSize: batch, outHeight: outH, outWidth: outW, outChannels: outC } = info;
    const k = info.filterHeight * info.filterWidth * info.inChannels;
    const panelBytes = roundUp(k, 4) * Math.ceil(outC / 8) * 8 * 4;
    const panels = this.b.heap.alloc(panelBytes);
    const pixels = batch * outH * outW;
    const parallel = this.parallel(pixels * k * outC);
    const { xp, hp, wp, bytes } = this.padded(x, info, parallel);
    try {
      const g = this.geometry(info);
      // r50 area: the filter packed one K block per chunk (assembly/conv_small.ts), on the pool
      // when large (at batch 1 the packing is a fixed cost of every call), then a grid of pixel
      // ranges by output-channel ranges, so that small images split over channels
      const packPar = this.b.threads > 1 && k * outC >= SLAB_PACK_PARALLEL_MIN_FLOATS;
      this.b.run(TASK_SLAB_PACK_BLOCK, this.b.args([g, filter, panels]), Math.ceil(roundUp(k, 4) / SLAB_KB), packPar, k * outC);
      const grid = slabGrid(pixels, outC, parallel ? this.target : 1);
      const args = this.b.args([g, xp, hp, wp, panels, out, pixels, grid.per, bias, act, grid.panelsPer]);
      this.b.run(TASK_SLAB_GRID, args, grid.chunks, parallel, pixels * k * outC);
    } finally {
      if (bytes > 0) this.b.heap.release(xp, bytes);
      this.b.heap.release(panels, panelBytes);
    }
  }

  /**
   * The padded input the direct kernels read (assembly/conv_direct.ts): x itself when the
   * geometry needs no border, else a zero-bordered copy [batch, hp, wp, c] made by the prep
   * task, which also packs `filter` into 8-column panels at `panels` when given.
   */
  private padded(x: number, info: Conv2DInfo, parallel: boolean, filter = 0, panels = 0):
    { xp: number; hp: number; wp: number; bytes: number } {
    const { batchSize: batch, inHeight: inH, inWidth: inW, inChannels: c, outHeight: outH, outWidth: outW } = info;
    const hp = Math.max(inH + info.padTop, (outH - 1) * info.strideHeight + (info.filterHeight - 1) * info.dilationHeight + 1);
    const wp = Math.max(inW + info.padLeft, (outW - 1) * info.strideWidth + (info.filterWidth - 1) * info.dilationWidth + 1);
    const pad = hp !== inH || wp !== inW || info.padTop !== 0 || info.padLeft !== 0;
    const bytes = pad ? batch * hp * wp * c * 4 : 0;
    const xp = pad ? this.b.heap.alloc(bytes) : x;
    if (pad || filter !== 0) {
      // padding is a plain copy: a few images per chunk, only when the copy is worth a wake-up
      // (the digit CNN's 64 x 32x32x1 border copy, 256 KB, took ~30 us on one thread: less
      // than waking the worker)
      const copyPar = parallel && pad && batch > 1 && bytes >= PAD_COPY_PARALLEL_MIN_BYTES;
      const imagesPer = copyPar ? Math.ceil(batch / this.target) : batch;
      const prep = this.b.args([this.geometry(info), x, xp, hp, wp, filter, panels, imagesPer, pad ? 1 : 0]);
      this.b.run(TASK_CONV_DIRECT_PREP, prep, pad ? Math.ceil(batch / imagesPer) : 1, copyPar, bytes);
    }
    return { xp, hp, wp, bytes };
  }

  /**
   * The forward pass without im2col (assembly/conv_direct.ts): the padded input, the filter
   * packed once, then chunks of output rows (image, y) on the pool.
   */
  private convDirect(x: number, filter: number, info: Conv2DInfo, out: number, bias: number, act: number,
                     task = TASK_CONV_DIRECT): void {
    const { batchSize: batch, outHeight: outH, outWidth: outW } = info;
    const k = info.filterHeight * info.filterWidth * info.inChannels;
    const panelBytes = Math.ceil(info.outChannels / 8) * 8 * k * 4;
    const panels = this.b.heap.alloc(panelBytes);
    const macs = batch * outH * outW * k * info.outChannels;
    const parallel = this.parallel(macs);
    const { xp, hp, wp, bytes } = this.padded(x, info, parallel, filter, panels);
    try {
      const rows = batch * outH;
      const per = parallel ? Math.max(1, Math.ceil(rows / this.target)) : rows;
      const args = this.b.args([this.geometry(info), xp, hp, wp, panels, out, rows, per, bias, act]);
      // the short-K kernel (assembly/conv_short.ts) takes the same arguments
      this.b.run(task, args, Math.ceil(rows / per), parallel, macs);
    } finally {
      if (bytes > 0) this.b.heap.release(xp, bytes);
      this.b.heap.release(panels, panelBytes);
    }
  }

  conv2dBackpropInput(dy: TensorInfo, filter: TensorInfo, info: Conv2DInfo): DataId | null {
    if (dy.dtype !== 'float32' || filter.dtype !== 'float32') return null;
    const k = info.filterHeight * info.filterWidth * info.inChannels;
    const size = info.batchSize * info.inHeight * info.inWidth * info.inChannels;
    const out = this.b.allocate('float32', size);
    if (size === 0) return out;
    if (this.backInputPointwise(dy, filter, info, out.ptr)) return out;
    // first conv layer area: 1-3 input channels, stride 1: vectors along dy's channels
    if (firstBackInputApplies(info)) {
      this.first.backInput(this.ptr(dy), this.ptr(filter), info, out.ptr);
      return out;
    }
    // proj area: a strided 1x1 convolution's dx written once, row by row (conv_pointwise.ts)
    if (pointwiseStridedApplies(info) && this.pointwise.backInput(this.ptr(dy), this.ptr(filter), info, out.ptr)) return out;
    // conv stride area: strided 1x1 through one GEMM and a scatter, other strides phase by phase;
    // only when asked for (strideMode 'all'): measured slower than col2im (docs/performance.md)
    if (strideMode() === 'all' && stridedPointwise(info) && this.stride.backInputPointwise(this.ptr(dy), this.ptr(filter), info, out.ptr)) return out;
    if (strideMode() === 'all' && (info.strideHeight > 1 || info.strideWidth > 1) &&
        this.stride.backInputPhases(this.ptr(dy), this.ptr(filter), info, out.ptr)) return out;
    // strided dx area: a strided convolution's dx phase by phase in place (conv_phase_dx.ts)
    if (phaseDxApplies(info) && this.phaseDx.backInput(this.ptr(dy), this.ptr(filter), info, out.ptr)) return out;
    const reach = { h: (info.filterHeight - 1) * info.dilationHeight, w: (info.filterWidth - 1) * info.dilationWidth };
    // the direct form multiplies every dx pixel's whole window, zeros past dy's edge included:
    // inH*inW / (outH*outW) times the real work. Measured, 1 thread, col2im against direct:
    // LeNet's 'valid' 5x5 14x14x6->10x10x16 b128 (1.96x) 3.9-5.6 against 7.8-8.0 ms (2 threads
    // 3.2 against 4.4); 7x7 12x12x16->16 b32 (2.8x) 1.7-2.4 against 3.3-4.5; 5x5 16x16x32->32 b32
    // (1.78x) level; 3x3 8x8x64->64 b64 (1.78x, the direct form through Winograd) 7.2-10.1
    // against 5.9-6.0, so 3x3 windows keep the direct form up to a larger share of zeros
    const zeros = info.filterHeight === 3 && info.filterWidth === 3 ? 2.5 : 1.5;
    const wasted = info.inHeight * info.inWidth > zeros * info.outHeight * info.outWidth;
    if (!wasted && info.strideHeight === 1 && info.strideWidth === 1 && info.padTop <= reach.h && info.padLeft <= reach.w) {
      this.convBackInputDirect(dy, filter, info, out.ptr, reach);
      return out;
    }
    // 256 rows of dy per product: the column block then stays in cache for col2im (blocks of
    // 1 MB, packing the filter's transpose less often, measured slower)
    const rowsPer = Math.min(this.b.colRows(k), 256);
    if (rowsPer < 1) return null;
    const macs = info.batchSize * info.outHeight * info.outWidth * k * info.outChannels;
    const parallel = this.parallel(macs);
    const imagesPer = parallel ? Math.max(1, Math.ceil(info.batchSize / this.target)) : info.batchSize;
    const g = this.geometry(info);
    const args = this.b.args([g, this.ptr(dy), this.ptr(filter), out.ptr, rowsPer, imagesPer]);
    this.b.run(TASK_CONV_BACK_INPUT, args, Math.ceil(info.batchSize / imagesPer), parallel, macs);
    return out;
  }

  /**
   * With stride 1 the input gradient is itself a convolution: dy convolved with the filter turned
   * by 180 degrees (in and out channels swapped), padded by the window's reach less the forward
   * padding. The direct kernel then runs it without im2col and col2im.
   */
  private convBackInputDirect(dy: TensorInfo, filter: TensorInfo, info: Conv2DInfo, out: number,
                              reach: { h: number; w: number }): void {
    const { filterHeight: fh, filterWidth: fw, inChannels: ci, outChannels: co } = info;
    const turnedBytes = fh * fw * ci * co * 4;
    const turned = this.b.heap.alloc(turnedBytes);
    try {
      const f32 = this.b.mem.f32;
      const src = this.ptr(filter) >> 2, dst = turned >> 2;
      for (let y = 0; y < fh; y++) {
        for (let x = 0; x < fw; x++) {
          const from = src + ((fh - 1 - y) * fw + (fw - 1 - x)) * ci * co, to = dst + (y * fw + x) * co * ci;
          for (let o = 0; o < co; o++) for (let i = 0; i < ci; i++) f32[to + o * ci + i] = f32[from + i * co + o];
        }
      }
      const padTop = reach.h - info.padTop, padLeft = reach.w - info.padLeft;
      const backInfo: Conv2DInfo = {
        ...info, inHeight: info.outHeight, inWidth: info.outWidth, inChannels: co,
        outHeight: info.inHeight, outWidth: info.inWidth, outChannels: ci,
        padTop, padLeft,
        padBottom: info.inHeight - 1 + reach.h - padTop - (info.outHeight - 1),
        padRight: info.inWidth - 1 + reach.w - padLeft - (info.outWidth - 1),
      };
      // the same choice of kernel as a forward pass of this shape (the slab kernel for deep K)
      const path = forwardPath(backInfo, this.b.k.simd === 'relaxed');
      if (path === 'slab') this.convSlab(this.ptr(dy), turned, backInfo, out, 0, 0);
      else if (path === 'winograd' || path === 'winograd4' || path === 'first') this.convForwardAt(this.ptr(dy), turned, backInfo, out, 0, 0, path);
      else this.convDirect(this.ptr(dy), turned, backInfo, out, 0, 0, path === 'short' ? TASK_CONV_SHORT : TASK_CONV_DIRECT);
    } finally {
      this.b.heap.release(turned, turnedBytes);
    }
  }

  // ---- conv gradients area ----
  /**
   * A 1x1 convolution's input gradient with stride 1 and no padding is one GEMM, dy [pixels, outC]
   * by the filter's transpose, straight into dx. (Strided 1x1 ones go through col2im: one product
   * per output row into every s-th pixel packed the filter once per row, which cost more than the
   * scatter; so did one GEMM into a block of its own copied pixel by pixel from JavaScript.)
   * Returns false for any other geometry.
   */
  private backInputPointwise(dy: TensorInfo, filter: TensorInfo, info: Conv2DInfo, out: number): boolean {
    const { inChannels: ci, outChannels: co } = info;
    if (info.filterHeight !== 1 || info.filterWidth !== 1 || info.padTop !== 0 || info.padLeft !== 0 ||
        info.strideHeight !== 1 || info.strideWidth !== 1 || info.inHeight !== info.outHeight || info.inWidth !== info.outWidth) return false;
    const m = info.batchSize * info.outHeight * info.outWidth;
    const parallel = this.parallel(m * ci * co);
    const rowsPer = parallel ? Math.max(8, roundUp(Math.ceil(m / this.target), 8)) : m;
    const colsPer = Math.min(ci, 512);
    const chunks = Math.ceil(m / rowsPer) * Math.ceil(ci / colsPer);
    if (chunks > MAX_CHUNKS) return false;
    // A = dy (row stride outC), B = filter^T read from filter [inC, outC] with strides (1, outC)
    const args = this.b.args([
      this.ptr(dy), co, 1, this.ptr(filter), 1, co, out, ci, co, m, ci, rowsPer, colsPer, 1, 0, 0, 0, 0, 0, 0,
    ]);
    this.b.run(TASK_MATMUL, args, chunks, parallel, m * ci * co);
    return true;
  }

  /**
   * The filter gradient, a GEMM of the windows' transpose by dy with the reduction over output
   * pixels (assembly/conv_filter_grad.ts): chunks of pixels, each into its own partial sum.
   */
  conv2dBackpropFilter(x: TensorInfo, dy: TensorInfo, info: Conv2DInfo): DataId | null {
    if (x.dtype !== 'float32' || dy.dtype !== 'float32') return null;
    if (this.filterGradSub(info.outChannels) < 16) return null;
    const out = this.b.allocate('float32', info.filterHeight * info.filterWidth * info.inChannels * info.outChannels);
    // winograd area: 3x3 stride 1 through the transforms of the forward pass
    if (winogradApplies(info) && winogradFilterWins(info)) {
      // winograd4 area: F(4x4, 3x3) where it is chosen (winograd4FilterWins)
      if (winograd4FilterWins(info)) this.winograd4.backFilter(this.ptr(x), this.ptr(dy), info, out.ptr);
      else this.winograd.backFilter(this.ptr(x), this.ptr(dy), info, out.ptr);
      return out;
    }
    // conv stride-2 area: 16 channels at stride 2, x read band by band (conv_s2.ts)
    if (s2FilterApplies(info) && this.s2.fits(info)) {
      this.s2.backFilter(this.ptr(x), this.ptr(dy), info, out.ptr);
      return out;
    }
    // proj area: a strided 1x1 convolution's filter gradient read in place (conv_pointwise.ts)
    if (pointwiseStridedApplies(info) && this.pointwise.backFilter(this.ptr(x), this.ptr(dy), info, out.ptr)) return out;
    // conv stride area: a strided 1x1 convolution's gradient over its gathered pixels, only when
    // asked for (strideMode 'all'): the strided kernel reading x in place measured faster
    if (strideMode() === 'all' && stridedPointwise(info)) this.stride.backFilterPointwise(this.ptr(x), this.ptr(dy), info, out.ptr);
    else this.backFilterAt(this.ptr(x), this.ptr(dy), info, out.ptr);
    return out;
  }

  /** pixels per packed block of the filter gradient: the GEMM's KC, fewer when the packed panels would not fit the scratch */
  private filterGradSub(outC: number): number {
    return Math.min(256, Math.floor((this.b.scratchBytes - 256) / ((roundUp(outC, 8) + 256 + 1) * 4)));
  }

  /** The filter gradient on heap addresses into `outPtr` (k * outC floats). */
  backFilterAt(xPtr: number, dyPtr: number, info: Conv2DInfo, outPtr: number): void {
    const k = info.filterHeight * info.filterWidth * info.inChannels;
    const outC = info.outChannels;
    const total = info.batchSize * info.outHeight * info.outWidth;
    const sub = this.filterGradSub(outC);
    const parallel = this.parallel(total * k * outC);
    // Two ways to share the work. A long filter (64 of its K rows or more per chunk): each chunk
    // takes a slice of the filter's rows over all pixels, straight into the result (no partial
    // sums to add; dy repacked per chunk, a few per cent), with the same bits as one thread. Else
    // each chunk takes a share of the pixels into a partial of its own, added in chunk order.
    // Either way a fixed number of chunks: the result does not depend on which thread ran which.
    const slices = parallel ? Math.min(this.target, Math.floor(k / 64)) : 0;
    const pPer = slices >= this.b.threads ? roundUp(Math.ceil(k / slices), 4) : 0;
    const chunks = pPer > 0 ? Math.ceil(k / pPer) : parallel ? Math.max(1, Math.min(this.target, Math.ceil(total / 4))) : 1;
    const per = pPer > 0 ? total : Math.max(1, Math.ceil(total / chunks));
    const used = pPer > 0 ? 1 : Math.max(1, Math.ceil(total / per));
    const out = { ptr: outPtr };
    // one sum goes straight to the result; several to partials added afterwards
    const partialBytes = roundUp(k * outC * 4, 64);
    const partials = used > 1 ? this.b.heap.alloc(partialBytes * used) : out.ptr;
    // the input read in place through a zero-bordered copy, as the forward pass does (no im2col)
    const { xp, hp, wp, bytes } = this.padded(xPtr, info, parallel);
    try {
      this.b.mem.u8.fill(0, partials, partials + (used > 1 ? partialBytes * used : k * outC * 4));
      const g = this.geometry(info);
      // first conv layer filter gradient area: a short window read in place (task 127)
      const runs = pPer === 0 && firstDwApplies(info);
      const args = this.b.args([g, xp, dyPtr, partials, total, per, partialBytes, runs ? firstDwBlock() : sub, hp, wp, pPer]);
      if (total > 0) this.b.run(runs ? TASK_CONV_FILTER_RUNS : TASK_CONV_FILTER_GRAD, args, pPer > 0 ? chunks : used, parallel, total * k * outC);
      if (used > 1) this.sumPartials(out.ptr, partials, used, partialBytes, k * outC);
    } finally {
      if (used > 1) this.b.heap.release(partials, partialBytes * used);
      if (bytes > 0) this.b.heap.release(xp, bytes);
    }
  }
  // ---- end of conv gradients area ----

  adamUpdate(p: TensorInfo, g: TensorInfo, m: TensorInfo, v: TensorInfo,
             alpha: number, beta1: number, beta2: number, epsilon: number): DataId | null {
    return this.optimizerStep(TASK_ADAM, [p, g, m, v], [alpha, 1 - beta1, 1 - beta2, epsilon]);
  }

  /**
   * An optimizer task over [p, g, state, state2]: the states in place, and the parameters too when
   * nothing else reads their storage (a recorded op's snapshot of the variable, say); otherwise
   * the new parameters go to a fresh buffer.
   */
  optimizerStep(task: number, operands: TensorInfo[], reals: number[]): DataId | null {
    if (operands.some((t) => t.dtype !== 'float32')) return null;
    const [p, g, s1, s2] = operands;
    // the state is overwritten: only when nothing else reads its storage
    if (this.b.buffer(s1.dataId).refs !== 1 || this.b.buffer(s2.dataId).refs !== 1) return null;
    const n = sizeFromShape(p.shape);
    // each element is read before it is written, so the kernel may write over its input
    const inPlace = this.b.buffer(p.dataId).refs === 1;
    if (inPlace) this.b.incRef(p.dataId);
    const out = inPlace ? this.b.buffer(p.dataId) : this.b.allocate('float32', n);
    const parallel = this.b.threads > 1 && n >= 64 * 1024;
    const per = parallel ? roundUp(Math.ceil(n / this.target), 4) : Math.max(n, 1);
    const args = this.b.args([this.ptr(p), this.ptr(g), this.ptr(s1), this.ptr(s2), out.ptr, n, per]);
    new Float32Array(this.b.mem.f32.buffer, args + 28, reals.length).set(reals);
    this.b.run(task, args, Math.ceil(n / per), parallel, n);
    return out;
  }

  /** Dropout mask from the generator state (updated in place): one sequential chunk. */
  dropoutMask(n: number, state: Int32Array, threshold: number, scale: number): DataId {
    const out = this.b.allocate('float32', n);
    const args = this.b.args([out.ptr, n, ...state]);
    new Float64Array(this.b.mem.f64.buffer, args + 32, 1)[0] = threshold;
    this.b.mem.f32[(args >> 2) + 10] = scale;
    this.b.run(TASK_DROPOUT_MASK, args, 1, false);
    state.set(this.b.mem.i32.subarray((args >> 2) + 2, (args >> 2) + 6));
    return out;
  }

  /**
   * The reference kernel's loops, but heap view to heap view: no copy in and out (the composed
   * relu gradient's bool mask, int32 labels to float).
   */
  cast(x: TensorInfo, dtype: DType): DataId {
    const n = sizeFromShape(x.shape);
    const out = this.b.allocate(dtype, n);
    const src = this.b.view(x.dataId), dst = this.b.view(out);
    if (dtype === 'int32') for (let i = 0; i < n; i++) dst[i] = Math.trunc(src[i]);
    else if (dtype === 'bool') for (let i = 0; i < n; i++) dst[i] = src[i] !== 0 ? 1 : 0;
    else dst.set(src);
    return out;
  }

  unary(op: UnaryOp, x: TensorInfo, outDtype: DType): DataId | null {
    return this.ew.unary(op, x, outDtype);
  }
  binary(op: BinaryOp, a: TensorInfo, b: TensorInfo, outShape: readonly number[], outDtype: DType): DataId | null {
    return this.ew.binary(op, a, b, outShape, outDtype);
  }
  reduce(op: ReduceOp, x: TensorInfo, axes: readonly number[], outDtype: DType): DataId | null {
    return this.ew.reduce(op, x, axes, outDtype);
  }
  reluGrad(dy: TensorInfo, y: TensorInfo): DataId | null {
    return this.ew.reluGrad(dy, y);
  }
  maxPool(x: TensorInfo, info: Conv2DInfo): DataId | null {
    return this.ew.maxPool(x, info);
  }
  maxPoolBackprop(dy: TensorInfo, x: TensorInfo, info: Conv2DInfo): DataId | null {
    return this.ew.maxPoolBackprop(dy, x, info);
  }
  avgPool(x: TensorInfo, info: Conv2DInfo): DataId | null {
    return this.ew.avgPool(x, info);
  }
  avgPoolBackprop(dy: TensorInfo, info: Conv2DInfo): DataId | null {
    return this.ew.avgPoolBackprop(dy, info);
  }
}

/** Elements between consecutive matrices of an operand, 0 when broadcast, null when mixed. */
function batchStride(dims: readonly number[], outBatch: readonly number[], matrix: number): number | null {
  const size = sizeFromShape(dims);
  if (size === 1) return 0;
  const aligned = [...new Array(outBatch.length - dims.length).fill(1), ...dims];
  return aligned.every((d, i) => d === outBatch[i]) ? matrix : null;
}
