/** Data-movement kernels of the reference backend: transpose, slice, pad, concat, gather, tile, reverse. */
import type { TypedArray } from '../types.js';
import { computeStrides, sizeFromShape } from '../shape_util.js';

/**
 * Walks every index of `outShape` and copies `x[inOffset]`, where the input offset moves by
 * `inStep[d]` along output axis d. Covers transpose, strided slice, tile-free reverse.
 */
function gatherByStrides(
  x: TypedArray, out: TypedArray, outShape: readonly number[], start: number, inStep: readonly number[],
): void {
  const rank = outShape.length;
  const size = out.length;
  const counter = new Array<number>(rank).fill(0);
  let off = start;
  for (let i = 0; i < size; i++) {
    out[i] = x[off];
    for (let d = rank - 1; d >= 0; d--) {
      counter[d]++;
      off += inStep[d];
      if (counter[d] < outShape[d]) break;
      off -= inStep[d] * outShape[d];
      counter[d] = 0;
    }
  }
}

/**
 * Runs of at least this many values are copied with TypedArray.set (a memcpy); shorter ones by a
 * loop, where making the subarray costs more than the copy.
 */
const SET_MIN = 32;

function copyRun(x: TypedArray, from: number, out: TypedArray, to: number, n: number): void {
  if (n >= SET_MIN) out.set(x.subarray(from, from + n), to);
  else for (let i = 0; i < n; i++) out[to + i] = x[from + i];
}

/**
 * gatherByStrides where the last axis steps by 1 in x: runs of outShape's last extent copied
 * whole, an odometer over the other axes. (recurrent area) The GRU's backward rule slices its
 * record [batch, T, 6u] into u-wide runs; one value per odometer step spent more time than the
 * whole-sequence kernels it sat between (7% of a GRU step, and concat 18%).
 */
function copyRuns(x: TypedArray, out: TypedArray, outShape: readonly number[], start: number, inStep: readonly number[]): void {
  const rank = outShape.length;
  const run = outShape[rank - 1];
  if (out.length === 0 || run === 0) return;
  const counter = new Array<number>(rank - 1).fill(0);
  let off = start;
  for (let i = 0; i < out.length; i += run) {
    copyRun(x, off, out, i, run);
    for (let d = rank - 2; d >= 0; d--) {
      counter[d]++;
      off += inStep[d];
      if (counter[d] < outShape[d]) break;
      off -= inStep[d] * outShape[d];
      counter[d] = 0;
    }
  }
}

export function transposeKernel(x: TypedArray, shape: readonly number[], perm: readonly number[], out: TypedArray): void {
  const strides = computeStrides(shape);
  const outShape = perm.map((p) => shape[p]);
  gatherByStrides(x, out, outShape, 0, perm.map((p) => strides[p]));
}

export function stridedSliceKernel(
  x: TypedArray, shape: readonly number[], begin: readonly number[], size: readonly number[],
  steps: readonly number[], out: TypedArray,
): void {
  const strides = computeStrides(shape);
  let start = 0;
  for (let d = 0; d < shape.length; d++) start += begin[d] * strides[d];
  const inStep = steps.map((s, d) => s * strides[d]);
  if (shape.length > 0 && inStep[shape.length - 1] === 1) copyRuns(x, out, size, start, inStep);
  else gatherByStrides(x, out, size, start, inStep);
}

export function reverseKernel(x: TypedArray, shape: readonly number[], axes: readonly number[], out: TypedArray): void {
  const strides = computeStrides(shape);
  let start = 0;
  const steps = strides.map((s, d) => {
    if (!axes.includes(d)) return s;
    start += (shape[d] - 1) * s;
    return -s;
  });
  gatherByStrides(x, out, shape, start, steps);
}

export function padKernel(
  x: TypedArray, shape: readonly number[], paddings: readonly (readonly [number, number])[],
  constantValue: number, out: TypedArray,
): void {
  out.fill(constantValue);
  if (x.length === 0) return;
  const outShape = shape.map((d, i) => d + paddings[i][0] + paddings[i][1]);
  const outStrides = computeStrides(outShape);
  let start = 0;
  for (let d = 0; d < shape.length; d++) start += paddings[d][0] * outStrides[d];
  // (resnet speed area) the axes after the last padded one are contiguous in x and in out
  // alike: copy runs of that length (a whole padded NHWC row of w * c values at a time)
  // instead of one value per step of an odometer over every axis
  const rank = shape.length;
  let last = rank - 1;
  while (last >= 0 && paddings[last][0] === 0 && paddings[last][1] === 0) last--;
  const run = last < 0 ? x.length : sizeFromShape(shape.slice(last));
  const counter = new Array<number>(Math.max(last, 0)).fill(0);
  let off = start;
  for (let i = 0; i < x.length; i += run) {
    out.set(x.subarray(i, i + run), off);
    for (let d = last - 1; d >= 0; d--) {
      counter[d]++;
      off += outStrides[d];
      if (counter[d] < shape[d]) break;
      off -= outStrides[d] * shape[d];
      counter[d] = 0;
    }
  }
}

export function concatKernel(
  xs: readonly { values: TypedArray; shape: readonly number[] }[], axis: number, out: TypedArray,
): void {
  const outer = sizeFromShape(xs[0].shape.slice(0, axis));
  const chunks = xs.map((x) => sizeFromShape(x.shape.slice(axis)));
  const rowSize = chunks.reduce((a, b) => a + b, 0);
  for (let o = 0; o < outer; o++) {
    let dst = o * rowSize;
    for (let t = 0; t < xs.length; t++) {
      const chunk = chunks[t];
      copyRun(xs[t].values, o * chunk, out, dst, chunk);
      dst += chunk;
    }
  }
}

export function gatherKernel(
  x: TypedArray, shape: readonly number[], indices: TypedArray, axis: number, out: TypedArray,
): void {
  const outer = sizeFromShape(shape.slice(0, axis));
  const n = shape[axis];
  const inner = sizeFromShape(shape.slice(axis + 1));
  const m = indices.length;
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < m; j++) {
      const src = (o * n + indices[j]) * inner;
      const dst = (o * m + j) * inner;
      for (let i = 0; i < inner; i++) out[dst + i] = x[src + i];
    }
  }
}

export function scatterAddKernel(
  updates: TypedArray, indices: TypedArray, axis: number, shape: readonly number[], out: TypedArray,
): void {
  out.fill(0);
  const outer = sizeFromShape(shape.slice(0, axis));
  const n = shape[axis];
  const inner = sizeFromShape(shape.slice(axis + 1));
  const m = indices.length;
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < m; j++) {
      const dst = (o * n + indices[j]) * inner;
      const src = (o * m + j) * inner;
      for (let i = 0; i < inner; i++) out[dst + i] += updates[src + i];
    }
  }
}

export function tileKernel(x: TypedArray, shape: readonly number[], reps: readonly number[], out: TypedArray): void {
  const rank = shape.length;
  const outShape = shape.map((d, i) => d * reps[i]);
  const inStrides = computeStrides(shape);
  const outStrides = computeStrides(outShape);
  for (let i = 0; i < out.length; i++) {
    let rest = i;
    let src = 0;
    for (let d = 0; d < rank; d++) {
      const c = Math.floor(rest / outStrides[d]);
      rest -= c * outStrides[d];
      src += (c % shape[d]) * inStrides[d];
    }
    out[i] = x[src];
  }
}
