/**
 * st.io.toOnnx, checked by a real ONNX reader: each exported model runs in ONNX Runtime (its
 * WebAssembly build, in this process) and must give what striate's predict gives, to 1e-4.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as ort from 'onnxruntime-web';
import * as st from '../../src/index.js';
import { decodeModelProto } from '../../src/io/onnx_schema.js';

// one thread: the test machine is shared, and the models are small
ort.env.wasm.numThreads = 1;

const TOLERANCE = 1e-4;

/**
 * Seeded weights with some spread, so a wrong layout or gate order shows: kernels scaled by their
 * fan-in so that softmax heads do not saturate (which would hide differences), biases and batch
 * norm statistics away from their initial 0 and 1, variances positive.
 */
function randomizeWeights(model: st.LayersModel, seed: number): void {
  model.setWeights(model.weights.map((w, i) => {
    if (w.name.endsWith('moving_variance')) return st.randomUniform(w.shape, 0.5, 1.5, 'float32', seed + i);
    const fanIn = w.rank > 1 ? w.shape.slice(0, -1).reduce((a, b) => a * b, 1) : 25;
    return st.randomNormal(w.shape, 0, 1 / Math.sqrt(fanIn), 'float32', seed + i);
  }));
}

/** Runs the ONNX bytes on `x` in ONNX Runtime; returns the first output. */
export async function runOnnx(bytes: Uint8Array, x: st.Tensor): Promise<{ data: Float32Array; dims: readonly number[] }> {
  const session = await ort.InferenceSession.create(bytes);
  const result = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', Float32Array.from(x.dataSync()), x.shape) });
  const out = result[session.outputNames[0]];
  await session.release();
  return { data: out.data as Float32Array, dims: out.dims };
}

/**
 * Exports `model` (opset 17, and 13, the oldest it may declare), runs it in ONNX Runtime and
 * striate, asserts shapes and values agree; returns the largest difference.
 */
async function compare(model: st.LayersModel, x: st.Tensor, zerosExpected = false): Promise<number> {
  const expected = model.predict(x) as st.Tensor;
  const want = expected.dataSync();
  let worst = 0;
  for (const opsetVersion of [17, 13]) {
    const got = await runOnnx(st.io.toOnnx(model, { opsetVersion }), x);
    assert.deepEqual([...got.dims], expected.shape, 'output shape');
    for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got.data[i] - want[i]));
    assert.ok(worst <= TOLERANCE, `${model.name}, opset ${opsetVersion}: largest difference ${worst} > ${TOLERANCE}`);
  }
  // outputs all alike, or mostly near 0 (a saturated softmax), would hide a wrong layout
  assert.ok(Math.max(...want) - Math.min(...want) > 1e-3, `${model.name}: outputs do not vary`);
  const live = Array.from(want).filter((v) => Math.abs(v) > 1e-3).length;
  assert.ok(zerosExpected || live >= want.length / 2, `${model.name}: only ${live} of ${want.length} outputs are above 1e-3`);
  return worst;
}

test('a dense MLP with every exported activation matches ONNX Runtime', async (t) => {
  const acts = ['relu', 'sigmoid', 'tanh', 'elu', 'selu', 'softplus', 'softsign', 'leakyRelu', 'hardSigmoid', 'relu6', 'swish'] as const;
  const model = st.sequential({ name: 'mlp_activations' });
  acts.forEach((a, i) => model.add(st.layers.dense({ units: 6, activation: a, ...(i === 0 ? { inputShape: [5] } : {}) })));
  model.add(st.layers.dropout({ rate: 0.5 }));
  model.add(st.layers.batchNormalization());
  model.add(st.layers.dense({ units: 4, activation: 'softmax' }));
  randomizeWeights(model, 10);
  t.diagnostic(`max |diff| ${await compare(model, st.randomNormal([7, 5], 0, 1, 'float32', 1))}`);
});

test('the digit CNN (conv same, max pool, dropout, flatten in NHWC order, dense) matches ONNX Runtime', async (t) => {
  const model = st.models.digitCnn({ name: 'digit_cnn' });
  randomizeWeights(model, 20);
  t.diagnostic(`max |diff| ${await compare(model, st.randomUniform([3, 28, 28, 1], 0, 1, 'float32', 2))}`);
});

test('LeNet-5, 28x28 (first conv same) and 32x32 (valid), matches ONNX Runtime', async (t) => {
  for (const size of [28, 32]) {
    const model = st.models.lenet5({ inputShape: [size, size, 1], name: `lenet5_${size}` });
    randomizeWeights(model, 30 + size);
    t.diagnostic(`${size}x${size}: max |diff| ${await compare(model, st.randomUniform([3, size, size, 1], 0, 1, 'float32', 3))}`);
  }
});

test('a ResNet block (conv, BN, relu, conv, BN, add the input, relu, global average pool, dense) matches ONNX Runtime', async (t) => {
  const L = st.layers;
  const input = st.input({ shape: [9, 7, 4] });
  let x = L.conv2d({ filters: 4, kernelSize: 3, padding: 'same', useBias: false }).apply(input) as st.SymbolicTensor;
  x = L.batchNormalization().apply(x) as st.SymbolicTensor;
  x = L.activation({ activation: 'relu' }).apply(x) as st.SymbolicTensor;
  x = L.conv2d({ filters: 4, kernelSize: 3, padding: 'same', useBias: false }).apply(x) as st.SymbolicTensor;
  x = L.batchNormalization().apply(x) as st.SymbolicTensor;
  x = L.add().apply([x, input]) as st.SymbolicTensor;
  x = L.activation({ activation: 'relu' }).apply(x) as st.SymbolicTensor;
  x = L.globalAveragePooling2d().apply(x) as st.SymbolicTensor;
  const out = L.dense({ units: 5, activation: 'softmax' }).apply(x) as st.SymbolicTensor;
  const model = st.model({ inputs: input, outputs: out, name: 'resnet_block' });
  randomizeWeights(model, 40);
  t.diagnostic(`max |diff| ${await compare(model, st.randomNormal([4, 9, 7, 4], 0, 1, 'float32', 4))}`);
});

test('an LSTM model (lstm -> dense) and a backwards LSTM returning sequences match ONNX Runtime', async (t) => {
  const L = st.layers;
  const plain = st.sequential({ name: 'lstm_dense', layers: [
    L.lstm({ units: 5, inputShape: [6, 3] }), L.dense({ units: 3, activation: 'softmax' })] });
  randomizeWeights(plain, 50);
  t.diagnostic(`lstm -> dense: max |diff| ${await compare(plain, st.randomNormal([4, 6, 3], 0, 1, 'float32', 5))}`);
  const backwards = st.sequential({ name: 'lstm_backwards', layers: [
    L.lstm({ units: 4, returnSequences: true, goBackwards: true, inputShape: [5, 3] }),
    L.dense({ units: 2 }), L.flatten(), L.dense({ units: 3 })] });
  randomizeWeights(backwards, 60);
  t.diagnostic(`backwards, sequences: max |diff| ${await compare(backwards, st.randomNormal([2, 5, 3], 0, 1, 'float32', 6))}`);
});

test('GRUs (resetAfter and not, backwards), SimpleRNN and an embedding match ONNX Runtime', async (t) => {
  const L = st.layers;
  const model = st.sequential({ name: 'recurrent_mix', layers: [
    L.embedding({ inputDim: 12, outputDim: 4, inputShape: [7] }),
    L.gru({ units: 5, returnSequences: true }),
    L.gru({ units: 4, resetAfter: false, goBackwards: true, returnSequences: true }),
    L.simpleRNN({ units: 3 }), L.dense({ units: 3, activation: 'softmax' })] });
  randomizeWeights(model, 90);
  const ids = st.tensor(Array.from({ length: 21 }, (_, i) => (i * 5) % 12), [3, 7]);
  t.diagnostic(`max |diff| ${await compare(model, ids)}`);
  const masked = st.sequential({ layers: [L.embedding({ name: 'words', inputDim: 5, outputDim: 2, maskZero: true, inputShape: [3] })] });
  assert.throws(() => st.io.toOnnx(masked), /layer "words" \(Embedding\): maskZero has no ONNX export/);
});

test('average pooling with same padding, depthwise conv, concatenate, zero padding and a strided conv match ONNX Runtime', async (t) => {
  const L = st.layers;
  const input = st.input({ shape: [7, 5, 3] });
  const a = L.averagePooling2d({ poolSize: 3, strides: 2, padding: 'same' }).apply(input) as st.SymbolicTensor;
  const b = L.conv2d({ filters: 2, kernelSize: 3, strides: 2, padding: 'same', activation: 'tanh' }).apply(input) as st.SymbolicTensor;
  let x = L.concatenate().apply([a, b]) as st.SymbolicTensor;
  x = L.depthwiseConv2d({ kernelSize: 2, depthMultiplier: 2, padding: 'same' }).apply(x) as st.SymbolicTensor;
  x = L.zeroPadding2d({ padding: [1, 2] }).apply(x) as st.SymbolicTensor;
  x = L.conv2d({ filters: 3, kernelSize: 2 }).apply(x) as st.SymbolicTensor;
  x = L.maxPooling2d({ poolSize: 2, padding: 'same' }).apply(x) as st.SymbolicTensor;
  // batch norm along the image's height: not ONNX BatchNormalization's axis, written as scale and shift
  x = L.batchNormalization({ axis: 1 }).apply(x) as st.SymbolicTensor;
  x = L.activation({ activation: 'softmax' }).apply(x) as st.SymbolicTensor;
  const out = L.reshape({ targetShape: [-1, 3] }).apply(x) as st.SymbolicTensor;
  const model = st.model({ inputs: input, outputs: out, name: 'layer_mix' });
  randomizeWeights(model, 70);
  t.diagnostic(`max |diff| ${await compare(model, st.randomNormal([2, 7, 5, 3], 0, 1, 'float32', 7))}`);
});

test('element-wise merges, sequence poolings, permute, LSTM states and a nested model match ONNX Runtime', async (t) => {
  const L = st.layers;
  const input = st.input({ shape: [6, 4] });
  const a = L.dense({ units: 4, activation: 'tanh' }).apply(input) as st.SymbolicTensor;
  const sym = (x: unknown): st.SymbolicTensor => x as st.SymbolicTensor;
  const b = sym(L.permute({ dims: [2, 1] }).apply(sym(L.dense({ units: 6 }).apply(sym(L.permute({ dims: [2, 1] }).apply(input))))));
  const merged = [L.subtract(), L.multiply(), L.average(), L.maximum(), L.minimum()].map((m) => m.apply([a, b]) as st.SymbolicTensor);
  const [seq, h, c] = L.lstm({ units: 3, returnSequences: true, returnState: true }).apply(sym(L.add().apply(merged))) as unknown as st.SymbolicTensor[];
  const pooled = [L.globalAveragePooling1d().apply(seq), L.globalMaxPooling1d().apply(seq), h, c] as st.SymbolicTensor[];
  // a model used as a layer, as in transfer learning
  const head = st.sequential({ layers: [L.dense({ units: 5, activation: 'relu', inputShape: [12] }), L.dense({ units: 3 })] });
  const out = sym(head.apply(sym(L.concatenate().apply(pooled))));
  const model = st.model({ inputs: input, outputs: out, name: 'merges' });
  randomizeWeights(model, 80);
  t.diagnostic(`max |diff| ${await compare(model, st.randomNormal([3, 6, 4], 0, 1, 'float32', 9))}`);
});

test('zero padding before a max or average pool keeps its zeros in ONNX Runtime (its Pad folding would not)', async (t) => {
  for (const pool of [st.layers.maxPooling2d, st.layers.averagePooling2d]) {
    const model = st.sequential({ name: 'pad_then_pool', layers: [
      st.layers.zeroPadding2d({ padding: 2, inputShape: [6, 5, 2] }), pool({ poolSize: 3, strides: 2 })] });
    // all inputs negative: a padded cell must win the max (0), and count in the average
    const x = st.randomUniform([2, 6, 5, 2], -4, -1, 'float32', 8);
    t.diagnostic(`${model.layers[1].className}: max |diff| ${await compare(model, x, true)}`);
  }
});

test('the file is ONNX opset 17 with a free batch dimension and no Dropout node; opsetVersion is honoured', () => {
  const model = st.models.digitCnn({ name: 'digit_cnn_file' });
  const proto = decodeModelProto(st.io.toOnnx(model)) as {
    irVersion: number; opsetImport: { version: number }[];
    graph: { node: { opType: string }[]; input: { type: { tensorType: { shape: { dim: { dimParam?: string; dimValue?: number }[] } } } }[] };
  };
  assert.equal(proto.irVersion, 8);
  assert.deepEqual(proto.opsetImport.map((o) => o.version), [17]);
  const ops = proto.graph.node.map((n) => n.opType);
  assert.ok(!ops.includes('Dropout'), ops.join(' '));
  // NHWC in, NCHW for the convolutions, back to NHWC before Flatten: exactly two layout changes
  assert.equal(ops.filter((o) => o === 'Transpose').length, 2, ops.join(' '));
  assert.deepEqual(proto.graph.input[0].type.tensorType.shape.dim, [{ dimParam: 'batch' }, { dimValue: 28 }, { dimValue: 28 }, { dimValue: 1 }]);
  const v13 = decodeModelProto(st.io.toOnnx(model, { opsetVersion: 13 })) as { opsetImport: { version: number }[] };
  assert.deepEqual(v13.opsetImport.map((o) => o.version), [13]);
  assert.throws(() => st.io.toOnnx(model, { opsetVersion: 12 }), /opsetVersion must be an integer from 13 to 17, got 12/);
});

test('a layer without an ONNX form is named, with its class, before anything is written', () => {
  const model = st.sequential({ layers: [
    st.layers.dense({ units: 3, inputShape: [4] }), st.layers.reshape({ targetShape: [3, 1, 1] }),
    st.layers.upSampling2d({ name: 'grow', size: 2 })] });
  assert.throws(() => st.io.toOnnx(model), /layer "grow" \(UpSampling2D\) has no ONNX export; supported layer classes: Dense, Conv2D/);
  const gelu = st.sequential({ layers: [st.layers.dense({ name: 'g', units: 3, activation: 'gelu', inputShape: [4] })] });
  assert.throws(() => st.io.toOnnx(gelu), /layer "g" \(Dense\): activation "gelu" has no ONNX export/);
});
