/**
 * GEMM GFLOP/s on the wasm backend in one short process, for before/after comparisons of the
 * kernel: `node dist/bench/gemm_speed.js [--threads N] [--sizes 256,1024]`. Median of the calls
 * made in about a second per size, after a warm-up call. STRIATE_WASM_SIMD=plain|relaxed picks
 * the build of the kernels (Node 20 runs relaxed only with --experimental-wasm-relaxed-simd).
 */
import * as st from '../src/index.js';
import { flag, timeCalls } from './quick.js';

st.setBackend('wasm');
st.setNumThreads(Number(flag('--threads', '2')));

for (const n of flag('--sizes', '256,1024').split(',').map(Number)) {
  const a = st.randomNormal([n, n], 0, 1, 'float32', 1);
  const b = st.randomNormal([n, n], 0, 1, 'float32', 2);
  const once = () => st.tidy(() => { st.matMul(a, b); });
  once();
  const { wall: times, cpu } = await timeCalls(once, 3, 1000);
  times.sort((x, y) => x - y);
  cpu.sort((x, y) => x - y);
  const ms = times[times.length >> 1];
  // per CPU second of this process (all its threads): on a loaded machine less disturbed than the wall time
  const perCpu = (2 * n ** 3) / (cpu[cpu.length >> 1] / 1000) / 1e9;
  console.log(`GEMM ${n}^3 (${st.getNumThreads()} thread(s), ${st.getWasmSimd()} SIMD): ${((2 * n ** 3) / (ms / 1000) / 1e9).toFixed(1)} GFLOP/s (median ${ms.toFixed(2)} ms, best ${(2 * n ** 3 / (times[0] / 1000) / 1e9).toFixed(1)}; ${perCpu.toFixed(1)} per CPU second)`);
}
