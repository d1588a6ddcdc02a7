/**
 * What waking the wasm backend's second thread costs, and from which GEMM size two threads
 * beat one: `node dist/bench/dispatch_cost.js [--rounds 5]`. First the time of an empty task
 * (task 0 runs nothing) handed to the pool in 2 chunks, against running it on the caller; then
 * matMul [m,k]x[k,n] at 1 and 2 threads, interleaved round by round, with the median ratio.
 */
import * as st from '../src/index.js';
import { median } from './common.js';
import { flag, timeCalls } from './quick.js';
import type { WasmBackend } from '../src/backend/wasm/backend.js';

st.setBackend('wasm');
const rounds = Number(flag('--rounds', '5'));
const be = st.backend() as unknown as WasmBackend;

st.setNumThreads(2);
for (const parallel of [false, true]) {
  const per: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t = performance.now();
    for (let i = 0; i < 2000; i++) be.run(0, be.argsPtr, 2, parallel);
    per.push((performance.now() - t) / 2000 * 1000);
  }
  console.log(`empty task, 2 chunks, ${parallel ? 'on the pool' : 'on the caller'}: median ${median(per).toFixed(2)} us per call`);
}

const sizes: [number, number, number][] = [
  [64, 64, 64], [128, 64, 64], [128, 128, 64], [128, 128, 128], [128, 256, 128], [128, 256, 256], [128, 784, 256],
  [64, 784, 256],
];
const ratios = new Map<string, number[]>();
const times = new Map<string, number[][]>();
for (let r = 0; r < rounds; r++) {
  for (const threads of [1, 2]) {
    st.setNumThreads(threads);
    for (const [m, k, n] of sizes) {
      const a = st.randomNormal([m, k], 0, 1, 'float32', 1), b = st.randomNormal([k, n], 0, 1, 'float32', 2);
      const once = () => st.tidy(() => { st.matMul(a, b); });
      for (let i = 0; i < 3; i++) once();
      const { wall } = await timeCalls(once, 20, 60);
      const key = `${m}x${k}x${n}`;
      if (!times.has(key)) times.set(key, [[], []]);
      times.get(key)![threads - 1].push(median(wall));
      a.dispose(); b.dispose();
    }
  }
  for (const [m, k, n] of sizes) {
    const key = `${m}x${k}x${n}`;
    const [t1, t2] = times.get(key)!;
    if (!ratios.has(key)) ratios.set(key, []);
    ratios.get(key)!.push(t1[t1.length - 1] / t2[t2.length - 1]);
  }
}
for (const [m, k, n] of sizes) {
  const key = `${m}x${k}x${n}`;
  const [t1, t2] = times.get(key)!;
  console.log(`matMul ${key.padEnd(12)} (${(m * k * n / 1024).toFixed(0).padStart(6)}K MACs): 1 thread ${median(t1).toFixed(3)} ms, ` +
    `2 threads ${median(t2).toFixed(3)} ms, speed-up median ${median(ratios.get(key)!).toFixed(2)}x`);
}
