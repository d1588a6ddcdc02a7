/**
 * TensorFlow's tensor lists (TensorListReserve, SetItem, GetItem, Stack, ...), which converted
 * Keras RNNs and other TF2 loops carry through While. A list is a scalar int32 handle tensor here,
 * mapped to its items; every op that changes a list returns a new handle over a copied item list,
 * so a handle read in one iteration never sees a later iteration's writes. Items are held as
 * copies (sharing storage) until the run ends, since the executor frees a node's outputs once
 * their readers are done and a list outlives the node that wrote it.
 */
import * as st from '../ops/index.js';
import { scalar, zeros } from '../tensor/index.js';
import type { DType } from '../backend/types.js';
import type { Tensor } from '../tensor/tensor.js';
import { sync, type OpContext, type OpTable } from './op_types.js';

interface TensorListState {
  items: (Tensor | null)[];
  /** the element shape given when the list was made (-1: any size; undefined: any rank) */
  elementShape?: number[];
  dtype: DType;
}

const lists = new WeakMap<Tensor, TensorListState>();
let nextHandle = 0;

/** The list's own reference to a tensor: a copy sharing its storage, alive until the run ends. */
function hold(c: OpContext, t: Tensor): Tensor {
  return c.holdForRun(st.clone(t));
}

/** A tensor handed out from a list: a copy, so that freeing it leaves the list's item alone. */
function handOut(t: Tensor): Tensor {
  return st.clone(t);
}

function makeList(state: TensorListState): Tensor {
  const handle = scalar(nextHandle++, 'int32');
  lists.set(handle, state);
  return handle;
}

function listOf(c: OpContext, i = 0): TensorListState {
  const state = lists.get(c.input(i));
  if (!state) throw new Error(`input ${i} is not a tensor list handle`);
  return state;
}

/** An element_shape input: a list of sizes, or a scalar -1 for a shape not known at all. */
function shapeInput(c: OpContext, i: number): number[] | undefined {
  const t = c.input(i);
  if (t.rank === 0) return undefined;
  return c.numbers(i);
}

function elementDtype(c: OpContext, fallback: DType = 'float32'): DType {
  return c.attr.dtype('element_dtype') ?? fallback;
}

/** A read of an item never written: zeros of the element shape when that shape is fully known. */
function missingItem(c: OpContext, state: TensorListState, index: number, shape: number[] | undefined): Tensor {
  const s = shape && shape.every((d) => d >= 0) ? shape : state.elementShape;
  if (!s || s.some((d) => d < 0)) throw new Error(`item ${index} of the tensor list was never set and its shape is not fully known`);
  return zeros(s, state.dtype);
}

function checkIndex(c: OpContext, state: TensorListState, index: number): void {
  if (!Number.isInteger(index) || index < 0 || index >= state.items.length) {
    throw new Error(`index ${index} is out of range for a tensor list of ${state.items.length} item(s)`);
  }
}

const listOpsSync: OpTable = {
  TensorListReserve: sync((c) => makeList({ items: new Array(c.number(1)).fill(null), elementShape: shapeInput(c, 0), dtype: elementDtype(c) })),
  EmptyTensorList: sync((c) => makeList({ items: [], elementShape: shapeInput(c, 0), dtype: elementDtype(c) })),
  TensorListFromTensor: sync((c) => {
    const t = c.input(0);
    return makeList({ items: st.unstack(t, 0).map((item) => c.holdForRun(item)), elementShape: t.shape.slice(1), dtype: t.dtype });
  }),
  TensorListLength: sync((c) => scalar(listOf(c).items.length, 'int32')),
  TensorListGetItem: sync((c) => {
    const state = listOf(c);
    const index = c.number(1);
    checkIndex(c, state, index);
    const item = state.items[index];
    return item ? handOut(item) : missingItem(c, state, index, shapeInput(c, 2));
  }),
  TensorListSetItem: sync((c) => {
    const state = listOf(c);
    const index = c.number(1);
    checkIndex(c, state, index);
    const items = [...state.items];
    items[index] = hold(c, c.input(2));
    return makeList({ ...state, items });
  }),
  TensorListPushBack: sync((c) => {
    const state = listOf(c);
    return makeList({ ...state, items: [...state.items, hold(c, c.input(1))] });
  }),
  TensorListPopBack: {
    outputs: ['output_handle', 'tensor'],
    run: (c) => {
      const state = listOf(c);
      if (state.items.length === 0) throw new Error('cannot pop from an empty tensor list');
      const item = state.items[state.items.length - 1];
      const last = item ? handOut(item) : missingItem(c, state, state.items.length - 1, shapeInput(c, 1));
      return [makeList({ ...state, items: state.items.slice(0, -1) }), last];
    },
  },
  TensorListStack: sync((c) => {
    const state = listOf(c);
    const shape = shapeInput(c, 1);
    const items = state.items.map((t, i) => t ?? missingItem(c, state, i, shape));
    if (items.length === 0) {
      const s = shape ?? state.elementShape;
      if (!s || s.some((d) => d < 0)) throw new Error('cannot stack an empty tensor list whose element shape is not fully known');
      return zeros([0, ...s], elementDtype(c, state.dtype));
    }
    return st.stack(items, 0);
  }),
};

/** As in TensorFlow.js, tensor lists are control state: graphs that use them run in executeAsync. */
export const listOps: OpTable = Object.fromEntries(Object.entries(listOpsSync).map(([name, def]) => [name, { ...def, async: true, runsSync: true }]));
