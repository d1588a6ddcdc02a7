/**
 * The differential table: every op TensorFlow.js also has runs on the same random inputs in
 * striate and in TensorFlow.js (tfjs-core + tfjs-backend-cpu); forward values, shapes, dtypes and
 * the gradients of sum(output * w) (w fixed random weights) must agree within float32 tolerance.
 * Rows live in test/ops/diff_rows/, one file per area.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as st from '../../src/index.js';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
// tfjs-core's Node bundle registers no gradients; tfjs-layers' bundle registers them all (globally)
import '@tensorflow/tfjs-layers';
// tfjs-core's Node bundle leaves out the chained-op methods (x.split(), ...) that some of its own ops call
import '../io/tfjs_interop.js';
import { testValues } from '../helpers.js';
import type { DiffInput, DiffRow } from './diff_rows/row.js';
import { movementDiffRows } from './diff_rows/movement.js';
import { mathDiffRows } from './diff_rows/math.js';
import { convDiffRows } from './diff_rows/conv.js';
import { imageDiffRows } from './diff_rows/image.js';
import { lossDiffRows } from './diff_rows/losses.js';
import { spectralDiffRows } from './diff_rows/spectral.js';
import { coreDiffRows } from './diff_rows/core.js';

const table: DiffRow[] = [
  ...movementDiffRows,
  ...mathDiffRows,
  ...convDiffRows,
  ...imageDiffRows,
  ...lossDiffRows,
  ...spectralDiffRows,
  ...coreDiffRows,
];

interface Made { values: number[]; shape: number[]; dtype: 'float32' | 'int32' | 'bool' }

function make(input: DiffInput, seed: number): Made {
  const spec = Array.isArray(input) ? { shape: input } : input;
  const n = spec.shape.reduce((a, b) => a * b, 1);
  const dtype = spec.dtype ?? 'float32';
  let values: number[];
  if (spec.values) values = [...spec.values];
  else if (dtype === 'float32') values = Array.from(testValues(n, seed), (v) => (spec.map ? spec.map(v) : v));
  else {
    const [lo, hi] = spec.range ?? [0, 2];
    values = Array.from(testValues(n, seed), (v) => lo + Math.min(hi - lo - 1, Math.floor(((v + 1) / 2) * (hi - lo))));
  }
  assert.equal(values.length, n, `input of shape [${spec.shape}] needs ${n} values, got ${values.length}`);
  return { values, shape: spec.shape, dtype };
}

function list<T>(x: T | T[]): T[] {
  return Array.isArray(x) ? x : [x];
}

function assertAllClose(ours: ArrayLike<number>, theirs: ArrayLike<number>, tol: number, what: string): void {
  assert.equal(ours.length, theirs.length, `${what}: ${ours.length} values vs TensorFlow.js' ${theirs.length}`);
  for (let i = 0; i < ours.length; i++) {
    const a = Number(ours[i]);
    const b = Number(theirs[i]);
    const ok = (Number.isNaN(a) && Number.isNaN(b)) || a === b || Math.abs(a - b) <= tol * Math.max(1, Math.abs(b));
    assert.ok(ok, `${what} element ${i}: striate ${a}, TensorFlow.js ${b} (tol ${tol})`);
  }
}

test('differential table: TensorFlow.js on its cpu backend', async () => {
  await tf.setBackend('cpu');
});

for (const row of table) {
  const name = `${row.op}${row.options ? ` (${row.options})` : ''} ${row.inputs.map((i) => `[${Array.isArray(i) ? i : i.shape}]`).join(' ')}`;
  test(`same as TensorFlow.js: ${name}`, () => {
    const tol = row.tol ?? 1e-4;
    const made = row.inputs.map((inp, i) => make(inp, 11 + i));
    const ours = made.map((m) => st.tensor(m.values, m.shape, m.dtype));
    const theirs = made.map((m) => tf.tensor(m.values, m.shape, m.dtype));
    const outOurs = list(row.st(...ours));
    const outTheirs = list(row.tf(...theirs));
    assert.equal(outOurs.length, outTheirs.length, 'number of outputs');
    outOurs.forEach((o, k) => {
      const t = outTheirs[k];
      assert.deepEqual([...o.shape], [...t.shape], `output ${k} shape`);
      assert.equal(o.dtype, t.dtype, `output ${k} dtype`);
      assertAllClose(o.dataSync(), t.dataSync(), tol, `output ${k}`);
    });
    const floatInputs = made.map((m, i) => (m.dtype === 'float32' ? i : -1)).filter((i) => i >= 0);
    const gradInputs = row.gradInputs ?? floatInputs;
    if (gradInputs.length === 0) return;
    // gradient of sum(out_k * w_k) over the float outputs, w fixed random weights
    const weights = outTheirs.map((t, k) => Array.from(testValues(t.size, 101 + k)));
    const stLoss = (...xs: st.Tensor[]): st.Tensor => {
      const all = ours.map((t, i) => { const j = gradInputs.indexOf(i); return j >= 0 ? xs[j] : t; });
      const outs = list(row.st(...all));
      return outs.map((o, k) => (o.dtype === 'float32' ? o.mul(st.tensor(weights[k], [...o.shape])).sum() : st.scalar(0)))
        .reduce((a, b) => a.add(b));
    };
    const tfLoss = (...xs: tf.Tensor[]): tf.Tensor => {
      const all = theirs.map((t, i) => { const j = gradInputs.indexOf(i); return j >= 0 ? xs[j] : t; });
      const outs = list(row.tf(...all));
      return outs.map((o, k) => (o.dtype === 'float32' ? tf.sum(tf.mul(o, tf.tensor(weights[k], o.shape))) : tf.scalar(0)))
        .reduce((a, b) => tf.add(a, b));
    };
    const gOurs = st.grads(stLoss)(gradInputs.map((i) => ours[i]));
    const gTheirs = tf.grads(tfLoss)(gradInputs.map((i) => theirs[i]));
    gradInputs.forEach((inp, j) => {
      assert.deepEqual([...gOurs[j].shape], [...gTheirs[j].shape], `gradient of input ${inp}: shape`);
      assertAllClose(gOurs[j].dataSync(), gTheirs[j].dataSync(), tol, `gradient of input ${inp}`);
    });
  });
}
