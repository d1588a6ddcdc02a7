/**
 * The week-8 seed's digit CNN (with a 10-way head) learns real MNIST digits, the bundled
 * sample of the `mnist` package: 8,000 to train, 2,000 held out, six epochs (fast on the wasm backend).
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as st from '../../src/index.js';
import { setProgressOutput } from '../../src/train/index.js';

test('the digit CNN reaches at least 97% on held-out digits', async () => {
  const lines: string[] = [];
  setProgressOutput({ write: (s: string) => lines.push(s), isTTY: () => false, warn: () => {} });
  const digits = st.loadBundledDigits({ seed: 7 });
  const xs = digits.xs.slice([0, 0, 0, 0], [8000, 28, 28, 1]);
  const ys = st.oneHot(digits.labels.slice([0], [8000]), 10);
  const testXs = digits.xs.slice([8000, 0, 0, 0], [2000, 28, 28, 1]);
  const testYs = st.oneHot(digits.labels.slice([8000], [2000]), 10);
  // the seed's layers, checked one by one against the seed in test/models/digit_cnn.test.ts
  const model = st.models.digitCnn({ classes: 10 });
  model.compile({ optimizer: st.optimizers.adam({ learningRate: 0.003 }), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  await model.fit(xs, ys, { epochs: 6, batchSize: 64, seed: 1, verbose: 1 });
  const [loss, acc] = model.evaluate(testXs, testYs) as st.Tensor[];
  const accuracy = acc.dataSync()[0];
  console.log(lines.join('').trim());
  console.log(`digit CNN: held-out accuracy ${(accuracy * 100).toFixed(2)}%, loss ${loss.dataSync()[0].toFixed(4)}`);
  assert.ok(accuracy >= 0.97, `held-out accuracy ${accuracy}`);
});
