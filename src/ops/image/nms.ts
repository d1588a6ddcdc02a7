/**
 * Non-max suppression: of boxes [n, 4] ([y1, x1, y2, x2]) and their scores [n], the best-scoring
 * boxes that overlap no better one by iouThreshold or more. The plain, with-scores (soft-NMS) and
 * padded forms, each also async as in TensorFlow.js. Not differentiable (the answer is indices).
 */
import { nonMaxSuppressionKernel, type NmsResult } from '../../backend/js/image.js';
import type { TypedArray } from '../../backend/types.js';
import { makeTensor } from '../../tensor/engine.js';
import { Tensor } from '../../tensor/tensor.js';
import { convert, type TensorInput } from '../op.js';

interface Checked { boxes: Tensor; scores: Tensor; maxOutputSize: number; iouThreshold: number; scoreThreshold: number; softNmsSigma: number }

function check(op: string, boxes: TensorInput, scores: TensorInput, maxOutputSize: number,
  iouThreshold?: number | null, scoreThreshold?: number | null, softNmsSigma?: number | null): Checked {
  const b = convert(boxes, op, 'boxes', 'float32');
  const s = convert(scores, op, 'scores', 'float32');
  const iou = iouThreshold ?? 0.5;
  const sigma = softNmsSigma ?? 0;
  if (b.rank !== 2 || b.shape[1] !== 4) {
    throw new Error(`${op}: expected 'boxes' of shape [numBoxes, 4] ([y1, x1, y2, x2] each), got shape [${b.shape}]`);
  }
  if (s.rank !== 1 || s.shape[0] !== b.shape[0]) {
    throw new Error(`${op}: expected 'scores' of shape [${b.shape[0]}] (one per box), got shape [${s.shape}]`);
  }
  if (typeof maxOutputSize !== 'number' || !(maxOutputSize >= 0)) {
    throw new Error(`${op}: maxOutputSize must be a non-negative number, got ${JSON.stringify(maxOutputSize)}`);
  }
  if (typeof iou !== 'number' || !(iou >= 0 && iou <= 1)) {
    throw new Error(`${op}: iouThreshold must be in [0, 1], got ${JSON.stringify(iou)}`);
  }
  if (typeof sigma !== 'number' || !(sigma >= 0 && sigma <= 1)) {
    throw new Error(`${op}: softNmsSigma must be in [0, 1], got ${JSON.stringify(sigma)}`);
  }
  return {
    boxes: b, scores: s, maxOutputSize: Math.min(maxOutputSize, b.shape[0]), iouThreshold: iou,
    scoreThreshold: scoreThreshold ?? Number.NEGATIVE_INFINITY, softNmsSigma: sigma,
  };
}

/** Values as float32, as TensorFlow.js holds boxes and scores (so ties and overlaps agree). */
function float32(values: TypedArray): Float32Array {
  return values instanceof Float32Array ? values : Float32Array.from(values);
}

function run(c: Checked, boxes: TypedArray, scores: TypedArray, pad: boolean): NmsResult {
  return nonMaxSuppressionKernel(float32(boxes), float32(scores), c.maxOutputSize, c.iouThreshold, c.scoreThreshold,
    c.softNmsSigma, pad);
}

function indices(r: NmsResult): Tensor {
  return makeTensor(Int32Array.from(r.selectedIndices), [r.selectedIndices.length], 'int32');
}

function withScores(r: NmsResult): { selectedIndices: Tensor; selectedScores: Tensor } {
  return {
    selectedIndices: indices(r),
    selectedScores: makeTensor(Float32Array.from(r.selectedScores), [r.selectedScores.length], 'float32'),
  };
}

function padded(r: NmsResult): { selectedIndices: Tensor; validOutputs: Tensor } {
  return { selectedIndices: indices(r), validOutputs: makeTensor(Int32Array.of(r.validOutputs), [], 'int32') };
}

/**
 * Indices (int32 [k], best first) of the boxes kept by greedy non-max suppression.
 *
 * @example
 * ```ts
 * const boxes = st.tensor2d([[0, 0, 1, 1], [0, 0.1, 1, 1.1], [2, 2, 3, 3]]);
 * st.image.nonMaxSuppression(boxes, st.tensor1d([0.9, 0.8, 0.7]), 3, 0.5).print(); // [0, 2]
 * ```
 */
export function nonMaxSuppression(boxes: TensorInput, scores: TensorInput, maxOutputSize: number, iouThreshold = 0.5,
  scoreThreshold = Number.NEGATIVE_INFINITY): Tensor {
  const c = check('nonMaxSuppression', boxes, scores, maxOutputSize, iouThreshold, scoreThreshold);
  return indices(run(c, c.boxes.dataSync(), c.scores.dataSync(), false));
}

/**
 * @example
 * ```ts
 * const boxes = st.tensor2d([[0, 0, 1, 1], [0, 0.1, 1, 1.1], [2, 2, 3, 3]]);
 * (await st.image.nonMaxSuppressionAsync(boxes, st.tensor1d([0.9, 0.8, 0.7]), 3)).print(); // [0, 2]
 * ```
 */
export async function nonMaxSuppressionAsync(boxes: TensorInput, scores: TensorInput, maxOutputSize: number,
  iouThreshold = 0.5, scoreThreshold = Number.NEGATIVE_INFINITY): Promise<Tensor> {
  const c = check('nonMaxSuppressionAsync', boxes, scores, maxOutputSize, iouThreshold, scoreThreshold);
  const [b, s] = await Promise.all([c.boxes.data(), c.scores.data()]);
  return indices(run(c, b, s, false));
}

/**
 * Non-max suppression that also returns the kept boxes' scores; with softNmsSigma > 0 (soft-NMS)
 * overlapping boxes are down-weighted by exp(-iou^2 / (2 sigma)) rather than dropped.
 *
 * @example
 * ```ts
 * const boxes = st.tensor2d([[0, 0, 1, 1], [0, 0.1, 1, 1.1]]);
 * const { selectedIndices, selectedScores } = st.image.nonMaxSuppressionWithScore(boxes, st.tensor1d([0.9, 0.8]), 2, 0.5, 0, 0.5);
 * selectedScores.print(); // soft-NMS lowers the overlapping box's score instead of dropping it
 * ```
 */
export function nonMaxSuppressionWithScore(boxes: TensorInput, scores: TensorInput, maxOutputSize: number,
  iouThreshold = 0.5, scoreThreshold = Number.NEGATIVE_INFINITY, softNmsSigma = 0): { selectedIndices: Tensor; selectedScores: Tensor } {
  const c = check('nonMaxSuppressionWithScore', boxes, scores, maxOutputSize, iouThreshold, scoreThreshold, softNmsSigma);
  return withScores(run(c, c.boxes.dataSync(), c.scores.dataSync(), false));
}

/**
 * @example
 * ```ts
 * const boxes = st.tensor2d([[0, 0, 1, 1], [0, 0.1, 1, 1.1]]);
 * const { selectedIndices } = await st.image.nonMaxSuppressionWithScoreAsync(boxes, st.tensor1d([0.9, 0.8]), 2);
 * selectedIndices.print();
 * ```
 */
export async function nonMaxSuppressionWithScoreAsync(boxes: TensorInput, scores: TensorInput, maxOutputSize: number,
  iouThreshold = 0.5, scoreThreshold = Number.NEGATIVE_INFINITY, softNmsSigma = 0):
  Promise<{ selectedIndices: Tensor; selectedScores: Tensor }> {
  const c = check('nonMaxSuppressionWithScoreAsync', boxes, scores, maxOutputSize, iouThreshold, scoreThreshold, softNmsSigma);
  const [b, s] = await Promise.all([c.boxes.data(), c.scores.data()]);
  return withScores(run(c, b, s, false));
}

/**
 * Non-max suppression whose indices are padded with zeros to min(maxOutputSize, numBoxes) when
 * padToMaxOutputSize; validOutputs (int32 scalar) says how many are real.
 *
 * @example
 * ```ts
 * const boxes = st.tensor2d([[0, 0, 1, 1], [0, 0.1, 1, 1.1]]);
 * const { selectedIndices, validOutputs } = st.image.nonMaxSuppressionPadded(boxes, st.tensor1d([0.9, 0.8]), 3, 0.5, 0, true);
 * selectedIndices.print(); // [0, 0, 0], validOutputs 1
 * ```
 */
export function nonMaxSuppressionPadded(boxes: TensorInput, scores: TensorInput, maxOutputSize: number, iouThreshold = 0.5,
  scoreThreshold = Number.NEGATIVE_INFINITY, padToMaxOutputSize = false): { selectedIndices: Tensor; validOutputs: Tensor } {
  const c = check('nonMaxSuppressionPadded', boxes, scores, maxOutputSize, iouThreshold, scoreThreshold);
  return padded(run(c, c.boxes.dataSync(), c.scores.dataSync(), padToMaxOutputSize));
}

/**
 * @example
 * ```ts
 * const boxes = st.tensor2d([[0, 0, 1, 1], [2, 2, 3, 3]]);
 * const { validOutputs } = await st.image.nonMaxSuppressionPaddedAsync(boxes, st.tensor1d([0.9, 0.8]), 3);
 * validOutputs.print(); // 2
 * ```
 */
export async function nonMaxSuppressionPaddedAsync(boxes: TensorInput, scores: TensorInput, maxOutputSize: number,
  iouThreshold = 0.5, scoreThreshold = Number.NEGATIVE_INFINITY, padToMaxOutputSize = false):
  Promise<{ selectedIndices: Tensor; validOutputs: Tensor }> {
  const c = check('nonMaxSuppressionPaddedAsync', boxes, scores, maxOutputSize, iouThreshold, scoreThreshold);
  const [b, s] = await Promise.all([c.boxes.data(), c.scores.data()]);
  return padded(run(c, b, s, padToMaxOutputSize));
}
