/**
 * The seeds' LeNet-5: 6@5x5 -> 6@28x28, pool -> 6@14x14, 16@5x5 -> 16@10x10, pool -> 16@5x5,
 * dense 120, 84, then the classifier. The first convolution pads ('same') when the input is
 * 28x28 (MNIST) so the maps keep the seed's sizes; a 32x32 input (the original) runs unpadded.
 */
import { sequential, type Sequential } from '../nn/model.js';
import { layers } from '../nn/layers/index.js';
import type { ActivationIdentifier } from '../nn/activations.js';

export interface Lenet5Args {
  /** one image's shape (default [28, 28, 1]) */
  inputShape?: number[];
  classes?: number;
  /** hidden activation (default 'relu'; the 1998 paper used scaled tanh) */
  activation?: ActivationIdentifier;
  name?: string;
}

/**
 * @example
 * ```ts
 * const model = st.models.lenet5();
 * console.log(model.outputs[0].shape); // [null, 10]
 * ```
 */
export function lenet5(args: Lenet5Args = {}): Sequential {
  const { inputShape = [28, 28, 1], classes = 10, activation = 'relu' } = args;
  const padding = inputShape[0] >= 32 && inputShape[1] >= 32 ? 'valid' : 'same';
  const model = sequential({ name: args.name ?? 'lenet5' });
  model.add(layers.conv2d({ filters: 6, kernelSize: 5, padding, activation, inputShape }));
  model.add(layers.maxPooling2d({ poolSize: 2 }));
  model.add(layers.conv2d({ filters: 16, kernelSize: 5, padding: 'valid', activation }));
  model.add(layers.maxPooling2d({ poolSize: 2 }));
  model.add(layers.flatten());
  model.add(layers.dense({ units: 120, activation }));
  model.add(layers.dense({ units: 84, activation }));
  model.add(layers.dense({ units: classes, activation: 'softmax' }));
  return model;
}
