/** The README's custom training loops: optimizer.minimize, and backward() + optimizer.step. */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as st from '../../src/index.js';

function setup() {
  const model = st.sequential({ layers: [
    st.layers.dense({ units: 8, activation: 'tanh', inputShape: [2], kernelInitializer: st.initializers.glorotUniform({ seed: 1 }) }),
    st.layers.dense({ units: 2, activation: 'softmax', kernelInitializer: st.initializers.glorotUniform({ seed: 2 }) }),
  ]});
  const xs = st.tensor([[0, 0], [0, 1], [1, 0], [1, 1]]);
  const ys = st.tensor([[1, 0], [0, 1], [0, 1], [1, 0]]);
  const lossFn = () => st.losses.categoricalCrossentropy(ys, model.execute(xs, { training: true })[0]);
  return { model, xs, ys, lossFn };
}

test('custom loop with optimizer.minimize learns XOR', () => {
  const { model, xs, lossFn } = setup();
  const opt = st.optimizers.adam({ learningRate: 0.05 });
  const first = lossFn().dataSync()[0];
  for (let i = 0; i < 300; i++) opt.minimize(lossFn);
  const last = lossFn().dataSync()[0];
  assert.ok(last < first / 10, `loss ${first} -> ${last}`);
  assert.deepEqual(Array.from((model.predict(xs) as st.Tensor).argMax(1).dataSync()), [0, 1, 1, 0]);
});

test("custom loop in PyTorch's style: loss.backward() then optimizer.step", () => {
  const { model, xs, lossFn } = setup();
  const opt = st.optimizers.adam({ learningRate: 0.05 });
  for (let i = 0; i < 300; i++) {
    for (const w of model.trainableWeights) w.grad = null;
    const loss = lossFn();
    loss.backward();
    opt.step(model.trainableWeights);
  }
  assert.deepEqual(Array.from((model.predict(xs) as st.Tensor).argMax(1).dataSync()), [0, 1, 1, 0]);
});
