/**
 * Models: a graph of layer calls from symbolic inputs to outputs (`st.model({inputs, outputs})`)
 * and `Sequential`, a chain. A model is itself a layer, so models nest (transfer learning).
 * Training (`compile`, `fit`, ...) is added by src/train.
 */
import { Tensor } from '../tensor/tensor.js';
import { CallArgs, DisposeResult, Layer, LayerNode, Shape, SymbolicTensor, isShapeList, shapeString } from './layer.js';
import { formatSummary } from './summary.js';
import { planFolds, runBatchNormAddRelu, runBatchNormRelu, runFold, type FoldPlan } from './fold_batchnorm.js';
import { checkOptions } from '../tensor/options.js';

// the input layer lives in input_layer.ts; still exported from here for its importers
export { InputLayer, input, INPUT_OPTIONS, type InputArgs } from './input_layer.js';
import { InputLayer, input } from './input_layer.js';

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
    // a model holds itself once; each graph it is called in adds one (TensorFlow.js' counting)
    this.refCount = 1;
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

  /**
   * A layer by name or by index in `layers` (TensorFlow.js' `getLayer(name)`, `getLayer(index)`,
   * and `getLayer(name, index)`, where the index wins); an unknown name lists the names there are.
   */
  getLayer(name: string): Layer;
  getLayer(index: number): Layer;
  getLayer(name: string | undefined, index: number): Layer;
  getLayer(nameOrIndex?: string | number, index?: number): Layer {
    const where = `model "${this.name}".getLayer`;
    const at = index ?? (typeof nameOrIndex === 'number' ? nameOrIndex : undefined);
    if (at !== undefined && at !== null) {
      if (!Number.isInteger(at) || at < 0 || at >= this.layers.length) {
        throw new Error(`${where}: no layer ${at} (by index); the model has ${this.layers.length} layer(s)`);
      }
      return this.layers[at];
    }
    if (typeof nameOrIndex !== 'string') {
      throw new Error(`${where}: give a layer name or an index, got ${nameOrIndex === null ? 'null' : typeof nameOrIndex}`);
    }
    const found = this.layers.find((l) => l.name === nameOrIndex);
    if (!found) {
      throw new Error(`${where}: no layer ${JSON.stringify(nameOrIndex)}; ` +
        `it has ${this.layers.length} layers: ${this.layers.map((l) => l.name).join(', ')}`);
    }
    return found;
  }

  /** The names of the model's input layers, in input order. */
  get inputNames(): string[] {
    return this.inputs.map((s) => s.sourceLayer?.name ?? s.name);
  }

  /** The names of the layers that make the model's outputs, in output order. */
  get outputNames(): string[] {
    return this.outputs.map((s) => s.sourceLayer?.name ?? s.name);
  }

  /** Every weight with its name (TensorFlow.js' getNamedWeights), each once. */
  getNamedWeights(config?: { trainableOnly?: boolean }): { name: string; tensor: Tensor }[] {
    if (config?.trainableOnly) return this.trainableWeights.map((v) => ({ name: v.name, tensor: v }));
    return this.weights.map((v) => ({ name: v.name, tensor: v }));
  }

  /**
   * Sets weights from a map of name to tensor (TensorFlow.js' `loadWeights(weights, strict)`):
   * names as getNamedWeights gives them. Strict (the default): every weight must be given and no
   * name may be left over; otherwise the names found are set and the rest left alone.
   */
  loadWeights(weights: Record<string, Tensor>, strict = true): void {
    if (weights === null || typeof weights !== 'object') {
      throw this.error(`loadWeights: expected an object of name -> tensor, got ${weights === null ? 'null' : typeof weights}`);
    }
    const mine = this.weights;
    const names = new Set(mine.map((v) => v.name));
    if (strict) {
      const missing = mine.filter((v) => !(v.name in weights)).map((v) => v.name);
      const extra = Object.keys(weights).filter((n) => !names.has(n));
      if (missing.length || extra.length) {
        throw this.error(`loadWeights: ${missing.length ? `no value for ${missing.join(', ')}` : ''}` +
          `${missing.length && extra.length ? '; ' : ''}${extra.length ? `no weight called ${extra.join(', ')}` : ''} ` +
          '(pass strict = false to set only the names that match)');
      }
    }
    for (const v of mine) {
      const t = weights[v.name];
      if (t === undefined) continue;
      if (!(t instanceof Tensor)) throw this.error(`loadWeights: "${v.name}" must be a Tensor, got ${typeof t}`);
      if (t.shape.join() !== v.shape.join()) throw this.error(`loadWeights: "${v.name}" has shape [${v.shape}], got [${t.shape}]`);
      v.assign(t.dtype === v.dtype ? t : t.cast(v.dtype));
    }
  }

  /** The model's output shape (batch as null); a list for several outputs. */
  override get outputShape(): Shape | Shape[] {
    if (this.outputs.length === 0) throw this.error('the model is not built yet, so it has no output shape');
    const shapes = this.outputs.map((o) => [...o.shape]);
    return shapes.length === 1 ? shapes[0] : shapes;
  }

  override get inputShape(): Shape | Shape[] {
    if (this.inputs.length === 0) {
      if (this.batchInputShape) return [...this.batchInputShape];
      throw this.error('the model is not built yet, so it has no input shape');
    }
    const shapes = this.inputs.map((o) => [...o.shape]);
    return shapes.length === 1 ? shapes[0] : shapes;
  }

  /**
   * TensorFlow.js' dispose: one use fewer; at 0 every layer is disposed in turn (freeing the
   * weights no other model holds). Returns the count left and the weights freed.
   */
  override dispose(): DisposeResult {
    this.assertNotDisposed();
    let numDisposedVariables = 0;
    if (--this.refCount! === 0) {
      this.disposed = true;
      for (const layer of this.layers) {
        if (layer.built && (layer as unknown as { refCount: number | null }).refCount !== null) {
          numDisposedVariables += layer.dispose().numDisposedVariables;
        }
      }
    }
    return { refCountAfterDispose: this.refCount, numDisposedVariables };
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

  /**
   * Runs the graph on concrete inputs (one per model input). With call options (or none), returns
   * one tensor per model output. TensorFlow.js' form `execute(inputs, outputNames)` returns the
   * named symbolic tensors' values (names as `layer.output.name`, or layer names), one tensor for
   * one name; inputs may then also be a map from input names to tensors.
   */
  execute(inputs: Tensor | Tensor[] | Record<string, Tensor>, outputs: string | string[]): Tensor | Tensor[];
  execute(inputs: Tensor | Tensor[], args?: CallArgs): Tensor[];
  execute(inputs: Tensor | Tensor[] | Record<string, Tensor>, second?: CallArgs | string | string[]): Tensor | Tensor[] {
    if (typeof second === 'string' || Array.isArray(second)) return this.executeNamed(inputs, second);
    return this.executeGraph(inputs as Tensor | Tensor[], second ?? {});
  }

  private executeNamed(inputs: Tensor | Tensor[] | Record<string, Tensor>, outputs: string | string[]): Tensor | Tensor[] {
    const where = `model "${this.name}".execute`;
    const names = Array.isArray(outputs) ? outputs : [outputs];
    if (names.length === 0) throw new Error(`${where}: outputs is an empty list; name at least one tensor`);
    const wanted = names.map((name) => {
      for (const node of this.nodeOrder) {
        const hit = node.outputs.find((s) => s.name === name) ?? (node.layer.name === name ? node.outputs[0] : undefined);
        if (hit) return hit;
      }
      const known = this.nodeOrder.flatMap((n) => n.outputs.map((s) => s.name));
      throw new Error(`${where}: no tensor named ${JSON.stringify(name)} in the graph; its tensors are ${known.join(', ')}`);
    });
    let list: Tensor[];
    if (inputs instanceof Tensor || Array.isArray(inputs)) list = Array.isArray(inputs) ? inputs : [inputs];
    else if (inputs !== null && typeof inputs === 'object') {
      list = this.inputs.map((s) => {
        const byName = (inputs as Record<string, Tensor>)[s.sourceLayer?.name ?? s.name] ?? (inputs as Record<string, Tensor>)[s.name];
        if (!byName) throw new Error(`${where}: no value given for the model's input "${s.sourceLayer?.name ?? s.name}"`);
        return byName;
      });
    } else throw new Error(`${where}: expected a Tensor, a list of Tensors or a map of input names to Tensors, got ${typeof inputs}`);
    const values = this.runGraph(list, {}, new Set(wanted.map((s) => s.id)));
    const out = wanted.map((s) => values.get(s.id)!);
    return Array.isArray(outputs) ? out : out[0];
  }

  private executeGraph(inputs: Tensor | Tensor[], args: CallArgs): Tensor[] {
    const values = this.runGraph(Array.isArray(inputs) ? inputs : [inputs], args);
    return this.outputs.map((s) => values.get(s.id)!);
  }

  /** Runs the nodes in order; stops once every tensor in `until` (when given) is computed. */
  private runGraph(list: Tensor[], args: CallArgs, until?: Set<number>): Map<number, Tensor> {
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
    // (resnet speed area) inference folds Conv2D -> BatchNormalization (-> relu) into one conv
    // and training runs BatchNormalization -> relu as one op (fold_batchnorm.ts)
    const folds = until === undefined ? this.foldPlan() : null;
    const folded = new Set<LayerNode>();
    for (const node of this.nodeOrder) {
      if (node.layer instanceof InputLayer || folded.has(node)) continue;
      // (bn speed area) batch norm -> Add -> relu when the Add's other input is already there
      const addRelu = callArgs.training ? folds?.addReluAfter.get(node) : undefined;
      if (addRelu && values.has(addRelu.other.id) && !masks.has(node.inputs[0].id) && !masks.has(addRelu.other.id)) {
        const y = runBatchNormAddRelu(node, addRelu, values.get(node.inputs[0].id)!, values.get(addRelu.other.id)!, callArgs);
        if (y) {
          values.set(addRelu.relu.outputs[0].id, y);
          folded.add(addRelu.add);
          folded.add(addRelu.relu);
          continue;
        }
      }
      const reluAfter = callArgs.training ? folds?.reluAfter.get(node) : undefined;
      if (reluAfter && !masks.has(node.inputs[0].id)) {
        const y = runBatchNormRelu(node, reluAfter, values.get(node.inputs[0].id)!, callArgs);
        if (y) {
          values.set(reluAfter.outputs[0].id, y);
          folded.add(reluAfter);
          continue;
        }
      }
      const fold = callArgs.training ? undefined : folds?.byConv.get(node);
      if (fold && !masks.has(node.inputs[0].id)) {
        const y = runFold(fold, values.get(node.inputs[0].id)!);
        if (y) {
          values.set((fold.relu ?? fold.bn).outputs[0].id, y);
          folded.add(fold.bn);
          if (fold.relu) folded.add(fold.relu);
          continue;
        }
      }
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
      if (until && [...until].every((id) => values.has(id))) break;
    }
    return values;
  }

  // (resnet speed area) the batch-norm folds of this graph, found once
  private folds?: { order: readonly LayerNode[]; plan: FoldPlan };
  private foldPlan(): FoldPlan {
    // a Sequential's rebuild gives it a new node list: plan again
    if (this.folds?.order !== this.nodeOrder) this.folds = { order: this.nodeOrder, plan: planFolds(this.nodeOrder, this.outputs) };
    return this.folds.plan;
  }

  call(inputs: Tensor | Tensor[], args: CallArgs): Tensor | Tensor[] {
    const outs = this.execute(inputs, args);
    return outs.length === 1 ? outs[0] : outs;
  }

  /**
   * Keras' table: Layer (type) | Output Shape | Param #, then the totals. `positions` are the
   * column ends (fractions of the line or characters); `printFn` gets each line.
   */
  summary(lineLength?: number, positions?: number[], printFn: (line: string) => void = console.log): void {
    if (printFn !== undefined && typeof printFn !== 'function') {
      throw new Error(`model "${this.name}".summary: printFn must be a function, got ${typeof printFn}`);
    }
    for (const line of formatSummary(this, lineLength, positions)) printFn(line);
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
    for (const node of stale) node.layer.forgetNodes(stale);
    const inp = input({ batchShape: this.batchInputShape, name: `${this.name}_input` });
    let x: SymbolicTensor = inp;
    for (const layer of this.stack) {
      const y = layer.apply(x);
      if (Array.isArray(y)) throw new Error(`sequential "${this.name}": layer "${layer.name}" has several outputs`);
      this.checkShape(layer);
      x = y;
    }
    this.setGraph(inp, x);
    this.layers = [...this.stack];
  }

  /** Throws when a layer's output in this model has a size that is not positive. */
  checkShape(layer: Layer): void {
    const node = layer.nodes[layer.nodes.length - 1];
    const shape = node?.outputs[0]?.shape;
    if (shape && shape.some((d) => d !== null && !(d > 0))) {
      throw new Error(`sequential "${this.name}": adding layer "${layer.name}" (${layer.className}) gives output shape ` +
        `${shapeString(shape)}, which has a size that is not positive (the input is too small for it)`);
    }
  }

  /**
   * Builds the graph. With `inputShape` (batch included, e.g. [null, 28, 28, 1]) when no layer
   * stated one; without, from the shape the first layer was given.
   */
  override build(inputShape?: Shape | Shape[]): void {
    if (this.stack.length === 0) {
      throw new Error(`sequential "${this.name}".build: the model has no layers; add some first`);
    }
    if (inputShape !== undefined && !this.batchInputShape) {
      if (isShapeList(inputShape)) {
        if (inputShape.length !== 1) throw new Error(`sequential "${this.name}".build: expected one input shape, got ${inputShape.length}`);
        inputShape = inputShape[0];
      }
      if (!Array.isArray(inputShape) || !inputShape.every((d) => d === null || (Number.isInteger(d) && d > 0))) {
        throw new Error(`sequential "${this.name}".build: expected a shape with the batch first (e.g. [null, 784]), ` +
          `got ${JSON.stringify(inputShape)}`);
      }
      this.batchInputShape = [...inputShape];
      this.rebuild();
    }
    if (!this.batchInputShape) {
      throw new Error(`sequential "${this.name}".build: the input shape is unknown; give it (build([null, 784])) or ` +
        `give the first layer an inputShape`);
    }
  }

  /** The first call with data fixes the input shape when no layer stated one. */
  override execute(inputs: Tensor | Tensor[] | Record<string, Tensor>, outputs: string | string[]): Tensor | Tensor[];
  override execute(inputs: Tensor | Tensor[], args?: CallArgs): Tensor[];
  override execute(inputs: Tensor | Tensor[] | Record<string, Tensor>, args: CallArgs | string | string[] = {}): Tensor | Tensor[] {
    if (!this.batchInputShape && (inputs instanceof Tensor || Array.isArray(inputs))) {
      const first = Array.isArray(inputs) ? inputs[0] : inputs;
      if (!(first instanceof Tensor)) throw new Error(`sequential "${this.name}": expected a Tensor input`);
      if (this.stack.length === 0) throw new Error(`sequential "${this.name}": the model has no layers`);
      this.batchInputShape = [null, ...first.shape.slice(1)];
      this.rebuild();
    }
    return typeof args === 'string' || Array.isArray(args) ? super.execute(inputs, args) : super.execute(inputs as Tensor | Tensor[], args);
  }

  override summary(lineLength?: number, positions?: number[], printFn?: (line: string) => void): void {
    if (!this.batchInputShape) {
      throw new Error(`sequential "${this.name}".summary: the model is not built yet; give the first layer an ` +
        `inputShape (e.g. inputShape: [28, 28, 1]) or call it on data first`);
    }
    super.summary(lineLength, positions, printFn);
  }
}

/**
 * `st.sequential({layers: [...]})`
 *
 * @example
 * ```ts
 * const model = st.sequential({ layers: [
 *   st.layers.dense({ units: 8, activation: 'relu', inputShape: [4] }),
 *   st.layers.dense({ units: 1 }),
 * ] });
 * model.summary();
 * ```
 */
export function sequential(args: SequentialArgs = {}): Sequential {
  checkOptions('sequential', args, ['layers', 'name']);
  return new Sequential(args);
}

/**
 * `st.model({inputs, outputs})`: a graph model (residual and inception-style branches, shared layers).
 *
 * @example
 * ```ts
 * const x = st.input({ shape: [4] });
 * const y = st.layers.dense({ units: 2 }).apply(st.layers.dense({ units: 8, activation: 'relu' }).apply(x)) as st.SymbolicTensor;
 * const m = st.model({ inputs: x, outputs: y });
 * m.predict(st.ones([3, 4])).print();
 * ```
 */
export function model(args: ModelArgs): LayersModel {
  checkOptions('model', args, ['inputs', 'outputs', 'name']);
  if (!args || !args.inputs || !args.outputs) throw new Error('model: expected { inputs, outputs }');
  return new LayersModel(args);
}
