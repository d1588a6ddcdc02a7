/**
 * The relu gradient of the fused layers (conv2d and matMul with activation 'relu'):
 * dy * (y > 0), from the layer's output y. One backend kernel where there is one (the wasm
 * backend: one pass, no bool mask and no cast, with the same values), the composed ops
 * otherwise. Gradient rules run without recording, so this needs no rule of its own.
 */
import { Tensor } from '../tensor/tensor.js';
import { wrap } from './op.js';
import { cast, greater, mul } from './arithmetic.js';

export function reluGradient(dy: Tensor, y: Tensor): Tensor {
  const be = dy.backend;
  if (be.reluGrad && dy.dtype === 'float32' && y.dtype === 'float32' && y.backend === be &&
      dy.shape.length === y.shape.length && dy.shape.every((d, i) => d === y.shape[i])) {
    const out = be.reluGrad(dy, y);
    if (out !== null) return wrap(be, out, dy.shape, 'float32');
  }
  return mul(dy, cast(greater(y, 0), dy.dtype));
}
