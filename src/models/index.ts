/** The model zoo: architectures from the seeds, each a function with options. */
import { digitCnn } from './digit_cnn.js';
import { lenet5 } from './lenet5.js';
import { mlp } from './mlp.js';
import { fineTune, logisticRegression } from './transfer.js';

export type { DigitCnnArgs } from './digit_cnn.js';
export type { Lenet5Args } from './lenet5.js';
export type { MlpArgs } from './mlp.js';
export type { FineTuneArgs, LogisticRegressionArgs } from './transfer.js';
export const models = { digitCnn, lenet5, mlp, logisticRegression, fineTune };
