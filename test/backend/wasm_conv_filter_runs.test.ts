/**
 * First conv layer filter gradient area (issue 18): the filter gradient of a short window (K <=
 * 64) with a multiple of 8 output channels up to 64 (assembly/conv_filter_runs.ts, task 127: taps grouped
 * in runs of x read in place, dy read in place, accumulators held across output rows) against the
 * js reference backend: 3x3x3 -> 32 'same' and 'valid', strides 2 and (2, 1), dilations 2, (1, 2)
 * and (2, 1), 5x5x1 -> 8, 3x3x1, 1x1, 2x3, 4 channels, batch 1, odd sizes, explicit padding; blocks
 * of pixels that end inside an output row and an image (STRIATE_CONV_FIRST_DW_BLOCK); one thread
 * and two; and the kernel before it (STRIATE_CONV_FIRST_DW 'off') beside it. Run in each build
 * (STRIATE_WASM_SIMD=plain|relaxed): the relaxed build cuts its runs into 5x8 tiles.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as st from '../../src/index.js';
import { compare, rng } from './wasm_compare.js';

type Pad = 'same' | 'valid' | number | [number, number][];
type Pair = number | [number, number];
interface Case { x: number[]; f: number[]; pad: Pad; stride?: Pair; dilation?: Pair }

const fixed: Case[] = [
  { x: [2, 12, 12, 3], f: [3, 3, 3, 32], pad: 'same' },
  { x: [2, 11, 13, 3], f: [3, 3, 3, 32], pad: 'valid' },
  { x: [1, 15, 13, 3], f: [3, 3, 3, 16], pad: 'same', stride: 2 },
  { x: [2, 9, 14, 3], f: [3, 3, 3, 24], pad: 'same', stride: [2, 1] },
  { x: [1, 12, 11, 3], f: [3, 3, 3, 8], pad: 'same', dilation: 2 },
  { x: [1, 10, 11, 3], f: [3, 3, 3, 16], pad: 'valid', dilation: [1, 2] },
  { x: [1, 11, 10, 2], f: [3, 3, 2, 8], pad: 'same', dilation: [2, 1] },
  { x: [3, 13, 11, 1], f: [5, 5, 1, 8], pad: 'same' },
  { x: [1, 9, 9, 1], f: [5, 5, 1, 32], pad: 'valid' },
  { x: [1, 7, 9, 1], f: [3, 3, 1, 16], pad: 1 },
  { x: [1, 9, 9, 4], f: [3, 3, 4, 24], pad: 'same' },
  { x: [2, 5, 6, 3], f: [1, 1, 3, 8], pad: 'valid' },
  { x: [1, 8, 9, 3], f: [2, 3, 3, 16], pad: [[0, 0], [2, 0], [0, 1], [0, 0]] },
  { x: [1, 6, 7, 3], f: [3, 3, 3, 32], pad: 3 },
  { x: [1, 3, 2, 2], f: [5, 5, 2, 8], pad: 'same' },
  { x: [1, 7, 8, 7], f: [3, 3, 7, 16], pad: 'same' },
  { x: [1, 9, 10, 3], f: [3, 3, 3, 64], pad: 'same' },
  { x: [2, 8, 7, 1], f: [5, 5, 1, 48], pad: 'valid' },
];

function randomCases(seed: number, n: number): Case[] {
  const r = rng(seed);
  const kernels = [[3, 3], [3, 3], [5, 5], [1, 3], [2, 2], [3, 1], [4, 4]];
  const pads: Pad[] = ['same', 'valid', 1, 2];
  const out: Case[] = [];
  for (let i = 0; i < n; i++) {
    const [fh, fw] = kernels[r(kernels.length)];
    const c = 1 + r(4);
    const s = 1 + r(2), d = r(4) === 0 ? 2 : 1;
    const h = (fh - 1) * d + 1 + r(12), w = (fw - 1) * d + 1 + r(12);
    out.push({ x: [1 + r(3), h, w, c], f: [fh, fw, c, 8 * (1 + r(8))], pad: pads[r(pads.length)], stride: s, dilation: d });
  }
  return out;
}

const label = (c: Case) =>
  `x [${c.x}] f [${c.f}] pad ${JSON.stringify(c.pad)} stride ${JSON.stringify(c.stride ?? 1)} dilation ${JSON.stringify(c.dilation ?? 1)}`;

/** dw of sum(conv(x, f) * w) (w random: a misplaced pixel or channel shows), from seeds. */
function filterGrad(c: Case, i: number): () => st.Tensor[] {
  return () => {
    const x = st.randomUniform(c.x, -1, 1, 'float32', 900 + i);
    const f = st.randomUniform(c.f, -1, 1, 'float32', 901 + i);
    const conv = (fi: st.Tensor) => st.conv2d(x, fi, c.stride ?? 1, c.pad as 'same', 'NHWC', c.dilation ?? 1);
    const w = st.randomUniform(conv(f).shape as number[], -1, 1, 'float32', 902 + i);
    return [st.grad((fi: st.Tensor) => st.sum(st.mul(conv(fi), w)))(f)];
  };
}

const g = globalThis as { STRIATE_CONV_FIRST_DW?: string; STRIATE_CONV_FIRST_DW_BLOCK?: string };

for (const threads of [1, 2]) {
  for (const block of [undefined, '7', '45']) {
    test(`first-layer filter gradient from runs matches the reference (${threads} thread${threads > 1 ? 's' : ''}, block ${block ?? 'default'})`, () => {
      const before = st.getNumThreads();
      st.setNumThreads(threads);
      g.STRIATE_CONV_FIRST_DW_BLOCK = block;
      try {
        const cases = block === undefined ? [...fixed, ...randomCases(70 + threads, 24)] : fixed;
        cases.forEach((c, i) => compare(`block ${block ?? 'default'}: ${label(c)}`, filterGrad(c, i), 2e-5));
      } finally {
        st.setNumThreads(before);
        g.STRIATE_CONV_FIRST_DW_BLOCK = undefined;
      }
    });
  }
}

test('first-layer filter gradient from runs: the kernel before it (STRIATE_CONV_FIRST_DW off) agrees, and a rerun gives the same bits', () => {
  st.setBackend('wasm');
  for (const c of [fixed[0], fixed[7], { x: [4, 20, 20, 3], f: [3, 3, 3, 32], pad: 'same' } as Case]) {
    const run = () => filterGrad(c, 0)()[0].dataSync() as Float32Array;
    const a = run(), b = run();
    assert.deepEqual(Array.from(b), Array.from(a), `rerun ${label(c)}`);
    g.STRIATE_CONV_FIRST_DW = 'off';
    let old: Float32Array;
    try {
      old = run();
    } finally {
      g.STRIATE_CONV_FIRST_DW = undefined;
    }
    let scale = 1e-3;
    for (const v of old) scale = Math.max(scale, Math.abs(v));
    for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - old[i]) <= 2e-5 * scale, `${label(c)} element ${i}: ${a[i]} vs ${old[i]}`);
  }
});
