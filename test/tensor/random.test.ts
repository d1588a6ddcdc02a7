/** Seeded random tensors: randomNormal, randomUniform, truncatedNormal. */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as st from '../../src/index.js';
import { assertThrowsMessage } from '../helpers.js';

function stats(t: st.Tensor): { mean: number; std: number; min: number; max: number } {
  const v = Array.from(t.dataSync());
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const std = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length);
  return { mean, std, min: Math.min(...v), max: Math.max(...v) };
}

const makers = [
  ['randomNormal', (seed?: number) => st.randomNormal([50], 0, 1, 'float32', seed)],
  ['randomUniform', (seed?: number) => st.randomUniform([50], 0, 1, 'float32', seed)],
  ['truncatedNormal', (seed?: number) => st.truncatedNormal([50], 0, 1, 'float32', seed)],
] as const;

for (const [name, make] of makers) {
  test(`${name}: same seed gives the same numbers, different seeds differ`, () => {
    const a = Array.from(make(7).dataSync());
    const b = Array.from(make(7).dataSync());
    const c = Array.from(make(8).dataSync());
    assert.deepEqual(a, b);
    assert.notDeepEqual(a, c);
    assert.equal(new Set(a).size, a.length, 'values are not repeated');
  });

  test(`${name}: unseeded draws follow the global stream set by setSeed`, () => {
    st.setSeed(123);
    const a = Array.from(make().dataSync());
    const a2 = Array.from(make().dataSync());
    st.setSeed(123);
    const b = Array.from(make().dataSync());
    assert.deepEqual(a, b);
    assert.notDeepEqual(a, a2, 'successive unseeded draws differ');
  });
}

test('randomNormal: mean and std roughly right on 10k samples', () => {
  const t = st.randomNormal([100, 100], 3, 2, 'float64', 1);
  assert.deepEqual(t.shape, [100, 100]);
  assert.equal(t.dtype, 'float64');
  const s = stats(t);
  assert.ok(Math.abs(s.mean - 3) < 0.08, `mean ${s.mean}`);
  assert.ok(Math.abs(s.std - 2) < 0.08, `std ${s.std}`);
  assert.ok(s.max - s.min > 10, 'tails reach beyond 2.5 std devs');
});

test('randomUniform: range, mean and std on 10k samples', () => {
  const t = st.randomUniform([10000], -2, 4, 'float32', 2);
  assert.equal(t.dtype, 'float32');
  const s = stats(t);
  assert.ok(s.min >= -2 && s.max < 4, `range [${s.min}, ${s.max}]`);
  assert.ok(Math.abs(s.mean - 1) < 0.1, `mean ${s.mean}`);
  assert.ok(Math.abs(s.std - 6 / Math.sqrt(12)) < 0.05, `std ${s.std}`);
  const d = stats(st.randomUniform([10000], 0, 1, 'float32', 3));
  assert.ok(d.min >= 0 && d.max < 1);
});

test('randomUniform int32 gives integers in [minval, maxval), each about equally often', () => {
  const t = st.randomUniform([6000], 2, 8, 'int32', 4);
  assert.equal(t.dtype, 'int32');
  const v = Array.from(t.dataSync());
  const counts = new Map<number, number>();
  for (const x of v) counts.set(x, (counts.get(x) ?? 0) + 1);
  assert.deepEqual([...counts.keys()].sort(), [2, 3, 4, 5, 6, 7]);
  for (const [k, n] of counts) assert.ok(Math.abs(n - 1000) < 150, `value ${k} drawn ${n} times`);
});

test('truncatedNormal: within 2 std devs, mean about right', () => {
  const t = st.truncatedNormal([10000], 1, 0.5, 'float64', 5);
  const s = stats(t);
  assert.ok(s.min >= 0 && s.max <= 2, `range [${s.min}, ${s.max}]`);
  assert.ok(Math.abs(s.mean - 1) < 0.03, `mean ${s.mean}`);
  // the std of a standard normal truncated at +-2 is about 0.88
  assert.ok(Math.abs(s.std - 0.5 * 0.88) < 0.03, `std ${s.std}`);
});

test('random tensor defaults and validation errors', () => {
  const t = st.randomNormal([2, 3]);
  assert.deepEqual(t.shape, [2, 3]);
  assert.equal(t.dtype, 'float32');
  assert.equal(st.randomUniform([0]).size, 0);
  assertThrowsMessage(() => st.randomNormal([2, -1]), 'randomNormal', 'shape');
  assertThrowsMessage(() => st.randomNormal([2], 0, -1), 'randomNormal', 'stdDev', 'non-negative');
  assertThrowsMessage(() => st.randomNormal([2], 0, 1, 'bool'), 'randomNormal', 'dtype');
  assertThrowsMessage(() => st.truncatedNormal([2], NaN), 'truncatedNormal', 'mean', 'finite');
  assertThrowsMessage(() => st.randomUniform([2], 3, 1), 'randomUniform', 'maxval', 'minval');
  assertThrowsMessage(() => st.randomUniform([2], 0, 1, 'float16' as st.DType), 'randomUniform', 'dtype', 'float16');
  assertThrowsMessage(() => st.randomUniform([2], 0.2, 0.9, 'int32'), 'randomUniform', 'no integer');
});
