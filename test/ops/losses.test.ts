import test from 'node:test';
import assert from 'node:assert/strict';
import * as st from '../../src/index.js';
import { assertClose, assertThrowsMessage } from '../helpers.js';
// the Keras-signature meanSquaredError that training uses (st.losses.meanSquaredError is TensorFlow.js')
import * as keras from '../../src/ops/keras_losses.js';

const L = st.losses;
const f64 = (v: number[] | number[][]) => st.tensor(v, undefined, 'float64');
const vals = (t: st.Tensor) => Array.from(t.dataSync());
const finite = (t: st.Tensor) => Array.from(t.dataSync()).every(Number.isFinite);
const EPS = 1e-7;

test('meanSquaredError and meanAbsoluteError: per-sample mean over the last axis, then reductions', () => {
  const yTrue = f64([[0, 1], [2, 2]]);
  const yPred = f64([[1, 1], [0, 3]]);
  // per sample: (1 + 0) / 2 = 0.5 and (4 + 1) / 2 = 2.5
  assertClose(keras.meanSquaredError(yTrue, yPred, { reduction: 'none' }), [0.5, 2.5], 1e-12);
  assertClose(keras.meanSquaredError(yTrue, yPred), 1.5, 1e-12);
  assertClose(keras.meanSquaredError(yTrue, yPred, { reduction: 'sum' }), 3, 1e-12);
  assert.deepEqual(keras.meanSquaredError(yTrue, yPred).shape, []);
  // |e|: (1 + 0) / 2 = 0.5 and (2 + 1) / 2 = 1.5
  assertClose(L.meanAbsoluteError(yTrue, yPred, { reduction: 'none' }), [0.5, 1.5], 1e-12);
  assertClose(L.meanAbsoluteError(yTrue, yPred), 1, 1e-12);
});

test('huber: quadratic inside delta, linear outside', () => {
  const yTrue = f64([[0, 0, 0]]);
  const yPred = f64([[0.5, 2, -3]]);
  // delta 1: 0.125, 2 - 0.5 = 1.5, 3 - 0.5 = 2.5 -> mean 4.125 / 3
  assertClose(L.huber(yTrue, yPred), 4.125 / 3, 1e-12);
  // delta 2: 0.125, 2, 2*3 - 2 = 4 -> mean 6.125 / 3
  assertClose(L.huber(yTrue, yPred, { delta: 2 }), 6.125 / 3, 1e-12);
  assertThrowsMessage(() => L.huber(yTrue, yPred, { delta: -1 }), 'huber', 'delta');
});

test('binaryCrossentropy: hand values, label smoothing, from logits agrees with sigmoid', () => {
  const yTrue = f64([[1, 0], [0, 1]]);
  const yPred = f64([[0.8, 0.4], [0.1, 0.6]]);
  const perSample = [-(Math.log(0.8) + Math.log(0.6)) / 2, -(Math.log(0.9) + Math.log(0.6)) / 2];
  assertClose(L.binaryCrossentropy(yTrue, yPred, { reduction: 'none' }), perSample, 1e-12);
  assertClose(L.binaryCrossentropy(yTrue, yPred), (perSample[0] + perSample[1]) / 2, 1e-12);
  // smoothing 0.2: targets 0.9 / 0.1
  const s = (t: number, p: number) => -(t * Math.log(p) + (1 - t) * Math.log(1 - p));
  assertClose(L.binaryCrossentropy(f64([1, 0]), f64([0.7, 0.2]), { labelSmoothing: 0.2 }),
    (s(0.9, 0.7) + s(0.1, 0.2)) / 2, 1e-12);
  const logits = f64([[2, -1], [0.5, -3]]);
  assertClose(L.binaryCrossentropy(yTrue, logits, { fromLogits: true }),
    vals(L.binaryCrossentropy(yTrue, st.sigmoid(logits))), 1e-10);
});

test('binaryCrossentropy has no NaN or Infinity at p = 0, p = 1 or huge logits', () => {
  const v = L.binaryCrossentropy(f64([1, 0, 1, 0]), f64([0, 1, 1, 0]), { reduction: 'none' });
  assert.ok(finite(v));
  // clipped: -log(1e-7) for the two wrong ones, about 1e-7 for the right ones -> mean
  assertClose(v, (2 * -Math.log(EPS) + 2 * -Math.log1p(-EPS)) / 4, 1e-9);
  const g = st.grad((p) => L.binaryCrossentropy(f64([1, 0]), p))(f64([0, 1]));
  assert.ok(finite(g), `gradient ${g.dataSync()}`);
  const big = L.binaryCrossentropy(f64([1, 0, 1]), f64([1000, -1000, -1000]), { fromLogits: true, reduction: 'none' });
  assertClose(big, 1000 / 3, 1e-9);
  assert.ok(finite(L.binaryCrossentropy(st.tensor([1, 0]), st.tensor([0, 1]))), 'float32 too');
});

test('categoricalCrossentropy of one-hot targets is -log p of the true class', () => {
  const yTrue = f64([[0, 1, 0], [1, 0, 0]]);
  const yPred = f64([[0.2, 0.7, 0.1], [0.5, 0.25, 0.25]]);
  assertClose(L.categoricalCrossentropy(yTrue, yPred, { reduction: 'none' }), [-Math.log(0.7), -Math.log(0.5)], 1e-12);
  assertClose(L.categoricalCrossentropy(yTrue, yPred), -(Math.log(0.7) + Math.log(0.5)) / 2, 1e-12);
  assertClose(L.categoricalCrossentropy(yTrue, yPred, { reduction: 'sum' }), -(Math.log(0.7) + Math.log(0.5)), 1e-12);
  // rows are renormalised first (Keras): [2, 7, 1] is the same as [0.2, 0.7, 0.1]
  assertClose(L.categoricalCrossentropy(f64([0, 1, 0]), f64([2, 7, 1]), { reduction: 'none' }), -Math.log(0.7), 1e-12);
  // smoothing 0.3 over 3 classes: targets [0.1, 0.8, 0.1]
  assertClose(L.categoricalCrossentropy(f64([[0, 1, 0]]), f64([[0.2, 0.7, 0.1]]), { labelSmoothing: 0.3 }),
    -(0.1 * Math.log(0.2) + 0.8 * Math.log(0.7) + 0.1 * Math.log(0.1)), 1e-12);
});

test('categoricalCrossentropy from logits agrees with the softmax path and is finite on huge logits', () => {
  const yTrue = f64([[0, 1, 0], [0.2, 0.3, 0.5]]);
  const logits = f64([[1, 2, -1], [0.5, 0, 3]]);
  assertClose(L.categoricalCrossentropy(yTrue, logits, { fromLogits: true }),
    vals(L.categoricalCrossentropy(yTrue, st.softmax(logits))), 1e-10);
  const big = L.categoricalCrossentropy(f64([[0, 0, 1]]), f64([[1000, 0, -1000]]), { fromLogits: true });
  assertClose(big, 2000, 1e-9);
});

test('categoricalCrossentropy has no NaN at p = 0 and p = 1', () => {
  const v = L.categoricalCrossentropy(f64([[0, 1], [1, 0]]), f64([[1, 0], [1, 0]]), { reduction: 'none' });
  assert.ok(finite(v));
  assertClose(v, [-Math.log(EPS), -Math.log(1 - EPS)], 1e-9);
  const g = st.grad((p) => L.categoricalCrossentropy(f64([[0, 1], [1, 0]]), p))(f64([[1, 0], [1, 0]]));
  assert.ok(finite(g));
});

test('sparseCategoricalCrossentropy: integer labels [batch] or [batch, 1], logits too', () => {
  const yPred = f64([[0.2, 0.7, 0.1], [0.5, 0.25, 0.25]]);
  const labels = st.tensor([1, 0], undefined, 'int32');
  assertClose(L.sparseCategoricalCrossentropy(labels, yPred, { reduction: 'none' }), [-Math.log(0.7), -Math.log(0.5)], 1e-12);
  assertClose(L.sparseCategoricalCrossentropy(st.tensor([[1], [0]]), yPred), -(Math.log(0.7) + Math.log(0.5)) / 2, 1e-12);
  const logits = f64([[1, 2, -1], [0.5, 0, 3]]);
  assertClose(L.sparseCategoricalCrossentropy([2, 1], logits, { fromLogits: true }),
    vals(L.categoricalCrossentropy(f64([[0, 0, 1], [0, 1, 0]]), logits, { fromLogits: true })), 1e-12);
  assert.ok(finite(L.sparseCategoricalCrossentropy([1], f64([[1, 0]]))));
});

test('sparseCategoricalCrossentropy names a bad label and the number of classes', () => {
  const yPred = st.tensor([[0.2, 0.7, 0.1], [0.5, 0.25, 0.25]]);
  assertThrowsMessage(() => L.sparseCategoricalCrossentropy([1, 3], yPred), 'sparseCategoricalCrossentropy', 'label 3', '3 classes');
  assertThrowsMessage(() => L.sparseCategoricalCrossentropy([-1, 0], yPred), 'label -1', '3 classes');
  assertThrowsMessage(() => L.sparseCategoricalCrossentropy([1, 0, 2], yPred), 'expected yTrue of shape [2]', 'got [3]');
});

test('hinge, squaredHinge and categoricalHinge', () => {
  // 0/1 labels become -1/1
  const yTrue = f64([[1, 0], [0, 1]]);
  const yPred = f64([[0.3, -2], [0.5, 2]]);
  // margins: 1 - 0.3 = 0.7, 1 - 2 = -1 -> 0; 1 + 0.5 = 1.5, 1 - 2 -> 0
  assertClose(L.hinge(yTrue, yPred, { reduction: 'none' }), [0.35, 0.75], 1e-12);
  assertClose(L.squaredHinge(yTrue, yPred, { reduction: 'none' }), [0.49 / 2, 2.25 / 2], 1e-12);
  // -1/1 labels are used as they are
  assertClose(L.hinge(f64([-1, 1]), f64([0.5, 0.5])), (1.5 + 0.5) / 2, 1e-12);
  // categorical: pos = 0.6, neg = max(0.3, 0.1) = 0.3 -> 0.7
  assertClose(L.categoricalHinge(f64([[0, 1, 0]]), f64([[0.3, 0.6, 0.1]])), 0.7, 1e-12);
});

test('kullbackLeiblerDivergence', () => {
  const yTrue = f64([[0.5, 0.5]]);
  const yPred = f64([[0.25, 0.75]]);
  assertClose(L.kullbackLeiblerDivergence(yTrue, yPred), 0.5 * Math.log(2) + 0.5 * Math.log(2 / 3), 1e-12);
  assertClose(L.kullbackLeiblerDivergence(yTrue, yTrue), 0, 1e-12);
  assert.ok(finite(L.kullbackLeiblerDivergence(f64([[1, 0]]), f64([[0, 1]]))));
});

test('losses validate shapes and the reduction', () => {
  assertThrowsMessage(() => keras.meanSquaredError(st.tensor([[1, 2]]), st.tensor([1, 2])),
    'meanSquaredError', 'same shape', 'yTrue [1,2]', 'yPred [2]');
  assertThrowsMessage(() => L.categoricalCrossentropy(st.tensor([[1, 0]]), st.tensor([[1, 0, 0]])),
    'categoricalCrossentropy', 'same shape');
  assertThrowsMessage(() => L.meanAbsoluteError([1], [1], { reduction: 'avg' as never }), 'reduction', '"avg"');
  assertThrowsMessage(() => L.binaryCrossentropy([1], [0.5], { labelSmoothing: 2 }), 'labelSmoothing');
});

test('losses accept int yTrue and keep yPred dtype', () => {
  const v = keras.meanSquaredError(st.tensor([1, 2], undefined, 'int32'), st.tensor([1.5, 2]));
  assert.equal(v.dtype, 'float32');
  assertClose(v, 0.125);
});
