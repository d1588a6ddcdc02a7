/**
 * proj area (src/backend/wasm/conv_pointwise.ts): strided 1x1 convolutions read in place
 * (forward with bias and relu, input gradient writing every dx row once, filter gradient over
 * blocks of pixels into per-chunk partials) against the js reference backend: strides 2 and 3
 * (and mixed), odd sizes, batch 1, 1-64 input channels, output channels not a multiple of 8,
 * 'valid', 'same' and explicit pads (pixels outside the image); the same bits of the forward
 * pass and input gradient on one thread and two; and the paths before (STRIATE_CONV_POINTWISE
 * 'off') still matching.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as st from '../../src/index.js';
import { compare, rng } from './wasm_compare.js';

type Pad = 'same' | 'valid' | number;
interface Case { x: number[]; cout: number; stride: [number, number]; pad: Pad; bias: boolean; relu: boolean }

function randomCases(seed: number, n: number): Case[] {
  const r = rng(seed);
  const out: Case[] = [];
  for (let i = 0; i < n; i++) {
    const c = [1, 2, 3, 5, 8, 13, 16, 31, 64][r(9)];
    const s = 2 + r(2);
    const stride: [number, number] = r(4) === 0 ? [s, 5 - s] : [s, s];
    const pads: Pad[] = ['valid', 'same', 1 + r(2)];
    out.push({ x: [1 + r(3), 1 + r(17), 1 + r(17), c], cout: 1 + r(40), stride, pad: pads[r(3)], bias: r(2) === 0, relu: r(2) === 0 });
  }
  return out;
}

const fixed: Case[] = [
  // ResNet-20's and ResNet-18's projections, shrunk (and with odd sizes)
  { x: [2, 16, 16, 16], cout: 32, stride: [2, 2], pad: 'valid', bias: false, relu: false },
  { x: [1, 14, 14, 64], cout: 128, stride: [2, 2], pad: 'valid', bias: true, relu: true },
  { x: [1, 15, 13, 16], cout: 30, stride: [2, 2], pad: 'valid', bias: true, relu: false },
  { x: [3, 11, 9, 7], cout: 13, stride: [3, 3], pad: 'valid', bias: false, relu: true },
  { x: [1, 9, 10, 24], cout: 9, stride: [3, 2], pad: 2, bias: true, relu: true },
  // the relaxed build's 6-pixel tile (K >= 32, N >= 32, its rows copied at a fixed pitch of
  // 1024 bytes): K not a multiple of 4, N not a multiple of 8, and K = 256 (the pitch exactly)
  { x: [1, 9, 19, 37], cout: 40, stride: [2, 2], pad: 'valid', bias: true, relu: true },
  { x: [1, 7, 22, 32], cout: 256, stride: [2, 2], pad: 1, bias: false, relu: false },
  { x: [2, 5, 23, 200], cout: 33, stride: [2, 2], pad: 'same', bias: true, relu: false },
  // enough pixels for several 128-pixel blocks of the filter gradient and several chunks
  { x: [4, 33, 31, 20], cout: 36, stride: [2, 2], pad: 'same', bias: true, relu: true },
];

/** forward (fused with bias and relu where asked), dx, dw (and dbias) of sum(y * dy) */
function conv(c: Case, seed: number): () => st.Tensor[] {
  return () => {
    const x = st.randomUniform(c.x, -1, 1, 'float32', seed);
    const f = st.randomUniform([1, 1, c.x[3], c.cout], -1, 1, 'float32', seed + 1);
    const b = st.randomUniform([c.cout], -1, 1, 'float32', seed + 3);
    const run = (a: st.Tensor, w: st.Tensor, bb: st.Tensor) => st.fused.conv2d({
      x: a, filter: w, strides: c.stride, pad: c.pad, bias: c.bias ? bb : undefined, activation: c.relu ? 'relu' : 'linear',
    });
    const y = run(x, f, b);
    const dy = st.randomUniform(y.shape, -1, 1, 'float32', seed + 2);
    const gs = st.grads((a: st.Tensor, w: st.Tensor, bb: st.Tensor) => st.sum(st.mul(run(a, w, bb), dy)))([x, f, b]);
    return [y, ...gs];
  };
}

const label = (c: Case) => `x [${c.x}] -> ${c.cout} stride ${c.stride} pad ${c.pad}${c.bias ? ' bias' : ''}${c.relu ? ' relu' : ''}`;
const g = globalThis as { STRIATE_CONV_POINTWISE?: string };

for (const mode of [undefined, 'off']) {
  test(`strided 1x1 convolutions (in-place kernels ${mode ?? 'on'}) match the reference`, () => {
    g.STRIATE_CONV_POINTWISE = mode;
    const before = st.getNumThreads();
    try {
      for (const threads of [1, 2]) {
        st.setNumThreads(threads);
        const cases = mode === 'off' ? fixed : [...fixed, ...randomCases(40 + threads, 24)];
        cases.forEach((c, i) => compare(`${mode ?? 'on'}, ${threads} thread(s): ${label(c)}`, conv(c, 500 + 4 * i), 2e-5));
      }
    } finally {
      st.setNumThreads(before);
      delete g.STRIATE_CONV_POINTWISE;
    }
  });
}

test('strided 1x1 forward and input gradient give the same bits on one thread and on two', () => {
  const big: Case[] = [
    { x: [8, 32, 32, 16], cout: 32, stride: [2, 2], pad: 'valid', bias: true, relu: true },
    { x: [2, 29, 27, 40], cout: 20, stride: [3, 3], pad: 1, bias: false, relu: false },
  ];
  const before = st.getNumThreads();
  try {
    st.setBackend('wasm');
    for (const c of big) {
      st.setNumThreads(1);
      const one = conv(c, 7)().map((t) => Array.from(t.dataSync()));
      st.setNumThreads(2);
      const two = conv(c, 7)().map((t) => Array.from(t.dataSync()));
      assert.deepEqual(two[0], one[0], `forward ${label(c)}`);
      assert.deepEqual(two[1], one[1], `input gradient ${label(c)}`);
    }
  } finally {
    st.setNumThreads(before);
  }
});
