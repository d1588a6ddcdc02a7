/** The benchmark's ResNet-20 builder and synthetic data (bench/resnet20.ts, bench/wide_workloads.ts); no timings. */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as st from '../../src/index.js';
import { RESNET20_TRAINABLE, resnet20, trainableCount } from '../../bench/resnet20.js';
import { synthetic, TEXT } from '../../bench/wide_workloads.js';

test('resnet20: 272,474 trainable parameters (He et al. option B), counted layer by layer', () => {
  const conv = (k: number, cin: number, cout: number) => k * k * cin * cout;
  const bn = (c: number) => 2 * c; // gamma and beta; the moving statistics are not trainable
  const block = (cin: number, cout: number) => conv(3, cin, cout) + bn(cout) + conv(3, cout, cout) + bn(cout)
    + (cin === cout ? 0 : conv(1, cin, cout) + bn(cout));
  let expected = conv(3, 3, 16) + bn(16);
  for (const [cin, cout] of [[16, 16], [16, 16], [16, 16], [16, 32], [32, 32], [32, 32], [32, 64], [64, 64], [64, 64]]) expected += block(cin, cout);
  expected += 64 * 10 + 10;
  assert.equal(expected, RESNET20_TRAINABLE);
  const m = resnet20();
  assert.equal(trainableCount(m), RESNET20_TRAINABLE);
  // 19 convolutions + the 2 projections, 21 batch norms, one dense
  assert.equal(m.layers.filter((l) => l.className === 'Conv2D').length, 21);
  assert.equal(m.layers.filter((l) => l.className === 'BatchNormalization').length, 21);
  const convShapes = m.layers.filter((l) => l.className === 'Conv2D').map((l) => (l.outputShape as number[]).slice(1).join('x'));
  assert.deepEqual([...new Set(convShapes)], ['32x32x16', '16x16x32', '8x8x64']);
  const y = m.predict(st.ones([2, 32, 32, 3])) as st.Tensor;
  assert.deepEqual(y.shape, [2, 10]);
  const rowSums = st.sum(y, 1).dataSync();
  for (const s of rowSums) assert.ok(Math.abs(s - 1) < 1e-5, `softmax rows sum to 1, got ${s}`);
});

test('resnet20 with 5 blocks per stage is ResNet-32 (depth 6n + 2)', () => {
  const m = resnet20({ blocksPerStage: 5 });
  assert.equal(m.layers.filter((l) => l.className === 'Conv2D').length, 6 * 5 + 1 + 2);
  assert.equal(m.name, 'resnet32');
});

test('synthetic data: the same samples for the same seed, images in [0, 1), ids below the vocabulary', () => {
  const a = synthetic('cifar', 3), b = synthetic('cifar', 3);
  assert.deepEqual(a.shape, [3, 32, 32, 3]);
  assert.deepEqual(a.xs, b.xs);
  assert.ok(a.xs.every((v) => v >= 0 && v < 1));
  assert.ok(a.labels.every((c) => c >= 0 && c < 10));
  assert.notDeepEqual(synthetic('cifar', 3, 2).xs, a.xs);
  const t = synthetic('lstm', 4);
  assert.deepEqual(t.shape, [4, TEXT.steps]);
  assert.ok(t.xs instanceof Int32Array && t.xs.every((v) => v >= 0 && v < TEXT.vocab));
  assert.ok(t.labels.every((c) => c === 0 || c === 1));
});
