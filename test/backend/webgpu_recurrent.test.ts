/**
 * The webgpu backend's recurrent sequence kernels (src/backend/webgpu/recurrent.ts) against the js
 * reference through the Backend interface, same inputs: lstmSequence, gruSequence (resetAfter
 * with and without the recurrent bias, and without resetAfter) and simpleRnnSequence (tanh, relu,
 * linear), forward records and back propagation through time, on small odd shapes: batch 1,
 * batch 5 (a workgroup of 4 rows and one of 1), one step, 70 units (some of the 64 threads take
 * two), with a mask (padded first and middle steps, a row all padding) and a recurrent dropout
 * mask. The reference sums in float64 and the GPU in float32: tolerance 1e-4 of
 * max(1, |ref|) (sums of at most a few hundred terms of size ~1). Then the three ops' gradients
 * of every input end to end (the recurrent kernels' and the GRU bias' too), scatterAdd (an embedding's
 * gradient) against js, and an embedding -> LSTM -> dense model (masked, goBackwards, recurrent
 * dropout) trained a few steps on webgpu: the losses follow js and nothing fell back. Skipped,
 * with the reason printed, where Dawn finds no GPU adapter.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as st from '../../src/index.js';
import type { DataId, TensorInfo } from '../../src/backend/types.js';
import type { WebGpuBackend } from '../../src/backend/webgpu/backend.js';
import { rng } from './wasm_compare.js';
import { startWebGpu } from './webgpu_env.js';

const reason = await startWebGpu();
const js = st.findBackend('js');
const gpu = st.findBackend('webgpu') as WebGpuBackend;
const gtest = (name: string, fn: () => void | Promise<void>): void => {
  test(`webgpu recurrent: ${name}`, async (t) => {
    if (reason) return t.skip(reason);
    await fn();
  });
};
if (reason) console.log(`webgpu recurrent-kernel tests skipped: ${reason}`);

const TOL = 1e-4;
let seed = 7;
type Pair = [TensorInfo, TensorInfo];

/** The same values on both backends: random in [-scale, scale), or given. */
function input(shape: readonly number[], scale = 1, values?: Float32Array): Pair {
  const r = rng(seed++);
  const n = shape.reduce((a, b) => a * b, 1);
  const v = values ?? Float32Array.from({ length: n }, () => ((r(1 << 20) / (1 << 20)) * 2 - 1) * scale);
  return [{ dataId: js.write(v.slice(), 'float32'), shape, dtype: 'float32' },
    { dataId: gpu.write(v.slice(), 'float32'), shape, dtype: 'float32' }];
}

function mask(batch: number, steps: number): Pair {
  // row 0 real throughout; the others: padded first step, a padded middle step; the last row all padding
  const v = new Float32Array(batch * steps);
  for (let r = 0; r < batch; r++) {
    for (let t = 0; t < steps; t++) {
      v[r * steps + t] = r === 0 ? 1 : batch > 2 && r === batch - 1 ? 0 : (t === 0 || t === 2) ? 0 : 1;
    }
  }
  return input([batch, steps], 1, v);
}

function dropMask(batch: number, u: number): Pair {
  const r = rng(seed++);
  return input([batch, u], 1, Float32Array.from({ length: batch * u }, () => (r(4) === 0 ? 0 : 1 / 0.75)));
}

function close(what: string, ref: DataId, out: DataId): void {
  const want = js.read(ref), got = gpu.read(out);
  assert.equal(got.length, want.length, `${what}: length`);
  for (let i = 0; i < want.length; i++) {
    if (!(Math.abs(got[i] - want[i]) <= TOL * Math.max(1, Math.abs(want[i])))) {
      assert.fail(`${what}: element ${i} of ${want.length}: js ${want[i]}, webgpu ${got[i]}`);
    }
  }
}

const side = (p: Pair | null, k: 0 | 1): TensorInfo | null => (p === null ? null : p[k]);

/** [batch, steps, units, masked, dropout] */
const SHAPES: [number, number, number, boolean, boolean][] = [
  [1, 1, 1, false, false], [2, 3, 5, false, true], [5, 4, 7, true, true], [3, 5, 70, true, false],
];

gtest('lstmSequence and its BPTT match js (batch 1, odd sizes, mask, dropout mask, 70 units)', () => {
  for (const [batch, steps, u, masked, dropped] of SHAPES) {
    const what = `lstm [${batch}, ${steps}, ${u}] mask=${masked} drop=${dropped}`;
    const xp = input([batch, steps, 4 * u]), h0 = input([batch, u]), c0 = input([batch, u]);
    const k = input([u, 4 * u], 1 / Math.sqrt(u));
    const m = masked ? mask(batch, steps) : null, d = dropped ? dropMask(batch, u) : null;
    const ref = js.lstmSequence(xp[0], h0[0], c0[0], k[0], side(m, 0), side(d, 0));
    const out = gpu.lstmSequence(xp[1], h0[1], c0[1], k[1], side(m, 1), side(d, 1));
    close(`${what}: record`, ref, out);
    const dRec = input([batch, steps, 7 * u]);
    const recJs = { dataId: ref, shape: [batch, steps, 7 * u], dtype: 'float32' as const };
    const recGpu = { dataId: out, shape: [batch, steps, 7 * u], dtype: 'float32' as const };
    close(`${what}: gradients`, js.lstmSequenceGrad(recJs, c0[0], k[0], side(m, 0), dRec[0], side(d, 0)),
      gpu.lstmSequenceGrad(recGpu, c0[1], k[1], side(m, 1), dRec[1], side(d, 1)));
  }
});

gtest('gruSequence and its BPTT match js (resetAfter with and without bias, and without resetAfter)', () => {
  for (const [batch, steps, u, masked, dropped] of SHAPES) {
    for (const [resetAfter, bias] of [[true, true], [true, false], [false, false]]) {
      const what = `gru [${batch}, ${steps}, ${u}] mask=${masked} drop=${dropped} resetAfter=${resetAfter} bias=${bias}`;
      const xp = input([batch, steps, 3 * u]), h0 = input([batch, u]);
      const k = input([u, 3 * u], 1 / Math.sqrt(u));
      const rb = bias ? input([3 * u]) : null;
      const m = masked ? mask(batch, steps) : null, d = dropped ? dropMask(batch, u) : null;
      const ref = js.gruSequence(xp[0], h0[0], k[0], side(rb, 0), side(m, 0), side(d, 0), resetAfter);
      const out = gpu.gruSequence(xp[1], h0[1], k[1], side(rb, 1), side(m, 1), side(d, 1), resetAfter);
      close(`${what}: record`, ref, out);
      const dRec = input([batch, steps, 6 * u]);
      const shape = [batch, steps, 6 * u];
      close(`${what}: gradients`,
        js.gruSequenceGrad({ dataId: ref, shape, dtype: 'float32' }, h0[0], k[0], side(m, 0), side(d, 0), dRec[0], resetAfter),
        gpu.gruSequenceGrad({ dataId: out, shape, dtype: 'float32' }, h0[1], k[1], side(m, 1), side(d, 1), dRec[1], resetAfter));
    }
  }
});

gtest('simpleRnnSequence and its BPTT match js (tanh, relu, linear)', () => {
  for (const [batch, steps, u, masked, dropped] of SHAPES) {
    for (const act of ['tanh', 'relu', 'linear'] as const) {
      const what = `simpleRnn ${act} [${batch}, ${steps}, ${u}] mask=${masked} drop=${dropped}`;
      const xp = input([batch, steps, u]), h0 = input([batch, u]);
      const k = input([u, u], 1 / Math.sqrt(u));
      const m = masked ? mask(batch, steps) : null, d = dropped ? dropMask(batch, u) : null;
      const ref = js.simpleRnnSequence(xp[0], h0[0], k[0], side(m, 0), side(d, 0), act);
      const out = gpu.simpleRnnSequence(xp[1], h0[1], k[1], side(m, 1), side(d, 1), act);
      close(`${what}: record`, ref, out);
      const dRec = input([batch, steps, 2 * u]);
      const shape = [batch, steps, 2 * u];
      close(`${what}: gradients`,
        js.simpleRnnSequenceGrad({ dataId: ref, shape, dtype: 'float32' }, k[0], side(m, 0), side(d, 0), dRec[0], act),
        gpu.simpleRnnSequenceGrad({ dataId: out, shape, dtype: 'float32' }, k[1], side(m, 1), side(d, 1), dRec[1], act));
    }
  }
});

gtest('scatterAdd matches js (repeated indices, axis 0 and 1)', () => {
  for (const [shape, axis, m] of [[[7, 3], 0, 12], [[2, 5, 3], 1, 9], [[4], 0, 1]] as [number[], number, number][]) {
    const r = rng(seed++);
    const idx = Int32Array.from({ length: m }, () => r(shape[axis]));
    const ijs = { dataId: js.write(idx.slice(), 'int32'), shape: [m], dtype: 'int32' as const };
    const igpu = { dataId: gpu.write(idx.slice(), 'int32'), shape: [m], dtype: 'int32' as const };
    const upd = input([...shape.slice(0, axis), m, ...shape.slice(axis + 1)]);
    close(`scatterAdd [${shape}] axis ${axis}`, js.scatterAdd(upd[0], ijs, axis, shape), gpu.scatterAdd(upd[1], igpu, axis, shape));
  }
});

/**
 * The ops end to end (their backward rules add the recurrent kernel's and bias' gradients by
 * GEMM and reductions): every input's gradient of sum(outputs * w) + sum(h * v) on `backend`.
 */
async function opGradients(backend: string): Promise<Float32Array[]> {
  await st.setBackend(backend);
  const r = rng(23);
  const rand = (shape: number[], scale = 1): st.Tensor =>
    st.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => ((r(1 << 20) / (1 << 20)) * 2 - 1) * scale), shape);
  const [batch, steps, u] = [3, 4, 5];
  const mask = st.tensor([[1, 1, 1, 1], [0, 1, 0, 1], [1, 1, 0, 0]], [batch, steps]);
  const drop = st.tensor(Float32Array.from({ length: batch * u }, (_, i) => (i % 4 === 1 ? 0 : 1.25)), [batch, u]);
  const w = rand([batch, steps, u]), v = rand([batch, u]);
  const loss = (ys: st.Tensor, h: st.Tensor): st.Tensor => st.add(st.sum(st.mul(ys, w)), st.sum(st.mul(h, v)));
  const out: Float32Array[] = [];
  const collect = async (gs: st.Tensor[]): Promise<void> => {
    for (const g of gs) out.push(Float32Array.from(await g.data()));
  };
  await collect(st.grads((xp, h0, c0, k) => {
    const [ys, h] = st.lstmSequence(xp, h0, c0, k, mask, drop);
    return loss(ys, h);
  })([rand([batch, steps, 4 * u]), rand([batch, u]), rand([batch, u]), rand([u, 4 * u], 0.5)]));
  await collect(st.grads((xp, h0, k, b) => {
    const [ys, h] = st.gruSequence(xp, h0, k, b, true, mask, drop);
    return loss(ys, h);
  })([rand([batch, steps, 3 * u]), rand([batch, u]), rand([u, 3 * u], 0.5), rand([3 * u])]));
  await collect(st.grads((xp, h0, k) => {
    const [ys, h] = st.gruSequence(xp, h0, k, null, false, mask, drop);
    return loss(ys, h);
  })([rand([batch, steps, 3 * u]), rand([batch, u]), rand([u, 3 * u], 0.5)]));
  await collect(st.grads((xp, h0, k) => {
    const [ys, h] = st.simpleRnnSequence(xp, h0, k, mask, drop, 'tanh');
    return loss(ys, h);
  })([rand([batch, steps, u]), rand([batch, u]), rand([u, u], 0.5)]));
  return out;
}

gtest('the ops\' gradients of every input (recurrent kernels and GRU bias included) match js', async () => {
  const onGpu = await opGradients('webgpu');
  const onJs = await opGradients('js');
  assert.equal(onGpu.length, onJs.length);
  onJs.forEach((want, g) => {
    want.forEach((x, i) => {
      if (!(Math.abs(onGpu[g][i] - x) <= TOL * Math.max(1, Math.abs(x)))) {
        assert.fail(`gradient ${g}, element ${i} of ${want.length}: js ${x}, webgpu ${onGpu[g][i]}`);
      }
    });
  });
});

/** Loss per step of embedding (maskZero) -> LSTM (goBackwards, recurrent dropout) -> dense, Adam. */
async function lstmLosses(backend: string, gpuBytes: number[] = []): Promise<number[]> {
  await st.setBackend(backend);
  st.setSeed(5);
  const model = st.sequential({ layers: [
    st.layers.embedding({ inputDim: 11, outputDim: 6, maskZero: true, inputLength: 7 }),
    st.layers.lstm({ units: 9, goBackwards: true, recurrentDropout: 0.2, seed: 3 }),
    st.layers.dense({ units: 3, activation: 'softmax' }),
  ] });
  model.compile({ optimizer: st.optimizers.adam({ learningRate: 0.02 }), loss: 'sparseCategoricalCrossentropy' });
  const r = rng(11);
  // 24 sequences of 7 tokens, zero-padded at the end (masked); the label: the first token mod 3
  const ids = new Int32Array(24 * 7), labels = new Int32Array(24);
  for (let s = 0; s < 24; s++) {
    const len = 2 + r(6);
    for (let t = 0; t < len; t++) ids[s * 7 + t] = 1 + r(10);
    labels[s] = ids[s * 7] % 3;
  }
  const losses: number[] = [];
  await model.fit(st.tensor(ids, [24, 7], 'int32'), st.tensor(labels, [24], 'int32'), {
    epochs: 2, batchSize: 8, seed: 1, verbose: 0,
    callbacks: [{
      onBatchEnd: (_b: number, logs?: st.Logs) => { losses.push(logs!.loss); },
      onEpochEnd: () => { gpuBytes.push(st.memory().numBytes); },
    }],
  });
  return losses;
}

gtest('an embedding -> LSTM -> dense model trains on webgpu as on js, memory stays flat, nothing falls back', async () => {
  const bytes: number[] = [];
  const onGpu = await lstmLosses('webgpu', bytes);
  const report = st.backendReport();
  // the kernels' temporaries (transposed kernel, scratch, placeholders) go back to the pool
  assert.equal(bytes[1], bytes[0], `live GPU bytes after each epoch: ${bytes.join(', ')}`);
  const onJs = await lstmLosses('js');
  assert.equal(onGpu.length, onJs.length);
  let worst = 0;
  onGpu.forEach((l, i) => (worst = Math.max(worst, Math.abs(l - onJs[i]))));
  console.log(`LSTM model losses js / webgpu: ${onJs.map((l) => l.toFixed(4)).join(' ')} / ` +
    `${onGpu.map((l) => l.toFixed(4)).join(' ')}; worst difference ${worst.toExponential(2)}`);
  assert.ok(worst < 1e-3, `loss curves differ by ${worst}`);
  assert.equal(report.backend, 'webgpu');
  assert.deepEqual(report.fallbacks, [], `kernels of the LSTM model's training step that ran on the CPU: ${report.fallbacks.join(', ')}`);
});
