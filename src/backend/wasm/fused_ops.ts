/**
 * The wasm backend's depthwise convolution and fused layer kernels (assembly/depthwise.ts,
 * assembly/fused_nn.ts): softmax cross-entropy, batch normalisation over the last axis and the
 * LSTM cell step. Each method returns the result's storage, or null when its case is not
 * covered (a dtype other than float32), and the caller falls back.
 *
 * Chunking: tasks run as runs of rows. Where chunks are summed (filter gradients, batch-norm
 * statistics) the number of chunks follows from the shape alone, never from the thread count,
 * and the partials are added in chunk order, so every thread count gives the same bits.
 */
import type { Conv2DInfo, DataId, TensorInfo } from '../types.js';
import { sizeFromShape } from '../shape_util.js';
import type { WasmBuffer } from './backend.js';
import { KernelGroup, PARALLEL_MIN_MACS, roundUp } from './kernel_group.js';

const TASK_DEPTHWISE = 50, TASK_DEPTHWISE_BACK_INPUT = 51, TASK_DEPTHWISE_BACK_FILTER = 52;
const TASK_SOFTMAX_XENT = 53, TASK_SOFTMAX_XENT_GRAD = 54;
const TASK_BN_STATS = 55, TASK_BN_APPLY = 56, TASK_BN_GRAD_STATS = 57, TASK_BN_GRAD_DX = 58;
const TASK_LSTM = 59, TASK_LSTM_GRAD = 60, TASK_DEPTHWISE_BACK_INPUT_ROWS = 61;
// resnet speed area (assembly/resnet_bn.ts): one-pass statistics and the fused relu
const TASK_BN_MOMENTS = 121, TASK_BN_GRAD_MOMENTS = 122, TASK_BN_APPLY_RELU = 123, TASK_BN_GRAD_DX_RELU = 124;
// bn speed area: batch norm, a residual added and relu in one pass
const TASK_BN_APPLY_ADD_RELU = 155;

/** Work (element-steps) per chunk of a row task: enough to amortise claiming a chunk. */
const CHUNK_WORK = 32 * 1024;
/** At most this many partial sums for a reduction across rows. */
const MAX_PARTIALS = 64;

export class FusedOps extends KernelGroup {
  /**
   * Rows per chunk for `rows` rows of `work` element-steps each: one chunk when small, else
   * chunks of about CHUNK_WORK steps (at most `maxChunks`). Depends on the shape only.
   */
  private split(rows: number, work: number, maxChunks = 0xffff): { per: number; chunks: number; parallel: boolean } {
    const total = rows * work;
    let chunks = total < PARALLEL_MIN_MACS ? 1 : Math.min(rows, Math.ceil(total / CHUNK_WORK), maxChunks);
    chunks = Math.max(1, chunks);
    const per = Math.max(1, Math.ceil(rows / chunks));
    chunks = Math.max(1, Math.ceil(rows / per));
    return { per, chunks, parallel: this.b.threads > 1 && chunks > 1 };
  }

  /** Geometry words for the depthwise kernels (argument words 64..79). */
  private geometry(info: Conv2DInfo): number {
    this.b.args([
      info.batchSize, info.inHeight, info.inWidth, info.inChannels, info.outHeight, info.outWidth,
      info.outChannels, info.filterHeight, info.filterWidth, info.strideHeight, info.strideWidth,
      info.dilationHeight, info.dilationWidth, info.padTop, info.padLeft, info.channelMultiplier,
    ], 64);
    return this.b.argsPtr + 256;
  }

  depthwiseConv2d(x: TensorInfo, filter: TensorInfo, info: Conv2DInfo): DataId | null {
    if (x.dtype !== 'float32' || filter.dtype !== 'float32') return null;
    const oc = info.inChannels * info.channelMultiplier;
    const rows = info.batchSize * info.outHeight;
    const out = this.b.allocate('float32', rows * info.outWidth * oc);
    if (rows * info.outWidth * oc === 0) return out;
    const { per, chunks, parallel } = this.split(rows, info.outWidth * oc * info.filterHeight * info.filterWidth);
    const g = this.geometry(info);
    this.b.run(TASK_DEPTHWISE, this.b.args([g, this.ptr(x), this.ptr(filter), out.ptr, rows, per]), chunks, parallel);
    return out;
  }

  depthwiseConv2dBackpropInput(dy: TensorInfo, filter: TensorInfo, info: Conv2DInfo): DataId | null {
    if (dy.dtype !== 'float32' || filter.dtype !== 'float32') return null;
    const size = info.batchSize * info.inHeight * info.inWidth * info.inChannels;
    const out = this.b.allocate('float32', size);
    if (size === 0) return out;
    const g = this.geometry(info);
    if (info.channelMultiplier === 1) {
      // gathered per dx cell: runs of input rows, each cell written once
      const rows = info.batchSize * info.inHeight;
      const { per, chunks, parallel } = this.split(rows, info.inWidth * info.inChannels * info.filterHeight * info.filterWidth);
      const args = this.b.args([g, this.ptr(dy), this.ptr(filter), out.ptr, rows, per]);
      this.b.run(TASK_DEPTHWISE_BACK_INPUT_ROWS, args, chunks, parallel);
      return out;
    }
    // whole images per chunk: neighbouring windows add into the same dx cells
    const work = info.outHeight * info.outWidth * info.inChannels * info.channelMultiplier *
      info.filterHeight * info.filterWidth;
    const { per, chunks, parallel } = this.split(info.batchSize, work);
    const args = this.b.args([g, this.ptr(dy), this.ptr(filter), out.ptr, info.batchSize, per]);
    this.b.run(TASK_DEPTHWISE_BACK_INPUT, args, chunks, parallel);
    return out;
  }

  depthwiseConv2dBackpropFilter(x: TensorInfo, dy: TensorInfo, info: Conv2DInfo): DataId | null {
    if (x.dtype !== 'float32' || dy.dtype !== 'float32') return null;
    const n = info.filterHeight * info.filterWidth * info.inChannels * info.channelMultiplier;
    const rows = info.batchSize * info.outHeight;
    const { per, chunks, parallel } = this.split(rows, info.outWidth * n, MAX_PARTIALS);
    const partialBytes = roundUp(n * 4, 64);
    const partials = this.b.heap.alloc(partialBytes * chunks);
    try {
      this.b.mem.u8.fill(0, partials, partials + partialBytes * chunks);
      const g = this.geometry(info);
      const args = this.b.args([g, this.ptr(x), this.ptr(dy), partials, rows, per, partialBytes]);
      if (rows > 0 && n > 0) this.b.run(TASK_DEPTHWISE_BACK_FILTER, args, chunks, parallel);
      const out = this.b.allocate('float32', n);
      this.sumPartials(out.ptr, partials, chunks, partialBytes, n);
      return out;
    } finally {
      this.b.heap.release(partials, partialBytes * chunks);
    }
  }

  /** logits [rows, k]; labels float32 [rows, k] or int32 [rows] (already checked in range). */
  /** The softmax of each row of [rows, k]: the cross-entropy kernel with no loss to write. */
  softmax(logits: TensorInfo): DataId | null {
    if (logits.dtype !== 'float32' || logits.shape.length !== 2) return null;
    const [rows, k] = logits.shape;
    const out = this.b.allocate('float32', rows * k);
    if (rows * k === 0) return out;
    const { per, chunks, parallel } = this.split(rows, k * 8);
    this.b.run(TASK_SOFTMAX_XENT, this.b.args([this.ptr(logits), 0, out.ptr, 0, rows, k, 0, per]), chunks, parallel);
    return out;
  }

  softmaxCrossEntropy(logits: TensorInfo, labels: TensorInfo): { loss: DataId; softmax: DataId } | null {
    if (logits.dtype !== 'float32' || logits.shape.length !== 2) return null;
    const sparse = labels.dtype === 'int32';
    if (!sparse && labels.dtype !== 'float32') return null;
    const [rows, k] = logits.shape;
    const softmax = this.b.allocate('float32', rows * k);
    const loss = this.b.allocate('float32', rows);
    if (rows * k === 0) {
      this.b.mem.f32.fill(0, loss.ptr >> 2, (loss.ptr >> 2) + rows);
      return { loss, softmax };
    }
    const { per, chunks, parallel } = this.split(rows, k * 8);
    const args = this.b.args([this.ptr(logits), this.ptr(labels), softmax.ptr, loss.ptr, rows, k, sparse ? 1 : 0, per]);
    this.b.run(TASK_SOFTMAX_XENT, args, chunks, parallel);
    return { loss, softmax };
  }

  /** (softmax * sum(t) - t) * dLoss per row; dLoss [rows]. */
  softmaxCrossEntropyGrad(softmax: TensorInfo, labels: TensorInfo, dLoss: TensorInfo): DataId | null {
    if (softmax.dtype !== 'float32' || dLoss.dtype !== 'float32') return null;
    const sparse = labels.dtype === 'int32';
    if (!sparse && labels.dtype !== 'float32') return null;
    const [rows, k] = softmax.shape;
    const out = this.b.allocate('float32', rows * k);
    if (rows * k === 0) return out;
    const { per, chunks, parallel } = this.split(rows, k * 2);
    const args = this.b.args([this.ptr(softmax), this.ptr(labels), this.ptr(dLoss), out.ptr, rows, k, sparse ? 1 : 0, per]);
    this.b.run(TASK_SOFTMAX_XENT_GRAD, args, chunks, parallel);
    return out;
  }

  /** A float32 [c] vector in the heap (released by the caller). */
  private vector(values: ArrayLike<number>): number {
    const p = this.b.heap.alloc(Math.max(values.length, 1) * 4);
    this.b.mem.f32.set(values, p >> 2);
    return p;
  }

  /** Per-channel sums over rows, f64, added in chunk order: `width` sums per chunk. */
  private channelSums(task: number, words: (partials: number, per: number) => number[], rows: number, width: number,
    work: number): Float64Array {
    const { per, chunks, parallel } = this.split(rows, work, MAX_PARTIALS);
    const bytes = chunks * width * 8;
    const partials = this.b.heap.alloc(bytes);
    try {
      this.b.run(task, this.b.args(words(partials, per)), chunks, parallel);
      const f64 = this.b.mem.f64;
      const sums = new Float64Array(width);
      for (let t = 0; t < chunks; t++) {
        const p = (partials >> 3) + t * width;
        for (let j = 0; j < width; j++) sums[j] += f64[p + j];
      }
      return sums;
    } finally {
      this.b.heap.release(partials, bytes);
    }
  }

  /**
   * Batch normalisation of x viewed as [rows, c] over its rows: the batch mean and biased
   * variance when `stats` is null (training), the given ones otherwise (inference);
   * y = (x - mean) * (scale / sqrt(variance + epsilon)) + offset.
   */
  batchNorm(x: TensorInfo, stats: { mean: TensorInfo; variance: TensorInfo } | null, scale: TensorInfo | null,
    offset: TensorInfo | null, epsilon: number, relu = false, residual: TensorInfo | null = null,
  ): { y: DataId; mean: DataId | null; variance: DataId | null } | null {
    if (x.dtype !== 'float32' || x.shape.length < 1) return null;
    // (bn speed area) relu(batch norm + residual): the residual x's shape, relu required
    if (residual && (!relu || residual.dtype !== 'float32' || residual.shape.join() !== x.shape.join())) return null;
    if ([stats?.mean, stats?.variance, scale, offset].some((t) => t && t.dtype !== 'float32')) return null;
    const c = x.shape[x.shape.length - 1];
    const rows = c === 0 ? 0 : sizeFromShape(x.shape) / c;
    const read = (t: TensorInfo | null, fill: number): Float64Array =>
      t ? Float64Array.from(this.b.view(t.dataId)) : new Float64Array(c).fill(fill);
    let varValues: Float64Array;
    let mean: WasmBuffer | null = null, variance: WasmBuffer | null = null;
    if (stats) {
      varValues = read(stats.variance, 1);
    } else {
      // (resnet speed area) mean and biased variance from one streaming pass of shifted sums
      // (the shift, x's first row, keeps the f64 sums of squares free of cancellation)
      mean = this.b.allocate('float32', c);
      variance = this.b.allocate('float32', c);
      const xPtr = this.ptr(x);
      const sums = rows === 0 ? new Float64Array(2 * c) : this.channelSums(TASK_BN_MOMENTS,
        (p, per) => [xPtr, xPtr, rows, c, per, p], rows, 2 * c, c);
      const shift = rows === 0 ? new Float64Array(c) : Float64Array.from(this.b.view(x.dataId).subarray(0, c));
      const n = Math.max(rows, 1);
      const meanValues = shift.map((k, j) => k + sums[j] / n);
      varValues = Float64Array.from({ length: c }, (_, j) => Math.max(0, (sums[c + j] - (sums[j] * sums[j]) / n) / n));
      this.b.mem.f32.set(meanValues, mean.ptr >> 2);
      this.b.mem.f32.set(varValues, variance.ptr >> 2);
    }
    const meanPtr = mean ? mean.ptr : this.ptr(stats!.mean);
    const gamma = read(scale, 1), beta = read(offset, 0);
    const factor = varValues.map((v, j) => gamma[j] / Math.sqrt(v + epsilon));
    const y = this.b.allocate('float32', rows * c);
    const fp = this.vector(factor), bp = this.vector(beta);
    try {
      if (rows * c > 0) {
        const { per, chunks, parallel } = this.split(rows, c);
        const args = this.b.args([this.ptr(x), meanPtr, fp, bp, y.ptr, rows, c, per, residual ? this.ptr(residual) : 0]);
        this.b.run(residual ? TASK_BN_APPLY_ADD_RELU : relu ? TASK_BN_APPLY_RELU : TASK_BN_APPLY, args, chunks, parallel);
      }
    } finally {
      this.b.heap.release(fp, Math.max(c, 1) * 4);
      this.b.heap.release(bp, Math.max(c, 1) * 4);
    }
    return { y, mean, variance };
  }

  /**
   * Gradients of training-mode batch normalisation (statistics from the batch) with respect to
   * x, scale and offset. With xc = x - mean, s = 1 / sqrt(var + eps), n rows:
   * dOffset = sum dy, dScale = s sum(dy xc), dx = scale s (dy - dOffset/n - xc s^2 sum(dy xc)/n).
   * With `reluY` (the output of batch norm + relu), dy first goes through relu's mask.
   */
  batchNormGrad(dy: TensorInfo, x: TensorInfo, mean: TensorInfo, variance: TensorInfo, scale: TensorInfo | null,
    epsilon: number, reluY: TensorInfo | null = null): { dx: DataId; dScale: DataId; dOffset: DataId } | null {
    if ([dy, x, mean, variance, scale, reluY].some((t) => t && t.dtype !== 'float32')) return null;
    const c = x.shape[x.shape.length - 1];
    const rows = c === 0 ? 0 : sizeFromShape(x.shape) / c;
    const yPtr = reluY ? this.ptr(reluY) : 0;
    // (resnet speed area) both sums in one row-by-row pass
    const sums = rows === 0 ? new Float64Array(2 * c) : this.channelSums(TASK_BN_GRAD_MOMENTS,
      (p, per) => [this.ptr(dy), this.ptr(x), this.ptr(mean), yPtr, rows, c, per, p], rows, 2 * c, 2 * c);
    const varValues = this.b.view(variance.dataId);
    const gamma = scale ? Float64Array.from(this.b.view(scale.dataId)) : new Float64Array(c).fill(1);
    const s = Float64Array.from(varValues, (v) => 1 / Math.sqrt(v + epsilon));
    const dOffsetValues = sums.slice(0, c);
    const dScaleValues = sums.slice(c).map((v, j) => v * s[j]);
    const a = dOffsetValues.map((v) => v / rows);
    const bCoef = sums.slice(c).map((v, j) => (v * s[j] * s[j]) / rows);
    const k = gamma.map((g, j) => g * s[j]);
    const dOffset = this.b.write(Float32Array.from(dOffsetValues), 'float32') as WasmBuffer;
    const dScale = this.b.write(Float32Array.from(dScaleValues), 'float32') as WasmBuffer;
    const dx = this.b.allocate('float32', rows * c);
    const ap = this.vector(a), bp = this.vector(bCoef), kp = this.vector(k);
    try {
      if (rows * c > 0) {
        const { per, chunks, parallel } = this.split(rows, c * 2);
        const args = this.b.args([this.ptr(dy), this.ptr(x), this.ptr(mean), ap, bp, kp, dx.ptr, rows, c, per, yPtr]);
        this.b.run(reluY ? TASK_BN_GRAD_DX_RELU : TASK_BN_GRAD_DX, args, chunks, parallel);
      }
    } finally {
      for (const p of [ap, bp, kp]) this.b.heap.release(p, Math.max(c, 1) * 4);
    }
    return { dx, dScale, dOffset };
  }

  /** z [batch, 4u], c [batch, u] -> [batch, 2u] holding h' then c' per row. */
  lstmCell(z: TensorInfo, c: TensorInfo): DataId | null {
    if (z.dtype !== 'float32' || c.dtype !== 'float32') return null;
    const [batch, u] = c.shape;
    const out = this.b.allocate('float32', batch * 2 * u);
    if (batch * u === 0) return out;
    const { per, chunks, parallel } = this.split(batch, u * 40);
    this.b.run(TASK_LSTM, this.b.args([this.ptr(z), this.ptr(c), out.ptr, batch, u, per]), chunks, parallel);
    return out;
  }

  lstmCellGrad(z: TensorInfo, c: TensorInfo, dhc: TensorInfo): { dz: DataId; dc: DataId } | null {
    if (z.dtype !== 'float32' || c.dtype !== 'float32' || dhc.dtype !== 'float32') return null;
    const [batch, u] = c.shape;
    const dz = this.b.allocate('float32', batch * 4 * u);
    const dc = this.b.allocate('float32', batch * u);
    if (batch * u === 0) return { dz, dc };
    const { per, chunks, parallel } = this.split(batch, u * 60);
    const args = this.b.args([this.ptr(z), this.ptr(c), this.ptr(dhc), dz.ptr, dc.ptr, batch, u, per]);
    this.b.run(TASK_LSTM_GRAD, args, chunks, parallel);
    return { dz, dc };
  }
}
