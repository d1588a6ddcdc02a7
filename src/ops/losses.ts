/**
 * `st.losses`: TensorFlow.js' `tf.losses` (absoluteDifference, computeWeightedLoss,
 * cosineDistance, hingeLoss, huberLoss, logLoss, meanSquaredError, sigmoidCrossEntropy,
 * softmaxCrossEntropy, with its signatures), plus the Keras losses `model.compile` knows by name
 * (meanAbsoluteError, huber, binaryCrossentropy, categoricalCrossentropy, ...) and
 * sparseSoftmaxCrossEntropy. Where both have a name, TensorFlow.js' signature is the one here;
 * the Keras meanSquaredError lives on in keras_losses.ts for training and metrics.
 */
export {
  Reduction, computeWeightedLoss, absoluteDifference, meanSquaredError, cosineDistance, hingeLoss, huberLoss, logLoss,
  sigmoidCrossEntropy, softmaxCrossEntropy,
} from './tfjs_losses.js';
export {
  EPSILON, meanAbsoluteError, huber, binaryCrossentropy, categoricalCrossentropy, sparseCategoricalCrossentropy, hinge,
  squaredHinge, categoricalHinge, kullbackLeiblerDivergence,
  type KerasReduction, type LossOptions, type HuberOptions, type CrossentropyOptions, type SparseCrossentropyOptions,
} from './keras_losses.js';
export { sparseSoftmaxCrossEntropy, type SoftmaxCrossEntropyOptions } from './softmax_cross_entropy.js';
