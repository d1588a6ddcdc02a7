/**
 * The conv-layer table of issue 18 on the wasm backend: each layer's forward GFLOP/s (wall and
 * per CPU second) and its share of a GEMM measured in the same process at the same thread count.
 *
 *   node [--experimental-wasm-relaxed-simd] dist/bench/conv_table.js [--threads 1,2]
 *        [--only fwd|all] [--layers substring] [--ms 600] [--path direct|slab|gemm] [--sync]
 *
 * `--only all` adds forward + both gradients (`st.grads`, as conv_layer_speed.ts does; 3x the
 * forward FLOPs). Two GEMM references per layer: 512^3 (the issue's yardstick), run in turn with
 * the layer round by round so that both see the same machine load (the % columns are medians of
 * per-round ratios), and the layer's own im2col product
 * [rows, fh*fw*cin] x [fh*fw*cin, cout] (rows capped at 4096), what a plain GEMM makes of the
 * same shape. Medians of the calls made in about `--ms`
 * milliseconds after a warm-up call. STRIATE_WASM_SIMD=plain|relaxed picks the kernel build;
 * `--path` forces one forward kernel where it applies (globalThis.STRIATE_CONV_FORWARD, ops.ts).
 */
import * as st from '../src/index.js';
import { flag, timeCalls } from './quick.js';

interface Layer {
  name: string; batch: number; size: number; cin: number; cout: number; f: number; stride: number;
  pad: 'same' | 'valid'; dilation?: number;
}

const L = (name: string, batch: number, size: number, cin: number, cout: number, f: number, stride: number,
           pad: 'same' | 'valid' = 'same', dilation = 1): Layer => ({ name, batch, size, cin, cout, f, stride, pad, dilation });

const LAYERS: Layer[] = [
  // the issue's table (batch 64, 3x3 'same' unless said)
  L('cifar 3->32 @32', 64, 32, 3, 32, 3, 1),
  L('cifar 32->32 @32', 64, 32, 32, 32, 3, 1),
  L('cifar 32->64 @16', 64, 16, 32, 64, 3, 1),
  L('cifar 64->64 @16', 64, 16, 64, 64, 3, 1),
  L('cifar 64->128 @8', 64, 8, 64, 128, 3, 1),
  L('1x1 256->1024 @14', 64, 14, 256, 1024, 1, 1),
  // ResNet-20 (CIFAR): stage convs, the stride-2 3x3 entering a stage, the 1x1 stride-2 projection
  L('rn20 3->16 @32', 64, 32, 3, 16, 3, 1),
  L('rn20 16->16 @32', 64, 32, 16, 16, 3, 1),
  L('rn20 16->32 @32 s2', 64, 32, 16, 32, 3, 2),
  L('rn20 1x1 16->32 @32 s2', 64, 32, 16, 32, 1, 2),
  L('rn20 32->64 @16 s2', 64, 16, 32, 64, 3, 2),
  // ResNet-18 (ImageNet) at a small batch
  L('rn18 7x7 3->64 @224 s2', 4, 224, 3, 64, 7, 2),
  L('rn18 64->64 @56', 4, 56, 64, 64, 3, 1),
  L('rn18 64->128 @56 s2', 4, 56, 64, 128, 3, 2),
  L('rn18 1x1 64->128 @56 s2', 4, 56, 64, 128, 1, 2),
  L('rn18 256->256 @14', 4, 14, 256, 256, 3, 1),
  // VGG-16 at batch 1-2
  L('vgg 3->64 @224', 2, 224, 3, 64, 3, 1),
  L('vgg 64->64 @224', 1, 224, 64, 64, 3, 1),
  L('vgg 256->256 @56', 2, 56, 256, 256, 3, 1),
  L('vgg 512->512 @14', 2, 14, 512, 512, 3, 1),
  // dilated
  L('dilated 2 32->32 @32', 16, 32, 32, 32, 3, 1, 'same', 2),
];

const threadCounts = flag('--threads', '1,2').split(',').map(Number);
const withGrads = flag('--only', 'fwd') === 'all';
const pick = flag('--layers', '');
const minMs = Number(flag('--ms', '600'));
const path = flag('--path', '');
const sync = process.argv.includes('--sync');
if (path !== '') (globalThis as { STRIATE_CONV_FORWARD?: string }).STRIATE_CONV_FORWARD = path;

st.setBackend('wasm');

/** Median wall ms and median CPU ms of `body` (tensors disposed each call). */
async function measure(body: () => st.Tensor[], ms = minMs): Promise<{ ms: number; cpu: number }> {
  // the wasm backend runs each kernel to completion when the op is called; reading the output
  // back (dataSync) would add a copy of it, which for a first layer (small K, big output) costs
  // as much as the convolution itself, and training never reads it: only with --sync
  const once = () => st.tidy(() => { for (const t of body()) if (sync) t.dataSync(); });
  once();
  const { wall, cpu } = await timeCalls(once, 3, ms);
  const mid = (v: number[]) => v.sort((a, b) => a - b)[v.length >> 1];
  return { ms: mid(wall), cpu: mid(cpu) };
}

const gf = (flop: number, ms: number) => flop / (ms / 1000) / 1e9;
const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1];

/**
 * The layer and GEMM 512^3 in turn, round by round (one layer call, then GEMM calls for about as
 * long): the machine is shared, and a ratio taken within one round holds better than two
 * medians taken seconds apart. Returns the layer's median GFLOP/s (wall, per CPU second) and
 * the median of the per-round ratios to the GEMM's.
 */
async function interleaved(flop: number, body: () => st.Tensor[], a: st.Tensor, b: st.Tensor):
  Promise<{ wall: number; cpu: number; gWall: number; gCpu: number; rWall: number; rCpu: number }> {
  const run = (f: () => st.Tensor[]) => st.tidy(() => { for (const t of f()) if (sync) t.dataSync(); });
  const gemmBody = () => [st.matMul(a, b)];
  run(body); run(gemmBody);
  const w: number[] = [], c: number[] = [], gw: number[] = [], gc: number[] = [], rw: number[] = [], rc: number[] = [];
  const start = performance.now();
  while (w.length < 5 || performance.now() - start < minMs) {
    const one = await timeCalls(() => run(body), 1);
    const lw = one.wall[0], lc = one.cpu[0];
    const g = await timeCalls(() => run(gemmBody), 1, lw);
    const gWall = gf(2 * 512 ** 3 * g.wall.length, g.wall.reduce((x, y) => x + y)), gCpu = gf(2 * 512 ** 3 * g.cpu.length, g.cpu.reduce((x, y) => x + y));
    w.push(gf(flop, lw)); c.push(gf(flop, lc)); gw.push(gWall); gc.push(gCpu);
    rw.push(gf(flop, lw) / gWall); rc.push(gf(flop, lc) / gCpu);
  }
  return { wall: median(w), cpu: median(c), gWall: median(gw), gCpu: median(gc), rWall: median(rw), rCpu: median(rc) };
}

/** GEMM GFLOP/s, wall and per CPU second. */
async function gemm(m: number, k: number, n: number): Promise<{ wall: number; cpu: number }> {
  const a = st.randomNormal([m, k], 0, 1, 'float32', 7), b = st.randomNormal([k, n], 0, 1, 'float32', 8);
  const { ms, cpu } = await measure(() => [st.matMul(a, b)], minMs / 2);
  a.dispose(); b.dispose();
  return { wall: gf(2 * m * k * n, ms), cpu: gf(2 * m * k * n, cpu) };
}

const pct = (a: number, b: number) => `${(100 * a / b).toFixed(0)}%`;

const a512 = st.randomNormal([512, 512], 0, 1, 'float32', 5), b512 = st.randomNormal([512, 512], 0, 1, 'float32', 6);
for (const threads of threadCounts) {
  st.setNumThreads(threads);
  console.log(`\n${st.getNumThreads()} thread(s), ${st.getWasmSimd()} SIMD${path ? `, forward path ${path}` : ''}`);
  console.log('(the layer and GEMM 512^3 run in turn, round by round; % wall and % cpu: the median over rounds of ' +
    'the layer\'s wall and per-CPU-second GFLOP/s over the GEMM\'s in the same round; same-shape: the layer\'s im2col product ' +
    '[min(4096, pixels), fh*fw*cin] x [fh*fw*cin, cout] per CPU second, and the conv\'s share of it)');
  console.log('layer | MFLOP | fwd wall | fwd per CPU s | GEMM512 wall | per CPU s | % wall | % cpu | same-shape GEMM cpu | % of it' +
    (withGrads ? ' | fwd+grads wall | per CPU s | % wall | % cpu' : ''));
  for (const l of LAYERS) {
    if (pick !== '' && !l.name.includes(pick)) continue;
    const x = st.randomNormal([l.batch, l.size, l.size, l.cin], 0, 1, 'float32', 1);
    const f = st.randomNormal([l.f, l.f, l.cin, l.cout], 0, 1, 'float32', 2);
    const conv = (x: st.Tensor, f: st.Tensor) => st.conv2d(x, f, l.stride, l.pad, 'NHWC', l.dilation);
    const y0 = conv(x, f);
    const [, oh, ow] = y0.shape;
    const flop = 2 * l.batch * oh * ow * l.cout * l.f * l.f * l.cin;
    const fwd = await interleaved(flop, () => [conv(x, f)], a512, b512);
    const k = l.f * l.f * l.cin;
    const gs = await gemm(Math.min(4096, l.batch * oh * ow), k, l.cout);
    let line = `${l.name} b${l.batch} | ${(flop / 1e6).toFixed(0)} | ${fwd.wall.toFixed(1)} | ${fwd.cpu.toFixed(1)} | ` +
      `${fwd.gWall.toFixed(1)} | ${fwd.gCpu.toFixed(1)} | ${(100 * fwd.rWall).toFixed(0)}% | ${(100 * fwd.rCpu).toFixed(0)}% | ` +
      `${gs.cpu.toFixed(1)} | ${pct(fwd.cpu, gs.cpu)}`;
    if (withGrads) {
      const dy = st.randomNormal(y0.shape, 0, 1, 'float32', 3);
      const g = st.grads((x: st.Tensor, f: st.Tensor) => st.sum(st.mul(conv(x, f), dy)));
      const all = await interleaved(3 * flop, () => g([x, f]), a512, b512);
      line += ` | ${all.wall.toFixed(1)} | ${all.cpu.toFixed(1)} | ${(100 * all.rWall).toFixed(0)}% | ${(100 * all.rCpu).toFixed(0)}%`;
      dy.dispose();
    }
    console.log(line);
    x.dispose(); f.dispose(); y0.dispose();
  }
}
