/**
 * Image resizing, top-k and the ops whose output size depends on tensor values (non-max
 * suppression, Where). The latter read values, so they are async and run in executeAsync only,
 * as in TensorFlow.js.
 */
import * as st from '../ops/index.js';
import { scalar } from '../tensor/index.js';
import type { Tensor } from '../tensor/tensor.js';
import { sync, type OpContext, type OpTable } from './op_types.js';

function size2(c: OpContext, i: number): [number, number] {
  const s = c.numbers(i);
  if (s.length !== 2) throw new Error(`${c.where}: expected a size of 2 numbers [height, width], got ${JSON.stringify(s)}`);
  return [s[0], s[1]];
}

function resize(c: OpContext, bilinear: boolean): Tensor {
  const align = c.attr.bool('align_corners', false);
  const half = c.attr.bool('half_pixel_centers', false);
  return bilinear ? st.image.resizeBilinear(c.input(0), size2(c, 1), align, half)
    : st.image.resizeNearestNeighbor(c.input(0), size2(c, 1), align, half);
}

/** The inputs every NonMaxSuppression version shares: boxes, scores, max count, IoU and score thresholds. */
function nmsArgs(c: OpContext): [Tensor, Tensor, number, number, number] {
  return [c.input(0), c.input(1), c.number(2), c.number(3), c.number(4)];
}

export const imageOps: OpTable = {
  ResizeBilinear: sync((c) => resize(c, true)),
  ResizeNearestNeighbor: sync((c) => resize(c, false)),
  CropAndResize: sync((c) => st.image.cropAndResize(c.input(0), c.input(1), c.input(2), size2(c, 3),
    c.attr.str('method', 'bilinear') as 'bilinear' | 'nearest', c.attr.num('extrapolation_value', 0))),
  TopKV2: {
    run: (c) => {
      const { values, indices } = st.topk(c.input(0), c.number(1), c.attr.bool('sorted', true));
      return [values, indices];
    },
    outputs: ['values', 'indices'],
  },
  NonMaxSuppressionV2: { async: true, run: async (c) => st.image.nonMaxSuppressionAsync(c.input(0), c.input(1), c.number(2), c.number(3)) },
  NonMaxSuppressionV3: { async: true, run: async (c) => st.image.nonMaxSuppressionAsync(...nmsArgs(c)) },
  NonMaxSuppressionV4: {
    async: true,
    outputs: ['selected_indices', 'valid_outputs'],
    run: async (c) => {
      const args = nmsArgs(c);
      if (c.attr.bool('pad_to_max_output_size', false)) {
        const { selectedIndices, validOutputs } = await st.image.nonMaxSuppressionPaddedAsync(...args, true);
        return [selectedIndices, validOutputs];
      }
      const selected = await st.image.nonMaxSuppressionAsync(...args);
      return [selected, scalar(selected.size, 'int32')];
    },
  },
  NonMaxSuppressionV5: {
    async: true,
    outputs: ['selected_indices', 'selected_scores', 'valid_outputs'],
    run: async (c) => {
      const { selectedIndices, selectedScores } = await st.image.nonMaxSuppressionWithScoreAsync(...nmsArgs(c), c.number(5));
      return [selectedIndices, selectedScores, scalar(selectedIndices.size, 'int32')];
    },
  },
  Where: { async: true, run: async (c) => st.whereAsync(c.input(0)) },
};
