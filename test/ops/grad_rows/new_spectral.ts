/** Gradient rows (float64, finite differences) for the spectral ops added for TensorFlow.js parity. */
import * as st from '../../../src/index.js';
import { testTensor } from '../../helpers.js';
import type { GradRow } from './row.js';

// Complex ops are checked through real-valued compositions: float64 parts make complex128, whose
// gradients (dL/dx + i dL/dy for z = x + iy, TensorFlow's convention) flow back to the real inputs.
const weights = (shape: number[]) => testTensor(shape, 9);
/** a real loss that reads both parts of z, with different weights */
const both = (z: st.Tensor) => st.add(st.real(z).mul(weights([...z.shape])), st.imag(z).mul(testTensor([...z.shape], 7)));

export const spectralGradRows: GradRow[] = [
  { op: 'complex/real/imag', shapes: [[2, 3], [2, 3]], f: (a, b) => both(st.complex(a, b)) },
  { op: 'abs (complex)', shapes: [[3, 4], [3, 4]], f: (a, b) => st.abs(st.complex(a, b)) },
  { op: 'mul (complex)', shapes: [[2, 3], [2, 3], [2, 3], [2, 3]], f: (a, b, c, d) => both(st.mul(st.complex(a, b), st.complex(c, d))) },
  { op: 'mul (complex)', shapes: [[2, 3], [2, 3], [3], [3]], options: 'broadcast', f: (a, b, c, d) => both(st.mul(st.complex(a, b), st.complex(c, d))) },
  { op: 'add (complex)', shapes: [[2, 3], [2, 3], [3], [3]], options: 'broadcast', f: (a, b, c, d) => both(st.add(st.complex(a, b), st.complex(c, d))) },
  { op: 'sub (complex)', shapes: [[2, 3], [2, 3], [2, 1]], options: 'real operand', f: (a, b, c) => both(st.sub(st.complex(a, b), c)) },
  { op: 'cast (to complex and back)', shapes: [[4], [4], [4]], f: (x, b, c) => both(st.mul(st.cast(x, 'complex128'), st.complex(b, c))) },
  { op: 'transpose (complex)', shapes: [[2, 3], [2, 3]], f: (a, b) => both(st.transpose(st.complex(a, b))) },
  { op: 'concat (complex)', shapes: [[2, 3], [2, 3], [1, 3], [1, 3]], f: (a, b, c, d) => both(st.concat([st.complex(a, b), st.complex(c, d)])) },
  { op: 'fft', shapes: [[2, 8], [2, 8]], options: 'power of two', f: (a, b) => both(st.fft(st.complex(a, b))) },
  { op: 'fft', shapes: [[3, 5], [3, 5]], options: 'odd length (Bluestein)', f: (a, b) => both(st.fft(st.complex(a, b))) },
  { op: 'ifft', shapes: [[2, 6], [2, 6]], f: (a, b) => both(st.ifft(st.complex(a, b))) },
  { op: 'ifft', shapes: [[4], [4]], f: (a, b) => both(st.ifft(st.complex(a, b))) },
  { op: 'rfft', shapes: [[8]], options: 'abs of it', f: (x) => st.abs(st.rfft(x)) },
  { op: 'rfft', shapes: [[2, 5]], options: 'odd length', f: (x) => both(st.rfft(x)) },
  { op: 'rfft', shapes: [[2, 6]], options: 'fftLength 4 (crop)', f: (x) => both(st.rfft(x, 4)) },
  { op: 'rfft', shapes: [[3]], options: 'fftLength 7 (pad)', f: (x) => both(st.rfft(x, 7)) },
  { op: 'irfft', shapes: [[2, 5], [2, 5]], f: (a, b) => st.irfft(st.complex(a, b)).mul(weights([2, 8])) },
  { op: 'irfft', shapes: [[2, 2, 4], [2, 2, 4]], options: 'rank 3', f: (a, b) => st.irfft(st.complex(a, b)).mul(weights([2, 2, 6])) },
  { op: 'irfft', shapes: [[3, 2], [3, 2]], options: 'length 2', f: (a, b) => st.irfft(st.complex(a, b)).mul(weights([3, 2])) },
  { op: 'frame', shapes: [[9]], options: 'length 4, step 2, padEnd', f: (x) => st.signal.frame(x, 4, 2, true, 0.5).mul(weights([5, 4])) },
  { op: 'stft', shapes: [[12]], options: 'frame 5, step 3, abs of it', f: (x) => st.abs(st.signal.stft(x, 5, 3)) },
  { op: 'stft', shapes: [[10]], options: 'frame 4, step 2, fftLength 6, Hamming', f: (x) => both(st.signal.stft(x, 4, 2, 6, st.signal.hammingWindow)) },
];
