/**
 * Checks analytic gradients against central finite differences, in float64. Public: learners
 * use it to see that backprop computes what calculus says.
 */
import { Tensor } from '../tensor/tensor.js';
import { makeTensor } from '../tensor/engine.js';
import { noGrad } from './tape.js';
import { grads as gradsOf } from './gradients.js';

export interface GradcheckOptions {
  /** finite-difference step (default 1e-6) */
  eps?: number;
  /** absolute tolerance (default 1e-6) */
  atol?: number;
  /** relative tolerance (default 1e-4) */
  rtol?: number;
}

export interface GradcheckInputResult {
  /** largest |analytic - numeric| over the input's elements */
  maxError: number;
  /** flat index of the worst element (measured against the tolerance) */
  index: number;
  /** its index per axis */
  position: number[];
  analytic: number;
  numeric: number;
  ok: boolean;
}

export interface GradcheckResult {
  ok: boolean;
  inputs: GradcheckInputResult[];
}

function toFloat64(x: Tensor): Tensor {
  return makeTensor(Float64Array.from(x.dataSync()), x.shape, 'float64');
}

function positionOf(index: number, shape: readonly number[]): number[] {
  const pos = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    pos[d] = index % shape[d];
    index = Math.floor(index / shape[d]);
  }
  return pos;
}

/** Fixed weights that turn a non-scalar output into a scalar, so every output element is checked. */
function projection(n: number): Float64Array {
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) w[i] = 0.5 + ((i * 7919) % 13) / 13;
  return w;
}

/**
 * `gradcheck(f, inputs)`: compares the gradients of `f` at `inputs` (converted to float64)
 * with central differences `(f(x+eps) - f(x-eps)) / 2eps`, element by element.
 *
 * @example
 * ```ts
 * const x = st.tensor([0.5, -1, 2], [3], 'float64');
 * const result = st.gradcheck((t) => st.sum(st.tanh(t)), [x]);
 * console.log(result.ok);
 * ```
 */
export function gradcheck(
  f: (...xs: Tensor[]) => Tensor, inputs: Tensor[], options: GradcheckOptions = {},
): GradcheckResult {
  const { eps = 1e-6, atol = 1e-6, rtol = 1e-4 } = options;
  if (!Array.isArray(inputs) || !inputs.every((x) => x instanceof Tensor)) {
    throw new Error('gradcheck: inputs must be an array of tensors');
  }
  const xs = inputs.map(toFloat64);
  const y0 = noGrad(() => f(...xs));
  if (!(y0 instanceof Tensor)) throw new Error('gradcheck: f must return a Tensor');
  if (y0.dtype !== 'float64') {
    throw new Error(`gradcheck: f returned dtype ${y0.dtype} for float64 inputs; the check must run in float64`);
  }
  const weights = projection(y0.size);
  const dy = makeTensor(weights.slice(), y0.shape, 'float64');
  const scalarOf = (y: Tensor): number => {
    const v = y.dataSync();
    let s = 0;
    for (let i = 0; i < v.length; i++) s += weights[i] * v[i];
    return s;
  };
  const analytic = gradsOf(f)(xs, dy).map((g) => g.dataSync());
  const results = xs.map((x, k) => {
    const base = x.dataSync() as Float64Array;
    let worst: GradcheckInputResult = { maxError: 0, index: -1, position: [], analytic: 0, numeric: 0, ok: true };
    let worstRatio = -1;
    let maxError = 0;
    for (let i = 0; i < base.length; i++) {
      const evalAt = (delta: number): number => {
        const values = base.slice();
        values[i] += delta;
        const args = xs.slice();
        args[k] = makeTensor(values, x.shape, 'float64');
        return scalarOf(noGrad(() => f(...args)));
      };
      const numeric = (evalAt(eps) - evalAt(-eps)) / (2 * eps);
      const a = analytic[k][i];
      const err = Math.abs(a - numeric);
      const ratio = Number.isNaN(err) ? Infinity : err / (atol + rtol * Math.abs(numeric));
      maxError = Math.max(maxError, Number.isNaN(err) ? Infinity : err);
      if (ratio > worstRatio) {
        worstRatio = ratio;
        worst = { maxError: 0, index: i, position: positionOf(i, x.shape), analytic: a, numeric, ok: ratio <= 1 };
      }
    }
    worst.maxError = maxError;
    return worst;
  });
  return { ok: results.every((r) => r.ok), inputs: results };
}
