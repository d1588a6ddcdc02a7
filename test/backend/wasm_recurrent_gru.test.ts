/**
 * Recurrent area: the wasm backend's whole-sequence SimpleRNN and GRU (simpleRnnSequence,
 * gruSequence, forward and back propagation through time) against the js backend's reference
 * kernels, on seeded random shapes (batch 1, one step, odd units, units above the GEMM's column
 * block, with and without a mask and a recurrent dropout mask), one thread and two; the bits
 * must not depend on the thread count. The LSTM's recurrent dropout too.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as st from '../../src/index.js';
import { compare, rng, values } from './wasm_compare.js';

const uniform = (shape: number[], seed: number, lo = -1, hi = 1) => st.randomUniform(shape, lo, hi, 'float32', seed);

type Kind = 'tanh' | 'relu' | 'linear' | 'gru' | 'gruResetBefore' | 'lstm';

/** The outputs and the gradients of sum(outputs * w1) + sum(states * w2...) w.r.t. every differentiable input. */
function run(kind: Kind, batch: number, steps: number, u: number, seed: number, masked: boolean, dropped: boolean): () => st.Tensor[] {
  return () => {
    const gates = kind === 'gru' || kind === 'gruResetBefore' ? 3 : kind === 'lstm' ? 4 : 1;
    const xs = [uniform([batch, steps, gates * u], seed, -2, 2), uniform([batch, u], seed + 1),
      uniform([u, gates * u], seed + 3, -0.5, 0.5)];
    if (kind === 'gru') xs.push(uniform([3 * u], seed + 8));
    if (kind === 'lstm') xs.push(uniform([batch, u], seed + 2));
    // about one step in three padded, some rows padded at the start
    const mask = masked ? st.greater(st.randomUniform([batch, steps], 0, 1, 'float32', seed + 4), 0.33) : undefined;
    const drop = dropped ? st.mul(st.greater(st.randomUniform([batch, u], 0, 1, 'float32', seed + 9), 0.4), 1 / 0.6) : undefined;
    const f = (...v: st.Tensor[]): st.Tensor[] => {
      if (kind === 'gru' || kind === 'gruResetBefore') return st.gruSequence(v[0], v[1], v[2], v[3] ?? null, kind === 'gru', mask, drop);
      if (kind === 'lstm') return st.lstmSequence(v[0], v[1], v[3], v[2], mask, drop);
      return st.simpleRnnSequence(v[0], v[1], v[2], mask, drop, kind);
    };
    const ws = f(...xs).map((y, k) => uniform([...y.shape], seed + 5 + k));
    const loss = (...v: st.Tensor[]) => f(...v).map((y, k) => st.sum(st.mul(y, ws[k]))).reduce((a, b) => st.add(a, b));
    return [...f(...xs), ...st.grads(loss)(xs)];
  };
}

for (const threads of [1, 2]) {
  test(`simpleRnnSequence, gruSequence and their gradients match the reference (${threads} thread${threads > 1 ? 's' : ''})`, () => {
    st.setNumThreads(threads);
    const r = rng(91 + threads);
    for (let c = 0; c < 8; c++) {
      const big = c >= 6;
      const batch = c % 4 === 0 ? 1 : 1 + r(big ? 70 : 9), steps = c === 1 ? 1 : 1 + r(big ? 8 : 6);
      const u = c === 7 ? 130 : 1 + r(big ? 40 : 11);
      const kinds: Kind[] = ['tanh', 'relu', 'linear', 'gru', 'gruResetBefore', 'lstm'];
      for (const kind of kinds) {
        if (kind === 'lstm' && c % 2 === 1) continue;
        for (const [masked, dropped] of [[false, false], [true, c % 2 === 0], [c % 3 === 0, true]]) {
          compare(`${kind} batch ${batch} steps ${steps} units ${u}${masked ? ' masked' : ''}${dropped ? ' dropout' : ''}`,
            run(kind, batch, steps, u, 100 * c, masked, dropped), kind === 'linear' || kind === 'relu' ? 3e-4 : 1e-4);
        }
      }
    }
    st.setNumThreads(2);
  });
}

test('gruSequence and simpleRnnSequence give the same bits on one thread and two', () => {
  for (const kind of ['gru', 'gruResetBefore', 'tanh'] as Kind[]) {
    const f = run(kind, 64, 5, 40, 9, true, true);
    st.setNumThreads(1);
    const one = values('wasm', f);
    st.setNumThreads(2);
    const two = values('wasm', f);
    one.forEach((a, j) => assert.deepEqual(two[j], a, `${kind} output ${j} differs between 1 and 2 threads`));
  }
  st.setBackend('js');
});

test('gruSequence and simpleRnnSequence check their arguments', () => {
  st.setBackend('js');
  assert.throws(() => st.gruSequence(st.zeros([1, 2, 6]), st.zeros([1, 2]), st.zeros([2, 6]), st.zeros([6]), false),
    /gruSequence: a recurrent bias goes with resetAfter true/);
  assert.throws(() => st.gruSequence(st.zeros([1, 2, 6]), st.zeros([1, 3]), st.zeros([2, 6]), null, true),
    /gruSequence: expected xProj \[batch, T, 3u\].*h0 \[1,3\]/);
  assert.throws(() => st.simpleRnnSequence(st.zeros([1, 2, 2]), st.zeros([1, 2]), st.zeros([2, 2]), null, st.ones([2, 2])),
    /simpleRnnSequence: expected recurrentDropoutMask \[1, 2\] \(batch, units\), got \[2,2\]/);
  assert.throws(() => st.simpleRnnSequence(st.zeros([1, 2, 2]), st.zeros([1, 2]), st.zeros([2, 2]), null, null, 'elu' as 'tanh'),
    /simpleRnnSequence: expected activation 'tanh', 'relu', 'linear', got "elu"/);
});
