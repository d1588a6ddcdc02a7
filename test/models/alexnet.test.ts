/** AlexNet as the seeds list it (one tower): every layer's shape and parameters, training, the model file. */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as st from '../../src/index.js';
import { assertRoundTrip, assertShapes, forwardBackward, release } from './zoo_helpers.js';
import { assertThrowsMessage } from '../helpers.js';

test("alexnet at 227x227x3: the seeds' maps (55x55x96 ... 6x6x256) and 62,378,344 parameters", () => {
  const m = st.models.alexnet();
  const expected: [string, number[], number][] = [
    ['conv1', [55, 55, 96], 11 * 11 * 3 * 96 + 96], ['pool1', [27, 27, 96], 0],
    ['conv2', [27, 27, 256], 5 * 5 * 96 * 256 + 256], ['pool2', [13, 13, 256], 0],
    ['conv3', [13, 13, 384], 3 * 3 * 256 * 384 + 384], ['conv4', [13, 13, 384], 3 * 3 * 384 * 384 + 384],
    ['conv5', [13, 13, 256], 3 * 3 * 384 * 256 + 256], ['pool5', [6, 6, 256], 0], ['flatten', [9216], 0],
    ['fc6', [4096], 9216 * 4096 + 4096], ['fc6_dropout', [4096], 0],
    ['fc7', [4096], 4096 * 4096 + 4096], ['fc7_dropout', [4096], 0], ['predictions', [1000], 4096 * 1000 + 1000],
  ];
  assert.deepEqual(m.layers.slice(1).map((l) => l.name), expected.map((e) => e[0]), 'layer order');
  assertShapes(m, Object.fromEntries(expected.map(([n, s]) => [n, s])));
  for (const [name, , params] of expected) assert.equal(m.layers.find((l) => l.name === name)!.countParams(), params, name);
  assert.equal(m.countParams(), 62_378_344);
  const conv1 = m.layers[1].getConfig();
  assert.deepEqual([conv1.strides, conv1.padding], [[4, 4], 'valid']);
  const pool = m.layers[2].getConfig(); // overlapping pools: 3x3 windows, stride 2
  assert.deepEqual([pool.poolSize, pool.strides], [[3, 3], [2, 2]]);
  assert.equal((m.layers.find((l) => l.name === 'fc6_dropout')!.getConfig()).rate, 0.5);
  release(m);
});

test("alexnet with the paper's two towers: conv2, conv4, conv5 grouped, 60,965,224 parameters", () => {
  const m = st.models.alexnet({ groups: 2 });
  const grouped = m.layers.filter((l) => l.getConfig().groups === 2).map((l) => l.name);
  assert.deepEqual(grouped, ['conv2', 'conv4', 'conv5']);
  assert.equal(m.layers.find((l) => l.name === 'conv2')!.countParams(), 5 * 5 * 48 * 256 + 256);
  assertShapes(m, { conv2: [27, 27, 256], conv5: [13, 13, 256], pool5: [6, 6, 256] });
  assert.equal(m.countParams(), 60_965_224);
  release(m);
  // a width multiplier keeps every width even, so the towers split evenly
  const narrow = st.models.alexnet({ inputShape: [67, 67, 3], groups: 2, widthMultiplier: 0.1 });
  assert.ok(narrow.layers.filter((l) => l.className === 'Conv2D').every((l) => (l.getConfig().filters as number) % 2 === 0));
  assertThrowsMessage(() => st.models.alexnet({ groups: 3 as 2 }), 'models.alexnet', 'groups must be 1 or 2', 'got 3');
});

test('alexnet options: smallest input 67x67, no top, width multiplier, no dropout, errors', () => {
  const small = st.models.alexnet({ inputShape: [67, 67, 3], includeTop: false });
  assert.deepEqual(small.outputs[0].shape, [null, 1, 1, 256]);
  const pooled = st.models.alexnet({ includeTop: false, pooling: 'avg', widthMultiplier: 0.5 });
  assert.deepEqual(pooled.outputs[0].shape, [null, 128]);
  const plain = st.models.alexnet({ inputShape: [67, 67, 1], classes: 7, dropout: 0, widthMultiplier: 0.25 });
  assert.equal(plain.layers.filter((l) => l.className === 'Dropout').length, 0);
  assert.deepEqual(plain.outputs[0].shape, [null, 7]);
  assertThrowsMessage(() => st.models.alexnet({ inputShape: [66, 100, 3] }), 'models.alexnet', 'at least 67x67', '66x100');
  assertThrowsMessage(() => st.models.alexnet({ dropout: 1 }), 'models.alexnet', 'dropout', 'got 1');
});

test('alexnet trains: one forward and backward pass at 67x67, full width', () => {
  const m = st.models.alexnet({ inputShape: [67, 67, 3], classes: 10 });
  forwardBackward(m, 2);
  release(m);
});

test('a narrow two-tower alexnet round-trips through model.save and st.loadLayersModel', async () => {
  st.setSeed(13);
  await assertRoundTrip(st.models.alexnet({ inputShape: [67, 67, 3], classes: 10, widthMultiplier: 0.125, groups: 2 }));
});
