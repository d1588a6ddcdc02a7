/**
 * The reference backend: plain typed arrays, written for clarity, float32 and float64.
 * It is the oracle the fast backend is checked against.
 *
 * A buffer is a `JsBuffer` object that holds its typed array directly, so when nothing refers
 * to it any more the garbage collector frees the memory at once, even in a long synchronous
 * loop; the FinalizationRegistry only keeps the byte count honest afterwards.
 */
import type {
  ArgReduceOp, Backend, BinaryOp, Conv2DInfo, DataId, DType, MemoryInfo, ReduceOp, TensorInfo,
  TypedArray, UnaryOp,
} from '../types.js';
import { bytesPerElement, sizeFromShape, typedArrayFor } from '../shape_util.js';
import { binaryKernel, unaryKernel, whereKernel } from './elementwise.js';
import { argReduceKernel, reduceKernel } from './reduce.js';
import { matMulKernel } from './matmul.js';
import {
  concatKernel, gatherKernel, padKernel, reverseKernel, scatterAddKernel, stridedSliceKernel,
  tileKernel, transposeKernel,
} from './movement.js';
import {
  avgPoolBackpropKernel, avgPoolKernel, conv2dBackpropFilterKernel, conv2dBackpropInputKernel,
  conv2dKernel, depthwiseConv2dBackpropFilterKernel, depthwiseConv2dBackpropInputKernel,
  depthwiseConv2dKernel, maxPoolBackpropKernel, maxPoolKernel,
} from './conv.js';
import {
  cropAndResizeGradImageKernel, cropAndResizeKernel, resizeBilinearGradKernel, resizeBilinearKernel,
  resizeNearestGradKernel, resizeNearestKernel, rotateWithOffsetKernel, transformKernel,
} from './image.js';

class JsBuffer implements DataId {
  readonly backendName = 'js';
  constructor(public values: TypedArray | null, public refs: number, readonly bytes: number) {}
}

export class JsBackend implements Backend {
  readonly name = 'js';
  readonly collectsGarbage = true;
  private numBuffers = 0;
  private numBytes = 0;
  private readonly collected = new FinalizationRegistry<number>((bytes) => {
    this.numBuffers--;
    this.numBytes -= bytes;
  });

  write(values: TypedArray, dtype: DType): DataId {
    const bytes = values.length * bytesPerElement(dtype);
    const buffer = new JsBuffer(values, 1, bytes);
    this.numBuffers++;
    this.numBytes += bytes;
    this.collected.register(buffer, bytes, buffer);
    return buffer;
  }

  private buffer(dataId: DataId): JsBuffer {
    if (!(dataId instanceof JsBuffer)) {
      throw new Error(`js backend: got a buffer of the "${dataId.backendName}" backend`);
    }
    return dataId;
  }

  read(dataId: DataId): TypedArray {
    const values = this.buffer(dataId).values;
    if (values === null) throw new Error('Tensor is disposed: its data was freed by dispose()');
    return values;
  }

  incRef(dataId: DataId): void {
    const b = this.buffer(dataId);
    if (b.values === null) throw new Error('Tensor is disposed: its data was freed by dispose()');
    b.refs++;
  }

  decRef(dataId: DataId): void {
    const b = this.buffer(dataId);
    if (b.values === null) return;
    if (--b.refs > 0) return;
    b.values = null;
    this.numBuffers--;
    this.numBytes -= b.bytes;
    this.collected.unregister(b);
  }

  isLive(dataId: DataId): boolean {
    return this.buffer(dataId).values !== null;
  }

  memory(): MemoryInfo {
    return { numBuffers: this.numBuffers, numBytes: this.numBytes };
  }

  private alloc(dtype: DType, shape: readonly number[]): TypedArray {
    return typedArrayFor(dtype, sizeFromShape(shape));
  }

  private run(dtype: DType, shape: readonly number[], fill: (out: TypedArray) => void): DataId {
    const out = this.alloc(dtype, shape);
    fill(out);
    return this.write(out, dtype);
  }

  unary(op: UnaryOp, x: TensorInfo, outDtype: DType): DataId {
    return this.run(outDtype, x.shape, (out) => unaryKernel(op, this.read(x.dataId), out));
  }

  binary(op: BinaryOp, a: TensorInfo, b: TensorInfo, outShape: readonly number[], outDtype: DType): DataId {
    return this.run(outDtype, outShape, (out) =>
      binaryKernel(op, this.read(a.dataId), a.shape, this.read(b.dataId), b.shape, out, outShape));
  }

  where(cond: TensorInfo, a: TensorInfo, b: TensorInfo, outShape: readonly number[]): DataId {
    return this.run(a.dtype, outShape, (out) =>
      whereKernel(this.read(cond.dataId), cond.shape, this.read(a.dataId), a.shape,
        this.read(b.dataId), b.shape, out, outShape));
  }

  cast(x: TensorInfo, dtype: DType): DataId {
    const src = this.read(x.dataId);
    return this.run(dtype, x.shape, (out) => {
      if (dtype === 'int32') for (let i = 0; i < src.length; i++) out[i] = Math.trunc(src[i]);
      else if (dtype === 'bool') for (let i = 0; i < src.length; i++) out[i] = src[i] !== 0 ? 1 : 0;
      else out.set(src);
    });
  }

  reduce(op: ReduceOp, x: TensorInfo, axes: readonly number[], outDtype: DType): DataId {
    const outShape = x.shape.filter((_, i) => !axes.includes(i));
    return this.run(outDtype, outShape, (out) => reduceKernel(op, this.read(x.dataId), x.shape, axes, out));
  }

  argReduce(op: ArgReduceOp, x: TensorInfo, axis: number): DataId {
    const outShape = x.shape.filter((_, i) => i !== axis);
    return this.run('int32', outShape, (out) =>
      argReduceKernel(op, this.read(x.dataId), x.shape, axis, out as Int32Array));
  }

  matMul(a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean, outBatch: readonly number[]): DataId {
    const m = transposeA ? a.shape[a.shape.length - 1] : a.shape[a.shape.length - 2];
    const n = transposeB ? b.shape[b.shape.length - 2] : b.shape[b.shape.length - 1];
    return this.run(a.dtype, [...outBatch, m, n], (out) =>
      matMulKernel(this.read(a.dataId), a.shape, transposeA, this.read(b.dataId), b.shape, transposeB, outBatch, out));
  }

  transpose(x: TensorInfo, perm: readonly number[]): DataId {
    return this.run(x.dtype, perm.map((p) => x.shape[p]), (out) =>
      transposeKernel(this.read(x.dataId), x.shape, perm, out));
  }

  stridedSlice(x: TensorInfo, begin: readonly number[], size: readonly number[], strides: readonly number[]): DataId {
    return this.run(x.dtype, size, (out) => stridedSliceKernel(this.read(x.dataId), x.shape, begin, size, strides, out));
  }

  pad(x: TensorInfo, paddings: readonly (readonly [number, number])[], constantValue: number): DataId {
    const outShape = x.shape.map((d, i) => d + paddings[i][0] + paddings[i][1]);
    return this.run(x.dtype, outShape, (out) => padKernel(this.read(x.dataId), x.shape, paddings, constantValue, out));
  }

  concat(xs: readonly TensorInfo[], axis: number): DataId {
    const outShape = [...xs[0].shape];
    outShape[axis] = xs.reduce((s, x) => s + x.shape[axis], 0);
    return this.run(xs[0].dtype, outShape, (out) =>
      concatKernel(xs.map((x) => ({ values: this.read(x.dataId), shape: x.shape })), axis, out));
  }

  gather(x: TensorInfo, indices: TensorInfo, axis: number): DataId {
    const outShape = [...x.shape.slice(0, axis), ...indices.shape, ...x.shape.slice(axis + 1)];
    return this.run(x.dtype, outShape, (out) =>
      gatherKernel(this.read(x.dataId), x.shape, this.read(indices.dataId), axis, out));
  }

  scatterAdd(updates: TensorInfo, indices: TensorInfo, axis: number, shape: readonly number[]): DataId {
    return this.run(updates.dtype, shape, (out) =>
      scatterAddKernel(this.read(updates.dataId), this.read(indices.dataId), axis, shape, out));
  }

  tile(x: TensorInfo, reps: readonly number[]): DataId {
    return this.run(x.dtype, x.shape.map((d, i) => d * reps[i]), (out) =>
      tileKernel(this.read(x.dataId), x.shape, reps, out));
  }

  reverse(x: TensorInfo, axes: readonly number[]): DataId {
    return this.run(x.dtype, x.shape, (out) => reverseKernel(this.read(x.dataId), x.shape, axes, out));
  }

  conv2d(x: TensorInfo, filter: TensorInfo, info: Conv2DInfo): DataId {
    return this.run(x.dtype, [info.batchSize, info.outHeight, info.outWidth, info.outChannels], (out) =>
      conv2dKernel(this.read(x.dataId), this.read(filter.dataId), info, out));
  }

  conv2dBackpropInput(dy: TensorInfo, filter: TensorInfo, info: Conv2DInfo): DataId {
    return this.run(dy.dtype, [info.batchSize, info.inHeight, info.inWidth, info.inChannels], (out) =>
      conv2dBackpropInputKernel(this.read(dy.dataId), this.read(filter.dataId), info, out));
  }

  conv2dBackpropFilter(x: TensorInfo, dy: TensorInfo, info: Conv2DInfo): DataId {
    return this.run(x.dtype, [info.filterHeight, info.filterWidth, info.inChannels, info.outChannels], (out) =>
      conv2dBackpropFilterKernel(this.read(x.dataId), this.read(dy.dataId), info, out));
  }

  depthwiseConv2d(x: TensorInfo, filter: TensorInfo, info: Conv2DInfo): DataId {
    return this.run(x.dtype, [info.batchSize, info.outHeight, info.outWidth, info.outChannels], (out) =>
      depthwiseConv2dKernel(this.read(x.dataId), this.read(filter.dataId), info, out));
  }

  depthwiseConv2dBackpropInput(dy: TensorInfo, filter: TensorInfo, info: Conv2DInfo): DataId {
    return this.run(dy.dtype, [info.batchSize, info.inHeight, info.inWidth, info.inChannels], (out) =>
      depthwiseConv2dBackpropInputKernel(this.read(dy.dataId), this.read(filter.dataId), info, out));
  }

  depthwiseConv2dBackpropFilter(x: TensorInfo, dy: TensorInfo, info: Conv2DInfo): DataId {
    return this.run(x.dtype, [info.filterHeight, info.filterWidth, info.inChannels, info.channelMultiplier], (out) =>
      depthwiseConv2dBackpropFilterKernel(this.read(x.dataId), this.read(dy.dataId), info, out));
  }

  maxPool(x: TensorInfo, info: Conv2DInfo): DataId {
    return this.run(x.dtype, [info.batchSize, info.outHeight, info.outWidth, info.outChannels], (out) =>
      maxPoolKernel(this.read(x.dataId), info, out));
  }

  maxPoolBackprop(dy: TensorInfo, x: TensorInfo, info: Conv2DInfo): DataId {
    return this.run(dy.dtype, [info.batchSize, info.inHeight, info.inWidth, info.inChannels], (out) =>
      maxPoolBackpropKernel(this.read(dy.dataId), this.read(x.dataId), info, out));
  }

  avgPool(x: TensorInfo, info: Conv2DInfo): DataId {
    return this.run(x.dtype, [info.batchSize, info.outHeight, info.outWidth, info.outChannels], (out) =>
      avgPoolKernel(this.read(x.dataId), info, out));
  }

  avgPoolBackprop(dy: TensorInfo, info: Conv2DInfo): DataId {
    return this.run(dy.dtype, [info.batchSize, info.inHeight, info.inWidth, info.inChannels], (out) =>
      avgPoolBackpropKernel(this.read(dy.dataId), info, out));
  }

  // ---- image (tf.image) ----
  resizeBilinear(x: TensorInfo, outH: number, outW: number, alignCorners: boolean, halfPixelCenters: boolean): DataId {
    const [batch, , , c] = x.shape;
    return this.run(floatOut(x.dtype), [batch, outH, outW, c], (out) =>
      resizeBilinearKernel(this.read(x.dataId), x.shape, outH, outW, alignCorners, halfPixelCenters, out));
  }

  resizeBilinearGrad(dy: TensorInfo, inShape: readonly number[], alignCorners: boolean, halfPixelCenters: boolean): DataId {
    return this.run(dy.dtype, inShape, (out) => resizeBilinearGradKernel(this.read(dy.dataId), inShape,
      dy.shape[1], dy.shape[2], alignCorners, halfPixelCenters, out));
  }

  resizeNearestNeighbor(x: TensorInfo, outH: number, outW: number, alignCorners: boolean, halfPixelCenters: boolean): DataId {
    const [batch, , , c] = x.shape;
    return this.run(x.dtype, [batch, outH, outW, c], (out) =>
      resizeNearestKernel(this.read(x.dataId), x.shape, outH, outW, alignCorners, halfPixelCenters, out));
  }

  resizeNearestNeighborGrad(dy: TensorInfo, inShape: readonly number[], alignCorners: boolean,
    halfPixelCenters: boolean): DataId {
    return this.run(dy.dtype, inShape, (out) => resizeNearestGradKernel(this.read(dy.dataId), inShape,
      dy.shape[1], dy.shape[2], alignCorners, halfPixelCenters, out));
  }

  cropAndResize(image: TensorInfo, boxes: TensorInfo, boxInd: TensorInfo, cropH: number, cropW: number,
    method: 'bilinear' | 'nearest', extrapolationValue: number): DataId {
    return this.run(floatOut(image.dtype), [boxInd.shape[0], cropH, cropW, image.shape[3]], (out) =>
      cropAndResizeKernel(this.read(image.dataId), image.shape, this.read(boxes.dataId), this.read(boxInd.dataId),
        cropH, cropW, method, extrapolationValue, out));
  }

  cropAndResizeGradImage(dy: TensorInfo, boxes: TensorInfo, boxInd: TensorInfo, imageShape: readonly number[],
    method: 'bilinear' | 'nearest'): DataId {
    return this.run(dy.dtype, imageShape, (out) => cropAndResizeGradImageKernel(this.read(dy.dataId),
      this.read(boxes.dataId), this.read(boxInd.dataId), imageShape, dy.shape[1], dy.shape[2], method, out));
  }

  transform(image: TensorInfo, transforms: TensorInfo, interpolation: 'nearest' | 'bilinear',
    fillMode: 'constant' | 'reflect' | 'wrap' | 'nearest', fillValue: number, outH: number, outW: number): DataId {
    const [batch, , , c] = image.shape;
    return this.run(image.dtype, [batch, outH, outW, c], (out) => transformKernel(this.read(image.dataId), image.shape,
      this.read(transforms.dataId), interpolation, fillMode, fillValue, outH, outW, out));
  }

  rotateWithOffset(image: TensorInfo, radians: number, fillValue: number | readonly number[],
    center: number | readonly number[]): DataId {
    return this.run(image.dtype, image.shape, (out) =>
      rotateWithOffsetKernel(this.read(image.dataId), image.shape, radians, fillValue, center, out));
  }
}

/** Interpolating kernels give float results: int32 and bool images give float32. */
function floatOut(dtype: DType): DType {
  return dtype === 'float64' ? 'float64' : 'float32';
}
