/**
 * Shared by the wasm forward-convolution tests (wasm_conv_forward, wasm_conv_short,
 * wasm_conv_direct): the case shape, a seeded generator of random cases, the fused convolution
 * they run, forcing a forward path through `globalThis.STRIATE_CONV_FORWARD`, and the check that
 * one thread and two give the same bits.
 */
import assert from 'node:assert/strict';
import * as st from '../../src/index.js';
import { rng } from './wasm_compare.js';

export type Pad = 'same' | 'valid' | number;
export interface ConvCase { x: number[]; f: number[]; stride: number; pad: Pad; dilation: number }

/** The ranges a random case is drawn from (each value 1 + r(n) unless said otherwise). */
export interface CaseRanges {
  /** one case in `deepEvery` gets 5 + r(deepChannels) input channels, the others 1-4 */
  deepEvery: number;
  deepChannels: number;
  filter: number;
  /** one case in `dilateEvery` has dilation 2 */
  dilateEvery: number;
  /** whether a dilated case may also have a stride above 1 */
  strideWithDilation: boolean;
  size: number;
  outChannels: number;
}

export function randomCases(seed: number, n: number, o: CaseRanges): ConvCase[] {
  const r = rng(seed);
  const out: ConvCase[] = [];
  while (out.length < n) {
    const c = r(o.deepEvery) === 0 ? 5 + r(o.deepChannels) : 1 + r(4);
    const fh = 1 + r(o.filter), fw = 1 + r(o.filter);
    const dilation = r(o.dilateEvery) === 0 ? 2 : 1;
    const stride = o.strideWithDilation || dilation === 1 ? 1 + r(3) : 1;
    const pads: Pad[] = ['same', 'valid', r(3)];
    const pad = pads[r(3)];
    const h = 1 + r(o.size), w = 1 + r(o.size);
    // a window must fit when nothing is padded
    const reachH = (fh - 1) * dilation + 1, reachW = (fw - 1) * dilation + 1;
    const extra = typeof pad === 'number' ? 2 * pad : 0;
    if (pad !== 'same' && (h + extra < reachH || w + extra < reachW)) continue;
    out.push({ x: [1 + r(3), h, w, c], f: [fh, fw, c, 1 + r(o.outChannels)], stride, pad, dilation });
  }
  return out;
}

/** The fused convolution of case `c` on random inputs from `seed` (for compare()). */
export function conv(c: ConvCase, relu: boolean, bias: boolean, seed: number): () => st.Tensor[] {
  return () => {
    const x = st.randomUniform(c.x, -1, 1, 'float32', seed);
    const f = st.randomUniform(c.f, -1, 1, 'float32', seed + 1);
    const b = bias ? st.randomUniform([c.f[3]], -1, 1, 'float32', seed + 2) : undefined;
    return [st.fused.conv2d({ x, filter: f, strides: c.stride, pad: c.pad, dilations: c.dilation, bias: b,
      activation: relu ? 'relu' : 'linear' })];
  };
}

export const label = (c: ConvCase) => `x [${c.x}] f [${c.f}] stride ${c.stride} pad ${c.pad} dilation ${c.dilation}`;

const g = globalThis as { STRIATE_CONV_FORWARD?: string };

/** Runs `body` with the forward path forced to `path` (undefined: the automatic choice). */
export function withForwardPath(path: string | undefined, body: () => void): void {
  g.STRIATE_CONV_FORWARD = path;
  try {
    body();
  } finally {
    delete g.STRIATE_CONV_FORWARD;
  }
}

/** Each case through each path: the same bits on one wasm thread and on two. */
export function assertSameBitsOnThreads(paths: readonly (string | undefined)[], cases: readonly ConvCase[]): void {
  const before = st.getNumThreads();
  try {
    for (const path of paths) {
      withForwardPath(path, () => {
        for (const c of cases) {
          st.setBackend('wasm');
          st.setNumThreads(1);
          const one = conv(c, true, true, 3)()[0].dataSync();
          st.setNumThreads(2);
          const two = conv(c, true, true, 3)()[0].dataSync();
          assert.deepEqual(Array.from(two), Array.from(one), `${path}: ${label(c)}`);
        }
      });
    }
  } finally {
    st.setNumThreads(before);
  }
}
