/**
 * The option keys of every layer, in one table keyed by layer class, and the check that makes
 * `st.layers.*` factories refuse a key nobody reads:
 * `unknown option "untis" for layers.dense; did you mean "units"?`.
 *
 * The check sits on the factories only (what users call). Model files are rebuilt through the
 * classes (layer_registry.ts), whose configs may carry keys a newer Keras writes and striate has
 * no use for; those are ignored there, never refused.
 *
 * Each class's keys are what TensorFlow.js' layer args accept (tfjs-layers 4.22, checked by
 * test/errors/strict_options.test.ts against its .d.ts) plus striate's own extras. A few keys
 * TensorFlow.js accepts are read nowhere in striate; they are accepted and ignored, see
 * IGNORED_LAYER_OPTIONS.
 */
import { checkOptions } from '../../tensor/options.js';
import { INPUT_OPTIONS } from '../model.js';

/** the options every layer takes (the base LayerArgs) */
export const BASE_LAYER_OPTIONS = [
  'name', 'inputShape', 'batchInputShape', 'batchSize', 'trainable', 'dtype', 'weights', 'inputDType',
] as const;

/** Keys TensorFlow.js accepts that striate accepts and ignores (`Class.key`, `*` for every class), and why. */
export const IGNORED_LAYER_OPTIONS: Record<string, string> = {
  '*.activityRegularizer': 'activity regularization is not implemented',
  '*.dropoutFunc': 'a TensorFlow.js testing hook; striate draws its own dropout masks',
  'SimpleRNN.cell': 'simpleRNN/lstm/gru build their own cell (TensorFlow.js overrides this key too)',
  'LSTM.cell': 'as SimpleRNN.cell',
  'GRU.cell': 'as SimpleRNN.cell',
  'ConvLSTM2D.cell': 'as SimpleRNN.cell',
  'Flatten.dataFormat': 'striate is channels-last only, so the channelsFirst flattening order is not applied',
  'DepthwiseConv2D.kernelInitializer': 'its kernel uses depthwiseInitializer (as in TensorFlow.js); likewise kernelRegularizer/Constraint',
  'SeparableConv2D.kernelInitializer': 'its kernels use depthwise/pointwise initializers (as in TensorFlow.js)',
};

const ACTIVITY = ['activityRegularizer'];
const CONV = [
  'filters', 'kernelSize', 'strides', 'padding', 'dataFormat', 'dilationRate', 'groups', 'activation', 'useBias',
  'kernelInitializer', 'biasInitializer', 'kernelRegularizer', 'biasRegularizer', 'kernelConstraint', 'biasConstraint',
  ...ACTIVITY,
];
const DEPTHWISE = ['depthMultiplier', 'depthwiseInitializer', 'depthwiseRegularizer', 'depthwiseConstraint'];
const POOL = ['poolSize', 'strides', 'padding', 'dataFormat'];
const GLOBAL_POOL = ['keepDims', 'dataFormat'];
const CELL = [
  'units', 'activation', 'useBias', 'kernelInitializer', 'recurrentInitializer', 'biasInitializer', 'kernelRegularizer',
  'recurrentRegularizer', 'biasRegularizer', 'kernelConstraint', 'recurrentConstraint', 'biasConstraint', 'dropout',
  'recurrentDropout', 'implementation', 'seed', 'dropoutFunc',
];
const SEQUENCE = ['cell', 'returnSequences', 'returnState', 'goBackwards', 'stateful', 'unroll', 'inputDim', 'inputLength'];
const LSTM_EXTRA = ['recurrentActivation', 'unitForgetBias'];
const GRU_EXTRA = ['recurrentActivation', 'resetAfter'];
/** ConvLSTM2DCell's: the convolution's geometry, and an LSTM cell's options with filters for units */
const CONV_LSTM_CELL = [
  'filters', 'kernelSize', 'strides', 'padding', 'dataFormat', 'dilationRate', ...CELL.filter((k) => k !== 'units'), ...LSTM_EXTRA,
];

/** Each layer class's own option keys (the base keys are added to all). */
export const LAYER_OPTIONS: Record<string, readonly string[]> = {
  Dense: ['units', 'activation', 'useBias', 'kernelInitializer', 'biasInitializer', 'kernelRegularizer', 'biasRegularizer',
    'kernelConstraint', 'biasConstraint', 'inputDim', ...ACTIVITY],
  Activation: ['activation'],
  Dropout: ['rate', 'noiseShape', 'seed'],
  Flatten: ['dataFormat'],
  Reshape: ['targetShape'],
  Permute: ['dims'],
  RepeatVector: ['n'],
  Masking: ['maskValue'],
  SpatialDropout1D: ['rate', 'seed', 'noiseShape'],
  Embedding: ['inputDim', 'outputDim', 'embeddingsInitializer', 'embeddingsRegularizer', 'embeddingsConstraint', 'maskZero',
    'inputLength', ...ACTIVITY],

  Conv1D: CONV,
  Conv2D: CONV,
  Conv2DTranspose: CONV,
  Conv3D: CONV,
  Conv3DTranspose: CONV,
  DepthwiseConv2D: [...CONV.filter((k) => k !== 'filters' && k !== 'groups'), ...DEPTHWISE],
  SeparableConv2D: [...CONV.filter((k) => k !== 'groups'), ...DEPTHWISE, 'pointwiseInitializer', 'pointwiseRegularizer',
    'pointwiseConstraint'],
  ZeroPadding2D: ['padding', 'dataFormat'],
  UpSampling2D: ['size', 'interpolation', 'dataFormat'],
  Cropping2D: ['cropping', 'dataFormat'],

  MaxPooling1D: POOL, MaxPooling2D: POOL, MaxPooling3D: POOL,
  AveragePooling1D: POOL, AveragePooling2D: POOL, AveragePooling3D: POOL,
  GlobalAveragePooling1D: GLOBAL_POOL, GlobalAveragePooling2D: GLOBAL_POOL,
  GlobalMaxPooling1D: GLOBAL_POOL, GlobalMaxPooling2D: GLOBAL_POOL,

  BatchNormalization: ['axis', 'momentum', 'epsilon', 'center', 'scale', 'betaInitializer', 'gammaInitializer',
    'movingMeanInitializer', 'movingVarianceInitializer', 'betaRegularizer', 'gammaRegularizer', 'betaConstraint',
    'gammaConstraint'],
  LayerNormalization: ['axis', 'epsilon', 'center', 'scale', 'betaInitializer', 'gammaInitializer', 'betaRegularizer',
    'gammaRegularizer', 'betaConstraint', 'gammaConstraint'],

  Add: [], Subtract: [], Multiply: [], Average: [], Maximum: [], Minimum: [],
  Concatenate: ['axis'],
  Dot: ['axes', 'normalize'],

  ReLU: ['maxValue', 'negativeSlope', 'threshold'],
  LeakyReLU: ['alpha', 'negativeSlope'],
  ELU: ['alpha'],
  Softmax: ['axis'],
  ThresholdedReLU: ['theta'],
  PReLU: ['alphaInitializer', 'alphaRegularizer', 'alphaConstraint', 'sharedAxes'],

  GaussianNoise: ['stddev', 'seed'],
  GaussianDropout: ['rate', 'seed'],
  AlphaDropout: ['rate', 'noiseShape', 'seed'],
  CategoryEncoding: ['numTokens', 'outputMode', 'sparse'],

  RNN: SEQUENCE,
  SimpleRNN: [...CELL, ...SEQUENCE],
  LSTM: [...CELL, ...LSTM_EXTRA, ...SEQUENCE],
  GRU: [...CELL, ...GRU_EXTRA, ...SEQUENCE],
  SimpleRNNCell: CELL,
  LSTMCell: [...CELL, ...LSTM_EXTRA],
  GRUCell: [...CELL, ...GRU_EXTRA],
  StackedRNNCells: ['cells'],
  Bidirectional: ['layer', 'mergeMode', 'backwardLayer'],
  TimeDistributed: ['layer'],

  Rescaling: ['scale', 'offset'],
  Resizing: ['height', 'width', 'interpolation', 'cropToAspectRatio'],
  CenterCrop: ['height', 'width'],
  RandomWidth: ['factor', 'interpolation', 'seed', 'autoVectorize'],

  ConvLSTM2D: [...CONV_LSTM_CELL, ...SEQUENCE],
  ConvLSTM2DCell: CONV_LSTM_CELL,
};

/**
 * Factories whose options are not a layer's (no base keys): their full key lists.
 * `layers.input` is `st.input`; `layers.inputLayer` takes TensorFlow.js' InputLayerArgs.
 */
export const OTHER_FACTORY_OPTIONS: Record<string, readonly string[]> = {
  input: INPUT_OPTIONS,
  inputLayer: ['inputShape', 'batchSize', 'batchInputShape', 'dtype', 'sparse', 'name'],
};

/** Which class each `st.layers` factory builds (TensorFlow.js' aliases included). */
export const FACTORY_CLASSES: Record<string, string> = {
  dense: 'Dense', activation: 'Activation', dropout: 'Dropout', flatten: 'Flatten', reshape: 'Reshape', permute: 'Permute',
  repeatVector: 'RepeatVector', masking: 'Masking', spatialDropout1d: 'SpatialDropout1D', embedding: 'Embedding',
  conv1d: 'Conv1D', conv2d: 'Conv2D', conv2dTranspose: 'Conv2DTranspose', conv3d: 'Conv3D', conv3dTranspose: 'Conv3DTranspose',
  depthwiseConv2d: 'DepthwiseConv2D', separableConv2d: 'SeparableConv2D', zeroPadding2d: 'ZeroPadding2D',
  upSampling2d: 'UpSampling2D', cropping2D: 'Cropping2D',
  maxPooling1d: 'MaxPooling1D', maxPooling2d: 'MaxPooling2D', maxPooling3d: 'MaxPooling3D',
  averagePooling1d: 'AveragePooling1D', averagePooling2d: 'AveragePooling2D', averagePooling3d: 'AveragePooling3D',
  maxPool1d: 'MaxPooling1D', maxPool2d: 'MaxPooling2D', maxPool3d: 'MaxPooling3D',
  avgPool1d: 'AveragePooling1D', avgPool2d: 'AveragePooling2D', avgPool3d: 'AveragePooling3D',
  avgPooling1d: 'AveragePooling1D', avgPooling2d: 'AveragePooling2D', avgPooling3d: 'AveragePooling3D',
  globalAveragePooling1d: 'GlobalAveragePooling1D', globalAveragePooling2d: 'GlobalAveragePooling2D',
  globalMaxPooling1d: 'GlobalMaxPooling1D', globalMaxPooling2d: 'GlobalMaxPooling2D',
  globalAvgPool1d: 'GlobalAveragePooling1D', globalAvgPool2d: 'GlobalAveragePooling2D',
  globalMaxPool1d: 'GlobalMaxPooling1D', globalMaxPool2d: 'GlobalMaxPooling2D',
  batchNormalization: 'BatchNormalization', layerNormalization: 'LayerNormalization',
  add: 'Add', subtract: 'Subtract', multiply: 'Multiply', average: 'Average', maximum: 'Maximum', minimum: 'Minimum',
  concatenate: 'Concatenate', dot: 'Dot',
  reLU: 'ReLU', leakyReLU: 'LeakyReLU', elu: 'ELU', softmax: 'Softmax', thresholdedReLU: 'ThresholdedReLU', prelu: 'PReLU',
  gaussianNoise: 'GaussianNoise', gaussianDropout: 'GaussianDropout', alphaDropout: 'AlphaDropout',
  categoryEncoding: 'CategoryEncoding',
  rnn: 'RNN', simpleRNN: 'SimpleRNN', lstm: 'LSTM', gru: 'GRU', simpleRNNCell: 'SimpleRNNCell', lstmCell: 'LSTMCell',
  gruCell: 'GRUCell', stackedRNNCells: 'StackedRNNCells', bidirectional: 'Bidirectional', timeDistributed: 'TimeDistributed',
  rescaling: 'Rescaling', resizing: 'Resizing', centerCrop: 'CenterCrop', randomWidth: 'RandomWidth',
  convLstm2d: 'ConvLSTM2D', convLstm2dCell: 'ConvLSTM2DCell',
};

/** All keys a factory accepts, or undefined for a name not in the tables. */
export function factoryOptionKeys(factory: string): readonly string[] | undefined {
  if (factory in OTHER_FACTORY_OPTIONS) return OTHER_FACTORY_OPTIONS[factory];
  const cls = FACTORY_CLASSES[factory];
  return cls === undefined ? undefined : [...BASE_LAYER_OPTIONS, ...LAYER_OPTIONS[cls]];
}

/**
 * The factories with their options checked first. Classes (RNN, RNNCell, Layer) pass through
 * untouched, and so does a factory without a row (test/errors/strict_options.test.ts fails on one,
 * rather than the whole library failing to load).
 */
export function strictLayerFactories<T extends Record<string, unknown>>(factories: T): T {
  const out: Record<string, unknown> = {};
  for (const [name, f] of Object.entries(factories)) {
    const isFactory = typeof f === 'function' && /^[a-z]/.test(name);
    if (!isFactory) {
      out[name] = f;
      continue;
    }
    const known = factoryOptionKeys(name);
    if (!known) {
      out[name] = f;
      continue;
    }
    const build = f as (args?: unknown) => unknown;
    out[name] = Object.assign((args?: unknown) => {
      checkOptions(`layers.${name}`, args, known);
      return build(args);
    }, { optionKeys: known });
  }
  return out as T;
}
