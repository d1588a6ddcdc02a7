/**
 * BatchNormalization (Keras 3: momentum 0.99, epsilon 1e-3, biased batch variance) and
 * LayerNormalization (epsilon 1e-3).
 */
import { Tensor, Variable } from '../../tensor/tensor.js';
import * as ops from '../../ops/index.js';
import { noGrad } from '../../autograd/tape.js';
import { CallArgs, Layer, LayerArgs, Shape, shapeString, singleShape } from '../layer.js';
import { getInitializer, type InitializerIdentifier } from '../initializers.js';
import { getRegularizer, type RegularizerIdentifier } from '../regularizers.js';
import { getConstraint, type ConstraintIdentifier } from '../constraints.js';

function one(inputs: Tensor | Tensor[]): Tensor {
  return Array.isArray(inputs) ? inputs[0] : inputs;
}

export interface BatchNormalizationArgs extends LayerArgs {
  /**
   * the features axis, normalised per entry (default -1, the channels); tf.keras files write it as
   * a one-element list ([3]), which means that axis
   */
  axis?: number | [number];
  momentum?: number;
  epsilon?: number;
  /** learn an offset beta (default true) */
  center?: boolean;
  /** learn a scale gamma (default true) */
  scale?: boolean;
  betaInitializer?: InitializerIdentifier;
  gammaInitializer?: InitializerIdentifier;
  movingMeanInitializer?: InitializerIdentifier;
  movingVarianceInitializer?: InitializerIdentifier;
  betaRegularizer?: RegularizerIdentifier;
  gammaRegularizer?: RegularizerIdentifier;
  betaConstraint?: ConstraintIdentifier;
  gammaConstraint?: ConstraintIdentifier;
}

/** A non-negative axis of a rank-`rank` shape, or an error naming the layer. */
function resolveAxis(layer: Layer, axis: number, s: Shape): number {
  const a = axis < 0 ? axis + s.length : axis;
  if (!Number.isInteger(axis) || a < 1 || a >= s.length) {
    throw new Error(`${layer.className} "${layer.name}": axis ${axis} is out of range for input ${shapeString(s)} ` +
      '(the batch axis 0 cannot be normalised over)');
  }
  return a;
}

/** A [n] parameter reshaped to broadcast along axis `a` of a rank-`rank` tensor. */
function alongAxis(p: Tensor, a: number, rank: number): Tensor {
  if (a === rank - 1) return p;
  const shape = new Array<number>(rank).fill(1);
  shape[a] = p.size;
  return ops.reshape(p, shape);
}

/**
 * Normalises each feature over the batch (and spatial axes): y = gamma (x - mean) / sqrt(var + eps) + beta.
 * Training (`training: true`) uses the batch's mean and biased variance and moves the running
 * statistics: moving = moving * momentum + batch * (1 - momentum). Inference uses the running ones.
 * Weights, as in Keras: gamma, beta (trainable), movingMean, movingVariance (non-trainable).
 */
export class BatchNormalization extends Layer {
  get className(): string {
    return 'BatchNormalization';
  }
  readonly axis: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  gamma?: Variable;
  beta?: Variable;
  movingMean?: Variable;
  movingVariance?: Variable;

  constructor(private readonly args: BatchNormalizationArgs = {}) {
    super(args ?? {});
    const a = args ?? {};
    this.axis = (Array.isArray(a.axis) && a.axis.length === 1 ? a.axis[0] : a.axis ?? -1) as number;
    this.momentum = a.momentum ?? 0.99;
    this.epsilon = a.epsilon ?? 1e-3;
    this.center = a.center ?? true;
    this.scale = a.scale ?? true;
    if (!Number.isInteger(this.axis)) throw this.error(`axis must be an integer, got ${JSON.stringify(a.axis)}`);
    if (typeof this.momentum !== 'number' || !(this.momentum >= 0 && this.momentum <= 1)) {
      throw this.error(`momentum must be a number in [0, 1], got ${JSON.stringify(a.momentum)}`);
    }
    if (typeof this.epsilon !== 'number' || !(this.epsilon > 0)) {
      throw this.error(`epsilon must be a positive number, got ${JSON.stringify(a.epsilon)}`);
    }
  }

  computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const s = singleShape(this, inputShape);
    if (s.length < 2) throw this.error(`expected input of rank >= 2 [batch, ..., features], got ${shapeString(s)}`);
    const ax = resolveAxis(this, this.axis, s);
    if (s[ax] === null) throw this.error(`axis ${this.axis} of input ${shapeString(s)} must be known`);
    if (this.movingMean && this.movingMean.size !== s[ax]) {
      throw this.error(`was built for ${this.movingMean.size} features on axis ${this.axis}, got input ${shapeString(s)}`);
    }
    return [...s];
  }

  override build(inputShape: Shape | Shape[]): void {
    const s = singleShape(this, inputShape);
    const n = s[resolveAxis(this, this.axis, s)] as number;
    const a = this.args ?? {};
    if (this.scale) {
      this.gamma = this.addWeight('gamma', [n], getInitializer(a.gammaInitializer ?? 'ones'),
        { regularizer: getRegularizer(a.gammaRegularizer), constraint: getConstraint(a.gammaConstraint) });
    }
    if (this.center) {
      this.beta = this.addWeight('beta', [n], getInitializer(a.betaInitializer ?? 'zeros'),
        { regularizer: getRegularizer(a.betaRegularizer), constraint: getConstraint(a.betaConstraint) });
    }
    this.movingMean = this.addWeight('moving_mean', [n], getInitializer(a.movingMeanInitializer ?? 'zeros'), { trainable: false });
    this.movingVariance = this.addWeight('moving_variance', [n], getInitializer(a.movingVarianceInitializer ?? 'ones'),
      { trainable: false });
  }

  call(inputs: Tensor | Tensor[], args: CallArgs = {}): Tensor {
    const x = one(inputs);
    const ax = this.axis < 0 ? this.axis + x.rank : this.axis;
    const p = (v: Tensor | undefined) => (v ? alongAxis(v, ax, x.rank) : null);
    // (resnet speed area) a model passes fusedActivation 'relu' when a relu layer alone reads
    // this layer's output (fold_batchnorm.ts): the result is then relu's
    const relu = args.fusedActivation === 'relu';
    // (bn speed area) and fusedResidual, a tensor of x's shape, when this output's only reader is
    // an Add with that other input followed by a relu alone: the result is relu(y + residual)
    const residual = args.fusedResidual instanceof Tensor ? args.fusedResidual : null;
    const finish = (out: Tensor): Tensor => {
      const sum = residual ? ops.add(out, residual) : out;
      return relu ? ops.relu(sum) : sum;
    };
    // Keras 3: a frozen BatchNormalization runs in inference mode even while fitting
    if (!args.training || !this.trainable) {
      return finish(ops.batchNorm(x, p(this.movingMean)!, p(this.movingVariance)!, p(this.beta), p(this.gamma), this.epsilon));
    }
    let y: Tensor, mean: Tensor, variance: Tensor;
    if (ax === x.rank - 1) {
      // channels last (the default): statistics, normalisation (and relu) and their gradient as one op
      ({ y, mean, variance } = ops.batchNormTraining(x, this.gamma ?? null, this.beta ?? null, this.epsilon,
        relu ? 'relu' : 'linear', residual));
    } else {
      const reduce = x.shape.map((_, i) => i).filter((i) => i !== ax);
      ({ mean, variance } = ops.moments(x, reduce));
      y = finish(ops.batchNorm(x, alongAxis(mean, ax, x.rank), alongAxis(variance, ax, x.rank), p(this.beta), p(this.gamma), this.epsilon));
    }
    noGrad(() => {
      const update = (moving: Variable, batch: Tensor) => {
        const b = batch.dtype === moving.dtype ? batch : ops.cast(batch, moving.dtype);
        moving.assign(ops.add(ops.mul(moving, this.momentum), ops.mul(b, 1 - this.momentum)));
      };
      update(this.movingMean!, mean);
      update(this.movingVariance!, variance);
    });
    return y;
  }

  override getConfig(): Record<string, unknown> {
    const a = this.args ?? {};
    return {
      ...super.getConfig(), axis: this.axis, momentum: this.momentum, epsilon: this.epsilon, center: this.center, scale: this.scale,
      betaInitializer: a.betaInitializer ?? 'zeros', gammaInitializer: a.gammaInitializer ?? 'ones',
      movingMeanInitializer: a.movingMeanInitializer ?? 'zeros', movingVarianceInitializer: a.movingVarianceInitializer ?? 'ones',
      betaRegularizer: a.betaRegularizer ?? null, gammaRegularizer: a.gammaRegularizer ?? null,
      betaConstraint: a.betaConstraint ?? null, gammaConstraint: a.gammaConstraint ?? null,
    };
  }
}

export interface LayerNormalizationArgs extends LayerArgs {
  /** axis or axes normalised over, per sample (default -1) */
  axis?: number | number[];
  epsilon?: number;
  center?: boolean;
  scale?: boolean;
  betaInitializer?: InitializerIdentifier;
  gammaInitializer?: InitializerIdentifier;
  betaRegularizer?: RegularizerIdentifier;
  gammaRegularizer?: RegularizerIdentifier;
  betaConstraint?: ConstraintIdentifier;
  gammaConstraint?: ConstraintIdentifier;
}

/**
 * Normalises each sample over `axis` (the features): y = gamma (x - mean) / sqrt(var + eps) + beta,
 * the same in training and inference (transformers).
 */
export class LayerNormalization extends Layer {
  get className(): string {
    return 'LayerNormalization';
  }
  readonly axis: number[];
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  gamma?: Variable;
  beta?: Variable;

  constructor(private readonly args: LayerNormalizationArgs = {}) {
    super(args ?? {});
    const a = args ?? {};
    const axis = a.axis ?? -1;
    this.axis = Array.isArray(axis) ? [...axis] : [axis];
    if (this.axis.length === 0 || !this.axis.every((v) => Number.isInteger(v))) {
      throw this.error(`axis must be an integer or a non-empty list of them, got ${JSON.stringify(a.axis)}`);
    }
    this.epsilon = a.epsilon ?? 1e-3;
    if (typeof this.epsilon !== 'number' || !(this.epsilon > 0)) {
      throw this.error(`epsilon must be a positive number, got ${JSON.stringify(a.epsilon)}`);
    }
    this.center = a.center ?? true;
    this.scale = a.scale ?? true;
  }

  private axes(s: Shape): number[] {
    const axes = [...new Set(this.axis.map((v) => resolveAxis(this, v, s)))].sort((a, b) => a - b);
    for (const a of axes) if (s[a] === null) throw this.error(`axis ${a} of input ${shapeString(s)} must be known`);
    return axes;
  }

  computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const s = singleShape(this, inputShape);
    if (s.length < 2) throw this.error(`expected input of rank >= 2 [batch, ..., features], got ${shapeString(s)}`);
    const axes = this.axes(s);
    const want = axes.map((a) => s[a]);
    if (this.gamma ?? this.beta) {
      const have = [...(this.gamma ?? this.beta)!.shape];
      if (have.join() !== want.join()) throw this.error(`was built for features ${shapeString(have)}, got input ${shapeString(s)}`);
    }
    return [...s];
  }

  override build(inputShape: Shape | Shape[]): void {
    const s = singleShape(this, inputShape);
    const shape = this.axes(s).map((a) => s[a] as number);
    const a = this.args ?? {};
    if (this.scale) {
      this.gamma = this.addWeight('gamma', shape, getInitializer(a.gammaInitializer ?? 'ones'),
        { regularizer: getRegularizer(a.gammaRegularizer), constraint: getConstraint(a.gammaConstraint) });
    }
    if (this.center) {
      this.beta = this.addWeight('beta', shape, getInitializer(a.betaInitializer ?? 'zeros'),
        { regularizer: getRegularizer(a.betaRegularizer), constraint: getConstraint(a.betaConstraint) });
    }
  }

  call(inputs: Tensor | Tensor[]): Tensor {
    const x = one(inputs);
    const axes = this.axes([...x.shape]);
    const { mean, variance } = ops.moments(x, axes, true);
    const broadcast: number[] = x.shape.map((d, i) => (axes.includes(i) ? d : 1));
    const p = (v: Variable | undefined) => (v ? ops.reshape(v, broadcast) : null);
    return ops.batchNorm(x, mean, variance, p(this.beta), p(this.gamma), this.epsilon);
  }

  override getConfig(): Record<string, unknown> {
    const a = this.args ?? {};
    return {
      ...super.getConfig(), axis: this.axis.length === 1 ? this.axis[0] : [...this.axis], epsilon: this.epsilon,
      center: this.center, scale: this.scale, betaInitializer: a.betaInitializer ?? 'zeros', gammaInitializer: a.gammaInitializer ?? 'ones',
      betaRegularizer: a.betaRegularizer ?? null, gammaRegularizer: a.gammaRegularizer ?? null,
      betaConstraint: a.betaConstraint ?? null, gammaConstraint: a.gammaConstraint ?? null,
    };
  }
}
