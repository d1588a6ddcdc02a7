import test from 'node:test';
import assert from 'node:assert/strict';
import * as st from '../../src/index.js';
import * as init from '../../src/nn/initializers.js';
import { assertClose, assertThrowsMessage } from '../helpers.js';

function stats(t: st.Tensor): { mean: number; std: number; maxAbs: number } {
  const v = t.dataSync();
  let s = 0;
  let maxAbs = 0;
  for (const x of v) { s += x; maxAbs = Math.max(maxAbs, Math.abs(x)); }
  const mean = s / v.length;
  let q = 0;
  for (const x of v) q += (x - mean) ** 2;
  return { mean, std: Math.sqrt(q / v.length), maxAbs };
}

test('zeros, ones, constant, identity', () => {
  assertClose(init.zeros().apply([2, 2]), [0, 0, 0, 0]);
  const o = init.ones().apply([3], 'float64');
  assert.equal(o.dtype, 'float64');
  assertClose(o, [1, 1, 1]);
  assertClose(init.constant({ value: 2.5 }).apply([2]), [2.5, 2.5]);
  assert.equal(init.zeros().apply([2], 'int32').dtype, 'int32');
  assertClose(init.identity({ gain: 3 }).apply([2, 3]), [3, 0, 0, 0, 3, 0]);
  assertThrowsMessage(() => init.identity().apply([2, 2, 2]), 'identity initializer', '2-D', '[2,2,2]');
});

test('same seed gives the same values; different seeds and unseeded draws differ', () => {
  const makers = [
    (s?: number) => init.glorotUniform({ seed: s }), (s?: number) => init.heNormal({ seed: s }),
    (s?: number) => init.randomNormal({ seed: s }), (s?: number) => init.randomUniform({ seed: s }),
    (s?: number) => init.truncatedNormal({ seed: s }), (s?: number) => init.orthogonal({ seed: s }),
    (s?: number) => init.leCunNormal({ seed: s }),
  ];
  for (const make of makers) {
    const a = Array.from(make(7).apply([4, 5]).dataSync());
    assert.deepEqual(Array.from(make(7).apply([4, 5]).dataSync()), a);
    const same = make(7);
    assert.deepEqual(Array.from(same.apply([4, 5]).dataSync()), Array.from(same.apply([4, 5]).dataSync()));
    assert.notDeepEqual(Array.from(make(8).apply([4, 5]).dataSync()), a);
    const u = make();
    assert.notDeepEqual(Array.from(u.apply([4, 5]).dataSync()), Array.from(u.apply([4, 5]).dataSync()));
  }
  st.setSeed(3);
  const x = Array.from(init.glorotNormal().apply([3, 3]).dataSync());
  st.setSeed(3);
  assert.deepEqual(Array.from(init.glorotNormal().apply([3, 3]).dataSync()), x);
});

test('computeFans: vectors, dense kernels, conv kernels', () => {
  assert.deepEqual(init.computeFans([]), { fanIn: 1, fanOut: 1 });
  assert.deepEqual(init.computeFans([7]), { fanIn: 7, fanOut: 7 });
  assert.deepEqual(init.computeFans([3, 5]), { fanIn: 3, fanOut: 5 });
  assert.deepEqual(init.computeFans([3, 3, 16, 32]), { fanIn: 144, fanOut: 288 });
  assert.deepEqual(init.computeFans([5, 4, 2]), { fanIn: 20, fanOut: 10 });
});

test('glorotUniform, heUniform, leCunUniform: limits and variance', () => {
  const shape = [300, 200];
  const cases: [init.Initializer, number][] = [
    [init.glorotUniform({ seed: 1 }), Math.sqrt(6 / 500)],
    [init.heUniform({ seed: 2 }), Math.sqrt(6 / 300)],
    [init.leCunUniform({ seed: 3 }), Math.sqrt(3 / 300)],
  ];
  for (const [i, limit] of cases) {
    const s = stats(i.apply(shape));
    assert.ok(s.maxAbs <= limit, `${i.className}: max |w| ${s.maxAbs} > limit ${limit}`);
    assert.ok(s.maxAbs > 0.99 * limit, `${i.className}: max |w| ${s.maxAbs} far below limit ${limit}`);
    assert.ok(Math.abs(s.std - limit / Math.sqrt(3)) < 0.02 * limit, `${i.className}: std ${s.std}`);
    assert.ok(Math.abs(s.mean) < 0.01 * limit, `${i.className}: mean ${s.mean}`);
  }
});

test('conv kernels use receptive field * channels for fans', () => {
  const s = stats(init.glorotUniform({ seed: 4 }).apply([3, 3, 32, 64]));
  const limit = Math.sqrt(6 / (9 * 32 + 9 * 64));
  assert.ok(s.maxAbs <= limit && s.maxAbs > 0.99 * limit, `max |w| ${s.maxAbs}, limit ${limit}`);
  const h = stats(init.heNormal({ seed: 5 }).apply([3, 3, 32, 64]));
  const std = Math.sqrt(2 / (9 * 32));
  assert.ok(Math.abs(h.std - std) < 0.03 * std, `heNormal conv std ${h.std}, expected ${std}`);
});

test('truncated normals: variance restored by the 0.8796 correction, values within 2 stddevs', () => {
  const shape = [400, 250];
  const cases: [init.Initializer, number][] = [
    [init.heNormal({ seed: 1 }), Math.sqrt(2 / 400)],
    [init.glorotNormal({ seed: 2 }), Math.sqrt(2 / 650)],
    [init.leCunNormal({ seed: 3 }), Math.sqrt(1 / 400)],
  ];
  for (const [i, std] of cases) {
    const s = stats(i.apply(shape));
    assert.ok(Math.abs(s.std - std) < 0.02 * std, `${i.className}: std ${s.std}, expected ${std}`);
    const bound = 2 * std / init.TRUNCATION_CORRECTION;
    assert.ok(s.maxAbs <= bound * (1 + 1e-6), `${i.className}: max |w| ${s.maxAbs} > ${bound}`);
  }
  const t = stats(init.truncatedNormal({ mean: 0, stddev: 1, seed: 9 }).apply([100000]));
  assert.ok(t.maxAbs <= 2 + 1e-6);
  assert.ok(Math.abs(t.std - init.TRUNCATION_CORRECTION) < 0.01, `truncated std ${t.std}`);
});

test('varianceScaling options, randomNormal and randomUniform', () => {
  const n = stats(init.varianceScaling({ scale: 4, mode: 'fanOut', distribution: 'normal', seed: 1 }).apply([100, 400]));
  assert.ok(Math.abs(n.std - Math.sqrt(4 / 400)) < 0.02 * 0.1, `std ${n.std}`);
  assert.ok(n.maxAbs > 2 * 0.1, 'untruncated normal should have values beyond 2 stddevs');
  const u = stats(init.varianceScaling({ scale: 1, mode: 'fan_avg', distribution: 'uniform', seed: 1 }).apply([100, 300]));
  assert.ok(u.maxAbs <= Math.sqrt(3 / 200));
  const r = stats(init.randomNormal({ mean: 1, stddev: 0.5, seed: 2 }).apply([50000]));
  assert.ok(Math.abs(r.mean - 1) < 0.01 && Math.abs(r.std - 0.5) < 0.01, `mean ${r.mean} std ${r.std}`);
  const ru = init.randomUniform({ minval: 2, maxval: 3, seed: 2 }).apply([1000]).dataSync();
  assert.ok(ru.every((x) => x >= 2 && x < 3));
  assert.equal(init.heNormal({ seed: 1 }).apply([2, 2], 'float64').dtype, 'float64');
  assert.deepEqual(init.heNormal({ seed: 1 }).getConfig(), { seed: 1 });
  assert.deepEqual(init.varianceScaling({ mode: 'fanAvg', distribution: 'uniform' }).getConfig(),
    { scale: 1, mode: 'fanAvg', distribution: 'uniform', seed: null });
});

const eye = (n: number, g = 1): number[] => Array.from({ length: n * n }, (_, i) => (i % (n + 1) === 0 ? g : 0));

test('orthogonal: W^T W = gain^2 I for tall, W W^T for wide', () => {
  const w = init.orthogonal({ seed: 1 }).apply([64, 64], 'float64');
  assertClose(st.matMul(w, w, true, false), eye(64), 1e-10, 'square');
  const tall = init.orthogonal({ seed: 2, gain: 2 }).apply([30, 10], 'float64');
  assertClose(st.matMul(tall, tall, true, false), eye(10, 4), 1e-10, 'tall');
  const wide = init.orthogonal({ seed: 3 }).apply([10, 30], 'float64');
  assertClose(st.matMul(wide, wide, false, true), eye(10), 1e-10, 'wide');
  const k = init.orthogonal({ seed: 4 }).apply([2, 3, 4, 8]);
  assert.deepEqual(k.shape, [2, 3, 4, 8]);
  assertThrowsMessage(() => init.orthogonal().apply([5]), 'orthogonal initializer', 'rank >= 2');
});

test('getInitializer: camelCase, snake_case, class names, configs, objects', () => {
  for (const name of ['glorotUniform', 'glorot_uniform', 'GlorotUniform']) {
    assert.equal(init.getInitializer(name).className, 'GlorotUniform');
  }
  assert.equal(init.getInitializer('he_normal').className, 'HeNormal');
  assert.equal(init.getInitializer('lecun_uniform').className, 'LecunUniform');
  assert.equal(init.getInitializer('leCunNormal').className, 'LecunNormal');
  assert.equal(init.getInitializer('zeros').className, 'Zeros');
  assert.equal(init.getInitializer('random_normal').className, 'RandomNormal');
  assert.equal(init.getInitializer('VarianceScaling').className, 'VarianceScaling');
  const fromConfig = init.getInitializer({ className: 'RandomUniform', config: { minval: 0, maxval: 1, seed: 3 } });
  assertClose(fromConfig.apply([5]), Array.from(init.randomUniform({ minval: 0, maxval: 1, seed: 3 }).apply([5]).dataSync()));
  const c = init.getInitializer({ className: 'Constant', config: { value: 4 } });
  assertClose(c.apply([2]), [4, 4]);
  const mine = init.ones();
  assert.equal(init.getInitializer(mine), mine);
  assert.equal(init.initializers.glorotUniform({ seed: 1 }).className, 'GlorotUniform');
});

test('initializer errors say what was expected and what came', () => {
  assertThrowsMessage(() => init.getInitializer('glorotUnifrom'), 'unknown initializer "glorotUnifrom"', 'glorotUniform', 'heNormal');
  assertThrowsMessage(() => init.getInitializer(undefined as never), 'getInitializer', 'undefined');
  assertThrowsMessage(() => init.varianceScaling({ mode: 'fanMiddle' as never }), 'mode', 'fanMiddle');
  assertThrowsMessage(() => init.varianceScaling({ distribution: 'cauchy' as never }), 'distribution', 'cauchy');
  assertThrowsMessage(() => init.varianceScaling({ scale: -1 }), 'scale must be positive');
  assertThrowsMessage(() => init.randomUniform({ minval: 1, maxval: 0 }), 'maxval (0)', 'minval (1)');
  assertThrowsMessage(() => init.randomNormal({ stddev: -1 }), 'stddev must be non-negative');
  assertThrowsMessage(() => init.glorotUniform({ seed: 'x' as never }), 'seed must be a finite number', '"x"');
  assertThrowsMessage(() => init.glorotUniform().apply([2, 2], 'int32'), 'GlorotUniform initializer', 'int32');
  assertThrowsMessage(() => init.zeros().apply([2, -1]), 'shape', '[2,-1]');
});
