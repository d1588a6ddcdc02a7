/**
 * Checks the substitute Conv2DBackpropFilter kernel for tfjs-wasm against tfjs-cpu's own kernel
 * on odd shapes, strides and paddings: `node dist/bench/check/tfjs_wasm_filter_grad.js`.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
// tfjs-layers' Node bundle is what registers tfjs' gradient functions
import '@tensorflow/tfjs-layers';
import { registerConvFilterGradForWasm } from '../tfjs_wasm_filter_grad.js';

type Case = [x: [number, number, number, number], f: [number, number, number, number], s: number | [number, number], pad: 'same' | 'valid' | number];
// (unequal strides with a numeric pad are left out: tfjs' own forward pass sizes both axes by the
// height stride there, so no filter gradient could match it)
const cases: Case[] = [
  [[2, 7, 9, 3], [3, 3, 3, 4], 1, 'same'], [[3, 8, 8, 2], [5, 5, 2, 3], 1, 'same'], [[2, 9, 10, 3], [3, 2, 3, 5], 2, 'same'],
  [[2, 9, 10, 3], [3, 3, 3, 2], 2, 'valid'], [[1, 7, 7, 1], [3, 3, 1, 1], 2, 1], [[2, 9, 8, 2], [3, 3, 2, 2], [2, 1], "same"], [[4, 5, 5, 1], [4, 4, 1, 2], 3, 'same'],
];

function filterGrad(c: Case): Float32Array {
  return tf.tidy(() => {
    const x = tf.randomNormal(c[0], 0, 1, 'float32', 7) as tf.Tensor4D;
    const f = tf.randomNormal(c[1], 0, 1, 'float32', 8) as tf.Tensor4D;
    const g = tf.grad((fi: tf.Tensor) => tf.sum(tf.square(tf.conv2d(x, fi as tf.Tensor4D, c[2], c[3]))));
    return g(f).dataSync() as Float32Array;
  });
}

registerConvFilterGradForWasm();
let worst = 0;
for (const c of cases) {
  await tf.setBackend('cpu');
  const expected = filterGrad(c);
  await tf.setBackend('wasm');
  const actual = filterGrad(c);
  let err = 0;
  for (let i = 0; i < expected.length; i++) err = Math.max(err, Math.abs(actual[i] - expected[i]) / Math.max(1, Math.abs(expected[i])));
  worst = Math.max(worst, err);
  console.log(JSON.stringify(c), 'max relative error', err.toExponential(2));
}
if (worst > 1e-4) {
  console.error('substitute kernel disagrees with tfjs-cpu');
  process.exit(1);
}
