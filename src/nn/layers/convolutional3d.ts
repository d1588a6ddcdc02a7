/**
 * Volume layers, channels-last [batch, depth, height, width, channels]: Conv3D, Conv3DTranspose,
 * MaxPooling3D and AveragePooling3D, with TensorFlow.js' (Keras') class names and configs.
 * Kernels are [kd, kh, kw, inC, filters] (Conv3DTranspose [kd, kh, kw, filters, inC]).
 */
import { Tensor } from '../../tensor/tensor.js';
import * as ops from '../../ops/index.js';
import { Layer, LayerArgs, Shape, shapeString, singleShape } from '../layer.js';
import { Conv, ConvTranspose, checkPadding, convOutputLength, tupleOf, type ConvArgs, type PaddingMode } from './convolutional.js';

type Triple = [number, number, number];

function one(inputs: Tensor | Tensor[]): Tensor {
  return Array.isArray(inputs) ? inputs[0] : inputs;
}

/** 3-D convolution: [batch, d, h, w, channels] -> [batch, newD, newH, newW, filters]. */
export class Conv3D extends Conv {
  get className(): string {
    return 'Conv3D';
  }
  protected readonly spatialRank = 3;
  protected readonly layout = '[batch, depth, height, width, channels]';

  constructor(args: ConvArgs) {
    super(args, 3);
  }

  call(inputs: Tensor | Tensor[]): Tensor {
    return this.finish(this.grouped(one(inputs), (x, k) => ops.conv3d(x, k, this.strides as Triple, this.padding as PaddingMode,
      'NDHWC', this.dilationRate as Triple)));
  }
}

/**
 * Transposed 3-D convolution, the upsampling step of volumetric decoders: each spatial size n
 * becomes n*s ('same') or n*s + max(k - s, 0) ('valid'). Kernel [kd, kh, kw, filters, inC].
 */
export class Conv3DTranspose extends ConvTranspose {
  get className(): string {
    return 'Conv3DTranspose';
  }
  protected readonly spatialRank = 3;
  protected readonly layout = '[batch, depth, height, width, channels]';

  constructor(args: ConvArgs) {
    super(args, 3);
  }

  call(inputs: Tensor | Tensor[]): Tensor {
    const x = one(inputs);
    const [d, h, w] = this.outSizes([...x.shape]) as number[];
    return this.finish(ops.conv3dTranspose(x, this.kernel!, [x.shape[0], d, h, w, this.filters],
      this.strides as Triple, this.padding as PaddingMode));
  }

  override getConfig(): Record<string, unknown> {
    // as TensorFlow.js writes it: a transposed convolution has no dilation
    const { dilationRate: _unused, ...config } = super.getConfig();
    return config;
  }
}

export interface Pooling3DArgs extends LayerArgs {
  /** window [d, h, w] (or one number for all three), default [2, 2, 2] */
  poolSize?: number | Triple;
  /** steps, default poolSize */
  strides?: number | Triple;
  padding?: PaddingMode;
  dataFormat?: 'channelsLast';
}

abstract class Pooling3D extends Layer {
  readonly poolSize: number[];
  readonly strides: number[];
  readonly padding: PaddingMode;
  protected abstract readonly mode: 'max' | 'avg';

  constructor(args: Pooling3DArgs = {}) {
    super(args ?? {});
    const a = args ?? {};
    if (a.dataFormat !== undefined && a.dataFormat !== 'channelsLast') {
      throw this.error(`only dataFormat 'channelsLast' is supported, got ${JSON.stringify(a.dataFormat)}`);
    }
    this.poolSize = tupleOf(this, 'poolSize', a.poolSize, 3, [2, 2, 2]);
    this.strides = tupleOf(this, 'strides', a.strides ?? undefined, 3, this.poolSize);
    this.padding = checkPadding(this, a.padding) as PaddingMode;
  }

  computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const s = singleShape(this, inputShape, 5, '[batch, depth, height, width, channels]');
    const spatial = this.poolSize.map((p, i) => {
      const out = convOutputLength(s[i + 1], p, this.padding, this.strides[i]);
      if (out !== null && out <= 0) {
        throw this.error(`input ${shapeString(s)} is smaller than the pool ${JSON.stringify(this.poolSize)} with padding 'valid'`);
      }
      return out;
    });
    return [s[0], ...spatial, s[4]];
  }

  call(inputs: Tensor | Tensor[]): Tensor {
    const pool = this.mode === 'max' ? ops.maxPool3d : ops.avgPool3d;
    return pool(one(inputs), this.poolSize as Triple, this.strides as Triple, this.padding);
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(), poolSize: [...this.poolSize], padding: this.padding, strides: [...this.strides],
      dataFormat: 'channelsLast',
    };
  }
}

/** Maximum of each window: [batch, d, h, w, c] -> [batch, newD, newH, newW, c]. */
export class MaxPooling3D extends Pooling3D {
  get className(): string {
    return 'MaxPooling3D';
  }
  protected readonly mode = 'max';
}

/** Mean of each window (over its real cells, under 'same' padding). */
export class AveragePooling3D extends Pooling3D {
  get className(): string {
    return 'AveragePooling3D';
  }
  protected readonly mode = 'avg';
}
