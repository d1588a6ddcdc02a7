/**
 * Image preprocessing layers, as TensorFlow.js has them: Rescaling, Resizing, CenterCrop and
 * RandomWidth. They have no weights; inputs are [batch, h, w, c] (or one image [h, w, c]).
 */
import { Tensor } from '../../tensor/tensor.js';
import { randomFor, type Random } from '../../tensor/random.js';
import { add, cast, mul } from '../../ops/index.js';
import { range } from '../../tensor/sequences.js';
import { tensor } from '../../tensor/creation.js';
import { cropAndResize, resizeBilinear, resizeNearestNeighbor } from '../../ops/image/index.js';
import { CallArgs, Layer, LayerArgs, Shape, singleShape } from '../layer.js';

function one(inputs: Tensor | Tensor[]): Tensor {
  return Array.isArray(inputs) ? inputs[0] : inputs;
}

type Interpolation = 'bilinear' | 'nearest';

function checkInterpolation(fail: (message: string) => Error, value: unknown): Interpolation {
  if (value === undefined || value === null) return 'bilinear';
  if (value !== 'bilinear' && value !== 'nearest') {
    throw fail(`interpolation must be 'bilinear' or 'nearest', got ${JSON.stringify(value)}`);
  }
  return value;
}

function checkSize(fail: (message: string) => Error, what: string, value: unknown): number {
  if (!Number.isInteger(value) || (value as number) < 1) {
    throw fail(`${what} must be a positive integer, got ${JSON.stringify(value)}`);
  }
  return value as number;
}

/** The input's shape with the height and width axes (the two before the channels) replaced. */
function withSpatial(s: Shape, height: number | null, width: number | null): Shape {
  const out = [...s];
  out[s.length - 3] = height;
  out[s.length - 2] = width;
  return out;
}

export interface RescalingArgs extends LayerArgs {
  /** a number, or (as Keras files have it, EfficientNet's) one number per channel */
  scale: number | number[];
  offset?: number | number[];
}

function isScale(v: unknown): v is number | number[] {
  return typeof v === 'number' || (Array.isArray(v) && v.length > 0 && v.every((n) => typeof n === 'number'));
}

/** x * scale + offset, in float32 (e.g. scale 1/255 for pixels), in training and inference alike. */
export class Rescaling extends Layer {
  get className(): string {
    return 'Rescaling';
  }
  readonly scale: number | number[];
  readonly offset: number | number[];

  constructor(args: RescalingArgs) {
    super(args);
    if (!isScale(args?.scale)) throw this.error(`scale must be a number or a list of numbers, got ${JSON.stringify(args?.scale)}`);
    if (args.offset !== undefined && !isScale(args.offset)) {
      throw this.error(`offset must be a number or a list of numbers, got ${JSON.stringify(args.offset)}`);
    }
    this.scale = args.scale;
    this.offset = args.offset ?? 0;
  }

  computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return [...singleShape(this, inputShape)];
  }

  call(inputs: Tensor | Tensor[]): Tensor {
    const x = one(inputs);
    const f = x.dtype === 'float32' || x.dtype === 'float64' ? x : cast(x, 'float32');
    // a list broadcasts along the last axis (the channels)
    const asOperand = (v: number | number[]): number | Tensor => (typeof v === 'number' ? v : tensor(v, [v.length], f.dtype));
    return add(mul(f, asOperand(this.scale)), asOperand(this.offset));
  }

  override getConfig(): Record<string, unknown> {
    const copy = (v: number | number[]) => (typeof v === 'number' ? v : [...v]);
    return { ...super.getConfig(), scale: copy(this.scale), offset: copy(this.offset) };
  }
}

export interface ResizingArgs extends LayerArgs {
  height: number;
  width: number;
  interpolation?: Interpolation;
  cropToAspectRatio?: boolean;
}

/**
 * Resizes images to [height, width]. As in TensorFlow.js 4.22, the resize aligns the corner
 * pixels unless cropToAspectRatio is set, and cropToAspectRatio crops nothing (it only turns the
 * corner alignment off), so that models give TensorFlow.js' numbers.
 */
export class Resizing extends Layer {
  get className(): string {
    return 'Resizing';
  }
  readonly height: number;
  readonly width: number;
  readonly interpolation: Interpolation;
  readonly cropToAspectRatio: boolean;

  constructor(args: ResizingArgs) {
    super(args);
    this.height = checkSize((m) => this.error(m), 'height', args?.height);
    this.width = checkSize((m) => this.error(m), 'width', args.width);
    this.interpolation = checkInterpolation((m) => this.error(m), args.interpolation);
    this.cropToAspectRatio = Boolean(args.cropToAspectRatio);
  }

  computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const s = singleShape(this, inputShape, [3, 4], '[batch, height, width, channels] or [height, width, channels]');
    return withSpatial(s, this.height, this.width);
  }

  call(inputs: Tensor | Tensor[]): Tensor {
    const size: [number, number] = [this.height, this.width];
    const resize = this.interpolation === 'nearest' ? resizeNearestNeighbor : resizeBilinear;
    return resize(one(inputs), size, !this.cropToAspectRatio);
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(), height: this.height, width: this.width, interpolation: this.interpolation,
      cropToAspectRatio: this.cropToAspectRatio,
    };
  }
}

export interface CenterCropArgs extends LayerArgs {
  height: number;
  width: number;
}

/**
 * The central [height, width] part of each image, keeping the dtype. As in TensorFlow.js: the
 * crop is sampled by nearest-neighbour cropAndResize from a window that starts at
 * floor((in - out) / 2) (at least 1 column in when the widths differ), and an image smaller than
 * the crop in either axis is resized up (bilinear) instead.
 */
export class CenterCrop extends Layer {
  get className(): string {
    return 'CenterCrop';
  }
  readonly height: number;
  readonly width: number;

  constructor(args: CenterCropArgs) {
    super(args);
    this.height = checkSize((m) => this.error(m), 'height', args?.height);
    this.width = checkSize((m) => this.error(m), 'width', args.width);
  }

  computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const s = singleShape(this, inputShape, [3, 4], '[batch, height, width, channels] or [height, width, channels]');
    return withSpatial(s, this.height, this.width);
  }

  call(inputs: Tensor | Tensor[]): Tensor {
    const x = one(inputs);
    if (x.rank !== 3 && x.rank !== 4) {
      throw this.error(`expected input [batch, height, width, channels] or [height, width, channels], got [${x.shape}]`);
    }
    const inH = x.shape[x.rank - 3];
    const inW = x.shape[x.rank - 2];
    const top = inH !== this.height ? Math.floor((inH - this.height) / 2) : 0;
    const left = inW !== this.width ? Math.floor((inW - this.width) / 2) || 1 : 0;
    if (top < 0 || left < 0) return cast(resizeBilinear(x, [this.height, this.width]), x.dtype);
    const batch = x.rank === 4 ? x : x.reshape([1, ...x.shape]);
    const n = batch.shape[0];
    const box = [top / inH, left / inW, (this.height + top) / inH, (this.width + left) / inW];
    const boxes = Array.from({ length: n }, () => box);
    const cropped = cropAndResize(batch, boxes, range(0, n, 1, 'int32'), [this.height, this.width], 'nearest');
    const out = x.rank === 4 ? cropped : cropped.reshape(cropped.shape.slice(1));
    return cast(out, x.dtype);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), height: this.height, width: this.width };
  }
}

export interface RandomWidthArgs extends LayerArgs {
  /** the width varies by a factor drawn from [1 + lower, 1 + upper]: a number f means [-f, f] */
  factor: number | [number, number];
  interpolation?: Interpolation;
  seed?: number;
  autoVectorize?: boolean;
}

/**
 * In training, resizes each batch to a random width (the same for the whole batch): the width
 * times a factor drawn uniformly from [1 + lower, 1 + upper], rounded. At inference the images
 * pass unchanged, as in Keras (TensorFlow.js 4.22 resizes at inference too).
 */
export class RandomWidth extends Layer {
  get className(): string {
    return 'RandomWidth';
  }
  readonly factor: number | [number, number];
  readonly interpolation: Interpolation;
  readonly seed?: number;
  private readonly lower: number;
  private readonly upper: number;
  private readonly random: Random;

  constructor(args: RandomWidthArgs) {
    super(args);
    const factor = args?.factor;
    if (Array.isArray(factor) && factor.length === 2 && factor.every((f) => typeof f === 'number')) {
      [this.lower, this.upper] = factor;
    } else if (typeof factor === 'number' && factor > 0) {
      [this.lower, this.upper] = [-factor, factor];
    } else {
      throw this.error(`factor must be a positive number or [lower, upper], got ${JSON.stringify(factor)}`);
    }
    if (this.lower < -1 || this.upper < -1) throw this.error(`factor must not go below -1, got ${JSON.stringify(factor)}`);
    if (this.upper < this.lower) {
      throw this.error(`factor's upper bound ${this.upper} is below its lower bound ${this.lower}`);
    }
    if (args.seed !== undefined && args.seed !== null && !Number.isInteger(args.seed)) {
      throw this.error(`seed must be an integer, got ${JSON.stringify(args.seed)}`);
    }
    this.factor = Array.isArray(factor) ? [factor[0], factor[1]] : factor;
    this.interpolation = checkInterpolation((m) => this.error(m), args.interpolation);
    this.seed = args.seed ?? undefined;
    this.random = randomFor(this.seed);
  }

  computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const s = singleShape(this, inputShape, [3, 4], '[batch, height, width, channels] or [height, width, channels]');
    return withSpatial(s, s[s.length - 3], null);
  }

  call(inputs: Tensor | Tensor[], args: CallArgs = {}): Tensor {
    const x = one(inputs);
    if (!args.training) return x;
    const h = x.shape[x.rank - 3];
    const w = x.shape[x.rank - 2];
    const width = Math.round(this.random.uniform(1 + this.lower, 1 + this.upper) * w);
    const resize = this.interpolation === 'nearest' ? resizeNearestNeighbor : resizeBilinear;
    return resize(x, [h, width]);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), factor: this.factor, interpolation: this.interpolation, seed: this.seed ?? null };
  }
}
