/**
 * mlp speed area (issue 18): Backend.denseActGrad, the backward prologue of a dense layer in one
 * wasm pass (dz = the relu mask of dy, or dy itself; db = dz summed over the rows), checked
 * against the js reference backend through the gradients of fused.matMul with a bias, on
 * random shapes (batch 1, odd widths, transposed operands), and against the composed ops: the
 * same dz bits as reluGrad, the same column sums, and the same bits on 1 and 2 threads.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as st from '../../src/index.js';
import { compare, rng } from './wasm_compare.js';

test('fused.matMul gradients with a bias (relu and linear) match the js backend', () => {
  const r = rng(18);
  const shapes: [number, number, number][] = [[1, 5, 3], [1, 1, 1], [2, 3, 10], [7, 13, 5], [128, 37, 10], [33, 9, 67],
    [5, 4, 4], [64, 20, 257]];
  for (let t = 0; t < 4; t++) shapes.push([1 + r(70), 1 + r(50), 1 + r(90)]);
  for (const [m, k, n] of shapes) {
    for (const activation of ['relu', 'linear'] as const) {
      for (const [ta, tb] of [[false, false], [true, false], [false, true]] as const) {
        compare(`m${m} k${k} n${n} ${activation}${ta ? ' tA' : ''}${tb ? ' tB' : ''}`, () => {
          const a = st.randomUniform(ta ? [k, m] : [m, k], -1, 1, 'float32', 1);
          const b = st.randomUniform(tb ? [n, k] : [k, n], -1, 1, 'float32', 2);
          const bias = st.randomUniform([n], -0.5, 0.5, 'float32', 3);
          const up = st.randomUniform([m, n], -1, 1, 'float32', 4);
          const f = (ai: st.Tensor, bi: st.Tensor, ci: st.Tensor) =>
            st.sum(st.mul(st.fused.matMul({ a: ai, b: bi, bias: ci, activation, transposeA: ta, transposeB: tb }), up));
          return st.grads(f)([a, b, bias]);
        }, 1e-5);
      }
    }
  }
});

test('denseActGrad: dz has reluGrad bits, db the column sums; 1 and 2 threads agree bit for bit', () => {
  st.setBackend('wasm');
  const be = st.backend();
  // 300 x 900: enough elements to be split over the pool in column blocks
  for (const [rows, n] of [[1, 1], [1, 7], [3, 5], [17, 10], [128, 256], [300, 900]] as const) {
    const dy = st.randomNormal([rows, n], 0, 1, 'float32', 5);
    const yv = st.randomNormal([rows, n], 0, 1, 'float32', 6).dataSync() as Float32Array;
    // zeros, NaN and -0 in y take the masked branch
    yv[0] = 0;
    if (yv.length > 2) { yv[1] = NaN; yv[2] = -0; }
    const y = st.tensor(yv, [rows, n], 'float32');
    const bits: Uint32Array[] = [];
    for (const threads of [1, 2]) {
      st.setNumThreads(threads);
      const out = be.denseActGrad!(dy, y, true)!;
      const dz = new st.Tensor(out.dz!, [rows, n], 'float32', be);
      const db = new st.Tensor(out.db, [n], 'float32', be);
      const want = st.mul(dy, st.cast(st.greater(y, 0), 'float32'));
      assert.deepEqual(Array.from(new Uint32Array(dz.dataSync().buffer)), Array.from(new Uint32Array(want.dataSync().buffer)),
        `dz ${rows}x${n}`);
      const sums = st.sum(want, 0).dataSync();
      const got = db.dataSync();
      for (let j = 0; j < n; j++) assert.ok(Math.abs(got[j] - sums[j]) <= 1e-5 * Math.max(1, Math.abs(sums[j])), `db ${rows}x${n} column ${j}`);
      bits.push(Uint32Array.from(new Uint32Array(got.buffer)));
      const lin = be.denseActGrad!(dy, y, false)!;
      assert.equal(lin.dz, null, 'linear keeps dy');
      const dbLin = new st.Tensor(lin.db, [n], 'float32', be).dataSync();
      const sumsLin = st.sum(dy, 0).dataSync();
      for (let j = 0; j < n; j++) assert.ok(Math.abs(dbLin[j] - sumsLin[j]) <= 1e-5 * Math.max(1, Math.abs(sumsLin[j])), `linear db column ${j}`);
    }
    assert.deepEqual(Array.from(bits[0]), Array.from(bits[1]), `db bits on 1 and 2 threads, ${rows}x${n}`);
  }
  st.setNumThreads(1);
});
