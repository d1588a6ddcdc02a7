/**
 * The wasm backend's one-kernel softmax (the softmax op over the last axis, float32) against
 * the reference backend's composed ops: batch 1, odd widths, rank 1 and 3, rows with -Infinity,
 * huge logits, and the gradient (which still runs as ops, from the kernel's output).
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as st from '../../src/index.js';

function both(f: () => st.Tensor): { js: Float32Array; wasm: Float32Array } {
  st.setBackend('js');
  const js = f().dataSync() as Float32Array;
  st.setBackend('wasm');
  const wasm = f().dataSync() as Float32Array;
  return { js, wasm };
}

function close(what: string, got: Float32Array, want: Float32Array): void {
  assert.equal(got.length, want.length, `${what}: size`);
  for (let i = 0; i < want.length; i++) {
    const ok = Number.isNaN(want[i]) ? Number.isNaN(got[i]) : Math.abs(got[i] - want[i]) <= 2e-6 + 2e-6 * Math.abs(want[i]);
    if (!ok) assert.fail(`${what}: element ${i}: js ${want[i]}, wasm ${got[i]}`);
  }
}

for (const threads of [1, 2]) {
  test(`softmax over the last axis matches the reference (${threads} thread${threads > 1 ? 's' : ''})`, () => {
    st.setBackend('wasm');
    st.setNumThreads(threads);
    const shapes = [[1, 10], [1, 1], [7], [3, 5, 13], [300, 3], [2, 1001], [4096, 10]];
    for (const shape of shapes) {
      const r = both(() => st.softmax(st.randomNormal(shape, 0, 4, 'float32', shape.length * 13 + shape[0])));
      close(`softmax [${shape}]`, r.wasm, r.js);
    }
    st.setNumThreads(2);
  });
}

test('softmax keeps -Infinity and huge logits as the composed ops do', () => {
  const rows = [[0, -Infinity, 1, 2], [1e30, 1e30, -1e30, 0], [-Infinity, -Infinity, -Infinity, -Infinity], [88, 89, 90, -5]];
  const r = both(() => st.softmax(st.tensor(rows.flat(), [4, 4], 'float32')));
  close('softmax of special rows', r.wasm, r.js);
});

test('softmax over another axis and its gradient still agree with the reference', () => {
  const x = () => st.randomNormal([3, 4, 5], 0, 2, 'float32', 5);
  const mid = both(() => st.softmax(x(), 1));
  close('softmax axis 1', mid.wasm, mid.js);
  const w = () => st.randomNormal([3, 4, 5], 0, 1, 'float32', 6);
  const g = both(() => st.grad((v: st.Tensor) => st.sum(st.mul(st.softmax(v), w())))(x()));
  close('gradient of sum(softmax(x) * w)', g.wasm, g.js);
});
