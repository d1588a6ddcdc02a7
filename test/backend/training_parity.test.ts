/**
 * The same training run on both backends: the digit CNN, fixed seeds, 2 epochs on 3,200 of the
 * bundled digits, batch 64 (100 steps; the js backend takes about 60 s of it on an idle 2-core
 * machine, at 0.65 s a step). Kernels sum in different orders, so float32 rounding differs a
 * little each step and Adam carries it on; the stated tolerance is 1e-2 on every batch's loss
 * (measured: at most 1.9e-4, on losses that fall from 2.30 to 0.72). The run with the same seed
 * twice on wasm uses all 10,000 digits (314 steps), which wasm does in seconds.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as st from '../../src/index.js';

/** The parity run's share of the bundled digits: 50 full batches, so 100 steps in 2 epochs. */
const PARITY_SAMPLES = 3200;

async function lossCurve(backend: string, samples = 10000): Promise<number[]> {
  st.setBackend(backend);
  st.setSeed(42);
  const digits = st.loadBundledDigits({ seed: 3 });
  const model = st.models.digitCnn({ classes: 10 });
  model.compile({ optimizer: st.optimizers.adam({ learningRate: 0.001 }), loss: 'sparseCategoricalCrossentropy' });
  const losses: number[] = [];
  const xs = samples < 10000 ? digits.xs.slice([0], [samples]) : digits.xs;
  const labels = samples < 10000 ? digits.labels.slice([0], [samples]) : digits.labels;
  await model.fit(xs, labels, {
    epochs: 2, batchSize: 64, seed: 1, verbose: 0,
    callbacks: [{ onBatchEnd: (_b: number, logs?: st.Logs) => { losses.push(logs!.loss); } }],
  });
  return losses;
}

test('the digit CNN learns the same loss curve on the wasm and js backends', async () => {
  const wasm = await lossCurve('wasm', PARITY_SAMPLES);
  const js = await lossCurve('js', PARITY_SAMPLES);
  const steps = 2 * PARITY_SAMPLES / 64;
  assert.equal(wasm.length, steps);
  assert.equal(js.length, steps);
  let worst = 0;
  wasm.forEach((l, i) => (worst = Math.max(worst, Math.abs(l - js[i]))));
  console.log(`loss curves: first ${js[0].toFixed(5)} / ${wasm[0].toFixed(5)}, last ${js[steps - 1].toFixed(5)} / ${wasm[steps - 1].toFixed(5)}, worst difference ${worst.toExponential(2)}`);
  assert.ok(worst < 1e-2, `loss curves differ by ${worst} at worst`);
  const lastTen = wasm.slice(-10).reduce((a, b) => a + b, 0) / 10;
  assert.ok(lastTen < wasm[0] * 0.5, `the wasm run did not learn: ${wasm[0]} -> ${lastTen} (mean of the last 10 batches)`);
});

test('the same seed gives the same run on the wasm backend, whichever thread takes which chunk', async () => {
  const first = await lossCurve('wasm');
  const second = await lossCurve('wasm');
  assert.deepEqual(second, first);
});
