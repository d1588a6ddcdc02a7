/**
 * The gradient front doors (variableGrads, optimizer.minimize, grads, valueAndGrads) dispose
 * what the forward and backward passes made as soon as they return, as TensorFlow.js does, so a
 * training loop written for TensorFlow.js sees tf.memory().numTensors stay flat without waiting
 * for the garbage collector. Checked against TensorFlow.js's own counts.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-layers'; // registers tfjs-core's gradients
import * as st from '../../src/index.js';

type Lib = typeof st | typeof tf;

/** Tensors alive after `steps` minimize() calls with a returned, disposed cost, minus before. */
function minimizeGrowth(lib: Lib, steps: number): number {
  const t = lib as typeof st;
  const w = t.variable(t.tensor2d([[0.5], [-0.5], [0.25]]));
  const b = t.variable(t.zeros([1]));
  const x = t.tensor2d([[1, 2, 3], [0, 1, 0], [2, 0, 1], [1, 1, 1]]);
  const y = t.tensor2d([[1], [0], [2], [1]]);
  const optimizer = t.train.adam(0.1);
  const before = t.memory().numTensors;
  for (let i = 0; i < steps; i++) {
    const cost = optimizer.minimize(() => t.tidy(() => t.mean(t.square(t.sub(t.add(t.matMul(x, w), b), y)))) as never, true, [w, b])!;
    cost.dispose();
  }
  return t.memory().numTensors - before;
}

test('optimizer.minimize leaves only the optimizer state behind, as on TensorFlow.js', async () => {
  await tf.setBackend('cpu');
  // Adam keeps two slots per variable: 4 tensors, however many steps run
  const theirs = minimizeGrowth(tf, 30);
  assert.equal(theirs, 4);
  assert.equal(minimizeGrowth(st, 30), theirs);
});

test('variableGrads returns the value and one gradient per variable and nothing else alive', () => {
  const w = st.variable(st.tensor1d([1, 2, 3]));
  const before = st.memory().numTensors;
  const { value, grads } = st.variableGrads(() => w.square().mul(2).sum());
  assert.equal(st.memory().numTensors - before, 2);
  assert.deepEqual(Array.from(grads[w.name].dataSync()), [4, 8, 12]);
  assert.equal(value.dataSync()[0], 28);
  // the value is a plain result: its tape is gone, and an enclosing tidy does not take it
  const kept = st.tidy(() => st.variableGrads(() => w.sum()));
  assert.equal(kept.value.isDisposed, false);
  assert.equal(kept.grads[w.name].isDisposed, false);
});

test('grads and valueAndGrads dispose their intermediates too', () => {
  const x = st.tensor1d([1, 2]);
  const y = st.tensor1d([3, 4]);
  const before = st.memory().numTensors;
  const [dx, dy] = st.grads((a: st.Tensor, b: st.Tensor) => a.mul(b).exp().sum())([x, y]);
  assert.equal(st.memory().numTensors - before, 2);
  assert.ok(Math.abs(dx.dataSync()[0] - 3 * Math.exp(3)) < 1e-3);
  assert.ok(Math.abs(dy.dataSync()[1] - 2 * Math.exp(8)) < 1e-2);
  const mid = st.memory().numTensors;
  const { value, grads } = st.valueAndGrads((a: st.Tensor) => a.square().sum())([x]);
  assert.equal(st.memory().numTensors - mid, 2);
  assert.equal(value.dataSync()[0], 5);
  assert.deepEqual(Array.from(grads[0].dataSync()), [2, 4]);
});

test('a tidy that does not return the gradients disposes them, as on TensorFlow.js', async () => {
  await tf.setBackend('cpu');
  const growth = (lib: Lib): Record<string, number> => {
    const t = lib as typeof st;
    const x = t.tensor2d([[1, 2], [3, 4]]);
    const dy = t.ones([2, 2]);
    const v = t.variable(t.tensor1d([1, -1]));
    const doors: Record<string, () => void> = {
      // functional forms: tfjs-core alone registers no chained ops
      grad: () => { t.grad((a: st.Tensor) => t.square(a))(x, dy); },
      grads: () => { t.grads((a: st.Tensor, b: st.Tensor) => t.sum(t.mul(a, b)))([x, x]); },
      valueAndGrad: () => { t.valueAndGrad((a: st.Tensor) => t.sum(t.square(a)))(x); },
      valueAndGrads: () => { t.valueAndGrads((a: st.Tensor) => t.sum(t.exp(a)))([x]); },
      variableGrads: () => { t.variableGrads(() => t.sum(t.square(v))); },
    };
    const out: Record<string, number> = {};
    for (const [name, door] of Object.entries(doors)) {
      const before = t.memory().numTensors;
      for (let i = 0; i < 4; i++) t.tidy(door);
      out[name] = t.memory().numTensors - before;
    }
    return out;
  };
  const theirs = growth(tf);
  assert.deepEqual(theirs, { grad: 0, grads: 0, valueAndGrad: 0, valueAndGrads: 0, variableGrads: 0 });
  assert.deepEqual(growth(st), theirs);
  // returned from the tidy, they live on, as there
  const x = st.tensor1d([1, 2]);
  const [g] = st.tidy(() => st.grads((a: st.Tensor) => a.square().sum())([x]));
  assert.deepEqual(Array.from(g.dataSync()), [2, 4]);
});

test('fit still reports metrics measured on the predictions of the step', async () => {
  const model = st.sequential({ layers: [st.layers.dense({ units: 1, inputShape: [1], activation: 'sigmoid' })] });
  model.compile({ optimizer: 'sgd', loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  const history = await model.fit(st.tensor2d([[-2], [-1], [1], [2]]), st.tensor2d([[0], [0], [1], [1]]), { epochs: 2, verbose: 0 });
  const accuracy = history.history.acc as number[];
  assert.equal(accuracy.length, 2);
  assert.ok(accuracy.every((a) => a >= 0 && a <= 1 && Number.isFinite(a)));
});
