/**
 * Complex tensors (TensorFlow.js' complex64): `complex(real, imag)`, `real`, `imag`, and the
 * complex cases of add, sub, mul, abs, cast, transpose and concat, which the general ops hand over
 * to this file. complex128 is striate's own (float64 parts), so that gradient checks by finite
 * differences can run through complex ops, as float64 does for real ones.
 *
 * Storage is the parts interleaved, so a complex tensor of shape S is, to the backend, a float
 * tensor of shape [...S, 2]: slicing, padding and joining those pairs give real, imag and complex,
 * and the movement kernels serve complex tensors unchanged.
 *
 * Gradients follow TensorFlow's convention for complex numbers (TensorFlow.js registers none for
 * these kernels): the gradient of a real loss L with respect to z = x + iy is dL/dx + i dL/dy.
 */
import type { Backend, DType, TensorInfo } from '../backend/types.js';
import { broadcastShapes, complexDtypeOf, complexPartDtype, isComplexDtype } from '../backend/shape_util.js';
import { Tensor } from '../tensor/tensor.js';
import { zeros } from '../tensor/creation.js';
import { convert, isFloat, runOp, wrap, type TensorInput } from './op.js';
import { cast, div, mul, neg, notEqual } from './arithmetic.js';
import { sum } from './reduce.js';
import { reshape } from './transform.js';

/** The backend's view of a complex tensor as float pairs: shape [...shape, 2] in its parts' dtype. */
function pairs(x: TensorInfo): TensorInfo {
  return { dataId: x.dataId, shape: [...x.shape, 2], dtype: complexPartDtype(x.dtype) };
}

export function isComplex(x: unknown): boolean {
  return x instanceof Tensor && isComplexDtype(x.dtype);
}

/** A real tensor for a part: float32 stays, int32 and bool become float32, float64 stays. */
function partOperand(x: TensorInput, op: string, arg: string): Tensor {
  const t = convert(x, op, arg);
  if (isComplexDtype(t.dtype)) throw new Error(`${op}: expected '${arg}' to be a real tensor, got ${t.dtype}`);
  return isFloat(t.dtype) ? t : cast(t, 'float32');
}

/**
 * The complex tensor real + i imag (shapes must match). float64 parts give complex128, others
 * complex64; mixed float32 and float64 parts are computed in float64.
 *
 * @example
 * ```ts
 * const c = st.complex([1, 2], [3, 4]); // 1+3i, 2+4i
 * console.log(c.dtype); // complex64
 * st.real(c).print(); // [1, 2]
 * ```
 */
export function complex(realPart: TensorInput, imagPart: TensorInput): Tensor {
  const op = 'complex';
  let re = partOperand(realPart, op, 'real');
  let im = partOperand(imagPart, op, 'imag');
  if (re.rank !== im.rank || re.shape.some((d, i) => d !== im.shape[i])) {
    throw new Error(`${op}: real and imag must have the same shape, got [${re.shape}] and [${im.shape}]`);
  }
  if (re.dtype !== im.dtype) {
    re = cast(re, 'float64');
    im = cast(im, 'float64');
  }
  const dtype = complexDtypeOf(re.dtype);
  return runOp(op, [re, im], (be, [r, i]) => {
    const shape = [...r.shape, 1];
    const joined = be.concat([{ ...r, shape }, { ...i, shape }], r.rank);
    return wrap(be, joined, r.shape, dtype);
  }, (dz) => [real(dz), imag(dz)]);
}

function part(op: 'real' | 'imag', x: TensorInput): Tensor {
  const t = convert(x, op, 'input');
  if (!isComplexDtype(t.dtype)) {
    // as TensorFlow (Python): a real tensor is its own real part, with imaginary part zero
    const asFloat = isFloat(t.dtype) ? t : cast(t, 'float32');
    return op === 'real' ? asFloat : zeros(t.shape, asFloat.dtype);
  }
  const partDtype = complexPartDtype(t.dtype);
  return runOp(op, [t], (be, [v]) => {
    const begin = [...v.shape.map(() => 0), op === 'real' ? 0 : 1];
    const size = [...v.shape, 1];
    return wrap(be, be.stridedSlice(pairs(v), begin, size, size.map(() => 1)), v.shape, partDtype);
  }, (dy) => {
    const zero = zeros(dy.shape, dy.dtype);
    return [op === 'real' ? complex(dy, zero) : complex(zero, dy)];
  });
}

/**
 * The real parts of a complex tensor (float32 for complex64).
 *
 * @example
 * ```ts
 * st.real(st.complex([1, -2], [5, 6])).print(); // [1, -2]
 * ```
 */
export function real(input: TensorInput): Tensor {
  return part('real', input);
}

/**
 * The imaginary parts of a complex tensor (float32 for complex64).
 *
 * @example
 * ```ts
 * st.imag(st.complex([1, -2], [5, 6])).print(); // [5, 6]
 * ```
 */
export function imag(input: TensorInput): Tensor {
  return part('imag', input);
}

/** The complex conjugate (a real tensor is returned as it is); used by the gradients. */
export function conj(x: TensorInput): Tensor {
  const t = convert(x, 'conj', 'x');
  if (!isComplexDtype(t.dtype)) return t;
  return complex(real(t), neg(imag(t)));
}

/** |z| of each element: a float tensor (TensorFlow.js' ComplexAbs). */
export function complexAbs(x: Tensor): Tensor {
  const op = 'complexAbs';
  const partDtype = complexPartDtype(x.dtype);
  return runOp(op, [x], (be, [v]) => wrap(be, be.complexAbs(v), v.shape, partDtype), (dy, [v], y) => {
    // d|z| = z / |z| (zero where z is zero, the subgradient TensorFlow takes)
    const scale = div(dy, y);
    const safe = mul(scale, cast(notEqual(y, 0), dy.dtype));
    return [complex(mul(real(v), safe), mul(imag(v), safe))];
  });
}

/** Sums a complex gradient back down to `shape` (the complex case of unbroadcast). */
function unbroadcastComplex(g: Tensor, shape: readonly number[]): Tensor {
  if (g.rank === shape.length && g.shape.every((d, i) => d === shape[i])) return g;
  const lead = g.rank - shape.length;
  const axes: number[] = [];
  for (let i = 0; i < g.rank; i++) if (i < lead || shape[i - lead] === 1) axes.push(i);
  const down = (t: Tensor) => reshape(sum(t, axes), shape);
  return complex(down(real(g)), down(imag(g)));
}

/** Both operands of a binary op in one complex dtype. */
function complexOperands(op: string, a: TensorInput, b: TensorInput): [Tensor, Tensor, number[], DType] {
  const ta = convert(a, op, 'a');
  const tb = convert(b, op, 'b', isFloat(ta.dtype) ? ta.dtype : undefined);
  const wide = [ta.dtype, tb.dtype].some((d) => d === 'float64' || d === 'complex128');
  const dtype: DType = wide ? 'complex128' : 'complex64';
  const shape = broadcastShapes(ta.shape, tb.shape);
  if (shape === null) throw new Error(`${op}: shapes [${ta.shape}] and [${tb.shape}] cannot be broadcast together`);
  const lift = (t: Tensor) => (t.dtype === dtype ? t : cast(t, dtype));
  return [lift(ta), lift(tb), shape, dtype];
}

/**
 * add, sub and mul with a complex operand (the other may be real: it is taken as x + 0i, as
 * TensorFlow.js does). Other binary ops have no complex meaning here and say so.
 */
export function complexBinary(name: string, a: TensorInput, b: TensorInput): Tensor {
  if (name !== 'add' && name !== 'sub' && name !== 'mul') {
    const dtype = isComplex(a) ? (a as Tensor).dtype : (b as Tensor).dtype;
    throw new Error(`${name} does not support ${dtype} tensors`);
  }
  const [ta, tb, shape, dtype] = complexOperands(name, a, b);
  const forward = (be: Backend, x: Tensor, y: Tensor) => {
    if (name === 'mul') return be.complexMul(x, y, shape);
    // add and sub act on the parts alike: the float kernel over the pairs
    return be.binary(name, pairs(x), pairs(y), [...shape, 2], complexPartDtype(dtype));
  };
  return runOp(`complex.${name}`, [ta, tb], (be, [x, y]) => wrap(be, forward(be, x, y), shape, dtype),
    (dz, [x, y]) => {
      const [ga, gb] = name === 'add' ? [dz, dz]
        : name === 'sub' ? [dz, complexBinary('mul', dz, -1)]
          : [complexBinary('mul', dz, conj(y)), complexBinary('mul', dz, conj(x))];
      return [unbroadcastComplex(ga, x.shape), unbroadcastComplex(gb, y.shape)];
    });
}

/**
 * cast with a complex side: to complex, the value becomes the real part (imaginary part 0); from
 * complex to a real dtype, the real part is kept and cast (TensorFlow.js' rules).
 */
export function complexCast(t: Tensor, dtype: DType): Tensor {
  if (isComplexDtype(dtype)) {
    if (isComplexDtype(t.dtype)) {
      return t.dtype === dtype ? t : complex(cast(real(t), complexPartDtype(dtype)), cast(imag(t), complexPartDtype(dtype)));
    }
    const re = cast(t, complexPartDtype(dtype));
    return complex(re, zeros(re.shape, re.dtype));
  }
  return cast(real(t), dtype);
}

/**
 * cast as users call it (st.cast, x.cast, x.toFloat, ...): from complex to a real dtype it keeps
 * the real parts, as TensorFlow.js does. The ops' own casts refuse complex inputs instead.
 *
 * @example
 * ```ts
 * st.cast(st.tensor1d([1.7, -2.2]), 'int32').print(); // [1, -2]
 * st.cast(st.complex([3], [4]), 'float32').print(); // [3] (the real parts)
 * ```
 */
export function castTensor(x: TensorInput, dtype: DType): Tensor {
  const t = convert(x, 'cast', 'x');
  return isComplexDtype(t.dtype) && !isComplexDtype(dtype) ? complexCast(t, dtype) : cast(t, dtype);
}
