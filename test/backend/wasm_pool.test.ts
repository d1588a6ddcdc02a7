/**
 * The worker pool's hand-over of a task, step by step and without threads: a worker still in
 * the previous task (its generation's tag) that looks at the control block after any one of
 * the stores publishing the next task must find nothing to claim, and a worker of the new
 * generation must claim every chunk once. The ordering matters: a worker that once paired the
 * old tag with the new task's chunk count ran a chunk of the next task and counted it twice,
 * and the caller then waited forever for a count it had passed (a hang seen in CI).
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { claimChunks, publishTask, stuckReport } from '../../src/backend/wasm/pool.js';

const DONE = 4;

function recorder() {
  const ran: [number, number, number][] = [];
  return { ran, kernels: { runTask: (task: number, args: number, chunk: number) => { ran.push([task, args, chunk]); } } };
}

for (const [before, after] of [[2, 7], [7, 2], [1, 65535], [3, 3]]) {
  test(`a late worker of task 1 (${before} chunks) finds nothing of task 2 (${after} chunks) between any two stores`, () => {
    const ctl = new Int32Array(16);
    publishTask(ctl, 1, 11, 111, before);
    // the caller runs all of task 1 itself; the worker has not woken yet
    const caller = recorder();
    claimChunks(caller.kernels, ctl, 1, 0);
    assert.equal(caller.ran.length, before);
    assert.equal(ctl[DONE], before);
    const late = recorder();
    publishTask(ctl, 2, 22, 222, after, (a, i, v) => {
      const r = Atomics.store(a, i, v);
      claimChunks(late.kernels, a, 1, 1);
      return r;
    });
    assert.deepEqual(late.ran, [], 'the late worker ran nothing');
    assert.equal(ctl[DONE], 0, 'and counted nothing');
    const fresh = recorder();
    claimChunks(fresh.kernels, ctl, 2, 1);
    assert.deepEqual(fresh.ran.map(([t, a]) => [t, a]), Array.from({ length: after }, () => [22, 222]));
    assert.deepEqual(fresh.ran.map(([, , c]) => c), Array.from({ length: after }, (_, i) => i));
    assert.equal(ctl[DONE], after, 'every chunk counted once');
  });
}

test('a chunk whose kernel traps is still counted and flagged, so the caller reports it instead of waiting forever', () => {
  const ctl = new Int32Array(16);
  publishTask(ctl, 1, 11, 111, 3);
  const ran: number[] = [];
  const kernels = {
    runTask: (_task: number, _args: number, chunk: number) => {
      if (chunk === 1) throw new WebAssembly.RuntimeError('memory access out of bounds');
      ran.push(chunk);
    },
  };
  claimChunks(kernels, ctl, 1, 1);
  assert.deepEqual(ran, [0, 2], 'the other chunks still ran');
  assert.equal(ctl[DONE], 3, 'every chunk counted, the failed one too');
  assert.equal(ctl[6], 1, 'the failure flagged for the caller');
});

test('while a thread runs a chunk its word names the chunk, and the watchdog\'s line names who still holds one', () => {
  const ctl = new Int32Array(16);
  publishTask(ctl, 1, 175, 111, 4);
  const seen: string[] = [];
  const kernels = {
    runTask: (_task: number, _args: number, chunk: number) => {
      assert.equal(ctl[8 + 1], chunk + 1, 'thread 1\'s word during its chunk');
      if (chunk === 2) seen.push(stuckReport(ctl, 175, ctl[DONE], 4, 301.2));
    },
  };
  claimChunks(kernels, ctl, 1, 1);
  assert.equal(ctl[8 + 1], 0, 'cleared once the chunk is counted');
  assert.match(seen[0], /kernel task 175 has waited 301 s with 2 of 4 chunks counted \(thread 1 in chunk 2\)/);
  assert.match(stuckReport(ctl, 175, 3, 4, 400), /no tracked thread in a chunk: a worker may have ended holding one/);
});
