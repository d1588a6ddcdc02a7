/**
 * TensorFlow.js' single-batch and dataset doors on a model: `trainOnBatch` (one optimizer step),
 * `predictOnBatch` (one forward pass, no batching) and `evaluateDataset` (loss and metrics over
 * the batches of a dataset).
 */
import type { LayersModel } from '../nn/model.js';
import type { Tensor } from '../tensor/tensor.js';
import { scalar } from '../tensor/creation.js';
import { tidy } from '../tensor/engine.js';
import { checkOptions } from '../tensor/options.js';
import { checkData, expandRank1, getCompiled, tensorList } from './compile.js';
import { ensureBuilt, trainStep } from './fit.js';
import { evaluateCompiled, predict } from './evaluate.js';
import { batchesOf, batchTensors, type Dataset } from './dataset.js';

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

export interface EvaluateDatasetArgs {
  /** batches to evaluate (default: the whole dataset) */
  batches?: number;
  verbose?: number;
}

/** Loss (and metrics) over a dataset's batches, weighted by batch size, as scalars. */
export async function evaluateDataset(model: LayersModel, dataset: Dataset, args: EvaluateDatasetArgs = {}): Promise<Tensor | Tensor[]> {
  const door = `model "${model.name}".evaluateDataset`;
  const c = getCompiled(model, 'evaluateDataset');
  checkOptions('evaluateDataset', args, ['batches', 'verbose']);
  const limit = args.batches;
  if (limit !== undefined && !(Number.isInteger(limit) && limit > 0)) {
    throw new Error(`${door}: batches must be a positive integer, got ${JSON.stringify(limit)}`);
  }
  const sums = new Array<number>(1 + c.metrics.length).fill(0);
  let count = 0;
  let i = 0;
  for await (const batch of batchesOf(door, dataset)) {
    if (limit !== undefined && i >= limit) break;
    let [xs, ys] = batchTensors(door, batch, i++);
    ensureBuilt(model, xs);
    [xs, ys] = expandRank1(model, xs, ys, c);
    const n = checkData(model, door, xs, ys, c);
    evaluateCompiled(model, c, xs, ys, n).forEach((v, k) => (sums[k] += v * n));
    count += n;
  }
  if (count === 0) throw new Error(`${door}: the dataset gave no batches`);
  const values = sums.map((s) => scalar(s / count));
  return values.length === 1 ? values[0] : values;
}
