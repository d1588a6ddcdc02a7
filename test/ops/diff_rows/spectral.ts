/** Differential rows (striate vs TensorFlow.js) for the spectral ops. */
import * as st from '../../../src/index.js';
import * as tf from '@tensorflow/tfjs-core';
import type { DiffRow } from './row.js';

// TensorFlow.js registers no gradient for Complex, Real, Imag, FFT or IFFT, and its ComplexAbs
// gradient (dy * step(real(x), -1), a float32 tensor) is not the derivative of |z|: these rows
// compare values only (gradInputs: []). The float64 table (grad_rows/new_spectral.ts) checks
// striate's gradients against finite differences instead.
// TensorFlow.js' complex add and mul give NaN where a complex operand is broadcast from a scalar
// (tf.add(complex, 1)); the rows broadcast only where it gets them right.

const stC = (a: st.Tensor, b: st.Tensor) => st.complex(a, b);
const tfC = (a: tf.Tensor, b: tf.Tensor) => tf.complex(a, b);

const fftRow = (shape: number[], inverse = false): DiffRow => ({
  op: inverse ? 'ifft' : 'fft', inputs: [shape, shape], gradInputs: [],
  st: (a, b) => (inverse ? st.ifft(stC(a, b)) : st.fft(stC(a, b))),
  tf: (a, b) => (inverse ? tf.spectral.ifft(tfC(a, b)) : tf.spectral.fft(tfC(a, b))),
});
const rfftRow = (shape: number[], fftLength?: number): DiffRow => ({
  op: 'rfft', options: fftLength === undefined ? undefined : `fftLength ${fftLength}`, inputs: [shape], gradInputs: [],
  st: (x) => st.spectral.rfft(x, fftLength), tf: (x) => tf.spectral.rfft(x, fftLength),
});
const irfftRow = (shape: number[]): DiffRow => ({
  op: 'irfft', inputs: [shape, shape], gradInputs: [],
  st: (a, b) => st.irfft(stC(a, b)), tf: (a, b) => tf.spectral.irfft(tfC(a, b)),
});

export const spectralDiffRows: DiffRow[] = [
  // complex numbers
  { op: 'complex', inputs: [[2, 3], [2, 3]], gradInputs: [], st: stC, tf: tfC },
  { op: 'complex', options: 'int32 parts', inputs: [{ shape: [4], dtype: 'int32', range: [-3, 3] }, { shape: [4], dtype: 'int32', range: [-3, 3] }],
    gradInputs: [], st: stC, tf: tfC },
  { op: 'real', inputs: [[2, 3], [2, 3]], gradInputs: [], st: (a, b) => st.real(stC(a, b)), tf: (a, b) => tf.real(tfC(a, b)) },
  { op: 'imag', inputs: [[2, 3], [2, 3]], gradInputs: [], st: (a, b) => st.imag(stC(a, b)), tf: (a, b) => tf.imag(tfC(a, b)) },
  { op: 'abs', options: 'complex', inputs: [[3, 4], [3, 4]], gradInputs: [], st: (a, b) => st.abs(stC(a, b)), tf: (a, b) => tf.abs(tfC(a, b)) },
  { op: 'add', options: 'complex', inputs: [[2, 3], [2, 3], [2, 3], [2, 3]], gradInputs: [],
    st: (a, b, c, d) => st.add(stC(a, b), stC(c, d)), tf: (a, b, c, d) => tf.add(tfC(a, b), tfC(c, d)) },
  { op: 'sub', options: 'complex', inputs: [[2, 3], [2, 3], [2, 3], [2, 3]], gradInputs: [],
    st: (a, b, c, d) => st.sub(stC(a, b), stC(c, d)), tf: (a, b, c, d) => tf.sub(tfC(a, b), tfC(c, d)) },
  { op: 'mul', options: 'complex', inputs: [[2, 3], [2, 3], [2, 3], [2, 3]], gradInputs: [],
    st: (a, b, c, d) => st.mul(stC(a, b), stC(c, d)), tf: (a, b, c, d) => tf.mul(tfC(a, b), tfC(c, d)) },
  { op: 'mul', options: 'complex times real', inputs: [[2, 3], [2, 3], [2, 3]], gradInputs: [],
    st: (a, b, c) => st.mul(stC(a, b), c), tf: (a, b, c) => tf.mul(tfC(a, b), c) },
  { op: 'cast', options: 'complex64 to float32', inputs: [[5], [5]], gradInputs: [],
    st: (a, b) => st.cast(stC(a, b), 'float32'), tf: (a, b) => tf.cast(tfC(a, b), 'float32') },
  { op: 'cast', options: 'complex64 to int32', inputs: [[5], [5]], gradInputs: [],
    st: (a, b) => st.cast(stC(a.mul(4), b), 'int32'), tf: (a, b) => tf.cast(tfC(tf.mul(a, 4), b), 'int32') },
  { op: 'cast', options: 'float32 to complex64', inputs: [[2, 2]], gradInputs: [],
    st: (a) => st.cast(a, 'complex64'), tf: (a) => tf.cast(a, 'complex64') },
  { op: 'transpose', options: 'complex', inputs: [[2, 3, 4], [2, 3, 4]], gradInputs: [],
    st: (a, b) => st.transpose(stC(a, b), [2, 0, 1]), tf: (a, b) => tf.transpose(tfC(a, b), [2, 0, 1]) },
  { op: 'concat', options: 'complex, axis 1', inputs: [[2, 3], [2, 3], [2, 1], [2, 1]], gradInputs: [],
    st: (a, b, c, d) => st.concat([stC(a, b), stC(c, d)], 1), tf: (a, b, c, d) => tf.concat([tfC(a, b), tfC(c, d)], 1) },
  { op: 'stack', options: 'complex', inputs: [[3], [3]], gradInputs: [],
    st: (a, b) => st.stack([stC(a, b), stC(b, a)]), tf: (a, b) => tf.stack([tfC(a, b), tfC(b, a)]) },
  { op: 'reshape', options: 'complex', inputs: [[2, 3], [2, 3]], gradInputs: [],
    st: (a, b) => st.reshape(stC(a, b), [3, 2]), tf: (a, b) => tf.reshape(tfC(a, b), [3, 2]) },
  { op: 'zerosLike/onesLike', options: 'complex', inputs: [[3], [3]], gradInputs: [],
    st: (a, b) => [st.zerosLike(stC(a, b)), st.onesLike(stC(a, b))], tf: (a, b) => [tf.zerosLike(tfC(a, b)), tf.onesLike(tfC(a, b))] },
  // transforms: powers of two (radix 2), other lengths (Bluestein), batches of any rank
  fftRow([8]), fftRow([1]), fftRow([2, 5]), fftRow([3, 2, 16]), fftRow([2, 12]), fftRow([97]), fftRow([2, 256]),
  fftRow([6], true), fftRow([2, 7], true), fftRow([2, 2, 8], true), fftRow([100], true),
  rfftRow([8]), rfftRow([2, 5]), rfftRow([2, 3, 6]), rfftRow([2, 6], 4), rfftRow([5], 8), rfftRow([3, 7], 7), rfftRow([1]),
  irfftRow([5]), irfftRow([2, 3]), irfftRow([2, 2, 4]), irfftRow([2, 1, 2, 5]), irfftRow([3, 2]), irfftRow([2, 1]), irfftRow([9]),
  { op: 'fft/rfft (methods)', inputs: [[2, 6]], gradInputs: [],
    st: (x) => [st.complex(x, x).fft(), st.complex(x, x).ifft(), x.rfft(), x.rfft().irfft()],
    tf: (x) => [tf.spectral.fft(tfC(x, x)), tf.spectral.ifft(tfC(x, x)), tf.spectral.rfft(x), tf.spectral.irfft(tf.spectral.rfft(x))] },
  // signal
  { op: 'signal.hannWindow', options: '1, 2, 7, 8', inputs: [], gradInputs: [],
    st: () => [1, 2, 7, 8].map((n) => st.signal.hannWindow(n)), tf: () => [1, 2, 7, 8].map((n) => tf.signal.hannWindow(n)) },
  { op: 'signal.hammingWindow', options: '1, 2, 7, 8', inputs: [], gradInputs: [],
    st: () => [1, 2, 7, 8].map((n) => st.signal.hammingWindow(n)), tf: () => [1, 2, 7, 8].map((n) => tf.signal.hammingWindow(n)) },
  { op: 'cosineWindow', options: '5 and 6, a 0.3, b 0.7', inputs: [], gradInputs: [],
    st: () => [st.cosineWindow(5, 0.3, 0.7), st.cosineWindow(6, 0.3, 0.7)], tf: () => [tf.cosineWindow(5, 0.3, 0.7), tf.cosineWindow(6, 0.3, 0.7)] },
  { op: 'signal.frame', options: 'length 3, step 2', inputs: [[10]],
    st: (x) => st.signal.frame(x, 3, 2), tf: (x) => tf.signal.frame(x as tf.Tensor1D, 3, 2) },
  { op: 'signal.frame', options: 'length 4, step 3, padEnd, padValue 7', inputs: [[10]],
    st: (x) => st.signal.frame(x, 4, 3, true, 7), tf: (x) => tf.signal.frame(x as tf.Tensor1D, 4, 3, true, 7) },
  { op: 'signal.frame', options: 'step longer than the frame', inputs: [[11]],
    st: (x) => st.signal.frame(x, 2, 4), tf: (x) => tf.signal.frame(x as tf.Tensor1D, 2, 4) },
  { op: 'signal.frame', options: 'no whole frame', inputs: [[3]], gradInputs: [],
    st: (x) => st.signal.frame(x, 5, 1), tf: (x) => tf.signal.frame(x as tf.Tensor1D, 5, 1) },
  { op: 'signal.frame', options: 'int32, padEnd', inputs: [{ shape: [7], dtype: 'int32', range: [0, 9] }],
    st: (x) => st.signal.frame(x, 3, 3, true), tf: (x) => tf.signal.frame(x as tf.Tensor1D, 3, 3, true) },
  { op: 'signal.stft', options: 'frame 8, step 4', inputs: [[32]], gradInputs: [],
    st: (x) => st.signal.stft(x, 8, 4), tf: (x) => tf.signal.stft(x as tf.Tensor1D, 8, 4) },
  { op: 'signal.stft', options: 'frame 5, step 2 (fftLength 8)', inputs: [[20]], gradInputs: [],
    st: (x) => st.signal.stft(x, 5, 2), tf: (x) => tf.signal.stft(x as tf.Tensor1D, 5, 2) },
  { op: 'signal.stft', options: 'frame 6, step 3, fftLength 10, Hamming', inputs: [[21]], gradInputs: [],
    st: (x) => st.signal.stft(x, 6, 3, 10, st.signal.hammingWindow),
    tf: (x) => tf.signal.stft(x as tf.Tensor1D, 6, 3, 10, tf.signal.hammingWindow) },
  { op: 'signal.stft', options: 'abs, frame 4, step 1, fftLength 3', inputs: [[9]], gradInputs: [],
    st: (x) => st.abs(st.signal.stft(x, 4, 1, 3)), tf: (x) => tf.abs(tf.signal.stft(x as tf.Tensor1D, 4, 1, 3)) },
];
