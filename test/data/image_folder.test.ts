/** Image folders: PNG, JPEG and PGM (P2, P5) decoding, colour modes, bilinear resizing, and errors naming files. */
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pngjs from 'pngjs';
import jpeg from 'jpeg-js';
import { loadImageFolder, imageFolderDataset } from '../../src/data/image_folder.js';
import { readImage, resizeBilinear } from '../../src/data/image_decode.js';
import { assertClose } from '../helpers.js';
import type { Tensor } from '../../src/tensor/tensor.js';

const root = mkdtempSync(join(tmpdir(), 'striate-images-'));
test.after(() => rmSync(root, { recursive: true, force: true }));
let dirs = 0;
/** A fresh folder holding `files` (relative path -> bytes). */
function tree(files: Record<string, Uint8Array | string>): string {
  const dir = join(root, `d${dirs++}`);
  mkdirSync(dir);
  for (const [name, bytes] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), bytes);
  }
  return dir;
}

/** A PNG of `h` x `w` RGB pixels from `rgb` (0..255), fully opaque. */
function png(h: number, w: number, rgb: number[]): Buffer {
  const data = new Uint8Array(h * w * 4);
  for (let p = 0; p < h * w; p++) {
    data.set(rgb.slice(3 * p, 3 * p + 3), 4 * p);
    data[4 * p + 3] = 255;
  }
  return pngjs.PNG.sync.write({ width: w, height: h, data });
}

function jpg(h: number, w: number, grey: number): Buffer {
  const data = new Uint8Array(h * w * 4).fill(grey);
  return jpeg.encode({ width: w, height: h, data }, 95).data as Buffer;
}

const p5 = (h: number, w: number, values: number[], max = 255) => {
  const header = Buffer.from(`P5\n# a comment\n${w} ${h}\n${max}\n`);
  const body = max > 255 ? Buffer.from(values.flatMap((v) => [v >> 8, v & 255])) : Buffer.from(values);
  return Buffer.concat([header, body]);
};

test('PNG, JPEG and PGM (P2, P5, 16-bit) decode to [0, 1] with the right channels', () => {
  const dir = tree({
    'a.png': png(1, 2, [255, 0, 0, 0, 51, 255]),
    'b.jpg': jpg(8, 8, 200),
    'c.pgm': 'P2\n# CMU faces style\n3 1\n15\n0 15\n5\n',
    'd.pgm': p5(1, 2, [0, 255]),
    'e.pgm': p5(1, 2, [65535, 32768], 65535),
  });
  const a = readImage(join(dir, 'a.png'), 'rgb');
  assert.deepEqual([a.height, a.width, a.channels], [1, 2, 3]);
  assertClose(Array.from(a.data), [1, 0, 0, 0, 0.2, 1], 1e-7, 'png rgb');
  const grey = readImage(join(dir, 'a.png'), 'grayscale');
  assertClose(Array.from(grey.data), [0.299, 0.587 * 0.2 + 0.114], 1e-6, 'luma');
  const b = readImage(join(dir, 'b.jpg'), 'grayscale');
  assert.deepEqual([b.height, b.width, b.channels], [8, 8, 1]);
  for (const v of b.data) assert.ok(Math.abs(v - 200 / 255) < 3 / 255, `jpeg grey ${v * 255}`);
  assertClose(Array.from(readImage(join(dir, 'c.pgm'), 'grayscale').data), [0, 1, 1 / 3], 1e-7, 'P2');
  assert.deepEqual(Array.from(readImage(join(dir, 'd.pgm'), 'grayscale').data), [0, 1]);
  assertClose(Array.from(readImage(join(dir, 'd.pgm'), 'rgb').data), [0, 0, 0, 1, 1, 1], 0, 'grey to rgb');
  assertClose(Array.from(readImage(join(dir, 'e.pgm'), 'grayscale').data), [1, 32768 / 65535], 1e-7, '16-bit P5');
});

test('resizeBilinear samples at half-pixel centres like tf.image.resize', () => {
  const up = resizeBilinear(Float32Array.from([0, 1, 2, 3]), 2, 2, 1, 4, 4);
  assertClose(Array.from(up), [0, 0.25, 0.75, 1, 0.5, 0.75, 1.25, 1.5, 1.5, 1.75, 2.25, 2.5, 2, 2.25, 2.75, 3], 1e-6, 'up');
  const down = resizeBilinear(Float32Array.from({ length: 16 }, (_, i) => i), 4, 4, 1, 2, 2);
  assertClose(Array.from(down), [2.5, 4.5, 10.5, 12.5], 1e-6, 'down: the mean of each 2x2 block');
  const twoChannels = resizeBilinear(Float32Array.from([0, 10, 2, 30]), 1, 2, 2, 1, 1);
  assertClose(Array.from(twoChannels), [1, 20], 1e-6, 'channels kept apart');
});

test('loadImageFolder: classes from sorted sub-folder names, NHWC [0, 1], resized to targetSize', () => {
  const dir = tree({
    'zebra/1.png': png(2, 2, new Array(12).fill(255)),
    'apple/b.pgm': p5(2, 2, [0, 0, 0, 0]),
    'apple/a.pgm': p5(2, 2, [255, 255, 255, 255]),
    'apple/notes.txt': 'not an image',
    'mango/x.jpg': jpg(2, 2, 128),
  });
  const set = loadImageFolder(dir, { colorMode: 'grayscale' });
  assert.deepEqual(set.classNames, ['apple', 'mango', 'zebra']);
  assert.deepEqual(set.xs.shape, [4, 2, 2, 1]);
  assert.deepEqual(Array.from(set.labels.dataSync()), [0, 0, 1, 2]);
  assert.deepEqual(set.files.map((f) => f.slice(dir.length + 1)), ['apple/a.pgm', 'apple/b.pgm', 'mango/x.jpg', 'zebra/1.png']);
  const px = set.xs.dataSync();
  assert.deepEqual(Array.from(px.slice(0, 8)), [1, 1, 1, 1, 0, 0, 0, 0]);
  const rgb = loadImageFolder(dir, { targetSize: [3, 5] });
  assert.deepEqual(rgb.xs.shape, [4, 3, 5, 3]);
  assert.ok(rgb.xs.dataSync().every((v) => v >= 0 && v <= 1));
});

test('imageFolderDataset decodes lazily, one {xs, ys} per file', async () => {
  const dir = tree({ 'a/1.png': png(4, 4, new Array(48).fill(0)), 'b/2.png': png(2, 2, new Array(12).fill(255)) });
  const batches = await imageFolderDataset(dir, { targetSize: [2, 2], colorMode: 'grayscale' }).batch(2).toArray();
  assert.deepEqual(batches[0].xs.shape, [2, 2, 2, 1]);
  assert.deepEqual(Array.from((batches[0].ys as Tensor).dataSync()), [0, 1]);
  assert.throws(() => imageFolderDataset(dir, {} as never), /targetSize \[height, width\] is required/);
});

test('image folder errors name the folder or file', () => {
  const mixed = tree({ 'a/small.png': png(2, 2, new Array(12).fill(0)), 'b/big.png': png(3, 4, new Array(36).fill(0)) });
  assert.throws(() => loadImageFolder(mixed), /images differ in size and no targetSize was given: .*a\/small\.png is 2x2 \(height x width\) but .*b\/big\.png is 3x4; pass targetSize/);
  const corrupt = png(2, 2, new Array(12).fill(0)).subarray(0, 40);
  assert.throws(() => loadImageFolder(tree({ 'a/bad.png': corrupt })), /a\/bad\.png: cannot decode the image, the file is corrupt or truncated/);
  assert.throws(() => loadImageFolder(tree({ 'a/fake.jpg': 'hello' })), /a\/fake\.jpg: not a PNG, JPEG or PGM\/PPM image \(first bytes 68 65 6c 6c\)/);
  assert.throws(() => loadImageFolder(tree({ 'a/short.pgm': p5(2, 2, [1, 2]) })), /short\.pgm: truncated: 2x2 with maximum 255 needs 4 bytes/);
  assert.throws(() => loadImageFolder(tree({ 'a/big.pgm': 'P2 1 1 10 11' })), /big\.pgm: sample 0 is 11, above the maximum value 10/);
  assert.throws(() => loadImageFolder(tree({ '1.png': png(1, 1, [0, 0, 0]) })), /has no class sub-folders \(it holds 1 images directly\); expected one sub-folder per class/);
  assert.throws(() => loadImageFolder(tree({})), /has no class sub-folders \(it is empty\)/);
  assert.throws(() => loadImageFolder(tree({ 'a/readme.txt': 'x', 'b/.keep': '' })), /the class folders of .* \(a, b\) hold no images ending in \.png/);
  assert.throws(() => loadImageFolder(join(root, 'nowhere')), /nowhere is not a folder/);
  assert.throws(() => loadImageFolder(mixed, { targetSize: [0, 2] }), /targetSize must be \[height, width\] with positive integers/);
});
