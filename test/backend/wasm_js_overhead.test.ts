/**
 * The fast paths of the js overhead area (issue 18) against the slow ones they replaced: the
 * heap's size classes by bit tricks against those by logarithms; binary ops on int32, bool and
 * float64 operands run from heap views against the js reference backend, bit for bit; argMax
 * and argMin (ties, NaN) against a plain loop; heap views after the memory grew, by the heap or
 * by someone else; runOp's hand-opened scope (what an op made and its backward rule saved is
 * freed by tidy, an op that throws leaves no scope open).
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as st from '../../src/index.js';
import { sizeClass, sizeClassByLog } from '../../src/backend/wasm/heap.js';
import type { WasmBackend } from '../../src/backend/wasm/backend.js';
import { rng } from './wasm_compare.js';

test('size classes by bit tricks equal those by logarithms', () => {
  for (let bytes = 0; bytes <= 1 << 20; bytes += 7) assert.equal(sizeClass(bytes), sizeClassByLog(bytes), `${bytes} bytes`);
  const r = rng(3);
  for (let k = 0; k < 20000; k++) {
    const bytes = r(2 ** 31) + r(4) * 2 ** 30;
    assert.equal(sizeClass(bytes), sizeClassByLog(bytes), `${bytes} bytes`);
  }
  for (let e = 6; e <= 32; e++) {
    for (const bytes of [2 ** e - 1, 2 ** e, 2 ** e + 1, 2 ** e + 64]) assert.equal(sizeClass(bytes), sizeClassByLog(bytes), `${bytes} bytes`);
  }
});

function exact(backend: string, f: () => st.Tensor): { dtype: string; shape: number[]; values: number[] } {
  st.setBackend(backend);
  const t = f();
  return { dtype: t.dtype, shape: [...t.shape], values: Array.from(t.dataSync() as Float64Array) };
}

test('binary ops on int32, bool and float64 operands match the reference bit for bit', () => {
  const r = rng(11);
  const shapes: [number[], number[]][] = [[[7, 5], [7, 5]], [[7, 5], [5]], [[3, 1, 4], [1, 6, 1]], [[9], []], [[], [4]], [[0, 3], [3]]];
  const ops = ['add', 'sub', 'mul', 'div', 'floorDiv', 'maximum', 'minimum', 'mod', 'equal', 'notEqual', 'less', 'greaterEqual',
    'logicalAnd', 'squaredDifference'] as const;
  for (const [sa, sb] of shapes) {
    for (const dtype of ['int32', 'bool', 'float64'] as const) {
      for (const op of ops) {
        if ((op === 'logicalAnd') !== (dtype === 'bool')) continue;
        const seed = r(1000);
        const f = (): st.Tensor => {
          const make = (shape: number[], s: number): st.Tensor => {
            const x = st.randomUniform(shape, -6, 6, 'float32', s);
            return dtype === 'bool' ? st.greater(x, 0) : dtype === 'int32' ? st.round(x).cast('int32') : x.cast('float64');
          };
          const fn = (st as unknown as Record<string, (a: st.Tensor, b: st.Tensor) => st.Tensor>)[op];
          return fn(make(sa, seed), make(sb, seed + 1));
        };
        const what = `${op} ${dtype} [${sa}] [${sb}]`;
        let ref: ReturnType<typeof exact>;
        try {
          ref = exact('js', f);
        } catch (e) {
          // an op the reference refuses for this dtype must be refused the same way
          assert.throws(() => exact('wasm', f), { message: (e as Error).message }, what);
          continue;
        }
        assert.deepEqual(exact('wasm', f), ref, what);
      }
    }
  }
  st.setBackend('wasm');
});

test('argMax and argMin: the first extreme, NaN counting as the extreme, on every axis', () => {
  st.setBackend('wasm');
  const values = Float32Array.from([3, 1, 3, NaN, 2, -1, -1, NaN, 0, 5, 5, -2, 7, 7, 7, NaN, NaN, 1, 0, 0, -3, 4, 4, -3]);
  for (const shape of [[24], [4, 6], [2, 3, 4], [6, 4]]) {
    const x = st.tensor(values, shape, 'float32');
    for (let axis = 0; axis < shape.length; axis++) {
      const n = shape[axis];
      const inner = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
      const outer = values.length / (n * inner);
      for (const op of ['argMax', 'argMin'] as const) {
        const want: number[] = [];
        for (let o = 0; o < outer; o++) {
          for (let j = 0; j < inner; j++) {
            let best = 0;
            for (let i = 1; i < n; i++) {
              const v = values[(o * n + i) * inner + j], b = values[(o * n + best) * inner + j];
              if (Number.isNaN(b)) continue;
              if (Number.isNaN(v) || (op === 'argMax' ? v > b : v < b)) best = i;
            }
            want.push(best);
          }
        }
        assert.deepEqual(Array.from(st[op](x, axis).dataSync()), want, `${op} [${shape}] axis ${axis}`);
      }
    }
  }
});

test('heap views stay right after the memory grows, by the heap or by someone else', () => {
  st.setBackend('wasm');
  const be = st.backend() as unknown as WasmBackend;
  const a = st.tensor1d([1, 2, 3, 4]);
  // the heap grows for a large block
  const big = st.zeros([(be.k.memory.buffer.byteLength / 4) + 1024]);
  assert.deepEqual(Array.from(a.dataSync()), [1, 2, 3, 4]);
  assert.equal(big.dataSync()[big.size - 1], 0);
  // another party grows the memory: the next block past the old end must still be readable
  be.k.memory.grow(4);
  const blocks: st.Tensor[] = [];
  for (let i = 0; i < 64; i++) blocks.push(st.fill([4096 + i * 16], i));
  blocks.forEach((t, i) => {
    const v = t.dataSync();
    assert.equal(v[0], i);
    assert.equal(v[v.length - 1], i);
  });
  for (const t of [a, big, ...blocks]) t.dispose();
});

test('runOp: tidy frees what recorded ops made, saved and snapshotted; a throwing op leaves no scope open', () => {
  st.setBackend('wasm');
  const w = st.variable(st.tensor2d([[1, 2], [3, 4]]));
  const x = st.tensor2d([[1, 0], [0, 1]]);
  const before = st.memory().numTensors;
  const { value, grads } = st.variableGrads(() => st.tidy(() => st.sum(st.relu(st.matMul(x, w)))), [w]);
  assert.deepEqual(Array.from(grads[w.name].dataSync()), [1, 1, 1, 1]);
  value.dispose();
  grads[w.name].dispose();
  assert.equal(st.memory().numTensors, before);
  const y = st.tidy(() => {
    // w is tracked, so these take the recording path of runOp
    assert.throws(() => st.matMul(w, st.ones([3, 3])), /matMul/);
    assert.throws(() => st.gather(w, st.tensor1d([5], 'int32')), /gather|index|range/i);
    return st.add(x, 1);
  });
  assert.deepEqual(Array.from(y.dataSync()), [2, 1, 1, 2]);
  y.dispose();
  st.dispose([x, w]);
  assert.equal(st.memory().numTensors, before - 2);
  // the scope stack is balanced: a scope opened now closes cleanly and frees its own tensors
  st.startScope();
  st.ones([2]);
  st.endScope();
  assert.equal(st.memory().numTensors, before - 2);
});

test('convert: a plain number becomes the scalar tensor() would make, for every dtype hint', () => {
  for (const backend of ['js', 'wasm']) {
    st.setBackend(backend);
    for (const value of [2, -2.7, 0.1, 1e40, -0, NaN, Infinity, 2 ** 31 + 0.5]) {
      for (const hint of [undefined, 'float32', 'int32', 'float64', 'bool', 'string'] as const) {
        const fast = st.convert(value, 'test', 'x', hint);
        const slow = st.tensor(value, undefined, hint === 'bool' || hint === 'string' ? undefined : hint);
        const what = `${backend} ${value} hint ${hint}`;
        assert.equal(fast.dtype, slow.dtype, what);
        assert.deepEqual(fast.shape, slow.shape, what);
        assert.deepEqual(Array.from(fast.dataSync() as Float64Array), Array.from(slow.dataSync() as Float64Array), what);
        st.dispose([fast, slow]);
      }
    }
  }
  st.setBackend('wasm');
  // the operand's dtype still rules: x.mul(2) keeps int32 and float64
  assert.equal(st.mul(st.tensor1d([3], 'int32'), 2.9).dtype, 'int32');
  assert.deepEqual(Array.from(st.mul(st.tensor1d([3], 'int32'), 2.9).dataSync()), [6]);
  assert.equal(st.add(st.tensor1d([1], 'float64'), 0.1).dtype, 'float64');
});
