/**
 * CPU microseconds per call of narrow and short GEMMs (the MLP's 256 -> 10 layer: forward
 * n = 10, input gradient k = 10) against their neighbours n or k = 8, 12, 16 (mlp speed area,
 * issue 18): `node dist/bench/narrow_gemm.js [--threads N] [--shapes 128x256x10,...]`. Seven
 * rounds of 100 ms per shape, interleaved; prints the median and range per call (the call's
 * JavaScript included: about 6 us, the 4x4x4 line). A shape ending in `t` takes B transposed
 * (stored n x k, as the input gradient dY W^T of a dense layer: 128x10x256t).
 */
import * as st from '../src/index.js';
import { flag } from './quick.js';

st.setBackend('wasm');
st.setNumThreads(Number(flag('--threads', '1')));
const shapes = flag('--shapes', '128x256x8,128x256x10,128x256x12,128x256x16,128x8x256,128x10x256,128x16x256,4x4x4')
  .split(',').map((s) => [...s.replace(/t$/, '').split('x').map(Number), s.endsWith('t') ? 1 : 0]);
const res = new Map<string, number[]>();
for (let r = 0; r < 7; r++) {
  for (const [m, k, n, tb] of shapes) {
    const a = st.randomNormal([m, k], 0, 1, 'float32', 1), b = st.randomNormal(tb ? [n, k] : [k, n], 0, 1, 'float32', 2);
    const once = () => st.tidy(() => { st.matMul(a, b, false, tb === 1); });
    for (let i = 0; i < 20; i++) once();
    const c0 = process.cpuUsage();
    let calls = 0;
    const t = performance.now();
    while (performance.now() - t < 100) { once(); calls++; }
    const d = process.cpuUsage(c0);
    const key = `${m}x${k}x${n}${tb ? 't' : ''}`;
    if (!res.has(key)) res.set(key, []);
    res.get(key)!.push((d.user + d.system) / calls);
    a.dispose(); b.dispose();
  }
}
for (const [key, v] of res) {
  v.sort((x, y) => x - y);
  console.log(`${key.padEnd(12)} ${v[3].toFixed(1).padStart(7)} us CPU per call (median; ${v[0].toFixed(1)}-${v[v.length - 1].toFixed(1)})`);
}
