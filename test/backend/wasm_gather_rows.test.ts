/**
 * The wasm backend's gather of blocks within the heap (a shuffled training batch) against the
 * js reference: float32 and int32, axis 0, a middle axis and the last one, repeated indices.
 */
import test from 'node:test';
import * as st from '../../src/index.js';
import { compare, rng } from './wasm_compare.js';

test('gather of float32 and int32 blocks matches the reference on every axis', () => {
  const r = rng(5);
  for (const [shape, axis] of [[[7, 5], 0], [[4, 6, 3], 1], [[3, 4, 5], 2], [[9], 0], [[2, 128, 784], 1]] as [number[], number][]) {
    const count = 1 + r(12);
    const idx = Int32Array.from({ length: count }, () => r(shape[axis]));
    for (const dtype of ['float32', 'int32'] as const) {
      compare(`gather ${dtype} [${shape}] axis ${axis} [${idx}]`, () => {
        const x = st.randomUniform(shape, -50, 50, 'float32', count).cast(dtype);
        return [st.gather(x, st.tensor(idx, [count], 'int32'), axis).cast('float32')];
      }, 0);
    }
  }
});
