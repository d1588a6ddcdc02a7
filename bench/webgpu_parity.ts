/**
 * The digit CNN's loss curve on webgpu against js (and/or wasm) over a long seeded run, with
 * where the time goes: the long form of test/backend/webgpu_training.test.ts.
 *
 *   node dist/bench/webgpu_parity.js [--backends webgpu,js] [--samples 40] [--batch 4]
 *     [--epochs 20] [--pool 4] [--lr 0.005]
 *
 * The defaults are the test's long run (200 steps on 7x7 digits); `--pool 2` is 14x14, `--pool 1`
 * the full 28x28. wasm, where named, runs on one thread.
 * Prints for each backend: the set-up time (digits loaded and shrunk, model built), the first
 * batch (on webgpu: mostly compiling pipelines, slow on SwiftShader), the median batch from the
 * 4th on, the CPU time (process-wide: Dawn's and SwiftShader's threads too), the loss per epoch
 * (mean), the GPU bytes and buffers held after the first epoch and at the end; then against the
 * first backend: the largest loss difference over each quarter of the run (how the rounding
 * differences drift as Adam carries them).
 */
import * as st from '../src/index.js';
import { median } from './common.js';
import { flag } from './quick.js';
import { startWebGpu } from '../test/backend/webgpu_env.js';
import { digitCnnCurve, windowMeans, type Curve } from '../test/backend/webgpu_training_run.js';

const backends = flag('--backends', 'webgpu,js').split(',');
const o = {
  samples: Number(flag('--samples', '40')), batch: Number(flag('--batch', '4')), epochs: Number(flag('--epochs', '20')),
  pool: Number(flag('--pool', '4')), learningRate: Number(flag('--lr', '0.005')),
};
const perEpoch = Math.ceil(o.samples / o.batch);
console.log(`digit CNN ${28 / o.pool}x${28 / o.pool}, ${o.samples} samples, batch ${o.batch}, ${o.epochs} epochs ` +
  `(${perEpoch * o.epochs} Adam steps, lr ${o.learningRate})`);
if (backends.includes('webgpu')) {
  const reason = await startWebGpu();
  if (reason) { console.log(`webgpu: no adapter: ${reason}`); process.exit(0); }
}
if (backends.includes('wasm')) { await st.setBackend('wasm'); st.setNumThreads(1); }

const curves: Curve[] = [];
for (const name of backends) {
  const cpu = process.cpuUsage();
  const c = await digitCnnCurve(name, o);
  const used = process.cpuUsage(cpu);
  curves.push(c);
  const steps = c.ends.map((e, i) => e - (i ? c.ends[i - 1] : 0));
  const late = steps.slice(3);
  const mem = (i: number) => { const m = c.memory[i]; return `${m.gpuBytes ?? m.numBytes} B in ${m.numBuffers} buffers, ${m.numTensors} tensors`; };
  console.log(`${name}: set-up ${c.setupMs.toFixed(0)} ms, batch 1 ${steps[0].toFixed(0)} ms, then median ` +
    `${median(late.length ? late : steps).toFixed(1)} ms/batch, total ${c.ends[c.ends.length - 1].toFixed(0)} ms, ` +
    `CPU ${((used.user + used.system) / 1000).toFixed(0)} ms`);
  console.log(`  loss per epoch: ${windowMeans(c.losses, perEpoch).map((l) => l.toFixed(4)).join(' ')}`);
  console.log(`  memory after epoch 1: ${mem(perEpoch - 1)}; at the end: ${mem(c.memory.length - 1)}`);
}
for (let b = 1; b < curves.length; b++) {
  const [a, c] = [curves[0].losses, curves[b].losses];
  const diffs = a.map((l, i) => Math.abs(l - c[i]));
  const q = Math.ceil(diffs.length / 4);
  const quarters = [0, 1, 2, 3].map((k) => Math.max(...diffs.slice(k * q, (k + 1) * q)));
  console.log(`${backends[b]} vs ${backends[0]}: largest loss difference per quarter of the run ` +
    `${quarters.map((d) => d.toExponential(2)).join(' ')}; worst ${Math.max(...diffs).toExponential(2)} at batch ${diffs.indexOf(Math.max(...diffs)) + 1}`);
}
process.exit(0);
