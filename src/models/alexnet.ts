/**
 * AlexNet (Krizhevsky, Sutskever & Hinton, 2012) as the seeds list it, on one tower:
 * 227x227x3 -> conv 96@11x11 stride 4 (valid) -> 55x55x96 -> max pool 3x3/2 -> 27x27x96 ->
 * conv 256@5x5 (padding 2) -> 27x27x256 -> pool -> 13x13x256 -> conv 384, 384, 256 @3x3
 * (padding 1) -> 13x13x256 -> pool -> 6x6x256 -> dense 4096, 4096 (ReLU, dropout 0.5 after each)
 * -> classes. The pools overlap (3x3 windows, stride 2), as in the paper.
 *
 * Parameter count at 227x227x3 with 1000 classes: 62,378,344. That is the single-tower network,
 * without local response normalisation (no weights; the seeds call it unnecessary). `groups: 2`
 * gives the paper's two-GPU split, where conv2, conv4 and conv5 each see only their own tower's
 * half of the previous maps: 60,965,224 parameters (the "60 M" of the paper and the seeds).
 * One seed writes conv2's stride as 2; stride 1 is what gives the 27x27 maps and the
 * 6x6x256 = 9,216 inputs of the first dense layer.
 *
 * Images must be at least 67x67, where the last pool's output is 1x1.
 */
import type { SymbolicTensor } from '../nn/layer.js';
import { model, type LayersModel } from '../nn/model.js';
import { layers } from '../nn/layers/index.js';
import { checkImageArgs, classifier, imageInput, poolFeatures, widthOf, type ImageModelArgs } from './image_model.js';

export interface AlexNetArgs extends ImageModelArgs {
  /** dropout after each of the two hidden dense layers (default 0.5, the paper's) */
  dropout?: number;
  /** 2: the paper's two towers (grouped conv2, conv4, conv5); default 1, one tower */
  groups?: 1 | 2;
}

/**
 * AlexNet (Krizhevsky et al. 2012): five convolutions and three dense layers; default input 227x227x3, 1000 classes.
 *
 * @example
 * ```ts
 * // a narrow AlexNet on small images (the full one: st.models.alexnet())
 * const model = st.models.alexnet({ inputShape: [67, 67, 3], classes: 5, widthMultiplier: 0.05 });
 * console.log(model.outputs[0].shape); // [null, 5]
 * ```
 */
export function alexnet(args: AlexNetArgs = {}): LayersModel {
  const { inputShape, classes, alpha } = checkImageArgs('alexnet', args, [227, 227, 3], 67);
  const dropout = args.dropout ?? 0.5;
  if (!(dropout >= 0 && dropout < 1)) throw new Error(`models.alexnet: dropout must be in [0, 1), got ${dropout}`);
  const groups = args.groups ?? 1;
  if (groups !== 1 && groups !== 2) throw new Error(`models.alexnet: groups must be 1 or 2, got ${JSON.stringify(groups)}`);
  // with two towers every width must split evenly between them
  const width = (n: number) => groups * widthOf(n / groups, alpha);
  const conv = (x: SymbolicTensor, filters: number, kernelSize: number, strides: number, name: string, grouped = false) =>
    layers.conv2d({ filters: width(filters), kernelSize, strides, padding: strides === 1 ? 'same' : 'valid',
      activation: 'relu', name, ...(grouped && groups > 1 ? { groups } : {}) }).apply(x);
  const pool = (x: SymbolicTensor, name: string) => layers.maxPooling2d({ poolSize: 3, strides: 2, name }).apply(x);

  const inputs = imageInput(inputShape);
  let x = pool(conv(inputs, 96, 11, 4, 'conv1'), 'pool1');
  x = pool(conv(x, 256, 5, 1, 'conv2', true), 'pool2');
  x = conv(conv(conv(x, 384, 3, 1, 'conv3'), 384, 3, 1, 'conv4', true), 256, 3, 1, 'conv5', true);
  x = pool(x, 'pool5');
  if (args.includeTop ?? true) {
    x = layers.flatten({ name: 'flatten' }).apply(x);
    for (const name of ['fc6', 'fc7']) {
      x = layers.dense({ units: widthOf(4096, alpha), activation: 'relu', name }).apply(x);
      if (dropout > 0) x = layers.dropout({ rate: dropout, name: `${name}_dropout` }).apply(x);
    }
    x = classifier(x, args, classes);
  } else {
    x = poolFeatures(x, args);
  }
  return model({ inputs, outputs: x, name: args.name ?? 'alexnet' });
}
