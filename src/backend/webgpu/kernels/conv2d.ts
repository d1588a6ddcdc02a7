/**
 * conv2d (NHWC) as implicit GEMM on the tiled core of gemm.ts: the im2col matrix is never
 * stored, its elements are computed where the tile copy reads them. Forward (with bias and
 * activation), input gradient and filter gradient; any stride, dilation and explicit padding.
 * The geometry is striate's Conv2DInfo, passed through unchanged.
 *
 *   forward:  out[M = b*oh*ow, N = outC]  = im2col(x)[M, K = fh*fw*inC] . filt[K, N]
 *   dx:       dx[M = b*h*w, N = inC]      = gather(dy)[M, K = fh*fw*outC] . filterᵀ[K, N]
 *   dfilter:  df[M = fh*fw*inC, N = outC] = im2colᵀ(x)[M, K = b*oh*ow] . dy[K, N]
 *
 * The filter [fh, fw, inC, outC] is already the forward's B, row-major; dfilter's result is
 * the filter's layout, row-major. dx gathers: input cell (iy, ix) receives filter tap (ky, kx)
 * from output cell oy = (iy + padTop - ky*dilationH) / strideH when that division is exact and
 * in range, so no atomics or scatter are needed (at the price of multiplying zeros where the
 * stride skips: strideH*strideW times the useful work).
 */
import type { Conv2DInfo } from '../../types.js';
import {
  activationWgsl, gemmCoreWgsl, suggestSplitK, gemmWorkgroups, packUniforms, type GpuActivation, type KernelBinding, type WgslKernel,
} from './gemm.js';

/** WGSL struct of the geometry, in the order convUniforms packs it; M, N, K: the GEMM's sizes. */
export const CONV_PARAMS_WGSL = `
struct Params {
  batch: i32, inH: i32, inW: i32, inC: i32,
  outH: i32, outW: i32, outC: i32, fh: i32,
  fw: i32, strideH: i32, strideW: i32, dilationH: i32,
  dilationW: i32, padTop: i32, padLeft: i32, mult: i32,
  M: i32, N: i32, K: i32, alpha: f32,
  kChunk: i32,  // split-K: the K each wid.z sums (conv2dBackpropFilter)
}`;

/** Uniform bytes for CONV_PARAMS_WGSL. padBottom/padRight are implied by the output size. */
export function convUniforms(info: Conv2DInfo, m: number, n: number, k: number, alpha = 0.2, kChunk = k): ArrayBuffer {
  const i = info;
  return packUniforms([
    [i.batchSize, 'i32'], [i.inHeight, 'i32'], [i.inWidth, 'i32'], [i.inChannels, 'i32'],
    [i.outHeight, 'i32'], [i.outWidth, 'i32'], [i.outChannels, 'i32'], [i.filterHeight, 'i32'],
    [i.filterWidth, 'i32'], [i.strideHeight, 'i32'], [i.strideWidth, 'i32'], [i.dilationHeight, 'i32'],
    [i.dilationWidth, 'i32'], [i.padTop, 'i32'], [i.padLeft, 'i32'], [i.channelMultiplier ?? 1, 'i32'],
    [m, 'i32'], [n, 'i32'], [k, 'i32'], [alpha, 'f32'],
    [kChunk, 'i32'],
  ]);
}

export function checkConvInfo(op: string, info: Conv2DInfo): void {
  const fields: (keyof Conv2DInfo)[] = ['batchSize', 'inHeight', 'inWidth', 'inChannels', 'outHeight', 'outWidth', 'outChannels',
    'filterHeight', 'filterWidth', 'strideHeight', 'strideWidth', 'dilationHeight', 'dilationWidth', 'padTop', 'padLeft'];
  for (const f of fields) {
    const v = info[f];
    if (!Number.isInteger(v) || v < 0) throw new Error(`webgpu ${op}: Conv2DInfo.${f} must be a non-negative integer, got ${v}`);
  }
}

function bindings(names: string[]): KernelBinding[] {
  return [...names.map((name) => ({ name, kind: 'read' as const })),
    { name: 'out', kind: 'read_write' }, { name: 'params', kind: 'uniform' }];
}

/** 'filter' is a reserved word in WGSL: the filter binding is called filt in the source */
export function wgslName(binding: string): string {
  return binding === 'filter' ? 'filt' : binding;
}

function declare(names: string[]): string {
  return [...names.map((n, i) => `@group(0) @binding(${i}) var<storage, read> ${wgslName(n)}: array<f32>;`),
    `@group(0) @binding(${names.length}) var<storage, read_write> out: array<f32>;`,
    `@group(0) @binding(${names.length + 1}) var<uniform> P: Params;`].join('\n');
}

export interface Conv2DOptions {
  /** add bias[outC] (binding `bias`, after `filter`) */
  bias?: boolean;
  activation?: GpuActivation;
  /** leakyrelu's slope */
  alpha?: number;
}

/** Bindings: x, filter, [bias], out, params. Output [batch, outH, outW, outC]. */
export function conv2dKernel(info: Conv2DInfo, opts: Conv2DOptions = {}): WgslKernel {
  checkConvInfo('conv2d', info);
  const bias = opts.bias ?? false;
  const activation = opts.activation ?? 'linear';
  const m = info.batchSize * info.outHeight * info.outWidth;
  const n = info.outChannels;
  const k = info.filterHeight * info.filterWidth * info.inChannels;
  const names = bias ? ['x', 'filter', 'bias'] : ['x', 'filter'];
  const prelude = `${CONV_PARAMS_WGSL}
${declare(names)}
${activationWgsl(activation)}

// A[row, k]: row = (b, oy, ox) of the output, k = (ky, kx, c) of the window; zero in the padding
fn loadA(batch: i32, row: i32, k: i32) -> f32 {
  if (row >= P.M || k >= P.K) { return 0.0; }
  let ox = row % P.outW;
  let oy = (row / P.outW) % P.outH;
  let b = row / (P.outW * P.outH);
  let c = k % P.inC;
  let kx = (k / P.inC) % P.fw;
  let ky = k / (P.inC * P.fw);
  let iy = oy * P.strideH - P.padTop + ky * P.dilationH;
  let ix = ox * P.strideW - P.padLeft + kx * P.dilationW;
  if (iy < 0 || iy >= P.inH || ix < 0 || ix >= P.inW) { return 0.0; }
  return x[((b * P.inH + iy) * P.inW + ix) * P.inC + c];
}
// B = the filter, [fh*fw*inC, outC] row-major
fn loadB(batch: i32, k: i32, col: i32) -> f32 {
  if (k >= P.K || col >= P.N) { return 0.0; }
  return filt[k * P.N + col];
}
fn store(batch: i32, row: i32, col: i32, v: f32) {
  if (row >= P.M || col >= P.N) { return; }
  out[row * P.N + col] = act(v${bias ? ' + bias[col]' : ''}, P.alpha);
}`;
  return {
    name: 'conv2d', key: `conv2d:bias=${+bias}:act=${activation}`,
    code: gemmCoreWgsl({ prelude, aAlongK: true, bAlongN: true }),
    entryPoint: 'main', workgroupSize: [16, 16, 1], workgroups: gemmWorkgroups(m, n, 1),
    uniforms: convUniforms(info, m, n, k, opts.alpha ?? 0.2), bindings: bindings(names), outputSize: m * n,
  };
}

/** Bindings: dy, filter, out, params. Output dx [batch, inH, inW, inC]. */
export function conv2dBackpropInputKernel(info: Conv2DInfo): WgslKernel {
  checkConvInfo('conv2dBackpropInput', info);
  const m = info.batchSize * info.inHeight * info.inWidth;
  const n = info.inChannels;
  const k = info.filterHeight * info.filterWidth * info.outChannels;
  const names = ['dy', 'filter'];
  const prelude = `${CONV_PARAMS_WGSL}
${declare(names)}

// A[row, k]: row = (b, iy, ix) of the input, k = (ky, kx, oc); the dy of the output cell whose
// window puts tap (ky, kx) on (iy, ix), zero where no output cell does
fn loadA(batch: i32, row: i32, k: i32) -> f32 {
  if (row >= P.M || k >= P.K) { return 0.0; }
  let ix = row % P.inW;
  let iy = (row / P.inW) % P.inH;
  let b = row / (P.inW * P.inH);
  let oc = k % P.outC;
  let kx = (k / P.outC) % P.fw;
  let ky = k / (P.outC * P.fw);
  let ty = iy + P.padTop - ky * P.dilationH;
  let tx = ix + P.padLeft - kx * P.dilationW;
  // test the sign before the remainder: WGSL's % keeps the dividend's sign
  if (ty < 0 || tx < 0 || ty % P.strideH != 0 || tx % P.strideW != 0) { return 0.0; }
  let oy = ty / P.strideH;
  let ox = tx / P.strideW;
  if (oy >= P.outH || ox >= P.outW) { return 0.0; }
  return dy[((b * P.outH + oy) * P.outW + ox) * P.outC + oc];
}
// B[k = (ky, kx, oc), col = c] = filt[ky, kx, c, oc]: contiguous along k within a tap
fn loadB(batch: i32, k: i32, col: i32) -> f32 {
  if (k >= P.K || col >= P.N) { return 0.0; }
  let oc = k % P.outC;
  let tap = k / P.outC;
  return filt[(tap * P.inC + col) * P.outC + oc];
}
fn store(batch: i32, row: i32, col: i32, v: f32) {
  if (row >= P.M || col >= P.N) { return; }
  out[row * P.N + col] = v;
}`;
  return {
    name: 'conv2dBackpropInput', key: 'conv2dBackpropInput',
    code: gemmCoreWgsl({ prelude, aAlongK: true, bAlongN: false }),
    entryPoint: 'main', workgroupSize: [16, 16, 1], workgroups: gemmWorkgroups(m, n, 1),
    uniforms: convUniforms(info, m, n, k), bindings: bindings(names), outputSize: m * n,
  };
}

/**
 * Bindings: x, dy, out, params. Output dfilter [fh, fw, inC, outC], or with `splitK` > 1
 * [splitK, fh, fw, inC, outC]: partial sums over chunks of the batch's output cells, which the
 * caller sums over the leading axis. The filter gradient is a small M x N with a long K
 * (batch*outH*outW): without the split a handful of workgroups would do all the work.
 * `splitK: 'auto'` picks suggestSplitK's count; the default is 1 (the plain result).
 */
export function conv2dBackpropFilterKernel(info: Conv2DInfo, opts: { splitK?: number | 'auto' } = {}): WgslKernel {
  checkConvInfo('conv2dBackpropFilter', info);
  const m = info.filterHeight * info.filterWidth * info.inChannels;
  const n = info.outChannels;
  const k = info.batchSize * info.outHeight * info.outWidth;
  const wanted = opts.splitK === 'auto' ? suggestSplitK(m, n, k) : (opts.splitK ?? 1);
  if (!Number.isInteger(wanted) || wanted < 1) throw new Error(`webgpu conv2dBackpropFilter: splitK must be a positive integer or 'auto', got ${opts.splitK}`);
  // chunks are whole 16-deep steps; recount so that none is empty
  const kChunk = Math.max(16, Math.ceil(k / wanted / 16) * 16);
  const splits = Math.max(1, Math.ceil(k / kChunk));
  const names = ['x', 'dy'];
  const prelude = `${CONV_PARAMS_WGSL}
${declare(names)}

// A[row, k]: row = (ky, kx, c) of the filter, k = (b, oy, ox) of the output: the input value
// that tap meets at that output cell (the transpose of the forward's im2col), zero in padding
fn loadA(batch: i32, row: i32, k: i32) -> f32 {
  if (row >= P.M || k >= P.K) { return 0.0; }
  let c = row % P.inC;
  let kx = (row / P.inC) % P.fw;
  let ky = row / (P.inC * P.fw);
  let ox = k % P.outW;
  let oy = (k / P.outW) % P.outH;
  let b = k / (P.outW * P.outH);
  let iy = oy * P.strideH - P.padTop + ky * P.dilationH;
  let ix = ox * P.strideW - P.padLeft + kx * P.dilationW;
  if (iy < 0 || iy >= P.inH || ix < 0 || ix >= P.inW) { return 0.0; }
  return x[((b * P.inH + iy) * P.inW + ix) * P.inC + c];
}
// B = dy as [b*oh*ow, outC] row-major
fn loadB(batch: i32, k: i32, col: i32) -> f32 {
  if (k >= P.K || col >= P.N) { return 0.0; }
  return dy[k * P.N + col];
}
// wid.z (here \`batch\`) is the chunk of K: its partial sum goes to slice \`batch\` of out
fn store(batch: i32, row: i32, col: i32, v: f32) {
  if (row >= P.M || col >= P.N) { return; }
  out[(batch * P.M + row) * P.N + col] = v;
}`;
  // A is contiguous along its row index (c) and B along N: the copy order follows that
  return {
    name: 'conv2dBackpropFilter', key: 'conv2dBackpropFilter',
    code: gemmCoreWgsl({ prelude, aAlongK: false, bAlongN: true,
      kRange: 'let kBegin = batch * P.kChunk;\n  let kEnd = min(P.K, kBegin + P.kChunk);' }),
    entryPoint: 'main', workgroupSize: [16, 16, 1], workgroups: gemmWorkgroups(m, n, splits),
    uniforms: convUniforms(info, m, n, k, 0.2, kChunk), bindings: bindings(names), outputSize: splits * m * n,
  };
}
