/** st.browserFiles: a model from chosen files (model.json and its weights), as tf.io.browserFiles; Node 20's File stands in for the browser's. */
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as st from '../../src/index.js';

function chosen(dir: string, names = fs.readdirSync(dir)): File[] {
  return names.map((name) => new File([fs.readFileSync(path.join(dir, name))], name));
}

test('st.browserFiles loads what model.save wrote, with or without the optimizer file chosen too', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'striate-files-'));
  st.setSeed(5);
  const model = st.models.lenet5();
  model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
  await model.fit(st.randomUniform([8, 28, 28, 1], 0, 1, 'float32', 1), st.tensor([0, 1, 2, 3, 4, 5, 6, 7], [8], 'int32'), { epochs: 1, verbose: 0 });
  await model.save(`file://${dir}`);
  const all = fs.readdirSync(dir);
  assert.ok(all.some((f) => f.startsWith('optimizer.')), `an optimizer file was written: ${all.join(', ')}`);
  const x = st.randomUniform([2, 28, 28, 1], 0, 1, 'float32', 9);
  const want = (model.predict(x) as st.Tensor).dataSync();
  for (const names of [all, all.filter((f) => !f.startsWith('optimizer.'))]) {
    const loaded = await st.loadLayersModel(st.browserFiles(chosen(dir, names)));
    assert.deepEqual((loaded.predict(x) as st.Tensor).dataSync(), want);
  }
});

test('st.browserFiles says which file is missing, extra or corrupt', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'striate-files-'));
  st.setSeed(6);
  await st.models.mlp({ inputShape: [4], units: [3], classes: 2 }).save(`file://${dir}`);
  const weights = fs.readdirSync(dir).find((f) => f.startsWith('weights.'))!;
  await assert.rejects(st.loadLayersModel(st.browserFiles(chosen(dir, [weights]))),
    /expected one model \.json file among the chosen files, got 0 \(files: weights\.[0-9a-f]+\.bin\)/);
  await assert.rejects(st.loadLayersModel(st.browserFiles(chosen(dir, ['model.json']))),
    /model\.json names the weight file "weights\.[0-9a-f]+\.bin", which is not among the chosen files \(model\.json\)/);
  const twice = [...chosen(dir), new File(['{}'], 'other.json')];
  await assert.rejects(st.loadLayersModel(st.browserFiles(twice)), /expected one model \.json file .* got 2/);
  const bytes = fs.readFileSync(path.join(dir, weights));
  bytes[0] ^= 0xff;
  const corrupt = [new File([fs.readFileSync(path.join(dir, 'model.json'))], 'model.json'), new File([bytes], weights)];
  await assert.rejects(st.loadLayersModel(st.browserFiles(corrupt)), /does not match the checksum in model\.json \(corrupted\)/);
  await assert.rejects(st.loadLayersModel(st.browserFiles([new File(['not json'], 'model.json')])), /model\.json is not valid JSON/);
});
