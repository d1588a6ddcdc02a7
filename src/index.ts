/**
 * striate: deep learning in TypeScript. `import * as st from 'striate'`.
 */
export { version } from './version.js';
export type { DType, TypedArray, MemoryInfo, Backend } from './backend/types.js';
export { setBackend, getBackendName as getBackend, registerBackend, setNumThreads, getNumThreads, ready } from './backend/registry.js';
export { convOutputSize, type PadSpec } from './backend/conv_info.js';
export * from './tensor/index.js';
export * from './autograd/index.js';
export * from './ops/index.js';
export * from './optim/index.js';
export * as initializers from './nn/initializers.js';
export * as regularizers from './nn/regularizers.js';
export * as constraints from './nn/constraints.js';
export * as metrics from './nn/metrics.js';
import './nn/transfer.js'; // adds featureExtractor/freezeUpTo to models
import './train/index.js'; // adds compile/fit/evaluate/predict/predictClasses/fitDataset to models
import { callbacks as trainingCallbacks } from './train/index.js';
import { modelCheckpoint } from './io/checkpoint.js';
/** fit callbacks: earlyStopping, reduceLROnPlateau, terminateOnNaN, csvLogger, modelCheckpoint */
export const callbacks = { ...trainingCallbacks, modelCheckpoint };
export * as io from './io/index.js';
export { loadLayersModel } from './io/save_load.js';
export { modelToConfig, modelFromConfig } from './nn/model_config.js';
export { serializeLayer, deserializeLayer, registerLayerClass } from './nn/serialization.js';
export {
  History, EarlyStopping, ReduceLROnPlateau, TerminateOnNaN, CSVLogger, BaseCallback, CallbackList,
  ProgressLogger, setProgressOutput, fitProgress,
} from './train/index.js';
export type {
  Callback, Logs, TrainingParams, CompileArgs, FitArgs, FitResumeState, FitDatasetArgs, EvaluateArgs, PredictArgs,
  LossIdentifier, MetricIdentifier, EarlyStoppingArgs, ReduceLROnPlateauArgs, CSVLoggerArgs, ProgressOutput,
} from './train/index.js';
export * from './nn/layer.js';
export { input, model, sequential, LayersModel, Sequential, InputLayer, type ModelArgs, type SequentialArgs, type InputArgs } from './nn/model.js';
export { layers } from './nn/layers/index.js';
export { loadBundledDigits, type Digits } from './data/mnist.js';
export { readIdx, loadIdxImages, type IdxFile, type IdxImages, type IdxSplit } from './data/idx.js';
/** data sets, splits, preprocessing, `Dataset` streams, augmentation: `st.data.*` */
export * as data from './data/index.js';
/** text to index sequences, as Keras' Tokenizer and pad_sequences: `st.text.Tokenizer`, `st.text.padSequences` */
export * as text from './data/text.js';
export {
  models, type DigitCnnArgs, type Lenet5Args, type MlpArgs, type ImageModelArgs, type AlexNetArgs, type VggArgs, type ResNetArgs,
  type InceptionV3Args, type TextCnnArgs, type LstmClassifierArgs, type LstmForecasterArgs,
} from './models/index.js';
export * as viz from './viz/index.js';
