/**
 * strided dx area (src/backend/wasm/conv_phase_dx.ts): the input gradient of a strided
 * convolution written in place phase by phase, against the js reference backend: strides 2 and
 * 3 (and mixed), 2x2, 3x3, 5x5 and non-square filters, 'same', 'valid' and explicit pads (taps
 * outside dy, pixels that no output reaches), odd sizes, batch 1, input channels 8-32 (and, with
 * STRIATE_CONV_PHASE_DX 'all', counts that are not a multiple of 8), one thread and two; the
 * same bits on one thread and two; col2im ('off') still matching.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as st from '../../src/index.js';
import type { Conv2DInfo } from '../../src/backend/types.js';
import { phaseDxApplies } from '../../src/backend/wasm/conv_phase_dx.js';
import { compare, rng } from './wasm_compare.js';

type Pad = 'same' | 'valid' | number;
interface Case { x: number[]; f: [number, number]; cout: number; stride: [number, number]; pad: Pad }

function randomCases(seed: number, n: number, channels: number[]): Case[] {
  const r = rng(seed);
  const out: Case[] = [];
  for (let i = 0; i < n; i++) {
    const s = 2 + r(2);
    const stride: [number, number] = r(4) === 0 ? [s, 5 - s] : [s, s];
    const fh = stride[0] + r(3), fw = r(3) === 0 ? stride[1] + r(3) : Math.max(fh, stride[1]);
    const pads: Pad[] = ['valid', 'same', 1 + r(2)];
    const c = channels[r(channels.length)];
    out.push({ x: [1 + r(3), fh + r(14), fw + r(14), c], f: [fh, fw], cout: 1 + r(40), stride, pad: pads[r(3)] });
  }
  return out;
}

const fixed: Case[] = [
  // ResNet-20's stride-2 layers, shrunk, and odd sizes around them
  { x: [2, 16, 16, 16], f: [3, 3], cout: 32, stride: [2, 2], pad: 'same' },
  { x: [1, 8, 8, 32], f: [3, 3], cout: 64, stride: [2, 2], pad: 'same' },
  { x: [1, 15, 13, 16], f: [3, 3], cout: 30, stride: [2, 2], pad: 'same' },
  { x: [2, 11, 9, 8], f: [3, 3], cout: 13, stride: [3, 3], pad: 'valid' },
  { x: [1, 12, 10, 24], f: [5, 5], cout: 9, stride: [2, 3], pad: 2 },
  { x: [3, 9, 10, 8], f: [2, 2], cout: 7, stride: [2, 2], pad: 'valid' },
];

/** dx of sum(conv2d(x, f) * dy) */
function dx(c: Case, seed: number): () => st.Tensor[] {
  return () => {
    const x = st.randomUniform(c.x, -1, 1, 'float32', seed);
    const f = st.randomUniform([c.f[0], c.f[1], c.x[3], c.cout], -1, 1, 'float32', seed + 1);
    const y = st.conv2d(x, f, c.stride, c.pad);
    const dy = st.randomUniform(y.shape, -1, 1, 'float32', seed + 2);
    return [st.grad((a: st.Tensor) => st.sum(st.mul(st.conv2d(a, f, c.stride, c.pad), dy)))(x)];
  };
}

const label = (c: Case) => `x [${c.x}] filter ${c.f.join('x')} -> ${c.cout} stride ${c.stride} pad ${c.pad}`;
const g = globalThis as { STRIATE_CONV_PHASE_DX?: string };

for (const mode of [undefined, 'all', 'off']) {
  test(`strided input gradients (phase kernel ${mode ?? 'default'}) match the reference`, () => {
    g.STRIATE_CONV_PHASE_DX = mode;
    const before = st.getNumThreads();
    try {
      for (const threads of [1, 2]) {
        st.setNumThreads(threads);
        const channels = mode === 'all' ? [1, 3, 5, 8, 12, 16, 20, 32, 40] : [8, 16, 24, 32];
        const cases = mode === 'off' ? fixed : [...fixed, ...randomCases(70 + threads + (mode ? 10 : 0), 20, channels)];
        cases.forEach((c, i) => compare(`${mode ?? 'default'}, ${threads} thread(s): ${label(c)}`, dx(c, 300 + 4 * i), 2e-5));
      }
    } finally {
      st.setNumThreads(before);
      delete g.STRIATE_CONV_PHASE_DX;
    }
  });
}

test('the phase kernel gives the same bits on one thread and on two', () => {
  const big: Case[] = [
    { x: [8, 32, 32, 16], f: [3, 3], cout: 32, stride: [2, 2], pad: 'same' },
    { x: [5, 19, 17, 24], f: [5, 3], cout: 20, stride: [3, 2], pad: 1 },
  ];
  const before = st.getNumThreads();
  try {
    st.setBackend('wasm');
    for (const c of big) {
      st.setNumThreads(1);
      const one = Array.from(dx(c, 9)()[0].dataSync());
      st.setNumThreads(2);
      const two = Array.from(dx(c, 9)()[0].dataSync());
      assert.deepEqual(two, one, label(c));
    }
  } finally {
    st.setNumThreads(before);
  }
});

test('the phase kernel takes the shapes it was measured faster on and leaves the others', () => {
  const info = (cin: number, cout: number, f: number, s: number, dil = 1): Conv2DInfo => ({
    batchSize: 1, inHeight: 32, inWidth: 32, inChannels: cin, outHeight: 16, outWidth: 16, outChannels: cout,
    filterHeight: f, filterWidth: f, strideHeight: s, strideWidth: s, dilationHeight: dil, dilationWidth: dil,
    padTop: 0, padBottom: 1, padLeft: 0, padRight: 1, channelMultiplier: 1,
  } as Conv2DInfo);
  assert.equal(phaseDxApplies(info(16, 32, 3, 2)), true, 'ResNet-20 16->32 3x3 stride 2');
  assert.equal(phaseDxApplies(info(32, 64, 3, 2)), true, 'ResNet-20 32->64 3x3 stride 2');
  assert.equal(phaseDxApplies(info(64, 128, 3, 2)), false, 'ResNet-18 64->128 (col2im level)');
  assert.equal(phaseDxApplies(info(3, 64, 7, 2)), false, 'a 3-channel stem');
  assert.equal(phaseDxApplies(info(16, 32, 3, 1)), false, 'stride 1');
  assert.equal(phaseDxApplies(info(16, 32, 1, 2)), false, 'a 1x1 filter under the stride');
  g.STRIATE_CONV_PHASE_DX = 'off';
  try {
    assert.equal(phaseDxApplies(info(16, 32, 3, 2)), false, 'switched off');
  } finally {
    delete g.STRIATE_CONV_PHASE_DX;
  }
});
