/**
 * TensorFlow.js' Optimizer API: the classes with positional constructors, st.train.* making
 * them, getClassName/getConfig as TensorFlow.js reports them, minimize/computeGradients/
 * applyGradients (named lists too), iterations, async getWeights/setWeights, dispose; and
 * one SGD step equal to TensorFlow.js' (where the update rules agree).
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as st from '../../src/index.js';
import { ready, tf } from '../io/tfjs_interop.js';
import { assertThrowsMessage } from '../helpers.js';

test('st.train.* gives TensorFlow.js classes, names and configs', async () => {
  await ready();
  const pairs: [st.Optimizer, tf.Optimizer][] = [
    [st.train.sgd(0.1), tf.train.sgd(0.1)],
    [st.train.momentum(0.1, 0.9), tf.train.momentum(0.1, 0.9)],
    [st.train.rmsprop(0.1), tf.train.rmsprop(0.1)],
    [st.train.adagrad(0.1), tf.train.adagrad(0.1)],
    [st.train.adadelta(), tf.train.adadelta()],
    [st.train.adam(0.01), tf.train.adam(0.01)],
    [st.train.adamax(), tf.train.adamax()],
  ];
  for (const [ours, theirs] of pairs) {
    assert.equal(ours.getClassName(), theirs.getClassName());
    const a = ours.getConfig();
    const b = theirs.getConfig() as Record<string, unknown>;
    for (const key of Object.keys(b)) assert.equal(a[key], b[key], `${theirs.getClassName()}.${key}`);
    assert.equal(ours.constructor.name, theirs.constructor.name);
  }
  assert.ok(st.train.adam() instanceof st.AdamOptimizer);
  assert.ok(st.train.adam() instanceof st.Optimizer);
  assert.ok(new st.RMSPropOptimizer(0.1) instanceof st.RMSPropOptimizer);
  assert.equal(st.serialization.getRegisteredName(st.AdamOptimizer as never), 'Custom>Adam');
  const rebuilt = st.AdamOptimizer.fromConfig(st.AdamOptimizer as never, { learningRate: 0.2, beta1: 0.8, beta2: 0.99, epsilon: 1e-6 }) as st.AdamOptimizer;
  assert.equal(rebuilt.currentLearningRate(), 0.2);
  assert.equal(rebuilt.beta1, 0.8);
});

test('minimize, computeGradients and applyGradients step as TensorFlow.js does (SGD)', async () => {
  await ready();
  const v = st.variable(st.tensor([1, -2, 3]), true, 'opt_api_v');
  const w = tf.variable(tf.tensor([1, -2, 3]), true, 'opt_api_w');
  const ours = st.train.sgd(0.1);
  const theirs = tf.train.sgd(0.1);
  const cost = ours.minimize(() => st.sum(st.square(v)), true)!;
  theirs.minimize(() => tf.sum(tf.square(w)));
  assert.equal(cost.dataSync()[0], 14);
  assert.deepEqual(Array.from(v.dataSync()).map((x) => Math.round(x * 1e6) / 1e6), Array.from(w.dataSync()).map((x) => Math.round(x * 1e6) / 1e6));
  assert.equal(ours.iterations, 1);
  assert.equal(ours.minimize(() => st.sum(v)), null);

  const { value, grads } = ours.computeGradients(() => st.sum(st.mul(v, 2)));
  assert.equal(value.rank, 0);
  assert.deepEqual(Object.keys(grads), ['opt_api_v']);
  assert.deepEqual(Array.from(grads.opt_api_v.dataSync()), [2, 2, 2]);
  const before = Array.from(v.dataSync());
  ours.applyGradients([{ name: 'opt_api_v', tensor: st.tensor([1, 1, 1]) }]);
  Array.from(v.dataSync()).forEach((x, i) => assert.ok(Math.abs(x - (before[i] - 0.1)) < 1e-6));
  assert.equal(ours.iterations, 3);
  assertThrowsMessage(() => ours.applyGradients([{ name: 'no_such_variable_anywhere', tensor: st.tensor([1]) }]),
    'no variable named "no_such_variable_anywhere"');
  assertThrowsMessage(() => ours.computeGradients(5 as never), 'computeGradients: expected a function');
});

test('getWeights/setWeights carry an optimizer\'s state; dispose frees it', async () => {
  const v = st.variable(st.tensor([0.5, -1]), true, 'opt_api_state');
  const a = st.train.adam(0.1);
  for (let i = 0; i < 3; i++) a.minimize(() => st.sum(st.square(v)));
  const weights = await a.getWeights();
  assert.equal(weights[0].name, 'iter');
  assert.equal(weights[0].tensor.dataSync()[0], 3);
  assert.deepEqual(weights.slice(1).map((w) => w.name), ['opt_api_state/slot0', 'opt_api_state/slot1']);

  const b = st.train.adam(0.1);
  await b.setWeights(weights);
  assert.equal(b.iterations, 3);
  const u = st.variable(v.clone(), true, 'opt_api_state_copy');
  a.minimize(() => st.sum(st.square(v)));
  // b holds state for opt_api_state; step the same variable from a copy of its value
  v.assign(u);
  b.minimize(() => st.sum(st.square(v)));
  assert.equal(b.iterations, 4);
  await assert.rejects(b.setWeights([{ name: 'bad-name', tensor: st.scalar(1) }]), /unexpected weight name "bad-name"/);
  b.dispose();
  assert.deepEqual((await b.getWeights()).map((w) => w.name), ['iter']);
});

test('TensorFlow.js-only arguments: Adamax decay shrinks the rate; momentum must be given', () => {
  const o = new st.AdamaxOptimizer(0.1, 0.9, 0.999, null, 0.5);
  assert.equal(o.currentLearningRate(), 0.1);
  o.iterations = 2;
  assert.ok(Math.abs(o.currentLearningRate() - 0.05) < 1e-12);
  assert.equal(o.getConfig().learningRate, 0.1);
  assertThrowsMessage(() => new st.MomentumOptimizer(0.1, undefined as never), 'MomentumOptimizer: momentum must be a number');
  assertThrowsMessage(() => new st.AdamaxOptimizer(0.1, 0.9, 0.999, null, -1), 'decay must be a number >= 0');
});
