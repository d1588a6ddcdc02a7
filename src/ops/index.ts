export { convert, type TensorInput, type GradRule } from './op.js';
export * from './arithmetic.js';
export * from './transform.js';
export * from './reduce.js';
export { dot, outerProduct } from './matmul.js';
export * from './slicing.js';
export * from './activations.js';
export * from './conv.js';
export * from './pool.js';
export { nearestNeighbors, neighbors, type NearestNeighbors, type NearestNeighborsOptions } from './neighbors.js';
export * from './normalization.js';
export { batchNormTraining, lstmCell } from './fused_layers.js';
export * as losses from './losses.js';
export { Reduction } from './tfjs_losses.js';
export * from './custom_grad.js';
export * as fused from './fused.js';
// math area (issue 16)
export * from './scan.js';
export * from './math_functions.js';
export { einsum } from './einsum.js';
export * from './random_ops.js';
/** tf.math: confusionMatrix */
export * as math from './confusion_matrix.js';
// ---- movement, sparse and linalg (issue 16) ----
export { gatherND, scatterND, tensorScatterUpdate, unsortedSegmentSum, sparseToDense, diag } from './movement_nd.js';
export * from './movement_more.js';
export * as linalg from './linalg.js';
export * as sparse from './sparse.js';
export { raggedRange, raggedGather, raggedTensorToTensor } from './ragged.js';
// ---- conv3d area: 3-D conv and pooling, dilation2d, ranked batchNorm, LSTM cell functions ----
export * from './conv3d.js';
export * from './dilation.js';
export * from './batchnorm_ranked.js';
export * from './rnn_cells.js';
export { profile, time, op, engine, type ProfileInfo, type KernelInfo, type TimingInfo, type Engine } from './profile.js';
export { Rank, upcastType, sumOutType, print, tensor_util, addN } from './tensor_util.js';
import './chained.js'; // Tensor methods for ops defined in the files above
export * as image from './image/index.js';
export * as browser from './browser.js';
// ---- strict arguments: the most used ops with their positional arguments checked (tensor/arg_specs.ts) ----
export {
  sum, mean, max, min, prod, any, all, logSumExp, moments, argMax, argMin, reshape, expandDims, squeeze, transpose, reverse,
  concat, stack, unstack, split, slice, tile, pad, gather, matMul, softmax, logSoftmax, clipByValue, leakyRelu, cast, topk,
  cumsum, cumprod,
} from './checked.js';
// ---- complex area (issue 16): complex numbers, tf.spectral and tf.signal ----
// cast as users call it is checked.ts' cast over complex.ts' castTensor (from complex it keeps the real parts)
export { complex, real, imag } from './complex.js';
export { fft, ifft, rfft, irfft, spectral } from './spectral.js';
export { signal, enclosingPowerOfTwo, cosineWindow } from './signal.js';
export * as string from './string/index.js';

// ---- recurrent area: whole-sequence LSTM ----
export { lstmSequence } from './recurrent_sequence.js';
export { gruSequence, simpleRnnSequence } from './recurrent_sequences.js';
