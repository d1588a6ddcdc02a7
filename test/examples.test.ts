/** The README's examples run, from the built package, through `import * as st from 'striate'`. */
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

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

test('the striate command prints its version and commands', () => {
  const out = execFileSync(process.execPath, [path.join(root, 'bin/striate.js')], { encoding: 'utf8' });
  assert.match(out, /striate \d+\.\d+\.\d+/);
  assert.match(out, /train/);
});

test('examples/sentence_classification, time_series, char_generation run as programs (1 epoch) and print their figures', () => {
  assert.match(run('sentence_classification.js', '1'), /225 training and 75 held-out sentences[\s\S]*held-out accuracy \d+\.\d%/);
  assert.match(run('time_series.js', '1'), /280 held-out windows: LSTM MSE \d\.\d{4}, repeat-last-value MSE 0\.1079/);
  assert.match(run('char_generation.js', '1'), /final loss \d\.\d{3} nats\/char\nseed: {4}"the old gardener"\ngreedy: {2}"[a-z .]{160}"/);
});
