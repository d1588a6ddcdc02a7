/** The IDX reader on small hand-made files: plain and gzipped, and each way a file can be bad. */
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { readIdx, loadIdxImages } from '../../src/data/idx.js';
import { idxBytes } from '../helpers.js';

const root = mkdtempSync(join(tmpdir(), 'striate-idx-'));
test.after(() => rmSync(root, { recursive: true, force: true }));

/** A fresh folder holding `files` (name -> bytes). */
let folders = 0;
function folder(files: Record<string, Buffer>): string {
  const dir = join(root, `f${folders++}`);
  mkdirSync(dir);
  for (const [name, bytes] of Object.entries(files)) writeFileSync(join(dir, name), bytes);
  return dir;
}

// three 2x3 "images" with pixel values 0..17 scaled by 15 (so 255 appears), labels 7, 0, 9
const pixels = Array.from({ length: 18 }, (_, i) => Math.min(255, i * 15));
const images = idxBytes([3, 2, 3], pixels);
const labels = idxBytes([3], [7, 0, 9]);

test('readIdx reads the header and payload of plain and gzipped files', () => {
  const dir = folder({ a: images, 'b.gz': gzipSync(images) });
  for (const name of ['a', 'b.gz']) {
    const f = readIdx(join(dir, name));
    assert.deepEqual(f.dims, [3, 2, 3]);
    assert.deepEqual(Array.from(f.data), pixels);
  }
});

test('loadIdxImages finds standard names, plain or .gz, and scales pixels to [0, 1] in NHWC', () => {
  const plain = folder({ 'train-images-idx3-ubyte': images, 'train-labels-idx1-ubyte': labels });
  const gz = folder({ 't10k-images-idx3-ubyte.gz': gzipSync(images), 't10k-labels-idx1-ubyte.gz': gzipSync(labels) });
  for (const [dir, split] of [[plain, 'train'], [gz, 'test']] as const) {
    const d = loadIdxImages(dir, split);
    assert.equal(d.count, 3);
    assert.deepEqual(d.shape, [3, 2, 3, 1]);
    assert.ok(d.xs instanceof Float32Array && d.labels instanceof Int32Array);
    assert.deepEqual(Array.from(d.labels), [7, 0, 9]);
    assert.equal(d.xs[0], 0);
    assert.equal(d.xs[17], 1);
    assert.ok(Math.abs(d.xs[1] - 15 / 255) < 1e-7);
  }
  const limited = loadIdxImages(plain, 'train', { limit: 2 });
  assert.equal(limited.count, 2);
  assert.equal(limited.xs.length, 12);
  assert.deepEqual(Array.from(limited.labels), [7, 0]);
});

test('readIdx names the file and the problem', () => {
  const truncated = images.subarray(0, images.length - 2);
  const gz = gzipSync(images);
  const dir = folder({
    magic: Buffer.from([0x08, 0x03, 0, 0, 0, 0, 0, 3]),
    floats: Buffer.concat([Buffer.from([0, 0, 0x0d, 1]), Buffer.alloc(4)]),
    short: truncated,
    long: Buffer.concat([images, Buffer.from([1])]),
    header: images.subarray(0, 9),
    'cut.gz': gz.subarray(0, gz.length - 10),
    'fake.gz': images,
  });
  const cases: [string, RegExp][] = [
    ['missing', /cannot read .*missing: no such file/],
    ['magic', /magic.*not an IDX file: expected magic number 00 00 <type> <dims> at byte 0.*got 08 03 00 00/],
    ['floats', /floats holds float32 values .*only unsigned bytes/],
    ['short', /short truncated: its header says \[3, 2, 3\] = 18 bytes of data after the 16-byte header, but 16 bytes follow/],
    ['long', /long has extra bytes after the data: .*but 19 bytes follow/],
    ['header', /header is truncated inside its header/],
    ['cut.gz', /cut\.gz: truncated or corrupt gzip data/],
    ['fake.gz', /fake\.gz is named \.gz but is not gzip data/],
  ];
  for (const [name, message] of cases) {
    assert.throws(() => readIdx(join(dir, name)), message, name);
  }
});

test('loadIdxImages reports missing files and disagreeing counts', () => {
  const empty = folder({});
  assert.throws(() => loadIdxImages(empty, 'train'),
    /no train-images-idx3-ubyte in .*f\d+: looked for train-images-idx3-ubyte and train-images-idx3-ubyte\.gz/);
  const noLabels = folder({ 't10k-images-idx3-ubyte': images });
  assert.throws(() => loadIdxImages(noLabels, 'test'), /no t10k-labels-idx1-ubyte in/);
  const mismatch = folder({ 'train-images-idx3-ubyte': images, 'train-labels-idx1-ubyte.gz': gzipSync(idxBytes([2], [1, 2])) });
  assert.throws(() => loadIdxImages(mismatch, 'train'),
    /train-images-idx3-ubyte holds 3 images but .*train-labels-idx1-ubyte\.gz holds 2 labels/);
  const swapped = folder({ 'train-images-idx3-ubyte': labels, 'train-labels-idx1-ubyte': labels });
  assert.throws(() => loadIdxImages(swapped, 'train'), /should hold images \[count, rows, cols\], got dimensions \[3\]/);
  assert.throws(() => loadIdxImages(empty, 'validation' as 'train'), /split must be 'train' or 'test'/);
});

test('the Fashion-MNIST files from Debian read whole, when installed', { skip: !hasFashion() }, () => {
  const d = loadIdxImages('/usr/share/datasets/fashion-mnist', 'test');
  assert.equal(d.count, 10000);
  assert.deepEqual(d.shape, [10000, 28, 28, 1]);
  assert.equal(Math.max(...d.labels), 9);
});

function hasFashion(): boolean {
  try {
    readIdx('/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz');
    return true;
  } catch {
    return false;
  }
}
