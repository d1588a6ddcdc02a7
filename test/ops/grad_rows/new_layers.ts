/** Gradient rows (float64, finite differences) for the ops extended for the new layers (elu's alpha). */
import * as st from '../../../src/index.js';
import { testTensor } from '../../helpers.js';
import type { GradRow } from './row.js';

/** values away from elu's kink at 0, where finite differences straddle two slopes */
const offKink = (shape: number[]) => testTensor(shape, 3, (v) => (v >= 0 ? v + 0.1 : v - 0.1)).mul(2);

export const layerGradRows: GradRow[] = [
  { op: 'elu', shapes: [[2, 5]], options: 'alpha 0.5', f: (a) => st.elu(a, 0.5), inputs: () => [offKink([2, 5])] },
  { op: 'elu', shapes: [[3, 2]], options: 'alpha 2.5', f: (a) => st.elu(a, 2.5), inputs: () => [offKink([3, 2])] },
];
