/**
 * TensorFlow.js-style factories for the layers added with tfjs-layers parity: `layers.reLU()`,
 * `layers.repeatVector({n: 3})`, `layers.rnn({cell: layers.lstmCell({units: 8})})`, ...
 * Their option keys are checked by st.layers from the table in layer_options.ts
 * (`unknown option "maxvalue" for layers.reLU; did you mean "maxValue"?`); the classes
 * themselves also read model files, whose configs carry more keys.
 */
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

/** A factory for a layer whose options all have defaults (`layers.reLU()`); st.layers checks the keys (layer_options.ts). */
function optionalFactory<A extends object, L>(build: (args: A) => L): (args?: A) => L {
  return (args?: A) => build((args ?? {}) as A);
}

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
  if (args?.sparse) throw new Error('layers.inputLayer: sparse inputs are not supported; leave sparse false');
  if (args?.inputShape !== undefined && args.batchInputShape !== undefined) {
    throw new Error('layers.inputLayer: give inputShape or batchInputShape, not both');
  }
  const batchShape = args?.batchInputShape ?? (args?.inputShape ? [args.batchSize ?? null, ...args.inputShape] : undefined);
  return new InputLayer({ batchShape, name: args?.name, dtype: args?.dtype });
}

export const newLayerFactories = {
  reLU: optionalFactory((a: ReLULayerArgs = {}) => new ReLU(a)),
  leakyReLU: optionalFactory((a: LeakyReLULayerArgs = {}) => new LeakyReLU(a)),
  elu: optionalFactory((a: ELULayerArgs = {}) => new ELU(a)),
  softmax: optionalFactory((a: SoftmaxLayerArgs = {}) => new Softmax(a)),
  thresholdedReLU: optionalFactory((a: ThresholdedReLULayerArgs = {}) => new ThresholdedReLU(a)),
  prelu: optionalFactory((a: PReLULayerArgs = {}) => new PReLU(a)),

  repeatVector: (a: RepeatVectorLayerArgs) => new RepeatVector(a),
  masking: optionalFactory((a: MaskingArgs = {}) => new Masking(a)),
  spatialDropout1d: (a: SpatialDropout1DLayerConfig) => new SpatialDropout1D(a),
  gaussianNoise: (a: GaussianNoiseArgs) => new GaussianNoise(a),
  gaussianDropout: (a: GaussianDropoutArgs) => new GaussianDropout(a),
  alphaDropout: (a: AlphaDropoutArgs) => new AlphaDropout(a),
  dot: (a: DotLayerArgs) => new Dot(a),
  cropping2D: (a: Cropping2DLayerArgs) => new Cropping2D(a),
  categoryEncoding: (a: CategoryEncodingArgs) => new CategoryEncoding(a),

  rnn: (a: RNNLayerArgs) => new RNN(a),
  simpleRNNCell: (a: SimpleRNNCellLayerArgs) => new SimpleRNNCell(a),
  lstmCell: (a: LSTMCellLayerArgs) => new LSTMCell(a),
  gruCell: (a: GRUCellLayerArgs) => new GRUCell(a),
  stackedRNNCells: (a: StackedRNNCellsArgs) => new StackedRNNCells(a),
  /** the classes tfjs-layers puts on `tf.layers` (to subclass RNNCell, or test `instanceof RNN`) */
  RNN,
  RNNCell,

  /** `layers.input({shape})`: the same as `st.input` */
  input,
  inputLayer,
};
