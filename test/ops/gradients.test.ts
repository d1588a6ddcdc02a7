/**
 * The gradient table: every differentiable op, with its shapes and options, checked against
 * central finite differences in float64. Adding an op adds a row (test/ops/grad_rows/).
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as st from '../../src/index.js';
import { testTensor } from '../helpers.js';
import type { GradRow } from './grad_rows/row.js';
import { coreRows } from './grad_rows/core.js';
import { slicingRows } from './grad_rows/slicing.js';
import { nnRows } from './grad_rows/nn.js';
import { convRows } from './grad_rows/conv.js';
import { fusedRows } from './grad_rows/fused.js';
import { movementGradRows } from './grad_rows/new_movement.js';
import { mathGradRows } from './grad_rows/new_math.js';
import { convGradRows } from './grad_rows/new_conv.js';
import { imageGradRows } from './grad_rows/new_image.js';
import { lossGradRows } from './grad_rows/new_losses.js';
import { spectralGradRows } from './grad_rows/new_spectral.js';
import { coreGradRows } from './grad_rows/new_core.js';
import { layerGradRows } from './grad_rows/new_layers.js';
import { recurrentGradRows } from './grad_rows/new_recurrent.js';

const table: GradRow[] = [
  ...coreRows,
  ...slicingRows,
  ...nnRows,
  ...convRows,
  ...fusedRows,
  ...movementGradRows,
  ...mathGradRows,
  ...convGradRows,
  ...imageGradRows,
  ...lossGradRows,
  ...spectralGradRows,
  ...coreGradRows,
  ...layerGradRows,
  ...recurrentGradRows,
];

for (const row of table) {
  const name = `${row.op} ${row.shapes.map((s) => `[${s}]`).join(' ')}${row.options ? ` (${row.options})` : ''}`;
  test(`gradient of ${name}`, () => {
    const inputs = row.inputs ? row.inputs() : row.shapes.map((s, i) => testTensor(s, i + 1));
    const result = st.gradcheck(row.f, inputs, { eps: row.eps ?? 1e-6, atol: row.atol ?? 1e-6, rtol: row.rtol ?? 1e-4 });
    result.inputs.forEach((r, i) => {
      assert.ok(r.ok, `input ${i}: analytic ${r.analytic} vs numeric ${r.numeric} at [${r.position}] (max error ${r.maxError})`);
    });
  });
}

test('gradcheck itself catches a wrong gradient rule', () => {
  // exp with a wrong backward (claims d/dx exp(x) = 1): gradcheck must report it, with where
  const wrongExp = st.customGrad((x: st.Tensor) => ({ value: st.exp(x), gradFunc: (dy: st.Tensor) => dy }));
  const result = st.gradcheck((x) => wrongExp(x), [testTensor([2, 3])]);
  assert.equal(result.ok, false);
  assert.equal(result.inputs[0].ok, false);
  assert.deepEqual(result.inputs[0].position.length, 2);
  assert.ok(result.inputs[0].maxError > 0.1);
  const right = st.customGrad((x: st.Tensor) => ({ value: st.exp(x), gradFunc: (dy: st.Tensor) => dy.mul(st.exp(x)) }));
  assert.equal(st.gradcheck((x) => right(x), [testTensor([2, 3])]).ok, true);
});
