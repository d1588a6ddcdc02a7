/** Gradient-table rows: arithmetic, math functions, reductions, matmul, shape ops. */
import * as st from '../../../src/index.js';
import { testTensor } from '../../helpers.js';
import type { GradRow } from './row.js';

const positive = (shape: number[], seed = 3) => testTensor(shape, seed, (v) => 0.5 + Math.abs(v));
/** values kept away from each other and from kinks, so finite differences do not straddle one */
const distinct = (shape: number[], seed = 5) => {
  const n = shape.reduce((a, b) => a * b, 1);
  const perm = Array.from({ length: n }, (_, i) => i).sort((a, b) => ((a * 7919 + seed) % 101) - ((b * 7919 + seed) % 101));
  return st.tensor(perm.map((p) => (p - n / 2) * 0.37 + 0.05), shape, 'float64');
};

export const coreRows: GradRow[] = [
  { op: 'add', shapes: [[2, 3], [2, 3]], f: (a, b) => st.add(a, b) },
  { op: 'add', shapes: [[2, 3], [3]], options: 'broadcast', f: (a, b) => st.add(a, b) },
  { op: 'add', shapes: [[4, 1, 3], [2, 1]], options: 'broadcast both', f: (a, b) => st.add(a, b) },
  { op: 'sub', shapes: [[3, 1], [1, 5]], options: 'broadcast', f: (a, b) => st.sub(a, b) },
  { op: 'mul', shapes: [[1, 3], [5, 3]], options: 'broadcast', f: (a, b) => st.mul(a, b) },
  { op: 'div', shapes: [[2, 3], [3]], f: (a, b) => st.div(a, b), inputs: () => [testTensor([2, 3]), positive([3])] },
  { op: 'pow', shapes: [[2, 3], [2, 3]], f: (a, b) => st.pow(a, b), inputs: () => [positive([2, 3]), testTensor([2, 3], 4)] },
  { op: 'pow', shapes: [[3], []], options: 'scalar exponent 3, negative base', f: (a) => st.pow(a, 3) },
  { op: 'minimum', shapes: [[7], [7]], f: (a, b) => st.minimum(a, b), inputs: () => [distinct([7], 1), distinct([7], 2).add(0.11)] },
  { op: 'maximum', shapes: [[2, 3], [3]], f: (a, b) => st.maximum(a, b), inputs: () => [distinct([2, 3], 1), distinct([3], 2).add(0.13)] },
  { op: 'squaredDifference', shapes: [[2, 3], [2, 3]], f: (a, b) => st.squaredDifference(a, b) },
  { op: 'mod', shapes: [[5], [5]], f: (a, b) => st.mod(a, b), inputs: () => [testTensor([5], 1, (v) => v * 3 + 0.05), positive([5])] },
  { op: 'atan2', shapes: [[5], [5]], f: (a, b) => st.atan2(a, b), inputs: () => [testTensor([5], 1), positive([5])] },
  { op: 'neg', shapes: [[3, 2]], f: (a) => st.neg(a) },
  { op: 'abs', shapes: [[7]], f: (a) => st.abs(a), inputs: () => [distinct([7])] },
  { op: 'sqrt', shapes: [[5]], f: (a) => st.sqrt(a), inputs: () => [positive([5])] },
  { op: 'rsqrt', shapes: [[5]], f: (a) => st.rsqrt(a), inputs: () => [positive([5])] },
  { op: 'square', shapes: [[2, 3]], f: (a) => st.square(a) },
  { op: 'reciprocal', shapes: [[4]], f: (a) => st.reciprocal(a), inputs: () => [positive([4])] },
  { op: 'exp', shapes: [[2, 3]], f: (a) => st.exp(a) },
  { op: 'expm1', shapes: [[5]], f: (a) => st.expm1(a) },
  { op: 'log', shapes: [[2, 3]], f: (a) => st.log(a), inputs: () => [positive([2, 3])] },
  { op: 'log1p', shapes: [[5]], f: (a) => st.log1p(a), inputs: () => [positive([5])] },
  { op: 'sin', shapes: [[5]], f: (a) => st.sin(a) },
  { op: 'cos', shapes: [[5]], f: (a) => st.cos(a) },
  { op: 'tan', shapes: [[5]], f: (a) => st.tan(a) },
  { op: 'asin', shapes: [[5]], f: (a) => st.asin(a), inputs: () => [testTensor([5], 1, (v) => v * 0.9)] },
  { op: 'acos', shapes: [[5]], f: (a) => st.acos(a), inputs: () => [testTensor([5], 1, (v) => v * 0.9)] },
  { op: 'atan', shapes: [[5]], f: (a) => st.atan(a) },
  { op: 'sinh', shapes: [[5]], f: (a) => st.sinh(a) },
  { op: 'cosh', shapes: [[5]], f: (a) => st.cosh(a) },
  { op: 'tanh', shapes: [[2, 3]], f: (a) => st.tanh(a) },
  { op: 'sigmoid', shapes: [[2, 3]], f: (a) => st.sigmoid(a) },
  { op: 'erf', shapes: [[6]], f: (a) => st.erf(a), inputs: () => [testTensor([6], 2, (v) => v * 3)] },
  { op: 'clipByValue', shapes: [[9]], options: '[-0.5, 0.6]', f: (a) => st.clipByValue(a, -0.5, 0.6), inputs: () => [distinct([9]).mul(0.5)] },
  { op: 'where', shapes: [[2, 3], [2, 3], [3]], f: (a, b) => st.where(st.tensor([[true, false, true], [false, false, true]]), a, b), inputs: () => [testTensor([2, 3]), testTensor([3], 2)] },
  { op: 'cast', shapes: [[3]], options: 'float64 -> float32 -> float64', f: (a) => st.cast(st.cast(a, 'float32'), 'float64').mul(a), eps: 1e-2, atol: 1e-4 },
  { op: 'sum', shapes: [[2, 3, 4]], options: 'all axes', f: (a) => st.sum(a) },
  { op: 'sum', shapes: [[2, 3, 4]], options: 'axes [0, 2], keepDims', f: (a) => st.sum(a, [0, 2], true) },
  { op: 'mean', shapes: [[3, 5]], options: 'axis -1', f: (a) => st.mean(a, -1) },
  { op: 'max', shapes: [[3, 4]], options: 'axis 1', f: (a) => st.max(a, 1), inputs: () => [distinct([3, 4])] },
  { op: 'min', shapes: [[3, 4]], options: 'axis 0, keepDims', f: (a) => st.min(a, 0, true), inputs: () => [distinct([3, 4])] },
  { op: 'prod', shapes: [[3, 4]], options: 'axis 1', f: (a) => st.prod(a, 1) },
  { op: 'prod', shapes: [[3, 3]], options: 'with zeros', f: (a) => st.prod(a, 1), inputs: () => [st.tensor([[1, 0, 3], [0, 0, 2], [1.5, 2, -3]], undefined, 'float64')] },
  { op: 'logSumExp', shapes: [[3, 4]], options: 'axis 1', f: (a) => st.logSumExp(a, 1) },
  { op: 'logSumExp', shapes: [[2, 3]], options: 'large logits', f: (a) => st.logSumExp(a), inputs: () => [testTensor([2, 3], 1, (v) => 500 + v)] },
  { op: 'moments', shapes: [[4, 3]], options: 'axis 0: mean and variance', f: (a) => { const m = st.moments(a, 0); return st.add(m.mean, m.variance.mul(2)); } },
  { op: 'matMul', shapes: [[3, 4], [4, 5]], f: (a, b) => st.matMul(a, b) },
  { op: 'matMul', shapes: [[4, 3], [4, 5]], options: 'transposeA', f: (a, b) => st.matMul(a, b, true, false) },
  { op: 'matMul', shapes: [[3, 4], [5, 4]], options: 'transposeB', f: (a, b) => st.matMul(a, b, false, true) },
  { op: 'matMul', shapes: [[4, 3], [5, 4]], options: 'transposeA and B', f: (a, b) => st.matMul(a, b, true, true) },
  { op: 'matMul', shapes: [[2, 3, 4], [4, 2]], options: 'batched, broadcast b', f: (a, b) => st.matMul(a, b) },
  { op: 'matMul', shapes: [[2, 1, 3, 4], [3, 4, 2]], options: 'batched, broadcast both', f: (a, b) => st.matMul(a, b) },
  { op: 'matMul', shapes: [[1, 3], [3, 1]], options: 'batch 1 row', f: (a, b) => st.matMul(a, b) },
  { op: 'dot', shapes: [[4], [4]], f: (a, b) => st.dot(a, b) },
  { op: 'dot', shapes: [[3, 4], [4]], options: 'matrix-vector', f: (a, b) => st.dot(a, b) },
  { op: 'outerProduct', shapes: [[3], [2]], f: (a, b) => st.outerProduct(a, b) },
  { op: 'reshape', shapes: [[2, 6]], options: '[3, -1]', f: (a) => st.reshape(a, [3, -1]).mul(st.tensor([1, 2, 3, 4], undefined, 'float64')) },
  { op: 'transpose', shapes: [[2, 3, 4]], options: 'perm [2, 0, 1]', f: (a) => st.transpose(a, [2, 0, 1]).mul(testTensor([4, 2, 3], 9)) },
  { op: 'expandDims', shapes: [[3]], f: (a) => st.expandDims(a, 1).mul(testTensor([3, 2], 9)) },
  { op: 'squeeze', shapes: [[1, 3, 1]], f: (a) => st.squeeze(a).mul(testTensor([3], 9)) },
  { op: 'broadcastTo', shapes: [[3, 1]], options: 'to [2, 3, 4]', f: (a) => st.broadcastTo(a, [2, 3, 4]).mul(testTensor([2, 3, 4], 9)) },
  { op: 'clone', shapes: [[3]], f: (a) => st.clone(a).mul(a) },
];
