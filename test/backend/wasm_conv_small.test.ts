/**
 * r50 area (issue 18): small images split over output channels on two threads. The slab kernel's
 * grid (ops.ts slabGrid, assembly/conv_small.ts: pixel ranges by 8-column panel ranges, the filter
 * packed one K block per chunk), the strided 1x1 GEMM's column split for few rows (conv_stride.ts),
 * and 3x3 convolutions with too few tiles for Winograd taken by the slab kernel: against the
 * reference backend on odd shapes (few pixels, many and odd output channels, K blocks not full,
 * batch 1 and 2), and the same bits on one thread and on two.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as st from '../../src/index.js';
import { compare } from './wasm_compare.js';
import { assertSameBitsOnThreads, conv, label, withForwardPath, type ConvCase } from './wasm_conv_cases.js';
import { forwardPath, slabGrid } from '../../src/backend/wasm/ops.js';
import type { Conv2DInfo } from '../../src/backend/types.js';

const cases: ConvCase[] = [
  // 3x3 over 120 channels at 7x7 (K 1080: 5 K blocks, the last not full), 37 output channels (5 panels, the last of 5 columns)
  { x: [1, 7, 7, 120], f: [3, 3, 120, 37], stride: 1, pad: 'same', dilation: 1 },
  // 49 pixels by 100 channels (13 panels): a grid of 1 pixel range by 3 channel ranges on 2 threads
  { x: [1, 7, 7, 116], f: [3, 3, 116, 100], stride: 1, pad: 'same', dilation: 1 },
  // 5x5 pixels, odd everything, batch 2
  { x: [2, 5, 5, 130], f: [3, 3, 130, 67], stride: 1, pad: 'same', dilation: 1 },
  // 196 pixels: 3 pixel ranges of 68, 64 channels
  { x: [1, 14, 14, 128], f: [3, 3, 128, 64], stride: 1, pad: 'same', dilation: 1 },
  // strided, valid, a few pixels
  { x: [1, 9, 11, 120], f: [3, 3, 120, 45], stride: 2, pad: 'valid', dilation: 1 },
  // a single output pixel
  { x: [1, 3, 3, 128], f: [3, 3, 128, 24], stride: 1, pad: 'valid', dilation: 1 },
  // strided 1x1 with few rows and many columns (the GEMM's column split): 7x7 rows, 300 columns
  { x: [1, 13, 13, 40], f: [1, 1, 40, 300], stride: 2, pad: 'same', dilation: 1 },
  { x: [1, 14, 14, 64], f: [1, 1, 64, 520], stride: 2, pad: 'valid', dilation: 1 },
];

for (const path of ['slab', undefined]) {
  test(`small images, path ${path ?? 'auto'}: match the reference (bias, relu) on two threads`, () => {
    const before = st.getNumThreads();
    st.setBackend('wasm');
    st.setNumThreads(2);
    try {
      withForwardPath(path, () => {
        cases.forEach((c, i) => compare(`${path}: ${label(c)}`, conv(c, i % 2 === 0, i % 3 !== 1, 300 + i), 2e-5));
      });
    } finally {
      st.setBackend('wasm');
      st.setNumThreads(before);
    }
  });
}

test('small images: the same bits on one thread and on two', () => {
  assertSameBitsOnThreads(['slab', undefined], cases);
});

test('slabGrid covers every pixel and panel once, and splits small images over channels', () => {
  for (const [pixels, outC, target] of [[49, 512, 8], [196, 256, 8], [784, 128, 8], [1, 24, 8], [49, 37, 8], [3136, 64, 8],
    [49, 512, 1], [5, 8, 4], [97, 20, 8]]) {
    const g = slabGrid(pixels, outC, target);
    const np = Math.ceil(outC / 8);
    const rows = Math.ceil(pixels / g.per), cols = Math.ceil(np / g.panelsPer);
    assert.equal(g.chunks, rows * cols, `[${pixels}, ${outC}, ${target}]`);
    assert.equal(g.per % 4 === 0 || rows === 1, true, `whole quads of pixels per range: ${JSON.stringify(g)}`);
    if (target > 1) assert.ok(g.chunks <= target + rows, `few chunks: ${JSON.stringify(g)}`);
    assert.ok(g.per <= Math.max(96, Math.ceil(pixels / target) + 3), `ranges of at most one slab block or a target's share: ${JSON.stringify(g)}`);
    if (target === 1) assert.equal(cols, 1, 'one thread: all channels in each range');
  }
  // 7x7 at 512 channels: one pixel range, 8 channel ranges of 64
  assert.deepEqual(slabGrid(49, 512, 8), { per: 52, panelsPer: 8, chunks: 8 });
  // a large image keeps the pixel split
  assert.equal(slabGrid(3136, 64, 8).panelsPer, 8);
  // one thread: 196 pixels as 68, 68, 60
  assert.deepEqual(slabGrid(196, 256, 1), { per: 68, panelsPer: 32, chunks: 3 });
});

test('3x3 convolutions with few tiles and a deep window take the slab kernel, others Winograd (F(4x4) or F(2x2))', () => {
  const info = (n: number, size: number, c: number): Conv2DInfo => ({
    batchSize: n, inHeight: size, inWidth: size, inChannels: c, outHeight: size, outWidth: size, outChannels: c,
    filterHeight: 3, filterWidth: 3, strideHeight: 1, strideWidth: 1, dilationHeight: 1, dilationWidth: 1,
    padTop: 1, padLeft: 1, padBottom: 1, padRight: 1, channelMultiplier: 1,
  });
  assert.equal(forwardPath(info(1, 7, 512)), 'slab');
  assert.equal(forwardPath(info(1, 14, 256)), 'slab');
  assert.equal(forwardPath(info(1, 28, 128)), 'winograd4');
  assert.equal(forwardPath(info(8, 7, 512)), 'winograd');
  assert.equal(forwardPath(info(1, 7, 64)), 'winograd4');
  assert.equal(forwardPath(info(1, 14, 128)), 'winograd');
  const g = globalThis as { STRIATE_CONV_WINOGRAD?: string };
  g.STRIATE_CONV_WINOGRAD = 'all';
  try {
    assert.ok(['winograd', 'winograd4'].includes(forwardPath(info(1, 7, 512))));
  } finally {
    delete g.STRIATE_CONV_WINOGRAD;
  }
  st.setBackend('wasm');
});
