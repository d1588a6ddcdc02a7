/**
 * The math ops beyond the differential table: random draws (distributions and seeding, which
 * cannot match TensorFlow.js's streams), inTopKAsync, the einsum forms TensorFlow.js lacks,
 * QR's defining properties, the scan kernels on both backends, and the error messages.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as st from '../../src/index.js';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { assertClose, assertThrowsMessage, testTensor } from '../helpers.js';

const flat = (t: st.Tensor): number[] => Array.from(t.dataSync());

function meanAndVariance(t: st.Tensor): [number, number] {
  const v = Array.from(t.dataSync());
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  return [mean, v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length];
}

function frequencies(t: st.Tensor, classes: number): number[] {
  const counts = new Array<number>(classes).fill(0);
  for (const v of t.dataSync()) counts[v]++;
  return counts.map((c) => c / t.size);
}

// ---- random draws ----

test('multinomial draws classes with the softmax probabilities of the logits', () => {
  const probs = [0.1, 0.2, 0.7];
  const draws = st.multinomial(st.tensor(probs.map(Math.log)), 20000, 5);
  assert.equal(draws.dtype, 'int32');
  assert.deepEqual(draws.shape, [20000]);
  assertClose(frequencies(draws, 3), probs, 0.015, 'frequencies');
});

test('multinomial with normalized takes probabilities, per row of a batch', () => {
  const draws = st.multinomial(st.tensor([[0.5, 0.5, 0], [0, 0.25, 0.75]]), 10000, 11, true);
  assert.deepEqual(draws.shape, [2, 10000]);
  const rows = st.unstack(draws);
  assertClose(frequencies(rows[0], 3), [0.5, 0.5, 0], 0.02, 'row 0');
  assertClose(frequencies(rows[1], 3), [0, 0.25, 0.75], 0.02, 'row 1');
});

test('multinomial: the same seed gives the same draws, another seed others', () => {
  const logits = st.tensor([[1, 2, 3, 0.5]]);
  const a = Array.from(st.multinomial(logits, 50, 123).dataSync());
  assert.deepEqual(Array.from(st.multinomial(logits, 50, 123).dataSync()), a);
  assert.notDeepEqual(Array.from(st.multinomial(logits, 50, 124).dataSync()), a);
});

test('multinomial errors name what was expected', () => {
  assertThrowsMessage(() => st.multinomial(st.tensor([1]), 3), 'multinomial', 'at least 2 outcomes');
  assertThrowsMessage(() => st.multinomial(st.zeros([2, 2, 2]), 3), 'rank 1 or 2', '[2,2,2]');
  assertThrowsMessage(() => st.multinomial(st.tensor([1, 2]), 1.5), "'numSamples'", '1.5');
});

test('randomUniformInt draws int32 in [minval, maxval), evenly, and repeats with a seed', () => {
  const t = st.randomUniformInt([30000], 2, 7, 3);
  assert.equal(t.dtype, 'int32');
  const v = Array.from(t.dataSync());
  assert.equal(Math.min(...v), 2);
  assert.equal(Math.max(...v), 6);
  for (const f of frequencies(st.sub(t, 2), 5)) assert.ok(Math.abs(f - 0.2) < 0.015, `frequency ${f}`);
  assert.deepEqual(Array.from(st.randomUniformInt([20], 2, 7, 3).dataSync()), v.slice(0, 20));
  assert.equal(st.randomUniformInt([4], 0, 9, 'a seed').size, 4);
});

test('randomGamma has mean alpha·beta and variance alpha·beta², as TensorFlow.js samples', () => {
  const [m, v] = meanAndVariance(st.randomGamma([40000], 2, 3, 'float32', 7));
  assert.ok(Math.abs(m - 6) < 0.1, `mean ${m}`);
  assert.ok(Math.abs(v - 18) < 0.8, `variance ${v}`);
  // the same moments from TensorFlow.js itself, to pin down what beta means
  const theirs = tf.randomGamma([40000], 2, 3, 'float32', 7);
  const tm = tf.mean(theirs).dataSync()[0];
  assert.ok(Math.abs(tm - m) < 0.15, `TensorFlow.js mean ${tm} vs ${m}`);
  const [ms, vs] = meanAndVariance(st.randomGamma([40000], 0.5, 1, 'float32', 9));
  assert.ok(Math.abs(ms - 0.5) < 0.02 && Math.abs(vs - 0.5) < 0.05, `alpha 0.5: mean ${ms} variance ${vs}`);
  assert.ok(Math.min(...st.randomGamma([1000], 0.3).dataSync()) >= 0);
  const ints = st.randomGamma([10], 5, 1, 'int32', 1);
  assert.equal(ints.dtype, 'int32');
  assert.deepEqual(Array.from(st.randomGamma([10], 5, 1, 'int32', 1).dataSync()), Array.from(ints.dataSync()));
  assertThrowsMessage(() => st.randomGamma([2], -1), 'randomGamma', "'alpha'");
  assertThrowsMessage(() => st.randomGamma([2], 1, 1, 'bool'), 'randomGamma', 'dtype');
});

test('randomStandardNormal has mean 0 and variance 1; bool is refused', () => {
  const [m, v] = meanAndVariance(st.randomStandardNormal([40000], 'float32', 4));
  assert.ok(Math.abs(m) < 0.02 && Math.abs(v - 1) < 0.03, `mean ${m} variance ${v}`);
  assert.deepEqual(Array.from(st.randomStandardNormal([5], 'float32', 4).dataSync()),
    Array.from(st.randomStandardNormal([5], 'float32', 4).dataSync()));
  assertThrowsMessage(() => st.randomStandardNormal([2], 'bool'), 'randomStandardNormal', 'bool');
});

test('rand fills a tensor from a function, in the dtype asked', () => {
  let k = 0;
  const t = st.rand([2, 3], () => k++, 'int32');
  assert.equal(t.dtype, 'int32');
  assert.deepEqual(t.arraySync(), [[0, 1, 2], [3, 4, 5]]);
  assert.equal(st.rand([4], () => 0.5).dtype, 'float32');
  assertThrowsMessage(() => st.rand([2], 3 as unknown as () => number), 'rand', "'randFunction'");
});

// ---- inTopKAsync ----

test('inTopKAsync agrees with TensorFlow.js, ties included', async () => {
  await tf.setBackend('cpu');
  const preds = [[0.1, 0.5, 0.5, 0.2], [3, 1, 2, 2], [0, 0, 0, 1]];
  const targets = [2, 3, 0];
  for (const k of [1, 2, 3]) {
    const ours = await st.inTopKAsync(st.tensor(preds), st.tensor(targets, undefined, 'int32'), k);
    const theirs = await tf.inTopKAsync(tf.tensor2d(preds), tf.tensor1d(targets, 'int32'), k);
    assert.equal(ours.dtype, 'bool');
    assert.deepEqual(Array.from(ours.dataSync()), Array.from(theirs.dataSync()), `k ${k}`);
  }
  await assert.rejects(st.inTopKAsync(st.tensor(preds), st.tensor([1, 2], undefined, 'int32')), /targets.*\[3\]/);
  await assert.rejects(st.inTopKAsync(st.tensor(preds), st.tensor(targets, undefined, 'int32'), 5), /'k'.*\[1, 4\]/);
});

// ---- einsum beyond TensorFlow.js ----

test("einsum 'ij,jk->k' sums a label away inside one operand (TensorFlow.js returns a wrong result)", () => {
  const a = st.tensor([[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]]);
  const b = st.tensor([[1, 0], [0, 1], [1, 1], [2, -1]]);
  assertClose(st.einsum('ij,jk->k', a, b), flat(st.matMul(a, b).sum(0)));
  assertClose(st.einsum('ij,jk->k', a, b), [84, 15]);
});

test('einsum: the implicit form, diagonals, traces and three operands', () => {
  const a = testTensor([3, 4], 1);
  const b = testTensor([4, 2], 2);
  assertClose(st.einsum('ij,jk', a, b), flat(st.matMul(a, b)), 1e-12);
  assert.deepEqual(st.einsum('ji', a).shape, [4, 3]);
  const m = st.tensor([[1, 2, 3], [4, 5, 6], [7, 8, 9]]);
  assertClose(st.einsum('ii->i', m), [1, 5, 9]);
  assertClose(st.einsum('ii->', m), 15);
  assertClose(st.einsum('ii', m), 15);
  const c = testTensor([2], 3);
  const expected = st.matMul(st.matMul(testTensor([2, 3], 4), testTensor([3, 2], 5)), st.reshape(c, [2, 1])).reshape([2]);
  assertClose(st.einsum('ij,jk,k->i', testTensor([2, 3], 4), testTensor([3, 2], 5), c), flat(expected), 1e-12);
});

test('einsum errors name the equation and the operands', () => {
  const a = st.zeros([2, 3]);
  assertThrowsMessage(() => st.einsum('ij,jk->ik', a), 'einsum', '2 operand(s)', '1 tensor(s)');
  assertThrowsMessage(() => st.einsum('ij,jk->ik', a, st.zeros([4, 2])), "label 'j'", 'size 3', '4');
  assertThrowsMessage(() => st.einsum('ijk->i', a), 'operand 0', "'ijk'", '[2,3]');
  assertThrowsMessage(() => st.einsum('ij->iz', a), "output label 'z'");
  assertThrowsMessage(() => st.einsum('...ij->ij', a), 'letters');
});

// ---- QR and Gram-Schmidt ----

function assertOrthonormalColumns(q: st.Tensor, tol = 1e-4): void {
  const n = q.shape[q.rank - 1];
  assertClose(st.matMul(q, q, true, false), flat(st.eye(n)), tol, 'qᵀq');
}

test('qr: q has orthonormal columns, r is upper triangular, and q r = x', () => {
  for (const [shape, full] of [[[5, 3], false], [[5, 3], true], [[3, 5], false], [[4, 4], false]] as [number[], boolean][]) {
    const x = testTensor(shape, 7);
    const [q, r] = st.linalg.qr(x, full);
    const k = full ? shape[0] : Math.min(...shape);
    assert.deepEqual(q.shape, [shape[0], k]);
    assert.deepEqual(r.shape, [k, shape[1]]);
    assertOrthonormalColumns(q, 1e-10);
    assertClose(st.matMul(q, r), flat(x), 1e-10, `q r for [${shape}]`);
    const rv = r.arraySync() as number[][];
    rv.forEach((row, i) => row.forEach((v, j) => { if (j < i) assert.ok(Math.abs(v) < 1e-10, `r[${i}][${j}] = ${v}`); }));
  }
});

test('qr of a batch keeps the batch axes and gives the right shapes for non-square matrices', () => {
  const x = testTensor([2, 2, 5, 3], 3);
  const [q, r] = st.linalg.qr(x);
  assert.deepEqual(q.shape, [2, 2, 5, 3]);
  assert.deepEqual(r.shape, [2, 2, 3, 3]);
  assertClose(st.matMul(q, r), flat(x), 1e-10);
  assertThrowsMessage(() => st.linalg.qr(st.zeros([3])), 'qr', 'rank 2 or more', '[3]');
});

test('gramSchmidt returns orthonormal vectors spanning the same space, as a list or a matrix', () => {
  const x = testTensor([3, 5], 2);
  const y = st.linalg.gramSchmidt(x) as st.Tensor;
  assertClose(st.matMul(y, y, false, true), flat(st.eye(3)), 1e-10);
  const list = st.linalg.gramSchmidt(st.unstack(x)) as st.Tensor[];
  assert.equal(list.length, 3);
  assertClose(st.stack(list), flat(y), 1e-12);
  assertThrowsMessage(() => st.linalg.gramSchmidt(st.zeros([4, 2])), '4 vectors', '2 dimensions');
});

// ---- the scan kernels on both backends ----

for (const backend of ['js', 'wasm']) {
  test(`cumsum, cumprod, topk, searchSorted and bincount on the ${backend} backend`, () => {
    const before = st.getBackend();
    st.setBackend(backend);
    try {
      const x = st.tensor([[1, 2, 3], [4, 5, 6]]);
      assertClose(st.cumsum(x, 1), [1, 3, 6, 4, 9, 15]);
      assertClose(st.cumsum(x, 0, true), [0, 0, 0, 1, 2, 3]);
      assertClose(st.cumprod(x, 1, false, true), [6, 6, 3, 120, 30, 6]);
      assertClose(st.cumsum(st.tensor([1, 2, 3], undefined, 'float64'), 0, false, true), [6, 5, 3]);
      const { values, indices } = st.topk(st.tensor([[1, 9, 3, 9, 2], [0, -1, 7, 7, 7]]), 2);
      assertClose(values, [9, 9, 7, 7]);
      assert.deepEqual(Array.from(indices.dataSync()), [1, 3, 2, 3]);
      assert.equal(indices.dtype, 'int32');
      const long = st.topk(st.range(0, 100).mul(-1).add(st.range(0, 100).mod(10).mul(20)), 3);
      assert.deepEqual(Array.from(long.indices.dataSync()), [9, 19, 8]);
      assert.deepEqual(Array.from(st.searchSorted(st.tensor([1, 3, 3, 5]), st.tensor([3, 0, 6]), 'right').dataSync()), [3, 0, 4]);
      assertClose(st.bincount(st.tensor([0, 2, 2, 5], undefined, 'int32'), st.tensor([]), 4), [1, 0, 2, 0]);
      assertClose(st.denseBincount(st.tensor([[1, 1], [0, 3]], undefined, 'int32'), st.tensor([]), 3, true), [0, 1, 0, 1, 0, 0]);
    } finally {
      st.setBackend(before);
    }
  });
}

test('cumsum keeps its gradient through a long chain (typed-array kernel, no per-element tensors)', () => {
  const x = testTensor([64, 33], 1);
  const g = st.grad((t: st.Tensor) => st.cumsum(t, 1).sum())(x);
  // d/dx_j of the sum of all prefix sums of a row is the number of prefixes containing j
  const row = Array.from({ length: 33 }, (_, j) => 33 - j);
  assertClose(st.slice(g, [5, 0], [1, 33]), row);
});

// ---- other behaviours ----

test('divNoNan gives 0 (and gradient 0) where the divisor is 0', () => {
  const a = st.tensor([1, -2, 0, 3]);
  const b = st.tensor([0, 2, 0, -1]);
  assertClose(st.divNoNan(a, b), [0, -1, 0, -3]);
  const [ga, gb] = st.grads((x: st.Tensor, y: st.Tensor) => st.divNoNan(x, y).sum())([a, b]);
  assertClose(ga, [0, 0.5, 0, -1]);
  assertClose(gb, [0, 0.5, 0, -3]);
});

test('unique keeps first appearances and maps every element to its value', () => {
  const { values, indices } = st.tensor([3, 3, NaN, 1, NaN, 3]).unique();
  assertClose(values, [3, NaN, 1]);
  assert.deepEqual(Array.from(indices.dataSync()), [0, 0, 1, 2, 1, 0]);
});

test('norm takes general p-norms of vectors and refuses unknown orders', () => {
  assertClose(st.norm(st.tensor([3, -4]), 3), Math.cbrt(27 + 64), 1e-6);
  assertThrowsMessage(() => st.norm(st.tensor([[1, 2]]), 3, [0, 1]), 'norm', 'matrix norm', '3');
  assertThrowsMessage(() => st.norm(st.tensor([1, 2]), 0), 'norm', 'vector norm');
  assertThrowsMessage(() => st.norm(st.tensor([1, 2]), 2, [0, 0]), 'norm', 'two different axes');
});

test('math ops are Tensor methods, as in TensorFlow.js', () => {
  const x = st.tensor([0.5, 1.5]);
  assertClose(x.asinh(), [Math.asinh(0.5), Math.asinh(1.5)]);
  assertClose(x.add(1).acosh(), [Math.acosh(1.5), Math.acosh(2.5)]);
  assertClose(x.mul(0.5).atanh(), [Math.atanh(0.25), Math.atanh(0.75)]);
  assertClose(x.cumsum(), [0.5, 2]);
  assertClose(x.cumprod(), [0.5, 0.75]);
  assertClose(x.topk().values, [1.5]);
  assertClose(x.norm(1), 2);
  assertClose(x.euclideanNorm(), Math.hypot(0.5, 1.5));
  assertClose(x.logSigmoid(), [Math.log(1 / (1 + Math.exp(-0.5))), Math.log(1 / (1 + Math.exp(-1.5)))]);
  assertClose(x.divNoNan(st.tensor([0, 3])), [0, 0.5]);
  assertClose(x.sub(1).step(0.1), [0.1, 1]);
});

test('errors of the scan, count and bit ops say what was expected and what came', () => {
  assertThrowsMessage(() => st.topk(st.zeros([2, 3]), 4), 'topk', "'k'", '[0, 3]', '4');
  assertThrowsMessage(() => st.topk(st.scalar(1)), 'topk', 'scalar');
  assertThrowsMessage(() => st.cumsum(st.zeros([2, 3]), 2), 'cumsum', 'axis 2');
  assertThrowsMessage(() => st.bincount(st.tensor([1, -2], undefined, 'int32'), st.tensor([]), 3), 'bincount', 'non-negative', '-2');
  assertThrowsMessage(() => st.bincount(st.tensor([1.5, 2]), st.tensor([]), 3), 'bincount', 'int32', 'float32');
  assertThrowsMessage(() => st.bincount(st.tensor([1, 2], undefined, 'int32'), st.tensor([1, 2, 3]), 3), "'weights'", '[3]');
  assertThrowsMessage(() => st.denseBincount(st.zeros([2, 2, 2], 'int32'), st.tensor([]), 3), 'denseBincount', 'rank 1 or 2');
  assertThrowsMessage(() => st.searchSorted(st.zeros([2, 3]), st.zeros([3, 1])), 'searchSorted', 'rows', '2 vs 3');
  assertThrowsMessage(() => st.bitwiseAnd(st.tensor([1, 2], undefined, 'int32'), st.tensor([1])), 'bitwiseAnd', 'one shape');
  assertThrowsMessage(() => st.bitwiseAnd(st.tensor([1.5]), st.tensor([1])), 'bitwiseAnd', 'int32');
  assertThrowsMessage(() => st.movingAverage(st.zeros([2]), st.zeros([2]), 0.9), 'movingAverage', "'step'");
  assertThrowsMessage(() => st.math.confusionMatrix([0, 1], [1], 2), 'confusionMatrix', '2 and 1');
  assertThrowsMessage(() => st.math.confusionMatrix([0, 1], [1, 0], 0), "'numClasses'");
});
