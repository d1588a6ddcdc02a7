/** The model zoo: architectures from the seeds, each a function with options. */
import { digitCnn } from './digit_cnn.js';
import { lenet5 } from './lenet5.js';
import { mlp } from './mlp.js';
import { fineTune, logisticRegression } from './transfer.js';
import { alexnet } from './alexnet.js';
import { vgg16, vgg19 } from './vgg.js';
import { resnet18, resnet50 } from './resnet.js';
import { inceptionV3 } from './inception_v3.js';
import { textCnn } from './text_cnn.js';
import { lstmClassifier } from './lstm_classifier.js';
import { lstmForecaster } from './lstm_forecaster.js';

export type { DigitCnnArgs } from './digit_cnn.js';
export type { Lenet5Args } from './lenet5.js';
export type { MlpArgs } from './mlp.js';
export type { FineTuneArgs, LogisticRegressionArgs } from './transfer.js';
export type { AlexNetArgs } from './alexnet.js';
export type { VggArgs } from './vgg.js';
export type { ResNetArgs } from './resnet.js';
export type { InceptionV3Args } from './inception_v3.js';
export type { ImageModelArgs } from './image_model.js';
export type { TextCnnArgs } from './text_cnn.js';
export type { LstmClassifierArgs } from './lstm_classifier.js';
export type { LstmForecasterArgs } from './lstm_forecaster.js';
import { modelFromJSON } from '../nn/model_from_json.js';

/**
 * `st.models`: ready-made networks (digit CNN, LeNet-5, MLPs, VGG, ResNet, Inception, text and
 * sequence models), transfer learning, and TensorFlow.js' `models.modelFromJSON`.
 * @namespace
 */
export const models = {
  /** TensorFlow.js' models.modelFromJSON: a model from a topology, fresh weights */
  modelFromJSON,
  digitCnn, lenet5, mlp, alexnet, vgg16, vgg19, resnet18, resnet50, inceptionV3, textCnn, lstmClassifier, lstmForecaster,
  logisticRegression, fineTune,
};
