/**
 * First conv layer area (issue 18 item 1): the first-layer kernels (src/backend/wasm/conv_first.ts)
 * against the kernels before them in one process, modes alternating round by round so that both
 * see the same machine load, with a GEMM 512^3 in each round; per CPU second of the process and
 * as % of that round's GEMM (medians over rounds).
 *
 *   node [--experimental-wasm-relaxed-simd] dist/bench/first_layer_ab.js [--threads 1] [--rounds 6]
 *        [--ms 300] [--layers 0,1,2,3]
 *
 *        [--dw] [--block N] [--fwd BEFORE,AFTER]
 *
 * Layers: 0 CIFAR 3x3 3->32 at 32x32 b64, 1 ResNet-20 3->16 at 32x32 b64, 2 digit CNN 5x5 1->8
 * at 28x28 b64, 3 ResNet-18/50 stem 7x7/2 3->64 at 224 b2, 4 VGG-16 3->64 at 224 b1.
 * Modes: globalThis.STRIATE_CONV_FIRST 'off' (before) and unset (after); with --tile, the input
 * gradient's two tiles of the old kernel (task 150) instead: STRIATE_CONV_FIRST_TILE 'reload'
 * (before) and 'held' (after); with --dx BEFORE,AFTER the input gradient's kernels by
 * STRIATE_CONV_FIRST_DX (e.g. --dx old, : task 150 against the build's default of task 151);
 * with --forward, the forward pass only: STRIATE_CONV_FORWARD 'short' (plain SIMD) or 'direct'
 * (relaxed), the kernels before the first-layer forward kernel, against 'first' (conv first-layer
 * forward area). Layer 5 is VGG-16's at batch 2. With --dw, the filter gradient's kernels (first
 * conv layer filter gradient area): STRIATE_CONV_FIRST_DW 'off' (before: conv_filter_grad.ts) and
 * unset (after: conv_filter_runs.ts); --block N sets STRIATE_CONV_FIRST_DW_BLOCK (pixels per block).
 * With --fwd BEFORE,AFTER (conv first-layer forward area), the strip kernel's tiles' order by
 * STRIATE_CONV_FIRST_FWD ('panels', 'groups'; an empty side is the build's choice), forward only:
 * e.g. --fwd panels, (the order before against the default).
 */
import * as st from '../src/index.js';
import type { Conv2DInfo, TensorInfo } from '../src/backend/types.js';
import { flag, timeCalls } from './quick.js';

st.setBackend('wasm');
st.setNumThreads(Number(flag('--threads', '1')));
const rounds = Number(flag('--rounds', '6')), ms = Number(flag('--ms', '300'));

interface Layer { name: string; batch: number; size: number; cin: number; cout: number; f: number; s: number }
const LAYERS: Layer[] = [
  { name: 'cifar 3->32 @32 b64', batch: 64, size: 32, cin: 3, cout: 32, f: 3, s: 1 },
  { name: 'rn20 3->16 @32 b64', batch: 64, size: 32, cin: 3, cout: 16, f: 3, s: 1 },
  { name: 'digit 5x5 1->8 @28 b64', batch: 64, size: 28, cin: 1, cout: 8, f: 5, s: 1 },
  { name: 'stem 7x7/2 3->64 @224 b2', batch: 2, size: 224, cin: 3, cout: 64, f: 7, s: 2 },
  { name: 'vgg 3->64 @224 b1', batch: 1, size: 224, cin: 3, cout: 64, f: 3, s: 1 },
  { name: 'vgg 3->64 @224 b2', batch: 2, size: 224, cin: 3, cout: 64, f: 3, s: 1 },
];

/** 'same' padding geometry, NHWC, square. */
function geometry(l: Layer): Conv2DInfo {
  const out = Math.ceil(l.size / l.s);
  const total = Math.max((out - 1) * l.s + l.f - l.size, 0), before = Math.floor(total / 2);
  return {
    batchSize: l.batch, inHeight: l.size, inWidth: l.size, inChannels: l.cin, outHeight: out, outWidth: out,
    outChannels: l.cout, filterHeight: l.f, filterWidth: l.f, strideHeight: l.s, strideWidth: l.s, dilationHeight: 1,
    dilationWidth: 1, padTop: before, padBottom: total - before, padLeft: before, padRight: total - before, channelMultiplier: 1,
  };
}

const info = (t: st.Tensor): TensorInfo => ({ dataId: t.dataId, shape: t.shape, dtype: t.dtype });
const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1];
const tileAb = process.argv.includes('--tile'), forwardAb = process.argv.includes('--forward');
const dwAb = process.argv.includes('--dw');
if (flag('--block', '') !== '') (globalThis as { STRIATE_CONV_FIRST_DW_BLOCK?: string }).STRIATE_CONV_FIRST_DW_BLOCK = flag('--block', '');
// --dx BEFORE,AFTER: the input gradient's kernels by STRIATE_CONV_FIRST_DX ('old', 'held', 'mix',
// '...-nofuse'; an empty side is the build's default)
const dxAb = flag('--dx', '') === '' ? undefined : flag('--dx', '').split(',');
// conv first-layer forward area: --fwd BEFORE,AFTER the strip kernel's variants by
// STRIATE_CONV_FIRST_FWD (forward pass only; an empty side is the build's default)
const fwdAb = flag('--fwd', '') === '' ? undefined : flag('--fwd', '').split(',');
const setMode = (m: 'off' | 'on' | undefined) => {
  const g = globalThis as {
    STRIATE_CONV_FIRST?: string; STRIATE_CONV_FIRST_TILE?: string; STRIATE_CONV_FORWARD?: string;
    STRIATE_CONV_FIRST_DW?: string; STRIATE_CONV_FIRST_DX?: string; STRIATE_CONV_FIRST_FWD?: string;
  };
  if (fwdAb) {
    g.STRIATE_CONV_FIRST_FWD = m === undefined ? undefined : fwdAb[m === 'off' ? 0 : 1] || undefined;
    return;
  }
  if (forwardAb) g.STRIATE_CONV_FORWARD = m === undefined ? undefined : m === 'on' ? 'first' : st.getWasmSimd() === 'relaxed' ? 'direct' : 'short';
  else if (dwAb) g.STRIATE_CONV_FIRST_DW = m === 'off' ? 'off' : undefined;
  else if (dxAb) g.STRIATE_CONV_FIRST_DX = m === undefined ? undefined : dxAb[m === 'off' ? 0 : 1] || undefined;
  else if (tileAb) g.STRIATE_CONV_FIRST_TILE = m === undefined ? undefined : m === 'off' ? 'reload' : 'held';
  else g.STRIATE_CONV_FIRST = m === 'off' ? 'off' : undefined;
};

async function perCpu(flop: number, body: () => void): Promise<number> {
  body();
  const { cpu } = await timeCalls(body, 3, ms);
  return flop / (median(cpu) / 1000) / 1e9;
}

const ga = st.randomNormal([512, 512], 0, 1, 'float32', 1), gb = st.randomNormal([512, 512], 0, 1, 'float32', 2);
const gemm = () => st.tidy(() => { st.matMul(ga, gb); });
console.log(`${st.getNumThreads()} thread(s), ${st.getWasmSimd()} SIMD; GFLOP/s per CPU second (% of the GEMM 512^3 of the round), medians of ${rounds} rounds`);
console.log('layer | part | before | after | after/before');
for (const i of flag('--layers', '0,1,2,3').split(',').map(Number)) {
  const l = LAYERS[i], g = geometry(l);
  const flop = 2 * g.batchSize * g.outHeight * g.outWidth * g.outChannels * l.f * l.f * l.cin;
  const x = st.randomNormal([l.batch, l.size, l.size, l.cin], 0, 1, 'float32', 3);
  const f = st.randomNormal([l.f, l.f, l.cin, l.cout], 0, 1, 'float32', 4);
  const dy = st.randomNormal([l.batch, g.outHeight, g.outWidth, l.cout], 0, 1, 'float32', 5);
  const be = x.backend;
  const once = (run: () => unknown) => () => { be.decRef(run() as Parameters<typeof be.decRef>[0]); };
  const parts: [string, () => void][] = [
    ['forward', once(() => be.conv2d(info(x), info(f), g))],
    ['input gradient', once(() => be.conv2dBackpropInput(info(dy), info(f), g))],
    ['filter gradient', once(() => be.conv2dBackpropFilter(info(x), info(dy), g))],
  ];
  for (const [part, body] of tileAb || dxAb ? parts.slice(1, 2) : forwardAb || fwdAb ? parts.slice(0, 1) : dwAb ? parts.slice(2) : parts) {
    const pct: Record<string, number[]> = { off: [], on: [] }, gf: Record<string, number[]> = { off: [], on: [] };
    for (let r = 0; r < rounds; r++) {
      const ref = await perCpu(2 * 512 ** 3, gemm);
      for (const m of r % 2 === 0 ? ['off', 'on'] : ['on', 'off']) {
        setMode(m as 'off' | 'on');
        const v = await perCpu(flop, body);
        gf[m].push(v);
        pct[m].push((100 * v) / ref);
      }
      setMode(undefined);
    }
    const b = median(gf.off), a = median(gf.on);
    console.log(`${l.name} | ${part} | ${b.toFixed(1)} (${median(pct.off).toFixed(0)}%) | ${a.toFixed(1)} (${median(pct.on).toFixed(0)}%) | ${(a / b).toFixed(2)}`);
  }
  x.dispose();
  f.dispose();
  dy.dispose();
}
