/**
 * The wasm GEMM's path for products with one to three rows (no packing, as in inference at
 * batch 1): checked against the reference backend on odd widths, K longer than one K block,
 * transposed A, batches and the fused bias + relu; and bit for bit against the packed path,
 * since a row's sum must not depend on how many rows share its product (how a batch or a
 * thread's chunk happens to be cut).
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as st from '../../src/index.js';

function close(what: string, got: ArrayLike<number>, want: ArrayLike<number>, tol: number): void {
  assert.equal(got.length, want.length, `${what}: size`);
  let scale = 1e-3;
  for (let i = 0; i < want.length; i++) scale = Math.max(scale, Math.abs(want[i]));
  for (let i = 0; i < want.length; i++) {
    if (!(Math.abs(got[i] - want[i]) <= tol * scale)) assert.fail(`${what}: element ${i}: js ${want[i]}, wasm ${got[i]}`);
  }
}

function onBoth(f: () => st.Tensor): { js: Float32Array; wasm: Float32Array } {
  st.setBackend('js');
  const js = f().dataSync() as Float32Array;
  st.setBackend('wasm');
  const wasm = f().dataSync() as Float32Array;
  return { js, wasm };
}

for (const threads of [1, 2]) {
  test(`matMul with 1-3 rows matches the reference (${threads} thread${threads > 1 ? 's' : ''})`, () => {
    st.setBackend('wasm');
    st.setNumThreads(threads);
    const shapes = [[1, 1, 1], [1, 7, 3], [1, 784, 256], [2, 300, 17], [3, 513, 35], [1, 260, 1030], [2, 5, 20]];
    for (const [m, k, n] of shapes) {
      for (const ta of [false, true]) {
        const what = `matMul ${m}x${k}x${n} ta=${ta}`;
        const { js, wasm } = onBoth(() => {
          const a = st.randomUniform(ta ? [k, m] : [m, k], -1, 1, 'float32', m * 31 + k);
          const b = st.randomUniform([k, n], -1, 1, 'float32', n * 17 + k);
          return st.matMul(a, b, ta, false);
        });
        close(what, wasm, js, 1e-5);
      }
      const fused = onBoth(() => st.fused.matMul({
        a: st.randomUniform([m, k], -1, 1, 'float32', 3), b: st.randomUniform([k, n], -1, 1, 'float32', 4),
        bias: st.randomUniform([n], -1, 1, 'float32', 5), activation: 'relu',
      }));
      close(`fused matMul + bias + relu ${m}x${k}x${n}`, fused.wasm, fused.js, 1e-5);
      const batched = onBoth(() => st.matMul(st.randomUniform([3, m, k], -1, 1, 'float32', 6),
        st.randomUniform([3, k, n], -1, 1, 'float32', 7)));
      close(`batched matMul [3,${m},${k}] x [3,${k},${n}]`, batched.wasm, batched.js, 1e-5);
    }
    st.setNumThreads(2);
  });
}

test('a row computed alone equals the same row of a many-row product, bit for bit', () => {
  st.setBackend('wasm');
  for (const [k, n] of [[784, 256], [25, 8], [300, 37]]) {
    const a = st.randomUniform([40, k], -1, 1, 'float32', k);
    const b = st.randomUniform([k, n], -1, 1, 'float32', n);
    const bias = st.randomUniform([n], -1, 1, 'float32', 9);
    const all = st.fused.matMul({ a, b, bias, activation: 'relu' }).dataSync();
    for (const rows of [[0, 1], [17, 2], [37, 3]]) {
      const part = st.fused.matMul({ a: a.slice([rows[0], 0], [rows[1], k]), b, bias, activation: 'relu' }).dataSync();
      const want = all.subarray(rows[0] * n, (rows[0] + rows[1]) * n);
      assert.deepEqual(Array.from(part), Array.from(want), `rows ${rows[0]}..${rows[0] + rows[1] - 1} of ${k}x${n}`);
    }
  }
});
