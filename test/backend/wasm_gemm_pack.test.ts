/**
 * The GEMM's packing of B (gemm plain area, issue 18): a transposed B (stored n x k, as the
 * input gradient dY W^T of a dense layer) is packed four k steps at a time through shuffles, and
 * the last, partial panel of a B whose rows lie in place (n = 10: 2 columns) through zeros and a
 * copy of each row's values. Against the js reference on every width n = 1..17 (a full panel of
 * 8, a partial one, both), K from 1 to 40 (the 4-step body, its 1-3 step tail, both) and past
 * the K block of 256, M below and above the register tile's height, with each transpose; and
 * the same bits on one thread and two for the MLP's transposed-B shapes.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as st from '../../src/index.js';
import { compare, values } from './wasm_compare.js';

test('matMul of narrow and short shapes with each transpose matches the reference', () => {
  st.setNumThreads(1);
  let seed = 500;
  for (let n = 1; n <= 17; n++) {
    for (const k of [1, 3, 4, 5, 8, 11, 16, 17, 40]) {
      for (const m of [4, 13]) {
        for (const [ta, tb] of [[false, false], [false, true], [true, true], [true, false]]) {
          if (!tb && (k > 5 || m !== 13)) continue;  // B's rows in place: the partial panel, fewer shapes
          seed += 2;
          const s = seed;
          compare(`matMul ${m}x${k}x${n} ta=${ta} tb=${tb}`, () => {
            const a = st.randomUniform(ta ? [k, m] : [m, k], -1, 1, 'float32', s);
            const b = st.randomUniform(tb ? [n, k] : [k, n], -1, 1, 'float32', s + 1);
            return [st.matMul(a, b, ta, tb)];
          }, 1e-5);
        }
      }
    }
  }
  for (const [m, k, n] of [[9, 301, 10], [37, 259, 13], [6, 514, 17], [21, 262, 8]]) {
    for (const tb of [false, true]) {
      const s = seed += 2;
      compare(`matMul ${m}x${k}x${n} tb=${tb} (K blocks)`, () => {
        const a = st.randomUniform([m, k], -1, 1, 'float32', s);
        const b = st.randomUniform(tb ? [n, k] : [k, n], -1, 1, 'float32', s + 1);
        return [st.matMul(a, b, false, tb)];
      }, 1e-5);
    }
  }
  st.setNumThreads(2);
});

test('a transposed B gives the same bits on one thread and two (the MLP input gradient shapes)', () => {
  for (const [m, k, n] of [[128, 256, 256], [128, 10, 256], [131, 203, 67]]) {
    const f = () => {
      const a = st.randomUniform([m, k], -1, 1, 'float32', 7);
      const b = st.randomUniform([n, k], -1, 1, 'float32', 8);
      return [st.matMul(a, b, false, true)];
    };
    st.setNumThreads(1);
    const one = values('wasm', f)[0];
    st.setNumThreads(2);
    const two = values('wasm', f)[0];
    assert.deepEqual(two, one, `matMul ${m}x${k}x${n} tb: 2 threads differ from 1`);
  }
});
