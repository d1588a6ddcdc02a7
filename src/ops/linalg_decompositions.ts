/**
 * Matrix decompositions of TensorFlow.js' `tf.linalg`: gramSchmidt and qr. Both are composed
 * of differentiable ops (sums, products, matMul), so gradients flow through them as through
 * TensorFlow.js' own, and the signs of the results are TensorFlow.js' (Householder reflections
 * that make R's diagonal entry the opposite sign of the pivot).
 */
import { Tensor } from '../tensor/tensor.js';
import { eye, range } from '../tensor/sequences.js';
import { checkArgType } from '../tensor/options.js';
import { convert, isFloat, type TensorInput } from './op.js';
import { add, cast, div, equal, greater, greaterEqual, mul, neg, sqrt, square, sub, where } from './arithmetic.js';
import { sum } from './reduce.js';
import { matMul } from './matmul.js';
import { reshape } from './transform.js';
import { slice, stack, unstack } from './slicing.js';

/**
 * Orthonormalises vectors in order (modified Gram-Schmidt): each is made orthogonal to the ones
 * before and scaled to length 1. Takes a list of 1-D tensors (returns a list) or a 2-D tensor
 * whose rows are the vectors (returns a 2-D tensor).
 *
 * @example
 * ```ts
 * const q = st.linalg.gramSchmidt(st.tensor2d([[1, 1], [1, 0]])) as st.Tensor;
 * q.print(); // orthonormal rows
 * ```
 */
export function gramSchmidt(xs: Tensor[] | Tensor): Tensor[] | Tensor {
  const op = 'gramSchmidt';
  const asMatrix = !Array.isArray(xs);
  let vectors: Tensor[];
  if (asMatrix) {
    const m = convert(xs as Tensor, op, 'xs');
    if (m.rank !== 2) throw new Error(`${op}: expected a 2-D tensor or a list of 1-D tensors, got shape [${m.shape}]`);
    vectors = unstack(m, 0);
  } else {
    if (xs.length === 0) throw new Error(`${op}: expected at least one vector, got an empty list`);
    vectors = xs.map((x, i) => convert(x, op, `xs[${i}]`));
    const bad = vectors.findIndex((v) => v.rank !== 1 || v.shape[0] !== vectors[0].shape[0]);
    if (bad >= 0) {
      throw new Error(`${op}: expected 1-D vectors of one length (${vectors[0].shape}), got shape [${vectors[bad].shape}] at ${bad}`);
    }
  }
  const dim = vectors[0]?.shape[0] ?? 0;
  if (vectors.length > dim) {
    throw new Error(`${op}: ${vectors.length} vectors cannot be orthogonal in ${dim} dimensions`);
  }
  const basis: Tensor[] = [];
  for (const v of vectors) {
    let x = isFloat(v.dtype) ? v : cast(v, 'float32');
    for (const b of basis) x = sub(x, mul(sum(mul(b, x)), b));
    basis.push(div(x, sqrt(sum(square(x)))));
  }
  return asMatrix ? stack(basis, 0) : basis;
}

/** Householder QR of one [m, n] matrix. */
function qr2d(a: Tensor, fullMatrices: boolean): [Tensor, Tensor] {
  const [m, n] = a.shape;
  const rows = reshape(range(0, m, 1, 'int32'), [m, 1]);
  let q = eye(m, m, undefined, a.dtype);
  let r = a;
  for (let j = 0; j < Math.min(m, n); j++) {
    // the reflection I - tau v vᵀ maps column j of r (from row j down) onto a multiple of e_j;
    // v is 0 above row j and 1 at row j, so rows above j of r and columns left of j of q stay
    const column = slice(r, [0, j], [m, 1]);
    const below = greater(rows, j);
    const pivot = slice(r, [j, j], [1, 1]);
    const length = sqrt(sum(square(where(greaterEqual(rows, j), column, 0)), 0, true));
    const sign = where(greater(pivot, 0), -1, 1);
    const u = sub(pivot, mul(sign, length));
    const v = add(where(below, div(column, u), 0), where(equal(rows, j), 1, 0));
    const tau = neg(div(mul(sign, u), length));
    const tv = mul(tau, v);
    r = sub(r, matMul(tv, matMul(v, r, true, false)));
    q = sub(q, matMul(matMul(q, v), tv, false, true));
  }
  if (!fullMatrices && m > n) return [slice(q, [0, 0], [m, n]), slice(r, [0, 0], [n, n])];
  return [q, r];
}

/**
 * QR decomposition by Householder reflections of the innermost two axes of `x` ([..., m, n]):
 * q orthogonal, r upper triangular, q r = x. By default (fullMatrices false) q is [..., m, k]
 * and r [..., k, n] with k = min(m, n); with fullMatrices, q is [..., m, m] and r [..., m, n].
 *
 * @example
 * ```ts
 * const [q, r] = st.linalg.qr(st.tensor2d([[1, 2], [3, 4]]));
 * st.matMul(q, r).print(); // back to the input
 * ```
 */
export function qr(x: TensorInput, fullMatrices = false): [Tensor, Tensor] {
  const op = 'qr';
  let t = convert(x, op, 'x');
  if (t.rank < 2) throw new Error(`${op}: expected 'x' of rank 2 or more [..., m, n], got shape [${t.shape}]`);
  checkArgType(op, 'fullMatrices', fullMatrices, 'boolean');
  if (!isFloat(t.dtype)) t = cast(t, 'float32');
  if (t.rank === 2) return qr2d(t, fullMatrices);
  const [m, n] = t.shape.slice(-2);
  const batch = t.shape.slice(0, -2);
  const parts = unstack(reshape(t, [-1, m, n]), 0).map((a) => qr2d(a, fullMatrices));
  const q = stack(parts.map((p) => p[0]), 0);
  const r = stack(parts.map((p) => p[1]), 0);
  return [reshape(q, [...batch, ...q.shape.slice(-2)]), reshape(r, [...batch, ...r.shape.slice(-2)])];
}
