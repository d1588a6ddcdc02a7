/**
 * resizeBilinear forward and backward on the wasm backend, through the public API: a
 * [8, 64, 64, 16] batch resized to [128, 128] and the gradient of the sum of the result
 * w.r.t. the batch. Prints the median wall time of one forward+backward.
 *
 *   node dist/bench/resize_bilinear_speed.js [--runs 15] [--size 128] [--threads N]
 */
import * as st from '../src/index.js';
import { flag, timeCalls } from './quick.js';

const runs = Number(flag('--runs', '15'));
const size = Number(flag('--size', '128'));
const threads = flag('--threads', '');

await st.setBackend('wasm');
if (threads !== '') st.setNumThreads(Number(threads));
const x = st.randomUniform([8, 64, 64, 16], -1, 1, 'float32', 7);
const step = st.valueAndGrad((v: st.Tensor) => st.sum(st.image.resizeBilinear(v, [size, size], false, true)));
const body = (): void => {
  st.tidy(() => {
    const { value, grad } = step(x);
    value.dataSync();
    grad.dataSync();
  });
};
body(); // warm-up: the first call allocates the heap blocks the later ones reuse
const { wall, cpu } = await timeCalls(body, runs);
const median = (v: number[]): number => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
console.log(`resizeBilinear [8,64,64,16] -> [${size},${size}] forward+backward, wasm backend ` +
  `(${st.getBackend()}, ${st.getNumThreads()} threads): ` +
  `median ${median(wall).toFixed(2)} ms wall, ${median(cpu).toFixed(2)} ms cpu over ${wall.length} runs`);
