/**
 * Signal processing (TensorFlow.js' tf.signal): the Hann and Hamming windows, framing a signal
 * into overlapping windows, and the short-time Fourier transform; plus the helpers tfjs-core
 * exports at top level, enclosingPowerOfTwo and cosineWindow.
 */
import type { Tensor } from '../tensor/tensor.js';
import { tensor, tensor1d, zeros } from '../tensor/creation.js';
import { convert, type TensorInput } from './op.js';
import { mul } from './arithmetic.js';
import { gather, pad } from './slicing.js';
import { rfft } from './spectral.js';
import { checkArgType } from '../tensor/options.js';

/**
 * 2^k for the smallest integer k with 2^k >= value (TensorFlow.js' formula: 0 for 0).
 *
 * @example
 * ```ts
 * console.log(st.enclosingPowerOfTwo(5), st.enclosingPowerOfTwo(8)); // 8 8
 * ```
 */
export function enclosingPowerOfTwo(value: number): number {
  return Math.floor(Math.pow(2, Math.ceil(Math.log(value) / Math.log(2))));
}

function checkLength(op: string, name: string, value: unknown, min: number): asserts value is number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new Error(`${op}: ${name} must be an integer >= ${min}, got ${JSON.stringify(value)}`);
  }
}

/**
 * The window a - b cos(2 pi i / (N - 1)) of length N (periodic in N for even lengths: the
 * denominator is N then, as TensorFlow.js has it), float32.
 *
 * @example
 * ```ts
 * st.cosineWindow(5, 0.5, 0.5).print(); // the Hann window: [0, 0.5, 1, 0.5, 0]
 * ```
 */
export function cosineWindow(windowLength: number, a: number, b: number): Tensor {
  checkLength('cosineWindow', 'windowLength', windowLength, 0);
  const even = 1 - (windowLength % 2);
  const values = new Float32Array(windowLength);
  for (let i = 0; i < windowLength; i++) values[i] = a - b * Math.cos((2 * Math.PI * i) / (windowLength + even - 1));
  return tensor1d(values, 'float32');
}

/**
 * The Hann window of `windowLength` samples.
 *
 * @example
 * ```ts
 * st.signal.hannWindow(5).print(); // [0, 0.5, 1, 0.5, 0]
 * ```
 */
export function hannWindow(windowLength: number): Tensor {
  checkLength('hannWindow', 'windowLength', windowLength, 0);
  return cosineWindow(windowLength, 0.5, 0.5);
}

/**
 * The Hamming window of `windowLength` samples.
 *
 * @example
 * ```ts
 * st.signal.hammingWindow(3).print(); // [0.08, 1, 0.08]
 * ```
 */
export function hammingWindow(windowLength: number): Tensor {
  checkLength('hammingWindow', 'windowLength', windowLength, 0);
  return cosineWindow(windowLength, 0.54, 0.46);
}

/**
 * The frames of a 1-D signal: rows of `frameLength` samples starting every `frameStep` samples,
 * [frames, frameLength]. Only whole frames, unless `padEnd`: then every start inside the signal
 * gives a frame, filled out with `padValue`.
 *
 * @example
 * ```ts
 * st.signal.frame(st.tensor1d([1, 2, 3, 4, 5]), 2, 2).print(); // [[1, 2], [3, 4]]
 * st.signal.frame(st.tensor1d([1, 2, 3, 4, 5]), 2, 2, true).print(); // [[1, 2], [3, 4], [5, 0]]
 * ```
 */
export function frame(signal: TensorInput, frameLength: number, frameStep: number, padEnd = false, padValue = 0): Tensor {
  const op = 'frame';
  const x = convert(signal, op, 'signal');
  if (x.rank !== 1) throw new Error(`${op}: expected 'signal' of rank 1, got shape [${x.shape}]`);
  checkLength(op, 'frameLength', frameLength, 1);
  checkLength(op, 'frameStep', frameStep, 1);
  checkArgType(op, 'padEnd', padEnd, 'boolean');
  checkArgType(op, 'padValue', padValue, 'number');
  const n = x.size;
  const frames = padEnd ? Math.ceil(n / frameStep) : n >= frameLength ? Math.floor((n - frameLength) / frameStep) + 1 : 0;
  // no frame: TensorFlow.js gives an empty float32 [0, frameLength]
  if (frames === 0) return zeros([0, frameLength], 'float32');
  const needed = (frames - 1) * frameStep + frameLength;
  const source = needed > n ? pad(x, [[0, needed - n]], padValue) : x;
  const starts = new Int32Array(frames * frameLength);
  for (let f = 0; f < frames; f++) for (let j = 0; j < frameLength; j++) starts[f * frameLength + j] = f * frameStep + j;
  return gather(source, tensor(starts, [frames, frameLength], 'int32'));
}

/**
 * The short-time Fourier transform: rfft of each frame of the signal times the window,
 * [frames, fftLength / 2 + 1] complex. fftLength defaults to the power of two enclosing
 * frameLength, the window to Hann's.
 *
 * @example
 * ```ts
 * const signal = st.sin(st.linspace(0, 20, 64));
 * const spectrogram = st.signal.stft(signal, 16, 8); // frames of 16 samples every 8
 * console.log(spectrogram.shape, spectrogram.dtype); // [7, 9] complex64
 * ```
 */
export function stft(signal: TensorInput, frameLength: number, frameStep: number, fftLength?: number,
  windowFn: (length: number) => Tensor = hannWindow): Tensor {
  const op = 'stft';
  checkArgType(op, 'windowFn', windowFn, 'function');
  const frames = frame(signal, frameLength, frameStep);
  return rfft(mul(frames, windowFn(frameLength)), fftLength ?? enclosingPowerOfTwo(frameLength));
}

/**
 * `st.signal` (TensorFlow.js' tf.signal): windows, framing and the short-time Fourier transform.
 * @namespace
 */
export const signal = { hammingWindow, hannWindow, frame, stft };
