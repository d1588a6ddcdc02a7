/** Gradient rows (float64, finite differences) for the conv ops added for TensorFlow.js parity. */
import * as st from '../../../src/index.js';
import type { GradRow } from './row.js';

export const convGradRows: GradRow[] = [
];
