/** Differential rows (striate vs TensorFlow.js) for the losses ops. */
import * as st from '../../../src/index.js';
import * as tf from '@tensorflow/tfjs-core';
import type { DiffRow } from './row.js';

const R = st.Reduction;
const T = tf.Reduction;
/** per-row weights with a zero, so SUM_BY_NONZERO_WEIGHTS differs from the mean */
const rowWeights = [0.5, 0, 2];
const probability = (v: number) => 0.5 + 0.45 * v;
const zeroOne = { shape: [3, 4], values: [1, 0, 0, 1, 1, 1, 0, 0, 0, 1, 0, 1] };
/** TensorFlow.js' softmax cross-entropy gradient assumes each label row sums to 1 */
const oneHot = { shape: [3, 4], values: [0, 0, 1, 0, 1, 0, 0, 0, 0, 1, 0, 0] };

export const lossDiffRows: DiffRow[] = [
  { op: 'losses.computeWeightedLoss', options: 'default reduction', inputs: [[3, 4]],
    st: (l) => st.losses.computeWeightedLoss(l), tf: (l) => tf.losses.computeWeightedLoss(l) },
  { op: 'losses.computeWeightedLoss', options: 'weights [3, 1], SUM_BY_NONZERO_WEIGHTS', inputs: [[3, 4]],
    st: (l) => st.losses.computeWeightedLoss(l, st.tensor(rowWeights, [3, 1])),
    tf: (l) => tf.losses.computeWeightedLoss(l, tf.tensor(rowWeights, [3, 1])) },
  { op: 'losses.computeWeightedLoss', options: 'weights [3, 1], MEAN', inputs: [[3, 4]],
    st: (l) => st.losses.computeWeightedLoss(l, st.tensor(rowWeights, [3, 1]), R.MEAN),
    tf: (l) => tf.losses.computeWeightedLoss(l, tf.tensor(rowWeights, [3, 1]), T.MEAN) },
  { op: 'losses.computeWeightedLoss', options: 'weights as input, SUM', inputs: [[3, 4], [3, 4]],
    st: (l, w) => st.losses.computeWeightedLoss(l, w, R.SUM), tf: (l, w) => tf.losses.computeWeightedLoss(l, w, T.SUM) },
  { op: 'losses.computeWeightedLoss', options: 'MEAN without weights, NONE', inputs: [[2, 3]],
    st: (l) => [st.losses.computeWeightedLoss(l, null, R.MEAN), st.losses.computeWeightedLoss(l, 2, R.NONE)],
    tf: (l) => [tf.losses.computeWeightedLoss(l, undefined, T.MEAN), tf.losses.computeWeightedLoss(l, 2, T.NONE)] },
  { op: 'losses.absoluteDifference', inputs: [[3, 4], [3, 4]],
    st: (a, b) => st.losses.absoluteDifference(a, b), tf: (a, b) => tf.losses.absoluteDifference(a, b) },
  { op: 'losses.absoluteDifference', options: 'weights, SUM', inputs: [[3, 4], [3, 4]],
    st: (a, b) => st.losses.absoluteDifference(a, b, st.tensor(rowWeights, [3, 1]), R.SUM),
    tf: (a, b) => tf.losses.absoluteDifference(a, b, tf.tensor(rowWeights, [3, 1]), T.SUM) },
  { op: 'losses.meanSquaredError', inputs: [[3, 4], [3, 4]],
    st: (a, b) => st.losses.meanSquaredError(a, b), tf: (a, b) => tf.losses.meanSquaredError(a, b) },
  { op: 'losses.meanSquaredError', options: 'weights with a zero, NONE', inputs: [[3, 4], [3, 4]],
    st: (a, b) => st.losses.meanSquaredError(a, b, st.tensor(rowWeights, [3, 1]), R.NONE),
    tf: (a, b) => tf.losses.meanSquaredError(a, b, tf.tensor(rowWeights, [3, 1]), T.NONE) },
  { op: 'losses.meanSquaredError', options: 'weights with a zero', inputs: [[3, 4], [3, 4]],
    st: (a, b) => st.losses.meanSquaredError(a, b, st.tensor(rowWeights, [3, 1])),
    tf: (a, b) => tf.losses.meanSquaredError(a, b, tf.tensor(rowWeights, [3, 1])) },
  { op: 'losses.cosineDistance', options: 'axis 1', inputs: [[3, 4], [3, 4]],
    st: (a, b) => st.losses.cosineDistance(a, b, 1), tf: (a, b) => tf.losses.cosineDistance(a, b, 1) },
  { op: 'losses.cosineDistance', options: 'axis 0, weights, MEAN', inputs: [[3, 4], [3, 4]],
    st: (a, b) => st.losses.cosineDistance(a, b, 0, st.tensor([1, 2, 0, 3], [1, 4]), R.MEAN),
    tf: (a, b) => tf.losses.cosineDistance(a, b, 0, tf.tensor([1, 2, 0, 3], [1, 4]), T.MEAN) },
  { op: 'losses.hingeLoss', inputs: [zeroOne, [3, 4]], gradInputs: [1],
    st: (l, p) => st.losses.hingeLoss(l, p), tf: (l, p) => tf.losses.hingeLoss(l, p) },
  { op: 'losses.hingeLoss', options: 'weights, SUM', inputs: [zeroOne, [3, 4]], gradInputs: [1],
    st: (l, p) => st.losses.hingeLoss(l, p, st.tensor(rowWeights, [3, 1]), R.SUM),
    tf: (l, p) => tf.losses.hingeLoss(l, p, tf.tensor(rowWeights, [3, 1]), T.SUM) },
  { op: 'losses.huberLoss', inputs: [[3, 4], { shape: [3, 4], map: (v: number) => 2 * v }],
    st: (a, b) => st.losses.huberLoss(a, b), tf: (a, b) => tf.losses.huberLoss(a, b) },
  { op: 'losses.huberLoss', options: 'delta 0.3, weights, MEAN', inputs: [[3, 4], [3, 4]],
    st: (a, b) => st.losses.huberLoss(a, b, st.tensor(rowWeights, [3, 1]), 0.3, R.MEAN),
    tf: (a, b) => tf.losses.huberLoss(a, b, tf.tensor(rowWeights, [3, 1]), 0.3, T.MEAN) },
  { op: 'losses.logLoss', inputs: [zeroOne, { shape: [3, 4], map: probability }],
    st: (l, p) => st.losses.logLoss(l, p), tf: (l, p) => tf.losses.logLoss(l, p) },
  { op: 'losses.logLoss', options: 'soft labels, epsilon 0.01, weights, NONE',
    inputs: [{ shape: [3, 4], map: probability }, { shape: [3, 4], map: probability }],
    st: (l, p) => st.losses.logLoss(l, p, st.tensor(rowWeights, [3, 1]), 0.01, R.NONE),
    tf: (l, p) => tf.losses.logLoss(l, p, tf.tensor(rowWeights, [3, 1]), 0.01, T.NONE) },
  { op: 'losses.sigmoidCrossEntropy', inputs: [zeroOne, { shape: [3, 4], map: (v: number) => 4 * v }],
    st: (l, z) => st.losses.sigmoidCrossEntropy(l, z), tf: (l, z) => tf.losses.sigmoidCrossEntropy(l, z) },
  { op: 'losses.sigmoidCrossEntropy', options: 'labelSmoothing 0.2, weights, SUM',
    inputs: [{ shape: [3, 4], map: probability }, { shape: [3, 4], map: (v: number) => 4 * v }],
    st: (l, z) => st.losses.sigmoidCrossEntropy(l, z, st.tensor(rowWeights, [3, 1]), 0.2, R.SUM),
    tf: (l, z) => tf.losses.sigmoidCrossEntropy(l, z, tf.tensor(rowWeights, [3, 1]), 0.2, T.SUM) },
  // TensorFlow.js' softmax cross-entropy gives the labels the gradient labels - softmax (the
  // logits' gradient negated) where d/dlabels is -logSoftmax(logits), and the logits
  // softmax - labels, right only for label rows summing to 1 (ours: softmax sum(labels) -
  // labels): one-hot labels, logits' gradient only
  { op: 'losses.softmaxCrossEntropy', inputs: [oneHot, { shape: [3, 4], map: (v: number) => 3 * v }], gradInputs: [1],
    st: (l, z) => st.losses.softmaxCrossEntropy(l, z), tf: (l, z) => tf.losses.softmaxCrossEntropy(l, z) },
  { op: 'losses.softmaxCrossEntropy', options: 'labelSmoothing 0.1, row weights, NONE',
    inputs: [oneHot, { shape: [3, 4], map: (v: number) => 3 * v }], gradInputs: [1],
    st: (l, z) => st.losses.softmaxCrossEntropy(l, z, rowWeights, 0.1, R.NONE),
    tf: (l, z) => tf.losses.softmaxCrossEntropy(l, z, rowWeights, 0.1, T.NONE) },
  { op: 'losses.softmaxCrossEntropy', options: 'SUM_BY_NONZERO_WEIGHTS with a zero weight',
    inputs: [oneHot, { shape: [3, 4], map: (v: number) => 3 * v }], gradInputs: [1],
    st: (l, z) => st.losses.softmaxCrossEntropy(l, z, rowWeights),
    tf: (l, z) => tf.losses.softmaxCrossEntropy(l, z, rowWeights) },
];
