/**
 * Storage of the webgpu backend: numbered GPU buffers recycled by size class, and the values a
 * buffer also has in JavaScript (what was written from there, or what a read brought back:
 * storage never changes after its kernel ran, so a copy stays valid until the buffer is freed).
 */
import type { DataId, DType, TypedArray } from '../types.js';
import type { Channel } from './device.js';

export class GpuData implements DataId {
  readonly backendName = 'webgpu';
  refs = 1;
  live = true;
  /**
   * @param id the GPU buffer's number, -1 for storage kept in JavaScript only (float64, complex
   *   and string tensors, which WGSL cannot hold)
   */
  constructor(public id: number, readonly sizeClass: number, readonly length: number, readonly dtype: DType,
              public cpu: TypedArray | null, public strings: Uint8Array[] | null = null) {}
}

/**
 * Size classes four to an octave (at most a quarter of a buffer wasted), 16 bytes at least:
 * a training step asks for the same sizes every batch, so after the first one every request is
 * served from the free lists.
 */
export function sizeClass(bytes: number): number {
  if (bytes <= 16) return 16;
  const octave = 2 ** Math.floor(Math.log2(bytes));
  const step = Math.max(4, octave / 4);
  return Math.ceil(bytes / step) * step;
}

/** Free buffers kept for reuse beyond this many bytes are destroyed. */
const POOL_LIMIT = 512 * 2 ** 20;

export class BufferPool {
  private nextId = 0;
  private readonly free = new Map<number, number[]>();
  /** bytes of every GPU buffer created and not destroyed (live + pooled) */
  gpuBytes = 0;
  pooledBytes = 0;
  liveBuffers = 0;
  liveBytes = 0;

  constructor(private readonly channel: () => Channel) {}

  /** A buffer number of at least `bytes` bytes, recycled when one of its class is free. */
  acquire(bytes: number): { id: number; sizeClass: number } {
    const size = sizeClass(bytes);
    const list = this.free.get(size);
    this.liveBuffers++;
    this.liveBytes += size;
    if (list && list.length > 0) {
      this.pooledBytes -= size;
      return { id: list.pop()!, sizeClass: size };
    }
    const id = this.nextId++;
    this.channel().send({ op: 'create', id, bytes: size });
    this.gpuBytes += size;
    return { id, sizeClass: size };
  }

  release(id: number, size: number): void {
    this.liveBuffers--;
    this.liveBytes -= size;
    if (this.pooledBytes + size > POOL_LIMIT) {
      this.channel().send({ op: 'destroy', id });
      this.gpuBytes -= size;
      return;
    }
    let list = this.free.get(size);
    if (!list) this.free.set(size, (list = []));
    list.push(id);
    this.pooledBytes += size;
  }
}
