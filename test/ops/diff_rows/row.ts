/**
 * One row of the differential table: the same op run through striate and through the real
 * TensorFlow.js (tfjs-core on tfjs-backend-cpu) on the same random inputs; values and gradients
 * must agree within float32 tolerance. Adding an op that TensorFlow.js has adds a row here.
 */
import type * as st from '../../../src/index.js';
import type * as tf from '@tensorflow/tfjs-core';

/** An input: a float32 shape, or a shape with a dtype and how to fill it. */
export type DiffInput = number[] | {
  shape: number[];
  dtype?: 'float32' | 'int32' | 'bool';
  /** exact values (row-major); otherwise random in [-1, 1) (floats), or [lo, hi) integers */
  values?: number[];
  /** integers drawn from [lo, hi) (int32 and bool inputs; default [0, 2)) */
  range?: [number, number];
  /** applied to each random float (e.g. v => v + 2 for positive inputs) */
  map?: (v: number) => number;
};

export interface DiffRow {
  /** the op as users call it, shown in the test name */
  op: string;
  /** options, shown in the test name */
  options?: string;
  inputs: DiffInput[];
  /** the call on striate's side */
  st: (...xs: st.Tensor[]) => st.Tensor | st.Tensor[];
  /** the same call on TensorFlow.js' side */
  tf: (...xs: tf.Tensor[]) => tf.Tensor | tf.Tensor[];
  /**
   * which inputs to compare gradients for (default: every float input; [] for none, as for ops
   * without a gradient in one of the libraries). The gradient is of sum(output * fixed random weights).
   */
  gradInputs?: number[];
  /** relative and absolute tolerance (default 1e-4) */
  tol?: number;
}
