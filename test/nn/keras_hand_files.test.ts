/**
 * Layer classes and options that Keras files have and TensorFlow.js cannot write (or cannot run):
 * the model files are written by hand as tf.keras 2.x and the converter write them (an InputLayer
 * first in a Sequential, `model_config` nested in the topology), and the expected outputs are
 * computed with TensorFlow.js' ops from the same weights.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { ready, tf } from '../io/tfjs_interop.js';
import { compareOutputs, floatInput, loadStriate, sample, striatePredict, type Artifacts, type Input } from './keras_files_helpers.js';

type Json = Record<string, unknown>;
interface Weight { name: string; shape: number[]; values: Float32Array | Int32Array; dtype?: 'float32' | 'int32' }

function kerasFile(modelConfig: Json, weights: Weight[] = []): Artifacts {
  const bytes = new Uint8Array(weights.reduce((n, w) => n + w.values.byteLength, 0));
  let offset = 0;
  for (const w of weights) {
    bytes.set(new Uint8Array(w.values.buffer, w.values.byteOffset, w.values.byteLength), offset);
    offset += w.values.byteLength;
  }
  return {
    modelTopology: { keras_version: '2.15.0', backend: 'tensorflow', model_config: modelConfig },
    format: 'layers-model', generatedBy: 'keras v2.15.0', convertedBy: 'TensorFlow.js Converter v4.22.0',
    weightSpecs: weights.map((w) => ({ name: w.name, shape: w.shape, dtype: w.dtype ?? 'float32' })),
    weightData: bytes.buffer,
  };
}

const inputLayer = (shape: number[], name = 'input_1'): Json =>
  ({ class_name: 'InputLayer', config: { batch_input_shape: [null, ...shape], dtype: 'float32', sparse: false, ragged: false, name } });
const keras2 = (className: string, name: string, config: Json = {}): Json =>
  ({ class_name: className, config: { name, trainable: true, dtype: 'float32', ...config } });
const sequential = (shape: number[], layers: Json[]): Json =>
  ({ class_name: 'Sequential', config: { name: 'sequential', layers: [inputLayer(shape), ...layers] } });
const weight = (name: string, shape: number[], seed: number, scale = 0.5): Weight =>
  ({ name, shape, values: sample(shape, seed, scale) });
const t = (w: Weight): tf.Tensor => tf.tensor(w.values, w.shape);
const tin = (i: Input): tf.Tensor => tf.tensor(i.data, i.shape);
const out = (...ts: tf.Tensor[]) => ts.map((x) => ({ shape: [...x.shape], data: x.dataSync() }));

async function agrees(file: Artifacts, inputs: Input[], expected: ReturnType<typeof out>, what: string, tol = 1e-5): Promise<void> {
  await ready();
  const r = compareOutputs(striatePredict(await loadStriate(file), inputs), expected, what);
  assert.ok(r.diff <= tol, `${what}: striate differs from the reference by ${r.diff}`);
}

test('keras hand files: ReLU with max_value, negative_slope and threshold', async () => {
  const x = floatInput([3, 8], 1, 8);
  const file = kerasFile(sequential([8], [keras2('ReLU', 're_lu', { max_value: 6.0, negative_slope: 0.1, threshold: 0.5 })]));
  const v = tin(x);
  const expected = tf.where(v.greaterEqual(6), tf.fill(v.shape, 6), tf.where(v.greaterEqual(0.5), v, v.sub(0.5).mul(0.1)));
  await agrees(file, [x], out(expected), 'ReLU');
});

test('keras hand files: ELU alpha, LeakyReLU (Keras 2 alpha and Keras 3 negative_slope), ThresholdedReLU', async () => {
  const x = floatInput([3, 6], 2, 3);
  const file = kerasFile(sequential([6], [keras2('ELU', 'elu', { alpha: 0.7 }), keras2('LeakyReLU', 'leaky_re_lu', { alpha: 0.2 }),
    keras2('LeakyReLU', 'leaky_re_lu_1', { negative_slope: 0.5 }), keras2('ThresholdedReLU', 'thresholded_re_lu', { theta: 0.2 })]));
  let v = tin(x);
  v = tf.where(v.greater(0), v, v.exp().sub(1).mul(0.7));
  v = tf.where(v.greater(0), v, v.mul(0.2));
  v = tf.where(v.greater(0), v, v.mul(0.5));
  v = tf.where(v.greater(0.2), v, tf.zerosLike(v));
  await agrees(file, [x], out(v), 'ELU/LeakyReLU/ThresholdedReLU');
});

test('keras hand files: activations Keras names that TensorFlow.js cannot save (gelu_new, silu, hard_silu)', async () => {
  const x = floatInput([3, 5], 3, 4);
  const v = tin(x);
  for (const [name, f] of [
    ['gelu_new', (u: tf.Tensor) => u.mul(0.5).mul(u.add(u.pow(3).mul(0.044715)).mul(Math.sqrt(2 / Math.PI)).tanh().add(1))],
    ['silu', (u: tf.Tensor) => u.mul(u.sigmoid())],
    ['hard_silu', (u: tf.Tensor) => u.mul(tf.relu6(u.add(3))).div(6)],
  ] as [string, (u: tf.Tensor) => tf.Tensor][]) {
    await agrees(kerasFile(sequential([5], [keras2('Activation', 'activation', { activation: name })])), [x], out(f(v)), name, 1e-5);
  }
});

test('keras hand files: Conv1D with causal padding and dilation', async () => {
  const x = floatInput([2, 7, 3], 4);
  const kernel = weight('conv1d/kernel', [2, 3, 4], 5);
  const bias = weight('conv1d/bias', [4], 6);
  const file = kerasFile(sequential([7, 3], [keras2('Conv1D', 'conv1d', { filters: 4, kernel_size: [2], strides: [1], padding: 'causal',
    data_format: 'channels_last', dilation_rate: [2], groups: 1, activation: 'linear', use_bias: true })]), [kernel, bias]);
  const padded = tf.pad(tin(x), [[0, 0], [2, 0], [0, 0]]) as tf.Tensor3D;
  const expected = tf.conv1d(padded, t(kernel) as tf.Tensor3D, 1, 'valid', 'NWC', 2).add(t(bias));
  await agrees(file, [x], out(expected), 'Conv1D causal');
});

test('keras hand files: SeparableConv2D with depth_multiplier 2', async () => {
  const x = floatInput([2, 5, 5, 3], 7);
  const dw = weight('separable_conv2d/depthwise_kernel', [3, 3, 3, 2], 8);
  const pw = weight('separable_conv2d/pointwise_kernel', [1, 1, 6, 4], 9);
  const bias = weight('separable_conv2d/bias', [4], 10);
  const file = kerasFile(sequential([5, 5, 3], [keras2('SeparableConv2D', 'separable_conv2d', { filters: 4, kernel_size: [3, 3],
    strides: [1, 1], padding: 'same', data_format: 'channels_last', dilation_rate: [1, 1], depth_multiplier: 2, activation: 'relu',
    use_bias: true })]), [dw, pw, bias]);
  const expected = tf.relu(tf.separableConv2d(tin(x) as tf.Tensor4D, t(dw) as tf.Tensor4D, t(pw) as tf.Tensor4D, 1, 'same').add(t(bias)));
  await agrees(file, [x], out(expected), 'SeparableConv2D depth_multiplier 2');
});

test('keras hand files: Subtract in a Functional model, GlobalAveragePooling2D with keepdims', async () => {
  const a = floatInput([2, 3, 3, 2], 11);
  const b = floatInput([2, 3, 3, 2], 12);
  const file = kerasFile({ class_name: 'Functional', config: { name: 'model', layers: [
    { ...inputLayer([3, 3, 2], 'a'), name: 'a', inbound_nodes: [] },
    { ...inputLayer([3, 3, 2], 'b'), name: 'b', inbound_nodes: [] },
    { ...keras2('Subtract', 'subtract'), name: 'subtract', inbound_nodes: [[['a', 0, 0, {}], ['b', 0, 0, {}]]] },
    { ...keras2('GlobalAveragePooling2D', 'pool', { data_format: 'channels_last', keepdims: true }), name: 'pool',
      inbound_nodes: [[['subtract', 0, 0, {}]]] },
  ], input_layers: [['a', 0, 0], ['b', 0, 0]], output_layers: [['pool', 0, 0]] } });
  await agrees(file, [a, b], out(tin(a).sub(tin(b)).mean([1, 2], true)), 'Subtract + keepdims');
});

test('keras hand files: Normalization, from adapted weights and from config statistics', async () => {
  const x = floatInput([2, 3, 3, 3], 13, 100, 120);
  const mean = { name: 'normalization/mean', shape: [3], values: Float32Array.from([123.7, 116.3, 103.5]) };
  const variance = { name: 'normalization/variance', shape: [3], values: Float32Array.from([3409.9, 3262.7, 3291.7]) };
  const count = { name: 'normalization/count', shape: [], values: Int32Array.from([0]), dtype: 'int32' as const };
  const adapted = kerasFile(sequential([3, 3, 3], [keras2('Rescaling', 'rescaling', { scale: 1, offset: 0 }),
    keras2('Normalization', 'normalization', { axis: [-1], mean: null, variance: null, invert: false })]), [mean, variance, count]);
  const expected = tin(x).sub(t(mean)).div(t(variance).sqrt());
  await agrees(adapted, [x], out(expected), 'Normalization (weights)', 1e-5);
  const given = kerasFile(sequential([3, 3, 3], [keras2('Normalization', 'normalization',
    { axis: -1, mean: Array.from(mean.values), variance: Array.from(variance.values), invert: false })]));
  await agrees(given, [x], out(expected), 'Normalization (config)', 1e-5);
  const inverted = kerasFile(sequential([3], [keras2('Normalization', 'normalization', { axis: -1, mean: 2, variance: 4, invert: true })]));
  const y = floatInput([2, 3], 14);
  await agrees(inverted, [y], out(tin(y).mul(2).add(2)), 'Normalization (invert)');
});

test('keras hand files: RandomWidth is the identity when predicting', async () => {
  const x = floatInput([2, 4, 5, 2], 15);
  const file = kerasFile(sequential([4, 5, 2], [keras2('RandomWidth', 'random_width', { factor: 0.2, interpolation: 'bilinear', seed: null })]));
  await agrees(file, [x], out(tin(x)), 'RandomWidth');
});

test('keras hand files: classes striate cannot run are refused naming the class and the layer', async () => {
  await ready();
  const lambda = kerasFile(sequential([4], [keras2('Lambda', 'lambda', { function: ['4wEAAAAA', null, null], module: '__main__' })]));
  await assert.rejects(loadStriate(lambda), /unsupported layer class "Lambda" in layer "lambda"/);
  const tfOp = kerasFile({ class_name: 'Functional', config: { name: 'model', layers: [
    { ...inputLayer([4]), name: 'input_1', inbound_nodes: [] },
    { ...keras2('TFOpLambda', 'tf.math.multiply', { function: 'math.multiply' }), name: 'tf.math.multiply',
      inbound_nodes: [['input_1', 0, 0, { y: 2.0, name: null }]] },
  ], input_layers: [['input_1', 0, 0]], output_layers: [['tf.math.multiply', 0, 0]] } });
  await assert.rejects(loadStriate(tfOp), /unsupported layer class "TFOpLambda" in layer "tf.math.multiply"/);
});

test('keras hand files: BatchNormalization with axis written as a list, as tf.keras 2.x writes it', async () => {
  const x = floatInput([2, 3, 3, 2], 16);
  const names = ['gamma', 'beta', 'moving_mean', 'moving_variance'];
  const [gamma, beta, mean, variance] = names.map((n, i) => ({ ...weight(`batch_normalization/${n}`, [2], 20 + i),
    ...(n === 'moving_variance' ? { values: Float32Array.from([0.7, 1.3]) } : {}) }));
  const file = kerasFile(sequential([3, 3, 2], [keras2('BatchNormalization', 'batch_normalization', { axis: [3], momentum: 0.99,
    epsilon: 0.001, center: true, scale: true, beta_initializer: { class_name: 'Zeros', config: {} },
    gamma_initializer: { class_name: 'Ones', config: {} }, moving_mean_initializer: { class_name: 'Zeros', config: {} },
    moving_variance_initializer: { class_name: 'Ones', config: {} }, beta_regularizer: null, gamma_regularizer: null,
    beta_constraint: null, gamma_constraint: null })]), [gamma, beta, mean, variance]);
  const expected = tin(x).sub(t(mean)).div(t(variance).add(0.001).sqrt()).mul(t(gamma)).add(t(beta));
  await agrees(file, [x], out(expected), 'BatchNormalization axis [3]');
});
