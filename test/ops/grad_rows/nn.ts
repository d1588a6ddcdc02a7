/** Gradient-table rows: activations, dropout, batchNorm, local response normalisation, losses. */
import * as st from '../../../src/index.js';
import { testTensor } from '../../helpers.js';
import type { GradRow } from './row.js';

const f64 = (v: number[] | number[][]) => st.tensor(v, undefined, 'float64');
/** values in [-1, 1) pushed at least 0.1 away from 0, so no finite difference straddles a kink */
const offKink = (shape: number[], seed = 1) => testTensor(shape, seed, (v) => (v >= 0 ? v + 0.1 : v - 0.1));
const positive = (shape: number[], seed = 3) => testTensor(shape, seed, (v) => 0.5 + Math.abs(v));
/** rows of positive probabilities that sum to 1 */
const probabilities = (shape: number[], seed = 4) => st.softmax(testTensor(shape, seed));
/** probabilities kept inside (0, 1), away from the clipping edges */
const unit = (shape: number[], seed = 4) => testTensor(shape, seed, (v) => 0.5 + 0.4 * v);
const oneHot = f64([[0, 1, 0], [1, 0, 0]]);
const soft = f64([[0.2, 0.5, 0.3], [0.6, 0.1, 0.3]]);
const binaryTargets = f64([[1, 0, 1], [0, 0, 1]]);

export const nnRows: GradRow[] = [
  { op: 'relu', shapes: [[2, 5]], f: (a) => st.relu(a), inputs: () => [offKink([2, 5])] },
  { op: 'relu6', shapes: [[8]], f: (a) => st.relu6(a), inputs: () => [offKink([8]).mul(5)] },
  { op: 'leakyRelu', shapes: [[2, 5]], options: 'alpha 0.2', f: (a) => st.leakyRelu(a), inputs: () => [offKink([2, 5])] },
  { op: 'prelu', shapes: [[3, 4], [4]], f: (a, b) => st.prelu(a, b), inputs: () => [offKink([3, 4]), positive([4])] },
  { op: 'elu', shapes: [[2, 5]], f: (a) => st.elu(a), inputs: () => [offKink([2, 5]).mul(2)] },
  { op: 'selu', shapes: [[2, 5]], f: (a) => st.selu(a), inputs: () => [offKink([2, 5]).mul(2)] },
  { op: 'gelu', shapes: [[2, 4]], options: 'exact', f: (a) => st.gelu(a), inputs: () => [testTensor([2, 4], 1, (v) => 3 * v)] },
  { op: 'gelu', shapes: [[2, 4]], options: 'approximate', f: (a) => st.gelu(a, true), inputs: () => [testTensor([2, 4], 1, (v) => 3 * v)] },
  { op: 'softplus', shapes: [[2, 4]], f: (a) => st.softplus(a), inputs: () => [testTensor([2, 4], 1, (v) => 4 * v)] },
  { op: 'softsign', shapes: [[2, 4]], f: (a) => st.softsign(a), inputs: () => [offKink([2, 4]).mul(3)] },
  { op: 'softmax', shapes: [[3, 4]], options: 'axis -1', f: (a) => st.softmax(a) },
  { op: 'softmax', shapes: [[3, 4]], options: 'axis 0', f: (a) => st.softmax(a, 0) },
  { op: 'softmax', shapes: [[2, 3]], options: 'large logits', f: (a) => st.softmax(a), inputs: () => [testTensor([2, 3], 1, (v) => 800 + v)] },
  { op: 'logSoftmax', shapes: [[3, 4]], options: 'axis -1', f: (a) => st.logSoftmax(a) },
  { op: 'logSoftmax', shapes: [[3, 4]], options: 'axis 0', f: (a) => st.logSoftmax(a, 0) },
  { op: 'dropout', shapes: [[4, 5]], options: 'rate 0.4, seed 11', f: (a) => st.dropout(a, 0.4, 11) },
  { op: 'dropout', shapes: [[4, 5]], options: 'noiseShape [1, 5]', f: (a) => st.dropout(a, 0.5, 3, [1, 5]) },
  {
    op: 'batchNorm', shapes: [[4, 3], [3], [3], [3], [3]], options: 'x, mean, variance, offset, scale',
    f: (x, m, v, o, s) => st.batchNorm(x, m, v, o, s),
    inputs: () => [testTensor([4, 3], 1), testTensor([3], 2), positive([3], 3), testTensor([3], 4), testTensor([3], 5)],
  },
  {
    op: 'batchNorm', shapes: [[2, 2, 3], [3], [3]], options: 'no offset or scale, epsilon 0.1',
    f: (x, m, v) => st.batchNorm(x, m, v, null, null, 0.1),
    inputs: () => [testTensor([2, 2, 3], 1), testTensor([3], 2), positive([3], 3)],
  },
  {
    op: 'localResponseNormalization', shapes: [[1, 2, 2, 5]], options: 'radius 1, bias 1, alpha 0.5, beta 0.75',
    f: (a) => st.localResponseNormalization(a, 1, 1, 0.5, 0.75),
  },
  { op: 'localResponseNormalization', shapes: [[2, 1, 1, 4]], options: 'defaults', f: (a) => st.localResponseNormalization(a) },
  // losses, each with respect to yPred
  { op: 'losses.meanSquaredError', shapes: [[2, 3]], f: (p) => st.losses.meanSquaredError(soft, p) },
  { op: 'losses.meanSquaredError', shapes: [[2, 3]], options: "reduction 'none'", f: (p) => st.losses.meanSquaredError(soft, p, null, st.Reduction.NONE) },
  { op: 'losses.meanAbsoluteError', shapes: [[2, 3]], f: (p) => st.losses.meanAbsoluteError(soft, p), inputs: () => [soft.add(offKink([2, 3]))] },
  {
    op: 'losses.huber', shapes: [[2, 3]], options: 'delta 0.5, both branches',
    f: (p) => st.losses.huber(soft, p, { delta: 0.5 }), inputs: () => [soft.add(offKink([2, 3]).mul(0.8))],
  },
  { op: 'losses.binaryCrossentropy', shapes: [[2, 3]], f: (p) => st.losses.binaryCrossentropy(binaryTargets, p), inputs: () => [unit([2, 3])] },
  {
    op: 'losses.binaryCrossentropy', shapes: [[2, 3]], options: 'labelSmoothing 0.1, sum',
    f: (p) => st.losses.binaryCrossentropy(binaryTargets, p, { labelSmoothing: 0.1, reduction: 'sum' }), inputs: () => [unit([2, 3])],
  },
  { op: 'losses.binaryCrossentropy', shapes: [[2, 3]], options: 'fromLogits', f: (p) => st.losses.binaryCrossentropy(binaryTargets, p, { fromLogits: true }) },
  { op: 'losses.categoricalCrossentropy', shapes: [[2, 3]], f: (p) => st.losses.categoricalCrossentropy(oneHot, p), inputs: () => [probabilities([2, 3])] },
  {
    op: 'losses.categoricalCrossentropy', shapes: [[2, 3]], options: 'soft targets, unnormalised rows',
    f: (p) => st.losses.categoricalCrossentropy(soft, p), inputs: () => [positive([2, 3])],
  },
  {
    op: 'losses.categoricalCrossentropy', shapes: [[2, 3]], options: 'fromLogits, labelSmoothing 0.2',
    f: (p) => st.losses.categoricalCrossentropy(oneHot, p, { fromLogits: true, labelSmoothing: 0.2 }),
  },
  {
    op: 'losses.sparseCategoricalCrossentropy', shapes: [[2, 3]],
    f: (p) => st.losses.sparseCategoricalCrossentropy([1, 2], p), inputs: () => [probabilities([2, 3])],
  },
  {
    op: 'losses.sparseCategoricalCrossentropy', shapes: [[2, 3]], options: 'fromLogits',
    f: (p) => st.losses.sparseCategoricalCrossentropy([[2], [0]], p, { fromLogits: true }),
  },
  { op: 'losses.hinge', shapes: [[2, 3]], f: (p) => st.losses.hinge(binaryTargets, p), inputs: () => [f64([[0.3, -0.4, 0.6], [0.5, -1.5, 2.2]])] },
  { op: 'losses.squaredHinge', shapes: [[2, 3]], f: (p) => st.losses.squaredHinge(binaryTargets, p), inputs: () => [f64([[0.3, -0.4, 0.6], [0.5, -1.5, 2.2]])] },
  { op: 'losses.categoricalHinge', shapes: [[2, 3]], f: (p) => st.losses.categoricalHinge(oneHot, p), inputs: () => [f64([[0.3, 0.6, 0.1], [0.2, 0.5, 0.9]])] },
  { op: 'losses.kullbackLeiblerDivergence', shapes: [[2, 3]], f: (p) => st.losses.kullbackLeiblerDivergence(soft, p), inputs: () => [probabilities([2, 3])] },
];
