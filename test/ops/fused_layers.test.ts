/**
 * The fused layer ops' values against the ops they stand for (float64, worked by hand where
 * short) and their error messages: softmaxCrossEntropy, sparseSoftmaxCrossEntropy,
 * batchNormTraining, lstmCell.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as st from '../../src/index.js';
import { assertClose, assertThrowsMessage, testTensor } from '../helpers.js';

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));
const vals = (t: st.Tensor): number[] => Array.from(t.dataSync());

test('softmaxCrossEntropy is categorical cross-entropy from logits, per row and reduced', () => {
  const z = st.tensor([[1, 2, 3], [0, 0, 0]], undefined, 'float64');
  const t = st.tensor([[0, 0, 1], [0.5, 0.5, 0]], undefined, 'float64');
  const lse0 = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3));
  const expected = [lse0 - 3, Math.log(3)];
  assertClose(st.losses.softmaxCrossEntropy(t, z, null, 0, st.Reduction.NONE), expected, 1e-12);
  assertClose(st.losses.softmaxCrossEntropy(t, z), (expected[0] + expected[1]) / 2, 1e-12);
  assertClose(st.losses.softmaxCrossEntropy(t, z, null, 0, st.Reduction.SUM), expected[0] + expected[1], 1e-12);
  assertClose(st.losses.softmaxCrossEntropy(t, z, null, 0, st.Reduction.NONE),
    vals(st.losses.categoricalCrossentropy(t, z, { fromLogits: true, reduction: 'none' })), 1e-12);
  // label smoothing 0.3 over 3 classes: t * 0.7 + 0.1
  assertClose(st.losses.softmaxCrossEntropy(t, z, null, 0.3, st.Reduction.NONE),
    vals(st.losses.softmaxCrossEntropy(t.mul(0.7).add(0.1), z, null, 0, st.Reduction.NONE)), 1e-12);
  // rank 3: the leading shape is kept
  assert.deepEqual(st.losses.softmaxCrossEntropy(t.reshape([2, 1, 3]), z.reshape([2, 1, 3]), null, 0, st.Reduction.NONE).shape, [2, 1]);
});

test('sparseSoftmaxCrossEntropy takes class indices, also as [batch, 1]', () => {
  const z = testTensor([4, 5], 3);
  const labels = [4, 0, 2, 2];
  const dense = st.oneHot(st.tensor(labels, [4], 'int32'), 5).cast('float64');
  const want = vals(st.losses.softmaxCrossEntropy(dense, z, null, 0, st.Reduction.NONE));
  assertClose(st.losses.sparseSoftmaxCrossEntropy(labels, z, { reduction: 'none' }), want, 1e-12);
  assertClose(st.losses.sparseSoftmaxCrossEntropy(st.tensor(labels, [4, 1], 'int32'), z, { reduction: 'none' }), want, 1e-12);
  assertClose(st.losses.sparseSoftmaxCrossEntropy(st.tensor(labels, [4], 'float32'), z, { reduction: 'none' }), want, 1e-12);
});

test('softmax cross-entropy errors name the argument and the shapes', () => {
  const z = testTensor([2, 3]);
  assertThrowsMessage(() => st.losses.sparseSoftmaxCrossEntropy([0, 3], z), 'label 3 (at index 1)', '3 classes');
  assertThrowsMessage(() => st.losses.sparseSoftmaxCrossEntropy([0, 1, 2], z), 'expected labels of shape [2]', 'got [3]');
  assertThrowsMessage(() => st.losses.softmaxCrossEntropy(testTensor([2, 4]), z), "'onehotLabels' and 'logits' must have the same shape, got [2,4] and [2,3]");
  assertThrowsMessage(() => st.losses.softmaxCrossEntropy(testTensor([2, 3]), z, null, 2), "expected 'labelSmoothing' in [0, 1], got 2");
  assertThrowsMessage(() => st.losses.softmaxCrossEntropy(testTensor([2, 3]), z, null, 0, 'avg' as never), "expected 'reduction' to be one of tf.Reduction.NONE (0)");
  assertThrowsMessage(() => st.losses.softmaxCrossEntropy(1, 2), "expected 'logits' of shape [..., classes], got a scalar");
});

test('batchNormTraining: batch mean, biased variance and the normalised output', () => {
  const x = testTensor([3, 2, 4], 2);
  const scale = testTensor([4], 3), offset = testTensor([4], 4);
  const { y, mean, variance } = st.batchNormTraining(x, scale, offset, 1e-3);
  const m = st.moments(x, [0, 1]);
  assertClose(mean, vals(m.mean), 1e-12);
  assertClose(variance, vals(m.variance), 1e-12);
  assertClose(y, vals(st.batchNorm(x, m.mean, m.variance, offset, scale, 1e-3)), 1e-12);
  // biased: [1, 3] over the batch has mean 2 and variance 1
  const two = st.batchNormTraining(st.tensor([[1], [3]], undefined, 'float64'), null, null, 0);
  assertClose(two.variance, [1], 1e-12);
  assertClose(two.y, [[-1], [1]], 1e-12);
  assertThrowsMessage(() => st.batchNormTraining(x, testTensor([3]), null), "'scale' must have shape [4]", 'got [3]');
  assertThrowsMessage(() => st.batchNormTraining(x, null, null, -1), 'epsilon must be a number >= 0');
});

test('lstmCell: the gates in Keras order (i, f, c, o)', () => {
  // one unit: z = [zi, zf, zc, zo]
  const [zi, zf, zc, zo, c] = [0.3, -0.2, 0.5, 1.1, 0.7];
  const [h, cNew] = st.lstmCell(st.tensor([[zi, zf, zc, zo]], undefined, 'float64'), st.tensor([[c]], undefined, 'float64'));
  const wantC = sigmoid(zf) * c + sigmoid(zi) * Math.tanh(zc);
  assertClose(cNew, [[wantC]], 1e-12);
  assertClose(h, [[sigmoid(zo) * Math.tanh(wantC)]], 1e-12);
  assertThrowsMessage(() => st.lstmCell(testTensor([2, 7]), testTensor([2, 2])), 'expected z [batch, 4 * units] and c [batch, units]',
    'got z [2,7] and c [2,2]');
});
