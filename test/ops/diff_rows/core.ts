/** Differential rows (striate vs TensorFlow.js) for core ops whose signatures were widened for TensorFlow.js. */
import * as st from '../../../src/index.js';
import * as tf from '@tensorflow/tfjs-core';
import type { DiffRow } from './row.js';

export const coreDiffRows: DiffRow[] = [
  { op: 'gather', options: 'axis 1, batchDims 1', inputs: [[2, 3, 4], { shape: [2, 5], dtype: 'int32', range: [0, 3] }],
    st: (x, i) => st.gather(x, i, 1, 1), tf: (x, i) => tf.gather(x, i, 1, 1) },
  { op: 'gather', options: 'axis 2, batchDims 1 (an axis between)', inputs: [[2, 3, 4, 2], { shape: [2, 3], dtype: 'int32', range: [0, 4] }],
    st: (x, i) => st.gather(x, i, 2, 1), tf: (x, i) => tf.gather(x, i, 2, 1) },
  // TensorFlow.js' gradient fails here (a reshape to the wrong size): forward only; the float64 table checks ours
  { op: 'gather', options: 'axis 2, batchDims 2', inputs: [[2, 3, 4], { shape: [2, 3, 2], dtype: 'int32', range: [0, 4] }],
    gradInputs: [], st: (x, i) => st.gather(x, i, 2, 2), tf: (x, i) => tf.gather(x, i, 2, 2) },
  { op: 'transpose', options: 'conjugate false', inputs: [[2, 3, 4]], st: (x) => st.transpose(x, [2, 0, 1], false), tf: (x) => tf.transpose(x, [2, 0, 1], false) },
  { op: 'tensor1d', options: "dtype 'int32'", inputs: [], gradInputs: [],
    st: () => st.tensor1d([0, 2, 4], 'int32'), tf: () => tf.tensor1d([0, 2, 4], 'int32') },
  { op: 'tensor6d', inputs: [], gradInputs: [],
    st: () => st.tensor6d([1, 2, 3, 4], [1, 1, 2, 1, 2, 1]), tf: () => tf.tensor6d([1, 2, 3, 4], [1, 1, 2, 1, 2, 1]) },
  { op: 'oneHot', options: 'a plain number', inputs: [], gradInputs: [], st: () => st.oneHot(3, 5), tf: () => tf.oneHot(3, 5) },
  { op: 'oneHot', options: 'nested arrays', inputs: [], gradInputs: [], st: () => st.oneHot([[1, 0], [2, 4]], 5, 2, -1, 'float32'), tf: () => tf.oneHot(tf.tensor2d([[1, 0], [2, 4]], undefined, 'int32'), 5, 2, -1, 'float32') },
  { op: 'asType/toFloat', inputs: [{ shape: [2, 3], dtype: 'int32', range: [-3, 3] }], gradInputs: [],
    st: (x) => [x.asType('float32'), x.toFloat(), x.toBool()], tf: (x) => [tf.cast(x, 'float32'), tf.cast(x, 'float32'), tf.cast(x, 'bool')] },
  { op: 'addN', inputs: [[2, 3], [2, 3], [2, 3]], st: (a, b, c) => st.addN([a, b, c]), tf: (a, b, c) => tf.addN([a, b, c]) },
  { op: 'conv2d (method)', inputs: [[1, 5, 5, 2], [3, 3, 2, 3]], st: (x, f) => x.conv2d(f, 1, 'same'), tf: (x, f) => tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, 1, 'same') },
];
