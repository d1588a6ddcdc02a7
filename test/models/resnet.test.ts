/** ResNet-50 (Keras' layout) and ResNet-18 (torchvision's): stage shapes, exact counts, training, files. */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as st from '../../src/index.js';
import { assertRoundTrip, assertShapes, assertUniqueNames, forwardBackward, release, trainableCount } from './zoo_helpers.js';
import { assertThrowsMessage } from '../helpers.js';

test("resnet50 at 224x224x3 is Keras' ResNet50: stage shapes, block layout, 25,636,712 parameters", () => {
  const m = st.models.resnet50();
  assertUniqueNames(m);
  assertShapes(m, {
    conv1_pad: [230, 230, 3], conv1_conv: [112, 112, 64], pool1_pad: [114, 114, 64], pool1_pool: [56, 56, 64],
    conv2_block1_0_conv: [56, 56, 256], conv2_block1_1_conv: [56, 56, 64], conv2_block3_out: [56, 56, 256],
    conv3_block1_1_conv: [28, 28, 128], conv3_block4_out: [28, 28, 512],
    conv4_block6_out: [14, 14, 1024], conv5_block3_out: [7, 7, 2048], avg_pool: [2048], predictions: [1000],
  });
  // Keras' figures: 16 blocks, 53 convolutions (4 of them projections) with biases, 53 batch norms
  assert.equal(m.layers.filter((l) => l.className === 'Add').length, 16);
  assert.equal(m.layers.filter((l) => l.className === 'Conv2D').length, 53);
  const bn = m.layers.find((l) => l.name === 'conv1_bn')!.getConfig();
  assert.equal(bn.epsilon, 1.001e-5);
  assert.equal(m.layers.find((l) => l.name === 'conv3_block1_0_conv')!.countParams(), 256 * 512 + 512);
  assert.equal(m.countParams(), 25_636_712);
  assert.equal(trainableCount(m), 25_583_592);
  release(m);
});

test("resnet18 at 224x224x3 is torchvision's resnet18: 11,689,512 trainable parameters, no conv biases", () => {
  const m = st.models.resnet18();
  assertUniqueNames(m);
  assertShapes(m, {
    conv1_conv: [112, 112, 64], pool1_pool: [56, 56, 64], conv2_block2_out: [56, 56, 64],
    conv3_block1_1_pad: [58, 58, 64], conv3_block1_1_conv: [28, 28, 128], conv3_block1_0_conv: [28, 28, 128],
    conv3_block2_out: [28, 28, 128], conv4_block2_out: [14, 14, 256], conv5_block2_out: [7, 7, 512],
    avg_pool: [512], predictions: [1000],
  });
  assert.equal(m.layers.filter((l) => l.className === 'Add').length, 8);
  // torchvision's conv1 is 64x3x7x7 without bias; its first stage has no projection
  assert.equal(m.layers.find((l) => l.name === 'conv1_conv')!.countParams(), 64 * 3 * 7 * 7);
  assert.ok(!m.layers.some((l) => l.name === 'conv2_block1_0_conv'));
  // torchvision counts parameters only; the moving means and variances are buffers there
  assert.equal(trainableCount(m), 11_689_512);
  assert.equal(m.countParams(), 11_689_512 + 2 * 4800);
  release(m);
});

test('resnet options: no top with average pooling, width multiplier, logits, errors', () => {
  const features = st.models.resnet50({ inputShape: [64, 64, 3], includeTop: false });
  assert.deepEqual(features.outputs[0].shape, [null, 2, 2, 2048]);
  assert.equal(features.countParams(), 23_587_712); // Keras' ResNet50 without the top
  const narrow = st.models.resnet18({ inputShape: [32, 40, 1], includeTop: false, pooling: 'avg', widthMultiplier: 0.5 });
  assert.deepEqual(narrow.outputs[0].shape, [null, 256]);
  const logits = st.models.resnet18({ inputShape: [32, 32, 3], classes: 5, classifierActivation: null, widthMultiplier: 0.25 });
  assert.equal(logits.layers[logits.layers.length - 1].getConfig().activation, 'linear');
  assertThrowsMessage(() => st.models.resnet50({ inputShape: [16, 64, 3] }), 'models.resnet50', 'at least 32x32', '16x64');
  assertThrowsMessage(() => st.models.resnet18({ classes: 0 }), 'models.resnet18', 'classes', 'got 0');
  assertThrowsMessage(() => st.models.resnet18({ widthMultiplier: -1 }), 'widthMultiplier', 'got -1');
});

test('resnet50 and resnet18 train: one forward and backward pass at 32x32, full width', () => {
  for (const make of [st.models.resnet50, st.models.resnet18]) {
    const m = make({ inputShape: [32, 32, 3], classes: 10 });
    forwardBackward(m, 2);
    release(m);
  }
});

test('a narrow resnet50 round-trips through model.save and st.loadLayersModel', async () => {
  st.setSeed(12);
  await assertRoundTrip(st.models.resnet50({ inputShape: [32, 32, 3], classes: 10, widthMultiplier: 0.125 }));
});
