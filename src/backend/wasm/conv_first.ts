/**
 * First conv layer area (issue 18 item 1): kernels shaped for the few input channels of an image
 * model's first convolution (assembly/conv_first.ts, tasks 150-154).
 *
 * The input gradient of a stride-1 convolution over 1-3 input channels (task 150): run as a
 * forward convolution of dy with the turned filter, it has 1-3 output channels, 1-3 of the 8
 * columns of the direct kernel's register tile (measured 33-36% of the GEMM's GFLOP/s for CIFAR's
 * 3->32 layer). The kernel vectorises along dy's channels instead (see the assembly files).
 * Task 151 (assembly/conv_first_dx.ts) is the one that runs; task 150 (assembly/conv_first.ts)
 * is its predecessor, kept for A/B (STRIATE_CONV_FIRST_DX = 'old', below).
 * `globalThis.STRIATE_CONV_FIRST = 'off'` turns both off (tests, benches);
 * `globalThis.STRIATE_CONV_FIRST_TILE = 'held'|'reload'` runs task 150 with that tile (A/B; its
 * default: 'held' with relaxed SIMD, 'reload' with plain).
 */
import type { Conv2DInfo } from '../types.js';
import type { WasmBackend } from './backend.js';
import { KernelGroup } from './kernel_group.js';

const TASK_CONV_FIRST_BACK_INPUT = 150;
const TASK_CONV_FIRST_DX = 151;
/** conv_first_dx.ts flags */
const DX_NO_FUSE = 2;
/** STRIATE_CONV_FIRST: 'off' turns the kernel off (A/B benches, tests) */
const firstMode = (): string => String((globalThis as { STRIATE_CONV_FIRST?: unknown }).STRIATE_CONV_FIRST ?? '');

/** Whether the first-layer input-gradient kernel takes this geometry. */
export function firstBackInputApplies(info: Conv2DInfo): boolean {
  return firstMode() !== 'off' && info.inChannels <= 3 && info.outChannels % 4 === 0 && info.outChannels > 0 &&
    info.strideHeight === 1 && info.strideWidth === 1 && info.dilationHeight === 1 && info.dilationWidth === 1;
}

/**
 * Whether the kernel takes 3-pixel tiles with the filter vectors held in registers rather than
 * 4-pixel tiles that reload dy per filter vector. Measured (bench/first_layer_ab.ts --tile, per
 * CPU second, rounds alternating): with relaxed SIMD held 1.5-1.7x faster (the reloads set the
 * pace once a multiply-add is one instruction); with plain SIMD held 6-15% slower (mul + add:
 * the arithmetic sets the pace, and the 4-pixel tile ends fewer tiles per sum).
 */
function heldTile(relaxed: boolean): boolean {
  const t = (globalThis as { STRIATE_CONV_FIRST_TILE?: unknown }).STRIATE_CONV_FIRST_TILE;
  return t === 'held' ? true : t === 'reload' ? false : relaxed;
}

/**
 * Which input-gradient kernel runs. `globalThis.STRIATE_CONV_FIRST_DX` (A/B benches, tests):
 * 'old' (task 150, its tile by STRIATE_CONV_FIRST_TILE or the build), 'nofuse' (task 151 with
 * one loop per filter row everywhere), unset: task 151. STRIATE_CONV_FIRST_TILE alone also
 * picks the old kernel.
 */
function dxKind(relaxed: boolean): { old: boolean; held: boolean; flags: number } {
  const g = globalThis as { STRIATE_CONV_FIRST_DX?: unknown; STRIATE_CONV_FIRST_TILE?: unknown };
  const mode = String(g.STRIATE_CONV_FIRST_DX ?? (g.STRIATE_CONV_FIRST_TILE !== undefined ? 'old' : ''));
  if (mode === 'old') return { old: true, held: heldTile(relaxed), flags: 0 };
  if (mode !== '' && mode !== 'nofuse') throw new Error(`STRIATE_CONV_FIRST_DX: expected 'old', 'nofuse' or nothing, got '${mode}'`);
  return { old: false, held: false, flags: mode === 'nofuse' ? DX_NO_FUSE : 0 };
}

export class FirstLayerOps extends KernelGroup {
  constructor(b: WasmBackend, private readonly geometry: (info: Conv2DInfo) => number) {
    super(b);
  }

  /**
   * dx of a stride-1, dilation-1 convolution with 1-3 input channels and a multiple of 4 output
   * channels into `out` (every value written). The filter is packed here: per step (the
   * window's dy pixels left to right, i.e. filter columns right to left, x channel quads), the fh
   * filter rows side by side, three 4-channel vectors each (one per input channel, zeros past
   * inChannels).
   */
  backInput(dy: number, filter: number, info: Conv2DInfo, out: number): void {
    const kind = dxKind(this.b.k.simd === 'relaxed');
    if (kind.old) return this.backInputOld(dy, filter, info, out, kind.held);
    const { filterHeight: fh, filterWidth: fw, inChannels: ci, outChannels: co } = info;
    const quads = co / 4;
    const bytes = fh * fw * quads * 48;
    const packed = this.b.heap.alloc(bytes);
    try {
      // step j = d * quads + q (window dy pixel d = filter column fw - 1 - d, channel quad q), then
      // filter row fy, then the 3 vectors W[fy, fw - 1 - d, i, 4q .. 4q + 3] (zeros past inChannels)
      const f32 = this.b.mem.f32;
      const src = filter >> 2;
      let t = packed >> 2;
      for (let d = 0; d < fw; d++) {
        const fx = fw - 1 - d;
        for (let q = 0; q < quads; q++) {
          for (let fy = 0; fy < fh; fy++) {
            for (let i = 0; i < 3; i++) {
              for (let l = 0; l < 4; l++) f32[t++] = i < ci ? f32[src + ((fy * fw + fx) * ci + i) * co + 4 * q + l] : 0;
            }
          }
        }
      }
      this.runRows(TASK_CONV_FIRST_DX, dy, packed, info, out, kind.flags);
    } finally {
      this.b.heap.release(packed, bytes);
    }
  }

  /** The rows of dx as tasks of whole rows (one row: one (image, y)). */
  private runRows(task: number, dy: number, packed: number, info: Conv2DInfo, out: number, flags: number): void {
    const { filterHeight: fh, filterWidth: fw, inChannels: ci, outChannels: co } = info;
    const rows = info.batchSize * info.inHeight;
    const macs = rows * info.inWidth * fh * fw * ci * co;
    const parallel = this.parallel(macs);
    const per = parallel ? Math.max(1, Math.ceil(rows / this.target)) : rows;
    const args = this.b.args([this.geometry(info), dy, packed, out, rows, per, flags]);
    this.b.run(task, args, Math.ceil(rows / per), parallel, macs);
  }

  /** Task 150, the kernel before task 151 (A/B: STRIATE_CONV_FIRST_DX 'old'). */
  private backInputOld(dy: number, filter: number, info: Conv2DInfo, out: number, held: boolean): void {
    // packed per filter row: the window's dy pixels x channel quads, three vectors each
    const { filterHeight: fh, filterWidth: fw, inChannels: ci, outChannels: co } = info;
    const quads = co / 4;
    const bytes = fh * fw * quads * 48;
    const packed = this.b.heap.alloc(bytes);
    try {
      const f32 = this.b.mem.f32;
      const src = filter >> 2;
      let t = packed >> 2;
      for (let fy = 0; fy < fh; fy++) {
        for (let d = 0; d < fw; d++) {
          const fx = fw - 1 - d;
          for (let q = 0; q < quads; q++) {
            for (let i = 0; i < 3; i++) {
              for (let l = 0; l < 4; l++) f32[t++] = i < ci ? f32[src + ((fy * fw + fx) * ci + i) * co + 4 * q + l] : 0;
            }
          }
        }
      }
      this.runRows(TASK_CONV_FIRST_BACK_INPUT, dy, packed, info, out, held ? 1 : 0);
    } finally {
      this.b.heap.release(packed, bytes);
    }
  }
}

// ---- first conv layer filter gradient area (task 127: assembly/conv_filter_runs.ts) ----
export const TASK_CONV_FILTER_RUNS = 127;
/**
 * Whether the filter gradient takes conv_filter_runs.ts: a short window (K <= 64) and a multiple
 * of 8 output channels up to 64 (its tiles read dy's 8 columns in place; VGG's 3->64 measured
 * +13% over the packed kernel it took before). `globalThis.STRIATE_CONV_FIRST_DW = 'off'` keeps
 * the kernels before it (A/B benches, tests).
 */
export function firstDwApplies(info: Conv2DInfo): boolean {
  if ((globalThis as { STRIATE_CONV_FIRST_DW?: unknown }).STRIATE_CONV_FIRST_DW === 'off') return false;
  const k = info.filterHeight * info.filterWidth * info.inChannels;
  return k <= 64 && info.outChannels % 8 === 0 && info.outChannels <= 64;
}
/** pixels per block of conv_filter_runs.ts (dy's block re-read by every tile): `globalThis.STRIATE_CONV_FIRST_DW_BLOCK` for tuning */
export function firstDwBlock(): number {
  const v = Number((globalThis as { STRIATE_CONV_FIRST_DW_BLOCK?: unknown }).STRIATE_CONV_FIRST_DW_BLOCK);
  return v > 0 ? Math.floor(v) : 1024;
}
// ---- end of first conv layer filter gradient area ----
