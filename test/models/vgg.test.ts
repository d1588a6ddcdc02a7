/** VGG-16 and VGG-19: Keras' layer list, shapes and parameter counts; a training pass; the model file. */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as st from '../../src/index.js';
import { assertRoundTrip, assertShapes, assertUniqueNames, forwardBackward, outputShapes, release } from './zoo_helpers.js';
import { assertThrowsMessage } from '../helpers.js';

test("vgg16 at 224x224x3: Keras' layers, output shapes and 138,357,544 parameters", () => {
  const m = st.models.vgg16();
  // Keras' VGG16 summary: every layer's output shape and parameter count
  const expected: [string, number[], number][] = [
    ['block1_conv1', [224, 224, 64], 1792], ['block1_conv2', [224, 224, 64], 36928], ['block1_pool', [112, 112, 64], 0],
    ['block2_conv1', [112, 112, 128], 73856], ['block2_conv2', [112, 112, 128], 147584], ['block2_pool', [56, 56, 128], 0],
    ['block3_conv1', [56, 56, 256], 295168], ['block3_conv2', [56, 56, 256], 590080], ['block3_conv3', [56, 56, 256], 590080],
    ['block3_pool', [28, 28, 256], 0],
    ['block4_conv1', [28, 28, 512], 1180160], ['block4_conv2', [28, 28, 512], 2359808], ['block4_conv3', [28, 28, 512], 2359808],
    ['block4_pool', [14, 14, 512], 0],
    ['block5_conv1', [14, 14, 512], 2359808], ['block5_conv2', [14, 14, 512], 2359808], ['block5_conv3', [14, 14, 512], 2359808],
    ['block5_pool', [7, 7, 512], 0],
    ['flatten', [25088], 0], ['fc1', [4096], 102764544], ['fc2', [4096], 16781312], ['predictions', [1000], 4097000],
  ];
  assert.deepEqual(m.layers.slice(1).map((l) => l.name), expected.map((e) => e[0]), 'layer order');
  assertShapes(m, Object.fromEntries(expected.map(([n, s]) => [n, s])));
  for (const [name, , params] of expected) assert.equal(m.layers.find((l) => l.name === name)!.countParams(), params, name);
  assert.equal(m.countParams(), 138_357_544);
  release(m);
});

test('vgg19 at 224x224x3: four convolutions in blocks 3-5, 143,667,240 parameters', () => {
  const m = st.models.vgg19();
  assertUniqueNames(m);
  assert.equal(m.layers.filter((l) => l.className === 'Conv2D').length, 16);
  assertShapes(m, { block1_pool: [112, 112, 64], block2_pool: [56, 56, 128], block3_conv4: [56, 56, 256],
    block3_pool: [28, 28, 256], block4_conv4: [28, 28, 512], block4_pool: [14, 14, 512], block5_conv4: [14, 14, 512],
    block5_pool: [7, 7, 512], flatten: [25088], fc1: [4096], fc2: [4096], predictions: [1000] });
  assert.equal(m.countParams(), 143_667_240);
  release(m);
});

test('vgg options: no top with pooling, width multiplier, dropout, smallest input, errors', () => {
  const features = st.models.vgg16({ inputShape: [64, 64, 3], includeTop: false });
  assert.deepEqual(features.outputs[0].shape, [null, 2, 2, 512]);
  assert.equal(features.countParams(), 14_714_688); // Keras' convolutional base
  const pooled = st.models.vgg19({ inputShape: [32, 48, 1], includeTop: false, pooling: 'max', widthMultiplier: 0.25 });
  assert.deepEqual(pooled.outputs[0].shape, [null, 128]);
  assert.deepEqual(outputShapes(pooled).get('block5_pool'), [null, 1, 1, 128]);
  const paper = st.models.vgg16({ inputShape: [32, 32, 3], classes: 10, dropout: 0.5, widthMultiplier: 0.125 });
  assert.deepEqual(paper.layers.filter((l) => l.className === 'Dropout').map((l) => l.name), ['fc1_dropout', 'fc2_dropout']);
  assert.deepEqual(paper.outputs[0].shape, [null, 10]);
  assertThrowsMessage(() => st.models.vgg16({ inputShape: [31, 64, 3] }), 'models.vgg16', 'at least 32x32', '31x64');
  assertThrowsMessage(() => st.models.vgg19({ inputShape: [64, 64] }), 'models.vgg19', '[height, width, channels]');
  assertThrowsMessage(() => st.models.vgg16({ pooling: 'mean' as 'avg' }), "'avg', 'max' or null", '"mean"');
});

test('vgg16 (full width) and vgg19 (half width) train: one forward and backward pass at 32x32', () => {
  // half width keeps the file quick on loaded machines; the layer graph is the same
  for (const m of [st.models.vgg16({ inputShape: [32, 32, 3], classes: 10 }),
    st.models.vgg19({ inputShape: [32, 32, 3], classes: 10, widthMultiplier: 0.5 })]) {
    forwardBackward(m, 2);
    release(m);
  }
});

test('a narrow vgg16 round-trips through model.save and st.loadLayersModel', async () => {
  st.setSeed(11);
  await assertRoundTrip(st.models.vgg16({ inputShape: [32, 32, 3], classes: 10, widthMultiplier: 0.125 }));
});
