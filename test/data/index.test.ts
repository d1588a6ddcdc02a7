/** The public door: st.data exposes the loaders, utilities, Dataset and augmentation. */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as st from '../../src/index.js';

test('st.data exposes the data API', async () => {
  const names = [
    'loadBundledDigits', 'loadDigits', 'loadMnistFolder', 'loadFashionMnist', 'readIdx', 'loadIdxImages',
    'loadCsv', 'csvDataset', 'loadDigitRecognizerCsv', 'digitRecognizerDataset', 'loadImageFolder', 'imageFolderDataset',
    'xor', 'fourGaussians', 'onePocket', 'twoPockets', 'twoSpirals', 'circles',
    'trainTestSplit', 'shuffle', 'toCategorical', 'rescale', 'standardize',
    'array', 'fromGenerator', 'zip', 'fromTensorSlices', 'transformImages', 'imageAugmenter',
  ] as const;
  for (const name of names) assert.equal(typeof st.data[name], 'function', `st.data.${name}`);
  assert.equal(st.data.FASHION_MNIST_CLASSES.length, 10);
  assert.ok(st.data.array([1]) instanceof st.data.Dataset);
  // the pieces fit together: a toy set split, one-hot labels, batched through a Dataset
  const { x, y } = st.data.twoSpirals({ n: 40, seed: 1 });
  const [xTrain, , yTrain] = st.data.trainTestSplit(x, y, { testSize: 0.25, seed: 1, stratify: true });
  const batches = await st.data.fromTensorSlices({ xs: xTrain, ys: st.data.toCategorical(yTrain, 2) }).batch(10).toArray() as { xs: st.Tensor; ys: st.Tensor }[];
  assert.deepEqual(batches.map((b) => b.xs.shape[0]), [10, 10, 10]);
  assert.deepEqual(batches[0].ys.shape, [10, 2]);
});
