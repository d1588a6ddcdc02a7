/**
 * The wasm backend's core (WasmBackend in backend.ts is the whole class): the kernel module and
 * its heap, the thread pool and the task runner, tensor storage (numbers in the heap, strings on
 * the JavaScript side) and the reference fallback that the kernel families (backend_tensor.ts,
 * backend_conv.ts, backend.ts) use where they have no wasm kernel.
 */
import type { Backend, DataId, DType, MemoryInfo, TypedArray } from '../types.js';
import { bytesPerElement, complexPartDtype, dtypeOf, isComplexDtype, isInfo, sizeFromShape } from '../shape_util.js';
import { JsBackend } from '../js/backend.js';
import { Heap } from './heap.js';
import { cores, loadKernelsSync, type KernelModule } from './module.js';
import { Pool, MAX_CHUNKS } from './pool.js';
import { ThreadPolicy } from './thread_policy.js';
import type { WasmOps } from './ops.js';
import type { FusedOps } from './fused_ops.js';
import type { HotOps } from './hot_ops.js';

/** The optional kernels: no reference fallback here, their callers compose ops instead. */
type OptionalKernel = 'adamUpdate' | 'sgdRmspropUpdate' | 'fusedMatMul' | 'fusedConv2d' | 'softmax' | 'reluGrad' |
  'dropoutMask' | 'softmaxCrossEntropy' | 'softmaxCrossEntropyGrad' | 'batchNorm' | 'batchNormGrad' | 'lstmCell' |
  'batchNormRelu' | 'batchNormReluGrad' | // resnet speed area
  'batchNormAddRelu' | // bn speed area
  'denseActGrad' | // mlp speed area
  'lstmCellGrad' | 'ready' | 'readAsync' | 'fallbacks';

export class WasmBuffer implements DataId {
  readonly backendName = 'wasm';
  refs = 1;
  constructor(public ptr: number, readonly bytes: number, readonly length: number, readonly dtype: DType) {}
}

/** Per-thread scratch: the GEMM's packed panels plus a block of column-gradient rows (col2im). */
const COL_SCRATCH = 2 * 2 ** 20;

let preloaded: KernelModule | null = null;
let announced = false;

/** Lets a page hand over a module it fetched (the synchronous loader works in Node only). */
export function setPreloadedKernels(k: KernelModule): void {
  preloaded = k;
}

function measuredPolicyAsked(): boolean {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  return env?.STRIATE_WASM_THREAD_POLICY === 'measured';
}

export function defaultThreads(): number {
  return Math.max(1, Math.min(16, cores()));
}

export abstract class WasmBackendCore {
  readonly name = 'wasm';
  readonly collectsGarbage = false;
  readonly k: KernelModule;
  readonly heap: Heap;
  /** the kernel groups, made by WasmBackend's constructor (backend.ts) */
  abstract readonly ops: WasmOps;
  abstract readonly fused: FusedOps;
  /** image, scan, top-k and N-dimensional gather/scatter kernels (hot_ops.ts) */
  abstract readonly hot: HotOps;
  private pool: Pool;
  /**
   * Chooses per kind of task between the pool and the calling thread by measured time
   * (thread_policy.ts); null (the default): every task split for the pool goes there (the fixed
   * thresholds alone). Opt-in with `STRIATE_WASM_THREAD_POLICY=measured` or by assigning one:
   * on the loaded 2-core VM it did not beat the fixed thresholds in interleaved rounds
   * (bench/threads_ab.ts, docs/performance.md), so it stays off until a quiet run decides.
   */
  threadPolicy: ThreadPolicy | null = measuredPolicyAsked() ? new ThreadPolicy() : null;
  /** the kind choosePool just chose for, recorded by the next run() */
  private chosen: number | null = null;
  private readonly js = new JsBackend();
  private scratchBase = 0;
  private scratchThreads = 0;
  readonly gemmScratch: number;
  /** rows of the GEMM's register tile (MR in assembly/gemm.ts): 4 plain, 6 relaxed SIMD (gemm area, issue 18) */
  readonly gemmTileRows: number;
  /** a small area for task arguments: one task runs at a time */
  readonly argsPtr: number;
  private views: { version: number; f32: Float32Array; i32: Int32Array; u8: Uint8Array; f64: Float64Array } | null = null;

  constructor(threads: number) {
    this.k = preloaded ?? loadKernelsSync();
    this.heap = new Heap(this.k.memory, this.k.exports.heapBase());
    this.gemmScratch = (this.k.exports.GEMM_SCRATCH as WebAssembly.Global).value as number;
    this.gemmTileRows = (this.k.exports.MR as WebAssembly.Global).value as number;
    this.argsPtr = this.heap.alloc(512);
    this.pool = this.makePool(threads);
  }

  get threads(): number {
    return this.pool.threads;
  }

  get scratchBytes(): number {
    return Math.ceil((this.gemmScratch + COL_SCRATCH) / 64) * 64;
  }

  /** Rows of an im2col block that fit the per-thread column scratch. */
  colRows(k: number): number {
    return Math.floor(COL_SCRATCH / (k * 4));
  }

  private makePool(threads: number): Pool {
    if (!this.k.shared && threads > 1) {
      if (!announced) {
        console.warn('striate: SharedArrayBuffer is not available (the page is not cross-origin isolated), ' +
          'so the wasm backend runs on one thread');
        announced = true;
      }
      threads = 1;
    }
    if (threads > this.scratchThreads) {
      this.scratchBase = this.heap.alloc(threads * this.scratchBytes);
      this.scratchThreads = threads;
    }
    this.k.exports.init(this.scratchBase, this.scratchBytes);
    const control = this.heap.alloc(64);
    return new Pool(this.k.exports, this.k.memory, this.k.module, control, threads, this.scratchBase, this.scratchBytes);
  }

  setThreads(threads: number): void {
    if (!Number.isInteger(threads) || threads < 1) {
      throw new Error(`setNumThreads: expected a positive integer, got ${threads}`);
    }
    if (threads === this.pool.threads) return;
    this.pool.terminate();
    this.pool = this.makePool(threads);
    // what the old pool cost says nothing about the new one
    if (this.threadPolicy) this.threadPolicy = new ThreadPolicy();
  }

  /**
   * Runs a task: on every thread when `parallel`, else all chunks on this one. `work` (multiply-
   * adds or elements, 0 when the chunk count says enough) sorts the task into its kind for the
   * thread policy, which may keep a task that was split for the pool on this thread when the
   * pool has been slower for that kind (thread_policy.ts); the chunks, and so the bits, are the
   * same either way.
   */
  run(task: number, args: number, chunks: number, parallel: boolean, work = 0): void {
    if (chunks > MAX_CHUNKS) throw new Error(`wasm backend: internal: ${chunks} chunks`);
    const policy = this.threadPolicy;
    const chosen = this.chosen;
    if (chosen !== null) {
      // the wrapper asked choosePool first and split the task for that choice
      this.chosen = null;
      const t = performance.now();
      if (parallel) this.pool.run(task, args, chunks);
      else for (let i = 0; i < chunks; i++) this.k.exports.runTask(task, args, i, 0);
      policy?.record(chosen, parallel, performance.now() - t);
      return;
    }
    if (parallel && policy && chunks > 1 && this.pool.threads > 1) {
      const key = ThreadPolicy.key(task, work, chunks);
      const pooled = policy.choose(key);
      const t = performance.now();
      if (pooled) this.pool.run(task, args, chunks);
      else for (let i = 0; i < chunks; i++) this.k.exports.runTask(task, args, i, 0);
      policy.record(key, pooled, performance.now() - t);
      return;
    }
    if (parallel) this.pool.run(task, args, chunks);
    else for (let i = 0; i < chunks; i++) this.k.exports.runTask(task, args, i, 0);
  }

  /**
   * For a wrapper whose split depends on the choice and whose bits do not (the GEMM: each
   * element's sum runs in the same order for any split of C): whether a task of `task` with
   * `work` that the fixed thresholds send to the pool should go there. The next run() must be
   * that task, with `parallel` set to the answer; it records the time for the policy.
   */
  choosePool(task: number, work: number): boolean {
    const policy = this.threadPolicy;
    if (!policy || this.pool.threads === 1) return this.pool.threads > 1;
    const key = ThreadPolicy.key(task, work, 0);
    this.chosen = key;
    return policy.choose(key);
  }

  /** Drops a choosePool answer whose task will not run after all. */
  forgetChoice(): void {
    this.chosen = null;
  }

  /** The pool's dispatch counters (bench/step_trace.ts); zeros on one thread. */
  poolStats(): { dispatches: number; wakes: number; callerWaits: number } {
    return { ...this.pool.stats };
  }

  /** Typed views of the whole memory, renewed when it has grown. */
  get mem(): { f32: Float32Array; i32: Int32Array; u8: Uint8Array; f64: Float64Array } {
    // js overhead area (issue 18): the heap's version alone says when the memory may have grown
    // (Heap.ensure bumps it whenever the memory's length differs from the last it saw, whoever
    // grew it); reading memory.buffer on every call cost ~0.2 us, several times per op
    if (!this.views || this.views.version !== this.heap.version) {
      const buf = this.k.memory.buffer;
      this.views = {
        version: this.heap.version, f32: new Float32Array(buf), i32: new Int32Array(buf),
        u8: new Uint8Array(buf), f64: new Float64Array(buf),
      };
    }
    return this.views;
  }

  /** Writes i32 words at the argument area and returns its address. */
  args(words: readonly number[], at = 0): number {
    this.mem.i32.set(words, (this.argsPtr >> 2) + at);
    return this.argsPtr;
  }

  // ---- storage ----

  buffer(dataId: DataId): WasmBuffer {
    if (!(dataId instanceof WasmBuffer)) {
      throw new Error(`wasm backend: got a buffer of the "${dataId.backendName}" backend`);
    }
    if (dataId.ptr < 0) throw new Error('Tensor is disposed: its data was freed by dispose()');
    return dataId;
  }

  /** A new uninitialised buffer of `size` elements. */
  allocate(dtype: DType, size: number): WasmBuffer {
    // a complex element is two slots of its parts' dtype (complex area)
    if (isComplexDtype(dtype)) return this.allocate(complexPartDtype(dtype), 2 * size);
    const bytes = size * bytesPerElement(dtype);
    return new WasmBuffer(this.heap.alloc(bytes), bytes, size, dtype);
  }

  /** A typed view of a buffer's values (valid until the next allocation). */
  view(dataId: DataId): TypedArray {
    const b = this.buffer(dataId);
    const buf = this.mem.u8.buffer;
    switch (b.dtype) {
      case 'float32': return new Float32Array(buf, b.ptr, b.length);
      case 'float64': return new Float64Array(buf, b.ptr, b.length);
      case 'int32': return new Int32Array(buf, b.ptr, b.length);
      case 'bool': return new Uint8Array(buf, b.ptr, b.length);
      case 'string': throw new Error('wasm backend: this buffer holds a string tensor, which has no numeric values');
      // never stored: allocate() keeps complex tensors in slots of their parts' dtype
      default: throw new Error(`wasm backend: no storage of dtype ${b.dtype}`);
    }
  }

  write(values: TypedArray, dtype: DType): DataId {
    // `values` holds slots: a complex tensor's are its parts (complex area)
    const out = this.allocate(isComplexDtype(dtype) ? complexPartDtype(dtype) : dtype, values.length);
    (this.view(out) as Float32Array).set(values as Float32Array);
    return out;
  }

  read(dataId: DataId): TypedArray {
    return this.view(dataId);
  }

  incRef(dataId: DataId): void {
    this.buffer(dataId).refs++;
  }

  decRef(dataId: DataId): void {
    const b = dataId as WasmBuffer;
    if (b.ptr < 0) return;
    if (--b.refs > 0) return;
    if (b.dtype === 'string') return this.releaseStrings(b);
    this.heap.release(b.ptr, b.bytes);
    b.ptr = -1;
  }

  isLive(dataId: DataId): boolean {
    return (dataId as WasmBuffer).ptr >= 0;
  }

  memory(): MemoryInfo & { heapBytes: number } {
    return { numBuffers: this.heap.liveBlocks + this.strings.size, numBytes: this.heap.liveBytes + this.stringBytes,
      heapBytes: this.heap.reservedBytes };
  }

  /**
   * Runs the reference backend's kernel over views of the heap and copies its result in.
   * Arguments that are TensorInfos (or lists of them) are passed as views.
   */
  /**
   * A reference kernel run from heap views straight into a new heap buffer, for the movement and
   * selection ops that have no wasm kernel: the same loops, without the copy out to JavaScript
   * and back. The views are taken after the allocation, and the kernels allocate nothing.
   */
  protected throughViews(dtype: DType, shape: readonly number[],
                       fill: (out: TypedArray, view: (id: DataId) => TypedArray) => void): DataId {
    const out = this.allocate(dtype, sizeFromShape(shape));
    fill(this.view(out), (id) => this.view(id));
    return out;
  }

  /** kernels that ran the reference (webgpu area: st.backendReport() lists them) */
  private readonly fallen = new Set<string>();
  fallbacks(): readonly string[] {
    return [...this.fallen];
  }

  protected reference<K extends Exclude<keyof Backend, OptionalKernel>>(kernel: K, ...params: unknown[]): DataId {
    this.fallen.add(kernel);
    const temporaries: DataId[] = [];
    const toJs = (p: unknown): unknown => {
      if (Array.isArray(p) && p.length > 0 && isInfo(p[0])) return p.map(toJs);
      if (!isInfo(p)) return p;
      // a view, not a copy: the reference kernel reads it before anything is allocated here
      const dataId = this.js.write(this.view(p.dataId), p.dtype);
      temporaries.push(dataId);
      return { dataId, shape: p.shape, dtype: p.dtype };
    };
    const fn = this.js[kernel] as unknown as (...a: unknown[]) => DataId;
    const result = fn.apply(this.js, params.map(toJs));
    const values = this.js.read(result);
    const out = this.write(values, dtypeOf(values));
    // released now rather than by the js backend's FinalizationRegistry, which would keep them
    // alive through V8's young-generation collections
    for (const id of [...temporaries, result]) this.js.decRef(id);
    return out;
  }

  // ---- strings area (issue 16): string tensors stay on the JavaScript side ----
  // The heap holds numbers only, so a string buffer is a WasmBuffer with no heap block (ptr 0,
  // dtype 'string') whose byte strings live in this map until its last reference goes.
  private readonly strings = new Map<WasmBuffer, Uint8Array[]>();
  private stringBytes = 0;

  writeStrings(values: Uint8Array[]): DataId {
    let bytes = 0;
    for (const v of values) bytes += v.length;
    const b = new WasmBuffer(0, bytes, values.length, 'string');
    this.strings.set(b, values);
    this.stringBytes += bytes;
    return b;
  }

  readStrings(dataId: DataId): readonly Uint8Array[] {
    const values = this.strings.get(this.buffer(dataId));
    if (values === undefined) throw new Error('wasm backend: this buffer holds numbers, not a string tensor');
    return values;
  }

  private releaseStrings(b: WasmBuffer): void {
    this.strings.delete(b);
    this.stringBytes -= b.bytes;
    b.ptr = -1;
  }
}
