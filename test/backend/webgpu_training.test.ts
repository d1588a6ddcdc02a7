/**
 * Training parity on webgpu: the digit CNN (conv 5x5 same + relu, max pool, dropout, conv 3x3,
 * max pool, dropout, dense 256, dropout, softmax), fixed seeds, 20 Adam steps of batch 8 on the
 * first 160 bundled digits halved to 14x14, on webgpu and on js. The dropout masks are the same draws of the same
 * seeded generator on both backends, so the two runs differ only by float32 rounding (the GPU
 * sums in other orders: tiled GEMM, split-K filter gradients), which Adam carries from step to
 * step. Stated tolerance: 1e-3 on every batch's loss (losses start near 2.3; the wasm-vs-js
 * parity test allows 1e-2 over 100 steps and measured 1.9e-4). Then st.backendReport() after that
 * training lists no fallback: every kernel of the model's step ran on the GPU. A second test trains
 * a small dense net with batch normalisation and dropout (6 SGD steps) on both backends: each loss
 * within 1e-4 of js's, and its predictions (the moving statistics) too; it comes after the digit
 * CNN, whose pipelines it mostly reuses (SwiftShader compiles each in about half a second). Kept to 30 steps
 * because SwiftShader runs the GPU on the CPU, slowly: a 28x28 batch of 32 took 16 s a step there. Skipped, with the reason, where Dawn finds no
 * adapter.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as st from '../../src/index.js';
import { startWebGpu } from './webgpu_env.js';

const SAMPLES = 160;
const BATCH = 8;
const TOLERANCE = 1e-3;

const reason = await startWebGpu();
if (reason) console.log(`webgpu training parity skipped: ${reason}`);

async function lossCurve(backend: string): Promise<number[]> {
  await st.setBackend(backend);
  st.setSeed(42);
  const digits = st.loadBundledDigits({ seed: 3 });
  const model = st.models.digitCnn({ classes: 10, inputShape: [14, 14, 1] });
  model.compile({ optimizer: st.optimizers.adam({ learningRate: 0.002 }), loss: 'sparseCategoricalCrossentropy' });
  // the digits halved to 14x14 (2x2 averages): SwiftShader's GPU is the CPU, a quarter of the work
  const xs = st.avgPool(digits.xs.slice([0], [SAMPLES]), 2, 2, 'valid');
  const labels = digits.labels.slice([0], [SAMPLES]);
  const losses: number[] = [];
  await model.fit(xs, labels, {
    epochs: 1, batchSize: BATCH, seed: 1, verbose: 0,
    callbacks: [{ onBatchEnd: (_b: number, logs?: st.Logs) => { losses.push(logs!.loss); } }],
  });
  return losses;
}

test('webgpu: the digit CNN learns the js loss curve (20 steps), and its training step falls back nowhere', async (t) => {
  if (reason) return t.skip(reason);
  const gpu = await lossCurve('webgpu');
  const report = st.backendReport();
  const js = await lossCurve('js');
  const steps = SAMPLES / BATCH;
  assert.equal(gpu.length, steps);
  assert.equal(js.length, steps);
  let worst = 0;
  gpu.forEach((l, i) => (worst = Math.max(worst, Math.abs(l - js[i]))));
  console.log(`loss curves js / webgpu: first ${js[0].toFixed(5)} / ${gpu[0].toFixed(5)}, last ${js[steps - 1].toFixed(5)} / ` +
    `${gpu[steps - 1].toFixed(5)}, worst difference ${worst.toExponential(2)} (tolerance ${TOLERANCE})`);
  assert.ok(worst < TOLERANCE, `loss curves differ by ${worst} at worst`);
  const lastFive = gpu.slice(-5).reduce((a, b) => a + b, 0) / 5;
  assert.ok(lastFive < gpu[0], `the webgpu run did not learn: ${gpu[0]} -> ${lastFive} (mean of the last 5 batches)`);
  assert.equal(report.backend, 'webgpu');
  console.log(`backendReport after the webgpu run: ${JSON.stringify(report)}`);
  assert.deepEqual(report.fallbacks, [], `kernels of the digit CNN's training step that ran on the CPU: ${report.fallbacks.join(', ')}`);
});

test('webgpu: a small net with batch normalisation and dropout trains as on js (6 SGD steps) and predicts alike', async (t) => {
  if (reason) return t.skip(reason);
  // dense -> batchNormalization -> relu -> dropout -> dense: the batch statistics, their
  // gradients, the moving averages (prediction) and the dropout masks of seeded layers (no
  // convolution: the 4-D statistics are compared in webgpu_batchnorm.test.ts)
  const xv = Float32Array.from({ length: 240 }, (_, i) => Math.sin(i * 1.7));
  const yv = Int32Array.from({ length: 24 }, (_, i) => (i * 7) % 3);
  const curves: number[][] = [];
  const predictions: Float32Array[] = [];
  for (const name of ['js', 'webgpu']) {
    await st.setBackend(name);
    st.setSeed(7);
    const model = st.sequential({ layers: [
      st.layers.dense({ units: 12, inputShape: [10], useBias: false }),
      st.layers.batchNormalization(),
      st.layers.activation({ activation: 'relu' }),
      st.layers.dropout({ rate: 0.3, seed: 5 }),
      st.layers.dense({ units: 3, activation: 'softmax' }),
    ] });
    // plain SGD: Adam's first steps move each weight by about the learning rate whatever the
    // gradient's size, so a gradient near zero (a bias ahead of a normalisation) would turn
    // rounding noise into steps of a full learning rate
    model.compile({ optimizer: st.optimizers.sgd({ learningRate: 0.1 }), loss: 'sparseCategoricalCrossentropy' });
    const losses: number[] = [];
    const x = st.tensor(xv, [24, 10]);
    await model.fit(x, st.tensor1d(yv, 'int32'), { epochs: 1, batchSize: 4, shuffle: false, verbose: 0,
      callbacks: [{ onBatchEnd: (_b: number, logs?: st.Logs) => { losses.push(logs!.loss); } }] });
    curves.push(losses);
    predictions.push(Float32Array.from(await (model.predict(x) as st.Tensor).data() as Float32Array));
  }
  assert.equal(curves[1].length, 6);
  curves[0].forEach((l, i) => assert.ok(Math.abs(l - curves[1][i]) < 1e-4, `step ${i}: loss js ${l}, webgpu ${curves[1][i]}`));
  predictions[0].forEach((p, i) => assert.ok(Math.abs(p - predictions[1][i]) < 1e-4,
    `prediction ${i} after training (moving statistics): js ${p}, webgpu ${predictions[1][i]}`));
});
