/**
 * TF1 while loops (Enter, Merge, Switch, LoopCond, NextIteration, Exit), run by executeAsync as
 * dataflow: a node runs once per frame and iteration as soon as its inputs have arrived there.
 * Values live under a context path ('' for the graph, then 'frame@2' for the third iteration of a
 * loop, nested loops append); a node reads an input from its own context, else from an enclosing
 * one (constants, and loop-invariant tensors entered once). A Switch sends the value down one
 * branch and marks the other dead; dead values end at NextIteration and Exit, which is how a loop
 * stops and how only its last iteration's values leave it.
 */
import type { Tensor } from '../tensor/tensor.js';
import { clone } from '../ops/index.js';
import { computeNode, DEAD, refName, type ExecutionOptions, type Graph, type GraphNode, type Ref, type Value } from './executor.js';

export const FRAME_OPS = new Set(['Enter', 'Exit', 'NextIteration']);

/** The nodes `outputs` need (loops included), stopping at fed nodes. */
export function neededNodes(graph: Graph, feeds: Map<string, Tensor>, outputs: Ref[]): Set<string> {
  const needed = new Set<string>();
  const stack = outputs.map((r) => r.node);
  while (stack.length > 0) {
    const name = stack.pop()!;
    if (needed.has(name)) continue;
    needed.add(name);
    if (feeds.has(name)) continue;
    for (const ref of graph.nodes.get(name)!.inputs) stack.push(ref.node);
  }
  return needed;
}

// frame names are TensorFlow scope names ('while/while_context'), so contexts join with a newline
const SEP = '\n';

function parentContext(ctx: string): string {
  return ctx.slice(0, Math.max(0, ctx.lastIndexOf(SEP)));
}

export async function runFrames(graph: Graph, feeds: Map<string, Tensor>, outputs: Ref[], options: ExecutionOptions): Promise<Tensor[]> {
  const { where } = options;
  const needed = neededNodes(graph, feeds, outputs);
  const consumers = new Map<string, GraphNode[]>();
  for (const name of needed) {
    if (feeds.has(name)) continue;
    const node = graph.nodes.get(name)!;
    if (node.op === 'Placeholder' || node.op === '_Arg') {
      throw new Error(`${where}: cannot compute [${outputs.map(refName).join(', ')}] without the input [${name}]; ` +
        `inputs given: [${[...feeds.keys()].join(', ')}]`);
    }
    for (const ref of node.inputs) {
      const list = consumers.get(ref.node) ?? [];
      if (!list.includes(node)) list.push(node);
      consumers.set(ref.node, list);
    }
  }
  const values = new Map<string, Value[]>();
  const scheduled = new Set<string>();
  const made = new Set<Tensor>();
  const queue: { node: GraphNode; ctx: string; inputs: Value[] }[] = [];

  const lookup = (ctx: string, name: string): Value[] | undefined => {
    for (let c = ctx; ; c = parentContext(c)) {
      const v = values.get(`${c}|${name}`) ?? values.get(`${c.replace(/@\d+$/, '@*')}|${name}`);
      if (v || c === '') return v;
    }
  };

  const consider = (node: GraphNode, ctx: string): void => {
    const key = `${ctx}|${node.name}`;
    if (scheduled.has(key)) return;
    const inputs = node.inputs.map((r) => lookup(ctx, r.node)?.[r.index]);
    const ready = node.opDef?.flow === 'merge'
      ? inputs.some((v) => v !== undefined && v !== DEAD) || inputs.every((v) => v !== undefined)
      : inputs.every((v) => v !== undefined);
    if (!ready) return;
    scheduled.add(key);
    queue.push({ node, ctx, inputs: inputs.map((v) => v ?? DEAD) });
  };

  /** Where a node's outputs go: into a loop (Enter), out of it (Exit), to the next iteration, or stay. */
  const store = (node: GraphNode, ctx: string, outs: Value[]): void => {
    let target = ctx;
    let readersCtx = ctx;
    if (node.op === 'Enter') {
      const frame = node.attr.str('frame_name', node.name, true);
      const constant = node.attr.bool('is_constant', false);
      target = `${ctx}${SEP}${frame}@${constant ? '*' : '0'}`;
      readersCtx = `${ctx}${SEP}${frame}@0`;
    } else if (node.op === 'Exit' || node.op === 'NextIteration') {
      if (outs[0] === DEAD) return;
      if (node.op === 'Exit') target = parentContext(ctx);
      else {
        const m = /^([\s\S]*)@(\d+)$/.exec(ctx);
        if (!m) throw new Error(`${where}: ${node.where} runs outside a loop frame`);
        target = `${m[1]}@${Number(m[2]) + 1}`;
      }
      readersCtx = target;
    }
    values.set(`${target}|${node.name}`, outs);
    for (const reader of consumers.get(node.name) ?? []) consider(reader, readersCtx);
  };

  for (const name of needed) {
    const node = graph.nodes.get(name)!;
    const fed = feeds.get(name);
    if (fed) store(node, '', [fed]);
    else if (node.op === 'Const') {
      const w = options.weights.get(name);
      if (!w) throw new Error(`${where}: ${node.where} has no weight`);
      store(node, '', [w]);
    }
  }
  for (const name of needed) {
    const node = graph.nodes.get(name)!;
    if (!feeds.has(name) && node.op !== 'Const' && node.inputs.length === 0) consider(node, '');
  }

  const kept = new Set<Tensor>([...options.weights.values(), ...feeds.values()]);
  let results: Tensor[] = [];
  try {
    while (queue.length > 0) {
      const { node, ctx, inputs } = queue.shift()!;
      const result = computeNode(node, inputs, options);
      const outs = result instanceof Promise ? await result : result;
      for (const t of outs) if (t !== DEAD && !kept.has(t)) made.add(t);
      store(node, ctx, outs);
    }
    results = outputs.map((ref) => {
      const v = values.get(`|${ref.node}`)?.[ref.index];
      if (v === undefined) throw new Error(`${where}: the output "${refName(ref)}" was not computed (its loop or branch never produced it)`);
      if (v === DEAD) throw new Error(`${where}: the output "${refName(ref)}" is on a branch the graph did not take`);
      return options.weights.get(ref.node) === v ? clone(v) : v;
    });
  } finally {
    // every iteration's values were kept until the run ended; all but the results go now (all, after a failure)
    const wanted = new Set(results);
    for (const t of made) if (!wanted.has(t) && !t.isDisposed) t.dispose();
  }
  return results;
}
