/**
 * conv first-layer forward area (issue 18): the forward pass of first conv layers (1-4 input
 * channels, K <= 64 taps, stride 1 and dilation 1 across) through assembly/conv_first_fwd.ts,
 * tasks 113 (rows) and 114 (filter packing): a strip of stacked window rows per output row, so
 * that a register tile is one pointer walk over K contiguous floats. No padded copy of the input.
 */
import type { Conv2DInfo } from '../types.js';
import type { WasmBackend } from './backend.js';
import { KernelGroup } from './kernel_group.js';

const TASK_CONV_FIRST_FWD = 113, TASK_CONV_FIRST_PACK = 114;
/** the kernel's variants: fh * inChannels up to this (FIRST_MAX_STACK in the assembly file) */
const MAX_STACK = 12;

/** Whether the kernel takes this geometry (the choice between it and others is conv_paths.ts's). */
export function firstForwardApplies(info: Conv2DInfo): boolean {
  const { filterHeight: fh, filterWidth: fw, inChannels: c } = info;
  return c >= 1 && c <= 4 && fh * fw * c <= 64 && fh * c <= MAX_STACK && info.strideWidth === 1 &&
    info.dilationWidth === 1 && info.outWidth > 0;
}

/**
 * The tiles' order in a row (task 113's mode, rowTiles in the assembly file), for A/B runs and
 * tests: `globalThis.STRIATE_CONV_FIRST_FWD` 'panels' (each panel over the whole row: the order
 * before, mode 1) or 'groups' (groups of output pixels written whole, all panels at a time,
 * mode 2); unset, the kernel picks by the size of an output row (mode 0).
 */
export function firstForwardMode(): number {
  const m = (globalThis as { STRIATE_CONV_FIRST_FWD?: unknown }).STRIATE_CONV_FIRST_FWD;
  return m === 'panels' ? 1 : m === 'groups' ? 2 : 0;
}

export class FirstForwardOps extends KernelGroup {
  constructor(b: WasmBackend, private readonly geometry: (info: Conv2DInfo) => number) {
    super(b);
  }

  /** Scratch bytes a chunk needs (firstScratch in the assembly file), so callers can fall back. */
  static scratchBytes(info: Conv2DInfo): number {
    const wIn = info.outWidth + info.filterWidth - 1;
    return 256 + (info.outChannels + 8) * 4 + (wIn * info.filterHeight + info.outHeight) * info.inChannels * 4;
  }

  /** Whether this backend's per-thread scratch holds a chunk's strip for this geometry. */
  fits(info: Conv2DInfo): boolean {
    return FirstForwardOps.scratchBytes(info) <= this.b.scratchBytes;
  }

  /**
   * conv(x, filter) + bias (zero-padded to whole 8-channel panels; 0 for none), relu when act
   * is 1, into out: the filter packed once, then chunks of output rows (image, y) on the pool.
   */
  forward(x: number, filter: number, info: Conv2DInfo, out: number, bias: number, act: number): void {
    const { batchSize: batch, outHeight: outH, outWidth: outW, outChannels: outC } = info;
    const k = info.filterHeight * info.filterWidth * info.inChannels;
    const panelBytes = Math.ceil(outC / 8) * 8 * k * 4;
    const panels = this.b.heap.alloc(panelBytes);
    try {
      const g = this.geometry(info);
      this.b.run(TASK_CONV_FIRST_PACK, this.b.args([g, filter, panels]), 1, false, k * outC);
      const macs = batch * outH * outW * k * outC;
      const parallel = this.parallel(macs);
      const rows = batch * outH;
      const per = parallel ? Math.max(1, Math.ceil(rows / this.target)) : rows;
      const args = this.b.args([g, x, panels, out, rows, per, bias, act, firstForwardMode()]);
      this.b.run(TASK_CONV_FIRST_FWD, args, Math.ceil(rows / per), parallel, macs);
    } finally {
      this.b.heap.release(panels, panelBytes);
    }
  }
}
