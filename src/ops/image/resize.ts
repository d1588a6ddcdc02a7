/**
 * Resizing, NHWC: `st.image.resizeBilinear` and `st.image.resizeNearestNeighbor`, each with its
 * gradient w.r.t. the images (linear in dy, so the gradient of the gradient is the forward again).
 */
import { Tensor } from '../../tensor/tensor.js';
import { chainable, convert, isFloat, runOp, wrap, type TensorInput } from '../op.js';
import { reshape } from '../transform.js';

/** images as rank 4 (a rank-3 image gets a batch of 1), checked along with size and the flags. */
export function asImageBatch(op: string, images: TensorInput, arg = 'images'): { x4: Tensor; unbatched: boolean } {
  const t = convert(images, op, arg);
  if (t.rank !== 3 && t.rank !== 4) {
    throw new Error(`${op}: expected '${arg}' of rank 4 [batch, height, width, channels] or rank 3 ` +
      `[height, width, channels], got shape [${t.shape}]`);
  }
  return { x4: t.rank === 3 ? reshape(t, [1, ...t.shape]) : t, unbatched: t.rank === 3 };
}

function checkResize(op: string, size: readonly [number, number], alignCorners: boolean, halfPixelCenters: boolean): void {
  if (!Array.isArray(size) || size.length !== 2 || !size.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new Error(`${op}: size must be [newHeight, newWidth] (non-negative integers), got ${JSON.stringify(size)}`);
  }
  if (alignCorners && halfPixelCenters) {
    throw new Error(`${op}: alignCorners and halfPixelCenters cannot both be true`);
  }
}

function bilinearGrad(dy: Tensor, inShape: readonly number[], align: boolean, half: boolean): Tensor {
  return runOp('resizeBilinearGrad', [dy], (be, [d]) =>
    wrap(be, be.resizeBilinearGrad(d, inShape, align, half), inShape, d.dtype),
  (ddx) => [bilinear4(ddx, dy.shape[1], dy.shape[2], align, half)]);
}

function bilinear4(x: Tensor, h: number, w: number, align: boolean, half: boolean): Tensor {
  const outShape = [x.shape[0], h, w, x.shape[3]];
  return runOp('resizeBilinear', [x], (be, [v]) =>
    wrap(be, be.resizeBilinear(v, h, w, align, half), outShape, v.dtype === 'float64' ? 'float64' : 'float32'),
  isFloat(x.dtype) ? (dy, [v]) => [bilinearGrad(dy, v.shape, align, half)] : undefined);
}

function nearestGrad(dy: Tensor, inShape: readonly number[], align: boolean, half: boolean): Tensor {
  return runOp('resizeNearestNeighborGrad', [dy], (be, [d]) =>
    wrap(be, be.resizeNearestNeighborGrad(d, inShape, align, half), inShape, d.dtype),
  (ddx) => [nearest4(ddx, dy.shape[1], dy.shape[2], align, half)]);
}

function nearest4(x: Tensor, h: number, w: number, align: boolean, half: boolean): Tensor {
  const outShape = [x.shape[0], h, w, x.shape[3]];
  return runOp('resizeNearestNeighbor', [x], (be, [v]) =>
    wrap(be, be.resizeNearestNeighbor(v, h, w, align, half), outShape, v.dtype),
  isFloat(x.dtype) ? (dy, [v]) => [nearestGrad(dy, v.shape, align, half)] : undefined);
}

/**
 * Bilinear resize of images [batch, h, w, c] (or one [h, w, c]) to `size` [newHeight, newWidth].
 * alignCorners maps corner pixel centres onto each other; halfPixelCenters samples at pixel
 * centres (what tf.image.resize in Python does). The result is float32 (float64 stays float64).
 *
 * @example
 * ```ts
 * const img = st.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]);
 * st.image.resizeBilinear(img, [4, 4]).print();
 * ```
 */
export function resizeBilinear(images: TensorInput, size: readonly [number, number], alignCorners = false,
  halfPixelCenters = false): Tensor {
  const op = 'resizeBilinear';
  const { x4, unbatched } = asImageBatch(op, images);
  checkResize(op, size, alignCorners, halfPixelCenters);
  const y = bilinear4(x4, size[0], size[1], alignCorners, halfPixelCenters);
  return unbatched ? reshape(y, y.shape.slice(1)) : y;
}

/**
 * Nearest-neighbour resize of images [batch, h, w, c] (or [h, w, c]) to `size`; keeps the dtype.
 *
 * @example
 * ```ts
 * const img = st.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]);
 * st.image.resizeNearestNeighbor(img, [4, 4]).print();
 * ```
 */
export function resizeNearestNeighbor(images: TensorInput, size: readonly [number, number], alignCorners = false,
  halfPixelCenters = false): Tensor {
  const op = 'resizeNearestNeighbor';
  const { x4, unbatched } = asImageBatch(op, images);
  if (x4.dtype === 'bool') throw new Error(`${op}: expected 'images' of dtype float32, float64 or int32, got bool`);
  checkResize(op, size, alignCorners, halfPixelCenters);
  const y = nearest4(x4, size[0], size[1], alignCorners, halfPixelCenters);
  return unbatched ? reshape(y, y.shape.slice(1)) : y;
}

declare module '../../tensor/tensor.js' {
  interface Tensor {
    resizeBilinear(newShape2D: readonly [number, number], alignCorners?: boolean, halfPixelCenters?: boolean): Tensor;
    resizeNearestNeighbor(newShape2D: readonly [number, number], alignCorners?: boolean, halfPixelCenters?: boolean): Tensor;
  }
}

chainable({ resizeBilinear, resizeNearestNeighbor });
