/**
 * The layers, as classes and as TensorFlow.js-style factories: `layers.dense({units: 10})`,
 * `layers.conv2d({filters: 8, kernelSize: 5})`, `layers.maxPooling2d({poolSize: 2})`, ...
 */
import { Dense, type DenseArgs } from './dense.js';
import {
  Activation, Dropout, Flatten, Permute, Reshape,
  type ActivationArgs, type DropoutArgs, type PermuteArgs, type ReshapeArgs,
} from './core.js';
import {
  Conv1D, Conv2D, Conv2DTranspose, DepthwiseConv2D, SeparableConv2D, UpSampling2D, ZeroPadding2D,
  type Conv1DArgs, type ConvArgs, type DepthwiseConv2DArgs, type SeparableConv2DArgs, type UpSampling2DArgs,
  type ZeroPadding2DArgs,
} from './convolutional.js';
import {
  AveragePooling1D, AveragePooling2D, GlobalAveragePooling1D, GlobalAveragePooling2D, GlobalMaxPooling1D,
  GlobalMaxPooling2D, MaxPooling1D, MaxPooling2D,
  type GlobalPoolingArgs, type Pooling1DArgs, type Pooling2DArgs,
} from './pooling.js';
import {
  BatchNormalization, LayerNormalization, type BatchNormalizationArgs, type LayerNormalizationArgs,
} from './normalization.js';
import { Embedding, type EmbeddingArgs } from './embedding.js';
import { Add, Average, Concatenate, Maximum, Minimum, Multiply, Subtract, type ConcatenateArgs } from './merge.js';
import { recurrentFactories } from './recurrent_wrappers.js';
import type { LayerArgs } from '../layer.js';
import { strictLayerFactories } from './layer_options.js';
export * from './layer_options.js';

export * from './dense.js';
export * from './core.js';
export * from './convolutional.js';
export * from './pooling.js';
export * from './normalization.js';
export * from './embedding.js';
export * from './merge.js';
export * from './recurrent.js';
export * from './recurrent_wrappers.js';

/** Factories for the non-recurrent layers (the recurrent ones are spread in below). */
export const coreFactories = {
  /**
   * @example
   * ```ts
   * const layer = st.layers.dense({ units: 3, activation: 'relu', inputShape: [4] });
   * console.log(layer.apply(st.ones([2, 4])).shape); // [2, 3]
   * ```
   */
  dense: (args: DenseArgs) => new Dense(args),
  /**
   * @example
   * ```ts
   * st.layers.activation({ activation: 'relu' }).apply(st.tensor2d([[-1, 2]])).print(); // [[0, 2]]
   * ```
   */
  activation: (args: ActivationArgs) => new Activation(args),
  /**
   * @example
   * ```ts
   * const layer = st.layers.dropout({ rate: 0.5 });
   * layer.apply(st.ones([1, 4])).print(); // the identity outside training
   * ```
   */
  dropout: (args: DropoutArgs) => new Dropout(args),
  /**
   * @example
   * ```ts
   * console.log(st.layers.flatten().apply(st.ones([2, 3, 4])).shape); // [2, 12]
   * ```
   */
  flatten: (args?: LayerArgs) => new Flatten(args),
  /**
   * @example
   * ```ts
   * console.log(st.layers.reshape({ targetShape: [2, 3] }).apply(st.ones([4, 6])).shape); // [4, 2, 3]
   * ```
   */
  reshape: (args: ReshapeArgs) => new Reshape(args),
  /**
   * @example
   * ```ts
   * console.log(st.layers.permute({ dims: [2, 1] }).apply(st.ones([1, 2, 3])).shape); // [1, 3, 2]
   * ```
   */
  permute: (args: PermuteArgs) => new Permute(args),

  /**
   * @example
   * ```ts
   * console.log(st.layers.conv1d({ filters: 4, kernelSize: 3 }).apply(st.ones([1, 10, 2])).shape); // [1, 8, 4]
   * ```
   */
  conv1d: (args: Conv1DArgs) => new Conv1D(args),
  /**
   * @example
   * ```ts
   * const conv = st.layers.conv2d({ filters: 8, kernelSize: 3, padding: 'same', activation: 'relu' });
   * console.log(conv.apply(st.ones([1, 28, 28, 1])).shape); // [1, 28, 28, 8]
   * ```
   */
  conv2d: (args: ConvArgs) => new Conv2D(args),
  /**
   * @example
   * ```ts
   * console.log(st.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2 }).apply(st.ones([1, 5, 5, 3])).shape); // [1, 3, 3, 6]
   * ```
   */
  depthwiseConv2d: (args: DepthwiseConv2DArgs) => new DepthwiseConv2D(args),
  /**
   * @example
   * ```ts
   * console.log(st.layers.separableConv2d({ filters: 4, kernelSize: 3 }).apply(st.ones([1, 5, 5, 3])).shape); // [1, 3, 3, 4]
   * ```
   */
  separableConv2d: (args: SeparableConv2DArgs) => new SeparableConv2D(args),
  /**
   * @example
   * ```ts
   * console.log(st.layers.conv2dTranspose({ filters: 2, kernelSize: 2, strides: 2 }).apply(st.ones([1, 4, 4, 3])).shape); // [1, 8, 8, 2]
   * ```
   */
  conv2dTranspose: (args: ConvArgs) => new Conv2DTranspose(args),
  /**
   * @example
   * ```ts
   * console.log(st.layers.zeroPadding2d({ padding: 1 }).apply(st.ones([1, 2, 2, 1])).shape); // [1, 4, 4, 1]
   * ```
   */
  zeroPadding2d: (args?: ZeroPadding2DArgs) => new ZeroPadding2D(args),
  /**
   * @example
   * ```ts
   * console.log(st.layers.upSampling2d({ size: [2, 2] }).apply(st.ones([1, 2, 2, 1])).shape); // [1, 4, 4, 1]
   * ```
   */
  upSampling2d: (args?: UpSampling2DArgs) => new UpSampling2D(args),

  /**
   * @example
   * ```ts
   * console.log(st.layers.maxPooling1d({ poolSize: 2 }).apply(st.ones([1, 6, 3])).shape); // [1, 3, 3]
   * ```
   */
  maxPooling1d: (args?: Pooling1DArgs) => new MaxPooling1D(args),
  /**
   * @example
   * ```ts
   * console.log(st.layers.maxPooling2d({ poolSize: 2 }).apply(st.ones([1, 28, 28, 8])).shape); // [1, 14, 14, 8]
   * ```
   */
  maxPooling2d: (args?: Pooling2DArgs) => new MaxPooling2D(args),
  /**
   * @example
   * ```ts
   * console.log(st.layers.averagePooling1d({ poolSize: 2 }).apply(st.ones([1, 6, 3])).shape); // [1, 3, 3]
   * ```
   */
  averagePooling1d: (args?: Pooling1DArgs) => new AveragePooling1D(args),
  /**
   * @example
   * ```ts
   * console.log(st.layers.averagePooling2d({ poolSize: 2 }).apply(st.ones([1, 4, 4, 1])).shape); // [1, 2, 2, 1]
   * ```
   */
  averagePooling2d: (args?: Pooling2DArgs) => new AveragePooling2D(args),
  /**
   * @example
   * ```ts
   * console.log(st.layers.globalAveragePooling1d().apply(st.ones([2, 6, 3])).shape); // [2, 3]
   * ```
   */
  globalAveragePooling1d: (args?: GlobalPoolingArgs) => new GlobalAveragePooling1D(args),
  /**
   * @example
   * ```ts
   * console.log(st.layers.globalAveragePooling2d({}).apply(st.ones([2, 4, 4, 3])).shape); // [2, 3]
   * ```
   */
  globalAveragePooling2d: (args?: GlobalPoolingArgs) => new GlobalAveragePooling2D(args),
  /**
   * @example
   * ```ts
   * console.log(st.layers.globalMaxPooling1d().apply(st.ones([2, 6, 3])).shape); // [2, 3]
   * ```
   */
  globalMaxPooling1d: (args?: GlobalPoolingArgs) => new GlobalMaxPooling1D(args),
  /**
   * @example
   * ```ts
   * console.log(st.layers.globalMaxPooling2d({}).apply(st.ones([2, 4, 4, 3])).shape); // [2, 3]
   * ```
   */
  globalMaxPooling2d: (args?: GlobalPoolingArgs) => new GlobalMaxPooling2D(args),
  // TensorFlow.js' aliases
  /**
   * @example
   * ```ts
   * console.log(st.layers.maxPool1d({ poolSize: 3 }).apply(st.ones([1, 6, 1])).shape); // [1, 2, 1]
   * ```
   */
  maxPool1d: (args?: Pooling1DArgs) => new MaxPooling1D(args),
  /**
   * @example
   * ```ts
   * console.log(st.layers.maxPool2d({ poolSize: 2 }).apply(st.ones([1, 4, 4, 1])).shape); // [1, 2, 2, 1]
   * ```
   */
  maxPool2d: (args?: Pooling2DArgs) => new MaxPooling2D(args),
  /**
   * @example
   * ```ts
   * console.log(st.layers.avgPool1d({ poolSize: 2 }).apply(st.ones([1, 6, 1])).shape); // [1, 3, 1]
   * ```
   */
  avgPool1d: (args?: Pooling1DArgs) => new AveragePooling1D(args),
  /**
   * @example
   * ```ts
   * console.log(st.layers.avgPool2d({ poolSize: 2 }).apply(st.ones([1, 4, 4, 1])).shape); // [1, 2, 2, 1]
   * ```
   */
  avgPool2d: (args?: Pooling2DArgs) => new AveragePooling2D(args),
  /**
   * @example
   * ```ts
   * console.log(st.layers.avgPooling1d({ poolSize: 2 }).apply(st.ones([1, 6, 1])).shape); // [1, 3, 1]
   * ```
   */
  avgPooling1d: (args?: Pooling1DArgs) => new AveragePooling1D(args),
  /**
   * @example
   * ```ts
   * console.log(st.layers.avgPooling2d({ poolSize: 2 }).apply(st.ones([1, 4, 4, 1])).shape); // [1, 2, 2, 1]
   * ```
   */
  avgPooling2d: (args?: Pooling2DArgs) => new AveragePooling2D(args),
  /**
   * @example
   * ```ts
   * console.log(st.layers.globalAvgPool1d().apply(st.ones([1, 6, 2])).shape); // [1, 2]
   * ```
   */
  globalAvgPool1d: (args?: GlobalPoolingArgs) => new GlobalAveragePooling1D(args),
  /**
   * @example
   * ```ts
   * console.log(st.layers.globalAvgPool2d({}).apply(st.ones([1, 4, 4, 2])).shape); // [1, 2]
   * ```
   */
  globalAvgPool2d: (args?: GlobalPoolingArgs) => new GlobalAveragePooling2D(args),
  /**
   * @example
   * ```ts
   * console.log(st.layers.globalMaxPool1d().apply(st.ones([1, 6, 2])).shape); // [1, 2]
   * ```
   */
  globalMaxPool1d: (args?: GlobalPoolingArgs) => new GlobalMaxPooling1D(args),
  /**
   * @example
   * ```ts
   * console.log(st.layers.globalMaxPool2d({}).apply(st.ones([1, 4, 4, 2])).shape); // [1, 2]
   * ```
   */
  globalMaxPool2d: (args?: GlobalPoolingArgs) => new GlobalMaxPooling2D(args),

  /**
   * @example
   * ```ts
   * const bn = st.layers.batchNormalization();
   * console.log(bn.apply(st.ones([2, 3])).shape); // [2, 3]
   * ```
   */
  batchNormalization: (args?: BatchNormalizationArgs) => new BatchNormalization(args),
  /**
   * @example
   * ```ts
   * st.layers.layerNormalization().apply(st.tensor2d([[1, 2, 3]])).print(); // zero mean, unit variance per row
   * ```
   */
  layerNormalization: (args?: LayerNormalizationArgs) => new LayerNormalization(args),
  /**
   * @example
   * ```ts
   * const emb = st.layers.embedding({ inputDim: 10, outputDim: 4 });
   * console.log(emb.apply(st.tensor2d([[1, 2, 3]])).shape); // [1, 3, 4]
   * ```
   */
  embedding: (args: EmbeddingArgs) => new Embedding(args),

  /**
   * @example
   * ```ts
   * st.layers.add().apply([st.ones([1, 2]), st.ones([1, 2])]).print(); // [[2, 2]]
   * ```
   */
  add: (args?: LayerArgs) => new Add(args),
  /**
   * @example
   * ```ts
   * st.layers.subtract().apply([st.ones([1, 2]), st.ones([1, 2])]).print(); // [[0, 0]]
   * ```
   */
  subtract: (args?: LayerArgs) => new Subtract(args),
  /**
   * @example
   * ```ts
   * st.layers.multiply().apply([st.fill([1, 2], 3), st.fill([1, 2], 2)]).print(); // [[6, 6]]
   * ```
   */
  multiply: (args?: LayerArgs) => new Multiply(args),
  /**
   * @example
   * ```ts
   * st.layers.average().apply([st.fill([1, 2], 3), st.fill([1, 2], 1)]).print(); // [[2, 2]]
   * ```
   */
  average: (args?: LayerArgs) => new Average(args),
  /**
   * @example
   * ```ts
   * st.layers.maximum().apply([st.tensor2d([[1, 5]]), st.tensor2d([[3, 2]])]).print(); // [[3, 5]]
   * ```
   */
  maximum: (args?: LayerArgs) => new Maximum(args),
  /**
   * @example
   * ```ts
   * st.layers.minimum().apply([st.tensor2d([[1, 5]]), st.tensor2d([[3, 2]])]).print(); // [[1, 2]]
   * ```
   */
  minimum: (args?: LayerArgs) => new Minimum(args),
  /**
   * @example
   * ```ts
   * console.log(st.layers.concatenate().apply([st.ones([1, 2]), st.ones([1, 3])]).shape); // [1, 5]
   * ```
   */
  concatenate: (args?: ConcatenateArgs) => new Concatenate(args),
};

// ---- conv3d area: 3-D convolution and pooling layers ----
export * from './convolutional3d.js';
import {
  AveragePooling3D, Conv3D, Conv3DTranspose, MaxPooling3D, type Pooling3DArgs,
} from './convolutional3d.js';
export const conv3dFactories = {
  /**
   * @example
   * ```ts
   * console.log(st.layers.conv3d({ filters: 2, kernelSize: 3 }).apply(st.ones([1, 4, 4, 4, 1])).shape); // [1, 2, 2, 2, 2]
   * ```
   */
  conv3d: (args: ConvArgs) => new Conv3D(args),
  /**
   * @example
   * ```ts
   * console.log(st.layers.conv3dTranspose({ filters: 1, kernelSize: 2, strides: 2 }).apply(st.ones([1, 2, 2, 2, 1])).shape); // [1, 4, 4, 4, 1]
   * ```
   */
  conv3dTranspose: (args: ConvArgs) => new Conv3DTranspose(args),
  /**
   * @example
   * ```ts
   * console.log(st.layers.maxPooling3d({ poolSize: 2 }).apply(st.ones([1, 4, 4, 4, 1])).shape); // [1, 2, 2, 2, 1]
   * ```
   */
  maxPooling3d: (args?: Pooling3DArgs) => new MaxPooling3D(args),
  /**
   * @example
   * ```ts
   * console.log(st.layers.averagePooling3d({ poolSize: 2 }).apply(st.ones([1, 4, 4, 4, 1])).shape); // [1, 2, 2, 2, 1]
   * ```
   */
  averagePooling3d: (args?: Pooling3DArgs) => new AveragePooling3D(args),
  // TensorFlow.js' aliases
  /**
   * @example
   * ```ts
   * console.log(st.layers.maxPool3d({ poolSize: 2 }).apply(st.ones([1, 2, 2, 2, 1])).shape); // [1, 1, 1, 1, 1]
   * ```
   */
  maxPool3d: (args?: Pooling3DArgs) => new MaxPooling3D(args),
  /**
   * @example
   * ```ts
   * console.log(st.layers.avgPool3d({ poolSize: 2 }).apply(st.ones([1, 2, 2, 2, 1])).shape); // [1, 1, 1, 1, 1]
   * ```
   */
  avgPool3d: (args?: Pooling3DArgs) => new AveragePooling3D(args),
  /**
   * @example
   * ```ts
   * console.log(st.layers.avgPooling3d({ poolSize: 2 }).apply(st.ones([1, 2, 2, 2, 1])).shape); // [1, 1, 1, 1, 1]
   * ```
   */
  avgPooling3d: (args?: Pooling3DArgs) => new AveragePooling3D(args),
};

// ---- recurrent layers (simpleRNN, lstm, gru, bidirectional, timeDistributed) from ./recurrent.js and ./recurrent_wrappers.js ----
// every factory checks its options against its row in ./layer_options.ts (model files go through the classes instead)
export const layers = strictLayerFactories({
  ...coreFactories, ...recurrentFactories, ...conv3dFactories, ...newLayerFactories, ...preprocessingFactories(),
  ...convRecurrentFactories,
});

// ---- newlayers: activation layers, core extras, noise, dot, cropping, category encoding, cells, input ----
import { newLayerFactories } from './new_factories.js';
export * from './advanced_activations.js';
export * from './core_extra.js';
export * from './noise.js';
export * from './dot.js';
export * from './cropping.js';
export * from './category_encoding.js';
export * from './rnn_cells.js';
export { newLayerFactories };

// ---- image preprocessing layers (rescaling, resizing, centerCrop, randomWidth) ----
import {
  CenterCrop, RandomWidth, Rescaling, Resizing,
  type CenterCropArgs, type RandomWidthArgs, type RescalingArgs, type ResizingArgs,
} from './preprocessing.js';
export * from './preprocessing.js';
/** TensorFlow.js declares these layers' arguments optional, but each needs some: say so plainly. */
function requiredArgs<T>(factory: string, args: T | undefined): T {
  if (args === undefined || args === null) throw new Error(`layers.${factory}: expected an options object (its size or scale), got ${args}`);
  return args;
}

/** Factories of the preprocessing layers (a hoisted function, so that `layers` above can spread it). */
function preprocessingFactories() {
  return {
    /**
     * @example
     * ```ts
     * st.layers.rescaling({ scale: 1 / 255 }).apply(st.tensor2d([[0, 255]])).print(); // [[0, 1]]
     * ```
     */
    rescaling: (args?: RescalingArgs) => new Rescaling(requiredArgs('rescaling', args)),
    /**
     * @example
     * ```ts
     * console.log(st.layers.resizing({ height: 8, width: 8 }).apply(st.ones([1, 4, 4, 3])).shape); // [1, 8, 8, 3]
     * ```
     */
    resizing: (args?: ResizingArgs) => new Resizing(requiredArgs('resizing', args)),
    /**
     * @example
     * ```ts
     * console.log(st.layers.centerCrop({ height: 2, width: 2 }).apply(st.ones([1, 4, 4, 1])).shape); // [1, 2, 2, 1]
     * ```
     */
    centerCrop: (args?: CenterCropArgs) => new CenterCrop(requiredArgs('centerCrop', args)),
    /**
     * @example
     * ```ts
     * const layer = st.layers.randomWidth({ factor: 0.2, seed: 1 });
     * console.log(layer.apply(st.ones([1, 4, 10, 1])).shape); // the identity outside training
     * ```
     */
    randomWidth: (args: RandomWidthArgs) => new RandomWidth(args),
  };
}

// ---- convlstm: ConvLSTM2D and ConvLSTM2DCell (layers.convLstm2d, layers.convLstm2dCell) ----
import { convRecurrentFactories } from './conv_recurrent.js';
export * from './conv_recurrent.js';

// ---- keraslayers: Keras' Normalization preprocessing layer (read from Keras files) ----
export * from './normalization_preprocessing.js';
