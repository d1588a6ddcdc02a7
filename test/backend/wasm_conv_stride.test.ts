/**
 * conv stride area (src/backend/wasm/conv_stride.ts): strided 1x1 convolutions through a gather
 * and one GEMM (forward and both gradients), and the input gradient of strided convolutions phase
 * by phase (stride-1 convolutions of dy with each phase's taps), against the reference backend on
 * random shapes (odd sizes, batch 1, 1-4 channels and more, strides 2-4 per axis, 'same', 'valid'
 * and explicit pads, filters smaller than the stride); and the same bits on one thread and two.
 * The gradient paths run only with `globalThis.STRIATE_CONV_STRIDE = 'all'` (ops.ts strideMode),
 * so each test runs under 'all' and under the default.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as st from '../../src/index.js';
import { compare, rng } from './wasm_compare.js';

type Pad = 'same' | 'valid' | number;
interface Case { x: number[]; f: number[]; stride: [number, number]; pad: Pad }

function randomCases(seed: number, n: number, pointwise: boolean): Case[] {
  const r = rng(seed);
  const out: Case[] = [];
  while (out.length < n) {
    const c = r(3) === 0 ? 5 + r(30) : 1 + r(4);
    const fh = pointwise ? 1 : 1 + r(5), fw = pointwise ? 1 : 1 + r(5);
    const stride: [number, number] = [2 + r(3), r(2) === 0 ? 1 : 2 + r(3)];
    if (r(2) === 0) stride.reverse();
    const pads: Pad[] = ['same', 'valid', r(3)];
    const pad = pads[r(3)];
    const h = 1 + r(14), w = 1 + r(14);
    const extra = typeof pad === 'number' ? 2 * pad : 0;
    if (pad !== 'same' && (h + extra < fh || w + extra < fw)) continue;
    out.push({ x: [1 + r(3), h, w, c], f: [fh, fw, c, 1 + r(20)], stride, pad });
  }
  return out;
}

const fixed: Case[] = [
  // ResNet-20's stage entries and projection, shrunk
  { x: [2, 8, 8, 16], f: [3, 3, 16, 32], stride: [2, 2], pad: 'same' },
  { x: [1, 9, 7, 5], f: [3, 3, 5, 7], stride: [2, 2], pad: 'same' },
  { x: [2, 8, 8, 16], f: [1, 1, 16, 32], stride: [2, 2], pad: 'same' },
  { x: [1, 7, 9, 3], f: [1, 1, 3, 6], stride: [2, 3], pad: 1 },
  // the stem 7x7/2 and a 2x2 filter with stride 3 (taps missing from some phases)
  { x: [1, 15, 13, 3], f: [7, 7, 3, 8], stride: [2, 2], pad: 'same' },
  { x: [1, 10, 11, 2], f: [2, 2, 2, 5], stride: [3, 3], pad: 'valid' },
  { x: [1, 6, 6, 4], f: [3, 3, 4, 6], stride: [2, 2], pad: 2 },
];

/** forward, dx and dw of sum(conv(x, f) * dy) */
function conv(c: Case, seed: number): () => st.Tensor[] {
  return () => {
    const x = st.randomUniform(c.x, -1, 1, 'float32', seed);
    const f = st.randomUniform(c.f, -1, 1, 'float32', seed + 1);
    const y = st.conv2d(x, f, c.stride, c.pad);
    const dy = st.randomUniform(y.shape, -1, 1, 'float32', seed + 2);
    const [dx, dw] = st.grads((a: st.Tensor, b: st.Tensor) =>
      st.sum(st.mul(st.conv2d(a, b, c.stride, c.pad), dy)))([x, f]);
    return [y, dx, dw];
  };
}

const label = (c: Case) => `x [${c.x}] f [${c.f}] stride ${c.stride} pad ${c.pad}`;
const g = globalThis as { STRIATE_CONV_STRIDE?: string };

for (const mode of ['all', undefined]) {
  test(`strided convolutions (1x1 gather + GEMM, input gradient by phases), mode ${mode ?? 'default'}, match the reference`, () => {
    g.STRIATE_CONV_STRIDE = mode;
    try {
      [...fixed, ...randomCases(11, 20, false), ...randomCases(12, 12, true)].forEach((c, i) => {
        compare(`${mode}: ${label(c)}`, conv(c, 200 + 3 * i), 2e-5);
      });
    } finally {
      delete g.STRIATE_CONV_STRIDE;
    }
  });
}

// first layers (conv_filter_grad.ts): with at most 8 output channels the filter gradient reads
// the windows in place, and with exactly 8 reads dy as its panel; pixels over several chunks of 256
test('first-layer filter gradient with one panel (windows in place, dy as the panel) matches the reference', () => {
  const cases: Case[] = [
    { x: [3, 28, 28, 1], f: [5, 5, 1, 8], stride: [1, 1], pad: 'same' },
    { x: [2, 13, 15, 1], f: [5, 5, 1, 6], stride: [1, 1], pad: 'valid' },
    { x: [1, 17, 11, 3], f: [3, 3, 3, 8], stride: [2, 1], pad: 1 },
    { x: [2, 9, 9, 2], f: [3, 2, 2, 5], stride: [1, 1], pad: 'same' },
  ];
  for (const threads of [1, 2]) {
    st.setNumThreads(threads);
    cases.forEach((c, i) => compare(`${threads} thread(s): ${label(c)}`, conv(c, 300 + 3 * i), 2e-5));
  }
  st.setNumThreads(2);
});

test('strided paths give the same bits on one thread and on two', () => {
  g.STRIATE_CONV_STRIDE = 'all';
  const big: Case[] = [
    { x: [8, 32, 32, 16], f: [3, 3, 16, 32], stride: [2, 2], pad: 'same' },
    { x: [8, 32, 32, 16], f: [1, 1, 16, 32], stride: [2, 2], pad: 'same' },
    { x: [2, 27, 25, 3], f: [7, 7, 3, 16], stride: [2, 2], pad: 'same' },
  ];
  const before = st.getNumThreads();
  try {
    st.setBackend('wasm');
    for (const c of big) {
      st.setNumThreads(1);
      const one = conv(c, 5)().map((t) => Array.from(t.dataSync()));
      st.setNumThreads(2);
      const two = conv(c, 5)().map((t) => Array.from(t.dataSync()));
      // the filter gradient of a short filter sums partials per chunk: equal bits only for dy's
      // and the forward's single sums
      assert.deepEqual(two[0], one[0], `forward ${label(c)}`);
      assert.deepEqual(two[1], one[1], `input gradient ${label(c)}`);
    }
  } finally {
    st.setNumThreads(before);
    delete g.STRIATE_CONV_STRIDE;
  }
});
