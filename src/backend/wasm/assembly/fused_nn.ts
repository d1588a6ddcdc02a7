// Fused layer kernels (task ids 53-60): softmax with cross-entropy, batch normalisation over
// the last axis, and one LSTM cell step. Each replaces a chain of element-wise ops and
// reductions that would each stream the whole tensor through memory once.
//
// Chunks are runs of rows. Reductions across rows (batch-norm statistics) write one f64 partial
// per chunk and the caller adds them in chunk order; the number of chunks depends only on the
// shape, never on the thread count, so one and many threads give the same bits.
import { vexp } from './elementwise';

export const TASK_SOFTMAX_XENT = 53, TASK_SOFTMAX_XENT_GRAD = 54;
export const TASK_BN_STATS = 55, TASK_BN_APPLY = 56, TASK_BN_GRAD_STATS = 57, TASK_BN_GRAD_DX = 58;
export const TASK_LSTM = 59, TASK_LSTM_GRAD = 60;

@inline export function arg(args: usize, i: i32): i32 {
  return load<i32>(args + ((<usize>i) << 2));
}

@inline export function off(i: i32): usize {
  return (<usize>i) << 2;
}

@inline export function at(p: usize, i: i32): f32 {
  return load<f32>(p + off(i));
}

// ---- softmax cross-entropy ----------------------------------------------------------------

// args: logits labels probs loss rows k sparse per
// probs = softmax of each row (alone when loss is 0: the softmax op at inference); loss[r] = logSumExp(z) * sum(t) - sum(t * z) for dense targets
// t (= -sum t * logSoftmax(z)), logSumExp(z) - z[label] for int32 labels.
export function softmaxXentRows(args: usize, chunk: i32): void {
  const z = <usize>arg(args, 0), labels = <usize>arg(args, 1), probs = <usize>arg(args, 2);
  const loss = <usize>arg(args, 3), rows = arg(args, 4), k = arg(args, 5), sparse = arg(args, 6) != 0;
  const per = arg(args, 7);
  const r0 = chunk * per, r1 = min(rows, r0 + per);
  for (let r = r0; r < r1; r++) {
    const zr = z + off(r * k), pr = probs + off(r * k);
    let m: f32 = -Infinity;
    for (let j = 0; j < k; j++) m = max(m, at(zr, j));
    // exp(z - max) into probs, summed in f64 so a wide row loses nothing to the sum
    let s: f64 = 0;
    let j = 0;
    const vm = f32x4.splat(m);
    for (; j + 4 <= k; j += 4) {
      const e = vexp(f32x4.sub(v128.load(zr + off(j)), vm));
      v128.store(pr + off(j), e);
      s += <f64>f32x4.extract_lane(e, 0) + <f64>f32x4.extract_lane(e, 1) +
        <f64>f32x4.extract_lane(e, 2) + <f64>f32x4.extract_lane(e, 3);
    }
    for (; j < k; j++) {
      const e = Mathf.exp(at(zr, j) - m);
      store<f32>(pr + off(j), e);
      s += <f64>e;
    }
    const inv = <f32>(1.0 / s);
    const vi = f32x4.splat(inv);
    j = 0;
    for (; j + 4 <= k; j += 4) v128.store(pr + off(j), f32x4.mul(v128.load(pr + off(j)), vi));
    for (; j < k; j++) store<f32>(pr + off(j), at(pr, j) * inv);
    if (loss == 0) continue;
    const lse: f64 = <f64>m + Math.log(s);
    let value: f64;
    if (sparse) {
      value = lse - <f64>at(zr, load<i32>(labels + off(r)));
    } else {
      const tr = labels + off(r * k);
      let st: f64 = 0, tz: f64 = 0;
      for (let q = 0; q < k; q++) {
        const t = <f64>at(tr, q);
        // a zero target adds nothing, also where z is -Infinity (0 * -Inf would be NaN)
        if (t != 0) {
          st += t;
          tz += t * <f64>at(zr, q);
        }
      }
      value = lse * st - tz;
    }
    store<f32>(loss + off(r), <f32>value);
  }
}

// args: probs labels dloss dz rows k sparse per
// dz = (p * sum(t) - t) * dloss[r]  (dense);  (p - onehot(label)) * dloss[r]  (sparse)
export function softmaxXentGradRows(args: usize, chunk: i32): void {
  const probs = <usize>arg(args, 0), labels = <usize>arg(args, 1), dloss = <usize>arg(args, 2);
  const dz = <usize>arg(args, 3), rows = arg(args, 4), k = arg(args, 5), sparse = arg(args, 6) != 0;
  const per = arg(args, 7);
  const r0 = chunk * per, r1 = min(rows, r0 + per);
  for (let r = r0; r < r1; r++) {
    const pr = probs + off(r * k), dr = dz + off(r * k);
    const g = at(dloss, r);
    const vg = f32x4.splat(g);
    if (sparse) {
      let j = 0;
      for (; j + 4 <= k; j += 4) v128.store(dr + off(j), f32x4.mul(v128.load(pr + off(j)), vg));
      for (; j < k; j++) store<f32>(dr + off(j), at(pr, j) * g);
      const label = load<i32>(labels + off(r));
      store<f32>(dr + off(label), (at(pr, label) - 1) * g);
    } else {
      const tr = labels + off(r * k);
      let st: f64 = 0;
      for (let q = 0; q < k; q++) st += <f64>at(tr, q);
      const vs = f32x4.splat(<f32>st);
      let j = 0;
      for (; j + 4 <= k; j += 4) {
        const d = f32x4.sub(f32x4.mul(v128.load(pr + off(j)), vs), v128.load(tr + off(j)));
        v128.store(dr + off(j), f32x4.mul(d, vg));
      }
      for (; j < k; j++) store<f32>(dr + off(j), (at(pr, j) * <f32>st - at(tr, j)) * g);
    }
  }
}

// ---- batch normalisation over the last axis: x viewed as [rows, c] -------------------------

/** The high two f32 lanes of v as f64x2. */
@inline function promoteHigh(v: v128): v128 {
  return f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1));
}

// args: x mean rows c per partials mode
// mode 0: partial[j] = sum of x[r, j]; mode 1: sum of (x[r, j] - mean[j])^2; f64 [chunks, c].
// Four channels at a time down the chunk's rows, the sums in f64 registers (the chunk's rows
// stay in cache between the column blocks); each channel is summed in row order.
export function bnStatsRows(args: usize, chunk: i32): void {
  const x = <usize>arg(args, 0), mean = <usize>arg(args, 1), rows = arg(args, 2), c = arg(args, 3);
  const per = arg(args, 4), centred = arg(args, 6) == 1;
  const part = <usize>arg(args, 5) + ((<usize>(chunk * c)) << 3);
  const r0 = chunk * per, r1 = min(rows, r0 + per);
  let j = 0;
  for (; j + 4 <= c; j += 4) {
    let lo = f64x2.splat(0), hi = f64x2.splat(0);
    const vm = centred ? v128.load(mean + off(j)) : f32x4.splat(0);
    for (let r = r0; r < r1; r++) {
      let v = v128.load(x + off(r * c + j));
      if (centred) v = f32x4.sub(v, vm);
      const a = f64x2.promote_low_f32x4(v), b = promoteHigh(v);
      lo = f64x2.add(lo, centred ? f64x2.mul(a, a) : a);
      hi = f64x2.add(hi, centred ? f64x2.mul(b, b) : b);
    }
    v128.store(part + ((<usize>j) << 3), lo);
    v128.store(part + ((<usize>(j + 2)) << 3), hi);
  }
  for (; j < c; j++) {
    let acc: f64 = 0;
    const m = centred ? at(mean, j) : 0;
    for (let r = r0; r < r1; r++) {
      const d = <f64>(at(x, r * c + j) - m);
      acc += centred ? d * d : d;
    }
    store<f64>(part + ((<usize>j) << 3), acc);
  }
}

// args: x mean scale offset y rows c per:  y = (x - mean[j]) * scale[j] + offset[j]
export function bnApplyRows(args: usize, chunk: i32): void {
  const x = <usize>arg(args, 0), mean = <usize>arg(args, 1), scale = <usize>arg(args, 2);
  const offset = <usize>arg(args, 3), y = <usize>arg(args, 4), rows = arg(args, 5), c = arg(args, 6);
  const per = arg(args, 7);
  const r0 = chunk * per, r1 = min(rows, r0 + per);
  for (let r = r0; r < r1; r++) {
    const xr = x + off(r * c), yr = y + off(r * c);
    let j = 0;
    for (; j + 4 <= c; j += 4) {
      const d = f32x4.sub(v128.load(xr + off(j)), v128.load(mean + off(j)));
      v128.store(yr + off(j), f32x4.add(f32x4.mul(d, v128.load(scale + off(j))), v128.load(offset + off(j))));
    }
    for (; j < c; j++) store<f32>(yr + off(j), (at(xr, j) - at(mean, j)) * at(scale, j) + at(offset, j));
  }
}

// args: dy x mean rows c per partials: partial[j] = sum dy, partial[c + j] = sum dy * (x - mean),
// four channels at a time as in bnStatsRows
export function bnGradStatsRows(args: usize, chunk: i32): void {
  const dy = <usize>arg(args, 0), x = <usize>arg(args, 1), mean = <usize>arg(args, 2);
  const rows = arg(args, 3), c = arg(args, 4), per = arg(args, 5);
  const part = <usize>arg(args, 6) + ((<usize>(chunk * 2 * c)) << 3);
  const r0 = chunk * per, r1 = min(rows, r0 + per);
  let j = 0;
  for (; j + 4 <= c; j += 4) {
    let slo = f64x2.splat(0), shi = f64x2.splat(0), plo = f64x2.splat(0), phi = f64x2.splat(0);
    const vm = v128.load(mean + off(j));
    for (let r = r0; r < r1; r++) {
      const d = v128.load(dy + off(r * c + j));
      const xc = f32x4.sub(v128.load(x + off(r * c + j)), vm);
      const dl = f64x2.promote_low_f32x4(d), dh = promoteHigh(d);
      slo = f64x2.add(slo, dl);
      shi = f64x2.add(shi, dh);
      plo = f64x2.add(plo, f64x2.mul(dl, f64x2.promote_low_f32x4(xc)));
      phi = f64x2.add(phi, f64x2.mul(dh, promoteHigh(xc)));
    }
    v128.store(part + ((<usize>j) << 3), slo);
    v128.store(part + ((<usize>(j + 2)) << 3), shi);
    v128.store(part + ((<usize>(c + j)) << 3), plo);
    v128.store(part + ((<usize>(c + j + 2)) << 3), phi);
  }
  for (; j < c; j++) {
    let s: f64 = 0, p: f64 = 0;
    const m = at(mean, j);
    for (let r = r0; r < r1; r++) {
      const d = <f64>at(dy, r * c + j);
      s += d;
      p += d * <f64>(at(x, r * c + j) - m);
    }
    store<f64>(part + ((<usize>j) << 3), s);
    store<f64>(part + ((<usize>(c + j)) << 3), p);
  }
}

// args: dy x mean a b k dx rows c per:  dx = (dy - a[j] - (x - mean[j]) * b[j]) * k[j]
export function bnGradDxRows(args: usize, chunk: i32): void {
  const dy = <usize>arg(args, 0), x = <usize>arg(args, 1), mean = <usize>arg(args, 2);
  const a = <usize>arg(args, 3), b = <usize>arg(args, 4), k = <usize>arg(args, 5), dx = <usize>arg(args, 6);
  const rows = arg(args, 7), c = arg(args, 8), per = arg(args, 9);
  const r0 = chunk * per, r1 = min(rows, r0 + per);
  for (let r = r0; r < r1; r++) {
    const xr = x + off(r * c), dr = dy + off(r * c), or = dx + off(r * c);
    let j = 0;
    for (; j + 4 <= c; j += 4) {
      const xc = f32x4.sub(v128.load(xr + off(j)), v128.load(mean + off(j)));
      const t = f32x4.sub(f32x4.sub(v128.load(dr + off(j)), v128.load(a + off(j))), f32x4.mul(xc, v128.load(b + off(j))));
      v128.store(or + off(j), f32x4.mul(t, v128.load(k + off(j))));
    }
    for (; j < c; j++) {
      store<f32>(or + off(j), (at(dr, j) - at(a, j) - (at(xr, j) - at(mean, j)) * at(b, j)) * at(k, j));
    }
  }
}

// ---- one LSTM cell step ---------------------------------------------------------------------

/** sigmoid on four lanes in the reference's two branches (exp of -|v| never overflows). */
@inline export function vsigmoid(v: v128): v128 {
  const e = vexp(f32x4.neg(f32x4.abs(v)));
  const d = f32x4.add(f32x4.splat(1), e);
  return v128.bitselect(f32x4.div(f32x4.splat(1), d), f32x4.div(e, d), f32x4.ge(v, f32x4.splat(0)));
}

/**
 * tanh on four lanes as 2 sigmoid(2v) - 1, with the odd symmetry taken from |v| so the result
 * is exactly odd; for |v| < 2^-5 it switches to v - v^3/3 (+ 2v^5/15) where the subtraction
 * would cancel digits.
 */
@inline export function vtanh(v: v128): v128 {
  const a = f32x4.abs(v);
  const e = vexp(f32x4.mul(a, f32x4.splat(-2)));
  const big = f32x4.div(f32x4.sub(f32x4.splat(1), e), f32x4.add(f32x4.splat(1), e));
  const a2 = f32x4.mul(a, a);
  const small = f32x4.mul(a, f32x4.add(f32x4.splat(1), f32x4.mul(a2, f32x4.add(f32x4.splat(<f32>(-1.0 / 3)),
    f32x4.mul(a2, f32x4.splat(<f32>(2.0 / 15)))))));
  const t = v128.bitselect(small, big, f32x4.lt(a, f32x4.splat(0.03125)));
  // copy v's sign onto t (NaN passes through the arithmetic above)
  return v128.or(v128.and(t, i32x4.splat(0x7fffffff)), v128.and(v, i32x4.splat(0x80000000)));
}

// args: z c hc batch u per; z [batch, 4u] gate pre-activations (i, f, g, o), c [batch, u],
// hc [batch, 2u]: h' in the first u columns, c' in the last u
export function lstmRows(args: usize, chunk: i32): void {
  const z = <usize>arg(args, 0), c = <usize>arg(args, 1), hc = <usize>arg(args, 2);
  const batch = arg(args, 3), u = arg(args, 4), per = arg(args, 5);
  const r0 = chunk * per, r1 = min(batch, r0 + per);
  for (let r = r0; r < r1; r++) {
    const zr = z + off(r * 4 * u), cr = c + off(r * u), hr = hc + off(r * 2 * u), nr = hr + off(u);
    let j = 0;
    for (; j + 4 <= u; j += 4) {
      const i = vsigmoid(v128.load(zr + off(j)));
      const f = vsigmoid(v128.load(zr + off(u + j)));
      const g = vtanh(v128.load(zr + off(2 * u + j)));
      const o = vsigmoid(v128.load(zr + off(3 * u + j)));
      const cn = f32x4.add(f32x4.mul(f, v128.load(cr + off(j))), f32x4.mul(i, g));
      v128.store(nr + off(j), cn);
      v128.store(hr + off(j), f32x4.mul(o, vtanh(cn)));
    }
    for (; j < u; j++) {
      const i = sigmoid1(at(zr, j)), f = sigmoid1(at(zr, u + j));
      const g = Mathf.tanh(at(zr, 2 * u + j)), o = sigmoid1(at(zr, 3 * u + j));
      const cn = f * at(cr, j) + i * g;
      store<f32>(nr + off(j), cn);
      store<f32>(hr + off(j), o * Mathf.tanh(cn));
    }
  }
}

@inline function sigmoid1(v: f32): f32 {
  if (v >= 0) return <f32>1 / (<f32>1 + Mathf.exp(-v));
  const e = Mathf.exp(v);
  return e / (<f32>1 + e);
}

// args: z c dhc dz dc batch u per; dhc [batch, 2u] the gradient of hc. The gates are recomputed
// from z (cheaper than storing them). With t = tanh(c'):
//   dc' = dhc[c'] + dh o (1 - t^2); do = dh t o (1 - o); di = dc' g i (1 - i);
//   df = dc' c f (1 - f); dg = dc' i (1 - g^2); dc = dc' f.
export function lstmGradRows(args: usize, chunk: i32): void {
  const z = <usize>arg(args, 0), c = <usize>arg(args, 1), dhc = <usize>arg(args, 2);
  const dz = <usize>arg(args, 3), dc = <usize>arg(args, 4), batch = arg(args, 5), u = arg(args, 6);
  const per = arg(args, 7);
  const r0 = chunk * per, r1 = min(batch, r0 + per);
  for (let r = r0; r < r1; r++) {
    const zr = z + off(r * 4 * u), cr = c + off(r * u), hr = dhc + off(r * 2 * u), nr = hr + off(u);
    const dzr = dz + off(r * 4 * u), dcr = dc + off(r * u);
    let j = 0;
    const one = f32x4.splat(1);
    for (; j + 4 <= u; j += 4) {
      const i = vsigmoid(v128.load(zr + off(j)));
      const f = vsigmoid(v128.load(zr + off(u + j)));
      const g = vtanh(v128.load(zr + off(2 * u + j)));
      const o = vsigmoid(v128.load(zr + off(3 * u + j)));
      const cp = v128.load(cr + off(j));
      const t = vtanh(f32x4.add(f32x4.mul(f, cp), f32x4.mul(i, g)));
      const dh = v128.load(hr + off(j));
      const dcn = f32x4.add(v128.load(nr + off(j)), f32x4.mul(f32x4.mul(dh, o), f32x4.sub(one, f32x4.mul(t, t))));
      v128.store(dzr + off(j), f32x4.mul(f32x4.mul(dcn, g), f32x4.mul(i, f32x4.sub(one, i))));
      v128.store(dzr + off(u + j), f32x4.mul(f32x4.mul(dcn, cp), f32x4.mul(f, f32x4.sub(one, f))));
      v128.store(dzr + off(2 * u + j), f32x4.mul(f32x4.mul(dcn, i), f32x4.sub(one, f32x4.mul(g, g))));
      v128.store(dzr + off(3 * u + j), f32x4.mul(f32x4.mul(dh, t), f32x4.mul(o, f32x4.sub(one, o))));
      v128.store(dcr + off(j), f32x4.mul(dcn, f));
    }
    for (; j < u; j++) {
      const i = sigmoid1(at(zr, j)), f = sigmoid1(at(zr, u + j));
      const g = Mathf.tanh(at(zr, 2 * u + j)), o = sigmoid1(at(zr, 3 * u + j));
      const cp = at(cr, j);
      const t = Mathf.tanh(f * cp + i * g);
      const dh = at(hr, j);
      const dcn = at(nr, j) + dh * o * (<f32>1 - t * t);
      store<f32>(dzr + off(j), dcn * g * (i * (<f32>1 - i)));
      store<f32>(dzr + off(u + j), dcn * cp * (f * (<f32>1 - f)));
      store<f32>(dzr + off(2 * u + j), dcn * i * (<f32>1 - g * g));
      store<f32>(dzr + off(3 * u + j), dh * t * (o * (<f32>1 - o)));
      store<f32>(dcr + off(j), dcn * f);
    }
  }
}
