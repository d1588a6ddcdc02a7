/**
 * Quantized model files both ways with TensorFlow.js: striate saves with
 * `{quantizationBytes: 1 | 2}` or `{float16: true}` and tfjs-layers loads the files; files
 * quantized as the TensorFlow.js converter writes them (built here by a separate, plain
 * implementation of the converter's rule from a tfjs model's weights) load in striate; both
 * libraries predict the same from the same file, and the weights stay within half a code step.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as st from '../../src/index.js';
import { numberToFloat16, quantizeValues } from '../../src/io/quantization.js';
import { ready, tf, tfl, tfLoad } from './tfjs_interop.js';
import { assertThrowsMessage, testValues } from '../helpers.js';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'striate-quant-'));

function sample(n: number, seed: number): Float32Array {
  return Float32Array.from(testValues(n, seed));
}

function worstDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

/** A small conv net with a bias that is all zeros (min == max) and a batch norm. */
function convNet(): st.LayersModel {
  st.setSeed(5);
  const model = st.sequential({ layers: [
    st.layers.conv2d({ filters: 4, kernelSize: 3, activation: 'relu', inputShape: [8, 8, 1], name: 'conv' }),
    st.layers.batchNormalization({ name: 'bn' }),
    st.layers.flatten({ name: 'flat' }),
    st.layers.dense({ units: 3, activation: 'softmax', name: 'out' }),
  ] });
  // non-trivial batch-norm statistics; the conv bias stays all zeros
  model.setWeights(model.weights.map((v, i) => {
    if (v.name.endsWith('conv/bias')) return st.zeros([...v.shape]);
    if (v.name.endsWith('variance')) return st.tensor(Array.from(sample(v.size, 30 + i), (x) => 0.5 + Math.abs(x)), [...v.shape]);
    return st.tensor(sample(v.size, 30 + i), [...v.shape]);
  }));
  return model;
}

const input = sample(2 * 8 * 8, 77);

function stPredict(m: st.LayersModel): Float32Array {
  return Float32Array.from((m.predict(st.tensor(input, [2, 8, 8, 1])) as st.Tensor).dataSync());
}

function tfPredict(m: tfl.LayersModel): Float32Array {
  return (m.predict(tf.tensor(input, [2, 8, 8, 1])) as tf.Tensor).dataSync() as Float32Array;
}

test('float16: every half value comes back as itself, and each float32 goes to its nearest half (ties to even)', async () => {
  await ready();
  // tfjs' own float16 decoder as the oracle: every bit pattern through tf.io.decodeWeights
  const all = Uint16Array.from({ length: 65536 }, (_, i) => i);
  const decoded = tf.io.decodeWeights(all.buffer, [{ name: 'h', shape: [65536], dtype: 'float32', quantization: { dtype: 'float16' } }]).h
    .dataSync() as Float32Array;
  for (let bits = 0; bits < 65536; bits++) {
    const v = decoded[bits];
    if (Number.isNaN(v)) {
      assert.ok(Number.isNaN(st.io.decodeWeights(Uint16Array.of(numberToFloat16(v)).buffer,
        [{ name: 'n', shape: [1], dtype: 'float32', quantization: { dtype: 'float16' } }]).n.dataSync()[0]));
      continue;
    }
    assert.equal(numberToFloat16(v), bits, `half ${bits.toString(16)} (${v})`);
  }
  // the finite halves in order, to find the nearest by search
  const finite = Array.from(decoded).filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  const nearest = (x: number): number => {
    let lo = 0;
    let hi = finite.length - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (finite[mid] <= x) lo = mid; else hi = mid;
    }
    return Math.abs(finite[lo] - x) <= Math.abs(finite[hi] - x) ? finite[lo] : finite[hi];
  };
  const probes = [...Array.from(sample(2000, 3), (v) => v * 3), ...Array.from(sample(500, 4), (v) => v * 1e-5), ...Array.from(sample(500, 5), (v) => v * 6e4),
    1 + 2 ** -11, 1 + 3 * 2 ** -11, 2 ** -25, 3 * 2 ** -26, 65519, 65520, 1e6, -1e6];
  for (const p of probes) {
    const x = Math.fround(p);
    const got = decoded[numberToFloat16(x)];
    if (Math.abs(x) >= 65520) {
      assert.equal(got, Math.sign(x) * Infinity, `${x} overflows to Infinity`);
      continue;
    }
    const want = nearest(x);
    // a tie goes to the even code: either neighbour is as near, so compare distances
    assert.equal(Math.abs(got - x), Math.abs(want - x), `${x}: got ${got}, nearest ${want}`);
  }
  assert.equal(numberToFloat16(1 + 2 ** -11), 0x3c00, '1 + half an ulp rounds to even (1)');
  assert.equal(numberToFloat16(1 + 3 * 2 ** -11), 0x3c02, '1 + 1.5 ulp rounds to even (1 + 2 ulp)');
});

test('uint8/uint16 codes follow the converter: the range nudged so that 0 is a code, constants exact', () => {
  // the converter's own documented example: [0, -0.1, 1.2] -> codes [20, 0, 255]
  const ex = quantizeValues(Float32Array.of(0, -0.1, 1.2), 'uint8')!;
  assert.deepEqual(Array.from(ex.bytes), [20, 0, 255]);
  assert.ok(Math.abs(ex.quantization.min! - -0.10196078817) < 1e-9, `min ${ex.quantization.min}`);
  assert.ok(Math.abs(ex.quantization.scale! - 0.00509803940852) < 1e-12, `scale ${ex.quantization.scale}`);
  assert.equal(ex.quantization.original_dtype, 'float32');
  for (const dtype of ['uint8', 'uint16'] as const) {
    const top = dtype === 'uint8' ? 255 : 65535;
    const values = Float32Array.from(sample(1000, 9), (v) => v * 2 - 0.3);
    const { bytes, quantization: q } = quantizeValues(values, dtype)!;
    const codes = dtype === 'uint8' ? bytes : new Uint16Array(bytes.buffer);
    assert.equal(codes.length, values.length);
    // zero is exactly a code
    const zero = -q.min! / q.scale!;
    assert.ok(Math.abs(zero - Math.round(zero)) < 1e-9, `${dtype}: zero at code ${zero}`);
    values.forEach((v, i) => {
      const back = codes[i] * q.scale! + q.min!;
      assert.ok(Math.abs(back - v) <= q.scale! / 2 + 1e-7, `${dtype}[${i}]: ${v} came back ${back} (step ${q.scale})`);
      assert.ok(codes[i] <= top);
    });
    // all positive: no nudging, the range is [min, max] itself
    const positive = quantizeValues(Float32Array.of(2, 3, 5), dtype)!;
    assert.equal(positive.quantization.min, 2);
    assert.equal(positive.quantization.scale, 3 / top);
    // a constant weight: zeros, scale 1, min the value, so it comes back exactly
    const constant = quantizeValues(Float32Array.of(0.7, 0.7), dtype)!;
    assert.deepEqual(Array.from(constant.bytes), new Array(constant.bytes.length).fill(0));
    assert.equal(constant.quantization.scale, 1);
    assert.equal(constant.quantization.min, Math.fround(0.7));
    // no finite range: not quantized
    assert.equal(quantizeValues(Float32Array.of(1, NaN), dtype), null);
    assert.equal(quantizeValues(Float32Array.of(1, Infinity), dtype), null);
  }
});

for (const [label, options, qdtype] of [
  ['uint8', { quantizationBytes: 1 }, 'uint8'],
  ['uint16', { quantizationBytes: 2 }, 'uint16'],
  ['float16', { float16: true }, 'float16'],
] as const) {
  test(`striate -> TensorFlow.js: model.save(url, ${JSON.stringify(options)}) loads in tfjs-layers and predicts what striate predicts`, async () => {
    await ready();
    const model = convNet();
    const dir = tmp();
    const plainDir = tmp();
    await model.save(`file://${plainDir}`);
    await model.save(`file://${dir}`, options);
    const json = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
    const specs = json.weightsManifest[0].weights as st.io.WeightsManifestEntry[];
    for (const s of specs) {
      assert.equal(s.dtype, 'float32', s.name);
      assert.equal(s.quantization?.dtype, qdtype, `${s.name} is stored as ${qdtype}`);
    }
    const shardBytes = (d: string): number => fs.readdirSync(d).filter((f) => f.endsWith('.bin')).reduce((n, f) => n + fs.statSync(path.join(d, f)).size, 0);
    const perValue = qdtype === 'uint8' ? 1 : 2;
    assert.equal(shardBytes(dir), shardBytes(plainDir) * perValue / 4, 'the shard shrinks by the bytes per value');

    const ours = await st.loadLayersModel(`file://${dir}/model.json`);
    const theirs = await tfLoad(dir);
    // the same dequantized weights in both libraries, each within half a code step of the original
    const shard = fs.readdirSync(dir).find((f) => f.endsWith('.bin'))!;
    const bytes = new Uint8Array(fs.readFileSync(path.join(dir, shard))).buffer;
    const mine = st.io.decodeWeights(bytes, specs);
    const tfs = tf.io.decodeWeights(bytes, specs as tf.io.WeightsManifestEntry[]);
    const originals = new Map(model.weights.map((v) => [v.name, (v as unknown as st.Tensor).dataSync()]));
    for (const s of specs) {
      assert.ok(worstDiff(mine[s.name].dataSync(), tfs[s.name].dataSync() as Float32Array) === 0, `${s.name}: striate and tfjs dequantize alike`);
      const q = s.quantization!;
      const orig = originals.get(s.name)!;
      // float16: half a unit in the last place of the largest value
      const step = q.dtype === 'float16' ? Math.max(...Array.from(orig, Math.abs)) * 2 ** -11 : q.scale! / 2;
      assert.ok(worstDiff(mine[s.name].dataSync(), orig) <= step * (1 + 1e-6) + 1e-7, `weight ${s.name} within ${step} of the original`);
    }
    const pOurs = stPredict(ours);
    const pTheirs = tfPredict(theirs);
    assert.ok(worstDiff(pOurs, pTheirs) <= 1e-5, `${label}: striate and tfjs predict alike from the quantized file (${worstDiff(pOurs, pTheirs)})`);
    // and the quantized model stays near the float one
    const loose = qdtype === 'uint8' ? 0.05 : 1e-3;
    assert.ok(worstDiff(pOurs, stPredict(model)) <= loose, `${label}: quantized predictions within ${loose} of float32 (${worstDiff(pOurs, stPredict(model))})`);
  });
}

test('model.save through an IO handler passes quantized artifacts (TensorFlow.js\' fromMemory reads them)', async () => {
  await ready();
  const model = convNet();
  let saved: st.io.ModelArtifacts | undefined;
  await model.save(st.io.withSaveHandler(async (artifacts) => {
    saved = artifacts;
    return { modelArtifactsInfo: st.io.getModelArtifactsInfoForJSON(artifacts) };
  }), { quantizationBytes: 1 });
  assert.ok(saved!.weightSpecs!.every((s) => s.quantization?.dtype === 'uint8'));
  const theirs = await tfl.loadLayersModel(tf.io.fromMemory(saved as tf.io.ModelArtifacts));
  const ours = await st.loadLayersModel(st.io.fromMemory(saved!));
  assert.ok(worstDiff(stPredict(ours), tfPredict(theirs)) <= 1e-5);
});

/**
 * The converter's rule written out plainly (min/max, nudge zero onto a code, round half to even),
 * apart from striate's, to make files as `tensorflowjs_converter --quantize_uint8` makes them.
 */
function converterQuantize(values: Float32Array, bits: 8 | 16): { codes: number[]; min: number; scale: number } {
  const top = 2 ** bits - 1;
  let min = Math.min(...values);
  const max = Math.max(...values);
  if (min === max) return { codes: Array.from(values, () => 0), min, scale: 1 };
  const scale = (max - min) / top;
  let hi = max;
  if (min <= 0 && max >= 0) {
    const z = -min / scale;
    const zr = Math.abs(z - Math.trunc(z)) === 0.5 ? 2 * Math.round(z / 2) : Math.round(z);
    min = -zr * scale;
    hi = top * scale + min;
  }
  return { scale, min, codes: Array.from(values, (v) => {
    const c = (Math.min(Math.max(v, min), hi) - min) / scale;
    return Math.abs(c - Math.trunc(c)) === 0.5 ? 2 * Math.round(c / 2) : Math.round(c);
  }) };
}

test('TensorFlow.js -> striate: a tfjs-layers model quantized as the converter writes it loads and predicts alike', async () => {
  await ready();
  const tfModel = tfl.sequential({ layers: [
    tfl.layers.conv2d({ filters: 3, kernelSize: 3, activation: 'relu', inputShape: [8, 8, 1], name: 'c' }),
    tfl.layers.maxPooling2d({ poolSize: 2 }),
    tfl.layers.flatten(),
    tfl.layers.dense({ units: 4, activation: 'softmax', name: 'd' }),
  ] });
  tfModel.setWeights(tfModel.weights.map((w, i) => { const shape = w.shape as number[]; return tf.tensor(sample(shape.reduce((a, b) => a * b, 1), 50 + i), shape); }));
  let artifacts: tf.io.ModelArtifacts | undefined;
  await tfModel.save(tf.io.withSaveHandler(async (a) => {
    artifacts = a;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  const tensors = tf.io.decodeWeights(artifacts!.weightData!, artifacts!.weightSpecs!);
  for (const bits of [8, 16] as const) {
    const parts: Uint8Array[] = [];
    const specs = artifacts!.weightSpecs!.map((s) => {
      const q = converterQuantize(tensors[s.name].dataSync() as Float32Array, bits);
      parts.push(bits === 8 ? Uint8Array.from(q.codes) : new Uint8Array(Uint16Array.from(q.codes).buffer));
      return { ...s, quantization: { dtype: bits === 8 ? 'uint8' as const : 'uint16' as const, min: q.min, scale: q.scale, original_dtype: 'float32' } };
    });
    const dir = tmp();
    const data = Buffer.concat(parts);
    fs.writeFileSync(path.join(dir, 'group1-shard1of1.bin'), data);
    fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify({
      format: 'layers-model', generatedBy: 'keras v2.15.0', convertedBy: 'TensorFlow.js Converter v4.22.0',
      modelTopology: artifacts!.modelTopology, weightsManifest: [{ paths: ['group1-shard1of1.bin'], weights: specs }],
    }));
    const ours = await st.loadLayersModel(`file://${dir}/model.json`);
    const theirs = await tfLoad(dir);
    assert.ok(worstDiff(stPredict(ours), tfPredict(theirs)) <= 1e-5, `uint${bits}: the same predictions`);
    // striate writes the same codes for the same weights
    const again = st.io.toArtifacts(ours, bits === 8 ? 'uint8' : 'uint16');
    const codes = new Uint8Array(again.weightData as ArrayBuffer);
    const requantized = st.io.decodeWeights(again.weightData!, again.weightSpecs!);
    for (const s of again.weightSpecs!) {
      const w = ours.getWeights()[again.weightSpecs!.indexOf(s)];
      assert.ok(worstDiff(requantized[s.name].dataSync(), w.dataSync()) <= s.quantization!.scale! / 2 + 1e-7, s.name);
    }
    assert.equal(codes.length, data.length);
    const same = codes.every((c, i) => c === data[i]);
    // re-quantizing dequantized values may move a code at an exact tie, but no more than one step
    if (!same) {
      const mine = bits === 8 ? Array.from(codes) : Array.from(new Uint16Array(codes.buffer));
      const theirsCodes = bits === 8 ? Array.from(data) : Array.from(new Uint16Array(data.buffer, data.byteOffset, data.length / 2));
      assert.ok(mine.every((c, i) => Math.abs(c - theirsCodes[i]) <= 1), `uint${bits}: codes differ by more than one step`);
    }
  }
});

test('int32, bool and non-finite weights are written unquantized; bad options are named', async () => {
  const named = [
    { name: 'i', tensor: st.tensor([1, 2, 300], [3], 'int32') },
    { name: 'b', tensor: st.tensor([1, 0], [2], 'bool') },
    { name: 'n', tensor: st.tensor([1, NaN], [2]) },
    { name: 'f', tensor: st.tensor([1, 2], [2]) },
  ];
  const { encodeWeights } = await import('../../src/io/weight_data.js');
  const { specs } = encodeWeights(named, 'uint8');
  assert.deepEqual(specs.map((s) => s.quantization?.dtype ?? s.dtype), ['int32', 'bool', 'float32', 'uint8']);
  const model = convNet();
  const dir = tmp();
  await assert.rejects(model.save(`file://${dir}`, { quantizationBytes: 4 as never }),
    /model "sequential_\d+"\.save: quantizationBytes must be 1 \(uint8\) or 2 \(uint16\), got 4/);
  await assert.rejects(model.save(`file://${dir}`, { quantizationBytes: 1, float16: true }), /give quantizationBytes or float16, not both/);
  await assert.rejects(model.save(`file://${dir}`, { quantizationByte: 1 } as never), /unknown option "quantizationByte".*did you mean "quantizationBytes"/);
  assertThrowsMessage(() => st.io.saveModelSync(model, dir, { float16: 'yes' as never }), 'float16 must be true or false, got "yes"');
});
