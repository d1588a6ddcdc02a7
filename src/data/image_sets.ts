/**
 * Ready-made image sets as train/test pairs: the bundled digits split by seed, any folder of
 * MNIST-style IDX files, and Fashion-MNIST from Debian's `dataset-fashion-mnist` package.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { makeTensor } from '../tensor/engine.js';
import type { Tensor } from '../tensor/tensor.js';
import { loadIdxImages } from './idx.js';
import { loadBundledDigits } from './mnist.js';
import { trainTestSplit } from './split.js';

/** Images and their class labels. */
export interface ImageSet {
  /** [n, height, width, channels] float32 in [0, 1] (NHWC) */
  xs: Tensor;
  /** [n] int32 class indices */
  labels: Tensor;
  count: number;
  /** the name of each class index */
  classNames: string[];
}

export interface TrainTestSets {
  train: ImageSet;
  test: ImageSet;
  classNames: string[];
}

/** Where Debian's `dataset-fashion-mnist` package puts its four .gz files. */
export const FASHION_MNIST_PATH = '/usr/share/datasets/fashion-mnist';

/** Fashion-MNIST's ten classes, by label (from the data set's own documentation). */
export const FASHION_MNIST_CLASSES: readonly string[] = Object.freeze([
  'T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot',
]);

export const DIGIT_CLASSES: readonly string[] = Object.freeze(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);

export interface DigitsSplitOptions {
  /** the seed of the split; the same seed gives the same two parts */
  seed?: number;
  /** a fraction in (0, 1) or a count of test images; default 0.2 (2,000 of 10,000) */
  testSize?: number;
  /** keep each digit's share equal in both parts; default true */
  stratify?: boolean;
}

/**
 * The 10,000 bundled digits split into training and test parts, deterministically by `seed`.
 *
 * @example
 * ```ts
 * const { train, test } = st.data.loadDigits({ limit: 100 });
 * console.log(train.xs.shape, test.xs.shape);
 * ```
 */
export function loadDigits(options: DigitsSplitOptions = {}): TrainTestSets {
  const all = loadBundledDigits();
  const [xTrain, xTest, yTrain, yTest] = trainTestSplit(all.xs, all.labels, {
    testSize: options.testSize ?? 0.2, seed: options.seed ?? 0, stratify: options.stratify ?? true,
  });
  const classNames = [...DIGIT_CLASSES];
  return {
    train: { xs: xTrain, labels: yTrain, count: xTrain.shape[0], classNames },
    test: { xs: xTest, labels: yTest, count: xTest.shape[0], classNames },
    classNames,
  };
}

export interface IdxFolderOptions {
  /** keep at most this many training images (the first ones) */
  trainLimit?: number;
  /** keep at most this many test images (the first ones) */
  testLimit?: number;
  /** names for the class indices; default '0', '1', ... */
  classNames?: readonly string[];
}

function imageSet(folder: string, split: 'train' | 'test', limit: number | undefined, classNames: string[]): ImageSet {
  const d = loadIdxImages(folder, split, { limit });
  for (let i = 0; i < d.labels.length; i++) {
    if (d.labels[i] >= classNames.length) {
      throw new Error(`loadMnistFolder: ${folder} (${split}) label ${i} is ${d.labels[i]}, ` +
        `but only ${classNames.length} class names were given (${classNames.join(', ')})`);
    }
  }
  return { xs: makeTensor(d.xs, d.shape, 'float32'), labels: makeTensor(d.labels, [d.count], 'int32'), count: d.count, classNames };
}

/**
 * The training (`train-*-ubyte[.gz]`) and test (`t10k-*-ubyte[.gz]`) sets of an MNIST-style
 * folder, images as [n, rows, cols, 1] float32 in [0, 1].
 *
 * @example
 * ```ts
 * const fs = await import('node:fs'), os = await import('node:os'), path = await import('node:path');
 * const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'st-mnist-'));
 * // an IDX file: two zero bytes, type 8 (unsigned byte), the rank, the sizes (big-endian), the bytes
 * const idx = (sizes: number[], bytes: number[]) => {
 *   const head = Buffer.alloc(4 + 4 * sizes.length);
 *   head[2] = 8; head[3] = sizes.length;
 *   sizes.forEach((s, i) => head.writeUInt32BE(s, 4 + 4 * i));
 *   return Buffer.concat([head, Buffer.from(bytes)]);
 * };
 * for (const split of ['train', 't10k']) {
 *   fs.writeFileSync(path.join(dir, `${split}-images-idx3-ubyte`), idx([2, 2, 2], [0, 255, 255, 0, 9, 9, 9, 9]));
 *   fs.writeFileSync(path.join(dir, `${split}-labels-idx1-ubyte`), idx([2], [1, 7]));
 * }
 * const { train, test } = st.data.loadMnistFolder(dir);
 * console.log(train.xs.shape, test.labels.shape); // [2, 2, 2, 1] [2]
 * ```
 */
export function loadMnistFolder(folder: string, options: IdxFolderOptions = {}): TrainTestSets {
  if (!statSync(folder, { throwIfNoEntry: false })?.isDirectory()) {
    throw new Error(`loadMnistFolder: ${folder} is not a folder; expected one holding train-images-idx3-ubyte[.gz], ` +
      'train-labels-idx1-ubyte[.gz], t10k-images-idx3-ubyte[.gz] and t10k-labels-idx1-ubyte[.gz]');
  }
  const classNames = [...(options.classNames ?? DIGIT_CLASSES)];
  return {
    train: imageSet(folder, 'train', options.trainLimit, classNames),
    test: imageSet(folder, 'test', options.testLimit, classNames),
    classNames,
  };
}

/**
 * Whether the Fashion-MNIST files are where `loadFashionMnist` looks by default.
 *
 * @example
 * ```ts
 * console.log(st.data.hasFashionMnist()); // true where Debian's dataset-fashion-mnist is installed
 * ```
 */
export function hasFashionMnist(folder = FASHION_MNIST_PATH): boolean {
  return ['train-images-idx3-ubyte', 't10k-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-labels-idx1-ubyte']
    .every((name) => [name, `${name}.gz`].some((f) => statSync(join(folder, f), { throwIfNoEntry: false })?.isFile()));
}

/**
 * Fashion-MNIST: 60,000 training and 10,000 test images of clothing in ten classes
 * (`FASHION_MNIST_CLASSES`), from Debian's package (apt-get install dataset-fashion-mnist) or
 * any folder with the same four files.
 *
 * @example
 * ```ts
 * // by default from Debian's dataset-fashion-mnist; here from a folder of the same four files
 * const fs = await import('node:fs'), os = await import('node:os'), path = await import('node:path');
 * const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'st-fashion-'));
 * // an IDX file: two zero bytes, type 8 (unsigned byte), the rank, the sizes (big-endian), the bytes
 * const idx = (sizes: number[], bytes: number[]) => {
 *   const head = Buffer.alloc(4 + 4 * sizes.length);
 *   head[2] = 8; head[3] = sizes.length;
 *   sizes.forEach((s, i) => head.writeUInt32BE(s, 4 + 4 * i));
 *   return Buffer.concat([head, Buffer.from(bytes)]);
 * };
 * for (const split of ['train', 't10k']) {
 *   fs.writeFileSync(path.join(dir, `${split}-images-idx3-ubyte`), idx([2, 2, 2], [0, 255, 255, 0, 9, 9, 9, 9]));
 *   fs.writeFileSync(path.join(dir, `${split}-labels-idx1-ubyte`), idx([2], [1, 7]));
 * }
 * const { train } = st.data.loadFashionMnist({ folder: dir, trainLimit: 1 });
 * console.log(train.xs.shape, train.classNames?.[1]); // [1, 2, 2, 1] 'Trouser'
 * ```
 */
export function loadFashionMnist(options: IdxFolderOptions & { folder?: string } = {}): TrainTestSets {
  const folder = options.folder ?? FASHION_MNIST_PATH;
  if (!hasFashionMnist(folder)) {
    throw new Error(`loadFashionMnist: the Fashion-MNIST files are not in ${folder}; on Debian or Ubuntu run ` +
      'apt-get install dataset-fashion-mnist, or pass { folder } where train-images-idx3-ubyte.gz and the other three are');
  }
  return loadMnistFolder(folder, { ...options, classNames: options.classNames ?? FASHION_MNIST_CLASSES });
}
