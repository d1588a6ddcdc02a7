/**
 * Preparing numbers for a network: one-hot labels (`toCategorical`, Keras' name), scaling to
 * [0, 1] (`rescale`) and standardisation whose mean and spread come from the training data only
 * and are then applied unchanged to validation and test data.
 */
import { makeTensor } from '../tensor/engine.js';
import { Tensor } from '../tensor/tensor.js';
import { NumbersLike, rowsOf } from './rows.js';

/**
 * One-hot rows [n, numClasses] (float32) from integer class labels [n] or [n, 1].
 * `numClasses` defaults to the largest label + 1.
 *
 * @example
 * ```ts
 * st.data.toCategorical([0, 2, 1], 3).print(); // [[1, 0, 0], [0, 0, 1], [0, 1, 0]]
 * ```
 */
export function toCategorical(labels: NumbersLike, numClasses?: number): Tensor {
  const op = 'toCategorical';
  const rows = rowsOf(op, 'labels', labels);
  if (rows.rowSize !== 1 && rows.count > 0) {
    throw new Error(`${op}: expected labels of shape [n] or [n, 1], got [${rows.shape.join(', ')}]`);
  }
  const values = rows.data;
  let largest = -1;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isInteger(v) || v < 0) {
      throw new Error(`${op}: labels[${i}] = ${v}; class labels must be whole numbers >= 0`);
    }
    if (v > largest) largest = v;
  }
  const k = numClasses ?? largest + 1;
  if (!Number.isInteger(k) || k < 1) throw new Error(`${op}: numClasses must be a positive integer, got ${k}`);
  if (largest >= k) {
    const at = Array.prototype.findIndex.call(values, (v: number) => v >= k);
    throw new Error(`${op}: labels[${at}] = ${values[at]} is out of range for ${k} classes (expected 0..${k - 1})`);
  }
  const out = new Float32Array(values.length * k);
  for (let i = 0; i < values.length; i++) out[i * k + values[i]] = 1;
  return makeTensor(out, [values.length, k], 'float32');
}

/**
 * `x * scale + offset` as float32 (Keras' Rescaling); the default maps bytes 0..255 to [0, 1].
 *
 * @example
 * ```ts
 * st.data.rescale(st.tensor1d([0, 255])).print(); // [0, 1]
 * ```
 */
export function rescale(x: NumbersLike, scale = 1 / 255, offset = 0): Tensor {
  const rows = rowsOf('rescale', 'x', x);
  const out = new Float32Array(rows.data.length);
  for (let i = 0; i < out.length; i++) out[i] = rows.data[i] * scale + offset;
  return makeTensor(out, rows.shape, 'float32');
}

export type StandardizeAxis = 'feature' | 'channel' | 'global';

export interface StandardizeOptions {
  /**
   * what gets its own mean and deviation: 'feature' (each value position of a row, the default,
   * like scikit-learn's StandardScaler), 'channel' (the last axis, for NHWC images, like Keras'
   * featurewise_center), or 'global' (one mean and one deviation for everything)
   */
  axis?: StandardizeAxis;
  /** added to the deviation before dividing so that constant features do not divide by zero */
  epsilon?: number;
}

/** Mean and standard deviation measured on training data, applied as `(x - mean) / (std + epsilon)`. */
export class Standardizer {
  constructor(
    /** one mean per group (feature, channel, or one for 'global') */
    readonly mean: Float32Array,
    /** the population standard deviations, same layout as `mean` */
    readonly std: Float32Array,
    readonly axis: StandardizeAxis,
    readonly epsilon: number,
    /** the row shape the statistics were measured on (for error messages and checks) */
    readonly rowShape: readonly number[],
  ) {}

  /** Which group each of a row's values belongs to: `groupOf(j)` for j < rowSize. */
  private groupsFor(op: string, shape: readonly number[]): (j: number) => number {
    const row = shape.slice(1);
    if (this.axis === 'global') return () => 0;
    if (this.axis === 'channel') {
      const c = row[row.length - 1];
      if (c !== this.mean.length) {
        throw new Error(`${op}: statistics are for ${this.mean.length} channels, got data with ${c} on its last axis [${shape.join(', ')}]`);
      }
      return (j) => j % c;
    }
    const size = row.reduce((a, b) => a * b, 1);
    if (size !== this.mean.length) {
      throw new Error(`${op}: statistics are for rows of shape [${this.rowShape.join(', ')}], got data of shape [${shape.join(', ')}]`);
    }
    return (j) => j;
  }

  /** `(x - mean) / (std + epsilon)` with the stored statistics, as float32. */
  apply(x: NumbersLike): Tensor {
    const rows = rowsOf('Standardizer.apply', 'x', x);
    const group = this.groupsFor('Standardizer.apply', rows.shape);
    const out = new Float32Array(rows.data.length);
    const { rowSize } = rows;
    for (let j = 0; j < rowSize; j++) {
      const g = group(j);
      const m = this.mean[g];
      const scale = 1 / (this.std[g] + this.epsilon);
      for (let i = j; i < out.length; i += rowSize) out[i] = (rows.data[i] - m) * scale;
    }
    return makeTensor(out, rows.shape, 'float32');
  }

  /** Undoes `apply`. */
  invert(x: NumbersLike): Tensor {
    const rows = rowsOf('Standardizer.invert', 'x', x);
    const group = this.groupsFor('Standardizer.invert', rows.shape);
    const out = new Float32Array(rows.data.length);
    for (let i = 0; i < out.length; i++) {
      const g = group(i % rows.rowSize);
      out[i] = rows.data[i] * (this.std[g] + this.epsilon) + this.mean[g];
    }
    return makeTensor(out, rows.shape, 'float32');
  }

  /** The statistics as plain numbers, to save beside a model. */
  toJSON(): { mean: number[]; std: number[]; axis: StandardizeAxis; epsilon: number; rowShape: number[] } {
    return { mean: [...this.mean], std: [...this.std], axis: this.axis, epsilon: this.epsilon, rowShape: [...this.rowShape] };
  }

  static fromJSON(json: ReturnType<Standardizer['toJSON']>): Standardizer {
    return new Standardizer(Float32Array.from(json.mean), Float32Array.from(json.std), json.axis, json.epsilon, json.rowShape);
  }
}

/**
 * Measures mean and standard deviation on `xTrain` and returns a `Standardizer` holding them:
 * `const s = standardize(xTrain); const a = s.apply(xTrain), b = s.apply(xTest);`
 *
 * @example
 * ```ts
 * const scaler = st.data.standardize(st.tensor2d([[1, 10], [3, 30]]));
 * scaler.apply(st.tensor2d([[2, 20]])).print(); // [[0, 0]]
 * ```
 */
export function standardize(xTrain: NumbersLike, options: StandardizeOptions = {}): Standardizer {
  const op = 'standardize';
  const axis = options.axis ?? 'feature';
  if (!['feature', 'channel', 'global'].includes(axis)) {
    throw new Error(`${op}: axis must be 'feature', 'channel' or 'global', got ${JSON.stringify(axis)}`);
  }
  const epsilon = options.epsilon ?? 1e-7;
  const rows = rowsOf(op, 'xTrain', xTrain);
  if (rows.count === 0) throw new Error(`${op}: xTrain has no rows to measure`);
  const row = rows.shape.slice(1);
  const groups = axis === 'global' ? 1 : axis === 'channel' ? (row[row.length - 1] ?? 1) : rows.rowSize;
  // float64 sums: float32 would lose digits over 70,000 images x 784 pixels
  const sum = new Float64Array(groups);
  const sumSq = new Float64Array(groups);
  const d = rows.data;
  for (let i = 0; i < d.length; i++) {
    const v = d[i];
    if (!Number.isFinite(v)) throw new Error(`${op}: xTrain holds ${v} at flat index ${i}; expected finite numbers`);
    const g = i % rows.rowSize % groups;
    sum[g] += v;
  }
  const perGroup = d.length / groups;
  const mean = new Float64Array(groups);
  for (let g = 0; g < groups; g++) mean[g] = sum[g] / perGroup;
  // deviations from the mean (two passes) stay accurate when the mean is large
  for (let i = 0; i < d.length; i++) {
    const g = i % rows.rowSize % groups;
    const dv = d[i] - mean[g];
    sumSq[g] += dv * dv;
  }
  const std = new Float32Array(groups);
  for (let g = 0; g < groups; g++) std[g] = Math.sqrt(sumSq[g] / perGroup);
  return new Standardizer(Float32Array.from(mean), std, axis, epsilon, row);
}
