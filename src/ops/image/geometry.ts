/**
 * Crops and geometric transforms of image batches, NHWC: cropAndResize (differentiable w.r.t.
 * the image), flipLeftRight, rotateWithOffset and projective `transform`.
 */
import { Tensor } from '../../tensor/tensor.js';
import { assertRank, convert, isFloat, runOp, wrap, type TensorInput } from '../op.js';
import { reverse } from '../slicing.js';
import { reshape } from '../transform.js';
import { cast } from '../arithmetic.js';

type Method = 'bilinear' | 'nearest';

function cropGradImage(dy: Tensor, boxes: Tensor, boxInd: Tensor, imageShape: readonly number[], method: Method): Tensor {
  return runOp('cropAndResizeGradImage', [dy], (be, [d]) =>
    wrap(be, be.cropAndResizeGradImage(d, boxes, boxInd, imageShape, method), imageShape, d.dtype),
  (ddx) => [crop(ddx, boxes, boxInd, dy.shape[1], dy.shape[2], method, 0)]);
}

function crop(image: Tensor, boxes: Tensor, boxInd: Tensor, cropH: number, cropW: number, method: Method,
  extrapolationValue: number): Tensor {
  const outShape = [boxes.shape[0], cropH, cropW, image.shape[3]];
  return runOp('cropAndResize', [image, boxes], (be, [img, b]) =>
    wrap(be, be.cropAndResize(img, b, boxInd, cropH, cropW, method, extrapolationValue), outShape,
      img.dtype === 'float64' ? 'float64' : 'float32'),
  isFloat(image.dtype) ? (dy, [img, b], _out, needed) => {
    if (needed[1]) {
      throw new Error('cropAndResize: no gradient w.r.t. boxes (TensorFlow.js has none either); ' +
        'only the image is differentiable');
    }
    return [needed[0] ? cropGradImage(dy, b, boxInd, img.shape, method) : null, null];
  } : undefined);
}

/**
 * Crops of image [batch, h, w, c] resized to cropSize [cropHeight, cropWidth]: boxes [n, 4]
 * hold normalised [y1, x1, y2, x2] corners (y1 > y2 flips the crop), boxInd [n] (int32) the
 * image each box is cut from. Sample points off the image read extrapolationValue; a box whose
 * index is not an image of the batch gives zeros, as in TensorFlow.js. Result [n, cropH, cropW, c],
 * float32; differentiable w.r.t. the image.
 *
 * @example
 * ```ts
 * const img = st.range(0, 16).reshape([1, 4, 4, 1]);
 * const boxes = st.tensor2d([[0, 0, 0.5, 0.5]]); // [y1, x1, y2, x2], normalised
 * st.image.cropAndResize(img, boxes, st.tensor1d([0], 'int32'), [2, 2]).print();
 * ```
 */
export function cropAndResize(image: TensorInput, boxes: TensorInput, boxInd: TensorInput,
  cropSize: readonly [number, number], method: Method = 'bilinear', extrapolationValue = 0): Tensor {
  const op = 'cropAndResize';
  const img = convert(image, op, 'image');
  assertRank(op, img, 4, 'image', '[batch, height, width, channels]');
  let b = convert(boxes, op, 'boxes', 'float32');
  if (!isFloat(b.dtype)) b = cast(b, 'float32');
  const n = b.shape[0];
  if (b.rank !== 2 || b.shape[1] !== 4) {
    throw new Error(`${op}: expected 'boxes' of shape [numBoxes, 4] ([y1, x1, y2, x2] each), got shape [${b.shape}]`);
  }
  const ind = convert(boxInd, op, 'boxInd', 'int32');
  if (ind.dtype !== 'int32') throw new Error(`${op}: expected 'boxInd' of dtype int32, got ${ind.dtype}`);
  if (ind.rank !== 1 || ind.shape[0] !== n) {
    throw new Error(`${op}: expected 'boxInd' of shape [${n}] (one image index per box), got shape [${ind.shape}]`);
  }
  if (!Array.isArray(cropSize) || cropSize.length !== 2 || !cropSize.every((d) => Number.isInteger(d) && d >= 1)) {
    throw new Error(`${op}: cropSize must be [cropHeight, cropWidth], integers of at least 1, got ${JSON.stringify(cropSize)}`);
  }
  if (method !== 'bilinear' && method !== 'nearest') {
    throw new Error(`${op}: method must be 'bilinear' or 'nearest', got ${JSON.stringify(method)}`);
  }
  if (typeof extrapolationValue !== 'number') {
    throw new Error(`${op}: extrapolationValue must be a number, got ${JSON.stringify(extrapolationValue)}`);
  }
  return crop(img, b, ind, cropSize[0], cropSize[1], method, extrapolationValue);
}

/**
 * Each image of a batch [batch, h, w, c] mirrored left to right (differentiable).
 *
 * @example
 * ```ts
 * st.image.flipLeftRight(st.tensor4d([1, 2, 3, 4], [1, 2, 2, 1])).print(); // [[2, 1], [4, 3]]
 * ```
 */
export function flipLeftRight(image: TensorInput): Tensor {
  const op = 'flipLeftRight';
  const img = convert(image, op, 'image', 'float32');
  assertRank(op, img, 4, 'image', '[batch, height, width, channels]');
  return reverse(img, 2);
}

/**
 * Each image of a batch [batch, h, w, c] rotated by `radians` about `center` (a fraction of the
 * width and height, or [x, y] fractions), every pixel taking the nearest source pixel. Pixels
 * that come from off the image are fillValue: a number, or [r, g, b] (an alpha channel gets 255).
 *
 * @example
 * ```ts
 * const img = st.range(0, 9).reshape([1, 3, 3, 1]);
 * st.image.rotateWithOffset(img, Math.PI / 2).print();
 * ```
 */
export function rotateWithOffset(image: TensorInput, radians: number, fillValue: number | readonly [number, number, number] = 0,
  center: number | readonly [number, number] = 0.5): Tensor {
  const op = 'rotateWithOffset';
  const img = convert(image, op, 'image', 'float32');
  assertRank(op, img, 4, 'image', '[batch, height, width, channels]');
  if (typeof radians !== 'number') throw new Error(`${op}: radians must be a number, got ${JSON.stringify(radians)}`);
  if (typeof fillValue !== 'number' && !(Array.isArray(fillValue) && fillValue.length === 3)) {
    throw new Error(`${op}: fillValue must be a number or [r, g, b], got ${JSON.stringify(fillValue)}`);
  }
  if (typeof center !== 'number' && !(Array.isArray(center) && center.length === 2)) {
    throw new Error(`${op}: center must be a number or [x, y] (fractions of the width and height), got ${JSON.stringify(center)}`);
  }
  return runOp(op, [img], (be, [v]) => wrap(be, be.rotateWithOffset(v, radians, fillValue, center), v.shape, v.dtype));
}

const FILL_MODES = ['constant', 'reflect', 'wrap', 'nearest'] as const;

/**
 * Projective transforms of images [batch, h, w, c]: each row of transforms [1 or batch, 8],
 * [a0, a1, a2, b0, b1, b2, c0, c1], maps output point (x, y) to the input point
 * ((a0 x + a1 y + a2) / k, (b0 x + b1 y + b2) / k), k = c0 x + c1 y + 1 (the inverse of the
 * transform applied to the picture). fillMode says how points off the image are read:
 * 'constant' (fillValue), 'reflect', 'wrap' or 'nearest'. outputShape [height, width] defaults
 * to the input's.
 *
 * @example
 * ```ts
 * const img = st.range(0, 9).reshape([1, 3, 3, 1]);
 * const shiftRight = st.tensor2d([[1, 0, -1, 0, 1, 0, 0, 0]]); // output (x, y) reads input (x - 1, y)
 * st.image.transform(img, shiftRight).print();
 * ```
 */
export function transform(image: TensorInput, transforms: TensorInput, interpolation: 'nearest' | 'bilinear' = 'nearest',
  fillMode: 'constant' | 'reflect' | 'wrap' | 'nearest' = 'constant', fillValue = 0,
  outputShape?: readonly [number, number]): Tensor {
  const op = 'transform';
  const img = convert(image, op, 'image', 'float32');
  assertRank(op, img, 4, 'image', '[batch, height, width, channels]');
  let t = convert(transforms, op, 'transforms', 'float32');
  if (t.rank === 1 && t.shape[0] === 8) t = reshape(t, [1, 8]);
  if (t.rank !== 2 || t.shape[1] !== 8 || (t.shape[0] !== 1 && t.shape[0] !== img.shape[0])) {
    throw new Error(`${op}: expected 'transforms' of shape [1, 8] or [${img.shape[0]}, 8] (one row per image), ` +
      `got shape [${t.shape}]`);
  }
  if (!isFloat(t.dtype)) t = cast(t, 'float32');
  if (interpolation !== 'nearest' && interpolation !== 'bilinear') {
    throw new Error(`${op}: interpolation must be 'nearest' or 'bilinear', got ${JSON.stringify(interpolation)}`);
  }
  if (!FILL_MODES.includes(fillMode)) {
    throw new Error(`${op}: fillMode must be one of ${FILL_MODES.map((m) => `'${m}'`).join(', ')}, got ${JSON.stringify(fillMode)}`);
  }
  if (typeof fillValue !== 'number') throw new Error(`${op}: fillValue must be a number, got ${JSON.stringify(fillValue)}`);
  const [outH, outW] = outputShape ?? [img.shape[1], img.shape[2]];
  if (outputShape != null && (!Array.isArray(outputShape) || outputShape.length !== 2 ||
      !outputShape.every((d) => Number.isInteger(d) && d >= 0))) {
    throw new Error(`${op}: outputShape must be [height, width] (non-negative integers), got ${JSON.stringify(outputShape)}`);
  }
  return runOp(op, [img], (be, [v]) => wrap(be, be.transform(v, t, interpolation, fillMode, fillValue, outH, outW),
    [v.shape[0], outH, outW, v.shape[3]], v.dtype));
}
