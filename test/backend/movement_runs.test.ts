/**
 * Movement kernels that copy contiguous runs whole (src/backend/js/movement.ts: TypedArray.set
 * from 32 values, a loop below; the wasm backend's unit-step slices and concats: moves within
 * its heap): strided slices, concats and pads on both CPU backends, against the value each
 * output element must hold, worked out index by index here, over random shapes, begins, steps
 * and run lengths around 32.
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

/** x [shape] holding 0, 1, 2, ...: an element's value is its flat index */
function iota(shape: number[], dtype: 'float32' | 'int32'): st.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return st.tensor(Array.from({ length: n }, (_, i) => i), shape, dtype);
}

for (const backend of ['js', 'wasm']) {
  test(`strided slices and concats copy runs exactly (${backend} backend)`, () => {
    st.setBackend(backend);
    const r = rng(backend === 'js' ? 3 : 4);
    for (let c = 0; c < 60; c++) {
      const rank = 1 + r(4);
      const shape = Array.from({ length: rank }, (_, d) => (d === rank - 1 ? 1 + r(70) : 1 + r(5)));
      const dtype = c % 3 === 0 ? 'int32' : 'float32';
      const x = iota(shape, dtype);
      const begin = shape.map((n) => r(n));
      const steps = shape.map((_, d) => (d === rank - 1 && c % 4 !== 0 ? 1 : 1 + r(3)));
      const end = shape.map((n, d) => begin[d] + 1 + r(n - begin[d]));
      const got = st.stridedSlice(x, begin, end, steps);
      const outShape = begin.map((b, d) => Math.ceil((end[d] - b) / steps[d]));
      assert.deepEqual(got.shape, outShape);
      const strides = shape.map((_, d) => shape.slice(d + 1).reduce((a, b) => a * b, 1));
      const want: number[] = [];
      const idx = new Array<number>(rank).fill(0);
      const total = outShape.reduce((a, b) => a * b, 1);
      for (let i = 0; i < total; i++) {
        want.push(idx.reduce((s, k, d) => s + (begin[d] + k * steps[d]) * strides[d], 0));
        for (let d = rank - 1; d >= 0; d--) {
          if (++idx[d] < outShape[d]) break;
          idx[d] = 0;
        }
      }
      assert.deepEqual(Array.from(got.dataSync()), want, `slice of [${shape}] from [${begin}] to [${end}] by [${steps}]`);
      // concat along a random axis of pieces whose runs straddle 32 values
      const axis = r(rank);
      const widths = [1 + r(40), 31 + r(3), 1 + r(3)];
      const parts = widths.map((w, p) => st.add(iota(shape.map((n, d) => (d === axis ? w : n)), dtype), 1000 * p));
      const cat = st.concat(parts, axis);
      const outer = shape.slice(0, axis).reduce((a, b) => a * b, 1);
      const want2: number[] = [];
      for (let o = 0; o < outer; o++) {
        parts.forEach((p) => {
          const v = p.dataSync(), run = v.length / outer;
          for (let i = 0; i < run; i++) want2.push(v[o * run + i]);
        });
      }
      assert.deepEqual(Array.from(cat.dataSync()), want2, `concat on axis ${axis} of widths [${widths}] at [${shape}]`);
      // pad: x's runs inside a border of the constant on random axes
      const pads = shape.map(() => (r(3) === 0 ? [r(3), r(3)] as [number, number] : [0, 0] as [number, number]));
      const padded = st.pad(x, pads, 7);
      const pshape = shape.map((n, d) => n + pads[d][0] + pads[d][1]);
      assert.deepEqual(padded.shape, pshape);
      const want3: number[] = [];
      const pidx = new Array<number>(rank).fill(0);
      const ptotal = pshape.reduce((a, b) => a * b, 1);
      for (let i = 0; i < ptotal; i++) {
        const inner = pidx.map((k, d) => k - pads[d][0]);
        const inside = inner.every((k, d) => k >= 0 && k < shape[d]);
        want3.push(inside ? inner.reduce((s2, k, d) => s2 + k * strides[d], 0) : 7);
        for (let d = rank - 1; d >= 0; d--) {
          if (++pidx[d] < pshape[d]) break;
          pidx[d] = 0;
        }
      }
      assert.deepEqual(Array.from(padded.dataSync()), want3, `pad of [${shape}] by ${JSON.stringify(pads)}`);
    }
  });
}
