import test from 'node:test';
import assert from 'node:assert/strict';
import * as st from '../../src/index.js';
import * as reg from '../../src/nn/regularizers.js';
import { assertClose, assertThrowsMessage } from '../helpers.js';

const w = () => st.tensor([[1, -2], [3, -4]], undefined, 'float64');

test('l1, l2, l1l2 penalties (Keras: no 1/2 factor)', () => {
  // sum |w| = 10, sum w^2 = 30
  const p1 = reg.l1({ l1: 0.1 }).apply(w());
  assert.deepEqual(p1.shape, []);
  assertClose(p1, 1, 1e-12);
  assertClose(reg.l2({ l2: 0.01 }).apply(w()), 0.3, 1e-12);
  assertClose(reg.l1l2({ l1: 0.1, l2: 0.01 }).apply(w()), 1.3, 1e-12);
  assertClose(reg.l1l2({ l1: 0, l2: 0 }).apply(w()), 0);
  assertClose(reg.l2().apply(w()), 0.3, 1e-12, 'default l2 0.01');
  assertClose(reg.l1().apply(w()), 0.1, 1e-12, 'default l1 0.01');
  assertClose(reg.l1l2().apply(w()), 0.4, 1e-12, 'default l1l2 0.01, 0.01');
  assert.equal(reg.l2({ l2: 0.5 }).apply(st.tensor([1, 2])).dtype, 'float32');
});

test('the penalty is differentiable: gradient of l2 * sum(w^2) is 2 l2 w', () => {
  const v = st.variable(w());
  const g = st.grad((x: st.Tensor) => reg.l2({ l2: 0.5 }).apply(x))(v);
  assertClose(g, [1, -2, 3, -4], 1e-12);
});

test('getConfig, getRegularizer names and configs', () => {
  assert.deepEqual(reg.l1l2({ l1: 0.2, l2: 0.3 }).getConfig(), { l1: 0.2, l2: 0.3 });
  assert.equal(reg.getRegularizer(undefined), undefined);
  assert.equal(reg.getRegularizer(null), undefined);
  for (const name of ['l1l2', 'l1_l2', 'L1L2']) assert.equal(reg.getRegularizer(name)!.className, 'L1L2');
  assert.equal(reg.getRegularizer('L2')!.className, 'L2');
  const fromConfig = reg.getRegularizer({ className: 'L2', config: { l2: 0.1 } })!;
  assertClose(fromConfig.apply(w()), 3, 1e-12);
  const mine = reg.l1();
  assert.equal(reg.getRegularizer(mine), mine);
  assert.equal(reg.regularizers.l2({ l2: 0.01 }).className, 'L2');
});

test('regularizer errors', () => {
  assertThrowsMessage(() => reg.getRegularizer('l3'), 'unknown regularizer "l3"', 'l1, l2, l1l2');
  assertThrowsMessage(() => reg.l2({ l2: -1 }), 'l2 regularizer', 'non-negative', '-1');
  assertThrowsMessage(() => reg.l1({ l1: NaN }), 'l1 regularizer', 'non-negative');
  assertThrowsMessage(() => reg.l2().apply([1, 2] as never), 'expected a weight Tensor');
  assertThrowsMessage(() => reg.getRegularizer(5 as never), 'getRegularizer', '5');
});
