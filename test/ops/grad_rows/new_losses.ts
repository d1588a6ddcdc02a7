/** Gradient rows (float64, finite differences) for the losses ops added for TensorFlow.js parity. */
import * as st from '../../../src/index.js';
import type { GradRow } from './row.js';

export const lossGradRows: GradRow[] = [
];
