/**
 * Residual networks (He et al., 2015) as functional models: each block adds its input (or a
 * 1x1 projection of it, where the shape changes) to the output of its convolutions, then ReLU.
 *
 * - `resnet50` follows Keras' `applications.ResNet50` exactly: convolutions with biases, batch
 *   norm epsilon 1.001e-5, the stride on each stage's first 1x1 convolution, explicit zero padding
 *   before the 7x7 stem and the stem's max pool. 224x224x3 with the 1000-way top: 25,636,712
 *   parameters (Keras' "Total params"; 25,583,592 trainable, 53,120 batch-norm statistics).
 * - `resnet18` follows torchvision's `resnet18`: basic blocks of two 3x3 convolutions, no
 *   convolution biases, batch norm epsilon 1e-5 and momentum 0.9 (torch's 0.1), symmetric padding
 *   of 1 on the stride-2 convolutions as torch pads. torchvision counts only trainable tensors:
 *   11,689,512, which is our trainable count; the total adds 9,600 moving means and variances.
 *
 * Layer names follow Keras' scheme (conv1_conv, conv2_block1_1_conv, ..., conv5_block3_out,
 * avg_pool, predictions). Images must be at least 32x32 (the stem and four stages divide by 32).
 */
import type { Layer, SymbolicTensor } from '../nn/layer.js';
import { model, type LayersModel } from '../nn/model.js';
import { layers } from '../nn/layers/index.js';
import { checkImageArgs, imageInput, pooledTop, widthOf, type ImageModelArgs } from './image_model.js';

export type ResNetArgs = ImageModelArgs;

/** how each layout spells a convolution's batch norm and bias */
interface Flavour {
  useBias: boolean;
  epsilon: number;
  momentum: number;
}
const KERAS: Flavour = { useBias: true, epsilon: 1.001e-5, momentum: 0.99 };
const TORCH: Flavour = { useBias: false, epsilon: 1e-5, momentum: 0.9 };

function merged(layer: Layer, xs: SymbolicTensor[]): SymbolicTensor {
  return layer.apply(xs) as SymbolicTensor;
}

/** Convolution then batch norm (then ReLU when `relu`); `pad` > 0 pads explicitly and convolves 'valid'. */
function convBn(x: SymbolicTensor, f: Flavour, name: string,
  o: { filters: number; kernel: number; strides?: number; pad?: number; same?: boolean; relu?: boolean }): SymbolicTensor {
  if (o.pad) x = layers.zeroPadding2d({ padding: o.pad, name: `${name}_pad` }).apply(x);
  x = layers.conv2d({ filters: o.filters, kernelSize: o.kernel, strides: o.strides ?? 1, padding: o.same ? 'same' : 'valid',
    useBias: f.useBias, name: `${name}_conv` }).apply(x);
  x = layers.batchNormalization({ axis: 3, epsilon: f.epsilon, momentum: f.momentum, name: `${name}_bn` }).apply(x);
  return o.relu ? layers.activation({ activation: 'relu', name: `${name}_relu` }).apply(x) : x;
}

/** The stem: 7x7/2 convolution (padding 3), batch norm, ReLU, 3x3/2 max pool (padding 1): /4. */
function stem(x: SymbolicTensor, f: Flavour, alpha: number): SymbolicTensor {
  x = convBn(x, f, 'conv1', { filters: widthOf(64, alpha), kernel: 7, strides: 2, pad: 3, relu: true });
  x = layers.zeroPadding2d({ padding: 1, name: 'pool1_pad' }).apply(x);
  return layers.maxPooling2d({ poolSize: 3, strides: 2, name: 'pool1_pool' }).apply(x);
}

function closeBlock(shortcut: SymbolicTensor, x: SymbolicTensor, name: string): SymbolicTensor {
  x = merged(layers.add({ name: `${name}_add` }), [shortcut, x]);
  return layers.activation({ activation: 'relu', name: `${name}_out` }).apply(x);
}

/** Keras' bottleneck block: 1x1 (strided), 3x3, 1x1 to 4x the width; projection when `project`. */
function bottleneck(x: SymbolicTensor, filters: number, strides: number, project: boolean, name: string): SymbolicTensor {
  const shortcut = project ? convBn(x, KERAS, `${name}_0`, { filters: 4 * filters, kernel: 1, strides }) : x;
  x = convBn(x, KERAS, `${name}_1`, { filters, kernel: 1, strides, relu: true });
  x = convBn(x, KERAS, `${name}_2`, { filters, kernel: 3, same: true, relu: true });
  x = convBn(x, KERAS, `${name}_3`, { filters: 4 * filters, kernel: 1 });
  return closeBlock(shortcut, x, name);
}

/** torchvision's basic block: 3x3 (strided), 3x3; a 1x1 strided projection where the shape changes. */
function basic(x: SymbolicTensor, filters: number, strides: number, project: boolean, name: string): SymbolicTensor {
  const shortcut = project ? convBn(x, TORCH, `${name}_0`, { filters, kernel: 1, strides }) : x;
  x = strides === 1
    ? convBn(x, TORCH, `${name}_1`, { filters, kernel: 3, same: true, relu: true })
    : convBn(x, TORCH, `${name}_1`, { filters, kernel: 3, strides, pad: 1, relu: true });
  x = convBn(x, TORCH, `${name}_2`, { filters, kernel: 3, same: true });
  return closeBlock(shortcut, x, name);
}

const STAGE_FILTERS = [64, 128, 256, 512];

/**
 * ResNet-50: stages of 3, 4, 6, 3 bottleneck blocks; default input 224x224x3, 1000 classes.
 *
 * @example
 * ```ts
 * const model = st.models.resnet50({ inputShape: [32, 32, 3], classes: 10, widthMultiplier: 0.05 });
 * console.log(model.outputs[0].shape); // [null, 10]
 * ```
 */
export function resnet50(args: ResNetArgs = {}): LayersModel {
  const { inputShape, classes, alpha } = checkImageArgs('resnet50', args, [224, 224, 3], 32);
  const inputs = imageInput(inputShape);
  let x = stem(inputs, KERAS, alpha);
  [3, 4, 6, 3].forEach((blocks, s) => {
    for (let b = 1; b <= blocks; b++) {
      // the first stage keeps the stem's resolution; its first block still projects (64 -> 256)
      const strides = b === 1 && s > 0 ? 2 : 1;
      x = bottleneck(x, widthOf(STAGE_FILTERS[s], alpha), strides, b === 1, `conv${s + 2}_block${b}`);
    }
  });
  return model({ inputs, outputs: pooledTop(x, args, classes), name: args.name ?? 'resnet50' });
}

/**
 * ResNet-18: stages of 2, 2, 2, 2 basic blocks; default input 224x224x3, 1000 classes.
 *
 * @example
 * ```ts
 * const model = st.models.resnet18({ inputShape: [32, 32, 3], classes: 10 });
 * console.log(model.outputs[0].shape); // [null, 10]
 * ```
 */
export function resnet18(args: ResNetArgs = {}): LayersModel {
  const { inputShape, classes, alpha } = checkImageArgs('resnet18', args, [224, 224, 3], 32);
  const inputs = imageInput(inputShape);
  let x = stem(inputs, TORCH, alpha);
  for (let s = 0; s < 4; s++) {
    for (let b = 1; b <= 2; b++) {
      const strides = b === 1 && s > 0 ? 2 : 1;
      x = basic(x, widthOf(STAGE_FILTERS[s], alpha), strides, strides !== 1, `conv${s + 2}_block${b}`);
    }
  }
  return model({ inputs, outputs: pooledTop(x, args, classes), name: args.name ?? 'resnet18' });
}
