/**
 * The webgpu backend's heavy kernels: matMul (transposes, broadcast batch), the fused matMul and
 * conv2d epilogues (bias + relu), conv2d and both gradients (implicit GEMM), depthwise conv2d and
 * its gradients, max/avg pooling and their gradients, on the WGSL generators of kernels/. Each
 * generator returns its bindings in the order inputs, output, uniforms, which is what
 * `WebGpuBackend.runKernel` binds; pipelines are cached under the generator's key (one per
 * family and flags: the sizes travel in the uniforms).
 *
 * Float32 only (WGSL's storage here): other dtypes run the reference kernel, named as a fallback.
 * A shape the generators refuse (more than 65535 workgroups in a dimension, more than four batch
 * dimensions after merging) also falls back, named with the reason.
 */
import type { Conv2DInfo, DataId, TensorInfo } from '../types.js';
import type { WebGpuBackend } from './backend.js';
import { matMulKernel, type WgslKernel } from './kernels/gemm.js';
import { conv2dBackpropFilterKernel, conv2dBackpropInputKernel, conv2dKernel } from './kernels/conv2d.js';
import {
  depthwiseConv2dBackpropFilterKernel, depthwiseConv2dBackpropInputKernel, depthwiseConv2dKernel,
} from './kernels/depthwise.js';
import { avgPoolBackpropKernel, avgPoolKernel, maxPoolBackpropKernel, maxPoolKernel } from './kernels/pool.js';

const allFloat32 = (xs: readonly (TensorInfo | null)[]): boolean => xs.every((x) => x === null || x.dtype === 'float32');

/** The generator's kernel, or the reason it cannot make one for this shape. */
function make(build: () => WgslKernel): WgslKernel | string {
  try {
    return build();
  } catch (e) {
    return (e as Error).message;
  }
}

/**
 * Runs `build`'s kernel on `inputs`; the reference `kernel` (with `params`) where an input is not
 * float32 or the generator refuses the shape.
 */
function gpuOrReference(be: WebGpuBackend, kernel: string, inputs: readonly TensorInfo[], build: () => WgslKernel,
                        params: readonly unknown[]): DataId {
  if (!allFloat32(inputs)) return be.reference(kernel, `${kernel} (${inputs.map((x) => x.dtype).join(', ')})`, ...params);
  const k = make(build);
  if (typeof k === 'string') return be.reference(kernel, `${kernel} (${k})`, ...params);
  return be.runKernel(k, inputs);
}

export interface HeavyKernels {
  matMul(a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean, outBatch: readonly number[]): DataId;
  fusedMatMul(a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean, bias: TensorInfo | null,
              activation: 'linear' | 'relu'): DataId | null;
  conv2d(x: TensorInfo, filter: TensorInfo, info: Conv2DInfo): DataId;
  fusedConv2d(x: TensorInfo, filter: TensorInfo, info: Conv2DInfo, bias: TensorInfo | null,
              activation: 'linear' | 'relu'): DataId | null;
  conv2dBackpropInput(dy: TensorInfo, filter: TensorInfo, info: Conv2DInfo): DataId;
  conv2dBackpropFilter(x: TensorInfo, dy: TensorInfo, info: Conv2DInfo): DataId;
  depthwiseConv2d(x: TensorInfo, filter: TensorInfo, info: Conv2DInfo): DataId;
  depthwiseConv2dBackpropInput(dy: TensorInfo, filter: TensorInfo, info: Conv2DInfo): DataId;
  depthwiseConv2dBackpropFilter(x: TensorInfo, dy: TensorInfo, info: Conv2DInfo): DataId;
  maxPool(x: TensorInfo, info: Conv2DInfo): DataId;
  maxPoolBackprop(dy: TensorInfo, x: TensorInfo, info: Conv2DInfo): DataId;
  avgPool(x: TensorInfo, info: Conv2DInfo): DataId;
  avgPoolBackprop(dy: TensorInfo, info: Conv2DInfo): DataId;
}

/** Installed on WebGpuBackend.prototype by backend.ts. */
export const heavyKernels: HeavyKernels & ThisType<WebGpuBackend> = {
  matMul(a, b, transposeA, transposeB, outBatch) {
    return gpuOrReference(this, 'matMul', [a, b],
      () => matMulKernel({ aShape: a.shape, bShape: b.shape, transposeA, transposeB, outBatch }),
      [a, b, transposeA, transposeB, outBatch]);
  },

  fusedMatMul(a, b, transposeA, transposeB, bias, activation) {
    // the op layer sends rank-2 float32 operands only; anything else goes back to the composition
    if (!allFloat32([a, b, bias]) || a.shape.length !== 2 || b.shape.length !== 2) return null;
    const k = make(() => matMulKernel({ aShape: a.shape, bShape: b.shape, transposeA, transposeB, bias: bias !== null, activation }));
    if (typeof k === 'string') return null;
    return this.runKernel(k, bias ? [a, b, bias] : [a, b]);
  },

  conv2d(x, filter, info) {
    return gpuOrReference(this, 'conv2d', [x, filter], () => conv2dKernel(info), [x, filter, info]);
  },

  fusedConv2d(x, filter, info, bias, activation) {
    if (!allFloat32([x, filter, bias])) return null;
    const k = make(() => conv2dKernel(info, { bias: bias !== null, activation }));
    if (typeof k === 'string') return null;
    return this.runKernel(k, bias ? [x, filter, bias] : [x, filter]);
  },

  conv2dBackpropInput(dy, filter, info) {
    return gpuOrReference(this, 'conv2dBackpropInput', [dy, filter], () => conv2dBackpropInputKernel(info), [dy, filter, info]);
  },

  conv2dBackpropFilter(x, dy, info) {
    const params = [x, dy, info];
    if (!allFloat32([x, dy])) return this.reference('conv2dBackpropFilter', `conv2dBackpropFilter (${x.dtype}, ${dy.dtype})`, ...params);
    // split-K: the long sum over batch*outH*outW in chunks (partials [splits, fh, fw, inC, outC]),
    // then the partials summed over the leading axis by the GPU reduction
    const k = make(() => conv2dBackpropFilterKernel(info, { splitK: 'auto' }));
    if (typeof k === 'string') return this.reference('conv2dBackpropFilter', `conv2dBackpropFilter (${k})`, ...params);
    const size = info.filterHeight * info.filterWidth * info.inChannels * info.outChannels;
    const partials = this.runKernel(k, [x, dy]);
    if (k.outputSize === size) return partials;
    const sum = this.reduce('sum', { dataId: partials, shape: [k.outputSize / size, size], dtype: 'float32' }, [0], 'float32');
    this.decRef(partials);
    return sum;
  },

  depthwiseConv2d(x, filter, info) {
    return gpuOrReference(this, 'depthwiseConv2d', [x, filter], () => depthwiseConv2dKernel(info), [x, filter, info]);
  },

  depthwiseConv2dBackpropInput(dy, filter, info) {
    return gpuOrReference(this, 'depthwiseConv2dBackpropInput', [dy, filter], () => depthwiseConv2dBackpropInputKernel(info),
      [dy, filter, info]);
  },

  depthwiseConv2dBackpropFilter(x, dy, info) {
    return gpuOrReference(this, 'depthwiseConv2dBackpropFilter', [x, dy], () => depthwiseConv2dBackpropFilterKernel(info),
      [x, dy, info]);
  },

  maxPool(x, info) {
    return gpuOrReference(this, 'maxPool', [x], () => maxPoolKernel(info), [x, info]);
  },

  maxPoolBackprop(dy, x, info) {
    return gpuOrReference(this, 'maxPoolBackprop', [dy, x], () => maxPoolBackpropKernel(info), [dy, x, info]);
  },

  avgPool(x, info) {
    return gpuOrReference(this, 'avgPool', [x], () => avgPoolKernel(info), [x, info]);
  },

  avgPoolBackprop(dy, info) {
    return gpuOrReference(this, 'avgPoolBackprop', [dy], () => avgPoolBackpropKernel(info), [dy, info]);
  },
};
