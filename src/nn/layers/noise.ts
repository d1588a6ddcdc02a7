/**
 * Noise layers, active only while training (`training: true`) and the identity at inference:
 * GaussianNoise (additive), GaussianDropout (multiplicative) and AlphaDropout (dropout that keeps
 * SELU activations' mean and variance). With a seed, the n-th training call draws from seed + n,
 * so runs repeat exactly.
 */
import { Tensor } from '../../tensor/tensor.js';
import { randomNormal, randomUniform } from '../../tensor/random.js';
import { add, cast, greaterEqual, mul } from '../../ops/index.js';
import { CallArgs, Layer, LayerArgs, Shape, shapeString, singleShape } from '../layer.js';
import type { DType } from '../../backend/types.js';

function one(inputs: Tensor | Tensor[]): Tensor {
  return Array.isArray(inputs) ? inputs[0] : inputs;
}

/** What the noise layers share: same shape out, masks pass through, a seed advanced per training call. */
abstract class NoiseLayer extends Layer {
  readonly seed?: number;
  private calls = 0;

  constructor(args: LayerArgs & { seed?: number }) {
    super(args);
    if (args?.seed !== undefined && args.seed !== null && !Number.isInteger(args.seed)) {
      throw this.error(`seed must be an integer, got ${JSON.stringify(args.seed)}`);
    }
    this.seed = args?.seed ?? undefined;
  }

  override get supportsMasking(): boolean {
    return true;
  }

  computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return [...singleShape(this, inputShape)];
  }

  protected nextSeed(): number | undefined {
    return this.seed === undefined ? undefined : this.seed + this.calls++;
  }

  protected checkRate(rate: unknown): number {
    if (typeof rate !== 'number' || !(rate >= 0 && rate < 1)) {
      throw this.error(`rate must be a number in [0, 1), got ${JSON.stringify(rate)}`);
    }
    return rate;
  }

  protected floatDtype(x: Tensor): DType {
    return x.dtype === 'float64' ? 'float64' : 'float32';
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), seed: this.seed ?? null };
  }
}

export interface GaussianNoiseArgs extends LayerArgs {
  /** standard deviation of the added noise */
  stddev: number;
  seed?: number;
}

/** Adds N(0, stddev^2) noise while training. */
export class GaussianNoise extends NoiseLayer {
  readonly className = 'GaussianNoise';
  readonly stddev: number;

  constructor(args: GaussianNoiseArgs) {
    super(args);
    const s = args?.stddev;
    if (typeof s !== 'number' || !Number.isFinite(s) || s < 0) {
      throw this.error(`stddev must be a finite number >= 0, got ${JSON.stringify(s)}`);
    }
    this.stddev = s;
  }

  call(inputs: Tensor | Tensor[], args: CallArgs = {}): Tensor {
    const x = one(inputs);
    if (!args.training || this.stddev === 0) return x;
    return add(x, randomNormal(x.shape, 0, this.stddev, this.floatDtype(x), this.nextSeed()));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), stddev: this.stddev };
  }
}

export interface GaussianDropoutArgs extends LayerArgs {
  /** drop probability; the noise is N(1, rate / (1 - rate)) */
  rate: number;
  seed?: number;
}

/** Multiplies by N(1, rate / (1 - rate)) noise while training (the mean is kept). */
export class GaussianDropout extends NoiseLayer {
  readonly className = 'GaussianDropout';
  readonly rate: number;

  constructor(args: GaussianDropoutArgs) {
    super(args);
    this.rate = this.checkRate(args?.rate);
  }

  call(inputs: Tensor | Tensor[], args: CallArgs = {}): Tensor {
    const x = one(inputs);
    if (!args.training || this.rate === 0) return x;
    const stddev = Math.sqrt(this.rate / (1 - this.rate));
    return mul(x, randomNormal(x.shape, 1, stddev, this.floatDtype(x), this.nextSeed()));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rate: this.rate };
  }
}

export interface AlphaDropoutArgs extends LayerArgs {
  /** drop probability */
  rate: number;
  /** the shape of the keep/drop draws, null (or 1) on axes where one draw is shared */
  noiseShape?: (number | null)[];
  seed?: number;
}

// SELU's constants: a dropped value is set to SELU's lower limit -scale * alpha
const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;

/**
 * Dropout for self-normalising (SELU) networks: dropped values become SELU's negative
 * saturation value, then an affine map a x + b restores zero mean and unit variance.
 */
export class AlphaDropout extends NoiseLayer {
  readonly className = 'AlphaDropout';
  readonly rate: number;
  readonly noiseShape?: (number | null)[];

  constructor(args: AlphaDropoutArgs) {
    super(args);
    this.rate = this.checkRate(args?.rate);
    this.noiseShape = args.noiseShape ? [...args.noiseShape] : undefined;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const s = singleShape(this, inputShape);
    if (this.noiseShape && this.noiseShape.length !== s.length) {
      throw this.error(`noiseShape ${shapeString(this.noiseShape)} must have the input's rank, input is ${shapeString(s)}`);
    }
    return [...s];
  }

  call(inputs: Tensor | Tensor[], args: CallArgs = {}): Tensor {
    const x = one(inputs);
    if (!args.training || this.rate === 0) return x;
    const dtype = this.floatDtype(x);
    const p = this.rate;
    const shape = this.noiseShape ? this.noiseShape.map((d, i) => d ?? x.shape[i]) : x.shape;
    const kept = cast(greaterEqual(randomUniform(shape, 0, 1, dtype, this.nextSeed()), p), dtype);
    const dropped = -SELU_ALPHA * SELU_SCALE;
    const a = ((1 - p) * (1 + p * dropped ** 2)) ** -0.5;
    const b = -a * dropped * p;
    // kept ? x : dropped, then a * . + b (Keras' formula; TensorFlow.js 4.22 sets dropped values to
    // +1.758 instead of -1.758, which breaks the mean and variance the affine map is meant to keep)
    const masked = add(mul(x, kept), mul(add(kept, -1), -dropped));
    return add(mul(masked, a), b);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rate: this.rate, noiseShape: this.noiseShape ?? null };
  }
}
