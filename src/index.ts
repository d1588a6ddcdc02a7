/**
 * striate: deep learning in TypeScript. `import * as st from 'striate'`. Everything the browser
 * entry has (browser.ts), plus what reads and writes files in Node: `st.io` with the file system,
 * `st.node` (tfjs-node's image codecs and TensorBoard), the CSV logger and
 * model checkpoints among the callbacks, and the file-reading data loaders. The names below
 * that browser.ts also exports (`callbacks`, `data`) are these fuller Node versions.
 */
export * from './browser.js';
import Long from 'long';
import { setLongClass } from './tensor/util.js';
// util.fingerPrint64/hexToLong return Longs, as TensorFlow.js does (the browser entry cannot import packages)
setLongClass(Long);
import { callbacks as trainingCallbacks } from './train/index.js';
import { modelCheckpoint } from './io/checkpoint.js';
/**
 * fit callbacks: earlyStopping, reduceLROnPlateau, terminateOnNaN, csvLogger, modelCheckpoint
 * @namespace
 */
export const callbacks = { ...trainingCallbacks, modelCheckpoint };
export * as io from './io/index.js';
/** tfjs-node's additions that need no native binary: image codecs and TensorBoard logging */
export * as node from './node/index.js';
export { CSVLogger, type CSVLoggerArgs } from './train/index.js';
export { loadBundledDigits, type Digits } from './data/mnist.js';
export { readIdx, loadIdxImages, type IdxFile, type IdxImages, type IdxSplit } from './data/idx.js';
/** data sets (with the file loaders), splits, preprocessing, `Dataset` streams, augmentation: `st.data.*` */
export * as data from './data/index.js';
