/**
 * The fast backend: tensors live in one WebAssembly.Memory, the heavy kernels are AssemblyScript
 * compiled to 128-bit SIMD wasm (`assembly/`), and large ones run on every core (pool.ts).
 *
 * Kernels this backend does not have in wasm yet (other dtypes, rare ops) run the reference
 * kernels over views of the heap and copy the result in: slower, never wrong, and the property
 * tests compare every fast path with the reference. The movement and selection ops (transpose,
 * pad, concat, reverse, strided slices, where, argMax/argMin) run the reference loops from heap
 * views straight into the heap.
 */
import type { Backend, DataId, TensorInfo } from '../types.js';
import { defaultThreads } from './backend_core.js';
import { WasmConvKernels } from './backend_conv.js';
import { WasmOps, TASK_RMSPROP, TASK_SGD_MOMENTUM } from './ops.js';
import { FusedOps } from './fused_ops.js';
import { HotOps } from './hot_ops.js';
import { RecurrentOps } from './recurrent_ops.js'; // recurrent area
import { DenseOps } from './dense_ops.js'; // mlp speed area
import type { RecurrentActivation } from '../types.js'; // recurrent area

export { WasmBuffer, defaultThreads, setPreloadedKernels } from './backend_core.js';

/**
 * The class is a chain of files, one family of kernels each: backend_core.ts (storage, threads,
 * the reference fallback), backend_tensor.ts (element-wise, reductions, movement, selection),
 * backend_conv.ts (convolutions, pooling, image) and this one (dense layers and training steps).
 */
export class WasmBackend extends WasmConvKernels implements Backend {
  readonly ops: WasmOps;
  readonly fused: FusedOps;
  /** mlp speed area: the dense layer's backward prologue (dense_ops.ts) */
  readonly dense: DenseOps;
  readonly hot: HotOps;
  readonly recurrent: RecurrentOps; // recurrent area

  constructor(threads = defaultThreads()) {
    super(threads);
    this.ops = new WasmOps(this);
    this.fused = new FusedOps(this);
    this.hot = new HotOps(this);
    this.recurrent = new RecurrentOps(this);
    this.dense = new DenseOps(this); // mlp speed area
  }

  matMul(a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean, outBatch: readonly number[]): DataId {
    return this.ops.matMul(a, b, transposeA, transposeB, outBatch) ??
      this.reference('matMul', a, b, transposeA, transposeB, outBatch);
  }
  dropoutMask(n: number, state: Int32Array, threshold: number, scale: number): DataId | null {
    return this.ops.dropoutMask(n, state, threshold, scale);
  }
  reluGrad(dy: TensorInfo, y: TensorInfo): DataId | null {
    return this.ops.reluGrad(dy, y);
  }
  // ---- mlp speed area ----
  denseActGrad(dy: TensorInfo, y: TensorInfo, relu: boolean): { dz: DataId | null; db: DataId } | null {
    return this.dense.denseActGrad(dy, y, relu);
  }
  softmax(logits: TensorInfo): DataId | null {
    return this.fused.softmax(logits);
  }
  softmaxCrossEntropy(logits: TensorInfo, labels: TensorInfo): { loss: DataId; softmax: DataId } | null {
    return this.fused.softmaxCrossEntropy(logits, labels);
  }
  softmaxCrossEntropyGrad(softmax: TensorInfo, labels: TensorInfo, dLoss: TensorInfo): DataId | null {
    return this.fused.softmaxCrossEntropyGrad(softmax, labels, dLoss);
  }
  batchNorm(x: TensorInfo, stats: { mean: TensorInfo; variance: TensorInfo } | null, scale: TensorInfo | null,
            offset: TensorInfo | null, epsilon: number): { y: DataId; mean: DataId | null; variance: DataId | null } | null {
    return this.fused.batchNorm(x, stats, scale, offset, epsilon);
  }
  batchNormGrad(dy: TensorInfo, x: TensorInfo, mean: TensorInfo, variance: TensorInfo, scale: TensorInfo | null,
                epsilon: number): { dx: DataId; dScale: DataId; dOffset: DataId } | null {
    return this.fused.batchNormGrad(dy, x, mean, variance, scale, epsilon);
  }
  // ---- resnet speed area ----
  batchNormRelu(x: TensorInfo, stats: { mean: TensorInfo; variance: TensorInfo } | null, scale: TensorInfo | null,
                offset: TensorInfo | null, epsilon: number): { y: DataId; mean: DataId | null; variance: DataId | null } | null {
    return this.fused.batchNorm(x, stats, scale, offset, epsilon, true);
  }
  // bn speed area
  batchNormAddRelu(x: TensorInfo, residual: TensorInfo, scale: TensorInfo | null, offset: TensorInfo | null,
                   epsilon: number): { y: DataId; mean: DataId | null; variance: DataId | null } | null {
    return this.fused.batchNorm(x, null, scale, offset, epsilon, true, residual);
  }
  batchNormReluGrad(dy: TensorInfo, x: TensorInfo, y: TensorInfo, mean: TensorInfo, variance: TensorInfo,
                    scale: TensorInfo | null, epsilon: number): { dx: DataId; dScale: DataId; dOffset: DataId } | null {
    return this.fused.batchNormGrad(dy, x, mean, variance, scale, epsilon, y);
  }
  lstmCell(z: TensorInfo, c: TensorInfo): DataId | null {
    return this.fused.lstmCell(z, c);
  }
  lstmCellGrad(z: TensorInfo, c: TensorInfo, dhc: TensorInfo): { dz: DataId; dc: DataId } | null {
    return this.fused.lstmCellGrad(z, c, dhc);
  }
  fusedMatMul(a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean,
              bias: TensorInfo | null, activation: 'linear' | 'relu'): DataId | null {
    if (bias && bias.dtype !== 'float32') return null;
    return this.ops.matMul(a, b, transposeA, transposeB, [], bias ? this.buffer(bias.dataId).ptr : 0,
      activation === 'relu' ? 1 : 0);
  }
  adamUpdate(p: TensorInfo, g: TensorInfo, m: TensorInfo, v: TensorInfo,
             alpha: number, beta1: number, beta2: number, epsilon: number): DataId | null {
    return this.ops.adamUpdate(p, g, m, v, alpha, beta1, beta2, epsilon);
  }
  sgdRmspropUpdate(kind: 'sgdMomentum' | 'rmsprop', p: TensorInfo, g: TensorInfo, s: TensorInfo,
                   lr: number, a: number, b: number): DataId | null {
    return this.ops.optimizerStep(kind === 'rmsprop' ? TASK_RMSPROP : TASK_SGD_MOMENTUM, [p, g, s, s], [lr, a, b]);
  }

  // ---- recurrent area: whole-sequence LSTM, SimpleRNN and GRU ----
  lstmSequence(xProj: TensorInfo, h0: TensorInfo, c0: TensorInfo, recurrentKernel: TensorInfo,
    mask: TensorInfo | null, dropMask: TensorInfo | null = null): DataId {
    return this.recurrent.lstmSequence(xProj, h0, c0, recurrentKernel, mask, dropMask) ??
      this.reference('lstmSequence', xProj, h0, c0, recurrentKernel, mask, dropMask);
  }

  lstmSequenceGrad(record: TensorInfo, c0: TensorInfo, recurrentKernel: TensorInfo, mask: TensorInfo | null,
    dRecord: TensorInfo, dropMask: TensorInfo | null = null): DataId {
    return this.recurrent.lstmSequenceGrad(record, c0, recurrentKernel, mask, dRecord, dropMask) ??
      this.reference('lstmSequenceGrad', record, c0, recurrentKernel, mask, dRecord, dropMask);
  }

  simpleRnnSequence(xProj: TensorInfo, h0: TensorInfo, recurrentKernel: TensorInfo, mask: TensorInfo | null,
    dropMask: TensorInfo | null, activation: RecurrentActivation): DataId {
    return this.recurrent.simpleRnnSequence(xProj, h0, recurrentKernel, mask, dropMask, activation) ??
      this.reference('simpleRnnSequence', xProj, h0, recurrentKernel, mask, dropMask, activation);
  }

  simpleRnnSequenceGrad(record: TensorInfo, recurrentKernel: TensorInfo, mask: TensorInfo | null,
    dropMask: TensorInfo | null, dRecord: TensorInfo, activation: RecurrentActivation): DataId {
    return this.recurrent.simpleRnnSequenceGrad(record, recurrentKernel, mask, dropMask, dRecord, activation) ??
      this.reference('simpleRnnSequenceGrad', record, recurrentKernel, mask, dropMask, dRecord, activation);
  }

  gruSequence(xProj: TensorInfo, h0: TensorInfo, recurrentKernel: TensorInfo, recurrentBias: TensorInfo | null,
    mask: TensorInfo | null, dropMask: TensorInfo | null, resetAfter: boolean): DataId {
    return this.recurrent.gruSequence(xProj, h0, recurrentKernel, recurrentBias, mask, dropMask, resetAfter) ??
      this.reference('gruSequence', xProj, h0, recurrentKernel, recurrentBias, mask, dropMask, resetAfter);
  }

  gruSequenceGrad(record: TensorInfo, h0: TensorInfo, recurrentKernel: TensorInfo, mask: TensorInfo | null,
    dropMask: TensorInfo | null, dRecord: TensorInfo, resetAfter: boolean): DataId {
    return this.recurrent.gruSequenceGrad(record, h0, recurrentKernel, mask, dropMask, dRecord, resetAfter) ??
      this.reference('gruSequenceGrad', record, h0, recurrentKernel, mask, dropMask, dRecord, resetAfter);
  }
}
