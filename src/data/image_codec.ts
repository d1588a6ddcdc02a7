/**
 * tfjs-node's image codecs (`st.node.decodeImage`, `decodePng`, `decodeJpeg`, `decodeBmp`,
 * `encodePng`, `encodeJpeg`) in pure JavaScript: PNG through pngjs, JPEG through jpeg-js, BMP
 * here. Pixels come out as int32 tensors [height, width, channels] with values 0..255, as
 * tfjs-node gives them. Channel counts: 0 keeps the file's own (grey 1, grey+alpha 2, RGB 3,
 * RGBA 4); 1 makes grey (PNG with libpng's default weights 0.2126/0.7152/0.0722, JPEG with the
 * JPEG luma 0.299/0.587/0.114, BMP as PNG); 3 drops alpha or repeats grey; 4 adds opaque alpha.
 * GIF is not decoded (no GIF codec among striate's dependencies; an LZW decoder with frame
 * disposal is a codec of its own): such bytes are refused by name.
 */
import pngjs from 'pngjs';
import jpeg from 'jpeg-js';
import type { Tensor } from '../tensor/tensor.js';
import { makeTensor } from '../tensor/engine.js';

type Format = 'png' | 'jpeg' | 'bmp' | 'gif';

/** Pixels as RGBA bytes plus the number of channels the file itself has. */
interface Rgba {
  width: number;
  height: number;
  rgba: Uint8Array;
  ownChannels: 1 | 2 | 3 | 4;
}

function formatOf(b: Uint8Array): Format | null {
  if (b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47) return 'png';
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg';
  if (b[0] === 0x42 && b[1] === 0x4d) return 'bmp';
  if (b[0] === 0x47 && b[1] === 0x49 && b[2] === 0x46 && b[3] === 0x38) return 'gif';
  return null;
}

function checkBytes(where: string, contents: unknown): Uint8Array {
  if (!(contents instanceof Uint8Array)) {
    throw new Error(`${where}: expected the file's bytes as a Uint8Array (or Buffer), got ${contents === null ? 'null' : typeof contents}`);
  }
  if (contents.length === 0) throw new Error(`${where}: the image bytes are empty`);
  return contents;
}

function checkChannels(where: string, channels: unknown, allowed: number[]): number {
  if (!allowed.includes(channels as number)) throw new Error(`${where}: channels must be one of ${allowed.join(', ')}, got ${JSON.stringify(channels)}`);
  return channels as number;
}

function checkDtype(where: string, dtype: unknown): void {
  if (dtype !== 'int32') throw new Error(`${where}: only dtype 'int32' is supported (as in tfjs-node), got ${JSON.stringify(dtype)}`);
}

function buffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function readPng(bytes: Uint8Array): Rgba {
  let png: ReturnType<typeof pngjs.PNG.sync.read>;
  try {
    png = pngjs.PNG.sync.read(buffer(bytes));
  } catch (e) {
    throw new Error(`decodePng: cannot decode the PNG, it is corrupt or truncated (${(e as Error).message})`);
  }
  const own = png.colorType === 0 ? 1 : png.colorType === 4 ? 2 : png.colorType === 2 ? 3 : png.colorType === 6 ? 4 : png.alpha ? 4 : 3;
  return { width: png.width, height: png.height, rgba: new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.byteLength), ownChannels: own };
}

/** The number of colour components a JPEG's frame header declares (1 grey, 3 colour, 4 CMYK). */
function jpegComponents(b: Uint8Array): number {
  let i = 2;
  while (i + 9 < b.length) {
    if (b[i] !== 0xff) return 3;
    const marker = b[i + 1];
    if (marker === 0xff) { i++; continue; }
    const length = (b[i + 2] << 8) | b[i + 3];
    // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC)
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) return b[i + 9];
    i += 2 + length;
  }
  return 3;
}

function readJpeg(bytes: Uint8Array): Rgba {
  let img: { width: number; height: number; data: Uint8Array };
  try {
    img = jpeg.decode(buffer(bytes), { useTArray: true, formatAsRGBA: true });
  } catch (e) {
    throw new Error(`decodeJpeg: cannot decode the JPEG, it is corrupt or truncated (${(e as Error).message})`);
  }
  return { width: img.width, height: img.height, rgba: img.data, ownChannels: jpegComponents(bytes) === 1 ? 1 : 3 };
}

/** Uncompressed BMP: 24- and 32-bit pixels (BI_RGB, or BI_BITFIELDS with the usual masks) and 8-bit with a palette. */
function readBmp(b: Uint8Array): Rgba {
  const fail = (why: string): never => { throw new Error(`decodeBmp: ${why}`); };
  if (b.length < 54) fail(`the file has ${b.length} bytes, fewer than a BMP header's 54`);
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const dataOffset = view.getUint32(10, true);
  const headerSize = view.getUint32(14, true);
  const width = view.getInt32(18, true);
  const rawHeight = view.getInt32(22, true);
  const bits = view.getUint16(28, true);
  const compression = view.getUint32(30, true);
  if (width <= 0 || rawHeight === 0) fail(`invalid size ${width} x ${rawHeight}`);
  if (!(compression === 0 || (compression === 3 && bits === 32))) fail(`compression ${compression} is not supported (uncompressed BMPs only)`);
  if (![8, 24, 32].includes(bits)) fail(`${bits}-bit pixels are not supported (8, 24 and 32 are)`);
  const height = Math.abs(rawHeight);
  const rowBytes = Math.ceil((width * bits) / 32) * 4;
  if (dataOffset + rowBytes * height > b.length) fail(`the pixel data needs ${dataOffset + rowBytes * height} bytes, the file has ${b.length} (truncated?)`);
  const rgba = new Uint8Array(width * height * 4);
  const paletteAt = 14 + headerSize;
  let grey = bits === 8;
  for (let y = 0; y < height; y++) {
    const row = dataOffset + (rawHeight > 0 ? height - 1 - y : y) * rowBytes;
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 4;
      if (bits === 8) {
        const p = paletteAt + b[row + x] * 4;
        rgba[o] = b[p + 2]; rgba[o + 1] = b[p + 1]; rgba[o + 2] = b[p];
        if (rgba[o] !== rgba[o + 1] || rgba[o] !== rgba[o + 2]) grey = false;
        rgba[o + 3] = 255;
      } else {
        const s = row + x * (bits / 8);
        rgba[o] = b[s + 2]; rgba[o + 1] = b[s + 1]; rgba[o + 2] = b[s];
        rgba[o + 3] = bits === 32 ? b[s + 3] : 255;
      }
    }
  }
  return { width, height, rgba, ownChannels: bits === 32 ? 4 : grey ? 1 : 3 };
}

/** RGBA bytes to an int32 [h, w, c] tensor of `channels` channels (0: the file's own). */
function toTensor(img: Rgba, channels: number, greyWeights: [number, number, number]): Tensor {
  const c = channels === 0 ? img.ownChannels : channels;
  const n = img.width * img.height;
  const out = new Int32Array(n * c);
  const [wr, wg, wb] = greyWeights;
  for (let p = 0; p < n; p++) {
    const r = img.rgba[4 * p];
    const g = img.rgba[4 * p + 1];
    const b = img.rgba[4 * p + 2];
    const a = img.rgba[4 * p + 3];
    const o = p * c;
    if (c <= 2) {
      out[o] = img.ownChannels <= 2 ? r : Math.round(wr * r + wg * g + wb * b);
      if (c === 2) out[o + 1] = a;
    } else {
      out[o] = r;
      out[o + 1] = g;
      out[o + 2] = b;
      if (c === 4) out[o + 3] = a;
    }
  }
  return makeTensor(out, [img.height, img.width, c], 'int32');
}

const PNG_GREY: [number, number, number] = [0.2126, 0.7152, 0.0722];
const JPEG_GREY: [number, number, number] = [0.299, 0.587, 0.114];

/**
 * A PNG's pixels as int32 [height, width, channels].
 *
 * @example
 * ```ts
 * const png = await st.node.encodePng(st.zeros([1, 1, 3], 'int32'));
 * console.log(st.node.decodePng(png).shape); // [1, 1, 3]
 * ```
 */
export function decodePng(contents: Uint8Array, channels = 0, dtype = 'int32'): Tensor {
  checkBytes('decodePng', contents);
  checkChannels('decodePng', channels, [0, 1, 2, 3, 4]);
  checkDtype('decodePng', dtype);
  if (formatOf(contents) !== 'png') throw new Error('decodePng: the bytes are not a PNG (no PNG signature at byte 0)');
  return toTensor(readPng(contents), channels, PNG_GREY);
}

/**
 * A JPEG's pixels as int32 [height, width, channels]. jpeg-js decodes at full size with its own
 * upsampling and inverse DCT, so `fancyUpscaling` and `dctMethod` (which pick among libjpeg's)
 * change nothing; a `ratio` other than 1 and `tryRecoverTruncated` are not supported.
 *
 * @example
 * ```ts
 * const jpeg = await st.node.encodeJpeg(st.fill([8, 8, 3], 128, 'int32'));
 * console.log(st.node.decodeJpeg(jpeg, 1).shape); // [8, 8, 1]
 * ```
 */
export function decodeJpeg(contents: Uint8Array, channels = 0, ratio = 1, fancyUpscaling = true, tryRecoverTruncated = false,
  acceptableFraction = 1, dctMethod = ''): Tensor {
  checkBytes('decodeJpeg', contents);
  checkChannels('decodeJpeg', channels, [0, 1, 3]);
  if (ratio !== 1) throw new Error(`decodeJpeg: ratio must be 1 (downscaling while decoding is not supported), got ${JSON.stringify(ratio)}`);
  if (tryRecoverTruncated) throw new Error('decodeJpeg: tryRecoverTruncated is not supported; a truncated JPEG is an error');
  if (typeof fancyUpscaling !== 'boolean' || typeof acceptableFraction !== 'number' || typeof dctMethod !== 'string') {
    throw new Error('decodeJpeg: expected fancyUpscaling a boolean, acceptableFraction a number and dctMethod a string');
  }
  if (formatOf(contents) !== 'jpeg') throw new Error('decodeJpeg: the bytes are not a JPEG (no SOI marker FF D8 FF at byte 0)');
  return toTensor(readJpeg(contents), channels, JPEG_GREY);
}

/**
 * An uncompressed BMP's pixels as int32 [height, width, channels].
 *
 * @example
 * ```ts
 * // a 1x1 24-bit BMP: the file header, the 40-byte info header, one pixel row (blue, green, red, padding)
 * const bmp = Buffer.alloc(58);
 * bmp.write('BM'); bmp.writeUInt32LE(58, 2); bmp.writeUInt32LE(54, 10);
 * bmp.writeUInt32LE(40, 14); bmp.writeInt32LE(1, 18); bmp.writeInt32LE(1, 22); bmp.writeUInt16LE(1, 26); bmp.writeUInt16LE(24, 28);
 * bmp.set([0, 0, 255], 54);
 * st.node.decodeBmp(bmp).print(); // [[[255, 0, 0]]]: red
 * ```
 */
export function decodeBmp(contents: Uint8Array, channels = 0): Tensor {
  checkBytes('decodeBmp', contents);
  checkChannels('decodeBmp', channels, [0, 1, 3, 4]);
  if (formatOf(contents) !== 'bmp') throw new Error('decodeBmp: the bytes are not a BMP (no "BM" at byte 0)');
  return toTensor(readBmp(contents), channels, PNG_GREY);
}

/**
 * Any supported image, told by its first bytes: PNG, JPEG or BMP, as int32 [height, width,
 * channels]. (`expandAnimations` concerns GIFs, which are not decoded.)
 *
 * @example
 * ```ts
 * const png = await st.node.encodePng(st.zeros([2, 2, 1], 'int32'));
 * console.log(st.node.decodeImage(png).shape); // [2, 2, 1]
 * ```
 */
export function decodeImage(contents: Uint8Array, channels = 0, dtype = 'int32', expandAnimations = true): Tensor {
  checkBytes('decodeImage', contents);
  checkDtype('decodeImage', dtype);
  if (typeof expandAnimations !== 'boolean') throw new Error(`decodeImage: expandAnimations must be a boolean, got ${typeof expandAnimations}`);
  switch (formatOf(contents)) {
    case 'png': return decodePng(contents, channels, dtype);
    case 'jpeg': return decodeJpeg(contents, channels);
    case 'bmp': return decodeBmp(contents, channels);
    case 'gif': throw new Error('decodeImage: GIF images are not supported (PNG, JPEG and BMP are); convert the GIF first');
    default: {
      const first = Array.from(contents.subarray(0, 4), (v) => v.toString(16).padStart(2, '0')).join(' ');
      throw new Error(`decodeImage: expected a PNG, JPEG or BMP image, got bytes starting ${first}`);
    }
  }
}

/** An image tensor [h, w, c] as bytes 0..255 (values rounded; outside 0..255 is an error). */
function imageBytes(where: string, image: Tensor, channels: number[]): { h: number; w: number; c: number; data: Uint8Array } {
  if (!image || typeof (image as Tensor).dataSync !== 'function') throw new Error(`${where}: expected an image tensor [height, width, channels]`);
  if (image.rank !== 3 || !channels.includes(image.shape[2])) {
    throw new Error(`${where}: expected an image tensor [height, width, channels] with ${channels.join(', ')} channels, got shape [${image.shape}]`);
  }
  const values = image.dataSync();
  const data = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = Math.round(values[i]);
    if (!(v >= 0 && v <= 255)) throw new Error(`${where}: pixel values must be in 0..255, got ${values[i]} at index ${i}`);
    data[i] = v;
  }
  return { h: image.shape[0], w: image.shape[1], c: image.shape[2], data };
}

/**
 * The image (1 to 4 channels, values 0..255) as PNG bytes; `compression` is zlib's level, -1 (default) to 9.
 *
 * @example
 * ```ts
 * const png = await st.node.encodePng(st.fill([2, 2, 3], 255, 'int32'));
 * st.node.decodePng(png).print(); // white 2×2
 * ```
 */
export async function encodePng(image: Tensor, compression = 1): Promise<Uint8Array> {
  if (!Number.isInteger(compression) || compression < -1 || compression > 9) {
    throw new Error(`encodePng: compression must be an integer from -1 to 9, got ${JSON.stringify(compression)}`);
  }
  const { h, w, c, data } = imageBytes('encodePng', image, [1, 2, 3, 4]);
  const colorType = [0, 4, 2, 6][c - 1];
  const out = pngjs.PNG.sync.write({ width: w, height: h, data: buffer(data) },
    { colorType, inputColorType: colorType, bitDepth: 8, deflateLevel: compression === -1 ? 6 : compression });
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

/**
 * The image (1 or 3 channels, values 0..255) as JPEG bytes, at `quality` 0..100, with the JFIF
 * density given. jpeg-js writes baseline JPEGs with full-resolution chroma and three components,
 * so a grey image is written as colour with equal channels; `optimizeSize` and
 * `chromaDownsampling` (size choices) have no effect, and `progressive` and `xmpMetadata` are
 * refused.
 *
 * @example
 * ```ts
 * const jpeg = await st.node.encodeJpeg(st.fill([8, 8, 3], 128, 'int32'));
 * console.log(st.node.decodeJpeg(jpeg).shape); // [8, 8, 3]
 * ```
 */
export async function encodeJpeg(image: Tensor, format: '' | 'grayscale' | 'rgb' = '', quality = 95, progressive = false, optimizeSize = false,
  chromaDownsampling = true, densityUnit: 'in' | 'cm' = 'in', xDensity = 300, yDensity = 300, xmpMetadata = ''): Promise<Uint8Array> {
  if (!['', 'grayscale', 'rgb'].includes(format)) throw new Error(`encodeJpeg: format must be '', 'grayscale' or 'rgb', got ${JSON.stringify(format)}`);
  if (!Number.isInteger(quality) || quality < 0 || quality > 100) throw new Error(`encodeJpeg: quality must be an integer from 0 to 100, got ${JSON.stringify(quality)}`);
  if (progressive) throw new Error('encodeJpeg: progressive JPEGs are not supported (baseline only)');
  if (xmpMetadata !== '') throw new Error('encodeJpeg: xmpMetadata is not supported');
  if (typeof optimizeSize !== 'boolean' || typeof chromaDownsampling !== 'boolean') throw new Error('encodeJpeg: optimizeSize and chromaDownsampling must be booleans');
  if (densityUnit !== 'in' && densityUnit !== 'cm') throw new Error(`encodeJpeg: densityUnit must be 'in' or 'cm', got ${JSON.stringify(densityUnit)}`);
  for (const [name, d] of [['xDensity', xDensity], ['yDensity', yDensity]] as const) {
    if (!Number.isInteger(d) || d < 1 || d > 65535) throw new Error(`encodeJpeg: ${name} must be an integer from 1 to 65535, got ${JSON.stringify(d)}`);
  }
  const { h, w, c, data } = imageBytes('encodeJpeg', image, [1, 3]);
  if ((format === 'grayscale' && c !== 1) || (format === 'rgb' && c !== 3)) {
    throw new Error(`encodeJpeg: format '${format}' needs an image with ${format === 'rgb' ? 3 : 1} channel(s), got ${c}`);
  }
  const rgba = new Uint8Array(w * h * 4);
  for (let p = 0; p < w * h; p++) {
    for (let k = 0; k < 3; k++) rgba[4 * p + k] = data[p * c + (c === 1 ? 0 : k)];
    rgba[4 * p + 3] = 255;
  }
  const out = new Uint8Array(jpeg.encode({ data: rgba, width: w, height: h }, quality).data);
  // the JFIF header jpeg-js writes (APP0 at byte 2): set its density unit and values
  if (out[2] === 0xff && out[3] === 0xe0 && String.fromCharCode(...out.subarray(6, 10)) === 'JFIF') {
    out[13] = densityUnit === 'in' ? 1 : 2;
    out[14] = xDensity >> 8; out[15] = xDensity & 255;
    out[16] = yDensity >> 8; out[17] = yDensity & 255;
  }
  return out;
}
