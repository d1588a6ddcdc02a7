/** Gradient-table rows: the fused layer ops (softmax cross-entropy, training batch norm, LSTM cell). */
import * as st from '../../../src/index.js';
import { testTensor } from '../../helpers.js';
import type { GradRow } from './row.js';

const f64 = (v: number[][]) => st.tensor(v, undefined, 'float64');
const oneHot = f64([[0, 1, 0, 0], [1, 0, 0, 0], [0, 0, 0, 1]]);
const labels = st.tensor([1, 0, 3], [3], 'int32');
const positive = (shape: number[], seed: number) => testTensor(shape, seed, (v) => 0.5 + Math.abs(v));

export const fusedRows: GradRow[] = [
  { op: 'losses.softmaxCrossEntropy', shapes: [[3, 4]], options: 'one-hot, mean', f: (z) => st.losses.softmaxCrossEntropy(oneHot, z) },
  {
    op: 'losses.softmaxCrossEntropy', shapes: [[3, 4], [3, 4]], options: 'soft targets (differentiable), none',
    f: (t, z) => st.losses.softmaxCrossEntropy(t, z, null, 0, st.Reduction.NONE),
    inputs: () => [st.softmax(testTensor([3, 4], 5)), testTensor([3, 4], 6)],
  },
  {
    op: 'losses.softmaxCrossEntropy', shapes: [[2, 1, 3]], options: 'rank 3, label smoothing 0.2, sum',
    f: (z) => st.losses.softmaxCrossEntropy(f64([[0, 0, 1], [0, 1, 0]]).reshape([2, 1, 3]), z, null, 0.2, st.Reduction.SUM),
  },
  { op: 'losses.softmaxCrossEntropy', shapes: [[2, 3]], options: 'large logits', f: (z) => st.losses.softmaxCrossEntropy(f64([[0, 0, 1], [0, 1, 0]]), z), inputs: () => [testTensor([2, 3], 1, (v) => 500 + 3 * v)] },
  { op: 'losses.sparseSoftmaxCrossEntropy', shapes: [[3, 4]], options: 'mean', f: (z) => st.losses.sparseSoftmaxCrossEntropy(labels, z) },
  { op: 'losses.sparseSoftmaxCrossEntropy', shapes: [[1, 5]], options: 'batch 1, none', f: (z) => st.losses.sparseSoftmaxCrossEntropy([4], z, { reduction: 'none' }) },
  {
    op: 'batchNormTraining', shapes: [[5, 3], [3], [3]], options: 'x, scale, offset',
    f: (x, s, o) => st.batchNormTraining(x, s, o).y,
  },
  {
    op: 'batchNormTraining', shapes: [[2, 3, 2, 3]], options: 'NHWC, no scale or offset, epsilon 0.1',
    f: (x) => st.batchNormTraining(x, null, null, 0.1).y,
  },
  {
    op: 'batchNormTraining', shapes: [[4, 2]], options: 'the batch variance as an output',
    f: (x, s) => st.batchNormTraining(x, s, null).y.mul(st.batchNormTraining(x, s, null).y),
    inputs: () => [testTensor([4, 2], 1), positive([2], 2)],
  },
  { op: 'lstmCell', shapes: [[2, 12], [2, 3]], options: "h'", f: (z, c) => st.lstmCell(z, c)[0] },
  { op: 'lstmCell', shapes: [[1, 8], [1, 2]], options: "c', batch 1", f: (z, c) => st.lstmCell(z, c)[1] },
  {
    op: 'lstmCell', shapes: [[3, 4], [3, 1]], options: "h' and c' together, large gates",
    f: (z, c) => st.concat(st.lstmCell(z, c), 1), inputs: () => [testTensor([3, 4], 1, (v) => 4 * v), testTensor([3, 1], 2)],
  },
];
