/**
 * The movement ops added for TensorFlow.js parity: the async ops against TensorFlow.js, the
 * gatherND/scatterND kernels on both backends and other dtypes, and the error messages.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as st from '../../src/index.js';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { assertThrowsMessage, testValues } from '../helpers.js';

test('whereAsync, booleanMaskAsync, setdiff1dAsync match TensorFlow.js', async () => {
  await tf.setBackend('cpu');
  const cond = [[true, false, true], [false, false, true]];
  const ours = await st.whereAsync(cond);
  const theirs = await tf.whereAsync(cond);
  assert.deepEqual(ours.arraySync(), theirs.arraySync());
  assert.equal(ours.dtype, theirs.dtype);
  assert.deepEqual((await st.whereAsync(st.tensor([false, false]))).shape, [0, 1]);

  const x = Array.from(testValues(24, 3));
  const mask = [[true, false, true], [false, true, true]];
  const m1 = await st.booleanMaskAsync(st.tensor(x, [2, 2, 3, 2]), mask, 1);
  const t1 = await tf.booleanMaskAsync(tf.tensor(x, [2, 2, 3, 2]), mask, 1);
  assert.deepEqual(m1.shape, t1.shape);
  assert.deepEqual(Array.from(m1.dataSync()), Array.from(t1.dataSync()));
  const m0 = await st.booleanMaskAsync(st.tensor([[1, 2], [3, 4], [5, 6]]), [false, true, true]);
  assert.deepEqual(m0.arraySync(), [[3, 4], [5, 6]]);

  const [values, indices] = await st.setdiff1dAsync(st.tensor([4, 1, 7, 4, 2], undefined, 'int32'), [4, 2]);
  const [tv, ti] = await tf.setdiff1dAsync(tf.tensor([4, 1, 7, 4, 2], undefined, 'int32'), tf.tensor([4, 2], undefined, 'int32'));
  assert.deepEqual(values.arraySync(), tv.arraySync());
  assert.equal(values.dtype, 'int32');
  assert.deepEqual(indices.arraySync(), ti.arraySync());
  assert.equal(indices.dtype, 'int32');
});

test('booleanMaskAsync passes gradients through to the kept entries', async () => {
  const x = st.tensor([[1, 2], [3, 4], [5, 6]]);
  const masked = await st.booleanMaskAsync(x, [true, false, true]);
  assert.deepEqual(masked.arraySync(), [[1, 2], [5, 6]]);
  const g = st.grad((v: st.Tensor) => st.gather(v, [0, 2]).mul(st.tensor([[1, 2], [3, 4]])).sum())(x);
  assert.deepEqual(g.arraySync(), [[1, 2], [0, 0], [3, 4]]);
});

test('gatherND and scatterND: wasm and js backends agree, on float32, int32 and bool', () => {
  const run = (name: string) => {
    st.setBackend(name);
    const x = st.tensor(Array.from(testValues(60, 5)), [3, 4, 5]);
    const idx = st.tensor([[2, 1], [0, 3], [2, 1], [1, 0]], undefined, 'int32');
    const g = st.gatherND(x, idx);
    const s = st.scatterND(idx, g, [3, 4, 5]);
    const ints = st.gatherND(st.tensor([[1, 2], [3, 4]], undefined, 'int32'), [[1, 0], [0, 1]]);
    const bools = st.tensorScatterUpdate(st.tensor([false, false, false]), [[2]], [true]);
    const dense = st.sparseToDense([[0, 2], [1, 1]], st.tensor([true, true]), [2, 3], false);
    return [g, s, ints, bools, dense].map((t) => ({ shape: [...t.shape], dtype: t.dtype, values: Array.from(t.dataSync()) }));
  };
  const before = st.getBackend();
  try {
    const js = run('js');
    const wasm = run('wasm');
    assert.deepEqual(wasm, js);
    assert.deepEqual(js[2].values, [3, 2]);
    assert.equal(js[2].dtype, 'int32');
    assert.deepEqual(js[3].values, [0, 0, 1]);
    assert.equal(js[3].dtype, 'bool');
    assert.deepEqual(js[4].values, [0, 0, 1, 0, 1, 0]);
  } finally {
    st.setBackend(before);
  }
});

test('movement ops: errors say what was expected and what came', () => {
  const x = st.tensor([[1, 2, 3], [4, 5, 6]]);
  assertThrowsMessage(() => st.gatherND(x, [[0, 3]]), 'gatherND: indices row 0 = [0,3] is out of range for shape [2,3]');
  assertThrowsMessage(() => st.gatherND(x, [[0, 1, 0]]), 'gatherND: indices rows have 3 coordinates', 'rank 2');
  assertThrowsMessage(() => st.gatherND(x, st.tensor([[0, 1]])), "gatherND: expected 'indices' to be an int32 tensor, got dtype float32");
  assertThrowsMessage(() => st.gatherND(x, [[0.5, 1]]), "gatherND: expected 'indices' to hold integers");
  assertThrowsMessage(() => st.scatterND([[0], [1]], [1, 2, 3], [4]), "scatterND: expected 'updates' of shape [2]", 'got [3]');
  assertThrowsMessage(() => st.scatterND([[5]], [1], [4]), 'scatterND: indices row 0 = [5] is out of range for shape [4]');
  assertThrowsMessage(() => st.tensorScatterUpdate(x, [[0, 0]], st.tensor([1], undefined, 'int32')),
    "tensorScatterUpdate: 'tensor' and 'updates' must have the same dtype, got float32 and int32");
  assertThrowsMessage(() => st.unsortedSegmentSum(x, [0, 1, 1], 2), "unsortedSegmentSum: expected 'segmentIds' of shape [2]", 'got [3]');
  assertThrowsMessage(() => st.unsortedSegmentSum(x, [0, 1], 1.5), "expected 'numSegments' to be a non-negative integer, got 1.5");
  assertThrowsMessage(() => st.sparseToDense([[0, 1]], [1], [3]), "sparseToDense: 'outputShape' [3] must have 2 entries");
  assertThrowsMessage(() => st.mirrorPad(x, [[1, 1], [3, 0]], 'reflect'),
    'mirrorPad: paddings[1] = [3, 0] must be in [0, 2] for axis 1 of size 3');
  assertThrowsMessage(() => st.mirrorPad(x, [[1, 1], [0, 0]], 'edge' as 'reflect'), "expected 'mode' to be 'reflect' or 'symmetric'");
  assertThrowsMessage(() => st.slice1d(x, 0, 1), "slice1d: expected 'x' of rank 1, got shape [2,3]");
  assertThrowsMessage(() => st.pad2d(x, [[1, 1]] as never), "pad2d: expected 'paddings' to be 2 pairs");
  assertThrowsMessage(() => st.spaceToBatchND(st.zeros([1, 3, 3, 1]), [2, 2], [[0, 0], [0, 1]]),
    'spaceToBatchND: padded spatial axis 1 has size 3', 'blockShape[0] = 2 does not divide');
  assertThrowsMessage(() => st.batchToSpaceND(st.zeros([3, 2, 2, 1]), [2, 2], [[0, 0], [0, 0]]),
    'batchToSpaceND: batch size 3', 'divisible by the product of blockShape [2,2] = 4');
  assertThrowsMessage(() => st.depthToSpace(st.zeros([1, 2, 2, 6]), 2), 'depthToSpace: depth 6', 'divisible by blockSize² = 4');
  assertThrowsMessage(() => st.depthToSpace(st.zeros([2, 6]), 2), "depthToSpace: expected 'x' of rank 4 [batch, height, width, depth]");
  assertThrowsMessage(() => st.meshgrid([1], [2], { indexing: 'yx' }), "meshgrid: expected 'indexing' to be 'xy' or 'ij'");
  assertThrowsMessage(() => st.meshgrid([1], [2], { indexng: 'ij' } as never), 'unknown option "indexng" for meshgrid; did you mean "indexing"?');
  assertThrowsMessage(() => st.ensureShape(x, [2, 4]), 'ensureShape: the tensor has shape [2,3]', 'expected shape [2,4]');
  assertThrowsMessage(() => st.broadcastArgs([2, 3], [4]), 'broadcastArgs: shapes [2,3] and [4] cannot be broadcast together');
  assertThrowsMessage(() => st.linalg.bandPart(x, 3, 0), 'bandPart: numLower (3) must not be greater than the number of rows (2)');
  assertThrowsMessage(() => st.linalg.bandPart(st.tensor([1, 2]), 0, 0), "bandPart: expected 'a' of rank 2 or more");
  assertThrowsMessage(() => st.sparse.sparseSegmentSum(x, [0, 1], [1, 0]),
    'sparseSegmentSum: segmentIds must be sorted (non-decreasing), but segmentIds[1] = 0 follows 1');
  assertThrowsMessage(() => st.sparse.sparseFillEmptyRows([[5, 0]], [1], [3, 2], 0),
    'sparseFillEmptyRows: indices[0] has row 5, outside the 3 rows of the dense shape');
  assertThrowsMessage(() => st.sparse.sparseReshape([[0, 1]], [2, 3], [4, -1]),
    'sparseReshape: cannot reshape a sparse tensor of shape [2,3] (6 entries) into [4,-1]');
});
