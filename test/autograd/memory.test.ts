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

/**
 * Collects until the finalizers have caught up: the live-tensor count and the heap both stop
 * falling (a backlog of finalization callbacks is worked off over several turns of the loop).
 */
async function settle(): Promise<void> {
  let previousTensors = Infinity;
  let previousHeap = Infinity;
  for (let round = 0; round < 50; round++) {
    gc();
    await new Promise((r) => setTimeout(r, 20));
    const tensors = st.memory().numTensors;
    const heap = process.memoryUsage().heapUsed;
    if (round >= 2 && tensors >= previousTensors && heap >= previousHeap * 0.99) break;
    previousTensors = tensors;
    previousHeap = heap;
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
    // On the wasm backend a freed tensor's block goes on a free list, which keeps the length
    // of the largest backlog of tensors awaiting collection. How large that backlog gets is up
    // to V8's collection timing (measured: 40 to 200 MiB of heap before the first full GC, so
    // 25-45 MiB of free-list entries, or nothing); a collection now and then bounds it, and
    // a leak (growth per op) still shows over the 800,000 ops.
    if (ops % 100_000 === 0) gc();
  }
  await settle();
  const heapGrowth = process.memoryUsage().heapUsed - heapBefore;
  const buffersAfter = st.memory().numBuffers;
  assert.ok(heapGrowth < 16 * 1024 * 1024, `heap grew by ${(heapGrowth / 1048576).toFixed(1)} MiB over ${ops} ops`);
  assert.ok(buffersAfter - buffersBefore < 100, `live buffers went from ${buffersBefore} to ${buffersAfter}`);
});
