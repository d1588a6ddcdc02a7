/** Colour conversions and thresholding: grayscaleToRGB, rgbToGrayscale, threshold. */
import { thresholdKernel } from '../../backend/js/image.js';
import { makeTensor } from '../../tensor/engine.js';
import { Tensor } from '../../tensor/tensor.js';
import { tensor } from '../../tensor/creation.js';
import { convert, isFloat, type TensorInput } from '../op.js';
import { cast, mul } from '../arithmetic.js';
import { sum } from '../reduce.js';
import { tile } from '../slicing.js';

function lastAxis(op: string, image: TensorInput, want: number, what: string): Tensor {
  const t = convert(image, op, 'image');
  if (t.rank < 2) throw new Error(`${op}: expected 'image' of rank 2 or more, got shape [${t.shape}]`);
  const last = t.shape[t.rank - 1];
  if (last !== want) {
    throw new Error(`${op}: expected the last axis of 'image' to be ${want} (${what}), got shape [${t.shape}]`);
  }
  return t;
}

/**
 * A grey image [..., 1] as RGB [..., 3], the grey value copied into each channel.
 *
 * @example
 * ```ts
 * console.log(st.image.grayscaleToRGB(st.ones([2, 2, 1])).shape); // [2, 2, 3]
 * ```
 */
export function grayscaleToRGB(image: TensorInput): Tensor {
  const t = lastAxis('grayscaleToRGB', image, 1, 'one grey channel');
  return tile(t, [...new Array<number>(t.rank - 1).fill(1), 3]);
}

/**
 * RGB [..., 3] to grey [..., 1] by luma, 0.2989 r + 0.587 g + 0.114 b; an int32 image stays int32
 * (truncated), as in TensorFlow.js. Differentiable for float images.
 *
 * @example
 * ```ts
 * st.image.rgbToGrayscale(st.tensor3d([[[1, 1, 1]]])).print(); // [[[1]]]
 * ```
 */
export function rgbToGrayscale(image: TensorInput): Tensor {
  const t = lastAxis('rgbToGrayscale', image, 3, 'red, green, blue');
  const dtype = t.dtype === 'float64' ? 'float64' : 'float32';
  const weights = tensor([0.2989, 0.587, 0.114], [3], dtype);
  const grey = sum(mul(isFloat(t.dtype) ? t : cast(t, 'float32'), weights), -1, true);
  return t.dtype === 'int32' || t.dtype === 'bool' ? cast(grey, t.dtype) : grey;
}

/**
 * Black and white from an image [h, w, 1 or 3] (values 0..255): 255 where the luma is above the
 * threshold, else 0 (the other way round when inverted); int32 [h, w, 1]. 'binary' thresholds at
 * threshValue * 255, 'otsu' at the level that best separates the image's histogram in two.
 *
 * @example
 * ```ts
 * const img = st.tensor3d([[[0.2], [0.8]]]);
 * st.image.threshold(img).print(); // the pixels above 0.5 become 255
 * ```
 */
export function threshold(image: TensorInput, method: 'binary' | 'otsu' = 'binary', inverted = false, threshValue = 0.5): Tensor {
  const op = 'threshold';
  const t = convert(image, op, 'image');
  if (t.rank !== 3 || (t.shape[2] !== 3 && t.shape[2] !== 1)) {
    throw new Error(`${op}: expected 'image' of shape [height, width, 3] or [height, width, 1], got shape [${t.shape}]`);
  }
  if (t.dtype === 'bool') throw new Error(`${op}: expected 'image' of dtype int32 or float32, got bool`);
  if (method !== 'binary' && method !== 'otsu') {
    throw new Error(`${op}: method must be 'binary' or 'otsu', got ${JSON.stringify(method)}`);
  }
  if (typeof threshValue !== 'number') throw new Error(`${op}: threshValue must be a number, got ${JSON.stringify(threshValue)}`);
  const [h, w, c] = t.shape;
  const values = thresholdKernel(t.dataSync(), h, w, c, method, Boolean(inverted), threshValue);
  return makeTensor(values, [h, w, 1], 'int32');
}
