/** Bad model files: each failure names the file and says what is wrong. */
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as st from '../../src/index.js';
import { assertThrowsMessage } from '../helpers.js';

const load = (file: string) => st.io.loadLayersModelSync(file);

/** A saved two-layer model in a fresh folder; returns the folder, model.json's path and its parsed JSON. */
function saved(): { dir: string; file: string; json: Record<string, any>; shard: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'striate-bad-'));
  const model = st.sequential({ layers: [st.layers.dense({ units: 3, inputShape: [2] }), st.layers.dense({ units: 1 })] });
  st.io.saveModelSync(model, dir);
  const file = path.join(dir, 'model.json');
  const json = JSON.parse(fs.readFileSync(file, 'utf8'));
  return { dir, file, json, shard: path.join(dir, json.weightsManifest[0].paths[0]) };
}

function rewrite(file: string, edit: (json: Record<string, any>) => void): void {
  const json = JSON.parse(fs.readFileSync(file, 'utf8'));
  edit(json);
  fs.writeFileSync(file, JSON.stringify(json));
}

test('a truncated weight shard is named, with its length and the expected one', () => {
  const { file, shard } = saved();
  fs.writeFileSync(shard, fs.readFileSync(shard).subarray(0, 7));
  assertThrowsMessage(() => load(file), shard, 'has 7 bytes', 'expects 52', 'truncated');
});

test('a corrupted weight shard fails its SHA-256 check', () => {
  const { file, shard } = saved();
  const bytes = fs.readFileSync(shard);
  bytes[3] ^= 0x40;
  fs.writeFileSync(shard, bytes);
  assertThrowsMessage(() => load(file), shard, 'checksum', 'corrupted', file);
});

test('a missing shard is named', () => {
  const { file, shard } = saved();
  fs.rmSync(shard);
  assertThrowsMessage(() => load(file), 'cannot read the weight shard', shard, 'ENOENT');
});

test('corrupt JSON, a graph model, a newer version and a non-model file are told apart', async () => {
  const { file } = saved();
  const text = fs.readFileSync(file, 'utf8');
  fs.writeFileSync(file, text.slice(0, text.length / 2));
  assertThrowsMessage(() => load(file), file, 'is not valid JSON');
  await assert.rejects(st.loadLayersModel(file), /is not valid JSON/);
  fs.writeFileSync(file, text);
  rewrite(file, (j) => { j.format = 'graph-model'; });
  assertThrowsMessage(() => load(file), file, 'format "graph-model"', 'layers-model');
  fs.writeFileSync(file, text);
  rewrite(file, (j) => { j.striate.version = 99; });
  assertThrowsMessage(() => load(file), file, 'newer striate', 'version 99');
  fs.writeFileSync(file, JSON.stringify({ name: 'package', version: '1.0.0' }));
  assertThrowsMessage(() => load(file), file, 'is not a model file', 'modelTopology');
  fs.writeFileSync(file, '[1, 2, 3]');
  assertThrowsMessage(() => load(file), file, 'is not a model file');
  assertThrowsMessage(() => load(path.dirname(file)), 'is a folder', 'model.json');
  assertThrowsMessage(() => load(path.join(path.dirname(file), 'nothing.json')), 'cannot read', 'ENOENT');
  assertThrowsMessage(() => load('http://example.com/model.json'), 'only file://');
});

test('an unsupported layer class names the class and the layer', () => {
  const { file } = saved();
  rewrite(file, (j) => {
    j.modelTopology.config.layers[1].class_name = 'Foo';
    j.modelTopology.config.layers[1].config.name = 'foo_1';
  });
  assertThrowsMessage(() => load(file), file, 'unsupported layer class "Foo" in layer "foo_1"', 'striate reads', 'Dense');
});

test('a bad layer option is reported with the layer and the file', () => {
  const { file } = saved();
  rewrite(file, (j) => { j.modelTopology.config.layers[0].config.units = -3; });
  assertThrowsMessage(() => load(file), file, 'cannot build layer "dense', 'units must be a positive integer');
});

test('weight count and shape mismatches are named', () => {
  const { file, json } = saved();
  const text = JSON.stringify(json);
  const firstLayer = json.modelTopology.config.layers[0].config.name;
  // the model has one more weight than the file describes (the data is shorter too)
  rewrite(file, (j) => {
    j.modelTopology.config.layers[1].config.use_bias = true;
    j.weightsManifest[0].weights.pop();
    delete j.striate;
  });
  assertThrowsMessage(() => load(file), file, 'describes', 'bytes');
  // a layer with a different size: the stored kernel does not fit it
  fs.writeFileSync(file, text);
  rewrite(file, (j) => { j.modelTopology.config.layers[0].config.units = 4; });
  assertThrowsMessage(() => load(file), file, `weight "${firstLayer}/kernel" has shape [2,3] in the file`, 'expects [2,4]');
  // the file has a weight no layer owns
  fs.writeFileSync(file, text);
  rewrite(file, (j) => { j.modelTopology.config.layers[1].config.use_bias = false; });
  assertThrowsMessage(() => load(file), file, '1 weight(s) no layer of the model owns', '/bias');
  // the model has a weight the file lacks
  fs.writeFileSync(file, text);
  rewrite(file, (j) => { j.weightsManifest[0].weights[1].name = 'elsewhere/bias'; });
  assertThrowsMessage(() => load(file), file, `weight "${firstLayer}/bias" [3] is not in the weights manifest`);
});

test('an unknown optimizer or loss in trainingConfig is named', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'striate-bad-'));
  const model = st.sequential({ layers: [st.layers.dense({ units: 1, inputShape: [2] })] });
  model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
  st.io.saveModelSync(model, dir);
  const file = path.join(dir, 'model.json');
  const text = fs.readFileSync(file, 'utf8');
  rewrite(file, (j) => { j.trainingConfig.optimizer_config.class_name = 'Lion'; });
  assertThrowsMessage(() => load(file), file, 'unsupported optimizer class "Lion"');
  fs.writeFileSync(file, text);
  rewrite(file, (j) => { j.trainingConfig.loss = 'cosine_proximity'; });
  assertThrowsMessage(() => load(file), file, 'cannot compile the model with its trainingConfig', 'unknown loss "cosineProximity"');
});

test('saving a model whose layers share a name is refused, naming the weight', () => {
  const model = st.sequential({ layers: [
    st.layers.dense({ units: 2, inputShape: [2], name: 'twin' }), st.layers.dense({ units: 2, name: 'twin' }),
  ] });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'striate-bad-'));
  assertThrowsMessage(() => st.io.saveModelSync(model, dir), 'two weights are named "twin/kernel"', 'unique');
  assert.ok(!fs.existsSync(path.join(dir, 'model.json')));
});
