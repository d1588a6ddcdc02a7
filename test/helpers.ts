/** Shared test helpers. */
import assert from 'node:assert/strict';
import * as st from '../src/index.js';

/** Deterministic float64 values in [-1, 1) (a linear congruential stream), for test inputs. */
export function testValues(n: number, seed = 1): Float64Array {
  const out = new Float64Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

/** A float64 tensor of `shape` filled from `testValues`, optionally mapped (e.g. to keep values positive). */
export function testTensor(shape: number[], seed = 1, map?: (v: number) => number): st.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const v = testValues(n, seed);
  if (map) for (let i = 0; i < n; i++) v[i] = map(v[i]);
  return st.tensor(v, shape, 'float64');
}

/** Asserts every element of `actual` is within `tol` of `expected` (nested arrays or a tensor). */
export function assertClose(actual: st.Tensor | number[] | number, expected: unknown, tol = 1e-6, what = ''): void {
  const a = actual instanceof st.Tensor ? Array.from(actual.dataSync()) : [actual].flat(Infinity) as number[];
  const e = [expected].flat(Infinity) as number[];
  assert.equal(a.length, e.length, `${what} length: got ${a.length} values, expected ${e.length}`);
  for (let i = 0; i < a.length; i++) {
    const ok = Math.abs(a[i] - e[i]) <= tol * Math.max(1, Math.abs(e[i])) || (Number.isNaN(e[i]) && Number.isNaN(a[i]));
    assert.ok(ok, `${what} element ${i}: got ${a[i]}, expected ${e[i]} (tol ${tol})\nactual: ${a.join(', ')}`);
  }
}

/** Asserts `fn` throws an error whose message matches every pattern. */
export function assertThrowsMessage(fn: () => unknown, ...patterns: (string | RegExp)[]): void {
  let message: string | undefined;
  try {
    fn();
  } catch (e) {
    message = (e as Error).message;
  }
  assert.ok(message !== undefined, `expected an error matching ${patterns.join(' & ')}, but nothing was thrown`);
  for (const p of patterns) {
    const ok = typeof p === 'string' ? message.includes(p) : p.test(message);
    assert.ok(ok, `error message ${JSON.stringify(message)} does not match ${p}`);
  }
}

/** An IDX file's bytes: magic 00 00 <type, unsigned byte by default> <rank>, big-endian dims, then the values. */
export function idxBytes(dims: number[], values: ArrayLike<number>, type = 0x08): Buffer {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header[2] = type;
  header[3] = dims.length;
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([header, Buffer.from(Uint8Array.from(values))]);
}
