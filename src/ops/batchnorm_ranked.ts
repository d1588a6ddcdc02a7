/**
 * TensorFlow.js' rank-checked spellings of batchNorm: batchNorm2d, batchNorm3d and batchNorm4d
 * require x of that rank and each statistic of that rank or rank 1 (per channel), then normalise
 * exactly as batchNorm does.
 */
import { Tensor } from '../tensor/tensor.js';
import { convert, type TensorInput } from './op.js';
import { batchNorm } from './normalization.js';

function ranked(rank: 2 | 3 | 4, x: TensorInput, mean: TensorInput, variance: TensorInput,
                offset: TensorInput | null | undefined, scale: TensorInput | null | undefined, varianceEpsilon: number): Tensor {
  const op = `batchNorm${rank}d`;
  const t = convert(x, op, 'x');
  if (t.rank !== rank) throw new Error(`${op}: expected x of rank ${rank}, got [${t.shape}]`);
  const check = (v: TensorInput, arg: string): Tensor => {
    const p = convert(v, op, arg, t.dtype);
    if (p.rank !== rank && p.rank !== 1) throw new Error(`${op}: expected ${arg} of rank ${rank} or 1, got [${p.shape}]`);
    return p;
  };
  return batchNorm(t, check(mean, 'mean'), check(variance, 'variance'),
    offset === undefined || offset === null ? offset : check(offset, 'offset'),
    scale === undefined || scale === null ? scale : check(scale, 'scale'), varianceEpsilon);
}

/**
 * batchNorm for x [batch, channels].
 *
 * @example
 * ```ts
 * st.batchNorm2d(st.tensor2d([[1, 2]]), st.tensor1d([1, 1]), st.tensor1d([1, 1])).print();
 * ```
 */
export function batchNorm2d(x: TensorInput, mean: TensorInput, variance: TensorInput, offset?: TensorInput | null,
                            scale?: TensorInput | null, varianceEpsilon = 0.001): Tensor {
  return ranked(2, x, mean, variance, offset, scale, varianceEpsilon);
}

/**
 * batchNorm for x [batch, steps, channels].
 *
 * @example
 * ```ts
 * console.log(st.batchNorm3d(st.ones([1, 2, 2]), st.tensor1d([0, 0]), st.tensor1d([1, 1])).shape);
 * ```
 */
export function batchNorm3d(x: TensorInput, mean: TensorInput, variance: TensorInput, offset?: TensorInput | null,
                            scale?: TensorInput | null, varianceEpsilon = 0.001): Tensor {
  return ranked(3, x, mean, variance, offset, scale, varianceEpsilon);
}

/**
 * batchNorm for x [batch, height, width, channels].
 *
 * @example
 * ```ts
 * console.log(st.batchNorm4d(st.ones([1, 2, 2, 2]), st.tensor1d([0, 0]), st.tensor1d([1, 1])).shape);
 * ```
 */
export function batchNorm4d(x: TensorInput, mean: TensorInput, variance: TensorInput, offset?: TensorInput | null,
                            scale?: TensorInput | null, varianceEpsilon = 0.001): Tensor {
  return ranked(4, x, mean, variance, offset, scale, varianceEpsilon);
}
