/**
 * The commands on model files from the real world: Keras-style layers models written by
 * TensorFlow.js' own save path (the converter's format: modelTopology with keras_version,
 * backend and model_config, weightsManifest), and graph models (`format: "graph-model"`).
 * summary, predict, evaluate, viz, export --onnx and train --model <file> (fine-tuning with
 * --freeze-up-to and a new head), with their messages for misuse.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as st from '../../src/index.js';
import { ready, tf, tfl, tfSave } from '../io/tfjs_interop.js';
import { hasStackTrace, runCli, tempDir, writeIdxFolder } from './helpers.js';
import { evaluateOn, evaluatePredictions } from '../../src/cli/report.js';
import { firstOutput, graphSampleShape, type GraphModelLike } from '../../src/cli/graph_model.js';

const dir = tempDir('striate-converted-');
const quadrants = path.join(dir, 'quadrants'); // 8 x 8 images, 4 classes
writeIdxFolder(quadrants, 32);

/** A small convnet on 8 x 8 x 1 images, as a Keras user would define it, with a `classes`-way head. */
function convnet(classes: number, seed: number): tfl.Sequential {
  const init = (s: number) => tfl.initializers.glorotUniform({ seed: seed * 10 + s });
  return tfl.sequential({
    name: 'quadrant_net',
    layers: [
      tfl.layers.conv2d({ inputShape: [8, 8, 1], filters: 4, kernelSize: 3, activation: 'relu', name: 'conv1', kernelInitializer: init(1) }),
      tfl.layers.maxPooling2d({ poolSize: 2, name: 'pool1' }),
      tfl.layers.flatten({ name: 'flatten' }),
      tfl.layers.dense({ units: 16, activation: 'relu', name: 'hidden', kernelInitializer: init(2) }),
      tfl.layers.dense({ units: classes, name: 'logits', kernelInitializer: init(3) }),
      tfl.layers.activation({ activation: 'softmax', name: 'probs' }),
    ],
  });
}

/**
 * TensorFlow.js' save writes the topology flat ({class_name, config, keras_version, backend});
 * tensorflowjs_converter, from a Keras file, nests it under model_config: rewritten that way.
 */
function asConverterOutput(folder: string): void {
  const file = path.join(folder, 'model.json');
  const json = JSON.parse(fs.readFileSync(file, 'utf8'));
  const { class_name, config } = json.modelTopology;
  json.modelTopology = { keras_version: '2.15.0', backend: 'tensorflow', model_config: { class_name, config } };
  json.generatedBy = 'keras v2.15.0';
  json.convertedBy = 'TensorFlow.js Converter v4.22.0';
  fs.writeFileSync(file, JSON.stringify(json));
}

let fixtures: Promise<{ four: string; three: string; tfFour: tfl.LayersModel }> | null = null;
/** Written once by TensorFlow.js: a 4-class model (fits the data) and a 3-class one (needs a new head). */
function models(): Promise<{ four: string; three: string; tfFour: tfl.LayersModel }> {
  fixtures ??= (async () => {
    await ready();
    const tfFour = convnet(4, 1);
    const four = path.join(dir, 'four');
    const three = path.join(dir, 'three');
    await tfSave(tfFour, four);
    asConverterOutput(four);
    await tfSave(convnet(3, 2), three);
    return { four, three, tfFour };
  })();
  return fixtures;
}

/** 4 rows of 64 pixel values in [0, 1] with a header, for predict. */
function csvInput(file: string): number[][] {
  const rows = Array.from({ length: 4 }, (_, r) => Array.from({ length: 64 }, (_, i) => ((i * 7 + r * 13) % 17) / 16));
  fs.writeFileSync(file, [Array.from({ length: 64 }, (_, i) => `p${i}`).join(','), ...rows.map((r) => r.join(','))].join('\n') + '\n');
  return rows;
}

function fails(args: string[], code: number, ...patterns: RegExp[]): string {
  const r = runCli(args);
  assert.equal(r.code, code, `exit code of ${args.join(' ')}:\n${r.stdout}${r.stderr}`);
  for (const p of patterns) assert.match(r.stderr, p);
  assert.ok(!hasStackTrace(r.stderr), r.stderr);
  return r.stderr;
}

test('summary, predict, evaluate, viz and export accept a model saved by TensorFlow.js', async () => {
  const { four, tfFour } = await models();
  const json = JSON.parse(fs.readFileSync(path.join(four, 'model.json'), 'utf8'));
  assert.equal(json.modelTopology.keras_version, '2.15.0', 'the fixture is in the converter\'s layers format');
  assert.equal(json.modelTopology.model_config.class_name, 'Sequential');
  assert.equal(json.format, 'layers-model');

  const s = runCli(['summary', four]);
  assert.equal(s.code, 0, s.stderr);
  for (const name of ['conv1', 'pool1', 'hidden', 'logits', 'probs']) assert.match(s.stdout, new RegExp(name));
  assert.match(s.stdout, /layers by index \(for striate train --freeze-up-to\): 0 conv1, 1 pool1, 2 flatten, 3 hidden, 4 logits, 5 probs/);
  const sj = JSON.parse(runCli(['summary', path.join(four, 'model.json'), '--json']).stdout);
  assert.equal(sj.kind, 'layers-model');
  assert.equal(sj.params, tfFour.countParams());

  // predict: the same probabilities TensorFlow.js computes from the same file's weights
  const csv = path.join(dir, 'rows.csv');
  const rows = csvInput(csv);
  const p = runCli(['predict', four, csv, '--top', '4', '--json']);
  assert.equal(p.code, 0, p.stderr);
  const expected = (tfFour.predict(tf.tensor(rows.flat(), [4, 8, 8, 1])) as tf.Tensor).arraySync() as number[][];
  const got = JSON.parse(p.stdout) as { top: { index: number; probability: number }[] }[];
  got.forEach((r, i) => r.top.forEach((t) => assert.ok(Math.abs(t.probability - expected[i][t.index]) < 1e-5,
    `row ${i} class ${t.index}: ${t.probability} vs TensorFlow.js ${expected[i][t.index]}`)));

  // evaluate: the accuracy TensorFlow.js' predictions give on the test split
  const e = runCli(['evaluate', four, '--data', quadrants, '--json']);
  assert.equal(e.code, 0, e.stderr);
  const tx = st.data.loadMnistFolder(quadrants).test;
  const tfPred = (tf.argMax(tfFour.predict(tf.tensor(tx.xs.dataSync() as Float32Array, [...tx.xs.shape])) as tf.Tensor, -1)).dataSync();
  const labels = tx.labels.dataSync();
  const tfAccuracy = Array.from(tfPred).filter((v, i) => v === labels[i]).length / labels.length;
  assert.ok(Math.abs(JSON.parse(e.stdout).accuracy - tfAccuracy) < 1e-9);

  const v = runCli(['viz', four, '--out', path.join(dir, 'viz-four')]);
  assert.equal(v.code, 0, v.stderr);
  assert.match(fs.readFileSync(path.join(dir, 'viz-four', 'model-graph.svg'), 'utf8'), /data-layer="conv1"/);

  const onnx = path.join(dir, 'four.onnx');
  const x = runCli(['export', four, '--onnx', onnx]);
  assert.equal(x.code, 0, x.stderr);
  assert.ok(fs.statSync(onnx).size > 500);
});

test('train --model <file> replaces the head when the classes differ, freezes up to a layer by name or index', async () => {
  const { three, four } = await models();
  const out = path.join(dir, 'tuned');
  const r = runCli(['train', '--model', three, '--data', quadrants, '--freeze-up-to', 'conv1', '--epochs', '2', '--batch-size', '8',
    '--validation-split', '0', '--out', out]);
  assert.equal(r.code, 0, r.stderr + r.stdout);
  assert.match(r.stdout, /fine-tuning .*three: new head head \(4 classes, softmax\) replaces logits, probs/);
  assert.match(r.stdout, /frozen: 1 layers, conv1 through conv1/);
  assert.match(r.stdout, /Epoch 2\/2/);
  assert.match(r.stdout, /Non-trainable params: 40/); // conv1: 3*3*1*4 + 4
  // the saved run model keeps the frozen flag and the pretrained conv1 weights
  const tuned = await st.loadLayersModel(`file://${out}/model/model.json`);
  assert.equal(tuned.getLayer('conv1').trainable, false);
  assert.deepEqual(tuned.outputs[0].shape, [null, 4]);
  const original = await st.loadLayersModel(`file://${three}/model.json`);
  assert.deepEqual(Array.from(tuned.getLayer('conv1').getWeights()[0].dataSync()), Array.from(original.getLayer('conv1').getWeights()[0].dataSync()));
  assert.notDeepEqual(Array.from(tuned.getLayer('hidden').getWeights()[0].dataSync()), Array.from(original.getLayer('hidden').getWeights()[0].dataSync()));

  // a resumed fine-tuning run keeps the frozen layers frozen (the flag is in the checkpoint's model)
  const resumed = runCli(['train', '--resume', out, '--epochs', '3']);
  assert.equal(resumed.code, 0, resumed.stderr + resumed.stdout);
  assert.match(resumed.stdout, /Epoch 3\/3/);
  const further = await st.loadLayersModel(`file://${out}/model/model.json`);
  assert.equal(further.getLayer('conv1').trainable, false);
  assert.deepEqual(Array.from(further.getLayer('conv1').getWeights()[0].dataSync()), Array.from(original.getLayer('conv1').getWeights()[0].dataSync()));

  // the classes match: the head stays (no new head line); an index names the layer as summary lists it
  const kept = runCli(['train', '--model', four, '--data', quadrants, '--freeze-up-to', '2', '--epochs', '1', '--validation-split', '0',
    '--out', path.join(dir, 'kept')]);
  assert.equal(kept.code, 0, kept.stderr + kept.stdout);
  assert.doesNotMatch(kept.stdout, /new head/);
  assert.match(kept.stdout, /frozen: 3 layers, conv1 through flatten/);
  // --new-head replaces it anyway
  const forced = runCli(['train', '--model', four, '--data', quadrants, '--new-head', '--epochs', '1', '--validation-split', '0',
    '--out', path.join(dir, 'forced')]);
  assert.equal(forced.code, 0, forced.stderr + forced.stdout);
  assert.match(forced.stdout, /new head head \(4 classes, softmax\) replaces logits, probs/);
});

test('train --model <file>: clear messages for a wrong layer, the head, frozen everything, a zoo model, a wrong input shape', async () => {
  const { three, four } = await models();
  const base = ['train', '--data', quadrants, '--epochs', '1', '--out', path.join(dir, 'never')];
  fails([...base, '--model', three, '--freeze-up-to', 'hiden'], 2,
    /--freeze-up-to hiden: the model has no layer of that name \(did you mean hidden\?\); its layers: conv1, pool1, flatten, hidden, logits, probs/);
  fails([...base, '--model', three, '--freeze-up-to', '9'], 2, /--freeze-up-to 9: the model has 6 layers \(indices 0 to 5\): 0 conv1, 1 pool1/);
  fails([...base, '--model', three, '--freeze-up-to', 'logits'], 2,
    /layer logits is part of the head being replaced \(logits, probs\); freeze up to a layer of the body, such as hidden/);
  fails([...base, '--model', four, '--freeze-up-to', 'probs'], 2, /freezes every layer with weights, so nothing is left to train; .*--new-head/);
  fails([...base, '--model', 'mlp', '--freeze-up-to', 'conv1'], 2, /--freeze-up-to needs --model <file>: mlp is built from random weights/);
  // 28 x 28 digits into a model made for 8 x 8 images
  fails(['train', '--model', three, '--epochs', '1', '--out', path.join(dir, 'never')], 1,
    /model .*three takes input \[batch, 8, 8, 1\], but the data mnist has samples of shape \[batch, 28, 28, 1\]/);
  const help = runCli(['train', '--help']);
  assert.match(help.stdout, /--freeze-up-to <layer>/);
  assert.match(help.stdout, /head is its last Dense layer with any layers after it/);
});

test('loading a big model file prints a progress line', async () => {
  await ready();
  const big = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [1100], units: 1000, name: 'wide' })] });
  const file = path.join(dir, 'big');
  await tfSave(big, file);
  const r = runCli(['summary', file]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /loading .*big\/model\.json: 4\.2 MB of weights in 1 shard \.\.\./);
  assert.match(r.stdout, /loaded big\/model\.json in \d+\.\d s/);
  const small = runCli(['summary', (await models()).four]);
  assert.doesNotMatch(small.stdout, /loading /);
});

/**
 * A graph model as tensorflowjs_converter writes one: x [-1, 8, 8, 1] -> Reshape [-1, 64] ->
 * MatMul W -> BiasAdd b -> Softmax, with the weights in one shard.
 */
function writeGraphModel(folder: string): { w: Float32Array; b: Float32Array } {
  fs.mkdirSync(folder, { recursive: true });
  const w = Float32Array.from({ length: 64 * 4 }, (_, i) => (((i * 37) % 23) - 11) / 20);
  const b = Float32Array.from([0.1, -0.2, 0.05, 0]);
  const shape = Int32Array.from([-1, 64]);
  const dims = (d: number[]) => ({ dim: d.map((size) => ({ size: String(size) })) });
  const constNode = (name: string, dtype: string, d: number[]) =>
    ({ name, op: 'Const', attr: { value: { tensor: { dtype, tensorShape: dims(d) } }, dtype: { type: dtype } } });
  const json = {
    format: 'graph-model', generatedBy: '2.15.0', convertedBy: 'TensorFlow.js Converter v4.22.0',
    modelTopology: {
      node: [
        { name: 'x', op: 'Placeholder', attr: { dtype: { type: 'DT_FLOAT' }, shape: { shape: dims([-1, 8, 8, 1]) } } },
        constNode('flat_shape', 'DT_INT32', [2]), constNode('dense/kernel', 'DT_FLOAT', [64, 4]), constNode('dense/bias', 'DT_FLOAT', [4]),
        { name: 'flat', op: 'Reshape', input: ['x', 'flat_shape'], attr: { T: { type: 'DT_FLOAT' }, Tshape: { type: 'DT_INT32' } } },
        { name: 'dense/MatMul', op: 'MatMul', input: ['flat', 'dense/kernel'], attr: { T: { type: 'DT_FLOAT' }, transpose_a: { b: false }, transpose_b: { b: false } } },
        { name: 'dense/BiasAdd', op: 'BiasAdd', input: ['dense/MatMul', 'dense/bias'], attr: { T: { type: 'DT_FLOAT' } } },
        { name: 'probs', op: 'Softmax', input: ['dense/BiasAdd'], attr: { T: { type: 'DT_FLOAT' } } },
      ],
      library: {}, versions: { producer: 1482 },
    },
    weightsManifest: [{ paths: ['group1-shard1of1.bin'], weights: [
      { name: 'flat_shape', shape: [2], dtype: 'int32' }, { name: 'dense/kernel', shape: [64, 4], dtype: 'float32' },
      { name: 'dense/bias', shape: [4], dtype: 'float32' }] }],
  };
  fs.writeFileSync(path.join(folder, 'model.json'), JSON.stringify(json));
  fs.writeFileSync(path.join(folder, 'group1-shard1of1.bin'), Buffer.concat([shape, w, b].map((a) => Buffer.from(a.buffer))));
  return { w, b };
}

test('graph models: summary lists inputs, outputs and ops; viz draws the ops; train and export say why not', () => {
  const graph = path.join(dir, 'graph');
  writeGraphModel(graph);
  const s = runCli(['summary', graph]);
  assert.equal(s.code, 0, s.stderr);
  assert.match(s.stdout, /graph model .*graph: 8 nodes, 6 kinds of op, 3 weight tensors \(262 values\)/);
  assert.match(s.stdout, /inputs:\n {2}x {2}\[\?, 8, 8, 1\] {2}float32\noutputs:\n {2}probs\n/);
  assert.match(s.stdout, /Const +3\n/);
  assert.match(s.stdout, /MatMul +1\n/);
  const sj = JSON.parse(runCli(['summary', graph, '--json']).stdout);
  assert.deepEqual(sj.ops, { Const: 3, BiasAdd: 1, MatMul: 1, Placeholder: 1, Reshape: 1, Softmax: 1 });

  const v = runCli(['viz', graph, '--out', path.join(dir, 'viz-graph')]);
  assert.equal(v.code, 0, v.stderr);
  const svg = fs.readFileSync(path.join(dir, 'viz-graph', 'model-graph.svg'), 'utf8');
  assert.match(svg, /data-node="dense\/MatMul" data-op="MatMul"/);
  assert.match(svg, /data-from="flat" data-to="dense\/MatMul"/);
  assert.doesNotMatch(svg, /data-op="Const"/, 'weights are counted in the boxes that read them, not drawn');
  fails(['viz', graph, '--input', path.join(dir, 'x.png')], 1, /is a graph model: viz draws its graph of ops; --input and --png/);

  fails(['train', '--model', graph, '--data', quadrants, '--epochs', '1'], 1,
    /is a graph model .*: graph models are for inference only .*graph\.execute\(x, "<node>"\).* --freeze-up-to/);
  fails(['export', graph, '--onnx', path.join(dir, 'g.onnx')], 1,
    /exporting a graph model to ONNX is not supported: striate's ONNX writer translates Keras layers/);
  assert.ok(!fs.existsSync(path.join(dir, 'g.onnx')));
});

test('graph models run through st.loadGraphModel: predict and evaluate', () => {
  const graph = path.join(dir, 'graph-run');
  const { w, b } = writeGraphModel(graph);
  const csv = path.join(dir, 'graph-run.csv');
  const rows = csvInput(csv);
  const p = runCli(['predict', graph, csv, '--top', '4', '--json']);
  assert.equal(p.code, 0, p.stderr);
  const got = JSON.parse(p.stdout) as { top: { index: number; probability: number }[] }[];
  rows.forEach((row, i) => {
    const logits = [0, 1, 2, 3].map((k) => b[k] + row.reduce((acc, v, j) => acc + v * w[j * 4 + k], 0));
    const z = logits.map((l) => Math.exp(l - Math.max(...logits)));
    const sum = z.reduce((a, c) => a + c, 0);
    for (const t of got[i].top) assert.ok(Math.abs(t.probability - z[t.index] / sum) < 1e-5, `row ${i} class ${t.index}`);
  });
  const e = runCli(['evaluate', graph, '--data', quadrants, '--json']);
  assert.equal(e.code, 0, e.stderr);
  const result = JSON.parse(e.stdout);
  assert.equal(result.samples, 32);
  assert.ok(result.accuracy >= 0 && result.accuracy <= 1 && Number.isFinite(result.loss));
});

test('what evaluate measures for a graph model (its predict function) agrees with evaluate on a layers model', async () => {
  const { four } = await models();
  const model = await st.loadLayersModel(`file://${four}/model.json`);
  model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const tx = st.data.loadMnistFolder(quadrants).test;
  const set = { x: tx.xs, labels: tx.labels.dataSync() as Int32Array };
  const names = ['0', '1', '2', '3'];
  const layers = evaluateOn(model, set, names);
  // predict's output in each form a GraphModel gives: a tensor, a list, a map by output name
  const forms: ((x: st.Tensor) => st.Tensor | st.Tensor[] | Record<string, st.Tensor>)[] = [
    (x) => model.predict(x) as st.Tensor, (x) => [model.predict(x) as st.Tensor], (x) => ({ probs: model.predict(x) as st.Tensor })];
  for (const form of forms) {
    const graphLike = { inputs: [{ name: 'x', shape: [-1, 8, 8, 1] }], outputs: [{ name: 'probs' }] } as unknown as GraphModelLike;
    const r = evaluatePredictions((x) => firstOutput(form(x), graphLike), set, names, 5);
    assert.equal(r.accuracy, layers.accuracy);
    assert.deepEqual(r.matrix, layers.matrix);
    assert.ok(Math.abs(r.loss - layers.loss) < 1e-5, `${r.loss} vs ${layers.loss}`);
    assert.deepEqual(graphSampleShape(graphLike, { inputs: [] } as never), [8, 8, 1]);
  }
  // scores that are not probabilities (logits) go through a softmax first
  const logits = evaluatePredictions((x) => st.log(model.predict(x) as st.Tensor), set, names);
  assert.ok(Math.abs(logits.loss - layers.loss) < 1e-4);
  assert.throws(() => evaluatePredictions((x) => (model.predict(x) as st.Tensor).slice([0, 0], [-1, 3]), set, names),
    /the model outputs \[32, 3\] for a batch of 32, but the data has 4 classes \(expected \[32, 4\]\)/);
});
