/**
 * Differential rows (striate vs TensorFlow.js) for the image ops (st.image / tf.image).
 *
 * Where TensorFlow.js 4.22's cpu kernels are wrong, the comparison leaves that case out (our
 * results there are checked by the float64 gradient rows and test/ops/image.test.ts instead):
 * - resizeBilinear's gradient ignores halfPixelCenters and returns a [batch, width, height, c]
 *   shape, so gradients are compared for square images without halfPixelCenters;
 * - resizeNearestNeighbor's gradient ignores halfPixelCenters and reads dy at the image's batch
 *   stride, so gradients are compared at batch 1 without halfPixelCenters;
 * - transform returns after the first image of a batch (the others keep fillValue), so it is
 *   compared at batch 1;
 * - cropAndResize, flipLeftRight, rgbToGrayscale (einsum), rotateWithOffset and transform have no
 *   gradient in TensorFlow.js (ours: cropAndResize w.r.t. the image, flipLeftRight, rgbToGrayscale).
 */
import * as st from '../../../src/index.js';
import * as tf from '@tensorflow/tfjs-core';
import type { DiffRow } from './row.js';

/** boxes [y1, x1, y2, x2]: inside, partly outside (extrapolated), flipped (y1 > y2) and degenerate. */
const BOXES = [0.1, 0.2, 0.9, 0.7, -0.2, 0.3, 0.6, 1.3, 0.8, 0.9, 0.15, 0.05, 0.5, 0.5, 0.5, 0.5];
const BOX_IND = [1, 0, 1, 0];
/** projective rows [a0, a1, a2, b0, b1, b2, c0, c1] (a rotation with shear, shift and perspective) */
const TRANSFORM = [0.9, -0.35, 1.3, 0.4, 1.1, -0.8, 0.02, -0.015];
/** boxes for non-max suppression: clusters of overlapping boxes, corners in either order */
const NMS_BOXES = [
  0, 0, 1, 1, 0, 0.1, 1, 1.1, 0, -0.1, 1, 0.9, 0, 10, 1, 11, 0, 10.1, 1, 11.1, 0, 100, 1, 101,
  1, 1, 0, 0, 0.5, 0.5, 1.5, 1.5, 0, 10.5, 1, 11.5, 2, 2, 3, 3,
];
const NMS_SCORES = [0.9, 0.75, 0.6, 0.95, 0.5, 0.3, 0.9, 0.85, 0.4, 0.2];

const twoOut = (r: { selectedIndices: st.Tensor; selectedScores?: st.Tensor; validOutputs?: st.Tensor }): st.Tensor[] =>
  [r.selectedIndices, (r.selectedScores ?? r.validOutputs)!];
const twoOutTf = (r: tf.NamedTensorMap): tf.Tensor[] => [r.selectedIndices, r.selectedScores ?? r.validOutputs];

export const imageDiffRows: DiffRow[] = [
  // ---- resizeBilinear ----
  { op: 'image.resizeBilinear', options: 'up to [7, 7]', inputs: [[1, 4, 4, 2]],
    st: (x) => st.image.resizeBilinear(x, [7, 7]), tf: (x) => tf.image.resizeBilinear(x as tf.Tensor4D, [7, 7]) },
  { op: 'image.resizeBilinear', options: 'down to [3, 2], alignCorners', inputs: [[1, 5, 5, 3]],
    st: (x) => st.image.resizeBilinear(x, [3, 2], true), tf: (x) => tf.image.resizeBilinear(x as tf.Tensor4D, [3, 2], true) },
  { op: 'image.resizeBilinear', options: 'batch 2, [6, 4], halfPixelCenters', inputs: [[2, 3, 5, 2]], gradInputs: [],
    st: (x) => st.image.resizeBilinear(x, [6, 4], false, true),
    tf: (x) => tf.image.resizeBilinear(x as tf.Tensor4D, [6, 4], false, true) },
  { op: 'image.resizeBilinear', options: 'rank 3, [4, 7], alignCorners', inputs: [[3, 5, 2]], gradInputs: [],
    st: (x) => st.image.resizeBilinear(x, [4, 7], true), tf: (x) => tf.image.resizeBilinear(x as tf.Tensor3D, [4, 7], true) },
  { op: 'image.resizeBilinear', options: 'int32 image, [1, 5]', inputs: [{ shape: [1, 2, 3, 1], dtype: 'int32', range: [0, 256] }],
    st: (x) => st.image.resizeBilinear(x, [1, 5]), tf: (x) => tf.image.resizeBilinear(x as tf.Tensor4D, [1, 5]) },
  { op: 'tensor.resizeBilinear', options: 'method form, [2, 9]', inputs: [[1, 3, 3, 1]],
    st: (x) => x.resizeBilinear([2, 9]), tf: (x) => tf.image.resizeBilinear(x as tf.Tensor4D, [2, 9]) },
  // ---- resizeNearestNeighbor ----
  { op: 'image.resizeNearestNeighbor', options: '[7, 4]', inputs: [[1, 3, 5, 2]],
    st: (x) => st.image.resizeNearestNeighbor(x, [7, 4]), tf: (x) => tf.image.resizeNearestNeighbor(x as tf.Tensor4D, [7, 4]) },
  { op: 'image.resizeNearestNeighbor', options: '[3, 8], alignCorners', inputs: [[1, 5, 5, 1]],
    st: (x) => st.image.resizeNearestNeighbor(x, [3, 8], true),
    tf: (x) => tf.image.resizeNearestNeighbor(x as tf.Tensor4D, [3, 8], true) },
  { op: 'image.resizeNearestNeighbor', options: 'batch 2, [5, 6], halfPixelCenters', inputs: [[2, 4, 3, 2]], gradInputs: [],
    st: (x) => st.image.resizeNearestNeighbor(x, [5, 6], false, true),
    tf: (x) => tf.image.resizeNearestNeighbor(x as tf.Tensor4D, [5, 6], false, true) },
  { op: 'image.resizeNearestNeighbor', options: 'int32, rank 3, [2, 5]', inputs: [{ shape: [4, 3, 2], dtype: 'int32', range: [-50, 50] }],
    st: (x) => st.image.resizeNearestNeighbor(x, [2, 5]), tf: (x) => tf.image.resizeNearestNeighbor(x as tf.Tensor3D, [2, 5]) },
  // ---- cropAndResize ----
  { op: 'image.cropAndResize', options: 'bilinear, crop [4, 3], extrapolationValue 0.5', gradInputs: [],
    inputs: [[2, 6, 5, 3], { shape: [4, 4], values: BOXES }, { shape: [4], dtype: 'int32', values: BOX_IND }],
    st: (x, b, i) => st.image.cropAndResize(x, b, i, [4, 3], 'bilinear', 0.5),
    tf: (x, b, i) => tf.image.cropAndResize(x as tf.Tensor4D, b as tf.Tensor2D, i as tf.Tensor1D, [4, 3], 'bilinear', 0.5) },
  { op: 'image.cropAndResize', options: 'nearest, crop [5, 2]', gradInputs: [],
    inputs: [[2, 6, 5, 2], { shape: [4, 4], values: BOXES }, { shape: [4], dtype: 'int32', values: BOX_IND }],
    st: (x, b, i) => st.image.cropAndResize(x, b, i, [5, 2], 'nearest'),
    tf: (x, b, i) => tf.image.cropAndResize(x as tf.Tensor4D, b as tf.Tensor2D, i as tf.Tensor1D, [5, 2], 'nearest') },
  { op: 'image.cropAndResize', options: 'crop [1, 1] (box centres)', gradInputs: [],
    inputs: [[2, 4, 4, 1], { shape: [4, 4], values: BOXES }, { shape: [4], dtype: 'int32', values: BOX_IND }],
    st: (x, b, i) => st.image.cropAndResize(x, b, i, [1, 1]),
    tf: (x, b, i) => tf.image.cropAndResize(x as tf.Tensor4D, b as tf.Tensor2D, i as tf.Tensor1D, [1, 1]) },
  // ---- flips, colour ----
  { op: 'image.flipLeftRight', inputs: [[2, 3, 4, 2]], gradInputs: [],
    st: (x) => st.image.flipLeftRight(x), tf: (x) => tf.image.flipLeftRight(x as tf.Tensor4D) },
  { op: 'image.grayscaleToRGB', inputs: [[2, 3, 1]],
    st: (x) => st.image.grayscaleToRGB(x), tf: (x) => tf.image.grayscaleToRGB(x as tf.Tensor3D) },
  { op: 'image.grayscaleToRGB', options: 'rank 4, int32', inputs: [{ shape: [1, 2, 2, 1], dtype: 'int32', range: [0, 256] }],
    st: (x) => st.image.grayscaleToRGB(x), tf: (x) => tf.image.grayscaleToRGB(x as tf.Tensor4D) },
  { op: 'image.rgbToGrayscale', inputs: [[2, 4, 3]], gradInputs: [],
    st: (x) => st.image.rgbToGrayscale(x), tf: (x) => tf.image.rgbToGrayscale(x as tf.Tensor3D) },
  { op: 'image.rgbToGrayscale', options: 'int32, rank 4', inputs: [{ shape: [2, 3, 2, 3], dtype: 'int32', range: [0, 256] }],
    st: (x) => st.image.rgbToGrayscale(x), tf: (x) => tf.image.rgbToGrayscale(x as tf.Tensor4D) },
  // ---- threshold ----
  { op: 'image.threshold', gradInputs: [], options: 'binary, RGB int32', inputs: [{ shape: [5, 6, 3], dtype: 'int32', range: [0, 256] }],
    st: (x) => st.image.threshold(x), tf: (x) => tf.image.threshold(x as tf.Tensor3D) },
  { op: 'image.threshold', gradInputs: [], options: 'binary, inverted, threshValue 0.3, grey float', inputs: [{ shape: [4, 5, 1], map: (v: number) => (v + 1) * 127 }],
    st: (x) => st.image.threshold(x, 'binary', true, 0.3), tf: (x) => tf.image.threshold(x as tf.Tensor3D, 'binary', true, 0.3) },
  { op: 'image.threshold', gradInputs: [], options: 'otsu, RGB int32', inputs: [{ shape: [6, 7, 3], dtype: 'int32', range: [0, 256] }],
    st: (x) => st.image.threshold(x, 'otsu'), tf: (x) => tf.image.threshold(x as tf.Tensor3D, 'otsu') },
  { op: 'image.threshold', gradInputs: [], options: 'otsu, inverted, grey float', inputs: [{ shape: [5, 5, 1], map: (v: number) => (v + 1) * 100 }],
    st: (x) => st.image.threshold(x, 'otsu', true), tf: (x) => tf.image.threshold(x as tf.Tensor3D, 'otsu', true) },
  // ---- rotateWithOffset, transform ----
  { op: 'image.rotateWithOffset', gradInputs: [], options: '0.7 rad, fill 0.3, centre 0.4', inputs: [[2, 5, 6, 3]],
    st: (x) => st.image.rotateWithOffset(x, 0.7, 0.3, 0.4), tf: (x) => tf.image.rotateWithOffset(x as tf.Tensor4D, 0.7, 0.3, 0.4) },
  { op: 'image.rotateWithOffset', gradInputs: [], options: '-2 rad, fill [r, g, b] with alpha, centre [0.3, 0.6]', inputs: [[1, 6, 4, 4]],
    st: (x) => st.image.rotateWithOffset(x, -2, [0.1, 0.2, 0.3], [0.3, 0.6]),
    tf: (x) => tf.image.rotateWithOffset(x as tf.Tensor4D, -2, [0.1, 0.2, 0.3], [0.3, 0.6]) },
  ...(['constant', 'reflect', 'wrap', 'nearest'] as const).flatMap((fillMode) => (['nearest', 'bilinear'] as const).map((interp): DiffRow => ({
    op: 'image.transform', options: `${interp}, fillMode ${fillMode}, fillValue 0.25`,
    inputs: [[1, 5, 6, 2], { shape: [1, 8], values: TRANSFORM }],
    st: (x, t) => st.image.transform(x, t, interp, fillMode, 0.25),
    tf: (x, t) => tf.image.transform(x as tf.Tensor4D, t as tf.Tensor2D, interp, fillMode, 0.25),
    gradInputs: [],
  }))),
  { op: 'image.transform', options: 'outputShape [7, 3], shift far out, reflect', gradInputs: [],
    inputs: [[1, 4, 4, 1], { shape: [1, 8], values: [1, 0, -9.5, 0, 1, 13.2, 0, 0] }],
    st: (x, t) => st.image.transform(x, t, 'bilinear', 'reflect', 0, [7, 3]),
    tf: (x, t) => tf.image.transform(x as tf.Tensor4D, t as tf.Tensor2D, 'bilinear', 'reflect', 0, [7, 3]) },
  { op: 'image.transform', options: 'wrap, far out', gradInputs: [],
    inputs: [[1, 4, 5, 1], { shape: [1, 8], values: [1, 0, -17.3, 0, 1, 11.6, 0, 0] }],
    st: (x, t) => st.image.transform(x, t, 'nearest', 'wrap'),
    tf: (x, t) => tf.image.transform(x as tf.Tensor4D, t as tf.Tensor2D, 'nearest', 'wrap') },
  // ---- non-max suppression ----
  { op: 'image.nonMaxSuppression', options: 'max 6, iou 0.3', gradInputs: [],
    inputs: [{ shape: [10, 4], values: NMS_BOXES }, { shape: [10], values: NMS_SCORES }],
    st: (b, s) => st.image.nonMaxSuppression(b, s, 6, 0.3), tf: (b, s) => tf.image.nonMaxSuppression(b as tf.Tensor2D, s as tf.Tensor1D, 6, 0.3) },
  { op: 'image.nonMaxSuppression', options: 'random boxes, max 20, scoreThreshold 0', gradInputs: [],
    inputs: [[30, 4], [30]],
    st: (b, s) => st.image.nonMaxSuppression(b, s, 20, 0.5, 0),
    tf: (b, s) => tf.image.nonMaxSuppression(b as tf.Tensor2D, s as tf.Tensor1D, 20, 0.5, 0) },
  { op: 'image.nonMaxSuppressionWithScore', options: 'soft-NMS sigma 0.5, iou 0.8, scoreThreshold 0.1', gradInputs: [],
    inputs: [{ shape: [10, 4], values: NMS_BOXES }, { shape: [10], values: NMS_SCORES }],
    st: (b, s) => twoOut(st.image.nonMaxSuppressionWithScore(b, s, 10, 0.8, 0.1, 0.5)),
    tf: (b, s) => twoOutTf(tf.image.nonMaxSuppressionWithScore(b as tf.Tensor2D, s as tf.Tensor1D, 10, 0.8, 0.1, 0.5)) },
  { op: 'image.nonMaxSuppressionWithScore', options: 'random boxes, sigma 1', gradInputs: [],
    inputs: [[25, 4], [25]],
    st: (b, s) => twoOut(st.image.nonMaxSuppressionWithScore(b, s, 15, 0.6, -0.5, 1)),
    tf: (b, s) => twoOutTf(tf.image.nonMaxSuppressionWithScore(b as tf.Tensor2D, s as tf.Tensor1D, 15, 0.6, -0.5, 1)) },
  { op: 'image.nonMaxSuppressionPadded', options: 'max 8, padded', gradInputs: [],
    inputs: [{ shape: [10, 4], values: NMS_BOXES }, { shape: [10], values: NMS_SCORES }],
    st: (b, s) => twoOut(st.image.nonMaxSuppressionPadded(b, s, 8, 0.2, 0.35, true)),
    tf: (b, s) => twoOutTf(tf.image.nonMaxSuppressionPadded(b as tf.Tensor2D, s as tf.Tensor1D, 8, 0.2, 0.35, true)) },
  { op: 'image.nonMaxSuppressionPadded', options: 'not padded', gradInputs: [],
    inputs: [{ shape: [10, 4], values: NMS_BOXES }, { shape: [10], values: NMS_SCORES }],
    st: (b, s) => twoOut(st.image.nonMaxSuppressionPadded(b, s, 8, 0.2, 0.35)),
    tf: (b, s) => twoOutTf(tf.image.nonMaxSuppressionPadded(b as tf.Tensor2D, s as tf.Tensor1D, 8, 0.2, 0.35)) },
];
