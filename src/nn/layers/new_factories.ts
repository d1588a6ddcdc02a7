/**
 * TensorFlow.js-style factories for the layers added with tfjs-layers parity: `layers.reLU()`,
 * `layers.repeatVector({n: 3})`, `layers.rnn({cell: layers.lstmCell({units: 8})})`, ...
 * A factory is where a user's options object arrives, so each checks its keys
 * (`unknown option "maxvalue" for layers.reLU; did you mean "maxValue"?`); the classes
 * themselves also read model files, whose configs carry more keys.
 */
import { checkOptions } from '../../tensor/options.js';
import { InputLayer, input } from '../model.js';
import type { Shape } from '../layer.js';
import type { DType } from '../../backend/types.js';
import {
  ELU, LeakyReLU, PReLU, ReLU, Softmax, ThresholdedReLU,
  type ELULayerArgs, type LeakyReLULayerArgs, type PReLULayerArgs, type ReLULayerArgs, type SoftmaxLayerArgs,
  type ThresholdedReLULayerArgs,
} from './advanced_activations.js';
import { Masking, RepeatVector, SpatialDropout1D, type MaskingArgs, type RepeatVectorLayerArgs, type SpatialDropout1DLayerConfig } from './core_extra.js';
import {
  AlphaDropout, GaussianDropout, GaussianNoise, type AlphaDropoutArgs, type GaussianDropoutArgs, type GaussianNoiseArgs,
} from './noise.js';
import { Dot, type DotLayerArgs } from './dot.js';
import { Cropping2D, type Cropping2DLayerArgs } from './cropping.js';
import { CategoryEncoding, type CategoryEncodingArgs } from './category_encoding.js';
import {
  GRUCell, LSTMCell, RNNCell, SimpleRNNCell, StackedRNNCells,
  type GRUCellLayerArgs, type LSTMCellLayerArgs, type SimpleRNNCellLayerArgs, type StackedRNNCellsArgs,
} from './rnn_cells.js';
import { RNN, type RNNLayerArgs } from './recurrent.js';

/** the options every layer takes */
export const BASE_LAYER_OPTIONS = ['name', 'inputShape', 'batchInputShape', 'batchSize', 'trainable', 'dtype'] as const;

/** A factory that checks its options object against the layer's keys, then builds the layer. */
function factory<A extends object, L>(name: string, keys: readonly string[], build: (args: A) => L): (args: A) => L {
  const known = [...BASE_LAYER_OPTIONS, ...keys];
  return (args: A) => {
    checkOptions(`layers.${name}`, args, known);
    return build(args);
  };
}

/** The same, for layers whose every option has a default (`layers.reLU()`). */
function optionalFactory<A extends object, L>(name: string, keys: readonly string[], build: (args: A) => L): (args?: A) => L {
  const make = factory(name, keys, build);
  return (args?: A) => make((args ?? {}) as A);
}

/** what simpleRNNCell, lstmCell and gruCell share */
const CELL_OPTIONS = [
  'units', 'activation', 'useBias', 'kernelInitializer', 'recurrentInitializer', 'biasInitializer', 'kernelRegularizer',
  'recurrentRegularizer', 'biasRegularizer', 'kernelConstraint', 'recurrentConstraint', 'biasConstraint', 'dropout',
  'recurrentDropout', 'implementation', 'seed',
];

export interface InputLayerArgs {
  /** one sample's shape (no batch) */
  inputShape?: number[];
  batchSize?: number;
  /** the shape with the batch dimension (null for any) */
  batchInputShape?: Shape;
  dtype?: DType;
  /** TensorFlow.js' sparse input flag; only false is supported */
  sparse?: boolean;
  name?: string;
}

/** `layers.inputLayer({inputShape: [4]})`: an InputLayer, e.g. as the first layer of a sequential model. */
function inputLayer(args: InputLayerArgs): InputLayer {
  checkOptions('layers.inputLayer', args, ['inputShape', 'batchSize', 'batchInputShape', 'dtype', 'sparse', 'name']);
  if (args?.sparse) throw new Error('layers.inputLayer: sparse inputs are not supported; leave sparse false');
  if (args?.inputShape !== undefined && args.batchInputShape !== undefined) {
    throw new Error('layers.inputLayer: give inputShape or batchInputShape, not both');
  }
  const batchShape = args?.batchInputShape ?? (args?.inputShape ? [args.batchSize ?? null, ...args.inputShape] : undefined);
  return new InputLayer({ batchShape, name: args?.name, dtype: args?.dtype });
}

export const newLayerFactories = {
  reLU: optionalFactory('reLU', ['maxValue', 'negativeSlope', 'threshold'], (a: ReLULayerArgs = {}) => new ReLU(a)),
  leakyReLU: optionalFactory('leakyReLU', ['alpha', 'negativeSlope'], (a: LeakyReLULayerArgs = {}) => new LeakyReLU(a)),
  elu: optionalFactory('elu', ['alpha'], (a: ELULayerArgs = {}) => new ELU(a)),
  softmax: optionalFactory('softmax', ['axis'], (a: SoftmaxLayerArgs = {}) => new Softmax(a)),
  thresholdedReLU: optionalFactory('thresholdedReLU', ['theta'], (a: ThresholdedReLULayerArgs = {}) => new ThresholdedReLU(a)),
  prelu: optionalFactory('prelu', ['alphaInitializer', 'alphaRegularizer', 'alphaConstraint', 'sharedAxes'],
    (a: PReLULayerArgs = {}) => new PReLU(a)),

  repeatVector: factory('repeatVector', ['n'], (a: RepeatVectorLayerArgs) => new RepeatVector(a)),
  masking: optionalFactory('masking', ['maskValue'], (a: MaskingArgs = {}) => new Masking(a)),
  spatialDropout1d: factory('spatialDropout1d', ['rate', 'seed', 'noiseShape'],
    (a: SpatialDropout1DLayerConfig) => new SpatialDropout1D(a)),
  gaussianNoise: factory('gaussianNoise', ['stddev', 'seed'], (a: GaussianNoiseArgs) => new GaussianNoise(a)),
  gaussianDropout: factory('gaussianDropout', ['rate', 'seed'], (a: GaussianDropoutArgs) => new GaussianDropout(a)),
  alphaDropout: factory('alphaDropout', ['rate', 'noiseShape', 'seed'], (a: AlphaDropoutArgs) => new AlphaDropout(a)),
  dot: factory('dot', ['axes', 'normalize'], (a: DotLayerArgs) => new Dot(a)),
  cropping2D: factory('cropping2D', ['cropping', 'dataFormat'], (a: Cropping2DLayerArgs) => new Cropping2D(a)),
  categoryEncoding: factory('categoryEncoding', ['numTokens', 'outputMode', 'sparse'],
    (a: CategoryEncodingArgs) => new CategoryEncoding(a)),

  rnn: factory('rnn', ['cell', 'returnSequences', 'returnState', 'goBackwards', 'stateful', 'unroll', 'inputDim', 'inputLength'],
    (a: RNNLayerArgs) => new RNN(a)),
  simpleRNNCell: factory('simpleRNNCell', CELL_OPTIONS, (a: SimpleRNNCellLayerArgs) => new SimpleRNNCell(a)),
  lstmCell: factory('lstmCell', [...CELL_OPTIONS, 'recurrentActivation', 'unitForgetBias'],
    (a: LSTMCellLayerArgs) => new LSTMCell(a)),
  gruCell: factory('gruCell', [...CELL_OPTIONS, 'recurrentActivation', 'resetAfter'], (a: GRUCellLayerArgs) => new GRUCell(a)),
  stackedRNNCells: factory('stackedRNNCells', ['cells'], (a: StackedRNNCellsArgs) => new StackedRNNCells(a)),
  /** the classes tfjs-layers puts on `tf.layers` (to subclass RNNCell, or test `instanceof RNN`) */
  RNN,
  RNNCell,

  /** `layers.input({shape})`: the same as `st.input` */
  input,
  inputLayer,
};
