/**
 * The positional parameters of the most used creators and ops, in one table: what each may be.
 * `st.sum(x, 1, 'yes')` then says `sum: expected 'keepDims' to be a boolean, got a string ("yes")`
 * instead of treating 'yes' as true. TensorFlow.js' shorthands stay accepted: tensor arguments
 * are `any` here (convert() takes numbers and nested arrays and names anything else), optional
 * parameters (`?`) take undefined and null.
 *
 * The table is applied to the public names only, by `withArgChecks`: src/tensor/checked.ts (the
 * creators) and src/ops/checked.ts (the ops and their Tensor methods). Code inside striate calls
 * the unchecked functions, so the training loop pays nothing.
 */
import { checkArgs, type ArgSpec } from './options.js';

const X: ArgSpec = ['x', 'any'];
const DTYPE: ArgSpec = ['dtype', 'dtype?'];
const REDUCE: readonly ArgSpec[] = [X, ['axis', 'int|ints?'], ['keepDims', 'boolean?']];
const RANDOM: readonly ArgSpec[] = [['shape', 'shape'], ['mean', 'number?'], ['stdDev', 'number?'], DTYPE, ['seed', 'number?']];
const CUMULATIVE: readonly ArgSpec[] = [X, ['axis', 'int?'], ['exclusive', 'boolean?'], ['reverse', 'boolean?']];
const RANKED: readonly ArgSpec[] = [['values', 'any'], ['shape', 'shape?'], DTYPE];

/** creators (src/tensor): name -> positional parameters */
export const CREATOR_ARGS: Record<string, readonly ArgSpec[]> = {
  tensor: RANKED,
  tensor1d: [['values', 'any'], DTYPE],
  tensor2d: RANKED, tensor3d: RANKED, tensor4d: RANKED, tensor5d: RANKED, tensor6d: RANKED,
  scalar: [['value', 'number|boolean'], DTYPE],
  zeros: [['shape', 'shape'], DTYPE],
  ones: [['shape', 'shape'], DTYPE],
  fill: [['shape', 'shape'], ['value', 'number|boolean'], DTYPE],
  variable: [['initialValue', 'any'], ['trainable', 'boolean?'], ['name', 'string?'], DTYPE],
  range: [['start', 'number'], ['stop', 'number'], ['step', 'number?'], DTYPE],
  linspace: [['start', 'number'], ['stop', 'number'], ['num', 'int']],
  eye: [['numRows', 'int'], ['numColumns', 'int?'], ['batchShape', 'shape?'], DTYPE],
  oneHot: [['indices', 'any'], ['depth', 'int'], ['onValue', 'number?'], ['offValue', 'number?'], DTYPE],
  buffer: [['shape', 'shape'], DTYPE],
  randomNormal: RANDOM,
  truncatedNormal: RANDOM,
  randomUniform: [['shape', 'shape'], ['minval', 'number?'], ['maxval', 'number?'], DTYPE, ['seed', 'number?']],
};

/** ops (src/ops): name -> positional parameters; those starting with a tensor are Tensor methods too */
export const OP_ARGS: Record<string, readonly ArgSpec[]> = {
  sum: REDUCE, mean: REDUCE, max: REDUCE, min: REDUCE, prod: REDUCE, any: REDUCE, all: REDUCE, logSumExp: REDUCE,
  moments: REDUCE,
  argMax: [X, ['axis', 'int?']],
  argMin: [X, ['axis', 'int?']],
  reshape: [X, ['shape', 'shape']],
  expandDims: [X, ['axis', 'int?']],
  squeeze: [X, ['axis', 'int|ints?']],
  transpose: [X, ['perm', 'ints?']],
  reverse: [X, ['axis', 'int|ints?']],
  concat: [['tensors', 'array'], ['axis', 'int?']],
  stack: [['tensors', 'array'], ['axis', 'int?']],
  unstack: [X, ['axis', 'int?']],
  split: [X, ['numOrSizeSplits', 'int|ints'], ['axis', 'int?']],
  slice: [X, ['begin', 'int|ints'], ['size', 'int|ints?']],
  tile: [X, ['reps', 'ints']],
  pad: [X, ['paddings', 'array'], ['constantValue', 'number?']],
  gather: [X, ['indices', 'any'], ['axis', 'int?'], ['batchDims', 'int?']],
  matMul: [['a', 'any'], ['b', 'any'], ['transposeA', 'boolean?'], ['transposeB', 'boolean?']],
  softmax: [['logits', 'any'], ['dim', 'int?']],
  logSoftmax: [['logits', 'any'], ['axis', 'int?']],
  clipByValue: [X, ['clipValueMin', 'number'], ['clipValueMax', 'number']],
  leakyRelu: [X, ['alpha', 'number?']],
  cast: [X, ['dtype', 'dtype']],
  topk: [X, ['k', 'int?'], ['sorted', 'boolean?']],
  cumsum: CUMULATIVE, cumprod: CUMULATIVE,
};

/** st.image ops: name -> positional parameters (checked on `st.image.*`) */
export const IMAGE_ARGS: Record<string, readonly ArgSpec[]> = {
  resizeBilinear: [['images', 'any'], ['size', 'ints'], ['alignCorners', 'boolean?'], ['halfPixelCenters', 'boolean?']],
  resizeNearestNeighbor: [['images', 'any'], ['size', 'ints'], ['alignCorners', 'boolean?'], ['halfPixelCenters', 'boolean?']],
  cropAndResize: [['image', 'any'], ['boxes', 'any'], ['boxInd', 'any'], ['cropSize', 'ints'], ['method', 'string?'],
    ['extrapolationValue', 'number?']],
  rotateWithOffset: [['image', 'any'], ['radians', 'number']],
  transform: [['image', 'any'], ['transforms', 'any'], ['interpolation', 'string?'], ['fillMode', 'string?'], ['fillValue', 'number?'],
    ['outputShape', 'ints?']],
  threshold: [['image', 'any'], ['method', 'string?'], ['inverted', 'boolean?'], ['threshValue', 'number?']],
  nonMaxSuppression: [['boxes', 'any'], ['scores', 'any'], ['maxOutputSize', 'int'], ['iouThreshold', 'number?'],
    ['scoreThreshold', 'number?']],
  nonMaxSuppressionWithScore: [['boxes', 'any'], ['scores', 'any'], ['maxOutputSize', 'int'], ['iouThreshold', 'number?'],
    ['scoreThreshold', 'number?'], ['softNmsSigma', 'number?']],
  nonMaxSuppressionPadded: [['boxes', 'any'], ['scores', 'any'], ['maxOutputSize', 'int'], ['iouThreshold', 'number?'],
    ['scoreThreshold', 'number?'], ['padToMaxOutputSize', 'boolean?']],
};

/** `f` with its positional arguments checked against `specs`, reported under `name`. */
export function withArgChecks<F extends (...args: never[]) => unknown>(name: string, specs: readonly ArgSpec[], f: F): F {
  return Object.assign((...args: unknown[]) => {
    checkArgs(name, specs, args);
    return (f as unknown as (...a: unknown[]) => unknown)(...args);
  }, { argSpecs: specs }) as unknown as F;
}

/**
 * The Tensor methods of the ops in `table` whose first parameter is the tensor itself
 * (`x.sum(axis, keepDims)`), checked as `[this, ...args]`.
 */
export function checkTensorMethods(prototype: object, table: Record<string, readonly ArgSpec[]>): void {
  for (const [name, specs] of Object.entries(table)) {
    if (specs[0]?.[1] !== 'any') continue;
    const method = (prototype as Record<string, unknown>)[name];
    if (typeof method !== 'function' || (method as { argSpecs?: unknown }).argSpecs) continue;
    Object.defineProperty(prototype, name, {
      value: Object.assign(function (this: unknown, ...args: unknown[]) {
        checkArgs(name, specs, [this, ...args]);
        return (method as (...a: unknown[]) => unknown).apply(this, args);
      }, { argSpecs: specs }),
      writable: true, configurable: true,
    });
  }
}
