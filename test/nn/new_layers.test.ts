/**
 * The layers added for tfjs-layers parity (activation layers, repeatVector, masking, dot,
 * cropping2D, noise layers, spatialDropout1d, categoryEncoding, layers.input/inputLayer):
 * outputs equal tfjs-layers' for the same weights and inputs, Keras-only options against their
 * formulas, shape errors, and model files both ways with TensorFlow.js.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as st from '../../src/index.js';
import type { Layer } from '../../src/nn/layer.js';
import { ready, tf, tfl, tfLoad, tfSave } from '../io/tfjs_interop.js';
import { assertThrowsMessage } from '../helpers.js';
import { compareWithTfjs, sample, worstDifference } from './tfjs_layer_compare.js';

const L = st.layers;
before(ready);

test('activation layers equal tfjs-layers\' (reLU, leakyReLU, elu, softmax, prelu, thresholdedReLU)', () => {
  const cases: [Layer, tfl.layers.Layer, number[], boolean?][] = [
    [L.reLU(), tfl.layers.reLU(), [3, 4]],
    [L.reLU({ maxValue: 0.5 }), tfl.layers.reLU({ maxValue: 0.5 }), [3, 4]],
    [L.leakyReLU(), tfl.layers.leakyReLU(), [3, 4]],
    [L.leakyReLU({ alpha: 0.1 }), tfl.layers.leakyReLU({ alpha: 0.1 }), [2, 3, 4]],
    [L.elu(), tfl.layers.elu(), [3, 4]],
    [L.softmax(), tfl.layers.softmax(), [3, 4]],
    [L.softmax({ axis: -1 }), tfl.layers.softmax({ axis: -1 }), [2, 3, 4]],
    [L.softmax({ axis: [1, 2] }), tfl.layers.softmax({ axis: [1, 2] }), [2, 3, 4]],
    [L.thresholdedReLU({ theta: 0.5 }), tfl.layers.thresholdedReLU({ theta: 0.5 }), [3, 4]],
    [L.prelu(), tfl.layers.prelu(), [2, 3, 4], true],
    [L.prelu({ sharedAxes: [1] }), tfl.layers.prelu({ sharedAxes: [1] }), [2, 3, 4], true],
    [L.prelu({ sharedAxes: 2, alphaInitializer: 'ones' }), tfl.layers.prelu({ sharedAxes: 2, alphaInitializer: 'ones' }), [2, 3, 4]],
  ];
  for (const [ours, theirs, shape, scramble] of cases) {
    compareWithTfjs(ours, theirs, `${ours.className} ${JSON.stringify(ours.getConfig())}`, { shapes: [shape], scrambleWeights: scramble });
  }
});

test('Keras-only options: ReLU negativeSlope/threshold, ELU alpha, LeakyReLU negativeSlope, Softmax mask', () => {
  const x = sample([3, 5], 4, 3);
  const input = st.tensor(x, [3, 5]);
  const relu = L.reLU({ negativeSlope: 0.1, threshold: 0.5, maxValue: 1.5 });
  // Keras: x above the threshold (capped), negativeSlope * (x - threshold) at or below it
  const expectRelu = Array.from(x, (v) => (v > 0.5 ? Math.min(v, 1.5) : 0.1 * (v - 0.5)));
  assert.ok(worstDifference((relu.apply(input) as st.Tensor).dataSync(), expectRelu) < 1e-6);
  const elu = L.elu({ alpha: 0.5 });
  const expectElu = Array.from(x, (v) => (v > 0 ? v : 0.5 * Math.expm1(v)));
  assert.ok(worstDifference((elu.apply(input) as st.Tensor).dataSync(), expectElu) < 1e-6);
  assert.ok(worstDifference(st.elu(input, 0.5).dataSync(), expectElu) < 1e-6, 'st.elu(x, alpha)');
  assert.equal(L.leakyReLU({ negativeSlope: 0.05 } as never).alpha, 0.05);
  // a masked entry gets (nearly) no weight
  const sm = L.softmax({ axis: -1 });
  const scores = st.tensor([[1, 2, 3]]);
  const masked = sm.apply(scores, { mask: st.tensor([[1, 1, 0]]) }) as st.Tensor;
  const e = [Math.exp(1), Math.exp(2)];
  assert.ok(worstDifference(masked.dataSync(), [e[0] / (e[0] + e[1]), e[1] / (e[0] + e[1]), 0]) < 1e-6);
});

test('repeatVector, masking, cropping2D, dot and the noise layers at inference equal tfjs-layers\'', () => {
  compareWithTfjs(L.repeatVector({ n: 3 }), tfl.layers.repeatVector({ n: 3 }), 'repeatVector', { shapes: [[2, 4]] });
  // steps 1 of sample 0 and 0, 2 of sample 1 are all maskValue
  const seq = Float32Array.from([1, 2, 0.5, 0.5, 3, 0, 0.5, 0.5, 1, 1, 0.5, 0.5]);
  compareWithTfjs(L.masking({ maskValue: 0.5 }), tfl.layers.masking({ maskValue: 0.5 }), 'masking',
    { shapes: [[2, 3, 2]], inputs: [seq] });
  for (const cropping of [1, [1, 2], [[1, 0], [2, 1]]] as const) {
    compareWithTfjs(L.cropping2D({ cropping: cropping as never }), tfl.layers.cropping2D({ cropping: cropping as never }),
      `cropping2D ${JSON.stringify(cropping)}`, { shapes: [[2, 5, 6, 3]] });
  }
  compareWithTfjs(L.cropping2D({ cropping: [1, 2], dataFormat: 'channelsFirst' }),
    tfl.layers.cropping2D({ cropping: [1, 2], dataFormat: 'channelsFirst' }), 'cropping2D channelsFirst', { shapes: [[2, 3, 5, 6]] });
  const dots: [number | [number, number], boolean, number[][]][] = [
    [1, false, [[2, 5], [2, 5]]],
    [-1, true, [[2, 5], [2, 5]]],
    [[2, 2], false, [[2, 3, 4], [2, 5, 4]]],
    [[1, 1], false, [[2, 3, 4], [2, 3, 5]]],
    [[2, 1], true, [[2, 3, 4], [2, 4, 5]]],
  ];
  for (const [axes, normalize, shapes] of dots) {
    compareWithTfjs(L.dot({ axes, normalize }), tfl.layers.dot({ axes, normalize }), `dot ${JSON.stringify(axes)} ${normalize}`, { shapes });
  }
  for (const [ours, theirs] of [
    [L.spatialDropout1d({ rate: 0.5 }), tfl.layers.spatialDropout1d({ rate: 0.5 })],
    [L.gaussianNoise({ stddev: 0.5 }), tfl.layers.gaussianNoise({ stddev: 0.5 })],
    [L.gaussianDropout({ rate: 0.5 }), tfl.layers.gaussianDropout({ rate: 0.5 })],
    [L.alphaDropout({ rate: 0.5 }), tfl.layers.alphaDropout({ rate: 0.5 })],
  ] as [Layer, tfl.layers.Layer][]) {
    compareWithTfjs(ours, theirs, `${ours.className} at inference`, { shapes: [[2, 3, 4]] });
  }
});

test('categoryEncoding equals tfjs-layers\' (oneHot, multiHot, count, countWeights)', () => {
  const ids = (v: number[]) => Float32Array.from(v);
  compareWithTfjs(L.categoryEncoding({ numTokens: 5, outputMode: 'oneHot' }), tfl.layers.categoryEncoding({ numTokens: 5, outputMode: 'oneHot' }),
    'oneHot [4]', { shapes: [[4]], inputs: [ids([0, 3, 4, 3])] });
  compareWithTfjs(L.categoryEncoding({ numTokens: 5, outputMode: 'oneHot' }), tfl.layers.categoryEncoding({ numTokens: 5, outputMode: 'oneHot' }),
    'oneHot [4, 1]', { shapes: [[4, 1]], inputs: [ids([1, 2, 0, 4])] });
  compareWithTfjs(L.categoryEncoding({ numTokens: 6 }), tfl.layers.categoryEncoding({ numTokens: 6 }),
    'multiHot', { shapes: [[2, 3]], inputs: [ids([0, 5, 5, 2, 2, 1])] });
  compareWithTfjs(L.categoryEncoding({ numTokens: 6, outputMode: 'count' }), tfl.layers.categoryEncoding({ numTokens: 6, outputMode: 'count' }),
    'count', { shapes: [[2, 4]], inputs: [ids([0, 5, 5, 2, 2, 2, 1, 0])] });
  const w = [0.5, 1, 2, 3, 0.25, 1, 1, 4];
  compareWithTfjs(L.categoryEncoding({ numTokens: 6, outputMode: 'count' }), tfl.layers.categoryEncoding({ numTokens: 6, outputMode: 'count' }),
    'count with countWeights', {
      shapes: [[2, 4]], inputs: [ids([0, 5, 5, 2, 2, 2, 1, 0])],
      theirArgs: { countWeights: tf.tensor(w, [2, 4]) }, ourArgs: { countWeights: st.tensor(w, [2, 4]) },
    });
  assertThrowsMessage(() => L.categoryEncoding({ numTokens: 3 }).apply(st.tensor([[0, 3]])), 'CategoryEncoding', '[0, 3)', 'got 3');
  assertThrowsMessage(() => L.categoryEncoding({ numTokens: 3, outputMode: 'oneHot' }).apply(st.tensor([[0, 1]])),
    "outputMode 'oneHot' expects one id per sample", '[None, 2]');
  assertThrowsMessage(() => L.categoryEncoding({ numTokens: 3, outputMode: 'tfIdf' as never }), 'outputMode must be', '"tfIdf"');
});

test('noise layers: identity at inference, seeded and with the right statistics in training', () => {
  const x = st.randomNormal([400, 50], 0, 1, 'float32', 3);
  const stats = (t: st.Tensor) => {
    const v = Array.from(t.dataSync());
    const mean = v.reduce((a, b) => a + b, 0) / v.length;
    return { mean, variance: v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length };
  };
  const train = (l: Layer, input = x) => l.apply(input, { training: true }) as st.Tensor;
  const noise = L.gaussianNoise({ stddev: 0.5, seed: 1 });
  assert.equal(noise.apply(x), x, 'inference returns the input');
  const d = stats(st.sub(train(noise), x));
  assert.ok(Math.abs(d.mean) < 0.01 && Math.abs(d.variance - 0.25) < 0.01, `GaussianNoise noise ${JSON.stringify(d)}`);
  const gd = stats(st.div(train(L.gaussianDropout({ rate: 0.2, seed: 2 }), st.onesLike(x)), 1));
  assert.ok(Math.abs(gd.mean - 1) < 0.01 && Math.abs(gd.variance - 0.25) < 0.01, `GaussianDropout factor ${JSON.stringify(gd)}`);
  // alpha dropout keeps a standard normal input's mean 0 and variance 1
  const ad = L.alphaDropout({ rate: 0.3, seed: 4 });
  const a = stats(train(ad));
  assert.ok(Math.abs(a.mean) < 0.02 && Math.abs(a.variance - 1) < 0.03, `AlphaDropout output ${JSON.stringify(a)}`);
  // the same seed repeats a run; the next call draws anew
  const again = L.alphaDropout({ rate: 0.3, seed: 4 });
  assert.deepEqual(Array.from(train(again).dataSync()), Array.from(train(L.alphaDropout({ rate: 0.3, seed: 4 })).dataSync()));
  assert.notDeepEqual(Array.from(train(again).dataSync().slice(0, 50)), Array.from(train(L.alphaDropout({ rate: 0.3, seed: 4 })).dataSync().slice(0, 50)));
  // spatial dropout drops whole channels: every step of a sample's channel is kept or dropped together
  const sd = train(L.spatialDropout1d({ rate: 0.5, seed: 5 }), st.ones([4, 6, 8])).arraySync() as number[][][];
  for (const sampleSteps of sd) for (let c = 0; c < 8; c++) assert.equal(new Set(sampleSteps.map((s) => s[c])).size, 1);
  const flat = sd.flat(2);
  assert.ok(flat.includes(0) && flat.includes(2), 'some channels dropped, the rest scaled by 2');
});

test('shape errors are caught when the model is built, naming the layer and the shapes', () => {
  assertThrowsMessage(() => st.sequential({ layers: [L.repeatVector({ n: 2, inputShape: [3, 4], name: 'rv' })] }),
    'RepeatVector "rv"', '[batch, features]', '[None, 3, 4]');
  const a = st.input({ shape: [3, 4] });
  const b = st.input({ shape: [5, 6] });
  assertThrowsMessage(() => L.dot({ axes: [2, 2], name: 'd' }).apply([a, b]), 'Dot "d"', 'contracted axes differ', 'is 4', 'is 6');
  assertThrowsMessage(() => L.dot({ axes: 0 }).apply([a, b]), 'non-batch axis');
  assertThrowsMessage(() => L.dot({ axes: 1 }).apply(a), 'exactly 2 inputs');
  assertThrowsMessage(() => L.cropping2D({ cropping: [[2, 2], [0, 0]], name: 'c' }).apply(st.input({ shape: [4, 4, 1] })),
    'Cropping2D "c"', 'removes 4 of 4 rows', '[None, 4, 4, 1]');
  assertThrowsMessage(() => L.cropping2D({ cropping: 1 }).apply(st.input({ shape: [4, 4] })), '[batch, height, width, channels]');
  assertThrowsMessage(() => L.cropping2D({ cropping: [1, 2, 3] as never }), 'cropping must be');
  assertThrowsMessage(() => L.prelu({ sharedAxes: [3] }).apply(st.input({ shape: [4, 5] })), 'sharedAxes [3] names axis 3');
  const p = L.prelu();
  p.apply(st.input({ shape: [4] }));
  assertThrowsMessage(() => p.apply(st.zeros([2, 5])), 'alpha is [4]', '[2, 5]');
  assertThrowsMessage(() => L.softmax({ axis: 3 }).apply(st.input({ shape: [4] })), 'axis 3 is out of range');
  assertThrowsMessage(() => L.spatialDropout1d({ rate: 0.1 }).apply(st.input({ shape: [4] })), '[batch, timesteps, channels]');
  assertThrowsMessage(() => L.masking().apply(st.zeros([3])), 'rank >= 2');
  assertThrowsMessage(() => L.reLU({ maxValue: -1 }), 'maxValue must be a finite number >= 0');
  assertThrowsMessage(() => L.gaussianDropout({ rate: 1 }), 'rate must be a number in [0, 1)');
  assertThrowsMessage(() => L.reLU({ maxvalue: 1 } as never), 'unknown option "maxvalue" for layers.reLU', 'did you mean "maxValue"');
  assertThrowsMessage(() => L.inputLayer({ inputShape: [2], batchInputShape: [null, 2] }), 'not both');
});

test('layers.input and layers.inputLayer build models as tfjs-layers\' do', () => {
  const x = L.input({ shape: [3] });
  const m = st.model({ inputs: x, outputs: L.repeatVector({ n: 2 }).apply(x) as st.SymbolicTensor });
  assert.deepEqual((m.predict(st.ones([4, 3])) as st.Tensor).shape, [4, 2, 3]);
  const seq = st.sequential({ layers: [L.inputLayer({ inputShape: [3], name: 'in' }), L.repeatVector({ n: 5 })] });
  assert.deepEqual(seq.outputs[0].shape, [null, 5, 3]);
  const fixed = L.inputLayer({ inputShape: [3], batchSize: 8 });
  assert.deepEqual(fixed.batchInputShape, [8, 3]);
  assert.deepEqual(L.inputLayer({ batchInputShape: [null, 2, 2] }).batchInputShape, [null, 2, 2]);
});

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'striate-newlayers-'));

async function roundTrip(model: st.LayersModel, x: st.Tensor, what: string, viaTfjs = true): Promise<void> {
  const dir = tmp();
  try {
    const expected = (model.predict(x) as st.Tensor).dataSync();
    await model.save(`file://${dir}`);
    const back = await st.loadLayersModel(`file://${path.join(dir, 'model.json')}`);
    assert.deepEqual(back.layers.map((l) => l.className), model.layers.map((l) => l.className), `${what}: classes`);
    const d = worstDifference((back.predict(x) as st.Tensor).dataSync(), expected);
    assert.ok(d < 1e-6, `${what}: striate -> striate predictions differ by ${d}`);
    if (viaTfjs) {
      const theirs = await tfLoad(dir);
      const t = (theirs.predict(tf.tensor(x.dataSync() as Float32Array, [...x.shape], x.dtype === 'int32' ? 'int32' : 'float32')) as tf.Tensor).dataSync();
      const dt = worstDifference(t as Float32Array, expected);
      assert.ok(dt < 1e-5, `${what}: striate -> tfjs predictions differ by ${dt}`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function scramble(model: st.LayersModel): void {
  model.setWeights(model.weights.map((v, i) => st.tensor(sample([...v.shape], 70 + i, 0.5), [...v.shape])));
}

test('save/load: models with every new layer round-trip in striate and load in TensorFlow.js', async () => {
  const seq = st.sequential({ layers: [
    L.masking({ maskValue: 0, inputShape: [5, 4] }),
    L.prelu({ sharedAxes: [1] }), L.leakyReLU({ alpha: 0.2 }), L.elu(), L.reLU({ maxValue: 2 }),
    L.thresholdedReLU({ theta: 0.05 }), L.spatialDropout1d({ rate: 0.2 }), L.gaussianNoise({ stddev: 0.1 }),
    L.gaussianDropout({ rate: 0.1 }), L.alphaDropout({ rate: 0.1 }),
  ] });
  scramble(seq);
  await roundTrip(seq, st.tensor(sample([3, 5, 4], 1), [3, 5, 4]), 'activations and noise');

  const x = st.input({ shape: [4] });
  const y = st.input({ shape: [3, 4] });
  const rep = L.repeatVector({ n: 3 }).apply(x) as st.SymbolicTensor;
  const scores = L.dot({ axes: [2, 2] }).apply([rep, y]) as st.SymbolicTensor;
  const cos = L.dot({ axes: 1, normalize: true }).apply([x, L.dense({ units: 4 }).apply(x) as st.SymbolicTensor]) as st.SymbolicTensor;
  const out = L.concatenate().apply([L.flatten().apply(scores) as st.SymbolicTensor, cos]) as st.SymbolicTensor;
  const graph = st.model({ inputs: [x, y], outputs: out });
  scramble(graph);
  const dir = tmp();
  try {
    const xs = [st.tensor(sample([2, 4], 2), [2, 4]), st.tensor(sample([2, 3, 4], 3), [2, 3, 4])];
    const expected = (graph.predict(xs) as st.Tensor).dataSync();
    await graph.save(`file://${dir}`);
    const back = await st.loadLayersModel(`file://${path.join(dir, 'model.json')}`);
    assert.ok(worstDifference((back.predict(xs) as st.Tensor).dataSync(), expected) < 1e-6, 'dot model striate -> striate');
    const theirs = await tfLoad(dir);
    const t = (theirs.predict(xs.map((v) => tf.tensor(v.dataSync() as Float32Array, [...v.shape]))) as tf.Tensor).dataSync();
    assert.ok(worstDifference(t as Float32Array, expected) < 1e-5, 'dot model striate -> tfjs');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }

  // (after a Masking layer TensorFlow.js hands its Softmax the time-step mask and fails, so Softmax is tried here)
  const image = st.sequential({ layers: [L.cropping2D({ cropping: [[1, 0], [0, 2]], inputShape: [5, 6, 2] }), L.flatten(), L.softmax()] });
  await roundTrip(image, st.tensor(sample([2, 5, 6, 2], 4), [2, 5, 6, 2]), 'cropping2D');
  const cats = st.sequential({ layers: [L.categoryEncoding({ numTokens: 6, outputMode: 'count', inputShape: [3] })] });
  // (not through TensorFlow.js: its CategoryEncoding overwrites the shape of the model's input with its output's)
  await roundTrip(cats, st.tensor([[0, 5, 5], [2, 1, 1]], [2, 3], 'int32'), 'categoryEncoding', false);
  const keras = st.sequential({ layers: [L.reLU({ negativeSlope: 0.1, threshold: 0.2, inputShape: [3] }), L.elu({ alpha: 0.5 })] });
  // options TensorFlow.js lacks: striate's own files keep them
  await roundTrip(keras, st.tensor(sample([2, 3], 5), [2, 3]), 'Keras-only options', false);
});

test('files TensorFlow.js writes with these layers load in striate and predict the same', async () => {
  const masked = tfl.sequential({ layers: [
    tfl.layers.masking({ maskValue: 0, inputShape: [5, 4] }), tfl.layers.prelu({ sharedAxes: [1] }),
    tfl.layers.leakyReLU({ alpha: 0.2 }), tfl.layers.elu(), tfl.layers.reLU({ maxValue: 2 }),
    tfl.layers.thresholdedReLU({ theta: 0.05 }), tfl.layers.spatialDropout1d({ rate: 0.2 }),
    tfl.layers.gaussianNoise({ stddev: 0.1 }), tfl.layers.gaussianDropout({ rate: 0.1 }), tfl.layers.alphaDropout({ rate: 0.1 }),
  ] });
  // (a Softmax after Masking fails in TensorFlow.js, which hands it the time-step mask; so a second model)
  const shaped = tfl.sequential({ layers: [
    tfl.layers.flatten({ inputShape: [5, 4] }), tfl.layers.repeatVector({ n: 2 }),
    tfl.layers.reshape({ targetShape: [2, 5, 4] }), tfl.layers.cropping2D({ cropping: [[0, 0], [1, 1]] }), tfl.layers.flatten(),
    tfl.layers.softmax(),
  ] });
  for (const m of [masked, shaped]) {
    m.setWeights(m.getWeights().map((w, i) => tf.tensor(sample(w.shape, 90 + i, 0.5), w.shape)));
    const dir = tmp();
    try {
      await tfSave(m, dir);
      const ours = await st.loadLayersModel(`file://${path.join(dir, 'model.json')}`);
      const x = sample([3, 5, 4], 8);
      x.fill(0, 4, 8); // one all-zero (masked) step
      const expected = (m.predict(tf.tensor(x, [3, 5, 4])) as tf.Tensor).dataSync() as Float32Array;
      const d = worstDifference((ours.predict(st.tensor(x, [3, 5, 4])) as st.Tensor).dataSync(), expected);
      assert.ok(d < 1e-5, `tfjs -> striate predictions differ by ${d}`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
});
