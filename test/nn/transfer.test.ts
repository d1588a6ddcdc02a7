/**
 * Transfer learning's mechanics: symbolic outputs of layers inside a built model, feature
 * extractors that share weights, freezing, and what a frozen layer means to fit, the optimizer,
 * summary and model files.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as st from '../../src/index.js';

function smallCnn(seed: number): st.Sequential {
  st.setSeed(seed);
  return st.models.digitCnn({ classes: 3 });
}

function randomBatch(n: number, seed: number): { xs: st.Tensor; ys: st.Tensor } {
  st.setSeed(seed);
  const xs = st.randomUniform([n, 28, 28, 1]);
  const labels = st.tensor(Array.from({ length: n }, (_, i) => i % 3), [n], 'int32');
  return { xs, ys: st.oneHot(labels, 3) };
}

const bits = (t: st.Tensor) => Array.from(new Uint32Array(new Float32Array(t.dataSync()).buffer));

test('layer.output of a layer in a built Sequential builds a model the Keras way; getLayer lists names when lost', () => {
  const m = smallCnn(1);
  const flatten = m.layers[6];
  const features = st.model({ inputs: m.inputs, outputs: m.getLayer(flatten.name).output as st.SymbolicTensor });
  assert.deepEqual(features.outputs[0].shape, [null, 784]);
  assert.equal(m.getLayer(0), m.layers[0]);
  const x = randomBatch(2, 2).xs;
  // the same layers: the extractor's output is the flattened maps the full model computes inside
  const direct = st.model({ inputs: m.inputs, outputs: m.layers[4].output as st.SymbolicTensor }).predict(x) as st.Tensor;
  assert.deepEqual(Array.from((features.predict(x) as st.Tensor).dataSync()), Array.from(direct.reshape([2, 784]).dataSync()));
  assert.throws(() => m.getLayer('nope'), (e: Error) => e.message.includes('no layer "nope"') && e.message.includes(flatten.name) &&
    e.message.includes(`it has ${m.layers.length} layers`));
  assert.throws(() => m.getLayer(99), /no layer 99/);
});

test('layer.output is refused, with the count, for a layer never called or called twice', () => {
  const dense = st.layers.dense({ units: 2 });
  assert.throws(() => dense.output, /called exactly once.*0 time/);
  dense.apply(st.input({ shape: [3] }));
  dense.apply(st.input({ shape: [3] }));
  assert.throws(() => dense.input, /Dense ".*": \.input is defined .* 2 time/);
});

test('featureExtractor defaults to the input of the last Dense layer and shares weights (no copy)', () => {
  const m = smallCnn(3);
  const fx = m.featureExtractor();
  // digitCnn: ... dense 256, dropout, dense (head): the features are the dropout's output
  assert.deepEqual(fx.outputs[0].shape, [null, 256]);
  assert.equal(fx.outputs[0].sourceLayer, m.layers[8]);
  assert.ok(fx.weights.every((v) => m.weights.includes(v)), 'the extractor holds the model\'s own variables');
  assert.equal(fx.countParams(), m.countParams() - 256 * 3 - 3);
  const x = randomBatch(2, 4).xs;
  const before = Array.from((fx.predict(x) as st.Tensor).dataSync());
  const dense = m.layers[7];
  dense.setWeights(dense.getWeights().map((w) => st.mul(w, 2)));
  const after = Array.from((fx.predict(x) as st.Tensor).dataSync());
  assert.notDeepEqual(after, before, 'changing the model\'s weight changes the extractor\'s output');
  assert.deepEqual(m.featureExtractor(m.layers[3].name).outputs[0].shape, [null, 14, 14, 16]);
  assert.notEqual(m.featureExtractor().name, fx.name);
  assert.throws(() => m.featureExtractor('conv9'), /no layer "conv9".*conv2d/);
  const noDense = st.sequential({ layers: [st.layers.flatten({ inputShape: [2, 2] })] });
  assert.throws(() => noDense.featureExtractor(), /no Dense layer .*flatten/);
  assert.throws(() => st.sequential({ layers: [st.layers.dense({ units: 1 })] }).featureExtractor(), /not built yet/);
});

test('frozen layers: weights bit-for-bit unchanged by fit, no optimizer state, counted non-trainable', async () => {
  const m = smallCnn(5);
  const frozen = m.freezeUpTo(m.layers[3].name);
  assert.deepEqual(frozen.map((l) => l.name), m.layers.slice(0, 4).map((l) => l.name));
  assert.deepEqual(m.layers.map((l) => l.trainable), [false, false, false, false, true, true, true, true, true, true]);
  const frozenVars = m.layers.slice(0, 4).flatMap((l) => l.weights);
  assert.equal(frozenVars.length, 4);
  const frozenBefore = frozenVars.map(bits);
  const trainableBefore = m.layers[7].weights.map(bits);
  const { xs, ys } = randomBatch(32, 6);
  m.compile({ optimizer: st.optimizers.adam({ learningRate: 0.01 }), loss: 'categoricalCrossentropy' });
  await m.fit(xs, ys, { epochs: 2, batchSize: 16, seed: 1, verbose: 0 });
  assert.deepEqual(frozenVars.map(bits), frozenBefore);
  assert.notDeepEqual(m.layers[7].weights.map(bits), trainableBefore, 'the layers after the frozen ones did train');
  const stateFor = new Set(m.optimizer!.stateVariables());
  assert.ok(frozenVars.every((v) => !stateFor.has(v)), 'the optimizer keeps no moments for frozen weights');
  assert.ok(m.layers[7].weights.every((v) => stateFor.has(v)));
  const lines: string[] = [];
  m.summary(undefined, undefined, (l) => lines.push(l));
  const frozenCount = 208 + 1168;
  assert.ok(lines.includes(`Non-trainable params: ${frozenCount.toLocaleString('en-US')}`), lines.join('\n'));
  assert.ok(lines.includes(`Trainable params: ${(m.countParams() - frozenCount).toLocaleString('en-US')}`));
  m.trainable = true;
  assert.equal(m.trainableWeights.length, m.weights.length, 'model.trainable = true unfreezes every layer');
});

test('a frozen layer stays frozen through model.save and st.loadLayersModel (Sequential and fine-tuned graph)', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'striate-transfer-'));
  try {
    const m = smallCnn(7);
    m.freezeUpTo(m.layers[1].name);
    await m.save(`file://${path.join(dir, 'seq')}`);
    const loaded = await st.loadLayersModel(`file://${path.join(dir, 'seq', 'model.json')}`);
    assert.deepEqual(loaded.layers.map((l) => l.trainable), m.layers.map((l) => l.trainable));
    assert.equal(loaded.nonTrainableWeights.length, 2);
    const tuned = st.models.fineTune(m, { classes: 2, freezeUpTo: m.layers[4].name });
    await tuned.save(`file://${path.join(dir, 'tuned')}`);
    const back = await st.loadLayersModel(`file://${path.join(dir, 'tuned', 'model.json')}`);
    assert.deepEqual(back.layers.map((l) => [l.name, l.trainable]), tuned.layers.map((l) => [l.name, l.trainable]));
    const x = randomBatch(2, 8).xs;
    assert.deepEqual(Array.from((back.predict(x) as st.Tensor).dataSync()), Array.from((tuned.predict(x) as st.Tensor).dataSync()));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('models.fineTune puts a new head on the base\'s features and freezes the named prefix', () => {
  const base = smallCnn(9);
  const tuned = st.models.fineTune(base, { classes: 4, freezeUpTo: base.layers[6].name });
  assert.deepEqual(tuned.outputs[0].shape, [null, 4]);
  // the body is the base's own layers; the base's old head is not in the new model
  assert.ok(base.layers.slice(0, 9).every((l) => tuned.layers.includes(l)));
  assert.ok(!tuned.layers.includes(base.layers[9]));
  assert.deepEqual(tuned.trainableWeights.map((v) => v.shape), [[784, 256], [256], [256, 4], [4]]);
  const onMaps = st.models.fineTune(base, { classes: 2, featureLayer: base.layers[4].name });
  assert.deepEqual(onMaps.layers.slice(-2).map((l) => l.className), ['Flatten', 'Dense'], 'maps are flattened for the head');
  assert.throws(() => st.models.fineTune(base, { classes: 0 }), /classes must be a positive integer, got 0/);
  assert.throws(() => st.models.fineTune(base, { classes: 2, freezeUpTo: 'x' }), /no layer "x"/);
  const lr = st.models.logisticRegression({ inputDim: 256, classes: 5 });
  assert.deepEqual(lr.layers.map((l) => l.className), ['Dense']);
  assert.equal(lr.countParams(), 256 * 5 + 5);
  assert.throws(() => st.models.logisticRegression({ inputDim: 0, classes: 5 }), /inputDim must be a positive integer, got 0/);
});
