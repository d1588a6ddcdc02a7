/**
 * The fast backend: tensors live in one WebAssembly.Memory, the heavy kernels are AssemblyScript
 * compiled to 128-bit SIMD wasm (`assembly/`), and large ones run on every core (pool.ts).
 *
 * Kernels this backend does not have in wasm yet (other dtypes, rare ops) run the reference
 * kernels over views of the heap and copy the result in: slower, never wrong, and the property
 * tests compare every fast path with the reference. The movement and selection ops (transpose,
 * pad, concat, reverse, strided slices, where, argMax/argMin) run the reference loops from heap
 * views straight into the heap.
 */
import type {
  ArgReduceOp, Backend, BinaryOp, Conv2DInfo, DataId, DType, MemoryInfo, ReduceOp, TensorInfo,
  TypedArray, UnaryOp,
} from '../types.js';
import { bytesPerElement, complexPartDtype, isComplexDtype, sizeFromShape } from '../shape_util.js';
import { JsBackend } from '../js/backend.js';
import { whereKernel } from '../js/elementwise.js';
import { argReduceKernel } from '../js/reduce.js';
import { concatKernel, padKernel, reverseKernel, stridedSliceKernel, transposeKernel } from '../js/movement.js';
import { Heap } from './heap.js';
import { cores, loadKernelsSync, type KernelModule } from './module.js';
import { Pool, MAX_CHUNKS } from './pool.js';
import { ThreadPolicy } from './thread_policy.js';
import type { Conv3DInfo } from '../types.js'; // conv3d area
import { VolumeOps } from './volume_ops.js'; // conv3d area
import type { RaggedPartitionType } from '../types.js'; // ragged area
import { WasmOps, TASK_RMSPROP, TASK_SGD_MOMENTUM } from './ops.js';
import { FusedOps } from './fused_ops.js';
import { HotOps } from './hot_ops.js';
import { RecurrentOps } from './recurrent_ops.js'; // recurrent area
import { DenseOps } from './dense_ops.js'; // mlp speed area
import type { RecurrentActivation } from '../types.js'; // recurrent area
import { bincountKernel, cumulativeKernel, searchSortedKernel, topKKernel } from '../js/scan.js';

/** The optional kernels: no reference fallback here, their callers compose ops instead. */
type OptionalKernel = 'adamUpdate' | 'sgdRmspropUpdate' | 'fusedMatMul' | 'fusedConv2d' | 'softmax' | 'reluGrad' |
  'dropoutMask' | 'softmaxCrossEntropy' | 'softmaxCrossEntropyGrad' | 'batchNorm' | 'batchNormGrad' | 'lstmCell' |
  'batchNormRelu' | 'batchNormReluGrad' | // resnet speed area
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

export class WasmBackend implements Backend {
  readonly name = 'wasm';
  readonly collectsGarbage = false;
  readonly k: KernelModule;
  readonly heap: Heap;
  readonly ops: WasmOps;
  readonly fused: FusedOps;
  /** mlp speed area: the dense layer's backward prologue (dense_ops.ts) */
  readonly dense: DenseOps;
  /** image, scan, top-k and N-dimensional gather/scatter kernels (hot_ops.ts) */
  readonly hot: HotOps;
  readonly recurrent: RecurrentOps; // recurrent area
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

  constructor(threads = defaultThreads()) {
    this.k = preloaded ?? loadKernelsSync();
    this.heap = new Heap(this.k.memory, this.k.exports.heapBase());
    this.gemmScratch = (this.k.exports.GEMM_SCRATCH as WebAssembly.Global).value as number;
    this.gemmTileRows = (this.k.exports.MR as WebAssembly.Global).value as number;
    this.argsPtr = this.heap.alloc(512);
    this.pool = this.makePool(threads);
    this.ops = new WasmOps(this);
    this.fused = new FusedOps(this);
    this.hot = new HotOps(this);
    this.recurrent = new RecurrentOps(this);
    this.dense = new DenseOps(this); // mlp speed area
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
    if (!this.views || this.views.version !== this.heap.version || this.views.u8.buffer !== this.k.memory.buffer) {
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
    const buf = this.k.memory.buffer;
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
  private throughViews(dtype: DType, shape: readonly number[],
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

  private reference<K extends Exclude<keyof Backend, OptionalKernel>>(kernel: K, ...params: unknown[]): DataId {
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

  // ---- kernels: fast paths in ops.ts where they exist, the reference otherwise ----

  unary(op: UnaryOp, x: TensorInfo, outDtype: DType): DataId {
    return this.ops.unary(op, x, outDtype) ?? this.reference('unary', op, x, outDtype);
  }
  binary(op: BinaryOp, a: TensorInfo, b: TensorInfo, outShape: readonly number[], outDtype: DType): DataId {
    return this.ops.binary(op, a, b, outShape, outDtype) ?? this.reference('binary', op, a, b, outShape, outDtype);
  }
  where(cond: TensorInfo, a: TensorInfo, b: TensorInfo, outShape: readonly number[]): DataId {
    return this.throughViews(a.dtype, outShape, (out, view) =>
      whereKernel(view(cond.dataId), cond.shape, view(a.dataId), a.shape, view(b.dataId), b.shape, out, outShape));
  }
  cast(x: TensorInfo, dtype: DType): DataId {
    return this.ops.cast(x, dtype);
  }
  reduce(op: ReduceOp, x: TensorInfo, axes: readonly number[], outDtype: DType): DataId {
    return this.ops.reduce(op, x, axes, outDtype) ?? this.reference('reduce', op, x, axes, outDtype);
  }
  argReduce(op: ArgReduceOp, x: TensorInfo, axis: number): DataId {
    return this.throughViews('int32', x.shape.filter((_, i) => i !== axis), (out, view) =>
      argReduceKernel(op, view(x.dataId), x.shape, axis, out as Int32Array));
  }
  matMul(a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean, outBatch: readonly number[]): DataId {
    return this.ops.matMul(a, b, transposeA, transposeB, outBatch) ??
      this.reference('matMul', a, b, transposeA, transposeB, outBatch);
  }
  transpose(x: TensorInfo, perm: readonly number[]): DataId {
    return this.throughViews(x.dtype, perm.map((p) => x.shape[p]), (out, view) =>
      transposeKernel(view(x.dataId), x.shape, perm, out));
  }
  stridedSlice(x: TensorInfo, begin: readonly number[], size: readonly number[], strides: readonly number[]): DataId {
    if (strides.some((s) => s !== 1)) {
      return this.throughViews(x.dtype, size, (out, view) =>
        stridedSliceKernel(view(x.dataId), x.shape, begin, size, strides, out));
    }
    // unit steps: the slice is runs of contiguous elements (a batch of rows is one run), copied
    // within the heap instead of out to JavaScript and back
    const shape = x.shape;
    let axis = shape.length - 1;
    while (axis >= 0 && size[axis] === shape[axis]) axis--;
    const inner = sizeFromShape(shape.slice(axis + 1));
    const run = axis >= 0 ? size[axis] * inner : inner;
    const out = this.allocate(x.dtype, sizeFromShape(size));
    const src = this.view(x.dataId), dst = this.view(out);
    const strideOf = shape.map((_, d) => sizeFromShape(shape.slice(d + 1)));
    const at = new Array<number>(Math.max(axis, 0)).fill(0);
    for (let o = 0; o < dst.length; o += run) {
      let start = axis >= 0 ? begin[axis] * strideOf[axis] : 0;
      for (let d = 0; d < at.length; d++) start += (begin[d] + at[d]) * strideOf[d];
      dst.set(src.subarray(start, start + run), o);
      // the next run: an odometer over the dimensions before `axis`
      for (let d = at.length - 1; d >= 0 && ++at[d] === size[d]; d--) at[d] = 0;
    }
    return out;
  }
  pad(x: TensorInfo, paddings: readonly (readonly [number, number])[], constantValue: number): DataId {
    return this.throughViews(x.dtype, x.shape.map((d, i) => d + paddings[i][0] + paddings[i][1]), (out, view) =>
      padKernel(view(x.dataId), x.shape, paddings, constantValue, out));
  }
  concat(xs: readonly TensorInfo[], axis: number): DataId {
    const outShape = [...xs[0].shape];
    outShape[axis] = xs.reduce((sum, x) => sum + x.shape[axis], 0);
    return this.throughViews(xs[0].dtype, outShape, (out, view) =>
      concatKernel(xs.map((x) => ({ values: view(x.dataId), shape: x.shape })), axis, out));
  }
  gather(x: TensorInfo, indices: TensorInfo, axis: number): DataId {
    // blocks of x.shape[axis+1:] elements copied within the heap (a shuffled batch: no JS copy)
    const idx = this.view(indices.dataId);
    const outer = sizeFromShape(x.shape.slice(0, axis));
    const inner = sizeFromShape(x.shape.slice(axis + 1));
    const dim = x.shape[axis];
    for (let i = 0; i < idx.length; i++) {
      if (!(idx[i] >= 0 && idx[i] < dim)) return this.reference('gather', x, indices, axis);
    }
    const out = this.allocate(x.dtype, outer * idx.length * inner);
    if (x.dtype === 'float32' || x.dtype === 'int32') {
      // (speed area) words moved within the heap's one view: no view object per block
      const words = this.mem.i32, index = this.view(indices.dataId);
      const from0 = this.buffer(x.dataId).ptr >> 2, to0 = out.ptr >> 2, count = index.length;
      for (let o = 0; o < outer; o++) {
        for (let i = 0; i < count; i++) {
          const from = from0 + (o * dim + index[i]) * inner;
          words.copyWithin(to0 + (o * count + i) * inner, from, from + inner);
        }
      }
      return out;
    }
    const src = this.view(x.dataId);
    const dst = this.view(out);
    const index = this.view(indices.dataId);
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < index.length; i++) {
        const from = (o * dim + index[i]) * inner;
        dst.set(src.subarray(from, from + inner), (o * index.length + i) * inner);
      }
    }
    return out;
  }
  scatterAdd(updates: TensorInfo, indices: TensorInfo, axis: number, shape: readonly number[]): DataId {
    return this.reference('scatterAdd', updates, indices, axis, shape);
  }
  tile(x: TensorInfo, reps: readonly number[]): DataId {
    const outShape = x.shape.map((d, i) => d * reps[i]);
    const out = this.allocate(x.dtype, sizeFromShape(outShape));
    const dst = this.view(out);
    const src = this.view(x.dataId);
    if (src.length === 1) dst.fill(src[0]);
    else if (dst.length > 0) tileInto(src, x.shape, reps, dst);
    return out;
  }
  reverse(x: TensorInfo, axes: readonly number[]): DataId {
    return this.throughViews(x.dtype, x.shape, (out, view) => reverseKernel(view(x.dataId), x.shape, axes, out));
  }
  conv2d(x: TensorInfo, filter: TensorInfo, info: Conv2DInfo): DataId {
    return this.ops.conv2d(x, filter, info) ?? this.reference('conv2d', x, filter, info);
  }
  conv2dBackpropInput(dy: TensorInfo, filter: TensorInfo, info: Conv2DInfo): DataId {
    return this.ops.conv2dBackpropInput(dy, filter, info) ?? this.reference('conv2dBackpropInput', dy, filter, info);
  }
  conv2dBackpropFilter(x: TensorInfo, dy: TensorInfo, info: Conv2DInfo): DataId {
    return this.ops.conv2dBackpropFilter(x, dy, info) ?? this.reference('conv2dBackpropFilter', x, dy, info);
  }
  depthwiseConv2d(x: TensorInfo, filter: TensorInfo, info: Conv2DInfo): DataId {
    return this.fused.depthwiseConv2d(x, filter, info) ?? this.reference('depthwiseConv2d', x, filter, info);
  }
  depthwiseConv2dBackpropInput(dy: TensorInfo, filter: TensorInfo, info: Conv2DInfo): DataId {
    return this.fused.depthwiseConv2dBackpropInput(dy, filter, info) ??
      this.reference('depthwiseConv2dBackpropInput', dy, filter, info);
  }
  depthwiseConv2dBackpropFilter(x: TensorInfo, dy: TensorInfo, info: Conv2DInfo): DataId {
    return this.fused.depthwiseConv2dBackpropFilter(x, dy, info) ??
      this.reference('depthwiseConv2dBackpropFilter', x, dy, info);
  }
  dropoutMask(n: number, state: Int32Array, threshold: number, scale: number): DataId | null {
    return this.ops.dropoutMask(n, state, threshold, scale);
  }
  reluGrad(dy: TensorInfo, y: TensorInfo): DataId | null {
    return this.ops.reluGrad(dy, y);
  }
  // ---- mlp speed area ----
  denseActGrad(dy: TensorInfo, y: TensorInfo, relu: boolean): { dz: DataId | null; db: DataId } | null {
    return this.dense.denseActGrad(dy, y, relu);
  }
  softmax(logits: TensorInfo): DataId | null {
    return this.fused.softmax(logits);
  }
  softmaxCrossEntropy(logits: TensorInfo, labels: TensorInfo): { loss: DataId; softmax: DataId } | null {
    return this.fused.softmaxCrossEntropy(logits, labels);
  }
  softmaxCrossEntropyGrad(softmax: TensorInfo, labels: TensorInfo, dLoss: TensorInfo): DataId | null {
    return this.fused.softmaxCrossEntropyGrad(softmax, labels, dLoss);
  }
  batchNorm(x: TensorInfo, stats: { mean: TensorInfo; variance: TensorInfo } | null, scale: TensorInfo | null,
            offset: TensorInfo | null, epsilon: number): { y: DataId; mean: DataId | null; variance: DataId | null } | null {
    return this.fused.batchNorm(x, stats, scale, offset, epsilon);
  }
  batchNormGrad(dy: TensorInfo, x: TensorInfo, mean: TensorInfo, variance: TensorInfo, scale: TensorInfo | null,
                epsilon: number): { dx: DataId; dScale: DataId; dOffset: DataId } | null {
    return this.fused.batchNormGrad(dy, x, mean, variance, scale, epsilon);
  }
  // ---- resnet speed area ----
  batchNormRelu(x: TensorInfo, stats: { mean: TensorInfo; variance: TensorInfo } | null, scale: TensorInfo | null,
                offset: TensorInfo | null, epsilon: number): { y: DataId; mean: DataId | null; variance: DataId | null } | null {
    return this.fused.batchNorm(x, stats, scale, offset, epsilon, true);
  }
  batchNormReluGrad(dy: TensorInfo, x: TensorInfo, y: TensorInfo, mean: TensorInfo, variance: TensorInfo,
                    scale: TensorInfo | null, epsilon: number): { dx: DataId; dScale: DataId; dOffset: DataId } | null {
    return this.fused.batchNormGrad(dy, x, mean, variance, scale, epsilon, y);
  }
  lstmCell(z: TensorInfo, c: TensorInfo): DataId | null {
    return this.fused.lstmCell(z, c);
  }
  lstmCellGrad(z: TensorInfo, c: TensorInfo, dhc: TensorInfo): { dz: DataId; dc: DataId } | null {
    return this.fused.lstmCellGrad(z, c, dhc);
  }
  fusedConv2d(x: TensorInfo, filter: TensorInfo, info: Conv2DInfo, bias: TensorInfo | null,
              activation: 'linear' | 'relu'): DataId | null {
    if (bias && bias.dtype !== 'float32') return null;
    return this.ops.conv2d(x, filter, info, bias ? this.buffer(bias.dataId).ptr : 0, activation === 'relu' ? 1 : 0);
  }
  fusedMatMul(a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean,
              bias: TensorInfo | null, activation: 'linear' | 'relu'): DataId | null {
    if (bias && bias.dtype !== 'float32') return null;
    return this.ops.matMul(a, b, transposeA, transposeB, [], bias ? this.buffer(bias.dataId).ptr : 0,
      activation === 'relu' ? 1 : 0);
  }
  adamUpdate(p: TensorInfo, g: TensorInfo, m: TensorInfo, v: TensorInfo,
             alpha: number, beta1: number, beta2: number, epsilon: number): DataId | null {
    return this.ops.adamUpdate(p, g, m, v, alpha, beta1, beta2, epsilon);
  }
  sgdRmspropUpdate(kind: 'sgdMomentum' | 'rmsprop', p: TensorInfo, g: TensorInfo, s: TensorInfo,
                   lr: number, a: number, b: number): DataId | null {
    return this.ops.optimizerStep(kind === 'rmsprop' ? TASK_RMSPROP : TASK_SGD_MOMENTUM, [p, g, s, s], [lr, a, b]);
  }
  maxPool(x: TensorInfo, info: Conv2DInfo): DataId {
    return this.ops.maxPool(x, info) ?? this.reference('maxPool', x, info);
  }
  maxPoolBackprop(dy: TensorInfo, x: TensorInfo, info: Conv2DInfo): DataId {
    return this.ops.maxPoolBackprop(dy, x, info) ?? this.reference('maxPoolBackprop', dy, x, info);
  }
  avgPool(x: TensorInfo, info: Conv2DInfo): DataId {
    return this.ops.avgPool(x, info) ?? this.reference('avgPool', x, info);
  }
  avgPoolBackprop(dy: TensorInfo, info: Conv2DInfo): DataId {
    return this.ops.avgPoolBackprop(dy, info) ?? this.reference('avgPoolBackprop', dy, info);
  }
  // ---- image (tf.image): wasm kernels (hot_ops.ts), the reference for the dtypes they skip ----
  resizeBilinear(x: TensorInfo, outH: number, outW: number, alignCorners: boolean, halfPixelCenters: boolean): DataId {
    return this.hot.resizeBilinear(x, outH, outW, alignCorners, halfPixelCenters) ??
      this.reference('resizeBilinear', x, outH, outW, alignCorners, halfPixelCenters);
  }
  resizeBilinearGrad(dy: TensorInfo, inShape: readonly number[], alignCorners: boolean, halfPixelCenters: boolean): DataId {
    return this.hot.resizeBilinearGrad(dy, inShape, alignCorners, halfPixelCenters) ??
      this.reference('resizeBilinearGrad', dy, inShape, alignCorners, halfPixelCenters);
  }
  resizeNearestNeighbor(x: TensorInfo, outH: number, outW: number, alignCorners: boolean, halfPixelCenters: boolean): DataId {
    return this.hot.resizeNearestNeighbor(x, outH, outW, alignCorners, halfPixelCenters) ??
      this.reference('resizeNearestNeighbor', x, outH, outW, alignCorners, halfPixelCenters);
  }
  resizeNearestNeighborGrad(dy: TensorInfo, inShape: readonly number[], alignCorners: boolean,
                            halfPixelCenters: boolean): DataId {
    return this.hot.resizeNearestNeighborGrad(dy, inShape, alignCorners, halfPixelCenters) ??
      this.reference('resizeNearestNeighborGrad', dy, inShape, alignCorners, halfPixelCenters);
  }
  cropAndResize(image: TensorInfo, boxes: TensorInfo, boxInd: TensorInfo, cropH: number, cropW: number,
                method: 'bilinear' | 'nearest', extrapolationValue: number): DataId {
    return this.hot.cropAndResize(image, boxes, boxInd, cropH, cropW, method, extrapolationValue) ??
      this.reference('cropAndResize', image, boxes, boxInd, cropH, cropW, method, extrapolationValue);
  }
  cropAndResizeGradImage(dy: TensorInfo, boxes: TensorInfo, boxInd: TensorInfo, imageShape: readonly number[],
                         method: 'bilinear' | 'nearest'): DataId {
    return this.hot.cropAndResizeGradImage(dy, boxes, boxInd, imageShape, method) ??
      this.reference('cropAndResizeGradImage', dy, boxes, boxInd, imageShape, method);
  }
  transform(image: TensorInfo, transforms: TensorInfo, interpolation: 'nearest' | 'bilinear',
            fillMode: 'constant' | 'reflect' | 'wrap' | 'nearest', fillValue: number, outH: number, outW: number): DataId {
    return this.reference('transform', image, transforms, interpolation, fillMode, fillValue, outH, outW);
  }
  rotateWithOffset(image: TensorInfo, radians: number, fillValue: number | readonly number[],
                   center: number | readonly number[]): DataId {
    return this.reference('rotateWithOffset', image, radians, fillValue, center);
  }

  // ---- math area (issue 16): wasm kernels for float32 and int32 scans and top-k; the reference
  // loops over heap views, straight into the heap, for the other dtypes and the rarer ops ----
  cumulative(op: 'sum' | 'prod', x: TensorInfo, axis: number, exclusive: boolean, reverse: boolean,
             outDtype: DType): DataId {
    return this.hot.cumulative(op, x, axis, exclusive, reverse, outDtype) ??
      this.throughViews(outDtype, x.shape, (out, view) =>
        cumulativeKernel(op, view(x.dataId), x.shape, axis, exclusive, reverse, out));
  }
  topK(x: TensorInfo, k: number, sorted: boolean): { values: DataId; indices: DataId } {
    const fast = this.hot.topK(x, k, sorted);
    if (fast) return fast;
    const n = sizeFromShape([...x.shape.slice(0, -1), k]);
    const values = this.allocate(x.dtype, n);
    const indices = this.allocate('int32', n);
    // views after both allocations: an allocation may grow (and detach) the heap
    topKKernel(this.view(x.dataId), x.shape, k, sorted, this.view(values), this.view(indices) as Int32Array);
    return { values, indices };
  }
  searchSorted(sorted: TensorInfo, values: TensorInfo, side: 'left' | 'right'): DataId {
    const [rows, n] = sorted.shape;
    const m = values.shape[1];
    return this.throughViews('int32', [rows, m], (out, view) =>
      searchSortedKernel(view(sorted.dataId), rows, n, view(values.dataId), m, side, out as Int32Array));
  }
  bincount(x: TensorInfo, weights: TensorInfo | null, size: number, binary: boolean, outDtype: DType): DataId {
    const rows = x.shape.length === 2 ? x.shape[0] : 1;
    const cols = x.shape[x.shape.length - 1];
    return this.throughViews(outDtype, x.shape.length === 2 ? [rows, size] : [size], (out, view) => {
      out.fill(0);
      bincountKernel(view(x.dataId), rows, cols, weights && view(weights.dataId), size, binary, out);
    });
  }

  // ---- movement (issue 16): N-dimensional gather and scatter, wasm kernels (hot_ops.ts) ----

  gatherND(x: TensorInfo, indices: TensorInfo): DataId {
    return this.hot.gatherND(x, indices) ?? this.reference('gatherND', x, indices);
  }
  scatterND(indices: TensorInfo, updates: TensorInfo, shape: readonly number[], base: TensorInfo | null,
            mode: 'add' | 'update'): DataId {
    return this.hot.scatterND(indices, updates, shape, base, mode) ??
      this.reference('scatterND', indices, updates, shape, base, mode);
  }

  // ---- conv3d area: float32 runs the wasm kernels (volume_ops.ts); other dtypes (float64 in
  // gradient checks, int32 pooling) the reference kernels over heap views ----
  private volumeOps: VolumeOps | null = null;
  private get volume(): VolumeOps {
    return (this.volumeOps ??= new VolumeOps(this));
  }
  conv3d(x: TensorInfo, filter: TensorInfo, info: Conv3DInfo): DataId {
    return this.volume.conv3d(x, filter, info) ?? this.reference('conv3d', x, filter, info);
  }
  conv3dBackpropInput(dy: TensorInfo, filter: TensorInfo, info: Conv3DInfo): DataId {
    return this.volume.conv3dBackpropInput(dy, filter, info) ?? this.reference('conv3dBackpropInput', dy, filter, info);
  }
  conv3dBackpropFilter(x: TensorInfo, dy: TensorInfo, info: Conv3DInfo): DataId {
    return this.volume.conv3dBackpropFilter(x, dy, info) ?? this.reference('conv3dBackpropFilter', x, dy, info);
  }
  maxPool3d(x: TensorInfo, info: Conv3DInfo): DataId {
    return this.volume.maxPool3d(x, info) ?? this.reference('maxPool3d', x, info);
  }
  maxPool3dBackprop(dy: TensorInfo, x: TensorInfo, info: Conv3DInfo): DataId {
    return this.volume.maxPool3dBackprop(dy, x, info) ?? this.reference('maxPool3dBackprop', dy, x, info);
  }
  avgPool3d(x: TensorInfo, info: Conv3DInfo): DataId {
    return this.volume.avgPool3d(x, info) ?? this.reference('avgPool3d', x, info);
  }
  avgPool3dBackprop(dy: TensorInfo, info: Conv3DInfo): DataId {
    return this.volume.avgPool3dBackprop(dy, info) ?? this.reference('avgPool3dBackprop', dy, info);
  }
  maxPoolArgmax(x: TensorInfo, info: Conv2DInfo, includeBatchInIndex: boolean): DataId {
    return this.reference('maxPoolArgmax', x, info, includeBatchInIndex);
  }
  dilation2d(x: TensorInfo, filter: TensorInfo, info: Conv2DInfo): DataId {
    return this.reference('dilation2d', x, filter, info);
  }
  dilation2dBackpropInput(dy: TensorInfo, x: TensorInfo, filter: TensorInfo, info: Conv2DInfo): DataId {
    return this.reference('dilation2dBackpropInput', dy, x, filter, info);
  }
  dilation2dBackpropFilter(dy: TensorInfo, x: TensorInfo, filter: TensorInfo, info: Conv2DInfo): DataId {
    return this.reference('dilation2dBackpropFilter', dy, x, filter, info);
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

  // ---- complex area (issue 16): the reference kernels ----
  complexMul(a: TensorInfo, b: TensorInfo, outShape: readonly number[]): DataId {
    return this.reference('complexMul', a, b, outShape);
  }
  complexAbs(x: TensorInfo): DataId {
    return this.reference('complexAbs', x);
  }
  fft(x: TensorInfo, inverse: boolean): DataId {
    return this.reference('fft', x, inverse);
  }
  // ---- ragged area: the reference kernel over heap views ----
  raggedTensorToTensor(values: TensorInfo, defaultValue: TensorInfo, partitions: readonly TensorInfo[],
    partitionTypes: readonly RaggedPartitionType[], firstDimSize: number, outShape: readonly number[]): DataId {
    return this.reference('raggedTensorToTensor', values, defaultValue, partitions, partitionTypes, firstDimSize, outShape);
  }

  // ---- recurrent area: whole-sequence LSTM, SimpleRNN and GRU ----
  lstmSequence(xProj: TensorInfo, h0: TensorInfo, c0: TensorInfo, recurrentKernel: TensorInfo,
    mask: TensorInfo | null, dropMask: TensorInfo | null = null): DataId {
    return this.recurrent.lstmSequence(xProj, h0, c0, recurrentKernel, mask, dropMask) ??
      this.reference('lstmSequence', xProj, h0, c0, recurrentKernel, mask, dropMask);
  }

  lstmSequenceGrad(record: TensorInfo, c0: TensorInfo, recurrentKernel: TensorInfo, mask: TensorInfo | null,
    dRecord: TensorInfo, dropMask: TensorInfo | null = null): DataId {
    return this.recurrent.lstmSequenceGrad(record, c0, recurrentKernel, mask, dRecord, dropMask) ??
      this.reference('lstmSequenceGrad', record, c0, recurrentKernel, mask, dRecord, dropMask);
  }

  simpleRnnSequence(xProj: TensorInfo, h0: TensorInfo, recurrentKernel: TensorInfo, mask: TensorInfo | null,
    dropMask: TensorInfo | null, activation: RecurrentActivation): DataId {
    return this.recurrent.simpleRnnSequence(xProj, h0, recurrentKernel, mask, dropMask, activation) ??
      this.reference('simpleRnnSequence', xProj, h0, recurrentKernel, mask, dropMask, activation);
  }

  simpleRnnSequenceGrad(record: TensorInfo, recurrentKernel: TensorInfo, mask: TensorInfo | null,
    dropMask: TensorInfo | null, dRecord: TensorInfo, activation: RecurrentActivation): DataId {
    return this.recurrent.simpleRnnSequenceGrad(record, recurrentKernel, mask, dropMask, dRecord, activation) ??
      this.reference('simpleRnnSequenceGrad', record, recurrentKernel, mask, dropMask, dRecord, activation);
  }

  gruSequence(xProj: TensorInfo, h0: TensorInfo, recurrentKernel: TensorInfo, recurrentBias: TensorInfo | null,
    mask: TensorInfo | null, dropMask: TensorInfo | null, resetAfter: boolean): DataId {
    return this.recurrent.gruSequence(xProj, h0, recurrentKernel, recurrentBias, mask, dropMask, resetAfter) ??
      this.reference('gruSequence', xProj, h0, recurrentKernel, recurrentBias, mask, dropMask, resetAfter);
  }

  gruSequenceGrad(record: TensorInfo, h0: TensorInfo, recurrentKernel: TensorInfo, mask: TensorInfo | null,
    dropMask: TensorInfo | null, dRecord: TensorInfo, resetAfter: boolean): DataId {
    return this.recurrent.gruSequenceGrad(record, h0, recurrentKernel, mask, dropMask, dRecord, resetAfter) ??
      this.reference('gruSequenceGrad', record, h0, recurrentKernel, mask, dropMask, dRecord, resetAfter);
  }
}

/**
 * Tiles by blocks: each axis' first copy is built from the inner axes, then repeated with
 * copyWithin, so a broadcast costs a few large memory copies instead of an index per element.
 */
function tileInto(src: TypedArray, shape: readonly number[], reps: readonly number[], dst: TypedArray): void {
  const rank = shape.length;
  const inBlock = new Array<number>(rank + 1).fill(1);
  const outBlock = new Array<number>(rank + 1).fill(1);
  for (let d = rank - 1; d >= 0; d--) {
    inBlock[d] = inBlock[d + 1] * shape[d];
    outBlock[d] = outBlock[d + 1] * shape[d] * reps[d];
  }
  const fill = (d: number, inOff: number, outOff: number): void => {
    if (d === rank) {
      dst[outOff] = src[inOff];
      return;
    }
    if (d === rank - 1) {
      dst.set(src.subarray(inOff, inOff + shape[d]), outOff);
    } else {
      for (let i = 0; i < shape[d]; i++) fill(d + 1, inOff + i * inBlock[d + 1], outOff + i * outBlock[d + 1]);
    }
    const once = shape[d] * outBlock[d + 1];
    for (let r = 1; r < reps[d]; r++) dst.copyWithin(outOff + r * once, outOff, outOff + once);
  };
  fill(0, 0, 0);

}

function isInfo(p: unknown): p is TensorInfo {
  return typeof p === 'object' && p !== null && 'dataId' in p && 'shape' in p;
}

function dtypeOf(values: TypedArray): DType {
  if (values instanceof Float32Array) return 'float32';
  if (values instanceof Float64Array) return 'float64';
  if (values instanceof Int32Array) return 'int32';
  return 'bool';
}

