/**
 * TensorFlow.js' single-batch and dataset doors on a model: `trainOnBatch` (one optimizer step),
 * and `predictOnBatch` (one forward pass, no batching). `evaluateDataset` is in dataset.ts.
 */
import type { LayersModel } from '../nn/model.js';
import type { Tensor } from '../tensor/tensor.js';
import { tidy } from '../tensor/engine.js';
import { checkData, expandRank1, getCompiled, tensorList } from './compile.js';
import { ensureBuilt, trainStep } from './fit.js';
import { predict } from './evaluate.js';

/** One optimizer step on (x, y); resolves to the loss, or [loss, ...metrics] when compiled with metrics. */
export async function trainOnBatch(model: LayersModel, x: Tensor | Tensor[], y: Tensor | Tensor[]): Promise<number | number[]> {
  const door = `model "${model.name}".trainOnBatch`;
  const c = getCompiled(model, 'trainOnBatch');
  let xs = tensorList(door, 'x', x);
  let ys = tensorList(door, 'y', y);
  ensureBuilt(model, xs);
  [xs, ys] = expandRank1(model, xs, ys, c);
  checkData(model, door, xs, ys, c);
  const logs = tidy(() => trainStep(model, c, xs, ys));
  const values = [logs.loss, ...c.metrics.map((m) => logs[m.name])];
  return values.length === 1 ? values[0] : values;
}


/** The model's outputs for x in one forward pass (training: false). */
export function predictOnBatch(model: LayersModel, x: Tensor | Tensor[]): Tensor | Tensor[] {
  const first = Array.isArray(x) ? x[0] : x;
  const n = (first as Tensor | undefined)?.shape?.[0];
  return predict(model, x, n !== undefined && n > 0 ? { batchSize: n } : {});
}
