/**
 * Training parity on webgpu against js: the digit CNN (conv 5x5 same + relu, max pool, dropout,
 * conv 3x3, max pool, dropout, dense 256, dropout, softmax) from fixed seeds on webgpu and on js
 * (test/backend/webgpu_training_run.ts makes each run). The dropout masks are the same draws of
 * the same seeded generator on both backends, so the runs differ only by float32 rounding (the
 * GPU sums in other orders: tiled GEMM, split-K filter gradients), which Adam carries from step
 * to step.
 * - Short run, 20 Adam steps of batch 8 (lr 0.002) on the first 160 bundled digits halved to
 *   14x14: every batch's loss within 1e-3 of js's (measured 8e-8 at worst), and then
 *   st.backendReport() lists no fallback: every kernel of the model's step ran on the GPU.
 * - Long run, 200 Adam steps: 20 epochs over the first 40 digits shrunk to 7x7 (4x4 averages),
 *   batch 4, lr 0.005. Every batch's loss within 1e-4 of js's. Measured (2026-12-05, SwiftShader,
 *   four runs alike): the largest difference per quarter of the run 2.4e-7, 2.4e-7, 2.4e-7,
 *   7.2e-7. It drifts up slowly as Adam carries the rounding: 3.0e-6 at worst over 600 steps of
 *   the same run (bench/webgpu_parity.ts --epochs 60), so 1e-4 leaves a margin of 100 over the
 *   200 steps. It must learn: the mean loss of the last 3 epochs below 0.75 times the first
 *   epoch's (measured 1.25 / 2.34 = 0.53). Its GPU memory stays flat over the 200 steps: from the
 *   end of the first epoch on, the GPU bytes held (live + pooled) do not change and the live
 *   buffers, bytes and tensors do not grow (webgpu_memory.test.ts checks the same over 12 steps
 *   of another net, and the readbacks).
 * - A small dense net with batch normalisation and dropout (6 SGD steps): each loss within 1e-4
 *   of js's, and its predictions (the moving statistics) too.
 * Why so small: SwiftShader runs the GPU on the CPU, where a step costs mostly fixed per-dispatch
 * work (measured at load ~12 on 2 cores: 14x14 batch 8 about 1.5 s a step, 14x14 batch 4 1.1 s,
 * 7x7 batch 4 0.2 s of CPU and 0.3-0.7 s of wall time; js 7x7 batch 4 about 22 ms; compiling the
 * pipelines of the first step about 20 s, mostly reused by the long run; reading each batch's
 * loss back costs little there). The file took 74-96 s of CPU time (26 s without the long run).
 * `node dist/bench/webgpu_parity.js` runs longer or larger curves and prints these figures.
 * Skipped, with the reason, where Dawn finds no adapter.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as st from '../../src/index.js';
import { startWebGpu } from './webgpu_env.js';
import { digitCnnCurve, windowMeans, type Curve, type CurveOptions } from './webgpu_training_run.js';

const SHORT: CurveOptions = { samples: 160, batch: 8, epochs: 1, pool: 2, learningRate: 0.002 };
const SHORT_TOLERANCE = 1e-3;
const LONG: CurveOptions = { samples: 40, batch: 4, epochs: 20, pool: 4, learningRate: 0.005 };
const LONG_TOLERANCE = 1e-4;

const reason = await startWebGpu();
if (reason) console.log(`webgpu training parity skipped: ${reason}`);

/** The largest |webgpu - js| loss difference, over the whole run and over each quarter of it. */
function compare(gpu: number[], js: number[], steps: number): { worst: number; quarters: number[] } {
  assert.equal(gpu.length, steps);
  assert.equal(js.length, steps);
  const diffs = gpu.map((l, i) => Math.abs(l - js[i]));
  const q = Math.ceil(steps / 4);
  const quarters = [0, 1, 2, 3].map((k) => Math.max(...diffs.slice(k * q, (k + 1) * q)));
  return { worst: Math.max(...diffs), quarters };
}

test('webgpu: the digit CNN learns the js loss curve (20 steps, 14x14), and its training step falls back nowhere', async (t) => {
  if (reason) return t.skip(reason);
  const gpu = (await digitCnnCurve('webgpu', SHORT)).losses;
  const report = st.backendReport();
  const js = (await digitCnnCurve('js', SHORT)).losses;
  const steps = SHORT.samples / SHORT.batch;
  const { worst } = compare(gpu, js, steps);
  console.log(`loss curves js / webgpu: first ${js[0].toFixed(5)} / ${gpu[0].toFixed(5)}, last ${js[steps - 1].toFixed(5)} / ` +
    `${gpu[steps - 1].toFixed(5)}, worst difference ${worst.toExponential(2)} (tolerance ${SHORT_TOLERANCE})`);
  assert.ok(worst < SHORT_TOLERANCE, `loss curves differ by ${worst} at worst`);
  const lastFive = gpu.slice(-5).reduce((a, b) => a + b, 0) / 5;
  assert.ok(lastFive < gpu[0], `the webgpu run did not learn: ${gpu[0]} -> ${lastFive} (mean of the last 5 batches)`);
  assert.equal(report.backend, 'webgpu');
  console.log(`backendReport after the webgpu run: ${JSON.stringify(report)}`);
  assert.deepEqual(report.fallbacks, [], `kernels of the digit CNN's training step that ran on the CPU: ${report.fallbacks.join(', ')}`);
});

test('webgpu: the digit CNN follows the js loss curve over 200 steps (7x7, 20 epochs), learns, and its GPU memory stays flat', async (t) => {
  if (reason) return t.skip(reason);
  const gpu: Curve = await digitCnnCurve('webgpu', LONG);
  const js = (await digitCnnCurve('js', LONG)).losses;
  const perEpoch = LONG.samples / LONG.batch;
  const steps = perEpoch * LONG.epochs;
  const { worst, quarters } = compare(gpu.losses, js, steps);
  const epochs = windowMeans(gpu.losses, perEpoch);
  console.log(`${steps} steps: webgpu loss per epoch ${epochs.map((l) => l.toFixed(3)).join(' ')}; largest difference from js ` +
    `per quarter of the run ${quarters.map((d) => d.toExponential(2)).join(' ')} (tolerance ${LONG_TOLERANCE}); ` +
    `webgpu ${(gpu.ends[steps - 1] / 1000).toFixed(1)} s (first step ${(gpu.ends[0] / 1000).toFixed(1)} s)`);
  gpu.losses.forEach((l, i) => assert.ok(Math.abs(l - js[i]) < LONG_TOLERANCE, `step ${i + 1}: loss js ${js[i]}, webgpu ${l}`));
  const late = epochs.slice(-3).reduce((a, b) => a + b, 0) / 3;
  assert.ok(late < 0.75 * epochs[0], `the webgpu run did not learn: mean loss of epoch 1 ${epochs[0]}, of the last 3 epochs ${late}`);

  const flat = gpu.memory[perEpoch - 1];
  console.log(`GPU memory after epoch 1: ${JSON.stringify(flat)}; after step ${steps}: ${JSON.stringify(gpu.memory[steps - 1])}`);
  assert.ok(flat.gpuBytes !== undefined && flat.gpuBytes > 0, `st.memory() on webgpu reports no GPU bytes: ${JSON.stringify(flat)}`);
  gpu.memory.slice(perEpoch).forEach((m, i) => {
    const at = `after step ${perEpoch + 1 + i} (after epoch 1: ${JSON.stringify(flat)}, now ${JSON.stringify(m)})`;
    assert.equal(m.gpuBytes, flat.gpuBytes, `GPU bytes held (live + pooled) changed ${at}`);
    assert.ok(m.numBuffers <= flat.numBuffers, `live GPU buffers grew ${at}`);
    assert.ok(m.numBytes <= flat.numBytes, `live GPU bytes grew ${at}`);
    assert.ok(m.numTensors <= flat.numTensors, `live tensors grew ${at}`);
  });
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
