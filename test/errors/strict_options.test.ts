/**
 * Strict arguments across the public API: an unknown option key names the key and the nearest
 * known one, a wrong-typed positional argument names the parameter and what came, and a typo'd
 * dtype names the nearest dtype. The cases are generated from the tables the checks come from
 * (layer options, option keys carried by the factories, positional specs), so a new layer or op
 * added to a table is tested without a new line here. Model files, whose configs may carry keys a
 * newer Keras writes, still load.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import ts from 'typescript';
import { createRequire } from 'node:module';
import * as st from '../../src/index.js';
import { BASE_LAYER_OPTIONS, FACTORY_CLASSES, LAYER_OPTIONS, factoryOptionKeys } from '../../src/nn/layers/layer_options.js';
import { CREATOR_ARGS, IMAGE_ARGS, OP_ARGS } from '../../src/tensor/arg_specs.js';
import type { ArgSpec } from '../../src/tensor/options.js';
import { assertThrowsMessage } from '../helpers.js';

type AnyFn = ((...args: unknown[]) => unknown) & { optionKeys?: readonly string[] };

/** A key one letter off `key`, so that `key` is its nearest known name. */
const typo = (key: string): string => `${key}z`;
const unknownMessage = (key: string, where: string, near: string): string =>
  `unknown option "${key}" for ${where}; did you mean "${near}"?`;

/** The lower-case functions of an object: its factories. */
function factoriesOf(o: object): [string, AnyFn][] {
  return Object.entries(o).filter(([k, v]) => typeof v === 'function' && /^[a-z]/.test(k)) as [string, AnyFn][];
}

/** Each option key a function in a TypeScript declaration file takes in its first parameter. */
function declaredOptionKeys(file: string): Record<string, string[]> {
  const program = ts.createProgram([file], { skipLibCheck: true, noEmit: true });
  const checker = program.getTypeChecker();
  const out: Record<string, string[]> = {};
  ts.forEachChild(program.getSourceFile(file)!, (node) => {
    if (!ts.isFunctionDeclaration(node) || !node.name) return;
    const first = checker.getSignatureFromDeclaration(node)?.getParameters()[0];
    if (!first) return;
    const type = checker.getNonNullableType(checker.getTypeOfSymbolAtLocation(first, node));
    out[node.name.text] = checker.getPropertiesOfType(type).map((p) => p.name);
  });
  return out;
}

test('every st.layers factory has a row in the layer options table', () => {
  const missing = factoriesOf(st.layers).filter(([name, f]) => !f.optionKeys).map(([name]) => name);
  assert.deepEqual(missing, [], 'factories without a row in src/nn/layers/layer_options.ts');
  for (const cls of Object.values(FACTORY_CLASSES)) assert.ok(LAYER_OPTIONS[cls], `no keys for class ${cls}`);
});

test('each layer factory refuses a typo\'d key, naming the key it resembles', () => {
  let checked = 0;
  for (const [name, f] of factoriesOf(st.layers)) {
    const keys = factoryOptionKeys(name)!;
    const cls = FACTORY_CLASSES[name];
    const own = cls ? LAYER_OPTIONS[cls] : keys;
    const key = own[0] ?? 'trainable';
    assertThrowsMessage(() => f({ [typo(key)]: 1 }), unknownMessage(typo(key), `layers.${name}`, key));
    checked++;
  }
  assert.ok(checked >= 75, `only ${checked} factories checked`);
  assertThrowsMessage(() => st.layers.dense({ units: 2, untis: 3 } as never), 'unknown option "untis" for layers.dense; did you mean "units"?');
  assertThrowsMessage(() => st.layers.dense(5 as never), 'layers.dense: expected an options object, got number 5');
  assertThrowsMessage(() => st.input({ shap: [2] } as never), unknownMessage('shap', 'input', 'shape'));
  assertThrowsMessage(() => st.sequential({ layer: [] } as never), unknownMessage('layer', 'sequential', 'layers'));
  const inp = st.input({ shape: [2] });
  assertThrowsMessage(() => st.model({ inputs: inp, output: inp } as never), unknownMessage('output', 'model', 'outputs'));
});

test('layer factories accept every key TensorFlow.js accepts, and the base keys', () => {
  const require = createRequire(import.meta.url);
  const file = require.resolve('@tensorflow/tfjs-layers/dist/exports_layers.d.ts');
  const theirs = declaredOptionKeys(file);
  assert.ok(Object.keys(theirs).length >= 60, 'read the tfjs-layers factories');
  const gaps: string[] = [];
  for (const [name, keys] of Object.entries(theirs)) {
    const ours = factoryOptionKeys(name);
    if (!ours) continue; // a layer striate does not have yet (convLstm2d)
    // tfjs-layers types spatialDropout1d's args with its snake_case file config by mistake; its factory reads camelCase
    const wanted = keys.filter((k) => !k.includes('_'));
    for (const k of wanted) if (!ours.includes(k)) gaps.push(`${name}.${k}`);
  }
  assert.deepEqual(gaps, [], 'keys TensorFlow.js accepts that striate refuses');
  for (const k of BASE_LAYER_OPTIONS) assert.ok(factoryOptionKeys('dense')!.includes(k));
  // TensorFlow.js' shorthands still work
  const dense = st.layers.dense({ units: 2, inputDim: 3, activityRegularizer: 'l2' } as never);
  assert.deepEqual(st.sequential({ layers: [dense] }).outputs[0].shape, [null, 2]);
});

test('initializers, regularizers and constraints refuse typo\'d keys; saved configs keep only the known ones', () => {
  let checked = 0;
  for (const [group, where] of [[st.initializers, 'initializers'], [st.regularizers, 'regularizers'], [st.constraints, 'constraints']] as const) {
    for (const [name, f] of factoriesOf(group)) {
      if (!f.optionKeys) continue;
      checked++;
      const key = f.optionKeys[0];
      if (key === undefined) {
        assertThrowsMessage(() => f({ seed: 1 }), `unknown option "seed" for ${where}.${name}, which takes no options`);
      } else {
        assertThrowsMessage(() => f({ [typo(key)]: 1 }), unknownMessage(typo(key), `${where}.${name}`, key));
      }
    }
  }
  assert.ok(checked >= 20, `only ${checked} factories checked`);
  assertThrowsMessage(() => st.initializers.randomNormal({ stdev: 1 } as never), unknownMessage('stdev', 'initializers.randomNormal', 'stddev'));
  // a saved { className, config } (what a model file holds) with a key striate does not read
  const layer = st.layers.dense({ units: 2, kernelInitializer: { className: 'RandomNormal', config: { stddev: 0.5, futureKey: 1 } } } as never);
  st.sequential({ layers: [layer], name: 'saved_init' }).build([null, 3]);
  assert.deepEqual(layer.getWeights()[0].shape, [3, 2]);
});

test('optimizers: Keras-style options are checked by key, st.train arguments by kind', () => {
  for (const [name, f] of factoriesOf(st.optimizers)) {
    if (name === 'get') continue;
    assertThrowsMessage(() => f({ learningrate: 0.1 }), unknownMessage('learningrate', `optimizers.${name}`, 'learningRate'));
  }
  assertThrowsMessage(() => st.optimizers.get('adma'), 'optimizers.get: unknown optimizer "adma"; did you mean "adam"?');
  const wrong: [string, () => unknown, string][] = [
    ['sgd', () => st.train.sgd('0.1' as never), "train.sgd: expected 'learningRate' to be a number or a schedule, got a string (\"0.1\")"],
    ['momentum', () => st.train.momentum(0.1, 0.9, 'yes' as never), "train.momentum: expected 'useNesterov' to be a boolean, got a string (\"yes\")"],
    ['adam', () => st.train.adam(0.1, '0.9' as never), "train.adam: expected 'beta1' to be a number, got a string (\"0.9\")"],
    ['adamax', () => st.train.adamax(0.1, 0.9, 0.999, null, '1' as never), "train.adamax: expected 'decay' to be a number"],
    ['rmsprop', () => st.train.rmsprop(0.1, 0.9, 0, null, 1 as never), "train.rmsprop: expected 'centered' to be a boolean, got number 1"],
    ['adagrad', () => st.train.adagrad(0.1, st.scalar(0.1) as never), "train.adagrad: expected 'initialAccumulatorValue' to be a number, got a Tensor"],
    ['adadelta', () => st.train.adadelta(0.1, [0.9] as never), "train.adadelta: expected 'rho' to be a number, got an array of length 1"],
  ];
  assert.deepEqual(wrong.map(([n]) => n).sort(), Object.keys(st.train).sort(), 'a case for each st.train factory');
  for (const [, call, message] of wrong) assertThrowsMessage(call, message);
  // defaults and schedules still work
  st.train.adam();
  st.train.sgd(0.1);
});

test('callbacks and data configs refuse typo\'d keys', async () => {
  for (const [name, f] of factoriesOf(st.callbacks)) {
    const keys = f.optionKeys ?? [];
    const key = keys[0];
    if (name === 'modelCheckpoint') {
      assertThrowsMessage(() => f({ filepath: '/tmp/x', saveBestOnyl: true }), unknownMessage('saveBestOnyl', 'callbacks.modelCheckpoint', 'saveBestOnly'));
    } else if (key === undefined) {
      assertThrowsMessage(() => f({ monitor: 'loss' }), `unknown option "monitor" for callbacks.${name}, which takes no options`);
    } else {
      assertThrowsMessage(() => f({ [typo(key)]: 1 }), unknownMessage(typo(key), `callbacks.${name}`, key));
    }
  }
  assertThrowsMessage(() => st.callbacks.earlyStopping({ patiance: 3 } as never), unknownMessage('patiance', 'callbacks.earlyStopping', 'patience'));
  assertThrowsMessage(() => st.data.xor({ nosie: 0.1 } as never), unknownMessage('nosie', 'data.xor', 'noise'));
  assertThrowsMessage(() => st.data.twoSpirals({ turn: 2 } as never), unknownMessage('turn', 'data.twoSpirals', 'turns'));
  assertThrowsMessage(() => st.data.trainTestSplit([1, 2], [1, 2], { testsize: 0.5 } as never),
    unknownMessage('testsize', 'trainTestSplit', 'testSize'));
  assertThrowsMessage(() => st.data.imageAugmenter({ rotationrange: 10 } as never),
    unknownMessage('rotationrange', 'data.imageAugmenter', 'rotationRange'));
  await assert.rejects(st.data.microphone({ fftsize: 512 } as never), { message: unknownMessage('fftsize', 'data.microphone', 'fftSize') });
  const ds = st.data.array([1, 2, 3]);
  assertThrowsMessage(() => ds.batch(2, 'no' as never), "Dataset.batch: expected 'smallLastBatch' to be a boolean, got a string (\"no\")");
  assertThrowsMessage(() => ds.shuffle(3, 1, 1 as never), "Dataset.shuffle: expected 'reshuffleEachIteration' to be a boolean, got number 1");
});

/** A value that passes each kind, and one of the wrong type (with the words the error uses for it). */
const GOOD: Record<string, unknown> = {
  number: 1, int: 0, 'int|ints': 0, ints: [0], shape: [1], boolean: false, string: 'a', array: [],
  'number|boolean': 1, 'number|function': 0.1, dtype: 'float32', function: () => 0,
};
const BAD: Record<string, [unknown, string]> = {
  number: ['1', 'got a string ("1")'], int: ['0', 'got a string ("0")'], 'int|ints': [{}, 'got an object'], ints: [{}, 'got an object'],
  shape: [{ length: 1 }, 'got an object'], boolean: ['yes', 'got a string ("yes")'], string: [1, 'got number 1'],
  array: [{}, 'got an object'], 'number|boolean': ['x', 'got a string ("x")'], function: [1, 'got number 1'],
};

/** Every wrong-typed positional argument in a table, at each checked position, through `call`. */
function checkTable(table: Record<string, readonly ArgSpec[]>, call: (name: string, args: unknown[]) => unknown): number {
  let checked = 0;
  for (const [name, specs] of Object.entries(table)) {
    specs.forEach(([param, kind], i) => {
      const base = kind.replace(/\?$/, '');
      if (base === 'any') return;
      const before = specs.slice(0, i).map(([, k]) => (k.replace(/\?$/, '') === 'any' ? st.ones([2, 2]) : GOOD[k.replace(/\?$/, '')]));
      if (base === 'dtype') {
        assertThrowsMessage(() => call(name, [...before, 'flot32']), `${name}: unknown dtype "flot32"; did you mean "float32"?`);
      } else {
        const [value, got] = BAD[base];
        assertThrowsMessage(() => call(name, [...before, value]), `${name}: expected '${param}' to be `, got);
      }
      checked++;
    });
  }
  return checked;
}

test('wrong-typed positional arguments of creators and ops name the parameter and what came', () => {
  const api = st as unknown as Record<string, AnyFn>;
  const creators = checkTable(CREATOR_ARGS, (name, args) => api[name](...args));
  const ops = checkTable(OP_ARGS, (name, args) => api[name](...args));
  // and as Tensor methods, for the ops whose first argument is the tensor
  const methodTable = Object.fromEntries(Object.entries(OP_ARGS).filter(([name, specs]) =>
    specs[0][1] === 'any' && typeof (st.ones([1]) as unknown as Record<string, unknown>)[name] === 'function'));
  const methods = checkTable(methodTable, (name, [self, ...rest]) =>
    ((self as unknown as Record<string, AnyFn>)[name] as AnyFn).call(self, ...rest));
  const image = checkTable(IMAGE_ARGS, (name, args) => (st.image as unknown as Record<string, AnyFn>)[name](...args));
  assert.ok(creators >= 25 && ops >= 40 && methods >= 30 && image >= 20,
    `checked ${creators} creator, ${ops} op, ${methods} method and ${image} image-op arguments`);

  const x = st.ones([2, 3]);
  assertThrowsMessage(() => st.sum(x, 1, 'yes' as never), "sum: expected 'keepDims' to be a boolean, got a string (\"yes\")");
  assertThrowsMessage(() => st.zeros([2], 'flot32' as never), 'zeros: unknown dtype "flot32"; did you mean "float32"?');
  assertThrowsMessage(() => st.zeros([2], 'string' as never), 'zeros: dtype "string" is not supported by striate');
  assertThrowsMessage(() => st.clipByValue(x, st.scalar(0) as never, 1), "clipByValue: expected 'clipValueMin' to be a number, got a Tensor");
  assertThrowsMessage(() => st.reshape(x, { 0: 6 } as never), "reshape: expected 'shape' to be a shape (an array of integers), got an object");
  // the shorthands TensorFlow.js accepts stay accepted
  assert.deepEqual(st.sum([[1, 2], [3, 4]], 0).arraySync(), [4, 6]);
  assert.deepEqual(st.reshape(x, [-1]).shape, [6]);
  assert.deepEqual(x.sum(null as never, true).shape, [1, 1]);
  assert.deepEqual(st.matMul([[1, 2]], [[1], [1]]).arraySync(), [[3]]);
  assert.equal(st.scalar(true).dtype, 'bool');
});

test('a model file whose layer configs carry keys striate does not read still loads', async () => {
  const model = st.sequential({ layers: [
    st.layers.dense({ units: 4, activation: 'relu', inputShape: [3] }),
    st.layers.batchNormalization(),
    st.layers.dense({ units: 2 }),
  ] });
  let saved: st.io.ModelArtifacts | undefined;
  await model.save(st.io.withSaveHandler(async (a) => {
    saved = a;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  // what a newer Keras (3.x) adds: per-layer module/registered_name/build_config, and config keys such as lora_rank
  const topology = structuredClone(saved!.modelTopology) as { config: { layers: { config: Record<string, unknown> }[] } };
  let touched = 0;
  for (const layer of topology.config.layers) {
    Object.assign(layer, { module: 'keras.layers', registered_name: null, build_config: { input_shape: [null, 3] } });
    Object.assign(layer.config, { lora_rank: null, quantization_config: null, synchronized: false, a_future_option: 1 });
    const init = layer.config.kernel_initializer as { config?: Record<string, unknown> } | undefined;
    if (init?.config) init.config.a_future_key = 1;
    touched++;
  }
  assert.equal(touched, 3);
  const loaded = await st.loadLayersModel(st.io.fromMemory({ ...saved!, modelTopology: topology }));
  const x = st.tensor([[1, 2, 3], [-1, 0, 2]]);
  const want = (model.predict(x) as st.Tensor).arraySync() as number[][];
  const got = (loaded.predict(x) as st.Tensor).arraySync() as number[][];
  got.flat().forEach((v, i) => assert.ok(Math.abs(v - want.flat()[i]) < 1e-6, `output ${i}: ${v} vs ${want.flat()[i]}`));
});
