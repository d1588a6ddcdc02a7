/**
 * Browser only (studio area, issue 19): a dedicated worker that owns the GPUDevice when the
 * webgpu backend itself runs in a worker of a cross-origin isolated page (the studio's training
 * worker). That worker can then block on Atomics.wait until a read's bytes are here, so
 * `dataSync()` and the reference-kernel fallbacks work there as they do in Node. The messages
 * are those of the Node worker (worker.ts): command batches, and reads answered through a
 * SharedArrayBuffer (word 0: 0 pending, 1 bytes in from byte 8, 2 error text from byte 8).
 */
import { Executor, type Command } from './executor.js';

type Message =
  | { kind: 'commands'; commands: Command[] }
  | { kind: 'read'; id: number; bytes: number; answer: SharedArrayBuffer };

const scope = self as unknown as { postMessage(m: unknown): void; onmessage: ((e: MessageEvent<Message>) => void) | null };

async function start(): Promise<Executor> {
  const gpu = (navigator as unknown as { gpu?: { requestAdapter(): Promise<any> } }).gpu;
  if (!gpu) throw new Error('this browser has no WebGPU in workers (navigator.gpu is undefined there)');
  const adapter = await gpu.requestAdapter();
  if (!adapter) throw new Error('navigator.gpu.requestAdapter() found no GPU adapter');
  const device = await adapter.requestDevice();
  const info = adapter.info ?? {};
  scope.postMessage({ kind: 'ready', adapter: [info.vendor, info.architecture, info.description].filter(Boolean).join(' ') });
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
let pending: string | null = null;
let chain: Promise<void> = start().then((e) => { executor = e; }, (e) => {
  scope.postMessage({ kind: 'failed', message: (e as Error).message });
});
// a read waits for the mapping; later messages queue behind it so that order is kept
scope.onmessage = (event) => {
  const m = event.data;
  chain = chain.then(async () => {
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
};
