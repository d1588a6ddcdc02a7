/**
 * The wasm backend's allocator: blocks of one WebAssembly.Memory handed out by size class.
 *
 * Training allocates the same few sizes every step, so freed blocks go to a free list per size
 * class and are reused exactly; memory is grown when no block fits and never given back, which
 * keeps the resident size flat once the first step has run. Blocks are 64-byte aligned (a cache
 * line, and more than SIMD needs).
 */

const ALIGN = 64;
const PAGE = 65536;

/** The size class a request of `bytes` goes to: powers of two up to 64 KiB, then steps of 1/8. */
export function sizeClass(bytes: number): number {
  const n = Math.max(ALIGN, Math.ceil(bytes / ALIGN) * ALIGN);
  // js overhead area (issue 18): integer bit tricks below 2^30 bytes (two calls per tensor, at
  // alloc and release); the same classes as sizeClassByLog (test/backend/wasm_heap_class.test.ts)
  if (n < 2 ** 30) {
    if (n <= 65536) return 1 << (32 - Math.clz32(n - 1));
    const step = 1 << (28 - Math.clz32(n));
    return Math.ceil(n / step) * step;
  }
  return sizeClassByLog(n);
}

/** The size classes by logarithms, for any size (the reference the bit tricks above must match). */
export function sizeClassByLog(bytes: number): number {
  const n = Math.max(ALIGN, Math.ceil(bytes / ALIGN) * ALIGN);
  if (n <= 65536) return 2 ** Math.ceil(Math.log2(n));
  const step = 2 ** (Math.floor(Math.log2(n)) - 3);
  return Math.ceil(n / step) * step;
}

export class Heap {
  private readonly free = new Map<number, number[]>();
  private top: number;
  /** bytes in blocks handed out and not yet freed */
  liveBytes = 0;
  liveBlocks = 0;
  /** grows when memory.grow() replaced the buffer, so cached views know to refresh */
  version = 0;
  /** the memory's length when `version` last changed */
  private seenBytes: number;

  constructor(readonly memory: WebAssembly.Memory, base: number) {
    this.top = Math.ceil(base / ALIGN) * ALIGN;
    this.seenBytes = memory.buffer.byteLength;
  }

  /** Byte offset of a block of at least `bytes` bytes (contents undefined). */
  alloc(bytes: number): number {
    const size = sizeClass(bytes);
    const list = this.free.get(size);
    this.liveBytes += size;
    this.liveBlocks++;
    if (list && list.length > 0) return list.pop()!;
    const ptr = this.top;
    this.top += size;
    this.ensure(this.top);
    return ptr;
  }

  release(ptr: number, bytes: number): void {
    const size = sizeClass(bytes);
    let list = this.free.get(size);
    if (!list) this.free.set(size, (list = []));
    list.push(ptr);
    this.liveBytes -= size;
    this.liveBlocks--;
  }

  /** Makes sure the memory reaches byte `end`. */
  ensure(end: number): void {
    const have = this.memory.buffer.byteLength;
    // js overhead area (issue 18): cached views follow `version` only, so a memory grown by
    // anyone (another heap on the same kernels) counts as a change once this heap reaches past it
    if (have !== this.seenBytes) {
      this.seenBytes = have;
      this.version++;
    }
    if (end <= have) return;
    const pages = Math.ceil((end - have) / PAGE);
    try {
      this.memory.grow(Math.max(pages, Math.ceil(have / PAGE / 8)));
    } catch {
      try {
        this.memory.grow(pages);
      } catch {
        throw new Error(`wasm backend: out of memory: asked for ${(end / 2 ** 20).toFixed(0)} MiB of wasm heap, ` +
          `the limit is ${(have / 2 ** 20).toFixed(0)} MiB; free tensors with dispose()/tidy() or use smaller batches`);
      }
    }
    this.seenBytes = this.memory.buffer.byteLength;
    this.version++;
  }

  /** Bytes of memory the heap has taken from the system so far. */
  get reservedBytes(): number {
    return this.top;
  }
}
