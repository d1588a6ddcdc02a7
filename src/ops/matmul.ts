/** Matrix products: matMul (batched, broadcasting), dot, outerProduct. */
import { broadcastShapes } from '../backend/shape_util.js';
import { Tensor } from '../tensor/tensor.js';
import { chainable, convert, isFloat, runOp, upcast, wrap, type TensorInput } from './op.js';
import { cast, unbroadcast } from './arithmetic.js';
import { reshape } from './transform.js';

/**
 * a [..., m, k] x b [..., k, n] -> [..., m, n]; the leading (batch) axes broadcast.
 * transposeA/transposeB use the last two axes of a/b transposed.
 *
 * @example
 * ```ts
 * const a = st.tensor2d([[1, 2], [3, 4]]);
 * const b = st.tensor2d([[5, 6], [7, 8]]);
 * st.matMul(a, b).print();
 * st.matMul(a, b, false, true).print(); // a · bᵀ
 * ```
 */
export function matMul(a: TensorInput, b: TensorInput, transposeA = false, transposeB = false): Tensor {
  const op = 'matMul';
  let ta = convert(a, op, 'a');
  let tb = convert(b, op, 'b', ta.dtype);
  if (ta.rank < 2 || tb.rank < 2) {
    throw new Error(`${op}: both operands need rank >= 2 (use dot for vectors), got a [${ta.shape}] and b [${tb.shape}]`);
  }
  const dtype = upcast(ta.dtype, tb.dtype);
  if (ta.dtype !== dtype) ta = cast(ta, dtype);
  if (tb.dtype !== dtype) tb = cast(tb, dtype);
  const [ra, rb] = [ta.rank, tb.rank];
  const m = transposeA ? ta.shape[ra - 1] : ta.shape[ra - 2];
  const ka = transposeA ? ta.shape[ra - 2] : ta.shape[ra - 1];
  const kb = transposeB ? tb.shape[rb - 1] : tb.shape[rb - 2];
  const n = transposeB ? tb.shape[rb - 2] : tb.shape[rb - 1];
  if (ka !== kb) {
    throw new Error(`${op}: inner dimensions must agree: a is [${ta.shape}]${transposeA ? ' (transposed)' : ''}, ` +
      `b is [${tb.shape}]${transposeB ? ' (transposed)' : ''}`);
  }
  const batch = broadcastShapes(ta.shape.slice(0, ra - 2), tb.shape.slice(0, rb - 2));
  if (batch === null) {
    throw new Error(`${op}: batch dimensions [${ta.shape.slice(0, ra - 2)}] and [${tb.shape.slice(0, rb - 2)}] cannot be broadcast together`);
  }
  const outShape = [...batch, m, n];
  return runOp(op, [ta, tb], (be, [x, y]) => wrap(be, be.matMul(x, y, transposeA, transposeB, batch), outShape, dtype),
    isFloat(dtype)
      ? (dy, [x, y], _out, needed) => {
        const [ga, gb] = matMulGrads(dy, x, y, transposeA, transposeB, needed);
        return [ga && unbroadcast(ga, x.shape), gb && unbroadcast(gb, y.shape)];
      }
      : undefined);
}

/**
 * Gradients of a (transposeA?) x b (transposeB?) w.r.t. a and b, each in its stored layout;
 * null for one that `needed` says nobody uses.
 */
export function matMulGrads(dy: Tensor, a: Tensor, b: Tensor, transposeA: boolean, transposeB: boolean,
  needed: readonly boolean[] = [true, true]): [Tensor | null, Tensor | null] {
  const ga = (): Tensor => (transposeA ? matMul(b, dy, transposeB, true) : matMul(dy, b, false, !transposeB));
  const gb = (): Tensor => (transposeB ? matMul(dy, a, true, transposeA) : matMul(a, dy, !transposeA, false));
  return [needed[0] ? ga() : null, needed[1] ? gb() : null];
}

/**
 * Dot product of vectors, matrix-vector, vector-matrix or matrix-matrix (rank 1 or 2).
 *
 * @example
 * ```ts
 * st.dot(st.tensor1d([1, 2, 3]), st.tensor1d([4, 5, 6])).print(); // 32
 * ```
 */
export function dot(a: TensorInput, b: TensorInput): Tensor {
  const op = 'dot';
  const ta = convert(a, op, 'a');
  const tb = convert(b, op, 'b', ta.dtype);
  if (ta.rank < 1 || ta.rank > 2 || tb.rank < 1 || tb.rank > 2) {
    throw new Error(`${op}: expected rank 1 or 2 operands, got a [${ta.shape}] and b [${tb.shape}]`);
  }
  const ka = ta.shape[ta.rank - 1];
  const kb = tb.shape[0];
  if (ka !== kb) throw new Error(`${op}: inner dimensions must agree: a is [${ta.shape}], b is [${tb.shape}]`);
  const a2 = ta.rank === 1 ? reshape(ta, [1, ka]) : ta;
  const b2 = tb.rank === 1 ? reshape(tb, [kb, 1]) : tb;
  const outShape = [...(ta.rank === 2 ? [ta.shape[0]] : []), ...(tb.rank === 2 ? [tb.shape[1]] : [])];
  return reshape(matMul(a2, b2), outShape);
}

/**
 * v1 [m] x v2 [n] -> [m, n]
 *
 * @example
 * ```ts
 * st.outerProduct(st.tensor1d([1, 2]), st.tensor1d([3, 4, 5])).print();
 * ```
 */
export function outerProduct(v1: TensorInput, v2: TensorInput): Tensor {
  const op = 'outerProduct';
  const a = convert(v1, op, 'v1');
  const b = convert(v2, op, 'v2', a.dtype);
  if (a.rank !== 1 || b.rank !== 1) throw new Error(`${op}: expected two rank-1 tensors, got [${a.shape}] and [${b.shape}]`);
  return matMul(reshape(a, [-1, 1]), reshape(b, [1, -1]));
}

declare module '../tensor/tensor.js' {
  interface Tensor {
    matMul(b: TensorInput, transposeA?: boolean, transposeB?: boolean): Tensor;
    dot(b: TensorInput): Tensor;
  }
}

chainable({ matMul, dot });
