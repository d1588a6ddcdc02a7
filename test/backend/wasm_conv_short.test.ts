/**
 * The wasm forward convolution for a short depth K (assembly/conv_short.ts: one K loop per
 * register tile through a table of tap offsets), forced through `globalThis.STRIATE_CONV_FORWARD
 * = 'short'` and where the automatic choice takes it, against the reference backend on random
 * shapes with 1-4 input channels (and a few deeper), odd sizes, batch 1, strides 1-3, dilation
 * 1-2, 'same'/'valid'/explicit pads, bias and relu fused; the stride-1 input gradient, which runs
 * the forward kernel on dy; and the same bits on one thread and on two.
 */
import test from 'node:test';
import * as st from '../../src/index.js';
import { compare } from './wasm_compare.js';
import { assertSameBitsOnThreads, conv, label, randomCases as drawCases, withForwardPath, type CaseRanges,
  type ConvCase } from './wasm_conv_cases.js';

const ranges: CaseRanges = {
  deepEvery: 5, deepChannels: 12, filter: 7, dilateEvery: 4, strideWithDilation: true, size: 15, outChannels: 40,
};
const randomCases = (seed: number, n: number): ConvCase[] => drawCases(seed, n, ranges);

const fixed: ConvCase[] = [
  { x: [2, 32, 32, 3], f: [3, 3, 3, 32], stride: 1, pad: 'same', dilation: 1 },
  { x: [1, 17, 15, 3], f: [3, 3, 3, 16], stride: 1, pad: 'same', dilation: 1 },
  { x: [1, 23, 21, 3], f: [7, 7, 3, 64], stride: 2, pad: 'same', dilation: 1 },
  { x: [1, 9, 11, 1], f: [5, 5, 1, 6], stride: 1, pad: 'valid', dilation: 2 },
  { x: [1, 7, 5, 4], f: [3, 3, 4, 9], stride: 3, pad: 1, dilation: 1 },
  { x: [1, 1, 1, 2], f: [1, 1, 2, 3], stride: 1, pad: 'valid', dilation: 1 },
];

for (const path of ['short', undefined]) {
  test(`short-K forward convolution, path ${path ?? 'auto'}, matches the reference`, () => {
    withForwardPath(path, () => {
      [...fixed, ...randomCases(path === undefined ? 11 : 5, 30)].forEach((c, i) => {
        compare(`${path}: ${label(c)}`, conv(c, i % 2 === 1, i % 3 !== 2, 200 + i), 2e-5);
      });
    });
  });
}

test('stride-1 input gradient through the short-K kernel matches the reference', () => {
  withForwardPath('short', () => {
    randomCases(23, 30).filter((c) => c.stride === 1).forEach((c, i) => {
      compare(`dx ${label(c)}`, () => {
        const x = st.randomUniform(c.x, -1, 1, 'float32', 300 + i);
        const f = st.randomUniform(c.f, -1, 1, 'float32', 301 + i);
        const y = st.conv2d(x, f, c.stride, c.pad, 'NHWC', c.dilation);
        const w = st.randomUniform(y.shape as number[], -1, 1, 'float32', 302 + i);
        return [st.grad((xi: st.Tensor) => st.sum(st.mul(st.conv2d(xi, f, c.stride, c.pad,
          'NHWC', c.dilation), w)))(x)];
      }, 2e-5);
    });
  });
});

test('short-K forward gives the same bits on one thread and on two', () => {
  assertSameBitsOnThreads(['short', undefined], [
    { x: [16, 28, 28, 3], f: [3, 3, 3, 32], stride: 1, pad: 'same', dilation: 1 },
    { x: [2, 45, 47, 3], f: [7, 7, 3, 20], stride: 2, pad: 'same', dilation: 1 },
  ]);
});
