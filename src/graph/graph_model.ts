/**
 * `GraphModel`: a TensorFlow graph converted by the TensorFlow.js converter (format
 * "graph-model"), run for inference on striate's ops with TensorFlow.js' API: predict, execute
 * to any node, executeAsync for graphs with control flow or value-dependent ops, and the model's
 * inputs, outputs and weights. Graph models are not trainable: their weights are constants; feed
 * their features into a layers model to train on top of them.
 */
import type { DType } from '../backend/types.js';
import { Tensor } from '../tensor/tensor.js';
import type { FunctionDef, GraphDef, SignatureDef } from './graph_def.js';
import { Execution, Graph, parseRef, type Ref, type UnknownOp } from './executor.js';

export type NamedTensorMap = { [name: string]: Tensor };
export type NamedTensorsMap = { [name: string]: Tensor[] };

/** An input or output of the model, as TensorFlow.js describes it. */
export interface ModelTensorInfo {
  name: string;
  shape?: number[];
  dtype?: DType;
}

/** What a GraphModel is made of: model.json's parts with the weights already decoded. */
export interface GraphModelParts {
  modelTopology: GraphDef;
  weights: NamedTensorMap;
  signature?: SignatureDef;
  userDefinedMetadata?: { [key: string]: unknown };
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
}

const FUNCTION_ATTRS = ['then_branch', 'else_branch', 'cond', 'body'];

export class GraphModel {
  private readonly graph: Graph;
  private readonly functions = new Map<string, Graph>();
  private readonly weightMap: Map<string, Tensor>;
  private readonly signature?: SignatureDef;
  private readonly structuredOutputKeys?: string[];
  private readonly inputRefs: { node: string; key: string }[];
  private readonly outputRefs: { node: string; key: string }[];
  private disposed = false;
  readonly artifacts: Omit<GraphModelParts, 'weights'>;

  /**
   * Builds the model from model.json's parts; `where` names the file in errors. Every op must be
   * one striate runs and every Const must have its weight: both are checked here, so a model that
   * loads can run.
   */
  constructor(parts: GraphModelParts, private readonly where = 'GraphModel') {
    const topology = parts.modelTopology;
    if (topology == null || typeof topology !== 'object' || !Array.isArray(topology.node)) {
      throw new Error(`${where}: modelTopology is not a GraphDef (expected an object with a list "node")`);
    }
    const { weights: _, ...rest } = parts;
    this.artifacts = rest;
    const meta = parts.userDefinedMetadata;
    this.signature = (meta?.signature as SignatureDef | undefined) ?? parts.signature;
    if (Array.isArray(meta?.structuredOutputKeys)) this.structuredOutputKeys = meta.structuredOutputKeys as string[];
    const unknown: UnknownOp[] = [];
    this.graph = new Graph(topology.node, where, unknown);
    for (const fn of topology.library?.function ?? []) {
      this.functions.set(fn.signature.name, new Graph(fn.nodeDef ?? [], where, unknown, fn as FunctionDef));
    }
    if (unknown.length > 0) {
      const listed = unknown.slice(0, 12).map((u) => `"${u.op}" (node "${u.node}"${u.fn ? ` in function "${u.fn}"` : ''})`);
      const ops = [...new Set(unknown.map((u) => u.op))];
      throw new Error(`${where}: the graph uses op${ops.length > 1 ? 's' : ''} striate's graph executor does not run: ` +
        `${listed.join(', ')}${unknown.length > 12 ? `, and ${unknown.length - 12} more nodes` : ''}`);
    }
    this.weightMap = new Map(Object.entries(parts.weights ?? {}));
    this.checkNodes();
    this.inputRefs = this.findInputs();
    this.outputRefs = this.findOutputs();
  }

  /** Const nodes need their weights; functional control flow needs its functions. */
  private checkNodes(): void {
    const graphs = [this.graph, ...this.functions.values()];
    const missing: string[] = [];
    for (const g of graphs) {
      for (const node of g.nodes.values()) {
        if (node.op === 'Const' && !this.weightMap.has(node.name)) missing.push(node.name);
        for (const attr of FUNCTION_ATTRS) {
          const fn = node.attr.func(attr);
          if (fn != null && node.opDef && !this.functions.has(fn)) {
            throw new Error(`${this.where}: ${node.where} calls function "${fn}", which the graph's library does not have`);
          }
        }
      }
    }
    if (missing.length > 0) {
      throw new Error(`${this.where}: Const node${missing.length > 1 ? 's' : ''} ${missing.slice(0, 10).map((n) => `"${n}"`).join(', ')}` +
        `${missing.length > 10 ? ` and ${missing.length - 10} more` : ''} ha${missing.length > 1 ? 've' : 's'} no weight in the weights manifest`);
    }
  }

  /** The signature's inputs where it names graph nodes, else every Placeholder in graph order. */
  private findInputs(): { node: string; key: string }[] {
    const entries = Object.entries(this.signature?.inputs ?? {})
      .map(([key, info]) => ({ key, node: parseRef(info.name).node }))
      .filter((e) => this.graph.nodes.has(e.node));
    if (entries.length > 0) return entries;
    return [...this.graph.nodes.values()].filter((n) => n.op.startsWith('Placeholder')).map((n) => ({ node: n.name, key: n.name }));
  }

  /** The signature's outputs, else every node no other node reads. */
  private findOutputs(): { node: string; key: string }[] {
    const entries = Object.entries(this.signature?.outputs ?? {})
      .map(([key, info]) => ({ key, node: parseRef(info.name).node }))
      .filter((e) => this.graph.nodes.has(e.node));
    if (Object.keys(this.signature?.outputs ?? {}).length > 0) return entries;
    const read = new Set<string>();
    for (const node of this.graph.nodes.values()) for (const ref of node.inputs) read.add(ref.node);
    // control inputs count as reads too, as in TensorFlow.js
    for (const node of this.graph.nodes.values()) {
      for (const input of node.def.input ?? []) if (input.startsWith('^')) read.add(parseRef(input.slice(1)).node);
    }
    return [...this.graph.nodes.values()].filter((n) => !read.has(n.name)).map((n) => ({ node: n.name, key: n.name }));
  }

  /** A node's name, its `shape` attribute and its dtype (the `dtype` attribute, else a Cast's target or the op's `T`). */
  private info(nodeName: string): ModelTensorInfo {
    const node = this.graph.nodes.get(nodeName)!;
    const dtype = node.attr.dtype('dtype') ?? node.attr.dtype('DstT') ?? node.attr.dtype('T') ?? undefined;
    return { name: node.name, shape: node.attr.shape('shape'), dtype: dtype === null ? undefined : dtype };
  }

  /** `producer.minConsumer` of the GraphDef's versions, as TensorFlow.js reports it. */
  get modelVersion(): string {
    const v = this.artifacts.modelTopology.versions;
    return `${v?.producer}.${v?.minConsumer}`;
  }

  /** the names to feed: signature keys where the model has a signature, else the placeholders' names */
  get inputNodes(): string[] {
    return this.inputRefs.map((r) => r.key);
  }

  get outputNodes(): string[] {
    return this.outputRefs.map((r) => r.key);
  }

  get inputs(): ModelTensorInfo[] {
    return this.inputRefs.map((r) => this.info(r.node));
  }

  get outputs(): ModelTensorInfo[] {
    return this.outputRefs.map((r) => this.info(r.node));
  }

  /** the weights by Const node name; each a list of one tensor, as in TensorFlow.js */
  get weights(): NamedTensorsMap {
    const out: NamedTensorsMap = {};
    for (const [name, t] of this.weightMap) out[name] = [t];
    return out;
  }

  get metadata(): { [key: string]: unknown } | undefined {
    return this.artifacts.userDefinedMetadata;
  }

  get modelSignature(): SignatureDef | undefined {
    return this.signature;
  }

  get modelStructuredOutputKeys(): string[] | undefined {
    return this.structuredOutputKeys;
  }

  /** The model's outputs for `inputs` (a tensor, a list in `inputNodes` order, or a map by name). */
  predict(inputs: Tensor | Tensor[] | NamedTensorMap, config?: { batchSize?: number; verbose?: boolean }): Tensor | Tensor[] | NamedTensorMap {
    void config; // TensorFlow.js accepts and ignores it too: a graph runs whole batches
    return this.structured(this.execute(inputs, this.outputNodes));
  }

  async predictAsync(inputs: Tensor | Tensor[] | NamedTensorMap, config?: { batchSize?: number; verbose?: boolean }):
    Promise<Tensor | Tensor[] | NamedTensorMap> {
    void config;
    return this.structured(await this.executeAsync(inputs, this.outputNodes));
  }

  private structured(out: Tensor | Tensor[]): Tensor | Tensor[] | NamedTensorMap {
    if (!this.structuredOutputKeys) return out;
    const list = out instanceof Tensor ? [out] : out;
    return Object.fromEntries(this.structuredOutputKeys.map((k, i) => [k, list[i]]));
  }

  /**
   * The tensors of `outputs` (node names, 'name:1' for a node's second output, or signature
   * keys; default: the model's outputs) for `inputs`. One output gives a tensor, several a list.
   */
  execute(inputs: Tensor | Tensor[] | NamedTensorMap, outputs?: string | string[]): Tensor | Tensor[] {
    const held = new Set<Tensor>();
    let result: Tensor[] = [];
    try {
      result = this.prepare('GraphModel.execute', inputs, outputs, held).runSync();
    } finally {
      release(held, result);
    }
    return result.length > 1 ? result : result[0];
  }

  /** `execute` for graphs with control flow or ops whose output size depends on values (NonMaxSuppression, Where). */
  async executeAsync(inputs: Tensor | Tensor[] | NamedTensorMap, outputs?: string | string[]): Promise<Tensor | Tensor[]> {
    const held = new Set<Tensor>();
    let result: Tensor[] = [];
    try {
      result = await this.prepare('GraphModel.executeAsync', inputs, outputs, held).runAsync();
    } finally {
      release(held, result);
    }
    return result.length > 1 ? result : result[0];
  }

  private prepare(where: string, inputs: Tensor | Tensor[] | NamedTensorMap, outputs: string | string[] | undefined, held: Set<Tensor>): Execution {
    if (this.disposed) throw new Error(`${where}: the model has been disposed`);
    const feeds = this.feeds(where, inputs);
    const names = outputs == null ? this.outputNodes : Array.isArray(outputs) ? outputs : [outputs];
    if (names.length === 0) throw new Error(`${where}: expected at least one output name`);
    const refs: Ref[] = names.map((name) => {
      if (typeof name !== 'string') throw new Error(`${where}: output names must be strings, got ${JSON.stringify(name)}`);
      const mapped = this.signature?.outputs?.[name]?.name ?? name;
      const ref = parseRef(mapped);
      if (!this.graph.nodes.has(ref.node)) throw new Error(`${where}: the output '${name}' is not found in the graph`);
      return ref;
    });
    return new Execution(this.graph, feeds, refs, {
      where, weights: this.weightMap, held, callFunction: (name, args) => this.callFunction(where, name, args, held),
    });
  }

  /** The inputs as tensors by node name, checked against the placeholders' shapes and dtypes. */
  private feeds(where: string, inputs: Tensor | Tensor[] | NamedTensorMap): Map<string, Tensor> {
    let named: [string, unknown][];
    if (inputs instanceof Tensor || Array.isArray(inputs)) {
      const list = inputs instanceof Tensor ? [inputs] : inputs;
      if (list.length !== this.inputRefs.length) {
        throw new Error(`${where}: the model has ${this.inputRefs.length} input(s) [${this.inputNodes.join(', ')}], got ${list.length} tensor(s)`);
      }
      named = this.inputRefs.map((r, i) => [r.key, list[i]]);
    } else if (inputs !== null && typeof inputs === 'object') {
      named = Object.entries(inputs);
    } else {
      throw new Error(`${where}: expected a tensor, a list of tensors or a map of input name to tensor, got ${inputs === null ? 'null' : typeof inputs}`);
    }
    const feeds = new Map<string, Tensor>();
    for (const [key, value] of named) {
      const mapped = this.signature?.inputs?.[key]?.name ?? key;
      const ref = parseRef(mapped);
      const node = this.graph.nodes.get(ref.node);
      if (!node) throw new Error(`${where}: the input '${key}' is not part of the graph (inputs: [${this.inputNodes.join(', ')}])`);
      if (ref.index !== 0) throw new Error(`${where}: only a node's first output can be fed, got '${key}'`);
      if (!(value instanceof Tensor)) throw new Error(`${where}: input '${key}' must be a tensor, got ${value === null ? 'null' : typeof value}`);
      const shape = node.attr.shape('shape');
      if (shape && node.op.startsWith('Placeholder') &&
        (shape.length !== value.rank || !shape.every((d, i) => d === -1 || d === value.shape[i]))) {
        throw new Error(`${where}: input '${key}' must have shape [${shape}] (-1: any size), got [${value.shape}]`);
      }
      const dtype = node.op.startsWith('Placeholder') ? node.attr.dtype('dtype') : undefined;
      if (dtype && dtype !== value.dtype) throw new Error(`${where}: input '${key}' must be ${dtype}, got ${value.dtype}`);
      feeds.set(ref.node, value);
    }
    return feeds;
  }

  private async callFunction(where: string, name: string, args: Tensor[], held: Set<Tensor>): Promise<Tensor[]> {
    const fn = this.functions.get(name);
    if (!fn) throw new Error(`${where}: no function "${name}" in the graph's library`);
    if (args.length !== fn.argNames.length) {
      throw new Error(`${where}: function "${name}" takes ${fn.argNames.length} argument(s), got ${args.length}`);
    }
    const feeds = new Map(fn.argNames.map((a, i) => [a, args[i]] as [string, Tensor]));
    const run = new Execution(fn, feeds, fn.outputs, {
      where: `${where} (function "${name}")`, weights: this.weightMap, held, callFunction: (n, a) => this.callFunction(where, n, a, held),
    });
    return run.runAsync();
  }

  /** Frees the weights; the model cannot run afterwards. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const t of this.weightMap.values()) t.dispose();
  }
}

/** Frees what a run's ops held (tensor-list items), except tensors handed back as results. */
function release(held: Set<Tensor>, results: Tensor[]): void {
  for (const t of held) if (!results.includes(t) && !t.isDisposed) t.dispose();
}
