/**
 * Reference kernel of raggedTensorToTensor: a ragged tensor (values [n, ...inner] and one row
 * partition per ragged level, outermost first) written into a dense tensor whose outer
 * dimensions may be larger (cells padded with a default value) or smaller (values dropped).
 *
 * The partitions arrive already checked by the op (splits start at 0 and never fall, row ids
 * are sorted and in range, the innermost level counts exactly the rows of values).
 */
import type { RaggedPartitionType, TypedArray } from '../types.js';
import { sizeFromShape } from '../shape_util.js';

/**
 * The slot each row of values lands in, counted in inner slices of the output (the output's
 * first `levels + 1` dimensions flattened), or -1 for a row cut off by a smaller output shape.
 * Worked level by level: a row's children sit at its slot plus column * stride, and a child
 * whose column is past the output width, or whose parent was cut off, is cut off too.
 */
function valueSlots(partitions: readonly TypedArray[], types: readonly RaggedPartitionType[], firstDimSize: number,
  outShape: readonly number[]): Int32Array {
  const levels = partitions.length;
  const strides = new Array<number>(levels + 1);
  strides[levels] = 1;
  for (let d = levels - 1; d >= 0; d--) strides[d] = strides[d + 1] * outShape[d + 1];
  let slots = new Int32Array(firstDimSize);
  for (let row = 0; row < firstDimSize; row++) slots[row] = row < outShape[0] ? row * strides[0] : -1;
  for (let level = 0; level < levels; level++) {
    const partition = partitions[level];
    const width = outShape[level + 1];
    const stride = strides[level + 1];
    const parents = slots;
    if (types[level] === 'ROW_SPLITS') {
      slots = new Int32Array(partition[partition.length - 1]);
      for (let row = 0; row + 1 < partition.length; row++) {
        const base = parents[row];
        for (let k = partition[row], col = 0; k < partition[row + 1]; k++, col++) {
          slots[k] = base >= 0 && col < width ? base + col * stride : -1;
        }
      }
    } else {
      // VALUE_ROWIDS: sorted row ids, so a child's column is its place in a run of equal ids
      slots = new Int32Array(partition.length);
      for (let k = 0, col = 0; k < partition.length; k++) {
        col = k > 0 && partition[k] === partition[k - 1] ? col + 1 : 0;
        const base = parents[partition[k]];
        slots[k] = base >= 0 && col < width ? base + col * stride : -1;
      }
    }
  }
  return slots;
}

/**
 * `defaultValue` (of `defaultShape`, at most the rank of `innerShape`) broadcast to one inner
 * slice, aligned from the right as broadcasting aligns shapes.
 */
function defaultSlice(defaultValue: TypedArray, defaultShape: readonly number[], innerShape: readonly number[],
  out: TypedArray): void {
  const rank = innerShape.length;
  const lead = rank - defaultShape.length;
  const size = out.length;
  for (let i = 0; i < size; i++) {
    let rest = i;
    let source = 0;
    let sourceStride = 1;
    for (let d = rank - 1; d >= lead; d--) {
      const coord = rest % innerShape[d];
      rest = (rest - coord) / innerShape[d];
      const dim = defaultShape[d - lead];
      if (dim !== 1) source += coord * sourceStride;
      sourceStride *= dim;
    }
    out[i] = defaultValue[source];
  }
}

/**
 * Fills `out` (of `outShape`, the partitions' levels + 1 outer dimensions then values' inner
 * ones) with the default slice, then copies each kept row of `values` into its slot.
 */
export function raggedTensorToTensorKernel(values: TypedArray, valuesShape: readonly number[], defaultValue: TypedArray,
  defaultShape: readonly number[], partitions: readonly TypedArray[], types: readonly RaggedPartitionType[],
  firstDimSize: number, outShape: readonly number[], out: TypedArray): void {
  const innerShape = valuesShape.slice(1);
  const inner = sizeFromShape(innerShape);
  if (out.length === 0 || inner === 0) return;
  if (defaultValue.length === 1) {
    out.fill(defaultValue[0]);
  } else {
    const slice = out.subarray(0, inner);
    defaultSlice(defaultValue, defaultShape, innerShape, slice);
    for (let offset = inner; offset < out.length; offset += inner) out.copyWithin(offset, 0, inner);
  }
  const slots = valueSlots(partitions, types, firstDimSize, outShape);
  for (let row = 0; row < slots.length; row++) {
    if (slots[row] < 0) continue;
    out.set(values.subarray(row * inner, (row + 1) * inner), slots[row] * inner);
  }
}
