/** Real learning, bounded: XOR, the 8-3-8 encoder, early stopping where validation turns, frozen layers. */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as st from '../../src/index.js';
import { Dense } from '../../src/nn/layers/dense.js';
import { sequential } from '../../src/nn/model.js';
import { callbacks } from '../../src/train/index.js';
import { assertClose, testValues } from '../helpers.js';

const init = (seed: number) => ({ className: 'GlorotUniform', config: { seed } });

test('XOR: a 2-2-1 network learns all four cases (week-8 seed)', async () => {
  const x = st.tensor([[0, 0], [0, 1], [1, 0], [1, 1]]);
  const y = st.tensor([[0], [1], [1], [0]]);
  const model = sequential({ layers: [
    new Dense({ units: 2, activation: 'tanh', inputShape: [2], kernelInitializer: init(XOR_SEED) }),
    new Dense({ units: 1, activation: 'sigmoid', kernelInitializer: init(XOR_SEED + 1) }),
  ] });
  model.compile({ optimizer: st.optimizers.adam({ learningRate: 0.1 }), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  const h = await model.fit(x, y, { epochs: 300, batchSize: 4, verbose: 0, seed: 1 });
  const p = Array.from((model.predict(x) as st.Tensor).dataSync());
  assert.deepEqual(p.map((v) => (v > 0.5 ? 1 : 0)), [0, 1, 1, 0], `predictions ${p.map((v) => v.toFixed(3))}`);
  assert.equal(h.history.acc[h.history.acc.length - 1], 1);
  assert.ok(h.history.loss[299] < 0.1, `final loss ${h.history.loss[299]}`);
});
const XOR_SEED = 3;

test('the 8-3-8 encoder reproduces its inputs through 3 hidden units (week-10 seed)', async () => {
  const eye = st.tensor(Array.from({ length: 64 }, (_, i) => (i % 9 === 0 ? 1 : 0)), [8, 8]);
  const hidden = new Dense({ units: 3, activation: 'sigmoid', inputShape: [8], kernelInitializer: init(ENC_SEED) });
  const model = sequential({ layers: [
    hidden,
    new Dense({ units: 8, activation: 'sigmoid', kernelInitializer: init(ENC_SEED + 1) }),
  ] });
  model.compile({ optimizer: st.optimizers.adam({ learningRate: 0.05 }), loss: 'binaryCrossentropy' });
  await model.fit(eye, eye, { epochs: ENC_EPOCHS, batchSize: 8, verbose: 0 });
  const classes = Array.from(model.predictClasses(eye).dataSync());
  // the hidden codes, as the seed prints them
  const codes = st.sigmoid(st.add(st.matMul(eye, hidden.kernel!), hidden.bias!)).arraySync() as number[][];
  console.log('input     hidden code        output');
  codes.forEach((c, i) => console.log(`${'0'.repeat(i)}1${'0'.repeat(7 - i)}  ${c.map((v) => v.toFixed(2)).join('  ')}   -> ${classes[i]}`));
  assert.deepEqual(classes, [0, 1, 2, 3, 4, 5, 6, 7]);
  const rounded = codes.map((c) => c.map((v) => (v > 0.5 ? 1 : 0)).join(''));
  assert.equal(new Set(rounded).size, 8, `codes should be distinct: ${rounded}`);
});
const ENC_SEED = 5;
const ENC_EPOCHS = 800;

/**
 * Crafted to overfit: x is the identity, so each output moves on its own from 0 straight to its
 * training target; the validation targets are half the training ones, so the validation loss
 * falls until the outputs are halfway, then rises.
 */
function overfitSetup() {
  const x = st.tensor(Array.from({ length: 64 }, (_, i) => (i % 9 === 0 ? 1 : 0)), [8, 8]);
  const yv = Array.from(testValues(8, 3), (v) => 2 * v);
  const y = st.tensor(yv, [8, 1]);
  const yVal = st.tensor(yv.map((v) => v / 2), [8, 1]);
  const model = sequential({ layers: [new Dense({ units: 1, inputShape: [8], useBias: false, kernelInitializer: 'zeros' })] });
  model.compile({ optimizer: st.optimizers.sgd({ learningRate: 0.4 }), loss: 'meanSquaredError' });
  return { x, y, yVal, model };
}

test('early stopping stops where the validation loss turns and restores the best weights', async () => {
  const { x, y, yVal, model } = overfitSetup();
  const es = callbacks.earlyStopping({ monitor: 'val_loss', patience: 3, restoreBestWeights: true });
  const h = await model.fit(x, y, { epochs: 40, batchSize: 8, validationData: [x, yVal], callbacks: [es], verbose: 0 });
  const val = h.history.val_loss;
  const best = Math.min(...val);
  const bestEpoch = val.indexOf(best);
  assert.ok(bestEpoch > 2 && bestEpoch < val.length - 1, `best epoch ${bestEpoch} of ${val.length}: ${val}`);
  assert.ok(val[bestEpoch + 1] > best, 'the validation loss turned');
  assert.ok(h.epoch.length < 40, `stopped early: ran ${h.epoch.length} epochs`);
  assert.equal(h.epoch.length, bestEpoch + 4, 'stopped patience (3) epochs after the best');
  assert.equal(es.bestEpoch, bestEpoch);
  assert.equal(es.stoppedEpoch, bestEpoch + 3);
  assert.ok(h.history.loss[h.epoch.length - 1] < h.history.loss[bestEpoch], 'training loss kept falling');
  const after = (model.evaluate(x, yVal) as st.Tensor).dataSync()[0];
  assertClose(after, best, 1e-6, 'val loss after restoring');

  // without restoring, the model keeps the last epoch's (worse) weights
  const second = overfitSetup();
  const h2 = await second.model.fit(second.x, second.y, {
    epochs: 40, batchSize: 8, validationData: [second.x, second.yVal], verbose: 0,
    callbacks: [callbacks.earlyStopping({ patience: 3 })],
  });
  const last = h2.history.val_loss[h2.epoch.length - 1];
  assert.ok(last > best);
  assertClose((second.model.evaluate(second.x, second.yVal) as st.Tensor).dataSync()[0], last, 1e-6, 'val loss, no restore');
});

test('a frozen layer\'s weights do not move in fit; the others do', async () => {
  const frozen = new Dense({ units: 4, activation: 'tanh', inputShape: [3], kernelInitializer: init(1), biasInitializer: 'ones' });
  const head = new Dense({ units: 1, kernelInitializer: init(2) });
  const model = sequential({ layers: [frozen, head] });
  frozen.trainable = false;
  assert.equal(model.trainableWeights.length, 2);
  model.compile({ optimizer: 'adam', loss: 'mse' });
  const x = st.tensor(Float32Array.from(testValues(60, 4)), [20, 3]);
  const y = st.tensor(Float32Array.from(testValues(20, 8)), [20, 1]);
  const before = frozen.getWeights().map((t) => Array.from(t.dataSync()));
  const headBefore = head.getWeights().map((t) => Array.from(t.dataSync()));
  await model.fit(x, y, { epochs: 3, batchSize: 5, verbose: 0 });
  assert.deepEqual(frozen.getWeights().map((t) => Array.from(t.dataSync())), before);
  assert.notDeepEqual(head.getWeights().map((t) => Array.from(t.dataSync())), headBefore);
});
