/**
 * Depthwise conv2d (NHWC, filter [fh, fw, inC, multiplier], output channel c*multiplier + m):
 * forward, input gradient, filter gradient. Each output value sums only fh*fw products, too
 * few for a GEMM tile to pay, so these are direct kernels: one invocation per value written,
 * except the filter gradient, whose few values each sum over the whole batch: a workgroup per
 * filter value splits that sum and adds the partial sums in workgroup memory.
 */
import type { Conv2DInfo } from '../../types.js';
import { CONV_PARAMS_WGSL, checkConvInfo, convUniforms, wgslName } from './conv2d.js';
import { DISPATCH_WGSL, dispatch1d, type KernelBinding, type WgslKernel } from './gemm.js';

const GROUP = 64;

function kernel(name: string, inputs: string[], body: string, info: Conv2DInfo, count: number, perGroup: number): WgslKernel {
  const code = `${CONV_PARAMS_WGSL}
${inputs.map((n, i) => `@group(0) @binding(${i}) var<storage, read> ${wgslName(n)}: array<f32>;`).join('\n')}
@group(0) @binding(${inputs.length}) var<storage, read_write> out: array<f32>;
@group(0) @binding(${inputs.length + 1}) var<uniform> P: Params;
${DISPATCH_WGSL}
${body}`;
  const bindings: KernelBinding[] = [...inputs.map((n) => ({ name: n, kind: 'read' as const })),
    { name: 'out', kind: 'read_write' }, { name: 'params', kind: 'uniform' }];
  // M holds the number of values written (the guard of the extra invocations)
  return {
    name, key: name, code, entryPoint: 'main', workgroupSize: [GROUP, 1, 1],
    workgroups: dispatch1d(count, perGroup), uniforms: convUniforms(info, count, 0, 0),
    bindings, outputSize: count,
  };
}

function check(op: string, info: Conv2DInfo): number {
  checkConvInfo(op, info);
  const m = info.channelMultiplier ?? 1;
  if (!Number.isInteger(m) || m < 1 || info.outChannels !== info.inChannels * m) {
    throw new Error(`webgpu ${op}: outChannels (${info.outChannels}) must be inChannels (${info.inChannels}) x channelMultiplier (${m})`);
  }
  return m;
}

/** Bindings: x, filter, out, params. Output [batch, outH, outW, inC*multiplier]. */
export function depthwiseConv2dKernel(info: Conv2DInfo): WgslKernel {
  check('depthwiseConv2d', info);
  const count = info.batchSize * info.outHeight * info.outWidth * info.outChannels;
  return kernel('depthwiseConv2d', ['x', 'filter'], `
@compute @workgroup_size(${GROUP})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) li: u32) {
  let i = flatGroup(wid, nwg) * ${GROUP} + i32(li);
  if (i >= P.M) { return; }
  let oc = i % P.outC;
  let ox = (i / P.outC) % P.outW;
  let oy = (i / (P.outC * P.outW)) % P.outH;
  let b = i / (P.outC * P.outW * P.outH);
  let c = oc / P.mult;
  var acc = 0.0;
  for (var ky = 0; ky < P.fh; ky = ky + 1) {
    let iy = oy * P.strideH - P.padTop + ky * P.dilationH;
    if (iy < 0 || iy >= P.inH) { continue; }
    for (var kx = 0; kx < P.fw; kx = kx + 1) {
      let ix = ox * P.strideW - P.padLeft + kx * P.dilationW;
      if (ix < 0 || ix >= P.inW) { continue; }
      // filter [ky, kx, c, m] flattened is (ky*fw + kx)*outC + oc since oc = c*mult + m
      acc = fma(x[((b * P.inH + iy) * P.inW + ix) * P.inC + c], filt[(ky * P.fw + kx) * P.outC + oc], acc);
    }
  }
  out[i] = acc;
}`, info, count, GROUP);
}

/** Bindings: dy, filter, out, params. Output dx [batch, inH, inW, inC]. */
export function depthwiseConv2dBackpropInputKernel(info: Conv2DInfo): WgslKernel {
  check('depthwiseConv2dBackpropInput', info);
  const count = info.batchSize * info.inHeight * info.inWidth * info.inChannels;
  return kernel('depthwiseConv2dBackpropInput', ['dy', 'filter'], `
@compute @workgroup_size(${GROUP})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) li: u32) {
  let i = flatGroup(wid, nwg) * ${GROUP} + i32(li);
  if (i >= P.M) { return; }
  let c = i % P.inC;
  let ix = (i / P.inC) % P.inW;
  let iy = (i / (P.inC * P.inW)) % P.inH;
  let b = i / (P.inC * P.inW * P.inH);
  var acc = 0.0;
  // gather from the output cells whose window puts tap (ky, kx) on (iy, ix)
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
      let o = ((b * P.outH + oy) * P.outW + ox) * P.outC + c * P.mult;
      let f = (ky * P.fw + kx) * P.outC + c * P.mult;
      for (var m = 0; m < P.mult; m = m + 1) {
        acc = fma(dy[o + m], filt[f + m], acc);
      }
    }
  }
  out[i] = acc;
}`, info, count, GROUP);
}

/** Bindings: x, dy, out, params. Output dfilter [fh, fw, inC, multiplier]. */
export function depthwiseConv2dBackpropFilterKernel(info: Conv2DInfo): WgslKernel {
  check('depthwiseConv2dBackpropFilter', info);
  const count = info.filterHeight * info.filterWidth * info.outChannels;
  // one workgroup per filter value (perGroup 1): its 64 invocations stride over b*oh*ow
  return kernel('depthwiseConv2dBackpropFilter', ['x', 'dy'], `
var<workgroup> partial: array<f32, ${GROUP}>;

@compute @workgroup_size(${GROUP})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) li: u32) {
  // uniform across the workgroup, so the barriers below are reached by all or none
  let i = flatGroup(wid, nwg);
  if (i >= P.M) { return; }
  let oc = i % P.outC;
  let kx = (i / P.outC) % P.fw;
  let ky = i / (P.outC * P.fw);
  let c = oc / P.mult;
  let cells = P.batch * P.outH * P.outW;
  var acc = 0.0;
  for (var j = i32(li); j < cells; j = j + ${GROUP}) {
    let ox = j % P.outW;
    let oy = (j / P.outW) % P.outH;
    let b = j / (P.outW * P.outH);
    let iy = oy * P.strideH - P.padTop + ky * P.dilationH;
    let ix = ox * P.strideW - P.padLeft + kx * P.dilationW;
    if (iy < 0 || iy >= P.inH || ix < 0 || ix >= P.inW) { continue; }
    acc = fma(x[((b * P.inH + iy) * P.inW + ix) * P.inC + c], dy[j * P.outC + oc], acc);
  }
  partial[li] = acc;
  workgroupBarrier();
  for (var s = ${GROUP / 2}u; s > 0u; s = s / 2u) {
    if (li < s) { partial[li] = partial[li] + partial[li + s]; }
    workgroupBarrier();
  }
  if (li == 0u) { out[i] = partial[0]; }
}`, info, count, 1);
}
