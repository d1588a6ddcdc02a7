/** Gradient rows (float64, finite differences) for the math ops added for TensorFlow.js parity. */
import * as st from '../../../src/index.js';
import { testTensor } from '../../helpers.js';
import type { GradRow } from './row.js';

/** values far enough apart that a finite-difference step cannot reorder them (topk) */
const spread = (shape: number[], seed = 3) => {
  const n = shape.reduce((a, b) => a * b, 1);
  const order = Array.from({ length: n }, (_, i) => (i * 5 + seed) % n);
  return st.tensor(order.map((k) => k * 0.3 - n * 0.1), shape, 'float64');
};
const awayFromZero = (shape: number[], seed = 2) => testTensor(shape, seed, (v) => (v >= 0 ? v + 0.5 : v - 0.5));
const weights = (shape: number[]) => testTensor(shape, 9);

export const mathGradRows: GradRow[] = [
  { op: 'cumsum', shapes: [[3, 4]], options: 'axis 0', f: (x) => st.cumsum(x).mul(weights([3, 4])) },
  { op: 'cumsum', shapes: [[2, 3, 4]], options: 'axis 1, exclusive, reverse', f: (x) => st.cumsum(x, 1, true, true).mul(weights([2, 3, 4])) },
  { op: 'cumsum', shapes: [[5]], options: 'axis -1, reverse', f: (x) => st.cumsum(x, -1, false, true).mul(weights([5])) },
  { op: 'cumprod', shapes: [[3, 4]], options: 'axis 1', f: (x) => st.cumprod(x, 1).mul(weights([3, 4])), inputs: () => [awayFromZero([3, 4])] },
  { op: 'cumprod', shapes: [[4, 3]], options: 'axis 0, exclusive, reverse', f: (x) => st.cumprod(x, 0, true, true).mul(weights([4, 3])), inputs: () => [awayFromZero([4, 3])] },
  { op: 'topk', shapes: [[3, 6]], options: 'k 2', f: (x) => st.topk(x, 2).values.mul(weights([3, 2])), inputs: () => [spread([3, 6])] },
  { op: 'topk', shapes: [[7]], options: 'k 3, unsorted', f: (x) => st.topk(x, 3, false).values.mul(weights([3])), inputs: () => [spread([7], 2)] },
  { op: 'acosh', shapes: [[5]], f: (x) => st.acosh(x), inputs: () => [testTensor([5], 1, (v) => v + 2.2)] },
  { op: 'asinh', shapes: [[5]], f: (x) => st.asinh(x), inputs: () => [testTensor([5], 1, (v) => v * 3)] },
  { op: 'atanh', shapes: [[5]], f: (x) => st.atanh(x), inputs: () => [testTensor([5], 1, (v) => v * 0.9)] },
  { op: 'logSigmoid', shapes: [[6]], f: (x) => st.logSigmoid(x), inputs: () => [testTensor([6], 1, (v) => v * 6)] },
  { op: 'divNoNan', shapes: [[2, 3], [3]], options: 'broadcast', f: (a, b) => st.divNoNan(a, b), inputs: () => [testTensor([2, 3]), awayFromZero([3])] },
  { op: 'step', shapes: [[5]], options: 'alpha 0.2: gradient 0', f: (x) => st.step(x, 0.2).add(x), inputs: () => [awayFromZero([5])] },
  { op: 'norm', shapes: [[3, 4]], options: 'euclidean, all', f: (x) => st.norm(x) },
  { op: 'norm', shapes: [[3, 4]], options: 'ord 1, axis 1', f: (x) => st.norm(x, 1, 1), inputs: () => [awayFromZero([3, 4])] },
  { op: 'norm', shapes: [[3, 4]], options: 'ord 3, axis 0, keepDims', f: (x) => st.norm(x, 3, 0, true), inputs: () => [awayFromZero([3, 4])] },
  { op: 'norm', shapes: [[3, 4]], options: 'ord Infinity, axis -1', f: (x) => st.norm(x, Infinity, -1), inputs: () => [spread([3, 4])] },
  { op: 'norm', shapes: [[3, 4]], options: 'matrix ord 1', f: (x) => st.norm(x, 1, [0, 1]), inputs: () => [spread([3, 4])] },
  { op: 'norm', shapes: [[2, 3, 4]], options: "'fro' over [1, 2]", f: (x) => st.norm(x, 'fro', [1, 2]) },
  { op: 'euclideanNorm', shapes: [[3, 4]], options: 'axis 1, keepDims', f: (x) => st.euclideanNorm(x, 1, true) },
  { op: 'movingAverage', shapes: [[2, 3], [2, 3]], options: 'zeroDebias', f: (v, x) => st.movingAverage(v, x, 0.9, 2) },
  { op: 'einsum', shapes: [[3, 4], [4, 2]], options: 'ij,jk->ik', f: (a, b) => st.einsum('ij,jk->ik', a, b) },
  { op: 'einsum', shapes: [[2, 3, 4], [3, 2]], options: 'ijk,jl->lki', f: (a, b) => st.einsum('ijk,jl->lki', a, b) },
  { op: 'einsum', shapes: [[3, 4], [4, 2]], options: 'ij,jk->k', f: (a, b) => st.einsum('ij,jk->k', a, b) },
  { op: 'einsum', shapes: [[3, 3]], options: 'ii->i (diagonal)', f: (a) => st.einsum('ii->i', a) },
  { op: 'einsum', shapes: [[2, 3], [3, 4], [4]], options: 'ij,jk,k->i (three operands)', f: (a, b, c) => st.einsum('ij,jk,k->i', a, b, c) },
  { op: 'linalg.qr', shapes: [[4, 3]], options: 'q and r', f: (x) => { const [q, r] = st.linalg.qr(x); return st.add(q.sum(), r.mul(weights([3, 3])).sum()); } },
  { op: 'linalg.qr', shapes: [[3, 5]], options: 'wide', f: (x) => { const [q, r] = st.linalg.qr(x); return st.add(q.mul(weights([3, 3])).sum(), r.sum()); } },
  { op: 'linalg.qr', shapes: [[2, 3, 3]], options: 'batch, fullMatrices', f: (x) => { const [q, r] = st.linalg.qr(x, true); return st.add(q.mul(weights([2, 3, 3])).sum(), r.sum()); } },
  { op: 'linalg.gramSchmidt', shapes: [[3, 4]], f: (x) => (st.linalg.gramSchmidt(x) as st.Tensor).mul(weights([3, 4])) },
];
