// Whole-sequence SimpleRNN and GRU (task ids 102-105), as recurrent.ts does the LSTM: every time
// step of one layer in one call, chunks are runs of batch rows (a row's recurrence never reads
// another row), so each chunk runs all the steps of its rows with no barrier between steps and
// the bits do not depend on the thread count. The recurrent products are the GEMM's gemmPacked
// on operands the host packed once per call (gemm.ts packPanels), named per task below.
//
// Layouts (see Backend.simpleRnnSequence / gruSequence): the record P holds per (row, step)
// SimpleRNN: h_t, y_t (2u); GRU: z, r, h~, q, h_t, y_t (6u; q = h U_h + b'_h with resetAfter).
// mask [B, T] (0 or 1) or 0 for none; drop [B, u] (recurrent dropout mask) or 0 for none;
// work [B, W] floats of per-row scratch owned by the host (W given per task below).
import { gemmPacked } from './gemm';
import { arg, at, off, vsigmoid, vtanh } from './fused_nn';

export const TASK_RNN_SEQ = 102, TASK_RNN_SEQ_GRAD = 103, TASK_GRU_SEQ = 104, TASK_GRU_SEQ_GRAD = 105;

const ACT_TANH = 0, ACT_RELU = 1;

@inline function sigmoid1(v: f32): f32 {
  if (v >= 0) return <f32>1 / (<f32>1 + Mathf.exp(-v));
  const e = Mathf.exp(v);
  return e / (<f32>1 + e);
}

/** dst[j] = act(src[j]) for j < n (act: 0 tanh, 1 relu, 2 linear, 3 sigmoid) */
function activateRow(dst: usize, src: usize, n: i32, act: i32): void {
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    const v = v128.load(src + off(j));
    let a: v128;
    if (act == ACT_TANH) a = vtanh(v);
    else if (act == ACT_RELU) a = f32x4.max(v, f32x4.splat(0));
    else if (act == 3) a = vsigmoid(v);
    else a = v;
    v128.store(dst + off(j), a);
  }
  for (; j < n; j++) {
    const v = at(src, j);
    let a: f32;
    if (act == ACT_TANH) a = Mathf.tanh(v);
    else if (act == ACT_RELU) a = v > 0 ? v : 0;
    else if (act == 3) a = sigmoid1(v);
    else a = v;
    store<f32>(dst + off(j), a);
  }
}

/** where h_{t-1} of row r lies (h0's row at t = 0, else the record's h slot of step t - 1) */
@inline function prevState(h0: usize, P: usize, r: i32, t: i32, T: i32, rec: i32, hAt: i32, u: i32): usize {
  return t == 0 ? h0 + off(r * u) : P + off((r * T + t - 1) * rec + hAt);
}

/** the rows' h_{t-1} times the dropout mask into hd (row stride ld) */
function droppedRows(h0: usize, P: usize, drop: usize, hd: usize, ld: i32, r0: i32, r1: i32, t: i32, T: i32,
                     rec: i32, hAt: i32, u: i32): void {
  for (let r = r0; r < r1; r++) {
    const hp = prevState(h0, P, r, t, T, rec, hAt, u), dm = drop + off(r * u), dst = hd + off(r * ld);
    let j = 0;
    for (; j + 4 <= u; j += 4) v128.store(dst + off(j), f32x4.mul(v128.load(hp + off(j)), v128.load(dm + off(j))));
    for (; j < u; j++) store<f32>(dst + off(j), at(hp, j) * at(dm, j));
  }
}

// args: xp h0 U mask drop P work batch T u per act Up. work: [B, u] (h_{t-1} with dropout);
// Up: U packed (u x u).
export function rnnSequenceRows(args: usize, chunk: i32, scratch: usize): void {
  const xp = <usize>arg(args, 0), h0 = <usize>arg(args, 1), U = <usize>arg(args, 2), mask = <usize>arg(args, 3);
  const drop = <usize>arg(args, 4), P = <usize>arg(args, 5), work = <usize>arg(args, 6);
  const batch = arg(args, 7), T = arg(args, 8), u = arg(args, 9), per = arg(args, 10), act = arg(args, 11);
  const Up = <usize>arg(args, 12);
  const r0 = chunk * per, r1 = min(batch, r0 + per);
  if (r0 >= r1) return;
  const rec = 2 * u, ldp = T * rec;
  for (let t = 0; t < T; t++) {
    for (let r = r0; r < r1; r++) memory.copy(P + off((r * T + t) * rec), xp + off((r * T + t) * u), off(u));
    let a = t == 0 ? h0 : P + off((t - 1) * rec);
    let rsA = t == 0 ? u : ldp;
    if (drop != 0) {
      droppedRows(h0, P, drop, work, u, r0, r1, t, T, rec, 0, u);
      a = work;
      rsA = u;
    }
    gemmPacked(a, rsA, 1, Up, u, u, P + off(t * rec), ldp, r0, r1, 1, 0, scratch);
    for (let r = r0; r < r1; r++) {
      const hr = P + off((r * T + t) * rec), yr = hr + off(u);
      if (mask == 0 || at(mask, r * T + t) != 0) {
        activateRow(hr, hr, u, act);
        memory.copy(yr, hr, off(u));
      } else {
        memory.copy(hr, prevState(h0, P, r, t, T, rec, 0, u), off(u));
        if (t == 0) memory.fill(yr, 0, off(u));
        else memory.copy(yr, yr - off(rec), off(u));
      }
    }
  }
}

// args: P U mask drop dP dz dh dy work batch T u per act. dz [B, T, u] out; dh [B, u] (zeroed by
// the caller) ends as dh0; dy [B, u] (zeroed) carries the output's gradient through padding;
// work [B, u] holds dz_t U^T; Ut: U^T packed (u x u).
export function rnnSequenceGradRows(args: usize, chunk: i32, scratch: usize): void {
  const P = <usize>arg(args, 0), U = <usize>arg(args, 1), mask = <usize>arg(args, 2), drop = <usize>arg(args, 3);
  const dP = <usize>arg(args, 4), dz = <usize>arg(args, 5), dh = <usize>arg(args, 6), dy = <usize>arg(args, 7);
  const work = <usize>arg(args, 8), batch = arg(args, 9), T = arg(args, 10), u = arg(args, 11), per = arg(args, 12);
  const act = arg(args, 13), Ut = <usize>arg(args, 14);
  const r0 = chunk * per, r1 = min(batch, r0 + per);
  if (r0 >= r1) return;
  const rec = 2 * u;
  for (let t = T - 1; t >= 0; t--) {
    for (let r = r0; r < r1; r++) {
      const hr = P + off((r * T + t) * rec), gr = dP + off((r * T + t) * rec);
      const dzr = dz + off((r * T + t) * u), dhr = dh + off(r * u), dyr = dy + off(r * u);
      const real = mask == 0 || at(mask, r * T + t) != 0;
      for (let j = 0; j < u; j++) {
        const dhv = at(dhr, j) + at(gr, j), dyv = at(dyr, j) + at(gr, u + j);
        if (!real) {
          store<f32>(dhr + off(j), dhv); store<f32>(dyr + off(j), dyv); store<f32>(dzr + off(j), 0);
          continue;
        }
        const h = at(hr, j);
        const s: f32 = act == ACT_TANH ? <f32>1 - h * h : act == ACT_RELU ? (h > 0 ? <f32>1 : <f32>0) : <f32>1;
        store<f32>(dzr + off(j), (dhv + dyv) * s);
        store<f32>(dyr + off(j), 0);
      }
    }
    // h_{t-1}'s gradient of a real step is dz_t U^T (times the dropout mask); padding keeps dh
    gemmPacked(dz + off(t * u), T * u, 1, Ut, u, u, work, u, r0, r1, 0, 0, scratch);
    for (let r = r0; r < r1; r++) {
      if (mask != 0 && at(mask, r * T + t) == 0) continue;
      const dhr = dh + off(r * u), wr = work + off(r * u);
      if (drop == 0) memory.copy(dhr, wr, off(u));
      else for (let j = 0; j < u; j++) store<f32>(dhr + off(j), at(wr, j) * at(drop, r * u + j));
    }
  }
}

// args: xp h0 U rb mask drop P work batch T u per resetAfter Pa Pb. work: [B, 4u]: per row h_{t-1}
// with dropout (u), then the recurrent products hp (3u). Packed operands: with resetAfter Pa = U
// (u x 3u); without, Pa = U's z and r blocks (u x 2u) and Pb = its candidate block (u x u).
export function gruSequenceRows(args: usize, chunk: i32, scratch: usize): void {
  const xp = <usize>arg(args, 0), h0 = <usize>arg(args, 1), U = <usize>arg(args, 2), rb = <usize>arg(args, 3);
  const mask = <usize>arg(args, 4), drop = <usize>arg(args, 5), P = <usize>arg(args, 6), work = <usize>arg(args, 7);
  const batch = arg(args, 8), T = arg(args, 9), u = arg(args, 10), per = arg(args, 11), resetAfter = arg(args, 12) != 0;
  const Pa = <usize>arg(args, 13), Pb = <usize>arg(args, 14);
  const r0 = chunk * per, r1 = min(batch, r0 + per);
  if (r0 >= r1) return;
  const g3 = 3 * u, rec = 6 * u, ldp = T * rec, W = 4 * u;
  const hp = work + off(u);
  for (let t = 0; t < T; t++) {
    let a = t == 0 ? h0 : P + off((t - 1) * rec + 4 * u);
    let rsA = t == 0 ? u : ldp;
    if (drop != 0) {
      droppedRows(h0, P, drop, work, W, r0, r1, t, T, rec, 4 * u, u);
      a = work;
      rsA = W;
    }
    // hp = hd U (+ b'): all three blocks with resetAfter, z and r only without
    gemmPacked(a, rsA, 1, Pa, u, resetAfter ? g3 : 2 * u, hp, W, r0, r1, 0, resetAfter ? rb : 0, scratch);
    for (let r = r0; r < r1; r++) {
      const x = xp + off((r * T + t) * g3), zr = P + off((r * T + t) * rec), hpr = hp + off(r * W);
      let j = 0;
      for (; j + 4 <= 2 * u; j += 4) v128.store(zr + off(j), f32x4.add(v128.load(x + off(j)), v128.load(hpr + off(j))));
      for (; j < 2 * u; j++) store<f32>(zr + off(j), at(x, j) + at(hpr, j));
      activateRow(zr, zr, 2 * u, 3);
      if (resetAfter) {
        for (let k = 0; k < u; k++) {
          const q = at(hpr, 2 * u + k);
          store<f32>(zr + off(3 * u + k), q);
          store<f32>(zr + off(2 * u + k), at(x, 2 * u + k) + at(zr, u + k) * q);
        }
      } else {
        // r * hd into the free third block of hp: the candidate's product reads it below
        const hd = drop != 0 ? work + off(r * W) : prevState(h0, P, r, t, T, rec, 4 * u, u);
        for (let k = 0; k < u; k++) {
          store<f32>(hpr + off(2 * u + k), at(zr, u + k) * at(hd, k));
          store<f32>(zr + off(3 * u + k), 0);
        }
        memory.copy(zr + off(2 * u), x + off(2 * u), off(u));
      }
    }
    if (!resetAfter) gemmPacked(hp + off(2 * u), W, 1, Pb, u, u, P + off(t * rec + 2 * u), ldp, r0, r1, 1, 0, scratch);
    for (let r = r0; r < r1; r++) {
      const zr = P + off((r * T + t) * rec), hr = zr + off(4 * u), yr = zr + off(5 * u);
      const hprev = prevState(h0, P, r, t, T, rec, 4 * u, u);
      activateRow(zr + off(2 * u), zr + off(2 * u), u, ACT_TANH);
      if (mask == 0 || at(mask, r * T + t) != 0) {
        let k = 0;
        for (; k + 4 <= u; k += 4) {
          const z = v128.load(zr + off(k)), hh = v128.load(zr + off(2 * u + k));
          const h = f32x4.add(hh, f32x4.mul(z, f32x4.sub(v128.load(hprev + off(k)), hh)));
          v128.store(hr + off(k), h); v128.store(yr + off(k), h);
        }
        for (; k < u; k++) {
          const z = at(zr, k), hh = at(zr, 2 * u + k);
          const h = hh + z * (at(hprev, k) - hh);
          store<f32>(hr + off(k), h); store<f32>(yr + off(k), h);
        }
      } else {
        memory.copy(hr, hprev, off(u));
        if (t == 0) memory.fill(yr, 0, off(u));
        else memory.copy(yr, yr - off(rec), off(u));
      }
    }
  }
}

// args: P h0 U mask drop dP dx dh dy work batch T u per resetAfter Pa Pb. Packed operands: with
// resetAfter Pa = U^T (3u x u); without, Pa = (U's z and r blocks)^T (2u x u) and Pb = (its
// candidate block)^T (u x u). dx [B, T, 3u] out; dh [B, u]
// (zeroed by the caller) ends as dh0; dy [B, u] (zeroed) carries the output's gradient through
// padding; work [B, 5u]: per row dh_t (u), the recurrent products' gradient (3u), g (u).
export function gruSequenceGradRows(args: usize, chunk: i32, scratch: usize): void {
  const P = <usize>arg(args, 0), h0 = <usize>arg(args, 1), U = <usize>arg(args, 2), mask = <usize>arg(args, 3);
  const drop = <usize>arg(args, 4), dP = <usize>arg(args, 5), dx = <usize>arg(args, 6), dh = <usize>arg(args, 7);
  const dy = <usize>arg(args, 8), work = <usize>arg(args, 9), batch = arg(args, 10), T = arg(args, 11);
  const u = arg(args, 12), per = arg(args, 13), resetAfter = arg(args, 14) != 0;
  const Pa = <usize>arg(args, 15), Pb = <usize>arg(args, 16);
  const r0 = chunk * per, r1 = min(batch, r0 + per);
  if (r0 >= r1) return;
  const g3 = 3 * u, rec = 6 * u, W = 5 * u;
  for (let t = T - 1; t >= 0; t--) {
    for (let r = r0; r < r1; r++) {
      const zr = P + off((r * T + t) * rec), gr = dP + off((r * T + t) * rec);
      const dxr = dx + off((r * T + t) * g3), dhr = dh + off(r * u), dyr = dy + off(r * u);
      const wr = work + off(r * W), dhp = wr + off(u);
      const hprev = prevState(h0, P, r, t, T, rec, 4 * u, u);
      if (mask != 0 && at(mask, r * T + t) == 0) {
        for (let k = 0; k < u; k++) {
          store<f32>(dhr + off(k), at(dhr, k) + at(gr, 4 * u + k));
          store<f32>(dyr + off(k), at(dyr, k) + at(gr, 5 * u + k));
        }
        memory.fill(dxr, 0, off(g3));
        memory.fill(dhp, 0, off(g3));
        continue;
      }
      for (let k = 0; k < u; k++) {
        const z = at(zr, k), rr = at(zr, u + k), hh = at(zr, 2 * u + k);
        const dht = at(dhr, k) + at(gr, 4 * u + k) + at(dyr, k) + at(gr, 5 * u + k);
        store<f32>(wr + off(k), dht);
        store<f32>(dyr + off(k), 0);
        const dzp = dht * (at(hprev, k) - hh) * z * (<f32>1 - z);
        const dc = dht * (<f32>1 - z) * (<f32>1 - hh * hh);
        store<f32>(dxr + off(k), dzp);
        store<f32>(dxr + off(2 * u + k), dc);
        if (resetAfter) {
          const drp = dc * at(zr, 3 * u + k) * rr * (<f32>1 - rr);
          store<f32>(dxr + off(u + k), drp);
          store<f32>(dhp + off(k), dzp); store<f32>(dhp + off(u + k), drp); store<f32>(dhp + off(2 * u + k), dc * rr);
        }
      }
    }
    const g = work + off(4 * u);
    if (resetAfter) {
      // g = dhp U^T: the gradient of hd
      gemmPacked(work + off(u), W, 1, Pa, g3, u, g, W, r0, r1, 0, 0, scratch);
    } else {
      // g = dc U_h^T (the gradient of r * hd), then the reset gate, then [dz, dr] U_zr^T
      gemmPacked(dx + off(t * g3 + 2 * u), T * g3, 1, Pb, u, u, g, W, r0, r1, 0, 0, scratch);
      for (let r = r0; r < r1; r++) {
        if (mask != 0 && at(mask, r * T + t) == 0) continue;
        const zr = P + off((r * T + t) * rec), dxr = dx + off((r * T + t) * g3), gr = g + off(r * W);
        const hprev = prevState(h0, P, r, t, T, rec, 4 * u, u);
        for (let k = 0; k < u; k++) {
          const rr = at(zr, u + k), hd = drop != 0 ? at(hprev, k) * at(drop, r * u + k) : at(hprev, k);
          store<f32>(dxr + off(u + k), at(gr, k) * hd * rr * (<f32>1 - rr));
          store<f32>(gr + off(k), at(gr, k) * rr);
        }
      }
      gemmPacked(dx + off(t * g3), T * g3, 1, Pa, 2 * u, u, g, W, r0, r1, 1, 0, scratch);
    }
    for (let r = r0; r < r1; r++) {
      if (mask != 0 && at(mask, r * T + t) == 0) continue;
      const zr = P + off((r * T + t) * rec), wr = work + off(r * W), gr = g + off(r * W), dhr = dh + off(r * u);
      for (let k = 0; k < u; k++) {
        const s = drop != 0 ? at(gr, k) * at(drop, r * u + k) : at(gr, k);
        store<f32>(dhr + off(k), at(wr, k) * at(zr, k) + s);
      }
    }
  }
}
