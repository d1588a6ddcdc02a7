/**
 * Convolution, pooling, matrix products, normalisation and the fused ops that TensorFlow's
 * grappler writes into converted graphs (_FusedConv2D, FusedDepthwiseConv2dNative, _FusedMatMul),
 * on striate's ops. Images are NHWC here; NCHW nodes are transposed in and out.
 */
import * as st from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import { sync, type OpContext, type OpTable } from './op_types.js';

type Pairs = [number, number][];

interface Window {
  nchw: boolean;
  strides: [number, number];
  dilations: [number, number];
  /** 'same' | 'valid', or explicit [top, bottom], [left, right] zero padding applied before a 'valid' window */
  pad: 'same' | 'valid';
  explicit: Pairs | null;
}

/** Strides, dilations and padding of a 2-D window op, read in the node's data format. */
function windowOf(c: OpContext, stridesAttr = 'strides'): Window {
  const format = c.attr.str('data_format', 'nhwc');
  if (format !== 'nhwc' && format !== 'nchw') throw new Error(`${c.where}: data_format "${format}" is not supported (NHWC or NCHW)`);
  const nchw = format === 'nchw';
  const [h, w] = nchw ? [2, 3] : [1, 2];
  const strides = c.attr.nums(stridesAttr, [1, 1, 1, 1]);
  const dilations = c.attr.nums('dilations', [1, 1, 1, 1]);
  const padding = c.attr.str('padding', 'valid');
  let explicit: Pairs | null = null;
  if (padding === 'explicit') {
    const p = c.attr.nums('explicit_paddings', []);
    if (p.length !== 8) throw new Error(`${c.where}: padding EXPLICIT needs 8 explicit_paddings, got ${JSON.stringify(p)}`);
    explicit = [[p[2 * h], p[2 * h + 1]], [p[2 * w], p[2 * w + 1]]];
  } else if (padding !== 'same' && padding !== 'valid') {
    throw new Error(`${c.where}: padding "${padding}" is not supported (SAME, VALID or EXPLICIT)`);
  }
  return {
    nchw, strides: [strides[h], strides[w]], dilations: [dilations[h] ?? 1, dilations[w] ?? 1],
    pad: padding === 'same' ? 'same' : 'valid', explicit,
  };
}

/** Runs `f` on NHWC data: NCHW input is transposed in and the result back; explicit padding is applied first. */
function inNHWC(x: Tensor, win: Window, f: (x: Tensor) => Tensor, padValue = 0): Tensor {
  let t = win.nchw ? st.transpose(x, [0, 2, 3, 1]) : x;
  if (win.explicit) t = st.pad(t, [[0, 0], win.explicit[0], win.explicit[1], [0, 0]], padValue);
  const y = f(t);
  return win.nchw ? st.transpose(y, [0, 3, 1, 2]) : y;
}

/** The activations the converter fuses into conv and matmul nodes (lowercase names). */
function activate(c: OpContext, name: string | undefined, y: Tensor, alpha: Tensor | undefined): Tensor {
  switch (name) {
    case undefined: case 'linear': return y;
    case 'relu': return st.relu(y);
    case 'relu6': return st.relu6(y);
    case 'elu': return st.elu(y);
    case 'selu': return st.selu(y);
    case 'sigmoid': return st.sigmoid(y);
    case 'tanh': return st.tanh(y);
    case 'leakyrelu': return st.leakyRelu(y, c.attr.num('leakyrelu_alpha', 0.2));
    case 'prelu':
      if (alpha == null) throw new Error(`${c.where}: fused Prelu needs its alpha as an extra input`);
      return st.prelu(y, alpha);
    default: throw new Error(`${c.where}: fused activation "${name}" is not supported (Relu, Relu6, Elu, Selu, Sigmoid, Tanh, LeakyRelu, Prelu)`);
  }
}

/**
 * The extra inputs of a fused node by what `fused_ops` says they are: [BiasAdd or FusedBatchNorm,
 * activation?]; BiasAdd takes one extra input (the bias), FusedBatchNorm four (scale, offset,
 * mean, variance), Prelu one more (alpha).
 */
function fusedTail(c: OpContext, first: number, channelAxisFromEnd: number): { post: (y: Tensor) => Tensor; bias?: Tensor; activation?: string } {
  const fused = c.attr.strs('fused_ops', []);
  const args = c.inputs.slice(first);
  let next = 0;
  let bias: Tensor | undefined;
  let norm: Tensor[] | undefined;
  let activation: string | undefined;
  for (const [i, op] of fused.entries()) {
    if (i === 0 && op === 'biasadd') bias = args[next++];
    else if (i === 0 && op === 'fusedbatchnorm') {
      norm = args.slice(next, next + 4);
      next += 4;
    } else if (i === 0 && op === 'add') {
      throw new Error(`${c.where}: fused Add is not supported`);
    } else if (activation === undefined) activation = op;
    else throw new Error(`${c.where}: fused_ops ${JSON.stringify(fused)} is not supported (BiasAdd or FusedBatchNorm, then one activation)`);
  }
  const alpha = activation === 'prelu' ? args[next++] : undefined;
  const epsilon = c.attr.num('epsilon', 0.0001);
  const post = (y: Tensor): Tensor => {
    let out = y;
    if (norm) {
      const shape = channelAxisFromEnd === 1 ? [-1] : [-1, 1, 1];
      const [scale, offset, mean, variance] = norm.map((p) => st.reshape(p, shape));
      out = st.batchNorm(out, mean, variance, offset, scale, epsilon);
    }
    return activate(c, activation, out, alpha);
  };
  return { post, bias, activation };
}

function conv2d(c: OpContext): Tensor {
  const win = windowOf(c);
  return inNHWC(c.input(0), win, (x) => st.conv2d(x, c.input(1), win.strides, win.pad, 'NHWC', win.dilations));
}

function depthwise(c: OpContext): Tensor {
  const win = windowOf(c);
  return inNHWC(c.input(0), win, (x) => st.depthwiseConv2d(x, c.input(1), win.strides, win.pad, 'NHWC', win.dilations));
}

function fusedConv(c: OpContext, depthwiseConv: boolean): Tensor {
  const win = windowOf(c);
  const { post, bias, activation } = fusedTail(c, 2, win.nchw ? 3 : 1);
  const filter = c.input(1);
  const y = inNHWC(c.input(0), win, (x) => {
    if (depthwiseConv) {
      let z = st.depthwiseConv2d(x, filter, win.strides, win.pad, 'NHWC', win.dilations);
      if (bias) z = st.add(z, bias);
      return z;
    }
    // striate's fused kernel takes bias and relu; the other activations follow it
    const relu = activation === 'relu';
    return st.fused.conv2d({ x, filter, strides: win.strides, pad: win.pad, dilations: win.dilations, bias: bias ?? null,
      activation: relu ? 'relu' : 'linear' });
  });
  if (!depthwiseConv && activation === 'relu') return y;
  return post(y);
}

function matMul(c: OpContext, a: string, b: string): Tensor {
  const ta = c.attr.bool(a, false);
  const tb = c.attr.bool(b, false);
  return st.matMul(c.input(0), c.input(1), ta, tb);
}

function fusedMatMul(c: OpContext): Tensor {
  const { post, bias, activation } = fusedTail(c, 2, 1);
  const ta = c.attr.bool('transpose_a', false);
  const tb = c.attr.bool('transpose_b', false);
  const relu = activation === 'relu';
  const y = st.fused.matMul({ a: c.input(0), b: c.input(1), transposeA: ta, transposeB: tb, bias: bias ?? null, activation: relu ? 'relu' : 'linear' });
  return relu ? y : post(y);
}

function fusedBatchNorm(c: OpContext): Tensor[] {
  const nchw = c.attr.str('data_format', 'nhwc') === 'nchw';
  const x = c.input(0);
  const shape = nchw && x.rank === 4 ? [-1, 1, 1] : [-1];
  const [scale, offset, mean, variance] = [1, 2, 3, 4].map((i) => st.reshape(c.input(i), shape));
  const y = st.batchNorm(x, mean, variance, offset, scale, c.attr.num('epsilon', 0.001));
  // inference graphs read only y; the batch statistics outputs are the moving ones passed through
  return [y, c.input(3), c.input(4)];
}

function pool(c: OpContext, kind: 'max' | 'avg'): Tensor {
  const win = windowOf(c);
  const k = c.attr.nums('ksize', [1, 1, 1, 1]);
  const size: [number, number] = win.nchw ? [k[2], k[3]] : [k[1], k[2]];
  return inNHWC(c.input(0), win, (x) => (kind === 'max' ? st.maxPool(x, size, win.strides, win.pad) : st.avgPool(x, size, win.strides, win.pad)),
    kind === 'max' ? -Infinity : 0);
}

function conv2dTranspose(c: OpContext): Tensor {
  const win = windowOf(c);
  if (win.nchw || win.explicit) throw new Error(`${c.where}: Conv2DBackpropInput runs NHWC with SAME or VALID padding only`);
  return st.conv2dTranspose(c.input(2), c.input(1), c.numbers(0), win.strides, win.pad);
}

export const nnOps: OpTable = {
  Conv2D: sync(conv2d),
  DepthwiseConv2dNative: sync(depthwise),
  DepthwiseConv2d: sync(depthwise),
  _FusedConv2D: sync((c) => fusedConv(c, false)),
  FusedDepthwiseConv2dNative: sync((c) => fusedConv(c, true)),
  Conv2DBackpropInput: sync(conv2dTranspose),
  MatMul: sync((c) => matMul(c, 'transpose_a', 'transpose_b')),
  BatchMatMul: sync((c) => matMul(c, 'adj_x', 'adj_y')),
  BatchMatMulV2: sync((c) => matMul(c, 'adj_x', 'adj_y')),
  _FusedMatMul: sync(fusedMatMul),
  Einsum: sync((c) => st.einsum(c.attr.str('equation', '', true), ...c.inputs)),
  FusedBatchNorm: { run: fusedBatchNorm, outputs: ['y', 'batch_mean', 'batch_variance'] },
  FusedBatchNormV2: { run: fusedBatchNorm, outputs: ['y', 'batch_mean', 'batch_variance'] },
  FusedBatchNormV3: { run: fusedBatchNorm, outputs: ['y', 'batch_mean', 'batch_variance'] },
  LRN: sync((c) => st.localResponseNormalization(c.input(0), c.attr.num('depth_radius', 5), c.attr.num('bias', 1),
    c.attr.num('alpha', 1), c.attr.num('beta', 0.5))),
  Softmax: sync((c) => st.softmax(c.input(0))),
  LogSoftmax: sync((c) => st.logSoftmax(c.input(0))),
  MaxPool: sync((c) => pool(c, 'max')),
  AvgPool: sync((c) => pool(c, 'avg')),
};
