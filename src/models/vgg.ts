/**
 * VGG-16 and VGG-19 (Simonyan & Zisserman, 2014) in Keras' `applications` layout: five blocks
 * of 3x3 'same' convolutions with ReLU, each closed by a 2x2 stride-2 max pool, then flatten and
 * dense 4096, 4096 and the classifier. With the 1000-way top at 224x224x3 VGG-16 has
 * 138,357,544 parameters and VGG-19 143,667,240, Keras' figures exactly. Layer names are Keras'
 * (block1_conv1, ..., fc1, fc2, predictions), so a converted Keras file's weights line up by name.
 * Keras has no dropout in the top; the paper put dropout 0.5 after fc1 and fc2: `dropout` adds it.
 * Images must be at least 32x32 (five halvings leave 1x1).
 */
import type { SymbolicTensor } from '../nn/layer.js';
import { model, type LayersModel } from '../nn/model.js';
import { layers } from '../nn/layers/index.js';
import { checkImageArgs, classifier, imageInput, poolFeatures, widthOf, type ImageModelArgs } from './image_model.js';

export interface VggArgs extends ImageModelArgs {
  /** dropout after fc1 and fc2, as in the paper (default 0: Keras' layout, none) */
  dropout?: number;
}

/** convolutions per block: VGG-16 (configuration D) and VGG-19 (configuration E) */
const BLOCKS: Record<'vgg16' | 'vgg19', number[]> = { vgg16: [2, 2, 3, 3, 3], vgg19: [2, 2, 4, 4, 4] };
const FILTERS = [64, 128, 256, 512, 512];

function vgg(kind: 'vgg16' | 'vgg19', args: VggArgs): LayersModel {
  const { inputShape, classes, alpha } = checkImageArgs(kind, args, [224, 224, 3], 32);
  const dropout = args.dropout ?? 0;
  if (!(dropout >= 0 && dropout < 1)) throw new Error(`models.${kind}: dropout must be in [0, 1), got ${dropout}`);
  const inputs = imageInput(inputShape);
  let x: SymbolicTensor = inputs;
  BLOCKS[kind].forEach((convs, b) => {
    for (let c = 1; c <= convs; c++) {
      x = layers.conv2d({ filters: widthOf(FILTERS[b], alpha), kernelSize: 3, padding: 'same', activation: 'relu',
        name: `block${b + 1}_conv${c}` }).apply(x);
    }
    x = layers.maxPooling2d({ poolSize: 2, strides: 2, name: `block${b + 1}_pool` }).apply(x);
  });
  if (args.includeTop ?? true) {
    x = layers.flatten({ name: 'flatten' }).apply(x);
    for (const name of ['fc1', 'fc2']) {
      x = layers.dense({ units: widthOf(4096, alpha), activation: 'relu', name }).apply(x);
      if (dropout > 0) x = layers.dropout({ rate: dropout, name: `${name}_dropout` }).apply(x);
    }
    x = classifier(x, args, classes);
  } else {
    x = poolFeatures(x, args);
  }
  return model({ inputs, outputs: x, name: args.name ?? kind });
}

/**
 * VGG-16: 13 convolutions in blocks of 2, 2, 3, 3, 3; default input 224x224x3, 1000 classes.
 *
 * @example
 * ```ts
 * // a narrow VGG-16 on 32x32 images, with the 13 convolutions of the full one
 * const model = st.models.vgg16({ inputShape: [32, 32, 3], classes: 10, widthMultiplier: 0.05 });
 * console.log(model.layers.filter((l) => l.getClassName() === 'Conv2D').length); // 13
 * ```
 */
export function vgg16(args: VggArgs = {}): LayersModel {
  return vgg('vgg16', args);
}

/**
 * VGG-19: 16 convolutions in blocks of 2, 2, 4, 4, 4; default input 224x224x3, 1000 classes.
 *
 * @example
 * ```ts
 * const features = st.models.vgg19({ inputShape: [32, 32, 3], includeTop: false, pooling: 'avg', widthMultiplier: 0.05 });
 * console.log(features.outputs[0].shape); // [null, 26]: one vector per image
 * ```
 */
export function vgg19(args: VggArgs = {}): LayersModel {
  return vgg('vgg19', args);
}
