/**
 * Settings of the MLP's (or another small net's) training step compared in one process, rounds
 * interleaved so that a changing load on the shared machine falls on every setting alike:
 * `node dist/bench/mlp_ab.js [--model mlp|cnn|lenet] [--batches N] [--rounds N] [--modes a,b,..]`
 * (mlp speed area, issue 18). A 2-thread backend; the modes:
 * - `cK`: the GEMM split into K chunks per thread for the pool (2 is the default);
 * - `caller`: every task on the calling thread (one thread's work with the same kernels);
 * Each round runs one shuffled epoch per mode; prints per mode the median samples/s (wall) and
 * the median CPU milliseconds per batch of the whole process (all threads), and the median
 * per-round ratio of samples/s against the first mode.
 */
import * as st from '../src/index.js';
import { median } from './common.js';
import { flag } from './quick.js';
import { smallEpoch, smallKind } from './small_net.js';
import type { WasmBackend } from '../src/backend/wasm/backend.js';
import { ThreadPolicy } from '../src/backend/wasm/thread_policy.js';
import { gemmSplit } from '../src/backend/wasm/ops.js';

st.setBackend('wasm');
st.setNumThreads(2);
const be = st.backend() as unknown as WasmBackend;
const kind = smallKind();
const batches = Number(flag('--batches', kind === 'mlp' ? '40' : '15'));
const rounds = Number(flag('--rounds', '6'));
const modes = flag('--modes', 'c2,c4,caller').split(',');
const { batch, n, fit } = smallEpoch(kind, batches);
const callerOnly = Object.assign(new ThreadPolicy(), { choose: () => false });

function apply(mode: string): void {
  be.threadPolicy = mode === 'caller' ? callerOnly : null;
  const c = /^c(\d+)$/.exec(mode);
  gemmSplit.chunksPerThread = c ? Number(c[1]) : 2;
}

const rates = new Map<string, number[]>(modes.map((m) => [m, []]));
const cpus = new Map<string, number[]>(modes.map((m) => [m, []]));
for (const m of modes) { apply(m); await fit(); }
for (let r = 0; r < rounds; r++) {
  for (const m of modes) {
    apply(m);
    const c0 = process.cpuUsage();
    const t = performance.now();
    await fit();
    const wall = performance.now() - t;
    const d = process.cpuUsage(c0);
    rates.get(m)!.push(n / (wall / 1000));
    cpus.get(m)!.push((d.user + d.system) / 1000 / batches);
  }
}
console.log(`${kind} batch ${batch}, 2-thread backend, ${rounds} interleaved rounds of ${n} samples (load ${
  (await import('node:os')).loadavg().map((v) => v.toFixed(1)).join(' ')})`);
const first = rates.get(modes[0])!;
for (const m of modes) {
  const r = rates.get(m)!;
  console.log(`  ${m.padEnd(8)} ${median(r).toFixed(0).padStart(7)} samples/s, ${median(cpus.get(m)!).toFixed(2)} ms CPU per batch, ` +
    `per round over ${modes[0]}: ${median(r.map((v, i) => v / first[i])).toFixed(2)}x`);
}
