/**
 * Node only: the thread that owns Dawn's GPUDevice for the webgpu backend (see device.ts).
 * Messages: a batch of commands (applied in order), or a read, answered through a
 * SharedArrayBuffer the main thread waits on: word 0 is 0 while pending, 1 when the bytes are in
 * (from byte 8 on), 2 on an error (its UTF-8 text from byte 8, its length in word 1).
 */
import { parentPort } from 'node:worker_threads';
import { Executor, type Command } from './executor.js';

type Message =
  | { kind: 'commands'; commands: Command[] }
  | { kind: 'read'; id: number; bytes: number; answer: SharedArrayBuffer }
  | { kind: 'fence'; answer: SharedArrayBuffer };

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

function answer(sab: SharedArrayBuffer, data: ArrayBuffer | null, error: string | null): void {
  const words = new Int32Array(sab, 0, 2);
  if (error !== null) {
    const text = new TextEncoder().encode(error);
    const room = sab.byteLength - 8;
    new Uint8Array(sab, 8, Math.min(room, text.length)).set(text.subarray(0, room));
    words[1] = Math.min(room, text.length);
    Atomics.store(words, 0, 2);
  } else {
    new Uint8Array(sab, 8, data!.byteLength).set(new Uint8Array(data!));
    Atomics.store(words, 0, 1);
  }
  Atomics.notify(words, 0);
}

let executor: Executor | null = null;
let chain: Promise<void> = start().then((e) => { executor = e; }, (e) => {
  port.postMessage({ kind: 'failed', message: (e as Error).message });
});
// a read waits for the mapping; later messages queue behind it so that order is kept
port.on('message', (m: Message) => {
  chain = chain.then(async () => {
    // answered once everything sent before it has been applied (the main thread's exit waits on it)
    if (m.kind === 'fence') {
      answer(m.answer, new ArrayBuffer(0), null);
      return;
    }
    if (!executor) {
      if (m.kind === 'read') answer(m.answer, null, 'the GPU device did not start');
      return;
    }
    if (m.kind === 'commands') {
      for (const c of m.commands) {
        try {
          executor.apply(c);
        } catch (e) {
          pending ??= (e as Error).message;
        }
      }
      return;
    }
    try {
      if (pending) throw new Error(pending);
      answer(m.answer, await executor.read(m.id, m.bytes), null);
    } catch (e) {
      answer(m.answer, null, (e as Error).message);
    } finally {
      pending = null;
    }
  });
});
let pending: string | null = null;
