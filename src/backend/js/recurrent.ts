/**
 * Reference kernels of the recurrent area: every step of an LSTM over a sequence, and its back
 * propagation through time (see Backend.lstmSequence for the layouts; `drop` [batch, u] is the
 * recurrent dropout mask, applied to h_{t-1} before the recurrent product). Plain loops in the
 * arrays' own precision (float64 for the gradient checks); the wasm backend has the fast ones.
 */
import type { TypedArray } from '../types.js';

const sigmoid = (v: number): number => (v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v)));

/** The record [batch, T, 7u] (gates i f g o, c, h, y per step) of an LSTM run over xp [batch, T, 4u]. */
export function lstmSequenceKernel(xp: TypedArray, h0: TypedArray, c0: TypedArray, rk: TypedArray,
  mask: TypedArray | null, batch: number, steps: number, u: number, out: TypedArray, drop: TypedArray | null = null): void {
  const g4 = 4 * u, rec = 7 * u;
  const z = new Float64Array(g4);
  for (let r = 0; r < batch; r++) {
    for (let t = 0; t < steps; t++) {
      const base = (r * steps + t) * rec, prev = base - rec;
      const hPrev = (k: number): number => (t === 0 ? h0[r * u + k] : out[prev + 5 * u + k]);
      const cPrev = (k: number): number => (t === 0 ? c0[r * u + k] : out[prev + 4 * u + k]);
      for (let j = 0; j < g4; j++) z[j] = xp[(r * steps + t) * g4 + j];
      for (let k = 0; k < u; k++) {
        // the recurrent dropout mask multiplies h_{t-1} before the product only
        const h = hPrev(k) * (drop === null ? 1 : drop[r * u + k]);
        if (h === 0) continue;
        for (let j = 0; j < g4; j++) z[j] += h * rk[k * g4 + j];
      }
      const real = mask === null || mask[r * steps + t] !== 0;
      for (let k = 0; k < u; k++) {
        const i = sigmoid(z[k]), f = sigmoid(z[u + k]), g = Math.tanh(z[2 * u + k]), o = sigmoid(z[3 * u + k]);
        out[base + k] = i;
        out[base + u + k] = f;
        out[base + 2 * u + k] = g;
        out[base + 3 * u + k] = o;
        if (real) {
          const c = f * cPrev(k) + i * g;
          const h = o * Math.tanh(c);
          out[base + 4 * u + k] = c;
          out[base + 5 * u + k] = h;
          out[base + 6 * u + k] = h;
        } else {
          out[base + 4 * u + k] = cPrev(k);
          out[base + 5 * u + k] = hPrev(k);
          out[base + 6 * u + k] = t === 0 ? 0 : out[prev + 6 * u + k];
        }
      }
    }
  }
}

/** dz [batch, T, 4u], then dh0 and dc0 [batch, u], from the record and its gradient. */
export function lstmSequenceGradKernel(record: TypedArray, c0: TypedArray, rk: TypedArray, mask: TypedArray | null,
  dRecord: TypedArray, batch: number, steps: number, u: number, out: TypedArray, drop: TypedArray | null = null): void {
  const g4 = 4 * u, rec = 7 * u;
  const dhOff = batch * steps * g4, dcOff = dhOff + batch * u;
  const dy = new Float64Array(u);
  const dh = new Float64Array(u), dc = new Float64Array(u);
  for (let r = 0; r < batch; r++) {
    dh.fill(0); dc.fill(0); dy.fill(0);
    for (let t = steps - 1; t >= 0; t--) {
      const base = (r * steps + t) * rec, dzBase = (r * steps + t) * g4;
      for (let k = 0; k < u; k++) {
        dc[k] += dRecord[base + 4 * u + k];
        dh[k] += dRecord[base + 5 * u + k];
        dy[k] += dRecord[base + 6 * u + k];
      }
      if (mask !== null && mask[r * steps + t] === 0) {
        // a padded step passes every gradient through to the step before
        for (let j = 0; j < g4; j++) out[dzBase + j] = 0;
        continue;
      }
      for (let k = 0; k < u; k++) {
        const i = record[base + k], f = record[base + u + k], g = record[base + 2 * u + k], o = record[base + 3 * u + k];
        const cPrev = t === 0 ? c0[r * u + k] : record[base - rec + 4 * u + k];
        const th = Math.tanh(record[base + 4 * u + k]);
        const dht = dh[k] + dy[k];
        const dct = dc[k] + dht * o * (1 - th * th);
        out[dzBase + k] = dct * g * i * (1 - i);
        out[dzBase + u + k] = dct * cPrev * f * (1 - f);
        out[dzBase + 2 * u + k] = dct * i * (1 - g * g);
        out[dzBase + 3 * u + k] = dht * th * o * (1 - o);
        dc[k] = dct * f;
        dy[k] = 0;
      }
      // a real step replaces h: h_{t-1}'s gradient is dz U^T alone
      for (let k = 0; k < u; k++) {
        let s = 0;
        for (let j = 0; j < g4; j++) s += out[dzBase + j] * rk[k * g4 + j];
        dh[k] = s * (drop === null ? 1 : drop[r * u + k]);
      }
    }
    for (let k = 0; k < u; k++) {
      out[dhOff + r * u + k] = dh[k];
      out[dcOff + r * u + k] = dc[k];
    }
  }
}
