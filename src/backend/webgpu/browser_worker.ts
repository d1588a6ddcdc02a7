/**
 * Browser only (studio area, issue 19): a dedicated worker that owns the GPUDevice when the
 * webgpu backend itself runs in a worker of a cross-origin isolated page (the studio's training
 * worker). That worker can then block on Atomics.wait until a read's bytes are here, so
 * `dataSync()` and the reference-kernel fallbacks work there as they do in Node. The messages
 * and their answers are the Node worker's (worker_loop.ts).
 */
import { Executor } from './executor.js';
import { serveGpu, type WorkerMessage } from './worker_loop.js';

const scope = self as unknown as { postMessage(m: unknown): void; onmessage: ((e: MessageEvent<WorkerMessage>) => void) | null };

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

serveGpu(start, (m) => scope.postMessage(m), (handle) => {
  scope.onmessage = (event) => handle(event.data);
});
