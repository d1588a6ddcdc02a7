/**
 * The wasm backend's image, scan, top-k and N-dimensional gather/scatter kernels
 * (assembly/image.ts and assembly/scan_gather.ts): each method returns the result's storage, or
 * null for a case the kernel does not cover, and the backend then runs the reference kernel
 * (for cumulative and topK: the reference loops over heap views, straight into the heap).
 *
 * Covered: resizeBilinear (float32 or int32 images), resizeNearestNeighbor (float32, int32,
 * float64, bool: a plain copy), the gradients of both (float32), cropAndResize and its image
 * gradient (float32 image, float32 boxes, int32 box indices), cumulative sums and products
 * (float32, int32; not a bool input's int32 counts), topK (float32, int32), gatherND (float32,
 * int32, float64, bool), scatterND (float32, int32, float64; bool in 'update' mode). float64
 * exists for gradient checks, where speed does not matter, so its arithmetic stays reference.
 */
import type { DataId, DType, TensorInfo } from '../types.js';
import { sizeFromShape, computeStrides } from '../shape_util.js';
import { bilinearAxis, nearestAxis } from '../js/image.js';
import { MAX_CHUNKS } from './pool.js';
import { KernelGroup, roundUp } from './kernel_group.js';

const TASK_RESIZE_BILINEAR_F32 = 70, TASK_RESIZE_BILINEAR_I32 = 71, TASK_RESIZE_BILINEAR_GRAD = 72;
const TASK_RESIZE_NEAREST = 73, TASK_RESIZE_NEAREST_GRAD = 74, TASK_CROP_RESIZE = 75, TASK_CROP_RESIZE_GRAD = 76;
const TASK_CUMULATIVE_F32 = 77, TASK_CUMULATIVE_I32 = 82, TASK_TOPK_F32 = 78, TASK_TOPK_I32 = 79, TASK_GATHER_ND = 80, TASK_SCATTER_ND = 81;

/** Inner positions whose f64 running totals one cumulative chunk keeps in its thread's scratch. */
const SCAN_BLOCK = 2048;
/** Most leading axes gatherND and scatterND index (the argument area holds their dims and strides). */
const MAX_DEPTH = 32;

const ELEM_BYTES: Partial<Record<DType, number>> = { float32: 4, int32: 4, float64: 8, bool: 1 };

/** A resize's sampling tables in the heap: f64 weights first (8-byte aligned), then i32 indices. */
interface Tables {
  ptr: number;
  bytes: number;
  words: number[];
}

export class HotOps extends KernelGroup {
  /** Chunks of `per` units out of `units`: all on this thread, or about `target` of them. */
  private split(units: number, parallel: boolean): { per: number; chunks: number } {
    const per = parallel ? Math.max(1, Math.ceil(units / this.target)) : Math.max(units, 1);
    return { per, chunks: Math.ceil(units / per) };
  }

  /** Channels per gradient chunk when chunks are (image, channel range): enough chunks for the pool. */
  private channelGroup(images: number, c: number, parallel: boolean): number {
    if (!parallel || images >= this.target) return c;
    const parts = Math.ceil(this.target / Math.max(images, 1));
    return Math.min(c, Math.max(4, roundUp(Math.ceil(c / parts), 4)));
  }

  private zero(out: { ptr: number }, bytes: number): void {
    this.b.mem.u8.fill(0, out.ptr, out.ptr + bytes);
  }

  /**
   * Writes the sampling tables of a resize from `inShape` [batch, h, w, c] to outH x outW, as the
   * reference computes them: the resize argument words 8-13 (rowLo rowHi rowFrac colLo colHi colFrac).
   */
  private tables(inH: number, inW: number, outH: number, outW: number, alignCorners: boolean,
                 halfPixelCenters: boolean, bilinear: boolean): Tables {
    const bytes = (outH + outW) * 16;
    const ptr = this.b.heap.alloc(bytes);
    const { f64, i32 } = this.b.mem;
    const rowFrac = ptr, colFrac = ptr + outH * 8;
    const rowLo = colFrac + outW * 8, rowHi = rowLo + outH * 4, colLo = rowHi + outH * 4, colHi = colLo + outW * 4;
    if (bilinear) {
      const rows = bilinearAxis(inH, outH, alignCorners, halfPixelCenters);
      const cols = bilinearAxis(inW, outW, alignCorners, halfPixelCenters);
      f64.set(rows.frac, rowFrac >> 3);
      f64.set(cols.frac, colFrac >> 3);
      i32.set(rows.lo, rowLo >> 2);
      i32.set(rows.hi, rowHi >> 2);
      i32.set(cols.lo, colLo >> 2);
      i32.set(cols.hi, colHi >> 2);
    } else {
      i32.set(nearestAxis(inH, outH, alignCorners, halfPixelCenters), rowLo >> 2);
      i32.set(nearestAxis(inW, outW, alignCorners, halfPixelCenters), colLo >> 2);
    }
    return { ptr, bytes, words: [rowLo, rowHi, rowFrac, colLo, colHi, colFrac] };
  }

  /**
   * A resize forward pass (chunks of output rows) or gradient (chunks of image and channel range):
   * args x out batch inH inW c outH outW | tables | per groupC elemBytes.
   */
  private resize(task: number, src: TensorInfo, inShape: readonly number[], outH: number, outW: number,
                 alignCorners: boolean, halfPixelCenters: boolean, outDtype: DType, grad: boolean): DataId | null {
    const [batch, inH, inW, c] = inShape;
    const outSize = batch * outH * outW * c;
    const out = this.b.allocate(outDtype, grad ? sizeFromShape(inShape) : outSize);
    const elemBytes = ELEM_BYTES[outDtype]!;
    if (outSize === 0 || sizeFromShape(inShape) === 0) {
      if (grad) {
        this.zero(out, out.bytes);
        return out;
      }
      // an empty image resized to a non-empty size: the reference decides what that reads
      if (outSize !== 0) {
        this.b.decRef(out);
        return null;
      }
      return out;
    }
    const parallel = this.parallel(outSize);
    let per = 0, chunks: number, groupC = c;
    if (grad) {
      groupC = this.channelGroup(batch, c, parallel);
      chunks = batch * Math.ceil(c / groupC);
      this.zero(out, out.bytes);
    } else {
      ({ per, chunks } = this.split(batch * outH, parallel));
    }
    if (chunks > MAX_CHUNKS) {
      this.b.decRef(out);
      return null;
    }
    const bilinear = task === TASK_RESIZE_BILINEAR_F32 || task === TASK_RESIZE_BILINEAR_I32 || task === TASK_RESIZE_BILINEAR_GRAD;
    const t = this.tables(inH, inW, outH, outW, alignCorners, halfPixelCenters, bilinear);
    try {
      const args = this.b.args([this.ptr(src), out.ptr, batch, inH, inW, c, outH, outW, ...t.words, per, groupC, elemBytes]);
      this.b.run(task, args, chunks, parallel);
    } finally {
      this.b.heap.release(t.ptr, t.bytes);
    }
    return out;
  }

  resizeBilinear(x: TensorInfo, outH: number, outW: number, alignCorners: boolean, halfPixelCenters: boolean): DataId | null {
    if (x.dtype !== 'float32' && x.dtype !== 'int32') return null;
    const task = x.dtype === 'float32' ? TASK_RESIZE_BILINEAR_F32 : TASK_RESIZE_BILINEAR_I32;
    return this.resize(task, x, x.shape, outH, outW, alignCorners, halfPixelCenters, 'float32', false);
  }

  resizeBilinearGrad(dy: TensorInfo, inShape: readonly number[], alignCorners: boolean, halfPixelCenters: boolean): DataId | null {
    if (dy.dtype !== 'float32') return null;
    return this.resize(TASK_RESIZE_BILINEAR_GRAD, dy, inShape, dy.shape[1], dy.shape[2], alignCorners, halfPixelCenters,
      'float32', true);
  }

  resizeNearestNeighbor(x: TensorInfo, outH: number, outW: number, alignCorners: boolean,
                        halfPixelCenters: boolean): DataId | null {
    if (ELEM_BYTES[x.dtype] === undefined) return null;
    return this.resize(TASK_RESIZE_NEAREST, x, x.shape, outH, outW, alignCorners, halfPixelCenters, x.dtype, false);
  }

  resizeNearestNeighborGrad(dy: TensorInfo, inShape: readonly number[], alignCorners: boolean,
                            halfPixelCenters: boolean): DataId | null {
    if (dy.dtype !== 'float32') return null;
    return this.resize(TASK_RESIZE_NEAREST_GRAD, dy, inShape, dy.shape[1], dy.shape[2], alignCorners, halfPixelCenters,
      'float32', true);
  }

  /** args: image boxes boxInd out batch h w c cropH cropW nearest per groupC rows | f64 extrapolation at word 16 */
  private crop(task: number, src: TensorInfo, boxes: TensorInfo, boxInd: TensorInfo, imageShape: readonly number[],
               cropH: number, cropW: number, method: 'bilinear' | 'nearest', extrapolationValue: number): DataId | null {
    if (src.dtype !== 'float32' || boxes.dtype !== 'float32' || boxInd.dtype !== 'int32') return null;
    const grad = task === TASK_CROP_RESIZE_GRAD;
    const [batch, h, w, c] = imageShape;
    const numBoxes = boxInd.shape[0];
    const cropSize = numBoxes * cropH * cropW * c;
    const out = this.b.allocate('float32', grad ? sizeFromShape(imageShape) : cropSize);
    if (grad) this.zero(out, out.bytes);
    if (cropSize === 0 || (grad && out.length === 0)) return out;
    const parallel = this.parallel(cropSize);
    let per = 0, chunks: number, groupC = c;
    if (grad) {
      groupC = this.channelGroup(1, c, parallel);
      chunks = Math.ceil(c / groupC);
    } else {
      ({ per, chunks } = this.split(numBoxes * cropH, parallel));
    }
    if (chunks > MAX_CHUNKS) {
      this.b.decRef(out);
      return null;
    }
    const args = this.b.args([this.ptr(src), this.ptr(boxes), this.ptr(boxInd), out.ptr, batch, h, w, c, cropH, cropW,
      method === 'nearest' ? 1 : 0, per, groupC, grad ? numBoxes : numBoxes * cropH]);
    this.b.mem.f64[(args >> 3) + 8] = extrapolationValue;
    this.b.run(task, args, chunks, parallel);
    return out;
  }

  cropAndResize(image: TensorInfo, boxes: TensorInfo, boxInd: TensorInfo, cropH: number, cropW: number,
                method: 'bilinear' | 'nearest', extrapolationValue: number): DataId | null {
    return this.crop(TASK_CROP_RESIZE, image, boxes, boxInd, image.shape, cropH, cropW, method, extrapolationValue);
  }

  cropAndResizeGradImage(dy: TensorInfo, boxes: TensorInfo, boxInd: TensorInfo, imageShape: readonly number[],
                         method: 'bilinear' | 'nearest'): DataId | null {
    return this.crop(TASK_CROP_RESIZE_GRAD, dy, boxes, boxInd, imageShape, dy.shape[1], dy.shape[2], method, 0);
  }

  /** args: x out outer n inner exclusive reverse prod per block */
  cumulative(op: 'sum' | 'prod', x: TensorInfo, axis: number, exclusive: boolean, reverse: boolean,
             outDtype: DType): DataId | null {
    if ((x.dtype !== 'float32' && x.dtype !== 'int32') || outDtype !== x.dtype) return null;
    const size = sizeFromShape(x.shape);
    const out = this.b.allocate(x.dtype, size);
    if (size === 0) return out;
    const n = x.shape[axis];
    const inner = sizeFromShape(x.shape.slice(axis + 1));
    const outer = sizeFromShape(x.shape.slice(0, axis));
    const block = Math.min(SCAN_BLOCK, inner);
    const units = inner === 1 ? outer : outer * Math.ceil(inner / block);
    const parallel = this.parallel(size);
    const { per, chunks } = this.split(units, parallel);
    if (chunks > MAX_CHUNKS) {
      this.b.decRef(out);
      return null;
    }
    const args = this.b.args([this.ptr(x), out.ptr, outer, n, inner, exclusive ? 1 : 0, reverse ? 1 : 0,
      op === 'prod' ? 1 : 0, per, block]);
    this.b.run(x.dtype === 'float32' ? TASK_CUMULATIVE_F32 : TASK_CUMULATIVE_I32, args, chunks, parallel);
    return out;
  }

  /** args: x values indices rows n k sorted per */
  topK(x: TensorInfo, k: number, sorted: boolean): { values: DataId; indices: DataId } | null {
    if (x.dtype !== 'float32' && x.dtype !== 'int32') return null;
    const n = x.shape.length === 0 ? 1 : x.shape[x.shape.length - 1];
    const rows = n === 0 ? 0 : sizeFromShape(x.shape) / n;
    const size = rows * k;
    const values = this.b.allocate(x.dtype, size);
    const indices = this.b.allocate('int32', size);
    if (size === 0) return { values, indices };
    // a row costs about n log k comparisons
    const parallel = this.parallel(rows * n * Math.max(1, Math.log2(k + 1)));
    const { per, chunks } = this.split(rows, parallel);
    if (chunks > MAX_CHUNKS) {
      this.b.decRef(values);
      this.b.decRef(indices);
      return null;
    }
    const args = this.b.args([this.ptr(x), values.ptr, indices.ptr, rows, n, k, sorted ? 1 : 0, per]);
    this.b.run(x.dtype === 'float32' ? TASK_TOPK_F32 : TASK_TOPK_I32, args, chunks, parallel);
    return { values, indices };
  }

  /** args: x indices out rows depth slice elemBytes per total base add kind | dims at word 16, strides at word 48 */
  private ndArgs(words: number[], shape: readonly number[], depth: number): number {
    const args = this.b.args(words);
    const strides = computeStrides(shape);
    this.b.args(shape.slice(0, depth), 16);
    this.b.args(strides.slice(0, depth), 48);
    return args;
  }

  gatherND(x: TensorInfo, indices: TensorInfo): DataId | null {
    const elemBytes = ELEM_BYTES[x.dtype];
    const depth = indices.shape[indices.shape.length - 1];
    if (elemBytes === undefined || indices.dtype !== 'int32' || depth > MAX_DEPTH) return null;
    const slice = sizeFromShape(x.shape.slice(depth));
    const rows = sizeFromShape(indices.shape.slice(0, -1));
    const out = this.b.allocate(x.dtype, rows * slice);
    if (rows * slice === 0) return out;
    const parallel = this.parallel(rows * slice);
    const { per, chunks } = this.split(rows, parallel);
    if (chunks > MAX_CHUNKS) {
      this.b.decRef(out);
      return null;
    }
    const args = this.ndArgs([this.ptr(x), this.ptr(indices), out.ptr, rows, depth, slice, elemBytes, per], x.shape, depth);
    this.b.run(TASK_GATHER_ND, args, chunks, parallel);
    return out;
  }

  scatterND(indices: TensorInfo, updates: TensorInfo, shape: readonly number[], base: TensorInfo | null,
            mode: 'add' | 'update'): DataId | null {
    const elemBytes = ELEM_BYTES[updates.dtype];
    const depth = indices.shape[indices.shape.length - 1];
    const kind = updates.dtype === 'float32' ? 0 : updates.dtype === 'int32' ? 1 : updates.dtype === 'float64' ? 2 : -1;
    if (elemBytes === undefined || indices.dtype !== 'int32' || depth > MAX_DEPTH || (mode === 'add' && kind < 0)) return null;
    if (base !== null && base.dtype !== updates.dtype) return null;
    const total = sizeFromShape(shape);
    const out = this.b.allocate(updates.dtype, total);
    if (total === 0) return out;
    const slice = sizeFromShape(shape.slice(depth));
    const rows = slice === 0 ? 0 : sizeFromShape(updates.shape) / slice;
    const args = this.ndArgs([this.ptr(updates), this.ptr(indices), out.ptr, rows, depth, slice, elemBytes, 0, total,
      base ? this.ptr(base) : 0, mode === 'add' ? 1 : 0, kind], shape, depth);
    // one chunk: rows naming the same slice must land in order
    this.b.run(TASK_SCATTER_ND, args, 1, false);
    return out;
  }
}
