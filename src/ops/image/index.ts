/** `st.image`: TensorFlow.js' tf.image namespace. */
export { resizeBilinear, resizeNearestNeighbor } from './resize.js';
export { cropAndResize, flipLeftRight, rotateWithOffset, transform } from './geometry.js';
export { grayscaleToRGB, rgbToGrayscale, threshold } from './color.js';
export {
  nonMaxSuppression, nonMaxSuppressionAsync, nonMaxSuppressionWithScore, nonMaxSuppressionWithScoreAsync,
  nonMaxSuppressionPadded, nonMaxSuppressionPaddedAsync,
} from './nms.js';
