/**
 * The op suites of the heavy kernels (conv2d and its gradients, depthwise, pooling, the fused
 * matMul) run again on webgpu, whose GPU kernels now serve them (heavy.ts). Kept apart from
 * webgpu_suite.test.ts so each file stays short on SwiftShader. Skipped, with the reason, where
 * Dawn finds no adapter.
 */
import test from 'node:test';
import { setBackend } from '../../src/index.js';
import { startWebGpu } from './webgpu_env.js';

const reason = await startWebGpu();
if (reason) {
  console.log(`webgpu heavy-kernel suite skipped: ${reason}`);
  test('webgpu: conv, pooling and fused matMul op suites', (t) => { t.skip(reason); });
} else {
  await setBackend('webgpu');
  await import('../ops/conv.test.js');
  await import('../ops/fused.test.js');
}
