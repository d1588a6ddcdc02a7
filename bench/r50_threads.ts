/**
 * r50 area (issue 18): how each kind of layer of ResNet-50 at batch 1 scales from one thread to
 * two, in one process, for one or more builds of striate (A/B against another tree's dist).
 *
 *   node [--experimental-wasm-relaxed-simd] dist/bench/r50_threads.js [--builds DIST,DIST]
 *        [--rounds 5] [--calls 5] [--only substring] [--model] [--threads 1,2] [--path P]
 *
 * `--builds` lists dist folders (default: this one's); each build's src/index.js is imported, so
 * two builds run side by side with their own wasm memories and pools. Each round, for every build
 * and thread count in turn (the load of the shared machine falls on all alike), every layer is
 * called `--calls` times after a warm-up call and the round keeps the medians of wall and process
 * CPU ms; the table gives the medians over rounds. The layers are the inference forms after the
 * batch-norm fold (docs/performance.md): fused conv + bias (+ relu), the residual add and its
 * relu, max pooling, the classifier's dense layer. `--model` adds `st.models.resnet50()`'s
 * predict on one image. Columns: 1t wall, 2t wall, 2t CPU, speed-up (1t wall / 2t wall),
 * CPU efficiency (1t CPU / 2t CPU: 1.0 when the second thread adds no work), and `x count` the
 * layer's count in the model (the weighted sums at the end are per image).
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { flag } from './quick.js';
import type * as St from '../src/index.js';

type S = typeof St;
type T = St.Tensor;

interface Layer { name: string; count: number; make(st: S): { run: () => T; dispose: () => void } }

const conv = (name: string, count: number, size: number, cin: number, cout: number, f: number, stride: number,
              relu: boolean, pad: 'same' | 'valid' = 'same'): Layer => ({
  name, count,
  make(st) {
    const x = st.randomUniform([1, size, size, cin], 0, 1, 'float32', 1);
    const w = st.randomNormal([f, f, cin, cout], 0, 1 / Math.sqrt(f * f * cin), 'float32', 2);
    const b = st.randomNormal([cout], 0, 0.1, 'float32', 3);
    return {
      run: () => st.fused.conv2d({ x, filter: w, strides: stride, pad, bias: b, activation: relu ? 'relu' : 'linear' }) as T,
      dispose: () => { x.dispose(); w.dispose(); b.dispose(); },
    };
  },
});

const addRelu = (name: string, count: number, size: number, c: number): Layer => ({
  name, count,
  make(st) {
    const a = st.randomNormal([1, size, size, c], 0, 1, 'float32', 4), b = st.randomNormal([1, size, size, c], 0, 1, 'float32', 5);
    return { run: () => st.tidy(() => st.relu(st.add(a, b))) as T, dispose: () => { a.dispose(); b.dispose(); } };
  },
});

// ResNet-50 (Keras layout: the stride on the first 1x1 of a stage's first block), batch 1, 224x224
const LAYERS: Layer[] = [
  conv('stem 7x7/2 3->64 @230 valid', 1, 230, 3, 64, 7, 2, true, 'valid'),
  {
    name: 'maxpool 3x3/2 @112x64', count: 1,
    make(st) {
      const x = st.randomUniform([1, 112, 112, 64], 0, 1, 'float32', 6);
      return { run: () => st.maxPool(x, 3, 2, 'same') as T, dispose: () => x.dispose() };
    },
  },
  conv('1x1 64->64 @56', 1, 56, 64, 64, 1, 1, true),
  conv('1x1 256->64 @56', 2, 56, 256, 64, 1, 1, true),
  conv('3x3 64->64 @56', 3, 56, 64, 64, 3, 1, true),
  conv('1x1 64->256 @56', 4, 56, 64, 256, 1, 1, false),
  conv('1x1/2 256->128 @56', 1, 56, 256, 128, 1, 2, true),
  conv('1x1/2 256->512 @56', 1, 56, 256, 512, 1, 2, false),
  conv('1x1 512->128 @28', 3, 28, 512, 128, 1, 1, true),
  conv('3x3 128->128 @28', 4, 28, 128, 128, 3, 1, true),
  conv('1x1 128->512 @28', 4, 28, 128, 512, 1, 1, false),
  conv('1x1/2 512->256 @28', 1, 28, 512, 256, 1, 2, true),
  conv('1x1/2 512->1024 @28', 1, 28, 512, 1024, 1, 2, false),
  conv('1x1 1024->256 @14', 5, 14, 1024, 256, 1, 1, true),
  conv('3x3 256->256 @14', 6, 14, 256, 256, 3, 1, true),
  conv('1x1 256->1024 @14', 6, 14, 256, 1024, 1, 1, false),
  conv('1x1/2 1024->512 @14', 1, 14, 1024, 512, 1, 2, true),
  conv('1x1/2 1024->2048 @14', 1, 14, 1024, 2048, 1, 2, false),
  conv('1x1 2048->512 @7', 2, 7, 2048, 512, 1, 1, true),
  conv('3x3 512->512 @7', 3, 7, 512, 512, 3, 1, true),
  conv('1x1 512->2048 @7', 3, 7, 512, 2048, 1, 1, false),
  addRelu('add+relu @56x256', 3, 56, 256),
  addRelu('add+relu @28x512', 4, 28, 512),
  addRelu('add+relu @14x1024', 6, 14, 1024),
  addRelu('add+relu @7x2048', 3, 7, 2048),
  {
    name: 'dense 2048->1000 + softmax', count: 1,
    make(st) {
      const x = st.randomUniform([1, 2048], 0, 1, 'float32', 7), w = st.randomNormal([2048, 1000], 0, 0.02, 'float32', 8);
      const b = st.randomNormal([1000], 0, 0.1, 'float32', 9);
      return {
        run: () => st.tidy(() => st.softmax(st.fused.matMul({ a: x, b: w, bias: b }) as T)) as T,
        dispose: () => { x.dispose(); w.dispose(); b.dispose(); },
      };
    },
  },
];

const builds = flag('--builds', 'dist').split(',');
const rounds = Number(flag('--rounds', '5'));
const calls = Number(flag('--calls', '5'));
const only = flag('--only', '');
const threadCounts = flag('--threads', '1,2').split(',').map(Number);
const withModel = process.argv.includes('--model');
// `--path direct|slab|winograd` forces a forward kernel where it applies (globalThis.STRIATE_CONV_FORWARD, ops.ts)
if (flag('--path', '') !== '') (globalThis as { STRIATE_CONV_FORWARD?: string }).STRIATE_CONV_FORWARD = flag('--path', '');
const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1];

async function main(): Promise<void> {
  const libs: S[] = [];
  for (const d of builds) libs.push(await import(pathToFileURL(resolve(d, 'src/index.js')).href) as S);
  const layers = LAYERS.filter((l) => only === '' || l.name.includes(only));
  const names = [...layers.map((l) => l.name), ...(withModel ? ['resnet50 predict'] : [])];
  // samples[build][threads][layer] = per-round medians
  const samples = libs.map(() => threadCounts.map(() => names.map(() => ({ wall: [] as number[], cpu: [] as number[] }))));
  const models = libs.map((st) => {
    st.setBackend('wasm');
    if (!withModel) return null;
    st.setSeed(1);
    return { model: st.models.resnet50(), x: st.randomUniform([1, 224, 224, 3], 0, 1, 'float32', 1) };
  });
  console.log(`builds: ${builds.join(', ')}; SIMD ${libs.map((s) => s.getWasmSimd()).join(', ')}; ` +
    `${rounds} rounds x ${calls} calls; load average at start ${(await import('node:os')).loadavg().map((v) => v.toFixed(1)).join(' ')}`);
  for (let r = 0; r < rounds; r++) {
    for (const [bi, st] of libs.entries()) {
      for (const [ti, threads] of threadCounts.entries()) {
        st.setNumThreads(threads);
        const bodies = layers.map((l) => l.make(st));
        const runs: (() => void)[] = bodies.map((b) => () => { const y = b.run(); y.dataSync(); y.dispose(); });
        const m = models[bi];
        if (m) runs.push(() => { const y = st.tidy(() => m.model.predict(m.x, { batchSize: 1 }) as T); y.dataSync(); y.dispose(); });
        for (const [li, run] of runs.entries()) {
          run();
          const w: number[] = [], c: number[] = [];
          for (let i = 0; i < calls; i++) {
            const t = performance.now(), u = process.cpuUsage();
            run();
            w.push(performance.now() - t);
            const d = process.cpuUsage(u);
            c.push((d.user + d.system) / 1000);
          }
          samples[bi][ti][li].wall.push(median(w));
          samples[bi][ti][li].cpu.push(median(c));
        }
        for (const b of bodies) b.dispose();
      }
    }
    process.stderr.write(`round ${r + 1}/${rounds} done\n`);
  }
  const counts = [...layers.map((l) => l.count), 1];
  for (const [bi] of libs.entries()) {
    console.log(`\nbuild ${builds[bi]} (ms per call, medians over rounds)`);
    console.log('layer | x | ' + threadCounts.map((t) => `${t}t wall | ${t}t CPU`).join(' | ') +
      (threadCounts.length === 2 ? ' | speed-up | CPU efficiency' : ''));
    const sums = threadCounts.map(() => ({ wall: 0, cpu: 0 }));
    for (const [li, name] of names.entries()) {
      const cells = threadCounts.map((_, ti) => {
        const s = samples[bi][ti][li];
        if (li < layers.length) { sums[ti].wall += counts[li] * median(s.wall); sums[ti].cpu += counts[li] * median(s.cpu); }
        return `${median(s.wall).toFixed(3)} | ${median(s.cpu).toFixed(3)}`;
      });
      let extra = '';
      if (threadCounts.length === 2) {
        const [a, b] = samples[bi];
        extra = ` | ${(median(a[li].wall) / median(b[li].wall)).toFixed(2)} | ${(median(a[li].cpu) / median(b[li].cpu)).toFixed(2)}`;
      }
      console.log(`${name} | ${li < layers.length ? counts[li] : 1} | ${cells.join(' | ')}${extra}`);
    }
    console.log(`layers weighted by count | | ${sums.map((s) => `${s.wall.toFixed(1)} | ${s.cpu.toFixed(1)}`).join(' | ')}` +
      (sums.length === 2 ? ` | ${(sums[0].wall / sums[1].wall).toFixed(2)} | ${(sums[0].cpu / sums[1].cpu).toFixed(2)}` : ''));
  }
  console.log(`load average at end ${(await import('node:os')).loadavg().map((v) => v.toFixed(1)).join(' ')}`);
  process.exit(0);
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
