/**
 * Both ways with TensorFlow.js: striate's files load in tfjs-layers and predict the same, and
 * files tfjs-layers writes load in striate and predict the same: the digit CNN, a graph model with
 * batch norm and a residual Add, and an LSTM.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as st from '../../src/index.js';
import { setProgressOutput } from '../../src/train/index.js';
import { ready, tf, tfl, tfLoad, tfSave } from './tfjs_interop.js';
import { testValues } from '../helpers.js';

setProgressOutput({ write: () => {}, isTTY: () => false, warn: () => {} });

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'striate-tfjs-'));

function sample(shape: number[], seed: number): Float32Array {
  return Float32Array.from(testValues(shape.reduce((a, b) => a * b, 1), seed));
}

function assertClose(a: ArrayLike<number>, b: ArrayLike<number>, tol: number, what: string): void {
  assert.equal(a.length, b.length, `${what}: output sizes`);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  assert.ok(worst <= tol, `${what}: outputs differ by up to ${worst} (tolerance ${tol})`);
}

/** Gives every weight of a striate model deterministic non-trivial values (variances stay positive). */
function scramble(model: st.LayersModel, seed: number): void {
  model.setWeights(model.weights.map((v, i) => {
    const vals = sample([...v.shape], seed + i).map((x) => (v.name.endsWith('variance') ? 0.5 + Math.abs(x) : 0.5 * x));
    return st.tensor(vals, [...v.shape]);
  }));
}

function striatePredict(model: st.LayersModel, x: Float32Array, shape: number[]): Float32Array {
  return Float32Array.from((model.predict(st.tensor(x, shape)) as st.Tensor).dataSync());
}

function tfPredict(model: tfl.LayersModel, x: Float32Array, shape: number[]): Float32Array {
  return (model.predict(tf.tensor(x, shape)) as tf.Tensor).dataSync() as Float32Array;
}

function striateResidual(): st.LayersModel {
  const x = st.input({ shape: [6] });
  // an L2 penalty and a LeCun initializer: classes tfjs spells its own way (L1L2, LeCunNormal)
  const h = st.layers.dense({ units: 6, activation: 'relu', kernelRegularizer: st.regularizers.l2({ l2: 0.02 }),
    kernelInitializer: 'leCunNormal' }).apply(x) as st.SymbolicTensor;
  const n = st.layers.batchNormalization().apply(h) as st.SymbolicTensor;
  const r = st.layers.add().apply([x, n]) as st.SymbolicTensor;
  const y = st.layers.dense({ units: 3, activation: 'softmax' }).apply(r) as st.SymbolicTensor;
  return st.model({ inputs: x, outputs: y });
}

function striateLstm(): st.LayersModel {
  return st.sequential({ layers: [
    st.layers.lstm({ units: 5, inputShape: [4, 3], returnSequences: true, recurrentActivation: 'tfjsHardSigmoid' }),
    st.layers.lstm({ units: 4 }), st.layers.dense({ units: 2 }),
  ] });
}

test('striate -> TensorFlow.js: digit CNN (compiled, with optimizer state), residual graph, LSTM', async () => {
  await ready();
  const cnn = st.models.digitCnn();
  cnn.compile({ optimizer: st.optimizers.adam({ learningRate: 0.002 }), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const xs = st.tensor(sample([4, 28, 28, 1], 1), [4, 28, 28, 1]);
  await cnn.fit(xs, st.oneHot(st.tensor([1, 2, 3, 4], [4], 'int32'), 10), { epochs: 1, batchSize: 4, verbose: 0 });
  const cases: [string, st.LayersModel, number[]][] = [
    ['digit CNN', cnn, [2, 28, 28, 1]], ['residual graph', striateResidual(), [5, 6]], ['LSTM', striateLstm(), [3, 4, 3]],
  ];
  for (const [what, model, shape] of cases) {
    if (what !== 'digit CNN') scramble(model, 10);
    const dir = tmp();
    await model.save(`file://${dir}`);
    // tfjs reads the whole file, striate's own top-level key included, and ignores that key
    assert.ok(JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8')).striate.shards);
    const loaded = await tfLoad(dir);
    const x = sample(shape, 7);
    assertClose(tfPredict(loaded, x, shape), striatePredict(model, x, shape), 1e-5, what);
    assert.equal(loaded.weights.length, model.weights.length, `${what}: weight count in tfjs`);
    if (what === 'digit CNN') {
      // tfjs read the training config striate wrote and compiled the model with it
      assert.equal(loaded.optimizer?.getClassName(), 'Adam');
      assert.ok(Math.abs((loaded.optimizer?.getConfig() as { learningRate: number }).learningRate - 0.002) < 1e-9);
    }
  }
});

function tfDigitCnn(): tfl.Sequential {
  return tfl.sequential({ layers: [
    tfl.layers.conv2d({ filters: 8, kernelSize: 5, padding: 'same', activation: 'relu', inputShape: [28, 28, 1] }),
    tfl.layers.maxPooling2d({ poolSize: 2 }), tfl.layers.dropout({ rate: 0.25 }),
    tfl.layers.conv2d({ filters: 16, kernelSize: 3, padding: 'same', activation: 'relu' }),
    tfl.layers.maxPooling2d({ poolSize: 2, strides: 2 }), tfl.layers.dropout({ rate: 0.25 }), tfl.layers.flatten(),
    tfl.layers.dense({ units: 256, activation: 'relu' }), tfl.layers.dropout({ rate: 0.5 }),
    tfl.layers.dense({ units: 10, activation: 'softmax' }),
  ] });
}

function tfResidual(): tfl.LayersModel {
  const x = tfl.input({ shape: [6] });
  const h = tfl.layers.dense({ units: 6, activation: 'relu' }).apply(x) as tfl.SymbolicTensor;
  const n = tfl.layers.batchNormalization({
    gammaInitializer: 'randomUniform', betaInitializer: 'randomNormal', movingMeanInitializer: 'randomNormal',
    movingVarianceInitializer: tfl.initializers.constant({ value: 1.7 }),
  }).apply(h) as tfl.SymbolicTensor;
  const r = tfl.layers.add().apply([x, n]) as tfl.SymbolicTensor;
  const y = tfl.layers.dense({ units: 3, activation: 'softmax' }).apply(r) as tfl.SymbolicTensor;
  return tfl.model({ inputs: x, outputs: y });
}

function tfLstm(): tfl.Sequential {
  // tfjs' default recurrent activation is its hard_sigmoid (0.2 x + 0.5), not Keras 3's
  return tfl.sequential({ layers: [
    tfl.layers.lstm({ units: 5, inputShape: [4, 3], biasInitializer: 'randomNormal', returnSequences: true }),
    tfl.layers.lstm({ units: 4, recurrentActivation: 'sigmoid' }),
    tfl.layers.dense({ units: 2 }),
  ] });
}

test('TensorFlow.js -> striate: digit CNN (with tfjs optimizer weights), residual graph with batch norm, LSTM', async () => {
  await ready();
  const cnn = tfDigitCnn();
  cnn.compile({ optimizer: tf.train.adam(0.003), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  await cnn.fit(tf.tensor(sample([4, 28, 28, 1], 2), [4, 28, 28, 1]), tf.oneHot(tf.tensor1d([0, 1, 2, 3], 'int32'), 10),
    { epochs: 1, batchSize: 4, verbose: 0 });
  const cases: [string, tfl.LayersModel, number[], boolean][] = [
    ['digit CNN', cnn, [2, 28, 28, 1], true], ['residual graph', tfResidual(), [5, 6], false], ['LSTM', tfLstm(), [3, 4, 3], false],
  ];
  for (const [what, model, shape, withOptimizer] of cases) {
    const dir = tmp();
    await tfSave(model, dir, withOptimizer);
    const json = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
    if (withOptimizer) assert.ok(json.weightsManifest[0].weights.some((w: { group?: string }) => w.group === 'optimizer'));
    const loaded = await st.loadLayersModel(`file://${path.join(dir, 'model.json')}`);
    const x = sample(shape, 8);
    assertClose(striatePredict(loaded, x, shape), tfPredict(model, x, shape), 1e-5, what);
    assert.equal(loaded.weights.length, model.weights.length, `${what}: weight count in striate`);
    if (withOptimizer) {
      // tfjs' training config compiles the striate model alike
      assert.ok(loaded.optimizer instanceof st.Adam);
      assert.ok(Math.abs(loaded.optimizer.currentLearningRate() - 0.003) < 1e-9);
      assert.deepEqual(loaded.metricsNames, ['loss', 'acc']);
    }
  }
});

test('both ways: GRU, SimpleRNN + TimeDistributed, Bidirectional LSTM (wrapper weight names as tfjs scopes them)', async () => {
  await ready();
  const shape = [2, 4, 3];
  const x = sample(shape, 5);
  const tfModels: [string, () => tfl.LayersModel][] = [
    ['GRU', () => tfl.sequential({ layers: [tfl.layers.gru({ units: 3, inputShape: [4, 3], biasInitializer: 'randomNormal' }), tfl.layers.dense({ units: 2 })] })],
    ['SimpleRNN + TimeDistributed', () => tfl.sequential({ layers: [
      tfl.layers.simpleRNN({ units: 3, inputShape: [4, 3], returnSequences: true }),
      tfl.layers.timeDistributed({ layer: tfl.layers.dense({ units: 2 }) })] })],
    ['Bidirectional', () => tfl.sequential({ layers: [
      tfl.layers.bidirectional({ layer: tfl.layers.lstm({ units: 3 }) as tfl.RNN, inputShape: [4, 3] }), tfl.layers.dense({ units: 2 })] })],
  ];
  for (const [what, make] of tfModels) {
    const model = make();
    const dir = tmp();
    await tfSave(model, dir);
    const loaded = await st.loadLayersModel(path.join(dir, 'model.json'));
    assertClose(striatePredict(loaded, x, shape), tfPredict(model, x, shape), 1e-5, `tfjs -> striate ${what}`);
  }
  const stModels: [string, () => st.LayersModel][] = [
    // tfjs' GRU has no reset_after: true, so this one uses Keras 2's layout
    ['GRU', () => st.sequential({ layers: [st.layers.gru({ units: 3, inputShape: [4, 3], resetAfter: false }), st.layers.dense({ units: 2 })] })],
    ['SimpleRNN + TimeDistributed', () => st.sequential({ layers: [
      st.layers.simpleRNN({ units: 3, inputShape: [4, 3], returnSequences: true }),
      st.layers.timeDistributed({ layer: st.layers.dense({ units: 2 }) })] })],
    ['Bidirectional', () => st.sequential({ layers: [
      st.layers.bidirectional({ layer: st.layers.lstm({ units: 3 }), inputShape: [4, 3] }), st.layers.dense({ units: 2 })] })],
  ];
  for (const [what, make] of stModels) {
    const model = make();
    scramble(model, 30);
    const dir = tmp();
    await model.save(dir);
    const loaded = await tfLoad(dir);
    assertClose(tfPredict(loaded, x, shape), striatePredict(model, x, shape), 1e-5, `striate -> tfjs ${what}`);
  }
});

test('in memory through IO handlers: tf.io.withSaveHandler and tf.io.fromMemory work on both sides', async () => {
  await ready();
  const model = striateResidual();
  scramble(model, 50);
  model.compile({ optimizer: 'rmsprop', loss: 'categoricalCrossentropy' });
  let captured: tf.io.ModelArtifacts | undefined;
  await model.save(tf.io.withSaveHandler(async (a) => {
    captured = a;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  assert.ok(captured?.weightData instanceof ArrayBuffer);
  const x = sample([4, 6], 3);
  const inTfjs = await tfl.loadLayersModel(tf.io.fromMemory(captured!));
  assertClose(tfPredict(inTfjs, x, [4, 6]), striatePredict(model, x, [4, 6]), 1e-5, 'striate -> tfjs in memory');
  assert.equal(inTfjs.optimizer?.getClassName(), 'RMSProp');

  let fromTfjs: tf.io.ModelArtifacts | undefined;
  await inTfjs.save(tf.io.withSaveHandler(async (a) => {
    fromTfjs = a;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }), { includeOptimizer: true }); // tfjs writes its trainingConfig only with the optimizer
  const back = await st.loadLayersModel(tf.io.fromMemory(fromTfjs!));
  assertClose(striatePredict(back, x, [4, 6]), tfPredict(inTfjs, x, [4, 6]), 1e-5, 'tfjs -> striate in memory');
  assert.ok(back.optimizer instanceof st.RMSprop);
  await assert.rejects(st.loadLayersModel({ load: async () => ({ modelTopology: {} }) as never }),
    /loadLayersModel\(handler\) is not a model file/);
});
