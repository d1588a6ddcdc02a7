/**
 * Recurrent area: the wasm backend's whole-sequence LSTM (lstmSequence, forward and back
 * propagation through time) against the js backend's reference kernels, on seeded random
 * shapes (batch 1, odd units, units above the GEMM's column block, with and without a mask),
 * one thread and two; the bits must not depend on the thread count.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as st from '../../src/index.js';
import { compare, rng, values } from './wasm_compare.js';

const uniform = (shape: number[], seed: number, lo = -1, hi = 1) => st.randomUniform(shape, lo, hi, 'float32', seed);

/** The three outputs and the gradients of sum(outputs * w1) + sum(h * w2) + sum(c * w3) w.r.t. the four inputs. */
function run(batch: number, steps: number, u: number, seed: number, masked: boolean): () => st.Tensor[] {
  return () => {
    const xs = [uniform([batch, steps, 4 * u], seed, -2, 2), uniform([batch, u], seed + 1), uniform([batch, u], seed + 2),
      uniform([u, 4 * u], seed + 3, -0.5, 0.5)];
    // about one step in three padded, some rows padded at the start
    const mask = masked ? st.greater(st.randomUniform([batch, steps], 0, 1, 'float32', seed + 4), 0.33) : undefined;
    const ws = [uniform([batch, steps, u], seed + 5), uniform([batch, u], seed + 6), uniform([batch, u], seed + 7)];
    const f = (...v: st.Tensor[]) => st.lstmSequence(v[0], v[1], v[2], v[3], mask);
    const loss = (...v: st.Tensor[]) => f(...v).map((y, k) => st.sum(st.mul(y, ws[k]))).reduce((a, b) => st.add(a, b));
    return [...f(...xs), ...st.grads(loss)(xs)];
  };
}

for (const threads of [1, 2]) {
  test(`lstmSequence and its gradients match the reference (${threads} thread${threads > 1 ? 's' : ''})`, () => {
    st.setNumThreads(threads);
    const r = rng(71 + threads);
    for (let c = 0; c < 10; c++) {
      const big = c >= 7;
      const batch = c % 4 === 0 ? 1 : 1 + r(big ? 70 : 9), steps = 1 + r(big ? 12 : 6);
      const u = c === 9 ? 130 : 1 + r(big ? 64 : 11);
      for (const masked of [false, true]) {
        compare(`lstmSequence batch ${batch} steps ${steps} units ${u}${masked ? ' masked' : ''}`,
          run(batch, steps, u, 100 * c, masked), 1e-4);
      }
    }
    st.setNumThreads(2);
  });
}

test('lstmSequence gives the same bits on one thread and two', () => {
  const f = run(64, 6, 40, 9, true);
  st.setNumThreads(1);
  const one = values('wasm', f);
  st.setNumThreads(2);
  const two = values('wasm', f);
  one.forEach((a, j) => assert.deepEqual(two[j], a, `output ${j} differs between 1 and 2 threads`));
  st.setBackend('js');
});

test('lstmSequence checks its shapes', () => {
  st.setBackend('js');
  assert.throws(() => st.lstmSequence(st.zeros([1, 2, 8]), st.zeros([1, 2]), st.zeros([1, 3]), st.zeros([2, 8])),
    /lstmSequence: expected xProj \[batch, T, 4u\], h0 and c0 \[batch, u\], recurrentKernel \[u, 4u\].*c0 \[1,3\]/);
  assert.throws(() => st.lstmSequence(st.zeros([1, 2, 8]), st.zeros([1, 2]), st.zeros([1, 2]), st.zeros([2, 8]), st.ones([1, 3])),
    /lstmSequence: expected mask \[1, 2\] \(batch, T\), got \[1,3\]/);
});
