/**
 * `striate train --tensorboard <dir>`: a tiny training writes TensorBoard event files, one per
 * run under train/ and val/, whose epoch scalars are the run's history.csv.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { runCli, tempDir, writeIdxFolder } from './helpers.js';
import { readEvents } from '../../src/train/tfevents.js';

test('train --tensorboard writes train/ and val/ event files with the epoch losses of history.csv', () => {
  const dir = tempDir();
  writeIdxFolder(path.join(dir, 'quadrants'));
  const logs = path.join(dir, 'logs');
  const r = runCli(['train', '--data', path.join(dir, 'quadrants'), '--model', 'mlp', '--epochs', '3', '--lr', '0.01', '--patience', '0',
    '--out', path.join(dir, 'run'), '--tensorboard', logs, '--json']);
  assert.equal(r.code, 0, r.stderr + r.stdout);
  const history = fs.readFileSync(path.join(dir, 'run', 'history.csv'), 'utf8').trim().split('\n').map((l) => l.split(','));
  const column = (name: string) => history.slice(1).map((row) => Number(row[history[0].indexOf(name)]));
  for (const [sub, key] of [['train', 'loss'], ['val', 'val_loss']] as const) {
    const files = fs.readdirSync(path.join(logs, sub)).filter((f) => f.includes('.tfevents.'));
    assert.equal(files.length, 1, `${sub}: ${files}`);
    const events = readEvents(new Uint8Array(fs.readFileSync(path.join(logs, sub, files[0]))), files[0]);
    assert.equal(events[0].fileVersion, 'brain.Event:2');
    const losses = events.filter((e) => e.summary?.value[0].tag === 'epoch_loss');
    assert.deepEqual(losses.map((e) => e.step), [1, 2, 3]);
    const want = column(key);
    losses.forEach((e, i) => assert.ok(Math.abs(e.summary!.value[0].simpleValue! - want[i]) < 1e-5 * Math.max(1, want[i]),
      `${sub} epoch ${i + 1}: ${e.summary!.value[0].simpleValue} vs history.csv ${want[i]}`));
  }
});
