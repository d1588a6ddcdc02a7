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
import { sizeFromShape, typedArrayFor } from '../shape_util.js';
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
import { bincountKernel, cumulativeKernel, searchSortedKernel, topKKernel } from './scan.js';
import { gatherNDKernel, scatterNDKernel } from './movement_nd.js';
import { raggedTensorToTensorKernel } from './ragged.js'; // ragged area
import { lstmSequenceGradKernel, lstmSequenceKernel } from './recurrent.js'; // recurrent area
import { gruSequenceGradKernel, gruSequenceKernel, simpleRnnSequenceGradKernel, simpleRnnSequenceKernel } from './recurrent_gru.js'; // recurrent area
import type { RecurrentActivation } from '../types.js'; // recurrent area
import type { RaggedPartitionType } from '../types.js'; // ragged area
// conv3d area
import type { Conv3DInfo } from '../types.js';
import {
  avgPool3dBackpropKernel, avgPool3dKernel, conv3dBackpropFilterKernel, conv3dBackpropInputKernel, conv3dKernel,
  maxPool3dBackpropKernel, maxPool3dKernel,
} from './conv3d.js';
import {
  dilation2dBackpropFilterKernel, dilation2dBackpropInputKernel, dilation2dKernel, maxPoolArgmaxKernel,
} from './morphology.js';
import {
  cropAndResizeGradImageKernel, cropAndResizeKernel, resizeBilinearGradKernel, resizeBilinearKernel,
  resizeNearestGradKernel, resizeNearestKernel, rotateWithOffsetKernel, transformKernel,
} from './image.js';
// complex area
import { complexPartDtype } from '../shape_util.js';
import { complexAbsKernel, complexMulKernel, fftKernel } from './spectral.js';

class JsBuffer implements DataId {
  readonly backendName = 'js';
  /** the byte strings of a 'string' tensor (its `values` are then an empty placeholder) */
  strings: Uint8Array[] | null = null;
  constructor(public values: TypedArray | null, public refs: number, readonly bytes: number) {}
}

const NO_NUMBERS = new Uint8Array(0);

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
    // byteLength, not length times the element size: a complex element takes two slots
    const bytes = values.byteLength;
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
    const b = this.buffer(dataId);
    if (b.values === null) throw new Error('Tensor is disposed: its data was freed by dispose()');
    if (b.strings !== null) throw new Error('js backend: this buffer holds a string tensor, which has no numeric values');
    return b.values;
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
    b.strings = null;
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

  // ---- math area (issue 16): scans, top-k, sorted search, bin counts ----
  cumulative(op: 'sum' | 'prod', x: TensorInfo, axis: number, exclusive: boolean, reverse: boolean,
             outDtype: DType): DataId {
    return this.run(outDtype, x.shape, (out) =>
      cumulativeKernel(op, this.read(x.dataId), x.shape, axis, exclusive, reverse, out));
  }

  topK(x: TensorInfo, k: number, sorted: boolean): { values: DataId; indices: DataId } {
    const outShape = [...x.shape.slice(0, -1), k];
    const values = this.alloc(x.dtype, outShape);
    const indices = this.alloc('int32', outShape) as Int32Array;
    topKKernel(this.read(x.dataId), x.shape, k, sorted, values, indices);
    return { values: this.write(values, x.dtype), indices: this.write(indices, 'int32') };
  }

  searchSorted(sorted: TensorInfo, values: TensorInfo, side: 'left' | 'right'): DataId {
    const [rows, n] = sorted.shape;
    const m = values.shape[1];
    return this.run('int32', [rows, m], (out) =>
      searchSortedKernel(this.read(sorted.dataId), rows, n, this.read(values.dataId), m, side, out as Int32Array));
  }

  bincount(x: TensorInfo, weights: TensorInfo | null, size: number, binary: boolean, outDtype: DType): DataId {
    const rows = x.shape.length === 2 ? x.shape[0] : 1;
    const cols = x.shape[x.shape.length - 1];
    return this.run(outDtype, x.shape.length === 2 ? [rows, size] : [size], (out) =>
      bincountKernel(this.read(x.dataId), rows, cols, weights && this.read(weights.dataId), size, binary, out));
  }
  // ---- movement (issue 16): N-dimensional gather and scatter ----

  gatherND(x: TensorInfo, indices: TensorInfo): DataId {
    const depth = indices.shape[indices.shape.length - 1];
    const outShape = [...indices.shape.slice(0, -1), ...x.shape.slice(depth)];
    return this.run(x.dtype, outShape, (out) =>
      gatherNDKernel(this.read(x.dataId), x.shape, this.read(indices.dataId), depth, out));
  }

  scatterND(indices: TensorInfo, updates: TensorInfo, shape: readonly number[], base: TensorInfo | null,
            mode: 'add' | 'update'): DataId {
    const depth = indices.shape[indices.shape.length - 1];
    return this.run(updates.dtype, shape, (out) => {
      if (base !== null) out.set(this.read(base.dataId));
      scatterNDKernel(this.read(indices.dataId), this.read(updates.dataId), depth, shape, mode, out);
    });
  }
  // ---- conv3d area: 3-D convolution and pooling, argmax pooling, dilation2d ----
  conv3d(x: TensorInfo, filter: TensorInfo, info: Conv3DInfo): DataId {
    return this.run(x.dtype, out3d(info), (out) => conv3dKernel(this.read(x.dataId), this.read(filter.dataId), info, out));
  }

  conv3dBackpropInput(dy: TensorInfo, filter: TensorInfo, info: Conv3DInfo): DataId {
    return this.run(dy.dtype, in3d(info), (out) =>
      conv3dBackpropInputKernel(this.read(dy.dataId), this.read(filter.dataId), info, out));
  }

  conv3dBackpropFilter(x: TensorInfo, dy: TensorInfo, info: Conv3DInfo): DataId {
    const shape = [info.filterDepth, info.filterHeight, info.filterWidth, info.inChannels, info.outChannels];
    return this.run(x.dtype, shape, (out) => conv3dBackpropFilterKernel(this.read(x.dataId), this.read(dy.dataId), info, out));
  }

  maxPool3d(x: TensorInfo, info: Conv3DInfo): DataId {
    return this.run(x.dtype, out3d(info), (out) => maxPool3dKernel(this.read(x.dataId), info, out));
  }

  maxPool3dBackprop(dy: TensorInfo, x: TensorInfo, info: Conv3DInfo): DataId {
    return this.run(dy.dtype, in3d(info), (out) => maxPool3dBackpropKernel(this.read(dy.dataId), this.read(x.dataId), info, out));
  }

  avgPool3d(x: TensorInfo, info: Conv3DInfo): DataId {
    return this.run(x.dtype, out3d(info), (out) => avgPool3dKernel(this.read(x.dataId), info, out));
  }

  avgPool3dBackprop(dy: TensorInfo, info: Conv3DInfo): DataId {
    return this.run(dy.dtype, in3d(info), (out) => avgPool3dBackpropKernel(this.read(dy.dataId), info, out));
  }

  maxPoolArgmax(x: TensorInfo, info: Conv2DInfo, includeBatchInIndex: boolean): DataId {
    return this.run('int32', [info.batchSize, info.outHeight, info.outWidth, info.inChannels], (out) =>
      maxPoolArgmaxKernel(this.read(x.dataId), info, includeBatchInIndex, out));
  }

  dilation2d(x: TensorInfo, filter: TensorInfo, info: Conv2DInfo): DataId {
    return this.run(x.dtype, [info.batchSize, info.outHeight, info.outWidth, info.inChannels], (out) =>
      dilation2dKernel(this.read(x.dataId), this.read(filter.dataId), info, out));
  }

  dilation2dBackpropInput(dy: TensorInfo, x: TensorInfo, filter: TensorInfo, info: Conv2DInfo): DataId {
    return this.run(dy.dtype, x.shape, (out) =>
      dilation2dBackpropInputKernel(this.read(dy.dataId), this.read(x.dataId), this.read(filter.dataId), info, out));
  }

  dilation2dBackpropFilter(dy: TensorInfo, x: TensorInfo, filter: TensorInfo, info: Conv2DInfo): DataId {
    return this.run(dy.dtype, filter.shape, (out) =>
      dilation2dBackpropFilterKernel(this.read(dy.dataId), this.read(x.dataId), this.read(filter.dataId), info, out));
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

  // ---- strings area (issue 16): storage of 'string' tensors ----
  writeStrings(values: Uint8Array[]): DataId {
    let bytes = 0;
    for (const v of values) bytes += v.length;
    const buffer = new JsBuffer(NO_NUMBERS, 1, bytes);
    buffer.strings = values;
    this.numBuffers++;
    this.numBytes += bytes;
    this.collected.register(buffer, bytes, buffer);
    return buffer;
  }

  readStrings(dataId: DataId): readonly Uint8Array[] {
    const b = this.buffer(dataId);
    if (b.values === null) throw new Error('Tensor is disposed: its data was freed by dispose()');
    if (b.strings === null) throw new Error('js backend: this buffer holds numbers, not a string tensor');
    return b.strings;
  }

  // ---- complex area (issue 16): complex numbers and spectral ops ----
  complexMul(a: TensorInfo, b: TensorInfo, outShape: readonly number[]): DataId {
    return this.run(a.dtype, outShape, (out) =>
      complexMulKernel(this.read(a.dataId), a.shape, this.read(b.dataId), b.shape, out, outShape));
  }

  complexAbs(x: TensorInfo): DataId {
    return this.run(complexPartDtype(x.dtype), x.shape, (out) => complexAbsKernel(this.read(x.dataId), out));
  }

  fft(x: TensorInfo, inverse: boolean): DataId {
    const n = x.shape.length === 0 ? 1 : x.shape[x.shape.length - 1];
    return this.run(x.dtype, x.shape, (out) => fftKernel(this.read(x.dataId), n, inverse, out));
  }

  // ---- ragged area: raggedTensorToTensor ----
  raggedTensorToTensor(values: TensorInfo, defaultValue: TensorInfo, partitions: readonly TensorInfo[],
    partitionTypes: readonly RaggedPartitionType[], firstDimSize: number, outShape: readonly number[]): DataId {
    return this.run(values.dtype, outShape, (out) => raggedTensorToTensorKernel(this.read(values.dataId), values.shape,
      this.read(defaultValue.dataId), defaultValue.shape, partitions.map((p) => this.read(p.dataId)), partitionTypes,
      firstDimSize, outShape, out));
  }

  // ---- recurrent area: whole-sequence LSTM ----
  lstmSequence(xProj: TensorInfo, h0: TensorInfo, c0: TensorInfo, recurrentKernel: TensorInfo,
    mask: TensorInfo | null, dropMask: TensorInfo | null = null): DataId {
    const [batch, steps] = xProj.shape, u = h0.shape[1];
    return this.run(xProj.dtype, [batch, steps, 7 * u], (out) => lstmSequenceKernel(this.read(xProj.dataId),
      this.read(h0.dataId), this.read(c0.dataId), this.read(recurrentKernel.dataId), this.readOrNull(mask),
      batch, steps, u, out, this.readOrNull(dropMask)));
  }

  lstmSequenceGrad(record: TensorInfo, c0: TensorInfo, recurrentKernel: TensorInfo, mask: TensorInfo | null,
    dRecord: TensorInfo, dropMask: TensorInfo | null = null): DataId {
    const [batch, steps] = record.shape, u = c0.shape[1];
    return this.run(record.dtype, [batch * steps * 4 * u + 2 * batch * u], (out) => lstmSequenceGradKernel(
      this.read(record.dataId), this.read(c0.dataId), this.read(recurrentKernel.dataId),
      this.readOrNull(mask), this.read(dRecord.dataId), batch, steps, u, out, this.readOrNull(dropMask)));
  }

  // ---- recurrent area: whole-sequence SimpleRNN and GRU ----
  private readOrNull(x: TensorInfo | null): TypedArray | null {
    return x === null ? null : this.read(x.dataId);
  }

  simpleRnnSequence(xProj: TensorInfo, h0: TensorInfo, recurrentKernel: TensorInfo, mask: TensorInfo | null,
    dropMask: TensorInfo | null, activation: RecurrentActivation): DataId {
    const [batch, steps] = xProj.shape, u = h0.shape[1];
    return this.run(xProj.dtype, [batch, steps, 2 * u], (out) => simpleRnnSequenceKernel(this.read(xProj.dataId),
      this.read(h0.dataId), this.read(recurrentKernel.dataId), this.readOrNull(mask), this.readOrNull(dropMask),
      activation, batch, steps, u, out));
  }

  simpleRnnSequenceGrad(record: TensorInfo, recurrentKernel: TensorInfo, mask: TensorInfo | null,
    dropMask: TensorInfo | null, dRecord: TensorInfo, activation: RecurrentActivation): DataId {
    const [batch, steps] = record.shape, u = recurrentKernel.shape[0];
    return this.run(record.dtype, [batch * steps * u + batch * u], (out) => simpleRnnSequenceGradKernel(
      this.read(record.dataId), this.read(recurrentKernel.dataId), this.readOrNull(mask), this.readOrNull(dropMask),
      this.read(dRecord.dataId), activation, batch, steps, u, out));
  }

  gruSequence(xProj: TensorInfo, h0: TensorInfo, recurrentKernel: TensorInfo, recurrentBias: TensorInfo | null,
    mask: TensorInfo | null, dropMask: TensorInfo | null, resetAfter: boolean): DataId {
    const [batch, steps] = xProj.shape, u = h0.shape[1];
    return this.run(xProj.dtype, [batch, steps, 6 * u], (out) => gruSequenceKernel(this.read(xProj.dataId),
      this.read(h0.dataId), this.read(recurrentKernel.dataId), this.readOrNull(recurrentBias), this.readOrNull(mask),
      this.readOrNull(dropMask), resetAfter, batch, steps, u, out));
  }

  gruSequenceGrad(record: TensorInfo, h0: TensorInfo, recurrentKernel: TensorInfo, mask: TensorInfo | null,
    dropMask: TensorInfo | null, dRecord: TensorInfo, resetAfter: boolean): DataId {
    const [batch, steps] = record.shape, u = h0.shape[1];
    return this.run(record.dtype, [batch * steps * 3 * u + batch * u], (out) => gruSequenceGradKernel(
      this.read(record.dataId), this.read(h0.dataId), this.read(recurrentKernel.dataId), this.readOrNull(mask),
      this.readOrNull(dropMask), this.read(dRecord.dataId), resetAfter, batch, steps, u, out));
  }
}

// ---- conv3d area ----
function out3d(info: Conv3DInfo): number[] {
  return [info.batchSize, info.outDepth, info.outHeight, info.outWidth, info.outChannels];
}

function in3d(info: Conv3DInfo): number[] {
  return [info.batchSize, info.inDepth, info.inHeight, info.inWidth, info.inChannels];
}

/** Interpolating kernels give float results: int32 and bool images give float32. */
function floatOut(dtype: DType): DType {
  return dtype === 'float64' ? 'float64' : 'float32';
}
