/**
 * One suite, a backend parameter: op suites of the reference backend run again on webgpu (Dawn
 * in Node; SwiftShader where there is no GPU). Ops without a GPU kernel run the reference kernel
 * after a readback, so every assertion applies. Skipped, with the reason, where Dawn finds no
 * adapter. (SwiftShader compiles each pipeline slowly: the suites here are the ones the GPU
 * kernels of this backend serve, not all of reference_suite's.)
 */
import test from 'node:test';
import { setBackend } from '../../src/index.js';
import { startWebGpu } from './webgpu_env.js';

const reason = await startWebGpu();
if (reason) {
  console.log(`webgpu suite skipped: ${reason}`);
  test('webgpu: reference op suite', (t) => { t.skip(reason); });
} else {
  await setBackend('webgpu');
  await import('../ops/core.test.js');
  await import('../ops/slicing.test.js');
  await import('../ops/activations.test.js');
  await import('../ops/losses.test.js');
}
