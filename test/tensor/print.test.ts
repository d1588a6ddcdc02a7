/** Printing tensors the TensorFlow.js way: toString(), print(), formatTensor(). */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as st from '../../src/index.js';

test('scalar', () => {
  assert.equal(st.scalar(5).toString(), 'Tensor\n    5');
  assert.equal(st.scalar(-0.5).toString(), 'Tensor\n    -0.5');
  assert.equal(st.scalar(true).toString(), 'Tensor\n    true');
});

test('1-D: no padding, float32 noise hidden', () => {
  assert.equal(st.tensor([1, 2, 3]).toString(), 'Tensor\n    [1, 2, 3]');
  assert.equal(st.tensor([0.1, -2.25, 3]).toString(), 'Tensor\n    [0.1, -2.25, 3]');
  assert.equal(st.tensor([1 / 3], undefined, 'float64').toString(), 'Tensor\n    [0.3333333]');
  assert.equal(st.tensor([], [0]).toString(), 'Tensor\n    []');
});

test('2-D: rows on their own lines, columns padded to a common width', () => {
  assert.equal(st.tensor([[1, 2], [3, 4]]).toString(), 'Tensor\n    [[1, 2],\n     [3, 4]]');
  assert.equal(st.tensor([[1.5, -2.25], [10, 3]]).toString(),
    'Tensor\n' +
    '    [[1.5, -2.25],\n' +
    '     [10 , 3    ]]');
  assert.equal(st.tensor([[7, 8, 9]]).toString(), 'Tensor\n    [[7, 8, 9]]');
});

test('3-D: blocks separated by a blank line', () => {
  assert.equal(st.tensor([[[1, 2], [3, 4]], [[5, 6], [7, 8]]], undefined, 'int32').toString(),
    'Tensor\n' +
    '    [[[1, 2],\n' +
    '      [3, 4]],\n' +
    '\n' +
    '     [[5, 6],\n' +
    '      [7, 8]]]');
});

test('bool as true/false', () => {
  assert.equal(st.tensor([true, false]).toString(), 'Tensor\n    [true, false]');
  assert.equal(st.tensor([[true, false], [false, true]]).toString(),
    'Tensor\n    [[true , false],\n     [false, true ]]');
});

test('long axes are cut to the first 3 and last 3 around "..."', () => {
  assert.equal(st.range(0, 30).toString(), 'Tensor\n    [0, 1, 2, ..., 27, 28, 29]');
  assert.equal(st.range(0, 20).toString(),
    'Tensor\n    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19]', '20 values are all shown');
  assert.equal(st.range(0, 50).reshape([25, 2]).toString(),
    'Tensor\n' +
    '    [[0 , 1 ],\n' +
    '     [2 , 3 ],\n' +
    '     [4 , 5 ],\n' +
    '     ...,\n' +
    '     [44, 45],\n' +
    '     [46, 47],\n' +
    '     [48, 49]]');
});

test('verbose adds dtype, rank and shape', () => {
  assert.equal(st.formatTensor(st.tensor([[1, 2]], undefined, 'int32'), true),
    'Tensor\n' +
    '  dtype: int32\n' +
    '  rank: 2\n' +
    '  shape: [1,2]\n' +
    '  values:\n' +
    '    [[1, 2]]');
  assert.equal(st.formatTensor(st.scalar(1)), st.scalar(1).toString());
});

test('print() logs toString(), verbose when asked', () => {
  const logged: string[] = [];
  const original = console.log;
  console.log = (s: string) => { logged.push(s); };
  try {
    st.tensor([1, 2]).print();
    st.tensor([1, 2]).print(true);
  } finally {
    console.log = original;
  }
  assert.equal(logged[0], 'Tensor\n    [1, 2]');
  assert.ok(logged[1].includes('  dtype: float32\n  rank: 1\n  shape: [2]'));
  assert.equal(String(st.tensor([1, 2])), 'Tensor\n    [1, 2]');
});
