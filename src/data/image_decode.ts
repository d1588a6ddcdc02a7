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

/** Pixels of an image file's bytes, in the file's own channels (1 for PGM, 3 otherwise). */
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

/** Reads and decodes an image file; errors name the file. */
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
