/**
 * What an entry of the graph-op table is: how one TensorFlow op runs on striate's ops, given its
 * node's inputs (already tensors) and attributes.
 */
import type { Tensor } from '../tensor/tensor.js';
import type { Attrs, NodeDef } from './graph_def.js';

export interface OpContext {
  readonly node: NodeDef;
  /** `node "name" (Op)` for error messages */
  readonly where: string;
  readonly attr: Attrs;
  /** the node's data inputs, in order */
  readonly inputs: readonly Tensor[];
  /** input i, or an error naming the node when it has fewer inputs */
  input(i: number): Tensor;
  /** input i's values as plain numbers (shapes, axes, sizes) */
  numbers(i: number): number[];
  /** input i as one number (a scalar or a one-element tensor) */
  number(i: number): number;
  /** keeps `t` alive past the executor's freeing until the whole run (execute/executeAsync) ends; returns `t` */
  holdForRun(t: Tensor): Tensor;
  /** runs a function of the graph's library on `args` (functional If/While) */
  callFunction(name: string, args: Tensor[]): Promise<Tensor[]>;
}

export type OpResult = Tensor | Tensor[];

export interface OpDef {
  run(ctx: OpContext): OpResult | Promise<OpResult>;
  /** reads tensor values to decide its output's size or path: runs only in executeAsync, as in TensorFlow.js */
  async?: boolean;
  /** an async op (executeAsync only, as in TensorFlow.js) whose run is synchronous: it runs in a tidy scope like the sync ops */
  runsSync?: boolean;
  /** named outputs in order, for function bodies that refer to 'node:name:i' (default: one output list) */
  outputs?: string[];
  /** TF1 control flow the executor routes itself: Switch sends its input down one branch, Merge takes the live one */
  flow?: 'switch' | 'merge';
}

export type OpTable = Record<string, OpDef>;

/** A synchronous op from a function of its context. */
export function sync(run: (ctx: OpContext) => OpResult): OpDef {
  return { run };
}
