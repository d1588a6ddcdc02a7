/**
 * What the wasm backend's groups of kernel wrappers (WasmOps, ElementwiseOps, HotOps, VolumeOps,
 * FusedOps) share: the heap address of a tensor's storage and when a task is worth the pool.
 */
import type { TensorInfo } from '../types.js';
import type { WasmBackend } from './backend.js';

/** Below this many multiply-adds a task runs on the calling thread (waking workers costs more). */
export const PARALLEL_MIN_MACS = 64 * 1024;

export const roundUp = (v: number, m: number): number => Math.ceil(v / m) * m;

export abstract class KernelGroup {
  constructor(protected readonly b: WasmBackend) {}

  /** Byte address of x's storage in the wasm heap. */
  protected ptr(x: TensorInfo): number {
    return this.b.buffer(x.dataId).ptr;
  }

  /** Chunks wanted for a parallel task: a few per thread, so uneven chunks even out. */
  protected get target(): number {
    return this.b.threads * 4;
  }

  /** Whether `work` multiply-adds (or element-steps) are worth waking the other threads. */
  protected parallel(work: number): boolean {
    return this.b.threads > 1 && work >= PARALLEL_MIN_MACS;
  }

  /**
   * `out` (n floats) = the sum of `count` partial sums of n floats, `partialBytes` apart from
   * `partials`, added in chunk order (so a result's bits depend on the chunking alone).
   */
  protected sumPartials(out: number, partials: number, count: number, partialBytes: number, n: number): void {
    const f32 = this.b.mem.f32;
    const o = out >> 2;
    f32.copyWithin(o, partials >> 2, (partials >> 2) + n);
    for (let t = 1; t < count; t++) {
      const p = (partials + t * partialBytes) >> 2;
      for (let i = 0; i < n; i++) f32[o + i] += f32[p + i];
    }
  }
}
