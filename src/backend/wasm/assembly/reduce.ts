// Reductions of f32 over one contiguous run of axes: x viewed as [O, R, I] reduced over R.
// The reference accumulates in f64, so these do too (f64x2 lanes): a float32 sum of many
// rows would otherwise drift past float32 tolerance of the reference.
//
// Pass 1 (TASK_REDUCE), args: op x tmp O R I S oPer rPer. R is split into S blocks of rPer
// rows; chunk (g, s) reduces block s for outer indices g*oPer.. into the f64 partial
// tmp[(o*S + s)*I + j]. Partials of different chunks never overlap.
// Pass 2 (TASK_REDUCE_COMBINE), args: op tmp out O*I I S: folds the S partials in order.

const SUM = 0, PROD = 1, MAX = 2, MIN = 3;

@inline function arg(args: usize, i: i32): i32 {
  return load<i32>(args + ((<usize>i) << 2));
}

@inline function off(i: i32): usize {
  return (<usize>i) << 2;
}

@inline function initial(op: i32): f64 {
  if (op == SUM) return 0;
  if (op == PROD) return 1;
  if (op == MAX) return -Infinity;
  return Infinity;
}

/** acc (+) v with the reference's rule: NaN wins and stays. */
@inline function comb1(op: i32, acc: f64, v: f64): f64 {
  if (op == SUM) return acc + v;
  if (op == PROD) return acc * v;
  if (op == MAX) return v > acc || v != v ? v : acc;
  return v < acc || v != v ? v : acc;
}

@inline function comb2(op: i32, acc: v128, v: v128): v128 {
  if (op == SUM) return f64x2.add(acc, v);
  if (op == PROD) return f64x2.mul(acc, v);
  if (op == MAX) return v128.bitselect(v, acc, v128.or(f64x2.gt(v, acc), f64x2.ne(v, v)));
  return v128.bitselect(v, acc, v128.or(f64x2.lt(v, acc), f64x2.ne(v, v)));
}

/** Two f32 at p, widened to f64x2. */
@inline function pair(p: usize): v128 {
  return f64x2.promote_low_f32x4(v128.load64_zero(p));
}

/** One contiguous row of len f32 reduced to an f64 (the I == 1 case: softmax rows, full sums). */
@inline function rowReduce(op: i32, p: usize, len: i32): f64 {
  const init = f64x2.splat(initial(op));
  let a0 = init, a1 = init, a2 = init, a3 = init;
  let i = 0;
  // four accumulators hide the add latency
  for (; i + 8 <= len; i += 8) {
    a0 = comb2(op, a0, pair(p + off(i)));
    a1 = comb2(op, a1, pair(p + off(i + 2)));
    a2 = comb2(op, a2, pair(p + off(i + 4)));
    a3 = comb2(op, a3, pair(p + off(i + 6)));
  }
  a0 = comb2(op, comb2(op, a0, a1), comb2(op, a2, a3));
  let r = comb1(op, f64x2.extract_lane(a0, 0), f64x2.extract_lane(a0, 1));
  for (; i < len; i++) r = comb1(op, r, <f64>load<f32>(p + off(i)));
  return r;
}

/** t[0..I) (f64) (+)= rows r0..r1 of the [R, I] block at x. */
@inline function columnReduce(op: i32, x: usize, t: usize, I: i32, r0: i32, r1: i32): void {
  const init = initial(op);
  for (let j = 0; j < I; j++) store<f64>(t + ((<usize>j) << 3), init);
  for (let r = r0; r < r1; r++) {
    const row = x + off(r * I);
    let j = 0;
    for (; j + 4 <= I; j += 4) {
      const tj = t + ((<usize>j) << 3);
      v128.store(tj, comb2(op, v128.load(tj), pair(row + off(j))));
      v128.store(tj + 16, comb2(op, v128.load(tj + 16), pair(row + off(j + 2))));
    }
    for (; j < I; j++) {
      const tj = t + ((<usize>j) << 3);
      store<f64>(tj, comb1(op, load<f64>(tj), <f64>load<f32>(row + off(j))));
    }
  }
}

@inline function partial(op: i32, args: usize, chunk: i32): void {
  const x = <usize>arg(args, 1), tmp = <usize>arg(args, 2);
  const O = arg(args, 3), R = arg(args, 4), I = arg(args, 5), S = arg(args, 6);
  const oPer = arg(args, 7), rPer = arg(args, 8);
  const g = chunk / S, s = chunk - (chunk / S) * S;
  const r0 = s * rPer, r1 = min(R, r0 + rPer);
  const o1 = min(O, g * oPer + oPer);
  for (let o = g * oPer; o < o1; o++) {
    const base = x + off(o * R * I);
    const t = tmp + ((<usize>((o * S + s) * I)) << 3);
    if (I == 1) store<f64>(t, rowReduce(op, base + off(r0), r1 - r0));
    else columnReduce(op, base, t, I, r0, r1);
  }
}

export function reducePartialChunk(args: usize, chunk: i32): void {
  switch (arg(args, 0)) {
    case SUM: partial(SUM, args, chunk); break;
    case PROD: partial(PROD, args, chunk); break;
    case MAX: partial(MAX, args, chunk); break;
    case MIN: partial(MIN, args, chunk); break;
  }
}

export function reduceCombine(args: usize): void {
  const op = arg(args, 0), tmp = <usize>arg(args, 1), out = <usize>arg(args, 2);
  const m = arg(args, 3), I = arg(args, 4), S = arg(args, 5);
  for (let q = 0; q < m; q++) {
    const o = q / I, j = q - (q / I) * I;
    let p = tmp + ((<usize>(o * S * I + j)) << 3);
    let acc = load<f64>(p);
    for (let s = 1; s < S; s++) {
      p += (<usize>I) << 3;
      acc = comb1(op, acc, load<f64>(p));
    }
    store<f32>(out + off(q), <f32>acc);
  }
}
