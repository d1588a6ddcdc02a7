/** Gradient rows (float64, finite differences) for core ops widened to TensorFlow.js' signatures. */
import * as st from '../../../src/index.js';
import type { GradRow } from './row.js';

const idx = (values: number[], shape: number[]) => st.tensor(values, shape, 'int32');

export const coreGradRows: GradRow[] = [
  { op: 'addN', shapes: [[2, 3], [2, 3], [2, 3]], f: (a, b, c) => st.addN([a, b, c.mul(a)]) },
  { op: 'gather', options: 'axis 1, batchDims 1', shapes: [[2, 3, 4]], f: (x) => st.gather(x, idx([0, 2, 2, 1, 1], [1, 5]).tile([2, 1]), 1, 1) },
  { op: 'gather', options: 'axis 2, batchDims 1', shapes: [[2, 3, 4, 2]], f: (x) => st.gather(x, idx([3, 0, 3, 1, 2, 2], [2, 3]), 2, 1) },
  { op: 'gather', options: 'axis 2, batchDims 2', shapes: [[2, 3, 4]], f: (x) => st.gather(x, idx([0, 1, 2, 3, 3, 3, 0, 0, 1, 2, 1, 1], [2, 3, 2]), 2, 2) },
];
