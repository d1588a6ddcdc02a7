/** The model zoo: architectures from the seeds, each a function with options. */
import { digitCnn } from './digit_cnn.js';
import { lenet5 } from './lenet5.js';
import { mlp } from './mlp.js';
import { textCnn } from './text_cnn.js';
import { lstmClassifier } from './lstm_classifier.js';
import { lstmForecaster } from './lstm_forecaster.js';

export type { DigitCnnArgs } from './digit_cnn.js';
export type { Lenet5Args } from './lenet5.js';
export type { MlpArgs } from './mlp.js';
export type { TextCnnArgs } from './text_cnn.js';
export type { LstmClassifierArgs } from './lstm_classifier.js';
export type { LstmForecasterArgs } from './lstm_forecaster.js';
export const models = { digitCnn, lenet5, mlp, textCnn, lstmClassifier, lstmForecaster };
