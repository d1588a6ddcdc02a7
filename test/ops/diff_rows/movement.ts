/** Differential rows (striate vs TensorFlow.js) for the movement ops. */
import * as st from '../../../src/index.js';
import * as tf from '@tensorflow/tfjs-core';
import type { DiffRow } from './row.js';

export const movementDiffRows: DiffRow[] = [
];
