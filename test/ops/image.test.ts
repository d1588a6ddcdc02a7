/**
 * st.image beyond the differential table: the wasm backend against the reference one, the cases
 * where TensorFlow.js 4.22 is wrong (checked against what the op must give), the async forms and
 * the error messages.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as st from '../../src/index.js';
import { assertClose, assertThrowsMessage, testTensor } from '../helpers.js';

const BOXES = [[0.1, 0.2, 0.9, 0.7], [-0.2, 0.3, 0.6, 1.3], [0.8, 0.9, 0.15, 0.05]];

/** Runs f on the js and on the wasm backend (same inputs) and compares every output. */
function sameOnBothBackends(what: string, f: () => st.Tensor[]): void {
  const before = st.getBackend();
  try {
    st.setBackend('js');
    const ref = f().map((t) => Array.from(t.dataSync()));
    st.setBackend('wasm');
    const fast = f().map((t) => Array.from(t.dataSync()));
    ref.forEach((r, i) => assertClose(fast[i], r, 1e-6, `${what} output ${i}`));
  } finally {
    st.setBackend(before);
  }
}

test('image kernels: the wasm backend gives the reference backend\'s results, forward and gradient', () => {
  const img = () => testTensor([2, 5, 6, 3], 3).cast('float32');
  const w = (shape: number[]) => testTensor(shape, 8).cast('float32');
  sameOnBothBackends('resizeBilinear', () => {
    const [g] = st.grads((x: st.Tensor) => st.image.resizeBilinear(x, [7, 4], false, true).mul(w([2, 7, 4, 3])).sum())([img()]);
    return [st.image.resizeBilinear(img(), [7, 4], false, true), g];
  });
  sameOnBothBackends('resizeNearestNeighbor', () => {
    const [g] = st.grads((x: st.Tensor) => st.image.resizeNearestNeighbor(x, [3, 9], true).mul(w([2, 3, 9, 3])).sum())([img()]);
    return [st.image.resizeNearestNeighbor(img(), [3, 9], true), g];
  });
  sameOnBothBackends('cropAndResize', () => {
    const ind = st.tensor([1, 0, 1], [3], 'int32');
    const [g] = st.grads((x: st.Tensor) => st.image.cropAndResize(x, BOXES, ind, [4, 4]).mul(w([3, 4, 4, 3])).sum())([img()]);
    return [st.image.cropAndResize(img(), BOXES, ind, [4, 4], 'nearest'), g];
  });
  sameOnBothBackends('transform, rotateWithOffset', () => [
    st.image.transform(img(), [[1, 0.2, -1, 0.1, 0.9, 0.5, 0.01, 0]], 'bilinear', 'reflect'),
    st.image.rotateWithOffset(img(), 0.4, [0.1, 0.2, 0.3]),
  ]);
});

test('transform: every image of a batch is transformed (TensorFlow.js 4.22 stops after the first)', () => {
  const x = testTensor([3, 4, 5, 2], 2).cast('float32');
  const rows = st.tensor([[1, 0.1, -0.5, 0, 1.2, 0.3, 0, 0], [0.8, 0, 1, 0.2, 1, 0, 0.01, 0.02], [-1, 0, 4, 0, 1, 0, 0, 0]]);
  const all = st.image.transform(x, rows, 'bilinear', 'wrap', 0.5, [6, 3]);
  for (let b = 0; b < 3; b++) {
    const alone = st.image.transform(x.slice([b, 0, 0, 0], [1, -1, -1, -1]), rows.slice([b, 0], [1, 8]), 'bilinear', 'wrap', 0.5, [6, 3]);
    assertClose(all.slice([b, 0, 0, 0], [1, -1, -1, -1]), Array.from(alone.dataSync()), 1e-6, `image ${b}`);
  }
  // one row for the whole batch; a flat row of 8 is taken as [1, 8]
  const shared = st.image.transform(x, [1, 0, 1, 0, 1, 0, 0, 0]);
  assertClose(shared.slice([2, 0, 0, 0], [1, -1, 4, -1]), Array.from(x.slice([2, 0, 1, 0], [1, -1, 4, -1]).dataSync()), 0, 'shift by one');
});

test('resizeBilinear and resizeNearestNeighbor: halfPixelCenters gradients are the adjoints of the forward', () => {
  // <resize(x), y> = <x, grad> for a linear map: checks the gradient where TensorFlow.js' is wrong
  for (const resize of [st.image.resizeBilinear, st.image.resizeNearestNeighbor]) {
    const x = testTensor([2, 3, 5, 2], 4);
    const y = testTensor([2, 7, 3, 2], 5);
    const [g] = st.grads((v: st.Tensor) => resize(v, [7, 3], false, true).mul(y).sum())([x]);
    assertClose(resize(x, [7, 3], false, true).mul(y).sum(), x.mul(g).sum().dataSync()[0], 1e-9, resize.name);
  }
});

test('non-max suppression: the async forms give the same as the sync ones', async () => {
  const boxes = testTensor([20, 4], 9).cast('float32');
  const scores = testTensor([20], 10).cast('float32');
  assert.deepEqual(Array.from((await st.image.nonMaxSuppressionAsync(boxes, scores, 8, 0.4)).dataSync()),
    Array.from(st.image.nonMaxSuppression(boxes, scores, 8, 0.4).dataSync()));
  const a = await st.image.nonMaxSuppressionWithScoreAsync(boxes, scores, 8, 0.4, -1, 0.3);
  const s = st.image.nonMaxSuppressionWithScore(boxes, scores, 8, 0.4, -1, 0.3);
  assert.deepEqual(Array.from(a.selectedScores.dataSync()), Array.from(s.selectedScores.dataSync()));
  const p = await st.image.nonMaxSuppressionPaddedAsync(boxes, scores, 30, 0.1, 0, true);
  assert.equal(p.selectedIndices.shape[0], 20, 'padded to min(maxOutputSize, numBoxes)');
  assert.equal(p.validOutputs.dtype, 'int32');
  assert.deepEqual(Array.from(p.selectedIndices.dataSync()).slice(0, p.validOutputs.dataSync()[0]),
    Array.from(st.image.nonMaxSuppression(boxes, scores, 30, 0.1, 0).dataSync()));
});

test('st.image: errors say what was expected and what came', () => {
  const x = st.zeros([1, 4, 4, 3]);
  assertThrowsMessage(() => st.image.resizeBilinear(st.zeros([4, 4]), [2, 2]),
    /resizeBilinear: expected 'images' of rank 4 \[batch, height, width, channels\] or rank 3 .* got shape \[4,4\]/);
  assertThrowsMessage(() => st.image.resizeBilinear(x, [2] as never), /size must be \[newHeight, newWidth\]/);
  assertThrowsMessage(() => st.image.resizeNearestNeighbor(x, [2, 2], true, true), /alignCorners and halfPixelCenters cannot both be true/);
  assertThrowsMessage(() => st.image.cropAndResize(x, [[0, 0, 1]], [0], [2, 2]), /expected 'boxes' of shape \[numBoxes, 4\]/);
  assertThrowsMessage(() => st.image.cropAndResize(x, [[0, 0, 1, 1]], [0, 0], [2, 2]), /expected 'boxInd' of shape \[1\]/);
  assertThrowsMessage(() => st.image.cropAndResize(x, [[0, 0, 1, 1]], st.tensor([0]), [2, 2]), /expected 'boxInd' of dtype int32, got float32/);
  assertThrowsMessage(() => st.image.cropAndResize(x, [[0, 0, 1, 1]], [0], [0, 2]), /cropSize must be \[cropHeight, cropWidth\]/);
  assertThrowsMessage(() => st.image.cropAndResize(x, [[0, 0, 1, 1]], [0], [2, 2], 'bicubic' as never), /method must be 'bilinear' or 'nearest'/);
  assertThrowsMessage(() => {
    const boxes = st.tensor([[0, 0, 1, 1]]);
    st.grads((b: st.Tensor) => st.image.cropAndResize(x, b, [0], [2, 2]).sum())([boxes]);
  }, /no gradient w.r.t. boxes/);
  assertThrowsMessage(() => st.image.transform(x, [[1, 0, 0]]), /expected 'transforms' of shape \[1, 8\] or \[1, 8\]/);
  assertThrowsMessage(() => st.image.transform(x, [1, 0, 0, 0, 1, 0, 0, 0], 'nearest', 'mirror' as never),
    /fillMode must be one of 'constant', 'reflect', 'wrap', 'nearest', got "mirror"/);
  assertThrowsMessage(() => st.image.rotateWithOffset(x, 1, [1, 2] as never), /fillValue must be a number or \[r, g, b\]/);
  assertThrowsMessage(() => st.image.rgbToGrayscale(st.zeros([2, 2])), /expected the last axis of 'image' to be 3/);
  assertThrowsMessage(() => st.image.grayscaleToRGB(st.zeros([2])), /expected 'image' of rank 2 or more/);
  assertThrowsMessage(() => st.image.threshold(st.zeros([2, 2, 2])), /expected 'image' of shape \[height, width, 3\]/);
  assertThrowsMessage(() => st.image.threshold(st.fill([2, 2, 1], -3), 'otsu'), /'otsu' needs pixel values of at least 0, got -3/);
  assertThrowsMessage(() => st.image.nonMaxSuppression([[0, 0, 1, 1]], [0.5, 0.2], 1), /expected 'scores' of shape \[1\]/);
  assertThrowsMessage(() => st.image.nonMaxSuppression([[0, 0, 1, 1]], [0.5], 1, 1.5), /iouThreshold must be in \[0, 1\], got 1.5/);
  assertThrowsMessage(() => st.image.nonMaxSuppressionWithScore([[0, 0, 1, 1]], [0.5], 1, 0.5, 0, 2), /softNmsSigma must be in \[0, 1\], got 2/);
});
