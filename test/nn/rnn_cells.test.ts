/**
 * layers.rnn with cells (simpleRNNCell, lstmCell, gruCell, stackedRNNCells, a custom RNNCell):
 * outputs and states equal tfjs-layers' for the same weights, masking from a Masking layer,
 * stateful runs, files both ways with TensorFlow.js, errors, and an rnn(lstmCell) that learns.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as st from '../../src/index.js';
import type { CallArgs } from '../../src/nn/layer.js';
import { setProgressOutput } from '../../src/train/index.js';
import { ready, tf, tfl, tfLoad, tfSave } from '../io/tfjs_interop.js';
import { assertThrowsMessage } from '../helpers.js';
import { compareWithTfjs, sample, worstDifference } from './tfjs_layer_compare.js';

setProgressOutput({ write: () => {}, isTTY: () => false, warn: () => {} });
const L = st.layers;
before(ready);
// TensorFlow.js' LSTM/GRU default to hardSigmoid and GRU to resetAfter false; striate's are Keras 3's
const tfGate = { recurrentActivation: 'sigmoid' } as const;

test('rnn over each cell equals tfjs-layers\' rnn (sequences, states, goBackwards)', () => {
  const cases: [string, () => st.Layer, () => tfl.layers.Layer][] = [
    ['simpleRNNCell', () => L.rnn({ cell: L.simpleRNNCell({ units: 3 }), returnSequences: true }),
      () => tfl.layers.rnn({ cell: tfl.layers.simpleRNNCell({ units: 3 }), returnSequences: true })],
    ['lstmCell', () => L.rnn({ cell: L.lstmCell({ units: 4 }), returnState: true }),
      () => tfl.layers.rnn({ cell: tfl.layers.lstmCell({ units: 4, ...tfGate }), returnState: true })],
    ['gruCell goBackwards', () => L.rnn({ cell: L.gruCell({ units: 3, resetAfter: false }), goBackwards: true, returnSequences: true, returnState: true }),
      () => tfl.layers.rnn({ cell: tfl.layers.gruCell({ units: 3, ...tfGate }), goBackwards: true, returnSequences: true, returnState: true })],
    ['lstmCell relu, no bias', () => L.rnn({ cell: L.lstmCell({ units: 2, activation: 'relu', useBias: false }) }),
      () => tfl.layers.rnn({ cell: tfl.layers.lstmCell({ units: 2, activation: 'relu', useBias: false, ...tfGate }) })],
    ['stacked [lstm 3, gru 2, simple 4] with states', () => L.rnn({
      cell: [L.lstmCell({ units: 3 }), L.gruCell({ units: 2, resetAfter: false }), L.simpleRNNCell({ units: 4 })],
      returnSequences: true, returnState: true,
    }), () => tfl.layers.rnn({
      cell: [tfl.layers.lstmCell({ units: 3, ...tfGate }), tfl.layers.gruCell({ units: 2, ...tfGate }), tfl.layers.simpleRNNCell({ units: 4 })],
      returnSequences: true, returnState: true,
    })],
    ['stackedRNNCells', () => L.rnn({ cell: L.stackedRNNCells({ cells: [L.simpleRNNCell({ units: 2 }), L.lstmCell({ units: 3 })] }), returnState: true }),
      () => tfl.layers.rnn({ cell: tfl.layers.stackedRNNCells({ cells: [tfl.layers.simpleRNNCell({ units: 2 }), tfl.layers.lstmCell({ units: 3, ...tfGate })] }), returnState: true })],
  ];
  for (const [what, ours, theirs] of cases) {
    compareWithTfjs(ours(), theirs(), what, { shapes: [[2, 5, 3]], scrambleWeights: true, tol: 2e-5 });
  }
});

test('SimpleRNN, LSTM and GRU layers equal rnn over their cell, weight for weight', () => {
  const x = st.tensor(sample([2, 4, 3], 5), [2, 4, 3]);
  const pairs: [st.Layer, st.Layer][] = [
    [L.lstm({ units: 3, returnSequences: true }), L.rnn({ cell: L.lstmCell({ units: 3 }), returnSequences: true })],
    [L.gru({ units: 3 }), L.rnn({ cell: L.gruCell({ units: 3 }) })],
    [L.simpleRNN({ units: 2, activation: 'relu' }), L.rnn({ cell: L.simpleRNNCell({ units: 2, activation: 'relu' }) })],
  ];
  for (const [layer, generic] of pairs) {
    const a = layer.apply(x) as st.Tensor;
    generic.apply(x);
    assert.deepEqual(generic.weights.map((w) => w.shape), layer.weights.map((w) => w.shape));
    assert.deepEqual(generic.weights.map((w) => w.name.split('/').slice(1).join('/')), ['kernel', 'recurrent_kernel', 'bias']);
    assert.ok(generic.weights[0].name.startsWith(`${generic.name}/`), 'a cell\'s weights are named under its RNN, as TensorFlow.js names them');
    generic.setWeights(layer.getWeights());
    assert.ok(worstDifference((generic.apply(x) as st.Tensor).dataSync(), a.dataSync()) < 1e-6, layer.className);
  }
});

test('a cell called on its own steps once: [x, ...states] -> [output, ...states], as tfjs-layers\' cell.call', () => {
  const ours = L.lstmCell({ units: 3 });
  const theirs = tfl.layers.lstmCell({ units: 3, ...tfGate });
  theirs.build([2, 4]);
  theirs.setWeights(theirs.getWeights().map((w, i) => tf.tensor(sample(w.shape, 40 + i, 0.5), w.shape)));
  const [x, h, c] = [[2, 4], [2, 3], [2, 3]].map((s, i) => sample(s, 60 + i));
  const expected = theirs.call([tf.tensor(x, [2, 4]), tf.tensor(h, [2, 3]), tf.tensor(c, [2, 3])], {}) as tf.Tensor[];
  const out = ours.apply([st.tensor(x, [2, 4]), st.tensor(h, [2, 3]), st.tensor(c, [2, 3])]) as unknown as st.Tensor[];
  ours.setWeights(theirs.getWeights().map((w) => st.tensor(w.dataSync() as Float32Array, w.shape)));
  const again = ours.apply([st.tensor(x, [2, 4]), st.tensor(h, [2, 3]), st.tensor(c, [2, 3])]) as unknown as st.Tensor[];
  assert.equal(out.length, 3);
  assert.deepEqual(ours.stateSize, [3, 3]);
  again.forEach((t, i) => assert.ok(worstDifference(t.dataSync(), expected[i].dataSync() as Float32Array) < 1e-5, `output ${i}`));
  assertThrowsMessage(() => ours.apply([st.zeros([2, 4]), st.zeros([2, 3])]), 'LSTMCell', '[input, ...2 state(s)]', 'got 2');
});

test('a custom RNNCell subclass runs in layers.rnn: a running sum', () => {
  // subclassed from st.layers.RNNCell, where tfjs-layers puts it
  class RunningSum extends st.layers.RNNCell {
    readonly className = 'RunningSum';
    get stateSize(): number {
      return 2;
    }
    call(inputs: st.Tensor | st.Tensor[]): st.Tensor[] {
      const [x, s] = inputs as st.Tensor[];
      const next = st.add(s, x);
      return [next, next];
    }
  }
  const layer = L.rnn({ cell: new RunningSum({}), returnSequences: true, returnState: true });
  const x = st.tensor([[[1, 2], [3, 4], [5, 6]]]);
  const [seq, state] = layer.apply(x) as unknown as st.Tensor[];
  assert.deepEqual(seq.arraySync(), [[[1, 2], [4, 6], [9, 12]]]);
  assert.deepEqual(state.arraySync(), [[9, 12]]);
  assert.ok(layer instanceof st.layers.RNN);
  assert.deepEqual((layer.apply(st.input({ shape: [7, 2] })) as unknown as st.SymbolicTensor[]).map((s) => s.shape), [[null, 7, 2], [null, 2]]);
});

test('Masking before an LSTM: padded steps change nothing, and the outputs equal tfjs-layers\'', () => {
  const steps = 6;
  const real = sample([2, 4, 3], 21);
  // post-padded with the mask value 0 (two steps of zeros)
  const padded = new Float32Array(2 * steps * 3);
  for (let b = 0; b < 2; b++) padded.set(real.subarray(b * 12, b * 12 + 12), b * steps * 3);
  const ours = st.sequential({ layers: [L.masking({ maskValue: 0, inputShape: [steps, 3] }), L.lstm({ units: 4 })] });
  const theirs = tfl.sequential({ layers: [tfl.layers.masking({ maskValue: 0, inputShape: [steps, 3] }), tfl.layers.lstm({ units: 4, ...tfGate })] });
  theirs.setWeights(theirs.getWeights().map((w, i) => tf.tensor(sample(w.shape, 80 + i, 0.5), w.shape)));
  ours.setWeights(theirs.getWeights().map((w) => st.tensor(w.dataSync() as Float32Array, w.shape)));
  const withMask = (ours.predict(st.tensor(padded, [2, steps, 3])) as st.Tensor).dataSync();
  const tfOut = (theirs.predict(tf.tensor(padded, [2, steps, 3])) as tf.Tensor).dataSync() as Float32Array;
  assert.ok(worstDifference(withMask, tfOut) < 1e-5, 'masked LSTM equals tfjs');
  const lstm = ours.layers[ours.layers.length - 1];
  const unpadded = (lstm.apply(st.tensor(real, [2, 4, 3])) as st.Tensor).dataSync();
  assert.ok(worstDifference(withMask, unpadded) < 1e-6, 'the padded, masked sequence ends as the unpadded one');
  const unmasked = (lstm.apply(st.tensor(padded, [2, steps, 3])) as st.Tensor).dataSync();
  assert.ok(worstDifference(unmasked, unpadded) > 1e-3, 'without the mask the padding does move the output');
});

test('stateful rnn: the next batch starts from the last states; resetStates clears them', () => {
  const layer = L.rnn({ cell: L.simpleRNNCell({ units: 2 }), stateful: true, batchInputShape: [1, 2, 1] });
  const whole = L.rnn({ cell: L.simpleRNNCell({ units: 2 }) });
  const x = st.tensor([[[0.5], [-1], [2], [0.25]]]);
  whole.apply(x);
  layer.apply(st.zeros([1, 2, 1]));
  layer.setWeights(whole.getWeights());
  layer.resetStates();
  layer.apply(st.slice(x, [0, 0, 0], [1, 2, 1]));
  const second = layer.apply(st.slice(x, [0, 2, 0], [1, 2, 1])) as st.Tensor;
  assert.ok(worstDifference(second.dataSync(), (whole.apply(x) as st.Tensor).dataSync()) < 1e-6, 'two halves = the whole sequence');
  layer.resetStates();
  const fresh = layer.apply(st.slice(x, [0, 2, 0], [1, 2, 1])) as st.Tensor;
  const alone = whole.apply(st.slice(x, [0, 2, 0], [1, 2, 1])) as st.Tensor;
  assert.ok(worstDifference(fresh.dataSync(), alone.dataSync()) < 1e-6, 'after resetStates it starts from zeros');
  assertThrowsMessage(() => L.rnn({ cell: L.simpleRNNCell({ units: 2 }), stateful: true }).apply(st.input({ shape: [2, 1] })),
    'stateful RNN needs a fixed batch size');
});

test('errors: a non-cell, a wrong feature count, bad options', () => {
  assertThrowsMessage(() => L.rnn({ cell: L.dense({ units: 2 }) as never }), 'cell must be an RNN cell', 'Dense');
  assertThrowsMessage(() => L.stackedRNNCells({ cells: [] }), 'cells must be a non-empty array');
  const r = L.rnn({ cell: L.gruCell({ units: 2 }), name: 'my_rnn' });
  r.apply(st.zeros([1, 3, 4]));
  assertThrowsMessage(() => r.apply(st.zeros([1, 3, 5])), 'RNN "my_rnn"', '[batch, timesteps, 4]', '[1, 3, 5]');
  assertThrowsMessage(() => r.apply(st.input({ shape: [4] })), 'RNN "my_rnn"', '[batch, timesteps, features]', '[None, 4]');
  assertThrowsMessage(() => L.lstmCell({ units: -1 }), 'units must be a positive integer');
  assertThrowsMessage(() => L.lstm({ units: 0, name: 'named' }), 'LSTM "named"', 'units must be a positive integer');
  assertThrowsMessage(() => L.lstmCell({ unit: 3 } as never), 'unknown option "unit" for layers.lstmCell', 'did you mean "units"');
  assertThrowsMessage(() => L.rnn({ cel: L.lstmCell({ units: 2 }) } as never), 'unknown option "cel" for layers.rnn');
  const rs = L.rnn({ cell: L.lstmCell({ units: 2 }) });
  assertThrowsMessage(() => rs.apply(st.zeros([2, 3, 1]), { initialState: [st.zeros([2, 2])] } as CallArgs),
    'initialState as 2 tensor(s) [2, 2], [2, 2]');
});

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'striate-rnncells-'));

test('save/load: an rnn of stacked cells round-trips in striate and both ways with TensorFlow.js', async () => {
  const make = () => st.sequential({ layers: [
    L.rnn({ cell: [L.lstmCell({ units: 3 }), L.gruCell({ units: 2, resetAfter: false })], returnSequences: true, inputShape: [4, 3] }),
    L.rnn({ cell: L.simpleRNNCell({ units: 2 }), goBackwards: true }),
  ] });
  const m = make();
  m.setWeights(m.weights.map((v, i) => st.tensor(sample([...v.shape], 100 + i, 0.5), [...v.shape])));
  const x = sample([2, 4, 3], 9);
  const expected = (m.predict(st.tensor(x, [2, 4, 3])) as st.Tensor).dataSync();
  const dir = tmp();
  try {
    await m.save(`file://${dir}`);
    const back = await st.loadLayersModel(`file://${path.join(dir, 'model.json')}`);
    assert.deepEqual(back.weights.map((w) => w.name), m.weights.map((w) => w.name));
    assert.ok(worstDifference((back.predict(st.tensor(x, [2, 4, 3])) as st.Tensor).dataSync(), expected) < 1e-6, 'striate -> striate');
    const theirs = await tfLoad(dir);
    const t = (theirs.predict(tf.tensor(x, [2, 4, 3])) as tf.Tensor).dataSync() as Float32Array;
    assert.ok(worstDifference(t, expected) < 1e-5, 'striate -> tfjs');
    // and back: TensorFlow.js writes the file, striate reads it
    const dir2 = tmp();
    try {
      await tfSave(theirs, dir2);
      const again = await st.loadLayersModel(`file://${path.join(dir2, 'model.json')}`);
      assert.ok(worstDifference((again.predict(st.tensor(x, [2, 4, 3])) as st.Tensor).dataSync(), expected) < 1e-5, 'tfjs -> striate');
    } finally {
      fs.rmSync(dir2, { recursive: true, force: true });
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('bidirectional over an rnn with a cell: the backward copy has a cell of its own', () => {
  const bi = L.bidirectional({ layer: L.rnn({ cell: L.lstmCell({ units: 2 }) }) });
  const out = bi.apply(st.tensor(sample([1, 3, 2], 3), [1, 3, 2])) as st.Tensor;
  assert.deepEqual(out.shape, [1, 4]);
  assert.equal(bi.weights.length, 6);
  assert.equal(new Set(bi.weights).size, 6, 'forward and backward weights are distinct');
});

test('rnn with an lstmCell learns the sign of a sequence\'s sum (accuracy > 90%)', async () => {
  const n = 256;
  const steps = 6;
  const x = st.randomNormal([n, steps, 1], 0, 1, 'float32', 12);
  const sums = Array.from({ length: n }, (_, i) => Array.from(x.dataSync().slice(i * steps, (i + 1) * steps)).reduce((a, b) => a + b, 0));
  const y = st.tensor(sums.map((s) => [s > 0 ? 1 : 0]), [n, 1]);
  const model = st.sequential({ layers: [
    L.rnn({ cell: L.lstmCell({ units: 8, kernelInitializer: st.initializers.glorotUniform({ seed: 1 }), recurrentInitializer: st.initializers.orthogonal({ seed: 2 }) }), inputShape: [steps, 1] }),
    L.dense({ units: 1, activation: 'sigmoid', kernelInitializer: st.initializers.glorotUniform({ seed: 3 }) }),
  ] });
  model.compile({ optimizer: st.train.adam(0.03), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  const before = (model.evaluate(x, y) as st.Tensor[])[1].dataSync()[0];
  await model.fit(x, y, { epochs: 25, batchSize: 32, verbose: 0 });
  const after = (model.evaluate(x, y) as st.Tensor[])[1].dataSync()[0];
  assert.ok(after > 0.9, `accuracy ${before} -> ${after}`);
});



