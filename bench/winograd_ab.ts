/**
 * Winograd F(2x2, 3x3) against the kernel the backend otherwise picks (winograd area, issue 18),
 * in one process, rounds alternating, per CPU second (the pool's workers included):
 *
 *   node dist/bench/winograd_ab.js [--threads 1] [--rounds 5] [--min-ms 300] [--batch 64]
 *     [--shapes all|resnet|cifar|small|big] [--tiles T] [--grad-tiles T]
 *
 * For each 3x3 stride-1 'same' layer: the forward kernel (conv2d), the input gradient
 * (conv2dBackpropInput) and the filter gradient (conv2dBackpropFilter) with globalThis.STRIATE_CONV_WINOGRAD 'off' (the other kernels, as before
 * this area) and 'all', each round timing both, in alternating order; prints the medians over
 * rounds of GFLOP/s per CPU second (direct-conv flop: 2 x pixels x 9 x C x K) and the ratio.
 * --tiles sets the tiles per block (globalThis.STRIATE_WINOGRAD_TILES), --grad-tiles the filter
 * gradient's (STRIATE_WINOGRAD_GRAD_TILES).
 */
import * as st from '../src/index.js';
import type { Conv2DInfo, TensorInfo } from '../src/backend/types.js';
import { flag, timeCalls } from './quick.js';

st.setBackend('wasm');
st.setNumThreads(Number(flag('--threads', '1')));
const rounds = Number(flag('--rounds', '5'));
const minMs = Number(flag('--min-ms', '300'));
const batch = Number(flag('--batch', '64'));
const g = globalThis as { STRIATE_CONV_WINOGRAD?: string; STRIATE_WINOGRAD_TILES?: number; STRIATE_WINOGRAD_GRAD_TILES?: number };
if (flag('--tiles', '') !== '') g.STRIATE_WINOGRAD_TILES = Number(flag('--tiles', ''));
if (flag('--grad-tiles', '') !== '') g.STRIATE_WINOGRAD_GRAD_TILES = Number(flag('--grad-tiles', ''));

interface Shape { name: string; size: number; cin: number; cout: number; batch?: number }
const sets: Record<string, Shape[]> = {
  resnet: [
    { name: 'ResNet-20', size: 32, cin: 16, cout: 16 },
    { name: 'ResNet-20', size: 16, cin: 32, cout: 32 },
    { name: 'ResNet-20', size: 8, cin: 64, cout: 64 },
  ],
  cifar: [
    { name: 'CIFAR', size: 32, cin: 32, cout: 32 },
    { name: 'CIFAR', size: 16, cin: 32, cout: 64 },
    { name: 'CIFAR', size: 16, cin: 64, cout: 64 },
    { name: 'CIFAR', size: 8, cin: 64, cout: 128 },
  ],
  small: [
    { name: 'first layer', size: 32, cin: 3, cout: 16 },
    { name: 'first layer', size: 32, cin: 3, cout: 32 },
    { name: 'narrow', size: 32, cin: 8, cout: 16 },
    { name: 'narrow', size: 32, cin: 16, cout: 8 },
  ],
  big: [
    { name: 'VGG-16', size: 56, cin: 256, cout: 256, batch: 2 },
    { name: 'VGG-16', size: 14, cin: 512, cout: 512, batch: 8 },
    { name: 'VGG-16', size: 224, cin: 64, cout: 64, batch: 1 },
  ],
};
const which = flag('--shapes', 'all');
const shapes = which === 'all' ? [...sets.resnet, ...sets.cifar, ...sets.big] : sets[which];

const info = (t: st.Tensor): TensorInfo => ({ dataId: t.dataId, shape: t.shape, dtype: t.dtype });
const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1];

console.log(`${st.getNumThreads()} thread(s), ${st.getWasmSimd()} SIMD, ${rounds} rounds; GFLOP/s per CPU second (direct-conv flop), medians`);
for (const s of shapes) {
  const n = s.batch ?? batch;
  const geo: Conv2DInfo = {
    batchSize: n, inHeight: s.size, inWidth: s.size, inChannels: s.cin, outHeight: s.size, outWidth: s.size,
    outChannels: s.cout, filterHeight: 3, filterWidth: 3, strideHeight: 1, strideWidth: 1, dilationHeight: 1,
    dilationWidth: 1, padTop: 1, padBottom: 1, padLeft: 1, padRight: 1, channelMultiplier: 1,
  };
  const flop = 2 * n * s.size * s.size * 9 * s.cin * s.cout;
  const x = st.randomNormal([n, s.size, s.size, s.cin], 0, 1, 'float32', 1);
  const f = st.randomNormal([3, 3, s.cin, s.cout], 0, 1, 'float32', 2);
  const dy = st.randomNormal([n, s.size, s.size, s.cout], 0, 1, 'float32', 3);
  const be = x.backend;
  const calls = {
    forward: () => be.decRef(be.conv2d(info(x), info(f), geo) as Parameters<typeof be.decRef>[0]),
    'input grad': () => be.decRef(be.conv2dBackpropInput(info(dy), info(f), geo) as Parameters<typeof be.decRef>[0]),
    'filter grad': () => be.decRef(be.conv2dBackpropFilter(info(x), info(dy), geo) as Parameters<typeof be.decRef>[0]),
  };
  for (const [what, body] of Object.entries(calls)) {
    const got: Record<string, number[]> = { off: [], all: [] };
    for (let r = 0; r < rounds; r++) {
      for (const mode of r % 2 === 0 ? ['off', 'all'] : ['all', 'off']) {
        g.STRIATE_CONV_WINOGRAD = mode;
        body();
        const { cpu } = await timeCalls(body, 2, minMs);
        got[mode].push(flop / (median(cpu) / 1000) / 1e9);
      }
    }
    delete g.STRIATE_CONV_WINOGRAD;
    const off = median(got.off), all = median(got.all);
    console.log(`${s.name} ${s.size}x${s.size} ${s.cin}->${s.cout} b${n} ${what.padEnd(10)}: other ${off.toFixed(1).padStart(5)}` +
      `  winograd ${all.toFixed(1).padStart(5)}  ratio ${(all / off).toFixed(2)}`);
  }
  x.dispose();
  f.dispose();
  dy.dispose();
}
