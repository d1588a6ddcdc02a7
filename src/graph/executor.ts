/**
 * Runs a TensorFlow graph on striate's ops: the nodes the wanted outputs need, in topological
 * order, each intermediate tensor freed as soon as its last reader has run. Library functions
 * (bodies of functional If/While) are graphs of their own, run the same way.
 */
import { noGrad } from '../autograd/tape.js';
import { clone } from '../ops/index.js';
import { keep, scalar, tidy } from '../tensor/index.js';
import { Tensor } from '../tensor/tensor.js';
import { Attrs, parseTensorName, type FunctionDef, type NodeDef } from './graph_def.js';
import { GRAPH_OPS, SOURCE_OPS } from './op_table.js';
import type { OpContext, OpDef, OpResult } from './op_types.js';
import { FRAME_OPS, neededNodes, runFrames } from './frames.js';

/** An output of a node: its name and which of its outputs. */
export interface Ref {
  node: string;
  index: number;
}

export interface GraphNode {
  name: string;
  op: string;
  def: NodeDef;
  attr: Attrs;
  inputs: Ref[];
  opDef?: OpDef;
  where: string;
}

export function refName(ref: Ref): string {
  return ref.index === 0 ? ref.node : `${ref.node}:${ref.index}`;
}

/** 'name' or 'name:2' as a Ref (no check that the node exists). */
export function parseRef(name: string): Ref {
  const m = /^(.*):(\d+)$/.exec(name);
  return m ? { node: m[1], index: Number(m[2]) } : { node: name, index: 0 };
}

/** An op missing from the table, found while building a graph. */
export interface UnknownOp {
  op: string;
  node: string;
  /** the library function the node is in, if any */
  fn?: string;
}

/** The nodes of a graph or of one library function, with their inputs resolved. */
export class Graph {
  readonly nodes = new Map<string, GraphNode>();
  /** a function's results, in its signature's order */
  readonly outputs: Ref[] = [];
  readonly argNames: string[];
  /** has TF1 loop frames (Enter/Exit/NextIteration): runs that need them go through frames.ts */
  readonly hasFrames: boolean;

  constructor(defs: readonly NodeDef[], readonly where: string, unknown: UnknownOp[], fn?: FunctionDef) {
    this.argNames = (fn?.signature.inputArg ?? []).map((a) => a.name);
    for (const arg of this.argNames) {
      this.nodes.set(arg, { name: arg, op: '_Arg', def: { name: arg, op: '_Arg' }, attr: new Attrs({}, arg), inputs: [], where: `argument "${arg}"` });
    }
    for (const def of defs) {
      if (def == null || typeof def.name !== 'string' || typeof def.op !== 'string') {
        throw new Error(`${where}: every node needs a string name and op, got ${JSON.stringify(def)?.slice(0, 200)}`);
      }
      if (this.nodes.has(def.name)) throw new Error(`${where}: two nodes are named "${def.name}"`);
      const nodeWhere = `node "${def.name}" (${def.op})${fn ? ` in function "${fn.signature.name}"` : ''}`;
      const opDef = GRAPH_OPS[def.op];
      if (!opDef && !SOURCE_OPS.has(def.op)) unknown.push({ op: def.op, node: def.name, fn: fn?.signature.name });
      this.nodes.set(def.name, { name: def.name, op: def.op, def, attr: new Attrs(def.attr ?? {}, nodeWhere), inputs: [], opDef, where: nodeWhere });
    }
    for (const node of this.nodes.values()) {
      for (const input of node.def.input ?? []) {
        const ref = this.resolve(input, `${where}: ${node.where} reads "${input}"`);
        if (ref) node.inputs.push(ref);
      }
    }
    this.hasFrames = [...this.nodes.values()].some((n) => FRAME_OPS.has(n.op));
    if (fn) {
      for (const arg of fn.signature.outputArg ?? []) {
        const ret = fn.ret?.[arg.name];
        if (ret == null) throw new Error(`${where}: function "${fn.signature.name}" returns no value for its output "${arg.name}"`);
        this.outputs.push(this.resolve(ret, `${where}: function "${fn.signature.name}" returns "${ret}"`)!);
      }
    }
  }

  /** A data input's Ref (null for a control input), the output name of a function body turned into an index. */
  private resolve(input: string, where: string): Ref | null {
    const parsed = parseTensorName(input);
    if (parsed.control) return null;
    const from = this.nodes.get(parsed.node);
    if (!from) throw new Error(`${where}, which is no node of the graph`);
    let index = parsed.index;
    if (parsed.outputName != null) {
      const names = from.opDef?.outputs;
      const at = names ? names.indexOf(parsed.outputName) : -1;
      // a list output ('output:3') or one of several named ones ('output_true:0')
      index = at < 0 ? parsed.index : at + parsed.index;
    }
    return { node: parsed.node, index };
  }
}

/** the value on a branch a Switch did not take */
export const DEAD = Symbol('dead branch');
export type Value = Tensor | typeof DEAD;

export interface ExecutionOptions {
  /** names the call in errors: `GraphModel.execute` */
  where: string;
  weights: Map<string, Tensor>;
  /** runs a library function (functional If/While) */
  callFunction: (name: string, args: Tensor[]) => Promise<Tensor[]>;
  /** tensors ops hold for the whole run (tensor-list items), freed when the run ends */
  held: Set<Tensor>;
}

/** The nodes `outputs` need given `feeds`, in an order where every node comes after its inputs. */
function plan(graph: Graph, feeds: Map<string, Tensor>, outputs: Ref[], where: string): GraphNode[] {
  const order: GraphNode[] = [];
  const state = new Map<string, 1 | 2>(); // 1: on the path, 2: done
  for (const out of outputs) {
    if (!graph.nodes.has(out.node)) throw new Error(`${where}: the output "${refName(out)}" is not a node of the graph`);
    const stack: { node: GraphNode; next: number }[] = [{ node: graph.nodes.get(out.node)!, next: 0 }];
    if (state.get(out.node) === 2) continue;
    state.set(out.node, 1);
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      const inputs = feeds.has(top.node.name) ? [] : top.node.inputs;
      if (top.next < inputs.length) {
        const child = graph.nodes.get(inputs[top.next++].node)!;
        const s = state.get(child.name);
        if (s === 1) {
          throw new Error(`${where}: the graph has a cycle through ${child.where} (a TF1 while loop: Enter/Exit/NextIteration frames are not supported)`);
        }
        if (s === undefined) {
          state.set(child.name, 1);
          stack.push({ node: child, next: 0 });
        }
      } else {
        state.set(top.node.name, 2);
        order.push(top.node);
        stack.pop();
      }
    }
  }
  const missing = order.filter((n) => (n.op === 'Placeholder' || n.op === '_Arg') && !feeds.has(n.name)).map((n) => n.name);
  if (missing.length > 0) {
    throw new Error(`${where}: cannot compute [${outputs.map(refName).join(', ')}] without the input${missing.length > 1 ? 's' : ''} ` +
      `[${missing.join(', ')}]; inputs given: [${[...feeds.keys()].join(', ')}]`);
  }
  return order;
}

/** One run of a graph: the values of its nodes, freed as their readers finish. */
export class Execution {
  private readonly values = new Map<string, Value[]>();
  /** readers still to come, per tensor (the same tensor can be several nodes' output: Identity) */
  private readonly pending = new Map<Tensor, number>();
  private readonly uses = new Map<string, number>();
  private readonly kept = new Set<Tensor>();
  private readonly order: GraphNode[];
  /** the first loop-frame node the outputs need, when they need a TF1 while loop */
  private readonly frameNode?: GraphNode;

  constructor(private readonly graph: Graph, private readonly feeds: Map<string, Tensor>, private readonly outputs: Ref[],
    private readonly options: ExecutionOptions) {
    if (graph.hasFrames) {
      const frames = [...neededNodes(graph, feeds, outputs)].map((n) => graph.nodes.get(n)!).filter((n) => FRAME_OPS.has(n.op));
      this.frameNode = frames[0];
    }
    this.order = this.frameNode ? [] : plan(graph, feeds, outputs, options.where);
    for (const t of options.weights.values()) this.kept.add(t);
    for (const t of feeds.values()) this.kept.add(t);
    for (const node of this.order) {
      if (this.feeds.has(node.name)) continue;
      for (const ref of node.inputs) this.addUse(ref);
    }
    // the wanted outputs are never freed
    for (const ref of outputs) this.uses.set(refName(ref), Infinity);
  }

  private addUse(ref: Ref): void {
    const key = refName(ref);
    this.uses.set(key, (this.uses.get(key) ?? 0) + 1);
  }

  /** The first node that needs executeAsync (a value-dependent op or control flow), if any. */
  firstAsyncNode(): GraphNode | undefined {
    if (this.frameNode) return this.frameNode;
    return this.order.find((n) => !this.feeds.has(n.name) && n.opDef?.async);
  }

  runSync(): Tensor[] {
    const first = this.firstAsyncNode();
    if (first) {
      throw new Error(`${this.options.where}: the graph needs ${first.where}, which is control flow or depends on tensor values; ` +
        'use executeAsync (or predictAsync) for this model, or ask for outputs before that node');
    }
    try {
      return noGrad(() => {
        for (const node of this.order) this.store(node, this.sourceValue(node) ?? this.runOp(node) as Value[]);
        return this.results();
      });
    } catch (e) {
      this.abandon();
      throw e;
    }
  }

  /** After a failed run: frees every value made so far (the caller gets none of them). */
  private abandon(): void {
    for (const outs of this.values.values()) {
      for (const t of outs) if (t !== DEAD && !this.kept.has(t) && !t.isDisposed) t.dispose();
    }
  }

  async runAsync(): Promise<Tensor[]> {
    if (this.frameNode) return runFrames(this.graph, this.feeds, this.outputs, this.options);
    try {
      for (const node of this.order) {
        const source = this.sourceValue(node);
        if (source) {
          this.store(node, source);
          continue;
        }
        const result = this.runOp(node);
        this.store(node, result instanceof Promise ? await result : result);
      }
      return this.results();
    } catch (e) {
      this.abandon();
      throw e;
    }
  }

  private sourceValue(node: GraphNode): Value[] | null {
    const fed = this.feeds.get(node.name);
    if (fed) return [fed];
    if (node.op === 'Const') {
      const w = this.options.weights.get(node.name);
      if (!w) throw new Error(`${this.options.where}: ${node.where} has no weight`);
      return [w];
    }
    return null;
  }

  private input(ref: Ref, node: GraphNode): Value {
    const values = this.values.get(ref.node);
    const v = values?.[ref.index];
    if (v === undefined) {
      throw new Error(`${this.options.where}: ${node.where} reads output ${ref.index} of "${ref.node}", which has ${values?.length ?? 0} output(s)`);
    }
    return v;
  }

  private runOp(node: GraphNode): Value[] | Promise<Value[]> {
    return computeNode(node, node.inputs.map((r) => this.input(r, node)), this.options);
  }

  /** Keeps a node's outputs for their readers and lets go of its inputs whose last reader it was. */
  private store(node: GraphNode, outputs: Value[]): void {
    this.values.set(node.name, outputs);
    const fedOrSource = this.feeds.has(node.name) || node.op === 'Const';
    const inputs = fedOrSource ? [] : node.inputs.map((r) => this.values.get(r.node)![r.index]);
    outputs.forEach((t, i) => {
      if (t === DEAD) return;
      const readers = this.uses.get(refName({ node: node.name, index: i })) ?? 0;
      if (readers > 0) this.pending.set(t, (this.pending.get(t) ?? 0) + readers);
      else if (!this.kept.has(t) && !inputs.includes(t) && !this.pending.has(t)) t.dispose();
    });
    for (const t of inputs) {
      if (t === DEAD) continue;
      const left = (this.pending.get(t) ?? 0) - 1;
      if (left > 0) this.pending.set(t, left);
      else {
        this.pending.delete(t);
        if (!this.kept.has(t) && !outputs.includes(t)) t.dispose();
      }
    }
  }

  private results(): Tensor[] {
    return this.outputs.map((ref) => {
      const v = this.values.get(ref.node)?.[ref.index];
      if (v === undefined) throw new Error(`${this.options.where}: the node "${ref.node}" has no output ${ref.index}`);
      if (v === DEAD) throw new Error(`${this.options.where}: the output "${refName(ref)}" is on a branch the graph did not take`);
      // a weight handed out is a copy, so that disposing a result leaves the model whole
      return this.options.weights.has(ref.node) && this.options.weights.get(ref.node) === v ? clone(v) : v;
    });
  }
}

/**
 * One node's outputs from its input values: Merge takes its first live input, a node with a dead
 * input (on a branch not taken) is dead too, Switch routes its input by the predicate, any other
 * op runs from the table (synchronous ops inside a tidy scope, so their temporaries are freed).
 */
export function computeNode(node: GraphNode, inputs: Value[], options: ExecutionOptions): Value[] | Promise<Value[]> {
  const def = node.opDef!;
  if (def.flow === 'merge') {
    const live = inputs.findIndex((v) => v !== DEAD);
    return live < 0 ? [DEAD, DEAD] : [inputs[live], scalar(live, 'int32')];
  }
  if (inputs.some((v) => v === DEAD)) return new Array<Value>(Math.max(1, def.outputs?.length ?? 1)).fill(DEAD);
  const tensors = inputs as Tensor[];
  if (def.flow === 'switch') {
    return (async () => {
      const pred = tensors[1];
      const on = pred.rank === 0 ? Boolean((await pred.data())[0]) : pred.size > 0;
      return on ? [DEAD, tensors[0]] : [tensors[0], DEAD];
    })();
  }
  const ctx = opContext(node, tensors, options);
  const fail = (e: unknown): never => {
    const message = (e as Error)?.message ?? String(e);
    throw new Error(message.startsWith(options.where) ? message : `${options.where}: ${node.where}: ${message}`);
  };
  const asList = (r: OpResult): Tensor[] => (r instanceof Tensor ? [r] : r);
  try {
    if (def.async && !def.runsSync) return Promise.resolve(def.run(ctx)).then(asList, fail);
    // inference: nothing is recorded for gradients (the executor frees what a backward pass would read)
    return noGrad(() => tidy(() => asList(def.run(ctx) as OpResult)));
  } catch (e) {
    return fail(e);
  }
}

function opContext(node: GraphNode, inputs: Tensor[], options: ExecutionOptions): OpContext {
  const input = (i: number): Tensor => {
    if (i >= inputs.length) throw new Error(`expected at least ${i + 1} input(s), got ${inputs.length}`);
    return inputs[i];
  };
  const numbers = (i: number): number[] => Array.from(input(i).dataSync() as ArrayLike<number>, Number);
  return {
    node: node.def, where: node.where, attr: node.attr, inputs, input, numbers,
    holdForRun: (t) => {
      options.held.add(keep(t));
      return t;
    },
    number: (i) => {
      const v = numbers(i);
      if (v.length !== 1) throw new Error(`expected input ${i} to hold one number, got ${v.length} values`);
      return v[0];
    },
    callFunction: options.callFunction,
  };
}
