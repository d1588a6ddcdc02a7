/**
 * The CLI's progress line while a big model file loads: shown from PROGRESS_MIN_BYTES of weights
 * (here lowered to test it), in place on a terminal, every 25% in a log; never for small files.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as st from '../../src/index.js';
import { loadModelFile, PROGRESS_MIN_BYTES } from '../../src/cli/model_source.js';

test('loading a big model file prints a progress line; a small one prints nothing', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'striate-progress-'));
  st.setSeed(2);
  const model = st.sequential({ layers: [st.layers.dense({ units: 64, inputShape: [100] })] });
  await model.save(`file://${dir}`);
  const weightBytes = (100 * 64 + 64) * 4;
  const json = path.join(dir, 'model.json');

  const log: string[] = [];
  loadModelFile(dir, { minBytes: 1000, write: (t) => log.push(t), isTTY: false });
  assert.ok(log.length >= 1, 'a line at least at the end');
  assert.equal(log[log.length - 1], `loading ${json}: 100% of ${(weightBytes / 1e6).toFixed(1)} MB\n`);
  assert.ok(log.every((l) => /^loading .*: (0|25|50|75|100)% of 0\.0 MB\n$/.test(l)), log.join(''));

  const tty: string[] = [];
  loadModelFile(json, { minBytes: 1000, write: (t) => tty.push(t), isTTY: true });
  assert.ok(tty.every((t) => t.startsWith('\r')), 'redrawn in place');
  assert.ok(tty[tty.length - 1].endsWith('100% of 0.0 MB\n'), 'ends the line at 100%');

  const quiet: string[] = [];
  assert.ok(weightBytes < PROGRESS_MIN_BYTES);
  loadModelFile(dir, { write: (t) => quiet.push(t), isTTY: false });
  assert.deepEqual(quiet, []);
});
