/**
 * Recurrent area of the webgpu backend: lstmSequence, gruSequence, simpleRnnSequence and their
 * back propagation through time, each one dispatch of the persistent kernels of
 * kernels/recurrent.ts (every time step inside it, no readback). The input projection of all the
 * steps is the op's one matMul (the GEMM kernel), and the recurrent kernel's gradient the op's
 * matMul of h_{t-1} and dz; these kernels do the recurrence.
 *
 * Float32 only; other dtypes, and empty sequences, run the reference kernel (named as fallbacks).
 *
 */
import type { DataId, RecurrentActivation, TensorInfo } from '../types.js';
import { sizeFromShape } from '../shape_util.js';
import type { GpuData } from './buffers.js';
import { elementFrame, grid } from './elementwise.js';
import type { WebGpuBackend } from './backend.js';
import {
  gruBackwardProgram, gruForwardProgram, lstmBackwardProgram, lstmForwardProgram, simpleRnnBackwardProgram,
  simpleRnnForwardProgram, type RecurrentProgram, type RecurrentShape,
} from './kernels/recurrent.js';

type Maybe = TensorInfo | null | undefined;

/** The reason the GPU kernel cannot take these inputs, or null. */
function refuse(xs: readonly Maybe[], batch: number, steps: number, units: number): string | null {
  const bad = xs.find((x) => x && x.dtype !== 'float32');
  if (bad) return bad.dtype;
  if (batch === 0 || steps === 0 || units === 0) return 'empty';
  return null;
}

function shapeOf(batch: number, steps: number, units: number, mask: Maybe, drop: Maybe,
  extra: Partial<RecurrentShape> = {}): RecurrentShape {
  return { batch, steps, units, mask: !!mask, drop: !!drop, ...extra };
}

/**
 * Runs `prog` over `reads` (a null: an absent optional input), then the mask and the dropout
 * mask, into a new float32 output of `outSize`, with a scratch buffer of `scratch` floats after
 * it when asked. Absent inputs are bound to a one-word placeholder (the uniforms' flags say the
 * kernel must not read it), so that the pipeline is the same with and without them.
 */
function launch(be: WebGpuBackend, prog: RecurrentProgram, reads: readonly (TensorInfo | null)[], mask: Maybe,
  drop: Maybe, outSize: number, scratch = 0): DataId {
  const out = be.allocFloat32(outSize);
  const temporaries: GpuData[] = [];
  const temp = (n: number): GpuData => {
    const d = be.allocFloat32(n);
    temporaries.push(d);
    return d;
  };
  const ins = [...reads, mask ?? null, drop ?? null].map((x) => (x ? x.dataId as GpuData : temp(1)));
  be.run(prog.code, [...ins, out, ...(scratch > 0 ? [temp(scratch)] : [])], prog.workgroups, prog.uniforms);
  // back to the pool: later commands that reuse them run after this one on the queue
  for (const d of temporaries) be.decRef(d);
  return out;
}

/** K [rows, cols] as KT [cols, rows] on the GPU (the backward kernels read it by columns). */
function transposed(be: WebGpuBackend, k: TensorInfo): TensorInfo {
  return { dataId: be.transpose(k, [1, 0]), shape: [k.shape[1], k.shape[0]], dtype: 'float32' };
}

export const recurrentKernels = {
  lstmSequence(this: WebGpuBackend, xProj: TensorInfo, h0: TensorInfo, c0: TensorInfo, recurrentKernel: TensorInfo,
    mask: TensorInfo | null, dropMask: TensorInfo | null = null): DataId {
    const [batch, steps] = xProj.shape, u = h0.shape[1];
    const why = refuse([xProj, h0, c0, recurrentKernel, mask, dropMask], batch, steps, u);
    if (why) return this.reference('lstmSequence', `lstmSequence (${why})`, xProj, h0, c0, recurrentKernel, mask, dropMask);
    return launch(this, lstmForwardProgram(shapeOf(batch, steps, u, mask, dropMask)), [xProj, h0, c0, recurrentKernel],
      mask, dropMask, batch * steps * 7 * u);
  },

  lstmSequenceGrad(this: WebGpuBackend, record: TensorInfo, c0: TensorInfo, recurrentKernel: TensorInfo,
    mask: TensorInfo | null, dRecord: TensorInfo, dropMask: TensorInfo | null = null): DataId {
    const [batch, steps] = record.shape, u = c0.shape[1];
    const why = refuse([record, c0, recurrentKernel, mask, dRecord, dropMask], batch, steps, u);
    if (why) {
      return this.reference('lstmSequenceGrad', `lstmSequenceGrad (${why})`, record, c0, recurrentKernel, mask, dRecord, dropMask);
    }
    const kt = transposed(this, recurrentKernel);
    const out = launch(this, lstmBackwardProgram(shapeOf(batch, steps, u, mask, dropMask)), [record, c0, kt, dRecord],
      mask, dropMask, batch * steps * 4 * u + 2 * batch * u, 3 * batch * u);
    this.decRef(kt.dataId);
    return out;
  },

  simpleRnnSequence(this: WebGpuBackend, xProj: TensorInfo, h0: TensorInfo, recurrentKernel: TensorInfo,
    mask: TensorInfo | null, dropMask: TensorInfo | null, activation: RecurrentActivation): DataId {
    const [batch, steps] = xProj.shape, u = h0.shape[1];
    const why = refuse([xProj, h0, recurrentKernel, mask, dropMask], batch, steps, u);
    if (why) {
      return this.reference('simpleRnnSequence', `simpleRnnSequence (${why})`, xProj, h0, recurrentKernel, mask, dropMask,
        activation);
    }
    return launch(this, simpleRnnForwardProgram(shapeOf(batch, steps, u, mask, dropMask, { activation })),
      [xProj, h0, recurrentKernel], mask, dropMask, batch * steps * 2 * u);
  },

  simpleRnnSequenceGrad(this: WebGpuBackend, record: TensorInfo, recurrentKernel: TensorInfo, mask: TensorInfo | null,
    dropMask: TensorInfo | null, dRecord: TensorInfo, activation: RecurrentActivation): DataId {
    const [batch, steps] = record.shape, u = recurrentKernel.shape[0];
    const why = refuse([record, recurrentKernel, mask, dropMask, dRecord], batch, steps, u);
    if (why) {
      return this.reference('simpleRnnSequenceGrad', `simpleRnnSequenceGrad (${why})`, record, recurrentKernel, mask,
        dropMask, dRecord, activation);
    }
    const kt = transposed(this, recurrentKernel);
    const out = launch(this, simpleRnnBackwardProgram(shapeOf(batch, steps, u, mask, dropMask, { activation })),
      [record, kt, dRecord], mask, dropMask, batch * steps * u + batch * u, 2 * batch * u);
    this.decRef(kt.dataId);
    return out;
  },

  gruSequence(this: WebGpuBackend, xProj: TensorInfo, h0: TensorInfo, recurrentKernel: TensorInfo,
    recurrentBias: TensorInfo | null, mask: TensorInfo | null, dropMask: TensorInfo | null, resetAfter: boolean): DataId {
    const [batch, steps] = xProj.shape, u = h0.shape[1];
    const why = refuse([xProj, h0, recurrentKernel, recurrentBias, mask, dropMask], batch, steps, u);
    if (why) {
      return this.reference('gruSequence', `gruSequence (${why})`, xProj, h0, recurrentKernel, recurrentBias, mask,
        dropMask, resetAfter);
    }
    // the bias goes with resetAfter only (the op checks); without resetAfter it would be ignored
    const bias = resetAfter && recurrentBias !== null;
    return launch(this, gruForwardProgram(shapeOf(batch, steps, u, mask, dropMask, { bias }), resetAfter),
      [xProj, h0, recurrentKernel, ...(resetAfter ? [bias ? recurrentBias : null] : [])], mask, dropMask,
      batch * steps * 6 * u);
  },

  gruSequenceGrad(this: WebGpuBackend, record: TensorInfo, h0: TensorInfo, recurrentKernel: TensorInfo,
    mask: TensorInfo | null, dropMask: TensorInfo | null, dRecord: TensorInfo, resetAfter: boolean): DataId {
    const [batch, steps] = record.shape, u = h0.shape[1];
    const why = refuse([record, h0, recurrentKernel, mask, dropMask, dRecord], batch, steps, u);
    if (why) {
      return this.reference('gruSequenceGrad', `gruSequenceGrad (${why})`, record, h0, recurrentKernel, mask, dropMask,
        dRecord, resetAfter);
    }
    const kt = transposed(this, recurrentKernel);
    const out = launch(this, gruBackwardProgram(shapeOf(batch, steps, u, mask, dropMask), resetAfter),
      [record, h0, kt, dRecord], mask, dropMask, batch * steps * 3 * u + batch * u, 3 * batch * u);
    this.decRef(kt.dataId);
    return out;
  },
};
