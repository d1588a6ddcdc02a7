/**
 * Training speed of the bench's small models (the digit CNN, LeNet-5, the MLP) in one short
 * process on random data, for before/after comparisons of per-step overhead and thread use:
 * `node dist/bench/small_train_speed.js [--model mlp|cnn|lenet] [--threads N] [--batches N]
 * [--rounds N] [--ops]`. Batch sizes are the bench's (cnn 64, lenet 128, mlp 128), Adam 1e-3.
 * Prints samples/s (median of rounds, wall and per CPU second); with --ops, the ops of one
 * training step with their summed milliseconds (kernel and the JavaScript around it).
 */
import * as st from '../src/index.js';
import { median } from './common.js';
import { flag, timeCalls } from './quick.js';
import { smallEpoch, smallKind } from './small_net.js';

st.setBackend(flag('--backend', 'wasm'));
if (flag('--backend', 'wasm') === 'wasm') st.setNumThreads(Number(flag('--threads', '2')));
const kind = smallKind();
const batches = Number(flag('--batches', kind === 'mlp' ? '100' : '30'));
const rounds = Number(flag('--rounds', '5'));
const { model, batch, n, xs, ys, fit } = smallEpoch(kind, batches);
await fit();

if (process.argv.includes('--ops')) {
  const xb = xs.slice([0], [batch]), yb = ys.slice([0], [batch]);
  for (let i = 0; i < 20; i++) await model.trainOnBatch(xb, yb);
  const sums = new Map<string, { ms: number; count: number }>();
  const steps = 20;
  for (let i = 0; i < steps; i++) {
    const info = await st.profile(() => { void model.trainOnBatch(xb, yb); return [] as st.Tensor[]; });
    for (const k of info.kernels) {
      const s = sums.get(k.name) ?? { ms: 0, count: 0 };
      s.ms += k.kernelTimeMs; s.count++;
      sums.set(k.name, s);
    }
  }
  const rows = [...sums].sort((a, b) => b[1].ms - a[1].ms);
  let total = 0, ops = 0;
  for (const [, s] of rows) { total += s.ms; ops += s.count; }
  console.log(`${kind}: ${ops / steps} ops per step, ${(total / steps).toFixed(3)} ms in ops per step`);
  for (const [name, s] of rows) console.log(`${(s.ms / steps).toFixed(3).padStart(8)} ms  x${(s.count / steps).toFixed(0).padStart(3)}  ${name}`);
}

const { wall, cpu } = await timeCalls(fit, rounds);
console.log(`${kind} train batch ${batch}, ${st.getNumThreads()} threads: ${(n / (median(wall) / 1000)).toFixed(0)} samples/s ` +
  `(best ${(n / (Math.min(...wall) / 1000)).toFixed(0)}, per cpu-second ${(n / (median(cpu) / 1000)).toFixed(0)})`);
