/**
 * The seeds' worked examples of differentiation and back propagation (CMU 10-601 lecture,
 * /work/shared/seeds/003_*), with the seeds' own numbers and formulas.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as st from '../../src/index.js';
import { assertClose } from '../helpers.js';

test("J = cos(sin(x^2) + 3x^2): forward and dJ/dx by the seed's backward table", () => {
  const J = (x: st.Tensor) => st.cos(st.add(st.sin(st.square(x)), st.mul(st.square(x), 3)));
  for (const x0 of [0.5, 1, 2, -1.3]) {
    const x = st.scalar(x0, 'float64');
    // the seed's forward: t = x^2, u1 = sin t, u2 = 3t, u = u1 + u2, J = cos u
    const t = x0 * x0;
    const u = Math.sin(t) + 3 * t;
    assertClose(J(x), Math.cos(u), 1e-12, `J(${x0})`);
    // its backward: dJ/du = -sin u; dJ/dt = dJ/du (cos t + 3); dJ/dx = dJ/dt * 2x
    const dJdx = -Math.sin(u) * (Math.cos(t) + 3) * 2 * x0;
    assertClose(st.grad(J)(x), dJdx, 1e-12, `dJ/dx at ${x0}`);
  }
});

test('Differentiation quiz: y = exp(xz) + xz/log(x) + sin(log(x))/(xz) at x = 2, z = 3', () => {
  const y = (x: st.Tensor, z: st.Tensor) => {
    const xz = st.mul(x, z);
    return st.add(st.add(st.exp(xz), st.div(xz, st.log(x))), st.div(st.sin(st.log(x)), xz));
  };
  const [dydx, dydz] = st.grads(y)([st.scalar(2, 'float64'), st.scalar(3, 'float64')]);
  const x = 2, z = 3, L = Math.log(x);
  const expectDx = z * Math.exp(x * z) + (z * L - z) / (L * L) + (Math.cos(L) / x * x * z - Math.sin(L) * z) / (x * z) ** 2;
  const expectDz = x * Math.exp(x * z) + x / L - Math.sin(L) / (x * z * z);
  assertClose(dydx, expectDx, 1e-10, 'dy/dx');
  assertClose(dydz, expectDz, 1e-10, 'dy/dz');
  // the quiz asks for the nearest integers
  assert.equal(Math.round(dydx.dataSync()[0]), 1208);
  assert.equal(Math.round(dydz.dataSync()[0]), 810);
});

/** J = y* log y + (1 - y*) log(1 - y): the seed's loss (a log-likelihood, maximised). */
function seedLoss(y: st.Tensor, yStar: number): st.Tensor {
  return st.add(st.mul(st.log(y), yStar), st.mul(st.log(st.sub(1, y)), 1 - yStar));
}

test("Logistic regression: the seed's backward formulas equal autograd", () => {
  const theta = [0.3, -0.8, 0.5, 1.1];
  const xs = [1, 0.4, -1.2, 0.7];
  const yStar = 1;
  const f = (th: st.Tensor, x: st.Tensor) => seedLoss(st.sigmoid(st.sum(st.mul(th, x))), yStar);
  const [dTheta, dX] = st.grads(f)([st.tensor(theta, undefined, 'float64'), st.tensor(xs, undefined, 'float64')]);
  // the seed: a = sum theta_j x_j; y = 1/(1+exp(-a)); dJ/dy = y*/y + (1-y*)/(y-1);
  // dJ/da = dJ/dy * exp(-a)/(exp(-a)+1)^2; dJ/dtheta_j = dJ/da x_j; dJ/dx_j = dJ/da theta_j
  const a = theta.reduce((s, t, j) => s + t * xs[j], 0);
  const y = 1 / (1 + Math.exp(-a));
  const dJdy = yStar / y + (1 - yStar) / (y - 1);
  const dJda = dJdy * Math.exp(-a) / (Math.exp(-a) + 1) ** 2;
  assertClose(dTheta, xs.map((x) => dJda * x), 1e-12, 'dJ/dtheta');
  assertClose(dX, theta.map((t) => dJda * t), 1e-12, 'dJ/dx');
});

test("Neural network with one hidden layer: the seed's backward formulas equal autograd", () => {
  // x: M = 3 inputs; alpha: D x M = 2 x 3; beta: D = 2; y* = 0
  const x = [0.5, -1, 2];
  const alpha = [[0.1, 0.4, -0.3], [-0.6, 0.2, 0.25]];
  const beta = [0.7, -1.5];
  const yStar = 0;
  const f = (al: st.Tensor, be: st.Tensor, xv: st.Tensor) => {
    const aj = st.matMul(al, st.reshape(xv, [3, 1])).reshape([2]);
    const zj = st.sigmoid(aj);
    const b = st.sum(st.mul(be, zj));
    return seedLoss(st.sigmoid(b), yStar);
  };
  const [dAlpha, dBeta, dX] = st.grads(f)([
    st.tensor(alpha, undefined, 'float64'), st.tensor(beta, undefined, 'float64'), st.tensor(x, undefined, 'float64')]);
  // the seed's backward, by hand
  const aj = alpha.map((row) => row.reduce((s, w, i) => s + w * x[i], 0));
  const zj = aj.map((v) => 1 / (1 + Math.exp(-v)));
  const b = beta.reduce((s, w, j) => s + w * zj[j], 0);
  const y = 1 / (1 + Math.exp(-b));
  const dJdy = yStar / y + (1 - yStar) / (y - 1);
  const dJdb = dJdy * Math.exp(-b) / (Math.exp(-b) + 1) ** 2;
  const dJdbeta = zj.map((z) => dJdb * z);
  const dJdz = beta.map((w) => dJdb * w);
  const dJda = dJdz.map((d, j) => d * zj[j] * (1 - zj[j]));
  const dJdalpha = dJda.map((d) => x.map((xi) => d * xi));
  const dJdx = x.map((_, i) => dJda.reduce((s, d, j) => s + d * alpha[j][i], 0));
  assertClose(dAlpha, dJdalpha, 1e-12, 'dJ/dalpha');
  assertClose(dBeta, dJdbeta, 1e-12, 'dJ/dbeta');
  assertClose(dX, dJdx, 1e-12, 'dJ/dx');
});
