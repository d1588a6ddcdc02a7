/** The README's examples run, from the built package, through `import * as st from 'striate'`. */
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import fs from 'node:fs';
import os from 'node:os';

const dist = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(dist, '../..');
const run = (file: string, ...args: string[]) =>
  execFileSync(process.execPath, [path.join(dist, '../examples', file), ...args], { encoding: 'utf8' });

test('examples/derivative: J(2) and dJ/dx(2) both ways', () => {
  const out = run('derivative.js');
  assert.match(out, /J\(2\)\s+= 0\.245100/);
  assert.match(out, /dJ\/dx\(2\) = 9\.099150/);
  assert.match(out, /w\.grad\s+= 9\.099150/);
});

test('examples/convolution: stride 2 with padding 1 gives 3x3', () => {
  const out = run('convolution.js');
  assert.match(out, /output shape \[ 1, 3, 3, 1 \] = 3/);
});

test("examples/seed_digit_cnn: the week-8 seed's Keras program prints the seed's summary", () => {
  const out = run('seed_digit_cnn.js', '0');
  for (const row of [/conv2d \(Conv2D\)\s+\(None, 28, 28, 8\)\s+208/, /conv2d_1 \(Conv2D\)\s+\(None, 14, 14, 16\)\s+1,168/,
    /dense \(Dense\)\s+\(None, 256\)\s+200,960/, /dense_1 \(Dense\)\s+\(None, 100\)\s+25,700/,
    /reshape \(Reshape\)\s+\(None, 10, 10, 1\)\s+0/, /Total params: 228,036/]) {
    assert.match(out, row);
  }
});

test('examples/transfer_learning: a feature extractor, and a fine-tuned model with frozen layers', () => {
  const out = run('transfer_learning.js', '0');
  assert.match(out, /feature extractor: .* up to "dropout_\d+", 256 features, 202336 parameters shared/);
  assert.match(out, /second conv layer's maps: \[null,14,14,16\]/);
  assert.match(out, /Non-trainable params: 1,376/);
});

test('examples/model_zoo: a named model prints its summary and its count beside the reference', () => {
  const out = run('model_zoo.js', 'resnet18');
  assert.match(out, /conv5_block2_out \(Activation\)\s+\(None, 7, 7, 512\)/);
  assert.match(out, /Trainable params: 11,689,512/);
  assert.match(out, /resnet18 +input 224x224x3 +74 layers +params +11,699,112 +trainable +11,689,512 +reference 11,689,512/);
});

test('the striate command prints its version and commands', () => {
  const out = execFileSync(process.execPath, [path.join(root, 'bin/striate.js')], { encoding: 'utf8' });
  assert.match(out, /striate \d+\.\d+\.\d+/);
  assert.match(out, /train/);
});

test('examples/pictures: every st.viz picture written into the folder given', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'striate-pictures-'));
  const out = run('pictures.js', dir, 'quick');
  const files = ['decision-regions.svg', 'decision-regions-two-pockets.png', 'hidden-units-two-pockets.svg', 'hidden-codes.txt',
    'hidden-codes.svg', 'learning-curves.svg', 'filters.svg', 'filters.png', 'feature-maps.svg', 'feature-maps-first-conv.png',
    'confusion-matrix.svg', 'model-graph-cnn.svg', 'model-graph-residual.svg'];
  assert.deepEqual(fs.readdirSync(dir).sort(), [...files].sort());
  assert.match(out, /Input\s+Hidden Values\s+Output/);
  const grid = fs.readFileSync(path.join(dir, 'decision-regions.svg'), 'utf8');
  assert.equal((grid.match(/class="panel"/g) ?? []).length, 12, '3 data sets x 4 hidden-layer sizes');
  assert.match(grid, /two pockets, hidden = 10/);
  const residual = fs.readFileSync(path.join(dir, 'model-graph-residual.svg'), 'utf8');
  assert.match(residual, /class="edge skip" data-from="stem" data-to="residual_add"/);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('examples/sentence_classification, time_series, char_generation run as programs (1 epoch) and print their figures', () => {
  assert.match(run('sentence_classification.js', '1'), /225 training and 75 held-out sentences[\s\S]*held-out accuracy \d+\.\d%/);
  assert.match(run('time_series.js', '1'), /280 held-out windows: LSTM MSE \d\.\d{4}, repeat-last-value MSE 0\.1079/);
  assert.match(run('char_generation.js', '1'), /final loss \d\.\d{3} nats\/char\nseed: {4}"the old gardener"\ngreedy: {2}"[a-z .]{160}"/);
});
