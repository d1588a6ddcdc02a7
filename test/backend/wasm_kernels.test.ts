/**
 * The wasm backend's element-wise, reduction and pooling kernels against the reference js
 * backend: the same float32 inputs on both, results compared at float32 tolerance. Shapes are
 * drawn at random (seeded) with odd sizes and size-1 dims, and cover both the broadcast and
 * reduction patterns the wasm kernels accelerate and the ones they hand back to the reference.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as st from '../../src/index.js';
import { testValues } from '../helpers.js';

/** A small deterministic generator for shapes and sizes. */
function rng(seed: number): (n: number) => number {
  let s = seed >>> 0 || 1;
  return (n) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return Math.floor((s / 2 ** 32) * n);
  };
}

/** float32 values in [-scale, scale), some of them NaN when `nans`. */
function values(n: number, seed: number, scale = 3, nans = false): Float32Array {
  const v = Float32Array.from(testValues(n, seed), (x) => x * scale);
  if (nans) for (let i = 0; i < n; i += 7) v[(i * 13 + seed) % n] = NaN;
  return v;
}

const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** Runs `f` on the js and the wasm backend and compares the results. */
function compare(what: string, f: () => st.Tensor, tol = 2e-6): void {
  const run = (name: string): { data: number[]; shape: number[]; dtype: string } => {
    st.setBackend(name);
    const t = f();
    return { data: Array.from(t.dataSync()), shape: [...t.shape], dtype: t.dtype };
  };
  const ref = run('js');
  const got = run('wasm');
  assert.deepEqual(got.shape, ref.shape, `${what}: shape`);
  assert.equal(got.dtype, ref.dtype, `${what}: dtype`);
  for (let i = 0; i < ref.data.length; i++) {
    const e = ref.data[i], a = got.data[i];
    const ok = (Number.isNaN(e) && Number.isNaN(a)) || a === e || Math.abs(a - e) <= tol * Math.max(1, Math.abs(e));
    if (!ok) assert.fail(`${what}: element ${i} of [${ref.shape}]: wasm ${a}, js ${e}`);
  }
}

const f32 = (v: Float32Array, shape: number[]): st.Tensor => st.tensor(v, shape, 'float32');

test('wasm unary kernels match the reference, NaN and signed zeros included', () => {
  const special = [NaN, -0, 0, Infinity, -Infinity, 0.5, -0.5, 1.5, 2.5, -2.5, 6, 7, -1e-8, 88, -100];
  const unary: [string, (x: st.Tensor) => st.Tensor, number?][] = [
    ['neg', st.neg], ['abs', st.abs], ['square', st.square], ['reciprocal', st.reciprocal],
    ['exp', st.exp], ['sigmoid', st.sigmoid], ['tanh', st.tanh], ['relu', st.relu], ['relu6', st.relu6],
    ['elu', st.elu], ['selu', st.selu], ['softplus', st.softplus], ['softsign', st.softsign], ['sign', st.sign],
    ['floor', st.floor], ['ceil', st.ceil], ['round', st.round], ['expm1', st.expm1], ['sin', st.sin],
    ['cos', st.cos], ['atan', st.atan], ['isNaN', st.isNaN], ['isFinite', st.isFinite], ['isInf', st.isInf],
    ['sqrt', (x) => st.sqrt(st.abs(x))], ['rsqrt', (x) => st.rsqrt(st.abs(x))],
    ['log', (x) => st.log(st.abs(x))], ['log1p', (x) => st.log1p(st.abs(x))],
    ['step (relu grad)', (x) => st.grad((v) => st.sum(st.relu(v)))(x)],
  ];
  for (const n of [1, 3, 4, 7, 33, 1000]) {
    const v = values(n, n, 4, true);
    if (n >= special.length) v.set(special);
    const shape = n === 1000 ? [10, 1, 100] : [n];
    for (const [name, op, tol] of unary) compare(`${name} [${shape}]`, () => op(f32(v, shape)), tol);
  }
  // big enough to run on every thread
  const big = values(300_001, 5, 4, true);
  for (const [name, op] of unary.slice(0, 8)) compare(`${name} big`, () => op(f32(big, [300_001])));
});

test('wasm binary kernels: same shapes, scalars, trailing and leading broadcasts, and fallbacks', () => {
  const r = rng(11);
  const patterns: [number[], number[]][] = [
    [[5, 3], [5, 3]], [[1], [6, 5]], [[4, 7], [1]], [[7], []], [[2, 3, 4, 5], [5]], [[3, 6], [3, 1]],
    [[1, 9], [4, 9]], [[4, 1], [1, 9]], [[2, 3, 1, 5], [3, 4, 1]], [[2, 1, 4], [2, 3, 4]],
    [[3, 1, 4, 1], [1, 2, 1, 5]], [[1, 1, 1], [1, 1, 1]], [[2, 3, 4], [2, 1, 1]], [[0, 3], [3]],
    [[6, 1, 2, 1, 3], [6, 1, 1, 5, 3]],
  ];
  for (let i = 0; i < 6; i++) {
    // random NHWC + [C], [B,N] * [B,1] and [1,C] shapes with odd sizes
    const c = 1 + r(9), h = 1 + r(5), w = 1 + r(6), b = 1 + r(3);
    patterns.push([[b, h, w, c], [c]], [[b * h, w], [b * h, 1]], [[1, c], [b, w, c]]);
  }
  const ops: [string, (a: st.Tensor, b: st.Tensor) => st.Tensor][] = [
    ['add', st.add], ['sub', st.sub], ['mul', st.mul], ['div', st.div], ['maximum', st.maximum],
    ['minimum', st.minimum], ['squaredDifference', st.squaredDifference], ['pow', st.pow], ['mod', st.mod],
    ['floorDiv', st.floorDiv], ['atan2', st.atan2], ['equal', st.equal], ['notEqual', st.notEqual],
    ['less', st.less], ['lessEqual', st.lessEqual], ['greater', st.greater], ['greaterEqual', st.greaterEqual],
  ];
  let seed = 1;
  for (const [sa, sb] of patterns) {
    const va = values(size(sa), seed++, 3, true), vb = values(size(sb), seed++, 3, true);
    // some equal values so the comparisons and maximum/minimum see ties
    for (let i = 0; i < Math.min(va.length, vb.length); i += 3) va[i] = vb[i];
    for (const [name, op] of ops) {
      compare(`${name} [${sa}] [${sb}]`, () => op(f32(va, sa), f32(vb, sb)));
      compare(`${name} [${sb}] [${sa}]`, () => op(f32(vb, sb), f32(va, sa)));
    }
  }
  const big = values(400_038, 9, 3, true), row = values(61, 10);
  for (const [name, op] of ops.slice(0, 7)) {
    compare(`${name} big`, () => op(f32(big, [400_038]), f32(big, [400_038])));
    compare(`${name} big row`, () => op(f32(big, [6558, 61]), f32(row, [61])));
  }
  // other dtypes go to the reference
  compare('add int32', () => st.add(st.tensor([1, 2, 3], [3], 'int32'), st.tensor([4], [1], 'int32')));
  compare('add float64', () => st.add(st.tensor([1, 2, 3], [3], 'float64'), st.tensor([4], [1], 'float64')));
});

test('wasm reductions: all axes, trailing, leading, middle runs and scattered axes', () => {
  const r = rng(5);
  const cases: [number[], number[] | null][] = [
    [[7], null], [[3, 5], [1]], [[3, 5], [0]], [[2, 3, 4, 5], [0, 1, 2]], [[2, 3, 4, 5], [1, 2]],
    [[2, 3, 4, 5], [3]], [[2, 3, 4, 5], [0, 2]], [[2, 1, 4, 1, 3], [1, 2, 3]], [[1, 1], [0, 1]],
    [[4, 1, 6], [1]], [[5, 3], [0, 1]],
  ];
  for (let i = 0; i < 6; i++) {
    const shape = [1 + r(5), 1 + r(7), 1 + r(9)];
    cases.push([shape, [2]], [shape, [0, 1]], [shape, [1]], [shape, null]);
  }
  const ops: [string, (x: st.Tensor, axes?: number[] | null) => st.Tensor][] = [
    ['sum', st.sum], ['max', st.max], ['min', st.min], ['prod', st.prod], ['mean', st.mean],
    ['logSumExp', st.logSumExp],
  ];
  let seed = 100;
  for (const [shape, axes] of cases) {
    const v = values(size(shape), seed++, 2, seed % 3 === 0);
    for (const [name, op] of ops) compare(`${name} [${shape}] over ${axes}`, () => op(f32(v, shape), axes));
  }
  compare('softmax rows', () => st.softmax(f32(values(37 * 10, 7), [37, 10])));
  // large: full sums split into partials, a bias gradient and row-wise maxima across threads
  const big = values(72 * 61 * 65, 8);
  for (const [shape, axes] of [[[72 * 61 * 65], null], [[72 * 61, 65], [0]], [[72, 61 * 65], [1]], [[72, 61, 65], [1]]] as const) {
    for (const [name, op] of ops.slice(0, 3)) compare(`${name} big [${shape}] over ${axes}`, () => op(f32(big, [...shape]), axes && [...axes]), 5e-6);
  }
  compare('sum of an empty tensor', () => st.sum(f32(new Float32Array(0), [0, 3]), [0]));
});

test('wasm pooling and its gradients: strides 1-3, valid/same padding, windows larger than the stride', () => {
  const r = rng(21);
  let seed = 500;
  const shapes: number[][] = [[1, 5, 5, 1], [2, 7, 6, 3], [1, 4, 9, 8], [3, 6, 6, 5], [1, 1, 1, 4], [2, 9, 8, 13]];
  for (let i = 0; i < 4; i++) shapes.push([1 + r(3), 1 + r(9), 1 + r(9), 1 + r(10)]);
  for (const shape of shapes) {
    for (const [f, s] of [[1, 1], [2, 2], [3, 2], [3, 1], [2, 3], [3, 3], [4, 2]]) {
      for (const pad of ['valid', 'same'] as const) {
        if (pad === 'valid' && (f > shape[1] || f > shape[2])) continue;
        const x = values(size(shape), seed++, 2, seed % 4 === 0);
        // integers make ties, so the first-max rule is exercised
        if (seed % 3 === 0) for (let i = 0; i < x.length; i++) if (!Number.isNaN(x[i])) x[i] = Math.round(x[i]);
        const what = `[${shape}] f${f} s${s} ${pad}`;
        compare(`maxPool ${what}`, () => st.maxPool(f32(x, shape), f, s, pad));
        compare(`avgPool ${what}`, () => st.avgPool(f32(x, shape), f, s, pad));
        const probe = (pool: typeof st.maxPool) => () => {
          const xt = f32(x, shape);
          const y = pool(xt, f, s, pad);
          const w = f32(values(size(y.shape), seed, 1), [...y.shape]);
          return st.grad((t) => st.sum(st.mul(pool(t, f, s, pad), w)))(xt);
        };
        compare(`maxPool grad ${what}`, probe(st.maxPool));
        compare(`avgPool grad ${what}`, probe(st.avgPool));
      }
    }
  }
  // a batch big enough to run on every thread
  const shape = [16, 24, 24, 16];
  const x = values(size(shape), 77, 2, true);
  compare('maxPool big', () => st.maxPool(f32(x, shape), 3, 2, 'same'));
  compare('avgPool big', () => st.avgPool(f32(x, shape), 3, 2, 'same'));
  compare('maxPool grad big', () => st.grad((t) => st.sum(st.maxPool(t, 3, 2, 'same')))(f32(x, shape)));
  compare('avgPool grad big', () => st.grad((t) => st.sum(st.avgPool(t, 2, 1, 'valid')))(f32(x, shape)));
});
