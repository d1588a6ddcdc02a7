/**
 * Models: a graph of layer calls from symbolic inputs to outputs (`st.model({inputs, outputs})`)
 * and `Sequential`, a chain. A model is itself a layer, so models nest (transfer learning).
 * Training (`compile`, `fit`, ...) is added by src/train.
 */
import type { DType } from '../backend/types.js';
import { Tensor } from '../tensor/tensor.js';
import { CallArgs, Layer, LayerArgs, LayerNode, Shape, SymbolicTensor, isShapeList, shapeString } from './layer.js';
import { formatSummary } from './summary.js';

export interface InputArgs {
  /** one sample's shape, without the batch */
  shape?: number[];
  /** with the batch dimension (null for any) */
  batchShape?: Shape;
  name?: string;
  dtype?: DType;
}

/** The layer behind `st.input`: a source of data in a graph. */
export class InputLayer extends Layer {
  readonly className = 'InputLayer';
  private readonly symbolic: SymbolicTensor;

  constructor(args: InputArgs & LayerArgs) {
    super({ name: args.name, dtype: args.dtype }, 'input');
    const shape = args.batchShape ?? (args.shape ? [null, ...args.shape] : undefined);
    if (!shape || !shape.every((d) => d === null || (Number.isInteger(d) && d > 0))) {
      throw new Error(`input "${this.name}": give shape (one sample, e.g. [28, 28, 1]) or batchShape, ` +
        `got ${JSON.stringify(args.shape ?? args.batchShape)}`);
    }
    this.batchInputShape = shape;
    this.built = true;
    const node: LayerNode = { layer: this, inputs: [], outputs: [] };
    this.symbolic = new SymbolicTensor(shape, this.dtype, node, 0, this.name);
    node.outputs = [this.symbolic];
    this.nodes.push(node);
  }

  override get output(): SymbolicTensor {
    return this.symbolic;
  }

  computeOutputShape(): Shape {
    return this.batchInputShape!;
  }

  call(inputs: Tensor | Tensor[]): Tensor | Tensor[] {
    return inputs;
  }
}

/** `st.input({shape: [28, 28, 1]})`: a symbolic model input. */
export function input(args: InputArgs): SymbolicTensor {
  return new InputLayer(args).output;
}

/** Whether a concrete shape fits a symbolic one (null matches anything). */
function fits(actual: readonly number[], expected: Shape): boolean {
  return actual.length === expected.length && expected.every((d, i) => d === null || d === actual[i]);
}

export interface ModelArgs {
  inputs: SymbolicTensor | SymbolicTensor[];
  outputs: SymbolicTensor | SymbolicTensor[];
  name?: string;
}

export class LayersModel extends Layer {
  readonly className: string = 'Functional';
  inputs: SymbolicTensor[] = [];
  outputs: SymbolicTensor[] = [];
  /** layer calls in an order where every input is ready before it is used */
  protected nodeOrder: LayerNode[] = [];
  /** every layer once, in graph order (input layers included) */
  layers: Layer[] = [];
  /** free-form facts saved with the model (TensorFlow.js' userDefinedMetadata), e.g. class names */
  private userMetadata?: Record<string, unknown>;

  constructor(args?: ModelArgs, defaultName = 'model') {
    super({ name: args?.name }, defaultName);
    // Sequential passes only a name and builds its graph as layers are added
    if (args && (args.inputs !== undefined || args.outputs !== undefined)) this.setGraph(args.inputs, args.outputs);
  }

  /** Facts to save with the model (TensorFlow.js' `setUserDefinedMetadata`); a JSON-able object. */
  setUserDefinedMetadata(metadata: Record<string, unknown> | undefined): void {
    if (metadata !== undefined && (metadata === null || typeof metadata !== 'object' || Array.isArray(metadata))) {
      throw new Error(`model "${this.name}".setUserDefinedMetadata: expected a plain object, got ${JSON.stringify(metadata)}`);
    }
    this.userMetadata = metadata === undefined ? undefined : JSON.parse(JSON.stringify(metadata));
  }

  getUserDefinedMetadata(): Record<string, unknown> | undefined {
    return this.userMetadata;
  }

  protected setGraph(inputs: SymbolicTensor | SymbolicTensor[], outputs: SymbolicTensor | SymbolicTensor[]): void {
    const ins = Array.isArray(inputs) ? inputs : [inputs];
    const outs = Array.isArray(outputs) ? outputs : [outputs];
    for (const s of [...ins, ...outs]) {
      if (!(s instanceof SymbolicTensor)) {
        throw new Error(`model "${this.name}": inputs and outputs must be symbolic tensors (from st.input and layer.apply)`);
      }
    }
    for (const s of ins) {
      if (!(s.sourceLayer instanceof InputLayer)) {
        throw new Error(`model "${this.name}": each input must come from st.input(), got the output of "${s.sourceLayer?.name}"`);
      }
    }
    // depth-first from the outputs; stop at the model's inputs
    const order: LayerNode[] = [];
    const seen = new Set<LayerNode>();
    const inputIds = new Set(ins.map((s) => s.id));
    const visit = (s: SymbolicTensor, path: string[]): void => {
      const node = s.node!;
      if (seen.has(node)) return;
      if (node.layer instanceof InputLayer && !inputIds.has(s.id)) {
        throw new Error(`model "${this.name}": output depends on input "${node.layer.name}", which is not in the ` +
          `model's inputs (path: ${[...path, node.layer.name].reverse().join(' -> ')})`);
      }
      seen.add(node);
      for (const i of node.inputs) visit(i, [...path, node.layer.name]);
      order.push(node);
    };
    for (const o of outs) visit(o, []);
    this.inputs = ins;
    this.outputs = outs;
    this.nodeOrder = order;
    this.layers = [...new Set(order.map((n) => n.layer))];
    this.batchInputShape = ins.length === 1 ? ins[0].shape : undefined;
    this.built = true;
  }

  protected override subLayers(): Layer[] {
    return this.layers;
  }

  /** Keras' `model.getLayer(name)` (or by index in `layers`); an unknown name lists the names there are. */
  getLayer(nameOrIndex: string | number): Layer {
    const found = typeof nameOrIndex === 'number' ? this.layers[nameOrIndex] : this.layers.find((l) => l.name === nameOrIndex);
    if (!found) {
      throw new Error(`model "${this.name}".getLayer: no layer ${JSON.stringify(nameOrIndex)}; ` +
        `it has ${this.layers.length} layers: ${this.layers.map((l) => l.name).join(', ')}`);
    }
    return found;
  }

  /** A model's symbolic outputs (Keras' `model.output`), one tensor or a list. */
  override get output(): SymbolicTensor | SymbolicTensor[] {
    return this.outputs.length === 1 ? this.outputs[0] : this.outputs;
  }

  override get input(): SymbolicTensor | SymbolicTensor[] {
    return this.inputs.length === 1 ? this.inputs[0] : this.inputs;
  }

  override get trainable(): boolean {
    return super.trainable;
  }

  override set trainable(value: boolean) {
    super.trainable = value;
    for (const l of this.layers ?? []) l.trainable = value;
  }

  /** Weights of every layer, each once (a shared layer's weights count once). */
  override get weights() {
    return [...new Set(super.weights)];
  }

  computeOutputShape(_inputShape: Shape | Shape[]): Shape | Shape[] {
    const shapes = this.outputs.map((o) => o.shape);
    return shapes.length === 1 ? shapes[0] : shapes;
  }

  /** Runs the graph on concrete inputs (one per model input), returning one tensor per output. */
  execute(inputs: Tensor | Tensor[], args: CallArgs = {}): Tensor[] {
    const list = Array.isArray(inputs) ? inputs : [inputs];
    if (list.length !== this.inputs.length) {
      throw new Error(`model "${this.name}": expected ${this.inputs.length} input tensor(s), got ${list.length}`);
    }
    const values = new Map<number, Tensor>();
    // masks travel beside the values, keyed the same way (see Layer.computeMask)
    const masks = new Map<number, Tensor>();
    const { mask: inputMask, ...callArgs } = args;
    if (inputMask && this.inputs.length === 1) masks.set(this.inputs[0].id, inputMask);
    this.inputs.forEach((s, i) => {
      const t = list[i];
      if (!(t instanceof Tensor)) throw new Error(`model "${this.name}": input ${i} must be a Tensor`);
      if (!fits(t.shape, s.shape)) {
        throw new Error(`model "${this.name}": input "${s.sourceLayer!.name}" expects shape ${shapeString(s.shape)}, ` +
          `got [${t.shape.join(', ')}]`);
      }
      values.set(s.id, t);
    });
    for (const node of this.nodeOrder) {
      if (node.layer instanceof InputLayer) continue;
      const ins = node.inputs.map((s) => values.get(s.id)!);
      const arg = isListLayer(node.layer) || ins.length > 1 ? ins : ins[0];
      // only single-input layers carry a mask on (merging masks is not supported yet)
      const mask = ins.length === 1 ? masks.get(node.inputs[0].id) : undefined;
      const layerArgs = mask && node.layer.supportsMasking ? { ...callArgs, mask } : callArgs;
      const out = (node.layer.apply as (x: Tensor | Tensor[], a: CallArgs) => Tensor | Tensor[])(arg, layerArgs);
      const outs = Array.isArray(out) ? out : [out];
      node.outputs.forEach((s, i) => values.set(s.id, outs[i]));
      if (ins.length === 1) {
        const outMask = node.layer.computeMask(arg, mask);
        if (outMask) masks.set(node.outputs[0].id, outMask);
      }
    }
    return this.outputs.map((s) => values.get(s.id)!);
  }

  call(inputs: Tensor | Tensor[], args: CallArgs): Tensor | Tensor[] {
    const outs = this.execute(inputs, args);
    return outs.length === 1 ? outs[0] : outs;
  }

  /** Keras' table: Layer (type) | Output Shape | Param #, then the totals. */
  summary(lineLength?: number, _positions?: number[], printFn: (line: string) => void = console.log): void {
    for (const line of formatSummary(this, lineLength)) printFn(line);
  }

  /** The graph's nodes, for summaries and model files. */
  get graphNodes(): readonly LayerNode[] {
    return this.nodeOrder;
  }
}

/** Layers whose call takes a list even of one (merge layers declare it). */
function isListLayer(layer: Layer): boolean {
  return (layer as Layer & { takesList?: boolean }).takesList === true;
}

export interface SequentialArgs {
  layers?: Layer[];
  name?: string;
}

/** A plain stack of layers, each feeding the next. */
export class Sequential extends LayersModel {
  override readonly className = 'Sequential';
  private readonly stack: Layer[] = [];

  constructor(args: SequentialArgs = {}) {
    super({ name: args.name } as ModelArgs, 'sequential');
    for (const layer of args.layers ?? []) this.add(layer);
  }

  /** Appends a layer; with a known input shape its output shape is checked at once. */
  add(layer: Layer): void {
    if (!(layer instanceof Layer)) throw new Error(`sequential "${this.name}".add: expected a layer, got ${typeof layer}`);
    if (layer instanceof InputLayer) {
      if (this.stack.length > 0) throw new Error(`sequential "${this.name}": an input layer must come first`);
      this.batchInputShape = layer.batchInputShape;
      this.rebuild();
      return;
    }
    this.stack.push(layer);
    if (this.stack.length === 1 && layer.batchInputShape && !this.batchInputShape) {
      this.batchInputShape = layer.batchInputShape;
    }
    this.rebuild();
  }

  /** Removes the last layer. */
  pop(): void {
    if (this.stack.length === 0) throw new Error(`sequential "${this.name}".pop: the model has no layers`);
    this.stack.pop();
    this.rebuild();
  }

  get sequentialLayers(): readonly Layer[] {
    return this.stack;
  }

  private rebuild(): void {
    if (!this.batchInputShape || this.stack.length === 0) {
      this.layers = [...this.stack];
      return;
    }
    // forget the calls recorded by the previous rebuild, so each layer's nodes are its live uses
    const stale = new Set(this.nodeOrder);
    for (const layer of this.stack) {
      for (let i = layer.nodes.length - 1; i >= 0; i--) if (stale.has(layer.nodes[i])) layer.nodes.splice(i, 1);
    }
    const inp = input({ batchShape: this.batchInputShape, name: `${this.name}_input` });
    let x: SymbolicTensor = inp;
    for (const layer of this.stack) {
      const y = layer.apply(x);
      if (Array.isArray(y)) throw new Error(`sequential "${this.name}": layer "${layer.name}" has several outputs`);
      x = y;
    }
    this.setGraph(inp, x);
    this.layers = [...this.stack];
  }

  /** The first call with data fixes the input shape when no layer stated one. */
  override execute(inputs: Tensor | Tensor[], args: CallArgs = {}): Tensor[] {
    if (!this.batchInputShape) {
      const first = Array.isArray(inputs) ? inputs[0] : inputs;
      if (!(first instanceof Tensor)) throw new Error(`sequential "${this.name}": expected a Tensor input`);
      if (this.stack.length === 0) throw new Error(`sequential "${this.name}": the model has no layers`);
      this.batchInputShape = [null, ...first.shape.slice(1)];
      this.rebuild();
    }
    return super.execute(inputs, args);
  }

  override summary(lineLength?: number, positions?: number[], printFn?: (line: string) => void): void {
    if (!this.batchInputShape) {
      throw new Error(`sequential "${this.name}".summary: the model is not built yet; give the first layer an ` +
        `inputShape (e.g. inputShape: [28, 28, 1]) or call it on data first`);
    }
    super.summary(lineLength, positions, printFn);
  }
}

/** `st.sequential({layers: [...]})` */
export function sequential(args: SequentialArgs = {}): Sequential {
  return new Sequential(args);
}

/** `st.model({inputs, outputs})`: a graph model (residual and inception-style branches, shared layers). */
export function model(args: ModelArgs): LayersModel {
  if (!args || !args.inputs || !args.outputs) throw new Error('model: expected { inputs, outputs }');
  return new LayersModel(args);
}
