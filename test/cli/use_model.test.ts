/**
 * `striate evaluate`, `predict` and `summary` on a model that `striate train` saved, and the
 * clear refusals: a file that is not a model, a model whose input does not fit the data.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import pngjs from 'pngjs';
import { hasStackTrace, runCli, tempDir, writeIdxFolder } from './helpers.js';

const dir = tempDir();
const data = path.join(dir, 'quadrants');
const run = path.join(dir, 'run');
writeIdxFolder(data, 64);
const trained = runCli(['train', '--data', data, '--model', 'mlp', '--epochs', '4', '--lr', '0.01', '--out', run]);

function fails(args: string[], pattern: RegExp): void {
  const r = runCli(args);
  assert.equal(r.code, 1, r.stderr + r.stdout);
  assert.match(r.stderr, pattern);
  assert.ok(!hasStackTrace(r.stderr), r.stderr);
}

test('the run folder holds a TensorFlow.js layers model with its class names', () => {
  assert.equal(trained.code, 0, trained.stderr);
  const json = JSON.parse(fs.readFileSync(path.join(run, 'model', 'model.json'), 'utf8'));
  assert.equal(json.format, 'layers-model');
  assert.deepEqual(json.userDefinedMetadata.classNames, ['0', '1', '2', '3']);
});

test('evaluate prints accuracy, per-class precision/recall and the confusion matrix, and draws it', () => {
  const r = runCli(['evaluate', path.join(run, 'model'), '--data', data]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /accuracy 100\.00%/);
  assert.match(r.stdout, /class\s+precision\s+recall\s+f1\s+support/);
  assert.match(r.stdout, /confusion matrix \(rows: true class, columns: predicted\)/);
  const svg = fs.readFileSync(path.join(run, 'model', 'confusion-matrix.svg'), 'utf8');
  assert.equal((svg.match(/class="cell"/g) ?? []).length, 16);
  const j = runCli(['evaluate', path.join(run, 'model', 'model.json'), '--data', data, '--json', '--svg', path.join(dir, 'cm.svg')]);
  const result = JSON.parse(j.stdout);
  assert.equal(result.samples, 64);
  assert.deepEqual(result.confusionMatrix, [[16, 0, 0, 0], [0, 16, 0, 0], [0, 0, 16, 0], [0, 0, 0, 16]]);
  assert.ok(fs.existsSync(path.join(dir, 'cm.svg')));
});

test('predict gives the top classes of an image and of CSV rows', () => {
  const rgba = new Uint8Array(8 * 8 * 4);
  for (let r = 0; r < 8; r++) {
    for (let c = 0; c < 8; c++) {
      const lit = r >= 4 && c < 4; // bottom-left: class 2
      rgba.fill(lit ? 230 : 0, 4 * (r * 8 + c), 4 * (r * 8 + c) + 3);
      rgba[4 * (r * 8 + c) + 3] = 255;
    }
  }
  const png = path.join(dir, 'lit.png');
  fs.writeFileSync(png, pngjs.PNG.sync.write({ width: 8, height: 8, data: rgba }));
  const r = runCli(['predict', path.join(run, 'model'), png]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^lit\.png: 2 \d+\.\d%, \d/);
  const csv = path.join(dir, 'rows.csv');
  const row = (q: number): number[] => Array.from({ length: 64 }, (_, k) => {
    const [rr, cc] = [Math.floor(k / 8), k % 8];
    return (rr >= 4 ? 2 : 0) + (cc >= 4 ? 1 : 0) === q ? 0.9 : 0;
  });
  fs.writeFileSync(csv, [Array.from({ length: 64 }, (_, k) => `p${k}`).join(','), row(3).join(','), row(0).join(',')].join('\n') + '\n');
  const j = runCli(['predict', path.join(run, 'model'), csv, '--top', '1', '--json']);
  assert.equal(j.code, 0, j.stderr);
  assert.deepEqual(JSON.parse(j.stdout).map((x: { top: { class: string }[] }) => x.top[0].class), ['3', '0']);
});

test('summary prints the saved model\'s table', () => {
  const r = runCli(['summary', path.join(run, 'model')]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Total params: 83,460/);
});

test('a file that is not a model, and a model that does not fit the data, are refused plainly', () => {
  const bad = path.join(dir, 'bad');
  fs.mkdirSync(bad);
  fs.writeFileSync(path.join(bad, 'model.json'), 'hello');
  fails(['summary', bad], /bad\/model\.json is not valid JSON/);
  fs.writeFileSync(path.join(bad, 'model.json'), '{"weights": []}');
  fails(['evaluate', path.join(bad, 'model.json')], /bad\/model\.json is not a model file/);
  fails(['summary', dir], /a folder without a model\.json/);
  fails(['evaluate', path.join(run, 'model'), '--data', 'mnist'],
    /takes input \[batch, 8, 8, 1\], but the data mnist has samples of shape \[batch, 28, 28, 1\]/);
  fails(['train', '--model', path.join(run, 'model'), '--data', 'mnist', '--epochs', '1'], /takes input \[batch, 8, 8, 1\]/);
  fails(['predict', path.join(run, 'model'), path.join(dir, 'no-such.png')], /no-such\.png: no such file or folder/);
});

test('labels beyond the classes a model has are refused with both counts', () => {
  const six = path.join(dir, 'six');
  writeIdxFolder(six, 24);
  // relabel the test images 0..5: two classes more than the model was trained on
  const labels = fs.readFileSync(path.join(six, 't10k-labels-idx1-ubyte'));
  for (let i = 8; i < labels.length; i++) labels[i] = (i - 8) % 6;
  fs.writeFileSync(path.join(six, 't10k-labels-idx1-ubyte'), labels);
  fails(['evaluate', path.join(run, 'model'), '--data', six], /outputs \[batch, 4\], but the data .* has 6 classes/);
});
