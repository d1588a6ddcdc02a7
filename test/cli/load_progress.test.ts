/**
 * The CLI's progress lines while a big model file loads: a line when loading starts, the
 * fraction every 25% as the file loader reports it (a log is not a terminal), and the time it
 * took; small files load quietly. The size threshold is lowered here to test it on a small model.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as st from '../../src/index.js';
import { loadProgress, PROGRESS_BYTES } from '../../src/cli/model_source.js';
import type { Reporter } from '../../src/cli/report.js';

function collecting(): { say: Reporter; lines: string[] } {
  const lines: string[] = [];
  return { lines, say: { json: false, info: (l) => lines.push(l), result: () => {} } };
}

test('loading a big model file prints progress lines; a small one prints nothing', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'striate-progress-'));
  st.setSeed(2);
  const model = st.sequential({ layers: [st.layers.dense({ units: 64, inputShape: [100] })] });
  await model.save(`file://${dir}`);
  const json = path.join(dir, 'model.json');
  const content = JSON.parse(fs.readFileSync(json, 'utf8'));

  const { say, lines } = collecting();
  const progress = loadProgress(json, content, say, 1000);
  assert.ok(progress.onProgress, 'a big file gets a progress callback');
  await st.loadLayersModel(`file://${json}`, { onProgress: progress.onProgress });
  progress.done();
  assert.match(lines[0], /^loading .*model\.json: 0\.0 MB of weights in 1 shard \.\.\.$/);
  assert.equal(lines[lines.length - 2], '  100% of 0.0 MB', lines.join('\n'));
  assert.match(lines[lines.length - 1], /^loaded striate-progress-\w+\/model\.json in \d+\.\d s$/);
  assert.ok(lines.slice(1, -1).every((l) => /^ {2}(25|50|75|100)% of 0\.0 MB$/.test(l)), lines.join('\n'));

  const quiet = collecting();
  assert.ok((100 * 64 + 64) * 4 < PROGRESS_BYTES);
  const none = loadProgress(json, content, quiet.say);
  assert.equal(none.onProgress, undefined);
  none.done();
  assert.deepEqual(quiet.lines, []);
});
