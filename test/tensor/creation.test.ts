/** Making tensors: tensor/scalar/tensorNd, fill/zeros/ones, range/linspace/eye/oneHot. */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as st from '../../src/index.js';
import { assertThrowsMessage } from '../helpers.js';

test('tensor infers shape and dtype from nested arrays', () => {
  const t = st.tensor([[1, 2, 3], [4, 5, 6]]);
  assert.deepEqual(t.shape, [2, 3]);
  assert.equal(t.dtype, 'float32');
  assert.equal(t.size, 6);
  assert.equal(t.rank, 2);
  assert.ok(t.dataSync() instanceof Float32Array);
  assert.deepEqual(Array.from(t.dataSync()), [1, 2, 3, 4, 5, 6]);
  assert.deepEqual(t.arraySync(), [[1, 2, 3], [4, 5, 6]]);
});

test('tensor with a flat array and a shape', () => {
  const t = st.tensor([1, 2, 3, 4, 5, 6], [3, 2]);
  assert.deepEqual(t.arraySync(), [[1, 2], [3, 4], [5, 6]]);
});

test('dtypes float32, float64, int32, bool', () => {
  const f64 = st.tensor([1.5, 2.25], undefined, 'float64');
  assert.equal(f64.dtype, 'float64');
  assert.ok(f64.dataSync() instanceof Float64Array);
  const i32 = st.tensor([1.7, -2.7, 3], undefined, 'int32');
  assert.equal(i32.dtype, 'int32');
  assert.ok(i32.dataSync() instanceof Int32Array);
  assert.deepEqual(Array.from(i32.dataSync()), [1, -2, 3]);
  const b = st.tensor([true, false, true]);
  assert.equal(b.dtype, 'bool');
  assert.deepEqual(b.arraySync(), [true, false, true]);
  assert.deepEqual(st.tensor([0, 2, -1], undefined, 'bool').arraySync(), [false, true, true]);
  assert.equal(st.tensor(new Float64Array([1, 2])).dtype, 'float64');
  assert.equal(st.tensor(new Int32Array([1, 2])).dtype, 'int32');
  assert.equal(st.tensor([0.1], undefined, 'float32').dataSync()[0], Math.fround(0.1));
});

test('data() and array() resolve to the same values as the sync forms', async () => {
  const t = st.tensor([[1, 2], [3, 4]], undefined, 'int32');
  assert.deepEqual(Array.from(await t.data()), [1, 2, 3, 4]);
  assert.deepEqual(await t.array(), [[1, 2], [3, 4]]);
  assert.ok((await t.data()) instanceof Int32Array);
  const copy = t.dataSync();
  copy[0] = 99;
  assert.equal(t.dataSync()[0], 1, 'dataSync returns a copy');
});

test('scalar and tensor1d..4d', () => {
  const s = st.scalar(3.5);
  assert.deepEqual(s.shape, []);
  assert.equal(s.rank, 0);
  assert.equal(s.size, 1);
  assert.equal(s.arraySync(), 3.5);
  assert.equal(st.scalar(true).dtype, 'bool');
  assert.equal(st.scalar(2, 'int32').dtype, 'int32');
  assert.deepEqual(st.tensor1d([1, 2, 3]).shape, [3]);
  assert.deepEqual(st.tensor2d([1, 2, 3, 4], [2, 2]).shape, [2, 2]);
  assert.deepEqual(st.tensor3d([[[1], [2]]]).shape, [1, 2, 1]);
  assert.deepEqual(st.tensor4d([1, 2, 3, 4], [1, 1, 2, 2]).shape, [1, 1, 2, 2]);
  assertThrowsMessage(() => st.tensor1d([[1, 2]]), 'tensor1d', 'rank-1', '[1,2]');
  assertThrowsMessage(() => st.tensor2d([1, 2, 3]), 'tensor2d', 'rank-2');
  assertThrowsMessage(() => st.scalar('x' as unknown as number), 'scalar', 'number or boolean');
});

test('fill, zeros, ones, zerosLike, onesLike', () => {
  assert.deepEqual(st.fill([2, 2], 7).arraySync(), [[7, 7], [7, 7]]);
  assert.equal(st.fill([2], 7, 'int32').dtype, 'int32');
  const z = st.zeros([2, 3]);
  assert.deepEqual(z.shape, [2, 3]);
  assert.equal(z.dtype, 'float32');
  assert.deepEqual(Array.from(z.dataSync()), [0, 0, 0, 0, 0, 0]);
  assert.deepEqual(Array.from(st.ones([3], 'float64').dataSync()), [1, 1, 1]);
  assert.equal(st.ones([3], 'float64').dtype, 'float64');
  const like = st.tensor([[1, 2]], undefined, 'int32');
  assert.deepEqual(st.zerosLike(like).arraySync(), [[0, 0]]);
  assert.equal(st.zerosLike(like).dtype, 'int32');
  assert.deepEqual(st.onesLike(like).arraySync(), [[1, 1]]);
  assert.deepEqual(st.ones([2], 'bool').arraySync(), [true, true]);
  assert.equal(st.zeros([0, 3]).size, 0);
});

test('creation errors: ragged arrays, wrong sizes, bad dtypes and shapes', () => {
  assertThrowsMessage(() => st.tensor([[1, 2], [3]]), 'tensor', 'ragged');
  assertThrowsMessage(() => st.tensor([[1, 2], 3] as unknown as number[][]), 'tensor', 'ragged');
  assertThrowsMessage(() => st.tensor([1, 2, 3], [2, 2]), 'tensor', '[2,2]', '4 values', '3 were given');
  assertThrowsMessage(() => st.tensor([1, 2], undefined, 'float16' as st.DType), 'tensor', 'dtype', 'float16');
  // complex64 zeros are valid (as in TensorFlow.js); float16 is no dtype here
  assertThrowsMessage(() => st.zeros([2, 2], 'float16' as st.DType), 'dtype', 'float16');
  assertThrowsMessage(() => st.zeros([2, -1]), 'shape', 'non-negative integers');
  assertThrowsMessage(() => st.fill([1.5], 0), 'fill', 'shape');
  assertThrowsMessage(() => st.tensor(['a', 'b'] as unknown as number[]), 'tensor', 'expected a number or boolean');
});

test('range', () => {
  assert.deepEqual(Array.from(st.range(0, 5).dataSync()), [0, 1, 2, 3, 4]);
  assert.equal(st.range(0, 5).dtype, 'float32');
  assert.deepEqual(Array.from(st.range(1, 10, 3).dataSync()), [1, 4, 7]);
  assert.deepEqual(Array.from(st.range(5, 0, -2).dataSync()), [5, 3, 1]);
  assert.deepEqual(Array.from(st.range(0, 1, 0.25).dataSync()), [0, 0.25, 0.5, 0.75]);
  assert.equal(st.range(0, 3, 1, 'int32').dtype, 'int32');
  assert.equal(st.range(3, 3).size, 0);
  assert.equal(st.range(0, 5, -1).size, 0, 'a step pointing away from stop gives an empty range');
  assertThrowsMessage(() => st.range(0, 5, 0), 'range', 'step must not be 0');
  assertThrowsMessage(() => st.range(0, Infinity), 'range', 'stop', 'finite');
  assertThrowsMessage(() => st.range(0, 3, 1, 'bool'), 'range', 'dtype');
});

test('linspace', () => {
  const t = st.linspace(0, 1, 5);
  assert.equal(t.dtype, 'float32');
  assert.deepEqual(Array.from(t.dataSync()), [0, 0.25, 0.5, 0.75, 1]);
  assert.deepEqual(Array.from(st.linspace(2, -2, 3).dataSync()), [2, 0, -2]);
  assert.deepEqual(Array.from(st.linspace(3, 9, 1).dataSync()), [3]);
  assertThrowsMessage(() => st.linspace(0, 1, 0), 'linspace', 'num', 'positive integer');
  assertThrowsMessage(() => st.linspace(0, 1, 2.5), 'linspace', 'num');
});

test('eye', () => {
  assert.deepEqual(st.eye(3).arraySync(), [[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
  assert.deepEqual(st.eye(2, 3).arraySync(), [[1, 0, 0], [0, 1, 0]]);
  assert.deepEqual(st.eye(3, 2).arraySync(), [[1, 0], [0, 1], [0, 0]]);
  const batched = st.eye(2, 2, [3], 'int32');
  assert.deepEqual(batched.shape, [3, 2, 2]);
  assert.equal(batched.dtype, 'int32');
  assert.deepEqual(batched.arraySync(), [[[1, 0], [0, 1]], [[1, 0], [0, 1]], [[1, 0], [0, 1]]]);
  assertThrowsMessage(() => st.eye(-1), 'eye', 'numRows', 'non-negative integer');
  assertThrowsMessage(() => st.eye(2, 1.5), 'eye', 'numColumns');
});

test('oneHot', () => {
  const t = st.oneHot([0, 2, 1], 3);
  assert.equal(t.dtype, 'int32');
  assert.deepEqual(t.arraySync(), [[1, 0, 0], [0, 0, 1], [0, 1, 0]]);
  const fromTensor = st.oneHot(st.tensor([[1], [0]], undefined, 'int32'), 2, 5, -1, 'float32');
  assert.deepEqual(fromTensor.shape, [2, 1, 2]);
  assert.equal(fromTensor.dtype, 'float32');
  assert.deepEqual(fromTensor.arraySync(), [[[-1, 5]], [[5, -1]]]);
  assert.deepEqual(st.oneHot([3, -1], 3).arraySync(), [[0, 0, 0], [0, 0, 0]], 'out-of-range indices give off rows');
  assertThrowsMessage(() => st.oneHot([0, 1.5], 3), 'oneHot', 'indices must be integers', '1.5');
  assertThrowsMessage(() => st.oneHot(st.tensor([0.5]), 3), 'oneHot', 'integers', '0.5');
  assertThrowsMessage(() => st.oneHot([0, 1], 2.5), 'oneHot', 'depth', 'positive integer', '2.5');
  assertThrowsMessage(() => st.oneHot([0, 1], 0), 'oneHot', 'depth');
});
