/**
 * Fourier transforms along the innermost axis (TensorFlow.js' tf.spectral): fft and ifft on
 * complex tensors through the backend's FFT kernel, rfft and irfft composed from them the way
 * TensorFlow.js defines them (so their gradients follow from the parts').
 */
import { isComplexDtype } from '../backend/shape_util.js';
import type { Tensor } from '../tensor/tensor.js';
import { zeros } from '../tensor/creation.js';
import { chainable, convert, runOp, wrap, type TensorInput } from './op.js';
import { complex, complexBinary, imag, real } from './complex.js';
import { neg } from './arithmetic.js';
import { concat, pad, reverse, slice } from './slicing.js';
import { reshape } from './transform.js';

function complexInput(op: string, input: TensorInput): Tensor {
  const t = convert(input, op, 'input');
  if (!isComplexDtype(t.dtype)) {
    throw new Error(`${op}: expected a complex64 tensor (make one with complex(real, imag)${op === 'fft' ? ', or use rfft for real input' : ''}), got ${t.dtype}`);
  }
  if (t.rank === 0) throw new Error(`${op}: expected a tensor of rank 1 or more (the transform runs along the last axis), got a scalar`);
  return t;
}

function transform(op: 'fft' | 'ifft', input: TensorInput): Tensor {
  const t = complexInput(op, input);
  const n = t.shape[t.rank - 1];
  // the adjoint of the transform: the other direction, scaled by n (the convention of TensorFlow's gradients)
  return runOp(op, [t], (be, [v]) => wrap(be, be.fft(v, op === 'ifft'), v.shape, v.dtype),
    (dy) => [op === 'fft' ? complexBinary('mul', ifft(dy), n) : complexBinary('mul', fft(dy), 1 / n)]);
}

/**
 * The discrete Fourier transform of each innermost row of a complex tensor.
 *
 * @example
 * ```ts
 * const spectrum = st.fft(st.complex([1, 0, 0, 0], [0, 0, 0, 0]));
 * st.real(spectrum).print(); // [1, 1, 1, 1]: an impulse has a flat spectrum
 * ```
 */
export function fft(input: TensorInput): Tensor {
  return transform('fft', input);
}

/**
 * The inverse discrete Fourier transform of each innermost row (divided by the row length).
 *
 * @example
 * ```ts
 * const x = st.complex([1, 2, 3, 4], [0, 0, 0, 0]);
 * st.real(st.ifft(st.fft(x))).print(); // [1, 2, 3, 4]
 * ```
 */
export function ifft(input: TensorInput): Tensor {
  return transform('ifft', input);
}

/** A range [begin, begin + size) of the last axis. */
function lastAxisSlice(x: Tensor, begin: number, size: number): Tensor {
  return slice(x, [...x.shape.slice(0, -1).map(() => 0), begin], [...x.shape.slice(0, -1), size]);
}

/**
 * The transform of each innermost row of a real tensor, keeping the fftLength / 2 + 1 entries
 * that are not the conjugates of others. `fftLength` crops the rows or pads them with zeros.
 *
 * @example
 * ```ts
 * const spectrum = st.rfft(st.tensor1d([1, 1, 1, 1]));
 * console.log(spectrum.shape); // [3]: n / 2 + 1 entries
 * st.real(spectrum).print(); // [4, 0, 0]
 * ```
 */
export function rfft(input: TensorInput, fftLength?: number): Tensor {
  const op = 'rfft';
  const t = convert(input, op, 'input');
  if (t.dtype !== 'float32' && t.dtype !== 'float64') {
    throw new Error(`${op}: expected a real float32 tensor, got ${t.dtype}${isComplexDtype(t.dtype) ? ' (use fft for complex input)' : ''}`);
  }
  if (t.rank === 0) throw new Error(`${op}: expected a tensor of rank 1 or more (the transform runs along the last axis), got a scalar`);
  const inner = t.shape[t.rank - 1];
  if (fftLength != null && (!Number.isInteger(fftLength) || fftLength < 1)) {
    throw new Error(`${op}: fftLength must be a positive integer, got ${JSON.stringify(fftLength)}`);
  }
  const n = fftLength ?? inner;
  let x = t;
  if (n < inner) x = lastAxisSlice(t, 0, n);
  else if (n > inner) x = pad(t, t.shape.map((_, i) => (i === t.rank - 1 ? [0, n - inner] : [0, 0]) as [number, number]));
  const spectrum = fft(complex(x, zeros(x.shape, x.dtype)));
  const half = Math.floor(n / 2) + 1;
  return complex(lastAxisSlice(real(spectrum), 0, half), lastAxisSlice(imag(spectrum), 0, half));
}

/**
 * The real signal whose rfft is each innermost row of `input` (n entries give 2(n - 1) samples;
 * rows of 1 or 2 entries are transformed as they are). The result's shape is TensorFlow.js':
 * [batch, samples] for every rank except 3, which keeps its two leading axes.
 *
 * @example
 * ```ts
 * const signal = st.irfft(st.rfft(st.tensor2d([[1, 2, 3, 4]])));
 * signal.print(); // [[1, 2, 3, 4]]
 * ```
 */
export function irfft(input: TensorInput): Tensor {
  const op = 'irfft';
  const t = complexInput(op, input);
  const n = t.shape[t.rank - 1];
  let signal: Tensor;
  if (n <= 2) signal = real(ifft(t));
  else {
    // the full spectrum of a real signal: the given half, then the conjugates of its inner entries reversed
    const re = real(t), im = imag(t);
    const mirroredRe = reverse(lastAxisSlice(re, 1, n - 2), -1);
    const mirroredIm = neg(reverse(lastAxisSlice(im, 1, n - 2), -1));
    signal = real(ifft(complex(concat([re, mirroredRe], -1), concat([im, mirroredIm], -1))));
  }
  const samples = signal.shape[signal.rank - 1];
  if (t.rank === 3 && t.shape[0] !== 0) return signal;
  return reshape(signal, [t.size / Math.max(n, 1), samples]);
}

/**
 * `st.spectral` (TensorFlow.js' tf.spectral): the Fourier transforms, also at the top level (`st.fft`, ...).
 * @namespace
 */
export const spectral = { fft, ifft, rfft, irfft };

declare module '../tensor/tensor.js' {
  interface Tensor {
    fft(): Tensor;
    ifft(): Tensor;
    rfft(fftLength?: number): Tensor;
    irfft(): Tensor;
  }
}

chainable({ fft, ifft, rfft, irfft });
