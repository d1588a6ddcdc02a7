// Whole-sequence LSTM (task ids 100-101): every time step of one layer in one call. Chunks are
// runs of batch rows: a row's recurrence never reads another row, so each chunk runs all the
// steps of its rows on its own, with no barrier between steps, and the bits do not depend on
// the thread count. The recurrent product h U of each step is the GEMM's gemmPacked on the
// chunk's rows, on U packed once per call.
//
// Layout: xp [B, T, 4u] (x W + b, gates i, f, c, o); per (row, step) the packed record P holds
// 7u floats: the activated gates i f g o (4u), the carry c_t (u), the state h_t (u) and the
// output y_t (u). With a mask m (0 or 1 per row and step) a padded step keeps c, h and y;
// y starts at 0 (Keras' masked output before the first real step).
import { gemmPacked } from './gemm';
import { arg, at, off, vsigmoid, vtanh } from './fused_nn';

export const TASK_LSTM_SEQ = 100, TASK_LSTM_SEQ_GRAD = 101;


@inline function sigmoid1(v: f32): f32 {
  if (v >= 0) return <f32>1 / (<f32>1 + Mathf.exp(-v));
  const e = Mathf.exp(v);
  return e / (<f32>1 + e);
}

// args: xp h0 c0 U mask P batch T u per drop work Up. drop [B, u] (or 0): the recurrent dropout mask,
// applied to h_{t-1} before the product; work [B, u]: the rows' h_{t-1} with it; Up: U packed
// once by the host (gemm.ts packPanels, u x 4u), which every step's product reads.
export function lstmSequenceRows(args: usize, chunk: i32, scratch: usize): void {
  const xp = <usize>arg(args, 0), h0 = <usize>arg(args, 1), c0 = <usize>arg(args, 2), U = <usize>arg(args, 3);
  const mask = <usize>arg(args, 4), P = <usize>arg(args, 5);
  const batch = arg(args, 6), T = arg(args, 7), u = arg(args, 8), per = arg(args, 9);
  const drop = <usize>arg(args, 10), work = <usize>arg(args, 11), Up = <usize>arg(args, 12);
  const r0 = chunk * per, r1 = min(batch, r0 + per);
  if (r0 >= r1) return;
  const g4 = 4 * u, rec = 7 * u, ldp = T * rec;
  for (let t = 0; t < T; t++) {
    // z = xp_t + h_{t-1} U, written into the gate slots of step t
    for (let r = r0; r < r1; r++) {
      memory.copy(P + off((r * T + t) * rec), xp + off((r * T + t) * g4), off(g4));
    }
    let a = t == 0 ? h0 : P + off((t - 1) * rec + 5 * u);
    let rsA = t == 0 ? u : ldp;
    if (drop != 0) {
      for (let r = r0; r < r1; r++) {
        const hp = t == 0 ? h0 + off(r * u) : P + off((r * T + t - 1) * rec + 5 * u);
        for (let j = 0; j < u; j++) store<f32>(work + off(r * u + j), at(hp, j) * at(drop, r * u + j));
      }
      a = work;
      rsA = u;
    }
    const c = P + off(t * rec);
    gemmPacked(a, rsA, 1, Up, u, g4, c, ldp, r0, r1, 1, 0, scratch);
    for (let r = r0; r < r1; r++) {
      const zr = P + off((r * T + t) * rec);
      const cr = zr + off(g4), hr = cr + off(u), yr = hr + off(u);
      const cp = t == 0 ? c0 + off(r * u) : zr - off(rec - g4);
      const hp = cp + off(u);
      const hprev = t == 0 ? h0 + off(r * u) : hp;
      const yp = hp + off(u);
      const m = mask == 0 ? true : at(mask, r * T + t) != 0;
      let j = 0;
      for (; j + 4 <= u; j += 4) {
        const i = vsigmoid(v128.load(zr + off(j)));
        const f = vsigmoid(v128.load(zr + off(u + j)));
        const g = vtanh(v128.load(zr + off(2 * u + j)));
        const o = vsigmoid(v128.load(zr + off(3 * u + j)));
        v128.store(zr + off(j), i); v128.store(zr + off(u + j), f);
        v128.store(zr + off(2 * u + j), g); v128.store(zr + off(3 * u + j), o);
        if (m) {
          const cn = f32x4.add(f32x4.mul(f, v128.load(cp + off(j))), f32x4.mul(i, g));
          const hn = f32x4.mul(o, vtanh(cn));
          v128.store(cr + off(j), cn); v128.store(hr + off(j), hn); v128.store(yr + off(j), hn);
        } else {
          v128.store(cr + off(j), v128.load(cp + off(j)));
          v128.store(hr + off(j), v128.load(hprev + off(j)));
          v128.store(yr + off(j), t == 0 ? f32x4.splat(0) : v128.load(yp + off(j)));
        }
      }
      for (; j < u; j++) {
        const i = sigmoid1(at(zr, j)), f = sigmoid1(at(zr, u + j));
        const g = Mathf.tanh(at(zr, 2 * u + j)), o = sigmoid1(at(zr, 3 * u + j));
        store<f32>(zr + off(j), i); store<f32>(zr + off(u + j), f);
        store<f32>(zr + off(2 * u + j), g); store<f32>(zr + off(3 * u + j), o);
        if (m) {
          const cn = f * at(cp, j) + i * g;
          const hn = o * Mathf.tanh(cn);
          store<f32>(cr + off(j), cn); store<f32>(hr + off(j), hn); store<f32>(yr + off(j), hn);
        } else {
          store<f32>(cr + off(j), at(cp, j));
          store<f32>(hr + off(j), at(hprev, j));
          store<f32>(yr + off(j), t == 0 ? <f32>0 : at(yp, j));
        }
      }
    }
  }
}

// args: P c0 U mask dP dz dh dc dy batch T u per drop Ut. Ut: U^T packed once (4u x u). dP [B, T, 7u] is the gradient of the record
// (its c, h and y parts are read); dz [B, T, 4u] gets the gradient of the gate pre-activations;
// dh and dc [B, u] (zeroed by the caller) end as the gradients of h0 and c0; dy [B, u] is the
// scratch carry of the output's gradient through padded steps (zeroed by the caller).
export function lstmSequenceGradRows(args: usize, chunk: i32, scratch: usize): void {
  const P = <usize>arg(args, 0), c0 = <usize>arg(args, 1), U = <usize>arg(args, 2), mask = <usize>arg(args, 3);
  const dP = <usize>arg(args, 4), dz = <usize>arg(args, 5), dh = <usize>arg(args, 6), dc = <usize>arg(args, 7);
  const dy = <usize>arg(args, 8), batch = arg(args, 9), T = arg(args, 10), u = arg(args, 11), per = arg(args, 12);
  const drop = <usize>arg(args, 13), Ut = <usize>arg(args, 14);
  const r0 = chunk * per, r1 = min(batch, r0 + per);
  if (r0 >= r1) return;
  const g4 = 4 * u, rec = 7 * u;
  const one = f32x4.splat(1);
  for (let t = T - 1; t >= 0; t--) {
    for (let r = r0; r < r1; r++) {
      const zr = P + off((r * T + t) * rec), cr = zr + off(g4);
      const gr = dP + off((r * T + t) * rec) + off(g4);
      const dzr = dz + off((r * T + t) * g4), dhr = dh + off(r * u), dcr = dc + off(r * u), dyr = dy + off(r * u);
      const cp = t == 0 ? c0 + off(r * u) : zr - off(rec - g4);
      const m = mask == 0 ? true : at(mask, r * T + t) != 0;
      let j = 0;
      for (; j + 4 <= u; j += 4) {
        const dhv = f32x4.add(v128.load(dhr + off(j)), v128.load(gr + off(u + j)));
        const dcv = f32x4.add(v128.load(dcr + off(j)), v128.load(gr + off(j)));
        const dyv = f32x4.add(v128.load(dyr + off(j)), v128.load(gr + off(2 * u + j)));
        if (!m) {
          v128.store(dhr + off(j), dhv); v128.store(dcr + off(j), dcv); v128.store(dyr + off(j), dyv);
          v128.store(dzr + off(j), f32x4.splat(0)); v128.store(dzr + off(u + j), f32x4.splat(0));
          v128.store(dzr + off(2 * u + j), f32x4.splat(0)); v128.store(dzr + off(3 * u + j), f32x4.splat(0));
          continue;
        }
        const i = v128.load(zr + off(j)), f = v128.load(zr + off(u + j));
        const g = v128.load(zr + off(2 * u + j)), o = v128.load(zr + off(3 * u + j));
        const th = vtanh(v128.load(cr + off(j)));
        const dht = f32x4.add(dhv, dyv);
        const dct = f32x4.add(dcv, f32x4.mul(f32x4.mul(dht, o), f32x4.sub(one, f32x4.mul(th, th))));
        v128.store(dzr + off(j), f32x4.mul(f32x4.mul(dct, g), f32x4.mul(i, f32x4.sub(one, i))));
        v128.store(dzr + off(u + j), f32x4.mul(f32x4.mul(dct, v128.load(cp + off(j))), f32x4.mul(f, f32x4.sub(one, f))));
        v128.store(dzr + off(2 * u + j), f32x4.mul(f32x4.mul(dct, i), f32x4.sub(one, f32x4.mul(g, g))));
        v128.store(dzr + off(3 * u + j), f32x4.mul(f32x4.mul(dht, th), f32x4.mul(o, f32x4.sub(one, o))));
        v128.store(dcr + off(j), f32x4.mul(dct, f));
        // h_{t-1}'s gradient is dz U^T alone (added below): a real step replaces h
        v128.store(dhr + off(j), f32x4.splat(0));
        v128.store(dyr + off(j), f32x4.splat(0));
      }
      for (; j < u; j++) {
        const dhv = at(dhr, j) + at(gr, u + j), dcv = at(dcr, j) + at(gr, j), dyv = at(dyr, j) + at(gr, 2 * u + j);
        if (!m) {
          store<f32>(dhr + off(j), dhv); store<f32>(dcr + off(j), dcv); store<f32>(dyr + off(j), dyv);
          store<f32>(dzr + off(j), 0); store<f32>(dzr + off(u + j), 0);
          store<f32>(dzr + off(2 * u + j), 0); store<f32>(dzr + off(3 * u + j), 0);
          continue;
        }
        const i = at(zr, j), f = at(zr, u + j), g = at(zr, 2 * u + j), o = at(zr, 3 * u + j);
        const th = Mathf.tanh(at(cr, j));
        const dht = dhv + dyv;
        const dct = dcv + dht * o * (<f32>1 - th * th);
        store<f32>(dzr + off(j), dct * g * (i * (<f32>1 - i)));
        store<f32>(dzr + off(u + j), dct * at(cp, j) * (f * (<f32>1 - f)));
        store<f32>(dzr + off(2 * u + j), dct * i * (<f32>1 - g * g));
        store<f32>(dzr + off(3 * u + j), dht * th * (o * (<f32>1 - o)));
        store<f32>(dcr + off(j), dct * f);
        store<f32>(dhr + off(j), 0);
        store<f32>(dyr + off(j), 0);
      }
    }
    // dh += dz_t U^T (padded rows have dz = 0 and keep their dh)
    const a = dz + off(t * g4);
    gemmPacked(a, T * g4, 1, Ut, g4, u, dh, u, r0, r1, 1, 0, scratch);
    if (drop != 0) {
      // a real step's dh is (dz U^T) times the dropout mask; padding kept its dh
      for (let r = r0; r < r1; r++) {
        if (mask != 0 && at(mask, r * T + t) == 0) continue;
        for (let j = 0; j < u; j++) store<f32>(dh + off(r * u + j), at(dh, r * u + j) * at(drop, r * u + j));
      }
    }
  }
}
