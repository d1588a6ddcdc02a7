/**
 * Every layer class TensorFlow.js' layers loader reads (its serialization registry), each in a
 * small model saved by TensorFlow.js' own save path — the converter's format: snake_case configs,
 * batch_input_shape, keras_version, initializer/regularizer/constraint objects, inbound_nodes as
 * nested lists — loaded by TensorFlow.js and by striate, predictions compared to 1e-5.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { ready, tf, tfl } from '../io/tfjs_interop.js';
import {
  bothLoadAndAgree, compareOutputs, floatInput, intInput, loadStriate, loadTfjs, scrambleTfjs, striatePredict, tfjsArtifacts,
  type Input,
} from './keras_files_helpers.js';

interface Case {
  /** the classes the model's file names (besides InputLayer and the model class) */
  classes: string[];
  what: string;
  build: () => tfl.LayersModel;
  inputs: Input[];
  tol?: number;
  /** weights left as TensorFlow.js initialises them (e.g. layers without weights) */
  keepWeights?: boolean;
  /**
   * Where TensorFlow.js loads the file but cannot predict it right, the expected outputs computed
   * with TensorFlow.js' ops from the model's weights, and why.
   */
  reference?: { why: string; predict: (model: tfl.LayersModel, inputs: Input[]) => Outputs };
}

type Outputs = { shape: number[]; data: ArrayLike<number> }[];
const asOutputs = (t: tf.Tensor): Outputs => [{ shape: [...t.shape], data: t.dataSync() }];
const tensorOf = (i: Input): tf.Tensor => tf.tensor(i.data, i.shape, i.dtype ?? 'float32');

const L = tfl.layers;
const linearIn = (inputShape: number[]): tfl.layers.Layer => L.reshape({ targetShape: inputShape, inputShape });
const seq = (layers: tfl.layers.Layer[]): tfl.LayersModel => tfl.sequential({ layers });

/** a functional model with two inputs of the same shape, joined by `merge` */
function twoInputs(shape: number[], merge: tfl.layers.Layer, after?: tfl.layers.Layer): tfl.LayersModel {
  const a = tfl.input({ shape });
  const b = tfl.input({ shape });
  let y = merge.apply([a, b]) as tfl.SymbolicTensor;
  if (after) y = after.apply(y) as tfl.SymbolicTensor;
  return tfl.model({ inputs: [a, b], outputs: y });
}

const img = (h: number, w: number, c: number, seed = 1): Input => floatInput([2, h, w, c], seed);
const vol = (d: number, h: number, w: number, c: number): Input => floatInput([2, d, h, w, c], 5);
const steps = (t: number, f: number, seed = 3): Input => floatInput([2, t, f], seed);
const flat = (n: number, seed = 7): Input => floatInput([3, n], seed);

// (TensorFlow.js registers gelu_new but its Activation layer cannot look it up; a hand-written file covers it)
const activations = ['elu', 'hardSigmoid', 'linear', 'relu', 'relu6', 'selu', 'sigmoid', 'softmax', 'logSoftmax',
  'softplus', 'softsign', 'tanh', 'swish', 'mish', 'gelu'] as const;

const cases: Case[] = [
  // ---- core
  { classes: ['Dense'], what: 'Dense with a kernel regularizer, constraint and bias',
    build: () => seq([L.dense({ units: 4, inputShape: [5], activation: 'tanh', kernelRegularizer: 'l1l2',
      kernelConstraint: 'maxNorm', biasInitializer: 'randomNormal' })]), inputs: [flat(5)] },
  ...activations.map((a): Case => ({ classes: ['Activation'], what: `Activation ${a}`,
    build: () => seq([L.dense({ units: 6, inputShape: [4] }), L.activation({ activation: a as never })]), inputs: [flat(4)] })),
  { classes: ['Dropout', 'AlphaDropout', 'GaussianDropout', 'GaussianNoise', 'SpatialDropout1D'],
    what: 'noise and dropout layers (identity when predicting)',
    build: () => seq([L.dropout({ rate: 0.3, inputShape: [4, 3] }), L.alphaDropout({ rate: 0.2 }),
      L.gaussianDropout({ rate: 0.2 }), L.gaussianNoise({ stddev: 0.5 }), L.spatialDropout1d({ rate: 0.2 })]),
    inputs: [steps(4, 3)], keepWeights: true },
  { classes: ['Flatten', 'Reshape', 'Permute', 'RepeatVector'], what: 'shape layers',
    build: () => seq([L.flatten({ inputShape: [2, 3, 2] }), L.repeatVector({ n: 2 }), L.reshape({ targetShape: [4, 6] }),
      L.permute({ dims: [2, 1] })]), inputs: [img(2, 3, 2)], keepWeights: true },
  { classes: ['Masking', 'LSTM'], what: 'Masking before an LSTM (masked steps skipped)',
    build: () => seq([L.masking({ maskValue: 0, inputShape: [5, 3] }), L.lstm({ units: 4 })]),
    inputs: [{ shape: [2, 5, 3], data: Float32Array.from({ length: 30 }, (_, i) => (i % 9 < 3 ? 0 : Math.sin(i))) }] },
  { classes: ['Embedding', 'GlobalAveragePooling1D'], what: 'Embedding',
    build: () => seq([L.embedding({ inputDim: 10, outputDim: 4, inputLength: 5 }), L.globalAveragePooling1d()]),
    inputs: [intInput([3, 5], 2, 10)] },
  // (TensorFlow.js' CategoryEncoding and CenterCrop overwrite the shape array they are given with
  // their output shape, so the model's input goes through a Reshape first, whose output array is its own)
  { classes: ['CategoryEncoding'], what: 'CategoryEncoding multi_hot and count',
    build: () => seq([linearIn([4]), L.categoryEncoding({ numTokens: 6, outputMode: 'multiHot' }),
      L.dense({ units: 3 })]), inputs: [{ ...intInput([3, 4], 4, 6), dtype: 'float32' }] },
  { classes: ['CategoryEncoding'], what: 'CategoryEncoding count',
    build: () => seq([linearIn([4]), L.categoryEncoding({ numTokens: 6, outputMode: 'count' })]),
    inputs: [{ ...intInput([3, 4], 4, 6), dtype: 'float32' }], keepWeights: true },

  // ---- merges
  ...(['add', 'average', 'maximum', 'minimum', 'multiply'] as const).map((m): Case => ({
    classes: [m[0].toUpperCase() + m.slice(1)], what: `merge ${m}`,
    build: () => twoInputs([3], (L[m] as () => tfl.layers.Layer)()), inputs: [flat(3), flat(3, 8)], keepWeights: true })),
  { classes: ['Concatenate', 'Dense'], what: 'Concatenate on axis 1 of 3-D inputs',
    build: () => twoInputs([2, 3], L.concatenate({ axis: 1 }), L.dense({ units: 2 })), inputs: [steps(2, 3), steps(2, 3, 9)] },
  { classes: ['Dot'], what: 'Dot with normalize',
    build: () => twoInputs([4], L.dot({ axes: 1, normalize: true })), inputs: [flat(4), flat(4, 8)], keepWeights: true },

  // ---- activation layers
  { classes: ['ReLU'], what: 'ReLU with max_value, negative_slope and threshold',
    build: () => seq([L.dense({ units: 8, inputShape: [3] }), L.reLU({ maxValue: 0.6 })]), inputs: [flat(3)] },
  { classes: ['LeakyReLU', 'ELU', 'ThresholdedReLU', 'Softmax'], what: 'LeakyReLU, ELU, ThresholdedReLU, Softmax',
    build: () => seq([L.dense({ units: 8, inputShape: [3] }), L.leakyReLU({ alpha: 0.2 }), L.elu(),
      L.thresholdedReLU({ theta: 0.1 }), L.softmax({ axis: -1 })]), inputs: [flat(3)] },
  { classes: ['PReLU'], what: 'PReLU with shared axes',
    build: () => seq([L.conv2d({ filters: 3, kernelSize: 1, inputShape: [3, 3, 2] }), L.prelu({ sharedAxes: [1, 2] })]),
    inputs: [img(3, 3, 2)] },

  // ---- convolutions
  { classes: ['Conv1D'], what: 'Conv1D same and dilated',
    build: () => seq([L.conv1d({ filters: 4, kernelSize: 3, padding: 'same', inputShape: [9, 2], activation: 'relu' }),
      L.conv1d({ filters: 3, kernelSize: 2, dilationRate: 2 })]),
    inputs: [steps(9, 2)] },
  { classes: ['Conv2D'], what: 'Conv2D strided same, dilated valid',
    build: () => seq([L.conv2d({ filters: 4, kernelSize: 3, strides: 2, padding: 'same', inputShape: [7, 8, 3] }),
      L.conv2d({ filters: 2, kernelSize: 2, dilationRate: 2 })]), inputs: [img(7, 8, 3)] },
  { classes: ['DepthwiseConv2D'], what: 'DepthwiseConv2D with depth multiplier 2',
    build: () => seq([L.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, strides: 2, padding: 'same', inputShape: [7, 7, 3] })]),
    inputs: [img(7, 7, 3)] },
  { classes: ['SeparableConv2D'], what: 'SeparableConv2D',
    build: () => seq([L.separableConv2d({ filters: 5, kernelSize: 3, padding: 'same', inputShape: [6, 6, 3] })]),
    inputs: [img(6, 6, 3)] },
  { classes: ['Conv2DTranspose'], what: 'Conv2DTranspose strided, same and valid',
    build: () => seq([L.conv2dTranspose({ filters: 3, kernelSize: 3, strides: 2, padding: 'same', inputShape: [4, 5, 2] }),
      L.conv2dTranspose({ filters: 2, kernelSize: 2, strides: 1, padding: 'valid' })]), inputs: [img(4, 5, 2)] },
  { classes: ['Conv3D', 'Conv3DTranspose'], what: 'Conv3D and Conv3DTranspose',
    build: () => seq([L.conv3d({ filters: 3, kernelSize: 2, padding: 'same', inputShape: [4, 4, 4, 2] }),
      L.conv3dTranspose({ filters: 2, kernelSize: 2, strides: 2 })]), inputs: [vol(4, 4, 4, 2)] },
  { classes: ['ZeroPadding2D', 'Cropping2D', 'UpSampling2D'], what: 'ZeroPadding2D, Cropping2D, UpSampling2D nearest and bilinear',
    build: () => seq([L.zeroPadding2d({ padding: [[1, 2], [0, 1]], inputShape: [3, 4, 2] }),
      L.cropping2D({ cropping: [[1, 0], [2, 1]] }), L.upSampling2d({ size: [2, 3] }),
      L.upSampling2d({ size: [2, 2], interpolation: 'bilinear' }), L.upSampling2d({ size: [1, 2], interpolation: 'nearest' })]), inputs: [img(3, 4, 2)], keepWeights: true },

  // ---- poolings
  { classes: ['MaxPooling1D', 'AveragePooling1D', 'GlobalMaxPooling1D'], what: '1-D poolings',
    build: () => seq([L.maxPooling1d({ poolSize: 2, inputShape: [9, 3] }), L.averagePooling1d({ poolSize: 3, strides: 1, padding: 'same' }),
      L.globalMaxPooling1d()]), inputs: [steps(9, 3)], keepWeights: true },
  { classes: ['MaxPooling2D', 'AveragePooling2D', 'GlobalAveragePooling2D'], what: '2-D poolings (same padding averages real cells)',
    build: () => {
      const x = tfl.input({ shape: [7, 6, 2] });
      const a = L.maxPooling2d({ poolSize: 3, strides: 2, padding: 'same' }).apply(x) as tfl.SymbolicTensor;
      const b = L.averagePooling2d({ poolSize: 3, strides: 2, padding: 'same' }).apply(a) as tfl.SymbolicTensor;
      const c = L.globalAveragePooling2d({}).apply(b) as tfl.SymbolicTensor;
      const d = L.globalMaxPooling2d({}).apply(x) as tfl.SymbolicTensor;
      return tfl.model({ inputs: x, outputs: [b, c, d] });
    }, inputs: [img(7, 6, 2)], keepWeights: true },
  { classes: ['GlobalMaxPooling2D'], what: 'GlobalMaxPooling2D',
    build: () => seq([L.globalMaxPooling2d({ inputShape: [3, 3, 2] })]), inputs: [img(3, 3, 2)], keepWeights: true },
  { classes: ['MaxPooling3D', 'AveragePooling3D'], what: '3-D poolings',
    build: () => seq([L.maxPooling3d({ poolSize: 2, inputShape: [4, 4, 4, 2] }), L.averagePooling3d({ poolSize: 2, padding: 'same' })]),
    inputs: [vol(4, 4, 4, 2)], keepWeights: true },

  // ---- normalization
  { classes: ['BatchNormalization'], what: 'BatchNormalization (moving statistics), with and without center/scale',
    build: () => seq([L.dense({ units: 4, inputShape: [3] }), L.batchNormalization({ epsilon: 0.01 }),
      L.batchNormalization({ center: false, scale: false })]), inputs: [flat(3)] },
  { classes: ['BatchNormalization'], what: 'BatchNormalization over axis 1 of an image',
    build: () => seq([L.batchNormalization({ axis: 1, inputShape: [3, 4, 2] })]), inputs: [img(3, 4, 2)],
    reference: { why: 'TensorFlow.js 4.22 normalises over the last axis whatever the axis when predicting',
      predict: (m, [x]) => {
        const [gamma, beta, mean, variance] = m.getWeights().map((w) => w.reshape([1, 3, 1, 1]));
        return asOutputs(tensorOf(x).sub(mean).div(variance.add(1e-3).sqrt()).mul(gamma).add(beta));
      } } },
  { classes: ['LayerNormalization'], what: 'LayerNormalization',
    build: () => seq([L.dense({ units: 5, inputShape: [3] }), L.layerNormalization({ epsilon: 1e-4 })]), inputs: [flat(3)] },

  // ---- preprocessing
  { classes: ['Rescaling', 'CenterCrop'], what: 'Rescaling and CenterCrop',
    build: () => seq([L.rescaling({ scale: 1 / 127.5, offset: -1, inputShape: [6, 8, 3] }), L.reshape({ targetShape: [6, 8, 3] }),
      L.centerCrop({ height: 3, width: 5 })]), inputs: [floatInput([2, 6, 8, 3], 3, 127, 128)], keepWeights: true },

  { classes: ['Resizing'], what: 'Resizing bilinear then nearest',
    build: () => seq([linearIn([6, 8, 3]), L.resizing({ height: 9, width: 5 }),
      L.resizing({ height: 4, width: 7, interpolation: 'nearest' })]), inputs: [img(6, 8, 3)], keepWeights: true,
    reference: { why: 'TensorFlow.js 4.22 loads Resizing but its predict fails (resizeBilinear gets a rank-1 tensor); ' +
      'the layer is its resize ops with alignCorners = !cropToAspectRatio',
    predict: (_, [x]) => asOutputs(tf.image.resizeNearestNeighbor(tf.image.resizeBilinear(tensorOf(x) as tf.Tensor4D, [9, 5], true), [4, 7], true)) } },

  // ---- recurrent
  { classes: ['SimpleRNN'], what: 'SimpleRNN returning sequences, backwards',
    build: () => seq([L.simpleRNN({ units: 4, returnSequences: true, goBackwards: true, inputShape: [5, 3] })]), inputs: [steps(5, 3)] },
  { classes: ['LSTM'], what: 'LSTM (hard_sigmoid recurrent activation, TensorFlow.js default)',
    build: () => seq([L.lstm({ units: 4, inputShape: [5, 3] })]), inputs: [steps(5, 3)] },
  { classes: ['GRU'], what: 'GRU (reset_after false, as TensorFlow.js writes)',
    build: () => seq([L.gru({ units: 4, returnSequences: true, inputShape: [5, 3] })]), inputs: [steps(5, 3)] },
  { classes: ['RNN', 'StackedRNNCells', 'SimpleRNNCell', 'LSTMCell', 'GRUCell'], what: 'RNN over stacked cells',
    build: () => seq([L.rnn({ cell: L.stackedRNNCells({ cells: [L.simpleRNNCell({ units: 3 }), L.lstmCell({ units: 4 }),
      L.gruCell({ units: 2 })] }), inputShape: [4, 3] })]), inputs: [steps(4, 3)] },
  { classes: ['RNN', 'LSTMCell'], what: 'RNN over one LSTM cell',
    build: () => seq([L.rnn({ cell: L.lstmCell({ units: 3 }), returnSequences: true, inputShape: [4, 2] })]), inputs: [steps(4, 2)] },
  ...(['concat', 'sum', 'ave', 'mul'] as const).map((mode): Case => ({
    classes: ['Bidirectional', mode === 'concat' ? 'LSTM' : 'GRU'], what: `Bidirectional merge ${mode}`,
    build: () => seq([L.bidirectional({ layer: (mode === 'concat' ? L.lstm({ units: 3, returnSequences: true })
      : L.gru({ units: 3 })) as tfl.RNN, mergeMode: mode, inputShape: [4, 2] })]), inputs: [steps(4, 2)] })),
  { classes: ['TimeDistributed'], what: 'TimeDistributed Dense and Conv2D',
    build: () => seq([L.timeDistributed({ layer: L.conv2d({ filters: 2, kernelSize: 2 }), inputShape: [3, 4, 4, 1] }),
      L.timeDistributed({ layer: L.flatten() }), L.timeDistributed({ layer: L.dense({ units: 3 }) })]),
    inputs: [floatInput([2, 3, 4, 4, 1], 6)] },
  { classes: ['ConvLSTM2D'], what: 'ConvLSTM2D',
    build: () => seq([L.convLstm2d({ filters: 2, kernelSize: 2, padding: 'same', inputShape: [3, 4, 4, 1] })]),
    inputs: [floatInput([2, 3, 4, 4, 1], 6)] },
];

test('keras layer files: every layer class of TensorFlow.js\' loader has a case', () => {
  const map = tf.serialization.SerializationMap.getMap().classNameMap;
  const layerClasses = Object.keys(map).filter((n) => map[n][0].prototype instanceof tfl.layers.Layer);
  const covered = new Set(['InputLayer', 'Sequential', 'Functional', 'Model', ...cases.flatMap((c) => c.classes)]);
  // ConvLSTM2DCell is only ever written inside ConvLSTM2D's own config; the nested-model file tests
  // cover Sequential/Functional/Model inside models
  covered.add('ConvLSTM2DCell');
  // TensorFlow.js cannot build RandomWidth on a known input shape; its file is hand-written (keras_hand_files.test.ts)
  covered.add('RandomWidth');
  assert.deepEqual(layerClasses.filter((n) => !covered.has(n)), []);
});

for (const c of cases) {
  test(`keras layer files: ${c.what}`, async () => {
    await ready();
    const model = c.build();
    if (!c.keepWeights) scrambleTfjs(model, 100);
    const artifacts = await tfjsArtifacts(model);
    const text = JSON.stringify(artifacts.modelTopology);
    for (const cls of c.classes) assert.ok(text.includes(`"class_name":"${cls}"`), `${c.what}: the file names ${cls}`);
    if (!c.reference) {
      await bothLoadAndAgree(artifacts, c.inputs, c.what, c.tol);
      return;
    }
    await loadTfjs(artifacts); // TensorFlow.js reads the file
    const r = compareOutputs(striatePredict(await loadStriate(artifacts), c.inputs), c.reference.predict(model, c.inputs), c.what);
    assert.ok(r.diff <= (c.tol ?? 1e-5), `${c.what}: striate differs from the reference by ${r.diff}`);
  });
}
