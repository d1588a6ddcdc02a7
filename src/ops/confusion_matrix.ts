/** `st.math.confusionMatrix`, as TensorFlow.js' `tf.math` namespace. */
import { Tensor } from '../tensor/tensor.js';
import { convert } from './op.js';
import { tensor } from '../tensor/creation.js';
import { add, cast, greaterEqual, less, logicalAnd, mul, where } from './arithmetic.js';
import { bincount } from './scan.js';
import { reshape } from './transform.js';

/**
 * Counts of (label, prediction) pairs: entry [i, j] is how many examples of class i were
 * predicted as class j. labels and predictions are vectors of class indices (cast to int32);
 * pairs with a class outside [0, numClasses) are not counted. int32 [numClasses, numClasses].
 *
 * @example
 * ```ts
 * st.math.confusionMatrix(st.tensor1d([0, 1, 1], 'int32'), st.tensor1d([0, 1, 0], 'int32'), 2).print();
 * ```
 */
export function confusionMatrix(labels: Tensor | number[], predictions: Tensor | number[], numClasses: number): Tensor {
  const op = 'confusionMatrix';
  const l = convert(labels, op, 'labels', 'int32');
  const p = convert(predictions, op, 'predictions', 'int32');
  if (!Number.isInteger(numClasses) || numClasses <= 0) {
    throw new Error(`${op}: expected 'numClasses' to be a positive integer, got ${JSON.stringify(numClasses)}`);
  }
  if (l.rank !== 1) throw new Error(`${op}: expected 'labels' of rank 1, got shape [${l.shape}]`);
  if (p.rank !== 1) throw new Error(`${op}: expected 'predictions' of rank 1, got shape [${p.shape}]`);
  if (l.shape[0] !== p.shape[0]) {
    throw new Error(`${op}: 'labels' and 'predictions' must have as many examples, got ${l.shape[0]} and ${p.shape[0]}`);
  }
  const li = l.dtype === 'int32' ? l : cast(l, 'int32');
  const pi = p.dtype === 'int32' ? p : cast(p, 'int32');
  const inRange = (t: Tensor) => logicalAnd(greaterEqual(t, 0), less(t, numClasses));
  // each pair becomes one cell index; pairs out of range go past the last bin, where bincount skips them
  const cell = where(logicalAnd(inRange(li), inRange(pi)), add(mul(li, numClasses), pi), numClasses * numClasses);
  return reshape(bincount(cell, tensor([], [0], 'int32'), numClasses * numClasses), [numClasses, numClasses]);
}
