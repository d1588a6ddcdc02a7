import test from 'node:test';
import assert from 'node:assert/strict';
import * as st from '../../src/index.js';
import { assertThrowsMessage } from '../helpers.js';
import { Embedding } from '../../src/nn/layers/embedding.js';

const shapesAndParams = (m: st.LayersModel) =>
  m.layers.map((l) => [l.className, l.countParams()] as [string, number]);

test('textCnn is Kim (2014): embedding, conv widths 3/4/5 with relu, max over time, concatenate, dropout, softmax', () => {
  const m = st.models.textCnn({ vocabSize: 100, sequenceLength: 12, embeddingDim: 8, filters: 5, classes: 3 });
  const rows = shapesAndParams(m);
  assert.deepEqual(rows.filter(([c]) => c === 'Conv1D').map(([, p]) => p), [3 * 8 * 5 + 5, 4 * 8 * 5 + 5, 5 * 8 * 5 + 5]);
  assert.equal(rows.filter(([c]) => c === 'GlobalMaxPooling1D').length, 3);
  assert.deepEqual(rows.find(([c]) => c === 'Embedding'), ['Embedding', 100 * 8]);
  assert.deepEqual(rows.find(([c]) => c === 'Concatenate'), ['Concatenate', 0]);
  assert.deepEqual(rows.find(([c]) => c === 'Dropout'), ['Dropout', 0]);
  assert.deepEqual(rows[rows.length - 1], ['Dense', 15 * 3 + 3]);
  const convs = m.layers.filter((l) => l.className === 'Conv1D');
  assert.deepEqual(convs.map((l) => (l.getConfig() as { activation: string }).activation), ['relu', 'relu', 'relu']);
  assert.deepEqual(m.outputs[0].shape, [null, 3]);
  const ids = st.tensor([[1, 2, 3, 4, 5, 6, 0, 0, 0, 0, 0, 0], [9, 8, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0]], [2, 12], 'int32');
  const p = m.predict(ids) as st.Tensor;
  assert.deepEqual(p.shape, [2, 3]);
  const rowsSum = st.sum(p, 1).dataSync();
  for (const s of rowsSum) assert.ok(Math.abs(s - 1) < 1e-5, `softmax rows sum to 1, got ${s}`);

  const one = st.models.textCnn({ vocabSize: 10, sequenceLength: 4, kernelSizes: [2], dropout: 0 });
  assert.deepEqual(shapesAndParams(one).map(([c]) => c), ['InputLayer', 'Embedding', 'Conv1D', 'GlobalMaxPooling1D', 'Dense']);
  assertThrowsMessage(() => st.models.textCnn({ vocabSize: 10, sequenceLength: 4 }), 'models.textCnn', 'kernelSizes', 'sequenceLength = 4');
  assertThrowsMessage(() => st.models.textCnn({ vocabSize: 0, sequenceLength: 8 }), 'models.textCnn', 'vocabSize must be a positive integer');
});

test('lstmClassifier: embedding (id 0 masked) -> lstm -> softmax; lstmForecaster: lstm(s) -> dense horizon', () => {
  const c = st.models.lstmClassifier({ vocabSize: 50, sequenceLength: 7, embeddingDim: 4, units: 6, classes: 3 });
  assert.deepEqual(shapesAndParams(c), [['Embedding', 200], ['LSTM', 4 * (6 * (4 + 6) + 6)], ['Dense', 21]]);
  assert.equal((c.layers[0] as Embedding).maskZero, true);
  assert.deepEqual((c.predict(st.zeros([2, 7], 'int32')) as st.Tensor).shape, [2, 3]);

  const f = st.models.lstmForecaster({ windowSize: 10, units: [8, 4], horizon: 2 });
  assert.deepEqual(shapesAndParams(f), [['LSTM', 4 * (8 * 9 + 8)], ['LSTM', 4 * (4 * 12 + 4)], ['Dense', 10]]);
  assert.deepEqual((f.predict(st.zeros([3, 10, 1])) as st.Tensor).shape, [3, 2]);
  assert.deepEqual(f.layers.map((l) => (l.getConfig() as { returnSequences?: boolean }).returnSequences), [true, false, undefined]);
  assertThrowsMessage(() => st.models.lstmForecaster({ windowSize: 5, units: [] }), 'models.lstmForecaster', 'units');
  assertThrowsMessage(() => st.models.lstmClassifier({ vocabSize: 5, sequenceLength: 0 }), 'models.lstmClassifier', 'sequenceLength');
});
