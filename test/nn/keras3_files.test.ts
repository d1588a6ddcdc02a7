/**
 * Keras 3 model files: configs with `batch_shape`, dtype-policy objects, `module` /
 * `registered_name` / `build_config` keys, calls written as `{args, kwargs}` with
 * `__keras_tensor__` arguments, a single input or output written as one `[layer, node, tensor]`.
 * The topologies are hand-written as Keras 3 writes them; the same models are built in
 * TensorFlow.js with the same layer names, whose saved weights the Keras 3 files use, so
 * TensorFlow.js' predictions on its own file are the expected ones.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { ready, tfl } from '../io/tfjs_interop.js';
import * as st from '../../src/index.js';
import {
  compareOutputs, floatInput, loadStriate, scrambleTfjs, striatePredict, tfjsArtifacts, tfjsPredict, type Artifacts, type Input,
} from './keras_files_helpers.js';

type Json = Record<string, unknown>;

const policy = (name = 'float32'): Json => ({ module: 'keras', class_name: 'DTypePolicy', config: { name }, registered_name: null });
const init = (className: string, config: Json = {}): Json =>
  ({ module: 'keras.initializers', class_name: className, config, registered_name: null });
const tensor = (layer: string, shape: (number | null)[], node = 0, index = 0): Json =>
  ({ class_name: '__keras_tensor__', config: { shape, dtype: 'float32', keras_history: [layer, node, index] } });
const call = (args: unknown[], kwargs: Json = {}): Json => ({ args, kwargs });

function layer(className: string, name: string, config: Json, inputShape: unknown, nodes: Json[]): Json {
  return {
    module: 'keras.layers', class_name: className, config: { name, trainable: true, dtype: policy(), ...config },
    registered_name: null, build_config: { input_shape: inputShape }, name, inbound_nodes: nodes,
  };
}

const convDefaults: Json = {
  data_format: 'channels_last', dilation_rate: [1, 1], groups: 1, activation: 'linear',
  kernel_initializer: init('GlorotUniform', { seed: null }), bias_initializer: init('Zeros'),
  kernel_regularizer: null, bias_regularizer: null, activity_regularizer: null, kernel_constraint: null, bias_constraint: null,
};

/** A Keras 3 Functional model: conv, batch norm, ReLU6, depthwise conv, a residual Add, pooling, a softmax head. */
function keras3Functional(): Json {
  const img = [null, 8, 8, 3];
  const half = [null, 4, 4, 4];
  return {
    module: 'keras', class_name: 'Functional', registered_name: 'Functional', build_config: { input_shape: null },
    compile_config: null,
    config: {
      name: 'functional', trainable: true,
      layers: [
        { module: 'keras.layers', class_name: 'InputLayer', registered_name: null, name: 'input_layer', inbound_nodes: [],
          config: { batch_shape: img, dtype: 'float32', sparse: false, name: 'input_layer' } },
        layer('Conv2D', 'conv2d', { ...convDefaults, filters: 4, kernel_size: [3, 3], strides: [2, 2], padding: 'same', use_bias: false },
          img, [call([tensor('input_layer', img)])]),
        layer('BatchNormalization', 'batch_normalization', {
          axis: -1, momentum: 0.99, epsilon: 0.001, center: true, scale: true, beta_initializer: init('Zeros'),
          gamma_initializer: init('Ones'), moving_mean_initializer: init('Zeros'), moving_variance_initializer: init('Ones'),
          beta_regularizer: null, gamma_regularizer: null, beta_constraint: null, gamma_constraint: null, synchronized: false,
        }, half, [call([tensor('conv2d', half)], { mask: null })]),
        layer('ReLU', 're_lu', { max_value: 6.0, negative_slope: 0.0, threshold: 0.0 }, half,
          [call([tensor('batch_normalization', half)])]),
        layer('DepthwiseConv2D', 'depthwise_conv2d', {
          ...convDefaults, kernel_size: [3, 3], strides: [1, 1], padding: 'same', depth_multiplier: 1, use_bias: true,
          depthwise_initializer: init('GlorotUniform', { seed: null }), depthwise_regularizer: null, depthwise_constraint: null,
        }, half, [call([tensor('re_lu', half)])]),
        layer('Add', 'add', {}, [half, half], [call([[tensor('re_lu', half), tensor('depthwise_conv2d', half)]])]),
        layer('GlobalAveragePooling2D', 'global_average_pooling2d', { data_format: 'channels_last', keepdims: false }, half,
          [call([tensor('add', half)])]),
        layer('Dense', 'dense', {
          units: 3, activation: 'softmax', use_bias: true, kernel_initializer: init('GlorotUniform', { seed: null }),
          bias_initializer: init('Zeros'), kernel_regularizer: { module: 'keras.regularizers', class_name: 'L2', config: { l2: 0.01 }, registered_name: null },
          bias_regularizer: null, kernel_constraint: null, bias_constraint: null, lora_rank: null,
        }, [null, 4], [call([tensor('global_average_pooling2d', [null, 4])])]),
      ],
      input_layers: ['input_layer', 0, 0],
      output_layers: ['dense', 0, 0],
    },
  };
}

/** The same model in TensorFlow.js, with the same layer names (so the same weight names). */
function tfjsFunctional(): tfl.LayersModel {
  const L = tfl.layers;
  const x = tfl.input({ shape: [8, 8, 3], name: 'input_layer' });
  const c = L.conv2d({ name: 'conv2d', filters: 4, kernelSize: 3, strides: 2, padding: 'same', useBias: false }).apply(x);
  const b = L.batchNormalization({ name: 'batch_normalization' }).apply(c);
  const r = L.reLU({ name: 're_lu', maxValue: 6 }).apply(b) as tfl.SymbolicTensor;
  const d = L.depthwiseConv2d({ name: 'depthwise_conv2d', kernelSize: 3, padding: 'same' }).apply(r) as tfl.SymbolicTensor;
  const a = L.add({ name: 'add' }).apply([r, d]);
  const g = L.globalAveragePooling2d({ name: 'global_average_pooling2d' }).apply(a);
  const y = L.dense({ name: 'dense', units: 3, activation: 'softmax' }).apply(g) as tfl.SymbolicTensor;
  return tfl.model({ inputs: x, outputs: y });
}

/** A Keras 3 Sequential model (its InputLayer listed first): an LSTM (sigmoid gates, Keras 3's default) and a Dense. */
function keras3Sequential(dtypeName = 'float32'): Json {
  return {
    module: 'keras', class_name: 'Sequential', registered_name: null, build_config: { input_shape: [null, 5, 3] },
    config: {
      name: 'sequential', trainable: true, dtype: policy(dtypeName), build_input_shape: [null, 5, 3],
      layers: [
        { module: 'keras.layers', class_name: 'InputLayer', registered_name: null,
          config: { batch_shape: [null, 5, 3], dtype: 'float32', sparse: false, name: 'input_layer' } },
        { module: 'keras.layers', class_name: 'LSTM', registered_name: null, build_config: { input_shape: [null, 5, 3] },
          config: { name: 'lstm', trainable: true, dtype: policy(dtypeName), return_sequences: false, return_state: false,
            go_backwards: false, stateful: false, unroll: false, zero_output_for_mask: false, units: 4, activation: 'tanh',
            recurrent_activation: 'sigmoid', use_bias: true, kernel_initializer: init('GlorotUniform', { seed: null }),
            recurrent_initializer: init('Orthogonal', { seed: null, gain: 1.0 }), bias_initializer: init('Zeros'),
            unit_forget_bias: true, kernel_regularizer: null, recurrent_regularizer: null, bias_regularizer: null,
            activity_regularizer: null, kernel_constraint: null, recurrent_constraint: null, bias_constraint: null,
            dropout: 0.0, recurrent_dropout: 0.0, seed: null, use_cudnn: 'auto' } },
        { module: 'keras.layers', class_name: 'Dense', registered_name: null, build_config: { input_shape: [null, 4] },
          config: { name: 'dense', trainable: true, dtype: policy(dtypeName), units: 2, activation: 'silu', use_bias: true,
            kernel_initializer: init('GlorotUniform', { seed: null }), bias_initializer: init('Zeros'), kernel_regularizer: null,
            bias_regularizer: null, kernel_constraint: null, bias_constraint: null } },
      ],
    },
  };
}

function tfjsSequential(): tfl.LayersModel {
  const L = tfl.layers;
  return tfl.sequential({ layers: [
    L.lstm({ name: 'lstm', units: 4, recurrentActivation: 'sigmoid', inputShape: [5, 3] }),
    L.dense({ name: 'dense', units: 2, activation: 'swish' }),
  ] });
}

/** TensorFlow.js' file for `model` with its topology replaced by the Keras 3 one, as the converter nests it. */
async function asKeras3(model: tfl.LayersModel, topology: Json): Promise<{ artifacts: Artifacts; reference: Artifacts }> {
  scrambleTfjs(model, 300);
  const reference = await tfjsArtifacts(model);
  const artifacts = { ...reference, modelTopology: { keras_version: '3.6.0', backend: 'tensorflow', model_config: topology } };
  return { artifacts, reference };
}

async function agree(model: tfl.LayersModel, topology: Json, inputs: Input[], what: string): Promise<void> {
  await ready();
  const { artifacts } = await asKeras3(model, topology);
  const r = compareOutputs(striatePredict(await loadStriate(artifacts), inputs), tfjsPredict(model, inputs), what);
  assert.ok(r.diff <= 1e-5, `${what}: striate's prediction differs from TensorFlow.js' by ${r.diff}`);
}

test('keras 3 files: a Functional model (batch_shape, dtype policies, {args, kwargs} calls, flat input/output refs)', async () => {
  await agree(tfjsFunctional(), keras3Functional(), [floatInput([2, 8, 8, 3], 4)], 'Keras 3 Functional');
});

test('keras 3 files: a Sequential model listing its InputLayer', async () => {
  await agree(tfjsSequential(), keras3Sequential(), [floatInput([3, 5, 3], 5)], 'Keras 3 Sequential');
});

test('keras 3 files: a mixed_float16 policy loads with float32 weights', async () => {
  await agree(tfjsSequential(), keras3Sequential('mixed_float16'), [floatInput([3, 5, 3], 5)], 'Keras 3 Sequential, mixed policy');
});

test('keras 3 files: unknown config keys from newer Keras are ignored', async () => {
  const topology = keras3Functional();
  for (const l of (topology.config as { layers: { config: Json }[] }).layers) {
    l.config.quantization_config = null;
    l.config.some_key_from_keras_4 = { class_name: 'Whatever', config: {} };
  }
  await agree(tfjsFunctional(), topology, [floatInput([2, 8, 8, 3], 4)], 'Keras 3 Functional with extra keys');
});

test('keras 3 files: an unknown layer class is refused naming the class and the layer', async () => {
  await ready();
  const topology = keras3Functional();
  const layers = (topology.config as { layers: Json[] }).layers;
  layers[3] = { ...layers[3], class_name: 'Lambda', config: { name: 're_lu', function: { class_name: '__lambda__' } } };
  const { artifacts } = await asKeras3(tfjsFunctional(), topology);
  await assert.rejects(loadStriate(artifacts), /unsupported layer class "Lambda" in layer "re_lu"/);
});

test('keras 3 files: a call without keras_history is refused with the layer named', async () => {
  const topology = keras3Functional();
  const dense = (topology.config as { layers: Json[] }).layers[7];
  dense.inbound_nodes = [call([{ class_name: '__keras_tensor__', config: { shape: [null, 4] } }])];
  await assert.rejects(st.models.modelFromJSON({ modelTopology: { keras_version: '3.6.0', model_config: topology } }),
    /layer "dense" has an input tensor without a keras_history/);
});

/**
 * A Keras 3 Functional model calling a nested Functional model twice. Keras 3 numbers the nested
 * model's calls from 0 in keras_history, but from 1 in output_layers (its Functional models
 * count a built-in node there), so the second output names ["encoder", 2, 0].
 */
function keras3Siamese(): Json {
  const v = [null, 5];
  const encoder: Json = {
    module: 'keras', class_name: 'Functional', registered_name: 'Functional', build_config: { input_shape: null }, name: 'encoder',
    config: { name: 'encoder', trainable: true, layers: [
      { module: 'keras.layers', class_name: 'InputLayer', registered_name: null, name: 'enc_input', inbound_nodes: [],
        config: { batch_shape: v, dtype: 'float32', sparse: false, name: 'enc_input' } },
      layer('Dense', 'enc_dense', { units: 3, activation: 'relu', use_bias: true, kernel_initializer: init('GlorotUniform'),
        bias_initializer: init('Zeros') }, v, [call([tensor('enc_input', v)])]),
    ], input_layers: [['enc_input', 0, 0]], output_layers: [['enc_dense', 0, 0]] },
    inbound_nodes: [call([tensor('x1', v)]), call([tensor('x2', v)])],
  };
  const input = (name: string): Json => ({ module: 'keras.layers', class_name: 'InputLayer', registered_name: null, name,
    inbound_nodes: [], config: { batch_shape: v, dtype: 'float32', sparse: false, name } });
  return {
    module: 'keras', class_name: 'Functional', registered_name: 'Functional', build_config: { input_shape: null },
    config: { name: 'siamese', trainable: true, layers: [
      input('x1'), input('x2'), encoder,
      layer('Average', 'average', {}, [[null, 3], [null, 3]], [call([[tensor('encoder', [null, 3], 0), tensor('encoder', [null, 3], 1)]])]),
      layer('Dense', 'head', { units: 1, activation: 'sigmoid', use_bias: true }, [null, 3], [call([tensor('average', [null, 3])])]),
    ], input_layers: [['x1', 0, 0], ['x2', 0, 0]], output_layers: [['head', 0, 0], ['encoder', 2, 0]] },
  };
}

function tfjsSiamese(): tfl.LayersModel {
  const L = tfl.layers;
  const a = tfl.input({ shape: [5], name: 'enc_input' });
  const encoder = tfl.model({ inputs: a, outputs: L.dense({ units: 3, activation: 'relu', name: 'enc_dense' }).apply(a) as tfl.SymbolicTensor,
    name: 'encoder' });
  const x1 = tfl.input({ shape: [5], name: 'x1' });
  const x2 = tfl.input({ shape: [5], name: 'x2' });
  const e2 = encoder.apply(x2) as tfl.SymbolicTensor;
  const avg = L.average({ name: 'average' }).apply([encoder.apply(x1) as tfl.SymbolicTensor, e2]) as tfl.SymbolicTensor;
  const head = L.dense({ units: 1, activation: 'sigmoid', name: 'head' }).apply(avg) as tfl.SymbolicTensor;
  return tfl.model({ inputs: [x1, x2], outputs: [head, e2] });
}

test('keras 3 files: a nested Functional model called twice (node numbering of keras_history and output_layers)', async () => {
  await agree(tfjsSiamese(), keras3Siamese(), [floatInput([3, 5], 6), floatInput([3, 5], 7)], 'Keras 3 siamese');
});
