/**
 * Node only: the thread that owns Dawn's GPUDevice for the webgpu backend (see device.ts); its
 * messages and answers: worker_loop.ts.
 */
import { parentPort } from 'node:worker_threads';
import { Executor } from './executor.js';
import { serveGpu } from './worker_loop.js';

const port = parentPort!;

async function start(): Promise<Executor> {
  let pkg: { create: (flags: string[]) => unknown; globals: Record<string, unknown> };
  try {
    pkg = await import('webgpu' as string);
  } catch (e) {
    throw new Error(`the optional package "webgpu" (Dawn's Node binding) is not installed or did not load (${(e as Error).message})`);
  }
  Object.assign(globalThis, pkg.globals);
  const gpu = pkg.create([]) as { requestAdapter(): Promise<any> };
  const adapter = await gpu.requestAdapter();
  if (!adapter) {
    const hint = process.platform === 'linux'
      ? '; without a GPU driver, point the Vulkan loader at a software driver in the environment (before the backend starts), e.g. ' +
        'VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json (Chromium\'s SwiftShader; Dawn refuses Mesa\'s lavapipe)'
      : '';
    throw new Error(`Dawn found no GPU adapter${hint}`);
  }
  const info = adapter.info ?? {};
  const device = await adapter.requestDevice({
    requiredLimits: { maxStorageBuffersPerShaderStage: Math.min(8, adapter.limits.maxStorageBuffersPerShaderStage),
      maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
      maxBufferSize: adapter.limits.maxBufferSize },
  });
  (globalThis as { striateGpu?: unknown }).striateGpu = gpu; // keeps Dawn alive with the device
  port.postMessage({ kind: 'ready', adapter: [info.vendor, info.architecture, info.description].filter(Boolean).join(' ') });
  return new Executor(device);
}

serveGpu(start, (m) => port.postMessage(m), (handle) => port.on('message', handle));
