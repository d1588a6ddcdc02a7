/** `striate export <model> --onnx out.onnx`: the file runs in ONNX Runtime as the saved model does; clear refusals. */
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as ort from 'onnxruntime-web';
import * as st from '../../src/index.js';
import { hasStackTrace, runCli, tempDir } from './helpers.js';

ort.env.wasm.numThreads = 1;

const dir = tempDir('striate-export-');

test('export writes an ONNX file that ONNX Runtime runs to the saved model\'s predictions', async () => {
  st.setSeed(8);
  const model = st.models.lenet5({ name: 'lenet_cli' });
  await model.save(`file://${path.join(dir, 'lenet')}`);
  const out = path.join(dir, 'exported', 'lenet.onnx');
  const r = runCli(['export', path.join(dir, 'lenet'), '--onnx', out]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /wrote .*lenet\.onnx \(ONNX opset 17, \d+ bytes\) from lenet_cli/);
  // written atomically: no temp file left beside it
  assert.deepEqual(fs.readdirSync(path.dirname(out)), ['lenet.onnx']);

  const x = st.randomUniform([2, 28, 28, 1], 0, 1, 'float32', 9);
  const session = await ort.InferenceSession.create(new Uint8Array(fs.readFileSync(out)));
  const result = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', Float32Array.from(x.dataSync()), x.shape) });
  const got = result[session.outputNames[0]].data as Float32Array;
  const want = (model.predict(x) as st.Tensor).dataSync();
  assert.equal(got.length, want.length);
  want.forEach((v, i) => assert.ok(Math.abs(v - got[i]) <= 1e-4, `output ${i}: ${v} vs ${got[i]}`));
  await session.release();

  const j = runCli(['export', path.join(dir, 'lenet', 'model.json'), '--onnx', path.join(dir, 'v13.onnx'), '--opset', '13', '--json']);
  assert.equal(j.code, 0, j.stderr);
  assert.equal(JSON.parse(j.stdout).opset, 13);
});

test('export refuses plainly: no --onnx, a bad opset, no model, a layer ONNX cannot express', async () => {
  const missing = runCli(['export', path.join(dir, 'lenet')]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /^striate export: expected --onnx <file>/);
  const opset = runCli(['export', path.join(dir, 'lenet'), '--onnx', path.join(dir, 'x.onnx'), '--opset', '9']);
  assert.equal(opset.code, 2);
  assert.match(opset.stderr, /--opset must be from 13 to 17, got 9/);
  const none = runCli(['export', path.join(dir, 'nowhere'), '--onnx', path.join(dir, 'x.onnx')]);
  assert.equal(none.code, 1);
  assert.match(none.stderr, /nowhere: no such model file or folder/);

  const odd = st.sequential({ layers: [st.layers.dense({ units: 4, inputShape: [3] }), st.layers.layerNormalization({ name: 'my_norm' })] });
  await odd.save(`file://${path.join(dir, 'norm')}`);
  const r = runCli(['export', path.join(dir, 'norm'), '--onnx', path.join(dir, 'norm.onnx')]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /layer "my_norm" \(LayerNormalization\) has no ONNX export; supported layer classes: Dense/);
  assert.ok(!hasStackTrace(r.stderr), r.stderr);
  assert.ok(!fs.existsSync(path.join(dir, 'norm.onnx')));
});
