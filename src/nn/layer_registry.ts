/**
 * Every layer class striate can rebuild from a model file, under the class name Keras and
 * TensorFlow.js write. Wrappers rebuild the layer they wrap first.
 */
import * as L from './layers/index.js';
import { InputLayer } from './model.js';
import type { Layer, Shape } from './layer.js';
import { deserializeLayer, registerLayerClass, type ClassConfig } from './serialization.js';

type Args = Record<string, unknown>;
type Ctor = new (args: never) => Layer;

const plain: Record<string, Ctor> = {
  Dense: L.Dense, Activation: L.Activation, Dropout: L.Dropout, Flatten: L.Flatten, Reshape: L.Reshape,
  Permute: L.Permute, Conv1D: L.Conv1D, Conv2D: L.Conv2D, DepthwiseConv2D: L.DepthwiseConv2D,
  SeparableConv2D: L.SeparableConv2D, Conv2DTranspose: L.Conv2DTranspose, ZeroPadding2D: L.ZeroPadding2D,
  UpSampling2D: L.UpSampling2D, MaxPooling1D: L.MaxPooling1D, MaxPooling2D: L.MaxPooling2D,
  AveragePooling1D: L.AveragePooling1D, AveragePooling2D: L.AveragePooling2D,
  GlobalAveragePooling1D: L.GlobalAveragePooling1D, GlobalAveragePooling2D: L.GlobalAveragePooling2D,
  GlobalMaxPooling1D: L.GlobalMaxPooling1D, GlobalMaxPooling2D: L.GlobalMaxPooling2D,
  BatchNormalization: L.BatchNormalization, LayerNormalization: L.LayerNormalization, Embedding: L.Embedding,
  Add: L.Add, Subtract: L.Subtract, Multiply: L.Multiply, Average: L.Average, Maximum: L.Maximum,
  Minimum: L.Minimum, Concatenate: L.Concatenate, SimpleRNN: L.SimpleRNN, LSTM: L.LSTM, GRU: L.GRU,
  // image preprocessing
  Rescaling: L.Rescaling, Resizing: L.Resizing, CenterCrop: L.CenterCrop, RandomWidth: L.RandomWidth,
};
// Keras' short aliases, as some Python-written files use them
const aliases: Record<string, string> = {
  MaxPool1D: 'MaxPooling1D', MaxPool2D: 'MaxPooling2D', AvgPool1D: 'AveragePooling1D', AvgPool2D: 'AveragePooling2D',
  GlobalAvgPool1D: 'GlobalAveragePooling1D', GlobalAvgPool2D: 'GlobalAveragePooling2D',
  GlobalMaxPool1D: 'GlobalMaxPooling1D', GlobalMaxPool2D: 'GlobalMaxPooling2D',
};

for (const [name, C] of Object.entries(plain)) registerLayerClass(name, (args) => new C(args as never));
for (const [alias, name] of Object.entries(aliases)) registerLayerClass(alias, (args) => new plain[name](args as never));

registerLayerClass('InputLayer', (args: Args) => new InputLayer({
  name: args.name as string, dtype: args.dtype as never,
  batchShape: (args.batchInputShape ?? args.batchShape) as Shape,
}));

function inner(args: Args, who: string): Layer {
  return deserializeLayer(args.layer as ClassConfig, `${who} "${String(args.name)}"`);
}

registerLayerClass('Bidirectional', (args: Args) =>
  new L.Bidirectional({ ...args, layer: inner(args, 'Bidirectional') as L.RNN, backwardLayer: undefined } as L.BidirectionalArgs));
registerLayerClass('TimeDistributed', (args: Args) =>
  new L.TimeDistributed({ ...args, layer: inner(args, 'TimeDistributed') } as L.TimeDistributedArgs));

// ---- conv3d area: 3-D convolution and pooling layers, and Keras' short pooling aliases ----
for (const [name, C] of Object.entries({
  Conv3D: L.Conv3D, Conv3DTranspose: L.Conv3DTranspose, MaxPooling3D: L.MaxPooling3D, AveragePooling3D: L.AveragePooling3D,
  MaxPool3D: L.MaxPooling3D, AvgPool3D: L.AveragePooling3D,
} as Record<string, Ctor>)) {
  registerLayerClass(name, (args) => new C(args as never));
}

// ---- newlayers: activation layers, core extras, noise, dot, cropping, category encoding, RNN and cells ----
const newPlain: Record<string, Ctor> = {
  ReLU: L.ReLU, LeakyReLU: L.LeakyReLU, ELU: L.ELU, Softmax: L.Softmax, ThresholdedReLU: L.ThresholdedReLU, PReLU: L.PReLU,
  RepeatVector: L.RepeatVector, Masking: L.Masking, SpatialDropout1D: L.SpatialDropout1D, GaussianNoise: L.GaussianNoise,
  GaussianDropout: L.GaussianDropout, AlphaDropout: L.AlphaDropout, Dot: L.Dot, Cropping2D: L.Cropping2D,
  CategoryEncoding: L.CategoryEncoding, SimpleRNNCell: L.SimpleRNNCell, LSTMCell: L.LSTMCell, GRUCell: L.GRUCell,
};
for (const [name, C] of Object.entries(newPlain)) registerLayerClass(name, (args) => new C(args as never));

function innerCells(list: unknown, who: string): L.RNNCell[] {
  if (!Array.isArray(list)) throw new Error(`${who}: expected "cells" to be a list of cell configs, got ${JSON.stringify(list)}`);
  return list.map((c) => deserializeLayer(c as ClassConfig, who) as L.RNNCell);
}

registerLayerClass('StackedRNNCells', (args: Args) =>
  new L.StackedRNNCells({ ...args, cells: innerCells(args.cells, `StackedRNNCells "${String(args.name)}"`) }));
// TensorFlow.js writes the cell's options flat beside `cell` too; the cell's own config is what counts
registerLayerClass('RNN', (args: Args) => {
  const who = `RNN "${String(args.name)}"`;
  if (args.cell === undefined) throw new Error(`${who}: the config has no "cell"`);
  const cell = deserializeLayer(args.cell as ClassConfig, who) as L.RNNCell;
  const keep = ['name', 'trainable', 'dtype', 'batchInputShape', 'returnSequences', 'returnState', 'goBackwards', 'stateful', 'unroll'];
  return new L.RNN({ ...Object.fromEntries(keep.filter((k) => k in args).map((k) => [k, args[k]])), cell } as L.RNNLayerArgs);
});

// ---- convlstm: ConvLSTM2D and its cell, under the class names Keras and TensorFlow.js write ----
registerLayerClass('ConvLSTM2D', (args: Args) => new L.ConvLSTM2D(args as unknown as L.ConvLSTM2DArgs));
registerLayerClass('ConvLSTM2DCell', (args: Args) => new L.ConvLSTM2DCell(args as unknown as L.ConvLSTM2DCellArgs));

// ---- keraslayers: classes Keras files have and TensorFlow.js lacks ----
registerLayerClass('Normalization', (args: Args) => new L.Normalization(args as L.NormalizationArgs));
