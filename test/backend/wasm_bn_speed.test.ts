/**
 * (bn speed area, issue 18) Training batch norm's faster wasm kernels: the statistics and the
 * backward sums in float32 runs added into float64 (assembly/resnet_bn.ts tasks 121-122) and
 * batch norm + residual Add + relu in one pass (task 155, ops.batchNormTraining's residual),
 * against the js reference backend's composed ops (random shapes, odd channel counts, batch 1,
 * with and without relu, forward and every gradient); the statistics' error against a float64
 * reference, beside a float32 two-pass computation's (TensorFlow.js computes moments in
 * float32); the same bits on one and two threads; and a residual block trained with the Add and
 * relu fused against the layers run one by one.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as st from '../../src/index.js';
import { compare, rng, values } from './wasm_compare.js';
import type { SymbolicTensor } from '../../src/nn/layer.js';

const shapes = [[1, 1], [1, 5], [3, 7], [1, 3, 3, 17], [2, 4, 5, 16], [5, 3, 4], [2, 9, 9, 4], [64, 2, 2, 3],
  [3, 7, 5, 33], [40, 24], [1, 6, 6, 20]];

/** the op's outputs and the gradients of sum(y * dy) w.r.t. x, scale, offset and residual */
function run(shape: number[], seed: number, activation: 'linear' | 'relu', withScale: boolean, withOffset: boolean,
  withResidual: boolean): () => st.Tensor[] {
  return () => {
    const c = shape[shape.length - 1];
    const x = st.add(st.randomNormal(shape, 0, 2, 'float32', seed), 3);
    const g = st.randomUniform([c], 0.5, 1.5, 'float32', seed + 1);
    const b = st.randomUniform([c], -0.5, 0.5, 'float32', seed + 2);
    const r = st.randomNormal(shape, 0, 1, 'float32', seed + 3);
    const dy = st.randomNormal(shape, 0, 1, 'float32', seed + 4);
    const used = [x, ...(withScale ? [g] : []), ...(withOffset ? [b] : []), ...(withResidual ? [r] : [])];
    const f = (xi: st.Tensor, ...ps: st.Tensor[]) => {
      let k = 0;
      const sc = withScale ? ps[k++] : null, of = withOffset ? ps[k++] : null, res = withResidual ? ps[k++] : null;
      return st.batchNormTraining(xi, sc, of, 1e-3, activation, res);
    };
    const { y, mean, variance } = f(x, ...used.slice(1));
    const grads = st.grads((...ts: st.Tensor[]) => st.sum(st.mul(f(ts[0], ...ts.slice(1)).y, dy)))(used);
    return [y, mean, variance, ...grads];
  };
}

for (const activation of ['linear', 'relu'] as const) {
  for (const withResidual of [false, true]) {
    test(`batchNormTraining (${activation}${withResidual ? ', residual' : ''}): wasm matches js, forward and gradients`, () => {
      const next = rng(activation === 'relu' ? 21 : 22);
      for (const shape of shapes) {
        const withScale = next(2) === 1, withOffset = next(2) === 1, seed = next(1000);
        compare(`[${shape}] scale ${withScale} offset ${withOffset}`, run(shape, seed, activation, withScale, withOffset, withResidual), 2e-5);
      }
    });
  }
}

test('batchNormTraining: one and two threads give the same bits (statistics, relu, residual)', () => {
  for (const [activation, withResidual] of [['linear', false], ['relu', false], ['relu', true]] as const) {
    const f = run([16, 16, 16, 16], 7, activation, true, true, withResidual);
    st.setNumThreads(1);
    const one = values('wasm', f);
    st.setNumThreads(2);
    const two = values('wasm', f);
    one.forEach((a, j) => assert.deepEqual(two[j], a, `${activation} residual ${withResidual}: output ${j}`));
  }
});

test('batchNormTraining statistics: error against float64 within that of float32 two-pass moments', () => {
  // 16 channels, 64 * 16 * 16 rows, values far from zero against their spread (mean 50 + j,
  // deviation 0.5): the case where a sum of squares without a shift would cancel
  const rows = 64 * 16 * 16, c = 16;
  const next = rng(5);
  const data = Float32Array.from({ length: rows * c }, (_, i) => {
    const u1 = (next(1 << 30) + 1) / 2 ** 30, u2 = next(1 << 30) / 2 ** 30;
    return 50 + (i % c) + 0.5 * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  });
  st.setBackend('wasm');
  const { mean, variance } = st.batchNormTraining(st.tensor(data, [rows, c], 'float32'), null, null);
  const gotMean = mean.dataSync() as Float32Array, gotVar = variance.dataSync() as Float32Array;
  let errMean = 0, errVar = 0, f32Mean = 0, f32Var = 0;
  for (let j = 0; j < c; j++) {
    let s = 0, s32 = Math.fround(0);
    for (let r = 0; r < rows; r++) {
      s += data[r * c + j];
      s32 = Math.fround(s32 + data[r * c + j]);
    }
    const m = s / rows, m32 = Math.fround(s32 / rows);
    let q = 0, q32 = Math.fround(0);
    for (let r = 0; r < rows; r++) {
      q += (data[r * c + j] - m) ** 2;
      const d = Math.fround(data[r * c + j] - m32);
      q32 = Math.fround(q32 + Math.fround(d * d));
    }
    const v = q / rows, v32 = Math.fround(q32 / rows);
    errMean = Math.max(errMean, Math.abs(gotMean[j] - m) / Math.abs(m));
    errVar = Math.max(errVar, Math.abs(gotVar[j] - v) / v);
    f32Mean = Math.max(f32Mean, Math.abs(m32 - m) / Math.abs(m));
    f32Var = Math.max(f32Var, Math.abs(v32 - v) / v);
  }
  // float32 rounding of the results alone is 6e-8 (seen: 3e-8 and 5e-8); the float32 two-pass
  // sums err far more (seen: 4e-6 and 3e-6). BN_SPEED_PRINT=1 prints the four figures.
  if (process.env.BN_SPEED_PRINT) console.log({ errMean, errVar, f32Mean, f32Var });
  assert.ok(errMean <= 2e-7 && errMean <= f32Mean, `mean: relative error ${errMean} (float32 two-pass ${f32Mean})`);
  assert.ok(errVar <= 1e-6 && errVar <= f32Var, `variance: relative error ${errVar} (float32 two-pass ${f32Var})`);
});

test('wasm: a residual block trained with batch norm + Add + relu fused equals the layers one by one', () => {
  st.setBackend('wasm');
  st.setSeed(8);
  const input = st.input({ shape: [6, 6, 5] });
  const c1 = st.layers.conv2d({ filters: 5, kernelSize: 3, padding: 'same', useBias: false }).apply(input) as SymbolicTensor;
  const b1 = st.layers.batchNormalization({ epsilon: 1e-5, momentum: 0.9 }).apply(c1) as SymbolicTensor;
  const sum = st.layers.add({}).apply([input, b1]) as SymbolicTensor;
  const r1 = st.layers.activation({ activation: 'relu' }).apply(sum) as SymbolicTensor;
  const out = st.layers.globalAveragePooling2d({}).apply(r1) as SymbolicTensor;
  const model = st.model({ inputs: input, outputs: out });
  const x = st.randomNormal([3, 6, 6, 5], 0, 1, 'float32', 5);
  const target = st.randomNormal([3, 5], 0, 1, 'float32', 6);
  const [conv, bn, add, relu, pool] = model.layers.slice(1);
  assert.deepEqual([bn.className, add.className, relu.className], ['BatchNormalization', 'Add', 'Activation']);
  const lossOf = (pred: st.Tensor) => st.mean(st.square(st.sub(pred, target)));
  const weights = model.trainableWeights;
  const before = bn.getWeights().map((t) => Float32Array.from(t.dataSync() as Float32Array));
  // fused: the model's graph; the Add and relu layers must not be called
  let calls = 0;
  for (const l of [add, relu]) {
    const original = l.call.bind(l);
    (l as { call: typeof l.call }).call = (...a: Parameters<typeof original>) => {
      calls++;
      return original(...a);
    };
  }
  const fused = st.variableGrads(() => lossOf(model.execute(x, { training: true })[0]), weights);
  assert.equal(calls, 0, 'the Add and relu layers were fused into the batch norm');
  const movedFused = bn.getWeights().slice(2).map((t) => Float32Array.from(t.dataSync() as Float32Array));
  bn.setWeights(before.map((v) => st.tensor(v, [v.length])));
  const layered = st.variableGrads(() => {
    const h = relu.apply(add.apply([x, bn.apply(conv.apply(x), { training: true }) as st.Tensor]) as st.Tensor) as st.Tensor;
    return lossOf(pool.apply(h) as st.Tensor);
  }, weights);
  assert.ok(calls > 0, 'the layers ran one by one');
  const movedLayered = bn.getWeights().slice(2).map((t) => Float32Array.from(t.dataSync() as Float32Array));
  const near = (a: ArrayLike<number>, b: ArrayLike<number>, what: string) => {
    let scale = 1e-3;
    for (let i = 0; i < b.length; i++) scale = Math.max(scale, Math.abs(b[i]));
    for (let i = 0; i < b.length; i++) assert.ok(Math.abs(a[i] - b[i]) <= 1e-5 * scale, `${what}[${i}]: ${a[i]} vs ${b[i]}`);
  };
  near(fused.value.dataSync(), layered.value.dataSync(), 'loss');
  for (const v of weights) near(fused.grads[v.name].dataSync(), layered.grads[v.name].dataSync(), `gradient of ${v.name}`);
  movedFused.forEach((m, i) => near(m, movedLayered[i], `moving statistic ${i}`));
  // inference: the Add and relu run after the batch norm's moving statistics
  const inferred = model.predict(x) as st.Tensor;
  const byLayers = pool.apply(relu.apply(add.apply([x, bn.apply(conv.apply(x)) as st.Tensor]) as st.Tensor)) as st.Tensor;
  near(inferred.dataSync(), byLayers.dataSync(), 'inference');
});

test('batchNormTraining: a residual of another shape is refused, naming it', () => {
  st.setBackend('js');
  assert.throws(() => st.batchNormTraining(st.ones([2, 3]), null, null, 1e-3, 'relu', st.ones([2, 4])),
    /'residual' must have x's shape \[2,3\], got \[2,4\]/);
});
