/**
 * A long loop of small ops and backward passes, with no dispose() anywhere, must keep the
 * process's memory flat: the tape hangs off the tensors, and what nobody refers to is collected.
 * (Typed-array storage is freed by the collector even inside one synchronous run; the small
 * records that keep st.memory()'s counts are cleared when the event loop turns.)
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import v8 from 'node:v8';
import vm from 'node:vm';
import * as st from '../../src/index.js';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

/** Collects until the finalizers have caught up (the live-tensor count stops falling). */
async function settle(): Promise<void> {
  let previous = Infinity;
  for (let round = 0; round < 50; round++) {
    gc();
    await new Promise((r) => setTimeout(r, 20));
    const now = st.memory().numTensors;
    if (now >= previous) break;
    previous = now;
  }
  gc();
}

test('a million small ops with backward passes keep memory flat without dispose()', async () => {
  const w = st.variable(st.randomNormal([4, 4], 0, 1, 'float32', 1));
  const x = st.randomNormal([2, 4], 0, 1, 'float32', 2);
  let ops = 0;
  const step = () => {
    const loss = st.sum(st.tanh(st.matMul(x, w)));   // 3 forward ops
    loss.backward();                                   // ~7 ops in the backward pass
    w.grad = null;
    ops += 10;
  };
  // warm up until the steady state (compiled code, allocator free lists) is reached: the
  // question is whether memory keeps growing, not how large the steady state is
  while (ops < 200_000) {
    step();
    if (ops % 1_000 === 0) await new Promise((r) => setImmediate(r));
  }
  await settle();
  const heapBefore = process.memoryUsage().heapUsed;
  const buffersBefore = st.memory().numBuffers;
  while (ops < 1_000_000) {
    step();
    // a training loop awaits between batches; that turn of the event loop is when the
    // collector's bookkeeping (FinalizationRegistry callbacks) runs
    if (ops % 1_000 === 0) await new Promise((r) => setImmediate(r));
  }
  await settle();
  const heapGrowth = process.memoryUsage().heapUsed - heapBefore;
  const buffersAfter = st.memory().numBuffers;
  assert.ok(heapGrowth < 16 * 1024 * 1024, `heap grew by ${(heapGrowth / 1048576).toFixed(1)} MiB over ${ops} ops`);
  assert.ok(buffersAfter - buffersBefore < 100, `live buffers went from ${buffersBefore} to ${buffersAfter}`);
});
