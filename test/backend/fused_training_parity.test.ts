/**
 * Layers that run fused kernels on the wasm backend (BatchNormalization's training step, the
 * LSTM cell) train alike on both backends: fixed seeds, a few epochs on seeded random data,
 * every batch's loss within 2e-3 (kernels round differently; Adam carries that forward slowly).
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as st from '../../src/index.js';

async function lossCurve(backend: string, build: () => st.Sequential, xShape: number[], classes: number): Promise<number[]> {
  st.setBackend(backend);
  st.setSeed(7);
  const xs = st.randomUniform(xShape, -1, 1, 'float32', 3);
  const labels = st.tensor(Int32Array.from({ length: xShape[0] }, (_, i) => (i * 5 + (i >> 3)) % classes), [xShape[0]], 'int32');
  const model = build();
  model.compile({ optimizer: st.optimizers.adam({ learningRate: 0.01 }), loss: 'sparseCategoricalCrossentropy' });
  const losses: number[] = [];
  await model.fit(xs, labels, {
    epochs: 3, batchSize: 16, seed: 1, verbose: 0,
    callbacks: [{ onBatchEnd: (_b: number, logs?: st.Logs) => { losses.push(logs!.loss); } }],
  });
  return losses;
}

async function assertSameCurves(what: string, build: () => st.Sequential, xShape: number[], classes: number): Promise<void> {
  const wasm = await lossCurve('wasm', build, xShape, classes);
  const js = await lossCurve('js', build, xShape, classes);
  assert.equal(wasm.length, js.length);
  let worst = 0;
  wasm.forEach((l, i) => (worst = Math.max(worst, Math.abs(l - js[i]))));
  console.log(`${what}: ${wasm.length} batches, loss ${js[0].toFixed(4)} -> ${js[js.length - 1].toFixed(4)}, worst difference ${worst.toExponential(2)}`);
  assert.ok(worst < 2e-3, `${what}: loss curves differ by ${worst} at worst`);
  assert.ok(wasm[wasm.length - 1] < wasm[0], `${what}: the wasm run did not learn: ${wasm[0]} -> ${wasm[wasm.length - 1]}`);
}

test('a CNN with BatchNormalization trains alike on the wasm and js backends', async () => {
  await assertSameCurves('batch norm CNN', () => st.sequential({ layers: [
    st.layers.conv2d({ filters: 6, kernelSize: 3, inputShape: [9, 9, 2] }),
    st.layers.batchNormalization(),
    st.layers.activation({ activation: 'relu' }),
    st.layers.flatten(),
    st.layers.dense({ units: 16 }),
    st.layers.batchNormalization(),
    st.layers.dense({ units: 4, activation: 'softmax' }),
  ] }), [64, 9, 9, 2], 4);
});

test('an LSTM trains alike on the wasm and js backends', async () => {
  await assertSameCurves('LSTM', () => st.sequential({ layers: [
    st.layers.lstm({ units: 9, inputShape: [6, 5] }),
    st.layers.dense({ units: 3, activation: 'softmax' }),
  ] }), [48, 6, 5], 3);
});
