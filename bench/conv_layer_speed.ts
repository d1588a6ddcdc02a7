/**
 * GFLOP/s of one conv layer on the wasm backend, for before/after comparisons of the kernels
 * (issue 18's per-layer figure): `node dist/bench/conv_layer_speed.js [--threads N]
 * [--batch 64] [--size 32] [--cin 32] [--cout 32]`, a 3x3 'same' convolution, forward alone and
 * forward with both gradients (`st.grads`). Median of the calls made in about a second each,
 * after a warm-up call; prints which build of the kernels ran (st.getWasmSimd()).
 */
import * as st from '../src/index.js';
import { flag, timeCalls } from './quick.js';

st.setBackend('wasm');
st.setNumThreads(Number(flag('--threads', '2')));
const [batch, size, cin, cout] = ['--batch', '--size', '--cin', '--cout'].map((name, i) => Number(flag(name, ['64', '32', '32', '32'][i])));

const x = st.randomNormal([batch, size, size, cin], 0, 1, 'float32', 1);
const f = st.randomNormal([3, 3, cin, cout], 0, 1, 'float32', 2);
const dy = st.randomNormal([batch, size, size, cout], 0, 1, 'float32', 3);
const flop = 2 * batch * size * size * cout * 9 * cin;
const conv = (x: st.Tensor, f: st.Tensor) => st.conv2d(x, f, 1, 'same');
const withGrads = st.grads((x: st.Tensor, f: st.Tensor) => st.sum(st.mul(conv(x, f), dy)));

async function time(label: string, flops: number, body: () => st.Tensor[]): Promise<void> {
  const once = () => st.tidy(() => { for (const t of body()) t.dataSync(); });
  once();
  const { wall, cpu } = await timeCalls(once, 3, 1000);
  const times = wall.sort((a, b) => a - b);
  const ms = times[times.length >> 1];
  // per CPU second of this process (all its threads): on a loaded machine less disturbed than the wall time
  const perCpu = flops / (cpu.sort((a, b) => a - b)[cpu.length >> 1] / 1000) / 1e9;
  console.log(`${label}: ${(flops / (ms / 1000) / 1e9).toFixed(1)} GFLOP/s (median ${ms.toFixed(1)} ms of ${times.length}, best ${(flops / (times[0] / 1000) / 1e9).toFixed(1)}; ${perCpu.toFixed(1)} per CPU second)`);
}

const what = `conv 3x3 same ${size}x${size}x${cin}->${cout} batch ${batch}, ${st.getNumThreads()} thread(s), ${st.getWasmSimd()} SIMD`;
await time(`${what}, forward`, flop, () => [conv(x, f)]);
await time(`${what}, forward + both gradients`, 3 * flop, () => withGrads([x, f]));
