/**
 * Complex tensors and the spectral ops beyond the differential table: the FFT against a direct
 * DFT in float64 (complex128) at many lengths, Parseval, round trips, batches, both backends,
 * printing and reading complex values, and the errors of ops that do not take complex tensors.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as st from '../../src/index.js';
import { assertClose, assertThrowsMessage, testTensor, testValues } from '../helpers.js';

/** The DFT of one row by its definition, in float64: [re, im] interleaved. */
function directDft(re: ArrayLike<number>, im: ArrayLike<number>, inverse = false): number[] {
  const n = re.length;
  const out: number[] = [];
  const sign = inverse ? 1 : -1;
  for (let k = 0; k < n; k++) {
    let sr = 0, si = 0;
    for (let j = 0; j < n; j++) {
      const a = (sign * 2 * Math.PI * ((j * k) % n)) / n;
      sr += re[j] * Math.cos(a) - im[j] * Math.sin(a);
      si += re[j] * Math.sin(a) + im[j] * Math.cos(a);
    }
    out.push(inverse ? sr / n : sr, inverse ? si / n : si);
  }
  return out;
}

test('fft equals the DFT by definition at every length 1..40 and at long prime and composite lengths (complex128)', () => {
  for (const n of [...Array.from({ length: 40 }, (_, i) => i + 1), 97, 128, 210, 509, 1000]) {
    const re = testValues(n, n), im = testValues(n, n + 100);
    const z = st.complex(st.tensor(re, [n], 'float64'), st.tensor(im, [n], 'float64'));
    assert.equal(z.dtype, 'complex128');
    const scale = Math.sqrt(n);
    assertClose(Array.from(st.fft(z).dataSync(), (v) => v / scale),
      directDft(re, im).map((v) => v / scale), 1e-11, `fft length ${n}`);
    assertClose(Array.from(st.ifft(z).dataSync(), (v) => v * scale),
      directDft(re, im, true).map((v) => v * scale), 1e-11, `ifft length ${n}`);
  }
});

test('fft in float32 stays within float32 accuracy at a long odd length (Bluestein)', () => {
  const n = 1023;
  const re = testValues(n, 4), im = testValues(n, 5);
  const got = st.fft(st.complex(st.tensor(re, [n]), st.tensor(im, [n]))).dataSync();
  const want = directDft(Float32Array.from(re), Float32Array.from(im));
  let worst = 0;
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]));
  assert.ok(worst < 1e-4 * Math.sqrt(n), `largest error ${worst}`);
});

test('ifft(fft(x)) and fft(ifft(x)) give x back; irfft(rfft(x)) gives an even-length real x back', () => {
  for (const shape of [[16], [3, 7], [2, 2, 12], [1, 1]]) {
    const z = st.complex(testTensor(shape, 1), testTensor(shape, 2));
    assertClose(st.ifft(st.fft(z)), Array.from(z.dataSync()), 1e-12, `ifft(fft) [${shape}]`);
    assertClose(st.fft(st.ifft(z)), Array.from(z.dataSync()), 1e-12, `fft(ifft) [${shape}]`);
  }
  const x = testTensor([3, 10], 3);
  const back = st.irfft(st.rfft(x));
  assert.deepEqual(back.shape, [3, 10]);
  assertClose(back, Array.from(x.dataSync()), 1e-12, 'irfft(rfft)');
});

test('Parseval: sum |x|^2 = sum |fft(x)|^2 / n, for each row of a batch', () => {
  const z = st.complex(testTensor([4, 9], 6), testTensor([4, 9], 7));
  const energy = (t: st.Tensor) => st.sum(st.abs(t).square(), -1);
  assertClose(energy(st.fft(z)).div(9), Array.from(energy(z).dataSync()), 1e-12, 'Parseval');
});

test('fft transforms each innermost row on its own (batch of any rank)', () => {
  const re = testTensor([2, 3, 5], 8), im = testTensor([2, 3, 5], 9);
  const whole = st.fft(st.complex(re, im)).dataSync();
  const rows = re.reshape([6, 5]).unstack(), irows = im.reshape([6, 5]).unstack();
  rows.forEach((r, i) => {
    const one = st.fft(st.complex(r, irows[i])).dataSync();
    assertClose(Array.from(whole.slice(10 * i, 10 * i + 10)), Array.from(one), 1e-12, `row ${i}`);
  });
});

test('rfft of a real signal: a cosine puts its energy in its bin; fftLength pads and crops', () => {
  const n = 16;
  const x = st.tensor(Array.from({ length: n }, (_, i) => Math.cos((2 * Math.PI * 3 * i) / n)));
  const spectrum = st.abs(st.rfft(x));
  assert.deepEqual(spectrum.shape, [9]);
  assertClose(spectrum, Array.from({ length: 9 }, (_, k) => (k === 3 ? n / 2 : 0)), 1e-5);
  assert.deepEqual(st.rfft(x, 10).shape, [6]);
  assert.deepEqual(st.rfft(x, 33).shape, [17]);
  // padding to 5 transforms [1, 2, 3, 0, 0]; cropping to 2 transforms [1, 2]
  assertClose(st.rfft(st.tensor([1, 2, 3]), 5), directDft([1, 2, 3, 0, 0], [0, 0, 0, 0, 0]).slice(0, 6), 1e-6);
  assertClose(st.rfft(st.tensor([1, 2, 3]), 2), [3, 0, -1, 0], 1e-6);
});

test('the wasm backend gives the reference backend\'s complex and spectral results', () => {
  const before = st.getBackend();
  const run = () => {
    const a = testTensor([3, 6], 1).cast('float32'), b = testTensor([3, 6], 2).cast('float32');
    const z = st.complex(a, b);
    return [st.fft(z), st.ifft(z), st.rfft(a, 9), st.irfft(z), st.abs(z), st.mul(z, st.complex(b, a)),
      st.add(z, a), st.transpose(z), st.concat([z, z], 1), st.real(z), st.imag(z), st.signal.stft(a.reshape([18]), 6, 3),
      st.grad((x: st.Tensor) => st.abs(st.rfft(x)).sum())(a)].map((t) => Array.from(t.dataSync()));
  };
  try {
    st.setBackend('js');
    const ref = run();
    st.setBackend('wasm');
    const fast = run();
    ref.forEach((r, i) => assertClose(fast[i], r, 1e-6, `output ${i}`));
  } finally {
    st.setBackend(before);
  }
});

test('complex values read back as TensorFlow.js gives them: interleaved data, arraySync, print', async () => {
  const z = st.complex([[1, 2], [3, 4]], [[5, 6], [7, -8.5]]);
  assert.equal(z.dtype, 'complex64');
  assert.equal(z.size, 4);
  assert.deepEqual(Array.from(z.dataSync()), [1, 5, 2, 6, 3, 7, 4, -8.5]);
  assert.ok((await z.data()) instanceof Float32Array);
  assert.deepEqual(z.arraySync(), [[1, 5, 2, 6], [3, 7, 4, -8.5]]);
  assert.equal(z.toString(), 'Tensor\n    [[1 + 5j, 2 + 6j   ],\n     [3 + 7j, 4 + -8.5j]]');
  assert.equal(st.complex(1, 2).toString(true), 'Tensor\n  dtype: complex64\n  rank: 0\n  shape: []\n  values:\n    1 + 2j');
  assert.equal(st.complex([0.5], [0]).toString(), 'Tensor\n    [0.5 + 0j]');
  assert.deepEqual(Array.from(st.zeros([2], 'complex64').dataSync()), [0, 0, 0, 0]);
  assert.deepEqual(Array.from(st.ones([2], 'complex64').dataSync()), [1, 0, 1, 0]);
  const v = st.variable(z);
  assert.equal(v.dtype, 'complex64');
  v.assign(st.complex([[0, 0], [0, 0]], [[1, 1], [1, 1]]));
  assert.deepEqual(Array.from(v.dataSync()), [0, 1, 0, 1, 0, 1, 0, 1]);
});

test('complex dtype rules: parts become float32, int32 parts are taken as floats, cast keeps the real part', () => {
  const z = st.complex(st.tensor([1, 2], [2], 'int32'), st.tensor([3, 4], [2], 'int32'));
  assert.equal(z.dtype, 'complex64');
  assert.equal(st.real(z).dtype, 'float32');
  assert.equal(st.abs(z).dtype, 'float32');
  assert.deepEqual(Array.from(st.cast(z, 'int32').dataSync()), [1, 2]);
  assert.deepEqual(Array.from(z.toFloat().dataSync()), [1, 2]);
  assert.equal(st.complex(testTensor([2]), testTensor([2])).dtype, 'complex128');
  assert.equal(st.real(st.complex(testTensor([2]), testTensor([2]))).dtype, 'float64');
  // a real tensor is its own real part, with imaginary part zero (TensorFlow's meaning)
  assert.deepEqual(Array.from(st.imag(st.tensor([1, 2])).dataSync()), [0, 0]);
  assert.equal(st.enclosingPowerOfTwo(5), 8);
  assert.equal(st.enclosingPowerOfTwo(8), 8);
  assert.equal(st.enclosingPowerOfTwo(1), 1);
});

test('the gradient with respect to a complex input follows TensorFlow\'s convention dL/dx + i dL/dy', () => {
  const z = st.complex([3, 0.5], [4, -1]);
  // L = sum |z|: dL/dz = z / |z|
  const g = st.grad((t: st.Tensor) => st.abs(t).sum())(z);
  assert.equal(g.dtype, 'complex64');
  assertClose(g, [0.6, 0.8, 0.5 / Math.hypot(0.5, 1), -1 / Math.hypot(0.5, 1)], 1e-6);
  // L = real(z * w): dL/dz = conj(w)
  const w = st.complex([2, 1], [5, -3]);
  assertClose(st.grad((t: st.Tensor) => st.real(st.mul(t, w)).sum())(z), [2, -5, 1, 3], 1e-6);
});

test('ops without complex support refuse complex tensors by name instead of computing on the storage', () => {
  const z = st.complex([1, 2, 3], [4, 5, 6]);
  for (const [name, f] of [
    ['exp', () => st.exp(z)], ['sum', () => st.sum(z)], ['neg', () => st.neg(z)], ['div', () => st.div(z, z)],
    ['maximum', () => st.maximum(z, z)], ['slice', () => st.slice(z, 1, 1)], ['gather', () => st.gather(z, [0])],
    ['tile', () => st.tile(z, [2])], ['reverse', () => st.reverse(z)], ['where', () => st.where(st.tensor([true, false, true]), z, z)],
    ['relu', () => st.relu(z)], ['equal', () => st.equal(z, z)],
  ] as [string, () => unknown][]) {
    assertThrowsMessage(f, `${name} does not support complex64 tensors`);
  }
  // ops that first cast their input to float say why instead of keeping only the real parts
  for (const f of [() => st.mean(z), () => st.softmax(z), () => st.norm(z), () => st.leakyRelu(z)]) {
    assertThrowsMessage(f, 'would drop the imaginary parts', 'does not support complex64 tensors');
  }
  assertThrowsMessage(() => st.tensor([1, 2], [2], 'complex64'), 'cannot construct a complex64 tensor directly', 'complex(real, imag)');
  assertThrowsMessage(() => st.complex([1, 2], [1, 2, 3]), 'complex: real and imag must have the same shape, got [2] and [3]');
  assertThrowsMessage(() => st.complex(z, z), "complex: expected 'real' to be a real tensor, got complex64");
  assertThrowsMessage(() => st.fft(st.tensor([1, 2])), 'fft: expected a complex64 tensor', 'got float32');
  assertThrowsMessage(() => st.irfft(st.tensor([1, 2])), 'irfft: expected a complex64 tensor', 'got float32');
  assertThrowsMessage(() => st.fft(st.complex(1, 2)), 'fft: expected a tensor of rank 1 or more');
  assertThrowsMessage(() => st.rfft(st.tensor([1, 2], [2], 'int32')), 'rfft: expected a real float32 tensor, got int32');
  assertThrowsMessage(() => st.rfft(z), 'rfft: expected a real float32 tensor, got complex64', 'use fft');
  assertThrowsMessage(() => st.rfft(st.tensor([1, 2]), 0), 'rfft: fftLength must be a positive integer, got 0');
  assertThrowsMessage(() => st.signal.frame(st.tensor([[1, 2], [3, 4]]), 2, 1), "frame: expected 'signal' of rank 1, got shape [2,2]");
  assertThrowsMessage(() => st.signal.frame(st.tensor([1, 2, 3]), 2, 0), 'frame: frameStep must be an integer >= 1, got 0');
  assertThrowsMessage(() => st.signal.hannWindow(2.5), 'hannWindow: windowLength must be an integer >= 0, got 2.5');
});
