/**
 * The wasm convolution gradients (input and filter, each asked for on its own) against the js
 * reference backend on random geometry: odd sizes, batch 1, few channels (1-4: the first layer's
 * scalar packing) and channels in fours (the vector packing), filters longer than one packed
 * block of 256 rows, pixel counts across the 256-pixel chunks, output channels off the 8-column
 * panels, strides 1-3, dilation 1-2, 'same', 'valid' and explicit padding, 1x1; one thread and
 * two. And the tape: a gradient with respect to the filter alone never runs the input gradient.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as st from '../../src/index.js';
import { compare, rng } from './wasm_compare.js';

type Pad = 'same' | 'valid' | number | [number, number][];

function geometryCase(r: (n: number) => number, c: number) {
  const kernels = [[1, 1], [3, 3], [3, 3], [5, 5], [2, 3], [1, 3]];
  const [fh, fw] = kernels[r(kernels.length)];
  const inC = c % 3 === 0 ? 1 + r(4) : c % 3 === 1 ? 4 * (1 + r(4)) : 20 + r(20);
  const outC = [1, 3, 8, 12, 16, 40][r(6)];
  const stride = c % 4 === 3 ? ([1 + r(3), 1 + r(3)] as [number, number]) : 1 + r(3);
  const dilation = [1, 1, 2, [1, 2] as [number, number]][r(4)];
  const pads: Pad[] = ['same', 'valid', 1, [[0, 0], [r(3), r(3)], [r(3), r(3)], [0, 0]]];
  const pad = pads[r(pads.length)];
  const batch = c % 4 === 0 ? 1 : 1 + r(3);
  const h = fh * 2 + 3 + r(12), w = fw * 2 + 3 + r(12);
  return { batch, h, w, inC, outC, fh, fw, stride, dilation, pad };
}

for (const threads of [1, 2]) {
  test(`conv2d input and filter gradients, each alone, match the reference (${threads} thread${threads > 1 ? 's' : ''})`, () => {
    st.setNumThreads(threads);
    const r = rng(31 + threads);
    for (let c = 0; c < 24; c++) {
      const { batch, h, w, inC, outC, fh, fw, stride, dilation, pad } = geometryCase(r, c);
      const seed = 500 + c;
      const what = `x [${batch},${h},${w},${inC}] f [${fh},${fw},${inC},${outC}] stride ${JSON.stringify(stride)} ` +
        `dilation ${JSON.stringify(dilation)} pad ${JSON.stringify(pad)}`;
      const inputs = () => [st.randomUniform([batch, h, w, inC], -1, 1, 'float32', seed),
        st.randomUniform([fh, fw, inC, outC], -1, 1, 'float32', seed + 1)];
      // a loss whose dy is not uniform, so that a misplaced pixel shows
      const loss = (x: st.Tensor, f: st.Tensor) => st.sum(st.square(st.conv2d(x, f, stride, pad as 'same', 'NHWC', dilation)));
      compare(`filter gradient ${what}`, () => {
        const [x, f] = inputs();
        return [st.grad((fi: st.Tensor) => loss(x, fi))(f)];
      }, 1e-4);
      compare(`input gradient ${what}`, () => {
        const [x, f] = inputs();
        return [st.grad((xi: st.Tensor) => loss(xi, f))(x)];
      }, 1e-4);
    }
    st.setNumThreads(2);
  });
}

test('filter gradient over many pixels and a long filter (K > 256, chunks of 256 pixels; two threads: slices of the filter\'s rows, or shares of the pixels) matches the reference', () => {
  for (const threads of [1, 2]) {
    st.setNumThreads(threads);
    for (const [inC, outC] of [[32, 20], [3, 32], [36, 9]]) {
      compare(`filter gradient x [3,17,15,${inC}] f [3,3,${inC},${outC}], ${threads} thread(s)`, () => {
        const x = st.randomUniform([3, 17, 15, inC], -1, 1, 'float32', inC);
        const f = st.randomUniform([3, 3, inC, outC], -1, 1, 'float32', outC);
        return [st.grad((fi: st.Tensor) => st.sum(st.square(st.conv2d(x, fi, 1, 'same'))))(f)];
      }, 1e-4);
    }
  }
  st.setNumThreads(2);
});

test('the filter gradient of a long filter has the same bits on one thread and on two', () => {
  st.setBackend('wasm');
  const x = st.randomUniform([2, 11, 13, 40], -1, 1, 'float32', 7);
  const f = st.randomUniform([3, 3, 40, 24], -1, 1, 'float32', 8);
  const run = (threads: number) => {
    st.setNumThreads(threads);
    return st.grad((fi: st.Tensor) => st.sum(st.square(st.conv2d(x, fi, 1, 'same'))))(f).dataSync();
  };
  assert.deepEqual(run(2), run(1));
  st.setNumThreads(2);
});

test('a gradient with respect to the filter alone does not compute the input gradient', () => {
  st.setBackend('wasm');
  const x = st.randomUniform([2, 9, 9, 3], -1, 1, 'float32', 1);
  const f = st.randomUniform([3, 3, 3, 8], -1, 1, 'float32', 2);
  const be = x.backend;
  const original = be.conv2dBackpropInput.bind(be);
  let calls = 0;
  be.conv2dBackpropInput = (...args: Parameters<typeof be.conv2dBackpropInput>) => {
    calls++;
    return original(...args);
  };
  try {
    st.grad((fi: st.Tensor) => st.sum(st.square(st.conv2d(x, fi, 1, 'same'))))(f).dataSync();
    assert.equal(calls, 0, 'input gradient computed for an input that needs none');
    st.grad((xi: st.Tensor) => st.sum(st.square(st.conv2d(xi, f, 1, 'same'))))(x).dataSync();
    assert.equal(calls, 1, 'the input gradient when it is asked for');
  } finally {
    be.conv2dBackpropInput = original;
  }
});

test('1x1 input gradients (one product, or one per output row into every s-th pixel) match the reference', () => {
  const cases: [number[], number | [number, number], 'same' | 'valid', number][] = [
    [[3, 8, 8, 5], 2, 'valid', 12], [[1, 10, 6, 16], 2, 'same', 9], [[2, 6, 9, 4], [2, 3], 'valid', 8],
    [[2, 7, 5, 6], 1, 'same', 11], [[2, 7, 7, 3], 2, 'valid', 4], [[1, 9, 9, 8], 3, 'same', 33],
  ];
  for (const threads of [1, 2]) {
    st.setNumThreads(threads);
    for (const [shape, stride, pad, outC] of cases) {
      compare(`input gradient x [${shape}] f [1,1,${shape[3]},${outC}] stride ${JSON.stringify(stride)} ${pad}, ${threads} thread(s)`, () => {
        const x = st.randomUniform(shape, -1, 1, 'float32', outC);
        const f = st.randomUniform([1, 1, shape[3], outC], -1, 1, 'float32', outC + 1);
        return [st.grad((xi: st.Tensor) => st.sum(st.square(st.conv2d(xi, f, stride, pad))))(x)];
      }, 1e-4);
    }
  }
  st.setNumThreads(2);
});

test('LeNet\'s second convolution (\'valid\' 5x5, 14x14x6 -> 10x10x16: col2im, where the direct form would multiply zeros for half its work) and a \'valid\' 3x3 at 32x32 (direct) give the reference\'s input gradient', () => {
  for (const threads of [1, 2]) {
    st.setNumThreads(threads);
    for (const [h, c, n, k] of [[14, 6, 16, 5], [32, 8, 8, 3]]) {
      compare(`input gradient x [3,${h},${h},${c}] f [${k},${k},${c},${n}] valid, ${threads} thread(s)`, () => {
        const x = st.randomUniform([3, h, h, c], -1, 1, 'float32', 61);
        const f = st.randomUniform([k, k, c, n], -1, 1, 'float32', 62);
        return [st.grad((xi: st.Tensor) => st.sum(st.square(st.conv2d(xi, f, 1, 'valid'))))(x)];
      }, 1e-4);
    }
  }
  st.setNumThreads(2);
});
