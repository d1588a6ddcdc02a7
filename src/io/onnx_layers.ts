/**
 * One ONNX translation per layer class. Each takes the layer's input values and returns its
 * outputs; weights are read through the layers' public fields, converted to ONNX's layouts here
 * (conv kernels [kh, kw, in, out] -> [out, in, kh, kw]) so the graph needs no runtime transposes
 * of weights. Dropout is the identity at inference and disappears.
 */
import type { Layer, Shape } from '../nn/layer.js';
import type { Tensor } from '../tensor/tensor.js';
import { Dense } from '../nn/layers/dense.js';
import { Activation, Dropout, Flatten, Permute, Reshape } from '../nn/layers/core.js';
import { Conv2D, DepthwiseConv2D, ZeroPadding2D } from '../nn/layers/convolutional.js';
import {
  AveragePooling2D, GlobalAveragePooling1D, GlobalAveragePooling2D, GlobalMaxPooling1D, GlobalMaxPooling2D, MaxPooling2D,
} from '../nn/layers/pooling.js';
import { BatchNormalization } from '../nn/layers/normalization.js';
import { Embedding } from '../nn/layers/embedding.js';
import { Add, Average, Concatenate, Maximum, Minimum, Multiply, Subtract } from '../nn/layers/merge.js';
import { GRU, LSTM, SimpleRNN } from '../nn/layers/recurrent.js';
import { GraphBuilder, toFirstPerm, type Value } from './onnx_graph.js';
import { DataType } from './onnx_schema.js';
import { exportRecurrent } from './onnx_recurrent.js';

export type LayerExport = (g: GraphBuilder, layer: Layer, inputs: Value[], outShapes: Shape[]) => Value[];

function values(t: Tensor): Float32Array {
  const d = t.dataSync();
  return d instanceof Float32Array ? d : Float32Array.from(d as ArrayLike<number>);
}

function who(layer: Layer): string {
  return `layer "${layer.name}" (${layer.className})`;
}

/** A layer's activation option as ONNX nodes, on whichever layout the value has. */
export function activate(g: GraphBuilder, name: string, v: Value, base: string, where: string): Value {
  if (name === 'linear') return v;
  const { name: x, wrap } = g.either(v);
  const channelAxis = v.first !== undefined ? 1 : -1;
  const one = (op: string, attrs = {}): Value => wrap(g.node(op, [x], `${base}/${name}`, attrs)[0]);
  switch (name) {
    case 'relu': return one('Relu');
    case 'sigmoid': return one('Sigmoid');
    case 'tanh': return one('Tanh');
    case 'elu': return one('Elu', { alpha: { float: 1 } });
    case 'selu': return one('Selu');
    case 'softplus': return one('Softplus');
    case 'softsign': return one('Softsign');
    case 'exponential': return one('Exp');
    case 'leakyRelu': return one('LeakyRelu', { alpha: { float: 0.2 } });
    case 'hardSigmoid': return one('HardSigmoid', { alpha: { float: 1 / 6 }, beta: { float: 0.5 } });
    case 'tfjsHardSigmoid': return one('HardSigmoid', { alpha: { float: 0.2 }, beta: { float: 0.5 } });
    // softmax over the channels: axis 1 when the value is channels-first
    case 'softmax': return one('Softmax', { axis: channelAxis });
    case 'logSoftmax': return one('LogSoftmax', { axis: channelAxis });
    case 'relu6': return wrap(g.node('Clip', [x, g.floats('zero', [], [0]), g.floats('six', [], [6])], `${base}/relu6`)[0]);
    case 'swish': {
      const s = g.node('Sigmoid', [x], `${base}/swish_sigmoid`)[0];
      return wrap(g.node('Mul', [x, s], `${base}/swish`)[0]);
    }
    default:
      throw new Error(`toOnnx: ${where}: activation "${name}" has no ONNX export (supported: relu, sigmoid, tanh, ` +
        'softmax, logSoftmax, elu, selu, softplus, softsign, exponential, leakyRelu, hardSigmoid, relu6, swish, linear)');
  }
}

/** TensorFlow's padding as ONNX pads [begin..., end...]: 'same' puts the odd extra cell at the end. */
function pads(layer: Layer, inShape: Shape, kernel: number[], strides: number[], padding: string, dilations?: number[]): number[] {
  if (padding === 'valid') return new Array<number>(kernel.length * 2).fill(0);
  if (padding !== 'same') throw new Error(`toOnnx: ${who(layer)}: padding "${padding}" has no ONNX export (expected valid or same)`);
  const begin: number[] = [];
  const end: number[] = [];
  kernel.forEach((k, i) => {
    const size = inShape[i + 1];
    if (size === null) throw new Error(`toOnnx: ${who(layer)}: 'same' padding needs a known input size, got ${JSON.stringify(inShape)}`);
    const out = Math.ceil(size / strides[i]);
    const total = Math.max((out - 1) * strides[i] + (k - 1) * (dilations?.[i] ?? 1) + 1 - size, 0);
    begin.push(Math.floor(total / 2));
    end.push(total - Math.floor(total / 2));
  });
  return [...begin, ...end];
}

function conv2d(g: GraphBuilder, layer: Conv2D, [v]: Value[], [outShape]: Shape[]): Value[] {
  const k = layer.kernel!;
  const [kh, kw, ci, co] = k.shape;
  const src = values(k);
  // [kh, kw, in, out] -> [out, in, kh, kw]
  const w = new Float32Array(src.length);
  for (let y = 0; y < kh; y++) for (let x = 0; x < kw; x++) for (let i = 0; i < ci; i++) for (let o = 0; o < co; o++) {
    w[((o * ci + i) * kh + y) * kw + x] = src[((y * kw + x) * ci + i) * co + o];
  }
  return [convNode(g, layer, v, outShape, g.floats(`${layer.name}/kernel`, [co, ci, kh, kw], w), 1)];
}

function depthwiseConv2d(g: GraphBuilder, layer: DepthwiseConv2D, [v]: Value[], [outShape]: Shape[]): Value[] {
  const k = layer.depthwiseKernel!;
  const [kh, kw, ci, m] = k.shape;
  const src = values(k);
  // output channel c * m + j is input channel c convolved with kernel [.., .., c, j]: a grouped conv
  const w = new Float32Array(src.length);
  for (let y = 0; y < kh; y++) for (let x = 0; x < kw; x++) for (let c = 0; c < ci; c++) for (let j = 0; j < m; j++) {
    w[((c * m + j) * kh + y) * kw + x] = src[((y * kw + x) * ci + c) * m + j];
  }
  return [convNode(g, layer, v, outShape, g.floats(`${layer.name}/depthwise_kernel`, [ci * m, 1, kh, kw], w), ci)];
}

function convNode(g: GraphBuilder, layer: Conv2D | DepthwiseConv2D, v: Value, outShape: Shape, w: string, group: number): Value {
  const base = layer.name;
  const inputs = [g.first(v, base), w];
  if (layer.bias) inputs.push(g.floats(`${base}/bias`, [layer.bias.size], values(layer.bias)));
  const [kh, kw] = layer.kernelSize;
  const y = g.node('Conv', inputs, base, {
    kernel_shape: [kh, kw], strides: layer.strides, dilations: layer.dilationRate, group,
    pads: pads(layer, v.shape, layer.kernelSize, layer.strides, layer.padding, layer.dilationRate),
  })[0];
  return activate(g, layer.activation.name, { shape: outShape, first: y }, base, who(layer));
}

function pool2d(g: GraphBuilder, layer: MaxPooling2D | AveragePooling2D, [v]: Value[], [outShape]: Shape[]): Value[] {
  const isMax = layer instanceof MaxPooling2D;
  const attrs: Record<string, number[] | number> = {
    kernel_shape: layer.poolSize, strides: layer.strides, pads: pads(layer, v.shape, layer.poolSize, layer.strides, layer.padding),
  };
  // striate (as TensorFlow) averages over the real cells only under 'same' padding; MaxPool's pads never win
  if (!isMax) attrs.count_include_pad = 0;
  return [{ shape: outShape, first: g.node(isMax ? 'MaxPool' : 'AveragePool', [g.first(v, layer.name)], layer.name, attrs)[0] }];
}

function globalPool(g: GraphBuilder, layer: Layer, [v]: Value[], [outShape]: Shape[]): Value[] {
  const isMax = layer instanceof GlobalMaxPooling2D || layer instanceof GlobalMaxPooling1D;
  // [batch, channels, 1(, 1)] channels-first; channels-last it is [batch, 1(, 1), channels]
  const y = g.node(isMax ? 'GlobalMaxPool' : 'GlobalAveragePool', [g.first(v, layer.name)], layer.name)[0];
  if (outShape.length > 2) return [{ shape: outShape, first: y }];
  return [{ shape: outShape, last: g.node('Flatten', [y], `${layer.name}/flatten`, { axis: 1 })[0] }];
}

function dense(g: GraphBuilder, layer: Dense, [v]: Value[], [outShape]: Shape[]): Value[] {
  const base = layer.name;
  const x = g.last(v, base);
  const w = g.floats(`${base}/kernel`, [...layer.kernel!.shape], values(layer.kernel!));
  const b = layer.bias ? g.floats(`${base}/bias`, [layer.units], values(layer.bias)) : undefined;
  let y: string;
  if (v.shape.length === 2) y = g.node('Gemm', b ? [x, w, b] : [x, w], base)[0];
  else {
    // x W on the last axis of a [batch, ..., features] input
    y = g.node('MatMul', [x, w], b ? `${base}/matmul` : base)[0];
    if (b) y = g.node('Add', [y, b], base)[0];
  }
  return [activate(g, layer.activation.name, { shape: outShape, last: y }, base, who(layer))];
}

function batchNorm(g: GraphBuilder, layer: BatchNormalization, [v]: Value[], [outShape]: Shape[]): Value[] {
  const base = layer.name;
  const rank = v.shape.length;
  const axis = layer.axis < 0 ? layer.axis + rank : layer.axis;
  const n = layer.movingMean!.size;
  const gamma = layer.gamma ? values(layer.gamma) : new Float32Array(n).fill(1);
  const beta = layer.beta ? values(layer.beta) : new Float32Array(n);
  const mean = values(layer.movingMean!);
  const variance = values(layer.movingVariance!);
  if (axis === rank - 1 || axis === 1) {
    // ONNX normalises axis 1: the channels of a channels-first image or the features of [batch, features]
    const x = axis === rank - 1 && rank > 2 ? g.first(v, base) : g.last(v, base);
    const y = g.node('BatchNormalization', [x, g.floats(`${base}/gamma`, [n], gamma), g.floats(`${base}/beta`, [n], beta),
      g.floats(`${base}/moving_mean`, [n], mean), g.floats(`${base}/moving_variance`, [n], variance)], base,
    { epsilon: { float: layer.epsilon } })[0];
    return [axis === rank - 1 && rank > 2 ? { shape: outShape, first: y } : { shape: outShape, last: y }];
  }
  // any other axis: y = x * scale + shift, shaped to broadcast along `axis` of the channels-last value
  const scale = gamma.map((gm, i) => gm / Math.sqrt(variance[i] + layer.epsilon));
  const shift = beta.map((bt, i) => bt - mean[i] * scale[i]);
  const dims = [n, ...new Array<number>(rank - 1 - axis).fill(1)];
  const scaled = g.node('Mul', [g.last(v, base), g.floats(`${base}/scale`, dims, scale)], `${base}/scale`)[0];
  return [{ shape: outShape, last: g.node('Add', [scaled, g.floats(`${base}/shift`, dims, shift)], base)[0] }];
}

function merge(g: GraphBuilder, layer: Layer, inputs: Value[], [outShape]: Shape[]): Value[] {
  const base = layer.name;
  // stay channels-first when every input already is, else use striate's layout throughout
  const first = inputs.every((v) => v.first !== undefined);
  const names = inputs.map((v) => (first ? v.first! : g.last(v, base)));
  const wrap = (y: string): Value[] => [first ? { shape: outShape, first: y } : { shape: outShape, last: y }];
  if (layer instanceof Concatenate) {
    const rank = outShape.length;
    const axis = layer.axis < 0 ? layer.axis + rank : layer.axis;
    return wrap(g.node('Concat', names, base, { axis: first ? toFirstPerm(rank).indexOf(axis) : axis })[0]);
  }
  const op = layer instanceof Add ? 'Sum' : layer instanceof Subtract ? 'Sub' : layer instanceof Multiply ? 'Mul'
    : layer instanceof Average ? 'Mean' : layer instanceof Maximum ? 'Max' : 'Min';
  if (op === 'Mul') return wrap(names.slice(1).reduce((acc, x, i) => g.node('Mul', [acc, x], i === names.length - 2 ? base : `${base}/mul`)[0], names[0]));
  return wrap(g.node(op, names, base)[0]);
}

function zeroPadding(g: GraphBuilder, layer: ZeroPadding2D, [v]: Value[], [outShape]: Shape[]): Value[] {
  const [[top, bottom], [left, right]] = layer.padding;
  const p = g.int64s(`${layer.name}/pads`, [0, 0, top, left, 0, 0, bottom, right]);
  // pad with -0 (equal to 0 in every result): ONNX Runtime's optimizer folds a Pad whose value is
  // all-bits zero into a following MaxPool or AveragePool as that op's own pads, which are -inf
  // for MaxPool and left out of AveragePool's count, not zeros (measured: wrong maxima on
  // negative inputs, and sessions that fail when the pad outgrows the pool)
  const value = g.floats(`${layer.name}/value`, [], [-0]);
  return [{ shape: outShape, first: g.node('Pad', [g.first(v, layer.name), p, value], layer.name)[0] }];
}

function embedding(g: GraphBuilder, layer: Embedding, [v]: Value[], [outShape]: Shape[]): Value[] {
  if (layer.maskZero) {
    // the mask would make later recurrent layers skip steps, which ONNX's RNN ops cannot be told
    throw new Error(`toOnnx: ${who(layer)}: maskZero has no ONNX export (expected maskZero: false)`);
  }
  const table = layer.embeddings!;
  const w = g.floats(`${layer.name}/embeddings`, [...table.shape], values(table));
  // the ids come as floats, as predict takes them, and are truncated as striate's cast does
  const ids = g.node('Cast', [g.last(v, layer.name)], `${layer.name}/ids`, { to: DataType.INT64 })[0];
  return [{ shape: outShape, last: g.node('Gather', [w, ids], layer.name, { axis: 0 })[0] }];
}

function reshapeLike(g: GraphBuilder, layer: Layer, v: Value, outShape: Shape, target: number[]): Value[] {
  // 0 keeps the batch dimension as it comes
  const shape = g.int64s(`${layer.name}/shape`, [0, ...target]);
  return [{ shape: outShape, last: g.node('Reshape', [g.last(v, layer.name), shape], layer.name)[0] }];
}

const EXPORTS: [abstract new (...args: never[]) => Layer, LayerExport][] = [
  [Dense, (g, l, i, s) => dense(g, l as Dense, i, s)],
  [Conv2D, (g, l, i, s) => conv2d(g, l as Conv2D, i, s)],
  // SeparableConv2D extends DepthwiseConv2D and needs its own pointwise step: listed as unsupported below
  [DepthwiseConv2D, (g, l, i, s) => depthwiseConv2d(g, l as DepthwiseConv2D, i, s)],
  [MaxPooling2D, (g, l, i, s) => pool2d(g, l as MaxPooling2D, i, s)],
  [AveragePooling2D, (g, l, i, s) => pool2d(g, l as AveragePooling2D, i, s)],
  [GlobalAveragePooling2D, globalPool], [GlobalMaxPooling2D, globalPool],
  [GlobalAveragePooling1D, globalPool], [GlobalMaxPooling1D, globalPool],
  [BatchNormalization, (g, l, i, s) => batchNorm(g, l as BatchNormalization, i, s)],
  [Add, merge], [Subtract, merge], [Multiply, merge], [Average, merge], [Maximum, merge], [Minimum, merge], [Concatenate, merge],
  [ZeroPadding2D, (g, l, i, s) => zeroPadding(g, l as ZeroPadding2D, i, s)],
  [Embedding, (g, l, i, s) => embedding(g, l as Embedding, i, s)],
  [Dropout, (_g, _l, [v]) => [v]],
  [Activation, (g, l, [v], [s]) => [activate(g, (l as Activation).activation.name, { ...v, shape: s }, l.name, who(l))]],
  [Flatten, (g, l, [v], [s]) => [{ shape: s, last: g.node('Flatten', [g.last(v, l.name)], l.name, { axis: 1 })[0] }]],
  [Reshape, (g, l, [v], [s]) => reshapeLike(g, l, v, s, (l as Reshape).targetShape)],
  [Permute, (g, l, [v], [s]) => [{ shape: s, last: g.node('Transpose', [g.last(v, l.name)], l.name, { perm: [0, ...(l as Permute).dims] })[0] }]],
  [LSTM, (g, l, i, s) => exportRecurrent(g, l as LSTM, i, s)],
  [GRU, (g, l, i, s) => exportRecurrent(g, l as GRU, i, s)],
  [SimpleRNN, (g, l, i, s) => exportRecurrent(g, l as SimpleRNN, i, s)],
];

/** The export for `layer`'s class, or undefined. Exact classes only: a subclass may compute something else. */
export function layerExport(layer: Layer): LayerExport | undefined {
  return EXPORTS.find(([cls]) => Object.getPrototypeOf(layer) === cls.prototype)?.[1];
}

export const SUPPORTED_LAYERS = EXPORTS.map(([cls]) => cls.name);
