/**
 * conv stride-2 area (src/backend/wasm/conv_s2.ts, assembly/conv_stride2.ts): the forward pass
 * (with bias and relu) and the filter gradient of stride-2 convolutions over 16 input channels,
 * read band by band through a table of window offsets, against the js reference backend: 3x3
 * and (STRIATE_CONV_S2 'all') other window shapes, odd sizes down to 1x1 outputs (rows
 * shorter than a tile), batch 1, 'valid', 'same' and explicit pads, output channels not a multiple of 8 (the forward's last
 * panel; the filter gradient then keeps the packed kernel), on one thread and two (the forward's
 * row chunks; the filter gradient's image chunks into partials from batch 4, its filter-row
 * slices below); the forward's bits equal the direct kernel's (STRIATE_CONV_S2 'off'), and the
 * kernels before still match with the switch off.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as st from '../../src/index.js';
import { compare, rng } from './wasm_compare.js';

type Pad = 'same' | 'valid' | number;
interface Case { x: number[]; f: [number, number]; cout: number; pad: Pad; bias: boolean; relu: boolean }

function randomCases(seed: number, n: number): Case[] {
  const r = rng(seed);
  const out: Case[] = [];
  const shapes: [number, number][] = [[3, 3], [3, 3], [3, 3], [2, 2], [1, 3], [3, 1], [5, 5], [2, 3]];
  for (let i = 0; i < n; i++) {
    const pads: Pad[] = ['valid', 'same', 'same', 1 + r(2)];
    const f = shapes[r(shapes.length)];
    out.push({ x: [1 + r(3), f[0] + r(18), f[1] + r(18), 16], f, cout: [8, 16, 24, 32, 40, 5, 13, 30][r(8)], pad: pads[r(4)], bias: r(2) === 0, relu: r(2) === 0 });
  }
  return out;
}

const fixed: Case[] = [
  // ResNet-20's stride-2 layer, shrunk, and odd sizes around the tile widths (outW 1 .. 9)
  { x: [2, 16, 16, 16], f: [3, 3], cout: 32, pad: 'same', bias: false, relu: false },
  { x: [1, 17, 15, 16], f: [3, 3], cout: 32, pad: 'same', bias: true, relu: true },
  { x: [1, 3, 3, 16], f: [3, 3], cout: 8, pad: 'valid', bias: true, relu: false },
  { x: [1, 5, 7, 16], f: [3, 3], cout: 16, pad: 'valid', bias: false, relu: true },
  { x: [2, 9, 9, 16], f: [3, 3], cout: 24, pad: 'valid', bias: true, relu: true },
  { x: [1, 11, 11, 16], f: [3, 3], cout: 13, pad: 1, bias: true, relu: false },
  { x: [1, 13, 13, 16], f: [3, 3], cout: 40, pad: 'valid', bias: false, relu: false },
  { x: [1, 19, 19, 16], f: [3, 3], cout: 16, pad: 2, bias: false, relu: false },
  // enough pixels for several pixel blocks, chunks and the 2-thread split over filter rows
  { x: [4, 33, 31, 16], f: [3, 3], cout: 32, pad: 'same', bias: true, relu: true },
  { x: [8, 32, 32, 16], f: [3, 3], cout: 32, pad: 'same', bias: false, relu: false },
];

/** forward (fused with bias and relu where asked), dx, dw (and dbias) of sum(y * dy) */
function conv(c: Case, seed: number): () => st.Tensor[] {
  return () => {
    const x = st.randomUniform(c.x, -1, 1, 'float32', seed);
    const f = st.randomUniform([c.f[0], c.f[1], c.x[3], c.cout], -1, 1, 'float32', seed + 1);
    const b = st.randomUniform([c.cout], -1, 1, 'float32', seed + 3);
    const run = (a: st.Tensor, w: st.Tensor, bb: st.Tensor) => st.fused.conv2d({
      x: a, filter: w, strides: [2, 2], pad: c.pad, bias: c.bias ? bb : undefined, activation: c.relu ? 'relu' : 'linear',
    });
    const y = run(x, f, b);
    const dy = st.randomUniform(y.shape, -1, 1, 'float32', seed + 2);
    const gs = st.grads((a: st.Tensor, w: st.Tensor, bb: st.Tensor) => st.sum(st.mul(run(a, w, bb), dy)))([x, f, b]);
    return [y, ...gs];
  };
}

const label = (c: Case) => `x [${c.x}] filter ${c.f.join('x')} -> ${c.cout} pad ${c.pad}${c.bias ? ' bias' : ''}${c.relu ? ' relu' : ''}`;
const g = globalThis as { STRIATE_CONV_S2?: string };

// undefined: the default (3x3 windows take the new kernels); 'all': other windows too; 'off': the kernels before
for (const mode of [undefined, 'all', 'off']) {
  test(`16-channel stride-2 convolutions (conv_stride2.ts ${mode ?? 'on'}) match the reference`, () => {
    g.STRIATE_CONV_S2 = mode;
    const before = st.getNumThreads();
    try {
      for (const threads of [1, 2]) {
        st.setNumThreads(threads);
        const cases = mode === 'off' ? fixed.slice(0, 4) : mode === 'all' ? randomCases(70 + threads, 16) : fixed;
        cases.forEach((c, i) => compare(`${mode ?? 'on'}, ${threads} thread(s): ${label(c)}`, conv(c, 700 + 4 * i), 2e-5));
      }
    } finally {
      st.setNumThreads(before);
      delete g.STRIATE_CONV_S2;
    }
  });
}

test('the stride-2 forward gives the direct kernel\'s bits, on one thread and two', () => {
  const cases: Case[] = [fixed[1], fixed[4], fixed[8], { x: [1, 7, 7, 16], f: [3, 3], cout: 16, pad: 'same', bias: true, relu: true }];
  const before = st.getNumThreads();
  try {
    st.setBackend('wasm');
    for (const c of cases) {
      const fwd = () => {
        const x = st.randomUniform(c.x, -1, 1, 'float32', 9);
        const f = st.randomUniform([c.f[0], c.f[1], 16, c.cout], -1, 1, 'float32', 10);
        const b = st.randomUniform([c.cout], -1, 1, 'float32', 11);
        return Array.from(st.fused.conv2d({ x, filter: f, strides: [2, 2], pad: c.pad, bias: c.bias ? b : undefined,
          activation: c.relu ? 'relu' : 'linear' }).dataSync());
      };
      st.setNumThreads(1);
      const one = fwd();
      st.setNumThreads(2);
      const two = fwd();
      g.STRIATE_CONV_S2 = 'off';
      const old = fwd();
      delete g.STRIATE_CONV_S2;
      assert.deepEqual(two, one, `forward on 2 threads: ${label(c)}`);
      assert.deepEqual(old, one, `forward against the direct kernel: ${label(c)}`);
    }
  } finally {
    st.setNumThreads(before);
    delete g.STRIATE_CONV_S2;
  }
});
