/**
 * (resnet speed area) Inference folds Conv2D -> BatchNormalization (-> relu) into one fused
 * convolution (src/nn/fold_batchnorm.ts): the same outputs as the layers run one by one, on the
 * js and the wasm backends, batch 1 and odd sizes; the batch norm really is skipped; the cache
 * follows setWeights and training; training mode, gradients and shared intermediate values keep
 * the unfolded path. Also the run-copying pad kernel against a value-by-value one.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as st from '../../src/index.js';
import type { SymbolicTensor } from '../../src/nn/layer.js';

/** Input -> conv+bn+relu -> conv(stride 2, bias)+bn -> [bn output also read by a second branch] ... */
function buildModel(seed: number): st.LayersModel {
  st.setSeed(seed);
  const x = st.input({ shape: [7, 9, 3] });
  const c1 = st.layers.conv2d({ filters: 5, kernelSize: 3, padding: 'same', useBias: false }).apply(x) as SymbolicTensor;
  const b1 = st.layers.batchNormalization({ epsilon: 1e-3 }).apply(c1) as SymbolicTensor;
  const r1 = st.layers.activation({ activation: 'relu' }).apply(b1) as SymbolicTensor;
  // conv with a bias and stride 2, batch norm, no relu after it
  const c2 = st.layers.conv2d({ filters: 4, kernelSize: 3, strides: 2, padding: 'valid' }).apply(r1) as SymbolicTensor;
  const b2 = st.layers.batchNormalization({ axis: 3, epsilon: 1e-2 }).apply(c2) as SymbolicTensor;
  // a batch norm whose output two layers read: folds without its relu
  const c3 = st.layers.conv2d({ filters: 4, kernelSize: 1 }).apply(b2) as SymbolicTensor;
  const b3 = st.layers.batchNormalization({}).apply(c3) as SymbolicTensor;
  const r3 = st.layers.activation({ activation: 'relu' }).apply(b3) as SymbolicTensor;
  const sum = st.layers.add().apply([b3, r3]) as SymbolicTensor;
  // a conv whose output is also read elsewhere: no fold
  const c4 = st.layers.conv2d({ filters: 4, kernelSize: 1, useBias: false }).apply(sum) as SymbolicTensor;
  const b4 = st.layers.batchNormalization({}).apply(c4) as SymbolicTensor;
  const out = st.layers.add().apply([c4, b4]) as SymbolicTensor;
  const flat = st.layers.globalAveragePooling2d({}).apply(out) as SymbolicTensor;
  const model = st.model({ inputs: x, outputs: flat });
  // batch-norm statistics and affine parameters away from their identity initial values
  let s = seed * 10;
  for (const layer of model.layers) {
    if (layer.className !== 'BatchNormalization') continue;
    const c = layer.getWeights()[0].size;
    layer.setWeights([
      st.randomUniform([c], 0.5, 1.5, 'float32', s++), st.randomUniform([c], -0.5, 0.5, 'float32', s++),
      st.randomUniform([c], -0.3, 0.3, 'float32', s++), st.randomUniform([c], 0.2, 2, 'float32', s++),
    ]);
  }
  return model;
}

/** The model's output with each layer applied on its own (never folded). */
function layerByLayer(model: st.LayersModel, x: st.Tensor): Float32Array {
  const out = st.tidy(() => st.noGrad(() => {
    const values = new Map<number, st.Tensor>([[model.inputs[0].id, x]]);
    for (const node of model.graphNodes) {
      if (node.layer.className === 'InputLayer') continue;
      const ins = node.inputs.map((s) => values.get(s.id)!);
      const apply = node.layer.apply.bind(node.layer) as (inputs: st.Tensor | st.Tensor[]) => st.Tensor;
      values.set(node.outputs[0].id, apply(ins.length === 1 ? ins[0] : ins));
    }
    return values.get(model.outputs[0].id)!;
  }));
  const data = Float32Array.from(out.dataSync() as Float32Array);
  out.dispose();
  return data;
}

function close(got: ArrayLike<number>, want: ArrayLike<number>, what: string, tol = 1e-5): void {
  assert.equal(got.length, want.length, what);
  let scale = 1e-3;
  for (let i = 0; i < want.length; i++) scale = Math.max(scale, Math.abs(want[i]));
  for (let i = 0; i < want.length; i++) {
    assert.ok(Math.abs(got[i] - want[i]) <= tol * scale, `${what}: element ${i}: folded ${got[i]}, layers ${want[i]}`);
  }
}

/** Counts the calls of each batch-norm layer's `call` while `body` runs. */
function batchNormCalls(model: st.LayersModel, body: () => void): number {
  let calls = 0;
  const restore: (() => void)[] = [];
  for (const layer of model.layers) {
    if (layer.className !== 'BatchNormalization') continue;
    const original = layer.call;
    (layer as { call: typeof layer.call }).call = function (this: st.Layer, ...a: Parameters<typeof original>) {
      calls++;
      return original.apply(this, a);
    };
    restore.push(() => ((layer as { call: typeof layer.call }).call = original));
  }
  try {
    body();
  } finally {
    for (const r of restore) r();
  }
  return calls;
}

for (const backend of ['js', 'wasm']) {
  test(`${backend}: predict with folded batch norms equals the layers one by one`, () => {
    st.setBackend(backend);
    const model = buildModel(3);
    for (const batch of [1, 3]) {
      const x = st.randomUniform([batch, 7, 9, 3], -1, 1, 'float32', 40 + batch);
      let got!: Float32Array;
      // four batch norms: three fold (the fourth's conv output is read twice), one still runs
      const calls = batchNormCalls(model, () => {
        got = Float32Array.from((model.predict(x) as st.Tensor).dataSync() as Float32Array);
      });
      assert.equal(calls, 1, 'batch-norm layers called in predict');
      close(got, layerByLayer(model, x), `batch ${batch}`);
    }
  });
}

test('the folded weights follow setWeights and training, and training mode never folds', async () => {
  st.setBackend('js');
  const model = buildModel(5);
  const x = st.randomUniform([2, 7, 9, 3], -1, 1, 'float32', 7);
  const predict = () => Float32Array.from((model.predict(x) as st.Tensor).dataSync() as Float32Array);
  close(predict(), layerByLayer(model, x), 'before');
  // new moving statistics for the first batch norm, and a new kernel for the first conv
  const bn = model.layers.find((l) => l.className === 'BatchNormalization')!;
  const w = bn.getWeights();
  bn.setWeights([w[0], w[1], st.add(w[2], 0.25), st.mul(w[3], 3)]);
  const conv = model.layers.find((l) => l.className === 'Conv2D')!;
  conv.setWeights([st.mul(conv.getWeights()[0], -0.5)]);
  close(predict(), layerByLayer(model, x), 'after setWeights');
  // a training step moves gamma, beta, kernels and the moving statistics
  model.compile({ optimizer: st.train.adam(0.05), loss: 'meanSquaredError' });
  const y = st.randomUniform([2, 4], -1, 1, 'float32', 8);
  const calls = batchNormCalls(model, () => { void model.trainOnBatch(x, y); });
  assert.equal(calls, 4, 'every batch norm runs in training');
  await model.trainOnBatch(x, y);
  close(predict(), layerByLayer(model, x), 'after training');
});

test('gradients through the model in inference mode take the unfolded layers', () => {
  st.setBackend('js');
  const model = buildModel(6);
  const x = st.randomUniform([1, 7, 9, 3], -1, 1, 'float32', 9);
  const f = (xi: st.Tensor) => st.sum(st.square(model.apply(xi, { training: false }) as st.Tensor));
  let dx!: st.Tensor;
  const calls = batchNormCalls(model, () => { dx = st.grad(f)(x); });
  assert.equal(calls, 4, 'batch norms called under a gradient');
  // the same gradient from the layers one by one, by central differences on a few inputs
  const base = x.dataSync() as Float32Array;
  for (const i of [0, 17, 100, 188]) {
    const at = (d: number) => {
      const v = Float32Array.from(base);
      v[i] += d;
      const out = layerByLayer(model, st.tensor(v, x.shape));
      return out.reduce((a, b) => a + b * b, 0);
    };
    const numeric = (at(1e-2) - at(-1e-2)) / 2e-2;
    const analytic = (dx.dataSync() as Float32Array)[i];
    assert.ok(Math.abs(numeric - analytic) <= 2e-2 * Math.max(1, Math.abs(numeric)), `dx[${i}]: ${analytic} vs ${numeric}`);
  }
});

test('pad copies runs and matches a value-by-value pad (ranks 1-5, odd paddings, constants)', () => {
  for (const backend of ['js', 'wasm']) {
    st.setBackend(backend);
    const cases: [number[], [number, number][]][] = [
      [[5], [[2, 1]]], [[3, 4], [[0, 0], [1, 2]]], [[3, 4], [[2, 0], [0, 0]]], [[1, 5, 3, 2], [[0, 0], [1, 1], [2, 3], [0, 0]]],
      [[2, 3, 3, 5], [[1, 0], [0, 0], [0, 0], [0, 1]]], [[2, 2, 3, 1, 2], [[0, 1], [1, 0], [0, 0], [2, 2], [0, 0]]],
      [[2, 3], [[0, 0], [0, 0]]], [[0, 3], [[1, 1], [0, 0]]],
    ];
    for (const [shape, paddings] of cases) {
      const size = shape.reduce((a, b) => a * b, 1);
      const x = st.tensor(Float32Array.from({ length: size }, (_, i) => i + 1), shape);
      const got = st.pad(x, paddings, -7).dataSync();
      const outShape = shape.map((d, i) => d + paddings[i][0] + paddings[i][1]);
      const want = new Float32Array(outShape.reduce((a, b) => a * b, 1)).fill(-7);
      for (let i = 0; i < size; i++) {
        let rest = i, off = 0, stride = 1;
        const idx = new Array<number>(shape.length);
        for (let d = shape.length - 1; d >= 0; d--) { idx[d] = rest % shape[d]; rest = Math.floor(rest / shape[d]); }
        for (let d = shape.length - 1; d >= 0; d--) { off += (idx[d] + paddings[d][0]) * stride; stride *= outShape[d]; }
        want[off] = i + 1;
      }
      assert.deepEqual(Array.from(got), Array.from(want), `${backend} pad [${shape}] by ${JSON.stringify(paddings)}`);
    }
  }
});
