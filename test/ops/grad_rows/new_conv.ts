/** Gradient rows (float64, finite differences) for the conv ops added for TensorFlow.js parity. */
import * as st from '../../../src/index.js';
import { testTensor } from '../../helpers.js';
import type { GradRow } from './row.js';

/** distinct values (a shuffled ramp, gaps 0.37) so no max window has a tie or a near-tie */
const distinct = (shape: number[], seed = 5, gap = 0.37) => {
  const n = shape.reduce((a, b) => a * b, 1);
  const perm = Array.from({ length: n }, (_, i) => i).sort((a, b) => ((a * 7919 + seed) % 101) - ((b * 7919 + seed) % 101));
  return st.tensor(perm.map((p) => (p - n / 2) * gap + 0.05), shape, 'float64');
};

export const convGradRows: GradRow[] = [
  { op: 'conv3d', shapes: [[1, 3, 4, 3, 2], [2, 2, 2, 2, 2]], options: 'valid, stride 1', f: (x, f) => st.conv3d(x, f, 1, 'valid') },
  { op: 'conv3d', shapes: [[2, 3, 4, 4, 1], [2, 3, 2, 1, 2]], options: 'same, strides [1, 2, 2]', f: (x, f) => st.conv3d(x, f, [1, 2, 2], 'same') },
  { op: 'conv3d', shapes: [[1, 4, 3, 4, 1], [2, 2, 2, 1, 1]], options: 'dilations [2, 1, 2], pad 1', f: (x, f) => st.conv3d(x, f, 1, 1, 'NDHWC', [2, 1, 2]) },
  { op: 'conv3d', shapes: [[3, 3, 3, 2], [2, 2, 2, 2, 1]], options: 'unbatched rank 4', f: (x, f) => st.conv3d(x, f, 1, 'valid') },
  { op: 'conv3dTranspose', shapes: [[1, 2, 2, 2, 2], [2, 2, 3, 1, 2]], options: 'stride 2, same, to [1, 4, 3, 4, 1]',
    f: (x, f) => st.conv3dTranspose(x, f, [1, 4, 3, 4, 1], 2, 'same') },
  { op: 'conv3dTranspose', shapes: [[1, 2, 2, 3, 1], [2, 2, 2, 2, 1]], options: 'stride 1, valid, to [1, 3, 3, 4, 2]',
    f: (x, f) => st.conv3dTranspose(x, f, [1, 3, 3, 4, 2], 1, 'valid') },
  { op: 'maxPool3d', shapes: [[1, 4, 4, 4, 2]], options: '2 stride 2, valid', f: (x) => st.maxPool3d(x, 2, 2, 'valid'), inputs: () => [distinct([1, 4, 4, 4, 2])] },
  { op: 'maxPool3d', shapes: [[2, 3, 5, 4, 1]], options: '[2, 3, 2] strides [1, 2, 2], same', f: (x) => st.maxPool3d(x, [2, 3, 2], [1, 2, 2], 'same'),
    inputs: () => [distinct([2, 3, 5, 4, 1], 7)] },
  { op: 'avgPool3d', shapes: [[1, 4, 4, 3, 2]], options: '2 stride 2, valid', f: (x) => st.avgPool3d(x, 2, 2, 'valid') },
  { op: 'avgPool3d', shapes: [[1, 3, 5, 5, 1]], options: '2 stride 2, same (partial windows)', f: (x) => st.avgPool3d(x, 2, 2, 'same') },
  { op: 'avgPool3d', shapes: [[1, 4, 5, 3, 1]], options: 'pad 1, ceil (empty windows)', f: (x) => st.avgPool3d(x, 2, 2, 1, 'ceil') },
  { op: 'pool', shapes: [[1, 5, 6, 2]], options: 'max, [2, 3], dilations 2, same', f: (x) => st.pool(x, [2, 3], 'max', 'same', 2),
    inputs: () => [distinct([1, 5, 6, 2], 11)] },
  { op: 'pool', shapes: [[2, 5, 4, 1]], options: 'avg, 2, dilations [2, 1], same', f: (x) => st.pool(x, 2, 'avg', 'same', [2, 1]) },
  { op: 'maxPoolWithArgmax', shapes: [[1, 5, 4, 2]], options: 'result, 2 stride 2, same', f: (x) => st.maxPoolWithArgmax(x, 2, 2, 'same').result,
    inputs: () => [distinct([1, 5, 4, 2], 13)] },
  // x on a coarse ramp, the filter on a fine one: no two window candidates x + f come near a tie
  { op: 'dilation2d', shapes: [[1, 5, 5, 2], [2, 3, 2]], options: 'same, dilations 2', f: (x, f) => st.dilation2d(x, f, 1, 'same', 2),
    inputs: () => [distinct([1, 5, 5, 2], 17), distinct([2, 3, 2], 3, 0.013)] },
  { op: 'dilation2d', shapes: [[2, 6, 5, 1], [3, 2, 1]], options: 'valid, strides 2', f: (x, f) => st.dilation2d(x, f, 2, 'valid'),
    inputs: () => [distinct([2, 6, 5, 1], 19), distinct([3, 2, 1], 5, 0.013)] },
  { op: 'fused.depthwiseConv2d', shapes: [[1, 4, 4, 2], [2, 2, 2, 2], [4]], options: 'bias, elu, same',
    f: (x, f, b) => st.fused.depthwiseConv2d({ x, filter: f, strides: 1, pad: 'same', bias: b, activation: 'elu' }) },
  { op: 'fused.depthwiseConv2d', shapes: [[1, 5, 5, 1], [3, 3, 1, 2], [2], [2]], options: 'bias, prelu, stride 2',
    f: (x, f, b, a) => st.fused.depthwiseConv2d({ x, filter: f, strides: 2, pad: 'valid', bias: b, activation: 'prelu', preluActivationWeights: a }) },
  { op: 'batchNorm4d', shapes: [[2, 2, 2, 3], [3], [3], [3], [3]], options: 'every argument',
    f: (x, m, v, o, s) => st.batchNorm4d(x, m, v, o, s),
    inputs: () => [testTensor([2, 2, 2, 3], 1), testTensor([3], 2), testTensor([3], 3, (v) => v + 1.5), testTensor([3], 4), testTensor([3], 5)] },
  { op: 'basicLSTMCell', shapes: [[], [5, 12], [12], [2, 2], [2, 3], [2, 3]], options: '[newC, newH] side by side',
    f: (fb, k, b, d, c, h) => st.concat(st.basicLSTMCell(fb, k, b, d, c, h), 1) },
  { op: 'conv1d', shapes: [[1, 6, 2], [3, 2, 2]], options: 'explicit [[0, 0], [0, 0], [2, 1], [0, 0]]',
    f: (x, f) => st.conv1d(x, f, 1, [[0, 0], [0, 0], [2, 1], [0, 0]]) },
  { op: 'conv2d', shapes: [[1, 5, 6, 1], [2, 3, 1, 2]], options: 'explicit NHWC pad, stride 2, ceil',
    f: (x, f) => st.conv2d(x, f, 2, [[0, 0], [1, 2], [0, 1], [0, 0]], 'NHWC', 1, 'ceil') },
];
