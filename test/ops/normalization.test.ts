import test from 'node:test';
import assert from 'node:assert/strict';
import * as st from '../../src/index.js';
import { assertClose, assertThrowsMessage, testTensor } from '../helpers.js';

test('dropout: the same seed gives the same mask, another seed another one', () => {
  const x = st.ones([200]);
  const a = Array.from(st.dropout(x, 0.5, 7).dataSync());
  const b = Array.from(st.dropout(x, 0.5, 7).dataSync());
  const c = Array.from(st.dropout(x, 0.5, 8).dataSync());
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
  // inverted dropout: kept values are scaled by 1 / (1 - rate)
  assert.ok(a.every((v) => v === 0 || v === 2), `values ${a.slice(0, 10)}`);
});

test('dropout preserves the mean on a large tensor and drops about `rate` of the values', () => {
  const n = 100000;
  const y = st.dropout(st.fill([n], 3), 0.3, 123);
  const values = y.dataSync();
  let total = 0;
  let zeros = 0;
  for (const v of values) {
    total += v;
    if (v === 0) zeros++;
  }
  assert.ok(Math.abs(total / n - 3) < 0.05, `mean ${total / n}`);
  assert.ok(Math.abs(zeros / n - 0.3) < 0.01, `dropped fraction ${zeros / n}`);
});

test('dropout with rate 0 is the identity; rate outside [0, 1) is an error', () => {
  const x = st.tensor([1, -2, 3]);
  assertClose(st.dropout(x, 0), [1, -2, 3], 0);
  assertClose(x.dropout(0, 3), [1, -2, 3], 0);
  assertThrowsMessage(() => st.dropout(x, 1), 'dropout', 'rate', '[0, 1)', 'got 1');
  assertThrowsMessage(() => st.dropout(x, -0.1), 'dropout', 'rate');
  assertThrowsMessage(() => st.dropout(x, 0.5, 1, [2]), 'dropout', 'noiseShape');
});

test('dropout gradient uses the same mask as the forward pass', () => {
  const x = testTensor([50], 2);
  const { value, grad } = st.valueAndGrad((t) => st.sum(st.dropout(t, 0.4, 99)))(x);
  const y = st.dropout(x, 0.4, 99).dataSync();
  const xs = x.dataSync();
  const g = grad.dataSync();
  for (let i = 0; i < 50; i++) {
    assert.equal(g[i], y[i] === 0 ? 0 : 1 / 0.6, `element ${i}`);
    assert.ok(Math.abs(y[i] - (g[i] * xs[i])) < 1e-12);
  }
  assert.ok(Number.isFinite(value.dataSync()[0]));
});

test('dropout with a noiseShape drops whole rows or columns', () => {
  const y = st.dropout(st.ones([4, 6]), 0.5, 5, [4, 1]).arraySync() as number[][];
  for (const row of y) assert.ok(row.every((v) => v === row[0]), `row ${row}`);
});

test('batchNorm known values, broadcasting over the last axis', () => {
  const x = st.tensor([[1, 2], [3, 4]], undefined, 'float64');
  const mean = st.tensor([2, 3], undefined, 'float64');
  const variance = st.tensor([1, 4], undefined, 'float64');
  const offset = st.tensor([0.5, -1], undefined, 'float64');
  const scale = st.tensor([2, 3], undefined, 'float64');
  const eps = 0.001;
  const expected = [[1, 2], [3, 4]].map((row) => row.map((v, c) =>
    ((v - [2, 3][c]) / Math.sqrt([1, 4][c] + eps)) * [2, 3][c] + [0.5, -1][c]));
  assertClose(st.batchNorm(x, mean, variance, offset, scale), expected, 1e-12);
  assertClose(x.batchNorm(mean, variance), [[-1 / Math.sqrt(1.001), -1 / Math.sqrt(4.001)], [1 / Math.sqrt(1.001), 1 / Math.sqrt(4.001)]], 1e-12);
  assertClose(st.batchNorm(x, mean, variance, undefined, undefined, 0), [[-1, -0.5], [1, 0.5]], 1e-12);
  assertThrowsMessage(() => st.batchNorm(x, st.tensor([1, 2, 3]), variance), 'batchNorm', "'mean'", '[3]');
});

test('localResponseNormalization on a tiny hand-computed case', () => {
  // one pixel, channels [1, 2, 3], depthRadius 1, bias 1, alpha 1, beta 0.5
  // sums of squares: 1 + 4 = 5, 1 + 4 + 9 = 14, 4 + 9 = 13
  const x = st.tensor([1, 2, 3], [1, 1, 1, 3], 'float64');
  const y = st.localResponseNormalization(x, 1, 1, 1, 0.5);
  assert.deepEqual(y.shape, [1, 1, 1, 3]);
  assertClose(y, [1 / Math.sqrt(6), 2 / Math.sqrt(15), 3 / Math.sqrt(14)], 1e-12);
  // TensorFlow.js defaults (radius 5 covers all three): 14 for each
  assertClose(x.localResponseNormalization(), [1, 2, 3].map((v) => v / Math.sqrt(15)), 1e-12);
  // bias 2, alpha 0.5, beta 0.75, radius 0: x / (2 + 0.5 x^2)^0.75
  assertClose(st.localResponseNormalization(x, 0, 2, 0.5, 0.75), [1, 2, 3].map((v) => v / (2 + 0.5 * v * v) ** 0.75), 1e-12);
  assertThrowsMessage(() => st.localResponseNormalization(st.tensor([1, 2, 3])), 'localResponseNormalization', 'rank 4');
});
