/** Loading a model over http, as TensorFlow.js does: model.json, then the shards beside it. */
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import * as st from '../../src/index.js';

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
    const json = JSON.parse(fs.readFileSync(path.join(dir, 'lenet', 'model.json'), 'utf8'));
    fs.rmSync(path.join(dir, 'lenet', json.weightsManifest[0].paths[0]));
    await assert.rejects(st.loadLayersModel(`http://127.0.0.1:${port}/lenet/model.json`),
      /the weight shard named in http:\/\/127\.0\.0\.1:\d+\/lenet\/model\.json, http:\/\/.*weights\.[0-9a-f]+\.bin answered HTTP 404/);
    await assert.rejects(st.loadLayersModel(`http://127.0.0.1:${port}/nothing/model.json`), /the model file .* answered HTTP 404/);
  } finally {
    server.close();
  }
});
