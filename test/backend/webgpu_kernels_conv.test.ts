/**
 * The WGSL convolution and pooling kernels against the js reference kernels: conv2d (implicit
 * GEMM) forward with and without bias + relu, input and filter gradients; depthwise with
 * multipliers 1..3 and both gradients; max/avg pooling and gradients, with ties (values on a
 * coarse grid) so max's first-maximum rule is exercised. Odd sizes, batch 1, strides, dilations,
 * 'same' and explicit asymmetric padding. One browser runs all of them (see the helpers).
 */
import test from 'node:test';
import * as ref from '../../src/backend/js/conv.js';
import { computeWindowInfo, type PadSpec } from '../../src/backend/conv_info.js';
import type { Conv2DInfo } from '../../src/backend/types.js';
import { conv2dBackpropFilterKernel, conv2dBackpropInputKernel, conv2dKernel } from '../../src/backend/webgpu/kernels/conv2d.js';
import {
  depthwiseConv2dBackpropFilterKernel, depthwiseConv2dBackpropInputKernel, depthwiseConv2dKernel,
} from '../../src/backend/webgpu/kernels/depthwise.js';
import { avgPoolBackpropKernel, avgPoolKernel, maxPoolBackpropKernel, maxPoolKernel } from '../../src/backend/webgpu/kernels/pool.js';
import { kernelTests, randomValues, type KernelCase } from './webgpu_kernels_helpers.js';

const cases: KernelCase[] = [];
const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);
const label = (x: readonly number[], fh: number, fw: number, s: unknown, p: unknown, d: unknown) =>
  `x ${JSON.stringify(x)} window ${fh}x${fw} stride ${JSON.stringify(s)} pad ${JSON.stringify(p)} dilation ${JSON.stringify(d)}`;

type Conf = [xShape: number[], fh: number, fw: number, outC: number, strides: number | number[], pad: PadSpec, dil: number | number[]];

const convConfs: Conf[] = [
  [[1, 7, 9, 3], 3, 3, 5, 1, 'same', 1],
  [[2, 8, 7, 4], 3, 2, 6, 2, [[1, 2], [0, 1]], 1],
  [[1, 9, 10, 2], 2, 3, 3, [1, 2], 'valid', [2, 1]],
  [[2, 5, 6, 3], 1, 1, 65, 1, 'valid', 1], // one past the 64-wide tile in N
  [[1, 11, 11, 5], 5, 5, 7, 3, 2, 1],
  [[1, 6, 5, 17], 3, 3, 2, 2, 'same', 2], // K = 153: several 16-deep steps with a ragged end
];

convConfs.forEach(([xShape, fh, fw, outC, s, p, d], n) => {
  const info = computeWindowInfo('conv2d', xShape, fh, fw, outC, s, p, d);
  const name = label(xShape, fh, fw, s, p, d);
  const x = randomValues(size(xShape), 100 + n);
  const f = randomValues(fh * fw * xShape[3] * outC, 200 + n);
  const ySize = info.batchSize * info.outHeight * info.outWidth * outC;
  const y = new Float32Array(ySize);
  ref.conv2dKernel(x, f, info, y);
  cases.push({ name: `conv2d ${name}`, kernel: conv2dKernel(info), inputs: [x, f], expected: y });
  if (n % 2 === 0) {
    const bias = randomValues(outC, 300 + n);
    const fused = y.map((v, i) => Math.max(v + bias[i % outC], 0));
    cases.push({ name: `conv2d + bias + relu ${name}`, kernel: conv2dKernel(info, { bias: true, activation: 'relu' }), inputs: [x, f, bias], expected: fused });
  }
  const dy = randomValues(ySize, 400 + n);
  const dx = new Float32Array(x.length);
  ref.conv2dBackpropInputKernel(dy, f, info, dx);
  cases.push({ name: `conv2dBackpropInput ${name}`, kernel: conv2dBackpropInputKernel(info), inputs: [dy, f], expected: dx });
  const df = new Float32Array(f.length);
  ref.conv2dBackpropFilterKernel(x, dy, info, df);
  cases.push({ name: `conv2dBackpropFilter ${name}`, kernel: conv2dBackpropFilterKernel(info), inputs: [x, dy], expected: df });
  if (n < 3) {
    // split-K: partial sums over chunks of the output cells, summed here as the caller would
    const split = conv2dBackpropFilterKernel(info, { splitK: 3 });
    const sum = (out: Float32Array) => {
      const s = new Float32Array(df.length);
      for (let i = 0; i < out.length; i++) s[i % df.length] += out[i];
      return s;
    };
    cases.push({ name: `conv2dBackpropFilter split-K ${split.outputSize / df.length} ${name}`, kernel: split, inputs: [x, dy], expected: df, post: sum });
  }
});

test('split-K of the filter gradient: whole 16-deep chunks, none empty, auto only where the tiles are few', () => {
  const info = computeWindowInfo('conv2d', [8, 32, 32, 3], 3, 3, 8, 1, 'same');
  const k = conv2dBackpropFilterKernel(info, { splitK: 'auto' });
  const splits = k.workgroups[2];
  if (splits < 2 || k.outputSize !== splits * 3 * 3 * 3 * 8) throw new Error(`auto split of K = 8192 with one tile: ${splits}`);
  const one = conv2dBackpropFilterKernel(computeWindowInfo('conv2d', [1, 3, 3, 2], 3, 3, 2, 1, 'same'), { splitK: 5 });
  if (one.workgroups[2] !== 1) throw new Error(`K = 9 cannot hold 5 chunks of 16, got ${one.workgroups[2]}`);
});

const depthConfs: [...Conf, number][] = [
  [[1, 7, 8, 3], 3, 3, 3, 1, 'same', 1, 1],
  [[2, 9, 7, 2], 3, 2, 4, 2, [[0, 1], [2, 1]], 1, 2],
  [[1, 10, 9, 5], 2, 3, 15, [2, 1], 'valid', [1, 2], 3],
];

depthConfs.forEach(([xShape, fh, fw, outC, s, p, d, mult], n) => {
  const info: Conv2DInfo = computeWindowInfo('depthwiseConv2d', xShape, fh, fw, outC, s, p, d, mult);
  const name = `${label(xShape, fh, fw, s, p, d)} multiplier ${mult}`;
  const x = randomValues(size(xShape), 500 + n);
  const f = randomValues(fh * fw * xShape[3] * mult, 600 + n);
  const ySize = info.batchSize * info.outHeight * info.outWidth * outC;
  const y = new Float32Array(ySize);
  ref.depthwiseConv2dKernel(x, f, info, y);
  cases.push({ name: `depthwiseConv2d ${name}`, kernel: depthwiseConv2dKernel(info), inputs: [x, f], expected: y });
  const dy = randomValues(ySize, 700 + n);
  const dx = new Float32Array(x.length);
  ref.depthwiseConv2dBackpropInputKernel(dy, f, info, dx);
  cases.push({ name: `depthwiseConv2dBackpropInput ${name}`, kernel: depthwiseConv2dBackpropInputKernel(info), inputs: [dy, f], expected: dx });
  const df = new Float32Array(f.length);
  ref.depthwiseConv2dBackpropFilterKernel(x, dy, info, df);
  cases.push({ name: `depthwiseConv2dBackpropFilter ${name}`, kernel: depthwiseConv2dBackpropFilterKernel(info), inputs: [x, dy], expected: df });
});

const poolConfs: Conf[] = [
  [[1, 7, 9, 3], 2, 2, 3, 2, 'valid', 1],
  [[2, 9, 8, 2], 3, 3, 2, 2, 'same', 1],
  [[1, 8, 9, 4], 3, 2, 4, [1, 2], [[2, 1], [1, 0]], [2, 1]],
];

poolConfs.forEach(([xShape, fh, fw, c, s, p, d], n) => {
  const info = computeWindowInfo('pool', xShape, fh, fw, c, s, p, d);
  const name = label(xShape, fh, fw, s, p, d);
  // values on a grid of 0.5: windows hold equal maxima, so the tie rule matters
  const x = randomValues(size(xShape), 800 + n).map((v) => Math.round(v * 4) / 2);
  const ySize = info.batchSize * info.outHeight * info.outWidth * c;
  const dy = randomValues(ySize, 900 + n);
  const yMax = new Float32Array(ySize);
  ref.maxPoolKernel(x, info, yMax);
  cases.push({ name: `maxPool ${name}`, kernel: maxPoolKernel(info), inputs: [x], expected: yMax });
  const dxMax = new Float32Array(x.length);
  ref.maxPoolBackpropKernel(dy, x, info, dxMax);
  cases.push({ name: `maxPoolBackprop (first maximum on ties) ${name}`, kernel: maxPoolBackpropKernel(info), inputs: [dy, x], expected: dxMax });
  const yAvg = new Float32Array(ySize);
  ref.avgPoolKernel(x, info, yAvg);
  cases.push({ name: `avgPool ${name}`, kernel: avgPoolKernel(info), inputs: [x], expected: yAvg });
  const dxAvg = new Float32Array(x.length);
  ref.avgPoolBackpropKernel(dy, info, dxAvg);
  cases.push({ name: `avgPoolBackprop ${name}`, kernel: avgPoolBackpropKernel(info), inputs: [dy], expected: dxAvg });
});

await kernelTests(cases);

test('conv kernels key on their flags only: one pipeline per family, sizes in the uniforms', () => {
  const a = computeWindowInfo('conv2d', [1, 5, 5, 2], 3, 3, 4, 1, 'same');
  const b = computeWindowInfo('conv2d', [3, 9, 7, 5], 2, 2, 6, 2, 'valid', 1);
  if (conv2dKernel(a).code !== conv2dKernel(b).code) throw new Error('conv2d code should not depend on sizes');
  if (conv2dKernel(a).key === conv2dKernel(a, { bias: true }).key) throw new Error('bias must change the key');
  const pool = computeWindowInfo('pool', [1, 5, 5, 2], 2, 2, 2, 2, 'valid');
  if (maxPoolKernel(pool).code === avgPoolKernel(pool).code) throw new Error('max and avg differ');
});

test('depthwise and pooling reject inconsistent channel counts, saying which', () => {
  const info = computeWindowInfo('pool', [1, 5, 5, 2], 2, 2, 3, 1, 'valid');
  try { maxPoolKernel(info); } catch (e) { if (/outChannels 3 != inChannels 2/.test((e as Error).message)) return; throw e; }
  throw new Error('expected an error');
});
