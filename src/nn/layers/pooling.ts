/**
 * Pooling layers, channels-last: MaxPooling1D/2D, AveragePooling1D/2D (average over real cells
 * only under 'same' padding), and the global poolings that reduce the steps or the image away.
 */
import { Tensor } from '../../tensor/tensor.js';
import * as ops from '../../ops/index.js';
import { Layer, LayerArgs, Shape, shapeString, singleShape } from '../layer.js';
import { checkPadding, convOutputLength, tupleOf, type PaddingMode } from './convolutional.js';

function one(inputs: Tensor | Tensor[]): Tensor {
  return Array.isArray(inputs) ? inputs[0] : inputs;
}

export interface Pooling1DArgs extends LayerArgs {
  /** window length, default 2 */
  poolSize?: number | [number];
  /** step, default poolSize */
  strides?: number | [number];
  padding?: PaddingMode;
  dataFormat?: 'channelsLast';
}

export interface Pooling2DArgs extends LayerArgs {
  /** window [h, w] (or one number for both), default [2, 2] */
  poolSize?: number | [number, number];
  /** steps, default poolSize */
  strides?: number | [number, number];
  padding?: PaddingMode;
  dataFormat?: 'channelsLast';
}

abstract class Pooling extends Layer {
  readonly poolSize: number[];
  readonly strides: number[];
  readonly padding: PaddingMode;
  protected abstract readonly mode: 'max' | 'avg';

  constructor(args: Pooling1DArgs | Pooling2DArgs, private readonly rank: 1 | 2) {
    super(args ?? {});
    const a = args ?? {};
    if (a.dataFormat !== undefined && a.dataFormat !== 'channelsLast') {
      throw this.error(`only dataFormat 'channelsLast' is supported, got ${JSON.stringify(a.dataFormat)}`);
    }
    this.poolSize = tupleOf(this, 'poolSize', a.poolSize, rank, new Array<number>(rank).fill(2));
    this.strides = tupleOf(this, 'strides', a.strides ?? undefined, rank, this.poolSize);
    this.padding = checkPadding(this, a.padding) as PaddingMode;
  }

  computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const layout = this.rank === 1 ? '[batch, steps, channels]' : '[batch, height, width, channels]';
    const s = singleShape(this, inputShape, this.rank + 2, layout);
    const spatial = this.poolSize.map((p, i) => {
      const out = convOutputLength(s[i + 1], p, this.padding, this.strides[i]);
      if (out !== null && out <= 0) {
        throw this.error(`input ${shapeString(s)} is smaller than the pool ${JSON.stringify(this.poolSize)} with padding 'valid'`);
      }
      return out;
    });
    return [s[0], ...spatial, s[s.length - 1]];
  }

  call(inputs: Tensor | Tensor[]): Tensor {
    const x = one(inputs);
    const pool = this.mode === 'max' ? ops.maxPool : ops.avgPool;
    if (this.rank === 2) {
      return pool(x, this.poolSize as [number, number], this.strides as [number, number], this.padding);
    }
    const [b, steps, c] = x.shape;
    const y = pool(ops.reshape(x, [b, 1, steps, c]), [1, this.poolSize[0]], [1, this.strides[0]], this.padding);
    return ops.reshape(y, [b, y.shape[2], c]);
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(), poolSize: [...this.poolSize], strides: [...this.strides], padding: this.padding,
      dataFormat: 'channelsLast',
    };
  }
}

/** Maximum of each window of steps: [batch, steps, c] -> [batch, newSteps, c]. */
export class MaxPooling1D extends Pooling {
  get className(): string {
    return 'MaxPooling1D';
  }
  protected readonly mode = 'max';
  constructor(args: Pooling1DArgs = {}) {
    super(args, 1);
  }
}

/** Maximum of each window: [batch, h, w, c] -> [batch, newH, newW, c]. */
export class MaxPooling2D extends Pooling {
  get className(): string {
    return 'MaxPooling2D';
  }
  protected readonly mode = 'max';
  constructor(args: Pooling2DArgs = {}) {
    super(args, 2);
  }
}

/** Mean of each window of steps. */
export class AveragePooling1D extends Pooling {
  get className(): string {
    return 'AveragePooling1D';
  }
  protected readonly mode = 'avg';
  constructor(args: Pooling1DArgs = {}) {
    super(args, 1);
  }
}

/** Mean of each window (over its real cells, under 'same' padding). */
export class AveragePooling2D extends Pooling {
  get className(): string {
    return 'AveragePooling2D';
  }
  protected readonly mode = 'avg';
  constructor(args: Pooling2DArgs = {}) {
    super(args, 2);
  }
}

export interface GlobalPoolingArgs extends LayerArgs {
  /** keep the reduced axes as size 1 (Keras' keepdims) */
  keepDims?: boolean;
  dataFormat?: 'channelsLast';
}

abstract class GlobalPooling extends Layer {
  readonly keepDims: boolean;
  protected abstract readonly mode: 'max' | 'avg';

  constructor(args: GlobalPoolingArgs, private readonly rank: 1 | 2) {
    super(args ?? {});
    if (args?.dataFormat !== undefined && args.dataFormat !== 'channelsLast') {
      throw this.error(`only dataFormat 'channelsLast' is supported, got ${JSON.stringify(args.dataFormat)}`);
    }
    this.keepDims = args?.keepDims ?? false;
  }

  computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const layout = this.rank === 1 ? '[batch, steps, channels]' : '[batch, height, width, channels]';
    const s = singleShape(this, inputShape, this.rank + 2, layout);
    return this.keepDims ? [s[0], ...new Array<number>(this.rank).fill(1), s[s.length - 1]] : [s[0], s[s.length - 1]];
  }

  call(inputs: Tensor | Tensor[]): Tensor {
    const x = one(inputs);
    const axes = this.rank === 1 ? [1] : [1, 2];
    return this.mode === 'max' ? ops.max(x, axes, this.keepDims) : ops.mean(x, axes, this.keepDims);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), keepDims: this.keepDims, dataFormat: 'channelsLast' };
  }
}

/** Mean over the steps: [batch, steps, c] -> [batch, c]. */
export class GlobalAveragePooling1D extends GlobalPooling {
  get className(): string {
    return 'GlobalAveragePooling1D';
  }
  protected readonly mode = 'avg';
  constructor(args: GlobalPoolingArgs = {}) {
    super(args, 1);
  }
}

/** Mean over the image: [batch, h, w, c] -> [batch, c]. */
export class GlobalAveragePooling2D extends GlobalPooling {
  get className(): string {
    return 'GlobalAveragePooling2D';
  }
  protected readonly mode = 'avg';
  constructor(args: GlobalPoolingArgs = {}) {
    super(args, 2);
  }
}

/** Maximum over the steps: [batch, steps, c] -> [batch, c]. */
export class GlobalMaxPooling1D extends GlobalPooling {
  get className(): string {
    return 'GlobalMaxPooling1D';
  }
  protected readonly mode = 'max';
  constructor(args: GlobalPoolingArgs = {}) {
    super(args, 1);
  }
}

/** Maximum over the image: [batch, h, w, c] -> [batch, c]. */
export class GlobalMaxPooling2D extends GlobalPooling {
  get className(): string {
    return 'GlobalMaxPooling2D';
  }
  protected readonly mode = 'max';
  constructor(args: GlobalPoolingArgs = {}) {
    super(args, 2);
  }
}
