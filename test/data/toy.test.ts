/** Toy 2-D sets: shapes, labels that follow each set's rule, balance, and determinism by seed. */
import test from 'node:test';
import assert from 'node:assert/strict';
import { xor, fourGaussians, onePocket, twoPockets, twoSpirals, circles, POCKET_RADIUS, ToySet } from '../../src/data/toy.js';

function points(s: ToySet): { x: number[][]; y: number[] } {
  const d = s.x.dataSync();
  return { x: Array.from({ length: s.x.shape[0] }, (_, i) => [d[2 * i], d[2 * i + 1]]), y: Array.from(s.y.dataSync()) };
}
const count = (y: number[], k: number) => y.filter((v) => v === k).length;

test('every toy set has x [n, 2] float32 and y [n] int32, the same for the same seed', () => {
  for (const make of [xor, fourGaussians, onePocket, twoPockets, twoSpirals, circles]) {
    const a = make({ n: 101, seed: 5, noise: 0.1 });
    assert.deepEqual(a.x.shape, [101, 2], make.name);
    assert.equal(a.x.dtype, 'float32');
    assert.deepEqual(a.y.shape, [101]);
    assert.equal(a.y.dtype, 'int32');
    const b = make({ n: 101, seed: 5, noise: 0.1 });
    assert.deepEqual(Array.from(b.x.dataSync()), Array.from(a.x.dataSync()), `${make.name} repeats with its seed`);
    const c = make({ n: 101, seed: 6, noise: 0.1 });
    assert.notDeepEqual(Array.from(c.x.dataSync()), Array.from(a.x.dataSync()), `${make.name} differs with another seed`);
    assert.equal(make().x.shape[0], 200, 'n defaults to 200');
    assert.throws(() => make({ n: 0 }), /n must be a positive integer, got 0/);
    assert.throws(() => make({ noise: -1 }), /noise must be a finite number >= 0, got -1/);
  }
});

test('xor without noise is the truth table from the seeds, each corner equally often', () => {
  const { x, y } = points(xor({ n: 40, noise: 0 }));
  x.forEach(([a, b], i) => {
    assert.ok((a === 0 || a === 1) && (b === 0 || b === 1));
    assert.equal(y[i], a ^ b);
  });
  for (const corner of ['0,0', '0,1', '1,0', '1,1']) assert.equal(x.filter((p) => p.join() === corner).length, 10);
  const noisy = points(xor({ n: 400, noise: 0.1, seed: 1 }));
  noisy.x.forEach(([a, b], i) => assert.equal(noisy.y[i], Math.round(a) ^ Math.round(b), 'small noise keeps points near their corner'));
});

test('fourGaussians: clusters at (+-1, +-1); opposite clusters share a class, or four classes', () => {
  const { x, y } = points(fourGaussians({ n: 400, noise: 0.1, seed: 2 }));
  x.forEach(([a, b], i) => assert.equal(y[i], a * b > 0 ? 0 : 1, `point ${a}, ${b}`));
  assert.equal(count(y, 0), 200);
  const four = points(fourGaussians({ n: 400, noise: 0, classes: 4 }));
  four.x.forEach(([a, b], i) => assert.deepEqual([a, b], [[1, 1], [-1, 1], [-1, -1], [1, -1]][four.y[i]]));
  assert.throws(() => fourGaussians({ classes: 3 as 2 }), /classes must be 2 or 4/);
});

test('pockets: class 1 exactly inside the discs when noise is 0, about balanced for one pocket', () => {
  const one = points(onePocket({ n: 2000, seed: 3 }));
  one.x.forEach(([a, b], i) => {
    assert.ok(Math.abs(a) <= 1 && Math.abs(b) <= 1);
    assert.equal(one.y[i], a * a + b * b < POCKET_RADIUS ** 2 ? 1 : 0);
  });
  assert.ok(Math.abs(count(one.y, 1) / 2000 - 0.5) < 0.05, `share of class 1: ${count(one.y, 1) / 2000}`);
  const two = points(twoPockets({ n: 2000, seed: 3 }));
  two.x.forEach(([a, b], i) => {
    const inside = (a + 0.5) ** 2 + (b + 0.5) ** 2 < 0.45 ** 2 || (a - 0.5) ** 2 + (b - 0.5) ** 2 < 0.45 ** 2;
    assert.equal(two.y[i], inside ? 1 : 0);
  });
  // both pockets are populated
  assert.ok(two.x.some(([a, b], i) => two.y[i] === 1 && a < 0 && b < 0) && two.x.some(([a, b], i) => two.y[i] === 1 && a > 0 && b > 0));
});

test('twoSpirals and circles: radii and balance without noise', () => {
  const s = points(twoSpirals({ n: 200, noise: 0 }));
  assert.equal(count(s.y, 0), 100);
  s.x.forEach(([a, b]) => assert.ok(Math.hypot(a, b) <= 1 + 1e-6));
  // the two arms are the same curve turned by half a turn: (a, b) of class 0 has (-a, -b) in class 1
  const key = (a: number, b: number) => `${a.toFixed(4)},${b.toFixed(4)}`;
  const ones = new Set(s.x.filter((_, i) => s.y[i] === 1).map(([a, b]) => key(a, b)));
  s.x.forEach(([a, b], i) => { if (s.y[i] === 0) assert.ok(ones.has(key(-a + 0, -b + 0)), `mirror of ${a}, ${b}`); });
  const c = points(circles({ n: 101, noise: 0, factor: 0.3 }));
  c.x.forEach(([a, b], i) => assert.ok(Math.abs(Math.hypot(a, b) - (c.y[i] === 0 ? 1 : 0.3)) < 1e-6));
  assert.equal(count(c.y, 0), 51);
  assert.throws(() => circles({ factor: 1 }), /factor must be in \(0, 1\)/);
});
