/**
 * The movement under three common gradients, on both CPU backends, against values worked out
 * element by element here: broadcasts (the wasm backend's tile doubles its copies), a gather's
 * gradient (a scatter-add of rows; a wasm kernel along the first axis) and the gradient of max
 * over axes (the reduced tensors broadcast in the binary ops, ties sharing dy).
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as st from '../../src/index.js';

function rng(seed: number): (n: number) => number {
  let s = seed >>> 0;
  return (n) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s % n;
  };
}

const strides = (shape: readonly number[]) => shape.map((_, d) => shape.slice(d + 1).reduce((a, b) => a * b, 1));

for (const backend of ['js', 'wasm']) {
  test(`broadcastTo repeats every axis exactly (${backend} backend)`, () => {
    st.setBackend(backend);
    const r = rng(backend === 'js' ? 11 : 12);
    for (let c = 0; c < 40; c++) {
      const rank = 1 + r(4);
      const shape = Array.from({ length: rank }, () => 1 + r(6));
      const target = shape.map((n) => (n === 1 || r(3) === 0 ? (r(2) === 0 ? 1 + r(90) : n) : n));
      // axes of size 1 broadcast to any size; the others stay
      const from = shape.map((n, d) => (target[d] === n ? n : 1));
      const size = from.reduce((a, b) => a * b, 1);
      const x = st.tensor(Array.from({ length: size }, (_, i) => i), from, c % 2 ? 'int32' : 'float32');
      const got = st.broadcastTo(x, target);
      const total = target.reduce((a, b) => a * b, 1), ts = strides(target), fs = strides(from);
      const want: number[] = [];
      for (let i = 0; i < total; i++) {
        let rest = i, at = 0;
        for (let d = 0; d < rank; d++) {
          const k = Math.floor(rest / ts[d]);
          rest -= k * ts[d];
          at += (from[d] === 1 ? 0 : k) * fs[d];
        }
        want.push(at);
      }
      assert.deepEqual(Array.from(got.dataSync()), want, `[${from}] to [${target}]`);
    }
  });

  test(`a gather's gradient adds the rows each index names, in order (${backend} backend)`, () => {
    st.setBackend(backend);
    const r = rng(backend === 'js' ? 21 : 22);
    for (let c = 0; c < 20; c++) {
      const axis = c % 4 === 3 ? 1 : 0;
      const shape = [1 + r(9), 1 + r(70)];
      const count = 1 + r(40);
      const idx = Array.from({ length: count }, () => r(shape[axis]));
      const x = st.zeros(shape);
      const outShape = axis === 0 ? [count, shape[1]] : [shape[0], count];
      const dyValues = Array.from({ length: outShape[0] * outShape[1] }, () => (r(2001) - 1000) / 7);
      const dy = st.tensor(dyValues, outShape);
      const [g] = st.grads((a: st.Tensor) => st.sum(st.mul(st.gather(a, idx, axis), dy)))([x]);
      // float32 sums in index order
      const want = new Float32Array(shape[0] * shape[1]);
      const dyF = Float32Array.from(dyValues);
      for (let j = 0; j < count; j++) {
        if (axis === 0) for (let i = 0; i < shape[1]; i++) want[idx[j] * shape[1] + i] += dyF[j * shape[1] + i];
        else for (let o = 0; o < shape[0]; o++) want[o * shape[1] + idx[j]] += dyF[o * count + j];
      }
      assert.deepEqual(Array.from(g.dataSync()), Array.from(want), `gather axis ${axis} of [${shape}] at [${idx}]`);
    }
  });

  test(`max's gradient goes to the maxima, ties sharing it (${backend} backend)`, () => {
    st.setBackend(backend);
    const r = rng(backend === 'js' ? 31 : 32);
    for (let c = 0; c < 20; c++) {
      const shape = [1 + r(5), 1 + r(30), 1 + r(7)];
      const axes = c % 3 === 0 ? [1] : c % 3 === 1 ? [0, 2] : [0, 1, 2];
      const n = shape[0] * shape[1] * shape[2];
      // few distinct values, so that ties are common
      const values = Array.from({ length: n }, () => r(5));
      const x = st.tensor(values, shape);
      const kept = shape.map((d, i) => (axes.includes(i) ? 1 : d));
      const m = kept.reduce((a, b) => a * b, 1);
      const w = Array.from({ length: m }, (_, i) => i + 1);
      const [g] = st.grads((a: st.Tensor) => st.sum(st.mul(st.max(a, axes, true), st.tensor(w, kept))))([x]);
      const ss = strides(shape), ks = strides(kept);
      const slot = (i: number) => ss.reduce((at, s, d) => at + (axes.includes(d) ? 0 : Math.floor(i / s) % shape[d]) * ks[d], 0);
      const best = new Array<number>(m).fill(-Infinity), ties = new Array<number>(m).fill(0);
      values.forEach((v, i) => { best[slot(i)] = Math.max(best[slot(i)], v); });
      values.forEach((v, i) => { if (v === best[slot(i)]) ties[slot(i)]++; });
      const want = values.map((v, i) => (v === best[slot(i)] ? Math.fround(w[slot(i)] * Math.fround(1 / ties[slot(i)])) : 0));
      assert.deepEqual(Array.from(g.dataSync()), want, `max over [${axes}] of [${shape}]`);
    }
  });
}
