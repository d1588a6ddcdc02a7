/**
 * winograd4 area (issue 18): 3x3, stride-1, dilation-1 convolutions through Winograd's F(4x4, 3x3)
 * (assembly/winograd4.ts, tasks 144-147): its variant description for winograd_ops.ts's
 * WinogradOps (forward pass, so the stride-1 input gradient too, and the filter gradient), and
 * the measured choice between it and F(2x2, 3x3). Measured: docs/performance.md "Winograd
 * F(4x4,3x3)".
 */
import type { Conv2DInfo } from '../types.js';
import { roundUp } from './kernel_group.js';
import type { WinogradVariant } from './winograd_ops.js';

/** F(4x4, 3x3): assembly/winograd4.ts, tasks 144-147; run by winograd_ops.ts's WinogradOps */
export const F4X4: WinogradVariant = {
  m: 4, positions: 36, tasks: { filter: 144, tiles: 145, backFilter: 146, backFilterSum: 147 },
  block: winograd4Block,
  filterParallelMin: 2048,
};

/**
 * Whether the filter gradient goes through F(4x4) rather than F(2x2) (the caller has chosen
 * Winograd). `globalThis.STRIATE_WINOGRAD4` 'off' never, 'all' always, as does a forced forward
 * path 'winograd4'; a forced 'winograd' keeps F(2x2).
 */
export function winograd4FilterWins(info: Conv2DInfo): boolean {
  const mode = (globalThis as { STRIATE_WINOGRAD4?: unknown }).STRIATE_WINOGRAD4;
  const forced = (globalThis as { STRIATE_CONV_FORWARD?: unknown }).STRIATE_CONV_FORWARD;
  if (mode === 'off' || forced === 'winograd' || !winograd4Applies(info)) return false;
  if (mode === 'all' || forced === 'winograd4') return true;
  if ((globalThis as { STRIATE_WINOGRAD4_GRAD?: unknown }).STRIATE_WINOGRAD4_GRAD === 'off') return false;
  return winograd4Wins(info);
}

/**
 * Whether F(4x4, 3x3) can take a Winograd convolution at all, forced or chosen: up to 2048
 * channels in and out together, so that a block of tiles (36 x T x (Cp + Kp) floats, T >= 6)
 * fits the per-thread scratch beside the GEMM's packing area.
 */
export function winograd4Applies(info: Conv2DInfo): boolean {
  return info.inChannels + info.outChannels <= 2048;
}

/**
 * Whether F(4x4, 3x3) rather than F(2x2, 3x3) computes a Winograd convolution (the caller has
 * checked winogradApplies). `globalThis.STRIATE_WINOGRAD4` 'off' never, 'all' always (tests,
 * benchmarks).
 */
export function winograd4Wins(info: Conv2DInfo): boolean {
  const mode = (globalThis as { STRIATE_WINOGRAD4?: unknown }).STRIATE_WINOGRAD4;
  if (mode === 'off') return false;
  if (mode === 'all') return true;
  if (info.inChannels < 16 || info.outChannels < 16) return false;
  // the products F(4x4) does for those F(2x2) does: 36 per 4x4 tile against 16 per 2x2 one,
  // 9/16 where both tile the output exactly (sizes a multiple of 4), more where F(4x4)'s edge
  // tiles run past it (14x14: 0.73; 5x5: 1)
  const t4 = Math.ceil(info.outHeight / 4) * Math.ceil(info.outWidth / 4) * 36;
  const t2 = Math.ceil(info.outHeight / 2) * Math.ceil(info.outWidth / 2) * 16;
  const cpk = info.inChannels + info.outChannels;
  // Measured (bench/winograd4_ab.ts, rounds rotating, 1 thread, plain SIMD, per CPU second,
  // loaded machine), F(4x4) against F(2x2): 1.28-1.32x on ResNet-20's 16, 32 and 64 channels
  // (32x32, 16x16, 8x8), 1.4-1.5x at 32->32 (32x32), 32->64 and 64->64 (16x16), 128->128 at 56x56
  // and 64->64 at 224x224, 1.2x at 256->256 (28x28), 1.33x at 7x7 32->32 and 1.21x at 14x14
  // 64->64; it lost 0.76-0.84x at 512 channels (14x14, 7x7) and 256 at 14x14, where a block's
  // few tiles (12, the scratch holding no more) do not pay for reading each 36 filter panels of
  // C x K, and 0.76x at 5x5 (64->64), where its tiles do as many products as F(2x2)'s; 1.06x
  // (level) at 14x14 128->128.
  if (t4 <= 0.6 * t2) return cpk <= 512;
  return t4 <= 0.75 * t2 && cpk <= 128;
}

/**
 * Tiles per block of the F(4x4) kernel: the block's transformed input and products
 * (36 x T x (Cp + Kp) floats) near 108 KiB, inside a core's L2 beside the GEMM's panels; a
 * multiple of 12 (whole register tiles of 4 and 6 rows), between 12 and 48; fewer where the
 * per-thread scratch would not hold them. Measured (bench/winograd4_ab.ts --tiles, plain SIMD,
 * 1 thread, per CPU second, loaded machine): 12 and 24 tiles level or ahead of 48 and 96 at
 * 16->16 (32x32), 32->32 and 64->64 (29.1, 28.5, 27.7, 25.8 GFLOP/s at 16->16; 45.7, 43.4,
 * 42.4, 41.0 at 64->64). `globalThis.STRIATE_WINOGRAD_TILES` sets it (benchmarks).
 */
export function winograd4Block(c: number, k: number, scratchBytes: number, gemmScratch: number, filterGrad = false): number {
  const cp = roundUp(c, 4), kp = roundUp(k, 4);
  const forced = Number((globalThis as { STRIATE_WINOGRAD_TILES?: unknown }).STRIATE_WINOGRAD_TILES);
  let tb = forced > 0 ? roundUp(forced, 12) : Math.min(48, Math.max(12, Math.floor(768 / (cp + kp) / 12) * 12));
  // the filter gradient's products sum over the tiles (the GEMM's K): longer blocks, fewer passes over M
  if (filterGrad) tb = Number((globalThis as { STRIATE_WINOGRAD_GRAD_TILES?: unknown }).STRIATE_WINOGRAD_GRAD_TILES) || 96;
  // rows of V and M in whole cache lines, one more where they would share few L1 sets
  // (assembly spreadRow): up to 128 bytes more each
  const need = (t: number) => roundUp(gemmScratch, 64) + 4 * (36 * t * (cp + kp) + 36 * cp) + 36 * 2 * 128 + 1024;
  while (tb > 1 && need(tb) > scratchBytes) tb = Math.max(1, tb >> 1);
  return tb;
}
