/**
 * The webgpu backend's kernels against the js reference backend, called through the Backend
 * interface with the same inputs: random shapes (seeded) with odd sizes, size-1 axes and batch
 * 1, broadcasting, every reduction axis set. Then the storage: the buffer pool, the pipeline
 * cache, asynchronous reads, and the report of fallbacks. Skipped, with the reason printed,
 * where Dawn finds no GPU adapter.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as st from '../../src/index.js';
import type { Backend, BinaryOp, DataId, DType, TensorInfo, TypedArray, UnaryOp } from '../../src/backend/types.js';
import type { WebGpuBackend } from '../../src/backend/webgpu/backend.js';
import { rng } from './wasm_compare.js';
import { startWebGpu } from './webgpu_env.js';

const reason = await startWebGpu();
const js = st.findBackend('js');
const gpu = st.findBackend('webgpu') as WebGpuBackend;
const gtest = (name: string, fn: () => void | Promise<void>): void => {
  test(`webgpu: ${name}`, async (t) => {
    if (reason) return t.skip(reason);
    await fn();
  });
};
if (reason) console.log(`webgpu tests skipped: ${reason}`);

const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

function randomValues(n: number, seed: number, dtype: DType, lo = -3, hi = 3): TypedArray {
  const r = rng(seed);
  if (dtype === 'int32') return Int32Array.from({ length: n }, () => r(13) - 6);
  if (dtype === 'bool') return Uint8Array.from({ length: n }, () => r(2));
  return Float32Array.from({ length: n }, () => lo + (hi - lo) * (r(1 << 20) / (1 << 20)));
}

/** The same values on both backends. */
function input(values: TypedArray, shape: readonly number[], dtype: DType): [TensorInfo, TensorInfo] {
  return [{ dataId: js.write(values.slice(), dtype), shape, dtype }, { dataId: gpu.write(values.slice(), dtype), shape, dtype }];
}

/** Runs `f` on both backends (inputs [js, gpu] pairs) and compares the outputs within `tol` of max(1, |ref|). */
function compare(what: string, inputs: [TensorInfo, TensorInfo][], f: (b: Backend, xs: TensorInfo[]) => DataId, tol = 2e-5): void {
  const ref = js.read(f(js, inputs.map((p) => p[0])));
  const out = f(gpu, inputs.map((p) => p[1]));
  const got = gpu.read(out);
  assert.equal(got.constructor, ref.constructor, `${what}: storage type`);
  assert.equal(got.length, ref.length, `${what}: length`);
  for (let i = 0; i < ref.length; i++) {
    const r = ref[i], g = got[i];
    if (Number.isNaN(r) && Number.isNaN(g)) continue;
    if (r === g) continue;
    if (!(Math.abs(g - r) <= tol * Math.max(1, Math.abs(r)))) assert.fail(`${what}: element ${i}: js ${r}, webgpu ${g}`);
  }
  gpu.decRef(out);
}

/** A random shape of rank 0..4 with odd sizes and some 1s. */
function randomShape(r: (n: number) => number, rank = r(5)): number[] {
  return Array.from({ length: rank }, () => [1, 2, 3, 5, 7][r(5)]);
}

/** A shape that broadcasts to `shape`: trailing axes kept or set to 1. */
function broadcastable(r: (n: number) => number, shape: readonly number[]): number[] {
  return shape.slice(r(shape.length + 1)).map((d) => (r(3) === 0 ? 1 : d));
}

const DOMAIN: Partial<Record<UnaryOp, [number, number]>> = {
  sqrt: [0, 9], rsqrt: [0.1, 9], log: [0.01, 9], log1p: [-0.9, 9], asin: [-1, 1], acos: [-1, 1],
  acosh: [1, 9], atanh: [-0.99, 0.99], tan: [-1.4, 1.4], reciprocal: [0.1, 5],
};
const UNARY: UnaryOp[] = ['neg', 'abs', 'sign', 'sqrt', 'rsqrt', 'square', 'reciprocal', 'exp', 'expm1', 'log', 'log1p',
  'sin', 'cos', 'tan', 'asin', 'acos', 'atan', 'sinh', 'cosh', 'tanh', 'sigmoid', 'relu', 'relu6', 'elu', 'selu',
  'softplus', 'softsign', 'erf', 'floor', 'ceil', 'round', 'step', 'acosh', 'asinh', 'atanh', 'logicalNot', 'isNaN',
  'isFinite', 'isInf'];
/** WGSL allows the trigonometric built-ins an absolute error of 2^-11 (sin, cos) and derives the rest from them. */
const TRIG = new Set(['sin', 'cos', 'tan', 'asin', 'acos', 'atan', 'sinh', 'cosh', 'tanh', 'asinh', 'acosh', 'atanh', 'atan2']);
const BOOL_OUT = new Set(['logicalNot', 'isNaN', 'isFinite', 'isInf', 'equal', 'notEqual', 'less', 'lessEqual', 'greater',
  'greaterEqual', 'logicalAnd', 'logicalOr', 'logicalXor']);

gtest('unary ops of the table, float32 (NaN and halves included) and int32', () => {
  const r = rng(1);
  for (const op of UNARY) {
    const shape = randomShape(r, 1 + r(3));
    const [lo, hi] = DOMAIN[op] ?? [-4, 4];
    const v = randomValues(size(shape), r(1000), 'float32', lo, hi);
    v[0] = NaN;
    if (v.length > 2) v[1] = 2.5; // round half to even
    const out: DType = BOOL_OUT.has(op) ? 'bool' : 'float32';
    compare(`${op} ${shape}`, [input(v, shape, 'float32')], (b, [x]) => b.unary(op, x, out), TRIG.has(op) ? 5e-4 : 2e-5);
  }
  for (const op of ['neg', 'abs', 'sign', 'square', 'relu', 'step'] as UnaryOp[]) {
    const v = randomValues(11, 5, 'int32');
    compare(`${op} int32`, [input(v, [11], 'int32')], (b, [x]) => b.unary(op, x, 'int32'));
  }
});

const BINARY: BinaryOp[] = ['add', 'sub', 'mul', 'div', 'pow', 'minimum', 'maximum', 'squaredDifference', 'mod', 'floorDiv',
  'atan2', 'equal', 'notEqual', 'less', 'lessEqual', 'greater', 'greaterEqual', 'logicalAnd', 'logicalOr', 'logicalXor'];

gtest('binary ops with broadcasting, float32 and int32', () => {
  const r = rng(2);
  // each op in one of three patterns: same shapes, both broadcast, a scalar operand
  BINARY.forEach((op, k) => {
    {
      const outShape = randomShape(r, 1 + r(4));
      const aShape = k % 3 === 2 ? [] : k % 3 === 0 ? [...outShape] : broadcastable(r, outShape);
      const bShape = k % 3 === 0 ? [...outShape] : broadcastable(r, outShape);
      const full = outShape.map((_, d) => Math.max(aShape[d - outShape.length + aShape.length] ?? 1, bShape[d - outShape.length + bShape.length] ?? 1));
      const out: DType = BOOL_OUT.has(op) ? 'bool' : 'float32';
      const a = randomValues(size(aShape), r(1000), 'float32', op === 'pow' ? 0.1 : -3, 3);
      const bv = randomValues(size(bShape), r(1000), 'float32');
      if (op === 'pow') for (let i = 0; i < bv.length; i++) bv[i] = Math.round(bv[i]);
      if (op === 'pow' && a.length > 0) a[0] = -2; // negative base, integer exponent
      compare(`${op} ${aShape}|${bShape}`, [input(a, aShape, 'float32'), input(bv, bShape, 'float32')],
        (b, [x, y]) => b.binary(op, x, y, full, out), TRIG.has(op) ? 5e-4 : 2e-5);
    }
  });
  for (const op of ['add', 'sub', 'mul', 'minimum', 'maximum', 'mod', 'floorDiv', 'less', 'bitwiseAnd'] as BinaryOp[]) {
    const a = randomValues(15, 7, 'int32');
    const bv = Int32Array.from(randomValues(5, 8, 'int32'), (v) => v === 0 ? 3 : v);
    compare(`${op} int32`, [input(a, [3, 5], 'int32'), input(bv, [5], 'int32')],
      (b, [x, y]) => b.binary(op, x, y, [3, 5], BOOL_OUT.has(op) ? 'bool' : 'int32'));
  }
});

gtest('where, casts and the relu gradient', () => {
  const r = rng(3);
  for (let k = 0; k < 4; k++) {
    const shape = randomShape(r, 1 + r(3));
    const cond = input(randomValues(size(shape), r(99), 'bool'), shape, 'bool');
    const a = input(randomValues(size(shape), r(99), 'float32'), shape, 'float32');
    const bShape = broadcastable(r, shape);
    const bb = input(randomValues(size(bShape), r(99), 'float32'), bShape, 'float32');
    compare(`where ${shape}`, [cond, a, bb], (b, [c, x, y]) => b.where(c, x, y, shape));
  }
  const f = input(Float32Array.from([-2.7, -0.5, 0, 0.5, 3.9, 1.5]), [6], 'float32');
  for (const to of ['int32', 'bool', 'float32'] as DType[]) compare(`cast -> ${to}`, [f], (b, [x]) => b.cast(x, to));
  const i = input(Int32Array.from([-3, 0, 7]), [3], 'int32');
  for (const to of ['float32', 'bool'] as DType[]) compare(`cast int32 -> ${to}`, [i], (b, [x]) => b.cast(x, to));
  const dy = input(randomValues(35, 4, 'float32'), [5, 7], 'float32');
  const y = input(randomValues(35, 5, 'float32'), [5, 7], 'float32');
  // js has no relu-gradient kernel: dy * (y > 0) composed
  compare('reluGrad', [dy, y], (b, [d, yy]) => b === js
    ? js.binary('mul', d, { dataId: js.unary('step', yy, 'float32'), shape: yy.shape, dtype: 'float32' }, d.shape, 'float32')
    : gpu.reluGrad(d, yy)!);
});

gtest('reductions over every axis set, arg-max/min with ties and NaN', () => {
  const r = rng(4);
  // SwiftShader compiles each pipeline slowly: a few shapes, the ops rotated over them
  for (let k = 0; k < 4; k++) {
    const shape = randomShape(r, 1 + r(4));
    const axes = shape.map((_, d) => d).filter(() => r(2) === 0);
    const v = randomValues(size(shape), r(999), 'float32');
    for (const op of (['sum', 'max', 'min', 'prod'] as const).filter((_, j) => j % 2 === k % 2)) {
      compare(`${op} ${shape} axes ${axes}`, [input(v, shape, 'float32')], (b, [x]) => b.reduce(op, x, axes, 'float32'), 1e-5);
    }
    const iv = randomValues(size(shape), r(999), 'int32');
    compare(`sum int32 ${shape}`, [input(iv, shape, 'int32')], (b, [x]) => b.reduce('sum', x, axes, 'int32'));
    const bv = randomValues(size(shape), r(999), 'bool');
    const logical = k % 2 ? 'any' : 'all';
    compare(logical, [input(bv, shape, 'bool')], (b, [x]) => b.reduce(logical, x, axes, 'bool'));
    const axis = r(shape.length);
    const tied = Float32Array.from(v, (x) => Math.round(x));
    if (tied.length > 3) tied[2] = NaN;
    for (const op of [k % 2 ? 'argMax' : 'argMin'] as const) {
      compare(`${op} ${shape} axis ${axis}`, [input(tied, shape, 'float32')], (b, [x]) => b.argReduce(op, x, axis));
    }
  }
  // a reduction longer than one workgroup's threads
  const long = randomValues(3 * 301, 9, 'float32');
  compare('sum of 301-element rows', [input(long, [3, 301], 'float32')], (b, [x]) => b.reduce('sum', x, [1], 'float32'), 1e-5);
  compare('argMax of 301-element rows', [input(long, [3, 301], 'float32')], (b, [x]) => b.argReduce('argMax', x, 1));
});

gtest('softmax and the fused softmax cross-entropy (dense and sparse labels) with its gradient', () => {
  for (const [rows, k] of [[1, 1], [5, 3], [3, 130]]) {
    const logits = randomValues(rows * k, rows + k, 'float32', -20, 20);
    const z = input(logits, [rows, k], 'float32');
    const got = gpu.read(gpu.softmax(z[1])!);
    const ref = new Float64Array(rows * k);
    for (let row = 0; row < rows; row++) {
      let m = -Infinity;
      for (let j = 0; j < k; j++) m = Math.max(m, logits[row * k + j]);
      let s = 0;
      for (let j = 0; j < k; j++) s += Math.exp(logits[row * k + j] - m);
      for (let j = 0; j < k; j++) ref[row * k + j] = Math.exp(logits[row * k + j] - m) / s;
    }
    for (let i = 0; i < ref.length; i++) assert.ok(Math.abs(got[i] - ref[i]) < 1e-6, `softmax ${rows}x${k}[${i}]`);
    const dense = Float32Array.from({ length: rows * k }, (_, i) => (i % k === (i / k | 0) % k ? 1 : 0));
    const sparse = Int32Array.from({ length: rows }, (_, i) => i % k);
    for (const labels of [input(dense, [rows, k], 'float32'), input(sparse, [rows], 'int32')]) {
      const fused = gpu.softmaxCrossEntropy(z[1], labels[1])!;
      const loss = gpu.read(fused.loss);
      const p = gpu.read(fused.softmax);
      for (let row = 0; row < rows; row++) {
        let m = -Infinity;
        for (let j = 0; j < k; j++) m = Math.max(m, logits[row * k + j]);
        let s = 0;
        for (let j = 0; j < k; j++) s += Math.exp(logits[row * k + j] - m);
        const c = row % k;
        const want = m + Math.log(s) - logits[row * k + c];
        assert.ok(Math.abs(loss[row] - want) < 1e-4 * Math.max(1, want), `loss row ${row}: ${loss[row]} vs ${want}`);
      }
      const dLoss = input(randomValues(rows, 3, 'float32'), [rows], 'float32');
      const grad = gpu.read(gpu.softmaxCrossEntropyGrad({ dataId: fused.softmax, shape: [rows, k], dtype: 'float32' }, labels[1], dLoss[1])!);
      const d = dLoss[1] && gpu.read(dLoss[1].dataId);
      for (let i = 0; i < rows * k; i++) {
        const want = (p[i] - (i % k === ((i / k) | 0) % k ? 1 : 0)) * d[(i / k) | 0];
        assert.ok(Math.abs(grad[i] - want) < 1e-6, `grad[${i}]`);
      }
    }
  }
});

gtest('transpose, strided slices, reverse, tile, pad, concat and gather', () => {
  const r = rng(6);
  for (let k = 0; k < 4; k++) {
    const shape = randomShape(r, 1 + r(4));
    const dtype: DType = (['float32', 'int32', 'bool'] as DType[])[k % 3];
    const x = input(randomValues(size(shape), r(999), dtype), shape, dtype);
    const perm = shape.map((_, d) => d).sort(() => r(3) - 1);
    compare(`transpose ${shape} ${perm}`, [x], (b, [t]) => b.transpose(t, perm));
    const strides = shape.map(() => (r(2) ? 1 : -2));
    const begin = shape.map((d, i) => (strides[i] > 0 ? r(d) : d - 1 - r(d)));
    const sz = shape.map((d, i) => Math.max(1, Math.floor((strides[i] > 0 ? d - begin[i] : begin[i] + 1) / Math.abs(strides[i]))));
    compare(`stridedSlice ${shape}`, [x], (b, [t]) => b.stridedSlice(t, begin, sz, strides));
    const axes = shape.map((_, d) => d).filter(() => r(2) === 0);
    compare(`reverse ${shape}`, [x], (b, [t]) => b.reverse(t, axes));
    const reps = shape.map(() => 1 + r(3));
    compare(`tile ${shape}`, [x], (b, [t]) => b.tile(t, reps));
    const pads = shape.map(() => [r(3), r(2)] as [number, number]);
    compare(`pad ${shape}`, [x], (b, [t]) => b.pad(t, pads, dtype === 'float32' ? -1.5 : 1));
    const axis = r(shape.length);
    const other = shape.map((d, i) => (i === axis ? 1 + r(3) : d));
    const y = input(randomValues(size(other), r(999), dtype), other, dtype);
    compare(`concat axis ${axis}`, [x, y, x], (b, xs) => b.concat(xs, axis));
    const idx = input(Int32Array.from({ length: 4 }, () => r(shape[axis])), [2, 2], 'int32');
    compare(`gather axis ${axis}`, [x, idx], (b, [t, i]) => b.gather(t, i, axis));
  }
});

gtest('buffers return to the pool, pipelines are compiled once, data() reads without blocking', async () => {
  await st.setBackend('webgpu');
  try {
    const step = (): void => {
      st.tidy(() => {
        const a = st.randomNormal([17, 9], 0, 1, 'float32', 1);
        st.sum(st.relu(st.add(st.mul(a, 2), st.tensor1d([1, 2, 3, 4, 5, 6, 7, 8, 9])))).dataSync();
      });
    };
    step();
    const before = { ...gpu.memory(), pipelines: gpu.pipelines };
    for (let i = 0; i < 5; i++) step();
    const after = { ...gpu.memory(), pipelines: gpu.pipelines };
    assert.equal(after.numBytes, before.numBytes, 'live bytes are back where they were');
    assert.equal(after.gpuBytes, before.gpuBytes, 'no new GPU buffers: the pool served every step');
    assert.equal(after.pipelines, before.pipelines, 'no new pipelines for the same shapes');
    assert.ok(st.memory().numBytes >= 0 && (st.memory() as { gpuBytes?: number }).gpuBytes! > 0, 'st.memory() reports GPU bytes');
    const t = st.exp(st.tensor1d([0, 1]));
    assert.deepEqual(Array.from(await t.data()).map((v) => +v.toFixed(4)), [1, 2.7183]);
    assert.deepEqual(await st.tensor2d([[1, 2]]).add(1).array(), [[2, 3]]);
    // cumsum has no GPU kernel yet (matMul, which this used, now has one)
    st.cumsum(st.ones([3])).dispose();
    const report = st.backendReport();
    assert.equal(report.backend, 'webgpu');
    assert.ok(report.adapter, 'the adapter is named');
    assert.ok(report.fallbacks.includes('cumulative'), `cumulative is listed as a fallback: ${report.fallbacks}`);
    assert.ok(!report.fallbacks.includes('matMul'), `matMul runs on the GPU: ${report.fallbacks}`);
  } finally {
    await st.setBackend('js');
  }
});
