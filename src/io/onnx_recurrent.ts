/**
 * SimpleRNN, LSTM and GRU as ONNX's RNN, LSTM and GRU ops. The differences bridged here:
 * - ONNX wants time first ([steps, batch, features]); striate is batch first: Transposes around it.
 * - Gate order: for LSTM Keras/striate stack the kernels' column blocks as (i, f, c, o), ONNX's
 *   W, R and B stack rows as (i, o, f, c); GRU's (z, r, h) is the same in both. Kernels are also
 *   transposed ([in, gates * u] -> [gates * u, in]).
 * - ONNX adds an input bias Wb and a recurrent bias Rb: Keras' LSTM and SimpleRNN bias (and a GRU's
 *   without resetAfter) is Wb with Rb zeros; a resetAfter GRU's [2, 3u] bias is exactly [Wb; Rb],
 *   and ONNX's linear_before_reset = 1 is Keras' resetAfter (r applied after h U + Rb).
 * - goBackwards: striate reverses the steps and returns the outputs in that reversed order, which
 *   is a forward LSTM over the reversed sequence (ONNX's 'reverse' direction would put the
 *   outputs back in input order), so the input is reversed with a Slice of step -1.
 */
import type { Shape } from '../nn/layer.js';
import { GRU, LSTM, type RNN } from '../nn/layers/recurrent.js';
import type { GraphBuilder, Value } from './onnx_graph.js';

/** ONNX row block k holds Keras column block BLOCKS[k]; for LSTM i <- i, o <- o, f <- f, c <- c */
const LSTM_BLOCKS = [0, 3, 1, 2];
const GRU_BLOCKS = [0, 1, 2];
const RNN_BLOCKS = [0];

const ACTIVATIONS: Record<string, string> = { sigmoid: 'Sigmoid', tanh: 'Tanh', relu: 'Relu' };

/** [rows, gates * u] in Keras' gate order -> [gates * u, rows] in ONNX's */
function gatesToOnnx(src: ArrayLike<number>, rows: number, units: number, blocks: number[]): Float32Array {
  const gates = blocks.length;
  const out = new Float32Array(rows * gates * units);
  for (let k = 0; k < gates; k++) {
    const from = blocks[k] * units;
    for (let j = 0; j < units; j++) {
      for (let r = 0; r < rows; r++) out[(k * units + j) * rows + r] = src[r * gates * units + from + j];
    }
  }
  return out;
}

function onnxActivation(layer: RNN, option: 'activation' | 'recurrentActivation'): string {
  const name = String(layer.getConfig()[option]);
  const op = ACTIVATIONS[name];
  if (!op) {
    throw new Error(`toOnnx: layer "${layer.name}" (${layer.className}): ${option} "${name}" has no ONNX export ` +
      `(supported: ${Object.keys(ACTIVATIONS).join(', ')})`);
  }
  return op;
}

export function exportRecurrent(g: GraphBuilder, layer: RNN, [v]: Value[], outShapes: Shape[]): Value[] {
  const base = layer.name;
  const u = layer.units;
  const kernel = layer.weights.find((w) => w.name.endsWith('/kernel') && !w.name.endsWith('/recurrent_kernel'));
  const recurrent = layer.weights.find((w) => w.name.endsWith('/recurrent_kernel'));
  const bias = layer.weights.find((w) => w.name.endsWith('/bias'));
  if (!kernel || !recurrent) throw new Error(`toOnnx: layer "${base}" (${layer.className}) is not built (no kernel)`);
  const features = kernel.shape[0];
  const isLstm = layer instanceof LSTM;
  const isGru = layer instanceof GRU;
  const blocks = isLstm ? LSTM_BLOCKS : isGru ? GRU_BLOCKS : RNN_BLOCKS;
  const gates = blocks.length;
  const act = onnxActivation(layer, 'activation');
  // ONNX lists the activations as (f, g, h) for LSTM, (f, g) for GRU, (f) for RNN
  const activations = isLstm || isGru ? [onnxActivation(layer, 'recurrentActivation'), act, act].slice(0, isLstm ? 3 : 2) : [act];

  let x = g.node('Transpose', [g.last(v, base)], `${base}/time_major`, { perm: [1, 0, 2] })[0];
  if (layer.goBackwards) {
    x = g.node('Slice', [x, g.int64s(`${base}/starts`, [-1]), g.int64s(`${base}/ends`, [-Number.MAX_SAFE_INTEGER]),
      g.int64s(`${base}/axes`, [0]), g.int64s(`${base}/steps`, [-1])], `${base}/reversed`)[0];
  }
  const w = g.floats(`${base}/W`, [1, gates * u, features], gatesToOnnx(kernel.dataSync(), features, u, blocks));
  const r = g.floats(`${base}/R`, [1, gates * u, u], gatesToOnnx(recurrent.dataSync(), u, u, blocks));
  const inputs = [x, w, r];
  const resetAfter = isGru && (layer as GRU).resetAfter;
  if (bias) {
    const b = new Float32Array(2 * gates * u);
    // a resetAfter GRU's two bias rows are Wb and Rb; every other bias is Wb
    if (resetAfter) b.set(bias.dataSync());
    else b.set(gatesToOnnx(bias.dataSync(), 1, u, blocks));
    inputs.push(g.floats(`${base}/B`, [1, 2 * gates * u], b));
  }
  const attrs: Record<string, number | string | string[]> = { hidden_size: u, direction: 'forward', activations };
  if (isGru) attrs.linear_before_reset = resetAfter ? 1 : 0;
  const op = isLstm ? 'LSTM' : isGru ? 'GRU' : 'RNN';
  const [y, yh, yc] = g.node(op, inputs, `${base}/${op.toLowerCase()}`, attrs, isLstm ? 3 : 2);
  // Y is [steps, 1, batch, u]; Y_h (and LSTM's Y_c) [1, batch, u]
  const squeeze = (name: string, axis: number, out: string): string =>
    g.node('Squeeze', [name, g.int64s(`${out}/axes`, [axis])], out)[0];
  const result = layer.returnSequences
    ? g.node('Transpose', [squeeze(y, 1, `${base}/sequence`)], base, { perm: [1, 0, 2] })[0]
    : squeeze(yh, 0, base);
  const outs: Value[] = [{ shape: outShapes[0], last: result }];
  if (layer.returnState) {
    outs.push({ shape: outShapes[1], last: squeeze(yh, 0, `${base}/h`) });
    if (isLstm) outs.push({ shape: outShapes[2], last: squeeze(yc, 0, `${base}/c`) });
  }
  return outs;
}
