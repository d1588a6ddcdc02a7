/**
 * Where one training step of a small model spends its time on the wasm backend, kernel by kernel:
 * `node dist/bench/step_trace.js [--model mlp|cnn|lenet] [--threads N] [--steps N]`.
 * Wraps the backend's task runner to record, per wasm task id, how often it ran, with how many
 * chunks, whether it went to the pool, and its summed milliseconds; the rest of the step is the
 * JavaScript between kernels (tape, allocation, optimizer bookkeeping). With 2 threads it also
 * counts the dispatches that found the worker asleep (Atomics.notify woke it: a futex wake-up)
 * from the pool's own counters. Batch sizes are the bench's (cnn 64, lenet 128, mlp 128).
 */
import * as st from '../src/index.js';
import { flag } from './quick.js';
import { smallBatch, smallData, smallKind, smallModel } from './small_net.js';
import type { WasmBackend } from '../src/backend/wasm/backend.js';

st.setBackend('wasm');
st.setNumThreads(Number(flag('--threads', '2')));
const kind = smallKind();
const batch = smallBatch(kind);
const steps = Number(flag('--steps', '50'));
const be = st.backend() as unknown as WasmBackend;

const model = smallModel(kind);
const { xs: xb, ys: yb } = smallData(kind, batch);
for (let i = 0; i < 20; i++) await model.trainOnBatch(xb, yb);

interface Row { calls: number; pooled: number; chunks: number; ms: number }
const rows = new Map<string, Row>();
let inKernels = 0;
const run = be.run.bind(be);
be.run = (task: number, args: number, chunks: number, parallel: boolean, work = 0): void => {
  const t = performance.now();
  const before = be.poolStats().dispatches;
  run(task, args, chunks, parallel, work);
  // the policy may have kept a task split for the pool on this thread: count what happened
  parallel = be.poolStats().dispatches > before;
  const ms = performance.now() - t;
  inKernels += ms;
  const key = `task ${task}${parallel ? ' pool' : ''}`;
  const r = rows.get(key) ?? { calls: 0, pooled: 0, chunks: 0, ms: 0 };
  r.calls++; r.chunks += chunks; r.ms += ms;
  if (parallel) r.pooled++;
  rows.set(key, r);
};
const stats0 = be.poolStats();
const c0 = process.cpuUsage();
const t0 = performance.now();
for (let i = 0; i < steps; i++) await model.trainOnBatch(xb, yb);
const wall = (performance.now() - t0) / steps;
const cpu = (() => { const d = process.cpuUsage(c0); return (d.user + d.system) / 1000 / steps; })();
const stats = be.poolStats();
console.log(`${kind} batch ${batch}, ${be.threads} threads: ${wall.toFixed(3)} ms per step wall, ${cpu.toFixed(3)} ms CPU; ` +
  `${(inKernels / steps).toFixed(3)} ms in wasm tasks, ${((wall - inKernels / steps)).toFixed(3)} ms between them`);
console.log(`pool per step: ${((stats.dispatches - stats0.dispatches) / steps).toFixed(1)} dispatches, ` +
  `${((stats.wakes - stats0.wakes) / steps).toFixed(1)} found the worker asleep, ` +
  `${((stats.callerWaits - stats0.callerWaits) / steps).toFixed(1)} made the caller sleep for the last chunk`);
for (const [key, r] of [...rows].sort((a, b) => b[1].ms - a[1].ms)) {
  console.log(`${(r.ms / steps).toFixed(3).padStart(8)} ms  x${(r.calls / steps).toFixed(1).padStart(5)}  ` +
    `${(r.chunks / r.calls).toFixed(1).padStart(5)} chunks  ${(r.ms / r.calls * 1000).toFixed(0).padStart(6)} us/call  ${key}`);
}
if (be.threadPolicy) {
  console.log('thread policy per kind of pooled task (task id, half-octave of work): mean ms on the pool / on the caller, runs of each');
  for (const r of be.threadPolicy.summary()) {
    console.log(`  task ${r.task} size ${r.size}: pool ${r.poolMs.toFixed(3)} ms x${r.nPool}, caller ${r.callerMs.toFixed(3)} ms x${r.nCaller}`);
  }
}
