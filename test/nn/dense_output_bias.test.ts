/**
 * A Dense layer whose activation is neither relu nor linear (softmax, sigmoid, tanh) adds its
 * bias in the GEMM's epilogue: its output and the gradients of input, kernel and bias on the
 * wasm backend against the js reference, batch 1 and odd sizes.
 */
import test from 'node:test';
import * as st from '../../src/index.js';
import { compare } from '../backend/wasm_compare.js';

test('Dense with softmax, sigmoid and tanh: output and gradients match the reference', () => {
  for (const activation of ['softmax', 'sigmoid', 'tanh'] as const) {
    for (const [batch, inDim, units] of [[1, 7, 3], [13, 29, 10], [64, 40, 17]]) {
      compare(`dense ${activation} batch ${batch} ${inDim}->${units}`, () => {
        st.setSeed(3);
        const layer = st.layers.dense({ units, activation, inputShape: [inDim] });
        const x = st.randomUniform([batch, inDim], -2, 2, 'float32', batch);
        const r = st.randomUniform([batch, units], -1, 1, 'float32', units);
        layer.apply(x);
        const [kernel, bias] = layer.trainableWeights;
        bias.assign(st.randomUniform([units], -1, 1, 'float32', 9));
        const f = (xi: st.Tensor) => st.sum(st.mul(layer.apply(xi) as st.Tensor, r));
        const { value, grads } = st.variableGrads(() => f(x), [kernel, bias]);
        const dx = st.grad(f)(x);
        return [layer.apply(x) as st.Tensor, value, dx, grads[kernel.name], grads[bias.name]];
      }, 1e-5);
    }
  }
});
