/**
 * The wasm backend's depthwise convolution and fused layer kernels (softmax cross-entropy,
 * training batch norm, the LSTM cell) against the js backend, which runs the same ops as
 * composed ops: random shapes (seeded) with batch 1 and odd sizes, forward and gradients, one
 * thread and two. The kernels whose chunks are summed must also give the same bits on one
 * and two threads.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as st from '../../src/index.js';
import { compare, rng, values } from './wasm_compare.js';

/** The same bits on one thread and on two. */
function sameOnThreads(what: string, f: () => st.Tensor[]): void {
  st.setNumThreads(1);
  const one = values('wasm', f);
  st.setNumThreads(2);
  const two = values('wasm', f);
  one.forEach((a, j) => assert.deepEqual(two[j], a, `${what}: output ${j} differs between 1 and 2 threads`));
}

const uniform = (shape: number[], seed: number, lo = -1, hi = 1) => st.randomUniform(shape, lo, hi, 'float32', seed);

/** f's value and the gradients of sum(f * w) for a fixed random w, w.r.t. every input. */
function withGrads(f: (...xs: st.Tensor[]) => st.Tensor, inputs: () => st.Tensor[], seed: number): () => st.Tensor[] {
  return () => {
    const xs = inputs();
    const y = f(...xs);
    const w = uniform([...y.shape], seed);
    const g = st.grads((...v: st.Tensor[]) => st.sum(st.mul(f(...v), w)))(xs);
    return [y, ...g];
  };
}

for (const threads of [1, 2]) {
  const label = `${threads} thread${threads > 1 ? 's' : ''}`;

  test(`depthwiseConv2d and both gradients on random geometry match the reference (${label})`, () => {
    st.setNumThreads(threads);
    const r = rng(31 + threads);
    // fixed cases: 37 channels run the 16-, 4- and 1-channel loops of the multiplier-1 kernel;
    const fixed: [number[], number[], number, number, 'same' | 'valid' | 1][] = [
      [[1, 7, 6, 37], [3, 3, 37, 1], 2, 1, 'same'], [[2, 5, 5, 37], [2, 3, 37, 1], 1, 2, 1],
      [[1, 9, 9, 16], [3, 3, 16, 1], 1, 1, 'valid'], [[3, 4, 4, 8], [1, 1, 8, 4], 1, 1, 'same'],
      // multipliers 2, 3 and 5: the shuffled, the gathered lanes and the scalar tail
      [[2, 5, 5, 9], [3, 3, 9, 2], 1, 1, 'same'], [[1, 4, 6, 7], [2, 2, 7, 3], 2, 1, 'same'],
      [[1, 5, 4, 5], [3, 2, 5, 5], 1, 2, 1],
    ];
    for (const [xs, fs, stride, dilation, pad] of fixed) {
      const f = (x: st.Tensor, k: st.Tensor) => st.depthwiseConv2d(x, k, stride, pad, 'NHWC', dilation);
      compare(`depthwise x [${xs}] f [${fs}] stride ${stride} dilation ${dilation} pad ${pad}`,
        withGrads(f, () => [uniform(xs, 7), uniform(fs, 8)], 9), 1e-4);
    }
    for (let c = 0; c < 30; c++) {
      const big = c >= 26;
      const batch = c % 5 === 0 ? 1 : 1 + r(big ? 8 : 3);
      const h = 1 + r(big ? 30 : 9), w = 1 + r(big ? 30 : 9), ch = 1 + r(big ? 24 : 9);
      const mult = [1, 1, 2, 3, 4, 5][r(6)];
      const fh = 1 + r(Math.min(h, 3) + 1), fw = 1 + r(Math.min(w, 3) + 1);
      const stride = 1 + r(3), dilation = stride === 1 && r(3) === 0 ? 2 : 1;
      const pad = (['valid', 'same', 1] as const)[r(3)];
      const padded = pad === 1 ? 2 : 0;
      if (pad !== 'same' && (h + padded < (fh - 1) * dilation + 1 || w + padded < (fw - 1) * dilation + 1)) continue;
      const what = `depthwise x [${batch},${h},${w},${ch}] f [${fh},${fw},${ch},${mult}] stride ${stride} ` +
        `dilation ${dilation} pad ${pad}`;
      const f = (x: st.Tensor, k: st.Tensor) => st.depthwiseConv2d(x, k, stride, pad, 'NHWC', dilation);
      const inputs = () => [uniform([batch, h, w, ch], c), uniform([fh, fw, ch, mult], c + 100)];
      compare(what, withGrads(f, inputs, c + 200), 1e-4);
      if (threads === 2 && big) sameOnThreads(what, withGrads(f, inputs, c + 200));
    }
    st.setNumThreads(2);
  });

  test(`softmaxCrossEntropy, dense and sparse, with gradients matches the reference (${label})`, () => {
    st.setNumThreads(threads);
    const r = rng(41 + threads);
    for (let c = 0; c < 24; c++) {
      const rows = c % 4 === 0 ? 1 : 1 + r(c >= 20 ? 3000 : 40), k = 1 + r(c >= 20 ? 60 : 13);
      const scale = [1, 5, 40][r(3)];
      const what = `softmaxCrossEntropy [${rows}, ${k}] logits scale ${scale}`;
      const logits = () => uniform([rows, k], c, -scale, scale);
      const labels = Int32Array.from({ length: rows }, (_, i) => (i * 7 + c) % k);
      const dense = () => st.oneHot(st.tensor(labels, [rows], 'int32'), k).cast('float32');
      const soft = () => st.softmax(uniform([rows, k], c + 50));
      // 5e-5: where p is near 1, p - 1 cancels, leaving the rounding of p (~1e-7) in a small gradient
      for (const reduction of ['mean', 'none'] as const) {
        compare(`${what} one-hot ${reduction}`, withGrads((z) => st.losses.softmaxCrossEntropy(dense(), z, null, 0, reduction === 'none' ? st.Reduction.NONE : st.Reduction.MEAN),
          () => [logits()], c + 300), 5e-5);
        compare(`${what} soft targets`, withGrads((t, z) => st.losses.softmaxCrossEntropy(t, z, null, 0, reduction === 'none' ? st.Reduction.NONE : st.Reduction.MEAN),
          () => [soft(), logits()], c + 301), 5e-5);
        compare(`${what} sparse ${reduction}`, withGrads(
          (z) => st.losses.sparseSoftmaxCrossEntropy(st.tensor(labels, [rows], 'int32'), z, { reduction }),
          () => [logits()], c + 302), 5e-5);
      }
    }
    st.setNumThreads(2);
  });

  test(`training batch norm and its gradients match the reference (${label})`, () => {
    st.setNumThreads(threads);
    const r = rng(51 + threads);
    for (let c = 0; c < 20; c++) {
      const big = c >= 16;
      const shape = c % 3 === 0
        ? [1 + r(big ? 600 : 9), 1 + r(big ? 40 : 13)]
        : [c % 5 === 0 ? 1 : 1 + r(big ? 16 : 4), 1 + r(big ? 20 : 6), 1 + r(big ? 20 : 6), 1 + r(big ? 33 : 11)];
      const ch = shape[shape.length - 1];
      const offset = 3 * (r(3) - 1);
      const what = `batchNormTraining x [${shape}] mean offset ${offset}`;
      const inputs = () => [uniform(shape, c, offset - 2, offset + 2), uniform([ch], c + 1, 0.5, 2), uniform([ch], c + 2)];
      const stats = () => {
        const [x, s, o] = inputs();
        const { mean, variance } = st.batchNormTraining(x, s, o, 1e-3);
        return [mean, variance];
      };
      compare(`${what} statistics`, stats, 2e-5);
      compare(what, withGrads((x, s, o) => st.batchNormTraining(x, s, o, 1e-3).y, inputs, c + 400), 1e-4);
      compare(`${what} no scale or offset`, withGrads((x) => st.batchNormTraining(x, null, null, 0.1).y,
        () => [inputs()[0]], c + 401), 1e-4);
      if (threads === 2 && big) {
        sameOnThreads(what, withGrads((x, s, o) => st.batchNormTraining(x, s, o, 1e-3).y, inputs, c + 400));
      }
      // inference: the one-pass kernel when nothing is recorded, the composed ops under a gradient
      const moving = () => [uniform([ch], c + 3, -1, 1), uniform([ch], c + 4, 0.2, 3)];
      compare(`${what} inference`, () => {
        const [x, s, o] = inputs();
        const [m, v] = moving();
        return [st.noGrad(() => st.batchNorm(x, m, v, o, s, 1e-3)), st.noGrad(() => st.batchNorm(x, m, v))];
      }, 2e-5);
      compare(`${what} inference gradients`, withGrads((x, s, o) => {
        const [m, v] = moving();
        return st.batchNorm(x, m, v, o, s, 1e-3);
      }, inputs, c + 402), 1e-4);
    }
    st.setNumThreads(2);
  });

  test(`lstmCell and its gradients match the reference (${label})`, () => {
    st.setNumThreads(threads);
    const r = rng(61 + threads);
    for (let c = 0; c < 20; c++) {
      const batch = c % 4 === 0 ? 1 : 1 + r(c >= 16 ? 300 : 9), u = 1 + r(c >= 16 ? 130 : 11);
      const scale = [0.01, 1, 4, 30][r(4)];
      const what = `lstmCell batch ${batch} units ${u} scale ${scale}`;
      const inputs = () => [uniform([batch, 4 * u], c, -scale, scale), uniform([batch, u], c + 1, -2, 2)];
      compare(what, withGrads((z, cs) => st.concat(st.lstmCell(z, cs), 1), inputs, c + 500), 2e-5);
      compare(`${what} h only`, withGrads((z, cs) => st.lstmCell(z, cs)[0], inputs, c + 501), 2e-5);
    }
    st.setNumThreads(2);
  });
}
