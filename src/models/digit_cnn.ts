/**
 * The week-8 seed's digit CNN: conv 8@5x5 same, pool, dropout, conv 16@3x3 same, pool, dropout,
 * flatten, dense 256, dropout, then a softmax head. `seedHead: true` gives the seed's exact
 * head (dense 100 softmax reshaped to 10x10x1); otherwise a `classes`-way classifier.
 */
import { sequential, type Sequential } from '../nn/model.js';
import { layers } from '../nn/layers/index.js';

export interface DigitCnnArgs {
  /** one image's shape (default [28, 28, 1]) */
  inputShape?: number[];
  /** classes of the softmax head (default 10) */
  classes?: number;
  /** the seed's own head: dense 10*10 softmax, reshaped to [10, 10, 1] */
  seedHead?: boolean;
  name?: string;
}

/**
 * @example
 * ```ts
 * const model = st.models.digitCnn();
 * model.summary();
 * ```
 */
export function digitCnn(args: DigitCnnArgs = {}): Sequential {
  const { inputShape = [28, 28, 1], classes = 10, seedHead = false } = args;
  const model = sequential({ name: args.name });
  model.add(layers.conv2d({ filters: 8, kernelSize: [5, 5], padding: 'same', activation: 'relu', inputShape }));
  model.add(layers.maxPooling2d({ poolSize: [2, 2] }));
  model.add(layers.dropout({ rate: 0.25 }));
  model.add(layers.conv2d({ filters: 16, kernelSize: [3, 3], padding: 'same', activation: 'relu' }));
  model.add(layers.maxPooling2d({ poolSize: [2, 2], strides: [2, 2] }));
  model.add(layers.dropout({ rate: 0.25 }));
  model.add(layers.flatten());
  model.add(layers.dense({ units: 256, activation: 'relu' }));
  model.add(layers.dropout({ rate: 0.5 }));
  if (seedHead) {
    model.add(layers.dense({ units: 10 * 10, activation: 'softmax' }));
    model.add(layers.reshape({ targetShape: [10, 10, 1] }));
  } else {
    model.add(layers.dense({ units: classes, activation: 'softmax' }));
  }
  return model;
}
