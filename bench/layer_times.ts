/**
 * Milliseconds per call of the digit CNN's layer ops at one batch size on the wasm backend, to
 * see which kernel a change should go after: `node dist/bench/layer_times.js [--threads N]
 * [--batch B]`. Each line: the median of 15 calls after two warm-ups, with the CPU time (one
 * thread: less disturbed by other work on a shared machine than the wall time).
 */
import * as st from '../src/index.js';
import { flag, timeCalls } from './quick.js';

st.setBackend('wasm');
st.setNumThreads(Number(flag('--threads', '1')));
const batch = Number(flag('--batch', '256'));

async function time(label: string, body: () => st.Tensor[]): Promise<void> {
  const run = () => st.tidy(() => { for (const t of body()) t.dataSync(); });
  run();
  run();
  const { wall, cpu } = await timeCalls(run, 15);
  const med = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1];
  console.log(`${med(wall).toFixed(2).padStart(8)} ms (cpu ${med(cpu).toFixed(2).padStart(7)})  ${label}`);
}

const u = (shape: number[], seed: number) => st.randomUniform(shape, -1, 1, 'float32', seed);
const x1 = u([batch, 28, 28, 1], 1), f1 = u([5, 5, 1, 8], 2), b1 = u([8], 3);
const x2 = u([batch, 14, 14, 8], 4), f2 = u([3, 3, 8, 16], 5), b2 = u([16], 6);
const p1 = u([batch, 28, 28, 8], 7), p2 = u([batch, 14, 14, 16], 8);
const d1 = u([batch, 784], 9), w1 = u([784, 256], 10), c1 = u([256], 11);
const dy1 = u([batch, 28, 28, 8], 12), dy2 = u([batch, 14, 14, 16], 13);

await time(`conv 5x5x1x8 same + bias + relu, x [${batch},28,28,1]`, () => [st.fused.conv2d({ x: x1, filter: f1, strides: 1, pad: 'same', bias: b1, activation: 'relu' })]);
await time(`conv 3x3x8x16 same + bias + relu, x [${batch},14,14,8]`, () => [st.fused.conv2d({ x: x2, filter: f2, strides: 1, pad: 'same', bias: b2, activation: 'relu' })]);
await time(`maxPool 2 on [${batch},28,28,8]`, () => [st.maxPool(p1, 2, 2, 'valid')]);
await time(`maxPool 2 on [${batch},14,14,16]`, () => [st.maxPool(p2, 2, 2, 'valid')]);
await time(`dense 784->256 + bias + relu, batch ${batch}`, () => [st.fused.matMul({ a: d1, b: w1, bias: c1, activation: 'relu' })]);
{
  const x = u([64, 28, 28, 32], 14), f = u([3, 3, 32, 64], 15);
  await time('conv 3x3x32x64 same on [64,28,28,32] (the bench conv workload)', () => [st.conv2d(x, f, 1, 'same')]);
  const xs = u([1, 56, 56, 64], 16), fs = u([3, 3, 64, 64], 17);
  await time('conv 3x3x64x64 same on [1,56,56,64] (a ResNet block)', () => [st.conv2d(xs, fs, 1, 'same')]);
  const xb = u([1, 14, 14, 256], 18), fb = u([1, 1, 256, 1024], 19);
  await time('conv 1x1x256x1024 on [1,14,14,256] (a ResNet-50 bottleneck)', () => [st.conv2d(xb, fb, 1, 'valid')]);
}
const convLoss = (dy: st.Tensor) => (xi: st.Tensor, fi: st.Tensor) => st.sum(st.mul(st.conv2d(xi, fi, 1, 'same'), dy));
await time(`conv 5x5x1x8 forward + dw (the first layer's training step)`, () => [st.grad((fi: st.Tensor) => convLoss(dy1)(x1, fi))(f1)]);
await time(`conv 3x3x8x16 forward + dw`, () => [st.grad((fi: st.Tensor) => convLoss(dy2)(x2, fi))(f2)]);
await time(`conv 3x3x8x16 forward + dx + dw`, () => st.grads(convLoss(dy2))([x2, f2]));
await time(`maxPool 2 on [${batch},28,28,8] forward + gradient`, () => st.grads((a: st.Tensor) => st.sum(st.mul(st.maxPool(a, 2, 2, 'valid'), dy2.slice([0, 0, 0, 0], [batch, 14, 14, 8]))))([p1]));
