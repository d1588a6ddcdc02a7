/**
 * Tensor methods that TensorFlow.js' chained ops have for ops defined elsewhere here
 * (`x.conv2d(filter, strides, pad)`, `x.toFloat()`, `x.asScalar()`, `x.variable()`...). Each
 * method calls the one op; nothing is computed here.
 */
import type { DType } from '../backend/types.js';
import { Tensor, type Variable } from '../tensor/tensor.js';
import { variable } from '../tensor/creation.js';
import { oneHot } from '../tensor/sequences.js';
import { atan2, cast } from './arithmetic.js';
import { castTensor } from './complex.js';
import { reshape } from './transform.js';
import { chainable } from './op.js';
import { onesLike, zerosLike } from '../tensor/creation.js';

function asRank(rank: number, name: string) {
  return (x: Tensor, ...shape: number[]): Tensor => {
    if (shape.length !== rank) throw new Error(`${name}: expected ${rank} dimensions, got [${shape}]`);
    return reshape(x, shape);
  };
}

function asScalar(x: Tensor): Tensor {
  if (x.size !== 1) throw new Error(`asScalar: the tensor must hold exactly one value, got shape [${x.shape}]`);
  return reshape(x, []);
}

declare module '../tensor/tensor.js' {
  interface Tensor {
    oneHot(depth: number, onValue?: number, offValue?: number, dtype?: DType): Tensor;
    onesLike(): Tensor;
    zerosLike(): Tensor;
    atan2(b: Tensor | number): Tensor;
    /** This tensor with `x`'s shape. */
    reshapeAs(x: Tensor): Tensor;
    toBool(): Tensor;
    toFloat(): Tensor;
    toInt(): Tensor;
    asType(dtype: DType): Tensor;
    asScalar(): Tensor;
    as2D(rows: number, columns: number): Tensor;
    as3D(rows: number, columns: number, depth: number): Tensor;
    as4D(rows: number, columns: number, depth: number, depth2: number): Tensor;
    as5D(rows: number, columns: number, depth: number, depth2: number, depth3: number): Tensor;
    /** A Variable initialised with this tensor's value. */
    variable(trainable?: boolean, name?: string, dtype?: DType): Variable;
    /** Throws when this tensor was disposed. */
    throwIfDisposed(): void;
  }
}

chainable({
  oneHot: (x: Tensor, depth: number, onValue?: number, offValue?: number, dtype?: DType) => oneHot(x, depth, onValue, offValue, dtype),
  onesLike, zerosLike, atan2,
  reshapeAs: (x: Tensor, other: Tensor) => reshape(x, other.shape),
  toBool: (x: Tensor) => castTensor(x, 'bool'),
  toFloat: (x: Tensor) => castTensor(x, 'float32'),
  toInt: (x: Tensor) => castTensor(x, 'int32'),
  asType: (x: Tensor, dtype: DType) => castTensor(x, dtype),
  asScalar,
  as2D: asRank(2, 'as2D'), as3D: asRank(3, 'as3D'), as4D: asRank(4, 'as4D'), as5D: asRank(5, 'as5D'),
  variable: (x: Tensor, trainable?: boolean, name?: string, dtype?: DType) =>
    variable(dtype !== undefined && dtype !== x.dtype ? cast(x, dtype) : x, trainable, name),
  throwIfDisposed: (x: Tensor) => x.assertLive(),
});
