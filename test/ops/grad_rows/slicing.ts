/** Gradient-table rows: slice, gather, concat, stack, unstack, split, tile, pad, reverse. */
import * as st from '../../../src/index.js';
import { testTensor } from '../../helpers.js';
import type { GradRow } from './row.js';

/** weights the output so that every position of the result matters differently */
const weigh = (y: st.Tensor, seed = 9) => y.mul(testTensor([...y.shape], seed));

export const slicingRows: GradRow[] = [
  { op: 'slice', shapes: [[3, 4]], options: 'begin [1, 1], size [2, -1]', f: (a) => weigh(st.slice(a, [1, 1], [2, -1])) },
  { op: 'slice', shapes: [[2, 3, 4]], options: 'begin 1 (number)', f: (a) => weigh(st.slice(a, 1)) },
  { op: 'stridedSlice', shapes: [[5, 4]], options: 'strides [2, -3]', f: (a) => weigh(st.stridedSlice(a, [0, -1], [5, 0], [2, -3])) },
  { op: 'stridedSlice', shapes: [[3, 4]], options: 'shrink axis 0, masks', f: (a) => weigh(st.stridedSlice(a, [1, 1], [0, 0], [1, 1], 0, 2, 0, 0, 1)) },
  { op: 'gather', shapes: [[5, 3]], options: 'repeated indices [4, 0, 4, 2, 4]', f: (a) => weigh(st.gather(a, [4, 0, 4, 2, 4])) },
  { op: 'gather', shapes: [[2, 4, 3]], options: 'axis 1, 2-D indices with repeats', f: (a) => weigh(st.gather(a, st.tensor([[1, 1], [3, 0]], undefined, 'int32'), 1)) },
  { op: 'gather', shapes: [[3, 4]], options: 'gathered twice (grad of scatterAdd)', f: (a) => weigh(st.gather(st.gather(a, [2, 2, 0], 1), [1, 1], 0)) },
  { op: 'concat', shapes: [[2, 3], [1, 3], [3, 3]], options: 'axis 0, three inputs', f: (a, b, c) => weigh(st.concat([a, b, c], 0)) },
  { op: 'concat', shapes: [[2, 1], [2, 3], [2, 2]], options: 'axis 1, three inputs', f: (a, b, c) => weigh(st.concat([a, b, c], 1)) },
  { op: 'concat', shapes: [[2, 2], [2, 2]], options: 'same tensor twice, axis -1', f: (a) => weigh(st.concat([a, a.mul(a)], -1)), inputs: () => [testTensor([2, 2])] },
  { op: 'stack', shapes: [[2, 3], [2, 3]], options: 'axis 0', f: (a, b) => weigh(st.stack([a, b])) },
  { op: 'stack', shapes: [[2, 3], [2, 3], [2, 3]], options: 'axis 2', f: (a, b, c) => weigh(st.stack([a, b, c], 2)) },
  { op: 'unstack', shapes: [[3, 4]], options: 'axis 1, outputs combined', f: (a) => { const [p, q, r, s] = st.unstack(a, 1); return p.mul(q).add(r.mul(2)).sub(s.square()); } },
  { op: 'unstack', shapes: [[3, 2]], options: 'axis 0, one output unused', f: (a) => { const [p, , r] = st.unstack(a); return weigh(p.mul(r)); } },
  { op: 'split', shapes: [[6, 2]], options: '3 equal parts', f: (a) => { const [p, q, r] = st.split(a, 3); return p.mul(q).add(r.mul(3)); } },
  { op: 'split', shapes: [[2, 6]], options: 'sizes [1, -1, 2] axis 1', f: (a) => { const [p, q, r] = st.split(a, [1, -1, 2], 1); return st.sum(q.mul(p), 1).add(st.sum(r.square(), 1)); } },
  { op: 'tile', shapes: [[2, 3]], options: 'reps [2, 3]', f: (a) => weigh(st.tile(a, [2, 3])) },
  { op: 'tile', shapes: [[3]], options: 'reps [4]', f: (a) => weigh(st.tile(a, [4])) },
  { op: 'tile', shapes: [[2, 1, 2]], options: 'reps [1, 3, 2]', f: (a) => weigh(st.tile(a, [1, 3, 2])) },
  { op: 'pad', shapes: [[2, 3]], options: '[[1, 2], [0, 1]], value 0.5', f: (a) => weigh(st.pad(a, [[1, 2], [0, 1]], 0.5)) },
  { op: 'pad', shapes: [[2, 2, 2]], options: '[[0, 0], [2, 0], [1, 1]]', f: (a) => weigh(st.pad(a, [[0, 0], [2, 0], [1, 1]])) },
  { op: 'reverse', shapes: [[3, 4]], options: 'axis 1', f: (a) => weigh(st.reverse(a, 1)) },
  { op: 'reverse', shapes: [[2, 3, 2]], options: 'all axes', f: (a) => weigh(st.reverse(a)) },
];
