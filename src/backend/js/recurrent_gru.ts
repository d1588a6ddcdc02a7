/**
 * Reference kernels of the recurrent area: every step of a SimpleRNN and of a GRU over a
 * sequence, and their back propagation through time (see Backend.simpleRnnSequence and
 * Backend.gruSequence for the layouts). Plain loops in the arrays' own precision (float64 for
 * the gradient checks); the wasm backend has the fast ones.
 *
 * `drop` [batch, u] (or null) is the recurrent dropout mask: it multiplies h_{t-1} before the
 * recurrent product at every step (one mask per sequence, as Keras draws it).
 */
import type { RecurrentActivation, TypedArray } from '../types.js';

const sigmoid = (v: number): number => (v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v)));

function activate(kind: RecurrentActivation, v: number): number {
  if (kind === 'tanh') return Math.tanh(v);
  if (kind === 'relu') return v > 0 ? v : 0;
  return v;
}

/** The activation's derivative, from its output a = act(v). */
function slope(kind: RecurrentActivation, a: number): number {
  if (kind === 'tanh') return 1 - a * a;
  if (kind === 'relu') return a > 0 ? 1 : 0;
  return 1;
}

/** The record [batch, T, 2u] (h_t, y_t per step) of a SimpleRNN run over xp [batch, T, u]. */
export function simpleRnnSequenceKernel(xp: TypedArray, h0: TypedArray, rk: TypedArray, mask: TypedArray | null,
  drop: TypedArray | null, kind: RecurrentActivation, batch: number, steps: number, u: number, out: TypedArray): void {
  const rec = 2 * u;
  const z = new Float64Array(u);
  for (let r = 0; r < batch; r++) {
    for (let t = 0; t < steps; t++) {
      const base = (r * steps + t) * rec, prev = base - rec;
      const hPrev = (k: number): number => (t === 0 ? h0[r * u + k] : out[prev + k]);
      for (let j = 0; j < u; j++) z[j] = xp[(r * steps + t) * u + j];
      for (let k = 0; k < u; k++) {
        const h = hPrev(k) * (drop === null ? 1 : drop[r * u + k]);
        if (h === 0) continue;
        for (let j = 0; j < u; j++) z[j] += h * rk[k * u + j];
      }
      const real = mask === null || mask[r * steps + t] !== 0;
      for (let k = 0; k < u; k++) {
        if (real) {
          const h = activate(kind, z[k]);
          out[base + k] = h;
          out[base + u + k] = h;
        } else {
          out[base + k] = hPrev(k);
          out[base + u + k] = t === 0 ? 0 : out[prev + u + k];
        }
      }
    }
  }
}

/** dxp [batch, T, u], then dh0 [batch, u], from the record and its gradient. */
export function simpleRnnSequenceGradKernel(record: TypedArray, rk: TypedArray, mask: TypedArray | null,
  drop: TypedArray | null, dRecord: TypedArray, kind: RecurrentActivation, batch: number, steps: number, u: number,
  out: TypedArray): void {
  const rec = 2 * u, dhOff = batch * steps * u;
  const dh = new Float64Array(u), dy = new Float64Array(u);
  for (let r = 0; r < batch; r++) {
    dh.fill(0); dy.fill(0);
    for (let t = steps - 1; t >= 0; t--) {
      const base = (r * steps + t) * rec, dzBase = (r * steps + t) * u;
      for (let k = 0; k < u; k++) {
        dh[k] += dRecord[base + k];
        dy[k] += dRecord[base + u + k];
      }
      if (mask !== null && mask[r * steps + t] === 0) {
        // a padded step passes every gradient through to the step before
        for (let j = 0; j < u; j++) out[dzBase + j] = 0;
        continue;
      }
      for (let k = 0; k < u; k++) {
        out[dzBase + k] = (dh[k] + dy[k]) * slope(kind, record[base + k]);
        dy[k] = 0;
      }
      // a real step replaces h: h_{t-1}'s gradient is (dz U^T) times the dropout mask
      for (let k = 0; k < u; k++) {
        let s = 0;
        for (let j = 0; j < u; j++) s += out[dzBase + j] * rk[k * u + j];
        dh[k] = s * (drop === null ? 1 : drop[r * u + k]);
      }
    }
    for (let k = 0; k < u; k++) out[dhOff + r * u + k] = dh[k];
  }
}

/**
 * The record [batch, T, 6u] of a GRU run over xp [batch, T, 3u] (gates z, r, h): per step the
 * activated gates z, r and the candidate h~ (3u), q (resetAfter: h U_h + b'_h, which the reset
 * gate's gradient needs; 0 otherwise), h_t and y_t (u each).
 */
export function gruSequenceKernel(xp: TypedArray, h0: TypedArray, rk: TypedArray, rb: TypedArray | null,
  mask: TypedArray | null, drop: TypedArray | null, resetAfter: boolean, batch: number, steps: number, u: number,
  out: TypedArray): void {
  const g3 = 3 * u, rec = 6 * u;
  const hp = new Float64Array(g3), hd = new Float64Array(u), rh = new Float64Array(u);
  for (let r = 0; r < batch; r++) {
    for (let t = 0; t < steps; t++) {
      const base = (r * steps + t) * rec, prev = base - rec, xb = (r * steps + t) * g3;
      const hPrev = (k: number): number => (t === 0 ? h0[r * u + k] : out[prev + 4 * u + k]);
      for (let k = 0; k < u; k++) hd[k] = hPrev(k) * (drop === null ? 1 : drop[r * u + k]);
      // hp: the recurrent products (resetAfter: all three blocks, with b'; otherwise z and r)
      const cols = resetAfter ? g3 : 2 * u;
      for (let j = 0; j < cols; j++) hp[j] = rb === null ? 0 : rb[j];
      for (let k = 0; k < u; k++) {
        if (hd[k] === 0) continue;
        for (let j = 0; j < cols; j++) hp[j] += hd[k] * rk[k * g3 + j];
      }
      for (let k = 0; k < u; k++) {
        out[base + k] = sigmoid(xp[xb + k] + hp[k]);
        out[base + u + k] = sigmoid(xp[xb + u + k] + hp[u + k]);
      }
      if (resetAfter) {
        for (let k = 0; k < u; k++) {
          out[base + 3 * u + k] = hp[2 * u + k];
          out[base + 2 * u + k] = Math.tanh(xp[xb + 2 * u + k] + out[base + u + k] * hp[2 * u + k]);
        }
      } else {
        for (let k = 0; k < u; k++) rh[k] = out[base + u + k] * hd[k];
        for (let j = 0; j < u; j++) {
          let s = xp[xb + 2 * u + j];
          for (let k = 0; k < u; k++) s += rh[k] * rk[k * g3 + 2 * u + j];
          out[base + 2 * u + j] = Math.tanh(s);
          out[base + 3 * u + j] = 0;
        }
      }
      const real = mask === null || mask[r * steps + t] !== 0;
      for (let k = 0; k < u; k++) {
        if (real) {
          const z = out[base + k], hh = out[base + 2 * u + k];
          const h = hh + z * (hPrev(k) - hh);
          out[base + 4 * u + k] = h;
          out[base + 5 * u + k] = h;
        } else {
          out[base + 4 * u + k] = hPrev(k);
          out[base + 5 * u + k] = t === 0 ? 0 : out[prev + 5 * u + k];
        }
      }
    }
  }
}

/** dxp [batch, T, 3u], then dh0 [batch, u], from the record of gruSequence and its gradient. */
export function gruSequenceGradKernel(record: TypedArray, h0: TypedArray, rk: TypedArray, mask: TypedArray | null,
  drop: TypedArray | null, dRecord: TypedArray, resetAfter: boolean, batch: number, steps: number, u: number,
  out: TypedArray): void {
  const g3 = 3 * u, rec = 6 * u, dhOff = batch * steps * g3;
  const dh = new Float64Array(u), dy = new Float64Array(u), dht = new Float64Array(u);
  const dhp = new Float64Array(g3), g = new Float64Array(u);
  for (let r = 0; r < batch; r++) {
    dh.fill(0); dy.fill(0);
    for (let t = steps - 1; t >= 0; t--) {
      const base = (r * steps + t) * rec, dzBase = (r * steps + t) * g3;
      const hPrev = (k: number): number => (t === 0 ? h0[r * u + k] : record[base - rec + 4 * u + k]);
      const dm = (k: number): number => (drop === null ? 1 : drop[r * u + k]);
      for (let k = 0; k < u; k++) {
        dh[k] += dRecord[base + 4 * u + k];
        dy[k] += dRecord[base + 5 * u + k];
      }
      if (mask !== null && mask[r * steps + t] === 0) {
        for (let j = 0; j < g3; j++) out[dzBase + j] = 0;
        continue;
      }
      for (let k = 0; k < u; k++) {
        const z = record[base + k], hh = record[base + 2 * u + k];
        dht[k] = dh[k] + dy[k];
        dy[k] = 0;
        out[dzBase + k] = dht[k] * (hPrev(k) - hh) * z * (1 - z);
        out[dzBase + 2 * u + k] = dht[k] * (1 - z) * (1 - hh * hh);
      }
      if (resetAfter) {
        for (let k = 0; k < u; k++) {
          const rr = record[base + u + k], dc = out[dzBase + 2 * u + k];
          out[dzBase + u + k] = dc * record[base + 3 * u + k] * rr * (1 - rr);
          dhp[k] = out[dzBase + k];
          dhp[u + k] = out[dzBase + u + k];
          dhp[2 * u + k] = dc * rr;
        }
        for (let k = 0; k < u; k++) {
          let s = 0;
          for (let j = 0; j < g3; j++) s += dhp[j] * rk[k * g3 + j];
          dh[k] = dht[k] * record[base + k] + s * dm(k);
        }
      } else {
        // g = d(r * hd) = dc U_h^T, then the reset gate and the two products' share of hd
        for (let k = 0; k < u; k++) {
          let s = 0;
          for (let j = 0; j < u; j++) s += out[dzBase + 2 * u + j] * rk[k * g3 + 2 * u + j];
          g[k] = s;
        }
        for (let k = 0; k < u; k++) {
          const rr = record[base + u + k];
          out[dzBase + u + k] = g[k] * hPrev(k) * dm(k) * rr * (1 - rr);
        }
        for (let k = 0; k < u; k++) {
          let s = g[k] * record[base + u + k];
          for (let j = 0; j < 2 * u; j++) s += out[dzBase + j] * rk[k * g3 + j];
          dh[k] = dht[k] * record[base + k] + s * dm(k);
        }
      }
    }
    for (let k = 0; k < u; k++) out[dhOff + r * u + k] = dh[k];
  }
}
