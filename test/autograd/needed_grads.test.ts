/**
 * Gradient rules skip the gradients nobody uses (`needed` in runOp's rule): a conv or dense
 * layer's input images need no gradient, and computing one costs as much as the filter's. The
 * wanted gradients must not change, and the skipped kernel must really not run.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as st from '../../src/index.js';
import { backend } from '../../src/backend/registry.js';

/** Counts calls of one backend kernel while `fn` runs. */
function counting<T>(kernel: 'conv2dBackpropInput' | 'matMul', fn: () => T): { result: T; calls: number } {
  const be = backend() as unknown as Record<string, (...a: unknown[]) => unknown>;
  const original = be[kernel];
  let calls = 0;
  be[kernel] = function (this: unknown, ...a: unknown[]) {
    calls++;
    return original.apply(this, a);
  };
  try {
    return { result: fn(), calls };
  } finally {
    be[kernel] = original;
  }
}

for (const name of ['js', 'wasm']) {
  test(`${name}: the filter gradient alone skips conv2dBackpropInput and equals the one computed with dx`, () => {
    st.setBackend(name);
    const x = st.randomUniform([2, 9, 9, 3], -1, 1, 'float32', 1);
    const f = st.randomUniform([3, 3, 3, 5], -1, 1, 'float32', 2);
    const b = st.randomUniform([5], -1, 1, 'float32', 3);
    const loss = (xi: st.Tensor, fi: st.Tensor) =>
      st.sum(st.square(st.fused.conv2d({ x: xi, filter: fi, strides: 1, pad: 'same', bias: b, activation: 'relu' })));
    const both = counting('conv2dBackpropInput', () => st.grads(loss)([x, f]));
    assert.equal(both.calls, 1);
    const only = counting('conv2dBackpropInput', () => st.grad((fi: st.Tensor) => loss(x, fi))(f));
    assert.equal(only.calls, 0, 'dx was computed though x is not differentiated');
    assert.deepEqual(Array.from(only.result.dataSync()), Array.from(both.result[1].dataSync()));
    const plain = counting('conv2dBackpropInput', () => st.grad((fi: st.Tensor) => st.sum(st.conv2d(x, fi, 1, 'valid')))(f));
    assert.equal(plain.calls, 0);
  });

  test(`${name}: a dense kernel's gradient alone runs one product, not two`, () => {
    st.setBackend(name);
    const x = st.randomUniform([4, 6], -1, 1, 'float32', 4);
    const w = st.randomUniform([6, 3], -1, 1, 'float32', 5);
    const loss = (xi: st.Tensor, wi: st.Tensor) => st.sum(st.square(st.fused.matMul({ a: xi, b: wi, activation: 'relu' })));
    const both = counting('matMul', () => st.grads(loss)([x, w]));
    const only = counting('matMul', () => st.grad((wi: st.Tensor) => loss(x, wi))(w));
    assert.equal(only.calls, both.calls - 1);
    assert.deepEqual(Array.from(only.result.dataSync()), Array.from(both.result[1].dataSync()));
    const plain = counting('matMul', () => st.grad((wi: st.Tensor) => st.sum(st.matMul(x, wi)))(w));
    assert.equal(plain.calls, 2, 'the forward product and the kernel gradient only');
  });
}
