/**
 * The wasm backend's image, scan, top-k and N-dimensional gather/scatter kernels
 * (assembly/image.ts, assembly/scan_gather.ts, wired in hot_ops.ts) against the reference js
 * backend: the same inputs on both, float results at float32 tolerance, indices exactly. Every
 * case runs on one wasm thread and on three (shapes large enough to be split into chunks, the
 * gradients by image and channel range), with odd sizes throughout.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as st from '../../src/index.js';
import { testValues } from '../helpers.js';

/** float32 values in [-scale, scale). */
function f32(shape: number[], seed: number, scale = 2): st.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return st.tensor(Float32Array.from(testValues(n, seed), (v) => v * scale), shape, 'float32');
}

/** Small integers (many ties) as float32 or int32. */
function ints(shape: number[], seed: number, range: number, dtype: 'float32' | 'int32' = 'float32'): st.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const values = Float64Array.from(testValues(n, seed), (v) => Math.floor((v + 1) * range / 2));
  return st.tensor(dtype === 'int32' ? Int32Array.from(values) : Float32Array.from(values), shape, dtype);
}

interface Result { data: number[]; shape: number[]; dtype: string }

/** The outputs of `f` on backend `name`, read out and freed. */
function outputs(name: string, f: () => st.Tensor[]): Result[] {
  st.setBackend(name);
  return st.tidy(() => f()).map((t) => {
    const r = { data: Array.from(t.dataSync()), shape: [...t.shape], dtype: t.dtype };
    t.dispose();
    return r;
  });
}

/** Whether the wasm backend currently runs on 1 or 3 threads (set once per pass of a test). */
let threads = 1;

/**
 * Runs `f` on the js backend and on the wasm one and compares: shape, dtype, and values (int32
 * and bool exactly, floats within `tol` relative).
 */
function compare(what: string, f: () => st.Tensor[], tol = 1e-6): void {
  const ref = outputs('js', f);
  const got = outputs('wasm', f);
  assert.equal(got.length, ref.length);
  ref.forEach((r, o) => {
    const g = got[o];
    const where = `${what}, output ${o}, ${threads} thread(s)`;
    assert.deepEqual(g.shape, r.shape, `${where}: shape`);
    assert.equal(g.dtype, r.dtype, `${where}: dtype`);
    const exact = r.dtype === 'int32' || r.dtype === 'bool';
    for (let i = 0; i < r.data.length; i++) {
      const e = r.data[i], a = g.data[i];
      const ok = Object.is(a, e) || a === e || (!exact && Math.abs(a - e) <= tol * Math.max(1, Math.abs(e)));
      if (!ok) assert.fail(`${where}: element ${i} of [${r.shape}]: wasm ${a}, js ${e}`);
    }
  });
}

/**
 * A test whose comparisons run twice: with the wasm backend on one thread, then on three (the
 * pool is rebuilt once per pass, not per case: starting workers is slow).
 */
function both(name: string, body: () => void): void {
  test(name, () => {
    const before = st.getBackend();
    st.setBackend('wasm');
    const saved = st.getNumThreads();
    try {
      for (const n of [1, 3]) {
        threads = n;
        st.setBackend('wasm');
        st.setNumThreads(n);
        body();
      }
    } finally {
      st.setBackend('wasm');
      st.setNumThreads(saved);
      st.setBackend(before);
    }
  });
}

/** The value and the gradient (under a random weighting of the output) of `op` at x. */
function withGrad(op: (x: st.Tensor) => st.Tensor, x: st.Tensor, outShape: number[], seed: number): st.Tensor[] {
  const weights = f32(outShape, seed);
  const { value, grad } = st.valueAndGrad((v: st.Tensor) => st.sum(st.mul(op(v), weights)))(x);
  return [op(x), value, grad];
}

// [input shape, output size] pairs: odd sizes, up- and down-sampling, size 1, and one large
// enough (81900 output values) for the kernels to split the work into chunks
const RESIZES: [number[], [number, number]][] = [
  [[1, 5, 7, 3], [9, 4]], [[2, 6, 5, 1], [3, 11]], [[3, 4, 4, 5], [1, 1]], [[1, 1, 1, 2], [3, 5]],
  [[2, 9, 3, 7], [9, 3]], [[2, 33, 31, 9], [70, 65]], [[1, 17, 13, 4], [8, 29]],
];
const CORNERS: [boolean, boolean][] = [[false, false], [true, false], [false, true]];

both('resizeBilinear and its gradient: wasm matches the reference (alignCorners, halfPixelCenters)', () => {
  RESIZES.forEach(([shape, size], s) => {
    for (const [align, half] of CORNERS) {
      compare(`resizeBilinear [${shape}] -> [${size}] align ${align} half ${half}`, () =>
        withGrad((v) => st.image.resizeBilinear(v, size, align, half), f32(shape, 11 + s),
          [shape[0], ...size, shape[3]], 5 + s));
    }
  });
  // an int32 image: read as numbers, a float32 result
  compare('resizeBilinear int32', () => [st.image.resizeBilinear(ints([2, 5, 6, 3], 4, 200, 'int32'), [7, 9], false, true)]);
});

both('resizeNearestNeighbor and its gradient: wasm matches the reference, every dtype it copies', () => {
  RESIZES.forEach(([shape, size], s) => {
    for (const [align, half] of CORNERS) {
      compare(`resizeNearestNeighbor [${shape}] -> [${size}] align ${align} half ${half}`, () =>
        withGrad((v) => st.image.resizeNearestNeighbor(v, size, align, half), f32(shape, 21 + s),
          [shape[0], ...size, shape[3]], 7 + s));
    }
  });
  compare('resizeNearestNeighbor int32', () => [st.image.resizeNearestNeighbor(ints([2, 5, 6, 3], 4, 1000, 'int32'), [7, 9])]);
  compare('resizeNearestNeighbor float64', () =>
    [st.image.resizeNearestNeighbor(f32([1, 4, 5, 3], 2).cast('float64'), [6, 3], false, true)]);
});

both('cropAndResize and its image gradient: bilinear and nearest, extrapolation, boxes off and across the image', () => {
  // normalised boxes: inside, past the edges (extrapolated cells), flipped, a point, a box of an
  // image index out of range (left zero), and one repeated so its gradient adds up
  const boxes = [[0.1, 0.2, 0.9, 0.7], [-0.2, 0.3, 0.6, 1.3], [0.8, 0.9, 0.15, 0.05], [0.5, 0.5, 0.5, 0.5],
    [0, 0, 1, 1], [0.1, 0.2, 0.9, 0.7], [0.25, -0.5, 1.4, 0.6]];
  const boxInd = [1, 0, 1, 2, 0, 1, 2];
  const cases: [number[], [number, number]][] = [[[3, 5, 6, 3], [4, 4]], [[3, 8, 7, 1], [1, 5]],
    [[3, 6, 9, 5], [7, 1]], [[3, 31, 29, 9], [37, 35]], [[3, 1, 1, 2], [3, 2]]];
  cases.forEach(([shape, size], s) => {
    for (const method of ['bilinear', 'nearest'] as const) {
      for (const extrapolation of [0, -3.25]) {
        compare(`cropAndResize [${shape}] -> [${size}] ${method} extrapolation ${extrapolation}`, () => {
          const ind = st.tensor(boxInd.map((b) => Math.min(b, shape[0] - 1)), [boxInd.length], 'int32');
          return withGrad((v) => st.image.cropAndResize(v, boxes, ind, size, method, extrapolation), f32(shape, 31 + s),
            [boxes.length, ...size, shape[3]], 3 + s);
        });
      }
    }
  });
});

both('cumsum and cumprod: exclusive and reverse, on the inner, middle and outer axes, float32 and int32', () => {
  // [shape, the axes to scan]; the last two are split into chunks (rows of the last axis, and
  // the middle axis in blocks of 2048 running totals)
  const cases: [number[], number[]][] = [[[37], [0]], [[5, 13], [0, 1]], [[3, 7, 9], [0, 1, 2]], [[2, 3, 2500], [0, 1, 2]],
    [[2, 3000, 3], [0, 1, 2]], [[129, 3, 7], [0, 1, 2]], [[2, 11000, 3], [2]], [[3, 5, 5000], [1]]];
  cases.forEach(([shape, axes], s) => {
    const large = shape.reduce((a, b) => a * b, 1) > 50000;
    for (const axis of axes) {
      for (const exclusive of [false, true]) {
        for (const reverse of [false, true]) {
          const flags = `axis ${axis} exclusive ${exclusive} reverse ${reverse}`;
          compare(`cumsum [${shape}] ${flags}`, () => large
            ? [st.cumsum(f32(shape, 41 + s), axis, exclusive, reverse)]
            : withGrad((v) => st.cumsum(v, axis, exclusive, reverse), f32(shape, 41 + s), shape, 2 + s));
          // int32: sums past 2^31 wrap, products overflow (as the reference's Int32Array stores them)
          compare(`cumsum and cumprod int32 [${shape}] ${flags}`, () => [
            st.cumsum(ints(shape, 61 + s, 2 ** 28, 'int32'), axis, exclusive, reverse),
            st.cumprod(ints(shape, 71 + s, 7, 'int32'), axis, exclusive, reverse),
            st.cumsum(st.greater(f32(shape, 81 + s), 0), axis, exclusive, reverse),
          ]);
          // values near 1 keep long products finite
          compare(`cumprod [${shape}] ${flags}`, () =>
            [st.cumprod(st.add(f32(shape, 51 + s, 0.05), 1), axis, exclusive, reverse)], 1e-5);
        }
      }
    }
  });
});

both('topk: k = 1, k in between and k = n, sorted or not, ties and NaN, float32 and int32', () => {
  const shapes = [[1], [17], [4, 9], [3, 2, 33], [300, 257]];
  shapes.forEach((shape, s) => {
    const n = shape[shape.length - 1];
    for (const k of [...new Set([1, Math.min(n, 3), Math.ceil(n / 4), n])]) {
      for (const sorted of [true, false]) {
        const what = `topk [${shape}] k ${k} sorted ${sorted}`;
        compare(`${what} float32`, () => {
          const { values, indices } = st.topk(f32(shape, 61 + s), k, sorted);
          return [values, indices];
        });
        // few distinct values: ties everywhere, broken by the lower index
        compare(`${what} float32 ties`, () => {
          const { values, indices } = st.topk(ints(shape, 71 + s, 4), k, sorted);
          return [values, indices];
        });
        compare(`${what} int32 ties`, () => {
          const { values, indices } = st.topk(ints(shape, 81 + s, 5, 'int32'), k, sorted);
          return [values, indices];
        });
      }
    }
  });
  compare('topk with NaN and infinities', () => {
    const x = st.tensor([1, NaN, -Infinity, 3, NaN, Infinity, 3, -0, 0, 2], [2, 5], 'float32');
    return [st.topk(x, 3).values, st.topk(x, 3).indices, st.topk(x, 5, false).values, st.topk(x, 5, false).indices];
  });
});

both('gatherND: full and partial index depth, every dtype it copies, with its gradient', () => {
  const cases: [number[], number[]][] = [[[7], [5, 1]], [[4, 5, 3], [6, 2]], [[4, 5, 3], [2, 3, 1]],
    [[4, 5, 3], [9, 3]], [[3, 2, 4, 5], [2, 2, 2]], [[120, 600], [300, 1]]];
  cases.forEach(([shape, idxShape], s) => {
    const depth = idxShape[idxShape.length - 1];
    const rows = idxShape.slice(0, -1).reduce((a, b) => a * b, 1);
    const idx = (): st.Tensor => st.tensor(Array.from({ length: rows * depth }, (_, i) =>
      Math.floor((testValues(rows * depth, 91 + s)[i] + 1) / 2 * shape[i % depth])), idxShape, 'int32');
    const slice = shape.slice(depth);
    compare(`gatherND [${shape}] indices [${idxShape}]`, () =>
      withGrad((v) => st.gatherND(v, idx()), f32(shape, 101 + s), [...idxShape.slice(0, -1), ...slice], s));
    compare(`gatherND [${shape}] int32 and bool`, () =>
      [st.gatherND(ints(shape, 3, 50, 'int32'), idx()), st.gatherND(st.greater(f32(shape, 4), 0), idx())]);
  });
});

both('scatterND with repeated indices adds them up; tensorScatterUpdate keeps the last; dropped segment ids', () => {
  const cases: [number[], number[]][] = [[[9], [12, 1]], [[5, 4, 3], [10, 2]], [[5, 4, 3], [7, 3]], [[300, 400], [500, 1]]];
  cases.forEach(([shape, idxShape], s) => {
    const depth = idxShape[1];
    const rows = idxShape[0];
    // few distinct rows: most indices repeat
    const idx = (): st.Tensor => st.tensor(Array.from({ length: rows * depth }, (_, i) =>
      Math.floor((testValues(rows * depth, 111 + s)[i] + 1) / 2 * Math.min(3, shape[i % depth]))), idxShape, 'int32');
    const updShape = [rows, ...shape.slice(depth)];
    compare(`scatterND [${shape}] indices [${idxShape}]`, () =>
      withGrad((u) => st.scatterND(idx(), u, shape), f32(updShape, 121 + s), shape, s));
    compare(`scatterND int32 [${shape}]`, () => [st.scatterND(idx(), ints(updShape, 5, 100, 'int32'), shape)]);
    compare(`tensorScatterUpdate [${shape}]`, () =>
      withGrad((u) => st.tensorScatterUpdate(f32(shape, 131 + s), idx(), u), f32(updShape, 141 + s), shape, s));
    compare(`tensorScatterUpdate int32 and bool [${shape}]`, () => [
      st.tensorScatterUpdate(ints(shape, 6, 100, 'int32'), idx(), ints(updShape, 7, 100, 'int32')),
      st.tensorScatterUpdate(st.greater(f32(shape, 8), 0), idx(), st.greater(f32(updShape, 9), 0)),
    ]);
  });
  // ids outside [0, numSegments) are dropped by the scatter kernel itself
  compare('unsortedSegmentSum with ids out of range', () =>
    [st.unsortedSegmentSum(f32([8, 5], 151), st.tensor([0, 3, -1, 2, 3, 7, 0, 1], [8], 'int32'), 4)]);
});
