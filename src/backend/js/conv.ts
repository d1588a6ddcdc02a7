/** Convolution and pooling kernels of the reference backend (NHWC). */
import type { Conv2DInfo, TypedArray } from '../types.js';

function notYet(name: string): never {
  throw new Error(`${name}: not implemented on the js backend yet`);
}

export function conv2dKernel(_x: TypedArray, _f: TypedArray, _info: Conv2DInfo, _out: TypedArray): void { notYet('conv2d'); }
export function conv2dBackpropInputKernel(_dy: TypedArray, _f: TypedArray, _info: Conv2DInfo, _out: TypedArray): void { notYet('conv2dBackpropInput'); }
export function conv2dBackpropFilterKernel(_x: TypedArray, _dy: TypedArray, _info: Conv2DInfo, _out: TypedArray): void { notYet('conv2dBackpropFilter'); }
export function depthwiseConv2dKernel(_x: TypedArray, _f: TypedArray, _info: Conv2DInfo, _out: TypedArray): void { notYet('depthwiseConv2d'); }
export function depthwiseConv2dBackpropInputKernel(_dy: TypedArray, _f: TypedArray, _info: Conv2DInfo, _out: TypedArray): void { notYet('depthwiseConv2dBackpropInput'); }
export function depthwiseConv2dBackpropFilterKernel(_x: TypedArray, _dy: TypedArray, _info: Conv2DInfo, _out: TypedArray): void { notYet('depthwiseConv2dBackpropFilter'); }
export function maxPoolKernel(_x: TypedArray, _info: Conv2DInfo, _out: TypedArray): void { notYet('maxPool'); }
export function maxPoolBackpropKernel(_dy: TypedArray, _x: TypedArray, _info: Conv2DInfo, _out: TypedArray): void { notYet('maxPoolBackprop'); }
export function avgPoolKernel(_x: TypedArray, _info: Conv2DInfo, _out: TypedArray): void { notYet('avgPool'); }
export function avgPoolBackpropKernel(_dy: TypedArray, _info: Conv2DInfo, _out: TypedArray): void { notYet('avgPoolBackprop'); }
