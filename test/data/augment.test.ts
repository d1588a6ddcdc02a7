/** Augmentation: exact shifts and flips, rotation and zoom on known images, fill modes, seeded randomness, Dataset use. */
import test from 'node:test';
import assert from 'node:assert/strict';
import { tensor } from '../../src/tensor/creation.js';
import type { Tensor } from '../../src/tensor/tensor.js';
import { transformImages, imageAugmenter } from '../../src/data/augment.js';
import { array } from '../../src/data/creation.js';
import { assertClose } from '../helpers.js';

/** An h x w one-channel image as a [1, h, w, 1] tensor from `value(row, col)`. */
function image(h: number, w: number, value: (r: number, c: number) => number): Tensor {
  return tensor(Array.from({ length: h * w }, (_, i) => value(Math.floor(i / w), i % w)), [1, h, w, 1]);
}
const rows = (t: Tensor): number[][] => (t.arraySync() as number[][][][])[0].map((r) => r.map((p) => p[0]));

test('a shift moves a pixel exactly where expected', () => {
  const dot = image(5, 5, (r, c) => (r === 1 && c === 1 ? 1 : 0));
  const moved = rows(transformImages(dot, { shiftX: 2, shiftY: 1 }));
  moved.forEach((row, r) => row.forEach((v, c) => assert.equal(v, r === 2 && c === 3 ? 1 : 0, `(${r}, ${c})`)));
  const back = rows(transformImages(dot, { shiftX: -1, shiftY: -1 }));
  assert.equal(back[0][0], 1);
});

test('flips are exact mirror images; 180 degrees equals both flips', () => {
  const img = image(3, 4, (r, c) => r * 10 + c);
  assert.deepEqual(rows(transformImages(img, { flipHorizontal: true })), [[3, 2, 1, 0], [13, 12, 11, 10], [23, 22, 21, 20]]);
  assert.deepEqual(rows(transformImages(img, { flipVertical: true })), [[20, 21, 22, 23], [10, 11, 12, 13], [0, 1, 2, 3]]);
  const turned = transformImages(img, { rotation: 180 });
  const both = transformImages(img, { flipHorizontal: true, flipVertical: true });
  assertClose(Array.from(turned.dataSync()), Array.from(both.dataSync()), 1e-4, '180 degrees');
});

test('rotation is counter-clockwise as displayed, about the centre', () => {
  const right = image(3, 3, (r, c) => (r === 1 && c === 2 ? 1 : 0)); // right of centre
  const up = rows(transformImages(right, { rotation: 90 }, { fillMode: 'constant' }));
  assertClose(up.flat(), [0, 1, 0, 0, 0, 0, 0, 0, 0], 1e-6, 'moved above the centre');
});

test('zoom magnifies about the centre; a linear ramp stays linear under bilinear sampling', () => {
  const ramp = image(4, 4, (_, c) => c);
  const zoomed = rows(transformImages(ramp, { zoomX: 2 }));
  for (const row of zoomed) assertClose(row, [0.75, 1.25, 1.75, 2.25], 1e-6, 'twice as wide: (x - 1.5) / 2 + 1.5');
  const shrunk = rows(transformImages(image(4, 4, () => 1), { zoomX: 0.5, zoomY: 0.5 }, { fillMode: 'constant', cval: 0 }));
  assert.equal(shrunk[0][0], 0, 'outside the shrunk image: cval');
  assert.equal(shrunk[1][1], 1);
});

test('fill modes: nearest, constant, wrap, reflect', () => {
  const img = image(1, 4, (_, c) => c + 1); // [1, 2, 3, 4]
  const shift = (fillMode: 'nearest' | 'constant' | 'wrap' | 'reflect') => rows(transformImages(img, { shiftX: 2 }, { fillMode, cval: -1 }))[0];
  assert.deepEqual(shift('nearest'), [1, 1, 1, 2]);
  assert.deepEqual(shift('constant'), [-1, -1, 1, 2]);
  assert.deepEqual(shift('wrap'), [3, 4, 1, 2]);
  assert.deepEqual(shift('reflect'), [2, 1, 1, 2]);
  assert.throws(() => transformImages(img, {}, { fillMode: 'mirror' as 'wrap' }), /fillMode must be/);
  assert.throws(() => transformImages(tensor([1, 2]), {}), /expected images \[n, height, width, channels\].*got \[2\]/);
  assert.throws(() => transformImages(img, [{}, {}]), /got 2 transforms for 1 images/);
});

test('imageAugmenter: seeded, one transform per image, flips exact, usable as Dataset.map', async () => {
  const batch = tensor(Array.from({ length: 4 * 6 * 6 }, (_, i) => (i * 37) % 11 / 10), [4, 6, 6, 1]);
  const options = { rotationRange: 20, widthShiftRange: 0.2, heightShiftRange: 0.1, zoomRange: 0.1, horizontalFlip: true, seed: 3 };
  const a = imageAugmenter(options).augment(batch);
  const b = imageAugmenter(options).augment(batch);
  assert.deepEqual(Array.from(a.dataSync()), Array.from(b.dataSync()), 'same seed, same output');
  const c = imageAugmenter({ ...options, seed: 4 }).augment(batch);
  assert.notDeepEqual(Array.from(a.dataSync()), Array.from(c.dataSync()));
  const aug = imageAugmenter(options);
  assert.notDeepEqual(Array.from(aug.augment(batch).dataSync()), Array.from(aug.augment(batch).dataSync()), 'a new draw each call');
  // flip only: each image comes back unchanged or exactly mirrored, and both happen
  const flips = imageAugmenter({ horizontalFlip: true, seed: 1 });
  const input = batch.arraySync() as number[][][][];
  const kinds = new Set<string>();
  for (let k = 0; k < 5; k++) {
    const out = flips.augment(batch).arraySync() as number[][][][];
    out.forEach((img, i) => {
      const same = JSON.stringify(img) === JSON.stringify(input[i]);
      const mirrored = JSON.stringify(img) === JSON.stringify(input[i].map((r) => [...r].reverse()));
      assert.ok(same || mirrored, 'unchanged or mirrored');
      kinds.add(same ? 'same' : 'mirrored');
    });
  }
  assert.deepEqual([...kinds].sort(), ['mirrored', 'same']);
  const identity = imageAugmenter({ seed: 1 }).augment(batch);
  assert.deepEqual(Array.from(identity.dataSync()), Array.from(batch.dataSync()), 'no ranges: unchanged');
  const ys = tensor([0, 1, 2, 3], [4], 'int32');
  const [el] = await array([{ xs: batch, ys }]).map(imageAugmenter(options).apply).toArray();
  assert.deepEqual(el.xs.shape, [4, 6, 6, 1]);
  // data.array hands out a fresh handle on the same storage each iteration (as tf.data hands out copies)
  assert.equal(el.ys.dataId, ys.dataId, 'labels pass through untouched');
  assert.deepEqual(Array.from(el.xs.dataSync()), Array.from(a.dataSync()), 'as a map it draws as augment does');
  const single = imageAugmenter(options).augment(tensor(Array.from({ length: 36 }, () => 0.5), [6, 6, 1]));
  assert.deepEqual(single.shape, [6, 6, 1]);
  assert.throws(() => imageAugmenter({ zoomRange: 1.5 }), /zoomRange must be a number in \[0, 1\) or \[lo, hi\]/);
  assert.throws(() => imageAugmenter({ rotationRange: -5 }), /rotationRange must be a number >= 0/);
});
