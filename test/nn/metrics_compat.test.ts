/**
 * The tf.metrics names TensorFlow.js has: meanAbsolutePercentageError (MAPE, mape), MSE, mse,
 * r2Score, cosineProximity, binaryCrossentropy, categoricalCrossentropy, each equal to
 * tfjs-layers' on the same inputs (per-sample values where it returns them) and usable by name
 * in compile({metrics}).
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as st from '../../src/index.js';
import { setProgressOutput } from '../../src/train/index.js';
import { ready, tf, tfl } from '../io/tfjs_interop.js';
import { assertThrowsMessage } from '../helpers.js';
import { sample, worstDifference } from './tfjs_layer_compare.js';

setProgressOutput({ write: () => {}, isTTY: () => false, warn: () => {} });
before(ready);

type Pair = [Float32Array, Float32Array];
const regression = (): Pair => [sample([4, 3], 1, 2), sample([4, 3], 2, 2)];
/** probabilities in (0, 1) and 0/1 targets */
const binary = (): Pair => [Float32Array.from(sample([4, 3], 3), (v) => (v > 0 ? 1 : 0)), Float32Array.from(sample([4, 3], 4), (v) => 0.5 + 0.45 * v)];
/** one-hot targets and rows of positive scores (not normalised: both renormalise) */
const categorical = (): Pair => [
  Float32Array.from({ length: 12 }, (_, i) => (i % 3 === Math.floor(i / 3) % 3 ? 1 : 0)),
  Float32Array.from(sample([4, 3], 5), (v) => 0.1 + Math.abs(v)),
];

const names = ['meanAbsolutePercentageError', 'MAPE', 'mape', 'MSE', 'mse', 'r2Score', 'cosineProximity',
  'binaryCrossentropy', 'categoricalCrossentropy'] as const;

test('each metric equals tfjs-layers\' tf.metrics function (values and shape)', () => {
  const data: Record<(typeof names)[number], () => Pair> = {
    meanAbsolutePercentageError: regression, MAPE: regression, mape: regression, MSE: regression, mse: regression,
    r2Score: regression, cosineProximity: regression, binaryCrossentropy: binary, categoricalCrossentropy: categorical,
  };
  for (const name of names) {
    const [t, p] = data[name]();
    const theirs = (tfl.metrics[name] as (a: tf.Tensor, b: tf.Tensor) => tf.Tensor)(tf.tensor(t, [4, 3]), tf.tensor(p, [4, 3]));
    const ours = (st.metrics[name] as (a: st.Tensor, b: st.Tensor) => st.Tensor)(st.tensor(t, [4, 3]), st.tensor(p, [4, 3]));
    assert.deepEqual(ours.shape, theirs.shape, `${name}: shape`);
    const d = worstDifference(ours.dataSync(), theirs.dataSync() as Float32Array);
    assert.ok(d < 1e-4 * Math.max(1, Math.abs(theirs.dataSync()[0])), `${name}: differs from tfjs by ${d}`);
  }
  // a zero target: the percentage error is large but finite
  const z = st.metrics.mape(st.tensor([[0, 1]]), st.tensor([[0.5, 1]])).dataSync()[0];
  assert.ok(Number.isFinite(z) && z > 1e6, `mape with a zero target: ${z}`);
});

test('metrics by name in compile: history carries each, and evaluate agrees with the functions', async () => {
  const x = st.tensor(sample([16, 3], 7), [16, 3]);
  const y = st.tensor(sample([16, 2], 8), [16, 2]);
  const model = st.sequential({ layers: [st.layers.dense({ units: 2, inputShape: [3], kernelInitializer: st.initializers.glorotUniform({ seed: 1 }) })] });
  const metrics = ['mape', 'MAPE', 'meanAbsolutePercentageError', 'MSE', 'r2Score', 'cosineProximity'];
  model.compile({ optimizer: 'sgd', loss: 'meanSquaredError', metrics });
  const history = await model.fit(x, y, { epochs: 1, batchSize: 16, verbose: 0 });
  for (const m of metrics) assert.ok(Number.isFinite(history.history[m]?.[0] as number), `history has ${m}`);
  const evaluated = (model.evaluate(x, y) as st.Tensor[]).map((t) => t.dataSync()[0]);
  const pred = model.predict(x) as st.Tensor;
  const mape = st.mean(st.metrics.mape(y, pred)).dataSync()[0];
  assert.ok(Math.abs(evaluated[1] - mape) < 1e-3 * mape, `evaluate mape ${evaluated[1]} vs ${mape}`);
  assert.ok(Math.abs(evaluated[5] - st.metrics.r2Score(y, pred).dataSync()[0]) < 1e-5, 'evaluate r2Score');

  const clf = st.sequential({ layers: [st.layers.dense({ units: 3, activation: 'softmax', inputShape: [3] })] });
  clf.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['categoricalCrossentropy', 'binaryCrossentropy'] });
  const labels = st.tensor(categorical()[0].subarray(0, 12), [4, 3]);
  const res = clf.evaluate(st.tensor(sample([4, 3], 9), [4, 3]), labels) as st.Tensor[];
  assert.ok(Math.abs(res[0].dataSync()[0] - res[1].dataSync()[0]) < 1e-5, 'the categoricalCrossentropy metric equals the loss');
});

test('metric errors name the metric and the shapes', () => {
  assertThrowsMessage(() => st.metrics.r2Score(st.zeros([2, 3]), st.zeros([2, 2])), 'r2Score', '[2,3]', '[2,2]');
  assertThrowsMessage(() => st.metrics.cosineProximity(st.scalar(1), st.scalar(1)), 'cosineProximity', 'rank >= 1');
  const model = st.sequential({ layers: [st.layers.dense({ units: 1, inputShape: [1] })] });
  assertThrowsMessage(() => model.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['mapee'] }), 'unknown metric "mapee"');
});
