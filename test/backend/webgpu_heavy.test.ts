/**
 * The webgpu backend's heavy kernels (heavy.ts) against the js reference backend through the
 * Backend interface, same inputs: matMul with every transpose pair and broadcast batch dims,
 * the fused matMul and conv2d epilogues, conv2d forward and both gradients (every stride,
 * dilation, 'same'/'valid'/explicit padding, batch 1, odd sizes, and a filter gradient long
 * enough to be split over K and summed on the GPU), depthwise conv2d and its gradients, max and
 * avg pooling and their gradients. Sums run in other orders on the GPU: the tolerance is
 * 1e-4 of max(1, |ref|) (K up to about 600 terms of size ~1 in float32). Then: none of these
 * fell back, and their pipelines are cached by kernel family (a second shape compiles nothing).
 * Skipped, with the reason printed, where Dawn finds no GPU adapter.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as st from '../../src/index.js';
import type { Backend, Conv2DInfo, DataId, TensorInfo } from '../../src/backend/types.js';
import type { WebGpuBackend } from '../../src/backend/webgpu/backend.js';
import { computeWindowInfo, type PadSpec } from '../../src/backend/conv_info.js';
import { rng } from './wasm_compare.js';
import { startWebGpu } from './webgpu_env.js';

const reason = await startWebGpu();
const js = st.findBackend('js');
const gpu = st.findBackend('webgpu') as WebGpuBackend;
const gtest = (name: string, fn: () => void | Promise<void>): void => {
  test(`webgpu heavy: ${name}`, async (t) => {
    if (reason) return t.skip(reason);
    await fn();
  });
};
if (reason) console.log(`webgpu heavy-kernel tests skipped: ${reason}`);

const TOL = 1e-4;
let seed = 1;

/** The same random float32 values on both backends. */
function input(shape: readonly number[]): [TensorInfo, TensorInfo] {
  const r = rng(seed++);
  const n = shape.reduce((a, b) => a * b, 1);
  const v = Float32Array.from({ length: n }, () => (r(1 << 20) / (1 << 20)) * 2 - 1);
  return [{ dataId: js.write(v.slice(), 'float32'), shape, dtype: 'float32' },
    { dataId: gpu.write(v.slice(), 'float32'), shape, dtype: 'float32' }];
}

type Kernel = (b: Backend, xs: TensorInfo[]) => DataId | null;

/** `f` on both backends, or `f` on webgpu and `reference` on js (kernels js has no fused form of). */
function compare(what: string, inputs: [TensorInfo, TensorInfo][], f: Kernel, reference: Kernel = f): void {
  const ref = js.read(reference(js, inputs.map((p) => p[0]))!);
  const out = f(gpu, inputs.map((p) => p[1]));
  assert.ok(out !== null, `${what}: the webgpu kernel declined`);
  const got = gpu.read(out);
  assert.equal(got.length, ref.length, `${what}: length`);
  for (let i = 0; i < ref.length; i++) {
    if (Number.isNaN(ref[i]) && Number.isNaN(got[i])) continue;
    if (ref[i] === got[i]) continue;
    if (!(Math.abs(got[i] - ref[i]) <= TOL * Math.max(1, Math.abs(ref[i])))) {
      assert.fail(`${what}: element ${i} of ${ref.length}: js ${ref[i]}, webgpu ${got[i]}`);
    }
  }
  gpu.decRef(out);
}

gtest('matMul: transposes, batch 1, broadcast batch dims, odd sizes, K = 0', () => {
  const cases: [number[], number[], number, number, number][] = [
    // batchA, batchB, m, k, n
    [[], [], 1, 1, 1], [[], [], 13, 21, 19], [[], [], 70, 33, 65], [[1], [1], 5, 7, 3], [[3], [1], 5, 9, 17],
    [[2, 1], [1, 3], 7, 5, 66], [[2, 3], [3], 4, 18, 6], [[], [], 3, 0, 4],
  ];
  for (const [ba, bb, m, k, n] of cases) {
    for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]]) {
      const a = input([...ba, ...(ta ? [k, m] : [m, k])]);
      const b = input([...bb, ...(tb ? [n, k] : [k, n])]);
      const r = Math.max(ba.length, bb.length);
      const pa = [...Array(r - ba.length).fill(1), ...ba];
      const pb = [...Array(r - bb.length).fill(1), ...bb];
      const outBatch = pa.map((d, i) => Math.max(d, pb[i]));
      compare(`matMul ${JSON.stringify([ba, bb, m, k, n])} ta=${ta} tb=${tb}`, [a, b],
        (be, [x, y]) => be.matMul(x, y, ta, tb, outBatch));
    }
  }
});

/** The epilogue as separate reference kernels: relu(y + bias[c]) over the last axis. */
function epilogue(be: Backend, y: DataId, shape: number[], bias: TensorInfo | null, act: 'linear' | 'relu'): DataId {
  let out = y;
  if (bias) out = be.binary('add', { dataId: out, shape, dtype: 'float32' }, bias, shape, 'float32');
  if (act === 'relu') out = be.unary('relu', { dataId: out, shape, dtype: 'float32' }, 'float32');
  return out;
}

gtest('fused matMul and conv2d: bias and relu epilogues', () => {
  for (const [ta, tb] of [[false, false], [true, true]]) {
    for (const act of ['linear', 'relu'] as const) {
      const [m, k, n] = [9, 31, 70];
      const a = input(ta ? [k, m] : [m, k]);
      const b = input(tb ? [n, k] : [k, n]);
      const bias = input([n]);
      compare(`fusedMatMul ta=${ta} tb=${tb} ${act}`, [a, b, bias], (be, [x, y, c]) => be.fusedMatMul!(x, y, ta, tb, c, act),
        (be, [x, y, c]) => epilogue(be, be.matMul(x, y, ta, tb, []), [m, n], c, act));
      compare(`fusedMatMul ta=${ta} tb=${tb} ${act}, no bias`, [a, b], (be, [x, y]) => be.fusedMatMul!(x, y, ta, tb, null, act),
        (be, [x, y]) => epilogue(be, be.matMul(x, y, ta, tb, []), [m, n], null, act));
    }
  }
  const info = computeWindowInfo('conv2d', [2, 9, 7, 3], 3, 3, 5, 1, 'same');
  const x = input([2, 9, 7, 3]);
  const f = input([3, 3, 3, 5]);
  const bias = input([5]);
  for (const act of ['linear', 'relu'] as const) {
    const shape = [2, 9, 7, 5];
    compare(`fusedConv2d ${act}`, [x, f, bias], (be, [a, w, c]) => be.fusedConv2d!(a, w, info, c, act),
      (be, [a, w, c]) => epilogue(be, be.conv2d(a, w, info), shape, c, act));
    compare(`fusedConv2d ${act}, no bias`, [x, f], (be, [a, w]) => be.fusedConv2d!(a, w, info, null, act),
      (be, [a, w]) => epilogue(be, be.conv2d(a, w, info), shape, null, act));
  }
});

/** [xShape, fh, fw, outC, strides, pad, dilations] */
const GEOMETRIES: [number[], number, number, number, number | [number, number], PadSpec, number | [number, number]][] = [
  [[1, 5, 5, 1], 3, 3, 2, 1, 'valid', 1],
  [[2, 7, 6, 3], 3, 2, 5, 1, 'same', 1],
  [[1, 9, 8, 2], 3, 3, 3, 2, 'same', 1],
  [[3, 8, 9, 4], 2, 3, 3, [2, 3], 'valid', 1],
  [[1, 10, 9, 3], 3, 3, 4, 1, 'valid', 2],
  [[2, 6, 7, 2], 3, 2, 3, [1, 2], [[1, 2], [0, 1]], [2, 1]],
  [[1, 11, 11, 1], 5, 5, 6, 3, 'same', 1],
];

function infoOf(op: string, g: typeof GEOMETRIES[number], outC: number, mult = 1): Conv2DInfo {
  const [xs, fh, fw, , strides, pad, dil] = g;
  return computeWindowInfo(op, xs, fh, fw, outC, strides, pad, dil, mult);
}

gtest('conv2d and both gradients: strides, dilations, same/valid/explicit padding, batch 1', () => {
  for (const g of GEOMETRIES) {
    const info = infoOf('conv2d', g, g[3]);
    const what = `conv2d ${JSON.stringify(g)}`;
    const x = input(g[0]);
    const f = input([info.filterHeight, info.filterWidth, info.inChannels, info.outChannels]);
    const dy = input([info.batchSize, info.outHeight, info.outWidth, info.outChannels]);
    compare(what, [x, f], (be, [a, w]) => be.conv2d(a, w, info));
    compare(`${what} dx`, [dy, f], (be, [d, w]) => be.conv2dBackpropInput(d, w, info));
    compare(`${what} dfilter`, [x, dy], (be, [a, d]) => be.conv2dBackpropFilter(a, d, info));
  }
});

gtest('conv2dBackpropFilter with a long K: split over K, the partials summed on the GPU', () => {
  // K = 8 * 16 * 16 = 2048 output cells, a 3x3x2 -> 4 filter: suggestSplitK gives 8 chunks
  const info = computeWindowInfo('conv2d', [8, 16, 16, 2], 3, 3, 4, 1, 'same');
  const x = input([8, 16, 16, 2]);
  const dy = input([8, 16, 16, 4]);
  compare('conv2dBackpropFilter split-K', [x, dy], (be, [a, d]) => be.conv2dBackpropFilter(a, d, info));
});

gtest('depthwise conv2d and its gradients, channel multipliers 1 and 2', () => {
  for (const g of GEOMETRIES.slice(0, 6)) {
    for (const mult of [1, 2]) {
      const inC = g[0][3];
      const info = infoOf('depthwiseConv2d', g, inC * mult, mult);
      const what = `depthwiseConv2d ${JSON.stringify(g)} x${mult}`;
      const x = input(g[0]);
      const f = input([info.filterHeight, info.filterWidth, inC, mult]);
      const dy = input([info.batchSize, info.outHeight, info.outWidth, info.outChannels]);
      compare(what, [x, f], (be, [a, w]) => be.depthwiseConv2d(a, w, info));
      compare(`${what} dx`, [dy, f], (be, [d, w]) => be.depthwiseConv2dBackpropInput(d, w, info));
      compare(`${what} dfilter`, [x, dy], (be, [a, d]) => be.depthwiseConv2dBackpropFilter(a, d, info));
    }
  }
});

gtest('max and avg pooling and their gradients: padded windows, strides, overlapping windows', () => {
  const pools: [number[], number, number, number | [number, number], PadSpec][] = [
    [[1, 4, 4, 1], 2, 2, 2, 'valid'], [[2, 7, 5, 3], 3, 3, 2, 'same'], [[1, 6, 7, 2], 3, 2, 1, 'same'],
    [[3, 9, 8, 2], 2, 3, [2, 1], 'valid'],
  ];
  for (const [xs, fh, fw, strides, pad] of pools) {
    const info = computeWindowInfo('maxPool', xs, fh, fw, xs[3], strides, pad);
    const what = `pool ${JSON.stringify([xs, fh, fw, strides, pad])}`;
    const x = input(xs);
    const dy = input([info.batchSize, info.outHeight, info.outWidth, info.outChannels]);
    compare(`maxPool ${what}`, [x], (be, [a]) => be.maxPool(a, info));
    compare(`avgPool ${what}`, [x], (be, [a]) => be.avgPool(a, info));
    compare(`maxPoolBackprop ${what}`, [dy, x], (be, [d, a]) => be.maxPoolBackprop(d, a, info));
    compare(`avgPoolBackprop ${what}`, [dy], (be, [d]) => be.avgPoolBackprop(d, info));
  }
  // ties: the gradient goes to the first maximum of each window, as js
  const ties: [TensorInfo, TensorInfo] = [
    { dataId: js.write(new Float32Array(16).fill(1), 'float32'), shape: [1, 4, 4, 1], dtype: 'float32' },
    { dataId: gpu.write(new Float32Array(16).fill(1), 'float32'), shape: [1, 4, 4, 1], dtype: 'float32' }];
  const info = computeWindowInfo('maxPool', [1, 4, 4, 1], 3, 3, 1, 1, 'same');
  const dy = input([1, 4, 4, 1]);
  compare('maxPoolBackprop with ties', [dy, ties], (be, [d, a]) => be.maxPoolBackprop(d, a, info));
});

gtest('none of the heavy kernels fell back; pipelines are cached per kernel family', () => {
  const heavy = ['matMul', 'conv2d', 'conv2dBackpropInput', 'conv2dBackpropFilter', 'depthwiseConv2d',
    'depthwiseConv2dBackpropInput', 'depthwiseConv2dBackpropFilter', 'maxPool', 'maxPoolBackprop', 'avgPool', 'avgPoolBackprop'];
  const fell = gpu.fallbacks().filter((f) => heavy.some((h) => f === h || f.startsWith(`${h} `)));
  assert.deepEqual(fell, []);
  const before = gpu.pipelines;
  const info = computeWindowInfo('conv2d', [1, 13, 12, 3], 4, 2, 7, [2, 1], 'same', 1);
  const x = input([1, 13, 12, 3]);
  const f = input([4, 2, 3, 7]);
  compare('conv2d of a new shape', [x, f], (be, [a, w]) => be.conv2d(a, w, info));
  compare('matMul of a new shape', [input([3, 37]), input([37, 41])], (be, [a, b]) => be.matMul(a, b, false, false, []));
  assert.equal(gpu.pipelines, before, 'a new shape of a kernel family compiled another pipeline');
});

type Minimizer = { minimize(f: () => st.Tensor): unknown };

/** Five steps of `make()`'s optimizer on a least-squares loss, on the active backend: the weights. */
async function optimize(backend: string, make: () => Minimizer): Promise<Float32Array> {
  await st.setBackend(backend);
  const w = st.variable(st.tensor([[0.5, -1.25, 2], [0.75, 0.1, -0.3]]));
  const x = st.tensor([[1, 2], [-0.5, 3], [2, -1]]);
  const y = st.tensor([[1, 0, -1], [2, 1, 0], [0, -2, 1]]);
  const opt = make();
  for (let i = 0; i < 5; i++) opt.minimize(() => st.mean(st.square(st.sub(st.matMul(x, w), y))));
  return (await w.data()) as Float32Array;
}

gtest('Adam, SGD with momentum and RMSprop update on the GPU as the composed ops do on js', async () => {
  const calls = { adam: 0, sgd: 0 };
  const adam = gpu.adamUpdate, sgd = gpu.sgdRmspropUpdate;
  gpu.adamUpdate = function (this: WebGpuBackend, ...args: Parameters<typeof adam>) { calls.adam++; return adam.apply(this, args); };
  gpu.sgdRmspropUpdate = function (this: WebGpuBackend, ...args: Parameters<typeof sgd>) { calls.sgd++; return sgd.apply(this, args); };
  try {
    const makers: [string, () => Minimizer][] = [
      ['adam', () => st.optimizers.adam({ learningRate: 0.1 })],
      ['sgd momentum', () => st.optimizers.sgd({ learningRate: 0.05, momentum: 0.9 })],
      ['rmsprop', () => st.optimizers.rmsprop({ learningRate: 0.05, rho: 0.9 })],
    ];
    for (const [name, make] of makers) {
      const ref = await optimize('js', make);
      const got = await optimize('webgpu', make);
      ref.forEach((r, i) => assert.ok(Math.abs(got[i] - r) <= 1e-5 * Math.max(1, Math.abs(r)),
        `${name}: weight ${i}: js ${r}, webgpu ${got[i]}`));
    }
  } finally {
    delete (gpu as Partial<WebGpuBackend>).adamUpdate;
    delete (gpu as Partial<WebGpuBackend>).sgdRmspropUpdate;
  }
  assert.equal(calls.adam, 5, 'Adam steps through the GPU kernel');
  assert.equal(calls.sgd, 10, 'SGD-momentum and RMSprop steps through the GPU kernel');
});
