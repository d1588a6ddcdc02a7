/**
 * One seeded training run of the digit CNN, as the webgpu training-parity test and its long
 * opt-in run (bench/webgpu_parity.ts) make it on each backend: the first `samples` bundled digits
 * (seed 3), shrunk by `pool` x `pool` averages (28x28 -> 14x14 at 2, 7x7 at 4: SwiftShader's GPU
 * is the CPU), `epochs` passes of Adam over them in batches of `batch`. Returns each batch's loss
 * and, per batch, when it ended and what st.memory() said then (the GPU's bytes and buffers).
 * Everything a run draws is seeded (weights, shuffles, dropout masks), so two backends differ
 * only by float32 rounding.
 */
import * as st from '../../src/index.js';

export interface CurveOptions {
  samples: number;
  batch: number;
  epochs: number;
  /** average-pooling factor applied to the 28x28 digits */
  pool: number;
  learningRate?: number;
}

export interface Curve {
  losses: number[];
  /** ms since the run started (model built, data ready) at the end of each batch */
  ends: number[];
  /** ms to load and shrink the digits and build the model */
  setupMs: number;
  /** st.memory() after each batch */
  memory: (st.MemoryInfo & { numTensors: number; gpuBytes?: number })[];
}

export async function digitCnnCurve(backend: string, o: CurveOptions): Promise<Curve> {
  await st.setBackend(backend);
  const t0 = performance.now();
  st.setSeed(42);
  const digits = st.loadBundledDigits({ seed: 3, limit: o.samples });
  const size = 28 / o.pool;
  const model = st.models.digitCnn({ classes: 10, inputShape: [size, size, 1] });
  model.compile({ optimizer: st.optimizers.adam({ learningRate: o.learningRate ?? 0.002 }), loss: 'sparseCategoricalCrossentropy' });
  const xs = o.pool > 1 ? st.avgPool(digits.xs, o.pool, o.pool, 'valid') : digits.xs;
  const start = performance.now();
  const curve: Curve = { losses: [], ends: [], setupMs: start - t0, memory: [] };
  // onBatchEnd reads each loss back (a sync per batch on the GPU): the curve is what is compared
  await model.fit(xs, digits.labels, {
    epochs: o.epochs, batchSize: o.batch, seed: 1, verbose: 0,
    callbacks: [{ onBatchEnd: (_b: number, logs?: st.Logs) => {
      curve.losses.push(logs!.loss);
      curve.ends.push(performance.now() - start);
      curve.memory.push(st.memory() as Curve['memory'][number]);
    } }],
  });
  for (const t of new Set([xs, digits.xs, digits.labels])) t.dispose();
  model.dispose();
  return curve;
}

/** Mean of the losses of each consecutive window of `width` batches (an epoch, say). */
export function windowMeans(losses: number[], width: number): number[] {
  const out: number[] = [];
  for (let i = 0; i + width <= losses.length; i += width) out.push(losses.slice(i, i + width).reduce((a, b) => a + b, 0) / width);
  return out;
}
