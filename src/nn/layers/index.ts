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
  dense: (args: DenseArgs) => new Dense(args),
  activation: (args: ActivationArgs) => new Activation(args),
  dropout: (args: DropoutArgs) => new Dropout(args),
  flatten: (args?: LayerArgs) => new Flatten(args),
  reshape: (args: ReshapeArgs) => new Reshape(args),
  permute: (args: PermuteArgs) => new Permute(args),

  conv1d: (args: Conv1DArgs) => new Conv1D(args),
  conv2d: (args: ConvArgs) => new Conv2D(args),
  depthwiseConv2d: (args: DepthwiseConv2DArgs) => new DepthwiseConv2D(args),
  separableConv2d: (args: SeparableConv2DArgs) => new SeparableConv2D(args),
  conv2dTranspose: (args: ConvArgs) => new Conv2DTranspose(args),
  zeroPadding2d: (args?: ZeroPadding2DArgs) => new ZeroPadding2D(args),
  upSampling2d: (args?: UpSampling2DArgs) => new UpSampling2D(args),

  maxPooling1d: (args?: Pooling1DArgs) => new MaxPooling1D(args),
  maxPooling2d: (args?: Pooling2DArgs) => new MaxPooling2D(args),
  averagePooling1d: (args?: Pooling1DArgs) => new AveragePooling1D(args),
  averagePooling2d: (args?: Pooling2DArgs) => new AveragePooling2D(args),
  globalAveragePooling1d: (args?: GlobalPoolingArgs) => new GlobalAveragePooling1D(args),
  globalAveragePooling2d: (args?: GlobalPoolingArgs) => new GlobalAveragePooling2D(args),
  globalMaxPooling1d: (args?: GlobalPoolingArgs) => new GlobalMaxPooling1D(args),
  globalMaxPooling2d: (args?: GlobalPoolingArgs) => new GlobalMaxPooling2D(args),
  // TensorFlow.js' aliases
  maxPool1d: (args?: Pooling1DArgs) => new MaxPooling1D(args),
  maxPool2d: (args?: Pooling2DArgs) => new MaxPooling2D(args),
  avgPool1d: (args?: Pooling1DArgs) => new AveragePooling1D(args),
  avgPool2d: (args?: Pooling2DArgs) => new AveragePooling2D(args),
  avgPooling1d: (args?: Pooling1DArgs) => new AveragePooling1D(args),
  avgPooling2d: (args?: Pooling2DArgs) => new AveragePooling2D(args),
  globalAvgPool1d: (args?: GlobalPoolingArgs) => new GlobalAveragePooling1D(args),
  globalAvgPool2d: (args?: GlobalPoolingArgs) => new GlobalAveragePooling2D(args),
  globalMaxPool1d: (args?: GlobalPoolingArgs) => new GlobalMaxPooling1D(args),
  globalMaxPool2d: (args?: GlobalPoolingArgs) => new GlobalMaxPooling2D(args),

  batchNormalization: (args?: BatchNormalizationArgs) => new BatchNormalization(args),
  layerNormalization: (args?: LayerNormalizationArgs) => new LayerNormalization(args),
  embedding: (args: EmbeddingArgs) => new Embedding(args),

  add: (args?: LayerArgs) => new Add(args),
  subtract: (args?: LayerArgs) => new Subtract(args),
  multiply: (args?: LayerArgs) => new Multiply(args),
  average: (args?: LayerArgs) => new Average(args),
  maximum: (args?: LayerArgs) => new Maximum(args),
  minimum: (args?: LayerArgs) => new Minimum(args),
  concatenate: (args?: ConcatenateArgs) => new Concatenate(args),
};

// ---- conv3d area: 3-D convolution and pooling layers ----
export * from './convolutional3d.js';
import {
  AveragePooling3D, Conv3D, Conv3DTranspose, MaxPooling3D, type Pooling3DArgs,
} from './convolutional3d.js';
export const conv3dFactories = {
  conv3d: (args: ConvArgs) => new Conv3D(args),
  conv3dTranspose: (args: ConvArgs) => new Conv3DTranspose(args),
  maxPooling3d: (args?: Pooling3DArgs) => new MaxPooling3D(args),
  averagePooling3d: (args?: Pooling3DArgs) => new AveragePooling3D(args),
  // TensorFlow.js' aliases
  maxPool3d: (args?: Pooling3DArgs) => new MaxPooling3D(args),
  avgPool3d: (args?: Pooling3DArgs) => new AveragePooling3D(args),
  avgPooling3d: (args?: Pooling3DArgs) => new AveragePooling3D(args),
};

// ---- recurrent layers (simpleRNN, lstm, gru, bidirectional, timeDistributed) from ./recurrent.js and ./recurrent_wrappers.js ----
export const layers = {
  ...coreFactories, ...recurrentFactories, ...conv3dFactories, ...newLayerFactories, ...preprocessingFactories(),
  ...convRecurrentFactories,
};

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
/** Factories of the preprocessing layers (a hoisted function, so that `layers` above can spread it). */
function preprocessingFactories() {
  return {
    rescaling: (args: RescalingArgs) => new Rescaling(args),
    resizing: (args: ResizingArgs) => new Resizing(args),
    centerCrop: (args: CenterCropArgs) => new CenterCrop(args),
    randomWidth: (args: RandomWidthArgs) => new RandomWidth(args),
  };
}

// ---- convlstm: ConvLSTM2D and ConvLSTM2DCell (layers.convLstm2d, layers.convLstm2dCell) ----
import { convRecurrentFactories } from './conv_recurrent.js';
export * from './conv_recurrent.js';
