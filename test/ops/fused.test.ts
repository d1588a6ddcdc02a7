/**
 * st.fused.matMul against the same ops one by one: values and the gradients of every input,
 * on the active backend (wasm fuses; js composes), with and without bias, relu and transposes.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as st from '../../src/index.js';
import { assertThrowsMessage } from '../helpers.js';

function close(a: Float32Array, b: Float32Array, what: string): void {
  assert.equal(a.length, b.length, what);
  for (let i = 0; i < a.length; i++) {
    assert.ok(Math.abs(a[i] - b[i]) <= 1e-5 * Math.max(1, Math.abs(b[i])), `${what}: element ${i}: ${a[i]} vs ${b[i]}`);
  }
}

for (const activation of ['linear', 'relu'] as const) {
  for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]]) {
    for (const withBias of [true, false]) {
      test(`fused.matMul ${activation}${withBias ? ' + bias' : ''} ta=${ta} tb=${tb} equals the composed ops`, () => {
        const [m, k, n] = [13, 21, 19];
        const a = st.randomNormal(ta ? [k, m] : [m, k], 0, 1, 'float32', 1);
        const b = st.randomNormal(tb ? [n, k] : [k, n], 0, 1, 'float32', 2);
        const bias = st.randomNormal([n], 0, 1, 'float32', 3);
        const weights = st.randomNormal([m, n], 0, 1, 'float32', 4);
        const fusedLoss = (x: st.Tensor, w: st.Tensor, c: st.Tensor) => st.sum(st.mul(weights,
          st.fused.matMul({ a: x, b: w, transposeA: ta, transposeB: tb, bias: withBias ? c : null, activation })));
        const composedLoss = (x: st.Tensor, w: st.Tensor, c: st.Tensor) => {
          let y = st.matMul(x, w, ta, tb);
          if (withBias) y = st.add(y, c);
          return st.sum(st.mul(weights, activation === 'relu' ? st.relu(y) : y));
        };
        const f = st.grads(fusedLoss)([a, b, bias]);
        const g = st.grads(composedLoss)([a, b, bias]);
        close(fusedLoss(a, b, bias).dataSync() as Float32Array, composedLoss(a, b, bias).dataSync() as Float32Array, 'value');
        f.forEach((t, i) => close(t.dataSync() as Float32Array, g[i].dataSync() as Float32Array, `gradient ${i}`));
      });
    }
  }
}

test('fused.matMul names what is wrong', () => {
  assertThrowsMessage(() => st.fused.matMul({ a: st.ones([2, 3]), b: st.ones([4, 5]) }), 'inner dimensions must agree');
  assertThrowsMessage(() => st.fused.matMul({ a: st.ones([2, 3]), b: st.ones([3, 5]), activation: 'tanh' as 'relu' }),
    "activation must be 'linear' or 'relu'");
});

for (const activation of ['linear', 'relu'] as const) {
  for (const [stride, pad, dilation] of [[1, 'same', 1], [2, 'valid', 1], [1, 'valid', 2]] as const) {
    test(`fused.conv2d ${activation} stride ${stride} ${pad} dilation ${dilation} equals the composed ops`, () => {
      const x = st.randomNormal([3, 11, 10, 4], 0, 1, 'float32', 1);
      const f = st.randomNormal([3, 3, 4, 6], 0, 1, 'float32', 2);
      const bias = st.randomNormal([6], 0, 1, 'float32', 3);
      const outShape = st.conv2d(x, f, stride, pad, 'NHWC', dilation).shape;
      const weights = st.randomNormal([...outShape], 0, 1, 'float32', 4);
      const fusedLoss = (a: st.Tensor, w: st.Tensor, c: st.Tensor) => st.sum(st.mul(weights,
        st.fused.conv2d({ x: a, filter: w, strides: stride, pad, dilations: dilation, bias: c, activation })));
      const composedLoss = (a: st.Tensor, w: st.Tensor, c: st.Tensor) => {
        const y = st.add(st.conv2d(a, w, stride, pad, 'NHWC', dilation), c);
        return st.sum(st.mul(weights, activation === 'relu' ? st.relu(y) : y));
      };
      close(fusedLoss(x, f, bias).dataSync() as Float32Array, composedLoss(x, f, bias).dataSync() as Float32Array, 'value');
      const got = st.grads(fusedLoss)([x, f, bias]);
      const want = st.grads(composedLoss)([x, f, bias]);
      got.forEach((t, i) => close(t.dataSync() as Float32Array, want[i].dataSync() as Float32Array, `gradient ${i}`));
    });
  }
}
