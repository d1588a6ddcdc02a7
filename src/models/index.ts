/** The model zoo: architectures from the seeds, each a function with options. */
import { digitCnn } from './digit_cnn.js';

export type { DigitCnnArgs } from './digit_cnn.js';
export const models = { digitCnn };
