/**
 * The channel to a worker that owns the GPU device, in Node (worker.js, device.ts) and in a
 * cross-origin isolated page's worker (browser_worker.js, browser_channel.ts): commands go in
 * batches, flushed before each read and at the end of the tick; a read posts a SharedArrayBuffer
 * that the worker fills, and blocks on it (readSync) or waits for it (read).
 */
import type { Command } from './executor.js';
import type { Channel } from './device.js';

/** What the channel needs of the worker. */
export interface WorkerLink {
  postMessage(message: unknown): void;
  /** why the worker stopped (its error handler saw one), or null while it runs */
  dead(): string | null;
  /** Node: an unref'd worker and a pending waitAsync do not keep node alive, so a read holds it */
  keepAlive: { ref(): void; unref(): void } | null;
}

export interface WorkerChannel extends Channel {
  /** posts the commands batched so far */
  flush(): void;
  /** commands were sent that no read has waited for since */
  readonly unsettled: boolean;
}

export function workerChannel(adapter: string, link: WorkerLink): WorkerChannel {
  let reading = 0;
  let batch: Command[] = [];
  let scheduled = false;
  let unsettled = false;
  const flush = (): void => {
    scheduled = false;
    if (batch.length === 0) return;
    const commands = batch;
    batch = [];
    unsettled = true;
    link.postMessage({ kind: 'commands', commands });
  };
  const request = (id: number, bytes: number): { sab: SharedArrayBuffer; words: Int32Array } => {
    const dead = link.dead();
    if (dead) throw new Error(`webgpu backend: the GPU worker stopped (${dead})`);
    flush();
    unsettled = false;
    // room for an error message even when the read is small
    const sab = new SharedArrayBuffer(8 + Math.max(bytes, 1024));
    link.postMessage({ kind: 'read', id, bytes, answer: sab });
    return { sab, words: new Int32Array(sab, 0, 2) };
  };
  const result = (sab: SharedArrayBuffer, words: Int32Array, bytes: number): ArrayBuffer => {
    if (words[0] === 2) {
      throw new Error(new TextDecoder().decode(new Uint8Array(sab, 8, words[1]).slice()));
    }
    return new Uint8Array(sab, 8, bytes).slice().buffer;
  };
  return {
    adapter,
    get unsettled() {
      return unsettled;
    },
    flush,
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
        const hold = link.keepAlive;
        if (hold && reading++ === 0) hold.ref();
        try {
          if (w.async) await w.value;
        } finally {
          if (hold && --reading === 0) hold.unref();
        }
      } else {
        Atomics.wait(words, 0, 0, 120_000);
      }
      return result(sab, words, bytes);
    },
  };
}
