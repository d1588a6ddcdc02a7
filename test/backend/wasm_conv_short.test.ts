/**
 * The wasm forward convolution for a short depth K (assembly/conv_short.ts: one K loop per
 * register tile through a table of tap offsets), forced through `globalThis.STRIATE_CONV_FORWARD
 * = 'short'` and where the automatic choice takes it, against the reference backend on random
 * shapes with 1-4 input channels (and a few deeper), odd sizes, batch 1, strides 1-3, dilation
 * 1-2, 'same'/'valid'/explicit pads, bias and relu fused; the stride-1 input gradient, which runs
 * the forward kernel on dy; and the same bits on one thread and on two.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as st from '../../src/index.js';
import { compare, rng } from './wasm_compare.js';

type Pad = 'same' | 'valid' | number;
interface Case { x: number[]; f: number[]; stride: number; pad: Pad; dilation: number }
const g = globalThis as { STRIATE_CONV_FORWARD?: string };

function randomCases(seed: number, n: number): Case[] {
  const r = rng(seed);
  const out: Case[] = [];
  while (out.length < n) {
    const c = r(5) === 0 ? 5 + r(12) : 1 + r(4);
    const fh = 1 + r(7), fw = 1 + r(7);
    const dilation = r(4) === 0 ? 2 : 1;
    const stride = 1 + r(3);
    const pads: Pad[] = ['same', 'valid', r(3)];
    const pad = pads[r(3)];
    const h = 1 + r(15), w = 1 + r(15);
    const reachH = (fh - 1) * dilation + 1, reachW = (fw - 1) * dilation + 1;
    const extra = typeof pad === 'number' ? 2 * pad : 0;
    if (pad !== 'same' && (h + extra < reachH || w + extra < reachW)) continue;
    out.push({ x: [1 + r(3), h, w, c], f: [fh, fw, c, 1 + r(40)], stride, pad, dilation });
  }
  return out;
}

const fixed: Case[] = [
  { x: [2, 32, 32, 3], f: [3, 3, 3, 32], stride: 1, pad: 'same', dilation: 1 },
  { x: [1, 17, 15, 3], f: [3, 3, 3, 16], stride: 1, pad: 'same', dilation: 1 },
  { x: [1, 23, 21, 3], f: [7, 7, 3, 64], stride: 2, pad: 'same', dilation: 1 },
  { x: [1, 9, 11, 1], f: [5, 5, 1, 6], stride: 1, pad: 'valid', dilation: 2 },
  { x: [1, 7, 5, 4], f: [3, 3, 4, 9], stride: 3, pad: 1, dilation: 1 },
  { x: [1, 1, 1, 2], f: [1, 1, 2, 3], stride: 1, pad: 'valid', dilation: 1 },
];

function conv(c: Case, relu: boolean, bias: boolean, seed: number): () => st.Tensor[] {
  return () => {
    const x = st.randomUniform(c.x, -1, 1, 'float32', seed);
    const f = st.randomUniform(c.f, -1, 1, 'float32', seed + 1);
    const b = bias ? st.randomUniform([c.f[3]], -1, 1, 'float32', seed + 2) : undefined;
    return [st.fused.conv2d({ x, filter: f, strides: c.stride, pad: c.pad, dilations: c.dilation, bias: b,
      activation: relu ? 'relu' : 'linear' })];
  };
}

const label = (c: Case) => `x [${c.x}] f [${c.f}] stride ${c.stride} pad ${c.pad} dilation ${c.dilation}`;

for (const path of ['short', undefined]) {
  test(`short-K forward convolution, path ${path ?? 'auto'}, matches the reference`, () => {
    g.STRIATE_CONV_FORWARD = path;
    try {
      [...fixed, ...randomCases(path === undefined ? 11 : 5, 30)].forEach((c, i) => {
        compare(`${path}: ${label(c)}`, conv(c, i % 2 === 1, i % 3 !== 2, 200 + i), 2e-5);
      });
    } finally {
      delete g.STRIATE_CONV_FORWARD;
    }
  });
}

test('stride-1 input gradient through the short-K kernel matches the reference', () => {
  g.STRIATE_CONV_FORWARD = 'short';
  try {
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
  } finally {
    delete g.STRIATE_CONV_FORWARD;
  }
});

test('short-K forward gives the same bits on one thread and on two', () => {
  const big: Case[] = [
    { x: [16, 28, 28, 3], f: [3, 3, 3, 32], stride: 1, pad: 'same', dilation: 1 },
    { x: [2, 45, 47, 3], f: [7, 7, 3, 20], stride: 2, pad: 'same', dilation: 1 },
  ];
  const before = st.getNumThreads();
  for (const path of ['short', undefined]) {
    g.STRIATE_CONV_FORWARD = path;
    try {
      for (const c of big) {
        st.setBackend('wasm');
        st.setNumThreads(1);
        const one = conv(c, true, true, 3)()[0].dataSync();
        st.setNumThreads(2);
        const two = conv(c, true, true, 3)()[0].dataSync();
        assert.deepEqual(Array.from(two), Array.from(one), `${path}: ${label(c)}`);
      }
    } finally {
      delete g.STRIATE_CONV_FORWARD;
      st.setNumThreads(before);
    }
  }
});
