/**
 * Layer steps as single ops with their own backward rules, so a backend can run each as one
 * kernel (`Backend.batchNorm`, `Backend.lstmCell`) instead of a chain of element-wise ops and
 * reductions: training-mode batch normalisation over the last axis, and one LSTM cell step.
 * Without those kernels (the js backend, float64) the same formulas run as ops.
 */
import type { Backend } from '../backend/types.js';
import { Tensor } from '../tensor/tensor.js';
import { assertFloat, convert, runOp, wrap, type TensorInput } from './op.js';
import { add, cast, mul, rsqrt, sigmoid, square, sub, tanh } from './arithmetic.js';
import { moments, sum } from './reduce.js';
import { batchNorm } from './normalization.js';
import { concat, slice } from './slicing.js';
import { relu as reluOp } from './activations.js';
import { reluGradient } from './relu_grad.js';

/**
 * Batch normalisation with the batch's statistics, over every axis of x [..., c] but the last:
 * mean and biased variance per channel, y = (x - mean) scale / sqrt(variance + epsilon) + offset.
 * Returns y with the statistics (for the moving averages; no gradient flows through those two
 * outputs, while y's gradient includes the statistics' dependence on x).
 * `activation` 'relu' applies relu to y; `residual` (x's shape) is added to y before it, as a
 * residual block's batch norm -> Add -> relu (the statistics stay x's).
 *
 * @example
 * ```ts
 * const x = st.tensor2d([[1, 2], [3, 6]]);
 * const { y, mean, variance } = st.batchNormTraining(x, null, null);
 * mean.print(); // [2, 4]
 * y.print();
 * ```
 */
export function batchNormTraining(x: TensorInput, scale: TensorInput | null, offset: TensorInput | null,
  epsilon = 1e-3, activation: 'linear' | 'relu' = 'linear', residual: TensorInput | null = null,
): { y: Tensor; mean: Tensor; variance: Tensor } {
  const op = 'batchNormTraining';
  // (resnet speed area) `activation` 'relu': y = relu(batch norm), one kernel forward and one
  // backward where the backend has them (Backend.batchNormRelu), the statistics those before the relu
  if (activation !== 'linear' && activation !== 'relu') {
    throw new Error(`${op}: activation must be 'linear' or 'relu', got ${JSON.stringify(activation)}`);
  }
  const relu = activation === 'relu';
  let t = convert(x, op, 'x');
  if (t.dtype !== 'float64') t = t.dtype === 'float32' ? t : cast(t, 'float32');
  if (t.rank < 1) throw new Error(`${op}: expected x of shape [..., channels], got a scalar`);
  if (typeof epsilon !== 'number' || !(epsilon >= 0)) {
    throw new Error(`${op}: epsilon must be a number >= 0, got ${JSON.stringify(epsilon)}`);
  }
  const c = t.shape[t.rank - 1];
  const param = (v: TensorInput | null, arg: string): Tensor | null => {
    if (v === null || v === undefined) return null;
    let p = convert(v, op, arg, t.dtype);
    if (p.rank !== 1 || p.shape[0] !== c) {
      throw new Error(`${op}: '${arg}' must have shape [${c}] (x's last axis), got [${p.shape}]`);
    }
    if (p.dtype !== t.dtype) p = cast(p, t.dtype);
    return p;
  };
  const s = param(scale, 'scale'), o = param(offset, 'offset');
  // (bn speed area) `residual`: y = activation(batch norm + residual), a residual block's second
  // batch norm with its Add (and the relu after it) as one op; one kernel where the backend has
  // Backend.batchNormAddRelu, and the gradient of the sum is the residual's
  let res: Tensor | null = null;
  if (residual !== null && residual !== undefined) {
    res = convert(residual, op, 'residual', t.dtype);
    if (res.shape.join() !== t.shape.join()) {
      throw new Error(`${op}: 'residual' must have x's shape [${t.shape}], got [${res.shape}]`);
    }
    if (res.dtype !== t.dtype) res = cast(res, t.dtype);
  }
  const axes = t.shape.slice(0, -1).map((_, i) => i);
  const rows = t.size / Math.max(c, 1);
  const fused = (be: Backend, ts: readonly Tensor[]): boolean => be.batchNorm !== undefined &&
    be.batchNormGrad !== undefined && ts.every((u) => u.dtype === 'float32' && u.backend === be);
  const fusedRelu = (be: Backend, ts: readonly Tensor[]): boolean => be.batchNormRelu !== undefined &&
    be.batchNormReluGrad !== undefined && ts.every((u) => u.dtype === 'float32' && u.backend === be);
  let mean: Tensor | null = null, variance: Tensor | null = null;
  const inputs = [t, ...(s ? [s] : []), ...(o ? [o] : []), ...(res ? [res] : [])];
  const nParams = (s ? 1 : 0) + (o ? 1 : 0);
  const y = runOp(op, inputs, (be, [xs, ...rest]) => {
    const params = rest.slice(0, nParams), rs = res ? rest[nParams] : null;
    const sc = s ? params[0] : null, of = o ? params[s ? 1 : 0] : null;
    if (rs) {
      const all = [xs, rs, ...params];
      const r = relu && be.batchNormAddRelu !== undefined && all.every((u) => u.dtype === 'float32' && u.backend === be)
        ? be.batchNormAddRelu(xs, rs, sc, of, epsilon) : null;
      if (r && r.mean && r.variance) {
        mean = wrap(be, r.mean, [c], 'float32');
        variance = wrap(be, r.variance, [c], 'float32');
        return wrap(be, r.y, xs.shape, 'float32');
      }
      // batch norm (its kernel when there is one), then the add and the activation as ops
      const f = fused(be, [xs, ...params]) ? be.batchNorm!(xs, null, sc, of, epsilon) : null;
      let out: Tensor;
      if (f && f.mean && f.variance) {
        mean = wrap(be, f.mean, [c], 'float32');
        variance = wrap(be, f.variance, [c], 'float32');
        out = wrap(be, f.y, xs.shape, 'float32');
      } else {
        ({ mean, variance } = moments(xs, axes));
        out = batchNorm(xs, mean, variance, of, sc, epsilon);
      }
      out = add(out, rs);
      return relu ? reluOp(out) : out;
    }
    const withRelu = relu && fusedRelu(be, [xs, ...params]);
    const r = withRelu ? be.batchNormRelu!(xs, null, sc, of, epsilon)
      : fused(be, [xs, ...params]) ? be.batchNorm!(xs, null, sc, of, epsilon) : null;
    if (r && r.mean && r.variance) {
      mean = wrap(be, r.mean, [c], 'float32');
      variance = wrap(be, r.variance, [c], 'float32');
      const out = wrap(be, r.y, xs.shape, 'float32');
      return relu && !withRelu ? reluOp(out) : out;
    }
    ({ mean, variance } = moments(xs, axes));
    const out = batchNorm(xs, mean, variance, of, sc, epsilon);
    return relu ? reluOp(out) : out;
  }, (dyOut, [xs, ...rest], y) => {
    const params = rest.slice(0, nParams);
    const sc = s ? params[0] : null;
    const be = xs.backend;
    if (!res && relu && fusedRelu(be, [dyOut, y, xs, ...params])) {
      const g = be.batchNormReluGrad!(dyOut, xs, y, mean!, variance!, sc, epsilon);
      if (g) {
        const dx = wrap(be, g.dx, xs.shape, 'float32');
        return [dx, ...(s ? [wrap(be, g.dScale, [c], 'float32')] : []), ...(o ? [wrap(be, g.dOffset, [c], 'float32')] : [])];
      }
    }
    // relu's gradient from its output first, then batch norm's
    const dy = relu ? reluGradient(dyOut, y) : dyOut;
    const r = fused(be, [dy, xs, ...params]) ? be.batchNormGrad!(dy, xs, mean!, variance!, sc, epsilon) : null;
    let dx: Tensor, dScale: Tensor, dOffset: Tensor;
    if (r) {
      dx = wrap(be, r.dx, xs.shape, 'float32');
      dScale = wrap(be, r.dScale, [c], 'float32');
      dOffset = wrap(be, r.dOffset, [c], 'float32');
    } else {
      // with xc = x - mean and k = 1/sqrt(var + eps): the mean's and the variance's
      // dependence on x give the two subtracted terms
      const k = rsqrt(add(variance!, epsilon));
      const xc = sub(xs, mean!);
      dOffset = sum(dy, axes);
      const dyXc = sum(mul(dy, xc), axes);
      dScale = mul(dyXc, k);
      const centred = sub(sub(dy, mul(dOffset, 1 / rows)), mul(xc, mul(mul(dyXc, square(k)), 1 / rows)));
      dx = mul(centred, sc ? mul(k, sc) : k);
    }
    // the residual's gradient is the sum's: dy through relu's mask
    return [dx, ...(s ? [dScale] : []), ...(o ? [dOffset] : []), ...(res ? [dy] : [])];
  });
  return { y, mean: mean!, variance: variance! };
}

/**
 * One LSTM step with sigmoid gates and tanh, from the gate pre-activations z = x W + h U + b
 * [batch, 4u] in Keras' order (i, f, c, o) and the cell state c [batch, u]:
 * c' = σ(z_f) c + σ(z_i) tanh(z_c), h' = σ(z_o) tanh(c'). Returns [h', c'].
 *
 * @example
 * ```ts
 * const z = st.zeros([1, 8]); // the gate pre-activations of 2 units, order i, f, c, o
 * const [h, c] = st.lstmCell(z, st.ones([1, 2]));
 * h.print();
 * ```
 */
export function lstmCell(z: TensorInput, c: TensorInput): [Tensor, Tensor] {
  const op = 'lstmCell';
  const zt = convert(z, op, 'z');
  const ct = convert(c, op, 'c', zt.dtype);
  assertFloat(op, zt, 'z');
  if (ct.rank !== 2 || zt.rank !== 2 || zt.shape[0] !== ct.shape[0] || zt.shape[1] !== 4 * ct.shape[1]) {
    throw new Error(`${op}: expected z [batch, 4 * units] and c [batch, units], got z [${zt.shape}] and c [${ct.shape}]`);
  }
  const [batch, u] = ct.shape;
  const cs = ct.dtype === zt.dtype ? ct : cast(ct, zt.dtype);
  const fused = (be: Backend, ts: readonly Tensor[]): boolean => be.lstmCell !== undefined &&
    be.lstmCellGrad !== undefined && ts.every((v) => v.dtype === 'float32' && v.backend === be);
  const gate = (v: Tensor, k: number): Tensor => slice(v, [0, k * u], [batch, u]);
  // both outputs side by side, [batch, 2u]: one op with one backward rule
  const hc = runOp(op, [zt, cs], (be, [zs, cp]) => {
    const r = fused(be, [zs, cp]) ? be.lstmCell!(zs, cp) : null;
    if (r) return wrap(be, r, [batch, 2 * u], 'float32');
    const cNew = add(mul(sigmoid(gate(zs, 1)), cp), mul(sigmoid(gate(zs, 0)), tanh(gate(zs, 2))));
    return concat([mul(sigmoid(gate(zs, 3)), tanh(cNew)), cNew], 1);
  }, (dy, [zs, cp]) => {
    const be = zs.backend;
    const r = fused(be, [zs, cp, dy]) ? be.lstmCellGrad!(zs, cp, dy) : null;
    if (r) return [wrap(be, r.dz, [batch, 4 * u], 'float32'), wrap(be, r.dc, [batch, u], 'float32')];
    const i = sigmoid(gate(zs, 0)), f = sigmoid(gate(zs, 1)), g = tanh(gate(zs, 2)), o = sigmoid(gate(zs, 3));
    const th = tanh(add(mul(f, cp), mul(i, g)));
    const dh = slice(dy, [0, 0], [batch, u]);
    const dc = add(slice(dy, [0, u], [batch, u]), mul(mul(dh, o), sub(1, square(th))));
    const dSigmoid = (s: Tensor) => mul(s, sub(1, s));
    const dz = concat([
      mul(mul(dc, g), dSigmoid(i)), mul(mul(dc, cp), dSigmoid(f)), mul(mul(dc, i), sub(1, square(g))),
      mul(mul(dh, th), dSigmoid(o)),
    ], 1);
    return [dz, mul(dc, f)];
  });
  return [slice(hc, [0, 0], [batch, u]), slice(hc, [0, u], [batch, u])];
}
