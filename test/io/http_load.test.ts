/** Loading a model over http, as TensorFlow.js does: model.json, then the shards beside it. */
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import * as st from '../../src/index.js';
import { ready, tf, tfl } from './tfjs_interop.js';

test('st.loadLayersModel over http gives the saved model; a missing shard is named', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'striate-http-'));
  st.setSeed(4);
  const model = st.models.lenet5();
  await model.save(`file://${dir}/lenet`);
  const server = http.createServer((req, res) => {
    const file = path.join(dir, decodeURIComponent(new URL(req.url!, 'http://x').pathname));
    if (!file.startsWith(dir) || !fs.existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200).end(fs.readFileSync(file));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  try {
    const loaded = await st.loadLayersModel(`http://127.0.0.1:${port}/lenet/model.json`);
    const x = st.randomUniform([2, 28, 28, 1], 0, 1, 'float32', 9);
    assert.deepEqual((loaded.predict(x) as st.Tensor).dataSync(), (model.predict(x) as st.Tensor).dataSync());
    // TensorFlow.js loads the same URL from the same server and predicts alike; both report the same progress
    await ready();
    const progress: number[][] = [[], []];
    const ours = await st.loadLayersModel(`http://127.0.0.1:${port}/lenet/model.json`, { onProgress: (f) => progress[0].push(f) });
    const theirs = await tfl.loadLayersModel(`http://127.0.0.1:${port}/lenet/model.json`, { onProgress: (f) => progress[1].push(f) });
    const p = (ours.predict(x) as st.Tensor).dataSync();
    const q = (theirs.predict(tf.tensor(Array.from(x.dataSync()), [2, 28, 28, 1])) as tf.Tensor).dataSync();
    p.forEach((v, i) => assert.ok(Math.abs(v - q[i]) < 1e-5, `prediction ${i}: ${v} vs ${q[i]}`));
    assert.deepEqual(progress[0], progress[1]);
    assert.equal(progress[0][progress[0].length - 1], 1);
    // a quantized save served the same way
    await model.save(`file://${dir}/lenet8`, { quantizationBytes: 1 });
    const q8 = await tfl.loadLayersModel(`http://127.0.0.1:${port}/lenet8/model.json`);
    const s8 = await st.loadLayersModel(`http://127.0.0.1:${port}/lenet8/model.json`);
    const a8 = (s8.predict(x) as st.Tensor).dataSync();
    const b8 = (q8.predict(tf.tensor(Array.from(x.dataSync()), [2, 28, 28, 1])) as tf.Tensor).dataSync();
    a8.forEach((v, i) => assert.ok(Math.abs(v - b8[i]) < 1e-5, `uint8 prediction ${i}: ${v} vs ${b8[i]}`));
    const json = JSON.parse(fs.readFileSync(path.join(dir, 'lenet', 'model.json'), 'utf8'));
    fs.rmSync(path.join(dir, 'lenet', json.weightsManifest[0].paths[0]));
    await assert.rejects(st.loadLayersModel(`http://127.0.0.1:${port}/lenet/model.json`),
      /the weight shard named in http:\/\/127\.0\.0\.1:\d+\/lenet\/model\.json, http:\/\/.*weights\.[0-9a-f]+\.bin answered HTTP 404/);
    await assert.rejects(st.loadLayersModel(`http://127.0.0.1:${port}/nothing/model.json`), /the model file .* answered HTTP 404/);
  } finally {
    server.close();
  }
});
