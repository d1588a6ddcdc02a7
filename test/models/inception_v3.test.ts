/** Inception-v3 in Keras' layout: stem and module shapes, the exact count, training, the model file. */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as st from '../../src/index.js';
import { assertRoundTrip, assertShapes, assertUniqueNames, forwardBackward, release, trainableCount } from './zoo_helpers.js';
import { assertThrowsMessage } from '../helpers.js';

test('inceptionV3 names: automatic names never repeat, so a base and layers made before it share a model', () => {
  // first in the file, so that the head takes the plain name 'conv2d' before any Inception layer exists
  const head = st.layers.conv2d({ filters: 4, kernelSize: 1 });
  assert.equal(head.name, 'conv2d');
  const base = st.models.inceptionV3({ inputShape: [75, 75, 3], includeTop: false, widthMultiplier: 0.125 });
  const joined = st.model({ inputs: base.inputs, outputs: head.apply(base.outputs[0]) as st.SymbolicTensor });
  assertUniqueNames(joined);
  assert.equal(joined.layers.filter((l) => l.className === 'Conv2D').length, 95);
});

test("inceptionV3 at 299x299x3 is Keras' InceptionV3: stem and module shapes, 23,851,784 parameters", () => {
  const m = st.models.inceptionV3();
  assertUniqueNames(m);
  // the stem: 299 -> 149 -> 147 -> 147 -> 73 -> 73 -> 71 -> 35 (its layers have automatic names)
  const stem = m.layers.slice(1, 18).filter((l) => l.className === 'Activation' || l.className === 'MaxPooling2D');
  assert.deepEqual(stem.map((l) => [l.className, l.nodes[0].outputs[0].shape.slice(1)]), [
    ['Activation', [149, 149, 32]], ['Activation', [147, 147, 32]], ['Activation', [147, 147, 64]], ['MaxPooling2D', [73, 73, 64]],
    ['Activation', [73, 73, 80]], ['Activation', [71, 71, 192]], ['MaxPooling2D', [35, 35, 192]],
  ]);
  assertShapes(m, {
    mixed0: [35, 35, 256], mixed1: [35, 35, 288], mixed2: [35, 35, 288], mixed3: [17, 17, 768],
    mixed4: [17, 17, 768], mixed5: [17, 17, 768], mixed6: [17, 17, 768], mixed7: [17, 17, 768], mixed8: [8, 8, 1280],
    mixed9_0: [8, 8, 768], mixed9: [8, 8, 2048], mixed9_1: [8, 8, 768], mixed10: [8, 8, 2048],
    avg_pool: [2048], predictions: [1000],
  });
  const convs = m.layers.filter((l) => l.className === 'Conv2D');
  assert.equal(convs.length, 94);
  assert.ok(convs.every((l) => l.getConfig().useBias === false), 'no convolution biases');
  // the factorised kernels: 1x7/7x1 three times in each of mixed4-7 and once in mixed8, 1x3/3x1 in mixed9-10, one 5x5 per 35x35 module
  const kernels = convs.map((l) => (l.getConfig().kernelSize as number[]).join('x'));
  const tally = (k: string) => kernels.filter((s) => s === k).length;
  assert.deepEqual([tally('1x7'), tally('7x1'), tally('1x3'), tally('3x1'), tally('5x5')], [13, 13, 4, 4, 3]);
  const bns = m.layers.filter((l) => l.className === 'BatchNormalization');
  assert.ok(bns.every((l) => l.getConfig().scale === false && l.countParams() === 3 * (l.nodes[0].outputs[0].shape[3] as number)));
  assert.equal(m.countParams(), 23_851_784);
  assert.equal(trainableCount(m), 23_817_352);
  release(m);
});

test('inceptionV3 options: smallest input 75x75, no top, width multiplier, errors', () => {
  const small = st.models.inceptionV3({ inputShape: [75, 75, 3], includeTop: false });
  assert.deepEqual(small.outputs[0].shape, [null, 1, 1, 2048]);
  assert.equal(small.countParams(), 21_802_784); // Keras' InceptionV3 without the top
  const narrow = st.models.inceptionV3({ inputShape: [80, 96, 1], includeTop: false, pooling: 'max', widthMultiplier: 0.25 });
  assert.deepEqual(narrow.outputs[0].shape, [null, 512]);
  assertThrowsMessage(() => st.models.inceptionV3({ inputShape: [74, 299, 3] }), 'models.inceptionV3', 'at least 75x75', '74x299');
});

test('inceptionV3 trains: one forward and backward pass at 75x75, full width', () => {
  const m = st.models.inceptionV3({ inputShape: [75, 75, 3], classes: 10 });
  forwardBackward(m, 2);
  release(m);
});

test('a narrow inceptionV3 round-trips through model.save and st.loadLayersModel', async () => {
  st.setSeed(14);
  await assertRoundTrip(st.models.inceptionV3({ inputShape: [75, 75, 3], classes: 10, widthMultiplier: 0.125 }));
});
