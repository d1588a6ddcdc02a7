/**
 * The wasm forward convolution for first layers (assembly/conv_first_fwd.ts: a strip of stacked
 * window rows per output row, one pointer walk over K per register tile), forced through
 * `globalThis.STRIATE_CONV_FORWARD = 'first'` and where the automatic choice takes it, against
 * the reference backend: 1-4 input channels, filters up to K = 64 (5x5x1, 3x3x3, 8x8x1, 1x7x4 ...),
 * odd sizes, rows under 4 pixels and rows that end in a partial tile, batch 1, 'same', 'valid' and
 * explicit pads, strides and dilation down the image (stride and dilation 1 across), bias and
 * relu fused or not, output channels not a multiple of 8; the same bits on one thread and two.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as st from '../../src/index.js';
import type { Conv2DInfo } from '../../src/backend/types.js';
import { forwardPath } from '../../src/backend/wasm/conv_paths.js';
import { compare, rng } from './wasm_compare.js';
import { assertSameBitsOnThreads, conv, label, withForwardPath, type ConvCase, type Pad } from './wasm_conv_cases.js';

const fixed: ConvCase[] = [
  { x: [2, 32, 32, 3], f: [3, 3, 3, 32], stride: 1, pad: 'same', dilation: 1 },
  { x: [1, 17, 15, 3], f: [3, 3, 3, 16], stride: 1, pad: 'same', dilation: 1 },
  { x: [3, 28, 28, 1], f: [5, 5, 1, 8], stride: 1, pad: 'same', dilation: 1 },
  { x: [1, 9, 11, 1], f: [5, 5, 1, 6], stride: 1, pad: 'valid', dilation: 1 },
  { x: [1, 7, 5, 4], f: [3, 3, 4, 9], stride: 1, pad: 1, dilation: 1 },
  { x: [1, 1, 1, 2], f: [1, 1, 2, 3], stride: 1, pad: 'valid', dilation: 1 },
  { x: [2, 3, 2, 2], f: [3, 3, 2, 17], stride: 1, pad: 'same', dilation: 1 },
  { x: [1, 10, 13, 1], f: [8, 8, 1, 5], stride: 1, pad: 'same', dilation: 1 },
  { x: [1, 6, 31, 4], f: [1, 7, 4, 24], stride: 1, pad: 'same', dilation: 1 },
  { x: [1, 12, 29, 3], f: [4, 2, 3, 40], stride: 1, pad: 2, dilation: 1 },
];

/** Random cases the kernel takes: c 1-4, fh * c <= 12, K <= 64. */
function randomCases(seed: number, n: number): ConvCase[] {
  const r = rng(seed);
  const out: ConvCase[] = [];
  while (out.length < n) {
    const c = 1 + r(4), fh = 1 + r(Math.floor(12 / c)), fw = 1 + r(Math.min(8, Math.floor(64 / (fh * c))));
    const pads: Pad[] = ['same', 'valid', r(3)];
    const pad = pads[r(3)];
    const h = 1 + r(14), w = 1 + r(20);
    const extra = typeof pad === 'number' ? 2 * pad : 0;
    if (pad !== 'same' && (h + extra < fh || w + extra < fw)) continue;
    out.push({ x: [1 + r(3), h, w, c], f: [fh, fw, c, 1 + r(40)], stride: 1, pad, dilation: 1 });
  }
  return out;
}

test('the first-layer forward kernel is the one forced and the automatic choice for 3x3x3 and 5x5x1', () => {
  const info = (c: number, f: number): Conv2DInfo => ({
    batchSize: 64, inHeight: 32, inWidth: 32, inChannels: c, outHeight: 32, outWidth: 32, outChannels: 32,
    filterHeight: f, filterWidth: f, strideHeight: 1, strideWidth: 1, dilationHeight: 1, dilationWidth: 1,
    padTop: 1, padBottom: 1, padLeft: 1, padRight: 1, channelMultiplier: 1,
  });
  withForwardPath('first', () => assert.equal(forwardPath(info(3, 3), false), 'first'));
  withForwardPath('short', () => assert.equal(forwardPath(info(3, 3), false), 'short'));
  for (const relaxed of [false, true]) {
    assert.equal(forwardPath(info(3, 3), relaxed), 'first');
    assert.equal(forwardPath(info(1, 5), relaxed), 'first');
  }
  // stride across is not the kernel's: forcing it keeps another kernel
  withForwardPath('first', () => assert.notEqual(forwardPath({ ...info(3, 3), strideWidth: 2, outWidth: 16 }, false), 'first'));
});

for (const path of ['first', undefined]) {
  test(`first-layer forward convolution, path ${path ?? 'auto'}, matches the reference`, () => {
    withForwardPath(path, () => {
      [...fixed, ...randomCases(path === undefined ? 13 : 7, 30)].forEach((c, i) => {
        compare(`${path}: ${label(c)}`, conv(c, i % 2 === 1, i % 3 !== 2, 400 + i), 2e-5);
      });
    });
  });
}

test('first-layer forward with stride and dilation down the image matches the reference', () => {
  withForwardPath('first', () => {
    const cases: [number[], number[], [number, number], [number, number], Pad][] = [
      [[2, 13, 12, 3], [3, 3, 3, 16], [2, 1], [1, 1], 'same'],
      [[1, 15, 9, 1], [5, 5, 1, 8], [3, 1], [1, 1], 'valid'],
      [[1, 14, 10, 2], [3, 3, 2, 12], [1, 1], [2, 1], 'same'],
      [[1, 11, 7, 4], [2, 3, 4, 8], [2, 1], [2, 1], 1],
    ];
    cases.forEach(([xs, fs, strides, dil, pad], i) => {
      compare(`x [${xs}] f [${fs}] strides ${strides} dilations ${dil} pad ${pad}`, () => {
        const x = st.randomUniform(xs, -1, 1, 'float32', 500 + i);
        const f = st.randomUniform(fs, -1, 1, 'float32', 501 + i);
        const b = st.randomUniform([fs[3]], -1, 1, 'float32', 502 + i);
        return [st.fused.conv2d({ x, filter: f, strides, pad, dilations: dil, bias: b, activation: i % 2 ? 'relu' : 'linear' })];
      }, 2e-5);
    });
  });
});

test('first-layer forward gives the same bits on one thread and on two', () => {
  assertSameBitsOnThreads(['first'], [
    { x: [16, 28, 28, 3], f: [3, 3, 3, 32], stride: 1, pad: 'same', dilation: 1 },
    { x: [8, 28, 29, 1], f: [5, 5, 1, 8], stride: 1, pad: 'same', dilation: 1 },
  ]);
});

// ---- conv first-layer forward area: the tiles' order in a row (STRIATE_CONV_FIRST_FWD) ----
// stripRow writes groups of output pixels whole (all panels at a time: 'groups'), stripRowPanels
// ('panels') each panel over the whole row; unset, the kernel picks (relaxed build) by the output row's size (a
// row of [1, 6, 9, 3] -> 64 channels is 2304 bytes, of a 224-wide one 57 KiB). Each against the
// reference, and the two orders the same bits as each other
// (each output's sum runs in the same order either way). Widths hit 6- and 4-pixel tiles, a
// last partial tile and rows under 4 pixels; channels a partial last panel, one panel, many.
function withOrder<T>(order: string | undefined, body: () => T): T {
  const g = globalThis as { STRIATE_CONV_FIRST_FWD?: string };
  const before = g.STRIATE_CONV_FIRST_FWD;
  g.STRIATE_CONV_FIRST_FWD = order;
  try {
    return body();
  } finally {
    g.STRIATE_CONV_FIRST_FWD = before;
  }
}

const orderCases: ConvCase[] = [
  { x: [2, 8, 32, 3], f: [3, 3, 3, 32], stride: 1, pad: 'same', dilation: 1 },
  { x: [1, 5, 30, 3], f: [3, 3, 3, 20], stride: 1, pad: 'same', dilation: 1 },
  { x: [1, 4, 13, 1], f: [5, 5, 1, 8], stride: 1, pad: 'same', dilation: 1 },
  { x: [1, 3, 3, 2], f: [3, 3, 2, 24], stride: 1, pad: 'same', dilation: 1 },
  { x: [2, 3, 22, 4], f: [2, 3, 4, 7], stride: 1, pad: 'valid', dilation: 1 },
  { x: [1, 6, 9, 3], f: [3, 3, 3, 64], stride: 1, pad: 1, dilation: 1 },
  { x: [1, 3, 70, 3], f: [3, 3, 3, 72], stride: 1, pad: 'same', dilation: 1 },
];

for (const order of ['panels', 'groups', undefined]) {
  test(`first-layer forward, tiles' order ${order ?? 'by row size'}, matches the reference`, () => {
    withForwardPath('first', () => withOrder(order, () => {
      [...orderCases, ...randomCases(order === undefined ? 29 : order === 'panels' ? 31 : 33, 12)].forEach((c, i) => {
        compare(`${order}: ${label(c)}`, conv(c, i % 2 === 0, i % 3 !== 1, 700 + i), 2e-5);
      });
    }));
  });
}

test('first-layer forward gives the same bits in either tiles\' order', () => {
  st.setBackend('wasm');
  withForwardPath('first', () => {
    [...orderCases, ...randomCases(37, 10)].forEach((c, i) => {
      const run = (order: string | undefined) => withOrder(order, () => st.tidy(() => {
        const [y] = conv(c, i % 2 === 1, true, 800 + i)();
        return y.dataSync().slice();
      }));
      const a = run('groups'), b = run('panels');
      assert.equal(a.length, b.length, label(c));
      for (let j = 0; j < a.length; j++) assert.ok(Object.is(a[j], b[j]), `${label(c)}: output ${j} ${a[j]} against ${b[j]}`);
    });
  });
});
