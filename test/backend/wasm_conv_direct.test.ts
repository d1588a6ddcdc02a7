/**
 * The wasm forward convolution that reads its input directly (no im2col; assembly/conv_direct.ts)
 * with the bias and relu fused: against the reference backend on output widths that are not a
 * multiple of the 4-pixel tile, channel counts that are not a multiple of the 8-wide panel,
 * asymmetric 'same' padding with stride 2, dilation, batch 1 and 1x1 filters; and the same bits
 * on one thread and on two (chunks of rows must not change any sum); the filter gradient read
 * the same way (assembly/conv_direct_grad.ts).
 */
import test from 'node:test';
import * as st from '../../src/index.js';
import { compare } from './wasm_compare.js';
import { assertSameBitsOnThreads, conv, label, type ConvCase } from './wasm_conv_cases.js';

const cases: ConvCase[] = [
  { x: [1, 28, 28, 1], f: [5, 5, 1, 8], stride: 1, pad: 'same', dilation: 1 },
  { x: [3, 14, 13, 8], f: [3, 3, 8, 16], stride: 1, pad: 'same', dilation: 1 },
  { x: [2, 11, 9, 3], f: [3, 2, 3, 10], stride: 2, pad: 'same', dilation: 1 },
  { x: [1, 10, 15, 5], f: [3, 3, 5, 7], stride: 1, pad: 'valid', dilation: 2 },
  { x: [2, 6, 7, 17], f: [1, 1, 17, 9], stride: 1, pad: 'valid', dilation: 1 },
  { x: [1, 9, 9, 2], f: [4, 4, 2, 3], stride: 3, pad: 1, dilation: 1 },
  { x: [1, 3, 3, 300], f: [2, 2, 300, 12], stride: 1, pad: 'same', dilation: 1 },
];

test('direct convolution + bias (+ relu) matches the reference', () => {
  cases.forEach((c, i) => {
    for (const relu of [false, true]) compare(`${label(c)} relu ${relu}`, conv(c, relu, true, 10 * i), 1e-5);
  });
});

test('direct convolution gives the same bits on one thread and on two', () => {
  const big: ConvCase = { x: [8, 28, 28, 3], f: [3, 3, 3, 12], stride: 1, pad: 'same', dilation: 1 };
  assertSameBitsOnThreads([undefined], [...cases, big]);
});

test('direct filter gradient matches the reference (K and channels off the tile sizes)', () => {
  cases.forEach((c, i) => {
    compare(`dW for ${label(c)}`, () => {
      const x = st.randomUniform(c.x, -1, 1, 'float32', 7 * i);
      const f = st.randomUniform(c.f, -1, 1, 'float32', 7 * i + 1);
      const y = st.conv2d(x, f, c.stride, c.pad, 'NHWC', c.dilation);
      const w = st.randomUniform(y.shape as number[], -1, 1, 'float32', 7 * i + 2);
      return [st.grad((fi: st.Tensor) => st.sum(st.mul(st.conv2d(x, fi, c.stride, c.pad, 'NHWC', c.dilation), w)))(f)];
    }, 1e-5);
  });
});
