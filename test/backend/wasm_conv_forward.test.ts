/**
 * The wasm forward convolution's paths (ops.ts forwardPath): the im2col-slab kernel
 * (assembly/conv_slab.ts: deep windows in K blocks of 256, strided 1x1), the 1x1 convolution as a GEMM
 * and the direct kernel, each forced through `globalThis.STRIATE_CONV_FORWARD` and the automatic
 * choice, against the reference backend on random shapes: odd sizes, batch 1, 1-4 channels and
 * more, strides 1-3, dilation 1-2, 'same'/'valid'/explicit pads, 1x1, bias and relu fused; and
 * the same bits on one thread and on two.
 */
import test from 'node:test';
import { compare } from './wasm_compare.js';
import { assertSameBitsOnThreads, conv, label, randomCases as drawCases, withForwardPath, type CaseRanges,
  type ConvCase } from './wasm_conv_cases.js';

const ranges: CaseRanges = {
  deepEvery: 3, deepChannels: 40, filter: 5, dilateEvery: 3, strideWithDilation: false, size: 13, outChannels: 20,
};
const randomCases = (seed: number, n: number): ConvCase[] => drawCases(seed, n, ranges);

const fixed: ConvCase[] = [
  { x: [2, 32, 32, 3], f: [3, 3, 3, 32], stride: 1, pad: 'same', dilation: 1 },
  { x: [1, 23, 21, 3], f: [7, 7, 3, 16], stride: 2, pad: 'same', dilation: 1 },
  { x: [1, 9, 11, 1], f: [5, 5, 1, 6], stride: 1, pad: 'valid', dilation: 2 },
  { x: [1, 7, 5, 4], f: [3, 3, 4, 9], stride: 3, pad: 1, dilation: 1 },
  // K = 3 * 3 * 70 = 630: three K blocks, the last one not full
  { x: [1, 6, 7, 70], f: [3, 3, 70, 13], stride: 1, pad: 'same', dilation: 1 },
  // K = 1080 >= 1024: the automatic choice takes the slab kernel, 5 K blocks
  { x: [2, 5, 6, 120], f: [3, 3, 120, 11], stride: 2, pad: 'same', dilation: 1 },
  { x: [1, 9, 8, 30], f: [3, 3, 30, 9], stride: 1, pad: 'valid', dilation: 2 },
  { x: [2, 7, 9, 33], f: [1, 1, 33, 17], stride: 1, pad: 'valid', dilation: 1 },
  { x: [2, 8, 8, 16], f: [1, 1, 16, 24], stride: 2, pad: 'same', dilation: 1 },
  { x: [1, 1, 1, 300], f: [1, 1, 300, 5], stride: 1, pad: 'same', dilation: 1 },
];

for (const path of ['slab', 'gemm', 'direct', undefined]) {
  test(`forward convolution, path ${path ?? 'auto'}, matches the reference`, () => {
    withForwardPath(path, () => {
      [...fixed, ...randomCases(path === undefined ? 7 : path.length, 24)].forEach((c, i) => {
        compare(`${path}: ${label(c)}`, conv(c, i % 2 === 1, i % 3 !== 2, 100 + i), 2e-5);
      });
    });
  });
}

test('slab and 1x1 paths give the same bits on one thread and on two', () => {
  assertSameBitsOnThreads(['slab', undefined], [
    { x: [16, 28, 28, 3], f: [3, 3, 3, 12], stride: 1, pad: 'same', dilation: 1 },
    { x: [4, 14, 14, 64], f: [3, 3, 64, 20], stride: 1, pad: 'same', dilation: 1 },
    { x: [8, 14, 14, 64], f: [1, 1, 64, 40], stride: 1, pad: 'valid', dilation: 1 },
  ]);
});
