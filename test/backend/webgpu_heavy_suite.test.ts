/**
 * The op suite of the heavy kernels (conv2d and its gradients, conv1d, conv2dTranspose, depthwise,
 * pooling and their gradients) runs again on webgpu, whose GPU kernels now serve it (heavy.ts);
 * matMul's is in core.test (webgpu_suite.test.ts), the fused epilogues' in webgpu_heavy.test.ts
 * (with fused.test's 22 cases this file took 49 s here on SwiftShader, without them 8 s). Kept apart from
 * webgpu_suite.test.ts so each file stays short on SwiftShader. Skipped, with the reason, where
 * Dawn finds no adapter.
 */
import test from 'node:test';
import { setBackend } from '../../src/index.js';
import { startWebGpu } from './webgpu_env.js';

const reason = await startWebGpu();
if (reason) {
  console.log(`webgpu heavy-kernel suite skipped: ${reason}`);
  test('webgpu: conv and pooling op suite', (t) => { t.skip(reason); });
} else {
  await setBackend('webgpu');
  await import('../ops/conv.test.js');
}
