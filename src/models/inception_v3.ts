/**
 * Inception-v3 (Szegedy et al., 2015) in Keras' `applications.InceptionV3` layout: a stem of
 * plain convolutions, three 35x35 modules (mixed0-2), a grid reduction (mixed3), four 17x17
 * modules whose 7x7 convolutions are factorised into 1x7 and 7x1 (mixed4-7), a second reduction
 * (mixed8) and two 8x8 modules whose 3x3 convolutions branch into 1x3 and 3x1 (mixed9-10), then
 * global average pooling and the classifier. Every convolution is Keras' conv2d_bn: no bias,
 * batch norm without a learned scale (the ReLU after it makes a scale redundant), ReLU.
 * The 35x35 modules keep one 5x5 branch beside the double-3x3 branch, as Keras does.
 *
 * At 299x299x3 with 1000 classes: 23,851,784 parameters, Keras' figure (23,817,352 trainable,
 * 34,432 batch-norm statistics). Images must be at least 75x75.
 *
 * Names are Keras': the modules are mixed0 ... mixed10 (and mixed9_0, mixed9_1 inside), the top
 * avg_pool and predictions; the other layers take automatic names as in Keras: built before any
 * other layer in a process, they run conv2d ... conv2d_93 as in a fresh Keras session, and later
 * builds never repeat a name already in use (a pretrained base and a new head can share a model).
 */
import type { Layer, SymbolicTensor } from '../nn/layer.js';
import { model, type LayersModel } from '../nn/model.js';
import { layers } from '../nn/layers/index.js';
import { checkImageArgs, imageInput, pooledTop, widthOf, type ImageModelArgs } from './image_model.js';

export type InceptionV3Args = ImageModelArgs;

type Tensor = SymbolicTensor;

/** The layers of one build, created in Keras' order so that the automatic names match. */
class Builder {
  constructor(private readonly alpha: number) {}

  /** Keras' conv2d_bn: rows x cols convolution without bias, batch norm without scale, ReLU. */
  convBn(x: Tensor, filters: number, rows: number, cols: number, o: { strides?: number; valid?: boolean } = {}): Tensor {
    x = layers.conv2d({ filters: widthOf(filters, this.alpha), kernelSize: [rows, cols], strides: o.strides ?? 1,
      padding: o.valid ? 'valid' : 'same', useBias: false }).apply(x);
    x = layers.batchNormalization({ axis: 3, scale: false }).apply(x);
    return layers.activation({ activation: 'relu' }).apply(x);
  }

  /** a chain of conv2d_bn steps, each [filters, rows, cols] */
  chain(x: Tensor, steps: [number, number, number][]): Tensor {
    return steps.reduce((t, [f, r, c]) => this.convBn(t, f, r, c), x);
  }

  maxPool(x: Tensor): Tensor {
    return layers.maxPooling2d({ poolSize: 3, strides: 2 }).apply(x);
  }

  /** the modules' pooling branch: 3x3 stride-1 average pool, then a 1x1 convolution */
  poolBranch(x: Tensor, filters: number): Tensor {
    const p = layers.averagePooling2d({ poolSize: 3, strides: 1, padding: 'same' }).apply(x);
    return this.convBn(p, filters, 1, 1);
  }

  concat(xs: Tensor[], name?: string): Tensor {
    const layer: Layer = layers.concatenate({ axis: 3, ...(name ? { name } : {}) });
    return layer.apply(xs) as Tensor;
  }
}

/**
 * Inception-v3; default input 299x299x3, 1000 classes.
 *
 * @example
 * ```ts
 * // the smallest images Inception-v3 takes, at a tenth of its width
 * const model = st.models.inceptionV3({ inputShape: [75, 75, 3], classes: 3, widthMultiplier: 0.1 });
 * console.log(model.outputs[0].shape); // [null, 3]
 * ```
 */
export function inceptionV3(args: InceptionV3Args = {}): LayersModel {
  const { inputShape, classes, alpha } = checkImageArgs('inceptionV3', args, [299, 299, 3], 75);
  const b = new Builder(alpha);
  const inputs = imageInput(inputShape);

  // stem: 299 -> 149 -> 147 -> 147 -> 73 -> 73 -> 71 -> 35
  let x = b.convBn(inputs, 32, 3, 3, { strides: 2, valid: true });
  x = b.convBn(x, 32, 3, 3, { valid: true });
  x = b.convBn(x, 64, 3, 3);
  x = b.maxPool(x);
  x = b.convBn(x, 80, 1, 1, { valid: true });
  x = b.convBn(x, 192, 3, 3, { valid: true });
  x = b.maxPool(x);

  // mixed0-2, 35x35: 1x1 | 1x1 -> 5x5 | 1x1 -> 3x3 -> 3x3 | pool -> 1x1 (32, then 64 filters)
  for (const [i, poolFilters] of [32, 64, 64].entries()) {
    x = b.concat([
      b.convBn(x, 64, 1, 1),
      b.chain(x, [[48, 1, 1], [64, 5, 5]]),
      b.chain(x, [[64, 1, 1], [96, 3, 3], [96, 3, 3]]),
      b.poolBranch(x, poolFilters),
    ], `mixed${i}`);
  }

  // mixed3, 35 -> 17: strided 3x3 | 1x1 -> 3x3 -> strided 3x3 | max pool
  x = b.concat([
    b.convBn(x, 384, 3, 3, { strides: 2, valid: true }),
    b.convBn(b.chain(x, [[64, 1, 1], [96, 3, 3]]), 96, 3, 3, { strides: 2, valid: true }),
    b.maxPool(x),
  ], 'mixed3');

  // mixed4-7, 17x17: 7x7 convolutions as 1x7 then 7x1 (and twice over in the double branch)
  for (const [i, m] of [128, 160, 160, 192].entries()) {
    x = b.concat([
      b.convBn(x, 192, 1, 1),
      b.chain(x, [[m, 1, 1], [m, 1, 7], [192, 7, 1]]),
      b.chain(x, [[m, 1, 1], [m, 7, 1], [m, 1, 7], [m, 7, 1], [192, 1, 7]]),
      b.poolBranch(x, 192),
    ], `mixed${4 + i}`);
  }

  // mixed8, 17 -> 8
  x = b.concat([
    b.convBn(b.convBn(x, 192, 1, 1), 320, 3, 3, { strides: 2, valid: true }),
    b.convBn(b.chain(x, [[192, 1, 1], [192, 1, 7], [192, 7, 1]]), 192, 3, 3, { strides: 2, valid: true }),
    b.maxPool(x),
  ], 'mixed8');

  // mixed9-10, 8x8: the 3x3 branches fan out into parallel 1x3 and 3x1 convolutions
  for (let i = 0; i < 2; i++) {
    // statements in Keras' order, so the automatic names follow a fresh Keras build's
    const branch1x1 = b.convBn(x, 320, 1, 1);
    const narrow = b.convBn(x, 384, 1, 1);
    const branch3x3 = b.concat([b.convBn(narrow, 384, 1, 3), b.convBn(narrow, 384, 3, 1)], `mixed9_${i}`);
    const wide = b.chain(x, [[448, 1, 1], [384, 3, 3]]);
    const branch3x3dbl = b.concat([b.convBn(wide, 384, 1, 3), b.convBn(wide, 384, 3, 1)]);
    x = b.concat([branch1x1, branch3x3, branch3x3dbl, b.poolBranch(x, 192)], `mixed${9 + i}`);
  }
  return model({ inputs, outputs: pooledTop(x, args, classes), name: args.name ?? 'inception_v3' });
}
