/**
 * Complex arithmetic and the discrete Fourier transform on interleaved storage: element k of a
 * complex tensor is (values[2k], values[2k + 1]).
 *
 * The FFT works in float64 whatever the storage: a radix-2 Cooley-Tukey transform when the row
 * length is a power of two, and Bluestein's chirp-z method otherwise (the length-n transform
 * written as a convolution, done with power-of-two transforms of length >= 2n - 1), so every
 * length costs O(n log n).
 */
import type { TypedArray } from '../types.js';
import { broadcastStrides, computeStrides } from '../shape_util.js';

/** out = a * b element-wise on complex operands broadcast to `outShape`. */
export function complexMulKernel(a: TypedArray, aShape: readonly number[], b: TypedArray, bShape: readonly number[],
  out: TypedArray, outShape: readonly number[]): void {
  const rank = outShape.length;
  const as = broadcastStrides(aShape, outShape);
  const bs = broadcastStrides(bShape, outShape);
  const os = computeStrides(outShape);
  const n = out.length / 2;
  for (let i = 0; i < n; i++) {
    let ia = 0, ib = 0, rest = i;
    for (let d = 0; d < rank; d++) {
      const c = Math.floor(rest / os[d]);
      rest -= c * os[d];
      ia += c * as[d];
      ib += c * bs[d];
    }
    const ar = a[2 * ia], ai = a[2 * ia + 1], br = b[2 * ib], bi = b[2 * ib + 1];
    out[2 * i] = ar * br - ai * bi;
    out[2 * i + 1] = ar * bi + ai * br;
  }
}

/** out[k] = |x[k]| (hypot, which neither overflows nor underflows in the squares). */
export function complexAbsKernel(x: TypedArray, out: TypedArray): void {
  for (let k = 0; k < out.length; k++) out[k] = Math.hypot(x[2 * k], x[2 * k + 1]);
}

/** Whether n is a power of two (1 counts). */
function isPowerOfTwo(n: number): boolean {
  return n > 0 && (n & (n - 1)) === 0;
}

/** cos and sin of -2 pi k / n for k < n / 2: the forward transform's twiddle factors. */
function twiddles(n: number): { cos: Float64Array; sin: Float64Array } {
  const half = n >> 1;
  const cos = new Float64Array(half), sin = new Float64Array(half);
  for (let k = 0; k < half; k++) {
    const angle = (-2 * Math.PI * k) / n;
    cos[k] = Math.cos(angle);
    sin[k] = Math.sin(angle);
  }
  return { cos, sin };
}

/**
 * In-place forward radix-2 transform of (re, im), length n a power of two: bit-reversal
 * permutation, then log2(n) passes of butterflies.
 */
function radix2(re: Float64Array, im: Float64Array, n: number, tw: { cos: Float64Array; sin: Float64Array }): void {
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      let t = re[i]; re[i] = re[j]; re[j] = t;
      t = im[i]; im[i] = im[j]; im[j] = t;
    }
  }
  for (let len = 2; len <= n; len <<= 1) {
    const half = len >> 1;
    const step = n / len;
    for (let start = 0; start < n; start += len) {
      for (let k = 0; k < half; k++) {
        const wr = tw.cos[k * step], wi = tw.sin[k * step];
        const p = start + k, q = p + half;
        const xr = re[q] * wr - im[q] * wi;
        const xi = re[q] * wi + im[q] * wr;
        re[q] = re[p] - xr; im[q] = im[p] - xi;
        re[p] += xr; im[p] += xi;
      }
    }
  }
}

/** Precomputed state of Bluestein's method for one length n. */
interface Bluestein {
  m: number;
  tw: { cos: Float64Array; sin: Float64Array };
  /** the chirp exp(-i pi k^2 / n), k < n */
  chirpRe: Float64Array;
  chirpIm: Float64Array;
  /** the transform of the conjugate chirp laid out circularly in length m */
  filterRe: Float64Array;
  filterIm: Float64Array;
}

function bluestein(n: number): Bluestein {
  let m = 1;
  while (m < 2 * n - 1) m <<= 1;
  const tw = twiddles(m);
  const chirpRe = new Float64Array(n), chirpIm = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    // k^2 mod 2n keeps the angle small, so the phase stays exact for long rows
    const angle = (-Math.PI * ((k * k) % (2 * n))) / n;
    chirpRe[k] = Math.cos(angle);
    chirpIm[k] = Math.sin(angle);
  }
  const filterRe = new Float64Array(m), filterIm = new Float64Array(m);
  filterRe[0] = chirpRe[0];
  filterIm[0] = -chirpIm[0];
  for (let k = 1; k < n; k++) {
    filterRe[k] = filterRe[m - k] = chirpRe[k];
    filterIm[k] = filterIm[m - k] = -chirpIm[k];
  }
  radix2(filterRe, filterIm, m, tw);
  return { m, tw, chirpRe, chirpIm, filterRe, filterIm };
}

/**
 * The transform of every row of length n in `x` (interleaved complex) into `out`; `inverse`
 * conjugates the kernel and divides by n.
 */
export function fftKernel(x: TypedArray, n: number, inverse: boolean, out: TypedArray): void {
  if (n === 0) return;
  const rows = x.length / (2 * n);
  const sign = inverse ? -1 : 1;
  const scale = inverse ? 1 / n : 1;
  if (isPowerOfTwo(n)) {
    const tw = twiddles(n);
    const re = new Float64Array(n), im = new Float64Array(n);
    for (let r = 0; r < rows; r++) {
      const base = 2 * r * n;
      // the inverse transform is the forward one on the conjugate, conjugated back
      for (let k = 0; k < n; k++) { re[k] = x[base + 2 * k]; im[k] = sign * x[base + 2 * k + 1]; }
      radix2(re, im, n, tw);
      for (let k = 0; k < n; k++) { out[base + 2 * k] = re[k] * scale; out[base + 2 * k + 1] = sign * im[k] * scale; }
    }
    return;
  }
  const b = bluestein(n);
  const re = new Float64Array(b.m), im = new Float64Array(b.m);
  for (let r = 0; r < rows; r++) {
    const base = 2 * r * n;
    re.fill(0);
    im.fill(0);
    // a_k = x_k chirp_k, convolved with conj(chirp), then multiplied by chirp again
    for (let k = 0; k < n; k++) {
      const xr = x[base + 2 * k], xi = sign * x[base + 2 * k + 1];
      re[k] = xr * b.chirpRe[k] - xi * b.chirpIm[k];
      im[k] = xr * b.chirpIm[k] + xi * b.chirpRe[k];
    }
    radix2(re, im, b.m, b.tw);
    for (let k = 0; k < b.m; k++) {
      const pr = re[k] * b.filterRe[k] - im[k] * b.filterIm[k];
      const pi = re[k] * b.filterIm[k] + im[k] * b.filterRe[k];
      // the inverse of the length-m transform, by conjugation; its 1/m comes below
      re[k] = pr;
      im[k] = -pi;
    }
    radix2(re, im, b.m, b.tw);
    for (let k = 0; k < n; k++) {
      const cr = re[k] / b.m, ci = -im[k] / b.m;
      const yr = cr * b.chirpRe[k] - ci * b.chirpIm[k];
      const yi = cr * b.chirpIm[k] + ci * b.chirpRe[k];
      out[base + 2 * k] = yr * scale;
      out[base + 2 * k + 1] = sign * yi * scale;
    }
  }
}
