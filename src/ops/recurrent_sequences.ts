/**
 * Recurrent area: a whole SimpleRNN or GRU sequence as one op, as lstmSequence is for the LSTM.
 * The input projection x W + b of every step is the caller's one matMul; the op runs the
 * recurrence of all the steps in one backend call, and its backward rule is back propagation
 * through time in one call plus one or two matMuls for the recurrent kernel's gradient.
 */
import { Tensor } from '../tensor/tensor.js';
import type { RecurrentActivation } from '../backend/types.js';
import { assertFloat, convert, runOp, wrap, type TensorInput } from './op.js';
import { mul } from './arithmetic.js';
import { sum } from './reduce.js';
import { concat, slice } from './slicing.js';
import { matMul } from './matmul.js';
import { dropoutMask, dropped, sequenceMask } from './recurrent_sequence.js';

const ACTIVATIONS: readonly RecurrentActivation[] = ['tanh', 'relu', 'linear'];

function fits(t: Tensor, shape: number[]): boolean {
  return t.rank === shape.length && t.shape.every((d, i) => d === shape[i]);
}

/** h_{t-1} of every step [batch, T, u]: h0, then the states of steps 0 .. T-2 (at `hAt` in the record). */
function previousStates(h0: Tensor, rec: Tensor, hAt: number, u: number): Tensor {
  const [batch, steps] = rec.shape;
  const first = h0.reshape([batch, 1, u]);
  return steps === 1 ? first : concat([first, slice(rec, [0, 0, hAt], [batch, steps - 1, u])], 1);
}

/** a^T b over all rows of [batch, T, m] and [batch, T, n]: [m, n] */
function rowsProduct(a: Tensor, b: Tensor): Tensor {
  const rows = a.shape[0] * a.shape[1];
  return matMul(a.reshape([rows, a.shape[2]]), b.reshape([rows, b.shape[2]]), true, false);
}

/**
 * Runs a SimpleRNN h_t = act(xProj_t + h_{t-1} U) over every step of a sequence: xProj
 * [batch, T, u] holds x_t W + b, h0 [batch, u] the starting state, recurrentKernel [u, u];
 * activation 'tanh' (default), 'relu' or 'linear'. mask [batch, T] (optional; nonzero or true =
 * real step) makes a padded step keep h and the output (0 before the first real step, as Keras).
 * recurrentDropoutMask [batch, u] (optional, not differentiated) multiplies h_{t-1} before the
 * recurrent product at every step. Returns [outputs [batch, T, u], h [batch, u]].
 * Differentiable in xProj, h0 and recurrentKernel.
 *
 * @example
 * ```ts
 * const [ys, h] = st.simpleRnnSequence(st.ones([1, 3, 2]), st.zeros([1, 2]), st.eye(2));
 * console.log(ys.shape, h.shape); // [1, 3, 2] [1, 2]
 * ```
 */
export function simpleRnnSequence(xProj: TensorInput, h0: TensorInput, recurrentKernel: TensorInput,
  mask?: TensorInput | null, recurrentDropoutMask?: TensorInput | null,
  activation: RecurrentActivation = 'tanh'): [Tensor, Tensor] {
  const op = 'simpleRnnSequence';
  const xp = convert(xProj, op, 'xProj');
  assertFloat(op, xp, 'xProj');
  const h = convert(h0, op, 'h0', xp.dtype);
  const k = convert(recurrentKernel, op, 'recurrentKernel', xp.dtype);
  const u = k.rank === 2 ? k.shape[0] : -1;
  const [batch, steps] = xp.shape;
  if (xp.rank !== 3 || u < 0 || !fits(k, [u, u]) || xp.shape[2] !== u || !fits(h, [batch, u]) ||
    h.dtype !== xp.dtype || k.dtype !== xp.dtype) {
    throw new Error(`${op}: expected xProj [batch, T, u], h0 [batch, u], recurrentKernel [u, u] of one float dtype, ` +
      `got xProj [${xp.shape}] ${xp.dtype}, h0 [${h.shape}] ${h.dtype}, recurrentKernel [${k.shape}] ${k.dtype}`);
  }
  if (!ACTIVATIONS.includes(activation)) {
    throw new Error(`${op}: expected activation ${ACTIVATIONS.map((a) => `'${a}'`).join(', ')}, got ${JSON.stringify(activation)}`);
  }
  const m = sequenceMask(op, mask, batch, steps, xp.dtype);
  const dm = dropoutMask(op, recurrentDropoutMask, batch, u, xp.dtype);
  const record = runOp(op, [xp, h, k], (be, [xs, hs, ks]) =>
    wrap(be, be.simpleRnnSequence(xs, hs, ks, m, dm, activation), [batch, steps, 2 * u], xs.dtype),
  (dRecord, [, hs, ks], rec) => {
    const be = rec.backend;
    const zSize = batch * steps * u;
    const flat = wrap(be, be.simpleRnnSequenceGrad(rec, ks, m, dm, dRecord, activation), [zSize + batch * u], rec.dtype);
    const dz = slice(flat, [0], [zSize]).reshape([batch, steps, u]);
    const dh0 = slice(flat, [zSize], [batch * u]).reshape([batch, u]);
    return [dz, dh0, rowsProduct(dropped(previousStates(hs, rec, 0, u), dm), dz)];
  });
  const outputs = slice(record, [0, 0, u], [batch, steps, u]);
  return [outputs, slice(record, [0, steps - 1, 0], [batch, 1, u]).reshape([batch, u])];
}

/**
 * Runs a GRU (sigmoid gates, tanh; Keras' formulas, gates z, r, h) over every step of a
 * sequence: xProj [batch, T, 3u] holds x_t W + b (the input bias), h0 [batch, u],
 * recurrentKernel [u, 3u]. resetAfter (Keras 3's and TensorFlow.js' GRU layer default) applies
 * the reset gate after the recurrent product, which then takes recurrentBias [3u] (or null);
 * without it the reset gate multiplies h before the candidate's product and recurrentBias must
 * be null. mask and recurrentDropoutMask as simpleRnnSequence's.
 * Returns [outputs [batch, T, u], h [batch, u]]. Differentiable in xProj, h0, recurrentKernel
 * and recurrentBias.
 *
 * @example
 * ```ts
 * const [ys, h] = st.gruSequence(st.ones([2, 3, 6]), st.zeros([2, 2]), st.zeros([2, 6]), null, true);
 * console.log(ys.shape, h.shape); // [2, 3, 2] [2, 2]
 * ```
 */
export function gruSequence(xProj: TensorInput, h0: TensorInput, recurrentKernel: TensorInput,
  recurrentBias: TensorInput | null, resetAfter: boolean, mask?: TensorInput | null,
  recurrentDropoutMask?: TensorInput | null): [Tensor, Tensor] {
  const op = 'gruSequence';
  const xp = convert(xProj, op, 'xProj');
  assertFloat(op, xp, 'xProj');
  const h = convert(h0, op, 'h0', xp.dtype);
  const k = convert(recurrentKernel, op, 'recurrentKernel', xp.dtype);
  const rb = recurrentBias === null || recurrentBias === undefined ? null : convert(recurrentBias, op, 'recurrentBias', xp.dtype);
  const u = k.rank === 2 ? k.shape[0] : -1;
  const [batch, steps] = xp.shape;
  if (xp.rank !== 3 || u < 0 || !fits(k, [u, 3 * u]) || xp.shape[2] !== 3 * u || !fits(h, [batch, u]) ||
    h.dtype !== xp.dtype || k.dtype !== xp.dtype || (rb !== null && (!fits(rb, [3 * u]) || rb.dtype !== xp.dtype))) {
    throw new Error(`${op}: expected xProj [batch, T, 3u], h0 [batch, u], recurrentKernel [u, 3u] and recurrentBias ` +
      `[3u] or null, of one float dtype, got xProj [${xp.shape}] ${xp.dtype}, h0 [${h.shape}] ${h.dtype}, ` +
      `recurrentKernel [${k.shape}] ${k.dtype}, recurrentBias ${rb === null ? 'null' : `[${rb.shape}] ${rb.dtype}`}`);
  }
  if (rb !== null && !resetAfter) {
    throw new Error(`${op}: a recurrent bias goes with resetAfter true (Keras' GRU without resetAfter has none), got one with resetAfter false`);
  }
  const m = sequenceMask(op, mask, batch, steps, xp.dtype);
  const dm = dropoutMask(op, recurrentDropoutMask, batch, u, xp.dtype);
  const inputs = rb === null ? [xp, h, k] : [xp, h, k, rb];
  const record = runOp(op, inputs, (be, [xs, hs, ks, bs]) =>
    wrap(be, be.gruSequence(xs, hs, ks, bs ?? null, m, dm, resetAfter), [batch, steps, 6 * u], xs.dtype),
  (dRecord, [, hs, ks], rec) => {
    const be = rec.backend;
    const zSize = batch * steps * 3 * u;
    const flat = wrap(be, be.gruSequenceGrad(rec, hs, ks, m, dm, dRecord, resetAfter), [zSize + batch * u], rec.dtype);
    const dxp = slice(flat, [0], [zSize]).reshape([batch, steps, 3 * u]);
    const dh0 = slice(flat, [zSize], [batch * u]).reshape([batch, u]);
    const hd = dropped(previousStates(hs, rec, 4 * u, u), dm);
    const r = slice(rec, [0, 0, u], [batch, steps, u]);
    const dzr = slice(dxp, [0, 0, 0], [batch, steps, 2 * u]);
    const dc = slice(dxp, [0, 0, 2 * u], [batch, steps, u]);
    if (resetAfter) {
      // the recurrent product's gradient: the candidate's block goes through the reset gate
      const dhp = concat([dzr, mul(dc, r)], 2);
      const grads = [dxp, dh0, rowsProduct(hd, dhp)];
      return rb === null ? grads : [...grads, sum(dhp.reshape([batch * steps, 3 * u]), 0)];
    }
    return [dxp, dh0, concat([rowsProduct(hd, dzr), rowsProduct(mul(r, hd), dc)], 1)];
  });
  const outputs = slice(record, [0, 0, 5 * u], [batch, steps, u]);
  return [outputs, slice(record, [0, steps - 1, 4 * u], [batch, 1, u]).reshape([batch, u])];
}
