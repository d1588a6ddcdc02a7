/**
 * The wasm backend's element-wise, reduction, movement and selection kernels (a part of
 * WasmBackend, backend.ts): the fast paths of ops.ts and hot_ops.ts where they exist; the
 * movement and selection ops run the reference loops from heap views straight into the heap.
 */
import type { ArgReduceOp, BinaryOp, DataId, DType, RaggedPartitionType, ReduceOp, TensorInfo, TypedArray, UnaryOp }
  from '../types.js';
import { bytesPerElement, sizeFromShape } from '../shape_util.js';
import { binaryKernel, whereKernel } from '../js/elementwise.js';
import { argReduceKernel } from '../js/reduce.js';
import { concatKernel, padKernel, reverseKernel, stridedSliceKernel, transposeKernel } from '../js/movement.js';
import { bincountKernel, cumulativeKernel, searchSortedKernel, topKKernel } from '../js/scan.js';
import { WasmBackendCore } from './backend_core.js';

/** dtypes whose heap storage is one plain typed array element per value (not complex, not string) */
const VIEWED: ReadonlySet<DType> = new Set<DType>(['float32', 'float64', 'int32', 'bool']);

export abstract class WasmTensorKernels extends WasmBackendCore {
  // ---- kernels: fast paths in ops.ts where they exist, the reference otherwise ----

  unary(op: UnaryOp, x: TensorInfo, outDtype: DType): DataId {
    return this.ops.unary(op, x, outDtype) ?? this.reference('unary', op, x, outDtype);
  }
  binary(op: BinaryOp, a: TensorInfo, b: TensorInfo, outShape: readonly number[], outDtype: DType): DataId {
    const fast = this.ops.binary(op, a, b, outShape, outDtype);
    if (fast !== null) return fast;
    // js overhead area (issue 18): int32, bool and float64 operands (the accuracy metric's equal
    // on labels, every batch) run the reference loop from heap views straight into the heap, as
    // the movement kernels do: before, each went through two copies into js buffers and one back
    if (VIEWED.has(a.dtype) && VIEWED.has(b.dtype) && VIEWED.has(outDtype)) {
      return this.throughViews(outDtype, outShape, (out, view) =>
        binaryKernel(op, view(a.dataId), a.shape, view(b.dataId), b.shape, out, outShape));
    }
    return this.reference('binary', op, a, b, outShape, outDtype);
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
    const total = sizeFromShape(size);
    const out = this.allocate(x.dtype, total);
    const esz = bytesPerElement(x.dtype);
    const from0 = this.buffer(x.dataId).ptr / esz, to0 = out.ptr / esz;
    const strideOf = shape.map((_, d) => sizeFromShape(shape.slice(d + 1)));
    const at = new Array<number>(Math.max(axis, 0)).fill(0);
    for (let o = 0; o < total; o += run) {
      let start = axis >= 0 ? begin[axis] * strideOf[axis] : 0;
      for (let d = 0; d < at.length; d++) start += (begin[d] + at[d]) * strideOf[d];
      this.moveRun(esz, from0 + start, to0 + o, run);
      // the next run: an odometer over the dimensions before `axis`
      for (let d = at.length - 1; d >= 0 && ++at[d] === size[d]; d--) at[d] = 0;
    }
    return out;
  }
  /**
   * Moves n elements of `esz` bytes from element index `from` to `to` of the heap's one view of
   * that width: no view object per run (recurrent area: a subarray and a set per 128-value run
   * of the GRU's record cost 8% of its training step); runs under 16 values word by word.
   */
  private moveRun(esz: number, from: number, to: number, n: number): void {
    const mem = this.mem;
    const v = esz === 4 ? mem.i32 : esz === 8 ? mem.f64 : mem.u8;
    if (n < 16) for (let k = 0; k < n; k++) v[to + k] = v[from + k];
    else v.copyWithin(to, from, from + n);
  }
  pad(x: TensorInfo, paddings: readonly (readonly [number, number])[], constantValue: number): DataId {
    return this.throughViews(x.dtype, x.shape.map((d, i) => d + paddings[i][0] + paddings[i][1]), (out, view) =>
      padKernel(view(x.dataId), x.shape, paddings, constantValue, out));
  }
  concat(xs: readonly TensorInfo[], axis: number): DataId {
    const outShape = [...xs[0].shape];
    outShape[axis] = xs.reduce((sum, x) => sum + x.shape[axis], 0);
    if (!VIEWED.has(xs[0].dtype)) {
      return this.throughViews(xs[0].dtype, outShape, (out, view) =>
        concatKernel(xs.map((x) => ({ values: view(x.dataId), shape: x.shape })), axis, out));
    }
    // each input's rows moved within the heap (as the unit-step slice above)
    const out = this.allocate(xs[0].dtype, sizeFromShape(outShape));
    const esz = bytesPerElement(xs[0].dtype);
    const outer = sizeFromShape(outShape.slice(0, axis));
    const chunks = xs.map((x) => sizeFromShape(x.shape.slice(axis)));
    const from0 = xs.map((x) => this.buffer(x.dataId).ptr / esz);
    let to = out.ptr / esz;
    for (let o = 0; o < outer; o++) {
      for (let t = 0; t < xs.length; t++) {
        this.moveRun(esz, from0[t] + o * chunks[t], to, chunks[t]);
        to += chunks[t];
      }
    }
    return out;
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
      if (inner < 16) {
        // js overhead area (issue 18): short blocks (a batch of labels, narrow rows) word by word;
        // a copyWithin call per block cost more than its copy
        for (let o = 0; o < outer; o++) {
          for (let i = 0; i < count; i++) {
            const from = from0 + (o * dim + index[i]) * inner, to = to0 + (o * count + i) * inner;
            for (let k = 0; k < inner; k++) words[to + k] = words[from + k];
          }
        }
        return out;
      }
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
    // along the first axis (an embedding's or a gather's gradient) it is scatterND adding rows
    // named by one index each, which has a wasm kernel (adds in the same order, so the same sums)
    const n = sizeFromShape(indices.shape);
    const fast = axis === 0 ? this.hot.scatterND({ ...indices, shape: [n, 1] }, updates, shape, null, 'add') : null;
    return fast ?? this.reference('scatterAdd', updates, indices, axis, shape);
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
    // the copies made so far copied again, doubling: log2(reps) calls rather than reps (a
    // broadcast of [64, 1, 100] to [64, 78, 100] made 77 small copies per row)
    const once = shape[d] * outBlock[d + 1], total = once * reps[d];
    for (let done = once; done < total; done *= 2) {
      dst.copyWithin(outOff + done, outOff, outOff + Math.min(done, total - done));
    }
  };
  fill(0, 0, 0);

}
