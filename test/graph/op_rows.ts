/**
 * One small graph per row, together using every op of striate's graph table; each runs on
 * TensorFlow.js' tfjs-converter and on striate and the outputs are compared.
 */
import { attr, GraphBuilder, T } from './graph_builder.js';

export interface InputSpec {
  shape: number[];
  dtype?: 'float32' | 'int32' | 'bool';
  values?: number[];
}

export interface OpRow {
  name: string;
  inputs: Record<string, InputSpec>;
  /** builds the graph; returns the outputs to compare */
  build(g: GraphBuilder): string[];
  /** needs executeAsync (control flow, value-dependent ops) */
  async?: boolean;
  tol?: number;
  /** outputs whose dtype differs from TensorFlow.js' on purpose (values still compared), with the reason beside the row */
  dtypeDiffers?: string[];
}

const F = 'DT_FLOAT' as const;
const conv = (strides: number[], padding: string, extra: Record<string, unknown> = {}) => ({
  ...T, strides: attr.ints(strides), padding: attr.s(padding), data_format: attr.s('NHWC'), dilations: attr.ints([1, 1, 1, 1]), ...extra,
} as Record<string, ReturnType<typeof attr.s>>);
const fused = (ops: string[], numArgs: number, extra: Record<string, unknown> = {}) =>
  conv([1, 1, 1, 1], 'SAME', { fused_ops: attr.strs(ops), num_args: attr.i(numArgs), epsilon: attr.f(0), ...extra });
const image = { x: { shape: [1, 5, 5, 2] } };

export const OP_ROWS: OpRow[] = [
  {
    name: 'Conv2D SAME + BiasAdd + Relu (uint8-quantized filter)', inputs: image,
    build: (g) => {
      g.placeholder('x', [-1, 5, 5, 2]);
      g.const('w', [3, 3, 2, 3], undefined, F, true);
      g.const('b', [3]);
      g.op('c', 'Conv2D', ['x', 'w'], conv([1, 1, 1, 1], 'SAME'));
      g.op('cb', 'BiasAdd', ['c', 'b'], { ...T, data_format: attr.s('NHWC') });
      g.op('id', 'Identity', ['cb'], T);
      return [g.op('y', 'Relu', ['id'], T)];
    },
  },
  {
    name: 'Conv2D VALID stride 2, dilated Conv2D, EXPLICIT padding, Relu6', inputs: { x: { shape: [1, 7, 7, 2] } },
    build: (g) => {
      g.placeholder('x', [1, 7, 7, 2]);
      g.const('w', [2, 2, 2, 2]);
      g.op('a', 'Conv2D', ['x', 'w'], conv([1, 2, 2, 1], 'VALID'));
      g.op('d', 'Conv2D', ['x', 'w'], conv([1, 1, 1, 1], 'SAME', { dilations: attr.ints([1, 2, 2, 1]) }));
      g.op('e', 'Conv2D', ['x', 'w'], conv([1, 1, 1, 1], 'EXPLICIT', { explicit_paddings: attr.ints([0, 0, 1, 2, 0, 1, 0, 0]) }));
      return ['a', g.op('r6', 'Relu6', ['d'], T), 'e'];
    },
  },
  {
    name: 'DepthwiseConv2dNative + Elu (uint16-quantized filter)', inputs: image,
    build: (g) => {
      g.placeholder('x', [1, 5, 5, 2]);
      g.const('w', [3, 3, 2, 2], undefined, F, 'uint16');
      g.op('d', 'DepthwiseConv2dNative', ['x', 'w'], conv([1, 2, 2, 1], 'SAME'));
      return [g.op('y', 'Elu', ['d'], T)];
    },
  },
  {
    name: '_FusedConv2D with BiasAdd and each fused activation', inputs: image,
    build: (g) => {
      g.placeholder('x', [1, 5, 5, 2]);
      g.const('w', [3, 3, 2, 3], undefined, F, true);
      g.const('b', [3]);
      g.const('alpha', [3]);
      const outs = [g.op('plain', '_FusedConv2D', ['x', 'w', 'b'], fused(['BiasAdd'], 1))];
      for (const act of ['Relu', 'Relu6', 'Elu', 'Sigmoid']) outs.push(g.op(`f_${act}`, '_FusedConv2D', ['x', 'w', 'b'], fused(['BiasAdd', act], 1)));
      outs.push(g.op('leaky', '_FusedConv2D', ['x', 'w', 'b'], fused(['BiasAdd', 'LeakyRelu'], 1, { leakyrelu_alpha: attr.f(0.1) })));
      outs.push(g.op('prelu', '_FusedConv2D', ['x', 'w', 'b', 'alpha'], fused(['BiasAdd', 'Prelu'], 2)));
      return outs;
    },
  },
  {
    name: 'FusedDepthwiseConv2dNative with BiasAdd, Relu6 (float16 filter)', inputs: image,
    build: (g) => {
      g.placeholder('x', [1, 5, 5, 2]);
      g.const('w', [3, 3, 2, 1], undefined, F, 'float16');
      g.const('b', [2]);
      return [g.op('y', 'FusedDepthwiseConv2dNative', ['x', 'w', 'b'], fused(['BiasAdd', 'Relu6'], 1))];
    },
  },
  {
    name: 'MatMul, BiasAdd, Tanh, _FusedMatMul, Softmax', inputs: { x: { shape: [2, 4] } },
    build: (g) => {
      g.placeholder('x', [-1, 4]);
      g.const('w', [4, 3]);
      g.const('wt', [3, 4], undefined, F, true);
      g.const('b', [3]);
      g.op('m', 'MatMul', ['x', 'w'], { ...T, transpose_a: attr.b(false), transpose_b: attr.b(false) });
      g.op('mb', 'BiasAdd', ['m', 'b'], T);
      const mm = { ...T, transpose_a: attr.b(false), transpose_b: attr.b(true), num_args: attr.i(1), epsilon: attr.f(0) };
      g.op('fm', '_FusedMatMul', ['x', 'wt', 'b'], { ...mm, fused_ops: attr.strs(['BiasAdd', 'Relu']) });
      g.op('fl', '_FusedMatMul', ['x', 'wt', 'b'], { ...mm, fused_ops: attr.strs(['BiasAdd', 'LeakyRelu']), leakyrelu_alpha: attr.f(0.3) });
      return [g.op('t', 'Tanh', ['mb'], T), 'fm', 'fl', g.op('s', 'Softmax', ['mb'], T)];
    },
  },
  {
    name: 'FusedBatchNorm, FusedBatchNormV3', inputs: { x: { shape: [1, 3, 3, 4] } },
    build: (g) => {
      g.placeholder('x', [-1, 3, 3, 4]);
      g.const('scale', [4]);
      g.const('offset', [4]);
      g.const('mean', [4]);
      g.const('var', [4], [0.5, 1, 2, 0.25]);
      const a = { ...T, epsilon: attr.f(0.001), data_format: attr.s('NHWC'), is_training: attr.b(false) };
      return [g.op('bn', 'FusedBatchNorm', ['x', 'scale', 'offset', 'mean', 'var'], a),
        g.op('bn3', 'FusedBatchNormV3', ['x', 'scale', 'offset', 'mean', 'var'], a)];
    },
  },
  {
    name: 'arithmetic and element-wise functions', inputs: { x: { shape: [2, 3] }, y: { shape: [2, 3] } },
    build: (g) => {
      g.placeholder('x', [2, 3]);
      g.placeholder('y', [2, 3]);
      g.const('c', [3]);
      const outs = ['Add', 'AddV2', 'Sub', 'Mul', 'RealDiv', 'Maximum', 'Minimum'].map((op) => g.op(op.toLowerCase(), op, ['x', 'y'], T));
      outs.push(g.op('addn', 'AddN', ['x', 'y', 'x'], { ...T, N: attr.i(3) }));
      outs.push(g.op('bcast', 'Mul', ['x', 'c'], T));
      g.op('absx', 'Abs', ['x'], T);
      g.op('pos', 'AddV2', ['absx', 'c'], T);
      g.op('pos1', 'AddV2', ['absx', 'y'], T);
      for (const op of ['Rsqrt', 'Sqrt', 'Log']) outs.push(g.op(op.toLowerCase(), op, ['pos'], T));
      for (const op of ['Square', 'Exp', 'Sigmoid', 'Tanh', 'Relu', 'Neg']) outs.push(g.op(op.toLowerCase(), op, ['x'], T));
      outs.push(g.op('leaky', 'LeakyRelu', ['x'], { ...T, alpha: attr.f(0.25) }));
      outs.push(g.op('prelu', 'Prelu', ['x', 'c'], T));
      outs.push(g.op('sqdiff', 'SquaredDifference', ['x', 'y'], T));
      return outs;
    },
  },
  {
    name: 'Mean, Sum, Max (keep_dims), ArgMax', inputs: { x: { shape: [2, 3, 4] } },
    build: (g) => {
      g.placeholder('x', [2, 3, 4]);
      g.ints('ax1', [1]);
      g.ints('ax02', [0, 2]);
      g.ints('last', [-1], []);
      return [g.op('mean', 'Mean', ['x', 'ax1'], { ...T, keep_dims: attr.b(true) }),
        g.op('sum', 'Sum', ['x', 'ax02'], { ...T, keep_dims: attr.b(false) }),
        g.op('max', 'Max', ['x', 'ax1'], { ...T, keep_dims: attr.b(false) }),
        g.op('argmax', 'ArgMax', ['x', 'last'], { ...T, output_type: attr.type('DT_INT32') })];
    },
  },
  {
    name: 'Pad, PadV2, MirrorPad (REFLECT, SYMMETRIC)', inputs: { x: { shape: [1, 3, 3, 1] } },
    build: (g) => {
      g.placeholder('x', [1, 3, 3, 1]);
      g.ints('p', [0, 0, 1, 2, 2, 1, 0, 0], [4, 2]);
      g.const('cv', [], [-5]);
      return [g.op('pad', 'Pad', ['x', 'p'], T), g.op('pad2', 'PadV2', ['x', 'p', 'cv'], T),
        g.op('mr', 'MirrorPad', ['x', 'p'], { ...T, mode: attr.s('REFLECT') }),
        g.op('ms', 'MirrorPad', ['x', 'p'], { ...T, mode: attr.s('SYMMETRIC') })];
    },
  },
  {
    name: 'Reshape, Squeeze, ExpandDims, Transpose, ConcatV2, Pack', inputs: { x: { shape: [2, 1, 3] } },
    build: (g) => {
      g.placeholder('x', [2, 1, 3]);
      g.const('shape', [2], [3, -1], 'DT_INT32', 'uint8'); // an int32 weight quantized too
      g.ints('axis0', [0], []);
      g.ints('axisNeg', [-1], []);
      g.ints('perm', [2, 0, 1]);
      g.op('sq', 'Squeeze', ['x'], { ...T, squeeze_dims: attr.ints([1]) });
      return [g.op('rs', 'Reshape', ['x', 'shape'], T), 'sq', g.op('ed', 'ExpandDims', ['x', 'axis0'], T),
        g.op('tr', 'Transpose', ['x', 'perm'], T), g.op('cc', 'ConcatV2', ['x', 'x', 'axisNeg'], { ...T, N: attr.i(2) }),
        g.op('pk', 'Pack', ['sq', 'sq'], { ...T, axis: attr.i(1), N: attr.i(2) })];
    },
  },
  {
    name: 'Unpack, Split (outputs :0 :1 :2)', inputs: { x: { shape: [3, 6] } },
    build: (g) => {
      g.placeholder('x', [3, 6]);
      g.ints('one', [1], []);
      g.op('un', 'Unpack', ['x'], { ...T, num: attr.i(3), axis: attr.i(0) });
      g.op('sp', 'Split', ['one', 'x'], { ...T, num_split: attr.i(3) });
      return ['un', 'un:1', 'un:2', 'sp', 'sp:1', 'sp:2'];
    },
  },
  {
    name: 'StridedSlice with every mask, Slice', inputs: { x: { shape: [4, 5, 6] } },
    build: (g) => {
      g.placeholder('x', [4, 5, 6]);
      const ss = (name: string, b: number[], e: number[], s: number[], masks: Record<string, number>) => {
        g.ints(`${name}_b`, b);
        g.ints(`${name}_e`, e);
        g.ints(`${name}_s`, s);
        const a: Record<string, ReturnType<typeof attr.i>> = { ...T };
        for (const m of ['begin_mask', 'end_mask', 'ellipsis_mask', 'new_axis_mask', 'shrink_axis_mask']) a[m] = attr.i(masks[m] ?? 0);
        return g.op(name, 'StridedSlice', ['x', `${name}_b`, `${name}_e`, `${name}_s`], a);
      };
      g.ints('sb', [1, 0, 2]);
      g.ints('sz', [2, -1, 3]);
      return [
        ss('plain', [1, 1, 0], [3, 4, 6], [1, 2, 1], {}),
        ss('masks', [1, 1, 1], [3, 4, 5], [1, 1, 2], { begin_mask: 1, end_mask: 4 }),
        ss('neg', [-1, 0, 0], [0, 5, 6], [-1, 1, 1], { end_mask: 1 }),
        ss('shrink', [2, 0, 0], [3, 5, 6], [1, 1, 1], { shrink_axis_mask: 1, end_mask: 6, begin_mask: 6 }),
        ss('ellipsis', [0, 1], [0, 3], [1, 1], { ellipsis_mask: 1 }),
        ss('newaxis', [0, 0, 1], [0, 0, 3], [1, 1, 1], { new_axis_mask: 1, begin_mask: 2, end_mask: 2 }),
        g.op('slice', 'Slice', ['x', 'sb', 'sz'], T),
      ];
    },
  },
  {
    name: 'Shape, Cast, Gather, GatherV2, Tile, Fill, ZerosLike, Range', inputs: { x: { shape: [3, 4] }, i: { shape: [2], dtype: 'int32', values: [2, 0] } },
    build: (g) => {
      g.placeholder('x', [-1, 4]);
      g.placeholder('i', [2], 'DT_INT32');
      g.ints('ax1', [1], []);
      g.ints('reps', [2, 1]);
      g.const('seven', [], [7]);
      g.ints('r0', [1], []);
      g.ints('r1', [10], []);
      g.ints('r2', [3], []);
      g.op('shape', 'Shape', ['x'], { ...T, out_type: attr.type('DT_INT32') });
      return ['shape', g.op('cast', 'Cast', ['x'], { SrcT: attr.type('DT_FLOAT'), DstT: attr.type('DT_INT32') }),
        g.op('castb', 'Cast', ['i'], { SrcT: attr.type('DT_INT32'), DstT: attr.type('DT_FLOAT') }),
        g.op('g', 'Gather', ['x', 'i'], { Tparams: attr.type('DT_FLOAT'), Tindices: attr.type('DT_INT32') }),
        g.op('g2', 'GatherV2', ['x', 'i', 'ax1'], { Tparams: attr.type('DT_FLOAT'), Tindices: attr.type('DT_INT32'), batch_dims: attr.i(0) }),
        g.op('tile', 'Tile', ['x', 'reps'], T),
        g.op('fill', 'Fill', ['shape', 'seven'], T),
        g.op('zl', 'ZerosLike', ['x'], T),
        g.op('range', 'Range', ['r0', 'r1', 'r2'], { Tidx: attr.type('DT_INT32') })];
    },
  },
  {
    name: 'MaxPool, AvgPool, ResizeBilinear, ResizeNearestNeighbor', inputs: { x: { shape: [1, 5, 5, 2] } },
    build: (g) => {
      g.placeholder('x', [1, 5, 5, 2]);
      g.ints('size', [7, 4]);
      const pool = (padding: string) => ({ ...T, ksize: attr.ints([1, 3, 3, 1]), strides: attr.ints([1, 2, 2, 1]), padding: attr.s(padding), data_format: attr.s('NHWC') });
      return [g.op('mp', 'MaxPool', ['x'], pool('SAME')), g.op('ap', 'AvgPool', ['x'], pool('VALID')),
        g.op('aps', 'AvgPool', ['x'], pool('SAME')),
        g.op('rb', 'ResizeBilinear', ['x', 'size'], { ...T, align_corners: attr.b(false), half_pixel_centers: attr.b(true) }),
        g.op('rba', 'ResizeBilinear', ['x', 'size'], { ...T, align_corners: attr.b(true), half_pixel_centers: attr.b(false) }),
        g.op('rn', 'ResizeNearestNeighbor', ['x', 'size'], { ...T, align_corners: attr.b(false), half_pixel_centers: attr.b(true) })];
    },
  },
  {
    name: 'TopKV2 (values and indices)', inputs: { x: { shape: [2, 6] } },
    build: (g) => {
      g.placeholder('x', [2, 6]);
      g.ints('k', [3], []);
      g.op('top', 'TopKV2', ['x', 'k'], { ...T, sorted: attr.b(true) });
      return ['top', 'top:1'];
    },
  },
  {
    name: 'NonMaxSuppressionV3, V5 and Where (async)', async: true,
    inputs: {
      boxes: { shape: [4, 4], values: [0, 0, 1, 1, 0, 0.1, 1, 1.1, 0, -0.1, 1, 0.9, 0, 10, 1, 11] },
      scores: { shape: [4], values: [0.9, 0.75, 0.6, 0.95] },
    },
    build: (g) => {
      g.placeholder('boxes', [-1, 4]);
      g.placeholder('scores', [-1]);
      g.ints('maxOut', [3], []);
      g.const('iou', [], [0.5]);
      g.const('scoreMin', [], [0.1]);
      g.const('sigma', [], [0]);
      g.const('half', [], [0.7]);
      g.op('nms3', 'NonMaxSuppressionV3', ['boxes', 'scores', 'maxOut', 'iou', 'scoreMin'], T);
      g.op('nms5', 'NonMaxSuppressionV5', ['boxes', 'scores', 'maxOut', 'iou', 'scoreMin', 'sigma'], { ...T, pad_to_max_output_size: attr.b(false) });
      g.op('gt', 'Greater', ['scores', 'half'], T);
      // TensorFlow.js 4.22 returns no third output (valid_outputs) for V5, so 'nms5:2' is checked on striate alone
      return ['nms3', 'nms5', 'nms5:1', g.op('where', 'Where', ['gt'], { T: attr.type('DT_BOOL') })];
    },
  },
  {
    name: 'Switch and Merge (a TF1 conditional, async)', async: true,
    inputs: { x: { shape: [3] }, p: { shape: [], dtype: 'bool', values: [1] } },
    build: (g) => {
      g.placeholder('x', [3]);
      g.placeholder('p', [], 'DT_BOOL');
      g.op('sw', 'Switch', ['x', 'p'], T);
      g.op('neg', 'Neg', ['sw'], T);
      g.op('sq', 'Square', ['sw:1'], T);
      g.op('merge', 'Merge', ['neg', 'sq'], { ...T, N: attr.i(2) });
      return ['merge'];
    },
  },
  {
    name: 'Switch and Merge, the other branch', async: true,
    inputs: { x: { shape: [3] }, p: { shape: [], dtype: 'bool', values: [0] } },
    build: (g) => {
      g.placeholder('x', [3]);
      g.placeholder('p', [], 'DT_BOOL');
      g.op('sw', 'Switch', ['x', 'p'], T);
      g.op('neg', 'Neg', ['sw'], T);
      g.op('sq', 'Square', ['sw:1'], T);
      g.op('merge', 'Merge', ['neg', 'sq'], { ...T, N: attr.i(2) });
      return ['merge'];
    },
  },
  {
    name: 'StatelessIf and StatelessWhile over library functions (async)', async: true,
    inputs: { x: { shape: [2] }, n: { shape: [], dtype: 'int32', values: [4] } },
    build: (g) => {
      g.placeholder('x', [2]);
      g.placeholder('n', [], 'DT_INT32');
      g.const('zero', [], [0], 'DT_INT32');
      g.op('pos', 'Greater', ['n', 'zero'], { T: attr.type('DT_INT32') });
      g.fn({
        signature: { name: 'then_fn', inputArg: [{ name: 'a', type: 'DT_FLOAT' }], outputArg: [{ name: 'out', type: 'DT_FLOAT' }] },
        nodeDef: [{ name: 'dbl', op: 'AddV2', input: ['a', 'a'], attr: T }], ret: { out: 'dbl:z:0' },
      });
      g.fn({
        signature: { name: 'else_fn', inputArg: [{ name: 'a', type: 'DT_FLOAT' }], outputArg: [{ name: 'out', type: 'DT_FLOAT' }] },
        nodeDef: [{ name: 'ng', op: 'Neg', input: ['a'], attr: T }], ret: { out: 'ng:y:0' },
      });
      g.op('if', 'StatelessIf', ['pos', 'x'], { Tcond: attr.type('DT_BOOL'), then_branch: attr.func('then_fn'), else_branch: attr.func('else_fn') });
      // while i < n: i += 1, v = v * 1.5 + 1
      g.fn({
        signature: { name: 'cond_fn', inputArg: [{ name: 'i' }, { name: 'lim' }, { name: 'v' }], outputArg: [{ name: 'go' }] },
        nodeDef: [{ name: 'lt', op: 'Less', input: ['i', 'lim'], attr: { T: attr.type('DT_INT32') } }], ret: { go: 'lt:z:0' },
      });
      g.fn({
        signature: { name: 'body_fn', inputArg: [{ name: 'i' }, { name: 'lim' }, { name: 'v' }], outputArg: [{ name: 'i2' }, { name: 'lim2' }, { name: 'v2' }] },
        nodeDef: [
          { name: 'one', op: 'Const', attr: { dtype: attr.type('DT_INT32') } },
          { name: 'inc', op: 'AddV2', input: ['i', 'one:output:0'], attr: { T: attr.type('DT_INT32') } },
          { name: 'k', op: 'Const', attr: { dtype: attr.type('DT_FLOAT') } },
          { name: 'scaled', op: 'Mul', input: ['v', 'k:output:0'], attr: T },
          { name: 'plus', op: 'AddV2', input: ['scaled:z:0', 'k:output:0'], attr: T },
          { name: 'lim_id', op: 'Identity', input: ['lim'], attr: { T: attr.type('DT_INT32') } },
        ],
        ret: { i2: 'inc:z:0', lim2: 'lim_id:output:0', v2: 'plus:z:0' },
      });
      g.const('one', [], [1], 'DT_INT32');
      g.const('k', [], [1.5]);
      g.op('loop', 'StatelessWhile', ['zero', 'n', 'x'], { T: { list: { type: ['DT_INT32', 'DT_INT32', 'DT_FLOAT'] } }, cond: attr.func('cond_fn'), body: attr.func('body_fn') });
      return ['if', 'loop', 'loop:2'];
    },
  },
  {
    name: 'a TF1 while loop: Enter, Merge, LoopCond, Switch, NextIteration, Exit (async)', async: true,
    inputs: { x: { shape: [2] }, n: { shape: [], dtype: 'int32', values: [3] } },
    build: (g) => {
      // i = 0; while (i < n) { i += 1; v = v * 1.5 + 1.5 }
      const I = { T: attr.type('DT_INT32') };
      const frame = (constant: boolean) => ({ frame_name: attr.s('while/while_context'), is_constant: attr.b(constant), parallel_iterations: attr.i(10) });
      g.placeholder('x', [2]);
      g.placeholder('n', [], 'DT_INT32');
      g.const('zero', [], [0], 'DT_INT32');
      g.const('one', [], [1], 'DT_INT32');
      g.const('k', [], [1.5]);
      g.op('enter_i', 'Enter', ['zero'], { ...I, ...frame(false) });
      g.op('enter_v', 'Enter', ['x'], { ...T, ...frame(false) });
      g.op('enter_n', 'Enter', ['n'], { ...I, ...frame(true) });
      g.op('merge_i', 'Merge', ['enter_i', 'next_i'], { ...I, N: attr.i(2) });
      g.op('merge_v', 'Merge', ['enter_v', 'next_v'], { ...T, N: attr.i(2) });
      g.op('less', 'Less', ['merge_i', 'enter_n'], I);
      g.op('cond', 'LoopCond', ['less']);
      g.op('sw_i', 'Switch', ['merge_i', 'cond'], I);
      g.op('sw_v', 'Switch', ['merge_v', 'cond'], T);
      g.op('exit_i', 'Exit', ['sw_i'], I);
      g.op('exit_v', 'Exit', ['sw_v'], T);
      g.op('id_i', 'Identity', ['sw_i:1'], I);
      g.op('id_v', 'Identity', ['sw_v:1'], T);
      g.op('inc', 'AddV2', ['id_i', 'one', '^id_i'], I);
      g.op('scaled', 'Mul', ['id_v', 'k'], T);
      g.op('plus', 'AddV2', ['scaled', 'k'], T);
      g.op('next_i', 'NextIteration', ['inc'], I);
      g.op('next_v', 'NextIteration', ['plus'], T);
      g.op('out', 'Identity', ['exit_v'], T);
      return ['out', 'exit_i'];
    },
  },
];
