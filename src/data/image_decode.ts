/**
 * Image files to pixels: PNG (pngjs), JPEG (jpeg-js), both pure JavaScript, and Netpbm (ours).
 * The format is told by the file's first bytes, not its name. Colour is converted on the way
 * out: greyscale uses the ITU-R 601-2 luma weights (what PIL's convert('L') uses); alpha is
 * dropped, as Keras' loaders do.
 */
import { readFileSync } from 'node:fs';
import pngjs from 'pngjs';
import jpeg from 'jpeg-js';
import { DecodedImage, decodePnm, isPnm } from './pnm.js';
import { resizeBilinearKernel } from '../backend/js/image.js';

export type ColorMode = 'grayscale' | 'rgb';

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47];

function fromBytes(rgba: Uint8Array, width: number, height: number, stride: number): DecodedImage {
  const data = new Float32Array(width * height * 3);
  for (let i = 0, j = 0; i < data.length; i += 3, j += stride) {
    data[i] = rgba[j] / 255;
    data[i + 1] = rgba[j + 1] / 255;
    data[i + 2] = rgba[j + 2] / 255;
  }
  return { width, height, channels: 3, data };
}

/**
 * Pixels of an image file's bytes, in the file's own channels (1 for PGM, 3 otherwise).
 *
 * @example
 * ```ts
 * const png = await st.node.encodePng(st.fill([2, 3, 3], 255, 'int32'));
 * const image = st.data.decodeImageBytes(png, 'white.png');
 * console.log(image.height, image.width, image.channels, image.data[0]); // 2 3 3 1
 * ```
 */
export function decodeImageBytes(bytes: Uint8Array, path: string): DecodedImage {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  try {
    if (PNG_MAGIC.every((b, i) => bytes[i] === b)) {
      const png = pngjs.PNG.sync.read(buffer);
      return fromBytes(png.data, png.width, png.height, 4);
    }
    if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) {
      const img = jpeg.decode(buffer, { useTArray: true, formatAsRGBA: false });
      return fromBytes(img.data, img.width, img.height, 3);
    }
  } catch (e) {
    throw new Error(`${path}: cannot decode the image, the file is corrupt or truncated (${(e as Error).message})`);
  }
  if (isPnm(bytes)) return decodePnm(bytes, path);
  const first = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
  throw new Error(`${path}: not a PNG, JPEG or PGM/PPM image (first bytes ${first || 'none: the file is empty'})`);
}

/** An image as `channels` channels: RGB to grey by luma, grey to RGB by copying. */
export function convertChannels(image: DecodedImage, mode: ColorMode): DecodedImage {
  const want = mode === 'grayscale' ? 1 : 3;
  if (image.channels === want) return image;
  const n = image.width * image.height;
  const src = image.data;
  const data = new Float32Array(n * want);
  if (want === 1) {
    for (let p = 0; p < n; p++) data[p] = 0.299 * src[3 * p] + 0.587 * src[3 * p + 1] + 0.114 * src[3 * p + 2];
  } else {
    for (let p = 0; p < n; p++) data[3 * p] = data[3 * p + 1] = data[3 * p + 2] = src[p];
  }
  return { width: image.width, height: image.height, channels: want, data };
}

/**
 * Reads and decodes an image file; errors name the file.
 *
 * @example
 * ```ts
 * const fs = await import('node:fs'), os = await import('node:os'), path = await import('node:path');
 * const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'st-image-'));
 * const file = path.join(dir, 'grey.pgm');
 * fs.writeFileSync(file, 'P2\n2 1\n255\n0 255\n');
 * const image = st.data.readImage(file, 'rgb'); // grey copied to three channels
 * console.log(image.channels, Array.from(image.data)); // 3 [0, 0, 0, 1, 1, 1]
 * ```
 */
export function readImage(path: string, mode: ColorMode): DecodedImage {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new Error(`${path}: cannot read the image (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  return convertChannels(decodeImageBytes(bytes, path), mode);
}

/**
 * Bilinear resize of an HWC image with half-pixel centres (how TensorFlow's `tf.image.resize`
 * and Keras' `image_dataset_from_directory` sample): output pixel (y, x) reads the source at
 * ((y + 0.5) * inH / outH - 0.5, ...), clamped to the edges. `out` receives outH*outW*c values
 * from `offset`. The formula is the backend's resizeBilinear kernel (`st.image.resizeBilinear`
 * with halfPixelCenters), run here on the decoded pixels.
 *
 * @example
 * ```ts
 * // a 1x2 grey image, black then white, stretched to 1x4
 * const out = st.data.resizeBilinear(new Float32Array([0, 1]), 1, 2, 1, 1, 4);
 * console.log(Array.from(out)); // [0, 0.25, 0.75, 1]
 * ```
 */
export function resizeBilinear(src: Float32Array, inH: number, inW: number, channels: number,
  outH: number, outW: number, out: Float32Array = new Float32Array(outH * outW * channels), offset = 0): Float32Array {
  if (inH === outH && inW === outW) {
    out.set(src.subarray(0, inH * inW * channels), offset);
    return out;
  }
  resizeBilinearKernel(src, [1, inH, inW, channels], outH, outW, false, true, out, offset);
  return out;
}
