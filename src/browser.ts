/**
 * striate for the browser: `import * as st from 'striate/browser'`. The same API as the main
 * entry (tensors, ops, autograd, layers, models, training, viz, `st.io`, `model.save` and
 * `loadLayersModel` with the browser's stores) without the parts that read or write files
 * (`st.io.fileSystem` and striate's file calls, IDX/CSV/image-folder loading, the bundled
 * digits, `st.node`), which import `node:` modules.
 * Await `st.ready()` once before the first op: the browser fetches the wasm kernels.
 */
export { version } from './version.js';
export type { DType, TypedArray, MemoryInfo, Backend } from './backend/types.js';
export {
  setBackend, getBackendName as getBackend, registerBackend, setNumThreads, getNumThreads, getWasmSimd, ready, backend, findBackend,
  findBackendFactory, removeBackend, backendReport, type BackendReport,
} from './backend/registry.js';
/** TensorFlow.js' helpers on shapes, typed arrays and strings: `st.util.shuffle`, `st.util.assert`, ... */
export * as util from './tensor/util.js';
/** assertions for tests, as TensorFlow.js' `tf.test_util` */
export * as test_util from './tensor/test_util.js';
export { version as version_core, version as version_layers } from './version.js';
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
/** fit callbacks: earlyStopping, reduceLROnPlateau, terminateOnNaN (csvLogger and modelCheckpoint write files) */
export { callbacks } from './train/index.js';
export { modelToConfig, modelFromConfig } from './nn/model_config.js';
export { serializeLayer, deserializeLayer, registerLayerClass } from './nn/serialization.js';
export {
  History, EarlyStopping, ReduceLROnPlateau, TerminateOnNaN, BaseCallback, CallbackList,
  ProgressLogger, setProgressOutput, fitProgress,
  Callback, CustomCallback, registerCallbackConstructor, nextFrame,
} from './train/index.js';
export type {
  CallbackHooks, CustomCallbackArgs, YieldEvery, EvaluateDatasetArgs, Logs, TrainingParams, CompileArgs, FitArgs, FitResumeState, FitDatasetArgs, EvaluateArgs, PredictArgs,
  LossIdentifier, MetricIdentifier, EarlyStoppingArgs, ReduceLROnPlateauArgs, ProgressOutput,
} from './train/index.js';
export * from './nn/layer.js';
export { input, model, sequential, LayersModel, Sequential, InputLayer, type ModelArgs, type SequentialArgs, type InputArgs } from './nn/model.js';
/** layer factories (`st.layers.dense(...)`) and `st.layers.Layer`, the base class of custom layers */
export { layers } from './nn/custom_layer.js';
/** tfjs-layers' top-level RNN class (also st.layers.RNN): a recurrent layer over any cell */
export { RNN } from './nn/layers/recurrent.js';
/** TensorFlow.js' `serialization`: registerClass for custom layers and other classes saved in model files */
export * as serialization from './tensor/serializable.js';
/** toy 2-D sets, splits, preprocessing, `Dataset` streams, augmentation: `st.data.*` */
export * as data from './data/portable.js';
/** text to index sequences, as Keras' Tokenizer and pad_sequences: `st.text.Tokenizer`, `st.text.padSequences` */
export * as text from './data/text.js';
export {
  models, type DigitCnnArgs, type Lenet5Args, type MlpArgs, type ImageModelArgs, type AlexNetArgs, type VggArgs, type ResNetArgs,
  type InceptionV3Args, type TextCnnArgs, type LstmClassifierArgs, type LstmForecasterArgs,
} from './models/index.js';
export * as viz from './viz/index.js';
/** model.save / loadLayersModel with localstorage://, indexeddb://, downloads://, http(s):// or an IO handler */
export { loadLayersModel, type SaveOptions, type SaveResult } from './io/save_load.js';
// ---- graph models (issue 17): TensorFlow.js' tfjs-converter API, inference only ----
export { loadGraphModel, loadGraphModelSync } from './io/graph_model_load.js';
export { GraphModel } from './graph/index.js';
/** a load handler over chosen files (model.json and its weight files), as tf.io.browserFiles */
export { browserFiles, type NamedBlob } from './io/browser_files.js';
export type { ModelArtifacts, IOHandler, IOHandlerSync, LoadHandler, SaveHandler } from './io/handlers.js';
/** TensorFlow.js' `tf.io` without the file system: handlers, routers, model stores, weight coding */
export * as io from './io/portable.js';
