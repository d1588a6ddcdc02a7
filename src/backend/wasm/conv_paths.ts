/**
 * Which kernel runs a convolution of a given geometry (the wasm backend's measured choices):
 * the forward path, the strided-1x1 mode, the slab kernel's grid over the pool, and the test
 * that keeps Winograd off layers with too few tiles. Pure functions of the geometry and of the
 * `globalThis.STRIATE_CONV_*` switches (tests and benchmarks), used by ops.ts.
 */
import type { Conv2DInfo } from '../types.js';
import { roundUp } from './kernel_group.js';
import { stridedPointwise } from './conv_stride.js'; // conv stride area
import { winogradApplies, winogradWins } from './winograd_ops.js'; // winograd area
import { winograd4Applies, winograd4Wins } from './winograd4_ops.js'; // winograd4 area
import { firstForwardApplies } from './conv_first_fwd.js'; // conv first-layer forward area

/** K rows per packed block and output pixels per slab block of assembly/conv_slab.ts (KB, PB) */
export const SLAB_KB = 256, SLAB_PB = 96;

// ---- conv forward area: which kernel runs a forward convolution ----
export type ForwardPath = 'direct' | 'slab' | 'gemm' | 'short' | 'winograd' | 'winograd4' | 'first';

/**
 * The kernel for a forward convolution of this geometry. `globalThis.STRIATE_CONV_FORWARD`
 * ('direct', 'slab', 'short' or 'gemm') forces one where it applies, for tests and benchmarks.
 */
export function forwardPath(info: Conv2DInfo, relaxed = false): ForwardPath {
  const pointwise = info.filterHeight === 1 && info.filterWidth === 1 && info.strideHeight === 1 &&
    info.strideWidth === 1 && info.padTop === 0 && info.padLeft === 0;
  const forced = (globalThis as { STRIATE_CONV_FORWARD?: unknown }).STRIATE_CONV_FORWARD;
  if (forced === 'direct' || forced === 'slab' || forced === 'short') return forced;
  // conv first-layer forward area: 'first' forces the strip kernel (assembly/conv_first_fwd.ts)
  // where it applies (1-4 input channels, K <= 64, stride and dilation 1 across); unforced it
  // takes those geometries but 1x1 filters (the GEMM's), in both builds (firstDefault)
  if (firstForwardApplies(info) &&
      (forced === 'first' || (forced === undefined && firstDefault(info)))) return 'first';
  // winograd area: 'winograd' forces it where it applies (3x3, stride 1, dilation 1)
  // winograd4 area: 'winograd4' forces F(4x4, 3x3); where Winograd runs unforced, F(4x4) or
  // F(2x2) by winograd4Wins (measured); r50 area: too few tiles for the pool go to the slab kernel
  if (winogradApplies(info) && winograd4Applies(info) &&
      (forced === 'winograd4' ||
       (forced !== 'winograd' && winogradWins(info) && !winogradTooFewTiles(info) && winograd4Wins(info)))) {
    return 'winograd4';
  }
  if (winogradApplies(info) && (forced === 'winograd' || (winogradWins(info) && !winogradTooFewTiles(info)))) return 'winograd';
  if (forced === 'gemm' && (pointwise || stridedPointwise(info))) return 'gemm';
  // a 1x1 convolution with stride 1 and no padding is the product [pixels, c] x [c, outC]
  if (pointwise) return 'gemm';
  // conv stride area: a strided 1x1 one gathers its pixels into that matrix (conv_stride.ts).
  // Measured against the slab kernel (bench/conv_stride_ab.ts, rounds alternating, per CPU
  // second, loaded machine): level to 5-15% ahead (8.4 vs 8.4 and 8.7 vs 7.5 GFLOP/s at
  // 32x32x16->32, 16.9 vs 16.8 and 17.2 vs 16.5 at 56x56x64->128); 'off' keeps the slab kernel
  if (stridedPointwise(info) && strideMode() !== 'off') return 'gemm';
  // Measured (bench/conv_table.ts, 1 thread): the slab kernel's K blocks and its filter panels
  // reused over 96 pixels win where a filter panel (K x 8) outgrows the cache: 3x3x512 at 14x14
  // 92% of the GEMM against 67%, 3x3x256 at 14x14 101% against 79%; strided 1x1 convolutions
  // (with STRIATE_CONV_STRIDE 'off') gather their rows through it (86% against 80% at
  // 56x56x64); elsewhere the two are level
  // within the noise, and with 1-4 input channels the direct kernel was a little ahead (3x3x3:
  // 68% against 62%): both are bound there by the per-tile cost of a 27-step K loop.
  const k = info.filterHeight * info.filterWidth * info.inChannels;
  if (k >= 1024 || (info.filterHeight === 1 && info.filterWidth === 1)) return 'slab';
  // conv short-K area: with plain SIMD a window of at most 64 taps (3x3 or 5x5 over 1-4
  // channels, a first layer) runs one K loop per tile through a tap table
  // (assembly/conv_short.ts). Measured against the direct kernel in one process, rounds
  // alternating, 1 thread, per CPU second, load 8-10 on 2 cores: plain SIMD 3x3x3->32 at 32x32
  // b64 +4-7%, 3->16 +3-7%, 3->64 at 224 b2 +1-5%; relaxed SIMD level or 3-7% behind, so the
  // relaxed build keeps the direct kernel; with 7x7x3 (K 147) it lost 4-7% and from K 144 up it
  // was level or behind.
  if (k <= 64 && !relaxed) return 'short';
  return 'direct';
}

// ---- conv first-layer forward area ----
/**
 * Whether the strip kernel is the default where it applies, in this build. Measured against the
 * kernels before it (plain SIMD short-K, relaxed direct; bench/first_layer_ab.ts --forward,
 * rounds alternating in one process, per CPU second, load 6-9 on 2 cores), 1 / 2 threads:
 * plain 3x3x3->32 at 32x32 b64 1.14 / 1.14x, 3->16 1.13 / 1.24x, 5x5x1->8 at 28x28 1.06 /
 * 1.13x, VGG 3->64 at 224 b2 1.16 / 1.15x; relaxed 1.22 / 1.11x, 1.24 / 1.21x, 1.45 / 1.54x,
 * 1.22 / 1.15x (docs/performance.md). 1x1 filters (K = c <= 4) keep the GEMM (not measured).
 */
function firstDefault(info: Conv2DInfo): boolean {
  return info.filterHeight * info.filterWidth > 1;
}

// ---- conv stride area ----
/**
 * Which paths of conv_stride.ts run, from `globalThis.STRIATE_CONV_STRIDE` (tests, benchmarks):
 * 'default' (unset) the strided 1x1 forward pass through a gather and one GEMM; 'all' also the
 * strided 1x1 gradients through the gathered pixels and the strided input gradient phase by
 * phase (both measured slower than col2im and the strided filter-gradient kernel on this
 * machine, docs/performance.md); 'off' none (the slab kernel for the strided 1x1 forward).
 */
export function strideMode(): 'default' | 'all' | 'off' {
  const v = (globalThis as { STRIATE_CONV_STRIDE?: unknown }).STRIATE_CONV_STRIDE;
  return v === 'all' || v === 'off' ? v : 'default';
}

// ---- r50 area (issue 18): small images at batch 1 ----
/**
 * The grid of the slab kernel's chunks (assembly/conv_small.ts): `per` pixels (a multiple of 4)
 * by `panelsPer` 8-column panels of output channels. With `target` 1 (one thread) pixel ranges of
 * even size, at most one slab block each, all channels. Else pixel
 * ranges of at most one slab block (96 pixels) each where there are few pixels, at most
 * `target`, and the rest of the target over output channels, at least 4 panels (32 channels) a
 * cell: every pixel range streams the whole packed filter, so a 7x7 image (49 pixels) split
 * over pixels into 7 chunks read a 9.4 MB filter 7 times (3x3x512->512); split over channels
 * each chunk reads its share. Large images keep the pixel split (target chunks of pixels).
 */
export function slabGrid(pixels: number, outC: number, target: number): { per: number; panelsPer: number; chunks: number } {
  const np = Math.ceil(outC / 8);
  if (pixels <= 0) return { per: 1, panelsPer: Math.max(np, 1), chunks: 1 };
  // one thread: blocks of even size up to one slab block each (196 pixels as 68, 68, 60, not 96,
  // 96, 4: every block streams the whole packed filter, the last one for 4 pixels)
  if (target <= 1) {
    const per = roundUp(Math.ceil(pixels / Math.ceil(pixels / SLAB_PB)), 4);
    return { per, panelsPer: Math.max(np, 1), chunks: Math.ceil(pixels / per) };
  }
  const pixelChunks = Math.max(1, Math.min(target, Math.ceil(pixels / SLAB_PB)));
  const per = roundUp(Math.ceil(pixels / pixelChunks), 4);
  const usedP = Math.ceil(pixels / per);
  const colChunks = Math.max(1, Math.min(Math.ceil(target / usedP), Math.floor(np / 4)));
  const panelsPer = Math.ceil(np / colChunks);
  return { per, panelsPer, chunks: usedP * Math.ceil(np / panelsPer) };
}

/**
 * Whether a 3x3 convolution has too few output tiles for Winograd F(2x2, 3x3) to pay for its
 * filter transform, which every call makes afresh (16 passes over the 3x3xCxK filter, the
 * transformed filter written and packed), so that the slab kernel, with 1.7x Winograd's
 * multiply-adds but no transform, is faster: a deep window (K >= 1024) and many channels.
 * Measured (bench/r50_threads.ts, batch 1, CPU ms a call, 1 thread, loaded VM): 7x7x512->512
 * Winograd 41, slab 20; 14x14x256->256 14.0 and 15.0 (level on one thread, and the slab's grid
 * splits over two threads where Winograd's 49 tiles made 2 chunks of 48 and 1); 28x28x128->128
 * (196 tiles) Winograd 7.9, slab 12.9. `STRIATE_CONV_WINOGRAD=all` keeps Winograd.
 */
export function winogradTooFewTiles(info: Conv2DInfo): boolean {
  if ((globalThis as { STRIATE_CONV_WINOGRAD?: unknown }).STRIATE_CONV_WINOGRAD === 'all') return false;
  const tiles = info.batchSize * Math.ceil(info.outHeight / 2) * Math.ceil(info.outWidth / 2);
  // from 384 channels in and out together Winograd's tile block is 48 (winograd_ops.ts), so under
  // 64 tiles it makes at most 2 chunks, and the filter (2.4 MB at 256->256) outgrows the cache
  // over its 16 transform passes; with fewer channels it keeps Winograd (not measured here)
  return tiles < 64 && info.filterHeight * info.filterWidth * info.inChannels >= 1024 &&
    info.inChannels + info.outChannels >= 384;
}
