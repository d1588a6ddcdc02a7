/**
 * Recurrent area: a whole LSTM sequence as one op. The input projection x W + b of every step
 * is the caller's one matMul; this op runs the recurrence of all the steps in one backend call
 * (`Backend.lstmSequence`), and its backward rule is back propagation through time in one call
 * (`Backend.lstmSequenceGrad`) plus one matMul for the recurrent kernel's gradient.
 */
import { Tensor } from '../tensor/tensor.js';
import type { DType } from '../backend/types.js';
import { assertFloat, convert, runOp, wrap, type TensorInput } from './op.js';
import { cast, mul, notEqual } from './arithmetic.js';
import { concat, slice } from './slicing.js';
import { matMul } from './matmul.js';

/**
 * Runs an LSTM with sigmoid gates and tanh over every step of a sequence.
 * xProj [batch, T, 4u] holds x_t W + b for each step (gate blocks i, f, c, o, Keras' order);
 * h0 and c0 [batch, u] are the starting states; recurrentKernel [u, 4u]; mask [batch, T]
 * (optional; nonzero or true = real step) makes a padded step keep c, h and the output, and the
 * output is 0 until the first real step (as Keras' masked LSTM). recurrentDropoutMask [batch, u]
 * (optional, not differentiated) multiplies h_{t-1} before the recurrent product at every step:
 * the one recurrent dropout mask per sequence that Keras draws (already scaled by 1 / (1 - rate)).
 * Returns [outputs [batch, T, u], h [batch, u], c [batch, u]] (the final states).
 * Differentiable in xProj, h0, c0 and recurrentKernel.
 *
 * @example
 * ```ts
 * const [ys, h, c] = st.lstmSequence(st.zeros([1, 3, 8]), st.zeros([1, 2]), st.zeros([1, 2]), st.zeros([2, 8]));
 * console.log(ys.shape, h.shape); // [1, 3, 2] [1, 2]
 * ```
 */
export function lstmSequence(xProj: TensorInput, h0: TensorInput, c0: TensorInput, recurrentKernel: TensorInput,
  mask?: TensorInput | null, recurrentDropoutMask?: TensorInput | null): [Tensor, Tensor, Tensor] {
  const op = 'lstmSequence';
  const xp = convert(xProj, op, 'xProj');
  assertFloat(op, xp, 'xProj');
  const h = convert(h0, op, 'h0', xp.dtype);
  const c = convert(c0, op, 'c0', xp.dtype);
  const k = convert(recurrentKernel, op, 'recurrentKernel', xp.dtype);
  const u = k.rank === 2 ? k.shape[0] : -1;
  const [batch, steps] = xp.shape;
  const fits = (t: Tensor, shape: number[]): boolean => t.rank === shape.length && t.shape.every((d, i) => d === shape[i]);
  if (xp.rank !== 3 || u < 0 || !fits(k, [u, 4 * u]) || xp.shape[2] !== 4 * u || !fits(h, [batch, u]) ||
    !fits(c, [batch, u]) || h.dtype !== xp.dtype || c.dtype !== xp.dtype || k.dtype !== xp.dtype) {
    throw new Error(`${op}: expected xProj [batch, T, 4u], h0 and c0 [batch, u], recurrentKernel [u, 4u] of one float ` +
      `dtype, got xProj [${xp.shape}] ${xp.dtype}, h0 [${h.shape}] ${h.dtype}, c0 [${c.shape}] ${c.dtype}, ` +
      `recurrentKernel [${k.shape}] ${k.dtype}`);
  }
  const m = sequenceMask(op, mask, batch, steps, xp.dtype);
  const dm = dropoutMask(op, recurrentDropoutMask, batch, u, xp.dtype);
  const record = runOp(op, [xp, h, c, k], (be, [xs, hs, cs, ks]) =>
    wrap(be, be.lstmSequence(xs, hs, cs, ks, m, dm), [batch, steps, 7 * u], xs.dtype),
  (dRecord, [, hs, cs, ks], rec) => {
    const be = rec.backend;
    const zSize = batch * steps * 4 * u;
    const flat = wrap(be, be.lstmSequenceGrad(rec, cs, ks, m, dRecord, dm), [zSize + 2 * batch * u], rec.dtype);
    const dz = slice(flat, [0], [zSize]).reshape([batch, steps, 4 * u]);
    const dh0 = slice(flat, [zSize], [batch * u]).reshape([batch, u]);
    const dc0 = slice(flat, [zSize + batch * u], [batch * u]).reshape([batch, u]);
    // h_{t-1} of every step: h0, then the states of steps 0 .. T-2
    const hPrev = steps === 1 ? hs.reshape([batch, 1, u]) :
      concat([hs.reshape([batch, 1, u]), slice(rec, [0, 0, 5 * u], [batch, steps - 1, u])], 1);
    const dk = matMul(dropped(hPrev, dm).reshape([batch * steps, u]), dz.reshape([batch * steps, 4 * u]), true, false);
    return [dz, dh0, dc0, dk];
  });
  const outputs = slice(record, [0, 0, 6 * u], [batch, steps, u]);
  const last = slice(record, [0, steps - 1, 4 * u], [batch, 1, 2 * u]).reshape([batch, 2 * u]);
  return [outputs, slice(last, [0, u], [batch, u]), slice(last, [0, 0], [batch, u])];
}

// ---- shared by the whole-sequence ops (recurrent_sequences.ts too) ----

/** The mask [batch, T] as 1 for a real step and 0 for padding, in `dtype` (what the kernels read); null without. */
export function sequenceMask(op: string, mask: TensorInput | null | undefined, batch: number, steps: number,
  dtype: DType): Tensor | null {
  if (mask === undefined || mask === null) return null;
  const mt = convert(mask, op, 'mask');
  const fits = mt.rank === 2 && mt.shape[0] === batch && mt.shape[1] === steps;
  if (!fits) throw new Error(`${op}: expected mask [${batch}, ${steps}] (batch, T), got [${mt.shape}]`);
  return cast(mt.dtype === 'bool' ? mt : notEqual(mt, 0), dtype);
}

/** The recurrent dropout mask [batch, u] in `dtype`; null without. */
export function dropoutMask(op: string, d: TensorInput | null | undefined, batch: number, u: number, dtype: DType): Tensor | null {
  if (d === undefined || d === null) return null;
  const t = convert(d, op, 'recurrentDropoutMask');
  if (t.rank !== 2 || t.shape[0] !== batch || t.shape[1] !== u) {
    throw new Error(`${op}: expected recurrentDropoutMask [${batch}, ${u}] (batch, units), got [${t.shape}]`);
  }
  return cast(t, dtype);
}

/** h [batch, T, u] times the dropout mask [batch, u] at every step (h itself without a mask). */
export function dropped(h: Tensor, dm: Tensor | null): Tensor {
  return dm === null ? h : mul(h, dm.reshape([dm.shape[0], 1, dm.shape[1]]));
}
