/**
 * TF1 tensor arrays (TensorArrayV3 and its Read/Write/Gather/Scatter/Size/Concat/Split/Close),
 * which TF1 while loops of converted detection models fill and read. A tensor array is written in
 * place, as in TensorFlow; its "flow" scalar only orders the reads after the writes, which the
 * dataflow of the graph already does here. Items are held until the run ends (holdForRun).
 */
import * as st from '../ops/index.js';
import { scalar, tensor1d } from '../tensor/index.js';
import type { DType } from '../backend/types.js';
import type { Tensor } from '../tensor/tensor.js';
import { sync, type OpContext, type OpTable } from './op_types.js';

interface TensorArrayState {
  items: (Tensor | null)[];
  dynamicSize: boolean;
  dtype: DType;
  closed: boolean;
}

const arrays = new WeakMap<Tensor, TensorArrayState>();
let nextHandle = 0;

function arrayOf(c: OpContext): TensorArrayState {
  const state = arrays.get(c.input(0));
  if (!state) throw new Error('input 0 is not a tensor array handle');
  if (state.closed) throw new Error('the tensor array has been closed');
  return state;
}

function write(c: OpContext, state: TensorArrayState, index: number, value: Tensor): void {
  if (!Number.isInteger(index) || index < 0) throw new Error(`index ${index} is not a valid tensor array index`);
  if (index >= state.items.length) {
    if (!state.dynamicSize) throw new Error(`index ${index} is out of range for a tensor array of size ${state.items.length}`);
    while (state.items.length <= index) state.items.push(null);
  }
  state.items[index] = c.holdForRun(st.clone(value));
}

function read(state: TensorArrayState, index: number): Tensor {
  const item = state.items[index];
  if (item == null) throw new Error(`item ${index} of the tensor array (size ${state.items.length}) was never written`);
  return st.clone(item);
}

/** A fresh flow scalar: the value TensorFlow passes along to order tensor-array ops. */
const flow = (): Tensor => scalar(0, 'float32');

const arrayOpsSync: OpTable = {
  TensorArrayV3: {
    outputs: ['handle', 'flow'],
    run: (c) => {
      const handle = scalar(nextHandle++, 'int32');
      arrays.set(handle, { items: new Array(c.number(0)).fill(null), dynamicSize: c.attr.bool('dynamic_size', false),
        dtype: c.attr.dtype('dtype') ?? 'float32', closed: false });
      return [handle, flow()];
    },
  },
  TensorArrayWriteV3: sync((c) => {
    write(c, arrayOf(c), c.number(1), c.input(2));
    return flow();
  }),
  TensorArrayReadV3: sync((c) => read(arrayOf(c), c.number(1))),
  TensorArrayGatherV3: sync((c) => {
    const state = arrayOf(c);
    const indices = c.numbers(1);
    if (indices.length === 0) throw new Error('gathering no items of a tensor array is not supported');
    return st.stack(indices.map((i) => read(state, i)), 0);
  }),
  TensorArrayScatterV3: sync((c) => {
    const state = arrayOf(c);
    const items = st.unstack(c.input(2), 0);
    c.numbers(1).forEach((index, k) => write(c, state, index, items[k]));
    return flow();
  }),
  TensorArraySizeV3: sync((c) => scalar(arrayOf(c).items.length, 'int32')),
  TensorArrayConcatV3: {
    outputs: ['value', 'lengths'],
    run: (c) => {
      const state = arrayOf(c);
      const items = state.items.map((_, i) => read(state, i));
      return [st.concat(items, 0), tensor1d(items.map((t) => t.shape[0]), 'int32')];
    },
  },
  TensorArraySplitV3: sync((c) => {
    const state = arrayOf(c);
    const parts = st.split(c.input(1), c.numbers(2), 0);
    parts.forEach((p, i) => write(c, state, i, p));
    return flow();
  }),
  TensorArrayCloseV3: sync((c) => {
    arrayOf(c).closed = true;
    return [];
  }),
};

/** Tensor arrays are control state: graphs that use them run in executeAsync, as in TensorFlow.js. */
export const arrayOps: OpTable = Object.fromEntries(Object.entries(arrayOpsSync).map(([name, def]) => [name, { ...def, async: true, runsSync: true }]));
