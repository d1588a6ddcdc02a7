/** Gradient-table rows: the recurrent area's whole-sequence LSTM, GRU and SimpleRNN (every output, final states included). */
import * as st from '../../../src/index.js';
import type { GradRow } from './row.js';

/** The outputs and both final states of lstmSequence side by side, so one check covers all three. */
const all = (mask?: st.Tensor, drop?: st.Tensor) => (xp: st.Tensor, h: st.Tensor, c: st.Tensor, k: st.Tensor): st.Tensor => {
  const [ys, hT, cT] = st.lstmSequence(xp, h, c, k, mask, drop);
  return st.concat([ys.reshape([-1]), hT.reshape([-1]), cT.reshape([-1])]);
};

const flat = ([ys, h]: st.Tensor[]): st.Tensor => st.concat([ys.reshape([-1]), h.reshape([-1])]);

const simple = (act: 'tanh' | 'relu' | 'linear', mask?: st.Tensor, drop?: st.Tensor) =>
  (xp: st.Tensor, h: st.Tensor, k: st.Tensor): st.Tensor => flat(st.simpleRnnSequence(xp, h, k, mask, drop, act));

const gru = (resetAfter: boolean, mask?: st.Tensor, drop?: st.Tensor) => (xp: st.Tensor, h: st.Tensor, k: st.Tensor, b?: st.Tensor): st.Tensor =>
  flat(st.gruSequence(xp, h, k, b ?? null, resetAfter, mask, drop));

const mask3x4 = () => st.tensor([[0, 1, 1, 0], [1, 0, 1, 1], [0, 0, 1, 1]], [3, 4], 'bool');
/** a recurrent dropout mask [3, 3]: some units dropped, the rest scaled by 1 / (1 - 0.5) */
const drop3 = () => st.tensor([[2, 0, 2], [0, 2, 2], [2, 2, 0]], [3, 3], 'float64');

export const recurrentGradRows: GradRow[] = [
  { op: 'lstmSequence', shapes: [[2, 3, 8], [2, 2], [2, 2], [2, 8]], options: 'outputs and final states', f: all() },
  { op: 'lstmSequence', shapes: [[1, 1, 4], [1, 1], [1, 1], [1, 4]], options: 'one step, one unit', f: all() },
  {
    op: 'lstmSequence', shapes: [[3, 4, 12], [3, 3], [3, 3], [3, 12]],
    options: 'mask: padding first, in the middle and last',
    f: all(mask3x4()),
  },
  {
    op: 'lstmSequence', shapes: [[3, 4, 12], [3, 3], [3, 3], [3, 12]], options: 'mask and recurrent dropout',
    f: all(mask3x4(), drop3()),
  },
  // ---- whole-sequence SimpleRNN and GRU ----
  { op: 'simpleRnnSequence', shapes: [[2, 3, 3], [2, 3], [3, 3]], options: 'tanh', f: simple('tanh') },
  { op: 'simpleRnnSequence', shapes: [[1, 1, 1], [1, 1], [1, 1]], options: 'one step, one unit', f: simple('tanh') },
  { op: 'simpleRnnSequence', shapes: [[2, 3, 3], [2, 3], [3, 3]], options: 'relu', f: simple('relu') },
  { op: 'simpleRnnSequence', shapes: [[3, 4, 3], [3, 3], [3, 3]], options: 'linear, mask, recurrent dropout',
    f: simple('linear', mask3x4(), drop3()) },
  { op: 'simpleRnnSequence', shapes: [[3, 4, 3], [3, 3], [3, 3]], options: 'tanh, mask, recurrent dropout',
    f: simple('tanh', mask3x4(), drop3()) },
  { op: 'gruSequence', shapes: [[2, 3, 6], [2, 2], [2, 6], [6]], options: 'resetAfter, recurrent bias', f: gru(true) },
  { op: 'gruSequence', shapes: [[2, 3, 6], [2, 2], [2, 6]], options: 'resetAfter, no bias', f: gru(true) },
  { op: 'gruSequence', shapes: [[2, 3, 6], [2, 2], [2, 6]], options: 'reset before the product', f: gru(false) },
  { op: 'gruSequence', shapes: [[1, 1, 3], [1, 1], [1, 3], [3]], options: 'one step, one unit', f: gru(true) },
  { op: 'gruSequence', shapes: [[3, 4, 9], [3, 3], [3, 9], [9]], options: 'resetAfter, mask, recurrent dropout',
    f: gru(true, mask3x4(), drop3()) },
  { op: 'gruSequence', shapes: [[3, 4, 9], [3, 3], [3, 9]], options: 'reset before, mask, recurrent dropout',
    f: gru(false, mask3x4(), drop3()) },
];
