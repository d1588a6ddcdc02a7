/**
 * The CIFAR ResNet-20 of He et al. (2016, section 4.2) for the benchmark, built with striate's
 * layers API as a functional model: a 3x3 convolution to 16 channels, then three stages of three
 * basic blocks (two 3x3 convolutions with batch norm) at 16, 32 and 64 channels on 32x32, 16x16
 * and 8x8 maps, global average pooling and a 10-way softmax.
 *
 * Shortcuts are the paper's option B: identity where the shape stays, a 1x1 strided projection
 * with batch norm where a stage halves the map and doubles the channels (option A's zero-padded
 * identity has no layer in TensorFlow.js' API; B costs 2,752 parameters more: 272,474 trainable
 * against A's 269,722). Convolutions have no biases (batch norm follows each); the stride-2
 * convolutions pad 1 on every side as PyTorch's `padding=1` does (explicit zero padding, then
 * 'valid'), so bench/peers/torch_bench.py builds exactly the same network.
 */
import * as st from '../src/index.js';
import type { SymbolicTensor } from '../src/nn/layer.js';

/** Trainable parameters of ResNet-20 with option-B shortcuts on 32x32x3 inputs and 10 classes. */
export const RESNET20_TRAINABLE = 272_474;

function convBn(x: SymbolicTensor, filters: number, kernel: number, strides: number, relu: boolean): SymbolicTensor {
  if (strides > 1 && kernel > 1) x = st.layers.zeroPadding2d({ padding: (kernel - 1) / 2 }).apply(x) as SymbolicTensor;
  const padding = strides > 1 || kernel === 1 ? 'valid' : 'same';
  x = st.layers.conv2d({ filters, kernelSize: kernel, strides, padding, useBias: false }).apply(x) as SymbolicTensor;
  // PyTorch's batch-norm defaults (epsilon 1e-5, momentum 0.1 in its convention, 0.9 in Keras')
  x = st.layers.batchNormalization({ axis: 3, epsilon: 1e-5, momentum: 0.9 }).apply(x) as SymbolicTensor;
  return relu ? st.layers.activation({ activation: 'relu' }).apply(x) as SymbolicTensor : x;
}

function basicBlock(x: SymbolicTensor, filters: number, strides: number): SymbolicTensor {
  const inChannels = x.shape[3];
  const shortcut = strides > 1 || inChannels !== filters ? convBn(x, filters, 1, strides, false) : x;
  let y = convBn(x, filters, 3, strides, true);
  y = convBn(y, filters, 3, 1, false);
  y = st.layers.add().apply([shortcut, y]) as SymbolicTensor;
  return st.layers.activation({ activation: 'relu' }).apply(y) as SymbolicTensor;
}

/** ResNet-20 (`blocksPerStage` 3; 5 gives ResNet-32 and so on: depth 6n + 2). */
export function resnet20({ classes = 10, blocksPerStage = 3 }: { classes?: number; blocksPerStage?: number } = {}): st.LayersModel {
  const images = st.input({ shape: [32, 32, 3] });
  let x = convBn(images, 16, 3, 1, true);
  for (const [stage, filters] of [16, 32, 64].entries()) {
    for (let b = 0; b < blocksPerStage; b++) x = basicBlock(x, filters, stage > 0 && b === 0 ? 2 : 1);
  }
  x = st.layers.globalAveragePooling2d({}).apply(x) as SymbolicTensor;
  const probs = st.layers.dense({ units: classes, activation: 'softmax' }).apply(x) as SymbolicTensor;
  return st.model({ inputs: images, outputs: probs, name: `resnet${6 * blocksPerStage + 2}` });
}

/** The number of values in the model's trainable weights. */
export function trainableCount(model: st.LayersModel): number {
  return model.trainableWeights.reduce((sum, v) => sum + v.size, 0);
}
