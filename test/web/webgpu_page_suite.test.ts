/**
 * One suite, a backend parameter, in the browser: the op suites that the webgpu backend's GPU
 * kernels serve (core: element-wise, reductions, matMul; slicing and movement; activations;
 * losses; conv: conv2d and its gradients, conv1d, conv2dTranspose, depthwise, pooling) run
 * unchanged in headless Chromium on WebGPU (SwiftShader where there is no GPU), in a worker of a
 * cross-origin isolated page where dataSync() works (gpu_server.ts, suite_worker.ts); each case
 * is a subtest here. The same files run in Node over Dawn in webgpu_suite.test.ts and
 * webgpu_heavy_suite.test.ts. (fused, normalization and the layer suites are left to Node: on
 * SwiftShader they would take minutes, and batch norm still falls back to the CPU.)
 * Skipped, with the reason, where chromium is missing or its WebGPU finds no adapter.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runInChromium } from './gpu_server.js';

const FILES = ['ops/core.test.js', 'ops/slicing.test.js', 'ops/activations.test.js', 'ops/losses.test.js', 'ops/conv.test.js'];

test('webgpu in chromium: the reference op suites', async (t) => {
  const run = await runInChromium(t, 'webgpu', FILES);
  if (!run) return;
  assert.equal(run.report.backend, 'webgpu');
  const counts = { pass: 0, fail: 0, skip: 0 };
  for (const c of run.cases) counts[c.status]++;
  const slowest = [...run.cases].sort((a, b) => b.ms - a.ms).slice(0, 3).map((c) => `${c.name} ${Math.round(c.ms)} ms`);
  console.log(`webgpu suite in chromium (${run.report.adapter}): ${JSON.stringify(counts)}; slowest: ${slowest.join('; ')}; ` +
    `fallbacks: ${run.report.fallbacks.join(', ') || 'none'}`);
  assert.ok(run.cases.length >= 40, `only ${run.cases.length} cases ran`);
});
