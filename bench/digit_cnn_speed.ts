/**
 * The digit CNN's speed on the wasm backend in one short process, for before/after comparisons
 * while working on per-op overhead: `node dist/bench/digit_cnn_speed.js [--threads N]
 * [--only b1,b256,train] [--calls N]`. Batch-1 predict latency (median of --calls),
 * batch-256 predict throughput, and training throughput (batch 64, Adam) on random data.
 * Prints one line per figure; not part of `npm run bench` (no peers, no real data). With one
 * thread the batch-256 and training lines also give CPU time (process.cpuUsage), which other
 * work on a shared machine disturbs less than wall time.
 */
import * as st from '../src/index.js';
import { median } from './common.js';
import { flag, timeCalls } from './quick.js';

st.setBackend(flag('--backend', 'wasm'));
if (flag('--backend', 'wasm') === 'wasm') st.setNumThreads(Number(flag('--threads', '2')));
const only = flag('--only', 'b1,b256,train').split(',');
const calls = Number(flag('--calls', '1000'));

st.setSeed(1);
const model = st.models.digitCnn();
model.compile({ optimizer: st.train.adam(1e-3), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });

if (only.includes('b1')) {
  const x = st.randomUniform([1, 28, 28, 1], 0, 1, 'float32', 2);
  const once = () => st.tidy(() => { (model.predict(x, { batchSize: 1 }) as st.Tensor).dataSync(); });
  for (let i = 0; i < 200; i++) once();
  const times = (await timeCalls(once, calls)).wall;
  console.log(`predict batch 1: median ${median(times).toFixed(4)} ms (min ${Math.min(...times).toFixed(4)}) over ${calls}`);
}

if (only.includes('b256')) {
  const x = st.randomUniform([256, 28, 28, 1], 0, 1, 'float32', 3);
  const once = () => st.tidy(() => { (model.predict(x, { batchSize: 256 }) as st.Tensor).dataSync(); });
  for (let i = 0; i < 5; i++) once();
  const { wall: times, cpu } = await timeCalls(once, 40);
  console.log(`predict batch 256: ${(256 / (median(times) / 1000)).toFixed(0)} samples/s (median ${median(times).toFixed(2)} ms, ` +
    `cpu ${median(cpu).toFixed(2)} ms)`);
}

if (only.includes('train')) {
  const n = 64 * 40;
  const xs = st.randomUniform([n, 28, 28, 1], 0, 1, 'float32', 4);
  const ys = st.tensor(Int32Array.from({ length: n }, (_, i) => (i * 7) % 10), [n], 'int32');
  await model.fit(xs, ys, { epochs: 1, batchSize: 64, verbose: 0, shuffle: true, seed: 1 });
  const { wall, cpu } = await timeCalls(() => model.fit(xs, ys, { epochs: 1, batchSize: 64, verbose: 0, shuffle: true, seed: 1 }), 3);
  const rates = wall.map((ms) => n / (ms / 1000));
  const cpuRates = cpu.map((ms) => n / (ms / 1000));
  console.log(`train batch 64: ${median(rates).toFixed(0)} samples/s (best ${Math.max(...rates).toFixed(0)}, ` +
    `per cpu-second ${median(cpuRates).toFixed(0)})`);
}
