/** Gradient rows (float64, finite differences) for the losses ops added for TensorFlow.js parity. */
import * as st from '../../../src/index.js';
import { testTensor } from '../../helpers.js';
import type { GradRow } from './row.js';

const R = st.Reduction;
const f64 = (v: number[][]) => st.tensor(v, undefined, 'float64');
const zeroOne = f64([[1, 0, 0, 1], [1, 1, 0, 0], [0, 1, 0, 1]]);
const rowWeights = f64([[0.5], [0], [2]]);
const probabilities = () => testTensor([3, 4], 4, (v) => 0.5 + 0.45 * v);

export const lossGradRows: GradRow[] = [
  { op: 'losses.computeWeightedLoss', shapes: [[3, 4], [3, 1]], options: 'losses and weights, SUM_BY_NONZERO_WEIGHTS',
    f: (l, w) => st.losses.computeWeightedLoss(l, w) },
  { op: 'losses.computeWeightedLoss', shapes: [[3, 4], [3, 1]], options: 'MEAN, broadcast weights',
    f: (l, w) => st.losses.computeWeightedLoss(l, w, R.MEAN), inputs: () => [testTensor([3, 4], 1), testTensor([3, 1], 2, (v) => 1 + v * 0.5)] },
  { op: 'losses.absoluteDifference', shapes: [[3, 4], [3, 4]], options: 'weights, SUM',
    f: (a, b) => st.losses.absoluteDifference(a, b, rowWeights, R.SUM) },
  { op: 'losses.meanSquaredError', shapes: [[3, 4], [3, 4]], options: 'NONE', f: (a, b) => st.losses.meanSquaredError(a, b, null, R.NONE) },
  { op: 'losses.cosineDistance', shapes: [[3, 4], [3, 4]], options: 'axis 1', f: (a, b) => st.losses.cosineDistance(a, b, 1) },
  { op: 'losses.hingeLoss', shapes: [[3, 4]], options: 'predictions, weights', f: (p) => st.losses.hingeLoss(zeroOne, p, rowWeights) },
  { op: 'losses.huberLoss', shapes: [[3, 4], [3, 4]], options: 'delta 0.3 (both regimes)', f: (a, b) => st.losses.huberLoss(a, b, null, 0.3) },
  { op: 'losses.logLoss', shapes: [[3, 4], [3, 4]], options: 'soft labels, NONE',
    f: (l, p) => st.losses.logLoss(l, p, null, 1e-7, R.NONE), inputs: () => [testTensor([3, 4], 3, (v) => 0.5 + 0.4 * v), probabilities()] },
  { op: 'losses.sigmoidCrossEntropy', shapes: [[3, 4], [3, 4]], options: 'labelSmoothing 0.2, SUM',
    f: (l, z) => st.losses.sigmoidCrossEntropy(l, z, null, 0.2, R.SUM), inputs: () => [probabilities(), testTensor([3, 4], 5, (v) => 3 * v)] },
  { op: 'losses.softmaxCrossEntropy', shapes: [[3, 4], [3, 4]], options: 'soft labels and logits, row weights, labelSmoothing 0.1',
    f: (l, z) => st.losses.softmaxCrossEntropy(l, z, rowWeights.reshape([3]), 0.1), inputs: () => [probabilities(), testTensor([3, 4], 6)] },
];
