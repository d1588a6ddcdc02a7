// Masks from embedding({maskZero: true}) travel through models to the recurrent layers, so
// padded steps (id 0) change nothing: a padded sequence gives the unpadded sequence's output.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as st from '../../src/index.js';
import { assertClose } from '../helpers.js';

const real = [[4, 7, 2], [5, 1, 6]];
const ids = (rows: number[][]) => st.tensor(rows, [rows.length, rows[0].length], 'int32');
const postPadded = ids(real.map((r) => [...r, 0, 0]));
const prePadded = ids(real.map((r) => [0, 0, ...r]));

for (const kind of ['lstm', 'gru'] as const) {
  test(`${kind}: with embedding maskZero, pre- and post-padded sequences give the unpadded output`, () => {
    const emb = st.layers.embedding({ inputDim: 8, outputDim: 3, maskZero: true, inputShape: [5] });
    const rnn = st.layers[kind]({ units: 4 });
    const model = st.sequential({ layers: [emb, rnn] });
    // the same layers on the 3 real steps alone, with no padding and no mask
    const unpadded = rnn.apply(emb.apply(ids(real))) as st.Tensor;
    const expected = Array.from(unpadded.dataSync());
    assertClose(model.predict(postPadded) as st.Tensor, expected, 1e-6, 'post-padded');
    assertClose(model.predict(prePadded) as st.Tensor, expected, 1e-6, 'pre-padded');
    // without the mask the padding does change the output, so the comparison above can fail
    const unmasked = rnn.apply(emb.apply(postPadded)) as st.Tensor;
    const diff = Math.max(...Array.from(unmasked.dataSync(), (v, i) => Math.abs(v - expected[i])));
    assert.ok(diff > 1e-3, `unmasked padding should move the output, max difference ${diff}`);
  });
}

test('masks pass through stacked and bidirectional RNNs (returnSequences) and time-distributed dense', () => {
  const emb = st.layers.embedding({ inputDim: 8, outputDim: 3, maskZero: true });
  const first = st.layers.bidirectional({ layer: st.layers.lstm({ units: 3, returnSequences: true }) });
  const perStep = st.layers.timeDistributed({ layer: st.layers.dense({ units: 4, activation: 'tanh' }) });
  const dropout = st.layers.dropout({ rate: 0.5 });
  const last = st.layers.gru({ units: 2 });
  const inp = st.input({ shape: [5], dtype: 'int32' });
  const out = [emb, first, perStep, dropout, last].reduce((x, l) => l.apply(x) as st.SymbolicTensor, inp);
  const model = st.model({ inputs: inp, outputs: out });
  const direct = (x: st.Tensor) => [emb, first, perStep, dropout, last].reduce((t, l) => l.apply(t) as st.Tensor, x);
  const expected = Array.from(direct(ids(real)).dataSync());
  assertClose(model.predict(postPadded) as st.Tensor, expected, 1e-6, 'post-padded');
  assertClose(model.predict(prePadded) as st.Tensor, expected, 1e-6, 'pre-padded');
});

test('computeMask: embedding makes it, a last-step RNN and a layer without masking support end it', () => {
  const emb = st.layers.embedding({ inputDim: 8, outputDim: 2, maskZero: true });
  const mask = emb.computeMask(postPadded)!;
  assert.equal(mask.dtype, 'bool');
  assert.deepEqual(mask.arraySync(), [[true, true, true, false, false], [true, true, true, false, false]]);
  assert.equal(st.layers.embedding({ inputDim: 8, outputDim: 2 }).computeMask(postPadded), undefined);
  assert.equal(st.layers.lstm({ units: 2 }).computeMask(postPadded, mask), undefined);
  assert.equal(st.layers.lstm({ units: 2, returnSequences: true }).computeMask(postPadded, mask), mask);
  assert.equal(st.layers.conv1d({ filters: 2, kernelSize: 2 }).computeMask(postPadded, mask), undefined);
  // a text CNN over a masked embedding runs (convolution ignores the mask, as Keras' does not apply it)
  const cnn = st.sequential({ layers: [
    st.layers.embedding({ inputDim: 8, outputDim: 2, maskZero: true, inputShape: [5] }),
    st.layers.conv1d({ filters: 2, kernelSize: 2 }), st.layers.globalMaxPooling1d(),
  ] });
  assert.deepEqual((cnn.predict(postPadded) as st.Tensor).shape, [2, 2]);
});

test('lstmClassifier learns through the mask: "does the sequence contain id 3?" on post-padded sequences of 2-8 ids', async () => {
  const random = new st.Random(11);
  const rows: number[][] = [];
  const labels: number[] = [];
  for (let i = 0; i < 240; i++) {
    const len = 2 + random.int(7);
    const seq = Array.from({ length: len }, () => 4 + random.int(6));
    const has = i % 2 === 0;
    if (has) seq[random.int(len)] = 3;
    rows.push(seq);
    labels.push(has ? 1 : 0);
  }
  const x = st.text.padSequences(rows, { maxLen: 8, padding: 'post' });
  const y = st.tensor(labels, [labels.length]);
  const model = st.models.lstmClassifier({ vocabSize: 10, sequenceLength: 8, embeddingDim: 4, units: 8, classes: 2 });
  model.compile({ optimizer: st.train.adam(0.03), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  await model.fit(x.slice([0, 0], [180, 8]), y.slice([0], [180]), { epochs: 12, batchSize: 30, seed: 2, verbose: 0 });
  const [, acc] = model.evaluate(x.slice([180, 0], [60, 8]), y.slice([180], [60])) as st.Tensor[];
  assert.ok(acc.dataSync()[0] >= 0.9, `held-out accuracy should be >= 0.9, got ${acc.dataSync()[0]}`);
});
