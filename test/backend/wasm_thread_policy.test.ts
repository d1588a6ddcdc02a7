/**
 * The wasm backend's thread policy (src/backend/wasm/thread_policy.ts): which of the pool and the
 * calling thread it picks from the times it was told, that it keeps retrying the slower one, and
 * that a task split for the pool gives the same bits whichever runs it (two threads, the policy
 * forced each way).
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as st from '../../src/index.js';
import { ThreadPolicy } from '../../src/backend/wasm/thread_policy.js';
import type { WasmBackend } from '../../src/backend/wasm/backend.js';

/** Runs `calls` choices of one kind, answering each with the time `ms(pooled)`; returns the choices. */
function drive(policy: ThreadPolicy, key: number, calls: number, ms: (pooled: boolean, i: number) => number): boolean[] {
  const picks: boolean[] = [];
  for (let i = 0; i < calls; i++) {
    const pooled = policy.choose(key);
    picks.push(pooled);
    policy.record(key, pooled, ms(pooled, i));
  }
  return picks;
}

test('thread policy: tries the pool and the caller in turn, then keeps the faster and retries the other now and then', () => {
  for (const poolFaster of [true, false]) {
    const p = new ThreadPolicy();
    const key = ThreadPolicy.key(1, 1 << 20, 4);
    const picks = drive(p, key, 200, (pooled) => (pooled === poolFaster ? 1 : 2));
    assert.deepEqual(picks.slice(0, 4), [true, false, true, false], 'two trials of each in turn, pool first');
    const later = picks.slice(4);
    const faster = later.filter((x) => x === poolFaster).length;
    assert.ok(faster >= later.length - Math.ceil(later.length / 16) - 1, `the faster mode most of the time (${faster}/${later.length})`);
    assert.ok(later.length - faster <= 4, `retries back off (${later.length - faster} in ${later.length} calls)`);
    assert.ok(faster < later.length, 'the slower mode retried at least once');
  }
});

test('thread policy: follows a change of load, and one slow outlier does not flip it', () => {
  const p = new ThreadPolicy();
  const key = ThreadPolicy.key(12, 300000, 8);
  // the pool wins at first; a single 50x outlier on the pool does not make the caller win
  drive(p, key, 40, (pooled) => (pooled ? 1 : 2));
  drive(p, key, 1, () => 50);
  let picks = drive(p, key, 20, (pooled) => (pooled ? 1 : 2));
  assert.ok(picks.filter((x) => x).length >= 18, 'still on the pool after an outlier');
  // then the pool turns slow for good (another process took the second core): the caller takes over
  picks = drive(p, key, 400, (pooled) => (pooled ? 4 : 2));
  assert.ok(picks.slice(-64).filter((x) => !x).length >= 60, 'on the caller once the pool stays slower');
});

test('thread policy keys: sizes a half-octave apart and different tasks are different kinds', () => {
  assert.notEqual(ThreadPolicy.key(1, 1 << 20, 4), ThreadPolicy.key(1, 1 << 21, 4));
  assert.notEqual(ThreadPolicy.key(1, 1 << 20, 4), ThreadPolicy.key(40, 1 << 20, 4));
  assert.notEqual(ThreadPolicy.key(12, 0, 4), ThreadPolicy.key(12, 0, 16));
  assert.equal(ThreadPolicy.key(1, 1000000, 4), ThreadPolicy.key(1, 1000001, 4));
});

test('a task split for the pool gives the same bits on the pool and on the caller alone (2 threads)', () => {
  st.setBackend('wasm');
  st.setNumThreads(2);
  const be = st.backend() as unknown as WasmBackend;
  const saved = be.threadPolicy;
  const forced = (pooled: boolean) => Object.assign(new ThreadPolicy(), { choose: () => pooled });
  const run = (pooled: boolean): Float32Array[] => {
    be.threadPolicy = forced(pooled);
    let values: Float32Array[] = [];
    st.tidy(() => {
      const a = st.randomUniform([128, 784], -1, 1, 'float32', 7);
      const w = st.randomUniform([784, 256], -1, 1, 'float32', 8);
      const x = st.randomUniform([64, 18, 18, 8], -1, 1, 'float32', 9);
      const f = st.randomUniform([3, 3, 8, 16], -1, 1, 'float32', 10);
      const big = st.randomUniform([600000], -1, 1, 'float32', 11);
      const outs = [
        st.matMul(a, w), st.matMul(w, a, true, true), st.sum(big), st.relu(big), st.exp(big),
        st.conv2d(x, f, 1, 'same'), st.maxPool(x, 2, 2, 'valid'),
      ];
      const [dx, df] = st.grads((xx: st.Tensor, ff: st.Tensor) => st.sum(st.square(st.conv2d(xx, ff, 1, 'same'))))([x, f]);
      values = [...outs, dx, df].map((t) => (t.dataSync() as Float32Array).slice());
    });
    return values;
  };
  try {
    const onPool = run(true), onCaller = run(false);
    onPool.forEach((v, i) => assert.deepEqual(onCaller[i], v, `output ${i}`));
  } finally {
    be.threadPolicy = saved;
    st.setNumThreads(1);
  }
});
