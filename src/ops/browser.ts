/**
 * `st.browser`: pixels to tensors and back, as TensorFlow.js' tf.browser. fromPixels reads
 * ImageData and `{data, width, height}` objects anywhere (Node too), and canvases, images, video
 * frames and ImageBitmaps where a DOM (or OffscreenCanvas) exists; the DOM classes are looked up
 * at run time, so nothing here needs them in Node. toPixels and draw turn an image tensor into
 * RGBA bytes (and onto a canvas).
 */
import { makeTensor } from '../tensor/engine.js';
import { Tensor } from '../tensor/tensor.js';
import { cast } from './arithmetic.js';
import { convert, type TensorInput } from './op.js';

/** Raw RGBA pixels: 4 bytes a pixel, row by row (what ImageData holds). */
export interface PixelData {
  data: Uint8Array | Uint8ClampedArray;
  width: number;
  height: number;
}

export type PixelSource = PixelData | ImageData | HTMLImageElement | HTMLCanvasElement | HTMLVideoElement |
  ImageBitmap | OffscreenCanvas;

/** A DOM class by name, or undefined where there is none (Node, workers without it). */
function domClass(name: string): (abstract new (...args: never[]) => unknown) | undefined {
  const c = (globalThis as Record<string, unknown>)[name];
  return typeof c === 'function' ? c as abstract new (...args: never[]) => unknown : undefined;
}

function isInstance(x: unknown, className: string): boolean {
  const C = domClass(className);
  return C !== undefined && x instanceof C;
}

type Context2D = CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D;
let scratch: Context2D | null = null;

/** A 2-D context to draw images into, from the document or an OffscreenCanvas. */
function scratchContext(): Context2D {
  if (scratch) return scratch;
  const doc = (globalThis as { document?: Document }).document;
  if (doc) {
    scratch = doc.createElement('canvas').getContext('2d', { willReadFrequently: true });
  } else if (domClass('OffscreenCanvas')) {
    scratch = new OffscreenCanvas(1, 1).getContext('2d', { willReadFrequently: true });
  }
  if (!scratch) {
    throw new Error('fromPixels: reading an image, video or ImageBitmap needs a document or OffscreenCanvas ' +
      'with a 2d context; pass ImageData or {data, width, height} instead');
  }
  return scratch;
}

function describe(x: unknown): string {
  if (x === null || typeof x !== 'object') return JSON.stringify(x) ?? String(x);
  return (x as object).constructor?.name ?? 'an object';
}

/** The RGBA bytes and size of any pixel source. */
function rgbaOf(pixels: PixelSource): { rgba: ArrayLike<number>; width: number; height: number } {
  const p = pixels as unknown as Record<string, unknown>;
  if (p.data instanceof Uint8Array || p.data instanceof Uint8ClampedArray) {
    return { rgba: p.data, width: p.width as number, height: p.height as number };
  }
  if (isInstance(pixels, 'HTMLVideoElement') || isInstance(pixels, 'HTMLImageElement') || isInstance(pixels, 'ImageBitmap')) {
    const video = isInstance(pixels, 'HTMLVideoElement') ? pixels as HTMLVideoElement : null;
    const width = video ? video.videoWidth : (pixels as HTMLImageElement).width;
    const height = video ? video.videoHeight : (pixels as HTMLImageElement).height;
    const ctx = scratchContext();
    ctx.canvas.width = width;
    ctx.canvas.height = height;
    ctx.drawImage(pixels as CanvasImageSource, 0, 0, width, height);
    return { rgba: ctx.getImageData(0, 0, width, height).data, width, height };
  }
  if (typeof p.getContext === 'function') {
    const canvas = pixels as HTMLCanvasElement;
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('fromPixels: the canvas gives no 2d context (it may hold a webgl one)');
    return { rgba: ctx.getImageData(0, 0, canvas.width, canvas.height).data, width: canvas.width, height: canvas.height };
  }
  throw new Error('fromPixels: pixels must be ImageData, {data: Uint8Array | Uint8ClampedArray, width, height}, ' +
    `an HTMLImageElement, HTMLCanvasElement, HTMLVideoElement, ImageBitmap or OffscreenCanvas, got ${describe(pixels)}`);
}

/**
 * An int32 tensor [height, width, numChannels] of an image's pixels (0..255): the first
 * numChannels of R, G, B, A (3: RGB, 4: RGBA, 1: the red channel).
 *
 * @example
 * ```ts
 * const pixels = { data: new Uint8Array([255, 0, 0, 255]), width: 1, height: 1 }; // ImageData-like: RGBA
 * st.browser.fromPixels(pixels).print(); // [[[255, 0, 0]]]
 * ```
 */
export function fromPixels(pixels: PixelSource, numChannels = 3): Tensor {
  if (!Number.isInteger(numChannels) || numChannels < 1 || numChannels > 4) {
    throw new Error(`fromPixels: numChannels must be 1, 2, 3 or 4, got ${JSON.stringify(numChannels)}`);
  }
  if (pixels === null || pixels === undefined) throw new Error(`fromPixels: pixels is ${pixels}`);
  const { rgba, width, height } = rgbaOf(pixels);
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 0 || height < 0) {
    throw new Error(`fromPixels: width and height must be non-negative integers, got ${width} x ${height}`);
  }
  const n = width * height;
  if (rgba.length < n * 4) {
    throw new Error(`fromPixels: ${width} x ${height} RGBA pixels need ${n * 4} bytes, the data has ${rgba.length}`);
  }
  const values = new Int32Array(n * numChannels);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < numChannels; c++) values[i * numChannels + c] = rgba[i * 4 + c];
  }
  return makeTensor(values, [height, width, numChannels], 'int32');
}

/**
 * fromPixels, as a promise (TensorFlow.js may first turn the source into an ImageBitmap).
 *
 * @example
 * ```ts
 * const pixels = { data: new Uint8Array([0, 128, 255, 255]), width: 1, height: 1 };
 * (await st.browser.fromPixelsAsync(pixels, 1)).print(); // [[[0]]]
 * ```
 */
export async function fromPixelsAsync(pixels: PixelSource, numChannels = 3): Promise<Tensor> {
  return fromPixels(pixels, numChannels);
}

/** An image tensor checked for toPixels/draw: [h, w] or [h, w, 1 | 3 | 4], float in [0, 1] or int32 in [0, 255]. */
function imageTensor(op: string, img: TensorInput): Tensor {
  // arrays are taken as int32 pixel values, as TensorFlow.js takes them
  const t = img instanceof Tensor ? img : cast(convert(img, op, 'img'), 'int32');
  if (t.rank !== 2 && t.rank !== 3) {
    throw new Error(`${op}: expected 'img' of rank 2 [height, width] or 3 [height, width, channels], got shape [${t.shape}]`);
  }
  const depth = t.rank === 2 ? 1 : t.shape[2];
  if (depth !== 1 && depth !== 3 && depth !== 4) {
    throw new Error(`${op}: expected 1, 3 or 4 channels, got shape [${t.shape}]`);
  }
  if (t.dtype !== 'float32' && t.dtype !== 'float64' && t.dtype !== 'int32') {
    throw new Error(`${op}: expected 'img' of dtype float32 (values in [0, 1]) or int32 (values in [0, 255]), got ${t.dtype}`);
  }
  return t;
}

/** RGBA bytes of an image tensor; grey is copied to R, G and B; alpha is `alpha` * 255 where absent. */
function rgbaBytes(op: string, t: Tensor, data: ArrayLike<number>, alpha: number): Uint8ClampedArray {
  const [height, width] = t.shape;
  const depth = t.rank === 2 ? 1 : t.shape[2];
  const isInt = t.dtype === 'int32';
  const scale = isInt ? 1 : 255;
  const bytes = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    const px = [0, 0, 0, 255 * alpha];
    for (let d = 0; d < depth; d++) {
      const v = data[i * depth + d];
      if (!(v >= 0 && v <= (isInt ? 255 : 1))) {
        throw new Error(`${op}: ${isInt ? 'int32 values must be in [0, 255]' : `${t.dtype} values must be in [0, 1]`}, ` +
          `got ${v} at pixel ${i} channel ${d}`);
      }
      if (depth === 1) px[0] = px[1] = px[2] = v * scale;
      else px[d] = v * scale;
    }
    for (let k = 0; k < 4; k++) bytes[i * 4 + k] = Math.round(px[k]);
  }
  return bytes;
}

/** What putImageData takes: a real ImageData where the class exists, else a look-alike. */
function imageData(bytes: Uint8ClampedArray, width: number, height: number): ImageData {
  return domClass('ImageData') ? new ImageData(bytes as Uint8ClampedArray<ArrayBuffer>, width, height)
    : { data: bytes, width, height } as ImageData;
}

/**
 * RGBA bytes (Uint8ClampedArray, 4 a pixel) of an image tensor: float32 in [0, 1] or int32 in
 * [0, 255], [h, w] or [h, w, 1 | 3 | 4]; drawn onto `canvas` too when one is given.
 *
 * @example
 * ```ts
 * const rgba = await st.browser.toPixels(st.tensor3d([[[1, 0, 0]]])); // floats in [0, 1]
 * console.log(rgba); // Uint8ClampedArray [255, 0, 0, 255]
 * ```
 */
export async function toPixels(img: TensorInput, canvas?: HTMLCanvasElement | OffscreenCanvas): Promise<Uint8ClampedArray> {
  const t = imageTensor('toPixels', img);
  const bytes = rgbaBytes('toPixels', t, await t.data(), 1);
  if (canvas != null) {
    const [height, width] = t.shape;
    canvas.width = width;
    canvas.height = height;
    const ctx = canvas.getContext('2d') as Context2D | null;
    if (!ctx) throw new Error('toPixels: the canvas gives no 2d context');
    ctx.putImageData(imageData(bytes, width, height), 0, 0);
  }
  return bytes;
}

export interface DrawOptions {
  /** alpha in [0, 1] for images without an alpha channel (default 1) */
  imageOptions?: { alpha?: number };
  /** only '2d' here (TensorFlow.js' webgl and webgpu contexts belong to its GPU backends) */
  contextOptions?: { contextType?: string; contextAttributes?: CanvasRenderingContext2DSettings };
}

/**
 * Draws an image tensor (as toPixels takes it) onto a canvas through its 2d context.
 *
 * @example
 * ```ts
 * // in a browser page: draws a 2×2 grey image on a canvas
 * // st.browser.draw(st.fill([2, 2, 1], 0.5), document.querySelector('canvas')!);
 * console.log(typeof st.browser.draw);
 * ```
 */
export function draw(image: TensorInput, canvas: HTMLCanvasElement | OffscreenCanvas, options?: DrawOptions): void {
  const op = 'draw';
  const t = imageTensor(op, image);
  const alpha = options?.imageOptions?.alpha || 1;
  if (!(alpha >= 0 && alpha <= 1)) throw new Error(`${op}: imageOptions.alpha must be in [0, 1], got ${alpha}`);
  const contextType = options?.contextOptions?.contextType || '2d';
  if (contextType !== '2d') {
    throw new Error(`${op}: contextType '${contextType}' is not supported; striate draws through a '2d' context`);
  }
  if (!canvas || typeof (canvas as { getContext?: unknown }).getContext !== 'function') {
    throw new Error(`${op}: expected a canvas (HTMLCanvasElement or OffscreenCanvas), got ${describe(canvas)}`);
  }
  const ctx = canvas.getContext('2d', options?.contextOptions?.contextAttributes ?? {}) as Context2D | null;
  if (!ctx) throw new Error(`${op}: the canvas gives no 2d context`);
  const bytes = rgbaBytes(op, t, t.dataSync(), alpha);
  const [height, width] = t.shape;
  canvas.width = width;
  canvas.height = height;
  ctx.putImageData(imageData(bytes, width, height), 0, 0);
}
