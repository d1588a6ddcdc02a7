// Two TensorFlow.js habits the gallery's reinforcement-learning programs rely on: gradients flow
// through model.predict inside tf.variableGrads (the cart-pole policy), and model.getWeights()
// hands out the model's own variables, so it can be a varList (snake DQN) while
// setWeights(getWeights()) still copies values (its target network).
import test from 'node:test';
import assert from 'node:assert/strict';
import * as st from '../../src/index.js';
import { assertClose } from '../helpers.js';

// the umbrella package, as programs import it (tensor2d and chained methods alongside the layers)
const tfjs: any = await import('@tensorflow/tfjs');
await tfjs.setBackend('cpu');

const kernel = [[0.5, -0.3], [0.2, 0.8], [-0.6, 0.1]];
const input = [[1, 2, -1], [0.5, -1, 3], [2, 0, 1]];

function denseModel(lib: any): any {
  const model = lib.sequential({ layers: [lib.layers.dense({ units: 2, inputShape: [3], activation: 'tanh' })] });
  model.setWeights([lib.tensor2d(kernel), lib.tensor1d([0.1, -0.2])]);
  return model;
}

test('variableGrads differentiates through model.predict, in batches too, as TensorFlow.js does', async () => {
  const theirs = denseModel(tfjs);
  const ours = denseModel(st);
  for (const batchSize of [32, 2]) {
    const expected = tfjs.variableGrads(() => theirs.predict(tfjs.tensor2d(input), { batchSize }).square().sum());
    const got = st.variableGrads(() => (ours.predict(st.tensor2d(input), { batchSize }) as st.Tensor).square().sum());
    assertClose(got.value, Array.from(expected.value.dataSync()), 1e-5);
    // the layers are named differently in the two libraries: match kernel with kernel, bias with bias
    const byRole = (grads: Record<string, any>) =>
      Object.fromEntries(Object.entries(grads).map(([name, g]) => [name.split('/').pop(), g]));
    const theirGrads = byRole(expected.grads);
    const ourGrads = byRole(got.grads);
    assert.deepEqual(Object.keys(ourGrads).sort(), ['bias', 'kernel']);
    for (const role of ['kernel', 'bias']) assertClose(ourGrads[role], Array.from(theirGrads[role].dataSync() as Float32Array), 1e-5);
  }
  // outside a gradient function predict records nothing
  assert.equal((ours.predict(st.tensor2d(input)) as st.Tensor).node, null);
});

test('getWeights hands out the variables: a varList for variableGrads; setWeights copies the values', async () => {
  const online = denseModel(st);
  const target = denseModel(st);
  const weights = online.getWeights();
  weights.forEach((w: st.Tensor, i: number) => assert.equal(w, online.weights[i]));
  const { grads } = st.variableGrads(() => (online.apply(st.tensor2d(input)) as st.Tensor).sum(), weights);
  assert.deepEqual(Object.keys(grads), weights.map((w: st.Variable) => w.name));
  // the same call on TensorFlow.js
  const theirs = denseModel(tfjs);
  const theirGrads = tfjs.variableGrads(() => theirs.apply(tfjs.tensor2d(input)).sum(), theirs.getWeights());
  Object.values(theirGrads.grads).forEach((g: any, i) => assertClose(Object.values(grads)[i], Array.from(g.dataSync()), 1e-5));

  // a target network copies the online one; training the online one afterwards leaves it alone
  target.setWeights(online.getWeights());
  const copied = target.getWeights().map((w: st.Tensor) => Array.from(w.dataSync()));
  st.train.sgd(0.5).applyGradients(grads);
  assert.deepEqual(target.getWeights().map((w: st.Tensor) => Array.from(w.dataSync())), copied);
  assert.notDeepEqual(online.getWeights().map((w: st.Tensor) => Array.from(w.dataSync())), copied);
});

test('earlyStopping restoreBestWeights keeps copies, not the live variables', async () => {
  const model = denseModel(st);
  // a learning rate far too large: the loss jumps about, so the best epoch is not the last
  model.compile({ optimizer: st.train.sgd(4), loss: 'meanSquaredError' });
  const xs = st.tensor2d(input);
  const ys = st.tensor2d([[0.9, -0.9], [-0.9, 0.9], [0.9, 0.9]]);
  const afterEpoch: number[][] = [];
  const recorder = { onEpochEnd: () => { afterEpoch.push(model.getWeights().flatMap((w: st.Tensor) => Array.from(w.dataSync()))); } };
  const stopper = st.callbacks.earlyStopping({ monitor: 'loss', patience: 8, restoreBestWeights: true });
  const history = await model.fit(xs, ys, { epochs: 4, batchSize: 3, shuffle: false, verbose: 0, callbacks: [recorder, stopper] });
  const losses = history.history.loss as number[];
  const bestEpoch = losses.indexOf(Math.min(...losses));
  assert.notDeepEqual(afterEpoch[bestEpoch], afterEpoch[afterEpoch.length - 1], `losses ${losses}: the best epoch is the last`);
  assert.deepEqual(model.getWeights().flatMap((w: st.Tensor) => Array.from(w.dataSync())), afterEpoch[bestEpoch]);
});
