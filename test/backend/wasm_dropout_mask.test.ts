/**
 * The wasm backend draws dropout masks in the heap (Backend.dropoutMask): it must drop exactly
 * the elements the reference backend drops, for a seeded and for the global stream, leave the
 * global stream where the reference leaves it, and keep a pending normal draw.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as st from '../../src/index.js';

function run(backend: string, rate: number, seed: number | undefined, n: number): { y: number[]; after: number[] } {
  st.setBackend(backend);
  st.setSeed(42);
  st.randomNormal([1], 0, 1, 'float32'); // leaves a spare normal in the global stream
  const x = st.randomUniform([n], 1, 2, 'float32', 3);
  const y = Array.from(st.dropout(x, rate, seed).dataSync());
  const after = Array.from(st.randomNormal([3], 0, 1, 'float32').dataSync());
  return { y, after };
}

for (const [rate, seed, n] of [[0.5, undefined, 1000], [0.25, 7, 333], [0.9, undefined, 1], [1e-9, 5, 64]] as const) {
  test(`dropout rate ${rate} seed ${seed} on ${n} values: the same mask and stream on wasm as on js`, () => {
    const js = run('js', rate, seed, n);
    const wasm = run('wasm', rate, seed, n);
    assert.deepEqual(wasm.y, js.y);
    assert.deepEqual(wasm.after, js.after);
    const kept = js.y.filter((v) => v !== 0).length;
    if (n >= 300) assert.ok(Math.abs(kept / n - (1 - rate)) < 0.1, `kept ${kept} of ${n}`);
  });
}
