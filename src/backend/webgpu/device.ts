/**
 * Getting a GPU: `navigator.gpu` in a browser (the executor runs in the page), the optional
 * `webgpu` package (Dawn) in Node, where the executor runs in a worker thread so that reads can
 * block the main thread until the bytes are there (dataSync works in Node; a page can only
 * `await t.data()`). Nothing here is imported eagerly: a missing package or adapter never
 * breaks loading striate; it makes `setBackend('webgpu')` fail with a plain reason.
 */
import { Executor, type Command } from './executor.js';
import { workerChannel } from './worker_channel.js';

/** How the backend talks to the executor. */
export interface Channel {
  /** the adapter, in words */
  readonly adapter: string;
  send(c: Command): void;
  /** null where the platform cannot block (a page's main thread) */
  readonly readSync: ((id: number, bytes: number) => ArrayBuffer) | null;
  read(id: number, bytes: number): Promise<ArrayBuffer>;
}

const WORKER_FILE = './worker.js';
const isNode = typeof process !== 'undefined' && !!process.versions?.node;

export async function openChannel(): Promise<Channel> {
  if (isNode) return openWorker();
  // studio area: a worker of an isolated page gets a GPU worker of its own, so it can block on reads
  const browser = await import('./browser_channel.js');
  return browser.canBlock() ? browser.openBrowserWorker() : openPage();
}

async function openPage(): Promise<Channel> {
  const gpu = (globalThis as { navigator?: { gpu?: any } }).navigator?.gpu;
  if (!gpu) throw new Error('this browser has no WebGPU (navigator.gpu is undefined; it needs a secure context, https or localhost)');
  const adapter = await gpu.requestAdapter();
  if (!adapter) throw new Error('navigator.gpu.requestAdapter() found no GPU adapter');
  const device = await adapter.requestDevice();
  const executor = new Executor(device);
  let pending: string | null = null;
  const info = adapter.info ?? {};
  return {
    adapter: [info.vendor, info.architecture, info.description].filter(Boolean).join(' ') || 'WebGPU adapter',
    send(c) {
      try {
        executor.apply(c);
      } catch (e) {
        pending ??= (e as Error).message;
      }
    },
    readSync: null,
    async read(id, bytes) {
      if (pending) {
        const message = pending;
        pending = null;
        throw new Error(message);
      }
      return executor.read(id, bytes);
    },
  };
}

/** Node: a worker owns the device (the channel to it: worker_channel.ts). */
async function openWorker(): Promise<Channel> {
  const { Worker } = await import('node:worker_threads');
  // the file name through a variable: bundlers (vite) rewrite `new Worker(new URL('literal', ...))`
  // and would try to bundle this Node-only worker into the browser build
  const worker = new Worker(new URL(WORKER_FILE, import.meta.url));
  const started = await new Promise<{ kind: string; adapter?: string; message?: string }>((resolve) => {
    worker.once('message', resolve);
    worker.once('error', (e) => resolve({ kind: 'failed', message: e.message }));
  });
  if (started.kind !== 'ready') {
    await worker.terminate();
    throw new Error(started.message ?? 'the GPU worker did not start');
  }
  worker.unref();
  let dead: string | null = null;
  worker.on('error', (e) => { dead = e.message; });
  const channel = workerChannel(started.adapter || 'Dawn adapter',
    { postMessage: (m) => worker.postMessage(m), dead: () => dead, keepAlive: worker });
  // Node ends an unref'd worker when the main thread exits; ended inside a Dawn call (SwiftShader
  // compiling a pipeline that nothing read yet), Dawn's binding throws while its environment is
  // torn down and node aborts (FATAL ERROR: napi_throw, exit code 134). So at exit the main thread
  // waits until the worker has applied everything sent (at most 60 s).
  process.once('exit', () => {
    channel.flush();
    if (!channel.unsettled || dead) return;
    const sab = new SharedArrayBuffer(8 + 1024);
    worker.postMessage({ kind: 'fence', answer: sab });
    Atomics.wait(new Int32Array(sab, 0, 2), 0, 0, 60_000);
  });
  return channel;
}
