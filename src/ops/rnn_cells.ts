/**
 * TensorFlow.js' core-API LSTM cell functions, composed of ops (so differentiable in every
 * argument): basicLSTMCell, one step of TensorFlow's BasicLSTMCell, and multiRNNCell, a stack of
 * such steps where each cell's new h feeds the next.
 */
import { Tensor } from '../tensor/tensor.js';
import { assertFloat, convert, type TensorInput } from './op.js';
import { add, mul, sigmoid, tanh } from './arithmetic.js';
import { matMul } from './matmul.js';
import { concat, slice } from './slicing.js';

/** One step of a cell: (data, c, h) -> [newC, newH]. */
export type LSTMCellFunc = (data: Tensor, c: Tensor, h: Tensor) => [Tensor, Tensor];

/**
 * One LSTM step in TensorFlow's BasicLSTMCell layout: [data, h] lstmKernel + lstmBias split into
 * the gates (i, j, f, o) (input, new input, forget, output), then
 * newC = c * sigmoid(f + forgetBias) + sigmoid(i) * tanh(j) and newH = tanh(newC) * sigmoid(o).
 * data [batch, inputSize], c and h [batch, units], lstmKernel [inputSize + units, 4 * units],
 * lstmBias [4 * units]. Returns [newC, newH].
 *
 * @example
 * ```ts
 * const units = 2, inputs = 3;
 * const kernel = st.randomNormal([inputs + units, 4 * units], 0, 0.1, 'float32', 1);
 * const [c, h] = st.basicLSTMCell(st.scalar(1), kernel, st.zeros([4 * units]), st.ones([1, inputs]), st.zeros([1, units]), st.zeros([1, units]));
 * h.print();
 * ```
 */
export function basicLSTMCell(
  forgetBias: TensorInput, lstmKernel: TensorInput, lstmBias: TensorInput, data: TensorInput, c: TensorInput, h: TensorInput,
): [Tensor, Tensor] {
  const op = 'basicLSTMCell';
  const x = convert(data, op, 'data');
  assertFloat(op, x, 'data');
  const cs = convert(c, op, 'c', x.dtype);
  const hs = convert(h, op, 'h', x.dtype);
  const kernel = convert(lstmKernel, op, 'lstmKernel', x.dtype);
  const bias = convert(lstmBias, op, 'lstmBias', x.dtype);
  const fb = convert(forgetBias, op, 'forgetBias', x.dtype);
  if (x.rank !== 2 || cs.rank !== 2 || hs.rank !== 2) {
    throw new Error(`${op}: expected data [batch, inputSize], c and h [batch, units], got data [${x.shape}], ` +
      `c [${cs.shape}], h [${hs.shape}]`);
  }
  const units = hs.shape[1];
  if (kernel.rank !== 2 || kernel.shape[0] !== x.shape[1] + units || kernel.shape[1] !== 4 * units) {
    throw new Error(`${op}: expected lstmKernel [inputSize + units, 4 * units] = [${x.shape[1] + units}, ${4 * units}], ` +
      `got [${kernel.shape}]`);
  }
  const z = add(matMul(concat([x, hs], 1), kernel), bias);
  const batch = z.shape[0];
  const gate = (k: number) => slice(z, [0, k * units], [batch, units]);
  const newC = add(mul(sigmoid(gate(0)), tanh(gate(1))), mul(cs, sigmoid(add(fb, gate(2)))));
  const newH = mul(tanh(newC), sigmoid(gate(3)));
  return [newC, newH];
}

/**
 * Runs a stack of LSTM cells for one step: cell k gets the previous cell's new h as its data
 * (the first gets `data`) and its own state c[k], h[k]. Returns [newCs, newHs].
 *
 * @example
 * ```ts
 * const kernel = st.randomNormal([3 + 2, 8], 0, 0.1, 'float32', 1);
 * const cell = (data: st.Tensor, c: st.Tensor, h: st.Tensor) => st.basicLSTMCell(st.scalar(1), kernel, st.zeros([8]), data, c, h);
 * const [cs, hs] = st.multiRNNCell([cell], st.ones([1, 3]), [st.zeros([1, 2])], [st.zeros([1, 2])]);
 * hs[0].print();
 * ```
 */
export function multiRNNCell(
  lstmCells: LSTMCellFunc[], data: TensorInput, c: TensorInput[], h: TensorInput[],
): [Tensor[], Tensor[]] {
  const op = 'multiRNNCell';
  if (!Array.isArray(lstmCells) || !lstmCells.every((f) => typeof f === 'function')) {
    throw new Error(`${op}: lstmCells must be an array of functions (data, c, h) => [c, h]`);
  }
  if (!Array.isArray(c) || !Array.isArray(h) || c.length < lstmCells.length || h.length < lstmCells.length) {
    throw new Error(`${op}: expected one c and one h per cell (${lstmCells.length} cells), ` +
      `got ${Array.isArray(c) ? c.length : typeof c} c and ${Array.isArray(h) ? h.length : typeof h} h`);
  }
  let input = convert(data, op, 'data');
  const newC: Tensor[] = [];
  const newH: Tensor[] = [];
  lstmCells.forEach((cell, k) => {
    const [ck, hk] = cell(input, convert(c[k], op, `c[${k}]`, input.dtype), convert(h[k], op, `h[${k}]`, input.dtype));
    newC.push(ck);
    newH.push(hk);
    input = hk;
  });
  return [newC, newH];
}
