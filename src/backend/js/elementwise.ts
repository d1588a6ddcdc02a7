/** Element-wise kernels of the reference backend, on plain typed arrays. */
import type { BinaryOp, TypedArray, UnaryOp } from '../types.js';
import { broadcastStrides, sizeFromShape, arraysEqual } from '../shape_util.js';

const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;

/** Abramowitz-Stegun 7.1.26 is too coarse for float64 gradient checks; use a series/continued fraction. */
export function erf(x: number): number {
  const ax = Math.abs(x);
  if (ax < 2.5) {
    // Maclaurin series: erf(x) = 2/sqrt(pi) * sum (-1)^n x^(2n+1) / (n! (2n+1))
    let term = ax;
    let sum = ax;
    const x2 = ax * ax;
    for (let n = 1; n < 80; n++) {
      term *= -x2 / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    const r = (2 / Math.sqrt(Math.PI)) * sum;
    return x < 0 ? -r : r;
  }
  // erfc by continued fraction (Lentz), accurate for |x| >= 2.5
  const z = ax;
  let f = z;
  let c = z;
  let d = 0;
  const tiny = 1e-300;
  for (let i = 1; i < 200; i++) {
    const a = i / 2;
    d = z + a * d;
    d = d === 0 ? tiny : d;
    c = z + a / c;
    c = c === 0 ? tiny : c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  const erfc = Math.exp(-z * z) / Math.sqrt(Math.PI) / f;
  const r = 1 - erfc;
  return x < 0 ? -r : r;
}

function unaryFn(op: UnaryOp): (v: number) => number {
  switch (op) {
    case 'neg': return (v) => -v;
    case 'abs': return Math.abs;
    case 'sign': return (v) => (v > 0 ? 1 : v < 0 ? -1 : v === 0 ? 0 : NaN);
    case 'sqrt': return Math.sqrt;
    case 'rsqrt': return (v) => 1 / Math.sqrt(v);
    case 'square': return (v) => v * v;
    case 'reciprocal': return (v) => 1 / v;
    case 'exp': return Math.exp;
    case 'expm1': return Math.expm1;
    case 'log': return Math.log;
    case 'log1p': return Math.log1p;
    case 'sin': return Math.sin;
    case 'cos': return Math.cos;
    case 'tan': return Math.tan;
    case 'asin': return Math.asin;
    case 'acos': return Math.acos;
    case 'atan': return Math.atan;
    case 'sinh': return Math.sinh;
    case 'cosh': return Math.cosh;
    case 'tanh': return Math.tanh;
    case 'acosh': return Math.acosh;
    case 'asinh': return Math.asinh;
    case 'atanh': return Math.atanh;
    // two branches keep exp() from overflowing for large |v|
    case 'sigmoid': return (v) => (v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v)));
    case 'relu': return (v) => (v > 0 ? v : v === 0 || v < 0 ? 0 : v);
    case 'relu6': return (v) => (v > 6 ? 6 : v > 0 ? v : v <= 0 ? 0 : v);
    case 'elu': return (v) => (v > 0 ? v : Math.expm1(v));
    case 'selu': return (v) => (v > 0 ? SELU_SCALE * v : SELU_SCALE * SELU_ALPHA * Math.expm1(v));
    case 'softplus': return (v) => Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v)));
    case 'softsign': return (v) => v / (1 + Math.abs(v));
    case 'erf': return erf;
    case 'floor': return Math.floor;
    case 'ceil': return Math.ceil;
    // banker's rounding, as TensorFlow.js and NumPy do
    case 'round': return (v) => {
      const r = Math.round(v);
      return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
    };
    case 'step': return (v) => (v > 0 ? 1 : v <= 0 ? 0 : NaN);
    case 'logicalNot': return (v) => (v ? 0 : 1);
    case 'isNaN': return (v) => (Number.isNaN(v) ? 1 : 0);
    case 'isFinite': return (v) => (Number.isFinite(v) ? 1 : 0);
    case 'isInf': return (v) => (v === Infinity || v === -Infinity ? 1 : 0);
  }
}

export function unaryKernel(op: UnaryOp, x: TypedArray, out: TypedArray): void {
  const f = unaryFn(op);
  for (let i = 0; i < x.length; i++) out[i] = f(x[i]);
}

function binaryFn(op: BinaryOp): (a: number, b: number) => number {
  switch (op) {
    case 'add': return (a, b) => a + b;
    case 'sub': return (a, b) => a - b;
    case 'mul': return (a, b) => a * b;
    case 'div': return (a, b) => a / b;
    case 'pow': return Math.pow;
    case 'minimum': return (a, b) => (a < b || Number.isNaN(a) ? a : b);
    case 'maximum': return (a, b) => (a > b || Number.isNaN(a) ? a : b);
    case 'squaredDifference': return (a, b) => (a - b) * (a - b);
    // floor modulo (the sign follows the divisor), as in Python and TensorFlow
    case 'mod': return (a, b) => ((a % b) + b) % b;
    case 'floorDiv': return (a, b) => Math.floor(a / b);
    case 'atan2': return Math.atan2;
    case 'equal': return (a, b) => (a === b ? 1 : 0);
    case 'notEqual': return (a, b) => (a !== b ? 1 : 0);
    case 'less': return (a, b) => (a < b ? 1 : 0);
    case 'lessEqual': return (a, b) => (a <= b ? 1 : 0);
    case 'greater': return (a, b) => (a > b ? 1 : 0);
    case 'greaterEqual': return (a, b) => (a >= b ? 1 : 0);
    case 'logicalAnd': return (a, b) => (a && b ? 1 : 0);
    case 'logicalOr': return (a, b) => (a || b ? 1 : 0);
    case 'logicalXor': return (a, b) => ((a ? 1 : 0) !== (b ? 1 : 0) ? 1 : 0);
    case 'bitwiseAnd': return (a, b) => a & b;
  }
}

/**
 * Visits every index of `outShape`, calling `visit(outIndex, offsets...)` with the offsets into
 * each broadcast input. Walks with counters so each step costs O(1) amortised.
 */
export function forEachBroadcast(
  outShape: readonly number[],
  inShapes: readonly (readonly number[])[],
  visit: (outIndex: number, offsets: Int32Array) => void,
): void {
  const rank = outShape.length;
  const size = sizeFromShape(outShape);
  const strides = inShapes.map((s) => broadcastStrides(s, outShape));
  const offsets = new Int32Array(inShapes.length);
  const counter = new Array<number>(rank).fill(0);
  for (let i = 0; i < size; i++) {
    visit(i, offsets);
    for (let d = rank - 1; d >= 0; d--) {
      counter[d]++;
      for (let k = 0; k < strides.length; k++) offsets[k] += strides[k][d];
      if (counter[d] < outShape[d]) break;
      for (let k = 0; k < strides.length; k++) offsets[k] -= strides[k][d] * outShape[d];
      counter[d] = 0;
    }
  }
}

export function binaryKernel(
  op: BinaryOp,
  a: TypedArray, aShape: readonly number[],
  b: TypedArray, bShape: readonly number[],
  out: TypedArray, outShape: readonly number[],
): void {
  const f = binaryFn(op);
  if (arraysEqual(aShape, outShape) && arraysEqual(bShape, outShape)) {
    for (let i = 0; i < out.length; i++) out[i] = f(a[i], b[i]);
  } else if (arraysEqual(aShape, outShape) && b.length === 1) {
    const bv = b[0];
    for (let i = 0; i < out.length; i++) out[i] = f(a[i], bv);
  } else if (arraysEqual(bShape, outShape) && a.length === 1) {
    const av = a[0];
    for (let i = 0; i < out.length; i++) out[i] = f(av, b[i]);
  } else {
    forEachBroadcast(outShape, [aShape, bShape], (i, off) => {
      out[i] = f(a[off[0]], b[off[1]]);
    });
  }
}

export function whereKernel(
  cond: TypedArray, condShape: readonly number[],
  a: TypedArray, aShape: readonly number[],
  b: TypedArray, bShape: readonly number[],
  out: TypedArray, outShape: readonly number[],
): void {
  forEachBroadcast(outShape, [condShape, aShape, bShape], (i, off) => {
    out[i] = cond[off[0]] ? a[off[1]] : b[off[2]];
  });
}

