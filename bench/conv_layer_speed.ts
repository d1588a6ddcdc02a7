/**
 * GFLOP/s of conv layers on the wasm backend, for before/after comparisons of the kernels
 * (issue 18's per-layer figures), each beside the GEMM's GFLOP/s measured in the same process at
 * the same thread count (512^3 unless --gemm N):
 *
 *   node dist/bench/conv_layer_speed.js [--threads N] [--batch 64] [--size 32] [--cin 32]
 *     [--cout 32] [--kernel 3] [--stride 1] [--dilation 1] [--padding same|valid|P]
 *     [--grads input|filter|both|all] [--table] [--min-ms 1000] [--stride default|all|off] [--dw off]
 *     [--pointwise off] [--s2 off|forward|filter] [--s2-block N]
 *
 * Without --grads: the forward pass alone and forward + both gradients through `st.grads` (3x the
 * forward's flop). --grads input|filter times that gradient on its own through the backend's
 * kernel (conv2dBackpropInput / conv2dBackpropFilter on tensors already there), `both` the two,
 * `all` the forward kernel too. --table runs the layer table of issue 18 (CIFAR-style net,
 * ResNet stride-2 and 1x1 projections, VGG-16) with the chosen --grads (default `all`), the GEMM
 * measured again before each row (--gemm-once: only before the first).
 * --stride sets globalThis.STRIATE_CONV_STRIDE (ops.ts strideMode: which strided paths of
 * conv_stride.ts run; 'off' = the code before them). Median of the calls made in about a second each, after a warm-up call; prints which build of
 * the kernels ran (st.getWasmSimd()). On a loaded machine compare the per-CPU-second figures
 * (and their % of the GEMM's per CPU second): the wall-time % mixes two moments' loads.
 */
import * as st from '../src/index.js';
import type { Conv2DInfo, TensorInfo } from '../src/backend/types.js';
import { flag, timeCalls } from './quick.js';

st.setBackend('wasm');
st.setNumThreads(Number(flag('--threads', '2')));
if (flag('--stride', '') !== '') (globalThis as { STRIATE_CONV_STRIDE?: string }).STRIATE_CONV_STRIDE = flag('--stride', '');
// first conv layer filter gradient area: --dw off runs the filter-gradient kernels before conv_filter_runs.ts
if (flag('--dw', '') !== '') (globalThis as { STRIATE_CONV_FIRST_DW?: string }).STRIATE_CONV_FIRST_DW = flag('--dw', '');

// proj area: --pointwise off keeps the strided 1x1 paths before conv_pointwise.ts
if (flag('--pointwise', '') !== '') (globalThis as { STRIATE_CONV_POINTWISE?: string }).STRIATE_CONV_POINTWISE = flag('--pointwise', '');
// conv stride-2 area: --s2 off|forward|filter (src/backend/wasm/conv_s2.ts), --s2-block N its dw pixel block
if (flag('--s2', '') !== '') (globalThis as { STRIATE_CONV_S2?: string }).STRIATE_CONV_S2 = flag('--s2', '');
if (flag('--s2-block', '') !== '') (globalThis as { STRIATE_CONV_S2_BLOCK?: string }).STRIATE_CONV_S2_BLOCK = flag('--s2-block', '');
const minMs = Number(flag('--min-ms', '1000'));
const argv = process.argv.slice(2);

interface Layer { batch: number; size: number; cin: number; cout: number; kernel: number; stride: number; dilation: number; padding: string; name?: string }

/** The geometry the ops compute, for the backend calls (NHWC, square). */
function geometry(l: Layer): Conv2DInfo {
  const { batch, size, cin, cout, kernel: f, stride: s, dilation: d } = l;
  const reach = (f - 1) * d + 1;
  let out: number, before: number, total: number;
  if (l.padding === 'same') {
    out = Math.ceil(size / s);
    total = Math.max((out - 1) * s + reach - size, 0);
    before = Math.floor(total / 2);
  } else if (l.padding === 'valid') {
    out = Math.ceil((size - reach + 1) / s);
    total = 0;
    before = 0;
  } else {
    const p = Number(l.padding);
    out = Math.floor((size + 2 * p - reach) / s) + 1;
    total = 2 * p;
    before = p;
  }
  return {
    batchSize: batch, inHeight: size, inWidth: size, inChannels: cin, outHeight: out, outWidth: out, outChannels: cout,
    filterHeight: f, filterWidth: f, strideHeight: s, strideWidth: s, dilationHeight: d, dilationWidth: d,
    padTop: before, padBottom: total - before, padLeft: before, padRight: total - before, channelMultiplier: 1,
  };
}

const info = (t: st.Tensor): TensorInfo => ({ dataId: t.dataId, shape: t.shape, dtype: t.dtype });

async function time(flops: number, body: () => void): Promise<{ gflops: number; perCpu: number; ms: number; n: number }> {
  body();
  const { wall, cpu } = await timeCalls(body, 3, minMs);
  wall.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  const ms = wall[wall.length >> 1];
  // per CPU second of this process (all its threads): on a loaded machine less disturbed than the wall time
  return { gflops: flops / (ms / 1000) / 1e9, perCpu: flops / (cpu[cpu.length >> 1] / 1000) / 1e9, ms, n: wall.length };
}

const gemmN = Number(flag('--gemm', '512'));
const ga = st.randomNormal([gemmN, gemmN], 0, 1, 'float32', 1);
const gb = st.randomNormal([gemmN, gemmN], 0, 1, 'float32', 2);
// nothing is read back: the wasm backend finishes inside the op, and reading a product into a
// fresh array added 15 ms to the 30 ms of a 1024^3 product on two threads (0.9 ms to 0.55 at 256^3)
const measureGemm = () => time(2 * gemmN ** 3, () => st.tidy(() => { st.matMul(ga, gb); }));
let gemm = await measureGemm();
console.log(`${st.getNumThreads()} thread(s), ${st.getWasmSimd()} SIMD${flag('--stride', '') ? `, strided paths ${flag('--stride', '')}` : ''}; GEMM ${gemmN}^3: ${gemm.gflops.toFixed(1)} GFLOP/s (${gemm.perCpu.toFixed(1)} per CPU second)`);
const pct = (g: number) => `${((100 * g) / gemm.gflops).toFixed(0)}%`;
const line = (label: string, r: { gflops: number; perCpu: number; ms: number; n: number }) =>
  console.log(`  ${label.padEnd(16)} ${r.gflops.toFixed(1).padStart(6)} GFLOP/s ${pct(r.gflops).padStart(5)} of GEMM` +
    ` (median ${r.ms.toFixed(1)} ms of ${r.n}; ${r.perCpu.toFixed(1)} per CPU second, ${((100 * r.perCpu) / gemm.perCpu).toFixed(0)}% of the GEMM's)`);

async function measure(l: Layer, grads: string): Promise<void> {
  const g = geometry(l);
  const flop = 2 * g.batchSize * g.outHeight * g.outWidth * g.outChannels * g.filterHeight * g.filterWidth * g.inChannels;
  console.log(`${l.name ? l.name + ': ' : ''}conv ${l.kernel}x${l.kernel} stride ${l.stride} dilation ${l.dilation} ${l.padding} ` +
    `${l.size}x${l.size}x${l.cin}->${g.outHeight}x${g.outWidth}x${l.cout} batch ${l.batch}, ${(flop / 1e6).toFixed(0)} MFLOP`);
  const x = st.randomNormal([l.batch, l.size, l.size, l.cin], 0, 1, 'float32', 1);
  const f = st.randomNormal([l.kernel, l.kernel, l.cin, l.cout], 0, 1, 'float32', 2);
  const dy = st.randomNormal([l.batch, g.outHeight, g.outWidth, l.cout], 0, 1, 'float32', 3);
  const be = x.backend;
  const once = (run: () => unknown) => () => { const id = run() as Parameters<typeof be.decRef>[0]; be.decRef(id); };
  const pad = l.padding === 'same' || l.padding === 'valid' ? l.padding : Number(l.padding);
  if (grads === '') {
    const conv = (a: st.Tensor, b: st.Tensor) => st.conv2d(a, b, l.stride, pad as 'same', 'NHWC', l.dilation);
    const withGrads = st.grads((a: st.Tensor, b: st.Tensor) => st.sum(st.mul(conv(a, b), dy)));
    line('forward', await time(flop, () => st.tidy(() => { conv(x, f); })));
    line('fwd + both grads', await time(3 * flop, () => st.tidy(() => { withGrads([x, f]); })));
  } else {
    if (grads === 'all') line('forward kernel', await time(flop, once(() => be.conv2d(info(x), info(f), g))));
    if (grads !== 'filter') line('input gradient', await time(flop, once(() => be.conv2dBackpropInput(info(dy), info(f), g))));
    if (grads !== 'input') line('filter gradient', await time(flop, once(() => be.conv2dBackpropFilter(info(x), info(dy), g))));
  }
  x.dispose();
  f.dispose();
  dy.dispose();
}

const base = { stride: 1, dilation: 1, padding: 'same', kernel: 3 };
const table: Layer[] = [
  { ...base, name: 'CIFAR', batch: 64, size: 32, cin: 3, cout: 32 },
  { ...base, name: 'CIFAR', batch: 64, size: 32, cin: 32, cout: 32 },
  { ...base, name: 'CIFAR', batch: 64, size: 16, cin: 32, cout: 64 },
  { ...base, name: 'CIFAR', batch: 64, size: 16, cin: 64, cout: 64 },
  { ...base, name: 'CIFAR', batch: 64, size: 8, cin: 64, cout: 128 },
  { ...base, name: 'ResNet-50 1x1', batch: 16, size: 14, cin: 256, cout: 1024, kernel: 1, padding: 'valid' },
  { ...base, name: 'ResNet-20 s2', batch: 64, size: 32, cin: 16, cout: 32, stride: 2 },
  { ...base, name: 'ResNet-20 s2', batch: 64, size: 16, cin: 32, cout: 64, stride: 2 },
  { ...base, name: 'ResNet-20 proj', batch: 64, size: 32, cin: 16, cout: 32, stride: 2, kernel: 1, padding: 'valid' },
  { ...base, name: 'ResNet-18 s2', batch: 8, size: 56, cin: 64, cout: 128, stride: 2 },
  { ...base, name: 'ResNet-18 proj', batch: 8, size: 56, cin: 64, cout: 128, stride: 2, kernel: 1, padding: 'valid' },
  { ...base, name: 'VGG-16', batch: 1, size: 224, cin: 64, cout: 64 },
  { ...base, name: 'VGG-16', batch: 2, size: 56, cin: 256, cout: 256 },
  { ...base, name: 'VGG-16', batch: 8, size: 14, cin: 512, cout: 512 },
  // first layers with 1-3 input channels (rows 14-17): the digit CNN's 5x5 1->8, ResNet-20's
  // 3->16, VGG-16's 3->64 at 224, ResNet-18's 7x7/2 stem
  { ...base, name: 'digit CNN', batch: 64, size: 28, cin: 1, cout: 8, kernel: 5 },
  { ...base, name: 'ResNet-20', batch: 64, size: 32, cin: 3, cout: 16 },
  { ...base, name: 'VGG-16', batch: 2, size: 224, cin: 3, cout: 64 },
  { ...base, name: 'ResNet-18 stem', batch: 4, size: 224, cin: 3, cout: 64, kernel: 7, stride: 2 },
];

if (argv.includes('--table')) {
  const only = flag('--rows', '');
  const rows = only ? only.split(',').map(Number) : table.map((_, i) => i);
  for (const i of rows) {
    const l = table[i];
    // this shared VM's speed drifts over minutes: each row's percentages against a GEMM measured
    // just before it (--gemm-once: the first measure for the whole table)
    if (i !== rows[0] && !argv.includes('--gemm-once')) {
      gemm = await measureGemm();
      console.log(`GEMM ${gemmN}^3 again: ${gemm.gflops.toFixed(1)} GFLOP/s (${gemm.perCpu.toFixed(1)} per CPU second)`);
    }
    await measure(argv.includes('--batch') ? { ...l, batch: Number(flag('--batch', '64')) } : l, flag('--grads', 'all'));
  }
} else {
  const [batch, size, cin, cout, kernel, stride, dilation] = ['--batch', '--size', '--cin', '--cout', '--kernel', '--stride', '--dilation']
    .map((name, i) => Number(flag(name, ['64', '32', '32', '32', '3', '1', '1'][i])));
  await measure({ batch, size, cin, cout, kernel, stride, dilation, padding: flag('--padding', 'same') }, flag('--grads', ''));
}
