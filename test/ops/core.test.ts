/** Known values and error messages for arithmetic, reductions, matmul and shape ops. */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as st from '../../src/index.js';
import { assertClose, assertThrowsMessage } from '../helpers.js';

test('broadcasting follows NumPy', () => {
  const a = st.tensor([[1], [2], [3]]);
  const b = st.tensor([10, 20]);
  assert.deepEqual(st.add(a, b).arraySync(), [[11, 21], [12, 22], [13, 23]]);
  assert.deepEqual(a.mul(2).arraySync(), [[2], [4], [6]]);
  assert.deepEqual(st.sub(5, st.tensor([1, 2])).arraySync(), [4, 3]);
  assert.deepEqual(st.add(st.zeros([2, 1, 3]), st.ones([4, 1])).shape, [2, 4, 3]);
});

test('dtypes: results keep the operand dtype; mixed dtypes promote', () => {
  const i = st.tensor([7, -7], undefined, 'int32');
  assert.equal(i.add(1).dtype, 'int32');
  assert.deepEqual(st.floorDiv(i, 2).arraySync(), [3, -4]);
  assert.deepEqual(st.mod(i, 3).arraySync(), [1, 2]);
  assert.equal(st.add(i, st.tensor([0.5, 0.5])).dtype, 'float32');
  assert.equal(st.add(st.tensor([1], undefined, 'float64'), st.tensor([1])).dtype, 'float64');
  assert.equal(st.sum(st.tensor([true, true, false])).dtype, 'int32');
  assert.deepEqual(st.cast(st.tensor([1.7, -1.7, 0]), 'int32').arraySync(), [1, -1, 0]);
  assert.deepEqual(st.cast(st.tensor([2, 0]), 'bool').arraySync(), [true, false]);
});

test('math functions', () => {
  assertClose(st.exp(st.tensor([0, 1])), [1, Math.E]);
  assertClose(st.log1p(st.tensor([1e-10])), [1e-10], 1e-12);
  assertClose(st.sigmoid(st.tensor([-1000, 0, 1000])), [0, 0.5, 1]);
  assertClose(st.pow(st.tensor([2, 3]), 2), [4, 9]);
  assertClose(st.clipByValue(st.tensor([-5, 0.5, 5]), -1, 1), [-1, 0.5, 1]);
  assertClose(st.abs(st.tensor([-2, 3])), [2, 3]);
  assert.deepEqual(st.round(st.tensor([0.5, 1.5, 2.5, -0.5])).arraySync(), [0, 2, 2, -0]);
  assertClose(st.erf(st.tensor([0, 0.5, 1, 3], undefined, 'float64')), [0, 0.5204998778130465, 0.8427007929497149, 0.9999779095030014], 1e-12);
});

test('comparisons and where', () => {
  const a = st.tensor([1, 2, 3]);
  assert.deepEqual(st.greater(a, 2).arraySync(), [false, false, true]);
  assert.deepEqual(st.equal(a, st.tensor([1, 0, 3])).arraySync(), [true, false, true]);
  assert.deepEqual(st.where(st.less(a, 2), a, st.neg(a)).arraySync(), [1, -2, -3]);
  assert.deepEqual(st.logicalAnd(st.tensor([true, true]), st.tensor([true, false])).arraySync(), [true, false]);
});

test('reductions over any axes, with keepDims', () => {
  const x = st.tensor([[1, 2, 3], [4, 5, 6]]);
  assert.deepEqual(st.sum(x).arraySync(), 21);
  assert.deepEqual(st.sum(x, 0).arraySync(), [5, 7, 9]);
  assert.deepEqual(st.sum(x, -1, true).arraySync(), [[6], [15]]);
  assert.deepEqual(st.mean(x, [0, 1]).arraySync(), 3.5);
  assert.deepEqual(st.max(x, 1).arraySync(), [3, 6]);
  assert.deepEqual(st.min(x, 0).arraySync(), [1, 2, 3]);
  assert.deepEqual(st.prod(x, 1).arraySync(), [6, 120]);
  assert.deepEqual(st.argMax(st.tensor([[1, 9, 9], [7, 2, 3]]), 1).arraySync(), [1, 0]);
  assert.deepEqual(st.argMin(x).arraySync(), [0, 0, 0]);
  assert.equal(st.argMax(x, 1).dtype, 'int32');
  assertClose(st.logSumExp(st.tensor([1000, 1000], undefined, 'float64')), 1000 + Math.log(2), 1e-9);
  assertClose(st.logSumExp(st.tensor([-1000, -1000], undefined, 'float64')), -1000 + Math.log(2), 1e-9);
  const { mean, variance } = st.moments(st.tensor([1, 2, 3, 4]));
  assertClose(mean, 2.5);
  assertClose(variance, 1.25);
  assert.deepEqual(st.any(st.tensor([false, true])).arraySync(), true);
  assert.deepEqual(st.all(st.tensor([[true, false], [true, true]]), 1).arraySync(), [false, true]);
});

test('matMul, batched matMul, dot, outerProduct', () => {
  const a = st.tensor([[1, 2, 3], [4, 5, 6]]);
  const b = st.tensor([[7, 8], [9, 10], [11, 12]]);
  assert.deepEqual(st.matMul(a, b).arraySync(), [[58, 64], [139, 154]]);
  assert.deepEqual(st.matMul(a, a, false, true).arraySync(), [[14, 32], [32, 77]]);
  assert.deepEqual(st.matMul(a, a, true, false).shape, [3, 3]);
  const batched = st.matMul(st.stack([a, a.mul(2)]), b);
  assert.deepEqual(batched.arraySync(), [[[58, 64], [139, 154]], [[116, 128], [278, 308]]]);
  assert.deepEqual(st.dot(st.tensor([1, 2, 3]), st.tensor([4, 5, 6])).arraySync(), 32);
  assert.deepEqual(st.dot(a, st.tensor([1, 1, 1])).arraySync(), [6, 15]);
  assert.deepEqual(st.outerProduct(st.tensor([1, 2]), st.tensor([3, 4, 5])).arraySync(), [[3, 4, 5], [6, 8, 10]]);
});

test('shape ops: reshape with -1, transpose, expandDims, squeeze, flatten, clone', () => {
  const x = st.tensor([[1, 2, 3], [4, 5, 6]]);
  assert.deepEqual(st.reshape(x, [3, -1]).arraySync(), [[1, 2], [3, 4], [5, 6]]);
  assert.deepEqual(x.transpose().arraySync(), [[1, 4], [2, 5], [3, 6]]);
  assert.deepEqual(st.transpose(st.reshape(st.range(0, 24), [2, 3, 4]), [2, 0, 1]).shape, [4, 2, 3]);
  assert.deepEqual(st.expandDims(x, -1).shape, [2, 3, 1]);
  assert.deepEqual(st.squeeze(st.zeros([1, 3, 1, 2])).shape, [3, 2]);
  assert.deepEqual(st.flatten(x).arraySync(), [1, 2, 3, 4, 5, 6]);
  const c = st.clone(x);
  x.dispose();
  assert.deepEqual(c.arraySync(), [[1, 2, 3], [4, 5, 6]]);
});

test('errors name the op, what was expected and what came', () => {
  assertThrowsMessage(() => st.matMul(st.zeros([2, 3]), st.zeros([4, 5])), 'matMul: inner dimensions must agree: a is [2,3], b is [4,5]');
  assertThrowsMessage(() => st.matMul(st.zeros([3]), st.zeros([3, 2])), 'matMul', 'rank >= 2', '[3]');
  assertThrowsMessage(() => st.add(st.zeros([2, 3]), st.zeros([4])), 'add: shapes [2,3] and [4] cannot be broadcast together');
  assertThrowsMessage(() => st.sum(st.zeros([2, 3]), 2), 'sum: axis 2 is out of range for a tensor of rank 2');
  assertThrowsMessage(() => st.mean(st.zeros([2, 3]), [0, 0]), 'mean', 'names an axis twice');
  assertThrowsMessage(() => st.reshape(st.zeros([2, 3]), [4, -1]), 'reshape: cannot reshape [2,3] (6 values) into [4,-1]');
  assertThrowsMessage(() => st.reshape(st.zeros([2, 3]), [5]), 'reshape', '[5]');
  assertThrowsMessage(() => st.transpose(st.zeros([2, 3]), [0, 0]), 'transpose: perm must be a permutation');
  assertThrowsMessage(() => st.squeeze(st.zeros([2, 1]), 0), 'squeeze: axis 0 has size 2');
  assertThrowsMessage(() => st.argMax(st.scalar(1)), 'argMax', 'rank >= 1');
  assertThrowsMessage(() => st.clipByValue(st.zeros([2]), 1, 0), 'clipByValue', 'min <= max');
  assertThrowsMessage(() => st.where(st.tensor([1, 0]), st.zeros([2]), st.ones([2])), 'where: condition must be a bool tensor');
  assertThrowsMessage(() => st.logicalAnd(st.tensor([1]), st.tensor([true])), 'logicalAnd: expected bool tensors');
  // text is a string tensor, which arithmetic refuses
  assertThrowsMessage(() => st.add(st.zeros([2]), 'x' as unknown as number), "add does not support string tensors (argument 'b' has dtype string)");
  assertThrowsMessage(() => st.add(st.zeros([2]), {} as unknown as number), "add: argument 'b' must be a Tensor, a number or an array, got object");
  assertThrowsMessage(() => st.cast(st.zeros([1]), 'float16' as st.DType), 'cast: unknown dtype "float16"');
  assertThrowsMessage(() => st.dot(st.zeros([3]), st.zeros([4])), 'dot: inner dimensions must agree');
  assertThrowsMessage(() => st.broadcastTo(st.zeros([3]), [2, 4]), 'broadcastTo: cannot broadcast [3] to [2,4]');
});

test('no op returns NaN for a shape it does not support: empty axes reduce to identities', () => {
  assert.deepEqual(st.sum(st.zeros([0, 3]), 0).arraySync(), [0, 0, 0]);
  assertThrowsMessage(() => st.argMax(st.zeros([2, 0]), 1), 'argMax: axis 1 is empty');
});
