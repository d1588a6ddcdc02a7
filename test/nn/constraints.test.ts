import test from 'node:test';
import assert from 'node:assert/strict';
import * as st from '../../src/index.js';
import * as con from '../../src/nn/constraints.js';
import { assertClose, assertThrowsMessage } from '../helpers.js';

const EPS = 1e-7;
// columns (axis 0 norms): [3, 4] -> 5, [0, 1] -> 1
const w = () => st.tensor([[3, 0], [4, 1]], undefined, 'float64');

test('maxNorm scales columns whose norm exceeds maxValue', () => {
  const out = con.maxNorm({ maxValue: 2 }).apply(w());
  const s1 = 2 / (5 + EPS);
  const s2 = 1 / (1 + EPS);
  assertClose(out, [3 * s1, 0, 4 * s1, 1 * s2], 1e-12);
  // axis 1: row norms 3 and sqrt(17)
  const rows = con.maxNorm({ maxValue: 2, axis: 1 }).apply(w());
  const r1 = 2 / (3 + EPS);
  const r2 = 2 / (Math.sqrt(17) + EPS);
  assertClose(rows, [3 * r1, 0, 4 * r2, r2], 1e-12);
  // conv kernel: norms over [0, 1, 2], one per output filter
  const k = st.ones([2, 2, 2, 3], 'float64');
  const kc = con.maxNorm({ maxValue: 1, axis: [0, 1, 2] }).apply(k);
  assertClose(st.sqrt(st.sum(st.square(kc), [0, 1, 2])), [1, 1, 1], 1e-6);
  assertClose(con.maxNorm().apply(st.tensor([[1], [1]], undefined, 'float64')), [1, 1], 1e-6, 'default maxValue 2');
});

test('nonNeg zeroes negatives', () => {
  assertClose(con.nonNeg().apply(st.tensor([-1, 0, 2.5, -0.1])), [0, 0, 2.5, 0]);
});

test('unitNorm divides by the norm plus epsilon', () => {
  assertClose(con.unitNorm().apply(w()), [3 / (5 + EPS), 0, 4 / (5 + EPS), 1 / (1 + EPS)], 1e-12);
  assertClose(con.unitNorm({ axis: 1 }).apply(st.tensor([[6, 8]], undefined, 'float64')), [0.6, 0.8], 1e-6);
});

test('minMaxNorm moves norms into [minValue, maxValue] at rate', () => {
  const out = con.minMaxNorm({ minValue: 2, maxValue: 4 }).apply(w());
  assertClose(out, [3 * 4 / (5 + EPS), 0, 4 * 4 / (5 + EPS), 2 / (1 + EPS)], 1e-12);
  // rate 0.5: desired = 0.5 * clip(n) + 0.5 * n -> 4.5 and 1.5
  const half = con.minMaxNorm({ minValue: 2, maxValue: 4, rate: 0.5 }).apply(w());
  assertClose(half, [3 * 4.5 / (5 + EPS), 0, 4 * 4.5 / (5 + EPS), 1.5 / (1 + EPS)], 1e-12);
  assertClose(con.minMaxNorm().apply(st.tensor([[3], [4]], undefined, 'float64')), [0.6, 0.8], 1e-6, 'defaults [0, 1]');
});

test('getConstraint names, configs and objects', () => {
  assert.equal(con.getConstraint(undefined), undefined);
  assert.equal(con.getConstraint(null), undefined);
  for (const n of ['maxNorm', 'max_norm', 'MaxNorm']) assert.equal(con.getConstraint(n)!.className, 'MaxNorm');
  assert.equal(con.getConstraint('non_neg')!.className, 'NonNeg');
  assert.equal(con.getConstraint('UnitNorm')!.className, 'UnitNorm');
  assert.equal(con.getConstraint('min_max_norm')!.className, 'MinMaxNorm');
  const c = con.getConstraint({ className: 'MaxNorm', config: { maxValue: 3, axis: 1 } })!;
  assert.deepEqual(c.getConfig(), { maxValue: 3, axis: 1 });
  const mine = con.nonNeg();
  assert.equal(con.getConstraint(mine), mine);
  assert.equal(con.constraints.maxNorm({ maxValue: 2 }).className, 'MaxNorm');
});

test('constraint errors', () => {
  assertThrowsMessage(() => con.getConstraint('maxnorms'), 'unknown constraint "maxnorms"', 'maxNorm', 'nonNeg');
  assertThrowsMessage(() => con.maxNorm({ maxValue: -1 }), 'maxNorm constraint', 'maxValue', '-1');
  assertThrowsMessage(() => con.unitNorm({ axis: 0.5 }), 'unitNorm constraint', 'axis', '0.5');
  assertThrowsMessage(() => con.minMaxNorm({ minValue: 3, maxValue: 1 }), 'maxValue (1)', 'minValue (3)');
  assertThrowsMessage(() => con.minMaxNorm({ rate: 2 }), 'rate must be in [0, 1]');
  assertThrowsMessage(() => con.nonNeg().apply(3 as never), 'nonNeg constraint', 'expected a weight Tensor');
});
