/**
 * st.losses: TensorFlow.js' tf.losses signatures and Reduction enum next to the Keras losses,
 * worked values, and the errors for arguments of the wrong kind.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as st from '../../src/index.js';
import * as tf from '@tensorflow/tfjs-core';
import { assertClose, assertThrowsMessage } from '../helpers.js';

test('Reduction is TensorFlow.js\' enum, exported top-level and in st.losses', () => {
  assert.deepEqual([st.Reduction.NONE, st.Reduction.MEAN, st.Reduction.SUM, st.Reduction.SUM_BY_NONZERO_WEIGHTS], [0, 1, 2, 3]);
  assert.equal(st.Reduction[3], 'SUM_BY_NONZERO_WEIGHTS');
  assert.equal(st.losses.Reduction, st.Reduction);
  for (const k of ['NONE', 'MEAN', 'SUM', 'SUM_BY_NONZERO_WEIGHTS'] as const) assert.equal(st.Reduction[k], tf.Reduction[k]);
  for (const name of Object.keys(tf.losses)) assert.equal(typeof (st.losses as Record<string, unknown>)[name], 'function', name);
});

test('meanSquaredError: TensorFlow.js\' weighting and reductions, worked by hand', () => {
  const labels = [[0, 1], [2, 2]];
  const preds = [[1, 1], [0, 3]];
  // squared errors [[1, 0], [4, 1]]
  assertClose(st.losses.meanSquaredError(labels, preds), 1.5);
  assertClose(st.losses.meanSquaredError(labels, preds, null, st.Reduction.NONE), [[1, 0], [4, 1]]);
  assertClose(st.losses.meanSquaredError(labels, preds, null, st.Reduction.SUM), 6);
  // weights [[2], [0]]: weighted [[2, 0], [0, 0]]; 2 nonzero weights after broadcasting
  assertClose(st.losses.meanSquaredError(labels, preds, [[2], [0]]), 1);
  // MEAN: sum(weighted) / sum(weights) / (4 losses / 2 weights)
  assertClose(st.losses.meanSquaredError(labels, preds, [[2], [0]], st.Reduction.MEAN), 0.5);
});

test('the Keras losses keep training working under st.losses and model.compile', () => {
  const yTrue = st.tensor([[0, 1], [1, 0]]);
  const logits = st.tensor([[0.2, 1.5], [2, -1]]);
  const viaOptions = st.losses.categoricalCrossentropy(yTrue, logits, { fromLogits: true, reduction: 'none' });
  assertClose(viaOptions, st.losses.softmaxCrossEntropy(yTrue, logits, null, 0, st.Reduction.NONE).arraySync() as number[], 1e-6);
  const model = st.sequential({ layers: [st.layers.dense({ units: 1, inputShape: [2] })] });
  model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
  const loss = model.evaluate(st.tensor([[1, 2], [3, 4]]), st.tensor([[1], [2]])) as st.Tensor;
  assert.ok(Number.isFinite(loss.dataSync()[0]));
});

test('categoricalCrossentropy: a positional boolean is Keras\' fromLogits; other kinds are errors', () => {
  const y = st.tensor([[0, 1, 0], [1, 0, 0]]);
  const logits = st.tensor([[1, 3, -1], [0.5, 2, 0]]);
  // (y, logits, true) treats the values as logits, as Keras' categorical_crossentropy(y, p, from_logits)
  assertClose(st.losses.categoricalCrossentropy(y, logits, true),
    st.losses.categoricalCrossentropy(y, logits, { fromLogits: true }).dataSync()[0], 1e-7);
  assertClose(st.losses.categoricalCrossentropy(y, logits, true),
    st.losses.softmaxCrossEntropy(y, logits).dataSync()[0], 1e-6);
  const asProbabilities = st.losses.categoricalCrossentropy(y, logits, false).dataSync()[0];
  assert.ok(Math.abs(asProbabilities - st.losses.categoricalCrossentropy(y, logits, true).dataSync()[0]) > 0.1);
  assertThrowsMessage(() => st.losses.categoricalCrossentropy(y, logits, 1 as never),
    "categoricalCrossentropy: expected 'options' to be an options object { fromLogits, labelSmoothing, reduction } or a boolean fromLogits, got number 1");
  assertThrowsMessage(() => st.losses.categoricalCrossentropy(y, logits, true, 0.1),
    'categoricalCrossentropy: expected at most 3 arguments (yTrue, yPred, options or fromLogits), got 4');
  assertThrowsMessage(() => st.losses.categoricalCrossentropy(y, logits, { fromlogits: true } as never),
    'unknown option "fromlogits" for categoricalCrossentropy; did you mean "fromLogits"?');
  assertThrowsMessage(() => st.losses.binaryCrossentropy([1], [0.5], 'yes' as never), "binaryCrossentropy: expected 'options'", 'got a string ("yes")');
  assertThrowsMessage(() => st.losses.sparseCategoricalCrossentropy([1], [[0.5, 0.5]], { labelSmoothing: 0.1 } as never),
    'unknown option "labelSmoothing" for sparseCategoricalCrossentropy');
  assertThrowsMessage(() => st.losses.meanAbsoluteError([1], [1], true as never),
    "meanAbsoluteError: expected 'options' to be an options object { reduction }, got boolean true");
  assertThrowsMessage(() => st.losses.hinge([1], [1], {}, 3), 'hinge: expected at most 3 arguments (yTrue, yPred, options), got 4');
});

test('tf.losses: wrong kinds of argument are errors naming the parameter', () => {
  assertThrowsMessage(() => st.losses.meanSquaredError([1, 2], [1, 3], { reduction: 'none' } as never),
    "meanSquaredError: expected 'weights' to be a Tensor, a number or an array, got an object", 'not an options object');
  assertThrowsMessage(() => st.losses.meanSquaredError([1, 2], [1, 3], null, 'mean' as never),
    "meanSquaredError: expected 'reduction' to be one of tf.Reduction.NONE (0), MEAN (1), SUM (2), SUM_BY_NONZERO_WEIGHTS (3), got a string (\"mean\")");
  assertThrowsMessage(() => st.losses.meanSquaredError([1, 2], [1, 2, 3]),
    "meanSquaredError: 'labels' and 'predictions' must have the same shape, got [2] and [3]");
  assertThrowsMessage(() => st.losses.huberLoss([1], [2], null, '1' as never), "huberLoss: expected 'delta' to be a number, got a string (\"1\")");
  assertThrowsMessage(() => st.losses.sigmoidCrossEntropy([1], [2], null, 1.5), "sigmoidCrossEntropy: expected 'labelSmoothing' in [0, 1], got 1.5");
  assertThrowsMessage(() => st.losses.cosineDistance([1], [2], 0.5), "cosineDistance: expected 'axis' to be an integer, got number 0.5");
  assertThrowsMessage(() => st.losses.absoluteDifference([1], [2], null, st.Reduction.SUM, 'extra' as never),
    'absoluteDifference: got 1 argument(s) more than absoluteDifference(labels, predictions, weights?, reduction?) takes');
  assertThrowsMessage(() => st.losses.computeWeightedLoss([1, 2], null, 7 as never), "computeWeightedLoss: expected 'reduction' to be one of");
});
