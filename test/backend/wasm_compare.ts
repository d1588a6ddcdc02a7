/**
 * Shared by the wasm kernel tests: a seeded integer generator for shapes, and the comparison of
 * the wasm backend with the js reference backend on the same computation.
 */
import assert from 'node:assert/strict';
import * as st from '../../src/index.js';

export function rng(seed: number): (n: number) => number {
  let s = seed >>> 0 || 1;
  return (n) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return Math.floor((s / 2 ** 32) * n);
  };
}

/** Values of the outputs of `f` on one backend (inputs made inside `f`, from seeds). */
export function values(backend: string, f: () => st.Tensor[]): Float32Array[] {
  st.setBackend(backend);
  return f().map((t) => Float32Array.from(t.dataSync() as Float32Array));
}

/** Runs `f` on both backends and compares at `tol` relative to each output's largest value. */
export function compare(what: string, f: () => st.Tensor[], tol: number): void {
  const ref = values('js', f);
  const got = values('wasm', f);
  ref.forEach((r, j) => {
    assert.equal(got[j].length, r.length, `${what}: output ${j} size`);
    let scale = 1e-3;
    for (const v of r) scale = Math.max(scale, Math.abs(v));
    for (let i = 0; i < r.length; i++) {
      if (!(Math.abs(got[j][i] - r[i]) <= tol * scale)) {
        assert.fail(`${what}: output ${j} element ${i}: js ${r[i]}, wasm ${got[j][i]} (scale ${scale})`);
      }
    }
  });
}
