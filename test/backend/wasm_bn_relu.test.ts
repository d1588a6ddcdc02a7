/**
 * (resnet speed area) Training-mode batch norm on the wasm backend (assembly/resnet_bn.ts: the
 * one-pass statistics, the backward sums, and relu fused forward and backward) against the js
 * reference backend's composed ops, on random shapes (odd channel counts, one row, batch 1),
 * with and without scale and offset; the float64 rule (relu included) gradient-checked; and a
 * model's BatchNormalization -> relu trained fused against the layers run one by one.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as st from '../../src/index.js';
import { compare, rng } from './wasm_compare.js';
import type { SymbolicTensor } from '../../src/nn/layer.js';

const shapes = [[1, 1], [1, 5], [3, 7], [1, 3, 3, 17], [2, 4, 5, 16], [5, 3, 4], [2, 9, 9, 4], [64, 2, 2, 3]];

for (const activation of ['linear', 'relu'] as const) {
  test(`batchNormTraining (${activation}): wasm matches js, forward, statistics and gradients`, () => {
    const next = rng(activation === 'relu' ? 11 : 12);
    for (const shape of shapes) {
      const c = shape[shape.length - 1];
      const withScale = next(2) === 1, withOffset = next(2) === 1;
      const seed = next(1000);
      compare(`[${shape}] scale ${withScale} offset ${withOffset}`, () => {
        // values off zero, so the variance is not tiny against the mean (the shifted sums' case)
        const x = st.add(st.randomNormal(shape, 0, 2, 'float32', seed), 3);
        const g = st.randomUniform([c], 0.5, 1.5, 'float32', seed + 1);
        const b = st.randomUniform([c], -0.5, 0.5, 'float32', seed + 2);
        const dy = st.randomNormal(shape, 0, 1, 'float32', seed + 3);
        const used = [x, ...(withScale ? [g] : []), ...(withOffset ? [b] : [])];
        const run = (xi: st.Tensor, ...params: st.Tensor[]) =>
          st.batchNormTraining(xi, withScale ? params[0] : null, withOffset ? params[withScale ? 1 : 0] : null, 1e-3, activation);
        const { y, mean, variance } = run(x, ...used.slice(1));
        const grads = st.grads((...ts: st.Tensor[]) => st.sum(st.mul(run(ts[0], ...ts.slice(1)).y, dy)))(used);
        return [y, mean, variance, ...grads];
      }, 2e-5);
    }
  });
}

test('batchNormTraining with relu: float64 gradients match finite differences', () => {
  st.setBackend('js');
  const x = st.tensor(Float64Array.from({ length: 2 * 3 * 5 }, (_, i) => Math.sin(i * 1.7) * 2 + 0.3 * (i % 5)), [2, 3, 5], 'float64');
  const g = st.tensor(Float64Array.from([1.2, 0.7, 1, 0.9, 1.4]), [5], 'float64');
  const b = st.tensor(Float64Array.from([0.1, -0.3, 0.2, 0, 0.4]), [5], 'float64');
  const w = st.tensor(Float64Array.from({ length: 30 }, (_, i) => Math.cos(i)), [2, 3, 5], 'float64');
  const f = (xi: st.Tensor, gi: st.Tensor, bi: st.Tensor) => st.sum(st.mul(st.batchNormTraining(xi, gi, bi, 1e-3, 'relu').y, w));
  const result = st.gradcheck(f, [x, g, b], { eps: 1e-6, atol: 1e-6, rtol: 1e-4 });
  result.inputs.forEach((r, i) => assert.ok(r.ok, `input ${i}: analytic ${r.analytic} vs numeric ${r.numeric} at [${r.position}]`));
});

test('wasm: a training step with BatchNormalization -> relu fused equals the layers one by one', () => {
  st.setBackend('wasm');
  st.setSeed(4);
  const input = st.input({ shape: [5, 5, 3] });
  const c1 = st.layers.conv2d({ filters: 6, kernelSize: 3, padding: 'same', useBias: false }).apply(input) as SymbolicTensor;
  const b1 = st.layers.batchNormalization({ epsilon: 1e-5, momentum: 0.9 }).apply(c1) as SymbolicTensor;
  const r1 = st.layers.activation({ activation: 'relu' }).apply(b1) as SymbolicTensor;
  const out = st.layers.globalAveragePooling2d({}).apply(r1) as SymbolicTensor;
  const model = st.model({ inputs: input, outputs: out });
  const x = st.randomNormal([3, 5, 5, 3], 0, 1, 'float32', 5);
  const target = st.randomNormal([3, 6], 0, 1, 'float32', 6);
  const bn = model.layers.find((l) => l.className === 'BatchNormalization')!;
  const relu = model.layers.find((l) => l.className === 'Activation')!;
  const lossOf = (pred: st.Tensor) => st.mean(st.square(st.sub(pred, target)));
  const weights = model.trainableWeights;
  const before = bn.getWeights().map((t) => Float32Array.from(t.dataSync() as Float32Array));
  // fused: the model's graph; the relu layer must not be called
  let reluCalls = 0;
  const original = relu.call;
  (relu as { call: typeof relu.call }).call = function (this: st.Layer, ...a: Parameters<typeof original>) {
    reluCalls++;
    return original.apply(this, a);
  };
  const fused = st.variableGrads(() => lossOf(model.execute(x, { training: true })[0]), weights);
  (relu as { call: typeof relu.call }).call = original;
  assert.equal(reluCalls, 0, 'the relu layer was fused into the batch norm');
  const movedFused = bn.getWeights().slice(2).map((t) => Float32Array.from(t.dataSync() as Float32Array));
  // unfused: each layer applied on its own (the moving statistics set back first)
  bn.setWeights(before.map((v) => st.tensor(v, [v.length])));
  const layered = st.variableGrads(() => {
    const h = relu.apply(bn.apply(model.layers[1].apply(x), { training: true }) as st.Tensor) as st.Tensor;
    return lossOf(model.layers[4].apply(h) as st.Tensor);
  }, weights);
  const movedLayered = bn.getWeights().slice(2).map((t) => Float32Array.from(t.dataSync() as Float32Array));
  const near = (a: ArrayLike<number>, b: ArrayLike<number>, what: string) => {
    let scale = 1e-3;
    for (let i = 0; i < b.length; i++) scale = Math.max(scale, Math.abs(b[i]));
    for (let i = 0; i < b.length; i++) assert.ok(Math.abs(a[i] - b[i]) <= 1e-5 * scale, `${what}[${i}]: ${a[i]} vs ${b[i]}`);
  };
  near(fused.value.dataSync(), layered.value.dataSync(), 'loss');
  for (const v of weights) near(fused.grads[v.name].dataSync(), layered.grads[v.name].dataSync(), `gradient of ${v.name}`);
  movedFused.forEach((m, i) => near(m, movedLayered[i], `moving statistic ${i}`));
});
