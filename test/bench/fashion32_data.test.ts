import { test } from 'node:test';
import assert from 'node:assert/strict';
import { padBatch, shuffledOrder } from '../../bench/fashion32_data.js';

test('padBatch: 28x28 grey -> 32x32x3 with 2 zeros each side, in the order given', () => {
  const n = 3;
  const xs = new Float32Array(n * 28 * 28);
  for (let i = 0; i < xs.length; i++) xs[i] = (i % 97) / 97 + 1; // never 0, so padding is visible
  const out = new Float32Array(4 * 32 * 32 * 3).fill(7);
  const view = padBatch(xs, 28, [2, 0], 0, 2, out);
  assert.equal(view.length, 2 * 32 * 32 * 3);
  for (const [b, image] of [[0, 2], [1, 0]]) {
    for (let y = 0; y < 32; y++) for (let x = 0; x < 32; x++) {
      const inside = y >= 2 && y < 30 && x >= 2 && x < 30;
      const want = inside ? xs[image * 784 + (y - 2) * 28 + (x - 2)] : 0;
      for (let c = 0; c < 3; c++) assert.equal(view[((b * 32 + y) * 32 + x) * 3 + c], want, `b${b} y${y} x${x} c${c}`);
    }
  }
  assert.throws(() => padBatch(xs, 28, [3], 0, 1, out), /image 3 is outside the 3 images/);
  assert.throws(() => padBatch(xs, 27, [0], 0, 1, out), /expected 28x28/);
});

test('shuffledOrder: a permutation, repeatable by seed', () => {
  const a = shuffledOrder(1000, 5);
  assert.deepEqual([...a].sort((x, y) => x - y), Array.from({ length: 1000 }, (_, i) => i));
  assert.deepEqual(a, shuffledOrder(1000, 5));
  assert.notDeepEqual(a, shuffledOrder(1000, 6));
});
