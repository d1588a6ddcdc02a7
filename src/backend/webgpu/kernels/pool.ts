/**
 * Max and average pooling (NHWC) and their gradients, one invocation per value written.
 * The rules are the js backend's (src/backend/js/conv.ts):
 *  - padded cells never take part; avg divides by the number of real cells in the window;
 *  - max's winner is the first maximum in row-major window order (ky, then kx): a later equal
 *    value does not replace it; its gradient goes to that cell only.
 * The gradients gather instead of scattering (no atomics): an input cell visits the output
 * cells whose windows hold it and, for max, recomputes each window's winner.
 * NaN: the js backend lets a NaN win; WGSL lets an implementation assume there are no NaNs, so
 * the `v != v` test below may be folded away and NaN inputs are not guaranteed to propagate.
 */
import type { Conv2DInfo } from '../../types.js';
import { CONV_PARAMS_WGSL, checkConvInfo, convUniforms } from './conv2d.js';
import { DISPATCH_WGSL, dispatch1d, type KernelBinding, type WgslKernel } from './gemm.js';

const GROUP = 64;

/** The first maximum of window (b, oy, ox, c) as a flat index into x; -1 if it has no real cell. */
const ARGMAX_WGSL = `
fn windowArgMax(b: i32, oy: i32, ox: i32, c: i32) -> i32 {
  var best = -1;
  var bestV = 0.0;
  for (var ky = 0; ky < P.fh; ky = ky + 1) {
    let iy = oy * P.strideH - P.padTop + ky * P.dilationH;
    if (iy < 0 || iy >= P.inH) { continue; }
    for (var kx = 0; kx < P.fw; kx = kx + 1) {
      let ix = ox * P.strideW - P.padLeft + kx * P.dilationW;
      if (ix < 0 || ix >= P.inW) { continue; }
      let j = ((b * P.inH + iy) * P.inW + ix) * P.inC + c;
      let v = x[j];
      // strictly greater: the earliest of equal maxima stays
      if (best < 0 || v > bestV || (v != v && bestV == bestV)) {
        best = j;
        bestV = v;
      }
    }
  }
  return best;
}`;

/** Number of real (unpadded) cells in the window of output cell (oy, ox). */
const REAL_COUNT_WGSL = `
fn realCount(oy: i32, ox: i32) -> i32 {
  var rows = 0;
  for (var ky = 0; ky < P.fh; ky = ky + 1) {
    let iy = oy * P.strideH - P.padTop + ky * P.dilationH;
    if (iy >= 0 && iy < P.inH) { rows = rows + 1; }
  }
  var cols = 0;
  for (var kx = 0; kx < P.fw; kx = kx + 1) {
    let ix = ox * P.strideW - P.padLeft + kx * P.dilationW;
    if (ix >= 0 && ix < P.inW) { cols = cols + 1; }
  }
  return rows * cols;
}`;

/**
 * Visits, for input cell (b, iy, ix, c), every output cell (oy, ox) whose window holds it;
 * `visit` is WGSL run with oy, ox in scope.
 */
function forEachWindowHolding(visit: string): string {
  return `
  for (var ky = 0; ky < P.fh; ky = ky + 1) {
    let ty = iy + P.padTop - ky * P.dilationH;
    if (ty < 0 || ty % P.strideH != 0) { continue; }
    let oy = ty / P.strideH;
    if (oy >= P.outH) { continue; }
    for (var kx = 0; kx < P.fw; kx = kx + 1) {
      let tx = ix + P.padLeft - kx * P.dilationW;
      if (tx < 0 || tx % P.strideW != 0) { continue; }
      let ox = tx / P.strideW;
      if (ox >= P.outW) { continue; }
      ${visit}
    }
  }`;
}

function kernel(name: string, inputs: string[], helpers: string, body: string, info: Conv2DInfo, count: number): WgslKernel {
  const code = `${CONV_PARAMS_WGSL}
${inputs.map((n, i) => `@group(0) @binding(${i}) var<storage, read> ${n}: array<f32>;`).join('\n')}
@group(0) @binding(${inputs.length}) var<storage, read_write> out: array<f32>;
@group(0) @binding(${inputs.length + 1}) var<uniform> P: Params;
${DISPATCH_WGSL}
${helpers}

@compute @workgroup_size(${GROUP})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) li: u32) {
  let i = flatGroup(wid, nwg) * ${GROUP} + i32(li);
  if (i >= P.M) { return; }
  let c = i % P.inC;
${body}
}`;
  const bindings: KernelBinding[] = [...inputs.map((n) => ({ name: n, kind: 'read' as const })),
    { name: 'out', kind: 'read_write' }, { name: 'params', kind: 'uniform' }];
  return {
    name, key: name, code, entryPoint: 'main', workgroupSize: [GROUP, 1, 1],
    workgroups: dispatch1d(count, GROUP), uniforms: convUniforms(info, count, 0, 0), bindings, outputSize: count,
  };
}

function check(op: string, info: Conv2DInfo): void {
  checkConvInfo(op, info);
  if (info.outChannels !== info.inChannels) {
    throw new Error(`webgpu ${op}: pooling keeps the channels: outChannels ${info.outChannels} != inChannels ${info.inChannels}`);
  }
}

const OUT_CELL = `
  let ox = (i / P.inC) % P.outW;
  let oy = (i / (P.inC * P.outW)) % P.outH;
  let b = i / (P.inC * P.outW * P.outH);`;

const IN_CELL = `
  let ix = (i / P.inC) % P.inW;
  let iy = (i / (P.inC * P.inW)) % P.inH;
  let b = i / (P.inC * P.inW * P.inH);`;

/** Bindings: x, out, params. Output [batch, outH, outW, C]; -Infinity for a window of padding only. */
export function maxPoolKernel(info: Conv2DInfo): WgslKernel {
  check('maxPool', info);
  const count = info.batchSize * info.outHeight * info.outWidth * info.inChannels;
  return kernel('maxPool', ['x'], ARGMAX_WGSL, `${OUT_CELL}
  let j = windowArgMax(b, oy, ox, c);
  // -Infinity from a runtime value: WGSL rejects a constant that is not finite
  var negInf = 0xff800000u;
  out[i] = select(bitcast<f32>(negInf), x[max(j, 0)], j >= 0);`, info, count);
}

/** Bindings: dy, x, out, params (the js backend's argument order). Output dx [batch, inH, inW, C]. */
export function maxPoolBackpropKernel(info: Conv2DInfo): WgslKernel {
  check('maxPoolBackprop', info);
  const count = info.batchSize * info.inHeight * info.inWidth * info.inChannels;
  return kernel('maxPoolBackprop', ['dy', 'x'], ARGMAX_WGSL, `${IN_CELL}
  var acc = 0.0;
  ${forEachWindowHolding(`if (windowArgMax(b, oy, ox, c) == i) { acc = acc + dy[((b * P.outH + oy) * P.outW + ox) * P.inC + c]; }`)}
  out[i] = acc;`, info, count);
}

/** Bindings: x, out, params. Output [batch, outH, outW, C]; NaN for a window of padding only (as js). */
export function avgPoolKernel(info: Conv2DInfo): WgslKernel {
  check('avgPool', info);
  const count = info.batchSize * info.outHeight * info.outWidth * info.inChannels;
  return kernel('avgPool', ['x'], REAL_COUNT_WGSL, `${OUT_CELL}
  var acc = 0.0;
  for (var ky = 0; ky < P.fh; ky = ky + 1) {
    let iy = oy * P.strideH - P.padTop + ky * P.dilationH;
    if (iy < 0 || iy >= P.inH) { continue; }
    for (var kx = 0; kx < P.fw; kx = kx + 1) {
      let ix = ox * P.strideW - P.padLeft + kx * P.dilationW;
      if (ix < 0 || ix >= P.inW) { continue; }
      acc = acc + x[((b * P.inH + iy) * P.inW + ix) * P.inC + c];
    }
  }
  let n = realCount(oy, ox);
  var nan = 0x7fc00000u;
  out[i] = select(bitcast<f32>(nan), acc / f32(max(n, 1)), n > 0);`, info, count);
}

/** Bindings: dy, out, params. Output dx [batch, inH, inW, C]. */
export function avgPoolBackpropKernel(info: Conv2DInfo): WgslKernel {
  check('avgPoolBackprop', info);
  const count = info.batchSize * info.inHeight * info.inWidth * info.inChannels;
  return kernel('avgPoolBackprop', ['dy'], REAL_COUNT_WGSL, `${IN_CELL}
  var acc = 0.0;
  ${forEachWindowHolding(`acc = acc + dy[((b * P.outH + oy) * P.outW + ox) * P.inC + c] / f32(realCount(oy, ox));`)}
  out[i] = acc;`, info, count);
}
