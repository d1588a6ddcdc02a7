import test from 'node:test';
import assert from 'node:assert/strict';
import * as st from '../../src/index.js';
import { assertClose, assertThrowsMessage } from '../helpers.js';

const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;
const f64 = (v: number[] | number[][]) => st.tensor(v, undefined, 'float64');

test('relu, relu6 and their methods', () => {
  assertClose(st.relu([-2, -0, 0, 0.5, 7]), [0, 0, 0, 0.5, 7]);
  assertClose(st.tensor([-1, 3, 8]).relu6(), [0, 3, 6]);
  assertClose(st.tensor([-1, 3]).relu(), [0, 3]);
  const r = st.relu(st.tensor([-3, 4], undefined, 'int32'));
  assert.equal(r.dtype, 'int32');
  assert.deepEqual(Array.from(r.dataSync()), [0, 4]);
});

test('relu gradient is 0 at the kink and for negatives, 1 for positives', () => {
  const g = st.grad((x) => st.sum(st.relu(x)))(f64([-1, 0, 2]));
  assertClose(g, [0, 0, 1], 0);
  const g6 = st.grad((x) => st.sum(st.relu6(x)))(f64([-1, 0, 3, 6, 7]));
  assertClose(g6, [0, 0, 1, 0, 0], 0);
});

test('leakyRelu uses the negative slope (default 0.2) and prelu a learnable one', () => {
  assertClose(st.leakyRelu([-2, 0, 3]), [-0.4, 0, 3]);
  assertClose(st.tensor([-10, 1]).leakyRelu(0.01), [-0.1, 1]);
  const g = st.grad((x) => st.sum(st.leakyRelu(x, 0.1)))(f64([-2, 3]));
  assertClose(g, [0.1, 1], 1e-12);
  const x = st.tensor([[-1, 2], [-3, -4]]);
  assertClose(st.prelu(x, st.tensor([0.5, 0.25])), [[-0.5, 2], [-1.5, -1]]);
  assertClose(x.prelu(st.scalar(0.1)), [[-0.1, 2], [-0.3, -0.4]]);
  // d/dalpha = x where x < 0, summed over the broadcast rows
  const ga = st.grads((a: st.Tensor) => st.sum(st.prelu(f64([[-1, 2], [-3, -4]]), a)))([f64([0.5, 0.25])]);
  assertClose(ga[0], [-4, -4], 1e-12);
  assertThrowsMessage(() => st.prelu(st.tensor([1, 2]), st.tensor([[1], [2]])), 'prelu', 'alpha');
});

test('elu and selu known values', () => {
  assertClose(st.elu([-1, 0, 2]), [Math.expm1(-1), 0, 2]);
  assertClose(st.tensor([-1, 2]).elu(), [Math.expm1(-1), 2]);
  assertClose(st.selu([-1, 0, 2]), [SELU_SCALE * SELU_ALPHA * Math.expm1(-1), 0, SELU_SCALE * 2]);
  assertClose(st.tensor([1]).selu(), [SELU_SCALE]);
  assertClose(st.grad((x) => st.sum(st.elu(x)))(f64([-1, 2])), [Math.exp(-1), 1], 1e-12);
  assertClose(st.grad((x) => st.sum(st.selu(x)))(f64([-1, 2])), [SELU_SCALE * SELU_ALPHA * Math.exp(-1), SELU_SCALE], 1e-12);
});

test('gelu exact and approximate', () => {
  assertClose(st.gelu(f64([1.0])), [0.8413447460685429], 1e-12);
  assertClose(st.gelu(f64([0, -1])), [0, -1 + 0.8413447460685429], 1e-12);
  const approx = (v: number) => 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3)));
  assertClose(st.gelu(f64([1, -0.5, 2]), true), [approx(1), approx(-0.5), approx(2)], 1e-12);
  assertClose(st.tensor([1]).gelu(), [0.8413447460685429], 1e-6);
});

test('softplus and softsign known values, softplus finite for large |x|', () => {
  assertClose(st.softplus(f64([0, 1, -1])), [Math.log(2), Math.log1p(Math.E), Math.log1p(Math.exp(-1))], 1e-12);
  assertClose(st.softplus([1000, -1000]), [1000, 0]);
  assertClose(st.tensor([2]).softplus(), [Math.log1p(Math.exp(2))]);
  assertClose(st.softsign([-3, 0, 1]), [-0.75, 0, 0.5]);
  assertClose(st.grad((x) => st.sum(st.softsign(x)))(f64([1, -3])), [0.25, 1 / 16], 1e-12);
  assertClose(st.grad((x) => st.sum(st.softplus(x)))(f64([0])), [0.5], 1e-12);
});

test('softmax known values, rows sum to 1, any axis', () => {
  const e = [Math.exp(1), Math.exp(2), Math.exp(3)];
  const s = e[0] + e[1] + e[2];
  assertClose(st.softmax(f64([1, 2, 3])), e.map((v) => v / s), 1e-12);
  const y = st.tensor([[1, 2, 3], [0, 0, 0]]).softmax();
  assertClose(y, [[e[0] / s, e[1] / s, e[2] / s], [1 / 3, 1 / 3, 1 / 3]]);
  assertClose(st.softmax(f64([[0, 1], [0, 1]]), 0), [[0.5, 0.5], [0.5, 0.5]], 1e-12);
  assert.equal(st.softmax(st.tensor([1, 2], undefined, 'int32')).dtype, 'float32');
  assertThrowsMessage(() => st.softmax(st.tensor([1, 2]), 1), 'softmax', 'dim 1', 'out of range');
});

test('softmax of huge logits [1000, 0, -1000] is finite and right', () => {
  const y = st.softmax([1000, 0, -1000]);
  const v = Array.from(y.dataSync());
  assert.ok(v.every(Number.isFinite), `got ${v}`);
  assertClose(y, [1, 0, 0]);
  assertClose(st.softmax([-1000, -1000]), [0.5, 0.5]);
  const g = st.grad((x) => st.sum(st.mul(st.softmax(x), st.tensor([1, 2, 3]))))(st.tensor([1000, 0, -1000]));
  assert.ok(Array.from(g.dataSync()).every(Number.isFinite));
});

test('logSoftmax equals log(softmax) on moderate values and stays finite on huge ones', () => {
  const x = f64([[0.5, -1, 2], [3, 0.1, -0.2]]);
  assertClose(st.logSoftmax(x), Array.from(st.log(st.softmax(x)).dataSync()), 1e-12);
  assertClose(x.logSoftmax(0), Array.from(st.log(st.softmax(x, 0)).dataSync()), 1e-12);
  const y = st.logSoftmax([1000, 0, -1000]);
  assert.ok(Array.from(y.dataSync()).every(Number.isFinite));
  assertClose(y, [0, -1000, -2000]);
  const g = st.grad((t) => st.sum(st.logSoftmax(t).mul(f64([1, 0, 0]))))(f64([1000, 0, -1000]));
  assertClose(g, [0, 0, 0], 1e-12);
});

test('softmax gradient matches the Jacobian y (dy - <dy, y>)', () => {
  const x = f64([0.2, -0.4, 1.1]);
  const w = [1, -2, 0.5];
  const y = Array.from(st.softmax(x).dataSync());
  const dot = y.reduce((a, v, i) => a + v * w[i], 0);
  const g = st.grad((t) => st.sum(st.mul(st.softmax(t), f64(w))))(x);
  assertClose(g, y.map((v, i) => v * (w[i] - dot)), 1e-12);
});
