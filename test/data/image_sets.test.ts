/** Train/test image sets: bundled digits split by seed, IDX folders, Fashion-MNIST from Debian. */
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import {
  loadDigits, loadMnistFolder, loadFashionMnist, hasFashionMnist, FASHION_MNIST_CLASSES, FASHION_MNIST_PATH,
} from '../../src/data/image_sets.js';
import { idxBytes } from '../helpers.js';

const root = mkdtempSync(join(tmpdir(), 'striate-sets-'));
test.after(() => rmSync(root, { recursive: true, force: true }));

test('loadDigits splits the bundled digits by seed, stratified, deterministically', () => {
  const a = loadDigits({ seed: 1 });
  assert.deepEqual(a.train.xs.shape, [8000, 28, 28, 1]);
  assert.deepEqual(a.test.xs.shape, [2000, 28, 28, 1]);
  assert.equal(a.test.labels.dtype, 'int32');
  assert.equal(a.test.count, 2000);
  assert.deepEqual(a.classNames, ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  const counts = new Array(10).fill(0);
  for (const l of a.test.labels.dataSync()) counts[l]++;
  // the bundled digits hold about 1,000 of each class, so a 20% stratified split gives ~200 each
  for (const c of counts) assert.ok(c > 150 && c < 250, `class count ${c}`);
  const b = loadDigits({ seed: 1 });
  assert.deepEqual(Array.from(b.test.labels.dataSync()).slice(0, 50), Array.from(a.test.labels.dataSync()).slice(0, 50));
  assert.deepEqual(b.test.xs.dataSync().slice(0, 2000), a.test.xs.dataSync().slice(0, 2000));
  const c = loadDigits({ seed: 2, testSize: 1000 });
  assert.equal(c.test.count, 1000);
  assert.notDeepEqual(Array.from(c.test.labels.dataSync()).slice(0, 50), Array.from(a.test.labels.dataSync()).slice(0, 50));
});

test('loadMnistFolder reads train and t10k files, plain or gzipped, with class names', () => {
  const dir = mkdtempSync(join(root, 'idx-'));
  writeFileSync(join(dir, 'train-images-idx3-ubyte.gz'), gzipSync(idxBytes([3, 2, 2], [0, 255, 0, 255, 1, 2, 3, 4, 5, 6, 7, 8])));
  writeFileSync(join(dir, 'train-labels-idx1-ubyte'), idxBytes([3], [2, 0, 1]));
  writeFileSync(join(dir, 't10k-images-idx3-ubyte'), idxBytes([1, 2, 2], [255, 255, 255, 255]));
  writeFileSync(join(dir, 't10k-labels-idx1-ubyte.gz'), gzipSync(idxBytes([1], [1])));
  const sets = loadMnistFolder(dir, { classNames: ['a', 'b', 'c'] });
  assert.deepEqual(sets.train.xs.shape, [3, 2, 2, 1]);
  assert.deepEqual(Array.from(sets.train.xs.dataSync()).slice(0, 4), [0, 1, 0, 1]);
  assert.deepEqual(Array.from(sets.train.labels.dataSync()), [2, 0, 1]);
  assert.deepEqual(sets.test.xs.shape, [1, 2, 2, 1]);
  assert.deepEqual(sets.classNames, ['a', 'b', 'c']);
  assert.equal(loadMnistFolder(dir, { trainLimit: 2 }).train.count, 2);
  assert.throws(() => loadMnistFolder(dir, { classNames: ['a', 'b'] }), /\(train\) label 0 is 2, but only 2 class names were given/);
  assert.throws(() => loadMnistFolder(join(dir, 'nope')), /nope is not a folder; expected one holding train-images-idx3-ubyte/);
  assert.throws(() => loadFashionMnist({ folder: mkdtempSync(join(root, 'empty-')) }), /the Fashion-MNIST files are not in .*apt-get install dataset-fashion-mnist/);
});

const fashionSkip = hasFashionMnist() ? false
  : `Fashion-MNIST is not installed at ${FASHION_MNIST_PATH} (apt-get install dataset-fashion-mnist)`;

test('loadFashionMnist reads Debian\'s 60,000 + 10,000 images with their class names', { skip: fashionSkip }, () => {
  const f = loadFashionMnist();
  assert.deepEqual(f.train.xs.shape, [60000, 28, 28, 1]);
  assert.deepEqual(f.test.xs.shape, [10000, 28, 28, 1]);
  assert.deepEqual(f.classNames, [...FASHION_MNIST_CLASSES]);
  assert.equal(f.classNames[0], 'T-shirt/top');
  assert.equal(f.classNames[9], 'Ankle boot');
  const counts = new Array(10).fill(0);
  for (const l of f.test.labels.dataSync()) counts[l]++;
  assert.deepEqual(counts, new Array(10).fill(1000), 'the test set holds 1,000 of each class');
  const px = f.train.xs.dataSync();
  let max = 0;
  for (let i = 0; i < 784 * 100; i++) max = Math.max(max, px[i]);
  assert.equal(max, 1);
});
