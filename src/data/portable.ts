/**
 * `st.data` for the browser build: the parts of `st.data` that read no files (toy 2-D sets,
 * splits, preprocessing, `Dataset` streams, augmentation), so a bundle pulls in no `node:` module.
 */
export { trainTestSplit, shuffle, type TrainTestSplitOptions } from './split.js';
export * from './preprocess.js';
export { Dataset, array, fromGenerator, zip, fromTensorSlices } from './dataset.js';
export { stackElements, type Batched } from './batching.js';
export type { NumbersLike } from './rows.js';
export { xor, fourGaussians, onePocket, twoPockets, twoSpirals, circles, POCKET_RADIUS, type ToyOptions, type ToySet } from './toy.js';
export { transformImages, imageAugmenter, ImageAugmenter, type ImageTransform, type AugmentOptions, type FillMode, type FillOptions } from './augment.js';
