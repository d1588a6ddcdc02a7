/** CNNs on real digits (the bundled MNIST sample): a residual block with batch norm learns; dropout is off in predict. */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as st from '../../src/index.js';
import { setProgressOutput } from '../../src/train/index.js';

setProgressOutput({ write: () => {}, isTTY: () => false, warn: () => {} });

const digits = st.loadBundledDigits({ seed: 3 });
const slice = (from: number, n: number) => ({
  xs: digits.xs.slice([from, 0, 0, 0], [n, 28, 28, 1]),
  ys: st.oneHot(digits.labels.slice([from], [n]), 10),
});

test('a CNN with batch norm and a residual block learns to read digits', async () => {
  const inp = st.input({ shape: [28, 28, 1] });
  let x = st.layers.conv2d({ filters: 8, kernelSize: 3, strides: 2, padding: 'same', kernelInitializer: st.initializers.heNormal({ seed: 1 }) }).apply(inp) as st.SymbolicTensor;
  x = st.layers.batchNormalization().apply(x) as st.SymbolicTensor;
  x = st.layers.activation({ activation: 'relu' }).apply(x) as st.SymbolicTensor;
  let branch = st.layers.conv2d({ filters: 8, kernelSize: 3, padding: 'same', kernelInitializer: st.initializers.heNormal({ seed: 2 }) }).apply(x) as st.SymbolicTensor;
  branch = st.layers.batchNormalization().apply(branch) as st.SymbolicTensor;
  branch = st.layers.activation({ activation: 'relu' }).apply(branch) as st.SymbolicTensor;
  branch = st.layers.conv2d({ filters: 8, kernelSize: 3, padding: 'same', kernelInitializer: st.initializers.heNormal({ seed: 3 }) }).apply(branch) as st.SymbolicTensor;
  branch = st.layers.batchNormalization().apply(branch) as st.SymbolicTensor;
  let y = st.layers.add().apply([x, branch]) as st.SymbolicTensor;          // the residual connection
  y = st.layers.activation({ activation: 'relu' }).apply(y) as st.SymbolicTensor;
  y = st.layers.maxPooling2d({ poolSize: 2 }).apply(y) as st.SymbolicTensor;
  y = st.layers.flatten().apply(y) as st.SymbolicTensor;
  const out = st.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: st.initializers.glorotUniform({ seed: 4 }) }).apply(y) as st.SymbolicTensor;
  const net = st.model({ inputs: inp, outputs: out });
  net.compile({ optimizer: st.optimizers.adam({ learningRate: 0.01 }), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const train = slice(0, 2000);
  const held = slice(8000, 1000);
  await net.fit(train.xs, train.ys, { epochs: 3, batchSize: 50, seed: 1, verbose: 0 });
  const [, acc] = net.evaluate(held.xs, held.ys) as st.Tensor[];
  const accuracy = acc.dataSync()[0];
  console.log(`residual CNN with batch norm: held-out accuracy ${(accuracy * 100).toFixed(1)}% after 3 epochs on 2,000 digits`);
  assert.ok(accuracy > 0.85, `held-out accuracy ${accuracy}`);
});

test('dropout is active in fit and inactive in predict', () => {
  const net = st.sequential({ layers: [
    st.layers.flatten({ inputShape: [28, 28, 1] }),
    st.layers.dense({ units: 32, activation: 'relu' }),
    st.layers.dropout({ rate: 0.5, seed: 1 }),
    st.layers.dense({ units: 10, activation: 'softmax' }),
  ]});
  const { xs } = slice(0, 8);
  const a = net.predict(xs) as st.Tensor;
  const b = net.predict(xs) as st.Tensor;
  assert.deepEqual(Array.from(a.dataSync()), Array.from(b.dataSync()), 'predict is deterministic');
  const training = net.execute(xs, { training: true })[0];
  const inference = net.execute(xs, { training: false })[0];
  assert.deepEqual(Array.from(inference.dataSync()), Array.from(a.dataSync()));
  assert.notDeepEqual(Array.from(training.dataSync()), Array.from(a.dataSync()), 'training mode drops units');
});
