/**
 * Fused ops (TensorFlow.js' `tf.fused`): a product, its bias and its activation in one kernel
 * where the backend has one (the wasm GEMM adds the bias and applies relu while the result is
 * still in registers), and the same ops one by one everywhere else.
 */
import { Tensor } from '../tensor/tensor.js';
import { runOp, wrap, convert, type TensorInput } from './op.js';
import { add } from './arithmetic.js';
import { matMul as plainMatMul, matMulGrads } from './matmul.js';
import { relu } from './activations.js';
import { reluGradient } from './relu_grad.js';
import { sum } from './reduce.js';
// conv3d area
import { depthwiseConv2d as plainDepthwiseConv2d } from './conv.js';
import { elu, leakyRelu, prelu, relu6 } from './activations.js';
import { sigmoid } from './arithmetic.js';
import type { DimRoundingMode, PadSpec } from '../backend/conv_info.js';
import { checkOptions } from '../tensor/options.js';

export { fusedConv2d as conv2d } from './conv.js';

export type FusedActivation = 'linear' | 'relu';

export interface FusedMatMulArgs {
  a: TensorInput;
  b: TensorInput;
  transposeA?: boolean;
  transposeB?: boolean;
  /** [n], added to every row */
  bias?: TensorInput | null;
  activation?: FusedActivation;
}

/**
 * activation(a b + bias) for rank-2 a and b.
 *
 * @example
 * ```ts
 * const y = st.fused.matMul({ a: st.tensor2d([[1, -2]]), b: st.tensor2d([[1], [1]]), bias: st.tensor1d([0.5]), activation: 'relu' });
 * y.print(); // relu(1 - 2 + 0.5) = 0
 * ```
 */
export function matMul(args: FusedMatMulArgs): Tensor {
  const op = 'fused.matMul';
  const { transposeA = false, transposeB = false, activation = 'linear' } = args;
  if (activation !== 'linear' && activation !== 'relu') {
    throw new Error(`${op}: activation must be 'linear' or 'relu', got ${JSON.stringify(activation)}`);
  }
  const a = convert(args.a, op, 'a');
  const b = convert(args.b, op, 'b', a.dtype);
  const bias = args.bias === undefined || args.bias === null ? null : convert(args.bias, op, 'bias', a.dtype);
  const n = transposeB ? b.shape[b.rank - 2] : b.shape[b.rank - 1];
  const fusable = a.rank === 2 && b.rank === 2 && a.dtype === 'float32' && b.dtype === 'float32' &&
    (bias === null || (bias.rank === 1 && bias.shape[0] === n && bias.dtype === 'float32')) &&
    a.backend.fusedMatMul !== undefined && b.backend === a.backend && (bias === null || bias.backend === a.backend);
  if (!fusable) {
    // the composition: also what validates shapes and gives the error messages
    let y = plainMatMul(a, b, transposeA, transposeB);
    if (bias) y = add(y, bias);
    return activation === 'relu' ? relu(y) : y;
  }
  const m = transposeA ? a.shape[1] : a.shape[0];
  const k = transposeA ? a.shape[0] : a.shape[1];
  const kb = transposeB ? b.shape[1] : b.shape[0];
  if (k !== kb) {
    throw new Error(`${op}: inner dimensions must agree: a is [${a.shape}]${transposeA ? ' (transposed)' : ''}, ` +
      `b is [${b.shape}]${transposeB ? ' (transposed)' : ''}`);
  }
  const inputs = bias ? [a, b, bias] : [a, b];
  return runOp(op, inputs, (be, [x, w, c]) => {
    const out = be.fusedMatMul!(x, w, transposeA, transposeB, c ?? null, activation);
    if (out !== null) return wrap(be, out, [m, n], 'float32');
    let y = plainMatMul(x, w, transposeA, transposeB);
    if (c) y = add(y, c);
    return activation === 'relu' ? relu(y) : y;
  }, (dy, [x, w], y, needed) => {
    // mlp speed area: the relu mask and the bias gradient in one pass where the backend has it
    const one = bias && needed[2] !== false ? denseActGradient(dy, y, activation) : null;
    if (one) {
      const [gx, gw] = matMulGrads(one.dz, x, w, transposeA, transposeB, needed);
      if (one.dz !== dy) one.dz.dispose();
      return [gx, gw, one.db];
    }
    // relu passes the gradient where its output is positive (where its input was)
    const dz = activation === 'relu' ? reluGradient(dy, y) : dy;
    const [gx, gw] = matMulGrads(dz, x, w, transposeA, transposeB, needed);
    return bias ? [gx, gw, sum(dz, 0)] : [gx, gw];
  });
}

// ---- mlp speed area (issue 18) ----
/**
 * dz (the gradient before the activation) and db (dz summed over the rows) of a rank-2 dense
 * layer through Backend.denseActGrad, one pass; null where the backend does not cover it (the
 * caller then composes reluGradient and sum, which give the same values up to the sum's order).
 */
function denseActGradient(dy: Tensor, y: Tensor, activation: FusedActivation): { dz: Tensor; db: Tensor } | null {
  const be = dy.backend;
  if (!be.denseActGrad || dy.dtype !== 'float32' || y.dtype !== 'float32' || y.backend !== be || dy.rank !== 2 ||
      y.rank !== 2 || dy.shape[0] !== y.shape[0] || dy.shape[1] !== y.shape[1]) return null;
  const out = be.denseActGrad(dy, y, activation === 'relu');
  if (out === null) return null;
  const dz = out.dz === null ? dy : wrap(be, out.dz, dy.shape, 'float32');
  return { dz, db: wrap(be, out.db, [dy.shape[1]], 'float32') };
}

// ---- conv3d area: fused.depthwiseConv2d ----

/** Every activation TensorFlow.js' fused ops take. */
export type FusedActivationName = 'linear' | 'relu' | 'relu6' | 'elu' | 'prelu' | 'leakyrelu' | 'sigmoid';

function applyFusedActivation(op: string, y: Tensor, activation: FusedActivationName,
                              preluActivationWeights: TensorInput | undefined, leakyreluAlpha: number | undefined): Tensor {
  switch (activation) {
    case 'linear': return y;
    case 'relu': return relu(y);
    case 'relu6': return relu6(y);
    case 'elu': return elu(y);
    case 'sigmoid': return sigmoid(y);
    case 'leakyrelu': return leakyRelu(y, leakyreluAlpha ?? 0.2);
    case 'prelu':
      if (preluActivationWeights === undefined || preluActivationWeights === null) {
        throw new Error(`${op}: activation 'prelu' needs preluActivationWeights`);
      }
      return prelu(y, preluActivationWeights);
    default:
      throw new Error(`${op}: activation must be one of 'linear', 'relu', 'relu6', 'elu', 'prelu', 'leakyrelu', ` +
        `'sigmoid', got ${JSON.stringify(activation)}`);
  }
}

/**
 * activation(depthwiseConv2d(x, filter) + bias), TensorFlow.js' `tf.fused.depthwiseConv2d`.
 * Composed of the plain ops (there is no fused depthwise kernel to call), so every argument has
 * its gradient.
 *
 * @example
 * ```ts
 * const x = st.ones([1, 3, 3, 2]);
 * st.fused.depthwiseConv2d({ x, filter: st.ones([2, 2, 2, 1]), strides: 1, pad: 'valid', activation: 'relu' }).print();
 * ```
 */
export function depthwiseConv2d(args: {
  x: TensorInput; filter: TensorInput; strides?: number | [number, number];
  pad: 'valid' | 'same' | number | readonly (readonly [number, number])[]; dataFormat?: 'NHWC' | 'NCHW';
  dilations?: number | [number, number]; dimRoundingMode?: DimRoundingMode; bias?: TensorInput | null;
  activation?: FusedActivationName; preluActivationWeights?: TensorInput; leakyreluAlpha?: number;
}): Tensor {
  const op = 'fused.depthwiseConv2d';
  checkOptions(op, args, ['x', 'filter', 'strides', 'pad', 'dataFormat', 'dilations', 'dimRoundingMode', 'bias',
    'activation', 'preluActivationWeights', 'leakyreluAlpha']);
  const { strides = 1, pad, dataFormat = 'NHWC', dilations = 1, activation = 'linear' } = args;
  let y = plainDepthwiseConv2d(args.x, args.filter, strides, pad as PadSpec, dataFormat, dilations, args.dimRoundingMode);
  if (args.bias !== undefined && args.bias !== null) y = add(y, convert(args.bias, op, 'bias', y.dtype));
  return applyFusedActivation(op, y, activation, args.preluActivationWeights, args.leakyreluAlpha);
}
