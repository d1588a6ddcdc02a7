/**
 * The message loop of a thread that owns the GPUDevice, shared by the Node worker (worker.ts,
 * Dawn) and the browser's GPU worker (browser_worker.ts). Messages: a batch of commands (applied
 * in order), a read, or a fence, each answered through a SharedArrayBuffer the sender waits on:
 * word 0 is 0 while pending, 1 when the bytes are in (from byte 8 on), 2 on an error (its UTF-8
 * text from byte 8, its length in word 1).
 */
import type { Executor, Command } from './executor.js';

export type WorkerMessage =
  | { kind: 'commands'; commands: Command[] }
  | { kind: 'read'; id: number; bytes: number; answer: SharedArrayBuffer }
  | { kind: 'fence'; answer: SharedArrayBuffer };

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

/**
 * Starts the device with `start` (reporting a failure through `post`) and serves the messages
 * `listen` delivers. A read waits for its mapping; later messages queue behind it so that order
 * is kept. An error while applying commands is reported at the next read.
 */
export function serveGpu(start: () => Promise<Executor>, post: (m: unknown) => void,
                         listen: (handle: (m: WorkerMessage) => void) => void): void {
  let executor: Executor | null = null;
  let pending: string | null = null;
  let chain: Promise<void> = start().then((e) => { executor = e; }, (e) => {
    post({ kind: 'failed', message: (e as Error).message });
  });
  listen((m) => {
    chain = chain.then(async () => {
      // answered once everything sent before it has been applied (Node's exit waits on it)
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
}
