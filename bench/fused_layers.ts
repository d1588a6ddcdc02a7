/**
 * Milliseconds per call of the layer steps the fused wasm kernels serve, through the public API
 * only, so the same script measures a build without them: `node dist/bench/fused_layers.js
 * [--backend wasm|js] [--threads N] [--reps R]`. Each line is the median of R timed calls after
 * two warm-up calls: depthwise conv2d forward + both gradients, a BatchNormalization training
 * step (forward + gradients) and its inference pass, an LSTM layer's training step, and the
 * softmax + cross-entropy head of a classifier's training step.
 */
import * as st from '../src/index.js';

const argv = process.argv.slice(2);
const flag = (name: string, fallback: string): string => {
  const i = argv.indexOf(name);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1] : fallback;
};
const backend = flag('--backend', 'wasm');
const reps = Number(flag('--reps', '15'));
st.setBackend(backend);
if (backend === 'wasm') st.setNumThreads(Number(flag('--threads', '2')));

async function median(body: () => void | Promise<unknown>): Promise<number> {
  await body();
  await body();
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    await body();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

const u = (shape: number[], seed: number) => st.randomUniform(shape, -1, 1, 'float32', seed);
/** forces the values (a backend may run lazily in the future; read one number) */
const done = (ts: st.Tensor[]) => ts.forEach((t) => {
  t.dataSync();
  t.dispose();
});

const results: [string, number][] = [];

for (const [mult, shape] of [[1, [32, 28, 28, 32]], [2, [16, 14, 14, 24]]] as const) {
  const x = u([...shape], 1), f = u([3, 3, shape[3], mult], 2);
  results.push([`depthwiseConv2d x [${shape}] f [3,3,${shape[3]},${mult}] same: forward + both gradients`,
    await median(() => done(st.grads((a, b) => st.sum(st.depthwiseConv2d(a, b, 1, 'same')))([x, f])))]);
}

{
  const bn = st.layers.batchNormalization();
  const x = u([64, 14, 14, 32], 3);
  bn.apply(x);
  results.push(['BatchNormalization [64,14,14,32] training: forward + gradient of x',
    await median(() => done(st.grads((a) => st.sum(st.mul(bn.apply(a, { training: true }) as st.Tensor, a)))([x])))]);
  results.push(['BatchNormalization [64,14,14,32] inference forward',
    await median(() => done([st.noGrad(() => bn.apply(x) as st.Tensor)]))]);
}

{
  const model = st.sequential({ layers: [
    st.layers.lstm({ units: 64, inputShape: [20, 16] }),
    st.layers.dense({ units: 4, activation: 'softmax' }),
  ] });
  model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
  const xs = u([32, 20, 16], 4);
  const ys = st.tensor(Int32Array.from({ length: 32 }, (_, i) => i % 4), [32], 'int32');
  results.push(['LSTM(64) on [32,20,16] + dense softmax: one training batch (fit, batch 32)',
    await median(() => model.fit(xs, ys, { epochs: 1, batchSize: 32, verbose: 0, shuffle: false }))]);
}

{
  // a classifier whose step is dominated by its softmax + cross-entropy head
  const model = st.sequential({ layers: [st.layers.dense({ units: 100, activation: 'softmax', inputShape: [32] })] });
  model.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy' });
  const xs = u([256, 32], 5);
  const ys = st.tensor(Int32Array.from({ length: 256 }, (_, i) => (i * 7) % 100), [256], 'int32');
  results.push(['dense(100, softmax) + sparse categorical CE: one training batch of 256',
    await median(() => model.fit(xs, ys, { epochs: 1, batchSize: 256, verbose: 0, shuffle: false }))]);
}

console.log(`fused_layers bench: backend ${backend}${backend === 'wasm' ? `, ${st.getNumThreads?.() ?? '?'} threads` : ''}, median of ${reps}`);
for (const [name, ms] of results) console.log(`${ms.toFixed(2).padStart(9)} ms  ${name}`);
