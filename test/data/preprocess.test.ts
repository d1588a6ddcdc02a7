/** toCategorical, rescale and standardize on small known inputs. */
import test from 'node:test';
import assert from 'node:assert/strict';
import { tensor } from '../../src/tensor/creation.js';
import { toCategorical, rescale, standardize, Standardizer } from '../../src/data/preprocess.js';
import { assertClose } from '../helpers.js';

test('toCategorical turns labels into one-hot rows', () => {
  const t = toCategorical([2, 0, 1], 4);
  assert.deepEqual(t.shape, [3, 4]);
  assert.equal(t.dtype, 'float32');
  assert.deepEqual(t.arraySync(), [[0, 0, 1, 0], [1, 0, 0, 0], [0, 1, 0, 0]]);
  assert.deepEqual(toCategorical(tensor([[1], [0]], [2, 1], 'int32')).arraySync(), [[0, 1], [1, 0]], 'numClasses from the data');
  assert.throws(() => toCategorical([0, 5, 1], 3), /labels\[1\] = 5 is out of range for 3 classes \(expected 0\.\.2\)/);
  assert.throws(() => toCategorical([0, -1]), /labels\[1\] = -1; class labels must be whole numbers >= 0/);
  assert.throws(() => toCategorical([0, 1.5]), /labels\[1\] = 1.5/);
  assert.throws(() => toCategorical(tensor([[0, 1]], [1, 2])), /expected labels of shape \[n\] or \[n, 1\], got \[1, 2\]/);
});

test('rescale maps bytes to [0, 1] by default', () => {
  const r = rescale(tensor([0, 51, 255], [3], 'int32'));
  assert.equal(r.dtype, 'float32');
  assertClose(Array.from(r.dataSync()), [0, 0.2, 1], 1e-7, 'rescale');
  assertClose(Array.from(rescale([0, 2], 0.5, -1).dataSync()), [-1, 0], 0, 'scale and offset');
});

test('standardize measures on training data and applies the same numbers to other data', () => {
  // two features: [1, 3, 5] (mean 3, population std sqrt(8/3)) and a constant 7
  const train = tensor([[1, 7], [3, 7], [5, 7]]);
  const s = standardize(train, { epsilon: 0 });
  assertClose(Array.from(s.mean), [3, 7], 1e-6, 'mean');
  assertClose(Array.from(s.std), [Math.sqrt(8 / 3), 0], 1e-6, 'std');
  const z = standardize(train).apply(train).arraySync() as number[][];
  assertClose(z.map((r) => r[0]), [-1.2247449, 0, 1.2247449], 1e-5, 'standardised feature');
  assert.deepEqual(z.map((r) => r[1]), [0, 0, 0], 'a constant feature becomes 0, not NaN');
  // the test data are shifted with the training statistics, not their own
  const other = standardize(train).apply(tensor([[3, 8]])).arraySync() as number[][];
  assert.equal(other[0][0], 0);
  assert.ok(other[0][1] > 1e6, 'constant in training, different in test: large, finite');
  const back = standardize(train).invert(standardize(train).apply(train));
  assertClose(Array.from(back.dataSync()), [1, 7, 3, 7, 5, 7], 1e-4, 'invert');
  assert.throws(() => s.apply(tensor([[1, 2, 3]])), /statistics are for rows of shape \[2\], got data of shape \[1, 3\]/);
  const copy = Standardizer.fromJSON(JSON.parse(JSON.stringify(s)));
  assert.deepEqual(Array.from(copy.apply(train).dataSync()), Array.from(s.apply(train).dataSync()));
});

test('standardize per channel for NHWC images, and globally', () => {
  // 2 images 1x2 pixels, 2 channels: channel 0 holds 0, 2, 4, 6; channel 1 holds 10 everywhere
  const images = tensor([0, 10, 2, 10, 4, 10, 6, 10], [2, 1, 2, 2]);
  const s = standardize(images, { axis: 'channel', epsilon: 0 });
  assertClose(Array.from(s.mean), [3, 10], 1e-6, 'channel means');
  assertClose(Array.from(s.std), [Math.sqrt(5), 0], 1e-6, 'channel std');
  assert.throws(() => s.apply(tensor([1, 2, 3], [1, 1, 1, 3])), /statistics are for 2 channels, got data with 3/);
  const g = standardize(tensor([[1, 2], [3, 4]]), { axis: 'global', epsilon: 0 });
  assertClose([g.mean[0], g.std[0]], [2.5, Math.sqrt(1.25)], 1e-6, 'global');
  assert.throws(() => standardize(tensor([[1, NaN]])), /xTrain holds NaN at flat index 1/);
});
