/** Gradient rows (float64, finite differences) for the spectral ops added for TensorFlow.js parity. */
import * as st from '../../../src/index.js';
import type { GradRow } from './row.js';

export const spectralGradRows: GradRow[] = [
];
