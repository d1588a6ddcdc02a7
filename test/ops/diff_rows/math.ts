/** Differential rows (striate vs TensorFlow.js) for the math ops. */
import * as st from '../../../src/index.js';
import * as tf from '@tensorflow/tfjs-core';
import type { DiffRow } from './row.js';

export const mathDiffRows: DiffRow[] = [
  // ops striate already had, as anchors of the table
  { op: 'matMul', inputs: [[3, 4], [4, 5]], st: (a, b) => st.matMul(a, b), tf: (a, b) => tf.matMul(a, b) },
  { op: 'softmax', inputs: [[2, 3, 5]], st: (x) => st.softmax(x), tf: (x) => tf.softmax(x) },
  { op: 'sum', options: 'axis 1, keepDims', inputs: [[2, 3, 4]], st: (x) => st.sum(x, 1, true), tf: (x) => tf.sum(x, 1, true) },
  { op: 'maximum', inputs: [[2, 3], [2, 3]], st: (a, b) => st.maximum(a, b), tf: (a, b) => tf.maximum(a, b) },
];
