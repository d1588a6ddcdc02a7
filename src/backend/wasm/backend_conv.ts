/**
 * The wasm backend's convolution, pooling and image kernels (a part of WasmBackend, backend.ts):
 * 2-D convolutions and pooling in ops.ts, depthwise in fused_ops.ts, tf.image in hot_ops.ts,
 * 3-D in volume_ops.ts; the reference kernels for the rest.
 */
import type { Conv2DInfo, Conv3DInfo, DataId, TensorInfo } from '../types.js';
import { VolumeOps } from './volume_ops.js'; // conv3d area
import { WasmTensorKernels } from './backend_tensor.js';
import type { WasmBackend } from './backend.js';

export abstract class WasmConvKernels extends WasmTensorKernels {
  conv2d(x: TensorInfo, filter: TensorInfo, info: Conv2DInfo): DataId {
    return this.ops.conv2d(x, filter, info) ?? this.reference('conv2d', x, filter, info);
  }
  conv2dBackpropInput(dy: TensorInfo, filter: TensorInfo, info: Conv2DInfo): DataId {
    return this.ops.conv2dBackpropInput(dy, filter, info) ?? this.reference('conv2dBackpropInput', dy, filter, info);
  }
  conv2dBackpropFilter(x: TensorInfo, dy: TensorInfo, info: Conv2DInfo): DataId {
    return this.ops.conv2dBackpropFilter(x, dy, info) ?? this.reference('conv2dBackpropFilter', x, dy, info);
  }
  depthwiseConv2d(x: TensorInfo, filter: TensorInfo, info: Conv2DInfo): DataId {
    return this.fused.depthwiseConv2d(x, filter, info) ?? this.reference('depthwiseConv2d', x, filter, info);
  }
  depthwiseConv2dBackpropInput(dy: TensorInfo, filter: TensorInfo, info: Conv2DInfo): DataId {
    return this.fused.depthwiseConv2dBackpropInput(dy, filter, info) ??
      this.reference('depthwiseConv2dBackpropInput', dy, filter, info);
  }
  depthwiseConv2dBackpropFilter(x: TensorInfo, dy: TensorInfo, info: Conv2DInfo): DataId {
    return this.fused.depthwiseConv2dBackpropFilter(x, dy, info) ??
      this.reference('depthwiseConv2dBackpropFilter', x, dy, info);
  }
  fusedConv2d(x: TensorInfo, filter: TensorInfo, info: Conv2DInfo, bias: TensorInfo | null,
              activation: 'linear' | 'relu'): DataId | null {
    if (bias && bias.dtype !== 'float32') return null;
    return this.ops.conv2d(x, filter, info, bias ? this.buffer(bias.dataId).ptr : 0, activation === 'relu' ? 1 : 0);
  }
  maxPool(x: TensorInfo, info: Conv2DInfo): DataId {
    return this.ops.maxPool(x, info) ?? this.reference('maxPool', x, info);
  }
  maxPoolBackprop(dy: TensorInfo, x: TensorInfo, info: Conv2DInfo): DataId {
    return this.ops.maxPoolBackprop(dy, x, info) ?? this.reference('maxPoolBackprop', dy, x, info);
  }
  avgPool(x: TensorInfo, info: Conv2DInfo): DataId {
    return this.ops.avgPool(x, info) ?? this.reference('avgPool', x, info);
  }
  avgPoolBackprop(dy: TensorInfo, info: Conv2DInfo): DataId {
    return this.ops.avgPoolBackprop(dy, info) ?? this.reference('avgPoolBackprop', dy, info);
  }
  // ---- image (tf.image): wasm kernels (hot_ops.ts), the reference for the dtypes they skip ----
  resizeBilinear(x: TensorInfo, outH: number, outW: number, alignCorners: boolean, halfPixelCenters: boolean): DataId {
    return this.hot.resizeBilinear(x, outH, outW, alignCorners, halfPixelCenters) ??
      this.reference('resizeBilinear', x, outH, outW, alignCorners, halfPixelCenters);
  }
  resizeBilinearGrad(dy: TensorInfo, inShape: readonly number[], alignCorners: boolean, halfPixelCenters: boolean): DataId {
    return this.hot.resizeBilinearGrad(dy, inShape, alignCorners, halfPixelCenters) ??
      this.reference('resizeBilinearGrad', dy, inShape, alignCorners, halfPixelCenters);
  }
  resizeNearestNeighbor(x: TensorInfo, outH: number, outW: number, alignCorners: boolean, halfPixelCenters: boolean): DataId {
    return this.hot.resizeNearestNeighbor(x, outH, outW, alignCorners, halfPixelCenters) ??
      this.reference('resizeNearestNeighbor', x, outH, outW, alignCorners, halfPixelCenters);
  }
  resizeNearestNeighborGrad(dy: TensorInfo, inShape: readonly number[], alignCorners: boolean,
                            halfPixelCenters: boolean): DataId {
    return this.hot.resizeNearestNeighborGrad(dy, inShape, alignCorners, halfPixelCenters) ??
      this.reference('resizeNearestNeighborGrad', dy, inShape, alignCorners, halfPixelCenters);
  }
  cropAndResize(image: TensorInfo, boxes: TensorInfo, boxInd: TensorInfo, cropH: number, cropW: number,
                method: 'bilinear' | 'nearest', extrapolationValue: number): DataId {
    return this.hot.cropAndResize(image, boxes, boxInd, cropH, cropW, method, extrapolationValue) ??
      this.reference('cropAndResize', image, boxes, boxInd, cropH, cropW, method, extrapolationValue);
  }
  cropAndResizeGradImage(dy: TensorInfo, boxes: TensorInfo, boxInd: TensorInfo, imageShape: readonly number[],
                         method: 'bilinear' | 'nearest'): DataId {
    return this.hot.cropAndResizeGradImage(dy, boxes, boxInd, imageShape, method) ??
      this.reference('cropAndResizeGradImage', dy, boxes, boxInd, imageShape, method);
  }
  transform(image: TensorInfo, transforms: TensorInfo, interpolation: 'nearest' | 'bilinear',
            fillMode: 'constant' | 'reflect' | 'wrap' | 'nearest', fillValue: number, outH: number, outW: number): DataId {
    return this.reference('transform', image, transforms, interpolation, fillMode, fillValue, outH, outW);
  }
  rotateWithOffset(image: TensorInfo, radians: number, fillValue: number | readonly number[],
                   center: number | readonly number[]): DataId {
    return this.reference('rotateWithOffset', image, radians, fillValue, center);
  }


  // ---- conv3d area: float32 runs the wasm kernels (volume_ops.ts); other dtypes (float64 in
  // gradient checks, int32 pooling) the reference kernels over heap views ----
  private volumeOps: VolumeOps | null = null;
  private get volume(): VolumeOps {
    // this class is abstract: `this` is always the WasmBackend it is a part of
    return (this.volumeOps ??= new VolumeOps(this as unknown as WasmBackend));
  }
  conv3d(x: TensorInfo, filter: TensorInfo, info: Conv3DInfo): DataId {
    return this.volume.conv3d(x, filter, info) ?? this.reference('conv3d', x, filter, info);
  }
  conv3dBackpropInput(dy: TensorInfo, filter: TensorInfo, info: Conv3DInfo): DataId {
    return this.volume.conv3dBackpropInput(dy, filter, info) ?? this.reference('conv3dBackpropInput', dy, filter, info);
  }
  conv3dBackpropFilter(x: TensorInfo, dy: TensorInfo, info: Conv3DInfo): DataId {
    return this.volume.conv3dBackpropFilter(x, dy, info) ?? this.reference('conv3dBackpropFilter', x, dy, info);
  }
  maxPool3d(x: TensorInfo, info: Conv3DInfo): DataId {
    return this.volume.maxPool3d(x, info) ?? this.reference('maxPool3d', x, info);
  }
  maxPool3dBackprop(dy: TensorInfo, x: TensorInfo, info: Conv3DInfo): DataId {
    return this.volume.maxPool3dBackprop(dy, x, info) ?? this.reference('maxPool3dBackprop', dy, x, info);
  }
  avgPool3d(x: TensorInfo, info: Conv3DInfo): DataId {
    return this.volume.avgPool3d(x, info) ?? this.reference('avgPool3d', x, info);
  }
  avgPool3dBackprop(dy: TensorInfo, info: Conv3DInfo): DataId {
    return this.volume.avgPool3dBackprop(dy, info) ?? this.reference('avgPool3dBackprop', dy, info);
  }
  maxPoolArgmax(x: TensorInfo, info: Conv2DInfo, includeBatchInIndex: boolean): DataId {
    return this.reference('maxPoolArgmax', x, info, includeBatchInIndex);
  }
  dilation2d(x: TensorInfo, filter: TensorInfo, info: Conv2DInfo): DataId {
    return this.reference('dilation2d', x, filter, info);
  }
  dilation2dBackpropInput(dy: TensorInfo, x: TensorInfo, filter: TensorInfo, info: Conv2DInfo): DataId {
    return this.reference('dilation2dBackpropInput', dy, x, filter, info);
  }
  dilation2dBackpropFilter(dy: TensorInfo, x: TensorInfo, filter: TensorInfo, info: Conv2DInfo): DataId {
    return this.reference('dilation2dBackpropFilter', dy, x, filter, info);
  }}
