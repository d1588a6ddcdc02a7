/**
 * fit's resume state: a fit stopped mid-epoch and continued from `fitProgress` (with the weights
 * and optimizer state of that moment) ends with exactly the weights of a fit never stopped.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as st from '../../src/index.js';

function makeModel(): st.LayersModel {
  st.setSeed(3);
  const model = st.sequential({ layers: [
    st.layers.dense({ units: 8, activation: 'relu', inputShape: [4] }),
    st.layers.dropout({ rate: 0.3 }),
    st.layers.dense({ units: 3, activation: 'softmax' }),
  ] });
  model.compile({ optimizer: st.optimizers.adam({ learningRate: 0.01 }), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

test('stop in the middle of epoch 2, resume from fitProgress: the same weights as straight through', async () => {
  const x = st.randomNormal([90, 4], 0, 1, 'float32', 1);
  const y = st.oneHot(Array.from({ length: 90 }, (_, i) => i % 3), 3, 1, 0, 'float32');
  const args = { epochs: 3, batchSize: 16, validationSplit: 0.2, verbose: 0 };

  const straight = makeModel();
  const straightHistory = await straight.fit(x, y, args);

  const cut = makeModel();
  let saved: st.FitResumeState | undefined;
  let weights: st.Tensor[] = [];
  let optimizerState: { iterations: number; slots: st.Tensor[][] } | undefined;
  await cut.fit(x, y, { ...args, callbacks: [{
    onBatchEnd(batch: number) {
      if (saved || st.fitProgress(cut)!.epoch !== 1 || batch !== 1) return;
      saved = st.fitProgress(cut);
      weights = cut.getWeights().map((w) => w.clone());
      const state = cut.optimizer!.getState(cut.trainableWeights);
      optimizerState = { iterations: state.iterations, slots: state.slots.map((s) => s.map((t) => t.clone())) };
      cut.stopTraining = true;
    },
  }] });
  assert.equal(saved!.epoch, 1);
  assert.equal(saved!.batch, 2);

  const resumed = makeModel();
  resumed.setWeights(weights);
  resumed.optimizer!.setState(resumed.trainableWeights, optimizerState!);
  const rest = await resumed.fit(x, y, { ...args, initialEpoch: 1, resume: saved });
  assert.deepEqual(rest.epoch, [1, 2]);
  assert.deepEqual(rest.history.loss, straightHistory.history.loss.slice(1));
  resumed.getWeights().forEach((w, i) => assert.deepEqual(w.dataSync(), straight.getWeights()[i].dataSync(), `weight ${i}`));

  await assert.rejects(makeModel().fit(x, y, { ...args, resume: saved }), /resume is at epoch 2 but initialEpoch is 0/);
});
