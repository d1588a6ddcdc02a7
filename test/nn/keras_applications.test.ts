/**
 * ImageNet architectures of keras.applications (builders in keras_applications.ts), each saved by
 * TensorFlow.js with random weights (batch-norm statistics and biases made non-trivial), loaded
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
import { bothLoadAndAgree, floatInput, sample, tfjsArtifacts } from './keras_files_helpers.js';
import { denseNet121, efficientNetB0, inceptionV3, mobileNet, mobileNetV2, resNet50, vgg16 } from './keras_applications.js';

/** Keeps the initialisers' kernels; biases and batch-norm parameters get small non-trivial values. */
function randomiseStatistics(model: tfl.LayersModel, seed: number): void {
  model.setWeights(model.weights.map((w, i) => {
    const name = w.originalName ?? w.name;
    const shape = w.shape as number[];
    const values = sample(shape, seed + i);
    if (/gamma|moving_variance/.test(name)) return tf.tensor(values.map((v) => 1 + 0.2 * v), shape);
    if (/beta|moving_mean|bias/.test(name)) return tf.tensor(values.map((v) => 0.1 * v), shape);
    return w.read().clone();
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
