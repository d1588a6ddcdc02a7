/**
 * On a GPU, fit keeps each batch's loss on the device (LogAverager.addValues) and the progress
 * bar must not wait for it: it asks for the running means asynchronously (READ_LOGS_LATER) and
 * draws the last numbers that came back. Checked here on the js backend with the same objects.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as st from '../../src/index.js';
import { LogAverager } from '../../src/train/fit.js';
import { ProgressLogger, READ_LOGS_LATER, setOutput } from '../../src/train/progress.js';
import type { Logs } from '../../src/train/callback_base.js';

test('LogAverager.peek reads the running means without settling the sums on the backend', async () => {
  st.setBackend('js');
  const avg = new LogAverager();
  avg.add({ loss: 4 }, 2);                                   // a number already read: 4 x 2
  avg.addValues({ loss: st.scalar(1), acc: st.scalar(0.5) }, 2);
  avg.addValues({ loss: st.scalar(3), acc: st.scalar(1) }, 4);
  const before = st.memory().numTensors;
  const peeked = await avg.peek();
  assert.equal(st.memory().numTensors, before, 'the copies read by peek are disposed');
  // loss: (8 + 2 + 12) / 8; acc: (1 + 4) / 8 (acc was never read as a number)
  assert.ok(Math.abs(peeked.loss - 22 / 8) < 1e-6, `loss ${peeked.loss}`);
  assert.ok(Math.abs(peeked.acc - 5 / 8) < 1e-6, `acc ${peeked.acc}`);
  const logs = avg.lazyResult({ batch: 2, size: 4 });
  assert.equal(typeof (logs as { [READ_LOGS_LATER]?: unknown })[READ_LOGS_LATER], 'function');
  assert.ok(!Object.keys(logs).includes(String(READ_LOGS_LATER)), 'the reader is not one of the logs');
  assert.ok(Math.abs(avg.result().loss - 22 / 8) < 1e-6, 'peek left the sums for result()');
});

test('the progress bar draws the numbers of its last asynchronous read and never reads them synchronously', async () => {
  const writes: string[] = [];
  setOutput({ write: (t) => writes.push(t), isTTY: () => true });
  try {
    ProgressLogger.redrawInterval = 0;
    const bar = new ProgressLogger(1);
    bar.setParams({ epochs: 1, steps: 3, metrics: ['loss'] } as never);
    bar.onTrainBegin();
    bar.onEpochBegin(0);
    let reads = 0;
    const deviceLogs = (value: number): Logs => {
      const logs: Logs = { batch: 0, size: 1 };
      // a synchronous read would go through this getter: the bar must not touch it
      Object.defineProperty(logs, 'loss', { enumerable: true, get: () => { throw new Error('read synchronously'); } });
      Object.defineProperty(logs, READ_LOGS_LATER, { value: async () => { reads++; return { loss: value }; } });
      return logs;
    };
    bar.onBatchEnd(0, deviceLogs(0.75));
    assert.doesNotMatch(writes.at(-1)!, /loss/, 'nothing read back yet: no number drawn');
    await new Promise((r) => setImmediate(r));
    bar.onBatchEnd(1, deviceLogs(0.5));
    assert.match(writes.at(-1)!, /loss: 0\.7500/, 'the first read came back and is drawn');
    assert.equal(reads, 2, 'one read per redraw once the previous one has come back');
  } finally {
    ProgressLogger.redrawInterval = 50;
    setOutput();
  }
});
