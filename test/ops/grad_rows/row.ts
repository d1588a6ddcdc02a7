/** One row of the gradient table: an op, its input shapes and options, checked in float64. */
import type * as st from '../../../src/index.js';

export interface GradRow {
  /** op name as users call it */
  op: string;
  /** input shapes; inputs are made with testTensor(shape, seed) unless `inputs` is given */
  shapes: number[][];
  /** human-readable options, shown in the test name */
  options?: string;
  /** the function checked; non-scalar results are fine (gradcheck projects them) */
  f: (...xs: st.Tensor[]) => st.Tensor;
  /** custom inputs (float64), e.g. positive values for log or distinct values for max */
  inputs?: () => st.Tensor[];
  /** finite-difference step (default 1e-6) */
  eps?: number;
  atol?: number;
  rtol?: number;
}
