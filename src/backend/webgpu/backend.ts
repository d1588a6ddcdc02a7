/**
 * The webgpu backend: tensors live in GPU buffers, ops are WGSL kernels, and a chain of ops never
 * copies through JavaScript; values cross only when read (`data()`, or `dataSync()` where the
 * platform can wait: Node, whose GPU runs in a worker, see device.ts).
 *
 * Kernels here: element-wise ops from one table (elementwise.ts), casts, where, the relu
 * gradient, reductions and arg-reductions over any axes, softmax and the fused softmax
 * cross-entropy (reduce.ts), transpose, slices, pad, reverse, tile, concat and gather
 * (movement.ts); matMul, the fused matMul/conv2d epilogues, conv2d and its gradients, depthwise
 * conv2d and its gradients, max/avg pooling and their gradients (heavy.ts); Adam, SGD with
 * momentum and RMSprop updating their state in place (optim.ts); batch normalisation, training and
 * inference, and its gradients (batchnorm.ts); dropout masks from the js generator's draws
 * (random.ts); scatterAdd, gather's gradient (scatter.ts); the LSTM, GRU and SimpleRNN sequence
 * kernels and their back propagation through time (recurrent.ts). Every other kernel, and
 * float64/complex/string storage, runs the reference (js) kernel on the values read back, and is
 * named once on the console and in `fallbacks()`.
 */
import type {
  ArgReduceOp, Backend, BinaryOp, DataId, DType, MemoryInfo, ReduceOp, TensorInfo, TypedArray, UnaryOp,
} from '../types.js';
import { computeStrides, dtypeOf, isInfo, sizeFromShape } from '../shape_util.js';
import { JsBackend } from '../js/backend.js';
import { GpuData, BufferPool } from './buffers.js';
import { openChannel, type Channel } from './device.js';
import {
  binaryExpression, broadcastOffset, elementFrame, grid, load, storageType, store, unaryExpression, type Compute,
} from './elementwise.js';
import {
  argReduceSource, reduceSource, rowGrid, softmaxCrossEntropyGradSource, softmaxCrossEntropySource, softmaxSource,
} from './reduce.js';
import { concatPartSource, gatherSource, indexMapSource, literal, transposeMaps, type AxisMap } from './movement.js';
import type { WgslKernel } from './kernels/gemm.js';
import { heavyKernels, type HeavyKernels } from './heavy.js';
import { optimizerKernels } from './optim.js';
// ---- recurrent area (gpurnn): the LSTM / GRU / SimpleRNN sequence kernels ----
import { recurrentKernels } from './recurrent.js';
// ---- issue 19, batch norm and dropout on the GPU ----
import { batchNormKernels } from './batchnorm.js';
import { randomKernels } from './random.js';
import { scatterKernels } from './scatter.js';

const onGpu = (dtype: DType): boolean => storageType(dtype) !== null;

export class WebGpuBackend implements Backend {
  readonly name = 'webgpu';
  readonly collectsGarbage = false;
  /**
   * Reading values waits for the GPU: fit then sums each batch's loss and metrics here and reads
   * them only when a callback or the epoch's end asks for numbers (train/fit.ts, readsEveryBatch).
   */
  readonly deferredReads = true;
  /** values copied back from the GPU so far (sync and async reads, fallback inputs): st.memory().readbacks */
  private readbacks = 0;
  private channel: Channel | null = null;
  private opening: Promise<void> | null = null;
  readonly pool = new BufferPool(() => this.ch());
  private readonly js = new JsBackend();
  /** WGSL source -> pipeline key; the source crosses to the executor the first time only */
  private readonly keys = new Map<string, string>();
  private readonly fallen = new Set<string>();

  /** Opens the GPU once; rejects with the plain reason when there is none. */
  ready(): Promise<void> | undefined {
    if (this.channel) return undefined;
    this.opening ??= openChannel().then((c) => { this.channel = c; }, (e: Error) => {
      this.opening = null;
      throw new Error(`the webgpu backend cannot start: ${e.message}`);
    });
    return this.opening;
  }

  /** The adapter in words, once ready. */
  get adapter(): string | null {
    return this.channel?.adapter ?? null;
  }

  private ch(): Channel {
    if (!this.channel) throw new Error('the webgpu backend is not ready: `await st.setBackend(\'webgpu\')` first');
    return this.channel;
  }

  /** The kernels that ran on the CPU as a fallback so far, each once. */
  fallbacks(): readonly string[] {
    return [...this.fallen];
  }

  get pipelines(): number {
    return this.keys.size;
  }

  // ---- storage ----

  private data(dataId: DataId): GpuData {
    if (!(dataId instanceof GpuData)) throw new Error(`webgpu backend: got a buffer of the "${dataId.backendName}" backend`);
    if (!dataId.live) throw new Error('Tensor is disposed: its data was freed by dispose()');
    return dataId;
  }

  /** A new GPU buffer for `length` elements of `dtype` (float32, int32 or bool). */
  private alloc(dtype: DType, length: number): GpuData {
    const { id, sizeClass } = this.pool.acquire(length * 4);
    return new GpuData(id, sizeClass, length, dtype, null);
  }

  /** A new float32 GPU buffer of `length` elements (for the kernels of heavy.ts and optim.ts). */
  allocFloat32(length: number): GpuData {
    return this.alloc('float32', length);
  }

  /** A new GPU buffer of `length` elements of `dtype` (float32, int32 or bool: scatter.ts). */
  allocFor(dtype: DType, length: number): GpuData {
    return this.alloc(dtype, length);
  }

  write(values: TypedArray, dtype: DType): DataId {
    if (!onGpu(dtype)) return new GpuData(-1, 0, values.length, dtype, values);
    const out = this.alloc(dtype, values.length);
    out.cpu = values;
    const words = dtype === 'bool' ? Uint32Array.from(values as Uint8Array)
      : (values as Float32Array).slice(); // a copy: the executor may get it later (Node batches)
    this.ch().send({ op: 'write', id: out.id, data: words.buffer as ArrayBuffer });
    return out;
  }

  private fromBytes(d: GpuData, bytes: ArrayBuffer): TypedArray {
    if (d.dtype === 'bool') return Uint8Array.from(new Uint32Array(bytes));
    return d.dtype === 'int32' ? new Int32Array(bytes) : new Float32Array(bytes);
  }

  read(dataId: DataId): TypedArray {
    const d = this.data(dataId);
    if (d.strings) throw new Error('webgpu backend: this buffer holds a string tensor, which has no numeric values');
    if (d.cpu) return d.cpu;
    const sync = this.ch().readSync;
    if (!sync) {
      throw new Error('webgpu backend: this tensor\'s values are on the GPU and this platform cannot wait for them ' +
        'synchronously: use `await t.data()` (or `await t.array()`) instead of dataSync()/arraySync()');
    }
    this.readbacks++;
    d.cpu = this.fromBytes(d, sync(d.id, d.length * 4));
    return d.cpu;
  }

  async readAsync(dataId: DataId): Promise<TypedArray> {
    const d = this.data(dataId);
    if (d.cpu || d.strings) return this.read(d);
    this.readbacks++;
    const bytes = await this.ch().read(d.id, d.length * 4);
    if (!d.live) throw new Error('Tensor is disposed: its data was freed while it was being read');
    d.cpu ??= this.fromBytes(d, bytes);
    return d.cpu;
  }

  incRef(dataId: DataId): void {
    this.data(dataId).refs++;
  }

  decRef(dataId: DataId): void {
    const d = dataId as GpuData;
    if (!d.live || --d.refs > 0) return;
    d.live = false;
    d.cpu = null;
    d.strings = null;
    if (d.id >= 0) this.pool.release(d.id, d.sizeClass);
  }

  isLive(dataId: DataId): boolean {
    return (dataId as GpuData).live;
  }

  /**
   * numBytes: bytes of live GPU buffers (size classes); gpuBytes adds the free ones kept for reuse;
   * readbacks: how many times values were copied back from the GPU (a training loop that keeps
   * the GPU busy adds none per batch).
   */
  memory(): MemoryInfo & { gpuBytes: number; pooledBytes: number; readbacks: number } {
    return { numBuffers: this.pool.liveBuffers, numBytes: this.pool.liveBytes, gpuBytes: this.pool.gpuBytes,
      pooledBytes: this.pool.pooledBytes, readbacks: this.readbacks };
  }

  writeStrings(values: Uint8Array[]): DataId {
    return new GpuData(-1, 0, values.length, 'string', null, values);
  }

  readStrings(dataId: DataId): readonly Uint8Array[] {
    const d = this.data(dataId);
    if (!d.strings) throw new Error('webgpu backend: this buffer holds numbers, not a string tensor');
    return d.strings;
  }

  // ---- running kernels ----

  /** Dispatches WGSL `code` over `buffers` (bound in order), with a uniform block when given. */
  run(code: string, buffers: readonly GpuData[], dispatch: [number, number, number], uniforms?: ArrayBuffer): void {
    let key = this.keys.get(code);
    const first = key === undefined;
    if (first) this.keys.set(code, (key = `k${this.keys.size}`));
    this.ch().send({ op: 'run', key: key!, code: first ? code : '', buffers: buffers.map((b) => this.data(b).id),
      uniforms: uniforms ?? null, dispatch });
  }

  /**
   * A kernel of kernels/ (inputs bound in its order, then a new float32 output of its
   * outputSize, then its uniforms), its pipeline cached under the kernel's key.
   */
  runKernel(kernel: WgslKernel, inputs: readonly TensorInfo[]): GpuData {
    const out = this.alloc('float32', kernel.outputSize);
    if (kernel.outputSize === 0) return out;
    const name = `kernel:${kernel.key}`;
    let key = this.keys.get(name);
    const first = key === undefined;
    if (first) this.keys.set(name, (key = `k${this.keys.size}`));
    this.ch().send({ op: 'run', key: key!, code: first ? kernel.code : '',
      buffers: [...inputs.map((x) => this.data(x.dataId).id), out.id], uniforms: kernel.uniforms, dispatch: kernel.workgroups });
    return out;
  }

  /**
   * The reference kernel on values read back, its result uploaded. Arguments that are
   * TensorInfos (or lists of them) are passed as the reference backend's buffers.
   */
  reference(kernel: string, label: string, ...params: unknown[]): DataId {
    this.noteFallback(label);
    const temporaries: DataId[] = [];
    const toJs = (p: unknown): unknown => {
      if (Array.isArray(p) && p.length > 0 && isInfo(p[0])) return p.map(toJs);
      if (!isInfo(p)) return p;
      const d = this.data(p.dataId);
      const dataId = d.strings ? this.js.writeStrings(d.strings) : this.js.write(this.readFor(d, label), p.dtype);
      temporaries.push(dataId);
      return { dataId, shape: p.shape, dtype: p.dtype };
    };
    const fn = (this.js as unknown as Record<string, (...a: unknown[]) => unknown>)[kernel];
    const result = fn.apply(this.js, params.map(toJs));
    const out = this.adopt(result as DataId);
    for (const id of temporaries) this.js.decRef(id);
    return out;
  }

  /** A reference backend's result moved here (its values uploaded), and released there. */
  adopt(result: DataId): DataId {
    let out: DataId;
    try {
      out = this.write(this.js.read(result), dtypeOf(this.js.read(result)));
    } catch {
      out = this.writeStrings(this.js.readStrings(result).slice());
    }
    this.js.decRef(result);
    return out;
  }

  /** Values of an input of a fallback kernel, with the kernel named when they cannot be had. */
  private readFor(d: GpuData, label: string): TypedArray {
    try {
      return this.read(d);
    } catch (e) {
      throw new Error(`webgpu backend: ${label} has no GPU kernel yet and runs on the CPU; ${(e as Error).message}`);
    }
  }

  noteFallback(label: string): void {
    if (this.fallen.has(label)) return;
    this.fallen.add(label);
    console.warn(`striate: webgpu has no GPU kernel for ${label}; it runs the reference kernel on the CPU ` +
      '(st.backendReport() lists these)');
  }

  // ---- element-wise ----

  unary(op: UnaryOp, x: TensorInfo, outDtype: DType): DataId {
    if (!onGpu(x.dtype) || !onGpu(outDtype)) return this.reference('unary', `unary ${op} (${x.dtype})`, op, x, outDtype);
    const compute: Compute = x.dtype !== 'float32' && outDtype !== 'float32' && unaryExpression(op, 'i32') ? 'i32' : 'f32';
    const n = sizeFromShape(x.shape);
    const out = this.alloc(outDtype, n);
    if (n === 0) return out;
    this.run(elementFrame(`@group(0) @binding(0) var<storage, read> X: array<${storageType(x.dtype)}>;
@group(0) @binding(1) var<storage, read_write> Y: array<${storageType(outDtype)}>;
struct U { n: u32 }
@group(0) @binding(2) var<uniform> u: U;`, `  let x = ${load('X[i]', x.dtype, compute)};
  Y[i] = ${store(keepNaN(op, compute), compute, outDtype)};`, 'u.n'), [this.data(x.dataId), out], grid(n),
    new Uint32Array([n, 0, 0, 0]).buffer);
    return out;
  }

  binary(op: BinaryOp, a: TensorInfo, b: TensorInfo, outShape: readonly number[], outDtype: DType): DataId {
    const ints = a.dtype !== 'float32' && b.dtype !== 'float32' && outDtype !== 'float32';
    const compute: Compute = ints && binaryExpression(op, 'i32') ? 'i32' : 'f32';
    const expr = binaryExpression(op, compute);
    if (!onGpu(a.dtype) || !onGpu(b.dtype) || !onGpu(outDtype) || !expr) {
      return this.reference('binary', `binary ${op} (${a.dtype}, ${b.dtype})`, op, a, b, outShape, outDtype);
    }
    return this.broadcastKernel([a, b], outShape, outDtype,
      `  let a = ${load('A[oa]', a.dtype, compute)};\n  let b = ${load('B[ob]', b.dtype, compute)};\n` +
      `  Y[i] = ${store(expr, compute, outDtype)};`);
  }

  /**
   * One thread per element of `outShape`; input k is bound as A, B, C... and its broadcast offset
   * is `oa`, `ob`, `oc`...; `body` assigns Y[i].
   */
  private broadcastKernel(inputs: readonly TensorInfo[], outShape: readonly number[], outDtype: DType, body: string): DataId {
    const n = sizeFromShape(outShape);
    const out = this.alloc(outDtype, n);
    if (n === 0) return out;
    const names = ['A', 'B', 'C'];
    const decl = inputs.map((x, k) =>
      `@group(0) @binding(${k}) var<storage, read> ${names[k]}: array<${storageType(x.dtype)}>;`).join('\n');
    const offsets = inputs.map((x, k) => `  let o${names[k].toLowerCase()} = ${broadcastOffset(x.shape, outShape).expr};`);
    this.run(elementFrame(`${decl}
@group(0) @binding(${inputs.length}) var<storage, read_write> Y: array<${storageType(outDtype)}>;
struct U { n: u32 }
@group(0) @binding(${inputs.length + 1}) var<uniform> u: U;`, `${offsets.join('\n')}\n${body}`, 'u.n'),
    [...inputs.map((x) => this.data(x.dataId)), out], grid(n), new Uint32Array([n, 0, 0, 0]).buffer);
    return out;
  }

  where(cond: TensorInfo, a: TensorInfo, b: TensorInfo, outShape: readonly number[]): DataId {
    if (!onGpu(cond.dtype) || !onGpu(a.dtype) || a.dtype !== b.dtype) {
      return this.reference('where', `where (${a.dtype})`, cond, a, b, outShape);
    }
    const zero = literal(0, storageType(cond.dtype)!);
    return this.broadcastKernel([cond, a, b], outShape, a.dtype, `  Y[i] = select(C[oc], B[ob], A[oa] != ${zero});`);
  }

  reluGrad(dy: TensorInfo, y: TensorInfo): DataId | null {
    if (dy.dtype !== 'float32' || y.dtype !== 'float32') return null;
    // dy * 0 where y <= 0 keeps a NaN of dy, as the composed ops do
    return this.broadcastKernel([dy, y], dy.shape, 'float32', '  Y[i] = select(A[oa] * 0.0, A[oa], B[ob] > 0.0);');
  }

  cast(x: TensorInfo, dtype: DType): DataId {
    if (!onGpu(x.dtype) || !onGpu(dtype)) return this.reference('cast', `cast ${x.dtype} -> ${dtype}`, x, dtype);
    const n = sizeFromShape(x.shape);
    if (x.dtype === dtype) {
      const out = this.alloc(dtype, n);
      this.ch().send({ op: 'copy', src: this.data(x.dataId).id, dst: out.id, bytes: n * 4 });
      return out;
    }
    // float -> int truncates toward zero (WGSL's conversion), anything -> bool is "nonzero"
    const compute: Compute = x.dtype === 'float32' ? 'f32' : 'i32';
    return this.broadcastKernel([x], x.shape, dtype, `  Y[i] = ${store(load('A[oa]', x.dtype, compute), compute, dtype)};`);
  }

  // ---- reductions ----

  reduce(op: ReduceOp, x: TensorInfo, axes: readonly number[], outDtype: DType): DataId {
    const src = onGpu(x.dtype) && onGpu(outDtype) ? reduceSource(op, x.shape, x.dtype, axes, outDtype) : null;
    if (!src) return this.reference('reduce', `reduce ${op} (${x.dtype}${sizeFromShape(x.shape) === 0 ? ', empty' : ''})`,
      op, x, axes, outDtype);
    const out = this.alloc(outDtype, src.outputs);
    if (src.outputs > 0) this.run(src.code, [this.data(x.dataId), out], rowGrid(src.outputs));
    return out;
  }

  argReduce(op: ArgReduceOp, x: TensorInfo, axis: number): DataId {
    if (!onGpu(x.dtype) || x.dtype === 'bool' || x.shape[axis] === 0) {
      return this.reference('argReduce', `${op} (${x.dtype})`, op, x, axis);
    }
    const src = argReduceSource(op, x.shape, x.dtype, axis);
    const out = this.alloc('int32', src.outputs);
    if (src.outputs > 0) this.run(src.code, [this.data(x.dataId), out], rowGrid(src.outputs));
    return out;
  }

  softmax(logits: TensorInfo): DataId | null {
    if (logits.dtype !== 'float32' || logits.shape.length !== 2 || logits.shape[1] === 0) return null;
    const [rows, k] = logits.shape;
    const out = this.alloc('float32', rows * k);
    if (rows > 0) this.run(softmaxSource(rows, k), [this.data(logits.dataId), out], rowGrid(rows));
    return out;
  }

  softmaxCrossEntropy(logits: TensorInfo, labels: TensorInfo): { loss: DataId; softmax: DataId } | null {
    if (logits.dtype !== 'float32' || logits.shape.length !== 2 || logits.shape[1] === 0) return null;
    const sparse = labels.dtype === 'int32';
    if (!sparse && labels.dtype !== 'float32') return null;
    const [rows, k] = logits.shape;
    const softmax = this.alloc('float32', rows * k);
    const loss = this.alloc('float32', rows);
    if (rows > 0) {
      this.run(softmaxCrossEntropySource(rows, k, sparse), [this.data(logits.dataId), this.data(labels.dataId), softmax, loss],
        rowGrid(rows));
    }
    return { loss, softmax };
  }

  softmaxCrossEntropyGrad(softmax: TensorInfo, labels: TensorInfo, dLoss: TensorInfo): DataId | null {
    const sparse = labels.dtype === 'int32';
    if (softmax.dtype !== 'float32' || dLoss.dtype !== 'float32' || (!sparse && labels.dtype !== 'float32')) return null;
    const [rows, k] = softmax.shape;
    const out = this.alloc('float32', rows * k);
    if (rows > 0 && k > 0) {
      this.run(softmaxCrossEntropyGradSource(rows, k, sparse),
        [this.data(softmax.dataId), this.data(labels.dataId), this.data(dLoss.dataId), out], rowGrid(rows));
    }
    return out;
  }

  // ---- movement ----

  private indexMap(x: TensorInfo, outShape: readonly number[], maps: readonly AxisMap[], fill = 0): DataId {
    const n = sizeFromShape(outShape);
    const out = this.alloc(x.dtype, n);
    if (n > 0) this.run(indexMapSource(x.dtype, outShape, maps, fill), [this.data(x.dataId), out], grid(n));
    return out;
  }

  transpose(x: TensorInfo, perm: readonly number[]): DataId {
    if (!onGpu(x.dtype)) return this.reference('transpose', `transpose (${x.dtype})`, x, perm);
    return this.indexMap(x, perm.map((p) => x.shape[p]), transposeMaps(x.shape, perm));
  }

  stridedSlice(x: TensorInfo, begin: readonly number[], size: readonly number[], strides: readonly number[]): DataId {
    if (!onGpu(x.dtype)) return this.reference('stridedSlice', `stridedSlice (${x.dtype})`, x, begin, size, strides);
    const st = computeStrides(x.shape);
    return this.indexMap(x, size, size.map((_, d) => ({ kind: 'linear', stride: st[d], start: begin[d], step: strides[d] })));
  }

  reverse(x: TensorInfo, axes: readonly number[]): DataId {
    if (!onGpu(x.dtype)) return this.reference('reverse', `reverse (${x.dtype})`, x, axes);
    const st = computeStrides(x.shape);
    return this.indexMap(x, x.shape, x.shape.map((n, d) => axes.includes(d)
      ? { kind: 'linear', stride: st[d], start: n - 1, step: -1 } : { kind: 'linear', stride: st[d], start: 0, step: 1 }));
  }

  tile(x: TensorInfo, reps: readonly number[]): DataId {
    if (!onGpu(x.dtype)) return this.reference('tile', `tile (${x.dtype})`, x, reps);
    const st = computeStrides(x.shape);
    return this.indexMap(x, x.shape.map((d, i) => d * reps[i]), x.shape.map((n, d) => ({ kind: 'wrap', stride: st[d], n })));
  }

  pad(x: TensorInfo, paddings: readonly (readonly [number, number])[], constantValue: number): DataId {
    if (!onGpu(x.dtype) || !Number.isFinite(constantValue)) {
      return this.reference('pad', `pad (${x.dtype}${Number.isFinite(constantValue) ? '' : ', non-finite fill'})`, x, paddings, constantValue);
    }
    const st = computeStrides(x.shape);
    return this.indexMap(x, x.shape.map((d, i) => d + paddings[i][0] + paddings[i][1]),
      x.shape.map((n, d) => ({ kind: 'pad', stride: st[d], before: paddings[d][0], n })), constantValue);
  }

  concat(xs: readonly TensorInfo[], axis: number): DataId {
    if (!onGpu(xs[0].dtype)) return this.reference('concat', `concat (${xs[0].dtype})`, xs, axis);
    const outShape = [...xs[0].shape];
    outShape[axis] = xs.reduce((s, x) => s + x.shape[axis], 0);
    const inner = sizeFromShape(outShape.slice(axis + 1));
    const out = this.alloc(xs[0].dtype, sizeFromShape(outShape));
    let offset = 0;
    for (const x of xs) {
      const n = sizeFromShape(x.shape);
      if (n > 0) {
        this.run(concatPartSource(x.dtype, n, x.shape[axis] * inner, outShape[axis] * inner, offset * inner),
          [this.data(x.dataId), out], grid(n));
      }
      offset += x.shape[axis];
    }
    return out;
  }

  gather(x: TensorInfo, indices: TensorInfo, axis: number): DataId {
    if (!onGpu(x.dtype) || indices.dtype !== 'int32') return this.reference('gather', `gather (${x.dtype})`, x, indices, axis);
    const outer = sizeFromShape(x.shape.slice(0, axis));
    const inner = sizeFromShape(x.shape.slice(axis + 1));
    const m = sizeFromShape(indices.shape);
    const n = outer * m * inner;
    const out = this.alloc(x.dtype, n);
    if (n > 0) {
      this.run(gatherSource(x.dtype, outer, x.shape[axis], m, inner), [this.data(x.dataId), this.data(indices.dataId), out],
        grid(n));
    }
    return out;
  }

  // ---- multi-output kernels without a GPU kernel yet ----

  topK(x: TensorInfo, k: number, sorted: boolean): { values: DataId; indices: DataId } {
    this.noteFallback('topK');
    const xs = this.js.write(this.readFor(this.data(x.dataId), 'topK'), x.dtype);
    const r = this.js.topK({ dataId: xs, shape: x.shape, dtype: x.dtype }, k, sorted);
    this.js.decRef(xs);
    return { values: this.adopt(r.values), indices: this.adopt(r.indices) };
  }
}

/**
 * The kernels with no GPU implementation yet: each runs the reference kernel after a readback.
 * (GEMM, convolutions, depthwise and pooling: heavy.ts, on the generators of kernels/.)
 */
const FALLBACK = [
  'resizeBilinear', 'resizeBilinearGrad', 'resizeNearestNeighbor', 'resizeNearestNeighborGrad',
  'cropAndResize', 'cropAndResizeGradImage', 'transform', 'rotateWithOffset', 'cumulative', 'searchSorted',
  'bincount', 'gatherND', 'scatterND', 'conv3d', 'conv3dBackpropInput', 'conv3dBackpropFilter', 'maxPool3d',
  'maxPool3dBackprop', 'avgPool3d', 'avgPool3dBackprop', 'maxPoolArgmax', 'dilation2d', 'dilation2dBackpropInput',
  'dilation2dBackpropFilter', 'complexMul', 'complexAbs', 'fft', 'raggedTensorToTensor',
] as const;

type FallbackKernel = typeof FALLBACK[number];
// the class gets these methods from the loop below
// eslint-disable-next-line @typescript-eslint/no-empty-interface, @typescript-eslint/no-unsafe-declaration-merging
export interface WebGpuBackend extends Pick<Backend, FallbackKernel | RecurrentKernel>, HeavyKernels {
  adamUpdate: typeof optimizerKernels.adamUpdate;
  sgdRmspropUpdate: typeof optimizerKernels.sgdRmspropUpdate;
  batchNorm: typeof batchNormKernels.batchNorm;
  batchNormGrad: typeof batchNormKernels.batchNormGrad;
  dropoutMask: typeof randomKernels.dropoutMask;
  scatterAdd: typeof scatterKernels.scatterAdd;
}
for (const [name, fn] of [...Object.entries(heavyKernels), ...Object.entries(optimizerKernels),
  ...Object.entries(batchNormKernels), ...Object.entries(randomKernels), ...Object.entries(scatterKernels)]) {
  Object.defineProperty(WebGpuBackend.prototype, name, { value: fn, writable: true, configurable: true });
}
// ---- recurrent area (gpurnn): lstmSequence, gruSequence, simpleRnnSequence and their BPTT (recurrent.ts) ----
type RecurrentKernel = keyof typeof recurrentKernels;
for (const [name, fn] of Object.entries(recurrentKernels)) {
  Object.defineProperty(WebGpuBackend.prototype, name, { value: fn, writable: true, configurable: true });
}
// ---- end of recurrent area ----
for (const kernel of FALLBACK) {
  Object.defineProperty(WebGpuBackend.prototype, kernel, {
    value(this: WebGpuBackend, ...params: unknown[]): DataId {
      return this.reference(kernel, kernel, ...params);
    },
    writable: true,
    configurable: true,
  });
}

/**
 * A float unary expression that gives NaN for NaN, as the reference does: WGSL leaves NaN through
 * its built-in functions undefined (SwiftShader's exp(NaN) is infinity). The ops that test for
 * NaN, or map it to a truth value, keep their own answer.
 */
function keepNaN(op: UnaryOp, compute: Compute): string {
  const expr = unaryExpression(op, compute)!;
  if (compute !== 'f32' || op === 'isNaN' || op === 'isFinite' || op === 'isInf' || op === 'logicalNot') return expr;
  return `select(${expr}, x, isnan_(x))`;
}

