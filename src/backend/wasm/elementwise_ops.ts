/**
 * The wasm backend's element-wise, reduction and pooling fast paths (float32). Each method
 * returns the result's storage, or null when its case is not covered (another dtype, a
 * broadcast that does not collapse to three dims, a reduction over scattered axes), and the
 * backend then runs the reference kernel. The kernels are in assembly/{elementwise,binary,
 * reduce,pool}.ts; the op codes below must match the constants there.
 */
import type { BinaryOp, Conv2DInfo, DataId, DType, ReduceOp, TensorInfo, UnaryOp } from '../types.js';
import { sizeFromShape } from '../shape_util.js';
import { MAX_CHUNKS } from './pool.js';
import { KernelGroup, roundUp } from './kernel_group.js';

const TASK_UNARY = 10, TASK_UNARY_BOOL = 11, TASK_BINARY = 12, TASK_BINARY_BOOL = 13;
const TASK_REDUCE = 20, TASK_REDUCE_COMBINE = 21;
const TASK_MAX_POOL = 30, TASK_MAX_POOL_BACK = 31, TASK_AVG_POOL = 32, TASK_AVG_POOL_BACK = 33;

/** float32 -> float32 ops; codes below 20 run as SIMD, the rest call a scalar math function. */
const UNARY: Partial<Record<UnaryOp, number>> = {
  neg: 0, abs: 1, sqrt: 2, square: 3, reciprocal: 4, relu: 5, relu6: 6, floor: 7, ceil: 8, round: 9,
  softsign: 10, exp: 11, sigmoid: 12, log: 21, tanh: 23, elu: 24, softplus: 25, step: 26, sign: 27,
  expm1: 28, log1p: 29, sin: 30, cos: 31, atan: 32, selu: 33, rsqrt: 34,
};
const UNARY_BOOL: Partial<Record<UnaryOp, number>> = { isNaN: 40, isFinite: 41, isInf: 42 };
/** codes below 10 run as SIMD; 10.. per element in f64 */
const BINARY: Partial<Record<BinaryOp, number>> = {
  add: 0, sub: 1, mul: 2, div: 3, maximum: 4, minimum: 5, squaredDifference: 6,
  pow: 10, mod: 11, floorDiv: 12, atan2: 13,
};
/** binary.ts' internal op for Backend.reluGrad */
const RELU_GRAD = 7;
const COMPARE: Partial<Record<BinaryOp, number>> = {
  equal: 20, notEqual: 21, less: 22, lessEqual: 23, greater: 24, greaterEqual: 25,
};
const REDUCE: Partial<Record<ReduceOp, number>> = { sum: 0, prod: 1, max: 2, min: 3 };

/**
 * Below this many element-steps a task runs on the calling thread. One thread streams 256K
 * floats (add, relu, sum) in ~60-130 us, several times what waking the workers costs, while
 * below ~64K elements a parallel run measured slower than a single-threaded one. The SIMD exp
 * and sigmoid cost ~6 steps an element and scalar math (tanh, log, pow, ...) ~16, so those
 * go parallel at fewer elements.
 */
export const PARALLEL_MIN_ELEMENTS = 256 * 1024;
const SIMD_MATH_COST = 6, SCALAR_MATH_COST = 16;
/** Elements per chunk of a streaming task: a multiple of 4, large enough to amortise a claim. */
const CHUNK = 16 * 1024;

export class ElementwiseOps extends KernelGroup {
  /** Whether streaming `cost` element-steps is worth waking the other threads. */
  protected override parallel(cost: number): boolean {
    return this.b.threads > 1 && cost >= PARALLEL_MIN_ELEMENTS;
  }

  /** Chunking of n streamed elements: one chunk on this thread, or CHUNK-sized ones for all. */
  private split(n: number, cost: number): { per: number; chunks: number; parallel: boolean } {
    const parallel = this.parallel(cost);
    let per = parallel ? CHUNK : roundUp(n, 4);
    if (Math.ceil(n / per) > MAX_CHUNKS) per = roundUp(Math.ceil(n / MAX_CHUNKS), 4);
    return { per, chunks: Math.ceil(n / per), parallel };
  }

  unary(op: UnaryOp, x: TensorInfo, outDtype: DType): DataId | null {
    if (x.dtype !== 'float32') return null;
    const toBool = outDtype === 'bool';
    const code = outDtype === 'float32' ? UNARY[op] : toBool ? UNARY_BOOL[op] : undefined;
    if (code === undefined) return null;
    const n = sizeFromShape(x.shape);
    const out = this.b.allocate(outDtype, n);
    if (n === 0) return out;
    const cost = code >= 20 && code < 40 ? n * SCALAR_MATH_COST : code >= 11 ? n * SIMD_MATH_COST : n;
    const { per, chunks, parallel } = this.split(n, cost);
    const args = this.b.args([code, this.ptr(x), out.ptr, n, per]);
    this.b.run(toBool ? TASK_UNARY_BOOL : TASK_UNARY, args, chunks, parallel, cost);
    return out;
  }

  binary(op: BinaryOp, a: TensorInfo, b: TensorInfo, outShape: readonly number[], outDtype: DType): DataId | null {
    const code = outDtype === 'float32' ? BINARY[op] : outDtype === 'bool' ? COMPARE[op] : undefined;
    return code === undefined ? null : this.binaryCode(code, a, b, outShape, outDtype);
  }

  /** dy where y > 0, else dy * 0: the relu gradient without a bool mask and a cast. */
  reluGrad(dy: TensorInfo, y: TensorInfo): DataId | null {
    return this.binaryCode(RELU_GRAD, dy, y, dy.shape, 'float32');
  }

  private binaryCode(code: number, a: TensorInfo, b: TensorInfo, outShape: readonly number[], outDtype: DType): DataId | null {
    if (a.dtype !== 'float32' || b.dtype !== 'float32') return null;
    const toBool = outDtype === 'bool';
    const n = sizeFromShape(outShape);
    const layout = n === 0 ? null : collapseBroadcast(a.shape, b.shape, outShape);
    if (n !== 0 && layout === null) return null;
    const out = this.b.allocate(outDtype, n);
    if (layout === null) return out;
    const cost = code >= 10 && code < 20 ? n * SCALAR_MATH_COST : n;
    const { per, chunks, parallel } = this.split(n, cost);
    const { dims, sa, sb } = layout;
    const args = this.b.args([code, this.ptr(a), this.ptr(b), out.ptr, ...dims, ...sa, ...sb, n, per]);
    this.b.run(toBool ? TASK_BINARY_BOOL : TASK_BINARY, args, chunks, parallel, cost);
    return out;
  }

  reduce(op: ReduceOp, x: TensorInfo, axes: readonly number[], outDtype: DType): DataId | null {
    const code = REDUCE[op];
    if (x.dtype !== 'float32' || outDtype !== 'float32' || code === undefined) return null;
    const n = sizeFromShape(x.shape);
    const run = n === 0 ? null : reductionRun(x.shape, axes);
    if (run === null) return null;
    const { outer, reduced, inner } = run;
    let oPer = outer, rPer = reduced;
    const parallel = this.parallel(n);
    if (parallel) {
      const target = this.b.threads * 4;
      if (outer >= target) {
        oPer = Math.ceil(outer / target);
      } else {
        // few outputs (a full sum, a bias gradient): split the reduced rows into partials
        oPer = 1;
        rPer = Math.max(1, Math.ceil(reduced / Math.ceil(target / outer)));
      }
    }
    const splits = Math.ceil(reduced / rPer);
    const chunks = Math.ceil(outer / oPer) * splits;
    if (chunks > MAX_CHUNKS) return null;
    const tmpBytes = outer * splits * inner * 8;
    const tmp = this.b.heap.alloc(tmpBytes);
    try {
      const out = this.b.allocate('float32', outer * inner);
      let args = this.b.args([code, this.ptr(x), tmp, outer, reduced, inner, splits, oPer, rPer]);
      this.b.run(TASK_REDUCE, args, chunks, parallel, n);
      args = this.b.args([code, tmp, out.ptr, outer * inner, inner, splits]);
      this.b.run(TASK_REDUCE_COMBINE, args, 1, false);
      return out;
    } finally {
      this.b.heap.release(tmp, tmpBytes);
    }
  }

  /** Pool geometry at argument words 16..29 (the pool tasks' own words stay below 16). */
  private geometry(info: Conv2DInfo): number {
    this.b.args([
      info.batchSize, info.inHeight, info.inWidth, info.inChannels, info.outHeight, info.outWidth,
      info.filterHeight, info.filterWidth, info.strideHeight, info.strideWidth,
      info.dilationHeight, info.dilationWidth, info.padTop, info.padLeft,
    ], 16);
    return this.b.argsPtr + 64;
  }

  private poolForward(task: number, x: TensorInfo, info: Conv2DInfo): DataId | null {
    if (x.dtype !== 'float32') return null;
    const size = info.batchSize * info.outHeight * info.outWidth * info.inChannels;
    const out = this.b.allocate('float32', size);
    if (size === 0) return out;
    const rows = info.batchSize * info.outHeight;
    const parallel = this.parallel(size * info.filterHeight * info.filterWidth);
    const rowsPer = parallel ? Math.ceil(rows / (this.b.threads * 4)) : rows;
    const g = this.geometry(info);
    const args = this.b.args([g, this.ptr(x), out.ptr, rows, rowsPer]);
    this.b.run(task, args, Math.ceil(rows / rowsPer), parallel, size * info.filterHeight * info.filterWidth);
    return out;
  }

  /** Images per chunk of a gradient task: whole images, since overlapping windows share dx cells. */
  private imagesPer(info: Conv2DInfo): { per: number; parallel: boolean } {
    const cost = info.batchSize * info.outHeight * info.outWidth * info.inChannels * info.filterHeight * info.filterWidth;
    const parallel = this.parallel(cost) && info.batchSize > 1;
    return { per: parallel ? Math.ceil(info.batchSize / (this.b.threads * 4)) : info.batchSize, parallel };
  }

  maxPool(x: TensorInfo, info: Conv2DInfo): DataId | null {
    return this.poolForward(TASK_MAX_POOL, x, info);
  }

  maxPoolBackprop(dy: TensorInfo, x: TensorInfo, info: Conv2DInfo): DataId | null {
    if (dy.dtype !== 'float32' || x.dtype !== 'float32') return null;
    const size = info.batchSize * info.inHeight * info.inWidth * info.inChannels;
    const out = this.b.allocate('float32', size);
    if (size === 0) return out;
    const { per, parallel } = this.imagesPer(info);
    const g = this.geometry(info);
    const args = this.b.args([g, this.ptr(dy), this.ptr(x), out.ptr, per]);
    this.b.run(TASK_MAX_POOL_BACK, args, Math.ceil(info.batchSize / per), parallel, size);
    return out;
  }

  avgPool(x: TensorInfo, info: Conv2DInfo): DataId | null {
    return this.poolForward(TASK_AVG_POOL, x, info);
  }

  avgPoolBackprop(dy: TensorInfo, info: Conv2DInfo): DataId | null {
    if (dy.dtype !== 'float32') return null;
    const size = info.batchSize * info.inHeight * info.inWidth * info.inChannels;
    const out = this.b.allocate('float32', size);
    if (size === 0) return out;
    const { per, parallel } = this.imagesPer(info);
    const g = this.geometry(info);
    const args = this.b.args([g, this.ptr(dy), out.ptr, per]);
    this.b.run(TASK_AVG_POOL_BACK, args, Math.ceil(info.batchSize / per), parallel, size);
    return out;
  }
}

/**
 * The broadcast of a and b to outShape as at most three dims, merging neighbouring dims in which
 * each operand is alike (present in both, or broadcast in both); size-1 output dims drop out.
 * Each operand gets an element stride per dim, 0 where it is broadcast, so the innermost stride
 * is 0 or 1. Null when more than three dims remain (e.g. [A,1,C,1] + [1,B,1,D]).
 */
export function collapseBroadcast(aShape: readonly number[], bShape: readonly number[], outShape: readonly number[]):
    { dims: number[]; sa: number[]; sb: number[] } | null {
  const r = outShape.length;
  const dims: number[] = [], inA: boolean[] = [], inB: boolean[] = [];
  for (let d = 0; d < r; d++) {
    const size = outShape[d];
    if (size === 1) continue;
    // js overhead area (issue 18): a missing leading dim is 1; read without a negative index
    // (a read below 0 leaves the array's fast elements for a property lookup)
    const ia = d - r + aShape.length, ib = d - r + bShape.length;
    const a = (ia >= 0 ? aShape[ia] : 1) === size;
    const b = (ib >= 0 ? bShape[ib] : 1) === size;
    const k = dims.length - 1;
    if (k >= 0 && inA[k] === a && inB[k] === b) dims[k] *= size;
    else {
      dims.push(size);
      inA.push(a);
      inB.push(b);
    }
  }
  if (dims.length > 3) return null;
  while (dims.length < 3) {
    dims.unshift(1);
    inA.unshift(false);
    inB.unshift(false);
  }
  const strides = (present: boolean[]): number[] => {
    const s = [0, 0, 0];
    let step = 1;
    for (let k = 2; k >= 0; k--) {
      if (!present[k]) continue;
      s[k] = step;
      step *= dims[k];
    }
    return s;
  };
  return { dims, sa: strides(inA), sb: strides(inB) };
}

/**
 * x viewed as [outer, reduced, inner] with the reduction over the middle, when the reduced axes
 * (ignoring size-1 dims) form one contiguous run; null otherwise.
 */
export function reductionRun(shape: readonly number[], axes: readonly number[]):
    { outer: number; reduced: number; inner: number } | null {
  let outer = 1, reduced = 1, inner = 1;
  let state = 0; // 0: before the run, 1: in it, 2: after it
  for (let d = 0; d < shape.length; d++) {
    if (shape[d] === 1) continue;
    if (axes.includes(d)) {
      if (state === 2) return null;
      state = 1;
      reduced *= shape[d];
    } else if (state === 0) {
      outer *= shape[d];
    } else {
      state = 2;
      inner *= shape[d];
    }
  }
  return { outer, reduced, inner };
}
