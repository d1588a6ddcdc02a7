/**
 * ResNet-50 batch-1 inference (224x224x3, 1000 classes, fixed-seed weights): striate's wasm
 * backend against onnxruntime-web's wasm build running the same network, exported from striate
 * with `st.io.toOnnx`.
 *
 *   node dist/bench/resnet50_ort.js [--threads N] [--calls 15] [--warmup 3] [--layers]
 *
 * First checks that both give the same outputs on the same input: the 1000 probabilities and,
 * since a randomly initialised ResNet's softmax can saturate, also the 2048 pooled features (the
 * model cut at avg_pool, exported too). Then times one image per call: warm-up calls, then the
 * median of `--calls`, printing ms per image for both and the ratio (> 1: striate is faster).
 * `--layers` adds striate's time per layer class (each layer run on its own, eagerly), to show
 * where the time goes. Threads: striate's pool and ort.env.wasm.numThreads get the same count.
 */
import { readdirSync } from 'node:fs';
import * as ort from 'onnxruntime-web';
import * as st from '../src/index.js';
import { median } from './common.js';
import { flag } from './quick.js';

const SEED = 1;
const threads = Number(flag('--threads', '1'));
const calls = Number(flag('--calls', '15'));
const warmup = Number(flag('--warmup', '3'));
const wantLayers = process.argv.includes('--layers');

function ms(t0: number): number {
  return performance.now() - t0;
}

interface Timing { wall: number; cpu: number; minWall: number }

/**
 * Warm-up calls of each, then `calls` rounds that alternate the two systems, so that other work
 * on a shared machine falls on both alike. Wall and process CPU milliseconds per call (the CPU
 * time counts every thread of the process, the thread pools' workers included), medians.
 */
async function timeBoth(a: () => Promise<void> | void, b: () => Promise<void> | void): Promise<[Timing, Timing]> {
  for (let i = 0; i < warmup; i++) { await a(); await b(); }
  const samples: { wall: number[]; cpu: number[] }[] = [{ wall: [], cpu: [] }, { wall: [], cpu: [] }];
  for (let i = 0; i < calls; i++) {
    for (const [k, body] of [a, b].entries()) {
      const c = process.cpuUsage();
      const t = performance.now();
      await body();
      samples[k].wall.push(ms(t));
      const used = process.cpuUsage(c);
      samples[k].cpu.push((used.user + used.system) / 1000);
    }
  }
  const out = samples.map((s) => ({ wall: median(s.wall), cpu: median(s.cpu), minWall: Math.min(...s.wall) }));
  return [out[0], out[1]];
}

function compare(label: string, mine: Float32Array, theirs: Float32Array): { maxAbs: number; maxRel: number } {
  if (mine.length !== theirs.length) throw new Error(`${label}: striate gave ${mine.length} values, onnxruntime ${theirs.length}`);
  let maxAbs = 0;
  let scale = 0;
  for (let i = 0; i < mine.length; i++) {
    maxAbs = Math.max(maxAbs, Math.abs(mine[i] - theirs[i]));
    scale = Math.max(scale, Math.abs(theirs[i]));
  }
  return { maxAbs, maxRel: maxAbs / (scale || 1) };
}

async function session(bytes: Uint8Array): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(bytes, { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
}

async function runOrt(s: ort.InferenceSession, x: Float32Array, shape: number[]): Promise<Float32Array> {
  const out = await s.run({ [s.inputNames[0]]: new ort.Tensor('float32', x, shape) });
  return out[s.outputNames[0]].data as Float32Array;
}

/** striate's time per layer class for one image: each layer called on its own inputs, eagerly. */
async function layerTimes(model: st.LayersModel, x: st.Tensor): Promise<void> {
  const values = new Map<number, st.Tensor>();
  values.set(model.inputs[0].id, x);
  const byKey = new Map<string, { ms: number; count: number; flops: number }>();
  let total = 0;
  for (const node of model.graphNodes) {
    if (node.layer.className === 'InputLayer') continue;
    const ins = node.inputs.map((s) => values.get(s.id)!);
    const apply = node.layer.apply.bind(node.layer) as (inputs: st.Tensor | st.Tensor[]) => st.Tensor;
    const call = () => apply(ins.length === 1 ? ins[0] : ins);
    // two warm-ups, then the median of 5 (a layer call is short: its median holds better than one call)
    for (let i = 0; i < 2; i++) { const y = call(); y.dataSync(); y.dispose(); }
    const times: number[] = [];
    let out: st.Tensor | undefined;
    for (let i = 0; i < 5; i++) {
      out?.dispose();
      // CPU time of the process: on a loaded machine it holds better than the wall time
      const c = process.cpuUsage();
      out = call();
      out.dataSync();
      const used = process.cpuUsage(c);
      times.push((used.user + used.system) / 1000);
    }
    values.set(node.outputs[0].id, out!);
    const layer = node.layer as st.Layer & { kernelSize?: number[]; strides?: number[] };
    const inShape = ins[0].shape;
    const key = layer.className === 'Conv2D'
      ? `Conv2D ${layer.kernelSize!.join('x')}/${layer.strides![0]} ${inShape[1]}x${inShape[2]}x${inShape[3]}->${out!.shape[3]}`
      : layer.className;
    const entry = byKey.get(key) ?? { ms: 0, count: 0, flops: 0 };
    entry.ms += median(times);
    entry.count++;
    const kernel = (layer as { kernel?: st.Tensor }).kernel;
    if (layer.className === 'Conv2D' && kernel) entry.flops += 2 * (out!.size / out!.shape[3]) * kernel.size;
    byKey.set(key, entry);
    total += median(times);
  }
  for (const t of values.values()) if (t !== x) t.dispose();
  console.log(`striate per layer, CPU ms (sum of medians ${total.toFixed(1)} ms; conv FLOPs at 2 per multiply-add):`);
  for (const [key, e] of [...byKey].sort((a, b) => b[1].ms - a[1].ms)) {
    const rate = e.flops ? `${(e.flops / e.ms / 1e6).toFixed(1).padStart(6)} GFLOP/s` : ' '.repeat(14);
    console.log(`${e.ms.toFixed(2).padStart(9)} ms ${(100 * e.ms / total).toFixed(1).padStart(5)}% ${rate}  x${String(e.count).padEnd(3)} ${key}`);
  }
}

async function main(): Promise<void> {
  st.setBackend('wasm');
  st.setNumThreads(threads);
  ort.env.wasm.numThreads = threads;
  st.setSeed(SEED);
  const model = st.models.resnet50();
  const features = st.model({ inputs: model.inputs, outputs: model.getLayer('avg_pool').output as st.SymbolicTensor });
  const x = st.randomUniform([1, 224, 224, 3], 0, 1, 'float32', SEED);
  const xData = Float32Array.from(x.dataSync());

  let t = performance.now();
  const bytes = st.io.toOnnx(model);
  const featureBytes = st.io.toOnnx(features);
  console.log(`exported: ${(bytes.length / 1e6).toFixed(1)} MB ONNX (${model.countParams()} parameters) in ${ms(t).toFixed(0)} ms`);
  const tasks = (): number => readdirSync('/proc/self/task').length;
  const threadsBefore = tasks();
  t = performance.now();
  const s = await session(bytes);
  const sf = await session(featureBytes);
  console.log(`onnxruntime-web ${ort.env.versions.web ?? ''} sessions created in ${ms(t).toFixed(0)} ms; ` +
    `ort.env.wasm.numThreads = ${ort.env.wasm.numThreads}, striate threads = ${st.getNumThreads()}, striate SIMD = ${st.getWasmSimd()}`);

  const predictData = (m: st.LayersModel): Float32Array => {
    const y = st.tidy(() => m.predict(x, { batchSize: 1 }) as st.Tensor);
    const data = Float32Array.from(y.dataSync());
    y.dispose();
    return data;
  };
  const probs = compare('probabilities', predictData(model), await runOrt(s, xData, [1, 224, 224, 3]));
  const feats = compare('features', predictData(features), await runOrt(sf, xData, [1, 224, 224, 3]));
  console.log(`same outputs? probabilities max |diff| ${probs.maxAbs.toExponential(2)} (relative ${probs.maxRel.toExponential(2)}), ` +
    `pooled features max |diff| ${feats.maxAbs.toExponential(2)} (relative to the largest ${feats.maxRel.toExponential(2)})`);
  if (feats.maxRel > 1e-3 || probs.maxAbs > 1e-3) throw new Error('striate and onnxruntime-web disagree beyond float32 tolerance');
  sf.release();
  console.log(`OS threads of this process: ${threadsBefore} before the ort sessions (striate's pool started), ${tasks()} after ort ran`);

  const [mine, theirs] = await timeBoth(() => { predictData(model); }, async () => { await runOrt(s, xData, [1, 224, 224, 3]); });
  const line = (name: string, r: Timing) => console.log(`  ${name.padEnd(17)} ${r.wall.toFixed(1).padStart(8)} ms/image wall ` +
    `(min ${r.minWall.toFixed(1)}), ${r.cpu.toFixed(1).padStart(8)} ms CPU/image`);
  console.log(`ResNet-50 b1 224x224, ${threads} thread(s), warm-up ${warmup}, median of ${calls} (alternating calls):`);
  line('striate wasm', mine);
  line('onnxruntime-web', theirs);
  console.log(`  ratio ort/striate: wall ${(theirs.wall / mine.wall).toFixed(2)}, CPU ${(theirs.cpu / mine.cpu).toFixed(2)} (> 1: striate faster)`);
  if (wantLayers) await layerTimes(model, x);
  await s.release();
  process.exit(0);
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
