/**
 * Browser only (studio area, issue 19): the channel to a GPU worker (browser_worker.ts), used
 * when the backend runs in a dedicated worker of a cross-origin isolated page. Reads block on
 * Atomics.wait (allowed in workers), so dataSync() and fallbacks work; see device.ts.
 */
import type { Channel } from './device.js';
import { workerChannel } from './worker_channel.js';

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
  return workerChannel(started.adapter || 'WebGPU adapter',
    { postMessage: (m) => worker.postMessage(m), dead: () => dead, keepAlive: null });
}
