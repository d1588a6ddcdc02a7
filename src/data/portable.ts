/**
 * `st.data` for the browser build: the parts of `st.data` that read no files (toy 2-D sets,
 * splits, preprocessing, `Dataset` streams, augmentation), so a bundle pulls in no `node:` module.
 */
export { trainTestSplit, shuffle, type TrainTestSplitOptions } from './split.js';
export * from './preprocess.js';
export { Dataset, DatasetIterator } from './dataset.js';
export { array, generator, func, zip, fromGenerator, fromTensorSlices } from './creation.js';
export { csv, CSVDataset, type CSVConfig, type ColumnConfig, type CSVElement } from './csv_dataset.js';
export { TextLineDataset, FileDataSource, URLDataSource, DataSource, type FileChunkIteratorOptions, type FileElement } from './sources.js';
export { webcam, microphone, WebcamIterator, MicrophoneIterator, type WebcamConfig, type MicrophoneConfig, type AudioData } from './media.js';
export { stackElements, type Batched } from './batching.js';
export type { NumbersLike } from './rows.js';
export { xor, fourGaussians, onePocket, twoPockets, twoSpirals, circles, POCKET_RADIUS, type ToyOptions, type ToySet } from './toy.js';
export { transformImages, imageAugmenter, ImageAugmenter, type ImageTransform, type AugmentOptions, type FillMode, type FillOptions } from './augment.js';
/** tfjs-data's version string: striate's version (st.data is part of striate) */
export { version as version_data } from '../version.js';
