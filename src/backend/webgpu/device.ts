/**
 * Getting a GPU: `navigator.gpu` in a browser (the executor runs in the page), the optional
 * `webgpu` package (Dawn) in Node, where the executor runs in a worker thread so that reads can
 * block the main thread until the bytes are there (dataSync works in Node; a page can only
 * `await t.data()`). Nothing here is imported eagerly: a missing package or adapter never
 * breaks loading striate; it makes `setBackend('webgpu')` fail with a plain reason.
 */
import { Executor, type Command } from './executor.js';

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

/** Node: a worker owns the device; commands go in batches, flushed before each read and at the end of the tick. */
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
  worker.on('error', (e) => { dead = e.message; });
  let dead: string | null = null;
  let reading = 0;
  let batch: Command[] = [];
  let scheduled = false;
  /** commands were sent that no read has waited for since */
  let unsettled = false;
  const flush = (): void => {
    scheduled = false;
    if (batch.length === 0) return;
    const commands = batch;
    batch = [];
    unsettled = true;
    worker.postMessage({ kind: 'commands', commands });
  };
  // Node ends an unref'd worker when the main thread exits; ended inside a Dawn call (SwiftShader
  // compiling a pipeline that nothing read yet), Dawn's binding throws while its environment is
  // torn down and node aborts (FATAL ERROR: napi_throw, exit code 134). So at exit the main thread
  // waits until the worker has applied everything sent (at most 60 s).
  process.once('exit', () => {
    flush();
    if (!unsettled || dead) return;
    const sab = new SharedArrayBuffer(8 + 1024);
    worker.postMessage({ kind: 'fence', answer: sab });
    Atomics.wait(new Int32Array(sab, 0, 2), 0, 0, 60_000);
  });
  const request = (id: number, bytes: number): { sab: SharedArrayBuffer; words: Int32Array } => {
    if (dead) throw new Error(`webgpu backend: the GPU worker stopped (${dead})`);
    flush();
    unsettled = false;
    // room for an error message even when the read is small
    const sab = new SharedArrayBuffer(8 + Math.max(bytes, 1024));
    worker.postMessage({ kind: 'read', id, bytes, answer: sab });
    return { sab, words: new Int32Array(sab, 0, 2) };
  };
  const result = (sab: SharedArrayBuffer, words: Int32Array, bytes: number): ArrayBuffer => {
    if (words[0] === 2) {
      throw new Error(new TextDecoder().decode(new Uint8Array(sab, 8, words[1]).slice()));
    }
    return new Uint8Array(sab, 8, bytes).slice().buffer;
  };
  return {
    adapter: started.adapter || 'Dawn adapter',
    send(c) {
      batch.push(c);
      if (!scheduled) {
        scheduled = true;
        queueMicrotask(flush);
      }
    },
    readSync(id, bytes) {
      const { sab, words } = request(id, bytes);
      if (Atomics.wait(words, 0, 0, 120_000) === 'timed-out') {
        throw new Error('webgpu backend: the GPU did not answer a read within 120 s');
      }
      return result(sab, words, bytes);
    },
    async read(id, bytes) {
      const { sab, words } = request(id, bytes);
      const waiter = (Atomics as unknown as { waitAsync?: (a: Int32Array, i: number, v: number) => { async: boolean; value: unknown } }).waitAsync;
      if (waiter) {
        const w = waiter(words, 0, 0);
        // an unref'd worker and a pending waitAsync do not keep node alive: hold it while reading
        if (reading++ === 0) worker.ref();
        try {
          if (w.async) await w.value;
        } finally {
          if (--reading === 0) worker.unref();
        }
      } else {
        Atomics.wait(words, 0, 0, 120_000);
      }
      return result(sab, words, bytes);
    },
  };
}
