/**
 * raggedTensorToTensor beyond the differential rows: a broadcast defaultValue (where TensorFlow.js
 * pads with zeros), the natural shape from a scalar -1 or an empty shape, the js and wasm
 * backends agreeing on every dtype, and the error messages.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as st from '../../src/index.js';
import { assertThrowsMessage } from '../helpers.js';

const toTensor = st.raggedTensorToTensor;

test('raggedTensorToTensor broadcasts a non-scalar defaultValue over the inner shape', () => {
  const values = [[1, 2], [3, 4], [5, 6]];
  const out = toTensor([-1, 3, 2], values, [7, 8], [[0, 2, 3]], ['ROW_SPLITS']);
  assert.deepEqual(out.shape, [2, 3, 2]);
  assert.deepEqual(out.arraySync(), [[[1, 2], [3, 4], [7, 8]], [[5, 6], [7, 8], [7, 8]]]);
  // rank-2 default over values [n, 2, 3]: a [1, 3] row repeated down the 2, in every padded cell
  const cube = st.tensor(Array.from({ length: 12 }, (_, i) => i + 1), [2, 2, 3]);
  const padded = toTensor([2, 3, -1, -1], cube, [[-1, -2, -3]], [[0, 2, 2]], ['ROW_SPLITS']);
  const fill = [[-1, -2, -3], [-1, -2, -3]];
  assert.deepEqual(padded.arraySync(), [
    [[[1, 2, 3], [4, 5, 6]], [[7, 8, 9], [10, 11, 12]], fill],
    [fill, fill, fill],
  ]);
});

test('raggedTensorToTensor: a scalar -1 or an empty shape asks for the natural shape', () => {
  const args = [[1, 2, 3, 4, 5], 0, [[0, 2, 2, 5]], ['ROW_SPLITS']] as const;
  const natural = [[1, 2, 0], [0, 0, 0], [3, 4, 5]];
  assert.deepEqual(toTensor(-1, ...args).arraySync(), natural);
  assert.deepEqual(toTensor([], ...args).arraySync(), natural);
  assert.deepEqual(toTensor([-1, -1], ...args).arraySync(), natural);
  // widths count rows a truncation drops: the second level's widest row (3) sits under row 1
  const narrow = toTensor([1, -1, -1], [1, 2, 3, 4], 0, [[0, 1, 2], [0, 1, 4]], ['ROW_SPLITS', 'ROW_SPLITS']);
  assert.deepEqual(narrow.shape, [1, 1, 3]);
  assert.deepEqual(narrow.arraySync(), [[[1, 0, 0]]]);
});

test('raggedTensorToTensor: wasm and js backends agree, on float32, float64, int32 and bool', () => {
  const run = (name: string) => {
    st.setBackend(name);
    const floats = toTensor([4, -1, 3], st.tensor([[1, 2, 3], [4, 5, 6], [7, 8, 9], [10, 11, 12]]), [0.5, -0.5, 1.5],
      [st.scalar(3, 'int32'), [0, 0, 2, 2]], ['FIRST_DIM_SIZE', 'VALUE_ROWIDS']);
    const doubles = toTensor([-1, 2], st.tensor([1.25, 2.5, 3.75], [3], 'float64'), 9, [[0, 0, 3]], ['ROW_SPLITS']);
    const ints = toTensor([3, 2], st.tensor([4, 5, 6, 7], [4], 'int32'), 7.9, [[0, 3, 4]], ['ROW_SPLITS']);
    const bools = toTensor([-1, -1], st.tensor([true, false, true]), true, [[0, 1, 1, 3]], ['ROW_SPLITS']);
    return [floats, doubles, ints, bools].map((t) => ({ shape: [...t.shape], dtype: t.dtype, values: Array.from(t.dataSync()) }));
  };
  const before = st.getBackend();
  try {
    const js = run('js');
    const wasm = run('wasm');
    assert.deepEqual(wasm, js);
    assert.deepEqual(js[0].shape, [4, 2, 3]);
    assert.deepEqual(js[0].values, [1, 2, 3, 4, 5, 6, 0.5, -0.5, 1.5, 0.5, -0.5, 1.5,
      7, 8, 9, 10, 11, 12, 0.5, -0.5, 1.5, 0.5, -0.5, 1.5]);
    assert.deepEqual(js[1], { shape: [2, 2], dtype: 'float64', values: [9, 9, 1.25, 2.5] });
    // a number default takes values' dtype, as TensorFlow.js converts it (7.9 -> 7 in int32)
    assert.deepEqual(js[2], { shape: [3, 2], dtype: 'int32', values: [4, 5, 7, 7, 7, 7] });
    assert.deepEqual(js[3], { shape: [3, 2], dtype: 'bool', values: [1, 1, 1, 1, 0, 1] });
  } finally {
    st.setBackend(before);
  }
});

test('raggedTensorToTensor: the result has no gradient (as in TensorFlow.js) and leaves values alone', () => {
  const v = st.tensor([1, 2, 3]);
  const out = toTensor([-1, -1], v, 0, [[0, 1, 3]], ['ROW_SPLITS']);
  assert.deepEqual(out.arraySync(), [[1, 0], [2, 3]]);
  assert.deepEqual(Array.from(v.dataSync()), [1, 2, 3]);
});

test('raggedTensorToTensor error messages', () => {
  const v = [1, 2, 3, 4, 5];
  const op = 'raggedTensorToTensor: ';
  assertThrowsMessage(() => toTensor([-1, -1], v, 0, [[0, 2, 2, 5]], ['BAD']),
    `${op}unknown row partition type "BAD" at rowPartitionTypes[0] (expected one of FIRST_DIM_SIZE, VALUE_ROWIDS`);
  assertThrowsMessage(() => toTensor([-1, -1], v, 0, [[2, 0, 3]], ['ROW_LENGTHS']),
    `${op}row partition type ROW_LENGTHS (rowPartitionTypes[0]) is not supported`, 'give ROW_SPLITS or VALUE_ROWIDS');
  for (const type of ['ROW_LIMITS', 'ROW_STARTS']) {
    assertThrowsMessage(() => toTensor([-1, -1], v, 0, [[2, 2, 5]], [type]), `${op}row partition type ${type}`, 'is not supported');
  }
  assertThrowsMessage(() => toTensor([-1, -1], v, 0, [[0, 0, 1, 1, 1]], ['VALUE_ROWIDS']),
    `${op}VALUE_ROWIDS in the first dimension needs a FIRST_DIM_SIZE before it`);
  assertThrowsMessage(() => toTensor([-1, -1], v, 0, [[0, 5], 2], ['ROW_SPLITS', 'FIRST_DIM_SIZE']),
    `${op}FIRST_DIM_SIZE may only come first in rowPartitionTypes, got it at position 1`);
  assertThrowsMessage(() => toTensor([-1], v, 0, [3], ['FIRST_DIM_SIZE']), `${op}FIRST_DIM_SIZE must be followed by at least one row partition`);
  assertThrowsMessage(() => toTensor([-1, -1], v, 0, [[2, 3], [0, 0, 1, 1, 1]], ['FIRST_DIM_SIZE', 'VALUE_ROWIDS']),
    `${op}expected rowPartitionTensors[0] (FIRST_DIM_SIZE) to be a scalar, got shape [2]`);
  assertThrowsMessage(() => toTensor([-1, -1], v, 0, [[0, 2, 2, 5]], ['ROW_SPLITS', 'ROW_SPLITS']),
    `${op}expected 'rowPartitionTypes' to be an array of 1 names, one per row partition tensor, got 2 names`);
  assertThrowsMessage(() => toTensor([-1, -1], v, 0, [], []), `${op}expected 'rowPartitionTensors' to be a non-empty array`);
  // inconsistent partitions
  assertThrowsMessage(() => toTensor([-1, -1], v, 0, [[0, 3, 2, 5]], ['ROW_SPLITS']),
    `${op}rowPartitionTensors[0] (ROW_SPLITS) must start at 0 and never fall, got [0,3,2,5]`);
  assertThrowsMessage(() => toTensor([-1, -1], v, 0, [[1, 2, 5]], ['ROW_SPLITS']), 'must start at 0 and never fall, got [1,2,5]');
  assertThrowsMessage(() => toTensor([-1, -1], v, 0, [[0, 2, 4]], ['ROW_SPLITS']),
    `${op}the innermost row partition describes 4 values, but 'values' has 5 (shape [5])`);
  assertThrowsMessage(() => toTensor([-1, -1, -1], [1, 2, 3, 4, 5, 6], 0, [[0, 2, 3], [0, 1, 3, 6, 6]], ['ROW_SPLITS', 'ROW_SPLITS']),
    `${op}rowPartitionTensors[1] (ROW_SPLITS) splits 4 rows, but the level above has only 3`);
  assertThrowsMessage(() => toTensor([-1, -1], v, 0, [3, [0, 0, 5, 1, 1]], ['FIRST_DIM_SIZE', 'VALUE_ROWIDS']),
    `${op}rowPartitionTensors[1] (VALUE_ROWIDS) must be sorted row ids in [0, 3), got 5 at position 2`);
  assertThrowsMessage(() => toTensor([-1, -1], v, 0, [3, [0, 0, 2, 1, 1]], ['FIRST_DIM_SIZE', 'VALUE_ROWIDS']),
    'must be sorted row ids in [0, 3), got 1 at position 3');
  assertThrowsMessage(() => toTensor([-1, -1], v, 0, [[[0, 2], [2, 5]]], ['ROW_SPLITS']),
    `${op}expected rowPartitionTensors[0] (ROW_SPLITS) to be a non-empty vector, got shape [2,2]`);
  assertThrowsMessage(() => toTensor([-1, -1], v, 0, [st.tensor([0, 2, 2, 5])], ['ROW_SPLITS']),
    `${op}expected 'rowPartitionTensors[0]' to be an int32 tensor, got dtype float32`);
  // shapes and defaults
  assertThrowsMessage(() => toTensor([-1, -1, -1], v, 0, [[0, 2, 2, 5]], ['ROW_SPLITS']),
    `${op}expected 'shape' of 2 entries (2 ragged dimensions + values' 0 inner ones), got [-1,-1,-1]`);
  assertThrowsMessage(() => toTensor([-2, -1], v, 0, [[0, 2, 2, 5]], ['ROW_SPLITS']),
    `${op}shape[0] must be -1 (natural size) or 0 or more, got -2`);
  assertThrowsMessage(() => toTensor(3, v, 0, [[0, 2, 2, 5]], ['ROW_SPLITS']), `${op}a scalar 'shape' can only be -1 (the natural shape), got 3`);
  assertThrowsMessage(() => toTensor([-1, -1, 3], [[1, 2], [3, 4]], 0, [[0, 2]], ['ROW_SPLITS']),
    `${op}shape[2] = 3 cannot change values' inner dimension 2 (values shape [2,2])`);
  assertThrowsMessage(() => toTensor([-1, -1], v, [1, 2], [[0, 2, 2, 5]], ['ROW_SPLITS']),
    `${op}expected 'defaultValue' of rank below values' rank 1, got shape [2]`);
  assertThrowsMessage(() => toTensor([-1, -1, -1], [[1, 2], [3, 4]], [1, 2, 3], [[0, 2]], ['ROW_SPLITS']),
    `${op}'defaultValue' of shape [3] does not broadcast to values' inner shape [2]`);
  assertThrowsMessage(() => toTensor([-1, -1], v, st.scalar(1, 'int32'), [[0, 2, 2, 5]], ['ROW_SPLITS']),
    `${op}expected 'defaultValue' of dtype float32 (as values), got int32`);
  assertThrowsMessage(() => toTensor([-1, -1], 4, 0, [[0, 1]], ['ROW_SPLITS']), `${op}expected 'values' of rank 1 or more, got a scalar`);
  assertThrowsMessage(() => toTensor([-1.5, -1], v, 0, [[0, 2, 2, 5]], ['ROW_SPLITS']), `${op}expected 'shape' to hold integers`);
});
