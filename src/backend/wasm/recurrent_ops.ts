/**
 * The wasm backend's recurrent kernels (recurrent area): every step of an LSTM over a sequence
 * in one call of assembly/recurrent.ts, forward and back propagation through time. The chunks
 * are runs of batch rows, each run through all the steps on its own (rows never meet in a
 * recurrence), so the number of chunks depends on the batch alone and one or many threads give
 * the same bits. Each method returns null where its case is not covered (not float32), and the
 * backend then runs the reference kernel.
 */
import type { DataId, RecurrentActivation, TensorInfo } from '../types.js';
import type { WasmBackend } from './backend.js';

const TASK_LSTM_SEQ = 100, TASK_LSTM_SEQ_GRAD = 101;
const TASK_RNN_SEQ = 102, TASK_RNN_SEQ_GRAD = 103, TASK_GRU_SEQ = 104, TASK_GRU_SEQ_GRAD = 105;
const TASK_PACK_PANELS = 106;

/**
 * The work of a call, gates x batch x units^2 x steps (half its forward FLOPs), below which it
 * runs on the calling thread: 4M is about a millisecond on one core, where waking a worker
 * (tens of microseconds) is small. bench/rnn_seq_speed.ts sets it (--min-work) to measure.
 */
export const recurrentSplit = { minWork: 1 << 22 };
/** simpleRnnSequence's activations as assembly/recurrent_gru.ts numbers them */
const ACT: Record<RecurrentActivation, number> = { tanh: 0, relu: 1, linear: 2 };

export class RecurrentOps {
  constructor(private readonly b: WasmBackend) {}

  private ptr(x: TensorInfo | null): number {
    return x === null ? 0 : this.b.buffer(x.dataId).ptr;
  }

  /**
   * Rows per chunk: the batch split evenly over the threads in runs of 4 (the GEMM's row tile).
   * U is packed once per call and each chunk runs all its steps alone (no barrier between
   * steps), so a row's bits do not depend on the split and the only cost of threads is one
   * dispatch per call: a call with less work than recurrentSplit.minWork stays on one thread.
   */
  private split(batch: number, u: number, steps: number, gates: number): { per: number; chunks: number; parallel: boolean } {
    const threads = this.b.threads;
    if (threads <= 1 || gates * batch * u * u * steps < recurrentSplit.minWork) return { per: batch, chunks: 1, parallel: false };
    const per = Math.ceil(Math.ceil(batch / threads) / 4) * 4;
    const chunks = Math.ceil(batch / per);
    return { per, chunks, parallel: chunks > 1 };
  }

  /**
   * Packs the recurrent products' right operands once for the whole call (assembly gemm.ts
   * packPanels), runs body with their addresses, then frees them. Each entry: the first
   * element's offset in floats from base, the row and column strides, k and n.
   */
  private withPacked(base: number, mats: readonly (readonly [number, number, number, number, number])[],
    body: (ptrs: number[]) => void): void {
    const nr = (this.b.k.exports.NR as WebAssembly.Global).value as number;
    const sizes = mats.map(([, , , k, n]) => Math.max(4, k * Math.ceil(n / nr) * nr * 4));
    const ptrs: number[] = [];
    try {
      for (const bytes of sizes) ptrs.push(this.b.heap.alloc(bytes));
      mats.forEach(([offset, rs, cs, k, n], i) => {
        this.b.run(TASK_PACK_PANELS, this.b.args([base + offset * 4, rs, cs, k, n, ptrs[i]]), 1, false);
      });
      body(ptrs);
    } finally {
      ptrs.forEach((p, i) => this.b.heap.release(p, sizes[i]));
    }
  }

  private allFloat32(...xs: (TensorInfo | null)[]): boolean {
    return xs.every((x) => x === null || x.dtype === 'float32');
  }

  lstmSequence(xProj: TensorInfo, h0: TensorInfo, c0: TensorInfo, recurrentKernel: TensorInfo,
    mask: TensorInfo | null, dropMask: TensorInfo | null): DataId | null {
    if (!this.allFloat32(xProj, h0, c0, recurrentKernel, mask, dropMask)) return null;
    const [batch, steps] = xProj.shape, u = h0.shape[1];
    const out = this.b.allocate('float32', batch * steps * 7 * u);
    if (batch * steps * u === 0) return out;
    const { per, chunks, parallel } = this.split(batch, u, steps, 4);
    const U = this.ptr(recurrentKernel);
    this.withPacked(U, [[0, 4 * u, 1, u, 4 * u]], ([Up]) => this.withScratch(dropMask ? batch * u : 0, (work) => {
      const args = this.b.args([this.ptr(xProj), this.ptr(h0), this.ptr(c0), U, this.ptr(mask),
        out.ptr, batch, steps, u, per, this.ptr(dropMask), work, Up]);
      this.b.run(TASK_LSTM_SEQ, args, chunks, parallel);
    }));
    return out;
  }

  lstmSequenceGrad(record: TensorInfo, c0: TensorInfo, recurrentKernel: TensorInfo, mask: TensorInfo | null,
    dRecord: TensorInfo, dropMask: TensorInfo | null): DataId | null {
    if (!this.allFloat32(record, c0, recurrentKernel, mask, dRecord, dropMask)) return null;
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
      const { per, chunks, parallel } = this.split(batch, u, steps, 4);
      const U = this.ptr(recurrentKernel);
      this.withPacked(U, [[0, 1, 4 * u, 4 * u, u]], ([Ut]) => {
        const args = this.b.args([this.ptr(record), this.ptr(c0), U, this.ptr(mask),
          this.ptr(dRecord), out.ptr, out.ptr + zSize * 4, out.ptr + (zSize + batch * u) * 4, dy, batch, steps, u, per,
          this.ptr(dropMask), Ut]);
        this.b.run(TASK_LSTM_SEQ_GRAD, args, chunks, parallel);
      });
    } finally {
      this.b.heap.release(dy, dyBytes);
    }
    return out;
  }

  // ---- whole-sequence SimpleRNN and GRU (tasks 102-105) ----

  /** Runs `task` with a zeroed scratch block of `floats` float32s of the heap (per-row work areas, carries). */
  private withScratch(floats: number, body: (ptr: number) => void): void {
    const bytes = Math.max(4, floats * 4);
    const ptr = this.b.heap.alloc(bytes);
    try {
      new Float32Array(this.b.k.memory.buffer, ptr, floats).fill(0);
      body(ptr);
    } finally {
      this.b.heap.release(ptr, bytes);
    }
  }

  simpleRnnSequence(xProj: TensorInfo, h0: TensorInfo, recurrentKernel: TensorInfo, mask: TensorInfo | null,
    dropMask: TensorInfo | null, activation: RecurrentActivation): DataId | null {
    if (!this.allFloat32(xProj, h0, recurrentKernel, mask, dropMask)) return null;
    const [batch, steps] = xProj.shape, u = h0.shape[1];
    const out = this.b.allocate('float32', batch * steps * 2 * u);
    if (batch * steps * u === 0) return out;
    const { per, chunks, parallel } = this.split(batch, u, steps, 1);
    const U = this.ptr(recurrentKernel);
    this.withPacked(U, [[0, u, 1, u, u]], ([Up]) => this.withScratch(dropMask ? batch * u : 0, (work) => {
      const args = this.b.args([this.ptr(xProj), this.ptr(h0), U, this.ptr(mask), this.ptr(dropMask),
        out.ptr, work, batch, steps, u, per, ACT[activation], Up]);
      this.b.run(TASK_RNN_SEQ, args, chunks, parallel);
    }));
    return out;
  }

  simpleRnnSequenceGrad(record: TensorInfo, recurrentKernel: TensorInfo, mask: TensorInfo | null,
    dropMask: TensorInfo | null, dRecord: TensorInfo, activation: RecurrentActivation): DataId | null {
    if (!this.allFloat32(record, recurrentKernel, mask, dropMask, dRecord)) return null;
    const [batch, steps] = record.shape, u = recurrentKernel.shape[0];
    const zSize = batch * steps * u;
    const out = this.b.allocate('float32', zSize + batch * u);
    (this.b.view(out) as Float32Array).fill(0, zSize);
    if (zSize === 0) return out;
    const { per, chunks, parallel } = this.split(batch, u, steps, 1);
    const U = this.ptr(recurrentKernel);
    this.withPacked(U, [[0, 1, u, u, u]], ([Ut]) => this.withScratch(2 * batch * u, (dy) => {
      const args = this.b.args([this.ptr(record), U, this.ptr(mask), this.ptr(dropMask),
        this.ptr(dRecord), out.ptr, out.ptr + zSize * 4, dy, dy + batch * u * 4, batch, steps, u, per, ACT[activation], Ut]);
      this.b.run(TASK_RNN_SEQ_GRAD, args, chunks, parallel);
    }));
    return out;
  }

  gruSequence(xProj: TensorInfo, h0: TensorInfo, recurrentKernel: TensorInfo, recurrentBias: TensorInfo | null,
    mask: TensorInfo | null, dropMask: TensorInfo | null, resetAfter: boolean): DataId | null {
    if (!this.allFloat32(xProj, h0, recurrentKernel, recurrentBias, mask, dropMask)) return null;
    const [batch, steps] = xProj.shape, u = h0.shape[1];
    const out = this.b.allocate('float32', batch * steps * 6 * u);
    if (batch * steps * u === 0) return out;
    const { per, chunks, parallel } = this.split(batch, u, steps, 3);
    const U = this.ptr(recurrentKernel);
    // resetAfter: all of U in one product; otherwise its z,r blocks and its candidate block apart
    const mats = resetAfter ? [[0, 3 * u, 1, u, 3 * u] as const]
      : [[0, 3 * u, 1, u, 2 * u] as const, [2 * u, 3 * u, 1, u, u] as const];
    this.withPacked(U, mats, ([Pa, Pb]) => this.withScratch(batch * 4 * u, (work) => {
      const args = this.b.args([this.ptr(xProj), this.ptr(h0), U, this.ptr(recurrentBias),
        this.ptr(mask), this.ptr(dropMask), out.ptr, work, batch, steps, u, per, resetAfter ? 1 : 0, Pa, Pb ?? 0]);
      this.b.run(TASK_GRU_SEQ, args, chunks, parallel);
    }));
    return out;
  }

  gruSequenceGrad(record: TensorInfo, h0: TensorInfo, recurrentKernel: TensorInfo, mask: TensorInfo | null,
    dropMask: TensorInfo | null, dRecord: TensorInfo, resetAfter: boolean): DataId | null {
    if (!this.allFloat32(record, h0, recurrentKernel, mask, dropMask, dRecord)) return null;
    const [batch, steps] = record.shape, u = h0.shape[1];
    const zSize = batch * steps * 3 * u;
    const out = this.b.allocate('float32', zSize + batch * u);
    (this.b.view(out) as Float32Array).fill(0, zSize);
    if (zSize === 0) return out;
    const { per, chunks, parallel } = this.split(batch, u, steps, 3);
    const U = this.ptr(recurrentKernel);
    // the transposes of the forward's operands: U^T whole, or (U_zr)^T (2u x u) and (U_h)^T (u x u)
    const mats = resetAfter ? [[0, 1, 3 * u, 3 * u, u] as const]
      : [[0, 1, 3 * u, 2 * u, u] as const, [2 * u, 1, 3 * u, u, u] as const];
    this.withPacked(U, mats, ([Pa, Pb]) => this.withScratch(batch * u + batch * 5 * u, (dy) => {
      const args = this.b.args([this.ptr(record), this.ptr(h0), U, this.ptr(mask), this.ptr(dropMask),
        this.ptr(dRecord), out.ptr, out.ptr + zSize * 4, dy, dy + batch * u * 4, batch, steps, u, per, resetAfter ? 1 : 0,
        Pa, Pb ?? 0]);
      this.b.run(TASK_GRU_SEQ_GRAD, args, chunks, parallel);
    }));
    return out;
  }
}
