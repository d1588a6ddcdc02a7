/** Differential rows (striate vs TensorFlow.js) for the conv ops. */
import * as st from '../../../src/index.js';
import * as tf from '@tensorflow/tfjs-core';
import type { DiffRow } from './row.js';

type Explicit = [[number, number], [number, number], [number, number], [number, number]];

// TensorFlow.js' average-pooling gradients (2-D and 3-D) divide every window by its full size,
// while its forward pass divides by the real (unpadded) cells: under 'same' or numeric padding
// the two disagree. Those rows compare the forward pass only; our gradient is checked by finite
// differences in the gradient table.

export const convDiffRows: DiffRow[] = [
  // ---- conv3d
  { op: 'conv3d', options: 'valid, stride 1', inputs: [[2, 4, 5, 4, 2], [2, 3, 2, 2, 3]],
    st: (x, f) => st.conv3d(x, f, 1, 'valid'), tf: (x, f) => tf.conv3d(x as tf.Tensor5D, f as tf.Tensor5D, 1, 'valid') },
  { op: 'conv3d', options: 'same, strides [2, 1, 2]', inputs: [[1, 5, 4, 6, 3], [3, 2, 3, 3, 2]],
    st: (x, f) => st.conv3d(x, f, [2, 1, 2], 'same'), tf: (x, f) => tf.conv3d(x as tf.Tensor5D, f as tf.Tensor5D, [2, 1, 2], 'same') },
  { op: 'conv3d', options: 'unbatched rank 4, same', inputs: [[3, 4, 4, 2], [2, 2, 2, 2, 2]],
    st: (x, f) => st.conv3d(x, f, 1, 'same'), tf: (x, f) => tf.conv3d(x as tf.Tensor4D, f as tf.Tensor5D, 1, 'same') },
  // TensorFlow.js has no conv3d gradient for dilations above 1: forward only
  { op: 'conv3d', options: 'dilations [2, 1, 2], valid', inputs: [[1, 5, 4, 6, 2], [2, 2, 2, 2, 3]], gradInputs: [],
    st: (x, f) => st.conv3d(x, f, 1, 'valid', 'NDHWC', [2, 1, 2]),
    tf: (x, f) => tf.conv3d(x as tf.Tensor5D, f as tf.Tensor5D, 1, 'valid', 'NDHWC', [2, 1, 2]) },
  // TensorFlow.js has no gradient for conv3dTranspose (Conv3DBackpropInputV2): forward only
  { op: 'conv3dTranspose', options: 'same, stride 2, to [1, 4, 5, 4, 2]', inputs: [[1, 2, 3, 2, 3], [2, 3, 2, 2, 3]], gradInputs: [],
    st: (x, f) => st.conv3dTranspose(x, f, [1, 4, 5, 4, 2], 2, 'same'),
    tf: (x, f) => tf.conv3dTranspose(x as tf.Tensor5D, f as tf.Tensor5D, [1, 4, 5, 4, 2], 2, 'same') },
  { op: 'conv3dTranspose', options: 'valid, stride 1, to [2, 4, 4, 3, 3]', inputs: [[2, 3, 3, 2, 2], [2, 2, 2, 3, 2]], gradInputs: [],
    st: (x, f) => st.conv3dTranspose(x, f, [2, 4, 4, 3, 3], 1, 'valid'),
    tf: (x, f) => tf.conv3dTranspose(x as tf.Tensor5D, f as tf.Tensor5D, [2, 4, 4, 3, 3], 1, 'valid') },
  // ---- 3-D pooling
  { op: 'maxPool3d', options: '[2, 2, 2] strides [1, 2, 2], same', inputs: [[2, 4, 5, 5, 2]],
    st: (x) => st.maxPool3d(x, 2, [1, 2, 2], 'same'), tf: (x) => tf.maxPool3d(x as tf.Tensor5D, 2, [1, 2, 2], 'same') },
  { op: 'maxPool3d', options: '3 stride 2, valid', inputs: [[1, 5, 5, 6, 2]],
    st: (x) => st.maxPool3d(x, 3, 2, 'valid'), tf: (x) => tf.maxPool3d(x as tf.Tensor5D, 3, 2, 'valid') },
  { op: 'maxPool3d', options: '2 stride 2, pad 1, dimRoundingMode ceil, unbatched', inputs: [[4, 5, 3, 2]],
    st: (x) => st.maxPool3d(x, 2, 2, 1, 'ceil'), tf: (x) => tf.maxPool3d(x as tf.Tensor4D, 2, 2, 1, 'ceil') },
  { op: 'avgPool3d', options: '[2, 2, 3] strides [1, 2, 1], valid', inputs: [[2, 3, 4, 5, 2]],
    st: (x) => st.avgPool3d(x, [2, 2, 3], [1, 2, 1], 'valid'), tf: (x) => tf.avgPool3d(x as tf.Tensor5D, [2, 2, 3], [1, 2, 1], 'valid') },
  { op: 'avgPool3d', options: '2 stride 2, same (partial windows; forward only)', inputs: [[1, 3, 5, 5, 2]], gradInputs: [],
    st: (x) => st.avgPool3d(x, 2, 2, 'same'), tf: (x) => tf.avgPool3d(x as tf.Tensor5D, 2, 2, 'same') },
  { op: 'avgPool3d', options: '2 stride 2, pad 1, ceil (empty windows; forward only)', inputs: [[1, 4, 5, 3, 2]], gradInputs: [],
    st: (x) => st.avgPool3d(x, 2, 2, 1, 'ceil'), tf: (x) => tf.avgPool3d(x as tf.Tensor5D, 2, 2, 1, 'ceil') },
  // ---- maxPoolWithArgmax (TensorFlow.js has no gradient for it)
  { op: 'maxPoolWithArgmax', options: '2 stride 2, same, includeBatchInIndex', inputs: [[2, 5, 6, 3]], gradInputs: [],
    st: (x) => { const r = st.maxPoolWithArgmax(x, 2, 2, 'same', true); return [r.result, r.indexes]; },
    tf: (x) => { const r = tf.maxPoolWithArgmax(x as tf.Tensor4D, 2, 2, 'same', true); return [r.result, r.indexes]; } },
  { op: 'maxPoolWithArgmax', options: '3 stride 2, valid', inputs: [[2, 6, 5, 2]], gradInputs: [],
    st: (x) => { const r = st.maxPoolWithArgmax(x, 3, 2, 'valid'); return [r.result, r.indexes]; },
    tf: (x) => { const r = tf.maxPoolWithArgmax(x as tf.Tensor4D, 3, 2, 'valid'); return [r.result, r.indexes]; } },
  // ---- pool
  { op: 'pool', options: 'max, [2, 3], dilations 2, same', inputs: [[2, 5, 6, 3]],
    st: (x) => st.pool(x, [2, 3], 'max', 'same', 2), tf: (x) => tf.pool(x as tf.Tensor4D, [2, 3], 'max', 'same', 2) },
  { op: 'pool', options: 'avg, [2, 3], dilations [2, 1], same (border zeros count)', inputs: [[1, 6, 5, 2]],
    st: (x) => st.pool(x, [2, 3], 'avg', 'same', [2, 1]), tf: (x) => tf.pool(x as tf.Tensor4D, [2, 3], 'avg', 'same', [2, 1]) },
  { op: 'pool', options: 'avg, 2, dilations 2, valid, unbatched', inputs: [[5, 6, 2]],
    st: (x) => st.pool(x, 2, 'avg', 'valid', 2), tf: (x) => tf.pool(x as tf.Tensor3D, 2, 'avg', 'valid', 2) },
  { op: 'pool', options: 'max, 3, strides 2, valid', inputs: [[2, 7, 6, 2]],
    st: (x) => st.pool(x, 3, 'max', 'valid', 1, 2), tf: (x) => tf.pool(x as tf.Tensor4D, 3, 'max', 'valid', 1, 2) },
  // ---- dilation2d
  { op: 'dilation2d', options: 'same, dilations 2', inputs: [[2, 5, 6, 3], [2, 3, 3]],
    st: (x, f) => st.dilation2d(x, f, 1, 'same', 2), tf: (x, f) => tf.dilation2d(x as tf.Tensor4D, f as tf.Tensor3D, 1, 'same', 2) },
  { op: 'dilation2d', options: 'valid, strides 2', inputs: [[1, 7, 6, 2], [3, 2, 2]],
    st: (x, f) => st.dilation2d(x, f, 2, 'valid'), tf: (x, f) => tf.dilation2d(x as tf.Tensor4D, f as tf.Tensor3D, 2, 'valid') },
  { op: 'dilation2d', options: 'unbatched, same, strides [1, 2]', inputs: [[5, 5, 2], [2, 2, 2]],
    st: (x, f) => st.dilation2d(x, f, [1, 2], 'same'), tf: (x, f) => tf.dilation2d(x as tf.Tensor3D, f as tf.Tensor3D, [1, 2], 'same') },
  // ---- fused.depthwiseConv2d
  { op: 'fused.depthwiseConv2d', options: 'bias, relu, same', inputs: [[2, 5, 5, 2], [3, 3, 2, 2], [4]],
    st: (x, f, b) => st.fused.depthwiseConv2d({ x, filter: f, strides: 1, pad: 'same', bias: b, activation: 'relu' }),
    tf: (x, f, b) => tf.fused.depthwiseConv2d({ x: x as tf.Tensor4D, filter: f as tf.Tensor4D, strides: 1, pad: 'same', bias: b, activation: 'relu' }) },
  { op: 'fused.depthwiseConv2d', options: 'no bias, linear, stride 2', inputs: [[1, 6, 5, 3], [2, 2, 3, 1]],
    st: (x, f) => st.fused.depthwiseConv2d({ x, filter: f, strides: 2, pad: 'valid' }),
    tf: (x, f) => tf.fused.depthwiseConv2d({ x: x as tf.Tensor4D, filter: f as tf.Tensor4D, strides: 2, pad: 'valid' }) },
  // TensorFlow.js computes the gradient of its fused activations only for linear and relu
  { op: 'fused.depthwiseConv2d', options: 'bias, leakyrelu 0.1, relu6, prelu (forward only)', inputs: [[1, 4, 4, 2], [2, 2, 2, 1], [2], [2]],
    gradInputs: [],
    st: (x, f, b, a) => (['leakyrelu', 'relu6', 'prelu', 'elu', 'sigmoid'] as const).map((activation) =>
      st.fused.depthwiseConv2d({ x, filter: f, strides: 1, pad: 'same', bias: b, activation, leakyreluAlpha: 0.1, preluActivationWeights: a })),
    tf: (x, f, b, a) => (['leakyrelu', 'relu6', 'prelu', 'elu', 'sigmoid'] as const).map((activation) =>
      tf.fused.depthwiseConv2d({ x: x as tf.Tensor4D, filter: f as tf.Tensor4D, strides: 1, pad: 'same', bias: b, activation,
        leakyreluAlpha: 0.1, preluActivationWeights: a })) },
  // ---- batchNorm2d/3d/4d
  { op: 'batchNorm2d', inputs: [[4, 3], [3], { shape: [3], map: (v: number) => v + 1.5 }, [3], [3]],
    st: (x, m, v, o, s) => st.batchNorm2d(x, m, v, o, s, 0.01), tf: (x, m, v, o, s) => tf.batchNorm2d(x as tf.Tensor2D, m as tf.Tensor1D, v as tf.Tensor1D, o as tf.Tensor1D, s as tf.Tensor1D, 0.01) },
  { op: 'batchNorm3d', options: 'rank-3 statistics', inputs: [[2, 3, 2], [2, 3, 2], { shape: [2, 3, 2], map: (v: number) => v + 1.5 }, [2, 3, 2], [2, 3, 2]],
    st: (x, m, v, o, s) => st.batchNorm3d(x, m, v, o, s),
    tf: (x, m, v, o, s) => tf.batchNorm3d(x as tf.Tensor3D, m as tf.Tensor3D, v as tf.Tensor3D, o as tf.Tensor3D, s as tf.Tensor3D) },
  // without offset and scale, TensorFlow.js' batchNorm gradient fails (it reads the missing scale): forward only
  { op: 'batchNorm3d', options: 'no offset, no scale (forward only)', inputs: [[2, 3, 2], [2], { shape: [2], map: (v: number) => v + 1.5 }],
    gradInputs: [],
    st: (x, m, v) => st.batchNorm3d(x, m, v), tf: (x, m, v) => tf.batchNorm3d(x as tf.Tensor3D, m as tf.Tensor1D, v as tf.Tensor1D) },
  { op: 'batchNorm4d', inputs: [[2, 3, 2, 4], [4], { shape: [4], map: (v: number) => v + 1.5 }, [4], [4]],
    st: (x, m, v, o, s) => st.batchNorm4d(x, m, v, o, s), tf: (x, m, v, o, s) => tf.batchNorm4d(x as tf.Tensor4D, m as tf.Tensor1D, v as tf.Tensor1D, o as tf.Tensor1D, s as tf.Tensor1D) },
  // ---- LSTM cell functions
  { op: 'basicLSTMCell', options: 'forgetBias 1, 3 units', inputs: [[], [5, 12], [12], [2, 2], [2, 3], [2, 3]],
    st: (fb, k, b, d, c, h) => st.basicLSTMCell(fb, k, b, d, c, h),
    tf: (fb, k, b, d, c, h) => tf.basicLSTMCell(fb as tf.Scalar, k as tf.Tensor2D, b as tf.Tensor1D, d as tf.Tensor2D, c as tf.Tensor2D, h as tf.Tensor2D) },
  { op: 'multiRNNCell', options: 'two basicLSTMCells of 3 and 2 units', inputs: [[2, 4], [2, 3], [2, 2], [2, 3], [2, 2], [7, 12], [12], [5, 8], [8]],
    st: (d, c0, c1, h0, h1, k0, b0, k1, b1) => {
      const cells = [(x: st.Tensor, c: st.Tensor, h: st.Tensor) => st.basicLSTMCell(1, k0, b0, x, c, h),
        (x: st.Tensor, c: st.Tensor, h: st.Tensor) => st.basicLSTMCell(1, k1, b1, x, c, h)];
      const [cs, hs] = st.multiRNNCell(cells, d, [c0, c1], [h0, h1]);
      return [...cs, ...hs];
    },
    tf: (d, c0, c1, h0, h1, k0, b0, k1, b1) => {
      const cells = [(x: tf.Tensor2D, c: tf.Tensor2D, h: tf.Tensor2D) => tf.basicLSTMCell(1, k0 as tf.Tensor2D, b0 as tf.Tensor1D, x, c, h),
        (x: tf.Tensor2D, c: tf.Tensor2D, h: tf.Tensor2D) => tf.basicLSTMCell(1, k1 as tf.Tensor2D, b1 as tf.Tensor1D, x, c, h)];
      const [cs, hs] = tf.multiRNNCell(cells, d as tf.Tensor2D, [c0 as tf.Tensor2D, c1 as tf.Tensor2D], [h0 as tf.Tensor2D, h1 as tf.Tensor2D]);
      return [...cs, ...hs];
    } },
  // ---- explicit padding and dimRoundingMode on the 2-D ops
  { op: 'conv1d', options: 'explicit [[0, 0], [0, 0], [2, 1], [0, 0]]', inputs: [[2, 7, 3], [3, 3, 2]],
    st: (x, f) => st.conv1d(x, f, 1, [[0, 0], [0, 0], [2, 1], [0, 0]]),
    tf: (x, f) => tf.conv1d(x as tf.Tensor3D, f as tf.Tensor3D, 1, [[0, 0], [0, 0], [2, 1], [0, 0]] as Explicit) },
  { op: 'conv1d', options: 'stride 2, same, dilation 1', inputs: [[1, 8, 2], [3, 2, 3]],
    st: (x, f) => st.conv1d(x, f, 2, 'same'), tf: (x, f) => tf.conv1d(x as tf.Tensor3D, f as tf.Tensor3D, 2, 'same') },
  { op: 'conv2d', options: 'explicit [[0, 0], [1, 2], [0, 1], [0, 0]], stride 2, ceil', inputs: [[1, 7, 6, 2], [3, 2, 2, 3]],
    st: (x, f) => st.conv2d(x, f, 2, [[0, 0], [1, 2], [0, 1], [0, 0]], 'NHWC', 1, 'ceil'),
    tf: (x, f) => tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, 2, [[0, 0], [1, 2], [0, 1], [0, 0]] as Explicit, 'NHWC', 1, 'ceil') },
  { op: 'conv2d', options: 'pad 1, stride 2, round', inputs: [[2, 6, 6, 2], [2, 2, 2, 2]],
    st: (x, f) => st.conv2d(x, f, 2, 1, 'NHWC', 1, 'round'),
    tf: (x, f) => tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, 2, 1, 'NHWC', 1, 'round') },
  { op: 'depthwiseConv2d', options: 'explicit [[0, 0], [2, 0], [1, 1], [0, 0]]', inputs: [[1, 5, 5, 2], [3, 3, 2, 2]],
    st: (x, f) => st.depthwiseConv2d(x, f, 1, [[0, 0], [2, 0], [1, 1], [0, 0]]),
    tf: (x, f) => tf.depthwiseConv2d(x as tf.Tensor4D, f as tf.Tensor4D, 1, [[0, 0], [2, 0], [1, 1], [0, 0]] as Explicit) },
  { op: 'maxPool', options: 'explicit [[0, 0], [1, 1], [0, 2], [0, 0]], 3 stride 2', inputs: [[1, 7, 6, 2]],
    st: (x) => st.maxPool(x, 3, 2, [[0, 0], [1, 1], [0, 2], [0, 0]]),
    tf: (x) => tf.maxPool(x as tf.Tensor4D, 3, 2, [[0, 0], [1, 1], [0, 2], [0, 0]] as Explicit) },
  { op: 'maxPool', options: 'pad 1, 2 stride 2, ceil', inputs: [[2, 5, 5, 2]],
    st: (x) => st.maxPool(x, 2, 2, 1, 'ceil'), tf: (x) => tf.maxPool(x as tf.Tensor4D, 2, 2, 1, 'ceil') },
  { op: 'avgPool', options: 'explicit [[0, 0], [1, 0], [0, 1], [0, 0]] (forward only)', inputs: [[1, 6, 5, 2]], gradInputs: [],
    st: (x) => st.avgPool(x, 2, 2, [[0, 0], [1, 0], [0, 1], [0, 0]]),
    tf: (x) => tf.avgPool(x as tf.Tensor4D, 2, 2, [[0, 0], [1, 0], [0, 1], [0, 0]] as Explicit) },
  { op: 'avgPool', options: 'pad 0, 3 stride 2, floor', inputs: [[1, 7, 8, 2]],
    st: (x) => st.avgPool(x, 3, 2, 0, 'floor'), tf: (x) => tf.avgPool(x as tf.Tensor4D, 3, 2, 0, 'floor') },
  // ---- localResponseNormalization
  { op: 'localResponseNormalization', options: 'depthRadius 2, bias 1.5, alpha 0.3, beta 0.75', inputs: [[2, 3, 3, 6]],
    st: (x) => st.localResponseNormalization(x, 2, 1.5, 0.3, 0.75),
    tf: (x) => tf.localResponseNormalization(x as tf.Tensor4D, 2, 1.5, 0.3, 0.75) },
];
