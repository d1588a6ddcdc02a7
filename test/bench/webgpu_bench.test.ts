/**
 * The webgpu benchmark's browser mode starts (headless Chromium, a cross-origin isolated page on
 * 127.0.0.1, one worker per job) and runs a tiny GEMM on striate's webgpu backend and on
 * tfjs-backend-webgpu, whose results the bench checks against a float64 product. No timings are
 * asserted. Skipped, with the reason, without chromium or where its WebGPU finds no adapter.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findChromium, parseWebgpuOptions, runWebgpuBench } from '../../bench/webgpu.js';
import { gemmSampleIndices, learnableImages } from '../../bench/webgpu_workloads.js';

test('webgpu bench: a 64^3 GEMM on striate and tfjs-webgpu in chromium, both checked', async (t) => {
  if (!findChromium()) return t.skip('no chromium binary (apt-get install chromium, or set STRIATE_CHROMIUM)');
  const options = { ...parseWebgpuOptions(['--quick', '--only', 'gemm', '--sizes', '64']), out: null, jobTimeout: 120, swiftshader: true };
  let run;
  try {
    run = await runWebgpuBench(options);
  } catch (e) {
    if (/no WebGPU adapter/.test((e as Error).message)) return t.skip(`chromium's WebGPU found no adapter: ${(e as Error).message}`);
    throw e;
  }
  assert.equal(run.failed, false, 'both GEMMs agree with the float64 product');
  const gemm = run.results['GEMM 64^3'];
  for (const system of ['striate', 'tfjs'] as const) {
    const r = gemm[system];
    assert.ok(r && 'kind' in r && r.kind === 'gemm', `${system} ran: ${JSON.stringify(r)}`);
    assert.equal(r.sample.length, gemmSampleIndices(64).length);
    assert.ok(r.gflops > 0);
  }
});

test('webgpu bench data: the class sets the bright band, the same for every call', () => {
  const a = learnableImages('cnn', 20, 3), b = learnableImages('cnn', 20, 3);
  assert.deepEqual(a.labels, b.labels);
  assert.deepEqual(a.xs, b.xs);
  for (let s = 0; s < 20; s++) {
    const row = (y: number) => a.xs.slice((s * 28 + y) * 28, (s * 28 + y + 1) * 28).reduce((x, v) => x + v, 0) / 28;
    const band = Math.floor((a.labels[s] * 28) / 10);
    assert.ok(row(band) >= 0.5, `sample ${s}: row ${band} is in the band`);
    assert.ok(row((band + 14) % 28) < 0.5, `sample ${s}: a row far from the band is not`);
  }
});
