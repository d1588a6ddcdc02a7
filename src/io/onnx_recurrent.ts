/**
 * LSTM as ONNX's LSTM op. The differences bridged here:
 * - ONNX wants time first ([steps, batch, features]); striate is batch first: Transposes around it.
 * - Gate order: Keras/striate stack the kernels' column blocks as (i, f, c, o); ONNX's W, R and B
 *   stack rows as (i, o, f, c). Kernels are also transposed ([in, 4u] -> [4u, in]).
 * - Keras has one bias per gate; ONNX adds an input bias Wb and a recurrent bias Rb: Wb is
 *   Keras' bias, Rb zeros.
 * - goBackwards: striate reverses the steps and returns the outputs in that reversed order, which
 *   is a forward LSTM over the reversed sequence (ONNX's 'reverse' direction would put the
 *   outputs back in input order), so the input is reversed with a Slice of step -1.
 */
import type { Shape } from '../nn/layer.js';
import type { LSTM } from '../nn/layers/recurrent.js';
import type { GraphBuilder, Value } from './onnx_graph.js';

/** ONNX row block k holds Keras column block KERAS_BLOCK[k]: i <- i, o <- o, f <- f, c <- c */
const KERAS_BLOCK = [0, 3, 1, 2];

const ACTIVATIONS: Record<string, string> = { sigmoid: 'Sigmoid', tanh: 'Tanh', relu: 'Relu' };

/** [rows, 4u] in Keras' gate order -> [4u, rows] in ONNX's */
function gatesToOnnx(src: ArrayLike<number>, rows: number, units: number): Float32Array {
  const out = new Float32Array(rows * 4 * units);
  for (let k = 0; k < 4; k++) {
    const from = KERAS_BLOCK[k] * units;
    for (let j = 0; j < units; j++) {
      for (let r = 0; r < rows; r++) out[(k * units + j) * rows + r] = src[r * 4 * units + from + j];
    }
  }
  return out;
}

function onnxActivation(layer: LSTM, option: 'activation' | 'recurrentActivation'): string {
  const name = String(layer.getConfig()[option]);
  const op = ACTIVATIONS[name];
  if (!op) {
    throw new Error(`toOnnx: layer "${layer.name}" (LSTM): ${option} "${name}" has no ONNX LSTM export ` +
      `(supported: ${Object.keys(ACTIVATIONS).join(', ')})`);
  }
  return op;
}

export function exportLstm(g: GraphBuilder, layer: LSTM, [v]: Value[], outShapes: Shape[]): Value[] {
  const base = layer.name;
  const u = layer.units;
  const kernel = layer.weights.find((w) => w.name.endsWith('/kernel') && !w.name.endsWith('/recurrent_kernel'));
  const recurrent = layer.weights.find((w) => w.name.endsWith('/recurrent_kernel'));
  const bias = layer.weights.find((w) => w.name.endsWith('/bias'));
  if (!kernel || !recurrent) throw new Error(`toOnnx: layer "${base}" (LSTM) is not built (no kernel)`);
  const features = kernel.shape[0];
  const gate = onnxActivation(layer, 'recurrentActivation');
  const act = onnxActivation(layer, 'activation');

  let x = g.node('Transpose', [g.last(v, base)], `${base}/time_major`, { perm: [1, 0, 2] })[0];
  if (layer.goBackwards) {
    x = g.node('Slice', [x, g.int64s(`${base}/starts`, [-1]), g.int64s(`${base}/ends`, [-Number.MAX_SAFE_INTEGER]),
      g.int64s(`${base}/axes`, [0]), g.int64s(`${base}/steps`, [-1])], `${base}/reversed`)[0];
  }
  const w = g.floats(`${base}/W`, [1, 4 * u, features], gatesToOnnx(kernel.dataSync(), features, u));
  const r = g.floats(`${base}/R`, [1, 4 * u, u], gatesToOnnx(recurrent.dataSync(), u, u));
  const inputs = [x, w, r];
  if (bias) {
    const b = new Float32Array(8 * u);
    b.set(gatesToOnnx(bias.dataSync(), 1, u));
    inputs.push(g.floats(`${base}/B`, [1, 8 * u], b));
  }
  const [y, yh, yc] = g.node('LSTM', inputs, `${base}/lstm`, {
    hidden_size: u, direction: 'forward', activations: [gate, act, act],
  }, 3);
  // Y is [steps, 1, batch, u]; Y_h and Y_c [1, batch, u]
  const squeeze = (name: string, axis: number, out: string): string =>
    g.node('Squeeze', [name, g.int64s(`${out}/axes`, [axis])], out)[0];
  const result = layer.returnSequences
    ? g.node('Transpose', [squeeze(y, 1, `${base}/sequence`)], base, { perm: [1, 0, 2] })[0]
    : squeeze(yh, 0, base);
  const outs: Value[] = [{ shape: outShapes[0], last: result }];
  if (layer.returnState) {
    outs.push({ shape: outShapes[1], last: squeeze(yh, 0, `${base}/h`) }, { shape: outShapes[2], last: squeeze(yc, 0, `${base}/c`) });
  }
  return outs;
}
