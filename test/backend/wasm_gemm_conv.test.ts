/**
 * The wasm backend's GEMM and convolutions against the reference js backend on random shapes
 * (seeded): batch 1, odd sizes, transposes, broadcast batches, every stride, padding and
 * dilation (per-axis strides and dilations, dilation with stride, asymmetric explicit padding), 1x1, 1x3 and 3x1 kernels, non-contiguous views (transposed and sliced inputs),
 * and both gradients, one thread and all threads. float32 tolerances: relative 1e-5 on the
 * products, 1e-4 on gradients (long sums in a different order).
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as st from '../../src/index.js';

function rng(seed: number): (n: number) => number {
  let s = seed >>> 0 || 1;
  return (n) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return Math.floor((s / 2 ** 32) * n);
  };
}

/** Runs `f` on both backends (the inputs made inside it, from seeds) and compares. */
function compare(what: string, f: () => st.Tensor[], tol: number): void {
  const run = (name: string): Float32Array[] => {
    st.setBackend(name);
    return f().map((t) => t.dataSync() as Float32Array);
  };
  const ref = run('js');
  const got = run('wasm');
  ref.forEach((r, j) => {
    assert.equal(got[j].length, r.length, `${what}: output ${j} size`);
    let scale = 1e-3;
    for (const v of r) scale = Math.max(scale, Math.abs(v));
    for (let i = 0; i < r.length; i++) {
      if (!(Math.abs(got[j][i] - r[i]) <= tol * scale)) {
        assert.fail(`${what}: output ${j} element ${i}: js ${r[i]}, wasm ${got[j][i]} (scale ${scale})`);
      }
    }
  });
}

for (const threads of [1, 2]) {
  test(`matMul on random shapes matches the reference (${threads} thread${threads > 1 ? 's' : ''})`, () => {
    st.setNumThreads(threads);
    const r = rng(11 + threads);
    for (let c = 0; c < 40; c++) {
      const m = 1 + r(c < 30 ? 40 : 300), k = 1 + r(c < 30 ? 40 : 300), n = 1 + r(c < 30 ? 40 : 300);
      const ta = r(2) === 1, tb = r(2) === 1;
      const batchA = r(3) === 0 ? [] : r(2) === 0 ? [1] : [3];
      const batchB = batchA.length === 0 ? [] : r(2) === 0 ? [1] : [3];
      const seed = c * 7;
      compare(`matMul ${m}x${k}x${n} ta=${ta} tb=${tb} batch [${batchA}] [${batchB}]`, () => {
        const a = st.randomUniform([...batchA, ...(ta ? [k, m] : [m, k])], -1, 1, 'float32', seed);
        const b = st.randomUniform([...batchB, ...(tb ? [n, k] : [k, n])], -1, 1, 'float32', seed + 1);
        return [st.matMul(a, b, ta, tb)];
      }, 1e-5);
    }
    st.setNumThreads(2);
  });

  test(`conv2d and both gradients on random geometry match the reference (${threads} thread${threads > 1 ? 's' : ''})`, () => {
    st.setNumThreads(threads);
    const r = rng(5 + threads);
    const kernels = [[1, 1], [1, 3], [3, 1], [3, 3], [5, 5], [2, 3]];
    for (let c = 0; c < 40; c++) {
      const batch = c % 5 === 0 ? 1 : 1 + r(4);
      const [fh, fw] = kernels[r(kernels.length)];
      const inC = 1 + r(c % 3 === 0 ? 9 : 4), outC = 1 + r(c % 4 === 0 ? 20 : 6);
      // strides and dilations: equal or different per axis, dilation together with stride too
      const stride: number | [number, number] = r(3) === 0 ? [1 + r(3), 1 + r(3)] : 1 + r(3);
      const dilation: number | [number, number] = [1, 1, 2, [1, 2] as [number, number], [2, 1] as [number, number]][r(5)];
      // explicit padding is asymmetric: [[0, 0], [top, bottom], [left, right], [0, 0]]
      const explicit = (): [number, number][] => [[0, 0], [r(3), r(3)], [r(3), r(3)], [0, 0]];
      const pad = [('same' as const), ('valid' as const), 1, explicit()][r(4)];
      const h = fh * 2 + 2 + r(9), w = fw * 2 + 2 + r(9);
      const view = r(3) === 0;
      const seed = 100 + c;
      compare(`conv2d x [${batch},${h},${w},${inC}] f [${fh},${fw},${inC},${outC}] stride ${JSON.stringify(stride)} ` +
        `dilation ${JSON.stringify(dilation)} pad ${JSON.stringify(pad)}${view ? ' (sliced, transposed view)' : ''}`, () => {
        let x = st.randomUniform([batch, h, w, inC], -1, 1, 'float32', seed);
        // a non-contiguous view: the input arrives transposed and sliced
        if (view) x = st.transpose(st.randomUniform([batch, w + 1, h, inC], -1, 1, 'float32', seed), [0, 2, 1, 3]).slice([0, 0, 1, 0], [batch, h, w, inC]);
        const f = st.randomUniform([fh, fw, inC, outC], -1, 1, 'float32', seed + 1);
        const loss = (xi: st.Tensor, fi: st.Tensor) => st.sum(st.square(st.conv2d(xi, fi, stride, pad, 'NHWC', dilation)));
        const [gx, gf] = st.grads(loss)([x, f]);
        return [st.conv2d(x, f, stride, pad, 'NHWC', dilation), gx, gf];
      }, 1e-4);
    }
    st.setNumThreads(2);
  });
}

test('one large convolution splits over the pool and matches the reference', () => {
  compare('conv2d x [16,28,28,8] f [3,3,8,16] same', () => {
    const x = st.randomUniform([16, 28, 28, 8], -1, 1, 'float32', 1);
    const f = st.randomUniform([3, 3, 8, 16], -1, 1, 'float32', 2);
    const [gx, gf] = st.grads((xi: st.Tensor, fi: st.Tensor) => st.sum(st.square(st.conv2d(xi, fi, 1, 'same'))))([x, f]);
    return [st.conv2d(x, f, 1, 'same'), gx, gf];
  }, 1e-4);
});
