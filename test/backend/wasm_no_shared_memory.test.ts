/**
 * A page that is not cross-origin isolated has no SharedArrayBuffer: the wasm backend then loads
 * its single-threaded kernels, runs on one thread whatever it is asked, and says so once.
 * Node always has shared memory, so a child process plays such a page by setting
 * `crossOriginIsolated = false` before the library loads.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

const library = new URL('../../src/index.js', import.meta.url).href;

test('without shared memory the wasm backend runs on one thread and warns once', () => {
  const program = `
    globalThis.crossOriginIsolated = false;
    const st = await import(${JSON.stringify(library)});
    await st.ready();
    st.setNumThreads(2);
    const a = st.randomUniform([300, 200], -1, 1, 'float32', 1), b = st.randomUniform([200, 100], -1, 1, 'float32', 2);
    const wasm = st.matMul(a, b).dataSync();
    st.setNumThreads(2);
    st.setBackend('js');
    const js = st.matMul(a, b).dataSync();
    let worst = 0;
    js.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - wasm[i]))));
    console.log(JSON.stringify({ threads: (st.setBackend('wasm'), st.getNumThreads()), worst }));`;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', program], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(run.status, 0, run.stderr);
  const warnings = run.stderr.split('\n').filter((l) => l.includes('SharedArrayBuffer is not available'));
  assert.equal(warnings.length, 1, `expected one warning, got stderr:\n${run.stderr}`);
  assert.match(warnings[0], /runs on one thread/);
  const { threads, worst } = JSON.parse(run.stdout.trim().split('\n').pop()!);
  assert.equal(threads, 1);
  assert.ok(worst < 1e-4, `the single-threaded kernels' product differs from the reference by ${worst}`);
});
