/**
 * Image augmentation in the manner of Keras' ImageDataGenerator: random rotations, shifts,
 * zooms and flips of NHWC batches, seeded. Each image gets its own affine transform, applied by
 * inverse mapping: every output pixel asks where it came from in the input and samples there
 * bilinearly, so there are no holes; points outside the image are filled per `fillMode`.
 */
import { checkOptions } from '../tensor/options.js';
import { makeTensor } from '../tensor/engine.js';
import { Random } from '../tensor/random.js';
import { Tensor } from '../tensor/tensor.js';

/** One image's transform, applied in this order: flips, zoom, rotation (about the centre), shift. */
export interface ImageTransform {
  /** degrees, counter-clockwise as the image is displayed (rows downwards) */
  rotation?: number;
  /** pixels to move the content right (negative: left) */
  shiftX?: number;
  /** pixels to move the content down (negative: up) */
  shiftY?: number;
  /** magnification across (2: content twice as wide; 0.5: half as wide) */
  zoomX?: number;
  /** magnification down */
  zoomY?: number;
  flipHorizontal?: boolean;
  flipVertical?: boolean;
}

export type FillMode = 'nearest' | 'constant' | 'reflect' | 'wrap';

const FILL_OPTIONS = ['fillMode', 'cval'];

export interface FillOptions {
  /** what points outside the input read: the nearest edge pixel (default, as in Keras), `cval`, a mirror image, or the opposite side */
  fillMode?: FillMode;
  /** the value for fillMode 'constant'; default 0 */
  cval?: number;
}

/** Maps an integer coordinate outside [0, n) back inside according to the fill mode; -1 means "use cval". */
function inside(i: number, n: number, mode: FillMode): number {
  if (i >= 0 && i < n) return i;
  switch (mode) {
    case 'nearest': return i < 0 ? 0 : n - 1;
    case 'constant': return -1;
    case 'wrap': return ((i % n) + n) % n;
    case 'reflect': {
      // half-sample symmetric (d c b a | a b c d | d c b a), scipy's 'reflect'
      const period = 2 * n;
      const k = ((i % period) + period) % period;
      return k < n ? k : period - 1 - k;
    }
  }
}

function transformOne(src: Float32Array, out: Float32Array, offset: number, h: number, w: number, c: number,
  t: ImageTransform, mode: FillMode, cval: number): void {
  const cy = (h - 1) / 2;
  const cx = (w - 1) / 2;
  const theta = ((t.rotation ?? 0) * Math.PI) / 180;
  const cos = Math.cos(theta);
  const sin = Math.sin(theta);
  const zx = t.zoomX ?? 1;
  const zy = t.zoomY ?? 1;
  const sx = t.shiftX ?? 0;
  const sy = t.shiftY ?? 0;
  const sample = (yy: number, xx: number, ch: number): number => {
    const y = inside(yy, h, mode);
    const x = inside(xx, w, mode);
    return y < 0 || x < 0 ? cval : src[offset + (y * w + x) * c + ch];
  };
  for (let oy = 0; oy < h; oy++) {
    for (let ox = 0; ox < w; ox++) {
      // undo the shift, then the rotation, then the zoom, relative to the centre
      const dx = ox - cx - sx;
      const dy = oy - cy - sy;
      let ix = (dx * cos - dy * sin) / zx + cx;
      let iy = (dx * sin + dy * cos) / zy + cy;
      if (t.flipHorizontal) ix = w - 1 - ix;
      if (t.flipVertical) iy = h - 1 - iy;
      const x0 = Math.floor(ix);
      const y0 = Math.floor(iy);
      const fx = ix - x0;
      const fy = iy - y0;
      const o = offset + (oy * w + ox) * c;
      for (let ch = 0; ch < c; ch++) {
        // neighbours with zero weight are skipped so that whole-pixel moves copy values exactly
        let v = sample(y0, x0, ch) * (1 - fx) * (1 - fy);
        if (fx > 0) v += sample(y0, x0 + 1, ch) * fx * (1 - fy);
        if (fy > 0) v += sample(y0 + 1, x0, ch) * (1 - fx) * fy;
        if (fx > 0 && fy > 0) v += sample(y0 + 1, x0 + 1, ch) * fx * fy;
        out[o + ch] = v;
      }
    }
  }
}

/**
 * Applies `transforms` (one for all images, or one per image) to NHWC `images` [n, h, w, c]
 * (or one image [h, w, c]); returns float32 of the same shape.
 *
 * @example
 * ```ts
 * const img = st.range(0, 9).reshape([1, 3, 3, 1]);
 * st.data.transformImages(img, { shiftX: 1 }).print(); // the content moves one pixel right
 * ```
 */
export function transformImages(images: Tensor, transforms: ImageTransform | readonly ImageTransform[], options: FillOptions = {}): Tensor {
  const op = 'transformImages';
  checkOptions(op, options, FILL_OPTIONS);
  if (!(images instanceof Tensor) || (images.rank !== 4 && images.rank !== 3)) {
    const got = images instanceof Tensor ? `[${images.shape.join(', ')}]` : typeof images;
    throw new Error(`${op}: expected images [n, height, width, channels] or one image [height, width, channels], got ${got}`);
  }
  const shape = images.rank === 3 ? [1, ...images.shape] : [...images.shape];
  const [n, h, w, c] = shape;
  const list = Array.isArray(transforms) ? transforms : new Array<ImageTransform>(n).fill(transforms as ImageTransform);
  if (list.length !== n) throw new Error(`${op}: got ${list.length} transforms for ${n} images`);
  const mode = options.fillMode ?? 'nearest';
  if (!['nearest', 'constant', 'reflect', 'wrap'].includes(mode)) {
    throw new Error(`${op}: fillMode must be 'nearest', 'constant', 'reflect' or 'wrap', got ${JSON.stringify(mode)}`);
  }
  const src = images.dtype === 'float32' ? images.dataSync() as Float32Array : Float32Array.from(images.dataSync());
  const out = new Float32Array(src.length);
  const size = h * w * c;
  for (let i = 0; i < n; i++) transformOne(src, out, i * size, h, w, c, list[i], mode, options.cval ?? 0);
  return makeTensor(out, images.shape, 'float32');
}

export interface AugmentOptions extends FillOptions {
  /** rotations drawn uniformly from [-rotationRange, rotationRange] degrees */
  rotationRange?: number;
  /** shifts across: below 1 a fraction of the width, else pixels; drawn from [-range, range] */
  widthShiftRange?: number;
  /** shifts down: below 1 a fraction of the height, else pixels */
  heightShiftRange?: number;
  /** zoom factors drawn from [1 - z, 1 + z] (or [lo, hi]), across and down independently, as in Keras */
  zoomRange?: number | [number, number];
  /** flip left-right with probability 1/2 */
  horizontalFlip?: boolean;
  /** flip upside down with probability 1/2 */
  verticalFlip?: boolean;
  seed?: number;
}

/**
 * A seeded random augmenter: `augment(images)` draws one transform per image. Use it on
 * batches or on `{xs, ys}` elements of a Dataset: `dataset.map(augmenter.apply)`.
 */
export class ImageAugmenter {
  private readonly rng: Random;
  private readonly zoom: [number, number];

  constructor(readonly options: AugmentOptions = {}) {
    const op = 'imageAugmenter';
    for (const key of ['rotationRange', 'widthShiftRange', 'heightShiftRange'] as const) {
      const v = options[key];
      if (v !== undefined && !(Number.isFinite(v) && v >= 0)) throw new Error(`${op}: ${key} must be a number >= 0, got ${v}`);
    }
    const z = options.zoomRange ?? 0;
    this.zoom = typeof z === 'number' ? [1 - z, 1 + z] : [z[0], z[1]];
    if (!(this.zoom[0] > 0 && this.zoom[1] >= this.zoom[0])) {
      throw new Error(`${op}: zoomRange must be a number in [0, 1) or [lo, hi] with 0 < lo <= hi, got ${JSON.stringify(z)}`);
    }
    this.rng = new Random(options.seed ?? 0);
  }

  /** The random state, so a checkpoint can continue the same augmentations (`setState`). */
  getState(): number[] {
    return this.rng.getState();
  }

  setState(state: readonly number[]): void {
    this.rng.setState(state);
  }

  /** A random transform for an image of `height` x `width`. */
  randomTransform(height: number, width: number): ImageTransform {
    const o = this.options;
    const r = this.rng;
    const span = (range: number | undefined, size: number): number => {
      if (!range) return 0;
      const pixels = range < 1 ? range * size : range;
      return r.uniform(-pixels, pixels);
    };
    return {
      rotation: o.rotationRange ? r.uniform(-o.rotationRange, o.rotationRange) : 0,
      shiftX: span(o.widthShiftRange, width),
      shiftY: span(o.heightShiftRange, height),
      zoomX: this.zoom[0] === this.zoom[1] ? this.zoom[0] : r.uniform(this.zoom[0], this.zoom[1]),
      zoomY: this.zoom[0] === this.zoom[1] ? this.zoom[0] : r.uniform(this.zoom[0], this.zoom[1]),
      flipHorizontal: o.horizontalFlip ? r.next() < 0.5 : false,
      flipVertical: o.verticalFlip ? r.next() < 0.5 : false,
    };
  }

  /** Randomly transformed copies of NHWC `images` (or one [h, w, c] image). */
  augment(images: Tensor): Tensor {
    if (!(images instanceof Tensor) || (images.rank !== 4 && images.rank !== 3)) {
      throw new Error(`imageAugmenter: expected NHWC images [n, h, w, c] or one image [h, w, c], got ${images instanceof Tensor ? `[${images.shape.join(', ')}]` : typeof images}`);
    }
    const [n, h, w] = images.rank === 3 ? [1, images.shape[0], images.shape[1]] : images.shape;
    const transforms = Array.from({ length: n }, () => this.randomTransform(h, w));
    return transformImages(images, transforms, { fillMode: this.options.fillMode, cval: this.options.cval });
  }

  /** For `Dataset.map`: augments a tensor, or the `xs` of an `{xs, ys}` element, leaving `ys` alone. */
  readonly apply = <E extends Tensor | { xs: Tensor }>(element: E): E => {
    if (element instanceof Tensor) return this.augment(element) as E;
    if (element && typeof element === 'object' && (element as { xs: unknown }).xs instanceof Tensor) {
      return { ...element, xs: this.augment((element as { xs: Tensor }).xs) };
    }
    throw new Error('imageAugmenter.apply: expected an image tensor or an {xs, ys} element with image xs');
  };
}

/**
 * Keras' ImageDataGenerator augmentations as a seeded augmenter (see `ImageAugmenter`).
 *
 * @example
 * ```ts
 * const aug = st.data.imageAugmenter({ rotationRange: 10, widthShiftRange: 0.1, seed: 1 });
 * console.log(aug.augment(st.ones([2, 28, 28, 1])).shape); // [2, 28, 28, 1]
 * ```
 */
export function imageAugmenter(options: AugmentOptions = {}): ImageAugmenter {
  checkOptions('data.imageAugmenter', options, [...FILL_OPTIONS, 'rotationRange', 'widthShiftRange', 'heightShiftRange', 'zoomRange',
    'horizontalFlip', 'verticalFlip', 'seed']);
  return new ImageAugmenter(options);
}
