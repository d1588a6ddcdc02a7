/**
 * A multi-layer perceptron: dense layers of the given widths, then the output layer (softmax
 * classes by default; `outputActivation` changes it). Image inputs are flattened first.
 */
import { sequential, type Sequential } from '../nn/model.js';
import { layers } from '../nn/layers/index.js';
import type { ActivationIdentifier } from '../nn/activations.js';

export interface MlpArgs {
  /** one sample's shape (default [784]); more than one axis adds a Flatten */
  inputShape?: number[];
  /** hidden widths (default [256, 256]) */
  units?: number[];
  activation?: ActivationIdentifier;
  /** output units (default 10) */
  classes?: number;
  /** the output layer's activation (default 'softmax') */
  outputActivation?: ActivationIdentifier;
  /** dropout after each hidden layer (default 0: none) */
  dropout?: number;
  name?: string;
}

/**
 * @example
 * ```ts
 * const model = st.models.mlp({ inputShape: [4], units: [8], classes: 3 });
 * model.predict(st.ones([1, 4])).print();
 * ```
 */
export function mlp(args: MlpArgs = {}): Sequential {
  const { inputShape = [784], units = [256, 256], activation = 'relu', classes = 10, outputActivation = 'softmax', dropout = 0 } = args;
  if (!Array.isArray(units) || units.some((u) => !Number.isInteger(u) || u < 1)) {
    throw new Error(`models.mlp: units must be a list of positive widths, got ${JSON.stringify(units)}`);
  }
  const model = sequential({ name: args.name ?? 'mlp' });
  if (inputShape.length > 1) model.add(layers.flatten({ inputShape }));
  units.forEach((u, i) => {
    model.add(layers.dense({ units: u, activation, ...(i === 0 && inputShape.length === 1 ? { inputShape } : {}) }));
    if (dropout > 0) model.add(layers.dropout({ rate: dropout }));
  });
  model.add(layers.dense({ units: classes, activation: outputActivation,
    ...(units.length === 0 && inputShape.length === 1 ? { inputShape } : {}) }));
  return model;
}
