/**
 * Seeded random numbers. Everything random in striate draws from a `Random` made from a seed,
 * so the same seed gives the same numbers. Without a seed, draws come from one global stream
 * that starts from a fixed seed (change it with `setSeed`), so even unseeded programs repeat.
 */

import type { DType } from '../backend/types.js';
import { sizeFromShape, typedArrayFor } from '../backend/shape_util.js';
import { makeTensor } from './engine.js';
import { assertDtype, assertShape } from './creation.js';
import type { Tensor } from './tensor.js';

/** xoshiro128** seeded through splitmix32: fast, 32-bit, good statistical quality. */
export class Random {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spareNormal: number | null = null;

  constructor(seed: number) {
    if (typeof seed !== 'number' || !Number.isFinite(seed)) {
      throw new Error(`Random: seed must be a finite number, got ${JSON.stringify(seed)}`);
    }
    // fold the full double into 32 bits so seeds like 0.5 and 2**40 differ
    let x = (Math.floor(seed) ^ Math.floor(seed / 2 ** 32) ^ Math.round((seed % 1) * 2 ** 31)) >>> 0;
    const next = (): number => {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
  }

  /** The generator's whole state, to save with a checkpoint and give back to `setState`. */
  getState(): number[] {
    return [this.s0, this.s1, this.s2, this.s3, this.spareNormal ?? NaN];
  }

  /** Continues exactly where the generator that gave `state` (from `getState`) was. */
  setState(state: readonly number[]): void {
    if (!Array.isArray(state) || state.length !== 5 || state.slice(0, 4).some((v) => !Number.isInteger(v) || v < -0x80000000 || v > 0xffffffff)) {
      throw new Error(`Random.setState: expected the 5 numbers getState() returns, got ${JSON.stringify(state)}`);
    }
    [this.s0, this.s1, this.s2, this.s3] = state;
    this.spareNormal = Number.isNaN(state[4]) || state[4] === null ? null : state[4];
  }

  /** A uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(((Math.imul(this.s1, 5) << 7) | (Math.imul(this.s1, 5) >>> 25)), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = (this.s3 << 11) | (this.s3 >>> 21);
    return result;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  next(): number {
    const hi = this.nextUint32() >>> 5;
    const lo = this.nextUint32() >>> 6;
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform in [min, max). */
  uniform(min = 0, max = 1): number {
    return min + (max - min) * this.next();
  }

  /** Standard normal (Box-Muller, both values used). */
  normal(mean = 0, stdDev = 1): number {
    if (this.spareNormal !== null) {
      const v = this.spareNormal;
      this.spareNormal = null;
      return mean + stdDev * v;
    }
    let u = 0;
    while (u === 0) u = this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = r * Math.sin(2 * Math.PI * v);
    return mean + stdDev * r * Math.cos(2 * Math.PI * v);
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Shuffles `array` in place (Fisher-Yates). */
  shuffle<T>(array: T[] | Int32Array | Float32Array): void {
    for (let i = array.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = array[i];
      array[i] = array[j];
      array[j] = tmp as never;
    }
  }
}

let globalRandom = new Random(42);

/**
 * Restarts the global stream that unseeded random draws come from.
 *
 * @example
 * ```ts
 * st.setSeed(42);
 * st.randomUniform([3]).print(); // the same three numbers on every run
 * ```
 */
export function setSeed(seed: number): void {
  globalRandom = new Random(seed);
}

/**
 * The global stream's state (for checkpoints that must resume a run exactly).
 *
 * @example
 * ```ts
 * const state = st.getGlobalRandomState();
 * const a = st.randomNormal([2]);
 * st.setGlobalRandomState(state);
 * st.randomNormal([2]).print(); // the same values as `a`
 * ```
 */
export function getGlobalRandomState(): number[] {
  return globalRandom.getState();
}

/**
 * @example
 * ```ts
 * const state = st.getGlobalRandomState();
 * st.randomUniform([2]).print();
 * st.setGlobalRandomState(state);
 * st.randomUniform([2]).print(); // the same two numbers again
 * ```
 */
export function setGlobalRandomState(state: readonly number[]): void {
  globalRandom.setState(state);
}

/**
 * A generator for `seed`, or the global stream when no seed is given.
 *
 * @example
 * ```ts
 * const rng = st.randomFor(7);
 * console.log(rng.getState());
 * ```
 */
export function randomFor(seed?: number): Random {
  return seed === undefined || seed === null ? globalRandom : new Random(seed);
}

// ---- random tensors (TensorFlow.js signatures) ----


function checkFinite(op: string, name: string, value: unknown): asserts value is number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new Error(`${op}: ${name} must be a finite number, got ${JSON.stringify(value)}`);
  }
}

function checkRandomArgs(op: string, shape: unknown, dtype: unknown, allowed: readonly DType[]): void {
  assertShape(op, shape);
  assertDtype(op, dtype);
  if (!allowed.includes(dtype)) {
    throw new Error(`${op}: dtype must be one of ${allowed.join(', ')}, got ${JSON.stringify(dtype)}`);
  }
}

function checkStdDev(op: string, stdDev: unknown): void {
  checkFinite(op, 'stdDev', stdDev);
  if (stdDev < 0) throw new Error(`${op}: stdDev must be non-negative, got ${stdDev}`);
}

function fillRandom(shape: readonly number[], dtype: DType, draw: () => number): Tensor {
  const n = sizeFromShape(shape);
  const data = typedArrayFor(dtype, n);
  if (dtype === 'int32') for (let i = 0; i < n; i++) data[i] = Math.round(draw());
  else for (let i = 0; i < n; i++) data[i] = draw();
  return makeTensor(data, shape, dtype);
}

/**
 * Values drawn from a normal distribution. The same `seed` gives the same values.
 *
 * @example
 * ```ts
 * st.randomNormal([2, 3], 0, 1, 'float32', 42).print();
 * ```
 */
export function randomNormal(shape: readonly number[], mean = 0, stdDev = 1,
  dtype: DType = 'float32', seed?: number): Tensor {
  const op = 'randomNormal';
  checkRandomArgs(op, shape, dtype, ['float32', 'float64', 'int32']);
  checkFinite(op, 'mean', mean);
  checkStdDev(op, stdDev);
  const rng = randomFor(seed);
  return fillRandom(shape, dtype, () => rng.normal(mean, stdDev));
}

/**
 * Values drawn uniformly from [minval, maxval). With dtype int32 the values are integers
 * in [minval, maxval) (TensorFlow.js behaviour).
 *
 * @example
 * ```ts
 * st.randomUniform([2, 2], -1, 1).print();
 * ```
 */
export function randomUniform(shape: readonly number[], minval = 0, maxval = 1,
  dtype: DType = 'float32', seed?: number): Tensor {
  const op = 'randomUniform';
  checkRandomArgs(op, shape, dtype, ['float32', 'float64', 'int32', 'bool']);
  checkFinite(op, 'minval', minval);
  checkFinite(op, 'maxval', maxval);
  if (maxval < minval) throw new Error(`${op}: maxval (${maxval}) must not be less than minval (${minval})`);
  const rng = randomFor(seed);
  const n = sizeFromShape(shape);
  const data = typedArrayFor(dtype, n);
  if (dtype === 'int32') {
    const lo = Math.ceil(minval);
    const span = Math.ceil(maxval) - lo;
    if (span <= 0 && n > 0) {
      throw new Error(`${op}: no integer lies in [${minval}, ${maxval}) for dtype int32`);
    }
    for (let i = 0; i < n; i++) data[i] = lo + rng.int(span);
  } else if (dtype === 'bool') {
    for (let i = 0; i < n; i++) data[i] = rng.uniform(minval, maxval) >= 0.5 ? 1 : 0;
  } else {
    for (let i = 0; i < n; i++) data[i] = rng.uniform(minval, maxval);
  }
  return makeTensor(data, shape, dtype);
}

/**
 * Values drawn from a normal distribution, with values more than two standard deviations from
 * the mean drawn again (TensorFlow.js `truncatedNormal`).
 *
 * @example
 * ```ts
 * st.truncatedNormal([3], 0, 0.1).print();
 * ```
 */
export function truncatedNormal(shape: readonly number[], mean = 0, stdDev = 1,
  dtype: DType = 'float32', seed?: number): Tensor {
  const op = 'truncatedNormal';
  checkRandomArgs(op, shape, dtype, ['float32', 'float64', 'int32']);
  checkFinite(op, 'mean', mean);
  checkStdDev(op, stdDev);
  const rng = randomFor(seed);
  return fillRandom(shape, dtype, () => {
    let z = rng.normal();
    while (Math.abs(z) > 2) z = rng.normal();
    return mean + stdDev * z;
  });
}
