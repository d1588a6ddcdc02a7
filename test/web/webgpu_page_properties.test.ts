/**
 * Property checks of the webgpu backend's GPU kernels against the js backend, in headless
 * Chromium on WebGPU (SwiftShader where there is no GPU): random odd shapes, batch 1, every
 * stride / padding / dilation pairing, forward and gradients, for conv2d (9 cases), depthwise
 * conv2d, max and average pooling, matMul with every transpose (plain and batched), reductions
 * and softmax cross-entropy (cases/gpu_properties.ts, run by suite_worker.ts). Each case is a
 * subtest here. Skipped, with the reason, where chromium is missing or finds no adapter.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runInChromium } from './gpu_server.js';

test('webgpu in chromium: GPU kernels agree with js on random shapes', async (t) => {
  const run = await runInChromium(t, 'webgpu', ['web/cases/gpu_properties.js']);
  if (!run) return;
  const total = run.cases.reduce((a, c) => a + c.ms, 0);
  console.log(`properties in chromium (${run.report.adapter}): ${run.cases.length} cases in ${Math.round(total)} ms; ` +
    `fallbacks: ${run.report.fallbacks.join(', ') || 'none'}`);
  assert.equal(run.cases.length, 14);
  assert.deepEqual(run.report.fallbacks, [], 'every kernel the properties check ran on the GPU');
});
