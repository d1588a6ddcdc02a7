/**
 * Softmax and cross-entropy fused, from logits (TensorFlow.js' `tf.losses.softmaxCrossEntropy`):
 * one pass computes each row's softmax and its loss logSumExp(z) sum(t) - sum(t z), and the
 * gradient with respect to the logits is (softmax sum(t) - t) times the row's output gradient.
 * The wasm backend does both in one kernel each (`Backend.softmaxCrossEntropy`); elsewhere the
 * same formulas run as ops. Unlike `categoricalCrossentropy` on probabilities nothing is
 * clipped: a confidently wrong row costs its full loss and keeps its gradient.
 */
import type { Backend } from '../backend/types.js';
import { Tensor } from '../tensor/tensor.js';
import { tensor } from '../tensor/creation.js';
import { isTracked, noGrad } from '../autograd/tape.js';
import { convert, isFloat, runOp, wrap, type TensorInput } from './op.js';
import { add, cast, exp, mul, neg, sub } from './arithmetic.js';
import { logSoftmax } from './activations.js';
import { mean, sum } from './reduce.js';
import { expandDims, reshape } from './transform.js';

export interface SoftmaxCrossEntropyOptions {
  /** 'mean' (default): mean over rows; 'sum': their sum; 'none': the per-row losses */
  reduction?: 'mean' | 'sum' | 'none';
  /** targets become t (1 - s) + s / classes (default 0; dense targets only) */
  labelSmoothing?: number;
}

function reduceRows(op: string, perRow: Tensor, reduction: SoftmaxCrossEntropyOptions['reduction']): Tensor {
  switch (reduction ?? 'mean') {
    case 'mean': return mean(perRow);
    case 'sum': return sum(perRow);
    case 'none': return perRow;
    default:
      throw new Error(`${op}: reduction must be 'mean', 'sum' or 'none', got ${JSON.stringify(reduction)}`);
  }
}

/** The backend's fused kernels when it has them and the operands are float32 on it. */
function fusable(be: Backend, z: Tensor, labels: Tensor): boolean {
  return be.softmaxCrossEntropy !== undefined && be.softmaxCrossEntropyGrad !== undefined &&
    z.dtype === 'float32' && z.backend === be && labels.backend === be;
}

/**
 * Per-row loss of logits z [rows, k] against `labels`: dense targets [rows, k] of z's dtype
 * (differentiable too), or int32 class indices [rows] already checked to lie in [0, k).
 */
function lossRows(z: Tensor, labels: Tensor, sparse: boolean): Tensor {
  const [rows, k] = z.shape;
  let softmax: Tensor | null = null;
  /** dense one-hot targets of sparse labels, made only where the ops need them */
  const targets = (): Tensor => {
    if (!sparse) return labels;
    const values = labels.dataSync();
    const oneHot = new Float64Array(rows * k);
    for (let r = 0; r < rows; r++) oneHot[r * k + values[r]] = 1;
    return tensor(oneHot, [rows, k], z.dtype);
  };
  const inputs = sparse ? [z] : [z, labels];
  return runOp(sparse ? 'sparseSoftmaxCrossEntropy' : 'softmaxCrossEntropy', inputs, (be, [logits]) => {
    const fused = fusable(be, logits, labels) ? be.softmaxCrossEntropy!(logits, labels) : null;
    if (fused) {
      softmax = wrap(be, fused.softmax, [rows, k], 'float32');
      return wrap(be, fused.loss, [rows], 'float32');
    }
    const logProb = logSoftmax(logits, -1);
    softmax = exp(logProb);
    return neg(sum(mul(targets(), logProb), -1));
  }, (dy, [logits]) => {
    const p = softmax!;
    const be = logits.backend;
    const fused = fusable(be, logits, labels) && dy.dtype === 'float32' && dy.backend === be
      ? be.softmaxCrossEntropyGrad!(p, labels, dy) : null;
    const t = fused ? null : targets();
    const dz = fused ? wrap(be, fused, [rows, k], 'float32')
      : mul(sub(mul(p, sum(t!, -1, true)), t!), expandDims(dy, -1));
    if (sparse) return [dz];
    // d/dt = -logSoftmax(z) per row: only for targets that are themselves learned (rare; a
    // training step's labels are not tracked, so it costs nothing there)
    return [dz, isTracked(labels) ? mul(neg(logSoftmax(logits, -1)), expandDims(dy, -1)) : null];
  });
}

/** logits [..., classes] as [rows, classes], with the leading shape to restore. */
function asRows(op: string, logits: TensorInput): { z: Tensor; lead: number[] } {
  let z = convert(logits, op, 'logits');
  if (!isFloat(z.dtype)) z = cast(z, 'float32');
  if (z.rank === 0) throw new Error(`${op}: expected logits of shape [..., classes], got a scalar`);
  const lead = z.shape.slice(0, -1);
  return { z: z.rank === 2 ? z : reshape(z, [-1, z.shape[z.rank - 1]]), lead };
}

/**
 * Cross-entropy of softmax(logits) with dense (one-hot or soft) targets, summed over the last
 * axis: labels and logits [..., classes].
 */
export function softmaxCrossEntropy(labels: TensorInput, logits: TensorInput,
  options: SoftmaxCrossEntropyOptions = {}): Tensor {
  const op = 'softmaxCrossEntropy';
  const { z, lead } = asRows(op, logits);
  let t = convert(labels, op, 'labels', z.dtype);
  if (t.dtype !== z.dtype) t = cast(t, z.dtype);
  const full = [...lead, z.shape[1]];
  if (t.rank !== full.length || t.shape.some((d, i) => d !== full[i])) {
    throw new Error(`${op}: labels must have the shape of logits [${full}], got [${t.shape}]`);
  }
  if (t.rank !== 2) t = reshape(t, z.shape);
  const s = options.labelSmoothing ?? 0;
  if (typeof s !== 'number' || !(s >= 0 && s <= 1)) {
    throw new Error(`${op}: labelSmoothing must be a number in [0, 1], got ${JSON.stringify(s)}`);
  }
  if (s > 0) t = add(mul(t, 1 - s), s / z.shape[1]);
  const perRow = lossRows(z, t, false);
  return reduceRows(op, lead.length === 1 ? perRow : reshape(perRow, lead), options.reduction);
}

/**
 * Cross-entropy of softmax(logits) with integer class labels: labels [...batch] (or
 * [...batch, 1]), logits [...batch, classes]. A label outside [0, classes) is an error naming it.
 *
 * @example
 * ```ts
 * st.losses.sparseSoftmaxCrossEntropy(st.tensor1d([2], 'int32'), st.tensor2d([[0.1, 0.2, 3]])).print();
 * ```
 */
export function sparseSoftmaxCrossEntropy(labels: TensorInput, logits: TensorInput,
  options: Omit<SoftmaxCrossEntropyOptions, 'labelSmoothing'> = {}): Tensor {
  const op = 'sparseSoftmaxCrossEntropy';
  const { z, lead } = asRows(op, logits);
  let l = convert(labels, op, 'labels', 'int32');
  const sameLead = (s: readonly number[]) => s.length === lead.length && s.every((d, i) => d === lead[i]);
  const withOne = l.rank === lead.length + 1 && l.shape[l.rank - 1] === 1 && sameLead(l.shape.slice(0, -1));
  if (!sameLead(l.shape) && !withOne) {
    throw new Error(`${op}: expected labels of shape [${lead}] (integer classes) for logits [${[...lead, z.shape[1]]}], ` +
      `got [${l.shape}]`);
  }
  const classes = z.shape[1];
  const values = noGrad(() => l.dataSync());
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isInteger(v) || v < 0 || v >= classes) {
      throw new Error(`${op}: label ${v} (at index ${i}) is out of range for ${classes} classes ` +
        `(expected an integer in [0, ${classes - 1}])`);
    }
  }
  if (l.dtype !== 'int32') l = cast(l, 'int32');
  if (l.rank !== 1) l = reshape(l, [z.shape[0]]);
  const perRow = lossRows(z, l, true);
  return reduceRows(op, lead.length === 1 ? perRow : reshape(perRow, lead), options.reduction);
}
