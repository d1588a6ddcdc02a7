// Broadcast binary ops on f32. The caller (elementwise_ops.ts) collapses the broadcast into at
// most three output dims [d0, d1, d2]; each operand has an element stride per dim, 0 where it
// is broadcast, and a stride of 0 or 1 in the innermost dim. A chunk is a range of flat output
// elements, walked as row segments of the innermost dim so any chunking is race-free.
//
// args: op a b out d0 d1 d2 as0 as1 as2 bs0 bs1 bs2 n per
//
// Op codes below 10 have a SIMD form; 10..19 are computed per element in f64 (pow, mod, ...:
// one rounding, like the reference); 20.. are comparisons writing one byte per element.

const ADD = 0, SUB = 1, MUL = 2, DIV = 3, MAXIMUM = 4, MINIMUM = 5, SQUARED_DIFFERENCE = 6;
// the relu gradient's mask in one pass: b > 0 ? a : a * 0, exactly mul(a, cast(greater(b, 0)))
const RELU_GRAD = 7;
const POW = 10, MOD = 11, FLOOR_DIV = 12, ATAN2 = 13;
const EQUAL = 20, NOT_EQUAL = 21, LESS = 22, LESS_EQUAL = 23, GREATER = 24, GREATER_EQUAL = 25;

@inline function arg(args: usize, i: i32): i32 {
  return load<i32>(args + ((<usize>i) << 2));
}

@inline function off(i: i32): usize {
  return (<usize>i) << 2;
}

@inline function bvop(op: i32, a: v128, b: v128): v128 {
  switch (op) {
    case ADD: return f32x4.add(a, b);
    case SUB: return f32x4.sub(a, b);
    case MUL: return f32x4.mul(a, b);
    case DIV: return f32x4.div(a, b);
    // reference: a > b || isNaN(a) ? a : b (so a NaN on either side propagates)
    case MAXIMUM: return v128.bitselect(a, b, v128.or(f32x4.gt(a, b), f32x4.ne(a, a)));
    case MINIMUM: return v128.bitselect(a, b, v128.or(f32x4.lt(a, b), f32x4.ne(a, a)));
    case SQUARED_DIFFERENCE: {
      const d = f32x4.sub(a, b);
      return f32x4.mul(d, d);
    }
    case RELU_GRAD: return v128.bitselect(a, f32x4.mul(a, f32x4.splat(0)), f32x4.gt(b, f32x4.splat(0)));
  }
  return a;
}

@inline function bsop(op: i32, a: f32, b: f32): f32 {
  switch (op) {
    case ADD: return a + b;
    case SUB: return a - b;
    case MUL: return a * b;
    case DIV: return a / b;
    case MAXIMUM: return a > b || a != a ? a : b;
    case MINIMUM: return a < b || a != a ? a : b;
    case SQUARED_DIFFERENCE: {
      const d = a - b;
      return d * d;
    }
    case RELU_GRAD: return b > 0 ? a : a * 0;
    case POW: return <f32>Math.pow(<f64>a, <f64>b);
    // floor modulo: the sign follows the divisor
    case MOD: {
      const x = <f64>a, y = <f64>b;
      return <f32>(((x % y) + y) % y);
    }
    case FLOOR_DIV: return <f32>Math.floor(<f64>a / <f64>b);
    case ATAN2: return <f32>Math.atan2(<f64>a, <f64>b);
  }
  return a;
}

/** len outputs from a (stride sa: 0 or 1) and b (stride sb); sa, sb are literals once inlined. */
@inline function segment(op: i32, sa: i32, sb: i32, pa: usize, pb: usize, po: usize, len: i32): void {
  let i = 0;
  if (op < 10) {
    const va0 = v128.load32_splat(pa), vb0 = v128.load32_splat(pb);
    for (; i + 4 <= len; i += 4) {
      const va = sa ? v128.load(pa + off(i)) : va0;
      const vb = sb ? v128.load(pb + off(i)) : vb0;
      v128.store(po + off(i), bvop(op, va, vb));
    }
  }
  for (; i < len; i++) {
    const x = load<f32>(pa + (sa ? off(i) : 0));
    const y = load<f32>(pb + (sb ? off(i) : 0));
    store<f32>(po + off(i), bsop(op, x, y));
  }
}

@inline function variants(op: i32, sa: i32, sb: i32, pa: usize, pb: usize, po: usize, len: i32): void {
  if (sa && sb) segment(op, 1, 1, pa, pb, po, len);
  else if (sa) segment(op, 1, 0, pa, pb, po, len);
  else if (sb) segment(op, 0, 1, pa, pb, po, len);
  else segment(op, 0, 0, pa, pb, po, len);
}

function floatSegment(op: i32, sa: i32, sb: i32, pa: usize, pb: usize, po: usize, len: i32): void {
  switch (op) {
    case ADD: variants(ADD, sa, sb, pa, pb, po, len); break;
    case SUB: variants(SUB, sa, sb, pa, pb, po, len); break;
    case MUL: variants(MUL, sa, sb, pa, pb, po, len); break;
    case DIV: variants(DIV, sa, sb, pa, pb, po, len); break;
    case MAXIMUM: variants(MAXIMUM, sa, sb, pa, pb, po, len); break;
    case MINIMUM: variants(MINIMUM, sa, sb, pa, pb, po, len); break;
    case SQUARED_DIFFERENCE: variants(SQUARED_DIFFERENCE, sa, sb, pa, pb, po, len); break;
    case RELU_GRAD: variants(RELU_GRAD, sa, sb, pa, pb, po, len); break;
    case POW: variants(POW, sa, sb, pa, pb, po, len); break;
    case MOD: variants(MOD, sa, sb, pa, pb, po, len); break;
    case FLOOR_DIV: variants(FLOOR_DIV, sa, sb, pa, pb, po, len); break;
    case ATAN2: variants(ATAN2, sa, sb, pa, pb, po, len); break;
  }
}

@inline function compare(op: i32, a: f32, b: f32): bool {
  switch (op) {
    case EQUAL: return a == b;
    case NOT_EQUAL: return a != b;
    case LESS: return a < b;
    case LESS_EQUAL: return a <= b;
    case GREATER: return a > b;
    case GREATER_EQUAL: return a >= b;
  }
  return false;
}

@inline function compareLoop(op: i32, sa: i32, sb: i32, pa: usize, pb: usize, po: usize, len: i32): void {
  const da: usize = sa ? 4 : 0, db: usize = sb ? 4 : 0;
  for (let i = 0; i < len; i++) {
    store<u8>(po + <usize>i, <u8>compare(op, load<f32>(pa), load<f32>(pb)));
    pa += da;
    pb += db;
  }
}

function boolSegment(op: i32, sa: i32, sb: i32, pa: usize, pb: usize, po: usize, len: i32): void {
  switch (op) {
    case EQUAL: compareLoop(EQUAL, sa, sb, pa, pb, po, len); break;
    case NOT_EQUAL: compareLoop(NOT_EQUAL, sa, sb, pa, pb, po, len); break;
    case LESS: compareLoop(LESS, sa, sb, pa, pb, po, len); break;
    case LESS_EQUAL: compareLoop(LESS_EQUAL, sa, sb, pa, pb, po, len); break;
    case GREATER: compareLoop(GREATER, sa, sb, pa, pb, po, len); break;
    case GREATER_EQUAL: compareLoop(GREATER_EQUAL, sa, sb, pa, pb, po, len); break;
  }
}

export function binaryChunk(args: usize, chunk: i32, toBool: bool): void {
  const op = arg(args, 0), a = <usize>arg(args, 1), b = <usize>arg(args, 2), out = <usize>arg(args, 3);
  const d1 = arg(args, 5), d2 = arg(args, 6);
  const as0 = arg(args, 7), as1 = arg(args, 8), as2 = arg(args, 9);
  const bs0 = arg(args, 10), bs1 = arg(args, 11), bs2 = arg(args, 12);
  const n = arg(args, 13), per = arg(args, 14);
  const e1 = min(n, chunk * per + per);
  for (let e = chunk * per; e < e1;) {
    const row = e / d2;
    const j = e - row * d2;
    const i0 = row / d1, i1 = row - (row / d1) * d1;
    const len = min(d2 - j, e1 - e);
    const pa = a + off(i0 * as0 + i1 * as1 + j * as2);
    const pb = b + off(i0 * bs0 + i1 * bs1 + j * bs2);
    if (toBool) boolSegment(op, as2, bs2, pa, pb, out + <usize>e, len);
    else floatSegment(op, as2, bs2, pa, pb, out + off(e), len);
    e += len;
  }
}
