/**
 * `model.compile({optimizer, loss, metrics})`: resolves names to an optimizer, a loss and
 * metric functions, and keeps them with the model for fit/evaluate. Also the shared pieces of
 * the loops: the loss of a batch (class weights, regularisation), metrics, input checks.
 */
import type { LayersModel } from '../nn/model.js';
import type { Shape } from '../nn/layer.js';
import { Tensor } from '../tensor/tensor.js';
import { tensor } from '../tensor/creation.js';
import { Optimizer, optimizers } from '../optim/index.js';
import { add, mean, mul } from '../ops/index.js';
// the Keras-signature losses (yTrue, yPred, { reduction }), whatever st.losses holds under their names
import * as losses from '../ops/keras_losses.js';
import { getMetric } from '../nn/metrics.js';
import { softmaxLossFromLogits } from './softmax_loss.js';
import { checkOptions } from '../tensor/options.js';

/** A loss: per-sample values (or their mean) from targets and predictions. */
export type LossFn = (yTrue: Tensor, yPred: Tensor) => Tensor;
export type LossIdentifier = string | LossFn;
export type MetricFn = ((yTrue: Tensor, yPred: Tensor) => Tensor) & { metricName?: string };
export type MetricIdentifier = string | MetricFn;

export interface CompileArgs {
  optimizer: string | Optimizer;
  /** one loss, or one per output */
  loss: LossIdentifier | LossIdentifier[];
  metrics?: MetricIdentifier | MetricIdentifier[];
}

export interface CompiledMetric {
  /** the history key: 'acc' for 'accuracy'/'acc' (TensorFlow.js), else the metric's name */
  name: string;
  fn: MetricFn;
}

export interface Compiled {
  optimizer: Optimizer;
  lossIdentifiers: LossIdentifier[];
  /** one per output, each giving per-sample losses */
  lossFns: ((yTrue: Tensor, yPred: Tensor) => Tensor)[];
  /** resolved loss names (canonical camelCase) or null for custom losses, one per output */
  lossNames: (string | null)[];
  metrics: CompiledMetric[];
}

type NamedLoss = (yTrue: Tensor, yPred: Tensor, options: { reduction: 'none' }) => Tensor;

/** Canonical loss names and their aliases (matched ignoring case and underscores). */
const LOSSES: Record<string, [NamedLoss, string[]]> = {
  meanSquaredError: [losses.meanSquaredError, ['mse']],
  meanAbsoluteError: [losses.meanAbsoluteError, ['mae']],
  huber: [losses.huber, ['huberLoss']],
  binaryCrossentropy: [losses.binaryCrossentropy, []],
  categoricalCrossentropy: [losses.categoricalCrossentropy, []],
  sparseCategoricalCrossentropy: [losses.sparseCategoricalCrossentropy, []],
  hinge: [losses.hinge, []],
  squaredHinge: [losses.squaredHinge, []],
  categoricalHinge: [losses.categoricalHinge, []],
  kullbackLeiblerDivergence: [losses.kullbackLeiblerDivergence, ['kld', 'klDivergence']],
};

const normalise = (s: string): string => s.replace(/_/g, '').toLowerCase();

/** 'mse', 'mean_squared_error', 'meanSquaredError' -> 'meanSquaredError'; null when unknown. */
export function canonicalLossName(name: string): string | null {
  const key = normalise(name);
  for (const [canonical, [, aliases]] of Object.entries(LOSSES)) {
    if (normalise(canonical) === key || aliases.some((a) => normalise(a) === key)) return canonical;
  }
  return null;
}

function resolveLoss(id: LossIdentifier): { fn: (yTrue: Tensor, yPred: Tensor) => Tensor; name: string | null } {
  if (typeof id === 'function') return { fn: id, name: null };
  if (typeof id !== 'string') throw new Error(`compile: loss must be a name or a function, got ${typeof id}`);
  const name = canonicalLossName(id);
  if (!name) {
    throw new Error(`compile: unknown loss ${JSON.stringify(id)}; known: ${Object.keys(LOSSES).join(', ')} ` +
      `(also mse, mae, kld, snake_case names)`);
  }
  const fn = LOSSES[name][0];
  return { fn: (t, p) => fn(t, p, { reduction: 'none' }), name };
}

function metricKey(id: MetricIdentifier, fn: MetricFn): string {
  if (typeof id === 'string' && ['accuracy', 'acc'].includes(id.toLowerCase())) return 'acc';
  return fn.metricName ?? (typeof id === 'string' ? id : fn.name) ?? 'metric';
}

const compiled = new WeakMap<LayersModel, Compiled>();

export function compileModel(model: LayersModel, args: CompileArgs): void {
  if (!args || typeof args !== 'object') throw new Error('compile: expected { optimizer, loss, metrics? }');
  checkOptions('compile', args, ['optimizer', 'loss', 'metrics']);
  if (args.optimizer === undefined) throw new Error(`model "${model.name}".compile: optimizer is required (e.g. 'adam')`);
  if (args.loss === undefined) throw new Error(`model "${model.name}".compile: loss is required (e.g. 'meanSquaredError')`);
  const optimizer = optimizers.get(args.optimizer);
  const nOut = Math.max(1, model.outputs.length);
  const ids = Array.isArray(args.loss) ? args.loss : new Array<LossIdentifier>(nOut).fill(args.loss);
  if (Array.isArray(args.loss) && model.outputs.length > 0 && ids.length !== model.outputs.length) {
    throw new Error(`model "${model.name}".compile: got ${ids.length} losses for ${model.outputs.length} outputs`);
  }
  const resolved = ids.map(resolveLoss);
  const metricIds = args.metrics === undefined ? [] : Array.isArray(args.metrics) ? args.metrics : [args.metrics];
  const lossName = resolved[0].name ?? undefined;
  const metrics: CompiledMetric[] = metricIds.map((id) => {
    const fn = resolveMetric(id, lossName);
    return { name: metricKey(id, fn), fn };
  });
  compiled.set(model, {
    optimizer, lossIdentifiers: ids, lossFns: resolved.map((r) => r.fn), lossNames: resolved.map((r) => r.name), metrics,
  });
}

/** The metric function for a name or function (accuracy chosen from the loss, as in Keras). */
function resolveMetric(id: MetricIdentifier, lossName: string | undefined): MetricFn {
  if (typeof id === 'function') return id;
  return getMetric(id, lossName) as MetricFn;
}

export function getCompiled(model: LayersModel, door: string): Compiled {
  const c = compiled.get(model);
  if (!c) {
    throw new Error(`model "${model.name}".${door}: the model is not compiled yet; call ` +
      `model.compile({ optimizer: 'adam', loss: 'meanSquaredError' }) first`);
  }
  return c;
}

/** Replaces the optimizer of a compiled model (TensorFlow.js' `model.optimizer = ...`). */
export function setOptimizer(model: LayersModel, optimizer: Optimizer | string): void {
  getCompiled(model, 'optimizer').optimizer = optimizers.get(optimizer);
}

export function isCompiled(model: LayersModel): boolean {
  return compiled.has(model);
}

/** Per-sample weights from `classWeight` ({class: weight}); the class is the label, argmax or rounded value. */
export function classWeights(y: Tensor, classWeight: Record<number, number> | number[]): Tensor {
  const data = y.dataSync();
  const n = y.shape[0] ?? 1;
  const width = y.rank >= 2 ? y.size / n : 1;
  const w = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let cls: number;
    if (width === 1) cls = Math.round(Number(data[i]));
    else {
      cls = 0;
      for (let j = 1; j < width; j++) if (data[i * width + j] > data[i * width + cls]) cls = j;
    }
    const weight = (classWeight as Record<number, number>)[cls];
    w[i] = weight === undefined ? 1 : weight;
  }
  return tensor(w, [n], 'float32');
}

/**
 * The scalar training loss of a batch: each output's per-sample loss, weighted, averaged over the
 * batch (Keras' sum over batch size), summed over outputs, plus regularisation penalties.
 */
export function batchLoss(model: LayersModel, c: Compiled, ys: Tensor[], preds: Tensor[],
  sampleWeights?: (Tensor | undefined)[], withRegularization = true): Tensor {
  let total: Tensor | null = null;
  preds.forEach((p, i) => {
    // a softmax output with categorical cross-entropy: from the logits in one fused op where
    // that gives the same result (softmax_loss.ts says when); the named loss otherwise
    let perSample = softmaxLossFromLogits(model, c.lossNames[i], i, ys[i], p) ?? c.lossFns[i](ys[i], p);
    const w = sampleWeights?.[i];
    if (w) {
      if (perSample.rank !== 1) perSample = perSample.reshape([p.shape[0], -1]).mean(1);
      perSample = mul(perSample, w.dtype === perSample.dtype ? w : w.cast(perSample.dtype));
    }
    const l = perSample.rank === 0 ? perSample : mean(perSample);
    total = total === null ? l : add(total, l);
  });
  let loss = total as unknown as Tensor;
  if (withRegularization) for (const r of model.regularizationLosses()) loss = add(loss, r.cast(loss.dtype));
  return loss;
}

/** The metric values of a batch (first output), one number per metric. */
export function batchMetrics(c: Compiled, ys: Tensor[], preds: Tensor[]): number[] {
  return batchMetricValues(c, ys, preds).map((v) => v.dataSync()[0]);
}

/** The metric values of a batch (first output) as scalar tensors, not read back. */
export function batchMetricValues(c: Compiled, ys: Tensor[], preds: Tensor[]): Tensor[] {
  return c.metrics.map(({ fn }) => {
    const v = fn(ys[0], preds[0]);
    return v.rank === 0 ? v : mean(v);
  });
}

function fits(actual: readonly number[], expected: Shape): boolean {
  return actual.length === expected.length && expected.every((d, i) => d === null || d === actual[i]);
}

const shapeText = (s: readonly (number | null)[]): string => `[${s.map((d) => d ?? 'None').join(', ')}]`;

/**
 * TensorFlow.js' shorthand: a rank-1 x or y of n values feeds an input or output of shape
 * [null, 1] (it is read as [n, 1]). Sparse targets keep their rank: they are class indices.
 */
export function expandRank1(model: LayersModel, xs: Tensor[], ys: Tensor[], c?: Compiled): [Tensor[], Tensor[]] {
  const widen = (t: Tensor, target: Shape | undefined): Tensor =>
    t.rank === 1 && target !== undefined && target.length === 2 && (target[1] === 1 || target[1] === null) ? t.reshape([t.shape[0], 1]) : t;
  const x2 = xs.map((t, i) => widen(t, model.inputs[i]?.shape));
  const y2 = ys.map((t, i) => (c?.lossNames[i] === 'sparseCategoricalCrossentropy' ? t : widen(t, model.outputs[i]?.shape)));
  return [x2, y2];
}

/** As a list of tensors, each checked. */
export function tensorList(door: string, what: string, v: unknown): Tensor[] {
  const list = Array.isArray(v) ? v : [v];
  if (list.length === 0) throw new Error(`${door}: ${what} is empty`);
  list.forEach((t, i) => {
    if (!(t instanceof Tensor)) {
      throw new Error(`${door}: ${what}${list.length > 1 ? `[${i}]` : ''} must be a Tensor, got ${t === null ? 'null' : typeof t}`);
    }
    if (t.rank === 0) throw new Error(`${door}: ${what} must have a batch dimension, got a scalar`);
  });
  return list as Tensor[];
}

/** Checks x against the model's inputs and y against its outputs; returns the number of samples. */
export function checkData(model: LayersModel, door: string, xs: Tensor[], ys: Tensor[] | null, c?: Compiled): number {
  const n = xs[0].shape[0];
  for (const t of xs) {
    if (t.shape[0] !== n) throw new Error(`${door}: all inputs must have the same number of samples, got ${xs.map((x) => x.shape[0]).join(' and ')}`);
  }
  if (model.inputs.length > 0 && xs.length !== model.inputs.length) {
    throw new Error(`${door}: model "${model.name}" has ${model.inputs.length} inputs, got ${xs.length} x tensors`);
  }
  if (!ys) return n;
  for (const t of ys) {
    if (t.shape[0] !== n) {
      throw new Error(`${door}: x and y must have the same number of samples (batch size), got x with ${n} ` +
        `(shape [${xs[0].shape}]) and y with ${t.shape[0]} (shape [${t.shape}])`);
    }
  }
  if (model.outputs.length > 0) {
    if (ys.length !== model.outputs.length) {
      throw new Error(`${door}: model "${model.name}" has ${model.outputs.length} outputs, got ${ys.length} y tensors`);
    }
    ys.forEach((y, i) => {
      const out = model.outputs[i].shape;
      const sparse = c?.lossNames[i] === 'sparseCategoricalCrossentropy';
      const ok = sparse
        ? fits(y.shape, out.slice(0, -1)) || fits(y.shape, [...out.slice(0, -1), 1])
        : fits(y.shape, out);
      if (!ok) {
        const expected = sparse ? `${shapeText(out.slice(0, -1))} (class indices)` : shapeText(out);
        throw new Error(`${door}: y${ys.length > 1 ? `[${i}]` : ''} has shape [${y.shape.join(', ')}], which does not fit ` +
          `the output of model "${model.name}" (${model.outputs[i].sourceLayer?.name}): expected ${expected}`);
      }
    });
  }
  return n;
}
