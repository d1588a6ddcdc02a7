/** Gradient rows (float64, finite differences) for the movement ops added for TensorFlow.js parity. */
import * as st from '../../../src/index.js';
import { testTensor } from '../../helpers.js';
import type { GradRow } from './row.js';

/** weights the output so that every position of the result matters differently */
const weigh = (y: st.Tensor, seed = 9) => y.mul(testTensor([...y.shape], seed));
const ints = (values: unknown) => st.tensor(values as number[], undefined, 'int32');

export const movementGradRows: GradRow[] = [
  { op: 'gatherND', shapes: [[3, 4]], options: 'coordinates, a repeat', f: (x) => weigh(st.gatherND(x, [[0, 1], [2, 3], [0, 1]])) },
  { op: 'gatherND', shapes: [[3, 2, 2]], options: 'slices', f: (x) => weigh(st.gatherND(x, ints([[[2], [0]], [[2], [2]]]))) },
  { op: 'gatherND', shapes: [[3, 2]], options: 'of a scatterND (each the other\'s gradient)',
    f: (u) => weigh(st.gatherND(st.scatterND([[1], [3], [1]], u, [4, 2]), [[1, 0], [3, 1], [0, 0], [1, 1]])) },
  { op: 'scatterND', shapes: [[4, 3]], options: 'duplicates sum', f: (u) => weigh(st.scatterND([[1], [3], [1], [0]], u, [5, 3])) },
  { op: 'tensorScatterUpdate', shapes: [[4, 3], [2]], options: 'tensor and updates',
    f: (t, u) => weigh(st.tensorScatterUpdate(t, [[0, 2], [3, 1]], u)) },
  { op: 'tensorScatterUpdate', shapes: [[4, 3], [2, 3]], options: 'whole rows',
    f: (t, u) => weigh(st.tensorScatterUpdate(t, [[2], [0]], u)) },
  { op: 'unsortedSegmentSum', shapes: [[5, 2]], options: 'an id dropped (-1), an empty segment',
    f: (x) => weigh(st.unsortedSegmentSum(x, [2, 0, -1, 2, 0], 4)) },
  { op: 'sparseToDense', shapes: [[3]], options: 'values', f: (v) => weigh(st.sparseToDense([[0, 1], [2, 2], [1, 0]], v, [3, 3], 0.5)) },
  { op: 'diag', shapes: [[2, 2]], f: (x) => weigh(st.diag(x)) },
  { op: 'mirrorPad', shapes: [[3, 4]], options: 'reflect', f: (x) => weigh(st.mirrorPad(x, [[2, 1], [1, 3]], 'reflect')) },
  { op: 'mirrorPad', shapes: [[2, 3]], options: 'symmetric', f: (x) => weigh(st.mirrorPad(x, [[2, 1], [3, 2]], 'symmetric')) },
  { op: 'pad2d', shapes: [[2, 3]], f: (x) => weigh(st.pad2d(x, [[1, 0], [2, 1]], 2)) },
  { op: 'slice2d', shapes: [[3, 4]], f: (x) => weigh(st.slice2d(x, [1, 1], [2, 2])) },
  { op: 'reverse3d', shapes: [[2, 3, 2]], options: 'axis 1', f: (x) => weigh(st.reverse3d(x, 1)) },
  { op: 'concat2d', shapes: [[2, 2], [2, 3]], options: 'axis 1', f: (a, b) => weigh(st.concat2d([a, b], 1)) },
  { op: 'spaceToBatchND', shapes: [[2, 3, 4, 1]], options: 'block [2, 2], paddings',
    f: (x) => weigh(st.spaceToBatchND(x, [2, 2], [[1, 0], [0, 2]])) },
  { op: 'batchToSpaceND', shapes: [[8, 2, 3, 1]], options: 'block [2, 2], crops',
    f: (x) => weigh(st.batchToSpaceND(x, [2, 2], [[1, 0], [0, 2]])) },
  { op: 'depthToSpace', shapes: [[1, 2, 2, 8]], options: 'NHWC', f: (x) => weigh(st.depthToSpace(x, 2)) },
  { op: 'depthToSpace', shapes: [[1, 8, 2, 1]], options: 'NCHW', f: (x) => weigh(st.depthToSpace(x, 2, 'NCHW')) },
  { op: 'meshgrid', shapes: [[3], [2]], options: "'xy', both outputs",
    f: (x, y) => { const [a, b] = st.meshgrid(x, y); return weigh(a.mul(b.add(2))); } },
  { op: 'linalg.bandPart', shapes: [[2, 3, 4]], options: '(1, 2)', f: (a) => weigh(st.linalg.bandPart(a, 1, 2)) },
  { op: 'sparse.sparseSegmentSum', shapes: [[4, 2]], f: (d) => weigh(st.sparse.sparseSegmentSum(d, [3, 0, 0, 2], [0, 0, 1, 3])) },
  { op: 'sparse.sparseSegmentMean', shapes: [[4, 2]], f: (d) => weigh(st.sparse.sparseSegmentMean(d, [3, 0, 1, 2], [0, 0, 0, 2])) },
  { op: 'sparse.sparseFillEmptyRows', shapes: [[3]], options: 'values',
    f: (v) => weigh(st.sparse.sparseFillEmptyRows([[2, 0], [0, 1], [2, 1]], v, [4, 2], 0.25).outputValues) },
  { op: 'raggedGather', shapes: [[5, 2]], options: 'dense values, a row twice',
    f: (v) => weigh(st.raggedGather([[0, 2, 2, 5]], v, [2, 0, 2], 1).outputDenseValues) },
];
