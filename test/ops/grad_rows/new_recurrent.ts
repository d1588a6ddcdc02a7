/** Gradient-table rows: the recurrent area's whole-sequence LSTM (every output, final states included). */
import * as st from '../../../src/index.js';
import type { GradRow } from './row.js';

/** The outputs and both final states of lstmSequence side by side, so one check covers all three. */
const all = (mask?: st.Tensor) => (xp: st.Tensor, h: st.Tensor, c: st.Tensor, k: st.Tensor): st.Tensor => {
  const [ys, hT, cT] = st.lstmSequence(xp, h, c, k, mask);
  return st.concat([ys.reshape([-1]), hT.reshape([-1]), cT.reshape([-1])]);
};

export const recurrentGradRows: GradRow[] = [
  { op: 'lstmSequence', shapes: [[2, 3, 8], [2, 2], [2, 2], [2, 8]], options: 'outputs and final states', f: all() },
  { op: 'lstmSequence', shapes: [[1, 1, 4], [1, 1], [1, 1], [1, 4]], options: 'one step, one unit', f: all() },
  {
    op: 'lstmSequence', shapes: [[3, 4, 12], [3, 3], [3, 3], [3, 12]],
    options: 'mask: padding first, in the middle and last',
    f: all(st.tensor([[0, 1, 1, 0], [1, 0, 1, 1], [0, 0, 1, 1]], [3, 4], 'bool')),
  },
];
