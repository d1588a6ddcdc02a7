/**
 * Weight initializers, Keras 3 names and formulas: `st.initializers.glorotUniform({ seed: 1 })`.
 * Each is an object with `apply(shape, dtype)` that returns a fresh tensor. A seeded initializer
 * gives the same values on every call (as in Keras and TensorFlow.js); an unseeded one draws
 * from the global random stream (`st.setSeed`), so whole programs still repeat.
 */
import { hasApply, resolveIdentifier } from './lookup.js';
import { strictFactory } from '../tensor/options.js';
import type { DType } from '../backend/types.js';
import { Tensor } from '../tensor/tensor.js';
import { fill, tensor } from '../tensor/creation.js';
import { randomNormal as normalTensor, randomUniform as uniformTensor,
  truncatedNormal as truncatedTensor, randomFor } from '../tensor/random.js';

export interface Initializer {
  /** Keras class name, as written in saved configs: 'GlorotUniform', 'Zeros', ... */
  readonly className: string;
  apply(shape: readonly number[], dtype?: DType): Tensor;
  getConfig(): Record<string, unknown>;
}

/** What `getInitializer` accepts: a name, an initializer, or a saved `{ className, config }`. */
export type InitializerIdentifier = string | Initializer | { className: string; config?: Record<string, unknown> };

export interface SeedArgs { seed?: number }
export interface ConstantArgs { value?: number }
export interface RandomNormalArgs extends SeedArgs { mean?: number; stddev?: number }
export interface RandomUniformArgs extends SeedArgs { minval?: number; maxval?: number }
export type FanMode = 'fanIn' | 'fanOut' | 'fanAvg';
/** 'truncatedNormal' (Keras 3 default, stddev corrected for the truncation), 'normal' (= 'untruncatedNormal') or 'uniform' */
export type Distribution = 'truncatedNormal' | 'normal' | 'untruncatedNormal' | 'uniform';
export interface VarianceScalingArgs extends SeedArgs {
  scale?: number;
  /** also accepted in Keras' snake_case: 'fan_in', 'fan_out', 'fan_avg' */
  mode?: FanMode | 'fan_in' | 'fan_out' | 'fan_avg';
  distribution?: Distribution | 'truncated_normal' | 'untruncated_normal';
}
export interface OrthogonalArgs extends SeedArgs { gain?: number }
export interface IdentityArgs { gain?: number }

/** Stddev of a standard normal truncated to [-2, 2]: dividing by it restores the wanted variance. */
export const TRUNCATION_CORRECTION = 0.87962566103423978;

function checkNumber(where: string, name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new Error(`${where}: ${name} must be a finite number, got ${JSON.stringify(v)}`);
  }
  return v;
}

function checkSeed(where: string, seed: unknown): number | undefined {
  if (seed === undefined || seed === null) return undefined;
  return checkNumber(where, 'seed', seed);
}

function checkFloat(where: string, dtype: DType): void {
  if (dtype !== 'float32' && dtype !== 'float64') {
    throw new Error(`${where}: can only make float32 or float64 weights, got dtype ${JSON.stringify(dtype)}`);
  }
}

function checkShape(where: string, shape: readonly number[]): void {
  if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new Error(`${where}: shape must be an array of non-negative integers, got ${JSON.stringify(shape)}`);
  }
}

/**
 * Keras' fan computation: a vector's fan is its length; a dense kernel [in, out] has fanIn = in,
 * fanOut = out; a conv kernel [...receptiveField, inC, outC] multiplies both by the receptive field size.
 *
 * @example
 * ```ts
 * console.log(st.initializers.computeFans([3, 3, 8, 16])); // { fanIn: 72, fanOut: 144 }
 * ```
 */
export function computeFans(shape: readonly number[]): { fanIn: number; fanOut: number } {
  if (shape.length === 0) return { fanIn: 1, fanOut: 1 };
  if (shape.length === 1) return { fanIn: shape[0], fanOut: shape[0] };
  if (shape.length === 2) return { fanIn: shape[0], fanOut: shape[1] };
  const receptive = shape.slice(0, -2).reduce((a, b) => a * b, 1);
  return { fanIn: shape[shape.length - 2] * receptive, fanOut: shape[shape.length - 1] * receptive };
}

export class Zeros implements Initializer {
  readonly className = 'Zeros';
  apply(shape: readonly number[], dtype: DType = 'float32'): Tensor {
    checkShape('zeros initializer', shape);
    return fill(shape, 0, dtype);
  }
  getConfig(): Record<string, unknown> { return {}; }
}

export class Ones implements Initializer {
  readonly className = 'Ones';
  apply(shape: readonly number[], dtype: DType = 'float32'): Tensor {
    checkShape('ones initializer', shape);
    return fill(shape, 1, dtype);
  }
  getConfig(): Record<string, unknown> { return {}; }
}

export class Constant implements Initializer {
  readonly className = 'Constant';
  readonly value: number;
  constructor(args: ConstantArgs = {}) {
    this.value = checkNumber('constant initializer', 'value', args.value ?? 0);
  }
  apply(shape: readonly number[], dtype: DType = 'float32'): Tensor {
    checkShape('constant initializer', shape);
    return fill(shape, this.value, dtype);
  }
  getConfig(): Record<string, unknown> { return { value: this.value }; }
}

export class RandomNormal implements Initializer {
  readonly className = 'RandomNormal';
  readonly mean: number;
  readonly stddev: number;
  readonly seed?: number;
  constructor(args: RandomNormalArgs = {}) {
    const where = 'randomNormal initializer';
    this.mean = checkNumber(where, 'mean', args.mean ?? 0);
    this.stddev = checkNumber(where, 'stddev', args.stddev ?? 0.05);
    if (this.stddev < 0) throw new Error(`${where}: stddev must be non-negative, got ${this.stddev}`);
    this.seed = checkSeed(where, args.seed);
  }
  apply(shape: readonly number[], dtype: DType = 'float32'): Tensor {
    checkShape('randomNormal initializer', shape);
    checkFloat('randomNormal initializer', dtype);
    return normalTensor(shape, this.mean, this.stddev, dtype, this.seed);
  }
  getConfig(): Record<string, unknown> { return { mean: this.mean, stddev: this.stddev, seed: this.seed ?? null }; }
}

export class TruncatedNormal implements Initializer {
  readonly className = 'TruncatedNormal';
  readonly mean: number;
  readonly stddev: number;
  readonly seed?: number;
  constructor(args: RandomNormalArgs = {}) {
    const where = 'truncatedNormal initializer';
    this.mean = checkNumber(where, 'mean', args.mean ?? 0);
    this.stddev = checkNumber(where, 'stddev', args.stddev ?? 0.05);
    if (this.stddev < 0) throw new Error(`${where}: stddev must be non-negative, got ${this.stddev}`);
    this.seed = checkSeed(where, args.seed);
  }
  /** Normal values more than two stddevs from the mean are drawn again. */
  apply(shape: readonly number[], dtype: DType = 'float32'): Tensor {
    checkShape('truncatedNormal initializer', shape);
    checkFloat('truncatedNormal initializer', dtype);
    return truncatedTensor(shape, this.mean, this.stddev, dtype, this.seed);
  }
  getConfig(): Record<string, unknown> { return { mean: this.mean, stddev: this.stddev, seed: this.seed ?? null }; }
}

export class RandomUniform implements Initializer {
  readonly className = 'RandomUniform';
  readonly minval: number;
  readonly maxval: number;
  readonly seed?: number;
  constructor(args: RandomUniformArgs = {}) {
    const where = 'randomUniform initializer';
    this.minval = checkNumber(where, 'minval', args.minval ?? -0.05);
    this.maxval = checkNumber(where, 'maxval', args.maxval ?? 0.05);
    if (this.maxval < this.minval) {
      throw new Error(`${where}: maxval (${this.maxval}) must not be less than minval (${this.minval})`);
    }
    this.seed = checkSeed(where, args.seed);
  }
  apply(shape: readonly number[], dtype: DType = 'float32'): Tensor {
    checkShape('randomUniform initializer', shape);
    checkFloat('randomUniform initializer', dtype);
    return uniformTensor(shape, this.minval, this.maxval, dtype, this.seed);
  }
  getConfig(): Record<string, unknown> { return { minval: this.minval, maxval: this.maxval, seed: this.seed ?? null }; }
}

const MODES: Record<string, FanMode> = { fanin: 'fanIn', fanout: 'fanOut', fanavg: 'fanAvg' };
const DISTRIBUTIONS: Record<string, Distribution> = {
  truncatednormal: 'truncatedNormal', normal: 'normal', untruncatednormal: 'untruncatedNormal', uniform: 'uniform',
};

/**
 * Keras' VarianceScaling: with n = fanIn, fanOut or (fanIn + fanOut) / 2 by `mode`, values have
 * variance scale / n: uniform in ±sqrt(3 scale / n), normal with stddev sqrt(scale / n), or
 * normal truncated at two stddevs with stddev sqrt(scale / n) / 0.8796... (so the variance
 * after truncation is still scale / n).
 */
export class VarianceScaling implements Initializer {
  readonly className: string = 'VarianceScaling';
  readonly scale: number;
  readonly mode: FanMode;
  readonly distribution: Distribution;
  readonly seed?: number;
  constructor(args: VarianceScalingArgs = {}) {
    const where = 'varianceScaling initializer';
    this.scale = checkNumber(where, 'scale', args.scale ?? 1);
    if (!(this.scale > 0)) throw new Error(`${where}: scale must be positive, got ${this.scale}`);
    const mode = MODES[String(args.mode ?? 'fanIn').toLowerCase().replace(/_/g, '')];
    if (!mode) throw new Error(`${where}: mode must be 'fanIn', 'fanOut' or 'fanAvg', got ${JSON.stringify(args.mode)}`);
    this.mode = mode;
    const dist = DISTRIBUTIONS[String(args.distribution ?? 'truncatedNormal').toLowerCase().replace(/_/g, '')];
    if (!dist) {
      throw new Error(`${where}: distribution must be 'truncatedNormal', 'normal', 'untruncatedNormal' or 'uniform', ` +
        `got ${JSON.stringify(args.distribution)}`);
    }
    this.distribution = dist;
    this.seed = checkSeed(where, args.seed);
  }
  apply(shape: readonly number[], dtype: DType = 'float32'): Tensor {
    const where = `${this.className} initializer`;
    checkShape(where, shape);
    checkFloat(where, dtype);
    const { fanIn, fanOut } = computeFans(shape);
    const n = this.mode === 'fanIn' ? fanIn : this.mode === 'fanOut' ? fanOut : (fanIn + fanOut) / 2;
    const scale = this.scale / Math.max(1, n);
    if (this.distribution === 'uniform') {
      const limit = Math.sqrt(3 * scale);
      return uniformTensor(shape, -limit, limit, dtype, this.seed);
    }
    if (this.distribution === 'truncatedNormal') {
      return truncatedTensor(shape, 0, Math.sqrt(scale) / TRUNCATION_CORRECTION, dtype, this.seed);
    }
    return normalTensor(shape, 0, Math.sqrt(scale), dtype, this.seed);
  }
  getConfig(): Record<string, unknown> {
    return { scale: this.scale, mode: this.mode, distribution: this.distribution, seed: this.seed ?? null };
  }
}

/** A VarianceScaling with fixed scale, mode and distribution: only the seed is configurable. */
function preset(className: string, scale: number, mode: FanMode, distribution: Distribution) {
  return class extends VarianceScaling {
    override readonly className = className;
    constructor(args: SeedArgs = {}) {
      super({ scale, mode, distribution, seed: args.seed });
    }
    override getConfig(): Record<string, unknown> { return { seed: this.seed ?? null }; }
  };
}

/** uniform in ±sqrt(6 / (fanIn + fanOut)) */
export const GlorotUniform = preset('GlorotUniform', 1, 'fanAvg', 'uniform');
/** truncated normal, stddev sqrt(2 / (fanIn + fanOut)) after truncation */
export const GlorotNormal = preset('GlorotNormal', 1, 'fanAvg', 'truncatedNormal');
/** uniform in ±sqrt(6 / fanIn) */
export const HeUniform = preset('HeUniform', 2, 'fanIn', 'uniform');
/** truncated normal, stddev sqrt(2 / fanIn) after truncation */
export const HeNormal = preset('HeNormal', 2, 'fanIn', 'truncatedNormal');
/** uniform in ±sqrt(3 / fanIn) */
export const LeCunUniform = preset('LecunUniform', 1, 'fanIn', 'uniform');
/** truncated normal, stddev sqrt(1 / fanIn) after truncation */
export const LeCunNormal = preset('LecunNormal', 1, 'fanIn', 'truncatedNormal');

/**
 * Keras' Orthogonal: the Q of a QR decomposition of a normal matrix [max(rows, cols), min(rows, cols)]
 * (rows = product of all but the last dim), signs fixed so R's diagonal is positive, transposed
 * when rows < cols, times `gain`. Rows (or columns) of the result are orthonormal.
 */
export class Orthogonal implements Initializer {
  readonly className = 'Orthogonal';
  readonly gain: number;
  readonly seed?: number;
  constructor(args: OrthogonalArgs = {}) {
    this.gain = checkNumber('orthogonal initializer', 'gain', args.gain ?? 1);
    this.seed = checkSeed('orthogonal initializer', args.seed);
  }
  apply(shape: readonly number[], dtype: DType = 'float32'): Tensor {
    const where = 'orthogonal initializer';
    checkShape(where, shape);
    checkFloat(where, dtype);
    if (shape.length < 2) {
      throw new Error(`${where}: needs a shape of rank >= 2, got [${shape}]`);
    }
    const cols = shape[shape.length - 1];
    const rows = shape.slice(0, -1).reduce((a, b) => a * b, 1);
    const m = Math.max(rows, cols);
    const n = Math.min(rows, cols);
    const rng = randomFor(this.seed);
    // a: m x n, stored column by column
    const q: Float64Array[] = [];
    for (let j = 0; j < n; j++) {
      const col = new Float64Array(m);
      for (let i = 0; i < m; i++) col[i] = rng.normal();
      q.push(col);
    }
    // modified Gram-Schmidt, twice for stability; R's diagonal (the norms) comes out positive
    for (let j = 0; j < n; j++) {
      const v = q[j];
      for (let pass = 0; pass < 2; pass++) {
        for (let k = 0; k < j; k++) {
          const u = q[k];
          let dot = 0;
          for (let i = 0; i < m; i++) dot += u[i] * v[i];
          for (let i = 0; i < m; i++) v[i] -= dot * u[i];
        }
      }
      let norm = 0;
      for (let i = 0; i < m; i++) norm += v[i] * v[i];
      norm = Math.sqrt(norm);
      if (norm === 0) throw new Error(`${where}: drew a degenerate matrix; try another seed`);
      for (let i = 0; i < m; i++) v[i] /= norm;
    }
    // Q is m x n (column j = q[j]); the result is Q (rows >= cols) or Q^T (rows < cols), as rows x cols
    const out = new Float64Array(rows * cols);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        out[r * cols + c] = this.gain * (rows >= cols ? q[c][r] : q[r][c]);
      }
    }
    return tensor(out, shape, dtype);
  }
  getConfig(): Record<string, unknown> { return { gain: this.gain, seed: this.seed ?? null }; }
}

/** `gain` times the identity matrix (Keras 3 allows non-square 2-D shapes: ones on the main diagonal). */
export class Identity implements Initializer {
  readonly className = 'Identity';
  readonly gain: number;
  constructor(args: IdentityArgs = {}) {
    this.gain = checkNumber('identity initializer', 'gain', args.gain ?? 1);
  }
  apply(shape: readonly number[], dtype: DType = 'float32'): Tensor {
    const where = 'identity initializer';
    checkShape(where, shape);
    if (shape.length !== 2) throw new Error(`${where}: needs a 2-D shape [rows, cols], got [${shape}]`);
    const [rows, cols] = shape;
    const out = new Float64Array(rows * cols);
    for (let i = 0; i < Math.min(rows, cols); i++) out[i * cols + i] = this.gain;
    return tensor(out, shape, dtype);
  }
  getConfig(): Record<string, unknown> { return { gain: this.gain }; }
}

// ---- factories: st.initializers.glorotUniform({ seed: 1 }) ----

// Each factory checks its options object (`unknown option "stdev" for initializers.randomNormal; did you
// mean "stddev"?`); getInitializer keeps only these keys from saved configs.
const SEED = ['seed'];
/**
 * @example
 * ```ts
 * st.initializers.zeros().apply([2]).print(); // [0, 0]
 * ```
 */
export const zeros = strictFactory('initializers.zeros', [], (): Initializer => new Zeros());
/**
 * @example
 * ```ts
 * st.initializers.ones().apply([2]).print(); // [1, 1]
 * ```
 */
export const ones = strictFactory('initializers.ones', [], (): Initializer => new Ones());
/**
 * @example
 * ```ts
 * st.initializers.constant({ value: 0.5 }).apply([2]).print(); // [0.5, 0.5]
 * ```
 */
export const constant = strictFactory('initializers.constant', ['value'], (args: ConstantArgs = {}): Initializer => new Constant(args));
/**
 * @example
 * ```ts
 * st.initializers.randomNormal({ mean: 0, stddev: 0.05, seed: 1 }).apply([3]).print();
 * ```
 */
export const randomNormal = strictFactory('initializers.randomNormal', ['mean', 'stddev', ...SEED],
  (args: RandomNormalArgs = {}): Initializer => new RandomNormal(args));
/**
 * @example
 * ```ts
 * st.initializers.randomUniform({ minval: -0.1, maxval: 0.1, seed: 1 }).apply([3]).print();
 * ```
 */
export const randomUniform = strictFactory('initializers.randomUniform', ['minval', 'maxval', ...SEED],
  (args: RandomUniformArgs = {}): Initializer => new RandomUniform(args));
/**
 * @example
 * ```ts
 * st.initializers.truncatedNormal({ stddev: 0.1, seed: 1 }).apply([3]).print();
 * ```
 */
export const truncatedNormal = strictFactory('initializers.truncatedNormal', ['mean', 'stddev', ...SEED],
  (args: RandomNormalArgs = {}): Initializer => new TruncatedNormal(args));
/**
 * @example
 * ```ts
 * st.initializers.varianceScaling({ scale: 2, mode: 'fanIn', distribution: 'normal', seed: 1 }).apply([4, 2]).print();
 * ```
 */
export const varianceScaling = strictFactory('initializers.varianceScaling', ['scale', 'mode', 'distribution', ...SEED],
  (args: VarianceScalingArgs = {}): Initializer => new VarianceScaling(args));
/**
 * @example
 * ```ts
 * st.initializers.glorotUniform({ seed: 1 }).apply([4, 2]).print();
 * ```
 */
export const glorotUniform = strictFactory('initializers.glorotUniform', SEED, (args: SeedArgs = {}): Initializer => new GlorotUniform(args));
/**
 * @example
 * ```ts
 * st.initializers.glorotNormal({ seed: 1 }).apply([4, 2]).print();
 * ```
 */
export const glorotNormal = strictFactory('initializers.glorotNormal', SEED, (args: SeedArgs = {}): Initializer => new GlorotNormal(args));
/**
 * @example
 * ```ts
 * st.initializers.heUniform({ seed: 1 }).apply([4, 2]).print();
 * ```
 */
export const heUniform = strictFactory('initializers.heUniform', SEED, (args: SeedArgs = {}): Initializer => new HeUniform(args));
/**
 * @example
 * ```ts
 * st.initializers.heNormal({ seed: 1 }).apply([4, 2]).print();
 * ```
 */
export const heNormal = strictFactory('initializers.heNormal', SEED, (args: SeedArgs = {}): Initializer => new HeNormal(args));
/**
 * @example
 * ```ts
 * st.initializers.leCunUniform({ seed: 1 }).apply([4, 2]).print();
 * ```
 */
export const leCunUniform = strictFactory('initializers.leCunUniform', SEED, (args: SeedArgs = {}): Initializer => new LeCunUniform(args));
/**
 * @example
 * ```ts
 * st.initializers.leCunNormal({ seed: 1 }).apply([4, 2]).print();
 * ```
 */
export const leCunNormal = strictFactory('initializers.leCunNormal', SEED, (args: SeedArgs = {}): Initializer => new LeCunNormal(args));
/**
 * @example
 * ```ts
 * const q = st.initializers.orthogonal({ seed: 1 }).apply([3, 3]);
 * st.matMul(q, q, true).print(); // the identity
 * ```
 */
export const orthogonal = strictFactory('initializers.orthogonal', ['gain', ...SEED],
  (args: OrthogonalArgs = {}): Initializer => new Orthogonal(args));
/**
 * @example
 * ```ts
 * st.initializers.identity({ gain: 2 }).apply([2, 2]).print(); // [[2, 0], [0, 2]]
 * ```
 */
export const identity = strictFactory('initializers.identity', ['gain'], (args: IdentityArgs = {}): Initializer => new Identity(args));

/** The factories as one object, TensorFlow.js style. */
export const initializers = {
  zeros, ones, constant, randomNormal, randomUniform, truncatedNormal, varianceScaling,
  glorotUniform, glorotNormal, heUniform, heNormal, leCunUniform, leCunNormal, orthogonal, identity,
};

type Factory = (args?: Record<string, unknown>) => Initializer;

/**
 * An initializer from a name ('glorotUniform', 'glorot_uniform', 'GlorotUniform', 'zeros', ...),
 * an initializer object (returned as is), or a saved `{ className, config }`.
 *
 * @example
 * ```ts
 * const init = st.initializers.getInitializer('glorotUniform');
 * init.apply([2, 3]).print();
 * ```
 */
export function getInitializer(identifier: InitializerIdentifier, where = 'getInitializer'): Initializer {
  return resolveIdentifier('initializer', identifier, initializers as unknown as Record<string, Factory>,
    hasApply<Initializer>, where, { normal: 'randomNormal', uniform: 'randomUniform' });
}
