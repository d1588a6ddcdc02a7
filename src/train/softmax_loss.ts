/**
 * The training loss of a softmax output from its logits: when a model's output layer is Dense
 * or Activation with softmax and the loss is (sparse) categorical cross-entropy, the loss and
 * its gradient come from the fused softmax cross-entropy op on the softmax's input (one kernel
 * each way on the wasm backend) instead of from the probabilities (clip, renormalise, log, and
 * each of their gradients).
 *
 * The two agree within float32 rounding except where Keras' clipping of the probabilities to
 * [1e-7, 1 - 1e-7] bites: a target class with probability below 1e-7 costs -log(1e-7) and
 * gets no gradient through the clip, while from the logits it costs its full loss and keeps
 * its gradient. That would change training, so the fused loss is used only for a batch where
 * every target class has probability >= 2e-7 (a margin over the clip, so rounding cannot
 * put the two paths on different sides of it); any other batch takes the probability path.
 * (The upper clip moves the loss and gradient by at most ~1e-7: within float32 rounding.)
 */
import type { LayersModel } from '../nn/model.js';
import type { Tensor } from '../tensor/tensor.js';
import { noGrad } from '../autograd/tape.js';
import * as losses from '../ops/softmax_cross_entropy.js';
import { backend } from '../backend/registry.js';
import {
  all, broadcastTo, cast, equal, greaterEqual, logicalAnd, logicalNot, logicalOr, notEqual, reshape, sum, where,
} from '../ops/index.js';
import { range } from '../tensor/sequences.js';
import { categoricalCrossentropy } from '../ops/keras_losses.js';

const SMALLEST_PROBABILITY = 2e-7;

/**
 * Per-sample losses of output `i` computed from its logits, or null when the fused path does
 * not apply (another loss or output layer, no recorded softmax, or a probability near the clip).
 */
export function softmaxLossFromLogits(model: LayersModel, lossName: string | null, i: number, yTrue: Tensor,
  yPred: Tensor): Tensor | null {
  if (lossName !== 'categoricalCrossentropy' && lossName !== 'sparseCategoricalCrossentropy') return null;
  const layer = model.outputs[i]?.node?.layer as { className?: string; activation?: { name?: string } } | undefined;
  if (!layer || (layer.className !== 'Dense' && layer.className !== 'Activation')) return null;
  if (layer.activation?.name !== 'softmax') return null;
  // the logits are the input of the softmax op that made yPred: recorded on the tape while
  // training (nothing is recorded under noGrad, e.g. in evaluate, which keeps the old path)
  const node = yPred.node;
  if (yPred.rank !== 2 || !node || node.opName !== 'softmax' || node.inputs.length !== 1) return null;
  const logits = node.inputs[0];
  if (logits.rank !== 2 || logits.shape[0] !== yPred.shape[0] || logits.shape[1] !== yPred.shape[1]) return null;
  const [rows, k] = yPred.shape;
  const sparse = lossName === 'sparseCategoricalCrossentropy';
  if ((backend() as { deferredReads?: boolean }).deferredReads) return decidedOnDevice(sparse, yTrue, yPred, logits, rows, k);
  const safe = noGrad(() => {
    const p = yPred.dataSync();
    const t = yTrue.dataSync();
    if (sparse) {
      if (t.length !== rows) return false;
      for (let r = 0; r < rows; r++) {
        const label = t[r];
        // a bad label: the probability path reports it
        if (!Number.isInteger(label) || label < 0 || label >= k) return false;
        if (!(p[r * k + label] >= SMALLEST_PROBABILITY)) return false;
      }
      return true;
    }
    if (yTrue.rank !== 2 || t.length !== rows * k) return false;
    for (let j = 0; j < t.length; j++) {
      if (t[j] !== 0 && !(p[j] >= SMALLEST_PROBABILITY)) return false;
    }
    return true;
  });
  if (!safe) return null;
  return sparse
    ? losses.sparseSoftmaxCrossEntropy(yTrue, logits, { reduction: 'none' })
    : losses.softmaxCrossEntropy(yTrue, logits, { reduction: 'none' });
}

/**
 * The same choice made on the backend, for backends whose reads wait for a GPU (fit then reads
 * nothing back per batch): both losses are computed and `where` keeps the fused one when every
 * target class of the batch has probability >= SMALLEST_PROBABILITY, the probability path's
 * otherwise (its gradient too: where's gradient goes to the branch it kept). Sparse labels become
 * one-hot rows on the device; a label that is no class (out of range, not an integer) matches
 * none, sends the batch down the probability path, and adds nothing to its loss there (the CPU
 * path, which reads the labels, reports it instead).
 */
function decidedOnDevice(sparse: boolean, yTrue: Tensor, yPred: Tensor, logits: Tensor, rows: number, k: number): Tensor | null {
  if (sparse ? yTrue.size !== rows : yTrue.rank !== 2 || yTrue.size !== rows * k) return null;
  const target = sparse
    ? cast(equal(reshape(cast(yTrue, 'float32'), [rows, 1]), range(0, k)), yPred.dtype)
    : yTrue.dtype === yPred.dtype ? yTrue : cast(yTrue, yPred.dtype);
  const safe = noGrad(() => {
    let ok = all(logicalOr(logicalNot(notEqual(target, 0)), greaterEqual(yPred, SMALLEST_PROBABILITY)));
    if (sparse) ok = logicalAnd(ok, all(equal(sum(target, 1), 1)));
    return broadcastTo(reshape(ok, [1]), [rows]);
  });
  const fused = losses.softmaxCrossEntropy(target, logits, { reduction: 'none' });
  const probability = categoricalCrossentropy(target, yPred, { reduction: 'none' });
  return where(safe, fused, probability);
}
