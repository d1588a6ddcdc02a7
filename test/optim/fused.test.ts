/**
 * The optimizers' one-pass wasm kernels (Adam, SGD with momentum, RMSprop) against the same
 * optimizers on the reference backend, where every step is made of ops.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as st from '../../src/index.js';

function run(backend: string, make: () => st.Optimizer): Float32Array {
  st.setBackend(backend);
  const w = st.variable(st.randomNormal([37, 29], 0, 1, 'float32', 3));
  const x = st.randomNormal([8, 37], 0, 1, 'float32', 4);
  const opt = make();
  for (let i = 0; i < 5; i++) opt.minimize(() => st.sum(st.square(st.tanh(st.matMul(x, w)))));
  return w.dataSync() as Float32Array;
}

const cases: [string, () => st.Optimizer][] = [
  ['adam', () => st.train.adam(0.01)],
  ['sgd with momentum', () => st.train.momentum(0.05, 0.9)],
  ['rmsprop', () => st.train.rmsprop(0.01)],
];

for (const [name, make] of cases) {
  test(`${name}: the wasm step equals the reference step`, () => {
    const js = run('js', make);
    const wasm = run('wasm', make);
    let worst = 0;
    js.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - wasm[i]))));
    assert.ok(worst < 1e-5, `${name}: parameters differ by ${worst}`);
    const start = st.randomNormal([37, 29], 0, 1, 'float32', 3).dataSync();
    assert.ok(js.some((v, i) => Math.abs(v - start[i]) > 1e-3), `${name} did not move the parameters`);
  });
}

/** The wasm buffer behind a variable (its address in the heap). */
const storageOf = (v: st.Variable): number => (v.dataId as unknown as { ptr: number }).ptr;

for (const [name, make] of cases) {
  test(`${name}: the wasm step updates the parameters in place once backward has released the graph`, () => {
    st.setBackend('wasm');
    const w = st.variable(st.randomNormal([37, 29], 0, 1, 'float32', 3));
    const x = st.randomNormal([8, 37], 0, 1, 'float32', 4);
    const opt = make();
    const loss = () => st.sum(st.square(st.tanh(st.matMul(x, w))));
    opt.minimize(loss); // the first step makes the optimizer's state
    const at = storageOf(w);
    for (let i = 0; i < 3; i++) opt.minimize(loss);
    assert.equal(storageOf(w), at, 'the parameters moved to another buffer');
    // a graph kept for a second backward pass still reads the old values, so the step must not
    // overwrite them: it writes new storage, and the kept graph's gradient is unchanged
    const y = st.sum(st.square(st.matMul(x, w)));
    const before = st.grad((v: st.Tensor) => st.sum(st.square(st.matMul(x, v))))(w.clone()).dataSync();
    y.backward(undefined, { retainGraph: true });
    w.grad = null;
    opt.minimize(loss);
    assert.notEqual(storageOf(w), at, 'a step under a retained graph wrote over storage that graph reads');
    y.backward();
    assert.deepEqual(Array.from(w.grad!.dataSync()), Array.from(before));
  });
}
