/**
 * Browser only (studio area, issue 19): the channel to a GPU worker (browser_worker.ts), used
 * when the backend runs in a dedicated worker of a cross-origin isolated page. Reads block on
 * Atomics.wait (allowed in workers), so dataSync() and fallbacks work; see device.ts.
 */
import type { Command } from './executor.js';
import type { Channel } from './device.js';

const WORKER_FILE = './browser_worker.js';

/** True where a GPU worker can serve blocking reads: a worker thread with shared memory. */
export function canBlock(): boolean {
  const g = globalThis as { document?: unknown; crossOriginIsolated?: boolean; Worker?: unknown };
  return g.document === undefined && g.crossOriginIsolated === true && typeof g.Worker === 'function' &&
    typeof SharedArrayBuffer === 'function';
}

export async function openBrowserWorker(): Promise<Channel> {
  // the file name through a variable, so that bundlers leave the library's worker where it is
  const worker = new Worker(new URL(WORKER_FILE, import.meta.url), { type: 'module' });
  const started = await new Promise<{ kind: string; adapter?: string; message?: string }>((resolve) => {
    worker.onmessage = (e) => resolve(e.data);
    worker.onerror = (e) => resolve({ kind: 'failed', message: e.message || 'the GPU worker failed to load' });
  });
  if (started.kind !== 'ready') {
    worker.terminate();
    throw new Error(started.message ?? 'the GPU worker did not start');
  }
  let dead: string | null = null;
  worker.onerror = (e) => { dead = e.message || 'an error'; };
  worker.onmessage = null;
  let batch: Command[] = [];
  let scheduled = false;
  const flush = (): void => {
    scheduled = false;
    if (batch.length === 0) return;
    const commands = batch;
    batch = [];
    worker.postMessage({ kind: 'commands', commands });
  };
  const request = (id: number, bytes: number): { sab: SharedArrayBuffer; words: Int32Array } => {
    if (dead) throw new Error(`webgpu backend: the GPU worker stopped (${dead})`);
    flush();
    const sab = new SharedArrayBuffer(8 + Math.max(bytes, 1024));
    worker.postMessage({ kind: 'read', id, bytes, answer: sab });
    return { sab, words: new Int32Array(sab, 0, 2) };
  };
  const result = (sab: SharedArrayBuffer, words: Int32Array, bytes: number): ArrayBuffer => {
    if (words[0] === 2) throw new Error(new TextDecoder().decode(new Uint8Array(sab, 8, words[1]).slice()));
    return new Uint8Array(sab, 8, bytes).slice().buffer;
  };
  return {
    adapter: started.adapter || 'WebGPU adapter',
    send(c) {
      batch.push(c);
      if (!scheduled) {
        scheduled = true;
        queueMicrotask(flush);
      }
    },
    readSync(id, bytes) {
      const { sab, words } = request(id, bytes);
      if (Atomics.wait(words, 0, 0, 120_000) === 'timed-out') throw new Error('webgpu backend: the GPU did not answer a read within 120 s');
      return result(sab, words, bytes);
    },
    async read(id, bytes) {
      const { sab, words } = request(id, bytes);
      const waiter = (Atomics as unknown as { waitAsync?: (a: Int32Array, i: number, v: number) => { async: boolean; value: unknown } }).waitAsync;
      if (waiter) {
        const w = waiter(words, 0, 0);
        if (w.async) await w.value;
      } else {
        Atomics.wait(words, 0, 0, 120_000);
      }
      return result(sab, words, bytes);
    },
  };
}
