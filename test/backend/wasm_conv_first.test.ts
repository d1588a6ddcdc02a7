/**
 * First conv layer area (issue 18 item 1): the input gradient of a stride-1 convolution with 1-3
 * input channels (assembly/conv_first_dx.ts, task 151, and its predecessor conv_first.ts, task
 * 150: vectors along dy's channels, a few dx pixels x 3 channels a tile, an interior row's 3
 * filter rows in one loop, 8-pixel tiles for one channel, border pixels one at a time over
 * their valid taps) against the js reference
 * backend: odd sizes, batch 1, images narrower than the filter, 'same', 'valid' and explicit
 * padding (wider than the filter's reach too), 1-4 input channels (4 and output channels off a
 * multiple of 4 take the old path), gradients of x and the filter together via st.grads, bias and
 * relu on the forward pass; strides 2-3 and dilation 2 (which keep the old paths); task 150's two
 * tiles and task 151 with and without its fused rows; and the same bits on one thread and on two.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as st from '../../src/index.js';
import { compare, rng } from './wasm_compare.js';

type Pad = 'same' | 'valid' | number | [number, number][];
interface Case { x: number[]; f: number[]; pad: Pad; stride?: number; dilation?: number }

const fixed: Case[] = [
  { x: [2, 32, 32, 3], f: [3, 3, 3, 32], pad: 'same' },
  { x: [1, 17, 15, 3], f: [3, 3, 3, 16], pad: 'same' },
  { x: [2, 13, 11, 1], f: [5, 5, 1, 8], pad: 'same' },
  { x: [1, 9, 10, 2], f: [3, 3, 2, 12], pad: 'valid' },
  { x: [1, 7, 9, 3], f: [7, 7, 3, 4], pad: 'same' },
  { x: [1, 3, 2, 3], f: [5, 5, 3, 8], pad: 'same' },
  { x: [1, 6, 7, 3], f: [3, 3, 3, 8], pad: 4 },
  { x: [1, 8, 9, 3], f: [2, 3, 3, 20], pad: [[0, 0], [2, 0], [0, 1], [0, 0]] },
  { x: [1, 5, 6, 3], f: [1, 1, 3, 8], pad: 1 },
  { x: [1, 9, 9, 4], f: [3, 3, 4, 8], pad: 'same' },
  { x: [1, 9, 9, 3], f: [3, 3, 3, 6], pad: 'same' },
  // more widths, and strides and dilation (not taken: the old paths beside the new one)
  { x: [1, 9, 10, 2], f: [3, 3, 2, 16], pad: 'valid' },
  { x: [3, 7, 33, 1], f: [5, 5, 1, 32], pad: 'same' },
  { x: [2, 15, 13, 3], f: [3, 3, 3, 48], pad: 'same', stride: 2 },
  { x: [1, 11, 12, 3], f: [3, 3, 3, 16], pad: 1, stride: 3 },
  { x: [1, 12, 11, 3], f: [3, 3, 3, 32], pad: 'same', dilation: 2 },
  { x: [1, 23, 21, 3], f: [7, 7, 3, 64], pad: 'same', stride: 2 },
  // task 151's tiles: 3-row fused tiles next to border rows and pixels for outC 4-64, one input
  // channel's 8-pixel tile (widths 8-9 past the borders, and under 8), batch 1, odd sizes
  { x: [1, 5, 8, 3], f: [3, 3, 3, 4], pad: 'same' },
  { x: [2, 6, 9, 3], f: [3, 3, 3, 8], pad: 'valid' },
  { x: [1, 7, 13, 2], f: [3, 3, 2, 12], pad: 'same' },
  { x: [1, 9, 14, 3], f: [3, 3, 3, 16], pad: 'same' },
  { x: [1, 4, 19, 3], f: [3, 3, 3, 64], pad: 'same' },
  { x: [1, 3, 11, 3], f: [3, 3, 3, 64], pad: 'valid' },
  { x: [2, 9, 12, 1], f: [5, 5, 1, 8], pad: 'same' },
  { x: [1, 6, 13, 1], f: [3, 3, 1, 16], pad: 'valid' },
  { x: [1, 5, 10, 1], f: [3, 3, 1, 4], pad: 1 },
  { x: [1, 8, 7, 1], f: [5, 5, 1, 8], pad: 'same' },
];

function randomCases(seed: number, n: number): Case[] {
  const r = rng(seed);
  const kernels = [[3, 3], [3, 3], [5, 5], [1, 3], [2, 2], [7, 7], [3, 1]];
  const pads: Pad[] = ['same', 'valid', 1, 2];
  const out: Case[] = [];
  for (let i = 0; i < n; i++) {
    const [fh, fw] = kernels[r(kernels.length)];
    const h = fh + r(14), w = fw + r(14);
    out.push({ x: [1 + r(3), h, w, 1 + r(3)], f: [fh, fw, 0, 4 * (1 + r(10))], pad: pads[r(pads.length)] });
    out[i].f[2] = out[i].x[3];
  }
  return out;
}

const label = (c: Case) => `x [${c.x}] f [${c.f}] pad ${JSON.stringify(c.pad)} stride ${c.stride ?? 1} dilation ${c.dilation ?? 1}`;

/** dx and dw of sum(relu(conv(x, f) + bias) * w) (bias and relu on even i), from seeds. */
function grads(c: Case, i: number): () => st.Tensor[] {
  return () => {
    const x = st.randomUniform(c.x, -1, 1, 'float32', 700 + i);
    const f = st.randomUniform(c.f, -1, 1, 'float32', 701 + i);
    const b = st.randomUniform([c.f[3]], -0.5, 0.5, 'float32', 702 + i);
    const fwd = (xi: st.Tensor, fi: st.Tensor) => {
      const y = st.conv2d(xi, fi, c.stride ?? 1, c.pad as 'same', 'NHWC', c.dilation ?? 1);
      return i % 2 === 0 ? st.relu(st.add(y, b)) : y;
    };
    const y = fwd(x, f);
    const w = st.randomUniform(y.shape as number[], -1, 1, 'float32', 703 + i);
    return st.grads((xi: st.Tensor, fi: st.Tensor) => st.sum(st.mul(fwd(xi, fi), w)))([x, f]);
  };
}

/** 'old reload' | 'old held': task 150's tiles; 'new': task 151; 'nofuse': task 151, one loop per filter row */
const setTile = (t: string | undefined) => {
  const g = globalThis as { STRIATE_CONV_FIRST_TILE?: string; STRIATE_CONV_FIRST_DX?: string };
  g.STRIATE_CONV_FIRST_TILE = t?.startsWith('old ') ? t.slice(4) : undefined;
  g.STRIATE_CONV_FIRST_DX = t === 'nofuse' ? t : undefined;
};

for (const threads of [1, 2]) {
  for (const tile of ['old reload', 'old held', 'new', 'nofuse']) {
    test(`first-layer input gradient matches the reference (${threads} thread${threads > 1 ? 's' : ''}, ${tile} tile)`, () => {
      const before = st.getNumThreads();
      st.setNumThreads(threads);
      setTile(tile);
      try {
        [...fixed, ...randomCases(40 + threads, 24)].forEach((c, i) => compare(`${tile}: ${label(c)}`, grads(c, i), 2e-5));
      } finally {
        st.setNumThreads(before);
        setTile(undefined);
      }
    });
  }
}

test('first-layer input gradient gives the same bits on one thread and on two', () => {
  const before = st.getNumThreads();
  try {
    for (const c of [fixed[0], { x: [16, 28, 28, 3], f: [5, 5, 3, 16], pad: 'same' }, { x: [16, 28, 28, 1], f: [5, 5, 1, 8], pad: 'same' },
      { x: [8, 32, 32, 3], f: [3, 3, 3, 16], pad: 'same' }] as Case[]) {
      st.setBackend('wasm');
      st.setNumThreads(1);
      const one = grads(c, 0)()[0].dataSync();
      st.setNumThreads(2);
      const two = grads(c, 0)()[0].dataSync();
      assert.deepEqual(Array.from(two), Array.from(one), label(c));
    }
  } finally {
    st.setNumThreads(before);
  }
});
