/** Layers: output shapes (symbolic), forward values on tiny inputs, parameter counts, errors. */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as st from '../../src/index.js';
import { input, model, sequential } from '../../src/nn/model.js';
import { layers, Conv2D, Dense } from '../../src/nn/layers/index.js';
import { Layer, SymbolicTensor, snakeCase, type Shape } from '../../src/nn/layer.js';
import { assertThrowsMessage, testTensor } from '../helpers.js';
import { assertClose, f32, run, symShape, t32 } from './layer_helpers.js';

test('default names follow the Keras class name', () => {
  assert.equal(snakeCase('Conv2D'), 'conv2d');
  assert.equal(snakeCase('MaxPooling2D'), 'max_pooling2d');
  assert.equal(snakeCase('Conv2DTranspose'), 'conv2d_transpose');
  assert.equal(snakeCase('GlobalAveragePooling1D'), 'global_average_pooling1d');
  assert.equal(snakeCase('BatchNormalization'), 'batch_normalization');
  assert.equal(snakeCase('SimpleRNN'), 'simple_rnn');
  assert.equal(snakeCase('LSTM'), 'lstm');
  assert.match(layers.conv2d({ filters: 1, kernelSize: 1 }).name, /^conv2d(_\d+)?$/);
  assert.match(layers.maxPooling2d({}).name, /^max_pooling2d(_\d+)?$/);
  assert.match(layers.depthwiseConv2d({ kernelSize: 1 }).name, /^depthwise_conv2d(_\d+)?$/);
  assert.match(layers.upSampling2d().name, /^up_sampling2d(_\d+)?$/);
  assert.match(layers.batchNormalization().name, /^batch_normalization(_\d+)?$/);
  const a = layers.dense({ units: 2 });
  const b = layers.dense({ units: 2 });
  assert.notEqual(a.name, b.name);
  assert.equal(layers.dense({ units: 2, name: 'mine' }).name, 'mine');
  assert.equal(layers.conv2dTranspose({ filters: 1, kernelSize: 1 }).className, 'Conv2DTranspose');
  assert.equal(layers.separableConv2d({ filters: 1, kernelSize: 1 }).className, 'SeparableConv2D');
});

test('Dense: value with set weights, params 784 -> 256 = 200,960, rank errors', () => {
  const d = layers.dense({ units: 3 });
  d.apply(input({ shape: [2] }));
  d.setWeights([f32([[1, 2, 3], [4, 5, 6]]), f32([0.5, 0.5, 0.5])]);
  assertClose(run(d, f32([[1, 2]])), [9.5, 12.5, 15.5]);
  const big = layers.dense({ units: 256 });
  assert.deepEqual(symShape(big, [784]), [null, 256]);
  assert.equal(big.countParams(), 200960);
});

test('Activation, Flatten', () => {
  const a = layers.activation({ activation: 'relu' });
  assertClose(run(a, f32([[-1, 2]])), [0, 2]);
  assert.equal(a.getConfig().activation, 'relu');
  const f = layers.flatten();
  assert.deepEqual(symShape(f, [3, 4, 5]), [null, 60]);
  assert.deepEqual(run(f, t32([2, 3, 4])).shape, [2, 12]);
  assertThrowsMessage(() => symShape(layers.flatten(), [null as unknown as number, 3]), 'Flatten', 'known');
});

test('Dropout: identity unless training; inverted scaling; seeded repeatable', () => {
  const x = st.ones([20, 50]);
  const d = layers.dropout({ rate: 0.5, seed: 7 });
  assert.deepEqual(symShape(d, [50]), [null, 50]);
  assertClose(run(d, x, false), x);
  const y = Array.from(run(d, x, true).dataSync());
  assert.ok(y.every((v) => v === 0 || Math.abs(v - 2) < 1e-6), 'kept values scaled by 1 / (1 - rate)');
  const zeros = y.filter((v) => v === 0).length;
  assert.ok(zeros > 350 && zeros < 650, `about half dropped, got ${zeros} of 1000`);
  const y1 = run(layers.dropout({ rate: 0.5, seed: 3 }), x, true).dataSync();
  const y2 = run(layers.dropout({ rate: 0.5, seed: 3 }), x, true).dataSync();
  assert.deepEqual(Array.from(y1), Array.from(y2));
  assertThrowsMessage(() => layers.dropout({ rate: 1 }), 'Dropout', 'rate');
  assert.equal(d.getConfig().rate, 0.5);
});

test('Reshape with -1, Permute (1-based dims)', () => {
  const r = layers.reshape({ targetShape: [-1, 2] });
  assert.deepEqual(symShape(r, [6]), [null, 3, 2]);
  assert.deepEqual(run(r, t32([4, 6])).shape, [4, 3, 2]);
  assertThrowsMessage(() => symShape(layers.reshape({ targetShape: [4] }), [6]), 'Reshape', 'cannot reshape', '[None, 6]');
  assertThrowsMessage(() => layers.reshape({ targetShape: [-1, -1] }), 'Reshape', 'at most one -1');
  const p = layers.permute({ dims: [2, 1] });
  assert.deepEqual(symShape(p, [2, 3]), [null, 3, 2]);
  assertClose(run(p, f32([[[1, 2, 3], [4, 5, 6]]])), [1, 4, 2, 5, 3, 6]);
  assertThrowsMessage(() => layers.permute({ dims: [0, 1] }), 'Permute', 'permutation');
  assertThrowsMessage(() => symShape(layers.permute({ dims: [2, 1] }), [2, 3, 4]), 'Permute', 'rank 3');
});

test('Pooling: max and average 1-D and 2-D, same padding averages real cells, global', () => {
  const x = f32(Array.from({ length: 16 }, (_, i) => i), [1, 4, 4, 1]);
  const mp = layers.maxPooling2d({ poolSize: 2 });
  assert.deepEqual(symShape(mp, [28, 28, 8]), [null, 14, 14, 8]);
  assertClose(run(mp, x), [5, 7, 13, 15]);
  assertClose(run(layers.averagePooling2d({ poolSize: [2, 2] }), x), [2.5, 4.5, 10.5, 12.5]);
  assertClose(run(layers.maxPooling2d({ poolSize: 3, strides: 1 }), x), [10, 11, 14, 15]);
  const x3 = f32(Array.from({ length: 9 }, (_, i) => i), [1, 3, 3, 1]);
  const ap = layers.averagePooling2d({ poolSize: 2, padding: 'same' });
  assert.deepEqual(symShape(ap, [3, 3, 1]), [null, 2, 2, 1]);
  assertClose(run(ap, x3), [2, 3.5, 6.5, 8]);
  assert.deepEqual(symShape(layers.maxPooling2d({ poolSize: 2, strides: 1 }), [5, 5, 2]), [null, 4, 4, 2]);

  const s = f32([1, 3, 2, 5], [1, 4, 1]);
  const mp1 = layers.maxPooling1d({ poolSize: 2 });
  assert.deepEqual(symShape(mp1, [10, 3]), [null, 5, 3]);
  assertClose(run(mp1, s), [3, 5]);
  assertClose(run(layers.averagePooling1d({ poolSize: 2 }), s), [2, 3.5]);
  assertClose(run(layers.averagePooling1d({ poolSize: 3, strides: 1 }), s), [2, 10 / 3]);

  const g = layers.globalAveragePooling2d();
  assert.deepEqual(symShape(g, [4, 4, 3]), [null, 3]);
  assertClose(run(g, x), [7.5]);
  assertClose(run(layers.globalMaxPooling2d(), x), [15]);
  assertClose(run(layers.globalAveragePooling1d(), s), [2.75]);
  assertClose(run(layers.globalMaxPooling1d(), s), [5]);
  assert.deepEqual(symShape(layers.globalMaxPooling1d(), [7, 3]), [null, 3]);
  assert.deepEqual(symShape(layers.globalAveragePooling2d({ keepDims: true }), [4, 4, 3]), [null, 1, 1, 3]);
  assertThrowsMessage(() => symShape(layers.maxPooling2d({}), [784]), 'MaxPooling2D', 'expected input [batch, height, width, channels], got [None, 784]');
  assertThrowsMessage(() => symShape(layers.globalAveragePooling1d(), [4, 4, 3]), 'GlobalAveragePooling1D', '[batch, steps, channels]');
  assert.equal(layers.maxPooling2d({ poolSize: 3 }).countParams(), 0);
  assert.deepEqual(layers.maxPooling2d({ poolSize: 3 }).getConfig().strides, [3, 3]);
});

test('BatchNormalization: params 64 with 32 non-trainable; training uses batch stats and moves the moving ones', () => {
  const bn16 = layers.batchNormalization();
  assert.deepEqual(symShape(bn16, [8, 8, 16]), [null, 8, 8, 16]);
  assert.equal(bn16.countParams(), 64);
  assert.equal(bn16.trainableWeights.reduce((n, v) => n + v.size, 0), 32);
  assert.equal(bn16.nonTrainableWeights.reduce((n, v) => n + v.size, 0), 32);
  assert.deepEqual(bn16.weights.map((w) => w.name.split('/')[1]), ['gamma', 'beta', 'moving_mean', 'moving_variance']);

  const bn = layers.batchNormalization();
  const x = f32([[1, 2], [3, 4], [5, 6], [7, 8]]);
  // inference before training: moving mean 0, variance 1
  assertClose(run(bn, x, false), [1, 2, 3, 4, 5, 6, 7, 8].map((v) => v / Math.sqrt(1.001)));
  // training: column means 4 and 5, biased variance 5
  const sd = Math.sqrt(5 + 1e-3);
  assertClose(run(bn, x, true), [-3, -3, -1, -1, 1, 1, 3, 3].map((v) => v / sd));
  const [, , movingMean, movingVar] = bn.getWeights();
  assertClose(movingMean, [0.04, 0.05]);
  assertClose(movingVar, [0.99 + 0.05, 0.99 + 0.05]);
  // inference now uses the moved statistics
  assertClose(run(bn, x, false), [1, 2, 3, 4, 5, 6, 7, 8].map((v, i) => (v - [0.04, 0.05][i % 2]) / Math.sqrt(1.04 + 1e-3)));
  // a frozen layer runs in inference mode even when training
  bn.trainable = false;
  run(bn, x, true);
  assertClose(bn.getWeights()[2], [0.04, 0.05]);
  assert.equal(bn.trainableWeights.length, 0);

  // gradients flow to gamma and beta through the batch statistics
  const bn2 = layers.batchNormalization({ momentum: 0.5, epsilon: 0.01, center: false });
  assert.deepEqual(symShape(bn2, [3]), [null, 3]);
  assert.equal(bn2.countParams(), 9);
  assert.equal(bn2.getConfig().momentum, 0.5);

  const bnAxis = layers.batchNormalization({ axis: 1 });
  assert.deepEqual(symShape(bnAxis, [3, 5]), [null, 3, 5]);
  assert.equal(bnAxis.countParams(), 12);
  const xa = t32([4, 3, 5]);
  const ya = run(bnAxis, xa, true);
  // each of the 3 features on axis 1 has mean ~0 over axes 0 and 2
  assertClose(st.mean(ya, [0, 2]), [0, 0, 0], 1e-5);
  assertThrowsMessage(() => symShape(layers.batchNormalization({ axis: 3 }), [4]), 'BatchNormalization', 'axis 3');
});

test('LayerNormalization: per-sample statistics over the last axis', () => {
  const ln = layers.layerNormalization();
  assert.deepEqual(symShape(ln, [5, 3]), [null, 5, 3]);
  assert.equal(ln.countParams(), 6);
  const y = run(ln, f32([[1, 2, 3], [10, 10, 13]]));
  const sd1 = Math.sqrt(2 / 3 + 1e-3);
  const sd2 = Math.sqrt(2 + 1e-3);
  assertClose(y, [-1 / sd1, 0, 1 / sd1, -1 / sd2, -1 / sd2, 2 / sd2]);
  ln.setWeights([f32([1, 2, 3]), f32([1, 1, 1])]);
  assertClose(run(ln, f32([[1, 2, 3]])), [1 - 1 / sd1, 1, 1 + 3 / sd1]);
});

test('Embedding: lookup, params, shape, out-of-range ids named', () => {
  const e = layers.embedding({ inputDim: 3, outputDim: 2 });
  assert.deepEqual(symShape(e, [5]), [null, 5, 2]);
  assert.equal(e.countParams(), 6);
  const w = e.getWeights()[0].dataSync();
  assert.ok(Array.from(w).every((v) => v >= -0.05 && v <= 0.05), 'randomUniform(-0.05, 0.05)');
  e.setWeights([f32([[0, 0.5], [1, 1.5], [2, 2.5]])]);
  assertClose(run(e, f32([[0, 2], [1, 1]])), [0, 0.5, 2, 2.5, 1, 1.5, 1, 1.5]);
  assertClose(run(e, st.tensor([[2]], undefined, 'int32')), [2, 2.5]);
  assertThrowsMessage(() => run(e, f32([[0, 3]])), `Embedding "${e.name}"`, 'id 3', 'out of range [0, 3)');
  assertThrowsMessage(() => layers.embedding({ inputDim: 0, outputDim: 2 }), 'Embedding', 'inputDim');
  assert.equal(layers.embedding({ inputDim: 10, outputDim: 4, maskZero: true }).getConfig().maskZero, true);
});

test('merge layers: values, shapes, incompatibility errors', () => {
  const a = f32([[1, 2]]);
  const b = f32([[3, 5]]);
  assertClose(run(layers.add(), [a, b]), [4, 7]);
  assertClose(run(layers.add(), [a, b, b]), [7, 12]);
  assertClose(run(layers.multiply(), [a, b]), [3, 10]);
  assertClose(run(layers.average(), [a, b]), [2, 3.5]);
  assertClose(run(layers.subtract(), [a, b]), [-2, -3]);
  assertClose(run(layers.maximum(), [a, f32([[0, 9]])]), [1, 9]);
  assertClose(run(layers.minimum(), [a, f32([[0, 9]])]), [0, 2]);
  assertClose(run(layers.concatenate(), [a, b]), [1, 2, 3, 5]);
  assertClose(run(layers.concatenate({ axis: 1 }), [f32([[[1], [2]]]), f32([[[3]]])]), [1, 2, 3]);

  const i1 = input({ shape: [2, 3] });
  const i2 = input({ shape: [2, 4] });
  const i3 = input({ shape: [3, 4] });
  assert.deepEqual((layers.concatenate().apply([i1, i2]) as { shape: Shape }).shape, [null, 2, 7]);
  assert.deepEqual((layers.add().apply([i2, i2]) as { shape: Shape }).shape, [null, 2, 4]);
  const add = layers.add();
  assertThrowsMessage(() => add.apply([i1, i2]), `Add "${add.name}"`, 'incompatible', '[None, 2, 3], [None, 2, 4]');
  assertThrowsMessage(() => layers.concatenate().apply([i1, i3]), 'Concatenate', 'differ at axis 1');
  assertThrowsMessage(() => layers.add().apply(i1), 'Add', 'at least 2 inputs');
  assertThrowsMessage(() => layers.subtract().apply([i2, i2, i2]), 'Subtract', 'exactly 2');
  assert.equal((layers.add() as unknown as { takesList: boolean }).takesList, true);
});

test('functional model: residual add, inception concatenate, values flow through', () => {
  const inp = input({ shape: [8, 8, 4] });
  const c1 = layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }).apply(inp);
  const res = layers.add().apply([inp, c1]) as SymbolicTensor;
  const b1 = layers.conv2d({ filters: 2, kernelSize: 1 }).apply(res);
  const b2 = layers.conv2d({ filters: 3, kernelSize: 3, padding: 'same' }).apply(res);
  const b3 = layers.maxPooling2d({ poolSize: 3, strides: 1, padding: 'same' }).apply(res);
  const cat = layers.concatenate().apply([b1, b2, b3]) as SymbolicTensor;
  const out = layers.dense({ units: 5 }).apply(layers.globalAveragePooling2d().apply(cat));
  const m = model({ inputs: inp, outputs: out });
  assert.deepEqual((cat as { shape: Shape }).shape, [null, 8, 8, 9]);
  assert.equal(m.countParams(), (36 * 4 + 4) + (4 * 2 + 2) + (36 * 3 + 3) + (9 * 5 + 5));
  const y = m.apply(t32([2, 8, 8, 4])) as st.Tensor;
  assert.deepEqual(y.shape, [2, 5]);
  const lines: string[] = [];
  m.summary(undefined, undefined, (l) => lines.push(l));
  const text = lines.join('\n');
  assert.match(text, /Concatenate/);
  assert.match(text, /\(None, 8, 8, 9\)/);
});

test('shared layer applied twice shares weights and counts them once; trainable=false', () => {
  const shared = layers.dense({ units: 3 });
  const i1 = input({ shape: [4] });
  const i2 = input({ shape: [4] });
  const out = layers.concatenate().apply([shared.apply(i1), shared.apply(i2)]);
  const m = model({ inputs: [i1, i2], outputs: out });
  assert.equal(m.countParams(), 15);
  assert.equal(m.weights.length, 2);
  const x = t32([2, 4]);
  const y = m.apply([x, x]) as st.Tensor;
  assert.deepEqual(y.shape, [2, 6]);
  const v = y.arraySync() as number[][];
  assertClose(v.map((r) => r.slice(0, 3)).flat(), v.map((r) => r.slice(3)).flat());
  const lines: string[] = [];
  m.summary(undefined, undefined, (l) => lines.push(l));
  assert.ok(lines.some((l) => l.startsWith('Total params: 15')), lines.join('\n'));

  shared.trainable = false;
  assert.equal(m.trainableWeights.length, 0);
  assert.equal(m.nonTrainableWeights.reduce((n, w) => n + w.size, 0), 15);
  const lines2: string[] = [];
  m.summary(undefined, undefined, (l) => lines2.push(l));
  assert.ok(lines2.includes('Trainable params: 0'), lines2.join('\n'));
  assert.ok(lines2.includes('Non-trainable params: 15'), lines2.join('\n'));
});

test('getWeights/setWeights round trip and errors', () => {
  const m = sequential({
    layers: [layers.conv2d({ filters: 2, kernelSize: 3, inputShape: [5, 5, 1] }), layers.flatten(), layers.dense({ units: 2 })],
  });
  const ws = m.getWeights();
  assert.deepEqual(ws.map((w) => w.shape), [[3, 3, 1, 2], [2], [18, 2], [2]]);
  // getWeights hands out the variables themselves, as TensorFlow.js does
  ws.forEach((w, i) => assert.equal(w, m.weights[i]));
  const original = ws.map((w) => w.clone());
  const changed = ws.map((w) => st.add(w, 1));
  m.setWeights(changed);
  m.getWeights().forEach((w, i) => assertClose(w, changed[i]));
  // setWeights copies values in: restoring the snapshot leaves `changed` as it was
  m.setWeights(original);
  m.getWeights().forEach((w, i) => assertClose(w, original[i]));
  assertClose(changed[0], st.add(original[0], 1));
  const dense = m.layers[2] as Dense;
  assertThrowsMessage(() => dense.setWeights([st.zeros([3, 2]), st.zeros([2])]), `Dense "${dense.name}"`, '[18,2]', '[3,2]');
  assertThrowsMessage(() => dense.setWeights([st.zeros([18, 2])]), 'expected 2 tensors, got 1');
});

test('sequential checks shapes when built, naming the layer', () => {
  assertThrowsMessage(() => sequential({
    layers: [layers.dense({ units: 784, inputShape: [10] }), layers.conv2d({ filters: 8, kernelSize: 5, name: 'conv_bad' })],
  }), 'Conv2D "conv_bad": expected input [batch, height, width, channels], got [None, 784]');
  assertThrowsMessage(() => sequential({
    layers: [layers.conv2d({ filters: 8, kernelSize: 3, inputShape: [8, 8, 1] }), layers.dense({ units: 3 }), layers.flatten(),
      layers.reshape({ targetShape: [7, 7] })],
  }), 'Reshape', 'cannot reshape');
});

test('layers includes the recurrent factories', () => {
  for (const name of ['simpleRNN', 'lstm', 'gru', 'bidirectional', 'timeDistributed', 'dense', 'conv2d', 'embedding']) {
    assert.equal(typeof (layers as Record<string, unknown>)[name], 'function', name);
  }
});

test('gradients reach every trainable weight (conv, batch norm, pooling, dense) and not the moving statistics', () => {
  const m = sequential({
    layers: [
      layers.conv2d({ filters: 2, kernelSize: 3, padding: 'same', inputShape: [4, 4, 1] }),
      layers.batchNormalization(),
      layers.maxPooling2d({ poolSize: 2 }),
      layers.flatten(),
      layers.dense({ units: 3 }),
    ],
  });
  const x = t32([2, 4, 4, 1]);
  const { grads } = st.variableGrads(() => st.sum(st.square(m.apply(x, { training: true }) as st.Tensor)));
  const trainable = m.trainableWeights.map((w) => w.name);
  assert.equal(trainable.length, 6);
  for (const w of m.trainableWeights) {
    assert.ok(grads[w.name], `gradient for ${w.name}`);
    assert.deepEqual(grads[w.name].shape, w.shape);
  }
  for (const w of m.nonTrainableWeights) assert.equal(grads[w.name], undefined, w.name);
});
