export { convert, type TensorInput, type GradRule } from './op.js';
export * from './arithmetic.js';
export * from './transform.js';
export * from './reduce.js';
export { matMul, dot, outerProduct } from './matmul.js';
export * from './slicing.js';
export * from './activations.js';
export * from './conv.js';
export * from './pool.js';
export { nearestNeighbors, neighbors, type NearestNeighbors, type NearestNeighborsOptions } from './neighbors.js';
export * from './normalization.js';
export { batchNormTraining, lstmCell } from './fused_layers.js';
export * as losses from './losses.js';
export * from './custom_grad.js';
export * as fused from './fused.js';
// math area (issue 16)
export * from './scan.js';
export * from './math_functions.js';
export { einsum } from './einsum.js';
export * from './random_ops.js';
/** tf.math: confusionMatrix */
export * as math from './confusion_matrix.js';
/** tf.linalg's decompositions (the lead merges them with bandPart into one linalg namespace) */
export * as linalg from './linalg_decompositions.js';
