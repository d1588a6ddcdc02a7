/**
 * The wasm backend's 2x2 stride-2 max pooling kernels (assembly/pool.ts, taken when every
 * window lies wholly inside the image) against the reference js backend, bit for bit: ties keep
 * the first cell in row-major window order, a NaN wins and stays, -0 and +0 keep their signs,
 * and the gradient goes to the first arg-max only. Geometries just outside the fast path
 * ('same' on odd sizes, a window past the bottom or right edge) run beside them, so the
 * dispatch is covered from both sides.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as st from '../../src/index.js';
import { testValues } from '../helpers.js';

type Pad = 'valid' | 'same' | number;

const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** Small integers (many ties) with -0, +0, -Infinity and NaN mixed in, from `seed`. */
function tiedValues(n: number, seed: number, specials = true): Float32Array {
  const v = Float32Array.from(testValues(n, seed), (x) => Math.round(x * 2));
  if (specials) {
    const extra = [-0, 0, -Infinity, NaN, -0, Infinity];
    for (let i = 0; i < n; i += 5) v[(i * 7 + seed) % n] = extra[(i / 5 + seed) % extra.length];
  }
  return v;
}

/** The float32 bits of a tensor. */
function bits(t: st.Tensor): Uint32Array {
  const d = t.dataSync() as Float32Array;
  assert.ok(d instanceof Float32Array);
  return new Uint32Array(d.buffer.slice(d.byteOffset, d.byteOffset + d.byteLength));
}

function runOn(backend: string, f: () => st.Tensor): { shape: number[]; bits: Uint32Array } {
  st.setBackend(backend);
  const t = f();
  return { shape: [...t.shape], bits: bits(t) };
}

function assertSameBits(what: string, got: { shape: number[]; bits: Uint32Array }, ref: { shape: number[]; bits: Uint32Array }): void {
  assert.deepEqual(got.shape, ref.shape, `${what}: shape`);
  for (let i = 0; i < ref.bits.length; i++) {
    if (got.bits[i] !== ref.bits[i]) {
      const f = (u: number) => new Float32Array(new Uint32Array([u]).buffer)[0];
      assert.fail(`${what}: element ${i} of [${ref.shape}]: wasm ${f(got.bits[i])} (0x${got.bits[i].toString(16)}), ` +
        `js ${f(ref.bits[i])} (0x${ref.bits[i].toString(16)})`);
    }
  }
}

/** maxPool 2x2/2 of x and the gradient of sum(maxPool(x) * w), where w holds -0s and ties too. */
function forward(x: Float32Array, shape: number[], pad: Pad): () => st.Tensor {
  return () => st.maxPool(st.tensor(x, shape, 'float32'), 2, 2, pad);
}

/**
 * Leaves junk in freed blocks of n floats: the wasm heap reuses them as they are, so a dx cell
 * outside every window that the kernel forgot to zero shows.
 */
function dirtyHeap(n: number): void {
  const junk = Array.from({ length: 4 }, () => st.fill([n], 7.5, 'float32'));
  for (const t of junk) t.dispose();
}

function gradient(x: Float32Array, shape: number[], pad: Pad, seed: number): () => st.Tensor {
  return () => {
    dirtyHeap(size(shape));
    const xt = st.tensor(x, shape, 'float32');
    const y = st.maxPool(xt, 2, 2, pad);
    const w = st.tensor(tiedValues(size(y.shape), seed, false).map((v, i) => (i % 9 === 4 ? -0 : v)), [...y.shape], 'float32');
    return st.grad((t) => st.sum(st.mul(st.maxPool(t, 2, 2, pad), w)))(xt);
  };
}

function compareBoth(what: string, x: Float32Array, shape: number[], pad: Pad, seed: number): void {
  assertSameBits(`maxPool ${what}`, runOn('wasm', forward(x, shape, pad)), runOn('js', forward(x, shape, pad)));
  assertSameBits(`maxPool grad ${what}`, runOn('wasm', gradient(x, shape, pad, seed)), runOn('js', gradient(x, shape, pad, seed)));
}

test('wasm maxPool 2x2/2 and its gradient match the reference bit for bit: channels 1-16, odd and even sizes', () => {
  let seed = 900;
  for (const ch of [1, 3, 4, 5, 8, 16]) {
    for (const batch of [1, 3]) {
      for (const [h, w] of [[2, 2], [4, 4], [5, 7], [6, 3], [9, 8], [8, 10]]) {
        const shape = [batch, h, w, ch];
        const x = tiedValues(size(shape), seed++);
        // 'same' and pad 0 give no padding on even sizes (the 2x2 kernels); 'same' on an odd size
        // pads the bottom or right alone, which the geometry shows only through OH and OW
        for (const pad of ['valid', 'same', 0] as const) compareBoth(`[${shape}] ${pad}`, x, shape, pad, seed);
      }
    }
  }
});

test('wasm maxPool 2x2/2: first maximum wins, NaN wins and stays, the gradient goes to the first arg-max', () => {
  // one 2x2 window, 6 channels; window cells in row-major order a, b, c, d per channel
  const cells = [
    // a      b         c          d
    [1, 1, 1, 1], // tie everywhere: a
    [-0, 0, 0, -0], // signed zeros tie: a, so the output keeps -0
    [-Infinity, -Infinity, -Infinity, -Infinity], // no finite value: a
    [2, NaN, 3, NaN], // the first NaN: b
    [5, 6, 7, 7], // the first of the tied maxima: c
    [0, 1, 2, 3], // d
  ];
  const expectCell = [0, 0, 0, 1, 2, 3];
  const ch = cells.length;
  const x = new Float32Array(4 * ch);
  for (let c = 0; c < ch; c++) for (let k = 0; k < 4; k++) x[k * ch + c] = cells[c][k];
  // each channel's upstream gradient is distinct, so a misrouted one shows
  const dy = Float32Array.from({ length: ch }, (_, c) => 10 + c);
  const before = st.getNumThreads();
  for (const threads of [1, 2]) {
    st.setBackend('wasm');
    st.setNumThreads(threads);
    const y = bits(st.maxPool(st.tensor(x, [1, 2, 2, ch], 'float32'), 2, 2));
    const dx = st.grad((t) => st.sum(st.mul(st.maxPool(t, 2, 2), st.tensor(dy, [1, 1, 1, ch], 'float32'))))(
      st.tensor(x, [1, 2, 2, ch], 'float32')).dataSync();
    for (let c = 0; c < ch; c++) {
      const want = new Uint32Array(new Float32Array([cells[c][expectCell[c]]]).buffer)[0];
      assert.equal(y[c], want, `channel ${c}: output bits`);
      for (let k = 0; k < 4; k++) {
        assert.ok(Object.is(dx[k * ch + c], k === expectCell[c] ? dy[c] : 0), `channel ${c}: dx of cell ${k} is ${dx[k * ch + c]}`);
      }
    }
  }
  st.setNumThreads(before);
});

test('wasm maxPool 2x2/2: 1 and 2 threads give the same bits as the reference on large batches', () => {
  const before = st.getNumThreads();
  try {
    let seed = 40;
    // large enough that both passes split across threads
    for (const shape of [[64, 28, 28, 8], [48, 29, 27, 13], [32, 14, 14, 16]]) {
      const x = tiedValues(size(shape), seed++);
      const ref = { fwd: runOn('js', forward(x, shape, 'valid')), grad: runOn('js', gradient(x, shape, 'valid', seed)) };
      for (const threads of [1, 2]) {
        st.setBackend('wasm');
        st.setNumThreads(threads);
        assertSameBits(`maxPool [${shape}] ${threads} threads`, runOn('wasm', forward(x, shape, 'valid')), ref.fwd);
        assertSameBits(`maxPool grad [${shape}] ${threads} threads`, runOn('wasm', gradient(x, shape, 'valid', seed)), ref.grad);
      }
    }
  } finally {
    st.setBackend('wasm');
    st.setNumThreads(before);
  }
});
