// Element-wise, reduction and pooling tasks (task ids 10..39), dispatched from index.ts.
// Every kernel here matches the reference kernels in src/backend/js/ (NaN handling, ties,
// rounding order where it is cheap to), so the wasm backend may replace them silently.
//
// Unary maps: args = op x out n per; chunk `c` covers elements [c*per, min(n, (c+1)*per)).
// An op is a compile-time constant inside each specialised loop (mapLoop is inlined with a
// literal op), so the switch in vop/sop folds away and every op gets its own tight loop.
import { binaryChunk } from './binary';
import { reducePartialChunk, reduceCombine } from './reduce';
import { maxPoolRows, avgPoolRows, maxPoolBackImages, avgPoolBackImages } from './pool';

export const TASK_UNARY = 10, TASK_UNARY_BOOL = 11, TASK_BINARY = 12, TASK_BINARY_BOOL = 13;
export const TASK_REDUCE = 20, TASK_REDUCE_COMBINE = 21;
export const TASK_MAX_POOL = 30, TASK_MAX_POOL_BACK = 31, TASK_AVG_POOL = 32, TASK_AVG_POOL_BACK = 33;

// op codes shared with elementwise_ops.ts; below 20 the op has a SIMD form
const NEG = 0, ABS = 1, SQRT = 2, SQUARE = 3, RECIPROCAL = 4, RELU = 5, RELU6 = 6, FLOOR = 7;
const CEIL = 8, ROUND = 9, SOFTSIGN = 10, EXP = 11, SIGMOID = 12;
const LOG = 21, TANH = 23, ELU = 24, SOFTPLUS = 25, STEP = 26, SIGN = 27;
const EXPM1 = 28, LOG1P = 29, SIN = 30, COS = 31, ATAN = 32, SELU = 33, RSQRT = 34;
const IS_NAN = 40, IS_FINITE = 41, IS_INF = 42;

const SELU_ALPHA: f32 = 1.6732632423543772;
const SELU_SCALE: f32 = 1.0507009873554805;

@inline function arg(args: usize, i: i32): i32 {
  return load<i32>(args + ((<usize>i) << 2));
}

@inline function off(i: i32): usize {
  return (<usize>i) << 2;
}

/**
 * e^x on four lanes, within ~2 ulp of the correctly rounded value: x = n*ln2 + r with
 * |r| <= ln2/2 (ln2 split in two so n*LN2_HI is exact), e^r by its Taylor series to r^7
 * (the first term left out is below 2^-27), then scaled by 2^n as two powers of two so that
 * results in the subnormal range are rounded once, like the reference. x is clamped to
 * [-104, 89] first: outside, the result is 0 or Infinity anyway; NaN passes through.
 */
@inline export function vexp(x: v128): v128 {
  x = f32x4.min(f32x4.max(x, f32x4.splat(-104)), f32x4.splat(89));
  const n = f32x4.nearest(f32x4.mul(x, f32x4.splat(1.4426950408889634)));
  let r = f32x4.sub(x, f32x4.mul(n, f32x4.splat(0.693359375)));
  r = f32x4.sub(r, f32x4.mul(n, f32x4.splat(-2.1219444005469057e-4)));
  let p = f32x4.splat(<f32>(1.0 / 5040));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(<f32>(1.0 / 720)));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(<f32>(1.0 / 120)));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(<f32>(1.0 / 24)));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(<f32>(1.0 / 6)));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(0.5));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1));
  const ni = i32x4.trunc_sat_f32x4_s(n);
  const half = i32x4.shr_s(ni, 1);
  const bias = i32x4.splat(127);
  const s1 = i32x4.shl(i32x4.add(half, bias), 23);
  const s2 = i32x4.shl(i32x4.add(i32x4.sub(ni, half), bias), 23);
  return f32x4.mul(f32x4.mul(p, s1), s2);
}

/** The SIMD form of an op (only for op < 20); same results as the scalar form, lane by lane. */
@inline function vop(op: i32, v: v128): v128 {
  const zero = f32x4.splat(0);
  // lanes that are > 0 or NaN keep v (relu(NaN) = NaN, relu(-0) = +0 as in the reference)
  const keep = v128.or(f32x4.gt(v, zero), f32x4.ne(v, v));
  switch (op) {
    case NEG: return f32x4.neg(v);
    case ABS: return f32x4.abs(v);
    case SQRT: return f32x4.sqrt(v);
    case SQUARE: return f32x4.mul(v, v);
    case RECIPROCAL: return f32x4.div(f32x4.splat(1), v);
    case RELU: return v128.bitselect(v, zero, keep);
    case RELU6: {
      const six = f32x4.splat(6);
      return v128.bitselect(six, v128.bitselect(v, zero, keep), f32x4.gt(v, six));
    }
    case FLOOR: return f32x4.floor(v);
    case CEIL: return f32x4.ceil(v);
    // round-half-to-even, the reference's banker's rounding
    case ROUND: return f32x4.nearest(v);
    case SOFTSIGN: return f32x4.div(v, f32x4.add(f32x4.splat(1), f32x4.abs(v)));
    case EXP: return vexp(v);
    // e = exp(-|v|) never overflows: 1/(1+e) for v >= 0, e/(1+e) below, as in the reference
    case SIGMOID: {
      const e = vexp(f32x4.neg(f32x4.abs(v)));
      const d = f32x4.add(f32x4.splat(1), e);
      return v128.bitselect(f32x4.div(f32x4.splat(1), d), f32x4.div(e, d), f32x4.ge(v, zero));
    }
  }
  return v;
}

/** The scalar form of every op. f32 add/mul/div/sqrt round exactly like the reference's f64-then-f32. */
@inline function sop(op: i32, v: f32): f32 {
  switch (op) {
    case NEG: return -v;
    case ABS: return abs<f32>(v);
    case SQRT: return sqrt<f32>(v);
    case SQUARE: return v * v;
    case RECIPROCAL: return <f32>1 / v;
    case RELU: return v > 0 || v != v ? v : 0;
    case RELU6: return v > 6 ? 6 : v > 0 || v != v ? v : 0;
    case FLOOR: return floor<f32>(v);
    case CEIL: return ceil<f32>(v);
    case ROUND: return nearest<f32>(v);
    case SOFTSIGN: return v / (<f32>1 + abs<f32>(v));
    case EXP: return Mathf.exp(v);
    case LOG: return Mathf.log(v);
    // two branches keep exp() from overflowing, as in the reference
    case SIGMOID: {
      if (v >= 0) return <f32>1 / (<f32>1 + Mathf.exp(-v));
      const e = Mathf.exp(v);
      return e / (<f32>1 + e);
    }
    case TANH: return Mathf.tanh(v);
    case ELU: return v > 0 ? v : Mathf.expm1(v);
    case SOFTPLUS: return max<f32>(v, 0) + Mathf.log1p(Mathf.exp(-abs<f32>(v)));
    case STEP: return v > 0 ? 1 : v <= 0 ? 0 : v;
    case SIGN: return v > 0 ? 1 : v < 0 ? -1 : v == 0 ? 0 : v;
    case EXPM1: return Mathf.expm1(v);
    case LOG1P: return Mathf.log1p(v);
    case SIN: return Mathf.sin(v);
    case COS: return Mathf.cos(v);
    case ATAN: return Mathf.atan(v);
    case SELU: return v > 0 ? SELU_SCALE * v : SELU_SCALE * SELU_ALPHA * Mathf.expm1(v);
    // in f64 like the reference: one rounding instead of two
    case RSQRT: return <f32>(1.0 / Math.sqrt(<f64>v));
  }
  return v;
}

@inline function mapLoop(op: i32, x: usize, out: usize, i0: i32, i1: i32): void {
  let i = i0;
  if (op < 20) {
    for (; i + 8 <= i1; i += 8) {
      v128.store(out + off(i), vop(op, v128.load(x + off(i))));
      v128.store(out + off(i + 4), vop(op, v128.load(x + off(i + 4))));
    }
    for (; i + 4 <= i1; i += 4) v128.store(out + off(i), vop(op, v128.load(x + off(i))));
  }
  for (; i < i1; i++) store<f32>(out + off(i), sop(op, load<f32>(x + off(i))));
}

function unaryChunk(args: usize, chunk: i32): void {
  const op = arg(args, 0), x = <usize>arg(args, 1), out = <usize>arg(args, 2);
  const n = arg(args, 3), per = arg(args, 4);
  const i0 = chunk * per, i1 = min(n, i0 + per);
  switch (op) {
    case NEG: mapLoop(NEG, x, out, i0, i1); break;
    case ABS: mapLoop(ABS, x, out, i0, i1); break;
    case SQRT: mapLoop(SQRT, x, out, i0, i1); break;
    case SQUARE: mapLoop(SQUARE, x, out, i0, i1); break;
    case RECIPROCAL: mapLoop(RECIPROCAL, x, out, i0, i1); break;
    case RELU: mapLoop(RELU, x, out, i0, i1); break;
    case RELU6: mapLoop(RELU6, x, out, i0, i1); break;
    case FLOOR: mapLoop(FLOOR, x, out, i0, i1); break;
    case CEIL: mapLoop(CEIL, x, out, i0, i1); break;
    case ROUND: mapLoop(ROUND, x, out, i0, i1); break;
    case SOFTSIGN: mapLoop(SOFTSIGN, x, out, i0, i1); break;
    case EXP: mapLoop(EXP, x, out, i0, i1); break;
    case LOG: mapLoop(LOG, x, out, i0, i1); break;
    case SIGMOID: mapLoop(SIGMOID, x, out, i0, i1); break;
    case TANH: mapLoop(TANH, x, out, i0, i1); break;
    case ELU: mapLoop(ELU, x, out, i0, i1); break;
    case SOFTPLUS: mapLoop(SOFTPLUS, x, out, i0, i1); break;
    case STEP: mapLoop(STEP, x, out, i0, i1); break;
    case SIGN: mapLoop(SIGN, x, out, i0, i1); break;
    case EXPM1: mapLoop(EXPM1, x, out, i0, i1); break;
    case LOG1P: mapLoop(LOG1P, x, out, i0, i1); break;
    case SIN: mapLoop(SIN, x, out, i0, i1); break;
    case COS: mapLoop(COS, x, out, i0, i1); break;
    case ATAN: mapLoop(ATAN, x, out, i0, i1); break;
    case SELU: mapLoop(SELU, x, out, i0, i1); break;
    case RSQRT: mapLoop(RSQRT, x, out, i0, i1); break;
  }
}

/** float32 -> bool (one byte per element) predicates. */
function unaryBoolChunk(args: usize, chunk: i32): void {
  const op = arg(args, 0), x = <usize>arg(args, 1), out = <usize>arg(args, 2);
  const n = arg(args, 3), per = arg(args, 4);
  const i0 = chunk * per, i1 = min(n, i0 + per);
  for (let i = i0; i < i1; i++) {
    const v = load<f32>(x + off(i));
    let r = false;
    if (op == IS_NAN) r = v != v;
    else if (op == IS_FINITE) r = v - v == 0;
    else if (op == IS_INF) r = abs<f32>(v) == Infinity;
    store<u8>(out + <usize>i, <u8>r);
  }
}

export function elementwiseTask(task: i32, args: usize, chunk: i32, tid: i32): void {
  switch (task) {
    case TASK_UNARY: unaryChunk(args, chunk); break;
    case TASK_UNARY_BOOL: unaryBoolChunk(args, chunk); break;
    case TASK_BINARY: binaryChunk(args, chunk, false); break;
    case TASK_BINARY_BOOL: binaryChunk(args, chunk, true); break;
    case TASK_REDUCE: reducePartialChunk(args, chunk); break;
    case TASK_REDUCE_COMBINE: reduceCombine(args); break;
    case TASK_MAX_POOL: maxPoolRows(args, chunk); break;
    case TASK_AVG_POOL: avgPoolRows(args, chunk); break;
    case TASK_MAX_POOL_BACK: maxPoolBackImages(args, chunk); break;
    case TASK_AVG_POOL_BACK: avgPoolBackImages(args, chunk); break;
  }
}
