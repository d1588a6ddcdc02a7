/**
 * WGSL for the element-wise ops, generated from one table: each op is a WGSL expression in `x`
 * (unary) or `a`, `b` (binary), for 32-bit floats and, where integer arithmetic differs, for
 * int32. A kernel is the expression inside one of two frames: all operands of the output's shape
 * (the element count in a uniform, so one pipeline serves every size), or broadcasting (strides
 * baked into the source, one pipeline per shape).
 */
import type { BinaryOp, DType, UnaryOp } from '../types.js';
import { broadcastStrides, sizeFromShape } from '../shape_util.js';

export type Compute = 'f32' | 'i32';

/** Storage type of a dtype on the GPU: bool is one u32 per element (WGSL has no 8-bit storage). */
export function storageType(dtype: DType): 'f32' | 'i32' | 'u32' | null {
  switch (dtype) {
    case 'float32': return 'f32';
    case 'int32': return 'i32';
    case 'bool': return 'u32';
    default: return null;
  }
}

/** Helpers the expressions call; NaN is tested on bits, which no compiler folds away. */
export const MATH_HELPERS = /* wgsl */ `
fn isnan_(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }
// a NaN made at run time (a constant NaN is a shader-creation error in WGSL)
// JavaScript's truthiness of a number, which the reference's logical ops use: NaN is false
fn truthy_(x: f32) -> bool { return x != 0.0 && !isnan_(x); }
fn nan_() -> f32 { var bits = 0x7fc00000u; return bitcast<f32>(bits); }
// WGSL leaves functions undefined outside their domain; the reference gives NaN there
fn dom_(v: f32, inside: bool) -> f32 { return select(nan_(), v, inside); }
fn expm1_(x: f32) -> f32 { if (abs(x) < 1e-3) { return x + x * x * 0.5 + x * x * x / 6.0; } return exp(x) - 1.0; }
fn log1p_(x: f32) -> f32 { if (abs(x) < 1e-3) { return x - x * x * 0.5 + x * x * x / 3.0; } return log(1.0 + x); }
fn erf_(x: f32) -> f32 {
  // Abramowitz and Stegun 7.1.26: absolute error below 1.5e-7, below float32's resolution near 1
  let t = 1.0 / (1.0 + 0.3275911 * abs(x));
  let y = 1.0 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * exp(-x * x);
  return select(y, -y, x < 0.0);
}
fn pow_(a: f32, b: f32) -> f32 {
  // WGSL's pow is undefined for a <= 0: integer exponents of negative bases keep their sign
  if (b == 0.0) { return 1.0; }
  if (isnan_(a) || isnan_(b)) { return a + b; }
  if (a < 0.0 && b == floor(b)) { let m = pow(-a, b); return select(m, -m, abs(b) % 2.0 == 1.0); }
  if (a == 0.0) { return select(0.0, 1.0 / a, b < 0.0); }
  if (a < 0.0) { return (a - a) / (a - a); }
  return pow(a, b);
}
fn sigmoid_(x: f32) -> f32 { if (x >= 0.0) { return 1.0 / (1.0 + exp(-x)); } let e = exp(x); return e / (1.0 + e); }
fn imod_(a: i32, b: i32) -> i32 { if (b == 0) { return 0; } let r = a % b; return select(r, r + b, r != 0 && ((r < 0) != (b < 0))); }
fn ifloordiv_(a: i32, b: i32) -> i32 { if (b == 0) { return 0; } let q = a / b; return select(q, q - 1, (a % b != 0) && ((a < 0) != (b < 0))); }
`;

const SELU_ALPHA = '1.6732632423543772';
const SELU_SCALE = '1.0507009873554805';
const TRUE = (c: string): string => `select(0.0, 1.0, ${c})`;
const ITRUE = (c: string): string => `select(0, 1, ${c})`;

/** op -> [float expression, int32 expression where integer arithmetic is exact] */
const UNARY: Record<UnaryOp, [string, string?]> = {
  neg: ['-x', '-x'], abs: ['abs(x)', 'abs(x)'], sign: ['select(sign(x), x, isnan_(x))', 'sign(x)'],
  sqrt: ['dom_(sqrt(x), x >= 0.0)'], rsqrt: ['dom_(inverseSqrt(x), x >= 0.0)'], square: ['x * x', 'x * x'], reciprocal: ['1.0 / x'],
  exp: ['exp(x)'], expm1: ['expm1_(x)'], log: ['dom_(log(x), x >= 0.0)'], log1p: ['dom_(log1p_(x), x >= -1.0)'],
  sin: ['sin(x)'], cos: ['cos(x)'], tan: ['tan(x)'], asin: ['dom_(asin(x), abs(x) <= 1.0)'], acos: ['dom_(acos(x), abs(x) <= 1.0)'], atan: ['atan(x)'],
  sinh: ['sinh(x)'], cosh: ['cosh(x)'], tanh: ['tanh(clamp(x, -20.0, 20.0))'],
  asinh: ['asinh(x)'], acosh: ['dom_(acosh(x), x >= 1.0)'], atanh: ['dom_(atanh(x), abs(x) <= 1.0)'],
  sigmoid: ['sigmoid_(x)'],
  // comparisons keep NaN where the reference does (select's false branch)
  relu: ['select(x, 0.0, x <= 0.0)', 'max(x, 0)'],
  relu6: ['select(select(x, 6.0, x > 6.0), 0.0, x <= 0.0)', 'clamp(x, 0, 6)'],
  elu: ['select(expm1_(x), x, x > 0.0)'],
  selu: [`select(${SELU_SCALE} * ${SELU_ALPHA} * expm1_(x), ${SELU_SCALE} * x, x > 0.0)`],
  softplus: ['max(x, 0.0) + log1p_(exp(-abs(x)))'], softsign: ['x / (1.0 + abs(x))'], erf: ['erf_(x)'],
  floor: ['floor(x)', 'x'], ceil: ['ceil(x)', 'x'], round: ['round(x)', 'x'], // WGSL rounds half to even
  step: [TRUE('x > 0.0'), ITRUE('x > 0')],
  logicalNot: [TRUE('!truthy_(x)'), ITRUE('x == 0')],
  isNaN: [TRUE('isnan_(x)')],
  isFinite: [TRUE('(bitcast<u32>(x) & 0x7fffffffu) < 0x7f800000u')],
  isInf: [TRUE('(bitcast<u32>(x) & 0x7fffffffu) == 0x7f800000u')],
};

const BINARY: Record<BinaryOp, [string | null, string?]> = {
  add: ['a + b', 'a + b'], sub: ['a - b', 'a - b'], mul: ['a * b', 'a * b'], div: ['a / b'],
  pow: ['pow_(a, b)'],
  minimum: ['select(b, a, a < b || isnan_(a))', 'min(a, b)'],
  maximum: ['select(b, a, a > b || isnan_(a))', 'max(a, b)'],
  squaredDifference: ['(a - b) * (a - b)', '(a - b) * (a - b)'],
  mod: ['a - b * floor(a / b)', 'imod_(a, b)'], floorDiv: ['floor(a / b)', 'ifloordiv_(a, b)'],
  atan2: ['select(atan2(a, b), a + b, isnan_(a) || isnan_(b))'],
  equal: [TRUE('a == b'), ITRUE('a == b')], notEqual: [TRUE('a != b'), ITRUE('a != b')],
  less: [TRUE('a < b'), ITRUE('a < b')], lessEqual: [TRUE('a <= b'), ITRUE('a <= b')],
  greater: [TRUE('a > b'), ITRUE('a > b')], greaterEqual: [TRUE('a >= b'), ITRUE('a >= b')],
  logicalAnd: [TRUE('truthy_(a) && truthy_(b)'), ITRUE('a != 0 && b != 0')],
  logicalOr: [TRUE('truthy_(a) || truthy_(b)'), ITRUE('a != 0 || b != 0')],
  logicalXor: [TRUE('truthy_(a) != truthy_(b)'), ITRUE('(a != 0) != (b != 0)')],
  bitwiseAnd: [null, 'a & b'],
};

/** A value of storage type `from` read as compute type `to`. */
export function load(expr: string, from: DType, to: Compute): string {
  const st = storageType(from);
  return st === to ? expr : `${to}(${expr})`;
}

/** A compute-typed value converted for storage as `dtype` (bool: nonzero is 1). */
export function store(expr: string, from: Compute, dtype: DType): string {
  const st = storageType(dtype)!;
  if (st === 'u32') return `select(0u, 1u, ${expr} != ${from === 'f32' ? '0.0' : '0'})`;
  return st === from ? expr : `${st}(${expr})`;
}

export const WORKGROUP = 64;

/** Workgroups for `threads` threads of WORKGROUP each, spread over x and y (x is capped at 65535). */
export function grid(threads: number): [number, number, number] {
  const groups = Math.max(1, Math.ceil(threads / WORKGROUP));
  const x = Math.min(groups, 65535);
  return [x, Math.ceil(groups / x), 1];
}

/** The frame of a one-thread-per-element kernel: `i` is the element, `n` the count. */
export function elementFrame(declarations: string, body: string, n: string): string {
  return `${MATH_HELPERS}
${declarations}
@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * ${WORKGROUP}u;
  if (i >= ${n}) { return; }
${body}
}`;
}

/**
 * WGSL computing the flat offset into an operand of `shape` broadcast to `outShape`, from the
 * output element `i`: identity when the shapes agree, 0 for one element, else per-axis digits.
 */
export function broadcastOffset(shape: readonly number[], outShape: readonly number[]): { expr: string; key: string } {
  if (sizeFromShape(shape) === 1) return { expr: '0u', key: 's' };
  const same = shape.length === outShape.length && shape.every((d, k) => d === outShape[k]);
  if (same) return { expr: 'i', key: 'e' };
  const strides = broadcastStrides(shape, outShape);
  const terms: string[] = [];
  let inner = 1;
  for (let d = outShape.length - 1; d >= 0; d--) {
    if (strides[d] !== 0) terms.push(`((i / ${inner}u) % ${outShape[d]}u) * ${strides[d]}u`);
    inner *= outShape[d];
  }
  return { expr: terms.join(' + ') || '0u', key: `b${shape.join('x')}>${outShape.join('x')}` };
}

export function unaryExpression(op: UnaryOp, compute: Compute): string | null {
  const e = UNARY[op];
  return compute === 'f32' ? e[0] : e[1] ?? null;
}

export function binaryExpression(op: BinaryOp, compute: Compute): string | null {
  const e = BINARY[op];
  return compute === 'f32' ? e[0] : e[1] ?? null;
}
