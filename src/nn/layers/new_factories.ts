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

/**
 * `layers.inputLayer({inputShape: [4]})`: an InputLayer, e.g. as the first layer of a sequential model.
 *
 * @example
 * ```ts
 * const model = st.sequential({ layers: [st.layers.inputLayer({ inputShape: [4] }), st.layers.dense({ units: 1 })] });
 * console.log(model.outputs[0].shape); // [null, 1]
 * ```
 */
function inputLayer(args: InputLayerArgs): InputLayer {
  if (args?.sparse) throw new Error('layers.inputLayer: sparse inputs are not supported; leave sparse false');
  if (args?.inputShape !== undefined && args.batchInputShape !== undefined) {
    throw new Error('layers.inputLayer: give inputShape or batchInputShape, not both');
  }
  const batchShape = args?.batchInputShape ?? (args?.inputShape ? [args.batchSize ?? null, ...args.inputShape] : undefined);
  return new InputLayer({ batchShape, name: args?.name, dtype: args?.dtype });
}

export const newLayerFactories = {
  /**
   * @example
   * ```ts
   * st.layers.reLU({ maxValue: 6 }).apply(st.tensor1d([-1, 3, 9])).print(); // [0, 3, 6]
   * ```
   */
  reLU: optionalFactory((a: ReLULayerArgs = {}) => new ReLU(a)),
  /**
   * @example
   * ```ts
   * st.layers.leakyReLU({ alpha: 0.1 }).apply(st.tensor1d([-1, 2])).print(); // [-0.1, 2]
   * ```
   */
  leakyReLU: optionalFactory((a: LeakyReLULayerArgs = {}) => new LeakyReLU(a)),
  /**
   * @example
   * ```ts
   * st.layers.elu().apply(st.tensor1d([-1, 2])).print();
   * ```
   */
  elu: optionalFactory((a: ELULayerArgs = {}) => new ELU(a)),
  /**
   * @example
   * ```ts
   * st.layers.softmax().apply(st.tensor2d([[1, 2, 3]])).print();
   * ```
   */
  softmax: optionalFactory((a: SoftmaxLayerArgs = {}) => new Softmax(a)),
  /**
   * @example
   * ```ts
   * st.layers.thresholdedReLU({ theta: 1 }).apply(st.tensor1d([0.5, 2])).print(); // [0, 2]
   * ```
   */
  thresholdedReLU: optionalFactory((a: ThresholdedReLULayerArgs = {}) => new ThresholdedReLU(a)),
  /**
   * @example
   * ```ts
   * st.layers.prelu({ alphaInitializer: st.initializers.constant({ value: 0.25 }) }).apply(st.tensor2d([[-4, 2]])).print(); // [[-1, 2]]
   * ```
   */
  prelu: optionalFactory((a: PReLULayerArgs = {}) => new PReLU(a)),

  /**
   * @example
   * ```ts
   * console.log(st.layers.repeatVector({ n: 3 }).apply(st.ones([2, 4])).shape); // [2, 3, 4]
   * ```
   */
  repeatVector: (a: RepeatVectorLayerArgs) => new RepeatVector(a),
  /**
   * @example
   * ```ts
   * const masked = st.layers.masking({ maskValue: 0 });
   * console.log(masked.apply(st.tensor3d([[[1], [0]]])).shape); // [1, 2, 1]; step 2 is masked for the layers after it
   * ```
   */
  masking: optionalFactory((a: MaskingArgs = {}) => new Masking(a)),
  /**
   * @example
   * ```ts
   * console.log(st.layers.spatialDropout1d({ rate: 0.5 }).apply(st.ones([1, 4, 3])).shape);
   * ```
   */
  spatialDropout1d: (a: SpatialDropout1DLayerConfig) => new SpatialDropout1D(a),
  /**
   * @example
   * ```ts
   * st.layers.gaussianNoise({ stddev: 0.1 }).apply(st.ones([1, 3])).print(); // no noise outside training
   * ```
   */
  gaussianNoise: (a: GaussianNoiseArgs) => new GaussianNoise(a),
  /**
   * @example
   * ```ts
   * st.layers.gaussianDropout({ rate: 0.2 }).apply(st.ones([1, 3])).print(); // the identity outside training
   * ```
   */
  gaussianDropout: (a: GaussianDropoutArgs) => new GaussianDropout(a),
  /**
   * @example
   * ```ts
   * st.layers.alphaDropout({ rate: 0.2 }).apply(st.ones([1, 3])).print(); // the identity outside training
   * ```
   */
  alphaDropout: (a: AlphaDropoutArgs) => new AlphaDropout(a),
  /**
   * @example
   * ```ts
   * st.layers.dot({ axes: 1 }).apply([st.tensor2d([[1, 2]]), st.tensor2d([[3, 4]])]).print(); // [[11]]
   * ```
   */
  dot: (a: DotLayerArgs) => new Dot(a),
  /**
   * @example
   * ```ts
   * console.log(st.layers.cropping2D({ cropping: [[1, 1], [1, 1]] }).apply(st.ones([1, 4, 4, 1])).shape); // [1, 2, 2, 1]
   * ```
   */
  cropping2D: (a: Cropping2DLayerArgs) => new Cropping2D(a),
  /**
   * @example
   * ```ts
   * st.layers.categoryEncoding({ numTokens: 4, outputMode: 'oneHot' }).apply(st.tensor1d([1, 3])).print();
   * ```
   */
  categoryEncoding: (a: CategoryEncodingArgs) => new CategoryEncoding(a),

  /**
   * @example
   * ```ts
   * const cell = st.layers.simpleRNNCell({ units: 4 });
   * console.log(st.layers.rnn({ cell }).apply(st.ones([2, 5, 3])).shape); // [2, 4]
   * ```
   */
  rnn: (a: RNNLayerArgs) => new RNN(a),
  /**
   * @example
   * ```ts
   * const rnn = st.layers.rnn({ cell: st.layers.simpleRNNCell({ units: 2 }), returnSequences: true });
   * console.log(rnn.apply(st.ones([1, 5, 3])).shape); // [1, 5, 2]
   * ```
   */
  simpleRNNCell: (a: SimpleRNNCellLayerArgs) => new SimpleRNNCell(a),
  /**
   * @example
   * ```ts
   * const rnn = st.layers.rnn({ cell: st.layers.lstmCell({ units: 2 }) });
   * console.log(rnn.apply(st.ones([1, 5, 3])).shape); // [1, 2]
   * ```
   */
  lstmCell: (a: LSTMCellLayerArgs) => new LSTMCell(a),
  /**
   * @example
   * ```ts
   * const rnn = st.layers.rnn({ cell: st.layers.gruCell({ units: 2 }) });
   * console.log(rnn.apply(st.ones([1, 5, 3])).shape); // [1, 2]
   * ```
   */
  gruCell: (a: GRUCellLayerArgs) => new GRUCell(a),
  /**
   * @example
   * ```ts
   * const cells = st.layers.stackedRNNCells({ cells: [st.layers.lstmCell({ units: 4 }), st.layers.lstmCell({ units: 2 })] });
   * console.log(st.layers.rnn({ cell: cells }).apply(st.ones([1, 5, 3])).shape); // [1, 2]
   * ```
   */
  stackedRNNCells: (a: StackedRNNCellsArgs) => new StackedRNNCells(a),
  /** the classes tfjs-layers puts on `tf.layers` (to subclass RNNCell, or test `instanceof RNN`) */
  RNN,
  RNNCell,

  /** `layers.input({shape})`: the same as `st.input` */
  input,
  inputLayer,
};
