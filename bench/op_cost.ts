/**
 * What one op costs in JavaScript (js overhead area, issue 18): `node dist/bench/op_cost.js
 * [--threads N] [--root DIR]`. Small tensors (8x8), so the kernels take well under a microsecond
 * and the figures are the op wrappers, the tape, tidy and the heap's bookkeeping. Prints the
 * median CPU microseconds per call of 5 rounds. `--root DIR` measures the build in DIR/dist
 * instead (a copy of another branch's dist, for A/B pairs on a loaded machine).
 */
import { flag } from './quick.js';

const root = flag('--root', '');
const st: typeof import('../src/index.js') = root ? await import(`${root}/dist/src/index.js`) : await import('../src/index.js');
st.setBackend('wasm');
st.setNumThreads(Number(flag('--threads', '1')));
const a = st.randomUniform([8, 8], 0, 1, 'float32', 1), b = st.randomUniform([8, 8], 0, 1, 'float32', 2);
const bias = st.randomUniform([8], 0, 1, 'float32', 3);
const v = st.variable(st.randomUniform([8, 8], 0, 1, 'float32', 4));

function time(name: string, n: number, f: () => unknown): void {
  for (let i = 0; i < n / 4; i++) f();
  const res: number[] = [];
  for (let r = 0; r < 5; r++) {
    const c0 = process.cpuUsage();
    for (let i = 0; i < n; i++) f();
    const d = process.cpuUsage(c0);
    res.push((d.user + d.system) / n);
  }
  res.sort((x, y) => x - y);
  console.log(`${name.padEnd(34)} ${res[2].toFixed(2).padStart(8)} us CPU a call (min ${res[0].toFixed(2)})`);
}

time('add 8x8 + 8', 20000, () => st.add(a, bias).dispose());
time('add in tidy', 20000, () => st.tidy(() => st.add(a, bias)).dispose());
time('mul by a number', 20000, () => st.mul(a, 2).dispose());
time('matMul 8x8', 20000, () => st.matMul(a, b).dispose());
time('x.sum()', 20000, () => a.sum().dispose());
time('relu', 20000, () => st.relu(a).dispose());
time('5 ops in tidy', 5000, () => st.tidy(() => st.relu(st.add(st.matMul(a, b), bias)).sum().mul(2)).dispose());
time('variableGrads over 3 ops', 5000, () => {
  const { value, grads } = st.variableGrads(() => st.sum(st.relu(st.matMul(a, v))), [v]);
  value.dispose();
  grads[v.name].dispose();
});
const m = st.sequential();
m.add(st.layers.dense({ inputShape: [8], units: 8, activation: 'relu' }));
m.add(st.layers.dense({ units: 8, activation: 'relu' }));
m.add(st.layers.dense({ units: 10, activation: 'softmax' }));
m.compile({ optimizer: st.train.adam(1e-3), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
const xs = st.randomUniform([128, 8], 0, 1, 'float32', 1);
const ys = st.tensor(Int32Array.from({ length: 128 }, (_, i) => i % 10), [128], 'int32');
time('predict MLP 8-8-8-10, 128 rows', 2000, () => (m.predict(xs) as { dispose(): void }).dispose());
// trainOnBatch has no await inside: each call's work is done when it returns
time('trainOnBatch MLP 8-8-8-10', 1000, () => void m.trainOnBatch(xs, ys));
console.log(`live tensors at the end: ${st.memory().numTensors}`);
