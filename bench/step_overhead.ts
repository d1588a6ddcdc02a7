/**
 * What a training batch costs outside the kernels (mlp speed area, issue 18): `node
 * dist/bench/step_overhead.js [--threads N] [--batch B] [--epochs N]`. Fits an MLP 8-8-8-10
 * (relu, softmax, Adam, sparse cross-entropy, accuracy: the MLP bench's recipe with layers so
 * small that its products cost a few microseconds), so the CPU time per batch is the fit loop,
 * the tape, the ops' bookkeeping and the optimizer: the part of a step that does not shrink
 * with a faster GEMM or a second thread. Prints the CPU and wall microseconds per batch of each
 * round (one round = `--epochs` epochs of 20 batches).
 */
import * as st from '../src/index.js';
import { flag } from './quick.js';

st.setBackend('wasm');
st.setNumThreads(Number(flag('--threads', '1')));
const batch = Number(flag('--batch', '128'));
const epochs = Number(flag('--epochs', '5'));
const model = st.sequential();
model.add(st.layers.dense({ inputShape: [8], units: 8, activation: 'relu' }));
model.add(st.layers.dense({ units: 8, activation: 'relu' }));
model.add(st.layers.dense({ units: 10, activation: 'softmax' }));
model.compile({ optimizer: st.train.adam(1e-3), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
const n = batch * 20;
const xs = st.randomUniform([n, 8], 0, 1, 'float32', 1);
const ys = st.tensor(Int32Array.from({ length: n }, (_, i) => i % 10), [n], 'int32');
await model.fit(xs, ys, { epochs: 2, batchSize: batch, verbose: 0 });
for (let r = 0; r < 5; r++) {
  const c0 = process.cpuUsage();
  const t = performance.now();
  await model.fit(xs, ys, { epochs, batchSize: batch, verbose: 0, shuffle: true });
  const d = process.cpuUsage(c0);
  const batches = epochs * 20;
  console.log(`MLP 8-8-8-10, batch ${batch}: ${((d.user + d.system) / batches).toFixed(0)} us CPU, ` +
    `${((performance.now() - t) * 1000 / batches).toFixed(0)} us wall per batch`);
}
