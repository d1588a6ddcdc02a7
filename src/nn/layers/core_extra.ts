/**
 * More core layers without weights: RepeatVector, Masking (which starts a time-step mask) and
 * SpatialDropout1D (dropout of whole feature channels).
 */
import { Tensor } from '../../tensor/tensor.js';
import { any, cast, expandDims, mul, notEqual, tile } from '../../ops/index.js';
import { Layer, LayerArgs, Shape, shapeString, singleShape } from '../layer.js';
import { Dropout, type DropoutArgs } from './core.js';

function one(inputs: Tensor | Tensor[]): Tensor {
  return Array.isArray(inputs) ? inputs[0] : inputs;
}

export interface RepeatVectorLayerArgs extends LayerArgs {
  /** how many times to repeat each sample's vector */
  n: number;
}

/** [batch, features] -> [batch, n, features]: the vector repeated n times (an encoder's output fed to a decoder RNN). */
export class RepeatVector extends Layer {
  readonly className = 'RepeatVector';
  readonly n: number;

  constructor(args: RepeatVectorLayerArgs) {
    super(args);
    if (!Number.isInteger(args?.n) || args.n <= 0) throw this.error(`n must be a positive integer, got ${JSON.stringify(args?.n)}`);
    this.n = args.n;
  }

  computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const s = singleShape(this, inputShape, 2, '[batch, features]');
    return [s[0], this.n, s[1]];
  }

  call(inputs: Tensor | Tensor[]): Tensor {
    return tile(expandDims(one(inputs), 1), [1, this.n, 1]);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), n: this.n };
  }
}

export interface MaskingArgs extends LayerArgs {
  /** a time step whose every feature equals this is padding (default 0) */
  maskValue?: number;
}

/**
 * Marks padded time steps: a step of [batch, timesteps, features] whose features all equal
 * maskValue is masked. The output is the input with masked steps zeroed, and the mask
 * ([batch, timesteps], true for real steps) travels on to the layers that use it (recurrent
 * layers keep their state over masked steps).
 */
export class Masking extends Layer {
  readonly className = 'Masking';
  readonly maskValue: number;

  constructor(args: MaskingArgs = {}) {
    super(args ?? {});
    const v = args?.maskValue ?? 0;
    if (typeof v !== 'number' || Number.isNaN(v)) throw this.error(`maskValue must be a number, got ${JSON.stringify(args?.maskValue)}`);
    this.maskValue = v;
  }

  override get supportsMasking(): boolean {
    return true;
  }

  computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const s = singleShape(this, inputShape);
    if (s.length < 2) throw this.error(`expected input of rank >= 2 [batch, ..., features], got ${shapeString(s)}`);
    return [...s];
  }

  /** true where any feature of a step differs from maskValue: the step is real */
  override computeMask(inputs: Tensor | Tensor[]): Tensor {
    return any(notEqual(one(inputs), this.maskValue), -1);
  }

  call(inputs: Tensor | Tensor[]): Tensor {
    const x = one(inputs);
    return mul(x, cast(any(notEqual(x, this.maskValue), -1, true), x.dtype));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), maskValue: this.maskValue };
  }
}

export interface SpatialDropout1DLayerConfig extends Omit<DropoutArgs, 'noiseShape'> {
  noiseShape?: null;
}

/**
 * Dropout of whole channels of [batch, timesteps, channels]: one keep/drop draw per sample and
 * channel, shared by every time step (neighbouring steps are correlated, so dropping single
 * values regularises little).
 */
export class SpatialDropout1D extends Dropout {
  override get className(): string {
    return 'SpatialDropout1D';
  }

  constructor(args: SpatialDropout1DLayerConfig) {
    if (args?.noiseShape !== undefined && args.noiseShape !== null) {
      throw new Error(`SpatialDropout1D: the noise shape is [batch, 1, channels]; noiseShape cannot be set, got ` +
        `${JSON.stringify(args.noiseShape)}`);
    }
    super({ ...args, noiseShape: [null, 1, null] });
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    singleShape(this, inputShape, 3, '[batch, timesteps, channels]');
    return super.computeOutputShape(inputShape);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), noiseShape: null };
  }
}
