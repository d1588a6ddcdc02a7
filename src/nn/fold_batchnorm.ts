/**
 * (resnet speed area) Inference-time folding of batch normalisation into the convolution before
 * it: Conv2D -> BatchNormalization [-> Activation('relu')] runs as one fused convolution with
 *   filter' = filter * k,  bias' = (bias - movingMean) * k + beta,  k = gamma / sqrt(movingVariance + epsilon)
 * per output channel, and the relu in the convolution's epilogue. Exact in real arithmetic; in
 * float32 the products are rounded once more, within float32 tolerance of the unfolded layers.
 *
 * Only where nothing else sees the intermediate values: the convolution's output feeds the batch
 * norm alone, the batch norm's the relu alone, and neither is a model output. Only in inference
 * (training falsy) and only when no gradient is recorded (a gradient through the folded weights
 * would not reach the layers' variables). The folded weights are cached per convolution and
 * rebuilt when any source variable's storage changes: every `assign` (training steps, setWeights,
 * loading) gives a variable a new storage handle, which the cache compares by identity.
 *
 * In training, BatchNormalization -> Activation('relu') (the batch norm's output read by the relu
 * alone) runs as one batch-norm op with the relu fused (ops.batchNormTraining's activation): one
 * kernel forward and one backward instead of three passes more over the feature map.
 *
 * (bn speed area) Also in training, BatchNormalization -> Add (with one other input) ->
 * Activation('relu'), a residual block's end, each value read by the next layer alone, runs as
 * one batch-norm op with the residual and the relu fused (ops.batchNormTraining's residual).
 *
 * Layers are recognised by their exact class (a subclass may change what call() does).
 */
import type { DataId } from '../backend/types.js';
import { Tensor } from '../tensor/tensor.js';
import { keep, tidy } from '../tensor/engine.js';
import { tensor } from '../tensor/creation.js';
import { shouldRecord } from '../autograd/tape.js';
import * as ops from '../ops/index.js';
import type { Layer, LayerNode, SymbolicTensor } from './layer.js';
import { Conv2D } from './layers/convolutional.js';
import { BatchNormalization } from './layers/normalization.js';
import { Activation } from './layers/core.js';
import { Add } from './layers/merge.js';

/** A Conv2D's fields that the fold reads (see layers/convolutional.ts). */
interface ConvFields {
  kernel?: Tensor;
  bias?: Tensor;
  strides: number[];
  padding: string;
  dilationRate: number[];
  groups: number;
  activation: { name: string };
}

/** A BatchNormalization's fields (see layers/normalization.ts). */
interface BatchNormFields {
  axis: number;
  epsilon: number;
  gamma?: Tensor;
  beta?: Tensor;
  movingMean?: Tensor;
  movingVariance?: Tensor;
}

/** One foldable chain: the conv node, its batch norm, and the relu after it (or null). */
export interface Fold {
  conv: LayerNode;
  bn: LayerNode;
  relu: LayerNode | null;
}

/** The folds of a graph, keyed by the conv node; `reluAfter` maps a batch-norm node to its sole relu reader. */
export interface FoldPlan {
  byConv: Map<LayerNode, Fold>;
  reluAfter: Map<LayerNode, LayerNode>;
  /** (bn speed area) a batch-norm node to the Add node that alone reads it and the relu that alone reads that */
  addReluAfter: Map<LayerNode, AddRelu>;
}

/** A residual end: the Add reading the batch norm's output, its other input, and the relu after it. */
export interface AddRelu {
  add: LayerNode;
  other: SymbolicTensor;
  relu: LayerNode;
}

const isConv2d = (l: Layer): boolean => l.constructor === Conv2D && (l as unknown as ConvFields).groups === 1 &&
  (l as unknown as ConvFields).activation.name === 'linear';
const isBatchNorm = (l: Layer): boolean => l.constructor === BatchNormalization;
const isRelu = (l: Layer): boolean => l.constructor === Activation &&
  (l as unknown as { activation: { name: string } }).activation.name === 'relu';
/** Whether a debugging hook watches the layer's calls (then it runs as written). */
const hooked = (l: Layer): boolean => (l as unknown as { callHook: unknown }).callHook != null;

/** Finds every Conv2D -> BatchNormalization (-> relu) chain of `nodes` whose inner values nobody else reads. */
export function planFolds(nodes: readonly LayerNode[], outputs: readonly SymbolicTensor[]): FoldPlan {
  const readers = new Map<number, LayerNode[]>();
  for (const n of nodes) for (const s of n.inputs) readers.set(s.id, [...(readers.get(s.id) ?? []), n]);
  const outputIds = new Set(outputs.map((s) => s.id));
  const soleReader = (n: LayerNode): LayerNode | null => {
    if (n.outputs.length !== 1 || outputIds.has(n.outputs[0].id)) return null;
    const r = readers.get(n.outputs[0].id) ?? [];
    return r.length === 1 && r[0].inputs.length === 1 ? r[0] : null;
  };
  const plan: FoldPlan = { byConv: new Map(), reluAfter: new Map(), addReluAfter: new Map() };
  for (const bn of nodes) {
    if (!isBatchNorm(bn.layer) || bn.inputs.length !== 1) continue;
    const next = soleReader(bn);
    if (next && isRelu(next.layer)) plan.reluAfter.set(bn, next);
    // (bn speed area) bn -> Add(two inputs, bn's output once) -> relu, none a model output
    if (bn.outputs.length !== 1 || outputIds.has(bn.outputs[0].id)) continue;
    const addReaders = readers.get(bn.outputs[0].id) ?? [];
    const add = addReaders[0];
    if (addReaders.length !== 1 || add.layer.constructor !== Add || add.inputs.length !== 2) continue;
    const mine = add.inputs.filter((s) => s.id === bn.outputs[0].id).length;
    if (mine !== 1 || add.outputs.length !== 1 || outputIds.has(add.outputs[0].id)) continue;
    const after = readers.get(add.outputs[0].id) ?? [];
    if (after.length !== 1 || after[0].inputs.length !== 1 || !isRelu(after[0].layer)) continue;
    plan.addReluAfter.set(bn, { add, other: add.inputs.find((s) => s.id !== bn.outputs[0].id)!, relu: after[0] });
  }
  for (const conv of nodes) {
    if (!isConv2d(conv.layer) || conv.inputs.length !== 1) continue;
    const bn = soleReader(conv);
    if (!bn || !isBatchNorm(bn.layer)) continue;
    const axis = (bn.layer as unknown as BatchNormFields).axis;
    if (axis !== -1 && axis !== 3) continue;
    const next = soleReader(bn);
    const relu = next && isRelu(next.layer) ? next : null;
    plan.byConv.set(conv, { conv, bn, relu });
  }
  return plan;
}

interface Folded {
  sources: (DataId | null)[];
  filter: Tensor;
  bias: Tensor;
}

const cache = new WeakMap<Layer, Folded>();

/** The variables a fold reads, in a fixed order (null where a layer has none). */
function sourcesOf(conv: ConvFields, bn: BatchNormFields): (Tensor | null)[] {
  return [conv.kernel ?? null, conv.bias ?? null, bn.gamma ?? null, bn.beta ?? null, bn.movingMean ?? null, bn.movingVariance ?? null];
}

/** The folded filter and bias of a chain, from the cache while its sources are unchanged. */
function foldedWeights(fold: Fold): Folded {
  const conv = fold.conv.layer as unknown as ConvFields;
  const bn = fold.bn.layer as unknown as BatchNormFields;
  const sources = sourcesOf(conv, bn);
  const ids = sources.map((t) => t?.dataId ?? null);
  const hit = cache.get(fold.conv.layer);
  if (hit && hit.sources.every((id, i) => id === ids[i]) && !hit.filter.isDisposed) return hit;
  if (hit) {
    hit.filter.dispose();
    hit.bias.dispose();
  }
  const kernel = conv.kernel!;
  const c = kernel.shape[3];
  const values = (t: Tensor | undefined, fill: number): Float64Array =>
    t ? Float64Array.from(t.dataSync() as Float32Array) : new Float64Array(c).fill(fill);
  // the per-channel factor and the new bias in float64, rounded once to float32
  const gamma = values(bn.gamma, 1), beta = values(bn.beta, 0);
  const mean = values(bn.movingMean, 0), variance = values(bn.movingVariance, 1), b = values(conv.bias, 0);
  const k = gamma.map((g, j) => g / Math.sqrt(variance[j] + bn.epsilon));
  const newBias = b.map((v, j) => (v - mean[j]) * k[j] + beta[j]);
  const made = tidy(() => ({
    filter: keep(ops.mul(kernel, tensor(Float32Array.from(k), [c], 'float32'))),
    bias: keep(tensor(Float32Array.from(newBias), [c], 'float32')),
  }));
  const entry: Folded = { sources: ids, filter: made.filter, bias: made.bias };
  cache.set(fold.conv.layer, entry);
  return entry;
}

/**
 * The fold's output (the relu's, or the batch norm's when there is no relu) for the conv's
 * input x, or null when this call cannot fold (a gradient recorded, a dtype, a missing weight).
 */
export function runFold(fold: Fold, x: Tensor): Tensor | null {
  const conv = fold.conv.layer as unknown as ConvFields;
  const bn = fold.bn.layer as unknown as BatchNormFields;
  if ([fold.conv, fold.bn, fold.relu].some((n) => n && hooked(n.layer))) return null;
  if (!conv.kernel || !bn.movingMean || !bn.movingVariance || x.dtype !== 'float32' || x.rank !== 4) return null;
  const sources = sourcesOf(conv, bn).filter((t): t is Tensor => t !== null);
  if (sources.some((t) => t.dtype !== 'float32' || t.isDisposed) || shouldRecord([x, ...sources])) return null;
  // the layers' own input checks, as apply() would make them
  fold.conv.layer.computeOutputShape([...x.shape]);
  const { filter, bias } = foldedWeights(fold);
  return ops.fused.conv2d({
    x, filter, strides: conv.strides as [number, number], pad: conv.padding as 'valid' | 'same',
    dilations: conv.dilationRate as [number, number], bias, activation: fold.relu ? 'relu' : 'linear',
  });
}

/**
 * Training: the batch norm node `bn` with its relu reader fused, through the layer's apply (its
 * checks, moving statistics and all) with the `fusedActivation` argument; null when the relu
 * layer is hooked.
 */
export function runBatchNormRelu(bn: LayerNode, relu: LayerNode, x: Tensor, args: Record<string, unknown>): Tensor | null {
  if (hooked(relu.layer)) return null;
  const apply = bn.layer.apply.bind(bn.layer) as (x: Tensor, a: Record<string, unknown>) => Tensor;
  return apply(x, { ...args, fusedActivation: 'relu' });
}

/**
 * (bn speed area) Training: the batch norm node `bn` with the Add and relu after it fused:
 * relu(batch norm of x + other), through the layer's apply with `fusedActivation` and
 * `fusedResidual`; null when the Add or relu layer is hooked or the shapes differ (the Add would
 * broadcast), so the caller runs the layers as written.
 */
export function runBatchNormAddRelu(bn: LayerNode, end: AddRelu, x: Tensor, other: Tensor, args: Record<string, unknown>): Tensor | null {
  if (hooked(end.add.layer) || hooked(end.relu.layer) || other.shape.join() !== x.shape.join()) return null;
  const apply = bn.layer.apply.bind(bn.layer) as (x: Tensor, a: Record<string, unknown>) => Tensor;
  return apply(x, { ...args, fusedActivation: 'relu', fusedResidual: other });
}
