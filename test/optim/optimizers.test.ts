/** Optimizers follow Keras 3's formulas (checked by hand for two steps) and actually minimise. */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as st from '../../src/index.js';
import { assertClose, assertThrowsMessage } from '../helpers.js';

/** Runs two updates with gradients g1 then g2 on p0 (float64) and returns the values after each. */
function twoSteps(opt: st.Optimizer, p0: number[], g1: number[], g2: number[]): [number[], number[]] {
  const v = st.variable(st.tensor(p0, undefined, 'float64'));
  opt.applyGradients([[v, st.tensor(g1, undefined, 'float64')]]);
  const after1 = Array.from(v.dataSync());
  opt.applyGradients([[v, st.tensor(g2, undefined, 'float64')]]);
  return [after1, Array.from(v.dataSync())];
}

const p0 = [1, -2];
const g1 = [0.5, -1];
const g2 = [-0.25, 2];

test('sgd, with momentum (v = m v - lr g; p += v) and nesterov', () => {
  const lr = 0.1;
  const [a1, a2] = twoSteps(st.optimizers.sgd({ learningRate: lr }), p0, g1, g2);
  assertClose(a1, p0.map((p, i) => p - lr * g1[i]), 1e-12);
  assertClose(a2, a1.map((p, i) => p - lr * g2[i]), 1e-12);
  const m = 0.9;
  const [b1, b2] = twoSteps(st.optimizers.sgd({ learningRate: lr, momentum: m }), p0, g1, g2);
  const v1 = g1.map((g) => -lr * g);
  const v2 = v1.map((v, i) => m * v - lr * g2[i]);
  assertClose(b1, p0.map((p, i) => p + v1[i]), 1e-12);
  assertClose(b2, b1.map((p, i) => p + v2[i]), 1e-12);
  const [n1] = twoSteps(st.train.momentum(lr, m, true), p0, g1, g2);
  assertClose(n1, p0.map((p, i) => p + m * v1[i] - lr * g1[i]), 1e-12);
});

test("adam: Keras' epsilon placement and folded bias correction", () => {
  const lr = 0.01, b1 = 0.9, b2 = 0.999, eps = 1e-7;
  const [a1, a2] = twoSteps(st.optimizers.adam({ learningRate: lr }), p0, g1, g2);
  let m = [0, 0], v = [0, 0];
  const expect = (p: number[], g: number[], t: number) => {
    m = m.map((mi, i) => mi + (g[i] - mi) * (1 - b1));
    v = v.map((vi, i) => vi + (g[i] * g[i] - vi) * (1 - b2));
    const alpha = lr * Math.sqrt(1 - b2 ** t) / (1 - b1 ** t);
    return p.map((pi, i) => pi - alpha * m[i] / (Math.sqrt(v[i]) + eps));
  };
  const e1 = expect(p0, g1, 1);
  assertClose(a1, e1, 1e-12);
  assertClose(a2, expect(e1, g2, 2), 1e-12);
});

test('adamw decays the weights first, then steps like adam', () => {
  const lr = 0.01, wd = 0.1;
  const [w1] = twoSteps(st.optimizers.adamw({ learningRate: lr, weightDecay: wd }), p0, g1, g2);
  const [a1] = twoSteps(st.optimizers.adam({ learningRate: lr }), p0.map((p) => p - lr * wd * p), g1, g2);
  assertClose(w1, a1, 1e-12);
});

test('adamax, rmsprop (epsilon inside the root), adagrad (accumulator from 0.1), adadelta', () => {
  const lr = 0.01, eps = 1e-7;
  const [x1] = twoSteps(st.optimizers.adamax({ learningRate: lr }), p0, g1, g2);
  assertClose(x1, p0.map((p, i) => p - (lr / (1 - 0.9)) * (0.1 * g1[i]) / (Math.abs(g1[i]) + eps)), 1e-12);

  const [r1, r2] = twoSteps(st.optimizers.rmsprop({ learningRate: lr }), p0, g1, g2);
  const s1 = g1.map((g) => 0.1 * g * g);
  assertClose(r1, p0.map((p, i) => p - lr * g1[i] / Math.sqrt(s1[i] + eps)), 1e-12);
  const s2 = s1.map((s, i) => 0.9 * s + 0.1 * g2[i] * g2[i]);
  assertClose(r2, r1.map((p, i) => p - lr * g2[i] / Math.sqrt(s2[i] + eps)), 1e-12);

  const [c1] = twoSteps(st.optimizers.rmsprop({ learningRate: lr, centered: true, momentum: 0.5 }), p0, g1, g2);
  assertClose(c1, p0.map((p, i) => p - lr * g1[i] / Math.sqrt(0.1 * g1[i] ** 2 - (0.1 * g1[i]) ** 2 + eps)), 1e-12);

  const [d1] = twoSteps(st.optimizers.adagrad({ learningRate: lr }), p0, g1, g2);
  assertClose(d1, p0.map((p, i) => p - lr * g1[i] / Math.sqrt(0.1 + g1[i] ** 2 + eps)), 1e-12);

  const [e1] = twoSteps(st.optimizers.adadelta({ learningRate: 1 }), p0, g1, g2);
  const eg = g1.map((g) => 0.05 * g * g);
  assertClose(e1, p0.map((p, i) => p - Math.sqrt(eps) / Math.sqrt(eg[i] + eps) * g1[i]), 1e-12);
});

test('gradient clipping: clipValue, clipNorm per variable, globalClipNorm', () => {
  const [v1] = twoSteps(st.optimizers.sgd({ learningRate: 1, clipValue: 0.3 }), p0, g1, g2);
  assertClose(v1, [1 - 0.3, -2 + 0.3], 1e-12);
  const norm = Math.hypot(...g1);
  const [n1] = twoSteps(st.optimizers.sgd({ learningRate: 1, clipNorm: 0.5 }), p0, g1, g2);
  assertClose(n1, p0.map((p, i) => p - g1[i] * 0.5 / norm), 1e-12);
  const [gl] = twoSteps(st.optimizers.sgd({ learningRate: 1, globalClipNorm: 10 }), p0, g1, g2);
  assertClose(gl, p0.map((p, i) => p - g1[i]), 1e-12, 'below the limit nothing changes');
});

test('learning-rate schedules', () => {
  const { exponentialDecay, piecewiseConstantDecay, cosineDecay, stepDecay, inverseTimeDecay } = st.schedules;
  const e = exponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5 });
  assertClose([e(0), e(10), e(5)], [0.1, 0.05, 0.1 * 0.5 ** 0.5], 1e-12);
  const es = exponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5, staircase: true });
  assertClose([es(9), es(10)], [0.1, 0.05], 1e-12);
  const pw = piecewiseConstantDecay({ boundaries: [100, 200], values: [1, 0.5, 0.1] });
  assert.deepEqual([pw(0), pw(100), pw(101), pw(250)], [1, 1, 0.5, 0.1]);
  const c = cosineDecay({ initialLearningRate: 1, decaySteps: 100, alpha: 0.1 });
  assertClose([c(0), c(50), c(100), c(1000)], [1, 0.55, 0.1, 0.1], 1e-12);
  const sd = stepDecay({ initialLearningRate: 1, stepSize: 10, factor: 0.5 });
  assert.deepEqual([sd(9), sd(10), sd(25)], [1, 0.5, 0.25]);
  assertClose(inverseTimeDecay({ initialLearningRate: 1, decaySteps: 1, decayRate: 0.5 })(2), 0.5, 1e-12);
  // an optimizer reads its schedule at each update
  const opt = st.optimizers.sgd({ learningRate: pw });
  const v = st.variable(st.tensor([0]));
  for (let i = 0; i < 102; i++) opt.applyGradients([[v, st.tensor([1])]]);
  assertClose(v, [-(101 * 1 + 1 * 0.5)], 1e-4);
  assertThrowsMessage(() => piecewiseConstantDecay({ boundaries: [1], values: [1] }), 'one more value than boundaries');
});

test('every optimizer fits a linear regression through minimize()', () => {
  // y = 3 x0 - 2 x1 + 0.5, with real data, no noise
  const xs = st.tensor([[0, 0], [1, 0], [0, 1], [1, 1], [2, 1], [1, 2], [-1, 0.5], [0.5, -1]]);
  const ys = st.tensor([[0.5], [3.5], [-1.5], [1.5], [4.5], [-0.5], [-3.5], [4]]);
  const settings: [string, object, number][] = [
    ['sgd', { learningRate: 0.05 }, 400], ['sgd', { learningRate: 0.02, momentum: 0.9 }, 300],
    ['adam', { learningRate: 0.1 }, 400], ['adamw', { learningRate: 0.1, weightDecay: 0 }, 400],
    ['adamax', { learningRate: 0.1 }, 600], ['rmsprop', { learningRate: 0.02 }, 600],
    ['adagrad', { learningRate: 1 }, 600], ['adadelta', { learningRate: 1, epsilon: 1e-6 }, 1500],
  ];
  for (const [name, options, steps] of settings) {
    const w = st.variable(st.zeros([2, 1]));
    const b = st.variable(st.zeros([1]));
    const opt = st.optimizers.get(name, options);
    const loss = () => st.mean(st.square(st.sub(st.add(st.matMul(xs, w), b), ys)));
    const first = loss().dataSync()[0];
    let last = first;
    for (let i = 0; i < steps; i++) last = opt.minimize(loss, true)!.dataSync()[0];
    assert.ok(last < first * 1e-3, `${name} ${JSON.stringify(options)}: loss ${first} -> ${last}`);
    assertClose(w, [[3], [-2]], 0.05, `${name} weights`);
  }
});

test("PyTorch habit: loss.backward() then optimizer.step(variables)", () => {
  const w = st.variable(st.tensor([4]));
  const opt = st.optimizers.sgd({ learningRate: 0.25 });
  for (let i = 0; i < 20; i++) {
    w.grad = null;
    st.sum(st.square(w)).backward();
    opt.step([w]);
  }
  assert.ok(Math.abs(w.dataSync()[0]) < 1e-4);
  assert.equal(opt.iterations, 20);
});

test('optimizer errors are clear', () => {
  assertThrowsMessage(() => st.optimizers.get('adamm'), 'unknown optimizer "adamm"', 'adam');
  assertThrowsMessage(() => st.optimizers.sgd({ learningRate: -1 }), 'sgd: learningRate must be a positive number');
  assertThrowsMessage(() => st.optimizers.adam({ beta1: 1.5 }), 'adam: beta1 must be in [0, 1]');
  const v = st.variable(st.zeros([2]));
  assertThrowsMessage(() => st.optimizers.sgd().applyGradients([[v, st.zeros([3])]]), 'must have shape [2], got [3]');
  assertThrowsMessage(() => st.optimizers.sgd().applyGradients({ nothing_here: st.zeros([1]) }), 'no variable named "nothing_here"');
});
