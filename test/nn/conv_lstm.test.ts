/**
 * layers.convLstm2d and layers.convLstm2dCell: outputs and states equal tfjs-layers' ConvLSTM2D
 * for the same weights, a float64 gradient check through the unrolled steps, files both ways
 * with TensorFlow.js, shapes checked when the model is built (with the messages), masking, a
 * stateful run, and a ConvLSTM2D that learns to predict the next frame of a moving dot.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as st from '../../src/index.js';
import { gradcheck } from '../../src/autograd/index.js';
import type { CallArgs } from '../../src/nn/layer.js';
import type { ConvLSTM2D } from '../../src/nn/layers/conv_recurrent.js';
import { setProgressOutput } from '../../src/train/index.js';
import { ready, tf, tfl, tfLoad, tfSave } from '../io/tfjs_interop.js';
import { assertThrowsMessage, testTensor } from '../helpers.js';
import { compareWithTfjs, sample, worstDifference } from './tfjs_layer_compare.js';

setProgressOutput({ write: () => {}, isTTY: () => false, warn: () => {} });
const L = st.layers;
before(ready);
// TensorFlow.js' ConvLSTM2D defaults to hardSigmoid; striate's recurrent activation is Keras 3's sigmoid
const tfGate = { recurrentActivation: 'sigmoid' } as const;

test('convLstm2d equals tfjs-layers\' ConvLSTM2D for the same weights (sequences, padding, strides, states)', () => {
  type Opts = Record<string, unknown>;
  const cases: [string, Opts, number[], Opts?, Opts?][] = [
    ['same, last output', { filters: 3, kernelSize: 3, padding: 'same' }, [2, 3, 5, 5, 2]],
    ['valid, sequences', { filters: 2, kernelSize: 3, returnSequences: true }, [2, 3, 6, 5, 1]],
    ['strides 2, same, sequences and states', { filters: 2, kernelSize: [3, 2], strides: 2, padding: 'same', returnSequences: true, returnState: true }, [2, 4, 7, 6, 2]],
    ['strides 2, valid, states', { filters: 3, kernelSize: 2, strides: [2, 1], returnState: true }, [1, 3, 6, 5, 2]],
    ['dilation 2, goBackwards', { filters: 2, kernelSize: 2, dilationRate: 2, goBackwards: true, returnSequences: true }, [2, 3, 6, 6, 1]],
    // TensorFlow.js' hardSigmoid is 0.2 x + 0.5 (Keras 3's is x / 6 + 0.5): striate names it tfjsHardSigmoid
    ['relu and hardSigmoid (gates unfused), no bias', { filters: 2, kernelSize: 3, padding: 'same', activation: 'relu', useBias: false }, [2, 3, 4, 4, 2], { recurrentActivation: 'tfjsHardSigmoid' }, { recurrentActivation: 'hardSigmoid' }],
  ];
  for (const [what, opts, shape, ourGate, theirGate] of cases) {
    const ours = L.convLstm2d({ ...opts, ...ourGate } as unknown as Parameters<typeof L.convLstm2d>[0]);
    const theirs = tfl.layers.convLstm2d({ ...tfGate, ...opts, ...theirGate } as unknown as Parameters<typeof tfl.layers.convLstm2d>[0]);
    const out = compareWithTfjs(ours, theirs, what, { shapes: [shape], scrambleWeights: true, tol: 2e-5 });
    // the shapes worked out when building agree with the tensors that came out
    const declared = ours.computeOutputShape([null, ...shape.slice(1)]);
    const list = Array.isArray(declared[0]) ? declared as (number | null)[][] : [declared as (number | null)[]];
    assert.deepEqual(list.map((s) => s.slice(1)), out.map((t) => t.shape.slice(1)), `${what}: computeOutputShape`);
  }
});

test('weights are Keras\': kernel [kh, kw, in, 4f], recurrent_kernel [kh, kw, f, 4f], bias [4f] with the forget block at 1', () => {
  const layer = L.convLstm2d({ filters: 4, kernelSize: [3, 2] });
  layer.apply(st.zeros([1, 2, 5, 5, 3]));
  assert.deepEqual(layer.weights.map((w) => w.shape), [[3, 2, 3, 16], [3, 2, 4, 16], [16]]);
  assert.deepEqual(layer.weights.map((w) => w.name), ['kernel', 'recurrent_kernel', 'bias'].map((n) => `${layer.name}/${n}`));
  assert.match(layer.name, /^conv_lstm2d/);
  assert.equal(layer.countParams(), 3 * 2 * 3 * 16 + 3 * 2 * 4 * 16 + 16);
  assert.deepEqual(Array.from(layer.bias!.dataSync()), [0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0]);

  // a kernel regularizer adds l2 * sum(kernel^2) to the loss; unitForgetBias false leaves the bias at zeros
  const reg = L.convLstm2d({ filters: 2, kernelSize: 2, kernelRegularizer: st.regularizers.l2({ l2: 0.5 }), unitForgetBias: false });
  reg.apply(st.zeros([1, 2, 3, 3, 1]));
  const penalties = reg.regularizationLosses();
  assert.equal(penalties.length, 1);
  const k = Array.from(reg.kernel!.dataSync());
  assert.ok(Math.abs(penalties[0].dataSync()[0] - 0.5 * k.reduce((a, v) => a + v * v, 0)) < 1e-6);
  assert.ok(Array.from(reg.bias!.dataSync()).every((v) => v === 0));
});

test('rnn over a convLstm2dCell equals convLstm2d, and the cell steps alone as tfjs\' cell does', () => {
  const x = st.tensor(sample([2, 3, 5, 5, 2], 4), [2, 3, 5, 5, 2]);
  const layer = L.convLstm2d({ filters: 2, kernelSize: 3, padding: 'same', returnState: true });
  const generic = L.rnn({ cell: L.convLstm2dCell({ filters: 2, kernelSize: 3, padding: 'same' }), returnState: true });
  const a = layer.apply(x) as unknown as st.Tensor[];
  generic.apply(x);
  generic.setWeights(layer.getWeights());
  const b = generic.apply(x) as unknown as st.Tensor[];
  assert.deepEqual(b.map((t) => t.shape), [[2, 5, 5, 2], [2, 5, 5, 2], [2, 5, 5, 2]]);
  a.forEach((t, i) => assert.ok(worstDifference(t.dataSync(), b[i].dataSync()) < 1e-6, `output ${i}`));

  // one step of the cell alone: [x, h, c] -> [h, h, c] (tfjs' cell is built from x's shape, then called)
  const cell = L.convLstm2dCell({ filters: 2, kernelSize: 3, strides: 2, padding: 'same' });
  const theirCell = tfl.layers.convLstm2dCell({ filters: 2, kernelSize: 3, strides: 2, padding: 'same', ...tfGate });
  theirCell.build([2, 6, 5, 1]);
  const shapes = [[2, 6, 5, 1], [2, 3, 3, 2], [2, 3, 3, 2]];
  const values = shapes.map((s, i) => sample(s, 40 + i));
  const weights = theirCell.getWeights().map((w, i) => sample(w.shape, 60 + i, 0.6));
  theirCell.setWeights(weights.map((w, i) => tf.tensor(w, theirCell.getWeights()[i].shape)));
  const expected = theirCell.call(values.map((v, i) => tf.tensor(v, shapes[i])), {}) as tf.Tensor[];
  const step = cell.apply(values.map((v, i) => st.tensor(v, shapes[i]))) as unknown as st.Tensor[];
  cell.setWeights(weights.map((w, i) => st.tensor(w, [...cell.weights[i].shape])));
  const got = cell.apply(values.map((v, i) => st.tensor(v, shapes[i]))) as unknown as st.Tensor[];
  assert.deepEqual(step.map((t) => t.shape), expected.map((t) => t.shape));
  got.forEach((t, i) => assert.ok(worstDifference(t.dataSync(), expected[i].dataSync() as Float32Array) < 2e-5, `cell output ${i}`));
});

test('gradcheck (float64): a tiny ConvLSTM2D through 2 steps w.r.t. input, kernel, recurrent kernel and bias', () => {
  const cases = [
    L.convLstm2d({ filters: 2, kernelSize: 2, padding: 'same', dtype: 'float64', returnSequences: true }),
    L.convLstm2d({ filters: 1, kernelSize: 2, strides: 2, dtype: 'float64', recurrentActivation: 'tanh', goBackwards: true }),
  ];
  for (const layer of cases) {
    layer.ensureBuilt([null, 2, 4, 3, 2]);
    layer.setWeights(layer.weights.map((w, i) => testTensor([...w.shape], 20 + i, (v) => 0.7 * v)));
    const r = gradcheck((xi, k, rk, b) => layer.forwardWith(xi, { kernel: k, recurrentKernel: rk, bias: b }) as st.Tensor,
      [testTensor([2, 2, 4, 3, 2], 3), layer.kernel!, layer.recurrentKernel!, layer.bias!]);
    assert.ok(r.ok, `${layer.name}: ${JSON.stringify(r.inputs.map((i) => i.maxError))}`);
  }
});

test('masking: masked frames keep h and c, so a padded sequence ends like the unpadded one', () => {
  const layer = L.convLstm2d({ filters: 2, kernelSize: 3, padding: 'same', returnState: true });
  const real = st.tensor(sample([1, 3, 4, 4, 1], 8), [1, 3, 4, 4, 1]);
  const ref = layer.apply(real) as unknown as st.Tensor[];
  const junk = st.fill([1, 2, 4, 4, 1], 5);
  const trailing = layer.apply(st.concat([real, junk], 1), { mask: st.tensor([[true, true, true, false, false]]) } as CallArgs) as unknown as st.Tensor[];
  const leading = layer.apply(st.concat([junk, real], 1), { mask: st.tensor([[false, false, true, true, true]]) } as CallArgs) as unknown as st.Tensor[];
  for (const [name, got] of [['trailing', trailing], ['leading', leading]] as const) {
    got.forEach((t, i) => assert.ok(worstDifference(t.dataSync(), ref[i].dataSync()) < 1e-6, `${name} padding, output ${i}`));
  }
  // a sequence output keeps the per-step mask for the next layer
  const seq = L.convLstm2d({ filters: 1, kernelSize: 1, returnSequences: true });
  const mask = st.tensor([[true, false]]);
  assert.equal(seq.computeMask(st.zeros([1, 2, 3, 3, 1]), mask), mask);
});

test('stateful: the next call starts from the last states; resetStates clears them or sets them', () => {
  const layer = L.convLstm2d({ filters: 2, kernelSize: 3, padding: 'same', stateful: true, batchInputShape: [1, 2, 4, 4, 1] });
  const whole = L.convLstm2d({ filters: 2, kernelSize: 3, padding: 'same' });
  const x = st.tensor(sample([1, 4, 4, 4, 1], 6), [1, 4, 4, 4, 1]);
  const [first, second] = st.split(x, 2, 1);
  layer.apply(first);
  whole.apply(x);
  whole.setWeights(layer.getWeights());
  const continued = layer.apply(second) as st.Tensor;
  assert.ok(worstDifference(continued.dataSync(), (whole.apply(x) as st.Tensor).dataSync()) < 1e-6, 'two halves = the whole');
  layer.resetStates();
  const fresh = L.convLstm2d({ filters: 2, kernelSize: 3, padding: 'same' });
  fresh.apply(second);
  fresh.setWeights(layer.getWeights());
  assert.ok(worstDifference((layer.apply(second) as st.Tensor).dataSync(), (fresh.apply(second) as st.Tensor).dataSync()) < 1e-6, 'after reset');
  assertThrowsMessage(() => layer.resetStates([st.zeros([1, 4, 4, 2]), st.zeros([1, 3, 4, 2])]),
    'expected initialState as 2 tensor(s) [1, 4, 4, 2], [1, 4, 4, 2], got [1,4,4,2], [1,3,4,2]');
  layer.resetStates([st.zeros([1, 4, 4, 2]), st.ones([1, 4, 4, 2])]);
  assert.deepEqual(layer.states!.map((s) => s.shape), [[1, 4, 4, 2], [1, 4, 4, 2]]);
});

test('output shapes are checked when the model is built, with messages naming the layer', () => {
  const m = st.sequential({ layers: [
    L.convLstm2d({ filters: 4, kernelSize: 3, strides: 2, inputShape: [5, 9, 8, 1], returnSequences: true }),
    L.convLstm2d({ filters: 2, kernelSize: 2, padding: 'same' }),
  ] });
  assert.deepEqual(m.layers[0].outputShape, [null, 5, 4, 3, 4]);
  assert.deepEqual(m.outputShape, [null, 4, 3, 2]);
  const withState = L.convLstm2d({ filters: 3, kernelSize: 3, returnState: true });
  const out = withState.apply(st.input({ shape: [2, 6, 7, 2] })) as unknown as { shape: (number | null)[] }[];
  assert.deepEqual(out.map((o) => o.shape), [[null, 4, 5, 3], [null, 4, 5, 3], [null, 4, 5, 3]]);

  assertThrowsMessage(() => st.sequential({ layers: [L.convLstm2d({ name: 'clstm', filters: 2, kernelSize: 3, inputShape: [4, 8, 8] })] }),
    'ConvLSTM2D "clstm": expected input [batch, timesteps, rows, cols, channels], got [None, 4, 8, 8]');
  assertThrowsMessage(() => st.sequential({ layers: [L.convLstm2d({ name: 'small', filters: 2, kernelSize: 3, inputShape: [4, 2, 8, 1] })] }),
    'ConvLSTM2D "small": input [None, 4, 2, 8, 1] is smaller than the kernel [3,3] with padding \'valid\'');
  const built = L.convLstm2d({ name: 'three', filters: 2, kernelSize: 3 });
  built.apply(st.zeros([1, 2, 4, 4, 3]));
  assertThrowsMessage(() => built.apply(st.zeros([1, 2, 4, 4, 1])), 'ConvLSTM2D "three": expected input [batch, timesteps, rows, cols, 3], got [1, 2, 4, 4, 1]');
  assertThrowsMessage(() => built.apply(st.zeros([1, 2, 4, 4, 3]), { initialState: [st.zeros([1, 2, 2, 2])] } as CallArgs),
    'expected initialState as 2 tensor(s) [1, 2, 2, 2], [1, 2, 2, 2], got [1,2,2,2]');

  assertThrowsMessage(() => L.convLstm2d({ name: 'nofilters', kernelSize: 3 } as never), 'ConvLSTM2D "nofilters": filters must be a positive integer, got undefined');
  assertThrowsMessage(() => L.convLstm2d({ filters: 2 } as never), 'kernelSize is required');
  assertThrowsMessage(() => L.convLstm2d({ filters: 2, kernelSize: [3, 3, 3] }), 'kernelSize must be a positive integer or 2 of them, got [3,3,3]');
  assertThrowsMessage(() => L.convLstm2d({ filters: 2, kernelSize: 3, padding: 'causal' as never }), 'padding must be \'valid\' or \'same\', got "causal"');
  assertThrowsMessage(() => L.convLstm2d({ filters: 2, kernelSize: 3, strides: 2, dilationRate: 2 }), 'strides [2,2] > 1 and dilationRate [2,2] > 1 cannot be combined');
  assertThrowsMessage(() => L.convLstm2d({ filters: 2, kernelSize: 3, dataFormat: 'channelsFirst' as never }), 'only dataFormat \'channelsLast\' (NHWC) is supported');
  assertThrowsMessage(() => L.convLstm2d({ filters: 2, kernelSize: 3, dropout: 1 }), 'dropout must be a number in [0, 1), got 1');
  assertThrowsMessage(() => L.convLstm2d({ filters: 2, kernelsize: 3 } as never), 'unknown option "kernelsize" for layers.convLstm2d; did you mean "kernelSize"?');
  assertThrowsMessage(() => L.convLstm2dCell({ name: 'bad', filters: 0, kernelSize: 3 }), 'ConvLSTM2DCell "bad": filters must be a positive integer, got 0');
  const cell = L.convLstm2dCell({ name: 'cell', filters: 2, kernelSize: 3 });
  assertThrowsMessage(() => cell.computeOutputShape([null, 8, 8]), 'ConvLSTM2DCell "cell": expected a step input [batch, rows, cols, channels], got [None, 8, 8]');
  cell.apply([st.zeros([1, 5, 5, 1]), st.zeros([1, 3, 3, 2]), st.zeros([1, 3, 3, 2])]);
  assertThrowsMessage(() => cell.call([st.zeros([1, 5, 5, 1]), st.zeros([1, 5, 5, 2]), st.zeros([1, 3, 3, 2])]),
    'ConvLSTM2DCell "cell": expected states [1, 3, 3, 2], got [1,5,5,2]');
});

test('dropout and recurrentDropout act in training only, with one mask per sequence', () => {
  const layer = L.convLstm2d({ filters: 2, kernelSize: 3, padding: 'same', dropout: 0.5, recurrentDropout: 0.5, seed: 3 });
  const plain = L.convLstm2d({ filters: 2, kernelSize: 3, padding: 'same' });
  const x = st.tensor(sample([2, 3, 4, 4, 1], 2), [2, 3, 4, 4, 1]);
  plain.apply(x);
  layer.apply(x);
  layer.setWeights(plain.getWeights());
  const inference = (layer.apply(x) as st.Tensor).dataSync();
  assert.ok(worstDifference(inference, (plain.apply(x) as st.Tensor).dataSync()) < 1e-7, 'no dropout outside training');
  const trained = (layer.apply(x, { training: true }) as st.Tensor).dataSync();
  assert.ok(worstDifference(trained, inference) > 1e-3, 'dropout changes the output in training');
});

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'striate-convlstm-'));

test('save/load: a ConvLSTM2D model round-trips in striate and both ways with TensorFlow.js', async () => {
  const m = st.sequential({ layers: [
    L.convLstm2d({ filters: 3, kernelSize: 3, padding: 'same', returnSequences: true, inputShape: [3, 6, 5, 2] }),
    // TensorFlow.js' own hardSigmoid, which its files name hard_sigmoid
    L.convLstm2d({ filters: 2, kernelSize: 2, strides: 2, recurrentActivation: 'tfjsHardSigmoid', goBackwards: true }),
    L.flatten(),
    L.dense({ units: 2 }),
  ] });
  m.setWeights(m.weights.map((v, i) => st.tensor(sample([...v.shape], 100 + i, 0.5), [...v.shape])));
  const shape = [2, 3, 6, 5, 2];
  const x = sample(shape, 9);
  const expected = (m.predict(st.tensor(x, shape)) as st.Tensor).dataSync();
  const dir = tmp();
  try {
    await m.save(`file://${dir}`);
    const written = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
    const config = written.modelTopology.config.layers.find((l: { class_name: string }) => l.class_name === 'ConvLSTM2D');
    assert.equal(config.class_name, 'ConvLSTM2D');
    for (const key of ['filters', 'kernel_size', 'strides', 'padding', 'data_format', 'dilation_rate', 'recurrent_activation',
      'unit_forget_bias', 'return_sequences', 'go_backwards', 'stateful', 'dropout', 'recurrent_dropout']) {
      assert.ok(key in config.config, `config key ${key}`);
    }
    assert.ok(!('units' in config.config), 'no units key (Keras writes filters)');
    assert.deepEqual(config.config.kernel_size, [3, 3]);
    assert.equal(config.config.data_format, 'channels_last');

    const back = await st.loadLayersModel(`file://${path.join(dir, 'model.json')}`);
    assert.deepEqual(back.weights.map((w) => w.name), m.weights.map((w) => w.name));
    assert.ok(worstDifference((back.predict(st.tensor(x, shape)) as st.Tensor).dataSync(), expected) < 1e-6, 'striate -> striate');
    const theirs = await tfLoad(dir);
    const t = (theirs.predict(tf.tensor(x, shape)) as tf.Tensor).dataSync() as Float32Array;
    assert.ok(worstDifference(t, expected) < 1e-5, 'striate -> tfjs');
    const dir2 = tmp();
    try {
      await tfSave(theirs, dir2);
      const again = await st.loadLayersModel(`file://${path.join(dir2, 'model.json')}`);
      assert.equal(again.layers[1].className, 'ConvLSTM2D');
      assert.ok(worstDifference((again.predict(st.tensor(x, shape)) as st.Tensor).dataSync(), expected) < 1e-5, 'tfjs -> striate');
    } finally {
      fs.rmSync(dir2, { recursive: true, force: true });
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a model file TensorFlow.js wrote with its own defaults (hardSigmoid, unitForgetBias unset) loads and predicts alike', async () => {
  const theirs = tfl.sequential({ layers: [tfl.layers.convLstm2d({ filters: 2, kernelSize: 3, inputShape: [2, 5, 5, 1] })] });
  const shape = [1, 2, 5, 5, 1];
  const x = sample(shape, 4);
  const expected = (theirs.predict(tf.tensor(x, shape)) as tf.Tensor).dataSync() as Float32Array;
  const dir = tmp();
  try {
    await tfSave(theirs, dir);
    const ours = await st.loadLayersModel(`file://${path.join(dir, 'model.json')}`);
    assert.equal((ours.layers[0] as ConvLSTM2D).cell.formula.recurrentActivation.name, 'tfjsHardSigmoid');
    assert.ok(worstDifference((ours.predict(st.tensor(x, shape)) as st.Tensor).dataSync(), expected) < 1e-5);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

/**
 * Sequences of `frames` 8x8 frames with one lit pixel moving one step a frame, right or down
 * (so the direction must be remembered from earlier frames), and the frame that comes next.
 */
function movingDots(n: number, frames: number, seed: number): { x: st.Tensor; y: st.Tensor; next: number[] } {
  const size = 8;
  const x = new Float32Array(n * frames * size * size);
  const y = new Float32Array(n * size * size);
  const next: number[] = [];
  let s = seed;
  const rand = (k: number): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s % k;
  };
  for (let i = 0; i < n; i++) {
    const down = rand(2) === 1;
    // start where frames + 1 positions fit on the grid
    const along = rand(size - frames);
    const across = rand(size);
    const at = (t: number): number => (down ? (along + t) * size + across : across * size + along + t);
    for (let t = 0; t < frames; t++) x[(i * frames + t) * size * size + at(t)] = 1;
    y[i * size * size + at(frames)] = 1;
    next.push(at(frames));
  }
  return { x: st.tensor(x, [n, frames, size, size, 1]), y: st.tensor(y, [n, size, size, 1]), next };
}

test('a ConvLSTM2D learns to predict the next frame of a moving dot (loss / 20, the dot found in 90% of new sequences)', async () => {
  const frames = 3;
  const train = movingDots(96, frames, 5);
  const held = movingDots(48, frames, 77);
  const model = st.sequential({ layers: [
    L.convLstm2d({ filters: 8, kernelSize: 3, padding: 'same', inputShape: [frames, 8, 8, 1],
      kernelInitializer: st.initializers.glorotUniform({ seed: 1 }), recurrentInitializer: st.initializers.orthogonal({ seed: 2 }) }),
    L.conv2d({ filters: 1, kernelSize: 3, padding: 'same', activation: 'sigmoid', kernelInitializer: st.initializers.glorotUniform({ seed: 3 }) }),
  ] });
  model.compile({ optimizer: st.train.adam(0.02), loss: 'binaryCrossentropy' });
  const history = await model.fit(train.x, train.y, { epochs: 25, batchSize: 16, verbose: 0, shuffle: false });
  const losses = history.history.loss as number[];
  assert.ok(losses[losses.length - 1] < losses[0] / 20, `loss ${losses[0]} -> ${losses[losses.length - 1]}`);
  // where the model puts the brightest pixel of the next frame, on sequences it has not seen
  const predicted = (model.predict(held.x) as st.Tensor).reshape([48, 64]).argMax(1).dataSync();
  const hits = held.next.filter((p, i) => predicted[i] === p).length;
  assert.ok(hits / held.next.length >= 0.9, `next position right in ${hits} of ${held.next.length} held-out sequences (losses ${losses.map((l) => l.toFixed(3)).join(', ')})`);
});
