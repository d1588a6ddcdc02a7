/** `st.data`: data sets, splits, preprocessing, streaming datasets and augmentation. */
export { loadBundledDigits, type Digits } from './mnist.js';
export { readIdx, loadIdxImages, findIdxFile, type IdxFile, type IdxImages, type IdxSplit } from './idx.js';
export * from './image_sets.js';
export { trainTestSplit, shuffle, type TrainTestSplitOptions } from './split.js';
export * from './preprocess.js';
import './node_files.js'; // lets FileDataSource, URLDataSource and csv read file:// paths
export { Dataset, DatasetIterator } from './dataset.js';
export { array, generator, func, zip, fromGenerator, fromTensorSlices } from './creation.js';
export { csv, CSVDataset, type CSVConfig, type ColumnConfig, type CSVElement } from './csv_dataset.js';
export { TextLineDataset, FileDataSource, URLDataSource, DataSource, type FileChunkIteratorOptions, type FileElement } from './sources.js';
export { webcam, microphone, WebcamIterator, MicrophoneIterator, type WebcamConfig, type MicrophoneConfig, type AudioData } from './media.js';
export { stackElements, type Batched } from './batching.js';
export type { NumbersLike } from './rows.js';
export { CsvParser, readCsvRecords, type CsvRecord, type CsvReadOptions } from './csv_reader.js';
export { loadCsv, csvDataset, csvRows, type CsvOptions, type CsvTable, type CsvRow, type CsvElement } from './csv.js';
export { loadDigitRecognizerCsv, digitRecognizerDataset, type DigitCsv } from './digit_csv.js';
export { loadImageFolder, imageFolderDataset, listImageFolder, type ImageFolderOptions, type ImageFolderSet } from './image_folder.js';
export { readImage, decodeImageBytes, resizeBilinear, type ColorMode } from './image_decode.js';
export { decodePnm, type DecodedImage } from './pnm.js';
export { xor, fourGaussians, onePocket, twoPockets, twoSpirals, circles, POCKET_RADIUS, type ToyOptions, type ToySet } from './toy.js';
export { transformImages, imageAugmenter, ImageAugmenter, type ImageTransform, type AugmentOptions, type FillMode, type FillOptions } from './augment.js';
export { Tokenizer, padSequences, DEFAULT_FILTERS, type TokenizerOptions, type TokenizerJSON, type PadSequencesOptions } from './text.js';
/** tfjs-data's version string: striate's version (st.data is part of striate) */
export { version as version_data } from '../version.js';
