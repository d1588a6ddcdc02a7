/**
 * Graph models: every row of op_rows.ts loaded by TensorFlow.js' tfjs-converter and by striate
 * from the same artifacts, outputs compared; then the GraphModel API (inputs by map, list and
 * tensor, signatures, execute to an inner node, model info), memory, load-time errors, files.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfconv from '@tensorflow/tfjs-converter';
import * as st from '../../src/index.js';
import { supportedOps } from '../../src/graph/index.js';
import { attr, GraphBuilder, randoms, T } from './graph_builder.js';
import { OP_ROWS, type InputSpec, type OpRow } from './op_rows.js';
import { ARRAY_LOOP_ROW, LIST_WHILE_ROW, MORE_OP_ROWS } from './op_rows_more.js';

function inputValues(name: string, spec: InputSpec): number[] {
  if (spec.values) return spec.values;
  const size = spec.shape.reduce((a, b) => a * b, 1);
  const r = randoms(name.charCodeAt(0) * 7919 + size);
  return Array.from({ length: size }, () => (spec.dtype === 'int32' ? Math.floor((r() + 1) * 3) : r() * 2));
}

function feeds<X>(row: OpRow, make: (values: number[], shape: number[], dtype: 'float32' | 'int32' | 'bool') => X): Record<string, X> {
  return Object.fromEntries(Object.entries(row.inputs).map(([name, spec]) => [name, make(inputValues(name, spec), spec.shape, spec.dtype ?? 'float32')]));
}

function list<X>(x: X | X[]): X[] {
  return Array.isArray(x) ? x : [x];
}

function compare(name: string, ours: st.Tensor, theirs: tf.Tensor, tol: number, checkDtype = true): void {
  assert.deepEqual(ours.shape, theirs.shape, `${name}: shape`);
  if (checkDtype) assert.equal(ours.dtype, theirs.dtype, `${name}: dtype`);
  const a = Array.from(ours.dataSync() as ArrayLike<number>, Number);
  const b = Array.from(theirs.dataSync() as ArrayLike<number>, Number);
  for (let i = 0; i < b.length; i++) {
    const ok = Math.abs(a[i] - b[i]) <= tol * (1 + Math.abs(b[i])) || (Number.isNaN(a[i]) && Number.isNaN(b[i]));
    assert.ok(ok, `${name}[${i}]: striate ${a[i]}, TensorFlow.js ${b[i]}`);
  }
}

await tf.setBackend('cpu');

for (const row of [...OP_ROWS, ...MORE_OP_ROWS, ARRAY_LOOP_ROW]) {
  test(`graph op row: ${row.name}`, async () => {
    const g = new GraphBuilder(row.name.length);
    const outputs = row.build(g);
    const artifacts = g.artifacts();
    const theirs = await tfconv.loadGraphModel(tf.io.fromMemory(artifacts as tf.io.ModelArtifacts));
    const ours = await st.loadGraphModel(st.io.fromMemory(artifacts));
    const tfFeeds = feeds(row, (v, s, d) => tf.tensor(v, s, d));
    const stFeeds = feeds(row, (v, s, d) => st.tensor(v, s, d));
    const expected = list(row.async ? await theirs.executeAsync(tfFeeds, outputs) : theirs.execute(tfFeeds, outputs));
    const got = list(row.async ? await ours.executeAsync(stFeeds, outputs) : ours.execute(stFeeds, outputs));
    assert.equal(got.length, expected.length);
    outputs.forEach((name, i) => compare(`${row.name} / ${name}`, got[i], expected[i], row.tol ?? 1e-5, !row.dtypeDiffers?.includes(name)));
    theirs.dispose();
    ours.dispose();
  });
}

test('the op rows use every op the issue lists', () => {
  const used = new Set<string>();
  for (const row of OP_ROWS) {
    const g = new GraphBuilder();
    row.build(g);
    for (const n of [...g.nodes, ...g.functions.flatMap((f) => f.nodeDef ?? [])]) used.add(n.op);
  }
  const listed = ['Placeholder', 'Const', 'Identity', 'Conv2D', 'DepthwiseConv2dNative', '_FusedConv2D', 'FusedDepthwiseConv2dNative',
    '_FusedMatMul', 'MatMul', 'BiasAdd', 'FusedBatchNorm', 'FusedBatchNormV3', 'Relu', 'Relu6', 'Elu', 'Sigmoid', 'Tanh', 'Softmax', 'Add',
    'AddV2', 'AddN', 'Sub', 'Mul', 'RealDiv', 'Maximum', 'Minimum', 'Mean', 'Sum', 'Max', 'Pad', 'PadV2', 'MirrorPad', 'Reshape', 'Squeeze',
    'ExpandDims', 'ConcatV2', 'Pack', 'Unpack', 'Split', 'StridedSlice', 'Slice', 'Transpose', 'Shape', 'Cast', 'Gather', 'GatherV2',
    'MaxPool', 'AvgPool', 'ResizeBilinear', 'ResizeNearestNeighbor', 'Rsqrt', 'Square', 'Sqrt', 'Exp', 'Log', 'ArgMax', 'TopKV2',
    'NonMaxSuppressionV3', 'NonMaxSuppressionV5', 'Where', 'Fill', 'ZerosLike', 'Range', 'Tile', 'Switch', 'Merge', 'StatelessIf', 'StatelessWhile', 'Enter', 'Exit', 'NextIteration', 'LoopCond'];
  assert.deepEqual(listed.filter((op) => !used.has(op)), []);
  assert.deepEqual(listed.filter((op) => !supportedOps().includes(op)), []);
});

/** A small classifier: x [-1, 4] -> dense relu (features) -> dense -> softmax, with a signature. */
function classifier(signature = false): ReturnType<GraphBuilder['artifacts']> {
  const g = new GraphBuilder(7);
  g.placeholder('x', [-1, 4]);
  g.const('w1', [4, 5], undefined, 'DT_FLOAT', true);
  g.const('b1', [5]);
  g.const('w2', [5, 3]);
  g.const('b2', [3]);
  g.op('features', '_FusedMatMul', ['x', 'w1', 'b1'], { ...T, fused_ops: attr.strs(['BiasAdd', 'Relu']), num_args: attr.i(1), transpose_a: attr.b(false), transpose_b: attr.b(false) });
  g.op('logits', 'MatMul', ['features', 'w2'], { ...T, transpose_a: attr.b(false), transpose_b: attr.b(false) });
  g.op('biased', 'BiasAdd', ['logits', 'b2'], T);
  g.op('probs', 'Softmax', ['biased'], T);
  if (!signature) return g.artifacts();
  return g.artifacts({
    signature: {
      inputs: { 'x:0': { name: 'x:0', dtype: 'DT_FLOAT', tensorShape: { dim: [{ size: '-1' }, { size: '4' }] } } },
      outputs: { 'probs:0': { name: 'probs:0', dtype: 'DT_FLOAT' } },
    },
  });
}

const xs = [[0.1, -0.2, 0.3, 0.9], [1, 0.5, -1, 0.2]];

test('model info matches TensorFlow.js: inputs, outputs, inputNodes, outputNodes, modelVersion, weights', async () => {
  for (const signature of [false, true]) {
    const artifacts = classifier(signature);
    const theirs = await tfconv.loadGraphModel(tf.io.fromMemory(artifacts as tf.io.ModelArtifacts));
    const ours = await st.loadGraphModel(st.io.fromMemory(artifacts));
    assert.deepEqual(ours.inputNodes, theirs.inputNodes);
    assert.deepEqual(ours.outputNodes, theirs.outputNodes);
    assert.deepEqual(ours.inputs, theirs.inputs);
    assert.deepEqual(ours.outputs.map((o) => o.name), theirs.outputs.map((o) => o.name));
    assert.equal(ours.modelVersion, theirs.modelVersion);
    assert.deepEqual(Object.keys(ours.weights).sort(), Object.keys(theirs.weights).sort());
    for (const [name, [t]] of Object.entries(theirs.weights)) compare(`weight ${name}`, ours.weights[name][0], t, 1e-7);
    compare('predict', ours.predict(st.tensor2d(xs)) as st.Tensor, theirs.predict(tf.tensor2d(xs)) as tf.Tensor, 1e-6);
  }
});

test('inputs by tensor, list and name map (signature keys too) give the same outputs', async () => {
  const ours = await st.loadGraphModel(st.io.fromMemory(classifier(true)));
  const x = st.tensor2d(xs);
  const byTensor = ours.predict(x) as st.Tensor;
  st.test_util.expectArraysClose(ours.predict([x]) as st.Tensor, byTensor);
  st.test_util.expectArraysClose(ours.execute({ 'x:0': x }) as st.Tensor, byTensor);
  st.test_util.expectArraysClose(ours.execute({ x }, 'probs') as st.Tensor, byTensor);
  st.test_util.expectArraysClose(ours.execute({ x }, ['probs:0']) as st.Tensor, byTensor);
  await assert.rejects(async () => ours.executeAsync([x, x]), /the model has 1 input\(s\) \[x:0\], got 2 tensor\(s\)/);
  assert.throws(() => ours.execute({ y: x }), /the input 'y' is not part of the graph/);
  assert.throws(() => ours.execute({ x: st.ones([2, 5]) }), /input 'x' must have shape \[-1,4\] \(-1: any size\), got \[2,5\]/);
  assert.throws(() => ours.execute({ x: st.ones([2, 4], 'int32') }), /input 'x' must be float32, got int32/);
  assert.throws(() => ours.execute({ x }, 'nowhere'), /the output 'nowhere' is not found in the graph/);
});

test('execute to an inner node gives its features, as TensorFlow.js does; several outputs give a list', async () => {
  const artifacts = classifier();
  const theirs = await tfconv.loadGraphModel(tf.io.fromMemory(artifacts as tf.io.ModelArtifacts));
  const ours = await st.loadGraphModel(st.io.fromMemory(artifacts));
  compare('features', ours.execute(st.tensor2d(xs), 'features') as st.Tensor, theirs.execute(tf.tensor2d(xs), 'features') as tf.Tensor, 1e-6);
  const both = ours.execute(st.tensor2d(xs), ['features', 'probs']) as st.Tensor[];
  assert.deepEqual(both.map((t) => t.shape), [[2, 5], [2, 3]]);
});

test('intermediate tensors are freed: a prediction leaves only its output behind', async () => {
  const ours = await st.loadGraphModel(st.io.fromMemory(classifier()));
  const x = st.tensor2d(xs);
  ours.predict(x); // warm up whatever caches the backend keeps
  const before = st.memory().numTensors;
  const y = ours.predict(x) as st.Tensor;
  assert.equal(st.memory().numTensors, before + 1);
  y.dispose();
  const w = ours.execute(x, 'w2') as st.Tensor; // a weight comes out as a copy: disposing it leaves the model whole
  w.dispose();
  assert.equal(ours.weights.w2[0].isDisposed, false);
  const weightsBefore = st.memory().numTensors;
  ours.dispose();
  assert.equal(st.memory().numTensors, weightsBefore - 4);
  assert.throws(() => ours.predict(x), /the model has been disposed/);
});

test('loops free their iterations: after a TF1 while loop and a functional While only the outputs remain', async () => {
  for (const prefix of ['a TF1 while loop', 'StatelessIf']) {
    const row = OP_ROWS.find((r) => r.name.startsWith(prefix))!;
    const g = new GraphBuilder();
    const outputs = row.build(g);
    const model = await st.loadGraphModel(st.io.fromMemory(g.artifacts()));
    const inputs = feeds(row, (v, s, d) => st.tensor(v, s, d));
    await model.executeAsync(inputs, outputs); // warm up
    const before = st.memory().numTensors;
    const out = list(await model.executeAsync(inputs, outputs));
    assert.equal(st.memory().numTensors, before + out.length, prefix);
    assert.throws(() => model.execute(inputs, outputs), /use executeAsync/);
  }
});

test('an op striate does not run is an error at load time naming the op, the node and the model', async () => {
  const g = new GraphBuilder();
  g.placeholder('x', [2]);
  g.op('fancy', 'FancyNewOp', ['x'], T);
  g.op('odd', 'Bucketize', ['fancy'], T);
  await assert.rejects(() => st.loadGraphModel(st.io.fromMemory(g.artifacts())),
    /loadGraphModel\(handler\): the graph uses ops striate's graph executor does not run: "FancyNewOp" \(node "fancy"\), "Bucketize" \(node "odd"\)/);
  const f = new GraphBuilder();
  f.placeholder('x', [2]);
  f.fn({ signature: { name: 'body', inputArg: [{ name: 'a' }], outputArg: [{ name: 'o' }] }, nodeDef: [{ name: 'h', op: 'HashTableV2' }], ret: { o: 'a' } });
  assert.throws(() => st.loadGraphModelSync(f.artifacts() as never), /"HashTableV2" \(node "h" in function "body"\)/);
});

test('load-time errors: a Const without its weight, a missing input node, a layers model', async () => {
  const g = new GraphBuilder();
  g.placeholder('x', [2]);
  g.nodes.push({ name: 'lost', op: 'Const', attr: { dtype: attr.type('DT_FLOAT') } });
  g.op('y', 'Add', ['x', 'lost'], T);
  await assert.rejects(() => st.loadGraphModel(st.io.fromMemory(g.artifacts())), /Const node "lost" has no weight in the weights manifest/);
  const h = new GraphBuilder();
  h.op('y', 'Relu', ['ghost'], T);
  await assert.rejects(() => st.loadGraphModel(st.io.fromMemory(h.artifacts())), /node "y" \(Relu\) reads "ghost", which is no node of the graph/);
  const layers = st.io.toArtifacts(st.sequential({ layers: [st.layers.dense({ units: 1, inputShape: [2] })] }));
  await assert.rejects(() => st.loadGraphModel(st.io.fromMemory(layers)), /this is a layers model .*st\.loadLayersModel/);
});

test('value-dependent ops need executeAsync, as in TensorFlow.js; a missing input is named', async () => {
  const g = new GraphBuilder();
  g.placeholder('x', [3]);
  g.const('zero', [], [0]);
  g.op('gt', 'Greater', ['x', 'zero'], T);
  g.op('where', 'Where', ['gt'], { T: attr.type('DT_BOOL') });
  const model = await st.loadGraphModel(st.io.fromMemory(g.artifacts()));
  assert.throws(() => model.execute(st.tensor1d([1, -1, 2])), /node "where" \(Where\), which is control flow or depends on tensor values; use executeAsync/);
  const idx = await model.executeAsync(st.tensor1d([1, -1, 2])) as st.Tensor;
  assert.deepEqual(idx.arraySync(), [[0], [2]]);
  assert.throws(() => model.execute({}, 'gt'), /cannot compute \[gt\] without the input \[x\]/);
  // a run that fails part-way frees what it made
  const bad = new GraphBuilder();
  bad.placeholder('x', [-1, 2]);
  bad.op('sq', 'Square', ['x'], T);
  bad.ints('shape', [5]);
  bad.op('rs', 'Reshape', ['sq', 'shape'], T);
  const broken = await st.loadGraphModel(st.io.fromMemory(bad.artifacts()));
  const input = st.ones([3, 2]);
  const before = st.memory().numTensors;
  assert.throws(() => broken.execute(input), /GraphModel\.execute: node "rs" \(Reshape\): .*reshape/i);
  assert.equal(st.memory().numTensors, before);
  // NonMaxSuppressionV5's third output, valid_outputs (TensorFlow.js 4.22 does not return it)
  const row = OP_ROWS.find((r) => r.name.startsWith('NonMaxSuppression'))!;
  const n = new GraphBuilder();
  row.build(n);
  const nms = await st.loadGraphModel(st.io.fromMemory(n.artifacts()));
  const count = await nms.executeAsync(feeds(row, (v, s, d) => st.tensor(v, s, d)), 'nms5:2') as st.Tensor;
  assert.equal(count.dtype, 'int32');
  assert.deepEqual(count.arraySync(), 2);
});

test('loads model.json and its shards from file:// like TensorFlow.js, quantized weights expanded', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'st-graph-'));
  const artifacts = classifier(true);
  const { weightData, weightSpecs, ...json } = artifacts;
  fs.writeFileSync(path.join(dir, 'group1-shard1of1.bin'), new Uint8Array(weightData));
  fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify({ ...json, weightsManifest: [{ paths: ['group1-shard1of1.bin'], weights: weightSpecs }] }));
  const ours = await st.loadGraphModel(`file://${path.join(dir, 'model.json')}`);
  const theirs = await tfconv.loadGraphModel(tf.io.fromMemory(artifacts as tf.io.ModelArtifacts));
  compare('file model', ours.predict(st.tensor2d(xs)) as st.Tensor, theirs.predict(tf.tensor2d(xs)) as tf.Tensor, 1e-6);
  fs.rmSync(dir, { recursive: true });
});

test('transfer learning: graph-model features feed a trainable layers head', async () => {
  const model = await st.loadGraphModel(st.io.fromMemory(classifier()));
  const x = st.randomNormal([32, 4], 0, 1, 'float32', 3);
  const labels = st.cast(st.greater(st.sum(x, 1), 0), 'float32').reshape([32, 1]);
  const features = model.execute(x, 'features') as st.Tensor;
  const head = st.sequential({ layers: [st.layers.dense({ units: 1, activation: 'sigmoid', inputShape: [5] })] });
  head.compile({ optimizer: st.train.adam(0.05), loss: 'binaryCrossentropy' });
  const history = await head.fit(features, labels, { epochs: 30, verbose: 0 });
  const loss = history.history.loss as number[];
  assert.ok(loss[loss.length - 1] < loss[0], `the head learns: loss ${loss[0]} -> ${loss[loss.length - 1]}`);
});

test('NCHW nodes (Conv2D, _FusedConv2D, DepthwiseConv2dNative, BiasAdd, MaxPool, AvgPool, FusedBatchNormV3) equal their NHWC forms', async () => {
  const build = (format: 'NHWC' | 'NCHW'): GraphBuilder => {
    const g = new GraphBuilder(5);
    const nchw = format === 'NCHW';
    const four = (h: number, w: number): number[] => (nchw ? [1, 1, h, w] : [1, h, w, 1]);
    const win = { ...T, data_format: attr.s(format), dilations: attr.ints([1, 1, 1, 1]) };
    g.placeholder('x', nchw ? [1, 2, 6, 6] : [1, 6, 6, 2]);
    g.const('w', [3, 3, 2, 3]);
    g.const('b', [3]);
    g.const('dw', [3, 3, 3, 1]);
    for (const p of ['scale', 'offset', 'mean']) g.const(p, [3]);
    g.const('var', [3], [1, 0.5, 2]);
    g.op('conv', 'Conv2D', ['x', 'w'], { ...win, strides: attr.ints(four(2, 1)), padding: attr.s('SAME') });
    g.op('bias', 'BiasAdd', ['conv', 'b'], { ...T, data_format: attr.s(format) });
    g.op('fused', '_FusedConv2D', ['x', 'w', 'b'], { ...win, strides: attr.ints(four(1, 1)), padding: attr.s('EXPLICIT'),
      explicit_paddings: attr.ints(nchw ? [0, 0, 0, 0, 1, 0, 2, 1] : [0, 0, 1, 0, 2, 1, 0, 0]), fused_ops: attr.strs(['BiasAdd', 'Relu6']), num_args: attr.i(1) });
    g.op('dwise', 'DepthwiseConv2dNative', ['bias', 'dw'], { ...win, strides: attr.ints(four(1, 1)), padding: attr.s('SAME') });
    g.op('mp', 'MaxPool', ['fused'], { ...T, data_format: attr.s(format), ksize: attr.ints(four(2, 2)), strides: attr.ints(four(2, 2)), padding: attr.s('SAME') });
    g.op('ap', 'AvgPool', ['dwise'], { ...T, data_format: attr.s(format), ksize: attr.ints(four(2, 2)), strides: attr.ints(four(1, 1)), padding: attr.s('VALID') });
    g.op('bn', 'FusedBatchNormV3', ['mp', 'scale', 'offset', 'mean', 'var'], { ...T, data_format: attr.s(format), epsilon: attr.f(0.001) });
    return g;
  };
  const x = st.randomUniform([1, 6, 6, 2], -1, 1, 'float32', 9);
  const nhwc = await st.loadGraphModel(st.io.fromMemory(build('NHWC').artifacts()));
  const nchw = await st.loadGraphModel(st.io.fromMemory(build('NCHW').artifacts()));
  const outs = ['bn', 'ap', 'bias'];
  const a = nhwc.execute(x, outs) as st.Tensor[];
  const b = nchw.execute(st.transpose(x, [0, 3, 1, 2]), outs) as st.Tensor[];
  outs.forEach((name, i) => st.test_util.expectArraysClose(st.transpose(b[i], [0, 2, 3, 1]), a[i], 1e-5));
});

test('loads over http with TensorFlow.js load options (fetchFunc, fromTFHub, onProgress), as tfjs-converter does', async () => {
  const artifacts = classifier();
  const { weightData, weightSpecs, ...json } = artifacts;
  const bytes = new Uint8Array(weightData);
  const half = Math.floor(bytes.length / 2);
  const body = JSON.stringify({ ...json, weightsManifest: [{ paths: ['shard1', 'shard2'], weights: weightSpecs }] });
  const files: Record<string, Uint8Array | string> = {
    'https://host/m/model.json': body, 'https://host/m/shard1': bytes.slice(0, half), 'https://host/m/shard2': bytes.slice(half),
    // TF Hub's query goes on the shards' URLs too, as TensorFlow.js' http handler sends it
    'https://hub.example/mod/model.json?tfjs-format=file': body, 'https://hub.example/mod/shard1?tfjs-format=file': bytes.slice(0, half),
    'https://hub.example/mod/shard2?tfjs-format=file': bytes.slice(half),
  };
  const urls: string[] = [];
  const fetchFunc = async (url: string): Promise<Response> => {
    urls.push(url);
    return files[url] === undefined ? new Response('nope', { status: 404, statusText: 'Not Found' }) : new Response(files[url] as BodyInit);
  };
  const progress: number[] = [];
  const theirs = await tfconv.loadGraphModel(tf.io.fromMemory(artifacts as tf.io.ModelArtifacts));
  const expected = theirs.predict(tf.tensor2d(xs)) as tf.Tensor;
  const ours = await st.loadGraphModel('https://host/m/model.json', { fetchFunc, onProgress: (f) => progress.push(f) });
  compare('http model', ours.predict(st.tensor2d(xs)) as st.Tensor, expected, 1e-6);
  assert.equal(progress[progress.length - 1], 1);
  const hub = await st.loadGraphModel('https://hub.example/mod', { fetchFunc, fromTFHub: true });
  compare('TF Hub model', hub.predict(st.tensor2d(xs)) as st.Tensor, expected, 1e-6);
  assert.ok(urls.includes('https://hub.example/mod/model.json?tfjs-format=file'), urls.join(' '));
  await assert.rejects(() => st.loadGraphModel('https://host/none/model.json', { fetchFunc }), /404/);
  await assert.rejects(() => st.loadGraphModel('https://host/m/model.json', { fetchFunk: fetchFunc } as never), /unknown option "fetchFunk" for loadGraphModel/);
});

test('tensor lists through a StatelessWhile give the known values (x * i stacked, read back, pushed and popped)', async () => {
  const g = new GraphBuilder();
  const outputs = LIST_WHILE_ROW.build(g);
  const model = await st.loadGraphModel(st.io.fromMemory(g.artifacts()));
  const [stacked, get, len, popped] = await model.executeAsync({ x: st.tensor1d([1, 2, 3]), n: st.scalar(4, 'int32') }, outputs) as st.Tensor[];
  assert.deepEqual(stacked.arraySync(), [[0, 0, 0], [1, 2, 3], [2, 4, 6], [3, 6, 9]]);
  assert.deepEqual(get.arraySync(), [1, 2, 3]);
  assert.deepEqual([len.dtype, len.arraySync()], ['int32', 4]);
  assert.deepEqual(popped.arraySync(), [1, 2, 3]);
  // the lists' items are freed when the run ends
  const before = st.memory().numTensors;
  const again = await model.executeAsync({ x: st.tensor1d([1, 2, 3]), n: st.scalar(4, 'int32') }, outputs) as st.Tensor[];
  assert.equal(st.memory().numTensors, before + again.length + 2); // the outputs and the two inputs made here
});
