/**
 * The same training run on both backends: the digit CNN, fixed seeds, 2 epochs on all 10,000
 * bundled digits, batch 64 (314 steps; the js backend takes about 90 s of it). Kernels sum in
 * different orders, so float32 rounding differs a little each step and Adam carries it on; the
 * stated tolerance is 1e-2 on every batch's loss (measured: at most 3.2e-3, on losses that fall
 * from 2.34 to 0.35).
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as st from '../../src/index.js';

async function lossCurve(backend: string): Promise<number[]> {
  st.setBackend(backend);
  st.setSeed(42);
  const digits = st.loadBundledDigits({ seed: 3 });
  const model = st.models.digitCnn({ classes: 10 });
  model.compile({ optimizer: st.optimizers.adam({ learningRate: 0.001 }), loss: 'sparseCategoricalCrossentropy' });
  const losses: number[] = [];
  await model.fit(digits.xs, digits.labels, {
    epochs: 2, batchSize: 64, seed: 1, verbose: 0,
    callbacks: [{ onBatchEnd: (_b: number, logs?: st.Logs) => { losses.push(logs!.loss); } }],
  });
  return losses;
}

test('the digit CNN learns the same loss curve on the wasm and js backends', async () => {
  const wasm = await lossCurve('wasm');
  const js = await lossCurve('js');
  const steps = 2 * Math.ceil(10000 / 64);
  assert.equal(wasm.length, steps);
  assert.equal(js.length, steps);
  let worst = 0;
  wasm.forEach((l, i) => (worst = Math.max(worst, Math.abs(l - js[i]))));
  console.log(`loss curves: first ${js[0].toFixed(5)} / ${wasm[0].toFixed(5)}, last ${js[steps - 1].toFixed(5)} / ${wasm[steps - 1].toFixed(5)}, worst difference ${worst.toExponential(2)}`);
  assert.ok(worst < 1e-2, `loss curves differ by ${worst} at worst`);
  assert.ok(wasm[steps - 1] < wasm[0] * 0.3, `the wasm run did not learn: ${wasm[0]} -> ${wasm[steps - 1]}`);
});

test('the same seed gives the same run on the wasm backend, whichever thread takes which chunk', async () => {
  const first = await lossCurve('wasm');
  const second = await lossCurve('wasm');
  assert.deepEqual(second, first);
});
