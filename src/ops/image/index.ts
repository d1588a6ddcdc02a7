/** `st.image`: TensorFlow.js' tf.image namespace. */
export { flipLeftRight } from './geometry.js';
export { grayscaleToRGB, rgbToGrayscale } from './color.js';
export { nonMaxSuppressionAsync, nonMaxSuppressionWithScoreAsync, nonMaxSuppressionPaddedAsync } from './nms.js';
// the ops with positional arguments worth checking, checked against IMAGE_ARGS (tensor/arg_specs.ts)
export {
  resizeBilinear, resizeNearestNeighbor, cropAndResize, rotateWithOffset, transform, threshold, nonMaxSuppression,
  nonMaxSuppressionWithScore, nonMaxSuppressionPadded,
} from './checked.js';
