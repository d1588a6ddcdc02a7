/** Activation functions by Keras name, for layers' `activation` option. */
import { Tensor } from '../tensor/tensor.js';
import * as ops from '../ops/index.js';

export type ActivationIdentifier =
  | 'linear' | 'relu' | 'relu6' | 'elu' | 'selu' | 'gelu' | 'sigmoid' | 'hardSigmoid' | 'tanh' | 'softmax'
  | 'logSoftmax' | 'softplus' | 'softsign' | 'swish' | 'leakyRelu' | 'exponential' | 'tfjsHardSigmoid' | 'mish' | 'geluNew' | 'silu' | 'hardSilu' | 'hardSwish';

/** Each takes the tensor; elu also Keras' optional alpha (the scale of its negative side). */
const table: Record<string, (x: Tensor, alpha?: number) => Tensor> = {
  linear: (x) => x,
  relu: (x) => ops.relu(x),
  relu6: (x) => ops.relu6(x),
  elu: (x, alpha) => ops.elu(x, alpha),
  selu: (x) => ops.selu(x),
  gelu: (x) => ops.gelu(x),
  // GPT-2's tanh approximation, which TensorFlow.js' files call 'gelu_new'
  geluNew: (x) => ops.gelu(x, true),
  sigmoid: (x) => ops.sigmoid(x),
  // Keras 3: max(0, min(1, x / 6 + 0.5))
  hardSigmoid: (x) => ops.clipByValue(ops.add(ops.div(x, 6), 0.5), 0, 1),
  // TensorFlow.js' and Keras 2's: max(0, min(1, 0.2 x + 0.5)), what 'hard_sigmoid' means in their
  // model files (TensorFlow.js' LSTM and GRU default recurrent activation)
  tfjsHardSigmoid: (x) => ops.clipByValue(ops.add(ops.mul(x, 0.2), 0.5), 0, 1),
  tanh: (x) => ops.tanh(x),
  softmax: (x) => ops.softmax(x),
  logSoftmax: (x) => ops.logSoftmax(x),
  softplus: (x) => ops.softplus(x),
  softsign: (x) => ops.softsign(x),
  swish: (x) => ops.mul(x, ops.sigmoid(x)),
  // Keras' silu is swish under another name
  silu: (x) => ops.mul(x, ops.sigmoid(x)),
  // Keras 3's hard_silu (MobileNetV3's hard swish): x relu6(x + 3) / 6
  hardSilu: (x) => ops.div(ops.mul(x, ops.relu6(ops.add(x, 3))), 6),
  hardSwish: (x) => ops.div(ops.mul(x, ops.relu6(ops.add(x, 3))), 6),
  mish: (x) => ops.mul(x, ops.tanh(ops.softplus(x))),
  leakyRelu: (x) => ops.leakyRelu(x),
  exponential: (x) => ops.exp(x),
};

function camel(name: string): string {
  return name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

export interface Activation {
  readonly name: string;
  /** `alpha` is read by elu only (Keras' `elu(x, alpha)`); the others ignore it */
  apply(x: Tensor, alpha?: number): Tensor;
}

/** An activation by name ('relu', 'softmax', 'hard_sigmoid', ...); undefined or null means linear. */
export function getActivation(identifier: string | null | undefined, where = 'activation'): Activation {
  const name = identifier === undefined || identifier === null ? 'linear' : camel(identifier);
  const f = table[name];
  if (!f) {
    throw new Error(`${where}: unknown activation ${JSON.stringify(identifier)}; known: ${Object.keys(table).join(', ')}`);
  }
  return { name, apply: f };
}
