/**
 * Random sampling with TensorFlow.js signatures: multinomial, randomUniformInt, randomGamma,
 * randomStandardNormal, rand. Seeded draws come from striate's own generator
 * (tensor/random.ts): the same seed repeats the same numbers here, though not TensorFlow.js's.
 */
import type { DType } from '../backend/types.js';
import { sizeFromShape, typedArrayFor } from '../backend/shape_util.js';
import { Tensor } from '../tensor/tensor.js';
import { makeTensor } from '../tensor/engine.js';
import { assertShape } from '../tensor/creation.js';
import { checkArgType } from '../tensor/options.js';
import { randomFor, randomNormal, randomUniform, type Random } from '../tensor/random.js';
import { noGrad } from '../autograd/tape.js';
import { convert, isFloat, type TensorInput } from './op.js';
import { cast } from './arithmetic.js';
import { softmax } from './activations.js';

/**
 * `numSamples` class indices per row drawn from the categorical distribution of each row of
 * `logits` ([classes] or [batch, classes]); with `normalized` the rows are probabilities
 * instead of logits (each row is divided by its sum). int32 [numSamples] or [batch, numSamples].
 *
 * @example
 * ```ts
 * const logits = st.tensor2d([[0, 0, 10]]);
 * st.multinomial(logits, 3, 42).print(); // almost surely [[2, 2, 2]]
 * ```
 */
export function multinomial(logits: TensorInput, numSamples: number, seed?: number, normalized = false): Tensor {
  const op = 'multinomial';
  const t = convert(logits, op, 'logits');
  if (t.size < 2) throw new Error(`${op}: expected at least 2 outcomes, got ${t.size} (shape [${t.shape}])`);
  if (t.rank !== 1 && t.rank !== 2) throw new Error(`${op}: expected 'logits' of rank 1 or 2, got shape [${t.shape}]`);
  if (!Number.isInteger(numSamples) || numSamples < 0) {
    throw new Error(`${op}: expected 'numSamples' to be a non-negative integer, got ${JSON.stringify(numSamples)}`);
  }
  if (seed !== undefined && seed !== null) checkArgType(op, 'seed', seed, 'number');
  checkArgType(op, 'normalized', normalized, 'boolean');
  const rows = t.rank === 1 ? 1 : t.shape[0];
  const classes = t.shape[t.rank - 1];
  const probs = noGrad(() => {
    const f = isFloat(t.dtype) ? t : cast(t, 'float32');
    return (normalized ? f : softmax(f, -1)).dataSync();
  });
  const rng = randomFor(seed);
  const out = new Int32Array(rows * numSamples);
  const cdf = new Float64Array(classes);
  for (let r = 0; r < rows; r++) {
    let total = 0;
    for (let c = 0; c < classes; c++) {
      total += Math.max(probs[r * classes + c], 0);
      cdf[c] = total;
    }
    for (let s = 0; s < numSamples; s++) {
      // the first class whose cumulative weight exceeds the draw (binary search)
      const u = rng.next() * total;
      let lo = 0;
      let hi = classes - 1;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (cdf[mid] > u) hi = mid;
        else lo = mid + 1;
      }
      out[r * numSamples + s] = lo;
    }
  }
  return makeTensor(out, t.rank === 1 ? [numSamples] : [rows, numSamples], 'int32');
}

/**
 * Integers drawn uniformly from [minval, maxval) (int32).
 *
 * @example
 * ```ts
 * st.randomUniformInt([5], 0, 10, 1).print(); // five integers in [0, 10)
 * ```
 */
export function randomUniformInt(shape: readonly number[], minval: number, maxval: number, seed?: number | string): Tensor {
  return randomUniform(shape, minval, maxval, 'int32', seedNumber('randomUniformInt', seed));
}

/**
 * Draws from the standard normal distribution (mean 0, standard deviation 1).
 *
 * @example
 * ```ts
 * st.randomStandardNormal([3], 'float32', 1).print();
 * ```
 */
export function randomStandardNormal(shape: readonly number[], dtype: DType = 'float32', seed?: number): Tensor {
  if (dtype === 'bool') throw new Error(`randomStandardNormal: dtype must be float32, float64 or int32, got bool`);
  return randomNormal(shape, 0, 1, dtype, seed);
}

/** One Gamma(alpha, 1) draw (Marsaglia and Tsang; alpha < 1 through Gamma(alpha + 1) u^(1/alpha)). */
function gammaDraw(rng: Random, alpha: number): number {
  const d = (alpha < 1 ? alpha + 1 : alpha) - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  let v: number;
  for (;;) {
    let x: number;
    do {
      x = rng.normal();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rng.next();
    if (u < 1 - 0.0331 * x * x * x * x || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) break;
  }
  let g = d * v;
  if (alpha < 1) {
    let u = rng.next();
    while (u === 0) u = rng.next();
    g *= Math.pow(u, 1 / alpha);
  }
  return g;
}

/**
 * Draws from a Gamma distribution of shape `alpha`, multiplied by `beta` (default 1): mean
 * alpha·beta, variance alpha·beta², as TensorFlow.js's samples have. int32 rounds.
 *
 * @example
 * ```ts
 * st.randomGamma([3], 2, 1, 'float32', 1).print();
 * ```
 */
export function randomGamma(shape: readonly number[], alpha: number, beta = 1, dtype: DType = 'float32', seed?: number): Tensor {
  const op = 'randomGamma';
  assertShape(op, shape);
  if (typeof alpha !== 'number' || !(alpha > 0)) throw new Error(`${op}: expected 'alpha' to be a number > 0, got ${JSON.stringify(alpha)}`);
  const scale = beta ?? 1;
  if (typeof scale !== 'number' || !(scale > 0)) throw new Error(`${op}: expected 'beta' to be a number > 0, got ${JSON.stringify(beta)}`);
  const type = dtype ?? 'float32';
  if (type !== 'float32' && type !== 'float64' && type !== 'int32') {
    throw new Error(`${op}: dtype must be float32, float64 or int32, got ${JSON.stringify(dtype)}`);
  }
  const rng = randomFor(seed);
  const n = sizeFromShape(shape);
  const data = typedArrayFor(type, n);
  for (let i = 0; i < n; i++) {
    const g = scale * gammaDraw(rng, alpha);
    data[i] = type === 'int32' ? Math.round(g) : g;
  }
  return makeTensor(data, shape, type);
}

/**
 * A tensor of `shape` filled by calling `randFunction` once per element.
 *
 * @example
 * ```ts
 * st.rand([2, 2], () => 7).print(); // every value from the function
 * ```
 */
export function rand(shape: readonly number[], randFunction: () => number, dtype: DType = 'float32'): Tensor {
  const op = 'rand';
  assertShape(op, shape);
  checkArgType(op, 'randFunction', randFunction, 'function');
  const type = dtype ?? 'float32';
  if (!['float32', 'float64', 'int32', 'bool'].includes(type)) {
    throw new Error(`${op}: dtype must be float32, float64, int32 or bool, got ${JSON.stringify(dtype)}`);
  }
  const data = typedArrayFor(type, sizeFromShape(shape));
  for (let i = 0; i < data.length; i++) data[i] = randFunction();
  return makeTensor(data, shape, type);
}

/** TensorFlow.js also takes string seeds for some draws: folded to a number here. */
function seedNumber(op: string, seed: number | string | undefined): number | undefined {
  if (seed === undefined || seed === null) return undefined;
  if (typeof seed === 'number') return seed;
  if (typeof seed === 'string') {
    let h = 2166136261;
    for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 16777619) >>> 0;
    return h;
  }
  throw new Error(`${op}: expected 'seed' to be a number or a string, got ${typeof seed}`);
}
