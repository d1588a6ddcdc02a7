/** Gradient rows (float64, finite differences) for the image ops added for TensorFlow.js parity. */
import * as st from '../../../src/index.js';
import { testTensor } from '../../helpers.js';
import type { GradRow } from './row.js';

/** weights the output so that every position of the result matters differently */
const weigh = (y: st.Tensor, seed = 9) => y.mul(testTensor([...y.shape], seed));
const BOXES = [[0.1, 0.2, 0.9, 0.7], [-0.2, 0.3, 0.6, 1.3], [0.8, 0.9, 0.15, 0.05], [0.5, 0.5, 0.5, 0.5]];
const BOX_IND = st.tensor([1, 0, 1, 0], [4], 'int32');

export const imageGradRows: GradRow[] = [
  { op: 'image.resizeBilinear', shapes: [[2, 3, 4, 2]], options: 'up [5, 7]', f: (x) => weigh(st.image.resizeBilinear(x, [5, 7])) },
  { op: 'image.resizeBilinear', shapes: [[1, 5, 4, 1]], options: 'down [2, 3], alignCorners', f: (x) => weigh(st.image.resizeBilinear(x, [2, 3], true)) },
  { op: 'image.resizeBilinear', shapes: [[2, 3, 5, 2]], options: '[6, 4], halfPixelCenters', f: (x) => weigh(st.image.resizeBilinear(x, [6, 4], false, true)) },
  { op: 'image.resizeBilinear', shapes: [[4, 3, 2]], options: 'rank 3, [7, 7], halfPixelCenters', f: (x) => weigh(st.image.resizeBilinear(x, [7, 7], false, true)) },
  { op: 'image.resizeNearestNeighbor', shapes: [[2, 3, 4, 2]], options: '[5, 9]', f: (x) => weigh(st.image.resizeNearestNeighbor(x, [5, 9])) },
  { op: 'image.resizeNearestNeighbor', shapes: [[1, 5, 5, 1]], options: '[3, 8], alignCorners', f: (x) => weigh(st.image.resizeNearestNeighbor(x, [3, 8], true)) },
  { op: 'image.resizeNearestNeighbor', shapes: [[2, 4, 3, 2]], options: '[5, 2], halfPixelCenters', f: (x) => weigh(st.image.resizeNearestNeighbor(x, [5, 2], false, true)) },
  { op: 'image.cropAndResize', shapes: [[2, 6, 5, 2]], options: 'bilinear, w.r.t. the image', f: (x) => weigh(st.image.cropAndResize(x, BOXES, BOX_IND, [4, 3], 'bilinear', 0.5)) },
  { op: 'image.cropAndResize', shapes: [[2, 6, 5, 2]], options: 'nearest, w.r.t. the image', f: (x) => weigh(st.image.cropAndResize(x, BOXES, BOX_IND, [5, 2], 'nearest')) },
  { op: 'image.flipLeftRight', shapes: [[2, 3, 4, 2]], f: (x) => weigh(st.image.flipLeftRight(x)) },
  { op: 'image.rgbToGrayscale', shapes: [[2, 4, 3]], f: (x) => weigh(st.image.rgbToGrayscale(x)) },
  { op: 'image.grayscaleToRGB', shapes: [[2, 3, 1]], f: (x) => weigh(st.image.grayscaleToRGB(x)) },
];
