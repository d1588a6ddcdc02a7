/** Differential rows (striate vs TensorFlow.js) for the math ops. */
import * as st from '../../../src/index.js';
import * as tf from '@tensorflow/tfjs-core';
import type { DiffRow } from './row.js';

const above1 = (v: number) => v + 2;
const inside1 = (v: number) => v * 0.9;
const sortedRows = { shape: [2, 5], values: [-3, -1, -1, 0.5, 2, 0, 0, 1, 4, 4] };
const probes = { shape: [2, 4], values: [-1, 2, 9, -5, 0, 4, 1, 0.5] };
const tied = { shape: [2, 6], values: [3, 1, 3, 2, 3, 0, -1, 5, 5, -1, 0, 5] };
const pair = (r: { values: st.Tensor; indices: st.Tensor }) => [r.values, r.indices];
const tfPair = (r: { values: tf.Tensor; indices: tf.Tensor }) => [r.values, r.indices];

export const mathDiffRows: DiffRow[] = [
  // ops striate already had, as anchors of the table
  { op: 'matMul', inputs: [[3, 4], [4, 5]], st: (a, b) => st.matMul(a, b), tf: (a, b) => tf.matMul(a, b) },
  { op: 'softmax', inputs: [[2, 3, 5]], st: (x) => st.softmax(x), tf: (x) => tf.softmax(x) },
  { op: 'sum', options: 'axis 1, keepDims', inputs: [[2, 3, 4]], st: (x) => st.sum(x, 1, true), tf: (x) => tf.sum(x, 1, true) },
  { op: 'maximum', inputs: [[2, 3], [2, 3]], st: (a, b) => st.maximum(a, b), tf: (a, b) => tf.maximum(a, b) },

  // ---- cumulative sums and products ----
  // TensorFlow.js' cumsum mishandles a negative axis (a wrong shape), and its gradient along any
  // axis but the last comes back transposed: gradients compare along the last axis only
  { op: 'cumsum', inputs: [[3, 4]], gradInputs: [], st: (x) => st.cumsum(x), tf: (x) => tf.cumsum(x) },
  { op: 'cumsum', options: 'axis 1 (last), exclusive', inputs: [[3, 4]], st: (x) => x.cumsum(1, true), tf: (x) => tf.cumsum(x, 1, true) },
  { op: 'cumsum', options: 'axis -1 (1 there), reverse', inputs: [[2, 5]], st: (x) => st.cumsum(x, -1, false, true), tf: (x) => tf.cumsum(x, 1, false, true) },
  { op: 'cumsum', options: 'axis 2 (last), exclusive and reverse', inputs: [[2, 3, 4]], st: (x) => st.cumsum(x, 2, true, true), tf: (x) => tf.cumsum(x, 2, true, true) },
  { op: 'cumsum', options: 'axis 1 of 3, exclusive and reverse', inputs: [[2, 3, 4]], gradInputs: [], st: (x) => st.cumsum(x, 1, true, true), tf: (x) => tf.cumsum(x, 1, true, true) },
  { op: 'cumsum', options: 'int32', inputs: [{ shape: [6], dtype: 'int32', range: [-5, 5] }], st: (x) => st.cumsum(x), tf: (x) => tf.cumsum(x) },
  { op: 'cumsum', options: 'bool counts in int32', inputs: [{ shape: [2, 4], dtype: 'bool' }], st: (x) => st.cumsum(x, 1), tf: (x) => tf.cumsum(x, 1) },
  // TensorFlow.js has no gradient for cumprod (striate's is checked in the float64 gradient table)
  { op: 'cumprod', inputs: [[3, 4]], gradInputs: [], st: (x) => st.cumprod(x), tf: (x) => tf.cumprod(x) },
  { op: 'cumprod', options: 'axis 1, exclusive, reverse', inputs: [[3, 4]], gradInputs: [], st: (x) => x.cumprod(1, true, true), tf: (x) => tf.cumprod(x, 1, true, true) },
  { op: 'cumprod', options: 'int32', inputs: [{ shape: [5], dtype: 'int32', range: [-3, 4] }], st: (x) => st.cumprod(x), tf: (x) => tf.cumprod(x) },

  // ---- top k (TensorFlow.js has no gradient for it; striate's is in the float64 table) ----
  { op: 'topk', options: 'k 3', inputs: [[3, 7]], gradInputs: [], st: (x) => pair(st.topk(x, 3)), tf: (x) => tfPair(tf.topk(x, 3)) },
  { op: 'topk', options: 'default k 1', inputs: [[9]], gradInputs: [], st: (x) => pair(x.topk()), tf: (x) => tfPair(tf.topk(x)) },
  { op: 'topk', options: 'ties, k 4', inputs: [tied], gradInputs: [], st: (x) => pair(st.topk(x, 4)), tf: (x) => tfPair(tf.topk(x, 4)) },
  { op: 'topk', options: 'k = n, rank 3', inputs: [[2, 2, 5]], gradInputs: [], st: (x) => pair(st.topk(x, 5)), tf: (x) => tfPair(tf.topk(x, 5)) },
  { op: 'topk', options: 'long row, k 3', inputs: [[2, 40]], gradInputs: [], st: (x) => pair(st.topk(x, 3)), tf: (x) => tfPair(tf.topk(x, 3)) },
  { op: 'topk', options: 'int32 with ties', inputs: [{ shape: [2, 8], dtype: 'int32', range: [0, 4] }], st: (x) => pair(st.topk(x, 3)), tf: (x) => tfPair(tf.topk(x, 3)) },

  // ---- unique ----
  { op: 'unique', inputs: [{ shape: [8], values: [4, 1, 4, -0, 2, 0, 1, 7] }], gradInputs: [], st: (x) => pair(st.unique(x)), tf: (x) => tfPair(tf.unique(x)) },
  { op: 'unique', options: 'int32', inputs: [{ shape: [9], dtype: 'int32', range: [0, 4] }], st: (x) => pair(x.unique()), tf: (x) => tfPair(tf.unique(x)) },
  { op: 'unique', options: 'axis 0 of a matrix', inputs: [{ shape: [4, 2], values: [1, 2, 3, 4, 1, 2, 5, 6] }], gradInputs: [], st: (x) => pair(st.unique(x, 0)), tf: (x) => tfPair(tf.unique(x, 0)) },
  { op: 'unique', options: 'axis 1', inputs: [{ shape: [2, 4], values: [1, 0, 1, 2, 3, 0, 3, 3] }], gradInputs: [], st: (x) => pair(st.unique(x, 1)), tf: (x) => tfPair(tf.unique(x, 1)) },
  { op: 'unique', options: 'axis -1 of rank 3', inputs: [{ shape: [2, 2, 3], dtype: 'int32', values: [1, 1, 2, 3, 3, 4, 5, 5, 6, 7, 7, 8] }], st: (x) => pair(st.unique(x, -1)), tf: (x) => tfPair(tf.unique(x, -1)) },

  // ---- element-wise math ----
  { op: 'acosh', inputs: [{ shape: [2, 3], map: above1 }], st: (x) => st.acosh(x), tf: (x) => tf.acosh(x) },
  { op: 'asinh', inputs: [{ shape: [2, 3], map: (v: number) => v * 4 }], st: (x) => x.asinh(), tf: (x) => tf.asinh(x) },
  { op: 'atanh', inputs: [{ shape: [2, 3], map: inside1 }], st: (x) => st.atanh(x), tf: (x) => tf.atanh(x) },
  { op: 'logSigmoid', inputs: [{ shape: [2, 4], map: (v: number) => v * 8 }], st: (x) => x.logSigmoid(), tf: (x) => tf.logSigmoid(x) },
  // TensorFlow.js cannot differentiate divNoNan (no gradient for its Equal); striate's is in the float64 table
  { op: 'divNoNan', inputs: [[2, 3], [3]], gradInputs: [], st: (a, b) => st.divNoNan(a, b), tf: (a, b) => tf.divNoNan(a, b) },
  { op: 'divNoNan', options: 'zeros in b', inputs: [[2, 3], { shape: [2, 3], values: [0, 1, 0, -2, 0.5, 0] }], gradInputs: [], st: (a, b) => a.divNoNan(b), tf: (a, b) => tf.divNoNan(a, b) },
  { op: 'divNoNan', options: 'int32 (floor division)', inputs: [{ shape: [4], dtype: 'int32', values: [7, -7, 3, -3] }, { shape: [4], dtype: 'int32', values: [2, 2, 0, 4] }], st: (a, b) => st.divNoNan(a, b), tf: (a, b) => tf.divNoNan(a, b) },
  { op: 'step', inputs: [{ shape: [5], values: [-1, 0, 2, NaN, 0.5] }], st: (x) => st.step(x), tf: (x) => tf.step(x) },
  { op: 'step', options: 'alpha 0.3', inputs: [{ shape: [2, 3], values: [-1, 0, 2, NaN, 0.5, -0.2] }], st: (x) => x.step(0.3), tf: (x) => tf.step(x, 0.3) },
  { op: 'step', options: 'alpha -0.5, gradient', inputs: [[2, 3]], st: (x) => st.step(x, -0.5), tf: (x) => tf.step(x, -0.5) },
  { op: 'step', options: 'int32, alpha 2', inputs: [{ shape: [5], dtype: 'int32', range: [-2, 3] }], st: (x) => st.step(x, 2), tf: (x) => tf.step(x, 2) },
  { op: 'bitwiseAnd', inputs: [{ shape: [6], dtype: 'int32', range: [0, 64] }, { shape: [6], dtype: 'int32', range: [0, 64] }], st: (a, b) => st.bitwiseAnd(a, b), tf: (a, b) => tf.bitwiseAnd(a, b) },

  // ---- norms ----
  { op: 'norm', inputs: [[3, 4]], st: (x) => st.norm(x), tf: (x) => tf.norm(x) },
  { op: 'norm', options: 'ord 1, axis 0', inputs: [[3, 4]], st: (x) => st.norm(x, 1, 0), tf: (x) => tf.norm(x, 1, 0) },
  { op: 'norm', options: 'ord 2, axis -1, keepDims', inputs: [[3, 4]], st: (x) => x.norm(2, -1, true), tf: (x) => tf.norm(x, 2, -1, true) },
  { op: 'norm', options: 'ord Infinity, axis 1', inputs: [[3, 5]], st: (x) => st.norm(x, Infinity, 1), tf: (x) => tf.norm(x, Infinity, 1) },
  { op: 'norm', options: 'ord -Infinity, vector', inputs: [[6]], st: (x) => st.norm(x, -Infinity), tf: (x) => tf.norm(x, -Infinity) },
  { op: 'norm', options: "'fro', axes [0, 1]", inputs: [[3, 4]], st: (x) => st.norm(x, 'fro', [0, 1]), tf: (x) => tf.norm(x, 'fro', [0, 1]) },
  { op: 'norm', options: 'matrix ord 1, axes [1, 2], keepDims', inputs: [[2, 3, 4]], st: (x) => st.norm(x, 1, [1, 2], true), tf: (x) => tf.norm(x, 1, [1, 2], true) },
  { op: 'norm', options: 'matrix ord Infinity', inputs: [[3, 4]], st: (x) => st.norm(x, Infinity, [0, 1]), tf: (x) => tf.norm(x, Infinity, [0, 1]) },
  { op: 'norm', options: 'matrix ord -Infinity', inputs: [[3, 4]], st: (x) => st.norm(x, -Infinity, [0, 1]), tf: (x) => tf.norm(x, -Infinity, [0, 1]) },
  { op: 'norm', options: 'keepDims over all axes', inputs: [[2, 3]], st: (x) => st.norm(x, 'euclidean', null, true), tf: (x) => tf.norm(x, 'euclidean', undefined, true) },
  { op: 'norm', options: 'scalar', inputs: [[]], st: (x) => st.norm(x), tf: (x) => tf.norm(x) },
  { op: 'euclideanNorm', inputs: [[3, 4]], st: (x) => st.euclideanNorm(x), tf: (x) => tf.euclideanNorm(x) },
  { op: 'euclideanNorm', options: 'axis 1, keepDims', inputs: [[3, 4]], st: (x) => x.euclideanNorm(1, true), tf: (x) => tf.euclideanNorm(x, 1, true) },

  // ---- einsum (TensorFlow.js has no gradient for it; striate's is checked in the float64 table) ----
  { op: 'einsum', options: 'ij,jk->ik', inputs: [[3, 4], [4, 2]], gradInputs: [], st: (a, b) => st.einsum('ij,jk->ik', a, b), tf: (a, b) => tf.einsum('ij,jk->ik', a, b) },
  { op: 'einsum', options: 'bij,bjk->bik', inputs: [[2, 3, 4], [2, 4, 5]], gradInputs: [], st: (a, b) => st.einsum('bij,bjk->bik', a, b), tf: (a, b) => tf.einsum('bij,bjk->bik', a, b) },
  { op: 'einsum', options: 'ij->ji', inputs: [[3, 4]], gradInputs: [], st: (a) => st.einsum('ij->ji', a), tf: (a) => tf.einsum('ij->ji', a) },
  { op: 'einsum', options: 'ij->', inputs: [[3, 4]], gradInputs: [], st: (a) => st.einsum('ij->', a), tf: (a) => tf.einsum('ij->', a) },
  { op: 'einsum', options: 'ij->j', inputs: [[3, 4]], gradInputs: [], st: (a) => st.einsum('ij->j', a), tf: (a) => tf.einsum('ij->j', a) },
  { op: 'einsum', options: 'i,j->ij', inputs: [[3], [4]], gradInputs: [], st: (a, b) => st.einsum('i,j->ij', a, b), tf: (a, b) => tf.einsum('i,j->ij', a, b) },
  { op: 'einsum', options: 'i,i->', inputs: [[5], [5]], gradInputs: [], st: (a, b) => st.einsum('i,i->', a, b), tf: (a, b) => tf.einsum('i,i->', a, b) },
  { op: 'einsum', options: 'ij,ij->ij', inputs: [[2, 3], [2, 3]], gradInputs: [], st: (a, b) => st.einsum('ij,ij->ij', a, b), tf: (a, b) => tf.einsum('ij,ij->ij', a, b) },
  { op: 'einsum', options: 'ij,ij->i', inputs: [[2, 3], [2, 3]], gradInputs: [], st: (a, b) => st.einsum('ij,ij->i', a, b), tf: (a, b) => tf.einsum('ij,ij->i', a, b) },
  { op: 'einsum', options: 'ijk,jl->lki', inputs: [[2, 3, 4], [3, 2]], gradInputs: [], st: (a, b) => st.einsum('ijk,jl->lki', a, b), tf: (a, b) => tf.einsum('ijk,jl->lki', a, b) },
  { op: 'einsum', options: 'ij,kl->ijkl (no shared label)', inputs: [[2, 3], [2, 2]], gradInputs: [], st: (a, b) => st.einsum('ij,kl->ijkl', a, b), tf: (a, b) => tf.einsum('ij,kl->ijkl', a, b) },
  // (TensorFlow.js gets 'ij,jk->k', a label summed away inside one operand, wrong: test/ops/math_ops.test.ts checks it)
  { op: 'einsum', options: 'spaces, int32', inputs: [{ shape: [2, 3], dtype: 'int32', range: [-4, 4] }, { shape: [3], dtype: 'int32', range: [-4, 4] }], st: (a, b) => st.einsum(' ij , j -> i ', a, b), tf: (a, b) => tf.einsum(' ij , j -> i ', a, b) },

  // ---- sorted search and counting ----
  { op: 'searchSorted', inputs: [sortedRows, probes], gradInputs: [], st: (s, v) => st.searchSorted(s, v), tf: (s, v) => tf.searchSorted(s, v) },
  { op: 'searchSorted', options: "side 'right'", inputs: [sortedRows, probes], gradInputs: [], st: (s, v) => st.searchSorted(s, v, 'right'), tf: (s, v) => tf.searchSorted(s, v, 'right') },
  { op: 'searchSorted', options: 'vectors (result [1, m])', inputs: [{ shape: [4], values: [1, 2, 2, 5] }, { shape: [3], values: [2, 0, 6] }], gradInputs: [], st: (s, v) => st.searchSorted(s, v), tf: (s, v) => tf.searchSorted(s, v) },
  { op: 'lowerBound', inputs: [sortedRows, probes], gradInputs: [], st: (s, v) => st.lowerBound(s, v), tf: (s, v) => tf.lowerBound(s, v) },
  { op: 'upperBound', inputs: [sortedRows, probes], gradInputs: [], st: (s, v) => st.upperBound(s, v), tf: (s, v) => tf.upperBound(s, v) },
  { op: 'bincount', options: 'weights', inputs: [{ shape: [10], dtype: 'int32', range: [0, 6] }, [10]], gradInputs: [], st: (x, w) => st.bincount(x, w, 4), tf: (x, w) => tf.bincount(x as tf.Tensor1D, w as tf.Tensor1D, 4) },
  { op: 'bincount', options: 'no weights', inputs: [{ shape: [10], dtype: 'int32', range: [0, 6] }], st: (x) => st.bincount(x, st.tensor([]), 7), tf: (x) => tf.bincount(x as tf.Tensor1D, tf.tensor([]), 7) },
  { op: 'bincount', options: 'int32 weights', inputs: [{ shape: [6], dtype: 'int32', range: [0, 3] }, { shape: [6], dtype: 'int32', range: [1, 9] }], st: (x, w) => st.bincount(x, w, 3), tf: (x, w) => tf.bincount(x as tf.Tensor1D, w as tf.Tensor1D, 3) },
  { op: 'denseBincount', options: 'matrix, weights', inputs: [{ shape: [3, 5], dtype: 'int32', range: [0, 4] }, [3, 5]], gradInputs: [], st: (x, w) => st.denseBincount(x, w, 4), tf: (x, w) => tf.denseBincount(x as tf.Tensor1D, w as tf.Tensor1D, 4) },
  { op: 'denseBincount', options: 'matrix, binaryOutput', inputs: [{ shape: [3, 5], dtype: 'int32', range: [0, 4] }], st: (x) => st.denseBincount(x, st.tensor([]), 3, true), tf: (x) => tf.denseBincount(x as tf.Tensor1D, tf.tensor([]), 3, true) },
  { op: 'denseBincount', options: 'vector', inputs: [{ shape: [8], dtype: 'int32', range: [0, 5] }], st: (x) => st.denseBincount(x, st.tensor([]), 5), tf: (x) => tf.denseBincount(x as tf.Tensor1D, tf.tensor([]), 5) },
  { op: 'math.confusionMatrix', inputs: [{ shape: [12], dtype: 'int32', range: [0, 4] }, { shape: [12], dtype: 'int32', range: [0, 4] }], st: (l, p) => st.math.confusionMatrix(l, p, 4), tf: (l, p) => tf.math.confusionMatrix(l as tf.Tensor1D, p as tf.Tensor1D, 4) },
  { op: 'math.confusionMatrix', options: 'float labels', inputs: [{ shape: [4], values: [0, 1, 2, 1] }, { shape: [4], values: [0, 2, 2, 1] }], gradInputs: [], st: (l, p) => st.math.confusionMatrix(l, p, 3), tf: (l, p) => tf.math.confusionMatrix(l as tf.Tensor1D, p as tf.Tensor1D, 3) },
  { op: 'movingAverage', options: 'zeroDebias, step 3', inputs: [[2, 3], [2, 3]], st: (v, x) => st.movingAverage(v, x, 0.9, 3), tf: (v, x) => tf.movingAverage(v, x, 0.9, 3) },
  { op: 'movingAverage', options: 'no zeroDebias', inputs: [[4], [4]], st: (v, x) => st.movingAverage(v, x, 0.7, undefined, false), tf: (v, x) => tf.movingAverage(v, x, 0.7, undefined, false) },

  // ---- linalg. TensorFlow.js cannot differentiate qr (no gradient for its Greater); striate's
  // qr is composed of differentiable ops and checked in the float64 table ----
  { op: 'linalg.qr', options: '4x3', inputs: [[4, 3]], gradInputs: [], st: (x) => st.linalg.qr(x), tf: (x) => tf.linalg.qr(x as tf.Tensor2D) },
  { op: 'linalg.qr', options: '3x3', inputs: [[3, 3]], gradInputs: [], st: (x) => st.linalg.qr(x), tf: (x) => tf.linalg.qr(x as tf.Tensor2D) },
  { op: 'linalg.qr', options: '3x5 (wide)', inputs: [[3, 5]], gradInputs: [], st: (x) => st.linalg.qr(x), tf: (x) => tf.linalg.qr(x as tf.Tensor2D) },
  { op: 'linalg.qr', options: '4x3 fullMatrices', inputs: [[4, 3]], gradInputs: [], st: (x) => st.linalg.qr(x, true), tf: (x) => tf.linalg.qr(x as tf.Tensor2D, true) },
  // square batches only: TensorFlow.js reshapes both batched results to x's shape
  { op: 'linalg.qr', options: 'batch of 3x3', inputs: [[2, 3, 3]], gradInputs: [], st: (x) => st.linalg.qr(x), tf: (x) => tf.linalg.qr(x) },
  { op: 'linalg.gramSchmidt', options: 'matrix', inputs: [[3, 4]], st: (x) => st.linalg.gramSchmidt(x) as st.Tensor, tf: (x) => tf.linalg.gramSchmidt(x as tf.Tensor2D) as tf.Tensor },
  { op: 'linalg.gramSchmidt', options: 'list of vectors', inputs: [[4], [4]], st: (a, b) => st.linalg.gramSchmidt([a, b]) as st.Tensor[], tf: (a, b) => tf.linalg.gramSchmidt([a as tf.Tensor1D, b as tf.Tensor1D]) as tf.Tensor[] },
];
