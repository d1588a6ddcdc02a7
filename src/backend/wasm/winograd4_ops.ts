/**
 * winograd4 area (issue 18): 3x3, stride-1, dilation-1 convolutions through Winograd's F(4x4, 3x3)
 * (assembly/winograd4.ts, tasks 144-145): the forward pass, and so the stride-1 input gradient
 * (ops.ts runs it as a forward pass of dy with the turned filter), with the choice between it
 * and F(2x2, 3x3) (winograd_ops.ts). Measured: docs/performance.md "Winograd F(4x4,3x3)".
 */
import type { Conv2DInfo } from '../types.js';
import type { WasmBackend } from './backend.js';
import { KernelGroup, roundUp } from './kernel_group.js';
import type { Geometry } from './winograd_ops.js';

const TASK_WINOGRAD4_FILTER = 144, TASK_WINOGRAD4 = 145, TASK_WINOGRAD4_BACK_FILTER = 146, TASK_WINOGRAD4_BACK_FILTER_SUM = 147;

export class Winograd4Ops extends KernelGroup {
  constructor(b: WasmBackend, private readonly geometry: Geometry) {
    super(b);
  }

  /**
   * A 3x3 stride-1 convolution through Winograd F(4x4, 3x3): the filter transformed and packed
   * once per call (36 chunks, one per position of the 6x6 transformed domain), then chunks of
   * whole blocks of 4x4 output tiles on the pool. Edge tiles zero their window themselves.
   */
  forward(x: number, filter: number, info: Conv2DInfo, out: number, bias: number, act: number): void {
    const { inChannels: c, outChannels: k, batchSize: batch, outHeight: outH, outWidth: outW } = info;
    const cp = roundUp(c, 4);
    const tb = winograd4Block(c, k, this.b.scratchBytes, this.b.gemmScratch);
    const rawBytes = 36 * cp * k * 4, packedBytes = 36 * cp * roundUp(k, 8) * 4;
    const raw = this.b.heap.alloc(rawBytes), packed = this.b.heap.alloc(packedBytes);
    try {
      const g = this.geometry(info);
      this.b.run(TASK_WINOGRAD4_FILTER, this.b.args([g, filter, raw, packed]), 36, this.b.threads > 1 && cp * k >= 2048);
      const tiles = batch * Math.ceil(outH / 4) * Math.ceil(outW / 4);
      // the multiply-adds the products do (36 per tile and channel pair)
      const macs = tiles * 36 * cp * k;
      const parallel = this.parallel(macs);
      // whole blocks per chunk: the blocks (and so the bits) are the same on any number of threads
      const per = parallel ? roundUp(Math.ceil(tiles / this.target), tb) : tiles;
      const args = this.b.args([g, x, packed, out, bias, act, tiles, tb, per]);
      this.b.run(TASK_WINOGRAD4, args, Math.ceil(tiles / per), parallel, macs);
    } finally {
      this.b.heap.release(packed, packedBytes);
      this.b.heap.release(raw, rawBytes);
    }
  }

  /**
   * The filter gradient of a 3x3 stride-1 convolution through Winograd F(4x4, 3x3): chunks of
   * tile blocks, each summing its 36 products V[xi]^T (A dY A^T)[xi] into a partial of its own,
   * then the partials added in chunk order and transformed back (G^T M G), a few input channels
   * per chunk (winograd_ops.ts's F(2x2) backFilter with 36 positions).
   */
  backFilter(x: number, dy: number, info: Conv2DInfo, out: number): void {
    const { inChannels: c, outChannels: k, batchSize: batch, outHeight: outH, outWidth: outW } = info;
    const cp = roundUp(c, 4);
    const tb = winograd4Block(c, k, this.b.scratchBytes, this.b.gemmScratch, true);
    const tiles = batch * Math.ceil(outH / 4) * Math.ceil(outW / 4);
    const macs = tiles * 36 * cp * k;
    const parallel = this.parallel(macs);
    const blocks = Math.ceil(tiles / tb);
    // each chunk's partial is 36 x Cp x K floats: a few per thread, no more than about 32 MiB beyond one per thread
    const partialFloats = 36 * cp * k;
    const chunks = parallel ? Math.min(this.target, blocks, Math.max(this.b.threads, Math.floor(8 * 2 ** 20 / partialFloats))) : 1;
    const per = roundUp(Math.ceil(tiles / chunks), tb);
    const used = Math.ceil(tiles / per);
    const partialBytes = roundUp(partialFloats * 4, 64);
    const partials = this.b.heap.alloc(partialBytes * used);
    try {
      const g = this.geometry(info);
      this.b.run(TASK_WINOGRAD4_BACK_FILTER, this.b.args([g, x, dy, partials, tiles, tb, per, partialBytes]), used, parallel, macs);
      const sumPar = this.b.threads > 1 && 36 * c * k * used >= 256 * 1024;
      const cPer = sumPar ? Math.ceil(c / this.target) : c;
      this.b.run(TASK_WINOGRAD4_BACK_FILTER_SUM, this.b.args([g, partials, used, partialBytes, out, cPer]), Math.ceil(c / cPer), sumPar);
    } finally {
      this.b.heap.release(partials, partialBytes * used);
    }
  }
}

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
  const need = (t: number) => roundUp(gemmScratch, 64) + 4 * (36 * t * (cp + kp) + 36 * cp) + 1024;
  while (tb > 1 && need(tb) > scratchBytes) tb = Math.max(1, tb >> 1);
  return tb;
}
