/**
 * conv relaxed tile area (issue 18): the shapes at the edges of the relaxed build's 6-row tiles
 * (assembly/conv_relaxed.ts), checked against the reference backend. In the plain build they
 * run the 4-row kernels and must pass the same way; wasm_relaxed_simd.test.ts runs this file on
 * the relaxed build.
 * - forward and input gradient (the direct kernel, 6 output pixels in flat order across row
 *   ends, for window rows of 64 floats or more): output widths 2 to 14, odd and even (pixel counts not a multiple of 6, a chunk's short
 *   last tile), stride 2, batch 1, channels not a multiple of 8, bias and relu, 1 and 2 threads
 *   (chunks of rows);
 * - filter gradient (two 6-row tiles per three 4-row window groups): K whose groups are not a
 *   multiple of 3, K past the 256-row block, output channels not a multiple of 8, and on two
 *   threads the split of the filter's rows.
 */
import test from 'node:test';
import * as st from '../../src/index.js';
import { compare } from './wasm_compare.js';

type Case = { x: number[]; f: number[]; pad: 'same' | 'valid'; stride?: number };
// the 6-pixel tile takes window rows of 64 floats or more (3x3 over 22+ channels); 16 channels
// and fewer keep the 4-pixel kernel (both run here: the input gradient's turned filter has the
// forward's output channels as its depth)
const forward: Case[] = [
  { x: [1, 5, 2, 24], f: [3, 3, 24, 8], pad: 'same' },
  { x: [2, 3, 4, 32], f: [3, 3, 32, 16], pad: 'same' },
  { x: [1, 7, 6, 25], f: [3, 3, 25, 13], pad: 'same' },
  { x: [3, 5, 8, 32], f: [3, 3, 32, 24], pad: 'same' },
  { x: [1, 9, 10, 22], f: [3, 3, 22, 17], pad: 'same' },
  { x: [2, 6, 14, 24], f: [3, 3, 24, 8], pad: 'valid' },
  { x: [1, 6, 7, 30], f: [3, 3, 30, 10], pad: 'same' },
  { x: [1, 7, 9, 5], f: [3, 3, 5, 27], pad: 'same' },
  { x: [2, 16, 16, 16], f: [3, 3, 16, 32], pad: 'same' },
  { x: [3, 11, 9, 23], f: [3, 3, 23, 11], pad: 'same', stride: 2 },
];

test('forward convolution with bias and relu at the 6-pixel tile edges', () => {
  for (const threads of [1, 2]) {
    st.setNumThreads(threads);
    forward.forEach((c, i) => {
      compare(`threads ${threads} x [${c.x}] f [${c.f}] ${c.pad}`, () => {
        const x = st.randomUniform(c.x, -1, 1, 'float32', 10 * i);
        const f = st.randomUniform(c.f, -1, 1, 'float32', 10 * i + 1);
        const bias = st.randomUniform([c.f[3]], -1, 1, 'float32', 10 * i + 2);
        return [
          st.fused.conv2d({ x, filter: f, strides: c.stride ?? 1, pad: c.pad, bias, activation: 'relu' }),
          st.conv2d(x, f, c.stride ?? 1, c.pad),
        ];
      }, 1e-5);
    });
  }
  st.setNumThreads(1);
});

test('input and filter gradients of 3x3 stride-1 convolutions at the 6-row tile edges', () => {
  const grads: Case[] = [
    ...forward.filter((c) => c.stride === undefined),
    // K 180: 45 groups of 4 rows (15 triples; on two threads 23 + 22 groups)
    { x: [2, 6, 6, 20], f: [3, 3, 20, 16], pad: 'same' },
    // K 360: a 256-row block (64 groups) and one of 104 (26 groups)
    { x: [1, 4, 6, 40], f: [3, 3, 40, 12], pad: 'same' },
    // K 45 over 5 panels: the packed kernel, the last group past K
    { x: [2, 5, 4, 5], f: [3, 3, 5, 40], pad: 'same' },
  ];
  for (const threads of [1, 2]) {
    st.setNumThreads(threads);
    grads.forEach((c, i) => {
      compare(`threads ${threads} x [${c.x}] f [${c.f}] ${c.pad}`, () => {
        const x = st.randomUniform(c.x, -1, 1, 'float32', 7 * i);
        const f = st.randomUniform(c.f, -1, 1, 'float32', 7 * i + 1);
        const y = st.conv2d(x, f, 1, c.pad);
        const dy = st.randomUniform(y.shape, -1, 1, 'float32', 7 * i + 2);
        return st.grads((x: st.Tensor, f: st.Tensor) => st.sum(st.mul(st.conv2d(x, f, 1, c.pad), dy)))([x, f]);
      }, 2e-5);
    });
  }
  st.setNumThreads(1);
});
