/**
 * strided dx area (issue 18): the input gradient of a strided convolution with few channels
 * (ResNet-20's 3x3 stride-2 layers) written in place phase by phase (assembly/conv_phase_dx.ts,
 * task 170) instead of a GEMM dy · Wᵀ into columns (K = outC, short) and col2im adding them into
 * a zeroed dx. Each phase of dx (pixels with the same (iy + padTop) mod sy, (ix + padLeft) mod
 * sx) meets a fixed subset of the taps; each dx value is one register-tile sum over those taps
 * x outC, stored once. Here the filter is packed once per call as [phase][8-channel block][tap]
 * [o][8] and the scratch's zero-bordered dy layout worked out.
 * `globalThis.STRIATE_CONV_PHASE_DX = 'off'` (or the environment variable of that name) keeps
 * col2im (benchmarks, tests).
 */
import type { Conv2DInfo } from '../types.js';
import type { WasmBackend } from './backend.js';
import { KernelGroup, roundUp } from './kernel_group.js';
import { MAX_CHUNKS } from './pool.js';

const TASK_PHASE_DX = 170;
/** most taps per phase (assembly MAX_TAPS) */
const MAX_TAPS = 64;
/** pixels per tile of the kernel: T's rows are padded to whole tiles */
const TILE = 4;

function switchedOff(): boolean {
  const g = (globalThis as { STRIATE_CONV_PHASE_DX?: unknown }).STRIATE_CONV_PHASE_DX;
  if (g !== undefined) return g === 'off';
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  return env?.STRIATE_CONV_PHASE_DX === 'off';
}

/**
 * Whether the phase kernel takes this input gradient: a stride above 1, dilation 1, every phase
 * with a tap (filter at least the stride), input channels a multiple of 8 from 8 to 32 and up to
 * 64 output channels. Measured against col2im (bench/conv_layer_speed.js --grads input, 1
 * thread, per CPU second as % of the GEMM's, rounds alternating, load 6-8 on 2 cores): ResNet-20
 * 3x3/2 16->32 at 32x32 b64 plain 89-90% against 76-78%, relaxed 83-87% against 71-72%; 32->64
 * at 16x16 level (95-96 / 94, relaxed 91-95 / 89); forced ('all') on ResNet-18's 64->128 at 56
 * level (100 / 102, relaxed 99 / 99) and on the 7x7/2 3-channel stem behind (plain 50 / 61,
 * relaxed 78 / 85: 3 of 8 lanes used), so those keep col2im.
 * `STRIATE_CONV_PHASE_DX = 'all'` takes every geometry the kernel can run (tests).
 */
export function phaseDxApplies(info: Conv2DInfo): boolean {
  if (switchedOff()) return false;
  const { strideHeight: sy, strideWidth: sx } = info;
  if (sy === 1 && sx === 1) return false;
  if (info.dilationHeight !== 1 || info.dilationWidth !== 1) return false;
  if (info.filterHeight < sy || info.filterWidth < sx) return false;
  if (Math.ceil(info.filterHeight / sy) * Math.ceil(info.filterWidth / sx) > MAX_TAPS) return false;
  const forced = (globalThis as { STRIATE_CONV_PHASE_DX?: unknown }).STRIATE_CONV_PHASE_DX === 'all';
  if (forced) return true;
  return info.inChannels % 8 === 0 && info.inChannels <= 32 && info.outChannels <= 64;
}

/** Rows (or columns) of dy that the phases' taps reach, whole tiles included: [lo, hi]. */
function reach(inSize: number, outSize: number, f: number, s: number, pad: number, tile: number): [number, number] {
  let lo = 0, hi = outSize - 1;
  for (let r = 0; r < s; r++) {
    const i0 = (((r - pad) % s) + s) % s;
    if (i0 >= inSize) continue;
    const count = roundUp(Math.ceil((inSize - i0) / s), tile);
    for (let k = r; k < f; k += s) {
      const o0 = (i0 + pad - k) / s;
      lo = Math.min(lo, o0);
      hi = Math.max(hi, o0 + count - 1);
    }
  }
  return [lo, hi];
}

export class ConvPhaseDxOps extends KernelGroup {
  constructor(b: WasmBackend) {
    super(b);
  }

  /** dx (all of it written) of a strided convolution, phase by phase. False: not taken. */
  backInput(dy: number, filter: number, info: Conv2DInfo, out: number): boolean {
    const { inHeight: H, inWidth: W, inChannels: c, outHeight: oh, outWidth: ow, outChannels: n } = info;
    const { filterHeight: fh, filterWidth: fw, strideHeight: sy, strideWidth: sx, padTop, padLeft } = info;
    const [oyLo, oyHi] = reach(H, oh, fh, sy, padTop, 1);
    const [oxLo, oxHi] = reach(W, ow, fw, sx, padLeft, TILE);
    const ph = oyHi - oyLo + 1, pw = oxHi - oxLo + 1;
    const cpad = roundUp(c, 8);
    // T, the tap table, the tile buffer
    const scratch = roundUp(ph * n * pw * 4, 64) + MAX_TAPS * 4 + TILE * 32;
    if (scratch > this.b.scratchBytes) return false;
    const batch = info.batchSize;
    const work = batch * oh * ow * n * fh * fw * c;
    const parallel = this.parallel(work);
    const per = parallel ? Math.max(1, Math.ceil(batch / this.target)) : batch;
    const chunks = Math.ceil(batch / per);
    if (chunks > MAX_CHUNKS) return false;
    const packedBytes = fh * fw * n * cpad * 4;
    const packed = this.b.heap.alloc(packedBytes);
    try {
      this.pack(filter, info, packed);
      const args = this.b.args([dy, packed, out, batch, per, 0,
        H, W, c, oh, ow, n, fh, fw, sy, sx, padTop, padLeft, oyLo, oxLo, ph, pw, cpad]);
      this.b.run(TASK_PHASE_DX, args, chunks, parallel, work);
    } finally {
      this.b.heap.release(packed, packedBytes);
    }
    return true;
  }

  /**
   * The filter [fh][fw][c][n] as [phase (ry, rx)][8-channel block][tap (ky = ry + ty * sy, kx =
   * rx + tx * sx)][o][8], zero past c: the order the kernel walks it.
   */
  private pack(filter: number, info: Conv2DInfo, dst: number): void {
    const { filterHeight: fh, filterWidth: fw, strideHeight: sy, strideWidth: sx, inChannels: c, outChannels: n } = info;
    const f32 = this.b.mem.f32, src = filter >> 2;
    let d = dst >> 2;
    for (let ry = 0; ry < sy; ry++) {
      for (let rx = 0; rx < sx; rx++) {
        for (let j0 = 0; j0 < c; j0 += 8) {
          const w = Math.min(8, c - j0);
          for (let ky = ry; ky < fh; ky += sy) {
            for (let kx = rx; kx < fw; kx += sx) {
              const tap = src + (ky * fw + kx) * c * n;
              for (let o = 0; o < n; o++, d += 8) {
                for (let j = 0; j < 8; j++) f32[d + j] = j < w ? f32[tap + (j0 + j) * n + o] : 0;
              }
            }
          }
        }
      }
    }
  }
}
