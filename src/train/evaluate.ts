/** `evaluate`, `predict` and `predictClasses`: inference in batches, dropout off, no tape. */
import type { LayersModel } from '../nn/model.js';
import { Tensor } from '../tensor/tensor.js';
import { scalar } from '../tensor/creation.js';
import { tidy } from '../tensor/engine.js';
import { insideGradientFunction, noGrad } from '../autograd/tape.js';
import { argMax, concat, greater, cast } from '../ops/index.js';
import { Compiled, batchLoss, batchMetrics, checkData, expandRank1, getCompiled, tensorList } from './compile.js';
import { checkOptions } from '../tensor/options.js';
import { ensureBuilt, takeRows } from './fit.js';

export interface EvaluateArgs {
  /** samples per forward pass (default 32) */
  batchSize?: number;
  verbose?: number;
  /** TensorFlow.js' option; not supported there either */
  sampleWeight?: never;
  /** TensorFlow.js' option: batches to evaluate; for tensors here, all are */
  steps?: never;
}

export interface PredictArgs {
  /** samples per forward pass (default 32) */
  batchSize?: number;
  verbose?: number;
}

function checkBatchSize(door: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
    throw new Error(`${door}: batchSize must be a positive integer, got ${JSON.stringify(v)}`);
  }
  return v;
}

/** Loss (with regularisation, as Keras reports it) and metrics over all samples, as numbers. */
export function evaluateCompiled(model: LayersModel, c: Compiled, xs: Tensor[], ys: Tensor[], batchSize: number): number[] {
  const n = xs[0].shape[0];
  const sums = new Array<number>(1 + c.metrics.length).fill(0);
  noGrad(() => {
    for (let start = 0; start < n; start += batchSize) {
      const end = Math.min(n, start + batchSize);
      const values = tidy(() => {
        const bx = takeRows(xs, start, end);
        const by = takeRows(ys, start, end);
        const preds = model.execute(bx.length === 1 ? bx[0] : bx, { training: false });
        return [batchLoss(model, c, by, preds).dataSync()[0], ...batchMetrics(c, by, preds)];
      });
      values.forEach((v, i) => (sums[i] += v * (end - start)));
    }
  });
  return sums.map((s) => s / n);
}

/** [loss, ...metrics] as scalar tensors, or the loss alone without metrics (TensorFlow.js). */
export function evaluate(model: LayersModel, x: Tensor | Tensor[], y: Tensor | Tensor[], args: EvaluateArgs = {}): Tensor | Tensor[] {
  const door = `model "${model.name}".evaluate`;
  const c = getCompiled(model, 'evaluate');
  checkOptions('evaluate', args, ['batchSize', 'verbose', 'sampleWeight', 'steps']);
  for (const key of ['sampleWeight', 'steps'] as const) {
    if (args[key] !== undefined && args[key] !== null) throw new Error(`${door}: ${key} is not supported for tensors`);
  }
  const batchSize = checkBatchSize(door, args.batchSize ?? 32);
  let xs = tensorList(door, 'x', x);
  let ys = tensorList(door, 'y', y);
  ensureBuilt(model, xs);
  [xs, ys] = expandRank1(model, xs, ys, c);
  checkData(model, door, xs, ys, c);
  const values = evaluateCompiled(model, c, xs, ys, batchSize).map((v) => scalar(v));
  return values.length === 1 ? values[0] : values;
}

/** The model's outputs for x, computed batchSize samples at a time (training: false). */
export function predict(model: LayersModel, x: Tensor | Tensor[], args: PredictArgs = {}): Tensor | Tensor[] {
  const door = `model "${model.name}".predict`;
  checkOptions('predict', args, ['batchSize', 'verbose']);
  const batchSize = checkBatchSize(door, args.batchSize ?? 32);
  let xs = tensorList(door, 'x', x);
  ensureBuilt(model, xs);
  [xs] = expandRank1(model, xs, []);
  const n = checkData(model, door, xs, null);
  const parts: Tensor[][] = [];
  // Inside variableGrads (a policy-gradient loss, a DQN target) the forward pass must stay on
  // the tape, as it does in TensorFlow.js; otherwise it records nothing.
  const differentiable = insideGradientFunction();
  const tapeOff = <T>(fn: () => T): T => (differentiable ? fn() : noGrad(fn));
  tapeOff(() => {
    for (let start = 0; start < n; start += batchSize) {
      parts.push(tidy(() => {
        const bx = takeRows(xs, start, Math.min(n, start + batchSize));
        return model.execute(bx.length === 1 ? bx[0] : bx, { training: false });
      }));
    }
  });
  const outs = parts[0].map((_, i) => (parts.length === 1 ? parts[0][i] : tapeOff(() => concat(parts.map((p) => p[i]), 0))));
  // js overhead area (issue 18): the batches' outputs are spent once joined (they stayed counted
  // in st.memory() until the collector took them); on the tape the join's backward needs them
  if (parts.length > 1 && !differentiable) for (const p of parts) for (const t of p) t.dispose();
  return outs.length === 1 ? outs[0] : outs;
}

/** Class indices: argmax over the last axis, or (one sigmoid unit) 1 where the output exceeds 0.5. */
export function predictClasses(model: LayersModel, x: Tensor | Tensor[], args: PredictArgs = {}): Tensor {
  const out = predict(model, x, args);
  const p = Array.isArray(out) ? out[0] : out;
  return noGrad(() => (p.shape[p.rank - 1] === 1
    ? cast(greater(p, 0.5), 'int32').reshape(p.shape.slice(0, -1))
    : argMax(p, p.rank - 1)));
}
