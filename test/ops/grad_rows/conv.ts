/** Gradient-table rows: convolutions and pooling (float64, small shapes: two forward passes per input element). */
import * as st from '../../../src/index.js';
import { testTensor } from '../../helpers.js';
import type { GradRow } from './row.js';

/** distinct values (a shuffled ramp, gaps 0.37) so no window of a max pool has a tie or a near-tie */
const distinct = (shape: number[], seed = 5) => {
  const n = shape.reduce((a, b) => a * b, 1);
  const perm = Array.from({ length: n }, (_, i) => i).sort((a, b) => ((a * 7919 + seed) % 101) - ((b * 7919 + seed) % 101));
  return st.tensor(perm.map((p) => (p - n / 2) * 0.37 + 0.05), shape, 'float64');
};
const conv = (strides: number | [number, number], pad: st.PadSpec, dil: number | [number, number] = 1) =>
  (x: st.Tensor, f: st.Tensor) => st.conv2d(x, f, strides as [number, number], pad, 'NHWC', dil as [number, number]);

export const convRows: GradRow[] = [
  { op: 'conv1d', shapes: [[2, 7, 2], [3, 2, 3]], options: 'stride 1, valid', f: (x, f) => st.conv1d(x, f, 1, 'valid') },
  { op: 'conv1d', shapes: [[1, 8, 2], [3, 2, 2]], options: 'stride 2, same', f: (x, f) => st.conv1d(x, f, 2, 'same') },
  { op: 'conv1d', shapes: [[1, 7, 1], [2, 1, 2]], options: 'pad 1, dilation 2', f: (x, f) => st.conv1d(x, f, 1, 1, 'NWC', 2) },
  { op: 'conv2d', shapes: [[1, 5, 5, 1], [3, 3, 1, 2]], options: 'odd size, batch 1, stride 1, valid', f: conv(1, 'valid') },
  { op: 'conv2d', shapes: [[2, 5, 4, 2], [3, 3, 2, 2]], options: 'stride 1, same', f: conv(1, 'same') },
  { op: 'conv2d', shapes: [[1, 6, 7, 2], [3, 3, 2, 2]], options: 'stride 2, same (odd pad bottom/right)', f: conv(2, 'same') },
  { op: 'conv2d', shapes: [[1, 7, 7, 1], [2, 2, 1, 2]], options: 'stride 3, valid', f: conv(3, 'valid') },
  { op: 'conv2d', shapes: [[1, 4, 5, 2], [3, 3, 2, 1]], options: 'pad 1', f: conv(1, 1) },
  { op: 'conv2d', shapes: [[1, 5, 4, 1], [2, 3, 1, 2]], options: 'explicit pad [[1, 0], [2, 1]], strides [2, 1]', f: conv([2, 1], [[1, 0], [2, 1]]) },
  { op: 'conv2d', shapes: [[1, 6, 6, 1], [3, 3, 1, 2]], options: 'dilation 2, same', f: conv(1, 'same', 2) },
  { op: 'conv2d', shapes: [[1, 4, 5, 2], [1, 3, 2, 2]], options: 'kernel 1x3', f: conv(1, 'valid') },
  { op: 'conv2d', shapes: [[1, 5, 4, 2], [3, 1, 2, 2]], options: 'kernel 3x1, same', f: conv(1, 'same') },
  { op: 'conv2d', shapes: [[4, 4, 2], [2, 2, 2, 3]], options: 'unbatched rank 3', f: conv(1, 'valid') },
  { op: 'depthwiseConv2d', shapes: [[1, 5, 5, 2], [3, 3, 2, 2]], options: 'multiplier 2, valid', f: (x, f) => st.depthwiseConv2d(x, f, 1, 'valid') },
  { op: 'depthwiseConv2d', shapes: [[2, 5, 4, 2], [2, 3, 2, 2]], options: 'multiplier 2, stride 2, same', f: (x, f) => st.depthwiseConv2d(x, f, 2, 'same') },
  { op: 'depthwiseConv2d', shapes: [[1, 6, 6, 1], [2, 2, 1, 1]], options: 'dilation 2, pad 1', f: (x, f) => st.depthwiseConv2d(x, f, 1, 1, 'NHWC', 2) },
  { op: 'separableConv2d', shapes: [[1, 5, 5, 2], [3, 3, 2, 2], [1, 1, 4, 3]], options: 'multiplier 2, same', f: (x, d, p) => st.separableConv2d(x, d, p, 1, 'same') },
  { op: 'conv2dTranspose', shapes: [[1, 3, 3, 2], [3, 3, 1, 2]], options: 'stride 2, same, to [1, 6, 6, 1]', f: (x, f) => st.conv2dTranspose(x, f, [1, 6, 6, 1], 2, 'same') },
  { op: 'conv2dTranspose', shapes: [[1, 2, 3, 1], [2, 2, 2, 1]], options: 'stride 1, valid, to [1, 3, 4, 2]', f: (x, f) => st.conv2dTranspose(x, f, [1, 3, 4, 2], 1, 'valid') },
  { op: 'correlate2d', shapes: [[5, 4], [2, 3]], options: 'valid', f: (a, k) => st.correlate2d(a, k, 'valid') },
  { op: 'correlate2d', shapes: [[4, 4], [2, 2]], options: 'same', f: (a, k) => st.correlate2d(a, k, 'same') },
  { op: 'convolve2d', shapes: [[4, 5], [3, 2]], options: 'valid', f: (a, k) => st.convolve2d(a, k, 'valid') },
  { op: 'convolve2d', shapes: [[3, 3], [2, 3]], options: 'full', f: (a, k) => st.convolve2d(a, k, 'full') },
  { op: 'maxPool', shapes: [[1, 4, 4, 2]], options: '2x2 stride 2, valid', f: (x) => st.maxPool(x, 2, 2, 'valid'), inputs: () => [distinct([1, 4, 4, 2])] },
  { op: 'maxPool', shapes: [[2, 5, 5, 1]], options: '2x2 stride 2, same', f: (x) => st.maxPool(x, 2, 2, 'same'), inputs: () => [distinct([2, 5, 5, 1], 7)] },
  { op: 'maxPool', shapes: [[1, 7, 7, 1]], options: 'overlapping 3x3 stride 2 (AlexNet)', f: (x) => st.maxPool(x, 3, 2, 'valid'), inputs: () => [distinct([1, 7, 7, 1], 3)] },
  { op: 'maxPool', shapes: [[5, 6, 1]], options: 'unbatched, [2, 3] window, same', f: (x) => st.maxPool(x, [2, 3], 1, 'same'), inputs: () => [distinct([5, 6, 1], 11)] },
  { op: 'avgPool', shapes: [[1, 4, 4, 2]], options: '2x2 stride 2, valid', f: (x) => st.avgPool(x, 2, 2, 'valid') },
  { op: 'avgPool', shapes: [[1, 5, 5, 1]], options: '2x2 stride 2, same (partial windows)', f: (x) => st.avgPool(x, 2, 2, 'same') },
  { op: 'avgPool', shapes: [[2, 5, 4, 2]], options: '3x3 stride 1, same (partial windows)', f: (x) => st.avgPool(x, 3, 1, 'same') },
  { op: 'avgPool', shapes: [[1, 7, 7, 1]], options: 'overlapping 3x3 stride 2', f: (x) => st.avgPool(x, 3, 2, 'valid') },
  { op: 'globalAvgPool', shapes: [[2, 3, 4, 2]], options: 'NHWC', f: (x) => st.globalAvgPool(x) },
  { op: 'globalAvgPool', shapes: [[2, 5, 3]], options: '[batch, steps, channels]', f: (x) => st.globalAvgPool(x) },
  { op: 'globalMaxPool', shapes: [[2, 3, 3, 2]], options: 'NHWC', f: (x) => st.globalMaxPool(x), inputs: () => [distinct([2, 3, 3, 2], 13)] },
  { op: 'globalMaxPool', shapes: [[2, 5, 3]], options: '[batch, steps, channels]', f: (x) => st.globalMaxPool(x), inputs: () => [distinct([2, 5, 3], 17)] },
  { op: 'conv2d + maxPool', shapes: [[1, 6, 6, 1], [3, 3, 1, 2]], options: 'a LeNet-like stage, relu-free', f: (x, f) => st.maxPool(st.conv2d(x, f, 1, 'same'), 2, 2, 'valid'), inputs: () => [distinct([1, 6, 6, 1], 19), testTensor([3, 3, 1, 2], 2)] },
];
