/** trainTestSplit and shuffle: sizes, determinism by seed, rows kept together, stratification, errors. */
import test from 'node:test';
import assert from 'node:assert/strict';
import { tensor } from '../../src/tensor/creation.js';
import { trainTestSplit, shuffle } from '../../src/data/split.js';

// row i of x is [i, 100 + i], so each row tells which sample it was; y[i] = i % 3
const n = 30;
const x = tensor(Array.from({ length: n * 2 }, (_, k) => (k % 2 === 0 ? k / 2 : 100 + (k - 1) / 2)), [n, 2]);
const y = tensor(Array.from({ length: n }, (_, i) => i % 3), [n], 'int32');

function ids(t: { dataSync(): ArrayLike<number>; shape: readonly number[] }): number[] {
  const d = t.dataSync();
  return Array.from({ length: t.shape[0] }, (_, i) => d[i * 2]);
}

test('trainTestSplit sizes follow scikit-learn: ceil for the test fraction, rest for training', () => {
  const [xTrain, xTest, yTrain, yTest] = trainTestSplit(x, y, { testSize: 0.25, seed: 1 });
  assert.deepEqual(xTest.shape, [8, 2]); // ceil(7.5)
  assert.deepEqual(xTrain.shape, [22, 2]);
  assert.deepEqual(yTrain.shape, [22]);
  assert.equal(yTest.dtype, 'int32');
  const all = [...ids(xTrain), ...ids(xTest)].sort((a, b) => a - b);
  assert.deepEqual(all, Array.from({ length: n }, (_, i) => i), 'every row lands in exactly one part');
  // the label travels with its row, and the second column with the first
  const yt = yTrain.dataSync();
  ids(xTrain).forEach((id, i) => {
    assert.equal(yt[i], id % 3);
    assert.equal(xTrain.dataSync()[i * 2 + 1], 100 + id);
  });
  const [, byCount] = trainTestSplit(x, y, { testSize: 5, seed: 1 });
  assert.equal(byCount.shape[0], 5);
  const [small] = trainTestSplit(x, y, { testSize: 5, trainSize: 0.5, seed: 1 });
  assert.equal(small.shape[0], 15);
});

test('trainTestSplit: the same seed gives the same split, another seed another', () => {
  const a = trainTestSplit(x, y, { seed: 7 });
  const b = trainTestSplit(x, y, { seed: 7 });
  const c = trainTestSplit(x, y, { seed: 8 });
  assert.deepEqual(ids(a[1]), ids(b[1]));
  assert.notDeepEqual(ids(a[1]), ids(c[1]));
  const [train, testPart] = trainTestSplit(x, y, { shuffle: false, testSize: 0.2 });
  assert.deepEqual(ids(train), Array.from({ length: 24 }, (_, i) => i), 'unshuffled: first rows train');
  assert.deepEqual(ids(testPart), [24, 25, 26, 27, 28, 29]);
});

test('trainTestSplit with stratify keeps class proportions, from labels or one-hot rows', () => {
  const labels = Int32Array.from({ length: 40 }, (_, i) => (i < 30 ? 0 : 1)); // 75% / 25%
  const xs = tensor(Array.from({ length: 40 }, (_, i) => i), [40, 1]);
  for (let seed = 0; seed < 5; seed++) {
    const [, , yTrain, yTest] = trainTestSplit(xs, labels, { testSize: 0.2, seed, stratify: true });
    const ones = (t: { dataSync(): ArrayLike<number> }) => Array.from(t.dataSync()).filter((v) => v === 1).length;
    assert.equal(yTest.shape[0], 8);
    assert.equal(ones(yTest), 2, 'a quarter of the test part is class 1');
    assert.equal(ones(yTrain), 8);
  }
  const oneHot = tensor(Array.from(labels).flatMap((l) => (l === 0 ? [1, 0] : [0, 1])), [40, 2]);
  const [, , , yTest] = trainTestSplit(xs, oneHot, { testSize: 0.2, seed: 3, stratify: true });
  const cls = yTest.dataSync();
  let ones = 0;
  for (let i = 0; i < 8; i++) ones += cls[i * 2 + 1];
  assert.equal(ones, 2);
});

test('trainTestSplit errors say what was wrong', () => {
  assert.throws(() => trainTestSplit(x, tensor([1, 2, 3]), {}), /x has 30 rows but y has 3/);
  assert.throws(() => trainTestSplit(x, y, { testSize: 0 }), /testSize must be a fraction in \(0, 1\) or a positive whole number of rows, got 0/);
  assert.throws(() => trainTestSplit(x, y, { testSize: 2.5 }), /testSize 2.5 is neither a fraction/);
  assert.throws(() => trainTestSplit(x, y, { testSize: 30 }), /30 test rows and 0 training rows do not fit in 30 rows/);
  assert.throws(() => trainTestSplit(x, [0, 0, 0, 1, ...new Array(26).fill(0)], { stratify: true }),
    /stratify needs at least 2 rows of every class, class 1 has 1/);
  assert.throws(() => trainTestSplit(x, y, { stratify: true, shuffle: false }), /stratify needs shuffle: true/);
});

test('shuffle moves rows of several arrays together, repeatably', () => {
  const [xs, ys] = shuffle([x, y], { seed: 3 });
  const order = ids(xs);
  assert.notDeepEqual(order, Array.from({ length: n }, (_, i) => i));
  assert.deepEqual([...order].sort((a, b) => a - b), Array.from({ length: n }, (_, i) => i));
  assert.deepEqual(Array.from(ys.dataSync()), order.map((id) => id % 3));
  assert.deepEqual(ids(shuffle([x], { seed: 3 })[0]), order);
  assert.throws(() => shuffle([x, tensor([1, 2])]), /arrays\[0\] has 30 rows but arrays\[1\] has 2/);
});
