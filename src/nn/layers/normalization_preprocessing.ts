/**
 * Keras' Normalization preprocessing layer, as Keras files have it (EfficientNet starts with one):
 * (x - mean) / max(sqrt(variance), 1e-7) per feature along `axis`, or the inverse with `invert`.
 * The statistics come from the config (`mean`, `variance`) or, when the config has none, from the
 * layer's weights `mean`, `variance` and `count` (what Keras' `adapt` fills in, saved in the file).
 * TensorFlow.js has no such layer; `adapt` is not implemented here.
 */
import { Tensor } from '../../tensor/tensor.js';
import { tensor } from '../../tensor/creation.js';
import * as ops from '../../ops/index.js';
import { Layer, LayerArgs, Shape, singleShape } from '../layer.js';
import type { LayerVariable } from '../layer_variable.js';

export interface NormalizationArgs extends LayerArgs {
  /** the axis or axes that keep a statistic each (default -1, the features) */
  axis?: number | number[] | null;
  mean?: number | number[] | null;
  variance?: number | number[] | null;
  invert?: boolean;
}

/** Keras' backend epsilon, the floor of the standard deviation */
const EPSILON = 1e-7;

export class Normalization extends Layer {
  get className(): string {
    return 'Normalization';
  }
  readonly axis: number[];
  readonly invert: boolean;
  private readonly givenMean?: number | number[];
  private readonly givenVariance?: number | number[];
  meanWeight?: LayerVariable;
  varianceWeight?: LayerVariable;
  countWeight?: LayerVariable;

  constructor(args: NormalizationArgs = {}) {
    super(args ?? {});
    const a = args ?? {};
    const axis = a.axis === undefined ? [-1] : a.axis === null ? [] : Array.isArray(a.axis) ? a.axis : [a.axis];
    if (!axis.every((v) => Number.isInteger(v))) throw this.error(`axis must be an integer or a list of them, got ${JSON.stringify(a.axis)}`);
    this.axis = axis;
    this.invert = a.invert ?? false;
    if ((a.mean === undefined || a.mean === null) !== (a.variance === undefined || a.variance === null)) {
      throw this.error('give both mean and variance, or neither (then they are the layer\'s weights, as adapt() leaves them)');
    }
    for (const [what, v] of [['mean', a.mean], ['variance', a.variance]] as const) {
      if (v !== undefined && v !== null && typeof v !== 'number' && !(Array.isArray(v) && v.every((n) => typeof n === 'number'))) {
        throw this.error(`${what} must be a number or a list of numbers, got ${JSON.stringify(v)}`);
      }
    }
    this.givenMean = a.mean ?? undefined;
    this.givenVariance = a.variance ?? undefined;
  }

  /** The input axes that keep their own statistic, as non-negative indices. */
  private keptAxes(rank: number): number[] {
    return this.axis.map((a) => {
      const k = a < 0 ? a + rank : a;
      if (k < 1 || k >= rank) throw this.error(`axis ${a} is out of range for input of rank ${rank} (the batch axis cannot be one)`);
      return k;
    });
  }

  computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const s = singleShape(this, inputShape);
    for (const k of this.keptAxes(s.length)) {
      if (s[k] === null) throw this.error(`axis ${k} of the input must have a known size`);
    }
    return [...s];
  }

  override build(inputShape: Shape | Shape[]): void {
    if (this.givenMean !== undefined) return;
    const s = singleShape(this, inputShape);
    const shape = this.keptAxes(s.length).map((k) => s[k] as number);
    this.meanWeight = this.addWeight('mean', shape, 'zeros', { trainable: false });
    this.varianceWeight = this.addWeight('variance', shape, 'ones', { trainable: false });
    this.countWeight = this.addWeight('count', [], 'zeros', { trainable: false, dtype: 'int32' });
  }

  /** mean or variance shaped to broadcast against an input of `shape`. */
  private statistic(given: number | number[] | undefined, weight: LayerVariable | undefined, shape: readonly number[]): Tensor {
    const kept = this.keptAxes(shape.length);
    const broadcast = shape.map((d, i) => (kept.includes(i) ? d : 1));
    if (given === undefined) return ops.reshape(weight as unknown as Tensor, broadcast);
    if (typeof given === 'number') return tensor(given);
    const size = broadcast.reduce((a, b) => a * b, 1);
    if (given.length === 1) return tensor(given[0]);
    if (given.length !== size) throw this.error(`expected ${size} statistics for input ${JSON.stringify(shape)}, got ${given.length}`);
    return tensor(given, broadcast);
  }

  call(inputs: Tensor | Tensor[]): Tensor {
    const x0 = Array.isArray(inputs) ? inputs[0] : inputs;
    const x = x0.dtype === 'float32' || x0.dtype === 'float64' ? x0 : ops.cast(x0, 'float32');
    const mean = ops.cast(this.statistic(this.givenMean, this.meanWeight, x.shape), x.dtype);
    const std = ops.maximum(ops.sqrt(ops.cast(this.statistic(this.givenVariance, this.varianceWeight, x.shape), x.dtype)), EPSILON);
    return this.invert ? ops.add(ops.mul(x, std), mean) : ops.div(ops.sub(x, mean), std);
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(), axis: this.axis.length === 1 ? this.axis[0] : [...this.axis],
      mean: this.givenMean ?? null, variance: this.givenVariance ?? null, invert: this.invert,
    };
  }
}
