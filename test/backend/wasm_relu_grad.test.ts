/**
 * Backend.reluGrad (the fused layers' relu gradient in one wasm pass): the same values as
 * mul(dy, cast(greater(y, 0))) bit for bit, including dy of Infinity and NaN where y <= 0 (which
 * give NaN, as the product with 0 does), -0 where dy is negative, y of NaN and odd lengths.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as st from '../../src/index.js';
import { reluGradient } from '../../src/ops/relu_grad.js';

test('the wasm relu gradient equals the composed ops bit for bit', () => {
  st.setBackend('wasm');
  const special = [0, -0, 1, -1, Infinity, -Infinity, NaN, 3e-39, -2.5];
  for (const n of [1, 3, 4, 7, 81, 1000]) {
    const dyValues = Float32Array.from({ length: n }, (_, i) => (i < special.length ? special[i] : Math.sin(i) * 10));
    const yValues = Float32Array.from({ length: n }, (_, i) => special[(i * 5 + 3) % special.length] * (i % 2 ? 1 : 0.5));
    const dy = st.tensor(dyValues, [n], 'float32'), y = st.tensor(yValues, [n], 'float32');
    const fused = new Uint32Array(reluGradient(dy, y).dataSync().buffer);
    const composed = new Uint32Array(st.mul(dy, st.cast(st.greater(y, 0), 'float32')).dataSync().buffer);
    assert.deepEqual(Array.from(fused), Array.from(composed), `length ${n}`);
  }
});

test('fused conv2d and matMul gradients with relu match the reference backend', () => {
  const run = (name: string) => {
    st.setBackend(name);
    const x = st.randomUniform([2, 7, 7, 3], -1, 1, 'float32', 1);
    const f = st.randomUniform([3, 3, 3, 5], -1, 1, 'float32', 2);
    const w = st.randomUniform([245, 6], -1, 1, 'float32', 3);
    const b = st.randomUniform([5], -1, 1, 'float32', 4);
    const loss = (xi: st.Tensor, fi: st.Tensor, wi: st.Tensor) => {
      const h = st.fused.conv2d({ x: xi, filter: fi, strides: 1, pad: 'same', bias: b, activation: 'relu' });
      return st.sum(st.square(st.fused.matMul({ a: h.reshape([2, 245]), b: wi, activation: 'relu' })));
    };
    return st.grads(loss)([x, f, w]).map((g) => g.dataSync());
  };
  const want = run('js'), got = run('wasm');
  want.forEach((r, j) => {
    let scale = 1e-3;
    for (const v of r) scale = Math.max(scale, Math.abs(v));
    r.forEach((v, i) => assert.ok(Math.abs(got[j][i] - v) <= 1e-4 * scale, `gradient ${j} element ${i}: js ${v}, wasm ${got[j][i]}`));
  });
});
