/**
 * Activation layers with options of their own (TensorFlow.js' "advanced activations"): ReLU,
 * LeakyReLU, PReLU (a learned slope), ELU, ThresholdedReLU and Softmax. Each maps one tensor
 * to one of the same shape; the class names and config keys are Keras', so their files load.
 */
import { Tensor, Variable } from '../../tensor/tensor.js';
import {
  add, cast, clipByValue, elu, exp, greater, leakyRelu, logSumExp, mul, prelu, relu, softmax, sub,
} from '../../ops/index.js';
import { CallArgs, Layer, LayerArgs, Shape, shapeString, singleShape } from '../layer.js';
import { getInitializer, type InitializerIdentifier } from '../initializers.js';
import { getRegularizer, type RegularizerIdentifier } from '../regularizers.js';
import { getConstraint, type ConstraintIdentifier } from '../constraints.js';

function one(inputs: Tensor | Tensor[]): Tensor {
  return Array.isArray(inputs) ? inputs[0] : inputs;
}

/** A layer that maps each input value on its own: same shape out, any time-step mask still holds. */
abstract class ElementwiseActivation extends Layer {
  override get supportsMasking(): boolean {
    return true;
  }

  computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return [...singleShape(this, inputShape)];
  }
}

/**
 * An element-wise activation whose options are numbers (ReLU, LeakyReLU, ELU, ThresholdedReLU):
 * each is checked as the constructor reads it and written back into the config under its Keras
 * name, in the order read; `activate` maps the one input.
 */
abstract class NumericActivation extends ElementwiseActivation {
  private readonly numbers: Record<string, number | null> = {};

  /** Reads an option that must be a finite number (at least `min` when given); `fallback` when absent. */
  protected number<F extends number | null>(option: string, value: unknown, fallback: F, min?: number): number | F {
    let read: number | F = fallback;
    if (value !== undefined && value !== null) {
      if (typeof value !== 'number' || !Number.isFinite(value) || (min !== undefined && value < min)) {
        throw this.error(`${option} must be a finite number${min !== undefined ? ` >= ${min}` : ''}, got ${JSON.stringify(value)}`);
      }
      read = value;
    }
    this.numbers[option] = read;
    return read;
  }

  protected abstract activate(x: Tensor): Tensor;

  call(inputs: Tensor | Tensor[]): Tensor {
    return this.activate(one(inputs));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), ...this.numbers };
  }
}

export interface ReLULayerArgs extends LayerArgs {
  /** the largest output (no cap when undefined or null) */
  maxValue?: number | null;
  /** Keras' slope below the threshold (default 0) */
  negativeSlope?: number;
  /** Keras' threshold below which the slope applies (default 0) */
  threshold?: number;
}

/**
 * Keras' ReLU: x above `threshold` (capped at maxValue), negativeSlope * (x - threshold) at or
 * below it. With the defaults it is max(x, 0), TensorFlow.js' ReLU layer (which has maxValue only).
 */
export class ReLU extends NumericActivation {
  readonly className = 'ReLU';
  readonly maxValue: number | null;
  readonly negativeSlope: number;
  readonly threshold: number;

  constructor(args: ReLULayerArgs = {}) {
    super(args ?? {});
    const a = args ?? {};
    this.maxValue = this.number('maxValue', a.maxValue, null, 0);
    this.negativeSlope = this.number('negativeSlope', a.negativeSlope, 0, 0);
    this.threshold = this.number('threshold', a.threshold, 0, 0);
  }

  protected activate(x: Tensor): Tensor {
    let y = this.threshold === 0 ? relu(x) : mul(x, cast(greater(x, this.threshold), x.dtype));
    if (this.maxValue !== null) y = clipByValue(y, 0, this.maxValue);
    if (this.negativeSlope !== 0) y = sub(y, mul(relu(sub(this.threshold, x)), this.negativeSlope));
    return y;
  }
}

export interface LeakyReLULayerArgs extends LayerArgs {
  /** the slope for x < 0 (default 0.3, as TensorFlow.js and Keras) */
  alpha?: number;
  /** Keras 3's name for alpha, as its files write it */
  negativeSlope?: number;
}

/** x for x >= 0, alpha * x below. */
export class LeakyReLU extends NumericActivation {
  readonly className = 'LeakyReLU';
  readonly alpha: number;

  constructor(args: LeakyReLULayerArgs = {}) {
    super(args ?? {});
    const a = args ?? {};
    if (a.alpha !== undefined && a.negativeSlope !== undefined && a.alpha !== a.negativeSlope) {
      throw this.error(`give alpha or negativeSlope (the same option), got alpha ${a.alpha} and negativeSlope ${a.negativeSlope}`);
    }
    this.alpha = this.number('alpha', a.alpha ?? a.negativeSlope, 0.3);
  }

  protected activate(x: Tensor): Tensor {
    return leakyRelu(x, this.alpha);
  }
}

export interface ELULayerArgs extends LayerArgs {
  /** the scale of the negative side, alpha * (exp(x) - 1) (default 1) */
  alpha?: number;
}

/** x for x > 0, alpha * (exp(x) - 1) below. (TensorFlow.js supports alpha 1 only; any alpha works here.) */
export class ELU extends NumericActivation {
  readonly className = 'ELU';
  readonly alpha: number;

  constructor(args: ELULayerArgs = {}) {
    super(args ?? {});
    this.alpha = this.number('alpha', args?.alpha, 1);
  }

  protected activate(x: Tensor): Tensor {
    return elu(x, this.alpha);
  }
}

export interface ThresholdedReLULayerArgs extends LayerArgs {
  /** values at or below theta become 0 (default 1) */
  theta?: number;
}

/** x where x > theta, else 0. */
export class ThresholdedReLU extends NumericActivation {
  readonly className = 'ThresholdedReLU';
  readonly theta: number;

  constructor(args: ThresholdedReLULayerArgs = {}) {
    super(args ?? {});
    this.theta = this.number('theta', args?.theta, 1, 0);
  }

  protected activate(x: Tensor): Tensor {
    return mul(x, cast(greater(x, this.theta), x.dtype));
  }
}

export interface SoftmaxLayerArgs extends LayerArgs {
  /**
   * the axis (or axes) to normalise over, default -1 (the last), as Keras and TensorFlow.js'
   * documentation say. (TensorFlow.js 4.22's code defaults to 1, but its softmax refuses any
   * axis but the last, so where it runs at all, 1 is the last axis and the results agree.)
   */
  axis?: number | number[];
}

/** softmax over `axis`; a `mask` of the input's shape (1 keep, 0 drop) gives dropped entries ~0 weight. */
export class Softmax extends Layer {
  readonly className = 'Softmax';
  readonly axis: number | number[];

  constructor(args: SoftmaxLayerArgs = {}) {
    super(args ?? {});
    const axis = args?.axis ?? -1;
    const axes = Array.isArray(axis) ? axis : [axis];
    if (axes.length === 0 || !axes.every((a) => Number.isInteger(a))) {
      throw this.error(`axis must be an integer or a non-empty array of integers, got ${JSON.stringify(args?.axis)}`);
    }
    this.axis = Array.isArray(axis) ? [...axis] : axis;
  }

  private axes(rank: number, s: Shape): number[] {
    const list = Array.isArray(this.axis) ? this.axis : [this.axis];
    return list.map((a) => {
      if (a < -rank || a >= rank) throw this.error(`axis ${a} is out of range for input ${shapeString(s)} (rank ${rank})`);
      return a < 0 ? a + rank : a;
    });
  }

  computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const s = singleShape(this, inputShape);
    this.axes(s.length, s);
    return [...s];
  }

  call(inputs: Tensor | Tensor[], args: CallArgs = {}): Tensor {
    let x = one(inputs);
    const axes = this.axes(x.rank, [...x.shape]);
    if (args.mask) {
      // a large negative score for masked entries: their weight underflows to 0
      x = add(x, mul(sub(1, cast(args.mask, x.dtype)), -1e9));
    }
    if (axes.length === 1) return softmax(x, axes[0]);
    return exp(sub(x, logSumExp(x, axes, true)));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axis: Array.isArray(this.axis) ? [...this.axis] : this.axis };
  }
}

export interface PReLULayerArgs extends LayerArgs {
  /** initial slopes (default 'zeros') */
  alphaInitializer?: InitializerIdentifier;
  alphaRegularizer?: RegularizerIdentifier;
  alphaConstraint?: ConstraintIdentifier;
  /** 1-based axes along which one slope is shared (e.g. [1, 2] for one slope per channel of an image) */
  sharedAxes?: number | number[] | null;
}

/** x for x > 0, alpha * x below, with alpha a trainable weight of one sample's shape (1 on shared axes). */
export class PReLU extends ElementwiseActivation {
  readonly className = 'PReLU';
  readonly sharedAxes: number[] | null;
  alpha?: Variable;
  private readonly options: PReLULayerArgs;

  constructor(args: PReLULayerArgs = {}) {
    super(args ?? {});
    this.options = { ...(args ?? {}) };
    const shared = args?.sharedAxes;
    if (shared === undefined || shared === null) this.sharedAxes = null;
    else {
      const list = Array.isArray(shared) ? shared : [shared];
      if (!list.every((a) => Number.isInteger(a) && a >= 1)) {
        throw this.error(`sharedAxes must be an axis (1-based, the batch axis is 0) or an array of them, got ${JSON.stringify(shared)}`);
      }
      this.sharedAxes = [...list];
    }
    getInitializer(this.options.alphaInitializer ?? 'zeros', `PReLU "${this.name}"`);
  }

  private alphaShape(inputShape: Shape | Shape[]): number[] {
    const s = singleShape(this, inputShape);
    if (s.length < 2) throw this.error(`expected input of rank >= 2 [batch, ...], got ${shapeString(s)}`);
    const shape = s.slice(1);
    for (const a of this.sharedAxes ?? []) {
      if (a >= s.length) throw this.error(`sharedAxes ${JSON.stringify(this.sharedAxes)} names axis ${a}, input is ${shapeString(s)}`);
      shape[a - 1] = 1;
    }
    if (shape.some((d) => d === null)) {
      throw this.error(`every non-shared axis must be known to size alpha, got input ${shapeString(s)} ` +
        `(share the unknown axes with sharedAxes)`);
    }
    if (this.alpha && this.alpha.shape.join() !== shape.join()) {
      throw this.error(`expected input whose alpha is [${this.alpha.shape}], got ${shapeString(s)}`);
    }
    return shape as number[];
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    this.alphaShape(inputShape);
    return [...singleShape(this, inputShape)];
  }

  override build(inputShape: Shape | Shape[]): void {
    const o = this.options;
    this.alpha = this.addWeight('alpha', this.alphaShape(inputShape), getInitializer(o.alphaInitializer ?? 'zeros'), {
      regularizer: getRegularizer(o.alphaRegularizer), constraint: getConstraint(o.alphaConstraint),
    });
  }

  call(inputs: Tensor | Tensor[]): Tensor {
    return prelu(one(inputs), this.alpha!);
  }

  override getConfig(): Record<string, unknown> {
    const o = this.options;
    return {
      ...super.getConfig(), alphaInitializer: o.alphaInitializer ?? 'zeros', alphaRegularizer: o.alphaRegularizer ?? null,
      alphaConstraint: o.alphaConstraint ?? null, sharedAxes: this.sharedAxes,
    };
  }
}
