/**
 * One time step of SimpleRNN, LSTM and GRU (the formulas that the cell layers in rnn_cells.ts
 * and so the SimpleRNN, LSTM and GRU layers run), in Keras 3's formulas and weight layouts, so that
 * Keras weights load unchanged and parameter counts agree:
 *
 * - SimpleRNN: kernel [in, u], recurrent_kernel [u, u], bias [u];
 *   h = act(x W + h U + b).
 * - LSTM: kernel [in, 4u], recurrent_kernel [u, 4u], bias [4u], gates in the order (i, f, c, o);
 *   i = σ(x Wi + h Ui + bi), f = σ(...), c̃ = act(...), o = σ(...);
 *   c = f * c + i * c̃; h = o * act(c).
 * - ConvLSTM2D: the LSTM with convolutions for the products (ConvLSTMStep below).
 * - GRU: kernel [in, 3u], recurrent_kernel [u, 3u], gates in the order (z, r, h). With
 *   `resetAfter` (Keras 3's default) bias is [2, 3u] (row 0 input bias, row 1 recurrent bias):
 *   z = σ(x Wz + bz + h Uz + b'z), r = σ(...), h̃ = act(x Wh + bh + r * (h Uh + b'h));
 *   without it bias is [3u] and h̃ = act(x Wh + bh + (r * h) Uh). Then h = z * h + (1 - z) * h̃.
 *
 * The input projection `x W + b` does not depend on the state, so the layer computes it for all
 * time steps in one matrix product and hands each step its slice (`xProj`, [batch, gates * u]).
 * σ is the layer's `recurrentActivation` (sigmoid by default), act its `activation` (tanh).
 */
import { Tensor } from '../../tensor/tensor.js';
import { add, conv2d, lstmCell, matMul, mul, slice, sub } from '../../ops/index.js';
import type { Activation } from '../activations.js';

export interface CellWeights {
  kernel: Tensor;
  recurrentKernel: Tensor;
  bias?: Tensor;
}

export interface Cell {
  /** how many blocks of `units` columns the kernels have (1, 4 or 3) */
  readonly gates: number;
  /** how many state tensors ([batch, units] each) the cell carries: [h] or [h, c] */
  readonly stateCount: number;
  /** the bias added to the input projection x W, or undefined */
  inputBias(w: CellWeights): Tensor | undefined;
  /**
   * One step: `xProj` is x_t W + inputBias ([batch, gates * units]), `states` the previous
   * states, `hForRecurrence` h_{t-1} after recurrent dropout (h_{t-1} itself without).
   * Returns [output, newStates].
   */
  step(xProj: Tensor, states: Tensor[], hForRecurrence: Tensor, w: CellWeights): [Tensor, Tensor[]];
}

/** columns [k * units, (k + n) * units) of a [rows, gates * units] tensor */
function gateColumns(x: Tensor, k: number, units: number, n = 1): Tensor {
  return slice(x, [0, k * units], [x.shape[0], n * units]);
}

export class SimpleRNNStep implements Cell {
  readonly gates = 1;
  readonly stateCount = 1;
  constructor(readonly units: number, readonly activation: Activation) {}

  inputBias(w: CellWeights): Tensor | undefined {
    return w.bias;
  }

  step(xProj: Tensor, _states: Tensor[], hRec: Tensor, w: CellWeights): [Tensor, Tensor[]] {
    const h = this.activation.apply(add(xProj, matMul(hRec, w.recurrentKernel)));
    return [h, [h]];
  }
}

export class LSTMStep implements Cell {
  readonly gates = 4;
  readonly stateCount = 2;
  constructor(readonly units: number, readonly activation: Activation, readonly recurrentActivation: Activation) {}

  inputBias(w: CellWeights): Tensor | undefined {
    return w.bias;
  }

  step(xProj: Tensor, states: Tensor[], hRec: Tensor, w: CellWeights): [Tensor, Tensor[]] {
    const [h, c] = this.gateOutputs(add(xProj, matMul(hRec, w.recurrentKernel)), states[1]);
    return [h, [h, c]];
  }

  /**
   * The gates from their pre-activations z = x W + h U + b ([rows, 4u], blocks i, f, c, o) and
   * the previous carry c ([rows, u]): returns [h, c], each [rows, u].
   */
  gateOutputs(z: Tensor, cPrev: Tensor): [Tensor, Tensor] {
    const u = this.units;
    if (this.activation.name === 'tanh' && this.recurrentActivation.name === 'sigmoid') {
      // the default activations: the gates, c and h as one op (one kernel on the wasm backend)
      return lstmCell(z, cPrev);
    }
    const i = this.recurrentActivation.apply(gateColumns(z, 0, u));
    const f = this.recurrentActivation.apply(gateColumns(z, 1, u));
    const cCandidate = this.activation.apply(gateColumns(z, 2, u));
    const o = this.recurrentActivation.apply(gateColumns(z, 3, u));
    const c = add(mul(f, cPrev), mul(i, cCandidate));
    return [mul(o, this.activation.apply(c)), c];
  }
}

/**
 * The ConvLSTM2D step (Shi et al. 2015, as Keras has it): the LSTM's gates with convolutions in
 * place of the products. xProj is conv2d(x_t, W) + b ([batch, rows, cols, 4f], the layer's
 * strides, padding and dilation); the recurrence is conv2d(h, U) with stride 1 and 'same'
 * padding, so h keeps the output's rows and cols. Kernel [kh, kw, in, 4f], recurrent_kernel
 * [kh, kw, f, 4f], bias [4f], gates in the order (i, f, c, o). The gates act on every pixel
 * alike, so they run as the LSTM's on [batch * rows * cols, 4f].
 */
export class ConvLSTMStep extends LSTMStep {
  override step(xProj: Tensor, states: Tensor[], hRec: Tensor, w: CellWeights): [Tensor, Tensor[]] {
    const z = add(xProj, conv2d(hRec, w.recurrentKernel, 1, 'same'));
    const [batch, rows, cols] = z.shape;
    const pixels = batch * rows * cols;
    const [h, c] = this.gateOutputs(z.reshape([pixels, 4 * this.units]), states[1].reshape([pixels, this.units]))
      .map((t) => t.reshape([batch, rows, cols, this.units]));
    return [h, [h, c]];
  }
}

export class GRUStep implements Cell {
  readonly gates = 3;
  readonly stateCount = 1;
  constructor(
    readonly units: number, readonly activation: Activation, readonly recurrentActivation: Activation,
    readonly resetAfter: boolean,
  ) {}

  /** [2, 3u] bias when resetAfter: row 0 goes with the input, row 1 with the recurrence */
  private biasRow(w: CellWeights, row: number): Tensor | undefined {
    if (!w.bias) return undefined;
    if (!this.resetAfter) return row === 0 ? w.bias : undefined;
    return slice(w.bias, [row, 0], [1, w.bias.shape[1]]).reshape([w.bias.shape[1]]);
  }

  inputBias(w: CellWeights): Tensor | undefined {
    return this.biasRow(w, 0);
  }

  step(xProj: Tensor, states: Tensor[], hRec: Tensor, w: CellWeights): [Tensor, Tensor[]] {
    const u = this.units;
    const hPrev = states[0];
    let zr: Tensor;
    let candidate: Tensor;
    if (this.resetAfter) {
      let hProj = matMul(hRec, w.recurrentKernel);
      const recurrentBias = this.biasRow(w, 1);
      if (recurrentBias) hProj = add(hProj, recurrentBias);
      zr = add(gateColumns(xProj, 0, u, 2), gateColumns(hProj, 0, u, 2));
      const r = this.recurrentActivation.apply(gateColumns(zr, 1, u));
      candidate = add(gateColumns(xProj, 2, u), mul(r, gateColumns(hProj, 2, u)));
    } else {
      const uzr = slice(w.recurrentKernel, [0, 0], [u, 2 * u]);
      const uh = slice(w.recurrentKernel, [0, 2 * u], [u, u]);
      zr = add(gateColumns(xProj, 0, u, 2), matMul(hRec, uzr));
      const r = this.recurrentActivation.apply(gateColumns(zr, 1, u));
      candidate = add(gateColumns(xProj, 2, u), matMul(mul(r, hRec), uh));
    }
    const z = this.recurrentActivation.apply(gateColumns(zr, 0, u));
    const hTilde = this.activation.apply(candidate);
    // h = z * h_prev + (1 - z) * h̃ = h̃ + z * (h_prev - h̃)
    const h = add(hTilde, mul(z, sub(hPrev, hTilde)));
    return [h, [h]];
  }
}
