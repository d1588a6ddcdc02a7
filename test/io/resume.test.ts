/** Saving a compiled model keeps its optimizer state: 2 epochs + save + load + 1 epoch == 3 epochs. */
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as st from '../../src/index.js';
import { setProgressOutput } from '../../src/train/index.js';

setProgressOutput({ write: () => {}, isTTY: () => false, warn: () => {} });

function net(): st.LayersModel {
  return st.sequential({ layers: [
    st.layers.dense({ units: 8, activation: 'tanh', inputShape: [4], kernelInitializer: st.initializers.glorotUniform({ seed: 1 }) }),
    st.layers.batchNormalization(),
    st.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: st.initializers.glorotUniform({ seed: 2 }) }),
  ] });
}

const x = st.randomNormal([48, 4], 0, 1, 'float32', 11);
const y = st.oneHot(st.argMax(st.matMul(x, st.randomNormal([4, 3], 0, 1, 'float32', 12)), 1), 3);
// no shuffling: a fresh fit would draw its shuffle order from the start of the seed's stream
const fitArgs = { batchSize: 16, verbose: 0, shuffle: false } as const;

const optimizers: [string, () => st.Optimizer][] = [
  ['adam', () => st.optimizers.adam({ learningRate: 0.05 })],
  ['sgd with momentum', () => st.optimizers.sgd({ learningRate: 0.1, momentum: 0.9 })],
  ['rmsprop', () => st.optimizers.rmsprop({ learningRate: 0.01, momentum: 0.5 })],
];

for (const [what, make] of optimizers) {
  test(`${what}: train 2 epochs, save, load, train 1 more == train 3 epochs straight`, async () => {
    const straight = net();
    straight.compile({ optimizer: make(), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    await straight.fit(x, y, { ...fitArgs, epochs: 3 });

    const first = net();
    first.compile({ optimizer: make(), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    await first.fit(x, y, { ...fitArgs, epochs: 2 });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'striate-resume-'));
    await first.save(`file://${dir}`);
    const resumed = await st.loadLayersModel(`file://${path.join(dir, 'model.json')}`);
    assert.equal(resumed.optimizer?.iterations, 6);
    await resumed.fit(x, y, { ...fitArgs, epochs: 3, initialEpoch: 2 });

    const a = straight.getWeights();
    const b = resumed.getWeights();
    assert.equal(b.length, a.length);
    a.forEach((w, i) => assert.deepEqual(Array.from(b[i].dataSync()), Array.from(w.dataSync()), `weight ${i} (${straight.weights[i].name})`));
    assert.equal(resumed.optimizer?.iterations, straight.optimizer?.iterations);
  });
}

test('without the optimizer state, resuming Adam differs (the test above can fail)', async () => {
  const straight = net();
  straight.compile({ optimizer: st.optimizers.adam({ learningRate: 0.05 }), loss: 'categoricalCrossentropy' });
  await straight.fit(x, y, { ...fitArgs, epochs: 3 });
  const first = net();
  first.compile({ optimizer: st.optimizers.adam({ learningRate: 0.05 }), loss: 'categoricalCrossentropy' });
  await first.fit(x, y, { ...fitArgs, epochs: 2 });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'striate-resume-'));
  await first.save(dir, { includeOptimizer: false });
  const json = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
  assert.equal(json.striate.optimizer, undefined);
  assert.equal(json.trainingConfig.optimizer_config.class_name, 'Adam');
  const resumed = await st.loadLayersModel(path.join(dir, 'model.json'));
  assert.equal(resumed.optimizer?.iterations, 0);
  await resumed.fit(x, y, { ...fitArgs, epochs: 3, initialEpoch: 2 });
  const a = straight.getWeights()[0].dataSync();
  const b = resumed.getWeights()[0].dataSync();
  assert.ok(a.some((v, i) => Math.abs(v - b[i]) > 1e-6), 'fresh moments take a different step');
});
