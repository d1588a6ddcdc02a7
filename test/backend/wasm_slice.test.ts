/**
 * The wasm backend's slices with unit steps, copied as contiguous runs within the heap: equal,
 * element for element, to the reference backend's on random shapes, begins and sizes (rank 0
 * to 4, empty slices, every dtype), and steps other than 1 still go to the reference.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as st from '../../src/index.js';

function onBoth(f: () => st.Tensor): { js: number[]; wasm: number[] } {
  st.setBackend('js');
  const js = Array.from(f().dataSync() as ArrayLike<number>);
  st.setBackend('wasm');
  const wasm = Array.from(f().dataSync() as ArrayLike<number>);
  return { js, wasm };
}

test('slices with unit steps match the reference on random shapes', () => {
  const random = new st.Random(7);
  const pick = (n: number) => Math.floor(random.uniform() * n);
  for (let trial = 0; trial < 300; trial++) {
    const rank = pick(5);
    const shape = Array.from({ length: rank }, () => 1 + pick(5));
    const begin = shape.map((d) => pick(d));
    // sizes from 0 (an empty slice) to the rest of the dimension
    const size = shape.map((d, i) => pick(d - begin[i] + 1));
    const dtype = (['float32', 'int32', 'bool'] as const)[trial % 3];
    const n = shape.reduce((a, b) => a * b, 1);
    const values = Array.from({ length: n }, (_, i) => (dtype === 'bool' ? i % 3 === 0 : i * 1.5 - 7));
    const { js, wasm } = onBoth(() => st.slice(st.tensor(values as number[], shape, dtype), begin, size));
    assert.deepEqual(wasm, js, `shape [${shape}] begin [${begin}] size [${size}] ${dtype}`);
  }
});

test('a batch of rows, the whole tensor, and a strided slice', () => {
  const x = () => st.reshape(st.range(0, 2 * 3 * 4 * 5), [2, 3, 4, 5]);
  for (const [begin, size] of [[[1, 0, 0, 0], [1, 3, 4, 5]], [[0, 0, 0, 0], [2, 3, 4, 5]], [[0, 1, 2, 1], [2, 2, 2, 3]]]) {
    const { js, wasm } = onBoth(() => st.slice(x(), begin, size));
    assert.deepEqual(wasm, js);
  }
  const { js, wasm } = onBoth(() => st.stridedSlice(x(), [0, 0, 0, 0], [2, 3, 4, 5], [1, 2, 1, 2]));
  assert.deepEqual(wasm, js);
});
