/**
 * The wasm backend's slices with unit steps, copied as contiguous runs within the heap: equal,
 * element for element, to the reference backend's on random shapes, begins and sizes (rank 0
 * to 4, empty slices, every dtype); the movement and selection ops that run the reference loops
 * over heap views give the reference's values for every dtype.
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

test('transpose, pad, concat, reverse, strided slices, where and argMax/argMin write into the heap as the reference does', () => {
  const random = new st.Random(11);
  const pick = (n: number) => Math.floor(random.uniform() * n);
  for (let trial = 0; trial < 120; trial++) {
    const rank = 1 + pick(4);
    const shape = Array.from({ length: rank }, () => 1 + pick(4));
    const dtype = (['float32', 'int32', 'bool'] as const)[trial % 3];
    const n = shape.reduce((a, b) => a * b, 1);
    // ties and NaN for the arg-reductions (float32 only)
    const values = (seed: number) => Array.from({ length: n }, (_, i) => (dtype === 'bool' ? (i + seed) % 3 === 0
      : dtype === 'float32' && (i + seed) % 7 === 0 ? NaN : ((i * 5 + seed) % 4) - 1.5));
    const x = () => st.tensor(values(0) as number[], shape, dtype);
    const axis = pick(rank);
    const perm = shape.map((_, i) => i).sort(() => random.uniform() - 0.5);
    const paddings = shape.map(() => [pick(3), pick(3)] as [number, number]);
    const other = [...shape];
    other[axis] = 1 + pick(3);
    const steps = shape.map(() => 1 + pick(3));
    const cases: [string, () => st.Tensor][] = [
      [`transpose [${perm}]`, () => st.transpose(x(), perm)],
      [`pad ${JSON.stringify(paddings)}`, () => st.pad(x(), paddings, dtype === 'bool' ? 1 : 2.5)],
      [`concat on axis ${axis} with [${other}]`, () => st.concat([x(), st.tensor(Array.from({ length: other.reduce((a, b) => a * b, 1) }, (_, i) => (dtype === 'bool' ? i % 2 === 0 : i)) as number[], other, dtype)], axis)],
      [`reverse axis ${axis}`, () => st.reverse(x(), axis)],
      [`strided slice steps [${steps}]`, () => st.stridedSlice(x(), shape.map(() => 0), shape, steps)],
      [`where`, () => st.where(st.tensor(values(1).map((v) => Number(v) > 0) as boolean[], shape, 'bool'), x(), st.tensor(values(2) as number[], shape, dtype))],
    ];
    if (dtype !== 'bool') {
      cases.push([`argMax axis ${axis}`, () => st.argMax(x(), axis)], [`argMin axis ${axis}`, () => st.argMin(x(), axis)]);
    }
    for (const [what, f] of cases) {
      const { js, wasm } = onBoth(f);
      assert.deepEqual(wasm, js, `${what} of [${shape}] ${dtype}`);
    }
  }
});
