/** Convolution layers (Conv1D/2D with groups, depthwise, separable, transposed) and 2-D padding/up-sampling: values, shapes, errors. */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as st from '../../src/index.js';
import { input, model, sequential } from '../../src/nn/model.js';
import { layers, Conv2D, Dense } from '../../src/nn/layers/index.js';
import { Layer, SymbolicTensor, snakeCase, type Shape } from '../../src/nn/layer.js';
import { assertThrowsMessage, testTensor } from '../helpers.js';
import { assertClose, f32, run, symShape, t32 } from './layer_helpers.js';

test('Conv2D: params 208, output shapes, equals ops.conv2d + bias', () => {
  const c = layers.conv2d({ filters: 8, kernelSize: 5, padding: 'same', activation: 'relu' });
  assert.deepEqual(symShape(c, [28, 28, 1]), [null, 28, 28, 8]);
  assert.equal(c.countParams(), 208);
  assert.deepEqual(symShape(layers.conv2d({ filters: 4, kernelSize: 3 }), [10, 12, 3]), [null, 8, 10, 4]);
  assert.deepEqual(symShape(layers.conv2d({ filters: 4, kernelSize: 3, strides: 2, padding: 'same' }), [5, 5, 3]), [null, 3, 3, 4]);
  assert.deepEqual(symShape(layers.conv2d({ filters: 4, kernelSize: [3, 1], strides: [2, 1] }), [7, 5, 3]), [null, 3, 5, 4]);
  assert.deepEqual(symShape(layers.conv2d({ filters: 2, kernelSize: 3, dilationRate: 2 }), [7, 7, 1]), [null, 3, 3, 2]);

  const conv = layers.conv2d({ filters: 4, kernelSize: 3, strides: 2, padding: 'same' });
  const x = t32([2, 5, 5, 3]);
  const k = t32([3, 3, 3, 4], 2);
  const b = t32([4], 3);
  conv.apply(input({ shape: [5, 5, 3] }));
  conv.setWeights([k, b]);
  const y = run(conv, x);
  assert.deepEqual(y.shape, [2, 3, 3, 4]);
  assertClose(y, st.add(st.conv2d(x, k, 2, 'same'), b));
  const cfg = conv.getConfig();
  assert.deepEqual([cfg.filters, cfg.kernelSize, cfg.strides, cfg.padding], [4, [3, 3], [2, 2], 'same']);
});

test("Conv2D groups (Keras'): each group of filters sees its own channels; values, gradient, config, errors", () => {
  const conv = layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', groups: 2 });
  assert.deepEqual(symShape(conv, [5, 5, 6]), [null, 5, 5, 4]);
  assert.equal(conv.countParams(), 3 * 3 * 3 * 4 + 4); // kernel [3, 3, 6 / 2, 4]
  const x = t32([2, 5, 5, 6]);
  const k = t32([3, 3, 3, 4], 2);
  const b = t32([4], 3);
  conv.setWeights([k, b]);
  // the same thing by hand: channels 0-2 with filters 0-1, channels 3-5 with filters 2-3
  const byHand = (kernel: st.Tensor) => {
    const [x0, x1] = st.split(x, 2, 3);
    const [k0, k1] = st.split(kernel, 2, 3);
    return st.relu(st.add(st.concat([st.conv2d(x0, k0, 1, 'same'), st.conv2d(x1, k1, 1, 'same')], 3), b));
  };
  assertClose(run(conv, x), byHand(k));
  const kernelVar = conv.weights[0];
  const { grads } = st.variableGrads(() => st.sum(st.square(run(conv, x, true))), [kernelVar]);
  const [expected] = st.grads((kernel: st.Tensor) => st.sum(st.square(byHand(kernel))))([k]);
  assertClose(grads[kernelVar.name], expected, 1e-4);

  assert.equal(conv.getConfig().groups, 2);
  assert.equal('groups' in layers.conv2d({ filters: 2, kernelSize: 1 }).getConfig(), false, 'groups: 1 is left out of files');
  const back = st.deserializeLayer(st.serializeLayer(conv), 'test') as Conv2D;
  assert.equal(back.groups, 2);
  assert.deepEqual(symShape(layers.conv1d({ filters: 6, kernelSize: 3, groups: 3 }), [8, 3]), [null, 6, 6]);

  assertThrowsMessage(() => layers.conv2d({ filters: 4, kernelSize: 3, groups: 3 }), 'Conv2D', 'divides filters (4)', 'got 3');
  assertThrowsMessage(() => symShape(layers.conv2d({ filters: 4, kernelSize: 1, groups: 2 }), [4, 4, 5]),
    'Conv2D', 'groups (2) must divide the input channels', '[None, 4, 4, 5]');
  assertThrowsMessage(() => layers.conv2dTranspose({ filters: 4, kernelSize: 3, groups: 2 }), 'Conv2DTranspose', 'groups');
});

test('Conv2D: bad input shapes name the layer', () => {
  const c = new Conv2D({ filters: 8, kernelSize: 5, name: 'conv2d_x' });
  assertThrowsMessage(() => symShape(c, [784]),
    'Conv2D "conv2d_x": expected input [batch, height, width, channels], got [None, 784]');
  assertThrowsMessage(() => symShape(layers.conv2d({ filters: 2, kernelSize: 5 }), [3, 3, 1]), 'Conv2D', 'smaller than the kernel');
  const built = layers.conv2d({ filters: 2, kernelSize: 1 });
  symShape(built, [4, 4, 3]);
  assertThrowsMessage(() => run(built, t32([1, 4, 4, 2])), 'Conv2D', '3 input channels');
  assertThrowsMessage(() => layers.conv2d({ filters: 0, kernelSize: 3 }), 'Conv2D', 'filters');
  assertThrowsMessage(() => layers.conv2d({ filters: 2, kernelSize: 3, padding: 'full' as 'same' }), 'Conv2D', 'padding');
});

test('Conv1D: equals ops.conv1d; causal padding keeps length and looks back only', () => {
  const c = layers.conv1d({ filters: 2, kernelSize: 3 });
  assert.deepEqual(symShape(c, [10, 4]), [null, 8, 2]);
  assert.equal(c.countParams(), 3 * 4 * 2 + 2);
  const x = t32([2, 10, 4]);
  const [k, b] = c.getWeights();
  assertClose(run(c, x), st.add(st.conv1d(x, k, 1, 'valid'), b));
  const causal = layers.conv1d({ filters: 1, kernelSize: 2, padding: 'causal', useBias: false });
  assert.deepEqual(symShape(causal, [4, 1]), [null, 4, 1]);
  causal.setWeights([f32([1, 10], [2, 1, 1])]);
  assertClose(run(causal, f32([1, 2, 3, 4], [1, 4, 1])), [10, 21, 32, 43]);
  assertThrowsMessage(() => symShape(layers.conv1d({ filters: 1, kernelSize: 2 }), [4, 4, 1]), 'Conv1D',
    'expected input [batch, steps, channels]');
});

test('DepthwiseConv2D and SeparableConv2D: params and values', () => {
  const d = layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, padding: 'same' });
  assert.deepEqual(symShape(d, [5, 5, 3]), [null, 5, 5, 6]);
  assert.equal(d.countParams(), 3 * 3 * 3 * 2 + 6);
  const x = t32([1, 5, 5, 3]);
  const [k, b] = d.getWeights();
  assertClose(run(d, x), st.add(st.depthwiseConv2d(x, k, 1, 'same'), b));

  const s = layers.separableConv2d({ filters: 4, kernelSize: 3 });
  assert.deepEqual(symShape(s, [5, 5, 3]), [null, 3, 3, 4]);
  assert.equal(s.countParams(), 27 + 12 + 4);
  const [dw, pw, sb] = s.getWeights();
  assert.deepEqual(dw.shape, [3, 3, 3, 1]);
  assert.deepEqual(pw.shape, [1, 1, 3, 4]);
  assertClose(run(s, x), st.add(st.separableConv2d(x, dw, pw, 1, 'valid'), sb));
});

test('Conv2DTranspose: output sizes as Keras, values as ops.conv2dTranspose', () => {
  assert.deepEqual(symShape(layers.conv2dTranspose({ filters: 2, kernelSize: 3, strides: 2 }), [4, 4, 5]), [null, 9, 9, 2]);
  const t = layers.conv2dTranspose({ filters: 2, kernelSize: 3, strides: 2, padding: 'same' });
  assert.deepEqual(symShape(t, [4, 4, 5]), [null, 8, 8, 2]);
  assert.equal(t.countParams(), 3 * 3 * 2 * 5 + 2);
  const [k, b] = t.getWeights();
  assert.deepEqual(k.shape, [3, 3, 2, 5]);
  const x = t32([2, 4, 4, 5]);
  const y = run(t, x);
  assert.deepEqual(y.shape, [2, 8, 8, 2]);
  assertClose(y, st.add(st.conv2dTranspose(x, k, [2, 8, 8, 2], 2, 'same'), b));
});

test('ZeroPadding2D and UpSampling2D (nearest)', () => {
  const z = layers.zeroPadding2d({ padding: 1 });
  assert.deepEqual(symShape(z, [2, 2, 1]), [null, 4, 4, 1]);
  assertClose(run(z, f32([1, 2, 3, 4], [1, 2, 2, 1])), [0, 0, 0, 0, 0, 1, 2, 0, 0, 3, 4, 0, 0, 0, 0, 0]);
  const za = layers.zeroPadding2d({ padding: [[1, 0], [0, 2]] });
  assert.deepEqual(symShape(za, [2, 2, 3]), [null, 3, 4, 3]);
  assertClose(run(layers.zeroPadding2d({ padding: [[1, 0], [0, 1]] }), f32([1, 2, 3, 4], [1, 2, 2, 1])), [0, 0, 0, 1, 2, 0, 3, 4, 0]);
  const u = layers.upSampling2d({ size: 2 });
  assert.deepEqual(symShape(u, [2, 3, 4]), [null, 4, 6, 4]);
  assertClose(run(u, f32([1, 2, 3, 4], [1, 2, 2, 1])), [1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4]);
  assertClose(run(layers.upSampling2d({ size: [1, 3] }), f32([1, 2], [1, 1, 2, 1])), [1, 1, 1, 2, 2, 2]);
  assertThrowsMessage(() => symShape(layers.upSampling2d(), [4, 4]), 'UpSampling2D', 'expected input [batch, height, width, channels]');
});
