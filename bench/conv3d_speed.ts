/**
 * One training step's worth of 3-D convolution on the wasm backend: conv3d forward and both
 * gradients for x [4,16,16,16,8], filter [3,3,3,8,16], 'same' padding.
 * `node dist/bench/conv3d_speed.js [--threads N] [--runs 7]`: median wall time of the runs,
 * after a warm-up run.
 */
import * as st from '../src/index.js';
import { flag } from './quick.js';

st.setBackend('wasm');
st.setNumThreads(Number(flag('--threads', '2')));
const runs = Number(flag('--runs', '7'));

const x = st.randomNormal([4, 16, 16, 16, 8], 0, 1, 'float32', 1);
const f = st.randomNormal([3, 3, 3, 8, 16], 0, 1, 'float32', 2);
const step = st.grads((a: st.Tensor, b: st.Tensor) => st.sum(st.conv3d(a, b, 1, 'same')));
const once = (): void => st.tidy(() => {
  for (const g of step([x, f])) g.dataSync();
});
once();
const times: number[] = [];
for (let i = 0; i < runs; i++) {
  const t0 = performance.now();
  once();
  times.push(performance.now() - t0);
}
times.sort((p, q) => p - q);
console.log(`conv3d forward + dx + dW, x [4,16,16,16,8] f [3,3,3,8,16] same, ${st.getNumThreads()} threads: ` +
  `median ${times[times.length >> 1].toFixed(1)} ms over ${runs} runs (min ${times[0].toFixed(1)}, max ${times[times.length - 1].toFixed(1)})`);
