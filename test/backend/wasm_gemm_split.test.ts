/**
 * The GEMM's operand packing (4 values per instruction for a transposed A, and for A's rows in
 * place through a 4x4 turn) and the host's choice of how to split C over the pool (by rows or
 * by columns, from what each chunk must repack), against the js reference: the dense layers'
 * shapes of the bench's MLP, LeNet-5 and digit CNN with every transpose, plus odd sizes (K not a
 * multiple of 4, M not a multiple of the 4-row tile), and the fused bias + relu epilogue; one
 * thread and two.
 */
import test from 'node:test';
import * as st from '../../src/index.js';
import { compare } from './wasm_compare.js';

const shapes: [number, number, number][] = [
  [128, 784, 256], [784, 128, 256], [128, 256, 10], [256, 128, 10], [128, 10, 256], [128, 400, 120], [120, 128, 84],
  [64, 784, 256], [131, 203, 67], [67, 131, 203], [5, 999, 37], [203, 7, 131], [9, 301, 640],
];

for (const threads of [1, 2]) {
  test(`matMul of the dense layers' shapes matches the reference (${threads} thread${threads > 1 ? 's' : ''})`, () => {
    st.setNumThreads(threads);
    let seed = 100;
    for (const [m, k, n] of shapes) {
      for (const ta of [false, true]) {
        for (const tb of [false, true]) {
          seed += 2;
          const s = seed;
          compare(`matMul ${m}x${k}x${n} ta=${ta} tb=${tb}`, () => {
            const a = st.randomUniform(ta ? [k, m] : [m, k], -1, 1, 'float32', s);
            const b = st.randomUniform(tb ? [n, k] : [k, n], -1, 1, 'float32', s + 1);
            return [st.matMul(a, b, ta, tb)];
          }, 1e-5);
        }
      }
      const s = seed;
      compare(`fused matMul ${m}x${k}x${n} + bias + relu`, () => {
        const a = st.randomUniform([m, k], -1, 1, 'float32', s);
        const b = st.randomUniform([k, n], -1, 1, 'float32', s + 1);
        const bias = st.randomUniform([n], -1, 1, 'float32', s + 2);
        return [st.fused.matMul({ a, b, bias, activation: 'relu' })];
      }, 1e-5);
    }
    st.setNumThreads(2);
  });
}
