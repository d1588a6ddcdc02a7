/**
 * More graph rows: the ops of the table beyond the list (comparisons, selects, more
 * reductions and shape ops, transposed convolution, LRN, crops), each compared with tfjs-converter.
 */
import { attr, T } from './graph_builder.js';
import type { OpRow } from './op_rows.js';

const I = { T: attr.type('DT_INT32') };

export const MORE_OP_ROWS: OpRow[] = [
  {
    name: 'comparisons, logic, Select, SelectV2 and more element-wise functions', inputs: { x: { shape: [2, 3] }, y: { shape: [2, 3] } },
    build: (g) => {
      g.placeholder('x', [2, 3]);
      g.placeholder('y', [2, 3]);
      const outs = ['Equal', 'NotEqual', 'Greater', 'GreaterEqual', 'Less', 'LessEqual'].map((op) => g.op(op, op, ['x', 'y'], T));
      outs.push(g.op('and', 'LogicalAnd', ['Greater', 'NotEqual']), g.op('or', 'LogicalOr', ['Less', 'Equal']), g.op('not', 'LogicalNot', ['Greater']));
      outs.push(g.op('sel', 'Select', ['Greater', 'x', 'y'], T), g.op('sel2', 'SelectV2', ['Less', 'x', 'y'], T));
      for (const op of ['Floor', 'Ceil', 'Round', 'Sign', 'Softplus', 'Selu', 'Erf', 'Sin', 'Cos', 'Atan', 'Reciprocal', 'Expm1']) outs.push(g.op(op, op, ['x'], T));
      g.op('absx', 'Abs', ['x'], T);
      outs.push(g.op('log1p', 'Log1p', ['absx'], T), g.op('pow', 'Pow', ['absx', 'y'], T),
        g.op('floormod', 'FloorMod', ['x', 'y'], T), g.op('divnonan', 'DivNoNan', ['x', 'y'], T), g.op('atan2', 'Atan2', ['x', 'y'], T));
      // FloorDiv of floats is left out: TensorFlow.js returns int32 where TensorFlow returns the input's float type
      g.const('lo', [], [-0.5]);
      g.const('hi', [], [0.5]);
      outs.push(g.op('clip', 'ClipByValue', ['x', 'lo', 'hi'], T), g.op('isnan', 'IsNan', ['x'], T));
      return outs;
    },
  },
  {
    name: 'Min, Prod, All, Any, ArgMin, Cumsum, Cumprod', inputs: { x: { shape: [3, 4] } },
    build: (g) => {
      g.placeholder('x', [3, 4]);
      g.ints('ax', [1], []);
      g.ints('axes', [0]);
      g.const('zero', [], [0]);
      g.op('pos', 'Greater', ['x', 'zero'], T);
      const keep = { keep_dims: attr.b(true) };
      return [g.op('min', 'Min', ['x', 'axes'], { ...T, ...keep }), g.op('prod', 'Prod', ['x', 'axes'], T),
        g.op('all', 'All', ['pos', 'axes'], keep), g.op('any', 'Any', ['pos', 'axes'], {}),
        g.op('argmin', 'ArgMin', ['x', 'ax'], T),
        g.op('cumsum', 'Cumsum', ['x', 'ax'], { ...T, exclusive: attr.b(true), reverse: attr.b(false) }),
        g.op('cumprod', 'Cumprod', ['x', 'ax'], { ...T, exclusive: attr.b(false), reverse: attr.b(true) })];
    },
  },
  {
    name: 'SplitV, Concat, ReverseV2, BroadcastTo, GatherNd, ScatterNd, OneHot, Size, Rank, ShapeN, OnesLike, PlaceholderWithDefault',
    inputs: { x: { shape: [2, 5] }, idx: { shape: [3], dtype: 'int32', values: [0, 2, 1] } },
    // ShapeN gives int32 shapes, as TensorFlow does (out_type's default); TensorFlow.js 4.22 gives float32
    dtypeDiffers: ['shapes', 'shapes:1'],
    build: (g) => {
      g.placeholder('x', [2, 5]);
      g.placeholder('idx', [3], 'DT_INT32');
      g.ints('sizes', [2, -1, 1]);
      g.ints('ax1', [1], []);
      g.ints('ax0', [0], []);
      g.ints('raxes', [1]);
      g.ints('bshape', [3, 2, 5]);
      g.ints('nd', [1, 3, 0, 4], [2, 2]);
      g.ints('depth', [4], []);
      g.const('on', [], [2]);
      g.const('off', [], [-1]);
      g.ints('sshape', [2, 3]);
      g.ints('snd_idx', [1, 2, 0, 1], [2, 2]);
      g.const('upd', [2], [5, 6]);
      g.const('dflt', [2], [9, 8]);
      g.op('splitv', 'SplitV', ['x', 'sizes', 'ax1'], { ...T, num_split: attr.i(3) });
      g.op('shapes', 'ShapeN', ['x', 'idx'], { ...T, N: attr.i(2) });
      return ['splitv', 'splitv:1', 'splitv:2', g.op('concat', 'Concat', ['ax0', 'x', 'x'], { ...T, N: attr.i(2) }),
        g.op('rev', 'ReverseV2', ['x', 'raxes'], T), g.op('bcast', 'BroadcastTo', ['x', 'bshape'], T),
        g.op('gnd', 'GatherNd', ['x', 'nd'], { Tparams: attr.type('DT_FLOAT'), Tindices: attr.type('DT_INT32') }),
        g.op('snd', 'ScatterNd', ['snd_idx', 'upd', 'sshape'], T),
        g.op('onehot', 'OneHot', ['idx', 'depth', 'on', 'off'], { ...T, axis: attr.i(-1) }),
        g.op('size', 'Size', ['x'], { ...T, out_type: attr.type('DT_INT32') }), g.op('rank', 'Rank', ['x'], T),
        'shapes', 'shapes:1', g.op('ones', 'OnesLike', ['x'], T),
        g.op('pwd', 'PlaceholderWithDefault', ['dflt'], { dtype: attr.type('DT_FLOAT'), shape: attr.shape([2]) })];
    },
  },
  {
    name: 'SpaceToBatchND, BatchToSpaceND, DepthToSpace', inputs: { x: { shape: [1, 4, 4, 2] } },
    build: (g) => {
      g.placeholder('x', [1, 4, 4, 2]);
      g.ints('block', [2, 2]);
      g.ints('pads', [0, 0, 0, 0], [2, 2]);
      g.const('deep', [1, 2, 2, 8]);
      g.op('s2b', 'SpaceToBatchND', ['x', 'block', 'pads'], T);
      return ['s2b', g.op('b2s', 'BatchToSpaceND', ['s2b', 'block', 'pads'], T),
        g.op('d2s', 'DepthToSpace', ['deep'], { ...T, block_size: attr.i(2), data_format: attr.s('NHWC') })];
    },
  },
  {
    name: 'BatchMatMulV2, Einsum, LogSoftmax, LRN', inputs: { a: { shape: [2, 3, 4] }, b: { shape: [2, 4, 2] }, x: { shape: [1, 2, 2, 6] } },
    build: (g) => {
      g.placeholder('a', [2, 3, 4]);
      g.placeholder('b', [2, 4, 2]);
      g.placeholder('x', [1, 2, 2, 6]);
      return [g.op('bmm', 'BatchMatMulV2', ['a', 'b'], { ...T, adj_x: attr.b(false), adj_y: attr.b(false) }),
        g.op('ein', 'Einsum', ['a', 'b'], { ...T, equation: attr.s('bij,bjk->bik'), N: attr.i(2) }),
        g.op('lsm', 'LogSoftmax', ['a'], T),
        g.op('lrn', 'LRN', ['x'], { ...T, depth_radius: attr.i(2), bias: attr.f(1), alpha: attr.f(0.5), beta: attr.f(0.75) })];
    },
  },
  {
    name: 'Conv2DBackpropInput (transposed convolution), CropAndResize', inputs: { x: { shape: [1, 3, 3, 2] } },
    build: (g) => {
      g.placeholder('x', [1, 3, 3, 2]);
      g.ints('outShape', [1, 6, 6, 4]);
      g.const('w', [3, 3, 4, 2]);
      g.const('boxes', [2, 4], [0, 0, 1, 1, 0.2, 0.1, 0.8, 0.7]);
      g.ints('boxInd', [0, 0]);
      g.ints('crop', [2, 3]);
      return [g.op('deconv', 'Conv2DBackpropInput', ['outShape', 'w', 'x'], { ...T, strides: attr.ints([1, 2, 2, 1]), padding: attr.s('SAME'),
        data_format: attr.s('NHWC'), dilations: attr.ints([1, 1, 1, 1]) }),
      g.op('crops', 'CropAndResize', ['x', 'boxes', 'boxInd', 'crop'], { ...T, method: attr.s('bilinear'), extrapolation_value: attr.f(0) })];
    },
  },
  {
    name: 'NonMaxSuppressionV4 padded (async)', async: true,
    inputs: {
      boxes: { shape: [3, 4], values: [0, 0, 1, 1, 0, 0.1, 1, 1.1, 2, 2, 3, 3] },
      scores: { shape: [3], values: [0.9, 0.8, 0.7] },
    },
    build: (g) => {
      g.placeholder('boxes', [-1, 4]);
      g.placeholder('scores', [-1]);
      g.ints('maxOut', [3], []);
      g.const('iou', [], [0.5]);
      g.const('scoreMin', [], [0]);
      g.op('nms4', 'NonMaxSuppressionV4', ['boxes', 'scores', 'maxOut', 'iou', 'scoreMin'], { T: attr.type('DT_FLOAT'), pad_to_max_output_size: attr.b(true) });
      return ['nms4', 'nms4:1'];
    },
  },
  {
    name: 'Asinh, Acosh, Atanh, IsFinite, IsInf, LowerBound, UpperBound, Unique, UniqueV2, ListDiff (async), NoOp', async: true,
    inputs: { x: { shape: [6], values: [3, 1, 3, 7, 1, 2] }, s: { shape: [5], values: [1, 2, 2, 5, 9] } },
    build: (g) => {
      g.placeholder('x', [6]);
      g.placeholder('s', [5]);
      g.const('tenth', [], [0.1]);
      g.const('y', [2], [3, 9]);
      g.ints('ax0', [0], []);
      g.op('small', 'Mul', ['x', 'tenth'], T);
      g.op('uniq', 'Unique', ['x'], { ...T, out_idx: attr.type('DT_INT32') });
      g.op('uniq2', 'UniqueV2', ['x', 'ax0'], { ...T, out_idx: attr.type('DT_INT32') });
      g.op('diff', 'ListDiff', ['x', 'y'], { ...T, out_idx: attr.type('DT_INT32') });
      g.op('nothing', 'NoOp', ['^x']);
      return [g.op('asinh', 'Asinh', ['x'], T), g.op('acosh', 'Acosh', ['x'], T), g.op('atanh', 'Atanh', ['small'], T),
        g.op('fin', 'IsFinite', ['x'], T), g.op('inf', 'IsInf', ['x'], T),
        g.op('lb', 'LowerBound', ['s', 'x'], { ...T, out_type: attr.type('DT_INT32') }), g.op('ub', 'UpperBound', ['s', 'x'], { ...T, out_type: attr.type('DT_INT32') }),
        'uniq', 'uniq:1', 'uniq2', 'uniq2:1', 'diff', 'diff:1'];
    },
  },
  {
    name: 'tensor lists: Reserve, SetItem, Stack, FromTensor, GetItem, Length (async)', async: true,
    inputs: { x: { shape: [3] }, m: { shape: [2, 3] } },
    build: (g) => {
      const list = { element_dtype: attr.type('DT_FLOAT') };
      g.placeholder('x', [3]);
      g.placeholder('m', [2, 3]);
      g.ints('elshape', [3]);
      g.ints('two', [2], []);
      g.const('zero', [], [0], 'DT_INT32');
      g.const('one', [], [1], 'DT_INT32');
      g.op('reserve', 'TensorListReserve', ['elshape', 'two'], { ...list, shape_type: attr.type('DT_INT32') });
      g.op('set0', 'TensorListSetItem', ['reserve', 'zero', 'x'], list);
      g.op('set1', 'TensorListSetItem', ['set0', 'one', 'x'], list);
      g.op('stacked', 'TensorListStack', ['set1', 'elshape'], { ...list, num_elements: attr.i(-1) });
      g.op('fromT', 'TensorListFromTensor', ['m', 'elshape'], { ...list, shape_type: attr.type('DT_INT32') });
      g.op('len', 'TensorListLength', ['fromT']);
      // PushBack and PopBack are checked in the While test below (TensorFlow.js 4.22 fails on PopBack's tensor output)
      return ['stacked', g.op('get', 'TensorListGetItem', ['fromT', 'one', 'elshape'], list), 'len'];
    },
  },
];

/** A TF1 while loop filling a TF1 tensor array (as TF1 detection models do), then read back every way. */
export const ARRAY_LOOP_ROW: OpRow = {
  name: 'TF1 tensor arrays in a TF1 while loop: TensorArrayV3, Write, Read, Gather, Scatter, Size, Concat, Split, Close (async)', async: true,
  inputs: { x: { shape: [2] }, m: { shape: [3, 2] } },
  build: (g) => {
    const frame = (constant: boolean) => ({ frame_name: attr.s('ta_loop'), is_constant: attr.b(constant), parallel_iterations: attr.i(10) });
    g.placeholder('x', [2]);
    g.placeholder('m', [3, 2]);
    g.const('n', [], [3], 'DT_INT32');
    g.const('zero', [], [0], 'DT_INT32');
    g.const('one', [], [1], 'DT_INT32');
    g.ints('idx', [2, 0]);
    g.ints('lengths', [1, 2]);
    g.op('ta', 'TensorArrayV3', ['n'], { dtype: attr.type('DT_FLOAT'), element_shape: attr.shape([2]), dynamic_size: attr.b(false),
      clear_after_read: attr.b(false), identical_element_shapes: attr.b(true), tensor_array_name: attr.s('') });
    g.op('enter_i', 'Enter', ['zero'], { ...I, ...frame(false) });
    g.op('enter_flow', 'Enter', ['ta:1'], { ...T, ...frame(false) });
    g.op('enter_ta', 'Enter', ['ta'], { ...frame(true) });
    g.op('enter_n', 'Enter', ['n'], { ...I, ...frame(true) });
    g.op('enter_x', 'Enter', ['x'], { ...T, ...frame(true) });
    g.op('merge_i', 'Merge', ['enter_i', 'next_i'], { ...I, N: attr.i(2) });
    g.op('merge_flow', 'Merge', ['enter_flow', 'next_flow'], { ...T, N: attr.i(2) });
    g.op('less', 'Less', ['merge_i', 'enter_n'], I);
    g.op('cond', 'LoopCond', ['less']);
    g.op('sw_i', 'Switch', ['merge_i', 'cond'], I);
    g.op('sw_flow', 'Switch', ['merge_flow', 'cond'], T);
    g.op('exit_flow', 'Exit', ['sw_flow'], T);
    g.op('id_i', 'Identity', ['sw_i:1'], I);
    g.op('id_flow', 'Identity', ['sw_flow:1'], T);
    g.op('fi', 'Cast', ['id_i'], { SrcT: attr.type('DT_INT32'), DstT: attr.type('DT_FLOAT') });
    g.op('val', 'Mul', ['enter_x', 'fi'], T);
    g.op('write', 'TensorArrayWriteV3', ['enter_ta', 'id_i', 'val', 'id_flow'], T);
    g.op('inc', 'AddV2', ['id_i', 'one'], I);
    g.op('next_i', 'NextIteration', ['inc'], I);
    g.op('next_flow', 'NextIteration', ['write'], T);
    g.op('size', 'TensorArraySizeV3', ['ta', 'exit_flow']);
    g.op('gather', 'TensorArrayGatherV3', ['ta', 'idx', 'exit_flow'], { dtype: attr.type('DT_FLOAT') });
    g.op('read', 'TensorArrayReadV3', ['ta', 'one', 'exit_flow'], { dtype: attr.type('DT_FLOAT') });
    g.op('ta2', 'TensorArrayV3', ['n'], { dtype: attr.type('DT_FLOAT'), element_shape: attr.shape([2]), dynamic_size: attr.b(false) });
    g.op('scatter', 'TensorArrayScatterV3', ['ta2', 'idx', 'gather', 'ta2:1'], T);
    g.op('read2', 'TensorArrayReadV3', ['ta2', 'zero', 'scatter'], { dtype: attr.type('DT_FLOAT') });
    g.ints('two', [2], []);
    g.op('ta3', 'TensorArrayV3', ['two'], { dtype: attr.type('DT_FLOAT'), element_shape: attr.shape([-1, 2]), dynamic_size: attr.b(false) });
    g.op('split', 'TensorArraySplitV3', ['ta3', 'm', 'lengths', 'ta3:1'], T);
    g.op('concat', 'TensorArrayConcatV3', ['ta3', 'split'], { dtype: attr.type('DT_FLOAT') });
    return ['gather', 'read', 'size', 'read2', 'concat'];
  },
};

/**
 * Tensor lists carried through a functional While, as converted Keras RNNs do. TensorFlow.js 4.22
 * fails on this graph ("Tensor is disposed": its While frees the list's items), so the test
 * checks striate's outputs against their known values instead.
 */
export const LIST_WHILE_ROW: OpRow =
{
    name: 'tensor lists through a StatelessWhile: Reserve, SetItem, Stack, FromTensor, GetItem, Length, PushBack, PopBack (async)', async: true,
    inputs: { x: { shape: [3] }, n: { shape: [], dtype: 'int32', values: [4] } },
    build: (g) => {
      const list = { element_dtype: attr.type('DT_FLOAT') };
      g.placeholder('x', [3]);
      g.placeholder('n', [], 'DT_INT32');
      g.ints('elshape', [3]);
      g.const('zero', [], [0], 'DT_INT32');
      g.const('one', [], [1], 'DT_INT32');
      g.op('reserve', 'TensorListReserve', ['elshape', 'n'], { ...list, shape_type: attr.type('DT_INT32') });
      g.fn({
        signature: { name: 'list_cond', inputArg: [{ name: 'i' }, { name: 'lim' }, { name: 'v' }, { name: 'l' }], outputArg: [{ name: 'go' }] },
        nodeDef: [{ name: 'lt', op: 'Less', input: ['i', 'lim'], attr: I }], ret: { go: 'lt:z:0' },
      });
      g.fn({
        signature: { name: 'list_body', inputArg: [{ name: 'i' }, { name: 'lim' }, { name: 'v' }, { name: 'l' }],
          outputArg: [{ name: 'i2' }, { name: 'lim2' }, { name: 'v2' }, { name: 'l2' }] },
        nodeDef: [
          { name: 'fi', op: 'Cast', input: ['i'], attr: { SrcT: attr.type('DT_INT32'), DstT: attr.type('DT_FLOAT') } },
          { name: 'item', op: 'Mul', input: ['v', 'fi:y:0'], attr: T },
          { name: 'set', op: 'TensorListSetItem', input: ['l', 'i', 'item:z:0'], attr: list },
          { name: 'one', op: 'Const', attr: { dtype: attr.type('DT_INT32') } },
          { name: 'inc', op: 'AddV2', input: ['i', 'one:output:0'], attr: I },
          { name: 'lim_id', op: 'Identity', input: ['lim'], attr: I },
          { name: 'v_id', op: 'Identity', input: ['v'], attr: T },
        ],
        ret: { i2: 'inc:z:0', lim2: 'lim_id:output:0', v2: 'v_id:output:0', l2: 'set:output_handle:0' },
      });
      g.op('loop', 'StatelessWhile', ['zero', 'n', 'x', 'reserve'], { cond: attr.func('list_cond'), body: attr.func('list_body') });
      g.op('stacked', 'TensorListStack', ['loop:3', 'elshape'], { ...list, num_elements: attr.i(-1) });
      g.op('fromT', 'TensorListFromTensor', ['stacked', 'elshape'], { ...list, shape_type: attr.type('DT_INT32') });
      g.op('len', 'TensorListLength', ['fromT']);
      g.op('pushed', 'TensorListPushBack', ['fromT', 'x'], list);
      g.op('popped', 'TensorListPopBack', ['pushed', 'elshape'], list);
      return ['stacked', g.op('get', 'TensorListGetItem', ['fromT', 'one', 'elshape'], list), 'len', 'popped:1'];
    },
  };
