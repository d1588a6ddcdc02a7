/** The st.image ops with their positional arguments checked against IMAGE_ARGS (tensor/arg_specs.ts). */
import { IMAGE_ARGS, checkTensorMethods, withArgChecks } from '../../tensor/arg_specs.js';
import { Tensor } from '../../tensor/tensor.js';
import * as resize from './resize.js';
import * as geometry from './geometry.js';
import * as color from './color.js';
import * as nms from './nms.js';

const checked = <F extends (...args: never[]) => unknown>(name: keyof typeof IMAGE_ARGS, f: F): F =>
  withArgChecks(name, IMAGE_ARGS[name], f);

export const resizeBilinear = checked('resizeBilinear', resize.resizeBilinear);
export const resizeNearestNeighbor = checked('resizeNearestNeighbor', resize.resizeNearestNeighbor);
export const cropAndResize = checked('cropAndResize', geometry.cropAndResize);
export const rotateWithOffset = checked('rotateWithOffset', geometry.rotateWithOffset);
export const transform = checked('transform', geometry.transform);
export const threshold = checked('threshold', color.threshold);
export const nonMaxSuppression = checked('nonMaxSuppression', nms.nonMaxSuppression);
export const nonMaxSuppressionWithScore = checked('nonMaxSuppressionWithScore', nms.nonMaxSuppressionWithScore);
export const nonMaxSuppressionPadded = checked('nonMaxSuppressionPadded', nms.nonMaxSuppressionPadded);

// x.resizeBilinear(size, ...) and the other image methods TensorFlow.js' Tensor has
checkTensorMethods(Tensor.prototype, IMAGE_ARGS);
