/**
 * GFLOP/s of the GEMM shapes a small model's training step runs (forward, filter and input
 * gradients of its dense layers), on the wasm backend: `node dist/bench/gemm_shapes.js
 * [--threads N] [--model mlp|cnn|lenet] [--ms 400]`. Each line: median wall time per call and
 * GFLOP/s wall and per CPU second (on a shared machine the CPU figure is disturbed less).
 */
import * as st from '../src/index.js';
import { median } from './common.js';
import { flag, timeCalls } from './quick.js';

st.setBackend('wasm');
st.setNumThreads(Number(flag('--threads', '2')));
const kind = flag('--model', 'mlp');
const widths: Record<string, number[]> = { mlp: [784, 256, 256, 10], cnn: [784, 256, 10], lenet: [400, 120, 84, 10] };
const batch = kind === 'cnn' ? 64 : 128;
const w = widths[kind];
const shapes: [string, number, number, number, boolean, boolean][] = [];
for (let l = 0; l + 1 < w.length; l++) {
  shapes.push([`fwd ${w[l]}->${w[l + 1]}`, batch, w[l], w[l + 1], false, false]);
  shapes.push([`dW  ${w[l]}->${w[l + 1]}`, w[l], batch, w[l + 1], true, false]);
  if (l > 0) shapes.push([`dX  ${w[l]}->${w[l + 1]}`, batch, w[l + 1], w[l], false, true]);
}
const ms = Number(flag('--ms', '400'));
let totalMs = 0;
for (const [label, m, k, n, ta, tb] of shapes) {
  const a = st.randomNormal(ta ? [k, m] : [m, k], 0, 1, 'float32', 1);
  const b = st.randomNormal(tb ? [n, k] : [k, n], 0, 1, 'float32', 2);
  const once = () => st.tidy(() => { st.matMul(a, b, ta, tb); });
  for (let i = 0; i < 5; i++) once();
  const { wall, cpu } = await timeCalls(once, 10, ms);
  const flop = 2 * m * n * k;
  totalMs += median(wall);
  console.log(`${label.padEnd(14)} m${m} k${k} n${n}${ta ? ' tA' : ''}${tb ? ' tB' : ''}: ${median(wall).toFixed(3)} ms, ` +
    `${(flop / median(wall) / 1e6).toFixed(1)} GFLOP/s (${(flop / median(cpu) / 1e6).toFixed(1)} per CPU second)`);
}
console.log(`sum of medians ${totalMs.toFixed(3)} ms (${st.getNumThreads()} threads)`);
