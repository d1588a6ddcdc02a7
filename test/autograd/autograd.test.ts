import test from 'node:test';
import assert from 'node:assert/strict';
import * as st from '../../src/index.js';
import { assertClose, assertThrowsMessage } from '../helpers.js';

test('loss.backward() fills .grad on leaves with requiresGrad, and accumulates', () => {
  const w = st.tensor([1, 2, 3]);
  w.requiresGrad = true;
  const b = st.scalar(0.5);
  b.requiresGrad = true;
  const loss = st.sum(st.add(st.mul(w, w), b));
  loss.backward();
  assertClose(w.grad!, [2, 4, 6]);
  assertClose(b.grad!, 3);
  st.sum(st.mul(w, 3)).backward();
  assertClose(w.grad!, [5, 7, 9], 1e-6, 'accumulated like PyTorch');
  w.grad = null;
  st.sum(w).backward();
  assertClose(w.grad!, [1, 1, 1]);
});

test('gradients add up where a value fans out (multivariate chain rule)', () => {
  // y = x*x + sin(x) + x: x feeds three paths
  const f = (x: st.Tensor) => st.add(st.add(st.mul(x, x), st.sin(x)), x);
  const x0 = 0.7;
  assertClose(st.grad(f)(st.scalar(x0, 'float64')), 2 * x0 + Math.cos(x0) + 1, 1e-12);
});

test('a non-scalar output is seeded with ones (as TensorFlow.js), or takes an explicit dy', () => {
  const g = st.grad((x) => st.mul(x, x));
  assertClose(g(st.tensor([1, 2])), [2, 4]);
  // loss.backward() keeps PyTorch's rule: a non-scalar needs its dy
  const x = st.tensor([1, 2]);
  x.requiresGrad = true;
  assertThrowsMessage(() => st.mul(x, x).backward(), 'non-scalar', 'dy');
  assertClose(g(st.tensor([1, 2]), st.tensor([1, 10])), [2, 40]);
  assertThrowsMessage(() => g(st.tensor([1, 2]), st.tensor([1, 2, 3])), "dy must have the output's shape [2], got [3]");
});

test('grads, valueAndGrad, valueAndGrads', () => {
  const f = (a: st.Tensor, b: st.Tensor) => st.sum(st.mul(a, b));
  const [ga, gb] = st.grads(f)([st.tensor([1, 2]), st.tensor([3, 4])]);
  assertClose(ga, [3, 4]);
  assertClose(gb, [1, 2]);
  const { value, grad } = st.valueAndGrad((x) => st.sum(st.square(x)))(st.tensor([3, 4]));
  assertClose(value, 25);
  assertClose(grad, [6, 8]);
  const r = st.valueAndGrads(f)([st.tensor([1, 2]), st.tensor([3, 4])]);
  assertClose(r.value, 11);
  assert.equal(r.grads.length, 2);
});

test('an input f does not use gets zeros; an output that uses no input is an error', () => {
  const [ga, gb] = st.grads((a, _b) => st.sum(a))([st.tensor([1, 2]), st.tensor([5])]);
  assertClose(ga, [1, 1]);
  assertClose(gb, [0]);
  const outside = st.tensor([1, 2]);
  assertThrowsMessage(() => st.grad((_x) => st.sum(outside))(st.tensor([3, 4])), 'does not depend on its input');
});

test('variableGrads: all trainable variables the loss depends on, or an explicit list', () => {
  const w = st.variable(st.tensor([[1, 2], [3, 4]]), true, 'w');
  const b = st.variable(st.tensor([1, 1]), true, 'b');
  const frozen = st.variable(st.tensor([2, 2]), false, 'frozen');
  const x = st.tensor([[1, 1]]);
  const f = () => st.sum(st.add(st.matMul(x, w), b).mul(frozen));
  const { value, grads } = st.variableGrads(f);
  assertClose(value, (4 + 6) * 2 + 2 * 2);
  assert.deepEqual(Object.keys(grads).sort(), ['b', 'w']);
  assertClose(grads.w, [[2, 2], [2, 2]]);
  assertClose(grads.b, [2, 2]);
  const only = st.variableGrads(f, [frozen]);
  assert.deepEqual(Object.keys(only.grads), ['frozen']);
  assertClose(only.grads.frozen, [5, 7]);
  assertThrowsMessage(() => st.variableGrads(() => st.sum(x)), 'depends on none of the variables');
});

test('a variable assigned after the forward pass does not change the backward pass', () => {
  const v = st.variable(st.tensor([2, 3]));
  const y = st.sum(st.mul(v, v));
  v.assign(st.tensor([100, 100]));
  y.backward();
  assertClose(v.grad!, [4, 6]);
  assertThrowsMessage(() => v.assign(st.tensor([1, 2, 3])), 'expected shape [2]', 'got [3]');
});

test('noGrad records nothing', () => {
  const x = st.tensor([1, 2]);
  x.requiresGrad = true;
  const y = st.noGrad(() => st.sum(st.mul(x, x)));
  assert.equal(y.node, null);
  assertThrowsMessage(() => st.grad((t) => st.noGrad(() => st.sum(t)))(st.tensor([1])), 'does not depend');
});

test('second derivatives are refused with a clear error', () => {
  const inner = st.grad((x) => st.sum(st.pow(x, 3)));
  assertThrowsMessage(() => st.grad((x) => st.sum(inner(x)))(st.tensor([1, 2])), 'second derivatives are not supported');
});

test('the tape is released after backward; a second pass says how to keep it', () => {
  const x = st.tensor([1, 2]);
  x.requiresGrad = true;
  const y = st.sum(st.exp(x));
  y.backward();
  assertThrowsMessage(() => y.backward(), 'retainGraph');
  const z = st.sum(st.exp(x));
  x.grad = null;
  z.backward(undefined, { retainGraph: true });
  z.backward();
  assertClose(x.grad!, [2 * Math.E, 2 * Math.exp(2)], 1e-5);
});

test('gradients only for float tensors, with a clear error', () => {
  assertThrowsMessage(() => st.grad((x) => st.sum(x))(st.tensor([1, 2], undefined, 'int32')), 'int32', 'float32/float64');
  const cls = st.argMax(st.tensor([[1, 3], [4, 2]]), 1);
  assertThrowsMessage(() => cls.backward(), 'float output');
});

test('gradcheck reports the worst element per input with its position', () => {
  const r = st.gradcheck((a, b) => st.sum(st.mul(st.tanh(a), b)), [st.tensor([[0.1, 0.2], [0.3, 0.4]]), st.tensor([[1, 2], [3, 4]])]);
  assert.equal(r.ok, true);
  assert.equal(r.inputs.length, 2);
  for (const res of r.inputs) {
    assert.equal(res.position.length, 2);
    assert.ok(res.maxError < 1e-8);
  }
});

test('tidy disposes what it made except the result; dispose frees storage', () => {
  const before = st.memory().numBuffers;
  const kept = st.tidy(() => {
    const a = st.tensor([1, 2, 3]);
    const b = a.mul(2);
    st.keep(b);
    return a.add(b).sum();
  });
  assertClose(kept, 18);
  assert.equal(st.memory().numBuffers - before, 2, 'the result and the kept tensor survive');
  const t = st.tensor([1]);
  t.dispose();
  assertThrowsMessage(() => t.dataSync(), 'disposed');
  assertThrowsMessage(() => st.add(t, 1), "argument 'a' is a disposed tensor");
});

test('a result returned from tidy can still be differentiated', () => {
  const w = st.variable(st.tensor([[0.5], [-1]]));
  const x = st.tensor([[1, 2], [3, 4]]);
  const loss = st.tidy(() => st.sum(st.square(st.sub(st.matMul(x, w), 1))));
  loss.backward();
  // residuals r = xw - 1 = [-2.5, -3.5]; dL/dw = 2 x^T r
  assertClose(w.grad!, [[2 * (1 * -2.5 + 3 * -3.5)], [2 * (2 * -2.5 + 4 * -3.5)]]);
});
