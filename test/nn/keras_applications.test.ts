/**
 * ImageNet architectures of keras.applications (builders in keras_applications.ts), each saved by
 * TensorFlow.js with seeded random weights (batch-norm statistics and biases non-trivial), loaded
 * by TensorFlow.js and by striate, predictions compared. Inputs are small (the smallest size each
 * architecture takes, or near it) and channel counts scaled down, so the whole file runs in
 * seconds; the layer classes, options, order and names are Keras'.
 *
 * Each model is compared on its softmax output and on its last feature map (the classifier head's
 * input), whose values are not squashed. Tolerance: 1e-5 times the largest output magnitude (at
 * least 1e-5), as float32 sums over tens of layers taken in another order differ in the last bits.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { ready, tf, tfl } from '../io/tfjs_interop.js';
import {
  bothLoadAndAgree, compareOutputs, floatInput, loadStriate, sample, striatePredict, tfjsArtifacts, tfjsPredict,
} from './keras_files_helpers.js';
import { denseNet121, efficientNetB0, inceptionV3, mobileNet, mobileNetV2, resNet50, vgg16 } from './keras_applications.js';

/**
 * Seeded weights: kernels He-uniform (so that activations keep their scale through the depth),
 * biases and batch-norm parameters small non-trivial values.
 */
function randomiseStatistics(model: tfl.LayersModel, seed: number): void {
  model.setWeights(model.weights.map((w, i) => {
    const name = w.originalName ?? w.name;
    const shape = w.shape as number[];
    const values = sample(shape, seed + i);
    if (/gamma|moving_variance/.test(name)) return tf.tensor(values.map((v) => 1 + 0.2 * v), shape);
    if (/beta|moving_mean|bias/.test(name)) return tf.tensor(values.map((v) => 0.1 * v), shape);
    // depthwise kernels [kh, kw, channels, multiplier] take kh*kw inputs per output; others all but the last axis
    const fanIn = /depthwise/.test(name) ? shape[0] * shape[1] : shape.slice(0, -1).reduce((a, b) => a * b, 1);
    return tf.tensor(values.map((v) => v * Math.sqrt(6 / fanIn)), shape);
  }));
}

/**
 * The model with a second output, the last feature map before the classifier head: random
 * weights give nearly flat softmax outputs, which would hide differences; the features do not.
 */
function withFeatures(model: tfl.LayersModel, featureLayer: string): tfl.LayersModel {
  const features = model.getLayer(featureLayer).output as tfl.SymbolicTensor;
  return tfl.model({ inputs: model.inputs, outputs: [model.outputs[0], features], name: model.name });
}

const architectures: {
  name: string; build: () => tfl.LayersModel; features: string; size: number; classes: string[]; pixels255?: boolean;
}[] = [
  { name: 'MobileNet v1 (alpha 0.25, 32x32)', build: () => mobileNet(32, 0.25, 10), features: 'conv_pw_13_relu', size: 32,
    classes: ['ZeroPadding2D', 'DepthwiseConv2D', 'ReLU', 'Reshape', 'Dropout'] },
  { name: 'MobileNet v2 (alpha 0.35, 32x32)', build: () => mobileNetV2(32, 0.35, 10), features: 'out_relu', size: 32,
    classes: ['ZeroPadding2D', 'DepthwiseConv2D', 'ReLU', 'Add'] },
  { name: 'ResNet50 (width 1/8, 32x32)', build: () => resNet50(32, 1 / 8, 10), features: 'conv5_block3_out', size: 32,
    classes: ['ZeroPadding2D', 'MaxPooling2D', 'Add', 'Activation'] },
  { name: 'VGG16 (width 1/8, 32x32)', build: () => vgg16(32, 1 / 8, 10), features: 'block5_conv3', size: 32, classes: ['MaxPooling2D', 'Flatten'] },
  { name: 'InceptionV3 (width 1/8, 75x75)', build: () => inceptionV3(75, 1 / 8, 10), features: 'mixed10', size: 75,
    classes: ['AveragePooling2D', 'Concatenate'] },
  { name: 'DenseNet121 (width 1/4, 32x32)', build: () => denseNet121(32, 1 / 4, 10), features: 'relu', size: 32,
    classes: ['Concatenate', 'AveragePooling2D'] },
  { name: 'EfficientNetB0 (width coefficient 0.25, 32x32)', build: () => efficientNetB0(32, 0.25, 10), features: 'top_activation', size: 32, pixels255: true,
    classes: ['Rescaling', 'DepthwiseConv2D', 'Multiply', 'Reshape', 'GlobalAveragePooling2D', 'Dropout'] },
];

for (const a of architectures) {
  test(`keras applications: ${a.name} predicts in striate what it predicts in TensorFlow.js`, async (t) => {
    await ready();
    const model = withFeatures(a.build(), a.features);
    randomiseStatistics(model, 500);
    const artifacts = await tfjsArtifacts(model);
    const text = JSON.stringify(artifacts.modelTopology);
    for (const cls of a.classes) assert.ok(text.includes(`"class_name":"${cls}"`), `${a.name}: the file names ${cls}`);
    const input = a.pixels255 ? floatInput([2, a.size, a.size, 3], 9, 127.5, 127.5) : floatInput([2, a.size, a.size, 3], 9);
    // the tolerance is checked below, relative to the output scale
    const r = await bothLoadAndAgree(artifacts, [input], a.name, Infinity);
    const tol = 1e-5 * Math.max(1, r.scale);
    t.diagnostic(`${a.name}: ${model.layers.length} layers, ${model.countParams()} weights; largest difference ${r.diff.toExponential(2)}, ` +
      `largest output ${r.scale.toFixed(3)}`);
    assert.ok(r.diff <= tol, `${a.name}: striate differs from TensorFlow.js by ${r.diff} (tolerance ${tol})`);
  });
}

/**
 * EfficientNet as Keras writes it starts Rescaling(1/255), Normalization (ImageNet statistics in
 * its weights mean/variance/count) and, for ImageNet weights, a per-channel Rescaling; TensorFlow.js
 * has no Normalization and no per-channel Rescaling, so they are added to its file by hand, and
 * TensorFlow.js is given the input those two layers make of the pixels.
 */
test('keras applications: EfficientNetB0 with Keras\' Normalization and per-channel Rescaling', async (t) => {
  await ready();
  const model = withFeatures(efficientNetB0(32, 0.25, 10), 'top_activation');
  randomiseStatistics(model, 600);
  const artifacts = await tfjsArtifacts(model);
  const mean = [0.485, 0.456, 0.406];
  const variance = [0.229, 0.224, 0.225];
  const perChannel = variance.map((s) => 1 / Math.sqrt(s));
  type Entry = { name: string; class_name: string; config: Record<string, unknown>; inbound_nodes: unknown[] };
  const layers = (artifacts.modelTopology as { config: { layers: Entry[] } }).config.layers;
  const at = layers.findIndex((l) => l.name === 'rescaling');
  const entry = (className: string, name: string, config: Record<string, unknown>, from: string): Entry =>
    ({ name, class_name: className, config: { name, trainable: true, dtype: 'float32', ...config }, inbound_nodes: [[[from, 0, 0, {}]]] });
  layers.splice(at + 1, 0,
    entry('Normalization', 'normalization', { axis: [3], mean: null, variance: null, invert: false }, 'rescaling'),
    entry('Rescaling', 'rescaling_1', { scale: perChannel, offset: 0.0 }, 'normalization'));
  const pad = layers.find((l) => l.name === 'stem_conv_pad')!;
  pad.inbound_nodes = [[['rescaling_1', 0, 0, {}]]];
  const stats = new Uint8Array(new Float32Array([...mean, ...variance, 0]).buffer);
  new Int32Array(stats.buffer, 24, 1)[0] = 1000;
  const data = new Uint8Array(artifacts.weightData as ArrayBuffer);
  const all = new Uint8Array(data.length + stats.length);
  all.set(data);
  all.set(stats, data.length);
  const file = { ...artifacts, weightData: all.buffer, weightSpecs: [...artifacts.weightSpecs!,
    { name: 'normalization/mean', shape: [3], dtype: 'float32' as const },
    { name: 'normalization/variance', shape: [3], dtype: 'float32' as const },
    { name: 'normalization/count', shape: [], dtype: 'int32' as const }] };
  const pixels = floatInput([2, 32, 32, 3], 9, 127.5, 127.5);
  const ours = striatePredict(await loadStriate(file), [pixels]);
  // what Normalization and the per-channel Rescaling make of the pixels, scaled back by 255 for TensorFlow.js' Rescaling(1/255)
  const prepared = tf.tensor(pixels.data, pixels.shape).div(255).sub(mean).div(tf.sqrt(variance)).mul(perChannel).mul(255);
  const theirs = tfjsPredict(model, [{ shape: pixels.shape, data: prepared.dataSync() as Float32Array }]);
  const r = compareOutputs(ours, theirs, 'EfficientNetB0 with Normalization');
  t.diagnostic(`EfficientNetB0 with Normalization: largest difference ${r.diff.toExponential(2)}, largest output ${r.scale.toFixed(3)}`);
  assert.ok(r.diff <= 1e-5 * Math.max(1, r.scale), `EfficientNetB0 with Normalization: differs by ${r.diff}`);
});
