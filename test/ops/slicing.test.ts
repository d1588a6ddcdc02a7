/** slice, gather, concat, stack, unstack, split, tile, pad, reverse: values, methods, errors. */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as st from '../../src/index.js';
import { assertThrowsMessage } from '../helpers.js';

const m = () => st.tensor([[1, 2, 3], [4, 5, 6]]);

test('slice: begin and size, -1 to the end, number forms', () => {
  assert.deepEqual(st.slice(m(), [0, 1], [2, 2]).arraySync(), [[2, 3], [5, 6]]);
  assert.deepEqual(st.slice(m(), [1, 0], [-1, 2]).arraySync(), [[4, 5]]);
  assert.deepEqual(st.slice(m(), [0, 1]).arraySync(), [[2, 3], [5, 6]]);
  assert.deepEqual(st.slice(m(), 1).arraySync(), [[4, 5, 6]]);
  assert.deepEqual(st.slice(st.tensor([1, 2, 3, 4]), 1, 2).arraySync(), [2, 3]);
  assert.deepEqual(m().slice([0, 2], [2, 1]).arraySync(), [[3], [6]]);
  assert.deepEqual(st.slice(m(), [0, 3], [2, 0]).shape, [2, 0]);
  const ints = st.slice(st.tensor([5, 6, 7], undefined, 'int32'), [1]);
  assert.equal(ints.dtype, 'int32');
  assert.deepEqual(ints.arraySync(), [6, 7]);
});

test('slice errors', () => {
  assertThrowsMessage(() => st.slice(m(), [0, 4]), 'slice', 'begin[1] = 4', 'axis 1 of size 3');
  assertThrowsMessage(() => st.slice(m(), [1, 1], [2, 1]), 'slice', 'begin[0] + size[0] = 1 + 2', 'size 2');
  assertThrowsMessage(() => st.slice(m(), [0, 0, 0]), 'slice', 'begin', 'up to 2');
  assertThrowsMessage(() => st.slice(m(), [0.5]), 'slice', 'begin');
  assertThrowsMessage(() => st.slice(m(), [-1]), 'slice', 'out of range');
});

test('gather: rows, columns, repeated and multi-dimensional indices', () => {
  const x = st.tensor([10, 20, 30, 40, 50]);
  assert.deepEqual(st.gather(x, [4, 0, 0]).arraySync(), [50, 10, 10]);
  assert.deepEqual(st.gather(m(), [1, 0]).arraySync(), [[4, 5, 6], [1, 2, 3]]);
  assert.deepEqual(st.gather(m(), [2, 2, 0], 1).arraySync(), [[3, 3, 1], [6, 6, 4]]);
  assert.deepEqual(st.gather(m(), [0], -1).arraySync(), [[1], [4]]);
  const idx = st.tensor([[0, 1], [1, 0]], undefined, 'int32');
  assert.deepEqual(st.gather(x, idx).shape, [2, 2]);
  assert.deepEqual(x.gather(idx).arraySync(), [[10, 20], [20, 10]]);
  assert.deepEqual(st.gather(m(), idx, 1).shape, [2, 2, 2]);
});

test('gather errors', () => {
  const x = st.tensor([1, 2, 3, 4, 5]);
  assertThrowsMessage(() => st.gather(x, [1, 7]), 'gather: index 7 is out of range for axis 0 of size 5');
  assertThrowsMessage(() => st.gather(x, [-1]), 'gather: index -1 is out of range for axis 0 of size 5');
  assertThrowsMessage(() => st.gather(m(), [3], 1), 'gather: index 3 is out of range for axis 1 of size 3');
  assertThrowsMessage(() => st.gather(x, st.tensor([1])), 'gather', 'int32', 'float32');
  assertThrowsMessage(() => st.gather(x, [1.5]), 'gather', 'integers', '1.5');
  assertThrowsMessage(() => st.gather(x, [0], 1), 'gather', 'axis 1', 'rank 1');
  assertThrowsMessage(() => st.gather(st.scalar(1), [0]), 'gather', 'scalar');
});

test('concat along axis 0, 1 and -1, and as a method', () => {
  const a = st.tensor([[1, 2]]);
  const b = st.tensor([[3, 4], [5, 6]]);
  assert.deepEqual(st.concat([a, b]).arraySync(), [[1, 2], [3, 4], [5, 6]]);
  assert.deepEqual(st.concat([b, st.tensor([[7], [8]]), b], 1).arraySync(), [[3, 4, 7, 3, 4], [5, 6, 8, 5, 6]]);
  assert.deepEqual(st.concat([b, b], -1).shape, [2, 4]);
  assert.deepEqual(st.tensor([1, 2]).concat(st.tensor([3])).arraySync(), [1, 2, 3]);
  assert.deepEqual(st.tensor([1]).concat([st.tensor([2]), st.tensor([3])]).arraySync(), [1, 2, 3]);
  assert.deepEqual(st.concat([a]).arraySync(), [[1, 2]]);
  assert.deepEqual(st.concat([st.tensor([true]), st.tensor([false])]).arraySync(), [true, false]);
});

test('concat errors name the first mismatch', () => {
  const a = st.zeros([2, 3]);
  assertThrowsMessage(() => st.concat([a, st.zeros([2, 3]), st.zeros([2, 4])], 0),
    'concat', 'tensors[2]', '[2,4]', 'axis 1', '4 vs 3');
  assertThrowsMessage(() => st.concat([a, st.zeros([3])]), 'concat', 'tensors[1]', 'rank 1', 'rank 2');
  assertThrowsMessage(() => st.concat([a, st.zeros([2, 3], 'int32')]), 'concat', 'tensors[1]', 'int32', 'float32');
  assertThrowsMessage(() => st.concat([]), 'concat', 'non-empty');
  assertThrowsMessage(() => st.concat([a, a], 2), 'concat', 'axis 2', 'out of range');
  assertThrowsMessage(() => st.concat([st.scalar(1), st.scalar(2)]), 'concat', 'scalars');
});

test('stack and unstack', () => {
  const a = st.tensor([1, 2]);
  const b = st.tensor([3, 4]);
  assert.deepEqual(st.stack([a, b]).arraySync(), [[1, 2], [3, 4]]);
  assert.deepEqual(st.stack([a, b], 1).arraySync(), [[1, 3], [2, 4]]);
  assert.deepEqual(st.stack([st.scalar(1), st.scalar(2)]).arraySync(), [1, 2]);
  assert.deepEqual(a.stack(b, -1).arraySync(), [[1, 3], [2, 4]]);
  const parts = st.unstack(m());
  assert.equal(parts.length, 2);
  assert.deepEqual(parts.map((p) => p.arraySync()), [[1, 2, 3], [4, 5, 6]]);
  const cols = m().unstack(1);
  assert.deepEqual(cols.map((p) => p.arraySync()), [[1, 4], [2, 5], [3, 6]]);
  assert.deepEqual(st.unstack(st.tensor([7, 8])).map((p) => p.shape), [[], []]);
  assertThrowsMessage(() => st.stack([a, st.tensor([1, 2, 3])]), 'stack', 'tensors[1]', '[3]', 'expected [2]');
  assertThrowsMessage(() => st.stack([a, b], 2), 'stack', 'axis 2');
  assertThrowsMessage(() => st.unstack(st.scalar(1)), 'unstack', 'scalar');
  assertThrowsMessage(() => st.unstack(m(), 2), 'unstack', 'axis 2');
});

test('split into equal parts and given sizes', () => {
  const x = st.range(0, 6).reshape([2, 3]);
  assert.deepEqual(st.split(st.range(0, 6), 3).map((p) => p.arraySync()), [[0, 1], [2, 3], [4, 5]]);
  assert.deepEqual(st.split(x, [1, -1], 1).map((p) => p.arraySync()), [[[0], [3]], [[1, 2], [4, 5]]]);
  assert.deepEqual(st.range(0, 6).split([1, 2, 3]).map((p) => p.arraySync()), [[0], [1, 2], [3, 4, 5]]);
  assert.deepEqual(x.split(2).map((p) => p.shape), [[1, 3], [1, 3]]);
  assertThrowsMessage(() => st.split(st.range(0, 5), 3), 'split', 'number of splits 3', 'evenly divide size 5 of axis 0');
  assertThrowsMessage(() => st.split(st.range(0, 5), [1, 2]), 'split', 'add up to size 5', 'got 3');
  assertThrowsMessage(() => st.split(st.range(0, 5), [-1, -1]), 'split', 'only one size may be -1');
  assertThrowsMessage(() => st.split(st.range(0, 5), [4, 3, -1]), 'split', 'add up');
  assertThrowsMessage(() => st.split(st.range(0, 5), 0), 'split', 'positive integer');
});

test('tile', () => {
  assert.deepEqual(st.tile(st.tensor([1, 2]), [3]).arraySync(), [1, 2, 1, 2, 1, 2]);
  assert.deepEqual(st.tensor([[1, 2], [3, 4]]).tile([1, 2]).arraySync(), [[1, 2, 1, 2], [3, 4, 3, 4]]);
  assert.deepEqual(st.tile(st.tensor([[1], [2]]), [2, 2]).arraySync(), [[1, 1], [2, 2], [1, 1], [2, 2]]);
  assertThrowsMessage(() => st.tile(m(), [2]), 'tile', 'reps', '2 non-negative integers', '[2,3]');
  assertThrowsMessage(() => st.tile(m(), [1, -1]), 'tile', 'reps');
});

test('pad', () => {
  assert.deepEqual(st.pad(st.tensor([1, 2]), [[1, 2]]).arraySync(), [0, 1, 2, 0, 0]);
  assert.deepEqual(st.tensor([[1, 2]]).pad([[1, 0], [0, 1]], 9).arraySync(), [[9, 9, 9], [1, 2, 9]]);
  const ints = st.pad(st.tensor([1], undefined, 'int32'), [[1, 1]], 5);
  assert.equal(ints.dtype, 'int32');
  assert.deepEqual(ints.arraySync(), [5, 1, 5]);
  assertThrowsMessage(() => st.pad(m(), [[1, 1]]), 'pad', '2 pairs', '[2,3]');
  assertThrowsMessage(() => st.pad(st.tensor([1]), [[-1, 0]]), 'pad', 'non-negative');
});

test('reverse', () => {
  assert.deepEqual(st.reverse(st.tensor([1, 2, 3])).arraySync(), [3, 2, 1]);
  assert.deepEqual(st.reverse(m(), 1).arraySync(), [[3, 2, 1], [6, 5, 4]]);
  assert.deepEqual(st.reverse(m(), 0).arraySync(), [[4, 5, 6], [1, 2, 3]]);
  assert.deepEqual(m().reverse().arraySync(), [[6, 5, 4], [3, 2, 1]]);
  assert.deepEqual(m().reverse([-1, 0]).arraySync(), [[6, 5, 4], [3, 2, 1]]);
  assertThrowsMessage(() => st.reverse(m(), 2), 'reverse', 'axis 2', 'out of range');
  assertThrowsMessage(() => st.reverse(m(), [0, 0]), 'reverse', 'twice');
});

test('gradients flow through the slicing ops (float32)', () => {
  const x = st.tensor([1, 2, 3, 4]);
  const g = st.grad((v: st.Tensor) => st.sum(st.gather(v, [0, 0, 3])))(x);
  assert.deepEqual(Array.from(g.dataSync()), [2, 0, 0, 1]);
  const gs = st.grad((v: st.Tensor) => st.sum(st.slice(v, [1], [2])))(x);
  assert.deepEqual(Array.from(gs.dataSync()), [0, 1, 1, 0]);
  const gt = st.grad((v: st.Tensor) => st.sum(st.tile(v, [3])))(x);
  assert.deepEqual(Array.from(gt.dataSync()), [3, 3, 3, 3]);
});

test('stridedSlice: strides, negative strides, masks, shrink', () => {
  const x = st.range(0, 12).reshape([3, 4]);
  assert.deepEqual(st.stridedSlice(x, [0, 0], [3, 4], [2, 3]).arraySync(), [[0, 3], [8, 11]]);
  assert.deepEqual(st.stridedSlice(x, [-1, 3], [0, 0], [-1, -2]).arraySync(), [[11, 9], [7, 5]]);
  assert.deepEqual(st.stridedSlice(x, [1], [2], [1], 0, 0, 0, 0, 1).arraySync(), [4, 5, 6, 7]);
  assert.deepEqual(st.stridedSlice(x, [0, -1], [0, 0], [1, -1], 1, 3).arraySync(),
    [[3, 2, 1, 0], [7, 6, 5, 4], [11, 10, 9, 8]]);
  assert.deepEqual(x.stridedSlice([0, 1], [2, 3]).arraySync(), [[1, 2], [5, 6]]);
  assert.deepEqual(st.stridedSlice(x, [5], [0]).shape, [0, 4]);
  assertThrowsMessage(() => st.stridedSlice(x, [0], [1], [0]), 'stridedSlice', 'strides[0] must not be 0');
  assertThrowsMessage(() => st.stridedSlice(x, [3], [4], [1], 0, 0, 0, 0, 1), 'stridedSlice', 'begin[0] = 3', 'size 3');
  assertThrowsMessage(() => st.stridedSlice(x, [0], [1], [1], 0, 0, 1), 'stridedSlice', 'ellipsisMask');
  assertThrowsMessage(() => st.stridedSlice(x, [0, 0, 0], [1, 1, 1]), 'stridedSlice', 'begin', 'up to 2');
});
