/** model.save / loadLayersModel: configs of every layer class, Sequential and graph models, the files on disk. */
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as st from '../../src/index.js';
import { fromPythonic, toPythonic, type ClassConfig } from '../../src/nn/serialization.js';
import { setProgressOutput } from '../../src/train/index.js';

setProgressOutput({ write: () => {}, isTTY: () => false, warn: () => {} });

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'striate-model-'));
const values = (t: st.Tensor | st.Tensor[]) => Array.from((Array.isArray(t) ? t[0] : t).dataSync());

function assertSameOutputs(a: st.LayersModel, b: st.LayersModel, x: st.Tensor | st.Tensor[], tol = 1e-6): void {
  const ya = values(a.predict(x));
  const yb = values(b.predict(x));
  assert.equal(ya.length, yb.length);
  ya.forEach((v, i) => assert.ok(Math.abs(v - yb[i]) <= tol, `output ${i}: ${v} vs ${yb[i]}`));
}

test('every layer class survives config -> model.json form -> layer, with TensorFlow.js key names', () => {
  const L = st.layers;
  const layers: st.Layer[] = [
    L.dense({ units: 3, activation: 'relu', kernelRegularizer: 'l2', kernelConstraint: 'nonNeg', inputShape: [4] }),
    L.conv1d({ filters: 2, kernelSize: 3, padding: 'causal' }), L.conv2d({ filters: 2, kernelSize: [3, 2], strides: 2 }),
    L.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2 }), L.separableConv2d({ filters: 4, kernelSize: 3 }),
    L.conv2dTranspose({ filters: 2, kernelSize: 3, padding: 'same' }), L.zeroPadding2d({ padding: [1, 2] }),
    L.upSampling2d({ size: [2, 3] }), L.maxPooling1d({ poolSize: 2 }), L.maxPooling2d({ poolSize: 2, padding: 'same' }),
    L.averagePooling1d({ poolSize: 2 }), L.averagePooling2d({ poolSize: 3, strides: 1 }),
    L.globalAveragePooling1d(), L.globalAveragePooling2d({ keepDims: true }), L.globalMaxPooling1d(), L.globalMaxPooling2d(),
    L.flatten(), L.reshape({ targetShape: [2, -1] }), L.permute({ dims: [2, 1] }), L.dropout({ rate: 0.3, seed: 4 }),
    L.activation({ activation: 'hardSigmoid' }), L.batchNormalization({ momentum: 0.9 }), L.layerNormalization({ axis: -1 }),
    L.embedding({ inputDim: 10, outputDim: 3 }), L.add(), L.subtract(), L.multiply(), L.average(), L.maximum(), L.minimum(),
    L.concatenate({ axis: 1 }), L.simpleRNN({ units: 2 }), L.lstm({ units: 3, returnSequences: true }),
    L.gru({ units: 2, resetAfter: false }), L.bidirectional({ layer: L.lstm({ units: 2 }), mergeMode: 'sum' }),
    L.timeDistributed({ layer: L.dense({ units: 2 }) }),
  ];
  for (const layer of layers) {
    const disk = toPythonic(st.serializeLayer(layer)) as Record<string, Record<string, unknown>>;
    assert.equal(disk.class_name, layer.className);
    assert.equal(disk.config.name, layer.name);
    for (const key of Object.keys(disk.config)) assert.ok(!/[A-Z]/.test(key), `${layer.className}: key ${key} is snake_case`);
    const back = st.deserializeLayer(fromPythonic(disk) as unknown as ClassConfig, 'test');
    assert.equal(back.className, layer.className);
    assert.deepEqual(toPythonic(st.serializeLayer(back)), disk, `${layer.className} config round trip`);
  }
  const dense = toPythonic(st.serializeLayer(layers[0])) as { config: Record<string, unknown> };
  assert.deepEqual(dense.config.batch_input_shape, [null, 4]);
  assert.deepEqual(dense.config.kernel_initializer, { class_name: 'GlorotUniform', config: { seed: null } });
  assert.deepEqual(dense.config.kernel_regularizer, { class_name: 'L1L2', config: { l1: 0, l2: 0.01 } });
  const conv = toPythonic(st.serializeLayer(layers[2])) as { config: Record<string, unknown> };
  assert.deepEqual(conv.config.kernel_size, [3, 2]);
  assert.equal(conv.config.data_format, 'channels_last');
  // Keras 3's hard sigmoid gets its own name; 'hard_sigmoid' is TensorFlow.js' 0.2 x + 0.5
  assert.equal((toPythonic(st.serializeLayer(layers[20])) as { config: Record<string, unknown> }).config.activation, 'hard_sigmoid_keras3');
  const tfjsFlavour = toPythonic(st.serializeLayer(L.lstm({ units: 2, recurrentActivation: 'tfjsHardSigmoid' }))) as { config: Record<string, unknown> };
  assert.equal(tfjsFlavour.config.recurrent_activation, 'hard_sigmoid');
});

test('a Sequential model saves as model.json + shard and loads back predicting the same', async () => {
  const dir = tmp();
  st.setSeed(3);
  const model = st.models.digitCnn();
  const result = await model.save(`file://${dir}`);
  assert.ok((result.modelArtifactsInfo.weightDataBytes ?? 0) > 0);
  const json = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
  assert.equal(json.format, 'layers-model');
  assert.match(json.generatedBy, /^striate v/);
  assert.equal(json.convertedBy, null);
  assert.equal(json.modelTopology.class_name, 'Sequential');
  assert.equal(json.modelTopology.backend, 'tensor_flow.js');
  assert.match(json.modelTopology.keras_version, /^striate /);
  const first = json.modelTopology.config.layers[0];
  assert.equal(first.class_name, 'Conv2D');
  assert.deepEqual(first.config.batch_input_shape, [null, 28, 28, 1]);
  const specs = json.weightsManifest[0].weights;
  assert.deepEqual(specs.map((w: { name: string }) => w.name.split('/')[1]),
    ['kernel', 'bias', 'kernel', 'bias', 'kernel', 'bias', 'kernel', 'bias']);
  assert.deepEqual(specs[0].shape, [5, 5, 1, 8]);
  const shard = json.weightsManifest[0].paths[0];
  assert.equal(json.striate.shards[shard].byteLength, fs.statSync(path.join(dir, shard)).size);
  assert.match(json.striate.shards[shard].sha256, /^[0-9a-f]{64}$/);

  const loaded = await st.loadLayersModel(`file://${path.join(dir, 'model.json')}`);
  assert.ok(loaded instanceof st.Sequential);
  assert.deepEqual(loaded.layers.map((l) => l.className), model.layers.map((l) => l.className));
  assertSameOutputs(model, loaded, st.randomNormal([3, 28, 28, 1], 0, 1, 'float32', 9), 0);

  // a second save replaces the shard and removes the old one
  model.setWeights(model.getWeights().map((w) => w.mul(2)));
  await model.save(dir);
  assert.deepEqual(fs.readdirSync(dir).filter((f) => f.endsWith('.bin')).length, 1);
  assertSameOutputs(model, await st.loadLayersModel(path.join(dir, 'model.json')), st.ones([1, 28, 28, 1]), 0);
});

test('a graph model with two inputs, a shared layer, a residual add and two outputs round-trips', async () => {
  const a = st.input({ shape: [6], name: 'a' });
  const b = st.input({ shape: [6], name: 'b' });
  const shared = st.layers.dense({ units: 6, activation: 'tanh' });
  const ha = shared.apply(a) as st.SymbolicTensor;
  const hb = shared.apply(b) as st.SymbolicTensor;
  const sum = st.layers.add().apply([ha, a]) as st.SymbolicTensor;
  const both = st.layers.concatenate().apply([sum, hb]) as st.SymbolicTensor;
  const out1 = st.layers.dense({ units: 2, activation: 'softmax' }).apply(both) as st.SymbolicTensor;
  const out2 = st.layers.dense({ units: 1 }).apply(hb) as st.SymbolicTensor;
  const model = st.model({ inputs: [a, b], outputs: [out1, out2], name: 'two_headed' });
  const dir = tmp();
  await model.save(dir);
  const json = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
  assert.equal(json.modelTopology.class_name, 'Model');
  assert.deepEqual(json.modelTopology.config.input_layers, [['a', 0, 0], ['b', 0, 0]]);
  const sharedEntry = json.modelTopology.config.layers.find((l: { name: string }) => l.name === shared.name);
  assert.deepEqual(sharedEntry.inbound_nodes, [[['a', 0, 0, {}]], [['b', 0, 0, {}]]]);
  const loaded = await st.loadLayersModel(path.join(dir, 'model.json'));
  assert.equal(loaded.name, 'two_headed');
  const xs = [st.randomNormal([4, 6], 0, 1, 'float32', 1), st.randomNormal([4, 6], 0, 1, 'float32', 2)];
  const ya = model.predict(xs) as st.Tensor[];
  const yb = loaded.predict(xs) as st.Tensor[];
  assert.equal(yb.length, 2);
  ya.forEach((y, i) => assert.deepEqual(Array.from(yb[i].dataSync()), Array.from(y.dataSync())));
});

test('modelCheckpoint with saveWeightsOnly: false writes whole models that loadLayersModel reads', async () => {
  const model = st.sequential({ layers: [st.layers.dense({ units: 4, activation: 'relu', inputShape: [3] }), st.layers.dense({ units: 1 })] });
  model.compile({ optimizer: 'adam', loss: 'meanSquaredError', metrics: ['mae'] });
  const x = st.randomNormal([32, 3], 0, 1, 'float32', 1);
  const y = st.sum(x, 1, true);
  const dir = tmp();
  const ckpt = st.callbacks.modelCheckpoint({ filepath: path.join(dir, 'epoch-{epoch}'), monitor: 'loss', saveWeightsOnly: false });
  await model.fit(x, y, { epochs: 2, batchSize: 8, callbacks: [ckpt], verbose: 0, seed: 1 });
  const loaded = await st.loadLayersModel(path.join(dir, 'epoch-2', 'model.json'));
  assertSameOutputs(model, loaded, x, 0);
  assert.equal(loaded.optimizer?.iterations, model.optimizer?.iterations);
  assert.deepEqual(loaded.metricsNames, ['loss', 'mae']);
  assert.ok(fs.existsSync(path.join(dir, 'epoch-1', 'model.json')));
});

test('models nested as layers (transfer learning) round-trip, in a Sequential and in a graph', async () => {
  const base = st.sequential({ name: 'feature_base', layers: [st.layers.dense({ units: 4, activation: 'relu', inputShape: [3] })] });
  assert.equal(base.name, 'feature_base');
  const stacked = st.sequential({ layers: [base, st.layers.dense({ units: 2 })] });
  const i = st.input({ shape: [3] });
  const graph = st.model({ inputs: i, outputs: st.layers.dense({ units: 2 }).apply(base.apply(i) as st.SymbolicTensor) as st.SymbolicTensor });
  const x = st.randomNormal([5, 3], 0, 1, 'float32', 4);
  for (const model of [stacked, graph]) {
    const dir = tmp();
    await model.save(dir);
    const json = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
    const inner = json.modelTopology.config.layers.find((l: { class_name: string }) => l.class_name === 'Sequential');
    assert.equal(inner.config.name, 'feature_base');
    const loaded = await st.loadLayersModel(path.join(dir, 'model.json'));
    assertSameOutputs(model, loaded, x, 0);
  }
});

test('a Keras-converter style file (topology under model_config, InputLayer first) loads', async () => {
  const dir = tmp();
  const kernel = new Float32Array([1, 2, 3, 4, 5, 6]);
  const bias = new Float32Array([0.5, -0.5]);
  fs.writeFileSync(path.join(dir, 'group1-shard1of1.bin'), Buffer.concat([Buffer.from(kernel.buffer), Buffer.from(bias.buffer)]));
  const json = {
    format: 'layers-model', generatedBy: 'keras v2.15.0', convertedBy: 'TensorFlow.js Converter v4.22.0',
    modelTopology: {
      keras_version: '2.15.0', backend: 'tensorflow',
      model_config: { class_name: 'Sequential', config: { name: 'sequential', layers: [
        { class_name: 'InputLayer', config: { batch_input_shape: [null, 3], dtype: 'float32', sparse: false, ragged: false, name: 'input_1' } },
        { class_name: 'Dense', config: { name: 'dense', trainable: true, dtype: 'float32', units: 2, activation: 'relu', use_bias: true,
          kernel_initializer: { module: 'keras.initializers', class_name: 'GlorotUniform', config: { seed: null }, registered_name: null },
          bias_initializer: { class_name: 'Zeros', config: {} }, kernel_regularizer: null, bias_regularizer: null,
          activity_regularizer: null, kernel_constraint: null, bias_constraint: null } },
      ] } },
    },
    weightsManifest: [{ paths: ['group1-shard1of1.bin'], weights: [
      { name: 'dense/kernel', shape: [3, 2], dtype: 'float32' }, { name: 'dense/bias', shape: [2], dtype: 'float32' },
    ] }],
  };
  fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify(json));
  const model = await st.loadLayersModel(path.join(dir, 'model.json'));
  // relu([1, 1, 1] W + b) with W = [[1, 2], [3, 4], [5, 6]]
  assert.deepEqual(values(model.predict(st.ones([1, 3]))), [9.5, 11.5]);
});

test('model.getConfig() and model.toJSON() give the topology, as in TensorFlow.js', async () => {
  const model = st.sequential({ layers: [st.layers.dense({ units: 2, inputShape: [3] }), st.layers.activation({ activation: 'softmax' })] });
  const config = model.getConfig() as { name: string; layers: { className: string }[] };
  assert.equal(config.name, model.name);
  assert.deepEqual(config.layers.map((l) => l.className), ['Dense', 'Activation']);
  const topology = JSON.parse(model.toJSON() as string);
  const dir = tmp();
  await model.save(dir);
  assert.deepEqual(topology, JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8')).modelTopology);
  assert.equal(topology.config.layers[0].config.batch_input_shape[1], 3);
});

test('transfer learning: layers added to a loaded model get fresh names, so the result saves and loads', async () => {
  const dir = tmp();
  const original = st.sequential({ layers: [
    st.layers.dense({ units: 4, activation: 'relu', inputShape: [3], name: 'dense_900' }), st.layers.dense({ units: 2, name: 'dense_901' }),
  ] });
  await original.save(dir);
  const loaded = await st.loadLayersModel(path.join(dir, 'model.json')) as st.Sequential;
  loaded.pop();
  // generated names skip the loaded ones, whatever the counter says
  const fresh = Array.from({ length: 1000 }, () => st.layers.dense({ units: 1 }));
  assert.ok(!fresh.some((l) => l.name === 'dense_900' || l.name === 'dense_901'));
  loaded.add(fresh[fresh.length - 1]);
  const dir2 = tmp();
  await loaded.save(dir2);
  const again = await st.loadLayersModel(path.join(dir2, 'model.json'));
  assertSameOutputs(loaded, again, st.ones([2, 3]), 0);
});
