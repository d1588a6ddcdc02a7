/**
 * Image folders with one sub-folder per class (`root/cat/1.png`, `root/dog/7.jpg`), as Keras'
 * `image_dataset_from_directory` reads them: class names are the sub-folder names in sorted
 * order, images become NHWC float32 in [0, 1], resized bilinearly to `targetSize` when given.
 */
import { readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { makeTensor } from '../tensor/engine.js';
import type { Tensor } from '../tensor/tensor.js';
import { Dataset } from './dataset.js';
import { ColorMode, readImage, resizeBilinear } from './image_decode.js';
import type { ImageSet } from './image_sets.js';

export interface ImageFolderOptions {
  /** [height, width] to resize every image to; without it all images must have one size */
  targetSize?: [number, number];
  /** 'rgb' (3 channels, the default, as in Keras) or 'grayscale' (1 channel) */
  colorMode?: ColorMode;
  /** file name endings to read, lower case; default .png .jpg .jpeg .pgm .ppm .pnm */
  extensions?: readonly string[];
}

export interface ImageFolderSet extends ImageSet {
  /** each image's file, in the order of the rows */
  files: string[];
}

const DEFAULT_EXTENSIONS = ['.png', '.jpg', '.jpeg', '.pgm', '.ppm', '.pnm'];

interface Listing { files: string[]; labels: number[]; classNames: string[] }

function sortedNames(folder: string): string[] {
  // code-unit order, not locale order, so that the class indices are the same on every machine
  return readdirSync(folder).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * The image files of `folder`'s class sub-folders, with their labels.
 *
 * @example
 * ```ts
 * const fs = await import('node:fs'), os = await import('node:os'), path = await import('node:path');
 * const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'st-images-'));
 * // class sub-folders of small grey PGM images (P2: width height, max value, the pixels)
 * for (const [label, pixels] of [['cat', '0 255 255 0'], ['dog', '255 0 0 255']]) {
 *   fs.mkdirSync(path.join(dir, label));
 *   fs.writeFileSync(path.join(dir, label, 'a.pgm'), `P2\n2 2\n255\n${pixels}\n`);
 * }
 * const { files, labels, classNames } = st.data.listImageFolder(dir);
 * console.log(files.map((f) => path.relative(dir, f)), labels, classNames); // ['cat/a.pgm', 'dog/a.pgm'] [0, 1] ['cat', 'dog']
 * ```
 */
export function listImageFolder(folder: string, extensions: readonly string[] = DEFAULT_EXTENSIONS, op = 'listImageFolder'): Listing {
  if (!statSync(folder, { throwIfNoEntry: false })?.isDirectory()) {
    throw new Error(`${op}: ${folder} is not a folder; expected a folder with one sub-folder of images per class`);
  }
  const entries = sortedNames(folder);
  const classNames = entries.filter((e) => statSync(join(folder, e)).isDirectory() && !e.startsWith('.'));
  if (classNames.length === 0) {
    const loose = entries.filter((e) => extensions.includes(extname(e).toLowerCase())).length;
    throw new Error(`${op}: ${folder} has no class sub-folders` +
      (loose > 0 ? ` (it holds ${loose} images directly)` : entries.length === 0 ? ' (it is empty)' : '') +
      `; expected one sub-folder per class, e.g. ${join(folder, 'cat', '1.png')}`);
  }
  const files: string[] = [];
  const labels: number[] = [];
  classNames.forEach((name, label) => {
    for (const f of sortedNames(join(folder, name))) {
      const path = join(folder, name, f);
      if (!extensions.includes(extname(f).toLowerCase()) || !statSync(path).isFile()) continue;
      files.push(path);
      labels.push(label);
    }
  });
  if (files.length === 0) {
    throw new Error(`${op}: the class folders of ${folder} (${classNames.join(', ')}) hold no images ` +
      `ending in ${extensions.join(', ')}`);
  }
  return { files, labels, classNames };
}

function checkOptions(op: string, options: ImageFolderOptions): { mode: ColorMode; size?: [number, number] } {
  const mode = options.colorMode ?? 'rgb';
  if (mode !== 'rgb' && mode !== 'grayscale') throw new Error(`${op}: colorMode must be 'rgb' or 'grayscale', got ${JSON.stringify(mode)}`);
  const size = options.targetSize;
  if (size !== undefined && !(Array.isArray(size) && size.length === 2 && size.every((d) => Number.isInteger(d) && d > 0))) {
    throw new Error(`${op}: targetSize must be [height, width] with positive integers, got ${JSON.stringify(size)}`);
  }
  return { mode, size };
}

/**
 * Reads every image of an image folder into one [n, h, w, c] tensor with int32 labels.
 *
 * @example
 * ```ts
 * const fs = await import('node:fs'), os = await import('node:os'), path = await import('node:path');
 * const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'st-images-'));
 * // class sub-folders of small grey PGM images (P2: width height, max value, the pixels)
 * for (const [label, pixels] of [['cat', '0 255 255 0'], ['dog', '255 0 0 255']]) {
 *   fs.mkdirSync(path.join(dir, label));
 *   fs.writeFileSync(path.join(dir, label, 'a.pgm'), `P2\n2 2\n255\n${pixels}\n`);
 * }
 * const { xs, labels, classNames } = st.data.loadImageFolder(dir, { colorMode: 'grayscale' });
 * console.log(xs.shape, classNames); // [2, 2, 2, 1] ['cat', 'dog']
 * labels.print(); // [0, 1]
 * ```
 */
export function loadImageFolder(folder: string, options: ImageFolderOptions = {}): ImageFolderSet {
  const op = 'loadImageFolder';
  const { mode, size } = checkOptions(op, options);
  const { files, labels, classNames } = listImageFolder(folder, options.extensions ?? DEFAULT_EXTENSIONS, op);
  const channels = mode === 'grayscale' ? 1 : 3;
  let h = size?.[0] ?? 0;
  let w = size?.[1] ?? 0;
  let xs: Float32Array | null = null;
  let firstFile = '';
  files.forEach((file, i) => {
    const img = readImage(file, mode);
    if (xs === null) {
      firstFile = file;
      if (!size) { h = img.height; w = img.width; }
      xs = new Float32Array(files.length * h * w * channels);
    } else if (!size && (img.height !== h || img.width !== w)) {
      throw new Error(`${op}: images differ in size and no targetSize was given: ${firstFile} is ${h}x${w} ` +
        `(height x width) but ${file} is ${img.height}x${img.width}; pass targetSize: [height, width] to resize them all`);
    }
    resizeBilinear(img.data, img.height, img.width, channels, h, w, xs, i * h * w * channels);
  });
  const n = files.length;
  return {
    xs: makeTensor(xs!, [n, h, w, channels], 'float32'),
    labels: makeTensor(Int32Array.from(labels), [n], 'int32'),
    count: n, classNames, files,
  };
}

/**
 * An image folder as a streaming `Dataset` of `{xs: [h, w, c], ys: int32 label}`, decoding
 * each file only when it is reached (for folders too large to hold decoded). `targetSize` is
 * required, since a stream cannot check that all sizes agree before it starts.
 *
 * @example
 * ```ts
 * const fs = await import('node:fs'), os = await import('node:os'), path = await import('node:path');
 * const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'st-images-'));
 * // class sub-folders of small grey PGM images (P2: width height, max value, the pixels)
 * for (const [label, pixels] of [['cat', '0 255 255 0'], ['dog', '255 0 0 255']]) {
 *   fs.mkdirSync(path.join(dir, label));
 *   fs.writeFileSync(path.join(dir, label, 'a.pgm'), `P2\n2 2\n255\n${pixels}\n`);
 * }
 * const images = st.data.imageFolderDataset(dir, { targetSize: [4, 4] }).batch(2);
 * const [{ xs, ys }] = await images.toArray();
 * console.log(xs.shape, ys.shape); // [2, 4, 4, 3] [2]
 * ```
 */
export function imageFolderDataset(folder: string, options: ImageFolderOptions & { targetSize: [number, number] }): Dataset<{ xs: Tensor; ys: Tensor }> {
  const op = 'imageFolderDataset';
  const { mode, size } = checkOptions(op, options);
  if (!size) throw new Error(`${op}: targetSize [height, width] is required for a streaming image dataset`);
  const { files, labels } = listImageFolder(folder, options.extensions ?? DEFAULT_EXTENSIONS, op);
  const channels = mode === 'grayscale' ? 1 : 3;
  return new Dataset(function* () {
    for (let i = 0; i < files.length; i++) {
      const img = readImage(files[i], mode);
      const xs = resizeBilinear(img.data, img.height, img.width, channels, size[0], size[1]);
      yield { xs: makeTensor(xs, [size[0], size[1], channels], 'float32'), ys: makeTensor(Int32Array.of(labels[i]), [], 'int32') };
    }
  });
}
