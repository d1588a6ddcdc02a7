/**
 * The volume layers (Conv3D, Conv3DTranspose, MaxPooling3D, AveragePooling3D): output shapes,
 * values against tfjs-layers' same layer with the same weights, model files both ways, errors.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as st from '../../src/index.js';
import { layers, AveragePooling3D, Conv3D, MaxPooling3D } from '../../src/nn/layers/index.js';
import type { Layer } from '../../src/nn/layer.js';
import { ready, tf, tfl, tfSave } from '../io/tfjs_interop.js';
import { assertThrowsMessage, testValues } from '../helpers.js';
import { symShape } from './layer_helpers.js';

const values = (shape: number[], seed: number) => Array.from(testValues(shape.reduce((a, b) => a * b, 1), seed));

function assertNear(ours: ArrayLike<number>, theirs: ArrayLike<number>, what: string, tol = 1e-5): void {
  assert.equal(ours.length, theirs.length, `${what}: sizes`);
  for (let i = 0; i < ours.length; i++) {
    assert.ok(Math.abs(ours[i] - theirs[i]) <= tol * Math.max(1, Math.abs(theirs[i])),
      `${what} element ${i}: striate ${ours[i]}, TensorFlow.js ${theirs[i]}`);
  }
}

/**
 * Builds tfjs-layers' layer on the input shape, copies its (initialised) weights into ours and
 * compares the outputs on the same input; also the output shapes either side computes.
 */
function compareWithTfjs(ours: Layer, theirs: tfl.layers.Layer, inputShape: number[], what: string): void {
  const x = values(inputShape, 3);
  const yTheirs = theirs.apply(tf.tensor(x, inputShape)) as tf.Tensor;
  const weights = theirs.getWeights().map((w) => st.tensor(Array.from(w.dataSync()), [...w.shape]));
  const yOurs = ours.apply(st.tensor(x, inputShape)) as st.Tensor;
  if (weights.length > 0) {
    ours.setWeights(weights);
  }
  const y = ours.apply(st.tensor(x, inputShape)) as st.Tensor;
  assert.deepEqual([...yOurs.shape], [...yTheirs.shape], `${what}: output shape`);
  assert.deepEqual(symShape(ours, inputShape.slice(1)).slice(1), [...yTheirs.shape].slice(1), `${what}: symbolic output shape`);
  assert.deepEqual([...y.shape], [...yTheirs.shape], `${what}: output shape`);
  assertNear(y.dataSync(), yTheirs.dataSync(), what);
}

test('tfjs-layers on the cpu backend', async () => {
  await ready();
});

test('Conv3D: output shapes and values as tfjs-layers with the same weights', () => {
  compareWithTfjs(layers.conv3d({ filters: 3, kernelSize: [2, 3, 2], activation: 'relu' }),
    tfl.layers.conv3d({ filters: 3, kernelSize: [2, 3, 2], activation: 'relu', biasInitializer: 'randomNormal' }),
    [2, 4, 5, 4, 2], 'Conv3D valid');
  compareWithTfjs(layers.conv3d({ filters: 2, kernelSize: 3, strides: [1, 2, 2], padding: 'same' }),
    tfl.layers.conv3d({ filters: 2, kernelSize: 3, strides: [1, 2, 2], padding: 'same', biasInitializer: 'ones' }),
    [1, 3, 5, 6, 3], 'Conv3D same strided');
  compareWithTfjs(layers.conv3d({ filters: 2, kernelSize: 2, dilationRate: [2, 1, 1], useBias: false }),
    tfl.layers.conv3d({ filters: 2, kernelSize: 2, dilationRate: [2, 1, 1], useBias: false }),
    [1, 5, 4, 4, 1], 'Conv3D dilated');
  const c = layers.conv3d({ filters: 4, kernelSize: 3 });
  assert.deepEqual(symShape(c, [6, 7, 8, 2]), [null, 4, 5, 6, 4]);
  assert.equal(c.countParams(), 3 * 3 * 3 * 2 * 4 + 4);
  assert.ok(c instanceof Conv3D);
});

test('Conv3DTranspose: output shapes and values as tfjs-layers with the same weights; no dilationRate in its config', () => {
  compareWithTfjs(layers.conv3dTranspose({ filters: 2, kernelSize: 3, strides: 2, padding: 'same' }),
    tfl.layers.conv3dTranspose({ filters: 2, kernelSize: 3, strides: 2, padding: 'same', biasInitializer: 'ones' }),
    [2, 2, 3, 2, 3], 'Conv3DTranspose same');
  compareWithTfjs(layers.conv3dTranspose({ filters: 3, kernelSize: [2, 3, 3], strides: [1, 2, 1], activation: 'tanh' }),
    tfl.layers.conv3dTranspose({ filters: 3, kernelSize: [2, 3, 3], strides: [1, 2, 1], activation: 'tanh', biasInitializer: 'ones' }),
    [1, 2, 3, 2, 2], 'Conv3DTranspose valid');
  const t = layers.conv3dTranspose({ filters: 2, kernelSize: 3, strides: 2 });
  assert.deepEqual(symShape(t, [2, 3, 4, 1]), [null, 5, 7, 9, 2]);
  assert.equal('dilationRate' in t.getConfig(), false);
  assertThrowsMessage(() => layers.conv3dTranspose({ filters: 2, kernelSize: 3, dilationRate: 2 }), 'Conv3DTranspose', 'dilationRate');
});

test('MaxPooling3D and AveragePooling3D: shapes and values as tfjs-layers; TensorFlow.js aliases', () => {
  compareWithTfjs(layers.maxPooling3d({ poolSize: [2, 2, 3], strides: [1, 2, 2], padding: 'same' }),
    tfl.layers.maxPooling3d({ poolSize: [2, 2, 3], strides: [1, 2, 2], padding: 'same' }), [2, 3, 5, 5, 2], 'MaxPooling3D same');
  compareWithTfjs(layers.maxPooling3d({}), tfl.layers.maxPooling3d({}), [1, 4, 5, 4, 2], 'MaxPooling3D defaults');
  compareWithTfjs(layers.averagePooling3d({ poolSize: 2, padding: 'same' }),
    tfl.layers.averagePooling3d({ poolSize: 2, padding: 'same' }), [1, 3, 5, 4, 2], 'AveragePooling3D same (partial windows)');
  compareWithTfjs(layers.averagePooling3d({ poolSize: 3, strides: 1 }),
    tfl.layers.averagePooling3d({ poolSize: 3, strides: 1 }), [2, 4, 4, 5, 1], 'AveragePooling3D valid');
  assert.ok(layers.avgPool3d({}) instanceof AveragePooling3D);
  assert.ok(layers.avgPooling3d({}) instanceof AveragePooling3D);
  assert.ok(layers.maxPool3d({}) instanceof MaxPooling3D);
  const cfg = layers.maxPooling3d({ poolSize: 3 }).getConfig();
  assert.deepEqual([cfg.poolSize, cfg.strides, cfg.padding, cfg.dataFormat], [[3, 3, 3], [3, 3, 3], 'valid', 'channelsLast']);
});

test('volume layers: errors name the layer and say what came', () => {
  assertThrowsMessage(() => symShape(layers.conv3d({ filters: 2, kernelSize: 2 }), [4, 4, 2]), 'Conv3D', '[batch, depth, height, width, channels]');
  assertThrowsMessage(() => symShape(layers.conv3d({ filters: 2, kernelSize: 3 }), [2, 4, 4, 1]), 'Conv3D', 'smaller than the kernel');
  assertThrowsMessage(() => layers.conv3d({ filters: 2, kernelSize: [2, 2] }), 'Conv3D', 'kernelSize', '[2,2]');
  assertThrowsMessage(() => layers.maxPooling3d({ poolSize: [2, 2] as never }), 'MaxPooling3D', 'poolSize', '[2,2]');
  assertThrowsMessage(() => layers.averagePooling3d({ padding: 'causal' as never }), 'AveragePooling3D', 'padding', 'causal');
  assertThrowsMessage(() => symShape(layers.maxPooling3d({ poolSize: 3 }), [2, 4, 4, 1]), 'MaxPooling3D', 'smaller than the pool');
  assertThrowsMessage(() => symShape(layers.averagePooling3d({}), [4, 4, 1]), 'AveragePooling3D', '[batch, depth, height, width, channels]');
});

function striateVolumeModel(): st.Sequential {
  return st.sequential({ layers: [
    st.layers.conv3d({ filters: 3, kernelSize: 2, padding: 'same', activation: 'relu', inputShape: [4, 4, 4, 2] }),
    st.layers.maxPooling3d({ poolSize: 2 }),
    st.layers.conv3dTranspose({ filters: 2, kernelSize: 2, strides: 2 }),
    st.layers.averagePooling3d({ poolSize: [1, 2, 2], padding: 'same' }),
    st.layers.flatten(),
    st.layers.dense({ units: 3 }),
  ] });
}

test('volume layers: save and load round trip (striate both ends, and into tfjs-layers)', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'striate-conv3d-'));
  try {
    st.setSeed(5);
    const m = striateVolumeModel();
    const x = st.tensor(values([2, 4, 4, 4, 2], 9), [2, 4, 4, 4, 2]);
    const y = m.predict(x) as st.Tensor;
    await m.save(`file://${dir}`);
    const back = await st.loadLayersModel(`file://${path.join(dir, 'model.json')}`);
    assert.deepEqual(back.layers.map((l) => l.className), m.layers.map((l) => l.className));
    assert.deepEqual(Array.from((back.predict(x) as st.Tensor).dataSync()), Array.from(y.dataSync()));
    const json = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
    const theirs = await tfl.loadLayersModel(tf.io.fromMemory(json.modelTopology, json.weightsManifest[0].weights,
      new Uint8Array(fs.readFileSync(path.join(dir, json.weightsManifest[0].paths[0]))).buffer));
    const yTheirs = theirs.predict(tf.tensor(Array.from(x.dataSync()), [2, 4, 4, 4, 2])) as tf.Tensor;
    assertNear(y.dataSync(), yTheirs.dataSync(), 'tfjs-layers reading our file');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('volume layers: a model file tfjs-layers writes loads in striate and predicts the same', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'striate-conv3d-tf-'));
  try {
    const theirs = tfl.sequential({ layers: [
      tfl.layers.conv3d({ filters: 2, kernelSize: [2, 3, 3], strides: [1, 2, 2], padding: 'same', inputShape: [3, 6, 6, 1],
        biasInitializer: 'randomNormal' }),
      tfl.layers.averagePooling3d({ poolSize: [1, 2, 2], strides: 1 }),
      tfl.layers.conv3dTranspose({ filters: 1, kernelSize: 2, strides: 2, padding: 'same', activation: 'sigmoid' }),
      tfl.layers.maxPooling3d({ poolSize: 2 }),
    ] });
    await tfSave(theirs, dir);
    const ours = await st.loadLayersModel(`file://${path.join(dir, 'model.json')}`);
    assert.deepEqual(ours.layers.map((l) => l.className), ['Conv3D', 'AveragePooling3D', 'Conv3DTranspose', 'MaxPooling3D']);
    const x = values([2, 3, 6, 6, 1], 4);
    const yTheirs = theirs.predict(tf.tensor(x, [2, 3, 6, 6, 1])) as tf.Tensor;
    const yOurs = ours.predict(st.tensor(x, [2, 3, 6, 6, 1])) as st.Tensor;
    assert.deepEqual([...yOurs.shape], [...yTheirs.shape]);
    assertNear(yOurs.dataSync(), yTheirs.dataSync(), 'striate reading a tfjs-layers file');
    // Keras' short alias for the pooling class names
    const alias = st.deserializeLayer({ className: 'MaxPool3D', config: { poolSize: [1, 2, 2] } }, 'test');
    assert.equal(alias.className, 'MaxPooling3D');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
