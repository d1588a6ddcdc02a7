/**
 * The strided convolution paths (src/backend/wasm/conv_stride.ts) against the code before them,
 * in one process: for each layer, round by round, the forward, input-gradient and filter-gradient
 * kernels under each `--modes` value of globalThis.STRIATE_CONV_STRIDE (ops.ts strideMode: 'off'
 * the code before, 'default', 'all' every strided path) and a GEMM 512^3 call, so that all see
 * the same machine load. The mode 'pw-off' keeps the paths before the proj area's in-place
 * strided 1x1 kernels (globalThis.STRIATE_CONV_POINTWISE = 'off', conv_pointwise.ts; every other
 * mode runs them). Prints medians of GFLOP/s per CPU second (the machine is shared) and
 * each as % of the GEMM's median:
 *
 *   node [--experimental-wasm-relaxed-simd] dist/bench/conv_stride_ab.js [--threads 1]
 *        [--rounds 12] [--modes off,default,all] [--layers rn20-s2,rn20-proj,...]
 */
import * as st from '../src/index.js';
import type { Conv2DInfo, TensorInfo } from '../src/backend/types.js';
import { flag } from './quick.js';

interface Layer { name: string; batch: number; size: number; cin: number; cout: number; f: number; s: number; same: boolean }
const LAYERS: Layer[] = [
  { name: 'rn20-s2-16', batch: 64, size: 32, cin: 16, cout: 32, f: 3, s: 2, same: true },
  { name: 'rn20-s2-32', batch: 64, size: 16, cin: 32, cout: 64, f: 3, s: 2, same: true },
  { name: 'rn20-proj', batch: 64, size: 32, cin: 16, cout: 32, f: 1, s: 2, same: false },
  { name: 'rn18-s2', batch: 8, size: 56, cin: 64, cout: 128, f: 3, s: 2, same: true },
  { name: 'rn18-proj', batch: 8, size: 56, cin: 64, cout: 128, f: 1, s: 2, same: false },
  { name: 'rn18-stem', batch: 1, size: 224, cin: 3, cout: 64, f: 7, s: 2, same: true },
];

st.setBackend('wasm');
st.setNumThreads(Number(flag('--threads', '1')));
const rounds = Number(flag('--rounds', '12'));
const modes = flag('--modes', 'off,default,all').split(',');
const pick = flag('--layers', '').split(',').filter((v) => v !== '');
const g = globalThis as { STRIATE_CONV_STRIDE?: string; STRIATE_CONV_POINTWISE?: string };

/** TF's 'same' / 'valid' geometry, square. */
function geometry(l: Layer): Conv2DInfo {
  const out = l.same ? Math.ceil(l.size / l.s) : Math.ceil((l.size - l.f + 1) / l.s);
  const total = l.same ? Math.max((out - 1) * l.s + l.f - l.size, 0) : 0;
  const before = Math.floor(total / 2);
  return {
    batchSize: l.batch, inHeight: l.size, inWidth: l.size, inChannels: l.cin, outHeight: out, outWidth: out,
    outChannels: l.cout, filterHeight: l.f, filterWidth: l.f, strideHeight: l.s, strideWidth: l.s, dilationHeight: 1,
    dilationWidth: 1, padTop: before, padLeft: before, padBottom: total - before, padRight: total - before, channelMultiplier: 1,
  };
}

const cpuMs = () => { const c = process.cpuUsage(); return (c.user + c.system) / 1000; };
const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1];
const info = (t: st.Tensor): TensorInfo => ({ dataId: t.dataId, shape: t.shape, dtype: t.dtype });

const a512 = st.randomNormal([512, 512], 0, 1, 'float32', 5), b512 = st.randomNormal([512, 512], 0, 1, 'float32', 6);
console.log(`${st.getNumThreads()} thread(s), ${st.getWasmSimd()} SIMD; GFLOP/s per CPU second, medians of ${rounds} rounds ` +
  '(in brackets: % of the GEMM 512^3 median in the same rounds)');
for (const l of LAYERS) {
  if (pick.length > 0 && !pick.includes(l.name)) continue;
  const geo = geometry(l);
  const x = st.randomNormal([l.batch, l.size, l.size, l.cin], 0, 1, 'float32', 1);
  const w = st.randomNormal([l.f, l.f, l.cin, l.cout], 0, 1, 'float32', 2);
  const dy = st.randomNormal([l.batch, geo.outHeight, geo.outWidth, l.cout], 0, 1, 'float32', 3);
  const be = x.backend;
  const flop = 2 * l.batch * geo.outHeight * geo.outWidth * l.cout * l.f * l.f * l.cin;
  const kernels: [string, () => unknown][] = [
    ['fwd', () => be.conv2d(info(x), info(w), geo)],
    ['dx', () => be.conv2dBackpropInput(info(dy), info(w), geo)],
    ['dw', () => be.conv2dBackpropFilter(info(x), info(dy), geo)],
  ];
  const once = (f: () => unknown) => {
    const c = cpuMs();
    be.decRef(f() as Parameters<typeof be.decRef>[0]);
    return cpuMs() - c;
  };
  const times = new Map<string, number[]>();
  const gemm: number[] = [];
  for (let r = -1; r < rounds; r++) {
    for (const mode of modes) {
      // proj area: 'pw-off' the strided 1x1 paths before conv_pointwise.ts
      if (mode === 'pw-off') g.STRIATE_CONV_POINTWISE = 'off';
      else delete g.STRIATE_CONV_POINTWISE;
      if (mode === 'pw-off') delete g.STRIATE_CONV_STRIDE;
      else g.STRIATE_CONV_STRIDE = mode;
      for (const [k, f] of kernels) {
        const t = once(f);
        if (r >= 0) times.set(`${mode} ${k}`, [...(times.get(`${mode} ${k}`) ?? []), t]);
      }
    }
    delete g.STRIATE_CONV_STRIDE;
    delete g.STRIATE_CONV_POINTWISE;
    const c = cpuMs();
    st.tidy(() => { st.matMul(a512, b512); });
    if (r >= 0) gemm.push(cpuMs() - c);
  }
  const gemmRate = 2 * 512 ** 3 / median(gemm) / 1e6;
  const cells = modes.map((mode) => `${mode}: ` + kernels.map(([k]) => {
    const rate = flop / median(times.get(`${mode} ${k}`)!) / 1e6;
    return `${k} ${rate.toFixed(1)} (${(100 * rate / gemmRate).toFixed(0)}%)`;
  }).join(', '));
  console.log(`${l.name} ${l.size}x${l.size}x${l.cin}->${l.cout} ${l.f}x${l.f}/${l.s} b${l.batch} (${(flop / 1e6).toFixed(0)} MFLOP), ` +
    `GEMM ${gemmRate.toFixed(1)}\n  ${cells.join('\n  ')}`);
  x.dispose(); w.dispose(); dy.dispose();
}
