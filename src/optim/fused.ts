/**
 * Optimizer steps as one backend kernel where the backend has it (one pass over the
 * parameters instead of a dozen element-wise ops); the optimizers fall back to ops otherwise.
 */
import type { DataId } from '../backend/types.js';
import { Tensor, Variable } from '../tensor/tensor.js';

/** Adam's step through `backend.adamUpdate`; false when it does not apply. */
export function fusedAdam(p: Variable, g: Tensor, m: Tensor, v: Tensor,
                          alpha: number, beta1: number, beta2: number, epsilon: number): boolean {
  const b = p.backend;
  if (!b.adamUpdate || g.backend !== b || m.backend !== b || v.backend !== b) return false;
  const out = b.adamUpdate(p, g, m, v, alpha, beta1, beta2, epsilon);
  if (out === null) return false;
  return assignStorage(p, out);
}

/** SGD with momentum or RMSprop through `backend.sgdRmspropUpdate`; false when it does not apply. */
export function fusedSgdRmsprop(kind: 'sgdMomentum' | 'rmsprop', p: Variable, g: Tensor, state: Tensor,
                                lr: number, a: number, b: number): boolean {
  const backend = p.backend;
  if (!backend.sgdRmspropUpdate || g.backend !== backend || state.backend !== backend) return false;
  const out = backend.sgdRmspropUpdate(kind, p, g, state, lr, a, b);
  return out !== null && assignStorage(p, out);
}

function assignStorage(p: Variable, out: DataId): true {
  const next = new Tensor(out, p.shape, p.dtype, p.backend);
  p.assign(next);
  next.dispose();
  return true;
}
