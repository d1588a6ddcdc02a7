/**
 * `striate train --data` on each kind of source, made here from the real bundled digits: a Kaggle
 * Digit Recognizer CSV, an image folder of PNG, JPEG and PGM files; their bad forms; --augment.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import pngjs from 'pngjs';
import jpeg from 'jpeg-js';
import * as st from '../../src/index.js';
import { hasStackTrace, runCli, startCli, tempDir, writeIdxFolder } from './helpers.js';

const digits = st.loadBundledDigits({ seed: 3 });
const pixels = digits.xs.dataSync();
const labels = digits.labels.dataSync();

function grey(i: number): Uint8Array {
  return Uint8Array.from(pixels.subarray(i * 784, (i + 1) * 784), (v) => Math.round(v * 255));
}

function fails(args: string[], pattern: RegExp, code = 1): void {
  const r = runCli(args);
  assert.equal(r.code, code, r.stderr + r.stdout);
  assert.match(r.stderr, pattern);
  assert.ok(!hasStackTrace(r.stderr), r.stderr);
}

test('the Kaggle Digit Recognizer CSV trains to a held-out accuracy', () => {
  const dir = tempDir();
  const file = path.join(dir, 'train.csv');
  const lines = [['label', ...Array.from({ length: 784 }, (_, k) => `pixel${k}`)].join(',')];
  for (let i = 0; i < 1500; i++) lines.push([labels[i], ...grey(i)].join(','));
  fs.writeFileSync(file, lines.join('\n') + '\n');
  const r = runCli(['train', '--data', file, '--model', 'mlp', '--epochs', '6', '--out', path.join(dir, 'run'), '--json']);
  assert.equal(r.code, 0, r.stderr);
  const result = JSON.parse(r.stdout);
  assert.ok(result.testAccuracy >= 0.85, `accuracy on 300 held-out digits: ${result.testAccuracy}`);
});

test('CSV tables: a short row, a word, NaN and a bad label are named by line and column', () => {
  const dir = tempDir();
  const write = (name: string, text: string): string => {
    fs.writeFileSync(path.join(dir, name), text);
    return path.join(dir, name);
  };
  fails(['train', '--data', write('short.csv', 'a,b,label\n0.5,1,0\n0.2,1\n'), '--model', 'mlp'], /short\.csv:3: expected 3 columns \(as in the header\), got 2/);
  fails(['train', '--data', write('word.csv', 'a,b,label\n0.5,1,0\n0.2,x1,1\n'), '--model', 'mlp'], /word\.csv:3, column 2 \(b\): "x1" is not a number/);
  fails(['train', '--data', write('nan.csv', 'a,b,label\n0.5,1,0\n0.2,NaN,1\n'), '--model', 'mlp'], /nan\.csv:3, column 2 \(b\): NaN is not allowed/);
  fails(['train', '--data', write('inf.csv', 'a,b,label\n0.5,Infinity,0\n'), '--model', 'mlp'], /inf\.csv:2, column 2 \(b\): Infinity is not allowed/);
  fails(['train', '--data', write('neg.csv', 'a,b,label\n0.5,1,0\n0.2,1,-1\n'), '--model', 'mlp'], /neg\.csv:3, column 3 \(label\): label "-1" is not a class index/);
  fails(['train', '--data', write('empty.csv', ''), '--model', 'mlp'], /empty/);
});

function writePng(file: string, img: Uint8Array, side: number): void {
  const rgba = new Uint8Array(side * side * 4);
  for (let p = 0; p < side * side; p++) rgba.fill(img[p], 4 * p, 4 * p + 3), (rgba[4 * p + 3] = 255);
  fs.writeFileSync(file, pngjs.PNG.sync.write({ width: side, height: side, data: rgba }));
}

/** Zeros and ones of the bundled digits as PNG, JPEG and PGM files in class folders. */
function digitFolder(dir: string, perClass: number): void {
  let made = [0, 0];
  for (let i = 0; made[0] < perClass || made[1] < perClass; i++) {
    const d = labels[i];
    if (d > 1 || made[d] >= perClass) continue;
    const folder = path.join(dir, d === 0 ? 'zero' : 'one');
    fs.mkdirSync(folder, { recursive: true });
    const img = grey(i);
    const kind = made[d] % 3;
    if (kind === 0) writePng(path.join(folder, `${i}.png`), img, 28);
    else if (kind === 1) {
      const rgba = new Uint8Array(784 * 4);
      for (let p = 0; p < 784; p++) rgba.fill(img[p], 4 * p, 4 * p + 3), (rgba[4 * p + 3] = 255);
      fs.writeFileSync(path.join(folder, `${i}.jpg`), jpeg.encode({ data: rgba, width: 28, height: 28 }, 95).data);
    } else fs.writeFileSync(path.join(folder, `${i}.pgm`), Buffer.concat([Buffer.from('P5\n28 28\n255\n'), Buffer.from(img)]));
    made = made.map((m, k) => (k === d ? m + 1 : m));
  }
}

test('an image folder of PNG, JPEG and PGM trains (greyscale), and mixed sizes are refused by name', () => {
  const dir = tempDir();
  digitFolder(path.join(dir, 'digits'), 100);
  const r = runCli(['train', '--data', path.join(dir, 'digits'), '--color', 'grayscale', '--model', 'digit-cnn', '--epochs', '5', '--batch-size', '8',
    '--out', path.join(dir, 'run'), '--json']);
  assert.equal(r.code, 0, r.stderr);
  const result = JSON.parse(r.stdout);
  assert.ok(result.testAccuracy >= 0.95, `zeros against ones: ${result.testAccuracy}`);

  writePng(path.join(dir, 'digits', 'one', 'big.png'), new Uint8Array(32 * 32), 32);
  fails(['train', '--data', path.join(dir, 'digits'), '--color', 'grayscale'], /big\.png.*32x32|32x32.*big\.png/);
  const resized = runCli(['train', '--data', path.join(dir, 'digits'), '--color', 'grayscale', '--image-size', '28x28', '--epochs', '1',
    '--model', 'mlp', '--out', path.join(dir, 'run2')]);
  assert.equal(resized.code, 0, resized.stderr);
  fails(['train', '--data', path.join(dir, 'digits'), '--image-size', '28'], /--image-size expects HxW such as 28x28, got "28"/, 2);
});

test('--augment trains on moved images, and Ctrl-C then --resume still ends where a straight run does', async () => {
  const dir = tempDir();
  writeIdxFolder(path.join(dir, 'q'), 64);
  const args = ['train', '--data', path.join(dir, 'q'), '--model', 'mlp', '--epochs', '4', '--batch-size', '4', '--augment', '--lr', '0.003'];
  const straight = runCli([...args, '--out', path.join(dir, 'straight')]);
  assert.equal(straight.code, 0, straight.stderr);
  const run = startCli([...args, '--out', path.join(dir, 'cut')]);
  await run.until('Epoch 2/4');
  run.child.kill('SIGINT');
  assert.equal((await run.done).code, 130);
  const resumed = runCli(['train', '--resume', path.join(dir, 'cut')]);
  assert.equal(resumed.code, 0, resumed.stderr);
  const csv = (name: string): string => fs.readFileSync(path.join(dir, name, 'history.csv'), 'utf8');
  assert.equal(csv('cut'), csv('straight'));
  const plain = runCli([...args.filter((a) => a !== '--augment'), '--out', path.join(dir, 'plain')]);
  assert.notEqual(csv('plain'), csv('straight'), 'augmentation changes what is trained on');
  fails(['train', '--data', path.join(dir, 'nan.csv'), '--augment'], /no such file/);
});
