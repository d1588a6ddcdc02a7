/**
 * Shape, slicing, joining and creation ops of TensorFlow graphs on striate's ops. Shapes, axes
 * and sizes arrive as int32 tensors (often Const weights or Shape outputs) and are read as numbers.
 */
import * as st from '../ops/index.js';
import { fill, oneHot, onesLike, range, tensor1d, scalar, zerosLike } from '../tensor/index.js';
import type { Tensor } from '../tensor/tensor.js';
import { sync, type OpContext, type OpTable } from './op_types.js';

/** A flat [before0, after0, before1, after1, ...] paddings tensor as pairs. */
function pairs(c: OpContext, i: number): [number, number][] {
  const flat = c.numbers(i);
  const out: [number, number][] = [];
  for (let k = 0; k < flat.length; k += 2) out.push([flat[k], flat[k + 1]]);
  return out;
}

function squeeze(c: OpContext): Tensor {
  // TensorFlow names the attribute squeeze_dims; newer graphs call it axis
  const dims = c.attr.has('squeeze_dims') ? c.attr.nums('squeeze_dims', []) : c.attr.nums('axis', []);
  return st.squeeze(c.input(0), dims.length === 0 ? undefined : dims);
}

function concat(c: OpContext, axisFirst: boolean): Tensor {
  const n = c.inputs.length;
  const axis = axisFirst ? c.number(0) : c.number(n - 1);
  const parts = axisFirst ? c.inputs.slice(1) : c.inputs.slice(0, n - 1);
  return st.concat([...parts], axis);
}

/**
 * StridedSlice with all five masks. striate's stridedSlice takes begin/end/shrink masks; an
 * ellipsis and new axes are spelled out here first: the ellipsis becomes full ranges over the
 * dimensions it stands for, and new axes are reshaped in after slicing.
 */
function stridedSlice(c: OpContext): Tensor {
  const a = c.attr;
  const x = c.input(0);
  const [begin, end, strides] = [c.numbers(1), c.numbers(2), c.numbers(3)];
  const [beginMask, endMask, ellipsisMask, newAxisMask, shrinkMask] =
    ['begin_mask', 'end_mask', 'ellipsis_mask', 'new_axis_mask', 'shrink_axis_mask'].map((m) => a.num(m, 0));
  if (ellipsisMask === 0 && newAxisMask === 0) {
    return st.stridedSlice(x, begin, end, strides, beginMask, endMask, 0, 0, shrinkMask);
  }
  const bit = (mask: number, i: number): boolean => (mask & (1 << i)) !== 0;
  const n = begin.length;
  // dimensions of x the spec names one by one (neither the ellipsis nor new axes)
  let named = 0;
  for (let i = 0; i < n; i++) if (!bit(ellipsisMask, i) && !bit(newAxisMask, i)) named++;
  const b: number[] = [], e: number[] = [], s: number[] = [];
  let bm = 0, em = 0, sm = 0;
  // the result's shape: -1 marks a sliced dimension whose size comes from the slice, 1 a new axis
  const layout: ('kept' | 'new')[] = [];
  const full = (): void => {
    const d = b.length;
    b.push(0); e.push(0); s.push(1);
    bm |= 1 << d; em |= 1 << d;
    layout.push('kept');
  };
  let sawEllipsis = false;
  for (let i = 0; i < n; i++) {
    if (bit(ellipsisMask, i)) {
      if (sawEllipsis) throw new Error(`${c.where}: more than one ellipsis in ellipsis_mask ${ellipsisMask}`);
      sawEllipsis = true;
      for (let k = 0; k < x.rank - named; k++) full();
    } else if (bit(newAxisMask, i)) {
      layout.push('new');
    } else {
      const d = b.length;
      b.push(begin[i]); e.push(end[i]); s.push(strides[i]);
      if (bit(beginMask, i)) bm |= 1 << d;
      if (bit(endMask, i)) em |= 1 << d;
      if (bit(shrinkMask, i)) sm |= 1 << d;
      else layout.push('kept');
    }
  }
  while (b.length < x.rank) full();
  const sliced = st.stridedSlice(x, b, e, s, bm, em, 0, 0, sm);
  const shape: number[] = [];
  let next = 0;
  for (const part of layout) shape.push(part === 'new' ? 1 : sliced.shape[next++]);
  return st.reshape(sliced, shape);
}

function cast(c: OpContext): Tensor {
  const to = c.attr.dtype('DstT');
  if (to == null) throw new Error(`${c.where}: Cast to a type striate has no tensors for (${JSON.stringify(c.node.attr?.DstT)})`);
  const x = c.input(0);
  return x.dtype === to ? x : st.cast(x, to);
}

function fillOp(c: OpContext): Tensor {
  const value = c.input(1);
  return fill(c.numbers(0), value.dataSync()[0] as number, value.dtype);
}

function rangeOp(c: OpContext): Tensor {
  const dtype = c.attr.dtype('Tidx') ?? c.input(0).dtype;
  return range(c.number(0), c.number(1), c.number(2), dtype === 'int32' ? 'int32' : 'float32');
}

export const shapeOps: OpTable = {
  Identity: sync((c) => c.input(0)),
  // only orders other nodes (through control inputs, which the executor does not need)
  NoOp: sync(() => []),
  // TensorFlow's Print passes its first input through and logs the others
  Print: sync((c) => {
    console.log(c.attr.str('message', '', true), ...c.inputs.slice(1).map((t) => Array.from(t.dataSync() as ArrayLike<number>)));
    return c.input(0);
  }),
  // a placeholder that is not fed takes its default input
  PlaceholderWithDefault: sync((c) => c.input(0)),
  IdentityN: sync((c) => [...c.inputs]),
  Snapshot: sync((c) => c.input(0)),
  StopGradient: sync((c) => c.input(0)),
  PreventGradient: sync((c) => c.input(0)),
  EnsureShape: sync((c) => c.input(0)),
  Reshape: sync((c) => st.reshape(c.input(0), c.numbers(1))),
  Squeeze: sync(squeeze),
  ExpandDims: sync((c) => st.expandDims(c.input(0), c.number(1))),
  Transpose: sync((c) => st.transpose(c.input(0), c.numbers(1))),
  ConcatV2: sync((c) => concat(c, false)),
  Concat: sync((c) => concat(c, true)),
  Pack: sync((c) => st.stack([...c.inputs], c.attr.num('axis', 0))),
  Unpack: { run: (c) => st.unstack(c.input(0), c.attr.num('axis', 0)), outputs: ['output'] },
  Split: { run: (c) => st.split(c.input(1), c.attr.num('num_split', 1), c.number(0)), outputs: ['output'] },
  SplitV: { run: (c) => st.split(c.input(0), c.numbers(1), c.number(2)), outputs: ['output'] },
  StridedSlice: sync(stridedSlice),
  Slice: sync((c) => st.slice(c.input(0), c.numbers(1), c.numbers(2))),
  Tile: sync((c) => st.tile(c.input(0), c.numbers(1))),
  // Reverse (v1) takes a mask of dimensions to reverse, ReverseV2 their indices
  Reverse: sync((c) => st.reverse(c.input(0), c.numbers(1).flatMap((on, i) => (on ? [i] : [])))),
  ReverseV2: sync((c) => st.reverse(c.input(0), c.numbers(1))),
  BroadcastTo: sync((c) => st.broadcastTo(c.input(0), c.numbers(1))),
  Pad: sync((c) => st.pad(c.input(0), pairs(c, 1), c.attr.num('constant_value', 0))),
  PadV2: sync((c) => st.pad(c.input(0), pairs(c, 1), c.number(2))),
  MirrorPad: sync((c) => st.mirrorPad(c.input(0), pairs(c, 1), c.attr.str('mode', 'reflect') as 'reflect' | 'symmetric')),
  Gather: sync((c) => st.gather(c.input(0), c.input(1), 0)),
  GatherV2: sync((c) => st.gather(c.input(0), c.input(1), c.number(2), c.attr.num('batch_dims', 0))),
  GatherNd: sync((c) => st.gatherND(c.input(0), c.input(1))),
  ScatterNd: sync((c) => st.scatterND(c.input(0), c.input(1), c.numbers(2))),
  SpaceToBatchND: sync((c) => st.spaceToBatchND(c.input(0), c.numbers(1), pairs(c, 2))),
  BatchToSpaceND: sync((c) => st.batchToSpaceND(c.input(0), c.numbers(1), pairs(c, 2))),
  DepthToSpace: sync((c) => st.depthToSpace(c.input(0), c.attr.num('block_size', 1),
    c.attr.str('data_format', 'nhwc') === 'nchw' ? 'NCHW' : 'NHWC')),
  Cast: sync(cast),
  Shape: sync((c) => tensor1d([...c.input(0).shape], 'int32')),
  ShapeN: { run: (c) => c.inputs.map((t) => tensor1d([...t.shape], 'int32')), outputs: ['output'] },
  Size: sync((c) => scalar(c.input(0).size, 'int32')),
  Rank: sync((c) => scalar(c.input(0).rank, 'int32')),
  Fill: sync(fillOp),
  ZerosLike: sync((c) => zerosLike(c.input(0))),
  OnesLike: sync((c) => onesLike(c.input(0))),
  Range: sync(rangeOp),
  OneHot: sync((c) => oneHot(c.input(0), c.number(1), c.number(2), c.number(3), c.attr.dtype('T') ?? 'float32')),
};
