/** Normalisation and regularisation ops: dropout, batchNorm, localResponseNormalization. */
import { broadcastShapes } from '../backend/shape_util.js';
import { Tensor } from '../tensor/tensor.js';
import { tensor } from '../tensor/creation.js';
import { randomFor } from '../tensor/random.js';
import { shouldRecord } from '../autograd/tape.js';
import { chainable, convert, isFloat, assertFloat, assertRank, wrap, type TensorInput } from './op.js';
import { add, cast, div, mul, pow, rsqrt, square, sub } from './arithmetic.js';
import { matMul } from './matmul.js';
import { reshape } from './transform.js';

/**
 * Inverted dropout: each element is zeroed with probability `rate` and the kept ones are scaled
 * by 1 / (1 - rate), so the expected value is unchanged. The mask is drawn from `seed` (the
 * global stream without one) and has shape `noiseShape` (default x's shape), broadcast over x.
 * The gradient is multiplied by the same mask.
 *
 * @example
 * ```ts
 * st.dropout(st.ones([8]), 0.5, 1).print(); // about half are 0, the rest 2
 * ```
 */
export function dropout(x: TensorInput, rate: number, seed?: number, noiseShape?: readonly number[]): Tensor {
  const op = 'dropout';
  let t = convert(x, op, 'x');
  if (!isFloat(t.dtype)) t = cast(t, 'float32');
  if (typeof rate !== 'number' || !(rate >= 0 && rate < 1)) {
    throw new Error(`${op}: rate must be a number in [0, 1), got ${JSON.stringify(rate)}`);
  }
  const shape = noiseShape === undefined || noiseShape === null ? t.shape : [...noiseShape];
  if (!Array.isArray(shape) || shape.length !== t.rank || shape.some((d, i) => !Number.isInteger(d) || (d !== 1 && d !== t.shape[i]))) {
    throw new Error(`${op}: noiseShape [${shape}] must have x's rank and each dimension 1 or x's (x is [${t.shape}])`);
  }
  if (rate === 0) return t;
  const keep = 1 - rate;
  const random = randomFor(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  const scale = 1 / keep;
  // one 32-bit draw per element is resolution enough for a keep/drop decision
  const threshold = keep * 2 ** 32;
  const be = t.backend;
  if (t.dtype === 'float32' && be.dropoutMask) {
    // the same draws made by the backend (the wasm one: in the heap, ~5x faster than this loop)
    const state = random.getState();
    const words = Int32Array.from(state.slice(0, 4), (v) => v | 0);
    const id = be.dropoutMask(n, words, threshold, Math.fround(scale));
    if (id !== null) {
      random.setState([...words, state[4]]);
      return mul(t, wrap(be, id, shape, 'float32'));
    }
  }
  const values = t.dtype === 'float64' ? new Float64Array(n) : new Float32Array(n);
  for (let i = 0; i < n; i++) values[i] = random.nextUint32() < threshold ? scale : 0;
  const mask = tensor(values, shape, t.dtype);
  return mul(t, mask);
}

/** Checks that `p` broadcasts to x's shape without growing it. */
function assertBroadcastsTo(op: string, x: Tensor, p: Tensor, arg: string): void {
  const out = broadcastShapes(x.shape, p.shape);
  if (out === null || out.length !== x.rank || out.some((d, i) => d !== x.shape[i])) {
    throw new Error(`${op}: '${arg}' of shape [${p.shape}] does not broadcast to x [${x.shape}]`);
  }
}

/**
 * (x - mean) / sqrt(variance + varianceEpsilon) * scale + offset, as TensorFlow.js' batchNorm.
 * The statistics broadcast against x (usually shape [channels], the last axis). Differentiable
 * with respect to every tensor argument.
 *
 * @example
 * ```ts
 * const x = st.tensor2d([[1, 2], [3, 4]]);
 * st.batchNorm(x, st.tensor1d([2, 3]), st.tensor1d([1, 1])).print(); // (x - mean) / sqrt(var + ε)
 * ```
 */
export function batchNorm(
  x: TensorInput, mean: TensorInput, variance: TensorInput,
  offset?: TensorInput | null, scale?: TensorInput | null, varianceEpsilon = 0.001,
): Tensor {
  const op = 'batchNorm';
  let t = convert(x, op, 'x');
  if (!isFloat(t.dtype)) t = cast(t, 'float32');
  if (typeof varianceEpsilon !== 'number' || !(varianceEpsilon >= 0)) {
    throw new Error(`${op}: varianceEpsilon must be a number >= 0, got ${JSON.stringify(varianceEpsilon)}`);
  }
  const param = (v: TensorInput, arg: string): Tensor => {
    const p = convert(v, op, arg, t.dtype);
    assertBroadcastsTo(op, t, p, arg);
    return p.dtype === t.dtype ? p : cast(p, t.dtype);
  };
  const m = param(mean, 'mean');
  const v = param(variance, 'variance');
  const o = offset !== undefined && offset !== null ? param(offset, 'offset') : null;
  const s = scale !== undefined && scale !== null ? param(scale, 'scale') : null;
  const fast = inferenceKernel(t, m, v, o, s, varianceEpsilon);
  if (fast) return fast;
  let inv = rsqrt(add(v, varianceEpsilon));
  if (s) inv = mul(inv, s);
  const y = mul(sub(t, m), inv);
  return o ? add(y, o) : y;
}

/**
 * The backend's one-pass kernel for batchNorm with per-channel [c] statistics on the last
 * axis, float32, when nothing asks for a gradient (prediction and evaluation); null otherwise,
 * and the composed ops above run (and give the gradients).
 */
function inferenceKernel(x: Tensor, m: Tensor, v: Tensor, o: Tensor | null, s: Tensor | null, epsilon: number): Tensor | null {
  const be = x.backend;
  const params = [m, v, ...(o ? [o] : []), ...(s ? [s] : [])];
  const c = x.shape[x.rank - 1];
  if (!be.batchNorm || x.dtype !== 'float32' || x.rank < 1 || shouldRecord([x, ...params])) return null;
  if (!params.every((p) => p.dtype === 'float32' && p.rank === 1 && p.shape[0] === c && p.backend === be)) return null;
  const r = be.batchNorm(x, { mean: m, variance: v }, s, o, epsilon);
  return r ? wrap(be, r.y, x.shape, 'float32') : null;
}

/**
 * TensorFlow.js' localResponseNormalization over the channels of an NHWC tensor:
 * sqrSum[n,h,w,c] = sum of x[n,h,w,k]^2 for |k - c| <= depthRadius;
 * y = x / (bias + alpha * sqrSum)^beta.
 * The window sum is a product with a banded [C, C] 0/1 matrix.
 *
 * @example
 * ```ts
 * st.localResponseNormalization(st.ones([1, 1, 1, 3]), 1).print();
 * ```
 */
export function localResponseNormalization(x: TensorInput, depthRadius = 5, bias = 1, alpha = 1, beta = 0.5): Tensor {
  const op = 'localResponseNormalization';
  const t = convert(x, op, 'x');
  assertFloat(op, t);
  assertRank(op, t, 4, 'x', '[batch, height, width, channels]');
  if (!Number.isInteger(depthRadius) || depthRadius < 0) {
    throw new Error(`${op}: depthRadius must be an integer >= 0, got ${JSON.stringify(depthRadius)}`);
  }
  for (const [name, value] of [['bias', bias], ['alpha', alpha], ['beta', beta]] as const) {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new Error(`${op}: ${name} must be a finite number, got ${JSON.stringify(value)}`);
    }
  }
  const c = t.shape[3];
  if (t.size === 0) return t;
  const band = new Float64Array(c * c);
  for (let i = 0; i < c; i++) {
    for (let j = Math.max(0, i - depthRadius); j <= Math.min(c - 1, i + depthRadius); j++) band[i * c + j] = 1;
  }
  const window = tensor(band, [c, c], t.dtype);
  const sqrSum = reshape(matMul(reshape(square(t), [-1, c]), window), t.shape);
  return div(t, pow(add(mul(sqrSum, alpha), bias), beta));
}

declare module '../tensor/tensor.js' {
  interface Tensor {
    dropout(rate: number, seed?: number, noiseShape?: readonly number[]): Tensor;
    batchNorm(mean: TensorInput, variance: TensorInput, offset?: TensorInput | null,
      scale?: TensorInput | null, varianceEpsilon?: number): Tensor;
    localResponseNormalization(depthRadius?: number, bias?: number, alpha?: number, beta?: number): Tensor;
  }
}

chainable({ dropout, batchNorm, localResponseNormalization });
