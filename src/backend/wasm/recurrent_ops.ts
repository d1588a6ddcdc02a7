/**
 * The wasm backend's recurrent kernels (recurrent area): every step of an LSTM over a sequence
 * in one call of assembly/recurrent.ts, forward and back propagation through time. The chunks
 * are runs of batch rows, each run through all the steps on its own (rows never meet in a
 * recurrence), so the number of chunks depends on the batch alone and one or many threads give
 * the same bits. Each method returns null where its case is not covered (not float32), and the
 * backend then runs the reference kernel.
 */
import type { DataId, TensorInfo } from '../types.js';
import type { WasmBackend } from './backend.js';

const TASK_LSTM_SEQ = 100, TASK_LSTM_SEQ_GRAD = 101;

export class RecurrentOps {
  constructor(private readonly b: WasmBackend) {}

  private ptr(x: TensorInfo | null): number {
    return x === null ? 0 : this.b.buffer(x.dataId).ptr;
  }

  /**
   * Rows per chunk: runs of 8 (the GEMM's row tile), at most 4 chunks, since each chunk packs
   * the recurrent kernel again at every step.
   */
  private split(batch: number, u: number, steps: number): { per: number; chunks: number; parallel: boolean } {
    const big = batch * u * u * steps >= 1 << 20;
    const per = big ? Math.max(8, Math.ceil(Math.ceil(batch / 4) / 8) * 8) : batch;
    const chunks = Math.max(1, Math.ceil(batch / per));
    return { per, chunks, parallel: this.b.threads > 1 && chunks > 1 };
  }

  private allFloat32(...xs: (TensorInfo | null)[]): boolean {
    return xs.every((x) => x === null || x.dtype === 'float32');
  }

  lstmSequence(xProj: TensorInfo, h0: TensorInfo, c0: TensorInfo, recurrentKernel: TensorInfo,
    mask: TensorInfo | null, dropMask: TensorInfo | null): DataId | null {
    if (!this.allFloat32(xProj, h0, c0, recurrentKernel, mask, dropMask) || dropMask) return null;
    const [batch, steps] = xProj.shape, u = h0.shape[1];
    const out = this.b.allocate('float32', batch * steps * 7 * u);
    if (batch * steps * u === 0) return out;
    const { per, chunks, parallel } = this.split(batch, u, steps);
    const args = this.b.args([this.ptr(xProj), this.ptr(h0), this.ptr(c0), this.ptr(recurrentKernel), this.ptr(mask),
      out.ptr, batch, steps, u, per]);
    this.b.run(TASK_LSTM_SEQ, args, chunks, parallel);
    return out;
  }

  lstmSequenceGrad(record: TensorInfo, c0: TensorInfo, recurrentKernel: TensorInfo, mask: TensorInfo | null,
    dRecord: TensorInfo, dropMask: TensorInfo | null): DataId | null {
    if (!this.allFloat32(record, c0, recurrentKernel, mask, dRecord, dropMask) || dropMask) return null;
    const [batch, steps] = record.shape, u = c0.shape[1];
    const zSize = batch * steps * 4 * u;
    const out = this.b.allocate('float32', zSize + 2 * batch * u);
    const f32 = this.b.view(out) as Float32Array;
    // dh0 and dc0 are the running gradients of h and c: they start at zero
    f32.fill(0, zSize);
    if (batch * steps * u === 0) return out;
    const dyBytes = batch * u * 4;
    const dy = this.b.heap.alloc(dyBytes);
    try {
      new Float32Array(this.b.k.memory.buffer, dy, batch * u).fill(0);
      const { per, chunks, parallel } = this.split(batch, u, steps);
      const args = this.b.args([this.ptr(record), this.ptr(c0), this.ptr(recurrentKernel), this.ptr(mask),
        this.ptr(dRecord), out.ptr, out.ptr + zSize * 4, out.ptr + (zSize + batch * u) * 4, dy, batch, steps, u, per]);
      this.b.run(TASK_LSTM_SEQ_GRAD, args, chunks, parallel);
    } finally {
      this.b.heap.release(dy, dyBytes);
    }
    return out;
  }

  simpleRnnSequence(..._a: unknown[]): DataId | null {
    return null;
  }

  simpleRnnSequenceGrad(..._a: unknown[]): DataId | null {
    return null;
  }

  gruSequence(..._a: unknown[]): DataId | null {
    return null;
  }

  gruSequenceGrad(..._a: unknown[]): DataId | null {
    return null;
  }
}
