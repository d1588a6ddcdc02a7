/** Core layers without weights: Activation, Dropout, Flatten, Reshape, Permute. */
import { Tensor } from '../../tensor/tensor.js';
import { dropout, reshape, transpose } from '../../ops/index.js';
import { CallArgs, Layer, LayerArgs, Shape, shapeString, singleShape } from '../layer.js';
import { getActivation, type ActivationIdentifier } from '../activations.js';

function one(inputs: Tensor | Tensor[]): Tensor {
  return Array.isArray(inputs) ? inputs[0] : inputs;
}

export interface ActivationArgs extends LayerArgs {
  activation: ActivationIdentifier;
}

/** Applies an activation function elementwise (softmax over the last axis). */
export class Activation extends Layer {
  get className(): string {
    return 'Activation';
  }

  /** elementwise (or per step), so a time-step mask still describes the output */
  override get supportsMasking(): boolean {
    return true;
  }
  readonly activation;

  constructor(args: ActivationArgs) {
    super(args);
    if (args?.activation === undefined) throw this.error(`expected { activation: 'relu' | 'softmax' | ... }`);
    this.activation = getActivation(args.activation, `Activation "${this.name}"`);
  }

  computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return [...singleShape(this, inputShape)];
  }

  call(inputs: Tensor | Tensor[]): Tensor {
    return this.activation.apply(one(inputs));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), activation: this.activation.name };
  }
}

export interface DropoutArgs extends LayerArgs {
  /** fraction of inputs to drop, in [0, 1) */
  rate: number;
  /** mask shape, 1 where the mask is shared along an axis (e.g. [batch, 1, 1, channels]); null takes the input's */
  noiseShape?: (number | null)[];
  seed?: number;
}

/**
 * Inverted dropout while training (`training: true`): zeroes each input with probability `rate`
 * and scales the rest by 1 / (1 - rate). At inference it passes the input through. With a
 * seed, the n-th training call draws its mask from seed + n, so runs repeat exactly.
 */
export class Dropout extends Layer {
  get className(): string {
    return 'Dropout';
  }

  /** elementwise (or per step), so a time-step mask still describes the output */
  override get supportsMasking(): boolean {
    return true;
  }
  readonly rate: number;
  readonly noiseShape?: (number | null)[];
  readonly seed?: number;
  private calls = 0;

  constructor(args: DropoutArgs) {
    super(args);
    const rate = args?.rate;
    if (typeof rate !== 'number' || !(rate >= 0 && rate < 1)) {
      throw this.error(`rate must be a number in [0, 1), got ${JSON.stringify(rate)}`);
    }
    if (args.seed !== undefined && !Number.isInteger(args.seed)) {
      throw this.error(`seed must be an integer, got ${JSON.stringify(args.seed)}`);
    }
    this.rate = rate;
    this.noiseShape = args.noiseShape ? [...args.noiseShape] : undefined;
    this.seed = args.seed;
  }

  computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const s = singleShape(this, inputShape);
    if (this.noiseShape && this.noiseShape.length !== s.length) {
      throw this.error(`noiseShape ${shapeString(this.noiseShape)} must have the input's rank, input is ${shapeString(s)}`);
    }
    return [...s];
  }

  call(inputs: Tensor | Tensor[], args: CallArgs = {}): Tensor {
    const x = one(inputs);
    if (!args.training || this.rate === 0) return x;
    const noise = this.noiseShape?.map((d, i) => d ?? x.shape[i]);
    const seed = this.seed === undefined ? undefined : this.seed + this.calls++;
    return dropout(x, this.rate, seed, noise);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rate: this.rate, noiseShape: this.noiseShape ?? null, seed: this.seed ?? null };
  }
}

/** [batch, d1, d2, ...] -> [batch, d1 * d2 * ...]. */
export class Flatten extends Layer {
  get className(): string {
    return 'Flatten';
  }

  constructor(args: LayerArgs = {}) {
    super(args);
  }

  computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const s = singleShape(this, inputShape);
    if (s.length < 2) throw this.error(`expected input of rank >= 2 [batch, ...], got ${shapeString(s)}`);
    const rest = s.slice(1);
    if (rest.some((d) => d === null)) {
      throw this.error(`every dimension but the batch must be known to flatten, got ${shapeString(s)}`);
    }
    return [s[0], (rest as number[]).reduce((a, b) => a * b, 1)];
  }

  call(inputs: Tensor | Tensor[]): Tensor {
    const x = one(inputs);
    return reshape(x, [x.shape[0], x.shape.slice(1).reduce((a, b) => a * b, 1)]);
  }
}

export interface ReshapeArgs extends LayerArgs {
  /** one sample's new shape (no batch); one entry may be -1, inferred */
  targetShape: number[];
}

/** Reshapes each sample to `targetShape` (the batch axis stays). */
export class Reshape extends Layer {
  get className(): string {
    return 'Reshape';
  }
  readonly targetShape: number[];

  constructor(args: ReshapeArgs) {
    super(args);
    const t = args?.targetShape;
    if (!Array.isArray(t) || !t.every((d) => Number.isInteger(d) && (d > 0 || d === -1)) ||
        t.filter((d) => d === -1).length > 1) {
      throw this.error(`targetShape must be positive integers with at most one -1, got ${JSON.stringify(t)}`);
    }
    this.targetShape = [...t];
  }

  /** targetShape with its -1 resolved for `size` elements per sample (null when unknown). */
  private resolve(size: number | null, s: Shape): Shape {
    const known = this.targetShape.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
    const hole = this.targetShape.indexOf(-1);
    if (size === null) return this.targetShape.map((d) => (d === -1 ? null : d));
    if (hole === -1) {
      if (known !== size) {
        throw this.error(`cannot reshape input ${shapeString(s)} (${size} values per sample) to ` +
          `${shapeString([null, ...this.targetShape])} (${known} values per sample)`);
      }
      return [...this.targetShape];
    }
    if (size % known !== 0) {
      throw this.error(`cannot reshape input ${shapeString(s)} (${size} values per sample) to ` +
        `${shapeString([null, ...this.targetShape])}: ${size} is not a multiple of ${known}`);
    }
    return this.targetShape.map((d) => (d === -1 ? size / known : d));
  }

  computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const s = singleShape(this, inputShape);
    if (s.length < 1) throw this.error(`expected input of rank >= 1 [batch, ...], got ${shapeString(s)}`);
    const rest = s.slice(1);
    const size = rest.some((d) => d === null) ? null : (rest as number[]).reduce((a, b) => a * b, 1);
    return [s[0], ...this.resolve(size, s)];
  }

  call(inputs: Tensor | Tensor[]): Tensor {
    const x = one(inputs);
    const size = x.shape.slice(1).reduce((a, b) => a * b, 1);
    return reshape(x, [x.shape[0], ...(this.resolve(size, [...x.shape]) as number[])]);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), targetShape: [...this.targetShape] };
  }
}

export interface PermuteArgs extends LayerArgs {
  /** a permutation of 1..rank-1 (1-based, the batch axis stays first), e.g. [2, 1] swaps the two axes */
  dims: number[];
}

/** Permutes the non-batch axes: dims[i] is the input axis (1-based) that becomes axis i + 1. */
export class Permute extends Layer {
  get className(): string {
    return 'Permute';
  }
  readonly dims: number[];

  constructor(args: PermuteArgs) {
    super(args);
    const dims = args?.dims;
    const sorted = Array.isArray(dims) ? [...dims].sort((a, b) => a - b) : [];
    if (!Array.isArray(dims) || dims.length === 0 || !sorted.every((d, i) => d === i + 1)) {
      throw this.error(`dims must be a permutation of 1..${Array.isArray(dims) && dims.length ? dims.length : 'n'} ` +
        `(1-based, not including the batch axis), got ${JSON.stringify(dims)}`);
    }
    this.dims = [...dims];
  }

  computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const s = singleShape(this, inputShape);
    if (s.length !== this.dims.length + 1) {
      throw this.error(`dims ${JSON.stringify(this.dims)} needs input of rank ${this.dims.length + 1}, got ${shapeString(s)}`);
    }
    return [s[0], ...this.dims.map((d) => s[d])];
  }

  call(inputs: Tensor | Tensor[]): Tensor {
    return transpose(one(inputs), [0, ...this.dims]);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), dims: [...this.dims] };
  }
}
