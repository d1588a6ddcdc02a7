import test from 'node:test';
import assert from 'node:assert/strict';
import * as st from '../../src/index.js';
import * as metrics from '../../src/nn/metrics.js';
import { assertClose, assertThrowsMessage } from '../helpers.js';

test('binaryAccuracy: per sample, threshold 0.5', () => {
  const yTrue = st.tensor([[1, 0, 1], [0, 0, 1]]);
  const yPred = st.tensor([[0.9, 0.6, 0.4], [0.1, 0.5, 0.51]]);
  const a = metrics.binaryAccuracy(yTrue, yPred);
  assert.deepEqual(a.shape, [2]);
  assertClose(a, [1 / 3, 1], 1e-6);
  assertClose(metrics.binaryAccuracy(yTrue, yPred, 0.3), [2 / 3, 2 / 3], 1e-6);
});

test('categoricalAccuracy and sparseCategoricalAccuracy', () => {
  const yPred = st.tensor([[0.1, 0.7, 0.2], [0.5, 0.3, 0.2], [0.2, 0.2, 0.6]]);
  const oneHot = st.tensor([[0, 1, 0], [0, 1, 0], [0, 0, 1]]);
  assertClose(metrics.categoricalAccuracy(oneHot, yPred), [1, 0, 1]);
  assertClose(metrics.sparseCategoricalAccuracy(st.tensor([1, 1, 2], undefined, 'int32'), yPred), [1, 0, 1]);
  assertClose(metrics.sparseCategoricalAccuracy(st.tensor([[1], [0], [0]]), yPred), [1, 1, 0], 1e-6, 'labels [batch, 1]');
  assert.equal(metrics.categoricalAccuracy(oneHot, st.cast(yPred, 'float64')).dtype, 'float64');
});

test('topKCategoricalAccuracy with ties counting as in', () => {
  const yPred = st.tensor([[0.1, 0.5, 0.3, 0.1], [0.4, 0.3, 0.2, 0.1], [0.25, 0.25, 0.25, 0.25]]);
  const yTrue = st.tensor([[0, 0, 1, 0], [0, 0, 0, 1], [0, 0, 0, 1]]);
  assertClose(metrics.topKCategoricalAccuracy(yTrue, yPred, 2), [1, 0, 1]);
  assertClose(metrics.topKCategoricalAccuracy(yTrue, yPred, 1), [0, 0, 1]);
  assertClose(metrics.topKCategoricalAccuracy(yTrue, yPred), [1, 1, 1], 1e-6, 'default k=5 > classes');
  assertClose(metrics.sparseTopKCategoricalAccuracy([2, 3, 0], yPred, 2), [1, 0, 1]);
});

test('mse and mae per sample', () => {
  const yTrue = st.tensor([[0, 1], [2, 2]]);
  const yPred = st.tensor([[1, 1], [0, 3]]);
  assertClose(metrics.meanSquaredError(yTrue, yPred), [0.5, 2.5]);
  assertClose(metrics.meanAbsoluteError(yTrue, yPred), [0.5, 1.5]);
});

test('precision and recall: binary, threshold 0.5, one scalar over the batch', () => {
  const yTrue = st.tensor([1, 1, 0, 0, 1, 0]);
  const yPred = st.tensor([0.9, 0.2, 0.8, 0.1, 0.7, 0.4]);
  // predicted positive: 0, 2, 4 -> tp 2, fp 1; actual positive: 0, 1, 4 -> fn 1
  const p = metrics.precision(yTrue, yPred);
  assert.deepEqual(p.shape, []);
  assertClose(p, 2 / 3, 1e-6);
  assertClose(metrics.recall(yTrue, yPred), 2 / 3, 1e-6);
  assertClose(metrics.precision([1, 0], [0.2, 0.3]), 0, 0, 'nothing predicted positive');
  assertClose(metrics.recall([0, 0], [0.9, 0.3]), 0, 0, 'no actual positives');
  assertClose(metrics.recall([[1, 1], [1, 0]], [[0.6, 0.4], [0.9, 0.9]]), 2 / 3, 1e-6);
});

test("getMetric: 'accuracy' follows the loss, named 'acc'", () => {
  const cases: [string | undefined, string][] = [
    ['binaryCrossentropy', 'binaryAccuracy'], ['binary_crossentropy', 'binaryAccuracy'],
    ['sparseCategoricalCrossentropy', 'sparseCategoricalAccuracy'], ['sparse_categorical_crossentropy', 'sparseCategoricalAccuracy'],
    ['categoricalCrossentropy', 'categoricalAccuracy'], ['meanSquaredError', 'categoricalAccuracy'], [undefined, 'categoricalAccuracy'],
  ];
  const yPred = st.tensor([[0.2, 0.8], [0.6, 0.4]]);
  for (const [loss, expected] of cases) {
    for (const id of ['accuracy', 'acc']) {
      const m = metrics.getMetric(id, loss);
      assert.equal(m.metricName, 'acc');
      if (expected === 'binaryAccuracy') assertClose(m([[0, 1], [1, 1]], yPred), [1, 0.5], 1e-6, `${loss}`);
      else if (expected === 'sparseCategoricalAccuracy') assertClose(m([1, 1], yPred), [1, 0], 1e-6, `${loss}`);
      else assertClose(m([[0, 1], [0, 1]], yPred), [1, 0], 1e-6, `${loss}`);
    }
  }
});

test('getMetric: other names keep the name they were given; functions too', () => {
  const yTrue = st.tensor([[0, 1], [2, 2]]);
  const yPred = st.tensor([[1, 1], [0, 3]]);
  const mse = metrics.getMetric('mse');
  assert.equal(mse.metricName, 'mse');
  assertClose(mse(yTrue, yPred), [0.5, 2.5]);
  assert.equal(metrics.getMetric('mean_absolute_error').metricName, 'mean_absolute_error');
  assertClose(metrics.getMetric('mae')(yTrue, yPred), [0.5, 1.5]);
  assertClose(metrics.getMetric('precision')([1, 0], [0.9, 0.8]), 0.5, 1e-6);
  assertClose(metrics.getMetric('recall')([1, 1], [0.9, 0.1]), 0.5, 1e-6);
  assertClose(metrics.getMetric('top_k_categorical_accuracy')([[0, 1]], [[0.9, 0.1]]), [1]);
  assert.equal(metrics.getMetric('categorical_accuracy').metricName, 'categorical_accuracy');
  function myMetric(t: st.TensorInput, p: st.TensorInput): st.Tensor { return st.sub(p, t); }
  assert.equal(metrics.getMetric(myMetric).metricName, 'myMetric');
  assert.equal(metrics.getMetric(metrics.getMetric('mse')).metricName, 'mse');
  assert.equal(metrics.meanSquaredError.name, 'meanSquaredError', 'exported functions are not renamed');
});

test('metric errors say what was expected and what came', () => {
  assertThrowsMessage(() => metrics.getMetric('acuracy'), 'unknown metric "acuracy"', 'accuracy', 'precision', 'mse');
  assertThrowsMessage(() => metrics.getMetric(3 as never), 'getMetric', '3');
  assertThrowsMessage(() => metrics.categoricalAccuracy([[0, 1]], [[0.1, 0.2, 0.7]]), 'categoricalAccuracy', '[1,2]', '[1,3]');
  assertThrowsMessage(() => metrics.sparseCategoricalAccuracy([[0, 1]], [[0.1, 0.9], [0.5, 0.5]]),
    'sparseCategoricalAccuracy', 'expected yTrue of shape [2]', 'got [1,2]');
  assertThrowsMessage(() => metrics.topKCategoricalAccuracy([[0, 1]], [[0.1, 0.9]], 0), 'k must be a positive integer');
  assertThrowsMessage(() => metrics.sparseTopKCategoricalAccuracy([5], [[0.1, 0.9]]), 'label 5', 'outside [0, 2)');
  assertThrowsMessage(() => metrics.binaryAccuracy([1, 0], [0.5]), 'binaryAccuracy', 'same shape');
  assertThrowsMessage(() => metrics.precision([1, 0], [0.5]), 'precision', 'same shape');
});
