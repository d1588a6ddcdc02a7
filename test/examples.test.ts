/** The README's examples run, from the built package, through `import * as st from 'striate'`. */
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const dist = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(dist, '../..');
const run = (file: string) => execFileSync(process.execPath, [path.join(dist, '../examples', file)], { encoding: 'utf8' });

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

test('the striate command prints its version and commands', () => {
  const out = execFileSync(process.execPath, [path.join(root, 'bin/striate.js')], { encoding: 'utf8' });
  assert.match(out, /striate \d+\.\d+\.\d+/);
  assert.match(out, /train/);
});
