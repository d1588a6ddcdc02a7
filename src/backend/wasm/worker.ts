/**
 * A worker of the wasm backend's pool: instantiates the kernel module over the shared memory,
 * then waits on the control word and runs the chunks it can claim (see pool.ts).
 */
import { instantiateOver, isNode } from './module.js';
import { workLoop, type WorkerSetup } from './pool.js';

function start(setup: WorkerSetup): void {
  const kernels = instantiateOver(setup.module, setup.memory);
  kernels.init(setup.scratchBase, setup.scratchBytes);
  workLoop(kernels, new Int32Array(setup.memory.buffer, setup.control, 16), setup.tid, setup.spin);
}

if (isNode) {
  // The endless work loop must not run inside this module's own evaluation: a worker ended at
  // process exit while its module was still evaluating crashed V8 on Node 20 ("Check failed:
  // (location_) != nullptr" in SourceTextModule::ExecuteAsyncModule). So the module finishes
  // evaluating first and the loop starts in a later job.
  void import('node:worker_threads').then(({ parentPort, workerData }) => {
    parentPort?.unref();
    start(workerData as WorkerSetup);
  });
} else {
  (globalThis as unknown as { onmessage: (e: MessageEvent<WorkerSetup>) => void }).onmessage = (e) => start(e.data);
}
