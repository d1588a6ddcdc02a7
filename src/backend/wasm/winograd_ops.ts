/**
 * winograd area (issue 18): 3x3, stride-1, dilation-1 convolutions through Winograd's F(2x2, 3x3)
 * (assembly/winograd.ts, tasks 140-143): the forward pass (and so the stride-1 input gradient,
 * which ops.ts runs as a forward pass of dy with the turned filter) and the filter gradient, with
 * the choice of where they run (measured, docs/performance.md "Winograd F(2x2,3x3) for 3x3
 * stride-1 convolutions").
 */
import type { Conv2DInfo } from '../types.js';
import type { WasmBackend } from './backend.js';
import { KernelGroup, roundUp } from './kernel_group.js';

/**
 * One Winograd variant F(m x m, 3x3) as its kernels see it: the output tile's side m, the
 * transformed domain's positions ((m + 2)^2: one GEMM each), the wasm tasks (filter transform,
 * tiles, filter-gradient partials, their sum), the tile block for the L2, and from how many
 * filter values (Cp x K) its filter transform goes to the pool.
 */
export interface WinogradVariant {
  m: number;
  positions: number;
  tasks: { filter: number; tiles: number; backFilter: number; backFilterSum: number };
  block(c: number, k: number, scratchBytes: number, gemmScratch: number, filterGrad?: boolean): number;
  filterParallelMin: number;
}

/** F(2x2, 3x3): assembly/winograd.ts, tasks 140-143 */
export const F2X2: WinogradVariant = {
  m: 2, positions: 16, tasks: { filter: 140, tiles: 141, backFilter: 142, backFilterSum: 143 },
  block: winogradBlock,
  filterParallelMin: 4096,
};

/** Writes the conv geometry words for the kernels, returning their address (WasmOps.geometry). */
export type Geometry = (info: Conv2DInfo) => number;

/** The host side of one Winograd variant (F2X2 here, F4X4 in winograd4_ops.ts). */
export class WinogradOps extends KernelGroup {
  constructor(b: WasmBackend, private readonly geometry: Geometry, private readonly v: WinogradVariant = F2X2) {
    super(b);
  }

  /**
   * A 3x3 stride-1 convolution through the variant: the filter transformed and packed once per
   * call (one chunk per position of the transformed domain), then chunks of whole blocks of
   * m x m output tiles on the pool. No padded copy: edge tiles zero their window themselves.
   */
  forward(x: number, filter: number, info: Conv2DInfo, out: number, bias: number, act: number): void {
    const { inChannels: c, outChannels: k, batchSize: batch, outHeight: outH, outWidth: outW } = info;
    const { m, positions, tasks } = this.v;
    const cp = roundUp(c, 4);
    const tb = this.v.block(c, k, this.b.scratchBytes, this.b.gemmScratch);
    const rawBytes = positions * cp * k * 4, packedBytes = positions * cp * roundUp(k, 8) * 4;
    const raw = this.b.heap.alloc(rawBytes), packed = this.b.heap.alloc(packedBytes);
    try {
      const g = this.geometry(info);
      this.b.run(tasks.filter, this.b.args([g, filter, raw, packed]), positions,
        this.b.threads > 1 && cp * k >= this.v.filterParallelMin);
      const tiles = batch * Math.ceil(outH / m) * Math.ceil(outW / m);
      // the multiply-adds the products do (one per position, tile and channel pair)
      const macs = tiles * positions * cp * k;
      const parallel = this.parallel(macs);
      // whole blocks per chunk: the blocks (and so the bits) are the same on any number of threads
      const per = parallel ? roundUp(Math.ceil(tiles / this.target), tb) : tiles;
      const args = this.b.args([g, x, packed, out, bias, act, tiles, tb, per]);
      this.b.run(tasks.tiles, args, Math.ceil(tiles / per), parallel, macs);
    } finally {
      this.b.heap.release(packed, packedBytes);
      this.b.heap.release(raw, rawBytes);
    }
  }

  /**
   * The filter gradient of a 3x3 stride-1 convolution through the variant: chunks of tile
   * blocks, each summing its products V[xi]^T (A dY A^T)[xi] into a partial of its own, then
   * the partials added in chunk order and transformed back (G^T M G), a few input channels per
   * chunk.
   */
  backFilter(x: number, dy: number, info: Conv2DInfo, out: number): void {
    const { inChannels: c, outChannels: k, batchSize: batch, outHeight: outH, outWidth: outW } = info;
    const { m, positions, tasks } = this.v;
    const cp = roundUp(c, 4);
    const tb = this.v.block(c, k, this.b.scratchBytes, this.b.gemmScratch, true);
    const tiles = batch * Math.ceil(outH / m) * Math.ceil(outW / m);
    const macs = tiles * positions * cp * k;
    const parallel = this.parallel(macs);
    const blocks = Math.ceil(tiles / tb);
    // each chunk's partial is positions x Cp x K floats (16 MiB at 512 -> 512 channels in
    // F(2x2)): a few per thread, but no more than about 32 MiB of them beyond one per thread
    const partialFloats = positions * cp * k;
    const chunks = parallel ? Math.min(this.target, blocks, Math.max(this.b.threads, Math.floor(8 * 2 ** 20 / partialFloats))) : 1;
    const per = roundUp(Math.ceil(tiles / chunks), tb);
    const used = Math.ceil(tiles / per);
    const partialBytes = roundUp(partialFloats * 4, 64);
    const partials = this.b.heap.alloc(partialBytes * used);
    try {
      const g = this.geometry(info);
      this.b.run(tasks.backFilter, this.b.args([g, x, dy, partials, tiles, tb, per, partialBytes]), used, parallel, macs);
      const sumPar = this.b.threads > 1 && positions * c * k * used >= 256 * 1024;
      const cPer = sumPar ? Math.ceil(c / this.target) : c;
      this.b.run(tasks.backFilterSum, this.b.args([g, partials, used, partialBytes, out, cPer]), Math.ceil(c / cPer), sumPar);
    } finally {
      this.b.heap.release(partials, partialBytes * used);
    }
  }
}

/** Whether Winograd F(2x2, 3x3) computes this convolution: a 3x3 window, stride 1, dilation 1. */
export function winogradApplies(info: Conv2DInfo): boolean {
  return info.filterHeight === 3 && info.filterWidth === 3 && info.strideHeight === 1 && info.strideWidth === 1 &&
    info.dilationHeight === 1 && info.dilationWidth === 1 && info.batchSize * info.outHeight * info.outWidth > 0 &&
    info.inChannels > 0 && info.outChannels > 0 && info.inChannels + info.outChannels <= 16384;
}

/**
 * Whether the Winograd kernel is taken without being forced. `globalThis.STRIATE_CONV_WINOGRAD`
 * 'off' never, 'all' wherever it applies (tests, benchmarks).
 */
export function winogradWins(info: Conv2DInfo): boolean {
  const mode = (globalThis as { STRIATE_CONV_WINOGRAD?: unknown }).STRIATE_CONV_WINOGRAD;
  if (mode === 'off') return false;
  if (mode === 'all') return true;
  // Measured (bench/winograd_ab.ts, rounds alternating, 1 thread, per CPU second, loaded VM),
  // forward and input gradient against the direct kernel: plain SIMD 1.2x at 16->16 (32x32,
  // batch 64), 1.4-1.5x at 32->32, 1.6-1.8x at 64->64 and 32->64, 1.6-2.0x at 256 and 512
  // channels; relaxed SIMD 1.05-1.1x at 16->16, 1.3x at 32->32, 1.55x at 64->64. With 8 channels
  // in or out it lost (0.9-0.96x), and with 3 input channels the short-K kernel is 2.5x faster.
  return info.inChannels >= 16 && info.outChannels >= 16;
}

/**
 * Whether the filter gradient goes through Winograd (STRIATE_CONV_WINOGRAD 'off' and 'all' as
 * for the forward pass, 'grad-off' for the forward pass and input gradient only; a forced
 * forward path 'winograd' takes it too). Measured against conv_filter_grad.ts (bench/winograd_ab.ts,
 * 1 thread, per CPU second, batch 64): plain SIMD 1.5x at 16->16 (32x32), 1.7-1.8x at 32 and 64
 * channels, 1.2-1.3x at 8->16 and 16->8, 0.5-0.6x with 3 input channels; relaxed SIMD level at
 * 16->16, 1.7-1.8x at 32 and 64 channels.
 */
export function winogradFilterWins(info: Conv2DInfo): boolean {
  const mode = (globalThis as { STRIATE_CONV_WINOGRAD?: unknown }).STRIATE_CONV_WINOGRAD;
  if (mode === 'grad-off' || mode === 'off') return false;
  if (mode === 'all' || (globalThis as { STRIATE_CONV_FORWARD?: unknown }).STRIATE_CONV_FORWARD === 'winograd') return true;
  return info.inChannels >= 8 && info.outChannels >= 8;
}

/**
 * Tiles per block of the Winograd kernel: the block's transformed input and products
 * (16 x T x (C + K) floats) near 192 KiB for up to 128 channels, well inside a core's L2 (512 KiB) beside the GEMM's
 * panels; a multiple of 12 (whole register tiles of 4 and of 6 rows), at most the GEMM's row
 * block (120); fewer where the per-thread scratch would not hold them.
 * `globalThis.STRIATE_WINOGRAD_TILES` sets it (benchmarks).
 */
export function winogradBlock(c: number, k: number, scratchBytes: number, gemmScratch: number, filterGrad = false): number {
  const cp = roundUp(c, 4), kp = roundUp(k, 4);
  const forced = Number((globalThis as { STRIATE_WINOGRAD_TILES?: unknown }).STRIATE_WINOGRAD_TILES);
  // measured (bench/winograd_ab.ts, 1 thread): 24 tiles beat 48 at 64->64 (36.6 vs 32.6 GFLOP/s
  // per CPU second), 48 beat 96 at 32->32; from 384 channels in and out together 48 beat 12
  // (256->256 at 56x56: 39.4 vs 35.6), each product's filter panels then being reused over more rows
  let tb = cp + kp >= 384 ? 48 : Math.min(120, Math.max(24, Math.floor(3072 / (cp + kp) / 12) * 12));
  // the filter gradient's products sum over the tiles (the GEMM's K): longer blocks, fewer passes over M
  if (filterGrad) tb = Number((globalThis as { STRIATE_WINOGRAD_GRAD_TILES?: unknown }).STRIATE_WINOGRAD_GRAD_TILES) || 120;
  else if (forced > 0) tb = roundUp(forced, 12);
  // rows of V and M in whole cache lines, one more where they would share few L1 sets
  // (assembly spreadRow): up to 128 bytes more each
  const need = (t: number) => roundUp(gemmScratch, 64) + 4 * (16 * t * (cp + kp) + 16 * cp) + 16 * 2 * 128;
  while (tb > 1 && need(tb) > scratchBytes) tb = Math.max(1, tb >> 1);
  return tb;
}
