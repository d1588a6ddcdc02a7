/** Reductions of the reference backend. */
import type { ArgReduceOp, ReduceOp, TypedArray } from '../types.js';
import { computeStrides, sizeFromShape } from '../shape_util.js';

function initial(op: ReduceOp): number {
  switch (op) {
    case 'sum': return 0;
    case 'prod': return 1;
    case 'max': return -Infinity;
    case 'min': return Infinity;
    case 'any': return 0;
    case 'all': return 1;
  }
}

function combine(op: ReduceOp): (acc: number, v: number) => number {
  switch (op) {
    case 'sum': return (acc, v) => acc + v;
    case 'prod': return (acc, v) => acc * v;
    // NaN wins, as in NumPy and TensorFlow
    case 'max': return (acc, v) => (v > acc || Number.isNaN(v) ? v : acc);
    case 'min': return (acc, v) => (v < acc || Number.isNaN(v) ? v : acc);
    case 'any': return (acc, v) => (acc || v ? 1 : 0);
    case 'all': return (acc, v) => (acc && v ? 1 : 0);
  }
}

/** Reduces `x` over `axes` (sorted, unique); the output has those axes removed. */
export function reduceKernel(
  op: ReduceOp, x: TypedArray, shape: readonly number[], axes: readonly number[], out: TypedArray,
): void {
  const keptShape = shape.filter((_, i) => !axes.includes(i));
  const keptStrides = computeStrides(keptShape);
  // stride into the output for each input axis (0 for reduced axes)
  const outStride = new Array<number>(shape.length).fill(0);
  for (let i = 0, k = 0; i < shape.length; i++) {
    if (!axes.includes(i)) outStride[i] = keptStrides[k++];
  }
  const acc = new Float64Array(out.length).fill(initial(op));
  const f = combine(op);
  const rank = shape.length;
  const counter = new Array<number>(rank).fill(0);
  let o = 0;
  const size = sizeFromShape(shape);
  for (let i = 0; i < size; i++) {
    acc[o] = f(acc[o], x[i]);
    for (let d = rank - 1; d >= 0; d--) {
      counter[d]++;
      o += outStride[d];
      if (counter[d] < shape[d]) break;
      o -= outStride[d] * shape[d];
      counter[d] = 0;
    }
  }
  for (let i = 0; i < out.length; i++) out[i] = acc[i];
}

/** Index of the first max/min along `axis`; NaN counts as the extreme. */
export function argReduceKernel(
  op: ArgReduceOp, x: TypedArray, shape: readonly number[], axis: number, out: Int32Array,
): void {
  const n = shape[axis];
  const inner = sizeFromShape(shape.slice(axis + 1));
  const outer = sizeFromShape(shape.slice(0, axis));
  // js overhead area (issue 18): the comparison written out in each loop rather than called
  // through a closure (the accuracy metric runs this every batch); `v !== v` is Number.isNaN(v)
  const isMax = op === 'argMax';
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      const base = o * n * inner + j;
      let bestIndex = 0;
      let best = x[base];
      for (let i = 1; i < n; i++) {
        const v = x[base + i * inner];
        const better = isMax ? v > best : v < best;
        if (better || (v !== v && best === best)) {
          best = v;
          bestIndex = i;
        }
      }
      out[o * inner + j] = bestIndex;
    }
  }
}
