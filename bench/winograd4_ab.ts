/**
 * The direct kernel, Winograd F(2x2, 3x3) and Winograd F(4x4, 3x3) side by side (winograd4 area,
 * issue 18), in one process, rounds rotating the order, per CPU second (the pool's workers
 * included):
 *
 *   node dist/bench/winograd4_ab.js [--threads 1] [--rounds 5] [--min-ms 300] [--batch 64]
 *     [--shapes all|resnet|cifar|big|odd] [--tiles T] [--grad]
 *
 * For each 3x3 stride-1 'same' layer: the forward pass (conv2d) with
 * globalThis.STRIATE_CONV_FORWARD 'direct', 'winograd' and 'winograd4'; with --grad the input
 * gradient (conv2dBackpropInput, the same choice of kernel) and the filter gradient
 * (conv2dBackpropFilter: 'direct' also sets STRIATE_CONV_WINOGRAD 'off', the packed filter-gradient kernel) too. Prints the medians over rounds
 * of GFLOP/s per CPU second (direct-conv flop: 2 x pixels x 9 x C x K) and F(4x4)'s ratio to
 * each. --tiles sets F(4x4)'s tiles per block (globalThis.STRIATE_WINOGRAD_TILES).
 */
import * as st from '../src/index.js';
import type { Conv2DInfo, TensorInfo } from '../src/backend/types.js';
import { flag, timeCalls } from './quick.js';

st.setBackend('wasm');
st.setNumThreads(Number(flag('--threads', '1')));
const rounds = Number(flag('--rounds', '5'));
const minMs = Number(flag('--min-ms', '300'));
const batch = Number(flag('--batch', '64'));
const withGrad = process.argv.includes('--grad');
const g = globalThis as { STRIATE_CONV_FORWARD?: string; STRIATE_CONV_WINOGRAD?: string; STRIATE_WINOGRAD_TILES?: number };
const tilesFlag = flag('--tiles', '');

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
  ],
  big: [
    { name: 'VGG-16', size: 56, cin: 128, cout: 128, batch: 4 },
    { name: 'VGG-16', size: 28, cin: 256, cout: 256, batch: 4 },
    { name: 'VGG-16', size: 14, cin: 512, cout: 512, batch: 8 },
    { name: 'VGG-16', size: 224, cin: 64, cout: 64, batch: 1 },
  ],
  odd: [
    { name: 'odd', size: 7, cin: 512, cout: 512, batch: 16 },
    { name: 'odd', size: 14, cin: 256, cout: 256, batch: 8 },
    { name: 'odd', size: 5, cin: 64, cout: 64 },
    { name: 'odd', size: 7, cin: 32, cout: 32 },
    { name: 'odd', size: 14, cin: 64, cout: 64 },
    { name: 'odd', size: 14, cin: 128, cout: 128, batch: 16 },
    { name: 'odd', size: 28, cin: 256, cout: 256, batch: 4 },
  ],
};
const which = flag('--shapes', 'all');
const shapes = which === 'all' ? [...sets.resnet, ...sets.cifar, ...sets.big, ...sets.odd] : sets[which];

const info = (t: st.Tensor): TensorInfo => ({ dataId: t.dataId, shape: t.shape, dtype: t.dtype });
const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1];
const modes = ['direct', 'winograd', 'winograd4'];

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
  const calls: Record<string, () => void> = {
    forward: () => be.decRef(be.conv2d(info(x), info(f), geo) as Parameters<typeof be.decRef>[0]),
  };
  if (withGrad) {
    calls['input grad'] = () => be.decRef(be.conv2dBackpropInput(info(dy), info(f), geo) as Parameters<typeof be.decRef>[0]);
    calls['filter grad'] = () => be.decRef(be.conv2dBackpropFilter(info(x), info(dy), geo) as Parameters<typeof be.decRef>[0]);
  }
  for (const [what, body] of Object.entries(calls)) {
    const got: Record<string, number[]> = { direct: [], winograd: [], winograd4: [] };
    for (let r = 0; r < rounds; r++) {
      const order = modes.map((_, i) => modes[(i + r) % modes.length]);
      for (const mode of order) {
        g.STRIATE_CONV_FORWARD = mode;
        if (mode === 'direct') g.STRIATE_CONV_WINOGRAD = 'off';
        if (tilesFlag !== '' && mode === 'winograd4') g.STRIATE_WINOGRAD_TILES = Number(tilesFlag);
        body();
        const { cpu } = await timeCalls(body, 2, minMs);
        got[mode].push(flop / (median(cpu) / 1000) / 1e9);
        delete g.STRIATE_WINOGRAD_TILES;
        delete g.STRIATE_CONV_WINOGRAD;
      }
    }
    delete g.STRIATE_CONV_FORWARD;
    const [d, w2, w4] = modes.map((m) => median(got[m]));
    console.log(`${s.name} ${s.size}x${s.size} ${s.cin}->${s.cout} b${n} ${what.padEnd(10)}: direct ${d.toFixed(1).padStart(5)}` +
      `  F2 ${w2.toFixed(1).padStart(5)}  F4 ${w4.toFixed(1).padStart(5)}  F4/direct ${(w4 / d).toFixed(2)}  F4/F2 ${(w4 / w2).toFixed(2)}`);
  }
  x.dispose();
  f.dispose();
  dy.dispose();
}
