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
 * 'valid'), so bench/peers/torch_bench.py builds exactly the same network. The layers are in
 * resnet20_net.ts, written for striate's and TensorFlow.js' shared layers API.
 */
import * as st from '../src/index.js';
import { buildResnet, type LayersLib } from './resnet20_net.js';

/** Trainable parameters of ResNet-20 with option-B shortcuts on 32x32x3 inputs and 10 classes. */
export const RESNET20_TRAINABLE = 272_474;

/** ResNet-20 (`blocksPerStage` 3; 5 gives ResNet-32 and so on: depth 6n + 2). */
export function resnet20(args: { classes?: number; blocksPerStage?: number } = {}): st.LayersModel {
  return buildResnet(st as unknown as LayersLib, args) as st.LayersModel;
}

/** The number of values in the model's trainable weights. */
export function trainableCount(model: st.LayersModel): number {
  return model.trainableWeights.reduce((sum, v) => sum + v.size, 0);
}
