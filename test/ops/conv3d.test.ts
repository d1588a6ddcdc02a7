/** The conv-family ops added for TensorFlow.js parity: error messages, and the Tensor methods. */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as st from '../../src/index.js';
import { assertThrowsMessage, testTensor } from '../helpers.js';

test('conv3d and 3-D pooling: errors say what was expected and what came', () => {
  const x = st.zeros([1, 4, 4, 4, 2]);
  assertThrowsMessage(() => st.conv3d(st.zeros([2, 3]), st.zeros([1, 1, 1, 2, 2])), 'conv3d',
    'rank 5 [batch, depth, height, width, channels]', '[2,3]');
  assertThrowsMessage(() => st.conv3d(x, st.zeros([1, 1, 1, 3, 2])), 'conv3d', '3 input channels', 'x has 2');
  assertThrowsMessage(() => st.conv3d(x, st.zeros([1, 1, 2, 2])), 'conv3d', 'filter of rank 5', '[1,1,2,2]');
  assertThrowsMessage(() => st.conv3d(x, st.zeros([1, 1, 1, 2, 2]), 1, 'valid', 'NCDHW'), 'conv3d', "'NCDHW' is not supported");
  assertThrowsMessage(() => st.conv3d(x, st.zeros([5, 1, 1, 2, 2])), 'conv3d', 'does not fit');
  assertThrowsMessage(() => st.maxPool3d(x, [2, 2] as never), 'maxPool3d', 'filterSize', '[2,2]');
  assertThrowsMessage(() => st.avgPool3d(x, 2, 2, 'same', 'ceil'), 'avgPool3d', 'dimRoundingMode', "pad 'same'");
  assertThrowsMessage(() => st.conv3dTranspose(st.zeros([1, 2, 2, 2, 3]), st.zeros([2, 2, 2, 1, 3]), [1, 5, 5, 5, 1], 2, 'same'),
    'conv3dTranspose', 'gives 3x3x3', 'x is 2x2x2');
});

test('pool, maxPoolWithArgmax, dilation2d, conv1d: errors', () => {
  const x = st.zeros([1, 6, 6, 2]);
  assertThrowsMessage(() => st.pool(x, 2, 'max', 1, 2), 'pool', "dilations above 1 pad must be 'valid' or 'same'");
  assertThrowsMessage(() => st.pool(x, 2, 'max', 'same', 2, 2), 'pool', 'strides or dilations must be 1');
  assertThrowsMessage(() => st.pool(x, 2, 'min' as never, 'same'), 'pool', "'avg' or 'max'", 'min');
  assertThrowsMessage(() => st.maxPoolWithArgmax(st.zeros([6, 6, 2]), 2, 2, 'valid'), 'maxPoolWithArgmax', 'rank 4', '[6,6,2]');
  assertThrowsMessage(() => st.dilation2d(x, st.zeros([2, 2, 3])), 'dilation2d', 'filter has 3 channels', 'x has 2');
  assertThrowsMessage(() => st.dilation2d(x, st.zeros([2, 2, 2, 1])), 'dilation2d', 'filter of rank 3');
  assertThrowsMessage(() => st.conv1d(st.zeros([1, 5, 2]), st.zeros([2, 2, 1]), 1, [[0, 0], [1, 0], [1, 1], [0, 0]]),
    'conv1d', '[[0, 0], [0, 0], [left, right], [0, 0]]');
  assertThrowsMessage(() => st.maxPool(x, 2, 2, [[1, 0], [0, 0], [0, 0], [0, 0]]), 'maxPool', 'explicit NHWC padding');
  assertThrowsMessage(() => st.fused.depthwiseConv2d({ x, filter: st.zeros([2, 2, 2, 1]), pad: 'same', activation: 'prelu' }),
    'fused.depthwiseConv2d', 'preluActivationWeights');
  assertThrowsMessage(() => st.fused.depthwiseConv2d({ x, filter: st.zeros([2, 2, 2, 1]), pad: 'same', bais: 1 } as never),
    'unknown option "bais"', 'did you mean "bias"?');
  assertThrowsMessage(() => st.batchNorm4d(st.zeros([2, 3]), [0], [1]), 'batchNorm4d', 'x of rank 4', '[2,3]');
  assertThrowsMessage(() => st.basicLSTMCell(1, st.zeros([5, 8]), st.zeros([8]), st.zeros([1, 2]), st.zeros([1, 2]), st.zeros([1, 2])),
    'basicLSTMCell', 'lstmKernel [inputSize + units, 4 * units] = [4, 8]', '[5,8]');
});

test('the conv and pool ops as Tensor methods, as TensorFlow.js chains them', () => {
  const x = testTensor([1, 5, 5, 2], 1).cast('float32');
  const f = testTensor([2, 2, 2, 3], 2).cast('float32');
  assert.deepEqual(Array.from(x.conv2d(f, 1, 'same').dataSync()), Array.from(st.conv2d(x, f, 1, 'same').dataSync()));
  assert.deepEqual(Array.from(x.pool(2, 'avg', 'same', 2).dataSync()), Array.from(st.pool(x, 2, 'avg', 'same', 2).dataSync()));
  assert.deepEqual(Array.from(x.maxPool(2, 1, 'valid').dataSync()), Array.from(st.maxPool(x, 2, 1, 'valid').dataSync()));
  const k = testTensor([2, 2, 2], 3).cast('float32');
  assert.deepEqual(Array.from(x.dilation2d(k, 1, 'same').dataSync()), Array.from(st.dilation2d(x, k, 1, 'same').dataSync()));
});

test('maxPoolWithArgmax indexes point at the maxima, with and without the batch offset', () => {
  const x = st.tensor([[[[1], [5]], [[3], [2]]], [[[7], [0]], [[4], [9]]]], [2, 2, 2, 1]);
  const withBatch = st.maxPoolWithArgmax(x, 2, 2, 'valid', true);
  assert.deepEqual(Array.from(withBatch.result.dataSync()), [5, 9]);
  assert.deepEqual(Array.from(withBatch.indexes.dataSync()), [1, 7]);
  assert.equal(withBatch.indexes.dtype, 'int32');
  assert.deepEqual(Array.from(st.maxPoolWithArgmax(x, 2, 2, 'valid').indexes.dataSync()), [1, 3]);
});
