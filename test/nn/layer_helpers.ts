/** Shared by the layer tests: float32 test tensors, tolerant comparison, symbolic shapes, calling a layer. */
import * as st from '../../src/index.js';
import { input } from '../../src/nn/model.js';
import type { Layer, Shape } from '../../src/nn/layer.js';
import { assertClose as assertCloseRaw, testTensor } from '../helpers.js';

export function assertClose(actual: st.Tensor | number[] | number, expected: unknown, tol = 1e-5, what = ''): void {
  assertCloseRaw(actual, expected instanceof st.Tensor ? Array.from(expected.dataSync()) : expected, tol, what);
}

/** float32 tensor of test values */
export const t32 = (shape: number[], seed = 1) => testTensor(shape, seed).cast('float32');
export const f32 = (v: unknown, shape?: number[]) => st.tensor(v as number[], shape, 'float32');

/** The symbolic output shape of `layer` on an input of one sample shape `shape`. */
export function symShape(layer: Layer, shape: number[]): Shape {
  const out = layer.apply(input({ shape }));
  return (out as { shape: Shape }).shape;
}

export const run = (layer: Layer, x: st.Tensor | st.Tensor[], training = false) =>
  (layer.apply as (x: st.Tensor | st.Tensor[], a: { training: boolean }) => st.Tensor)(x, { training });
