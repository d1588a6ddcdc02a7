/** Linear-algebra ops of TensorFlow.js' `tf.linalg` namespace: `st.linalg.bandPart`, and `gramSchmidt`/`qr` from linalg_decompositions.ts. */
import { Tensor } from '../tensor/tensor.js';
import { tensor, zeros } from '../tensor/creation.js';
import { noGrad } from '../autograd/tape.js';
import { convert, type TensorInput } from './op.js';
import { where } from './arithmetic.js';

/** A band limit: an integer or an int32 scalar tensor; negative means the whole triangle. */
function bandLimit(op: string, arg: string, value: number | Tensor, most: number, what: string): number {
  let v: number;
  if (value instanceof Tensor) {
    if (value.dtype !== 'int32' || value.rank !== 0) {
      throw new Error(`${op}: expected '${arg}' to be an integer or an int32 scalar, got a ${value.dtype} tensor of shape [${value.shape}]`);
    }
    // a tensor limit beyond the matrix is clamped, as TensorFlow.js does for tensors
    v = Math.min(noGrad(() => value.dataSync()[0]), most);
  } else {
    if (!Number.isInteger(value)) throw new Error(`${op}: expected '${arg}' to be an integer, got ${JSON.stringify(value)}`);
    if (value > most) throw new Error(`${op}: ${arg} (${value}) must not be greater than the number of ${what} (${most})`);
    v = value;
  }
  return v < 0 ? most : v;
}

/**
 * Keeps each innermost matrix's band: entries (i, j) with i - j <= numLower and j - i <= numUpper;
 * zero elsewhere. A negative limit keeps that whole triangle. bandPart(a, 0, -1) is the upper
 * triangle, bandPart(a, -1, 0) the lower, bandPart(a, 0, 0) the diagonal.
 *
 * @example
 * ```ts
 * st.linalg.bandPart(st.ones([3, 3]), 0, -1).print(); // the upper triangle
 * ```
 */
export function bandPart(a: TensorInput, numLower: number | Tensor, numUpper: number | Tensor): Tensor {
  const op = 'bandPart';
  const t = convert(a, op, 'a');
  if (t.rank < 2) throw new Error(`${op}: expected 'a' of rank 2 or more [..., rows, columns], got shape [${t.shape}]`);
  const [m, n] = t.shape.slice(-2);
  const lower = bandLimit(op, 'numLower', numLower, m, 'rows');
  const upper = bandLimit(op, 'numUpper', numUpper, n, 'columns');
  // the band is the same for every matrix: one [m, n] mask broadcast over the batch
  const inBand = new Uint8Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) inBand[i * n + j] = i - j <= lower && j - i <= upper ? 1 : 0;
  }
  return where(tensor(inBand, [m, n], 'bool'), t, zeros([], t.dtype));
}

export { gramSchmidt, qr } from './linalg_decompositions.js';
