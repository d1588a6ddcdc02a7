/**
 * The wasm forward convolution's paths (ops.ts forwardPath): the im2col-slab kernel
 * (assembly/conv_slab.ts: deep windows in K blocks of 256, strided 1x1), the 1x1 convolution as a GEMM
 * and the direct kernel, each forced through `globalThis.STRIATE_CONV_FORWARD` and the automatic
 * choice, against the reference backend on random shapes: odd sizes, batch 1, 1-4 channels and
 * more, strides 1-3, dilation 1-2, 'same'/'valid'/explicit pads, 1x1, bias and relu fused; and
 * the same bits on one thread and on two.
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
    const c = r(3) === 0 ? 5 + r(40) : 1 + r(4);
    const fh = 1 + r(5), fw = 1 + r(5);
    const dilation = r(3) === 0 ? 2 : 1;
    const stride = dilation === 1 ? 1 + r(3) : 1;
    const pads: Pad[] = ['same', 'valid', r(3)];
    const pad = pads[r(3)];
    const h = 1 + r(13), w = 1 + r(13);
    // a window must fit when nothing is padded
    const reachH = (fh - 1) * dilation + 1, reachW = (fw - 1) * dilation + 1;
    const extra = typeof pad === 'number' ? 2 * pad : 0;
    if (pad !== 'same' && (h + extra < reachH || w + extra < reachW)) continue;
    out.push({ x: [1 + r(3), h, w, c], f: [fh, fw, c, 1 + r(20)], stride, pad, dilation });
  }
  return out;
}

const fixed: Case[] = [
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

for (const path of ['slab', 'gemm', 'direct', undefined]) {
  test(`forward convolution, path ${path ?? 'auto'}, matches the reference`, () => {
    g.STRIATE_CONV_FORWARD = path;
    try {
      [...fixed, ...randomCases(path === undefined ? 7 : path.length, 24)].forEach((c, i) => {
        compare(`${path}: ${label(c)}`, conv(c, i % 2 === 1, i % 3 !== 2, 100 + i), 2e-5);
      });
    } finally {
      delete g.STRIATE_CONV_FORWARD;
    }
  });
}

test('slab and 1x1 paths give the same bits on one thread and on two', () => {
  const big: Case[] = [
    { x: [16, 28, 28, 3], f: [3, 3, 3, 12], stride: 1, pad: 'same', dilation: 1 },
    { x: [4, 14, 14, 64], f: [3, 3, 64, 20], stride: 1, pad: 'same', dilation: 1 },
    { x: [8, 14, 14, 64], f: [1, 1, 64, 40], stride: 1, pad: 'valid', dilation: 1 },
  ];
  const before = st.getNumThreads();
  for (const path of ['slab', undefined]) {
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
