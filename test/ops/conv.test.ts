/** Convolution and pooling: known values, the lecture notes' worked examples, errors. */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as st from '../../src/index.js';
import { assertClose as assertCloseRaw, assertThrowsMessage, testTensor } from '../helpers.js';

/** assertClose that also takes a tensor as the expected value */
function assertClose(actual: st.Tensor | number[] | number, expected: unknown, tol = 1e-6, what = ''): void {
  assertCloseRaw(actual, expected instanceof st.Tensor ? Array.from(expected.dataSync()) : expected, tol, what);
}

const f64 = (v: number[][]) => st.tensor(v, undefined, 'float64');
/** a [h, w] image as [1, h, w, 1] */
const img4 = (v: number[][]) => st.tensor(v, undefined, 'float64').reshape([1, v.length, v[0].length, 1]);
/** a [kh, kw] kernel as [kh, kw, 1, 1] */
const ker4 = (v: number[][]) => st.tensor(v, undefined, 'float64').reshape([v.length, v[0].length, 1, 1]);
/** [1, h, w, 1] -> nested [h][w] numbers */
const plane = (t: st.Tensor) => t.reshape([t.shape[1], t.shape[2]]).arraySync() as number[][];

/** naive reference cross-correlation, 'valid', stride s, for checking against */
function refCorrelate(x: number[][], k: number[][], s = 1): number[][] {
  const oh = Math.floor((x.length - k.length) / s) + 1;
  const ow = Math.floor((x[0].length - k[0].length) / s) + 1;
  const out: number[][] = [];
  for (let i = 0; i < oh; i++) {
    const row: number[] = [];
    for (let j = 0; j < ow; j++) {
      let acc = 0;
      for (let u = 0; u < k.length; u++) for (let v = 0; v < k[0].length; v++) acc += x[i * s + u][j * s + v] * k[u][v];
      row.push(acc);
    }
    out.push(row);
  }
  return out;
}

// ---- the lecture notes' toy examples -------------------------------------------------------

test('3x4 input with a 2x2 kernel: aw+bx+ey+fz, bw+cx+fy+gz, ... (seed 000)', () => {
  const [a, b, c, d, e, f, g, h, i, j, k, A] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
  const [w, x, y, z] = [2, -1, 0.5, 3];
  const out = st.conv2d(img4([[a, b, c, d], [e, f, g, h], [i, j, k, A]]), ker4([[w, x], [y, z]]), 1, 'valid');
  assert.deepEqual(out.shape, [1, 2, 3, 1]);
  assertClose(out, [
    [a * w + b * x + e * y + f * z, b * w + c * x + f * y + g * z, c * w + d * x + g * y + h * z],
    [e * w + f * x + i * y + j * z, f * w + g * x + j * y + k * z, g * w + h * x + k * y + A * z],
  ]);
});

const image7 = [
  [0, 0, 0, 0, 0, 0, 0],
  [0, 1, 1, 1, 1, 1, 0],
  [0, 1, 0, 0, 1, 0, 0],
  [0, 1, 0, 1, 0, 0, 0],
  [0, 1, 1, 0, 0, 0, 0],
  [0, 1, 0, 0, 0, 0, 0],
  [0, 0, 0, 0, 0, 0, 0],
];

test('7x7 image, identity kernel gives the inner 5x5 (seed 003)', () => {
  const out = st.conv2d(img4(image7), ker4([[0, 0, 0], [0, 1, 0], [0, 0, 0]]), 1, 'valid');
  assert.deepEqual(plane(out), image7.slice(1, 6).map((r) => r.slice(1, 6)));
});

test('7x7 image with the 3x3 kernel [[0,0,0],[0,1,1],[0,1,0]] gives 3 2 2 3 1 / 2 0 2 1 0 / ... (seed 003)', () => {
  const out = st.conv2d(img4(image7), ker4([[0, 0, 0], [0, 1, 1], [0, 1, 0]]), 1, 'valid');
  assertClose(out, [
    [3, 2, 2, 3, 1],
    [2, 0, 2, 1, 0],
    [2, 2, 1, 0, 0],
    [3, 1, 0, 0, 0],
    [1, 0, 0, 0, 0],
  ]);
});

test('7x7 image with the blurring kernel (.1 around, .2 centre) (seed 003)', () => {
  const k = [[0.1, 0.1, 0.1], [0.1, 0.2, 0.1], [0.1, 0.1, 0.1]];
  const out = plane(st.conv2d(img4(image7), ker4(k), 1, 'valid'));
  assertClose(out.flat(), refCorrelate(image7, k).flat(), 1e-9);
  // the slide's legible values agree except three cells, (1,0) (1,1) (2,1), where the slide is
  // inconsistent with its own kernel: e.g. at (1,1) the window is [[1,1,1],[1,0,0],[1,0,1]],
  // centre 0 and six ones around it, so 0.6 (the slide prints .2)
  assertClose(out.flat(), [
    [0.4, 0.5, 0.5, 0.5, 0.4],
    [0.5, 0.6, 0.5, 0.6, 0.3],
    [0.5, 0.5, 0.4, 0.2, 0.1],
    [0.5, 0.6, 0.2, 0.1, 0],
    [0.4, 0.3, 0.1, 0, 0],
  ], 1e-9);
});

const image6 = [
  [1, 1, 1, 1, 1, 0],
  [1, 0, 0, 1, 0, 0],
  [1, 0, 1, 0, 0, 0],
  [1, 1, 0, 0, 0, 0],
  [1, 0, 0, 0, 0, 0],
  [0, 0, 0, 0, 0, 0],
];

test('stride 2 on the 6x6 image visits 9 patches: [[3,3,1],[3,1,0],[1,0,0]] (seed 003)', () => {
  const out = st.conv2d(img4(image6), ker4([[1, 1], [1, 1]]), 2, 'valid');
  assert.deepEqual(out.shape, [1, 3, 3, 1]);
  assertClose(out, [[3, 3, 1], [3, 1, 0], [1, 0, 0]]);
});

test('downsampling by averaging, 2x2 with stride 2: [[3/4,3/4,1/4],[3/4,1/4,0],[1/4,0,0]] (seed 003)', () => {
  const expected = [[3 / 4, 3 / 4, 1 / 4], [3 / 4, 1 / 4, 0], [1 / 4, 0, 0]];
  // as a convolution with fixed uniform weights, and as average pooling
  assertClose(st.conv2d(img4(image6), ker4([[1 / 4, 1 / 4], [1 / 4, 1 / 4]]), 2, 'valid'), expected);
  assertClose(st.avgPool(img4(image6), 2, 2, 'valid'), expected);
  // max pooling over the same windows
  assertClose(st.maxPool(img4(image6), 2, 2, 'valid'), [[1, 1, 1], [1, 1, 0], [1, 0, 0]]);
});

test('translation equivariance: shifting the input shifts the output; max is 2 both times (seed 004)', () => {
  const k = ker4([[1, 0], [0, 1]]);
  const a = st.conv2d(img4([[0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]]), k, 1, 'valid');
  const b = st.conv2d(img4([[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]]), k, 1, 'valid');
  assertClose(a, [[0, 0, 0], [0, 1, 0], [0, 0, 2]]);
  assertClose(b, [[2, 0, 0], [0, 1, 0], [0, 0, 0]]);
  assert.equal(st.max(a).dataSync()[0], 2);
  assert.equal(st.max(b).dataSync()[0], 2);
  assertClose(st.globalMaxPool(a), [[2]]);
  assertClose(st.globalMaxPool(b), [[2]]);
  // g(x)[i] = x[i - 1]: conv of a shifted image = the shifted conv, away from the border
  const x = testTensor([1, 8, 8, 1], 3);
  const f = testTensor([3, 3, 1, 1], 4);
  const shifted = st.pad(x, [[0, 0], [1, 0], [1, 0], [0, 0]]).slice([0, 0, 0, 0], [1, 8, 8, 1]);
  const y = st.conv2d(x, f, 1, 'valid');
  const ys = st.conv2d(shifted, f, 1, 'valid');
  assertClose(ys.slice([0, 1, 1, 0], [1, 5, 5, 1]), y.slice([0, 0, 0, 0], [1, 5, 5, 1]), 1e-12);
});

// ---- output sizes ----------------------------------------------------------------------------

test('output size formula: (227 - 11)/4 + 1 = 55; 32 with 5x5 valid = 28; same keeps the size (seed 004)', () => {
  assert.equal(st.convOutputSize(227, 11, 4, 0), 55);
  assert.equal(st.convOutputSize(32, 5, 1, 'valid'), 28);
  assert.equal(st.convOutputSize(28, 5, 1, 'same'), 28);
  // and the ops agree
  const alex = st.conv2d(st.zeros([1, 227, 227, 3]), st.zeros([11, 11, 3, 2]), 4, 'valid');
  assert.deepEqual(alex.shape, [1, 55, 55, 2]);
  assert.deepEqual(st.conv2d(st.zeros([1, 32, 32, 1]), st.zeros([5, 5, 1, 1]), 1, 'valid').shape, [1, 28, 28, 1]);
  assert.deepEqual(st.conv2d(st.zeros([2, 28, 28, 3]), st.zeros([5, 5, 3, 4]), 1, 'same').shape, [2, 28, 28, 4]);
  assert.deepEqual(st.conv2d(st.zeros([1, 7, 7, 1]), st.zeros([3, 3, 1, 1]), 2, 'same').shape, [1, 4, 4, 1]);
  // AlexNet's overlapping pooling, 3x3 stride 2: 55 -> 27
  assert.deepEqual(st.maxPool(st.zeros([1, 55, 55, 2]), 3, 2, 'valid').shape, [1, 27, 27, 2]);
});

test("LeNet-5's shapes: 32x32 -> 6@28x28 -> 6@14x14 -> 16@10x10 -> 16@5x5 = 400 values (seed 004)", () => {
  const x = testTensor([1, 32, 32, 1], 1).cast('float32');
  const c1 = st.conv2d(x, testTensor([5, 5, 1, 6], 2).cast('float32'), 1, 'valid');
  assert.deepEqual(c1.shape, [1, 28, 28, 6]);
  const s2 = st.maxPool(c1, 2, 2, 'valid');
  assert.deepEqual(s2.shape, [1, 14, 14, 6]);
  const c3 = st.conv2d(s2, testTensor([5, 5, 6, 16], 3).cast('float32'), 1, 'valid');
  assert.deepEqual(c3.shape, [1, 10, 10, 16]);
  const s4 = st.maxPool(c3, 2, 2, 'valid');
  assert.deepEqual(s4.shape, [1, 5, 5, 16]);
  assert.equal(s4.size, 400);
  assert.equal(s4.dtype, 'float32');
});

// ---- handcrafted kernels (seed 001) ----------------------------------------------------------

// a vertical step edge: columns 0-2 dark, 3-4 bright
const step = [
  [0, 0, 0, 1, 1],
  [0, 0, 0, 1, 1],
  [0, 0, 0, 1, 1],
  [0, 0, 0, 1, 1],
];
// a linear ramp x[i][j] = 5i + j + 1
const ramp = Array.from({ length: 5 }, (_, i) => Array.from({ length: 5 }, (_, j) => 5 * i + j + 1));

const kernels: Record<string, { k: number[][]; step: number[]; ramp: 'centre' | 'zero' }> = {
  // each window centre c with left/right neighbours l, r (constant down the columns):
  identity: { k: [[0, 0, 0], [0, 1, 0], [0, 0, 0]], step: [0, 0, 1], ramp: 'centre' },
  'box blur': { k: [[1, 1, 1], [1, 1, 1], [1, 1, 1]].map((r) => r.map((v) => v / 9)), step: [0, 1 / 3, 2 / 3], ramp: 'centre' }, // (l+c+r)/3
  'Gaussian blur': { k: [[1, 2, 1], [2, 4, 2], [1, 2, 1]].map((r) => r.map((v) => v / 16)), step: [0, 1 / 4, 3 / 4], ramp: 'centre' }, // (l+2c+r)/4
  'edge (diagonal)': { k: [[1, 0, -1], [0, 0, 0], [-1, 0, 1]], step: [0, 0, 0], ramp: 'zero' },
  'edge (Laplacian)': { k: [[0, 1, 0], [1, -4, 1], [0, 1, 0]], step: [0, 1, -1], ramp: 'zero' }, // l + r - 2c
  'edge (8-neighbour)': { k: [[-1, -1, -1], [-1, 8, -1], [-1, -1, -1]], step: [0, -3, 3], ramp: 'zero' }, // 9c - 3(l+c+r)
  sharpen: { k: [[0, -1, 0], [-1, 5, -1], [0, -1, 0]], step: [0, -1, 2], ramp: 'centre' }, // 3c - l - r
};

for (const [name, { k, step: stepRow, ramp: rampKind }] of Object.entries(kernels)) {
  test(`handcrafted kernel: ${name}`, () => {
    assertClose(st.conv2d(img4(step), ker4(k), 1, 'valid'), [stepRow, stepRow], 1e-9, 'step edge');
    const centres = ramp.slice(1, 4).map((r) => r.slice(1, 4));
    const expected = rampKind === 'centre' ? centres : centres.map((r) => r.map(() => 0));
    assertClose(st.conv2d(img4(ramp), ker4(k), 1, 'valid'), expected, 1e-9, 'ramp');
    // the symmetric kernels give the same through convolve2d and correlate2d
    assertClose(st.correlate2d(f64(step), f64(k)), [stepRow, stepRow], 1e-9);
  });
}

// ---- convolve2d vs correlate2d ----------------------------------------------------------------

test('correlate2d is what a CNN computes; convolve2d flips the kernel', () => {
  const a = f64([[1, 2, 3], [4, 5, 6], [7, 8, 9]]);
  const k = f64([[1, 2], [3, 4]]);
  assertClose(st.correlate2d(a, k), [[37, 47], [67, 77]]);
  assertClose(st.convolve2d(a, k), [[23, 33], [53, 63]]);
  assertClose(st.convolve2d(a, k), st.correlate2d(a, f64([[4, 3], [2, 1]])));
  assert.deepEqual(st.correlate2d(a, k).shape, [2, 2]);
  // 'full': every overlap, numpy's convolve / correlate on a row
  assertClose(st.convolve2d(f64([[1, 2, 3]]), f64([[1, 0, -1]]), 'full'), [[1, 2, 2, -2, -3]]);
  assertClose(st.correlate2d(f64([[1, 2, 3]]), f64([[1, 0, -1]]), 'full'), [[-1, -2, -2, 2, 3]]);
  // 'same' keeps the size
  assert.deepEqual(st.convolve2d(a, f64([[0, 1, 0], [1, 1, 1], [0, 1, 0]]), 'same').shape, [3, 3]);
  assertClose(st.convolve2d(a, f64([[0, 0, 0], [0, 1, 0], [0, 0, 0]]), 'same'), a);
  // both are differentiable: d/dk sum(correlate2d(a, k)) = sum of each window's input
  const gk = st.grad((kk: st.Tensor) => st.sum(st.correlate2d(a, kk)))(k);
  assertClose(gk, [[1 + 2 + 4 + 5, 2 + 3 + 5 + 6], [4 + 5 + 7 + 8, 5 + 6 + 8 + 9]]);
  const gc = st.grad((kk: st.Tensor) => st.sum(st.convolve2d(a, kk)))(k);
  assertClose(gc, [[5 + 6 + 8 + 9, 4 + 5 + 7 + 8], [2 + 3 + 5 + 6, 1 + 2 + 4 + 5]]);
});

// ---- padding ----------------------------------------------------------------------------------

test("'same' padding puts the odd extra pad at the bottom/right (TensorFlow)", () => {
  const x = img4([[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12], [13, 14, 15, 16]]);
  const ones = ker4([[1, 1], [1, 1]]);
  // 2x2 window, stride 1: one pad cell in total, at bottom and right
  assertClose(st.conv2d(x, ones, 1, 'same'), [
    [14, 18, 22, 12],
    [30, 34, 38, 20],
    [46, 50, 54, 28],
    [27, 29, 31, 16],
  ]);
  assertClose(st.conv2d(x, ones, 1, 'same'), st.conv2d(x, ones, 1, [[0, 1], [0, 1]]));
  // 3x3 window, stride 2 on 4x4: out 2x2, pad total 1 -> [[0, 1], [0, 1]]
  const k3 = ker4([[1, 2, 3], [4, 5, 6], [7, 8, 9]]);
  assertClose(st.conv2d(x, k3, 2, 'same'), st.conv2d(x, k3, 2, [[0, 1], [0, 1]]));
  // 3x3 window, stride 1 on 4x4: pad 1 each side, symmetric
  assertClose(st.conv2d(x, k3, 1, 'same'), st.conv2d(x, k3, 1, 1));
  // TensorFlow.js' explicit NHWC form
  assertClose(st.conv2d(x, k3, 2, [[0, 0], [0, 1], [0, 1], [0, 0]]), st.conv2d(x, k3, 2, 'same'));
  // numbers pad every side
  assert.deepEqual(st.conv2d(x, k3, 1, 2).shape, [1, 6, 6, 1]);
});

// ---- other known values -----------------------------------------------------------------------

test('conv2d with several channels, dilation, strides and an unbatched rank-3 input', () => {
  // 1x1 conv mixes channels: [1, 2] . [[1,2,3],[4,5,6]] = [9, 12, 15]
  const x = st.tensor([1, 2], [1, 1, 1, 2], 'float64');
  const f = st.tensor([[1, 2, 3], [4, 5, 6]], undefined, 'float64').reshape([1, 1, 2, 3]);
  assertClose(st.conv2d(x, f), [9, 12, 15]);
  // dilation 2 on a row: [1+3, 2+4, 3+5]
  assertClose(st.conv2d(img4([[1, 2, 3, 4, 5]]), ker4([[1, 1]]), 1, 'valid', 'NHWC', 2), [4, 6, 8]);
  // different strides per axis, against the reference
  const big = Array.from({ length: 7 }, (_, i) => Array.from({ length: 6 }, (_, j) => (i * 3 + j * 7) % 5 - 2));
  const k = [[1, -2, 0.5], [0, 3, 1]];
  assertClose(st.conv2d(img4(big), ker4(k), 3, 'valid'), refCorrelate(big, k, 3));
  const y = st.conv2d(img4(big), ker4(k), [2, 1], 'valid');
  assert.deepEqual(y.shape, [1, 3, 4, 1]);
  // rank 3: [h, w, c] in, [h', w', outC] out
  const y3 = st.conv2d(testTensor([5, 5, 2], 1), testTensor([3, 3, 2, 4], 2), 1, 'same');
  assert.deepEqual(y3.shape, [5, 5, 4]);
  assertClose(y3, st.conv2d(testTensor([1, 5, 5, 2], 1), testTensor([3, 3, 2, 4], 2), 1, 'same'), 1e-12);
  // float32 in, float32 out
  assert.equal(st.conv2d(st.ones([1, 3, 3, 1]), st.ones([2, 2, 1, 1])).dtype, 'float32');
  assertClose(st.conv2d(st.ones([1, 3, 3, 1]), st.ones([2, 2, 1, 1])), [4, 4, 4, 4]);
});

test('conv1d: [1..5] with [1, 0, -1], valid / same / stride 2 / unbatched', () => {
  const x = st.tensor([1, 2, 3, 4, 5], [1, 5, 1], 'float64');
  const f = st.tensor([1, 0, -1], [3, 1, 1], 'float64');
  assertClose(st.conv1d(x, f, 1, 'valid'), [-2, -2, -2]);
  assertClose(st.conv1d(x, f, 1, 'same'), [-2, -2, -2, -2, 4]);
  assertClose(st.conv1d(x, f, 2, 'valid'), [-2, -2]);
  assertClose(st.conv1d(x, f, 1, 1), [-2, -2, -2, -2, 4]);
  assert.deepEqual(st.conv1d(x, f, 1, 'valid').shape, [1, 3, 1]);
  assert.deepEqual(st.conv1d(st.tensor([1, 2, 3, 4, 5], [5, 1], 'float64'), f).shape, [3, 1]);
  // dilation 2: x[i] - x[i+4]
  assertClose(st.conv1d(x, f, 1, 'valid', 'NWC', 2), [-4]);
});

test('depthwiseConv2d: output channel c*multiplier+m; separableConv2d = depthwise then 1x1', () => {
  const x = st.tensor([1, 10], [1, 1, 1, 2], 'float64');
  const f = st.tensor([[2, 3], [4, 5]], undefined, 'float64').reshape([1, 1, 2, 2]);
  assertClose(st.depthwiseConv2d(x, f), [1 * 2, 1 * 3, 10 * 4, 10 * 5]);
  // each channel on its own: same as conv2d of that channel
  const xs = testTensor([1, 5, 6, 2], 1);
  const fs = testTensor([3, 3, 2, 1], 2);
  const d = st.depthwiseConv2d(xs, fs, 2, 'same');
  for (let c = 0; c < 2; c++) {
    const one = st.conv2d(xs.slice([0, 0, 0, c], [1, 5, 6, 1]), fs.slice([0, 0, c, 0], [3, 3, 1, 1]), 2, 'same');
    assertClose(d.slice([0, 0, 0, c], [1, 3, 3, 1]), one, 1e-12);
  }
  const pw = testTensor([1, 1, 4, 3], 3);
  const dw = testTensor([3, 3, 2, 2], 4);
  const s = st.separableConv2d(xs, dw, pw, 1, 'same');
  assert.deepEqual(s.shape, [1, 5, 6, 3]);
  assertClose(s, st.conv2d(st.depthwiseConv2d(xs, dw, 1, 'same'), pw), 1e-12);
});

test('conv2dTranspose: known values and the adjoint of conv2d', () => {
  // stride 2, 2x2 kernel: each input value stamps a copy of the kernel
  const x = st.tensor([[1, 2], [3, 4]], undefined, 'float64').reshape([1, 2, 2, 1]);
  const f = ker4([[1, 10], [100, 1000]]);
  assertClose(st.conv2dTranspose(x, f, [1, 4, 4, 1], 2, 'valid'), [
    [1, 10, 2, 20],
    [100, 1000, 200, 2000],
    [3, 30, 4, 40],
    [300, 3000, 400, 4000],
  ]);
  // <conv2d(a, f), b> = <a, conv2dTranspose(b, f)>
  const a = testTensor([2, 7, 6, 3], 1);
  const k = testTensor([3, 3, 3, 4], 2);
  const y = st.conv2d(a, k, 2, 'same');
  const b = testTensor(y.shape as number[], 3);
  const lhs = st.sum(st.mul(y, b)).dataSync()[0];
  const t = st.conv2dTranspose(b, k, [2, 7, 6, 3], 2, 'same');
  assert.deepEqual(t.shape, [2, 7, 6, 3]);
  const rhs = st.sum(st.mul(a, t)).dataSync()[0];
  assert.ok(Math.abs(lhs - rhs) < 1e-9, `${lhs} vs ${rhs}`);
  assert.deepEqual(st.conv2dTranspose(st.ones([2, 2, 1]), st.ones([2, 2, 3, 1]), [4, 4, 3], 2).shape, [4, 4, 3]);
});

test('maxPool / avgPool: padded cells never win; averages count only real cells', () => {
  // all negative: a padded zero must not win
  const neg = img4([[-1, -2, -3, -4], [-5, -6, -7, -8], [-9, -10, -11, -12], [-13, -14, -15, -16]]);
  assertClose(st.maxPool(neg, 3, 2, 'same'), [[-1, -3], [-9, -11]]);
  // 'same' 2x2 stride 2 on 3x3: partial windows at the bottom/right
  const x = img4([[1, 2, 3], [4, 5, 6], [7, 8, 9]]);
  assertClose(st.avgPool(x, 2, 2, 'same'), [[3, 4.5], [7.5, 9]]);
  assertClose(st.maxPool(x, 2, 2, 'same'), [[5, 6], [8, 9]]);
  // strides default to the window; rank 3; [h, w] windows; several channels kept apart
  const two = st.tensor([1, 100, 2, 200, 3, 300, 4, 400], [2, 2, 2], 'float64');
  assertClose(st.maxPool(two, 2), [[[4, 400]]]);
  assertClose(st.avgPool(two, 2), [[[2.5, 250]]]);
  assertClose(st.maxPool(img4([[1, 5, 2, 0], [3, 4, 8, 7]]), [1, 2], [1, 2]), [[5, 2], [4, 8]]);
  // overlapping 3x3 stride 2 against a hand count on a ramp (max is the bottom-right cell)
  const r = img4(Array.from({ length: 5 }, (_, i) => Array.from({ length: 5 }, (_, j) => 5 * i + j)));
  assertClose(st.maxPool(r, 3, 2, 'valid'), [[12, 14], [22, 24]]);
  assertClose(st.avgPool(r, 3, 2, 'valid'), [[6, 8], [16, 18]]);
});

test('maxPool gradient goes to the first maximum on ties; avgPool gradient spreads over real cells', () => {
  const g = st.grad((x: st.Tensor) => st.sum(st.maxPool(x, 2, 2, 'valid')))(img4([[1, 1], [1, 1]]));
  assertClose(g, [[1, 0], [0, 0]]);
  const g2 = st.grad((x: st.Tensor) => st.sum(st.maxPool(x, 2, 1, 'valid')))(img4([[1, 2, 0], [0, 0, 0]]));
  assertClose(g2, [[0, 2, 0], [0, 0, 0]]);
  const ga = st.grad((x: st.Tensor) => st.sum(st.avgPool(x, 2, 2, 'same')))(img4([[1, 2, 3], [4, 5, 6], [7, 8, 9]]));
  assertClose(ga, [[0.25, 0.25, 0.5], [0.25, 0.25, 0.5], [0.5, 0.5, 1]]);
});

test('globalAvgPool / globalMaxPool on [b, h, w, c] and [b, steps, c]', () => {
  const x = st.tensor([1, -1, 2, -2, 3, -3, 4, -4], [1, 2, 2, 2], 'float64');
  assertClose(st.globalAvgPool(x), [[2.5, -2.5]]);
  assertClose(st.globalMaxPool(x), [[4, -1]]);
  const s = st.tensor([1, 5, 3, 2, 9, 1], [2, 3, 1], 'float64');
  assertClose(st.globalAvgPool(s), [[3], [4]]);
  assertClose(st.globalMaxPool(s), [[5], [9]]);
  assert.deepEqual(st.globalAvgPool(st.zeros([4, 7, 7, 16])).shape, [4, 16]);
});

test('gradients w.r.t. x and filter match the transposed convolutions', () => {
  const x = testTensor([1, 5, 5, 2], 1);
  const f = testTensor([3, 3, 2, 3], 2);
  const [gx, gf] = st.grads((a: st.Tensor, b: st.Tensor) => st.sum(st.conv2d(a, b, 2, 'same')))([x, f]);
  const ones = st.ones([1, 3, 3, 3], 'float64');
  assertClose(gx, st.conv2dTranspose(ones, f, [1, 5, 5, 2], 2, 'same'), 1e-12);
  assert.deepEqual(gf.shape, [3, 3, 2, 3]);
  // d/df of sum(conv2d valid) with stride 1 = sum of each window position's inputs
  const gv = st.grad((b: st.Tensor) => st.sum(st.conv2d(img4(ramp), b)))(ker4([[0, 0], [0, 0]]));
  const win = (u: number, v: number) => ramp.slice(u, u + 4).reduce((s, row) => s + row.slice(v, v + 4).reduce((p, q) => p + q, 0), 0);
  assertClose(gv, [win(0, 0), win(0, 1), win(1, 0), win(1, 1)]);
});

// ---- errors -----------------------------------------------------------------------------------

test('errors name the op, what was expected and what was given', () => {
  assertThrowsMessage(() => st.conv2d(st.zeros([64, 784]), st.zeros([3, 3, 1, 8])),
    'conv2d: expected x of rank 4 [batch, height, width, inChannels], got [64,784]');
  assertThrowsMessage(() => st.conv2d(st.zeros([1, 5, 5, 1]), st.zeros([3, 3, 3, 8])),
    'conv2d: filter has 3 input channels but x has 1 (x [1,5,5,1], filter [3,3,3,8])');
  assertThrowsMessage(() => st.conv2d(st.zeros([1, 5, 5, 1]), st.zeros([3, 3, 1])), 'conv2d', 'filter of rank 4', '[3,3,1]');
  assertThrowsMessage(() => st.conv2d(st.zeros([1, 2, 2, 1]), st.zeros([3, 3, 1, 1])), 'conv2d', '3x3 window', '2x2 input');
  assertThrowsMessage(() => st.conv2d(st.zeros([1, 5, 5, 1]), st.zeros([3, 3, 1, 1]), 1, 'bogus' as never), 'conv2d', 'pad must be');
  assertThrowsMessage(() => st.conv2d(st.zeros([1, 5, 5, 1]), st.zeros([3, 3, 1, 1]), 1, -1), 'conv2d', 'non-negative');
  assertThrowsMessage(() => st.conv2d(st.zeros([1, 5, 5, 1]), st.zeros([3, 3, 1, 1]), 1, [[1, 0], [0, 0], [0, 0], [0, 0]]),
    'conv2d: explicit NHWC padding must be');
  assertThrowsMessage(() => st.conv2d(st.zeros([1, 5, 5, 1]), st.zeros([3, 3, 1, 1]), 0), 'conv2d', 'strides');
  assertThrowsMessage(() => st.conv2d(st.zeros([1, 5, 5, 1]), st.zeros([3, 3, 1, 1]), 1, 'valid', 'NCHW'),
    "conv2d: dataFormat 'NCHW' is not supported", "use 'NHWC'");
  assertThrowsMessage(() => st.conv2d(st.zeros([1, 5, 5, 1], 'int32'), st.zeros([3, 3, 1, 1])), 'conv2d', 'float32 or float64', 'int32');
  assertThrowsMessage(() => st.conv1d(st.zeros([1, 5, 2]), st.zeros([3, 1, 1])), 'conv1d: filter has 1 input channels but x has 2');
  assertThrowsMessage(() => st.conv1d(st.zeros([1, 2, 5, 2]), st.zeros([3, 2, 1])), 'conv1d: expected x of rank 3');
  assertThrowsMessage(() => st.conv1d(st.zeros([1, 5, 2]), st.zeros([3, 2, 1]), 1, 'valid', 'NCW'), "conv1d: dataFormat 'NCW' is not supported");
  assertThrowsMessage(() => st.depthwiseConv2d(st.zeros([1, 5, 5, 2]), st.zeros([3, 3, 3, 1])), 'depthwiseConv2d: filter has 3 input channels but x has 2');
  assertThrowsMessage(() => st.separableConv2d(st.zeros([1, 5, 5, 2]), st.zeros([3, 3, 2, 2]), st.zeros([1, 1, 3, 4])),
    'separableConv2d: pointwiseFilter has 3 input channels', '4');
  assertThrowsMessage(() => st.conv2dTranspose(st.zeros([1, 2, 2, 1]), st.zeros([2, 2, 3, 1]), [1, 6, 6, 3], 2, 'valid'),
    'conv2dTranspose', 'gives 3x3', 'x is 2x2');
  assertThrowsMessage(() => st.conv2dTranspose(st.zeros([1, 2, 2, 2]), st.zeros([2, 2, 3, 1]), [1, 4, 4, 3], 2), 'conv2dTranspose: filter has 1 input channels');
  assertThrowsMessage(() => st.correlate2d(st.zeros([1, 5, 5, 1]), st.zeros([3, 3])), 'correlate2d: expected image2d of rank 2');
  assertThrowsMessage(() => st.convolve2d(st.zeros([5, 5]), st.zeros([3, 3]), 'circular' as never), 'convolve2d: mode must be');
  assertThrowsMessage(() => st.maxPool(st.zeros([5, 5]), 2, 2), 'maxPool: expected x of rank 4');
  assertThrowsMessage(() => st.maxPool(st.zeros([1, 2, 2, 1]), 3, 1, 'valid'), 'maxPool', '3x3 window', '2x2 input');
  assertThrowsMessage(() => st.avgPool(st.zeros([1, 4, 4, 1]), 0), 'avgPool: filterSize must be');
  assertThrowsMessage(() => st.avgPool(st.zeros([1, 4, 4, 1]), 2, 2, [[0, 0], [0, 0]] as never), 'avgPool: pad must be');
  assertThrowsMessage(() => st.globalAvgPool(st.zeros([4, 7])), 'globalAvgPool: expected x of rank 4');
});
