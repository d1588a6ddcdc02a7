/**
 * IDX files, the format of MNIST and Fashion-MNIST (`train-images-idx3-ubyte` and friends),
 * plain or gzipped. A file is a 4-byte magic number (two zero bytes, a type code, the number of
 * dimensions), one big-endian uint32 per dimension, then the values in row-major order.
 * Only the unsigned-byte type (0x08) is read: it is the one every image data set uses, and it
 * lets the payload be handed back without conversion.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

export interface IdxFile {
  /** the sizes from the header, e.g. [60000, 28, 28] */
  dims: number[];
  /** the values, row-major; a view on the (decompressed) file */
  data: Uint8Array;
}

export interface IdxImages {
  /** pixels scaled to [0, 1], laid out as `shape` (NHWC, one channel) */
  xs: Float32Array;
  /** [count, rows, cols, 1], [n, 28, 28, 1] for (Fashion-)MNIST */
  shape: [number, number, number, number];
  /** class indices, one per image */
  labels: Int32Array;
  count: number;
}

export type IdxSplit = 'train' | 'test';

const UNSIGNED_BYTE = 0x08;
const TYPE_NAMES: Record<number, string> = {
  0x08: 'unsigned byte', 0x09: 'signed byte', 0x0b: 'int16', 0x0c: 'int32', 0x0d: 'float32', 0x0e: 'float64',
};

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
}

/** The file's bytes, gunzipped when it is gzip (decided by its content, not only its name). */
function readBytes(path: string): Uint8Array {
  let raw: Buffer;
  try {
    raw = readFileSync(path);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const why = err.code === 'ENOENT' ? 'no such file' : err.code === 'EISDIR' ? 'it is a folder' : err.message;
    throw new Error(`readIdx: cannot read ${path}: ${why}`);
  }
  const isGzip = raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b;
  if (!isGzip) {
    if (path.endsWith('.gz')) {
      throw new Error(`readIdx: ${path} is named .gz but is not gzip data (first bytes ${hex(raw.subarray(0, 4))})`);
    }
    return new Uint8Array(raw.buffer, raw.byteOffset, raw.length);
  }
  try {
    const out = gunzipSync(raw);
    return new Uint8Array(out.buffer, out.byteOffset, out.length);
  } catch (e) {
    throw new Error(`readIdx: ${path}: truncated or corrupt gzip data (${(e as Error).message}); ` +
      'download or copy the file again');
  }
}

/**
 * Reads one IDX file (plain or .gz). Throws an error naming the file and the problem.
 *
 * @example
 * ```ts
 * const fs = await import('node:fs'), os = await import('node:os'), path = await import('node:path');
 * const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'st-idx-'));
 * // an IDX file: two zero bytes, type 8 (unsigned byte), the rank, the sizes (big-endian), the bytes
 * const idx = (sizes: number[], bytes: number[]) => {
 *   const head = Buffer.alloc(4 + 4 * sizes.length);
 *   head[2] = 8; head[3] = sizes.length;
 *   sizes.forEach((s, i) => head.writeUInt32BE(s, 4 + 4 * i));
 *   return Buffer.concat([head, Buffer.from(bytes)]);
 * };
 * const file = path.join(dir, 'labels-idx1-ubyte');
 * fs.writeFileSync(file, idx([3], [4, 1, 9]));
 * const { dims, data } = st.data.readIdx(file);
 * console.log(dims, data); // [3] Uint8Array [4, 1, 9]
 * ```
 */
export function readIdx(path: string): IdxFile {
  const bytes = readBytes(path);
  if (bytes.length < 4) {
    throw new Error(`readIdx: ${path} is ${bytes.length} bytes long, too short for the 4-byte IDX magic number`);
  }
  const [zero0, zero1, type, rank] = bytes;
  if (zero0 !== 0 || zero1 !== 0 || rank === 0 || !(type in TYPE_NAMES)) {
    throw new Error(`readIdx: ${path} is not an IDX file: expected magic number 00 00 <type> <dims> at byte 0 ` +
      `(e.g. 00 00 08 03 for images), got ${hex(bytes.subarray(0, 4))}`);
  }
  if (type !== UNSIGNED_BYTE) {
    throw new Error(`readIdx: ${path} holds ${TYPE_NAMES[type]} values (type 0x${type.toString(16).padStart(2, '0')}); ` +
      'only unsigned bytes (0x08) are supported');
  }
  const headerBytes = 4 + 4 * rank;
  if (bytes.length < headerBytes) {
    throw new Error(`readIdx: ${path} is truncated inside its header: ${rank} dimensions need ${headerBytes} bytes, ` +
      `the file has ${bytes.length}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims: number[] = [];
  for (let i = 0; i < rank; i++) dims.push(view.getUint32(4 + 4 * i, false));
  const expected = dims.reduce((a, b) => a * b, 1);
  const actual = bytes.length - headerBytes;
  if (actual !== expected) {
    const what = actual < expected ? 'truncated' : 'has extra bytes after the data';
    throw new Error(`readIdx: ${path} ${what}: its header says [${dims.join(', ')}] = ${expected} bytes of data ` +
      `after the ${headerBytes}-byte header, but ${actual} bytes follow it`);
  }
  return { dims, data: bytes.subarray(headerBytes) };
}

/** The standard file names: train-images-idx3-ubyte, t10k-labels-idx1-ubyte, ... */
function standardName(split: IdxSplit, kind: 'images' | 'labels'): string {
  return `${split === 'train' ? 'train' : 't10k'}-${kind}-${kind === 'images' ? 'idx3' : 'idx1'}-ubyte`;
}

/**
 * The path of `name` or `name.gz` in `folder`, plain first; an error saying what was looked for.
 *
 * @example
 * ```ts
 * const fs = await import('node:fs'), os = await import('node:os'), path = await import('node:path');
 * const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'st-idx-'));
 * fs.writeFileSync(path.join(dir, 'train-labels-idx1-ubyte.gz'), '');
 * console.log(path.basename(st.data.findIdxFile(dir, 'train-labels-idx1-ubyte'))); // the .gz one, as no plain file is there
 * ```
 */
export function findIdxFile(folder: string, name: string): string {
  for (const candidate of [name, `${name}.gz`]) {
    const path = join(folder, candidate);
    if (statSync(path, { throwIfNoEntry: false })?.isFile()) return path;
  }
  throw new Error(`loadIdxImages: no ${name} in ${folder}: looked for ${name} and ${name}.gz ` +
    '(Fashion-MNIST on Debian: apt-get install dataset-fashion-mnist, then use /usr/share/datasets/fashion-mnist)');
}

/**
 * The images and labels of one split of an MNIST-style folder (`train`: train-*, `test`: t10k-*),
 * pixels scaled to [0, 1] in NHWC order. `limit` keeps the first `limit` samples.
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
 * const { xs, shape, labels } = st.data.loadIdxImages(dir, 'train');
 * console.log(shape, xs.slice(0, 4)); // [2, 2, 2, 1] Float32Array [0, 1, 1, 0]
 * console.log(labels); // Int32Array [1, 7]
 * ```
 */
export function loadIdxImages(folder: string, split: IdxSplit, options: { limit?: number } = {}): IdxImages {
  if (split !== 'train' && split !== 'test') {
    throw new Error(`loadIdxImages: split must be 'train' or 'test', got ${JSON.stringify(split)}`);
  }
  const imagePath = findIdxFile(folder, standardName(split, 'images'));
  const labelPath = findIdxFile(folder, standardName(split, 'labels'));
  const images = readIdx(imagePath);
  const labels = readIdx(labelPath);
  if (images.dims.length !== 3) {
    throw new Error(`loadIdxImages: ${imagePath} should hold images [count, rows, cols], ` +
      `got dimensions [${images.dims.join(', ')}]`);
  }
  if (labels.dims.length !== 1) {
    throw new Error(`loadIdxImages: ${labelPath} should hold labels [count], got dimensions [${labels.dims.join(', ')}]`);
  }
  const [n, rows, cols] = images.dims;
  if (labels.dims[0] !== n) {
    throw new Error(`loadIdxImages: ${imagePath} holds ${n} images but ${labelPath} holds ${labels.dims[0]} labels`);
  }
  const count = Math.min(n, options.limit ?? n);
  const size = rows * cols;
  const xs = new Float32Array(count * size);
  const pixels = images.data;
  for (let i = 0; i < xs.length; i++) xs[i] = pixels[i] / 255;
  return { xs, shape: [count, rows, cols, 1], labels: Int32Array.from(labels.data.subarray(0, count)), count };
}
