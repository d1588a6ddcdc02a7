/**
 * Optimizer steps as one backend kernel where the backend has it (one pass over the
 * parameters instead of a dozen element-wise ops); the optimizers fall back to ops otherwise.
 */
import { Tensor, Variable } from '../tensor/tensor.js';

/** Adam's step through `backend.adamUpdate`; false when it does not apply. */
export function fusedAdam(p: Variable, g: Tensor, m: Tensor, v: Tensor,
                          alpha: number, beta1: number, beta2: number, epsilon: number): boolean {
  const b = p.backend;
  if (!b.adamUpdate || g.backend !== b || m.backend !== b || v.backend !== b) return false;
  const out = b.adamUpdate(p, g, m, v, alpha, beta1, beta2, epsilon);
  if (out === null) return false;
  const next = new Tensor(out, p.shape, p.dtype, b);
  p.assign(next);
  next.dispose();
  return true;
}
