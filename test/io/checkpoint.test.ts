/** modelCheckpoint and weight files: best-only saves, checksums, clear errors, no torn files. */
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as st from '../../src/index.js';
import { setProgressOutput } from '../../src/train/index.js';
import { assertThrowsMessage } from '../helpers.js';

setProgressOutput({ write: () => {}, isTTY: () => false, warn: () => {} });

function net(seed: number): st.LayersModel {
  return st.sequential({ layers: [
    st.layers.dense({ units: 6, activation: 'tanh', inputShape: [3], kernelInitializer: st.initializers.glorotUniform({ seed }) }),
    st.layers.dense({ units: 1, kernelInitializer: st.initializers.glorotUniform({ seed: seed + 1 }) }),
  ]});
}

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'striate-ckpt-'));

test('modelCheckpoint with saveBestOnly keeps the best epoch, and loadWeights restores it', async () => {
  const x = st.randomNormal([64, 3], 0, 1, 'float32', 5);
  const y = st.sum(x, 1, true).mul(0.5);
  // validation targets disagree with training ones, so val_loss rises after a while
  const vx = st.randomNormal([32, 3], 0, 1, 'float32', 6);
  const vy = st.sum(vx, 1, true).mul(-0.2);
  const model = net(1);
  model.compile({ optimizer: st.optimizers.adam({ learningRate: 0.05 }), loss: 'meanSquaredError' });
  const dir = tmp();
  const ckpt = st.callbacks.modelCheckpoint({ filepath: dir, monitor: 'val_loss', saveBestOnly: true });
  const history = await model.fit(x, y, { epochs: 12, batchSize: 16, validationData: [vx, vy], callbacks: [ckpt], verbose: 0, seed: 1 });
  const valLoss = history.history.val_loss as number[];
  const best = Math.min(...valLoss);
  assert.equal(ckpt.best, best);
  assert.ok(ckpt.savedEpochs.length >= 1);
  assert.equal(ckpt.savedEpochs[ckpt.savedEpochs.length - 1], valLoss.indexOf(best));
  const fresh = net(99);
  fresh.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
  const meta = st.io.loadWeights(fresh, dir);
  assert.equal(meta?.epoch, valLoss.indexOf(best) + 1);
  const restored = (fresh.evaluate(vx, vy) as st.Tensor).dataSync()[0];
  assert.ok(Math.abs(restored - best) < 1e-5, `restored val_loss ${restored}, best ${best}`);
  assert.deepEqual(fs.readdirSync(dir).filter((f) => f.endsWith('.bin')).length, 1, 'old shards are removed');
});

test('a corrupted, truncated or foreign weights file gives a clear error naming the file', () => {
  const dir = tmp();
  const model = net(2);
  st.io.saveWeights(model, dir);
  const shard = fs.readdirSync(dir).find((f) => f.endsWith('.bin'))!;
  const bytes = fs.readFileSync(path.join(dir, shard));
  bytes[5] ^= 0xff;
  fs.writeFileSync(path.join(dir, shard), bytes);
  assertThrowsMessage(() => st.io.loadWeights(model, dir), shard, 'checksum', 'corrupted');
  fs.writeFileSync(path.join(dir, shard), bytes.subarray(0, 10));
  assertThrowsMessage(() => st.io.loadWeights(model, dir), 'has 10 bytes', 'truncated');
  fs.writeFileSync(path.join(dir, 'weights.json'), '{"format": "something-else"');
  assertThrowsMessage(() => st.io.loadWeights(model, dir), 'weights.json is not valid JSON');
  assertThrowsMessage(() => st.io.loadWeights(model, path.join(dir, 'nowhere')), 'cannot read', 'ENOENT');
  const other = tmp();
  st.io.saveWeights(st.sequential({ layers: [st.layers.dense({ units: 2, inputShape: [3] })] }), other);
  assertThrowsMessage(() => st.io.loadWeights(model, other), 'holds 2 weights', 'has 4');
});

test('killing the process mid-save leaves the previous save whole', async () => {
  const dir = tmp();
  const here = path.dirname(fileURLToPath(import.meta.url));
  const script = path.join(dir, 'saver.mjs');
  const lib = path.resolve(here, '../../src/index.js');
  fs.writeFileSync(script, `
    import * as st from ${JSON.stringify(lib)};
    const m = st.sequential({ layers: [st.layers.dense({ units: 256, inputShape: [512] })] });
    for (let i = 0; ; i++) {
      m.setWeights([st.fill([512, 256], i), st.fill([256], i)]);
      st.io.saveWeights(m, ${JSON.stringify(path.join(dir, 'ckpt'))}, { i });
      if (i === 2) console.log('ready');
    }`);
  for (let round = 0; round < 3; round++) {
    const child = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    await new Promise((r) => setTimeout(r, 30 + 40 * round));
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const m = st.sequential({ layers: [st.layers.dense({ units: 256, inputShape: [512] })] });
    const meta = st.io.loadWeights(m, path.join(dir, 'ckpt'));
    const i = meta?.i as number;
    assert.ok(i >= 2);
    const w = m.getWeights()[0].dataSync();
    assert.ok(w.every((v) => v === i), `every value is ${i} from one whole save`);
  }
});
