/**
 * `Layer`: Keras' unit of a network. It owns weights (made lazily by `build(inputShape)` on
 * first use), maps inputs to outputs in `call`, and states its output shape in
 * `computeOutputShape`, so that shapes are inferred and checked when a model is built.
 * `apply` takes concrete tensors (runs the layer) or symbolic ones (records a graph node).
 * The graph and argument types, layer naming and shape helpers around it are in layer_support.ts
 * (re-exported from here).
 */
import type { DType } from '../backend/types.js';
import { Tensor, Variable } from '../tensor/tensor.js';
import { noGrad } from '../autograd/tape.js';
import { Serializable } from '../tensor/serializable.js';
import { getInitializer, type InitializerIdentifier } from './initializers.js';
import { getRegularizer, type RegularizerIdentifier } from './regularizers.js';
import { getConstraint, type ConstraintIdentifier } from './constraints.js';
import { LayerVariable, checkInputSpec, type InputSpec } from './layer_variable.js';
import {
  batchless, reserveLayerName, uniqueLayerName, snakeCase, isShapeList, SymbolicTensor,
  type Shape, type LayerNode, type LayerArgs, type CallArgs, type LossFn, type CallHook, type DisposeResult,
  type LayerWeight, type WeightInitializer,
} from './layer_support.js';

export { LayerVariable, InputSpec, type InputSpecArgs } from './layer_variable.js';
// the types and helpers around Layer, split into layer_support.ts; exported from here as before
export {
  uniqueLayerName, snakeCase, shapeString, isShapeList, singleShape, SymbolicTensor,
  type Shape, type LayerNode, type LayerArgs, type CallArgs, type LossFn, type CallHook, type DisposeResult,
  type LayerWeight, type WeightInitializer,
} from './layer_support.js';

const DTYPE_NAMES: readonly string[] = ['float32', 'float64', 'int32', 'bool'];

export abstract class Layer extends Serializable {
  /** Keras' class name, as in model files and summaries ('Conv2D') */
  abstract readonly className: string;
  readonly name: string;
  private builtFlag = false;

  /** Whether build() has made the weights (TensorFlow.js' `built`). */
  get built(): boolean {
    return this.builtFlag;
  }

  set built(value: boolean) {
    this.builtFlag = value;
  }
  batchInputShape?: Shape;
  readonly dtype: DType;
  /** what `apply` accepts, one spec per input (TensorFlow.js' inputSpec); null accepts anything */
  inputSpec: InputSpec[] | null = null;
  /** values for the weights, set when the layer is built (TensorFlow.js' initialWeights) */
  initialWeights?: Tensor[];
  private trainableFlag: boolean;
  private readonly ownWeights: LayerWeight[] = [];
  private readonly addedWeightNames = new Set<string>();
  private readonly addedLosses: LossFn[] = [];
  /** the graph nodes this layer was applied in (more than one when shared) */
  readonly nodes: LayerNode[] = [];
  private readonly consumers: LayerNode[] = [];
  private callHook: CallHook | null = null;
  private fastWeightInit = false;
  /**
   * TensorFlow.js' reference count: null until first used, then one per model (graph call) and
   * one for direct use; `dispose()` frees the weights when it falls to 0.
   */
  protected refCount: number | null = null;
  /** set when dispose() has freed the weights */
  protected disposed = false;

  constructor(args: LayerArgs = {}, defaultName?: string) {
    super();
    this.name = args.name ?? uniqueLayerName(defaultName ?? snakeCase(new.target.name));
    if (args.name !== undefined) reserveLayerName(args.name);
    this.trainableFlag = args.trainable ?? true;
    this.dtype = args.dtype ?? args.inputDType ?? 'float32';
    if (args.batchInputShape) this.batchInputShape = [...args.batchInputShape];
    else if (args.inputShape) this.batchInputShape = [args.batchSize ?? null, ...args.inputShape];
    if (args.weights) this.initialWeights = args.weights;
  }

  /** The name written into model files (TensorFlow.js' getClassName). */
  override getClassName(): string {
    return this.className;
  }

  /** Creates the weights for `inputShape` (batch included, as null). Called once, before the first call. */
  build(_inputShape: Shape | Shape[]): void {}

  /** The output shape for `inputShape`; throws, naming the layer, when the input does not fit. */
  abstract computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[];

  /** The computation, on concrete tensors. */
  abstract call(inputs: Tensor | Tensor[], args: CallArgs): Tensor | Tensor[];

  /**
   * Keras' masking: whether the layer takes a `mask` call argument and passes the mask on.
   * A model hands the mask only to layers that support it; any other layer ends the mask.
   */
  get supportsMasking(): boolean {
    return false;
  }

  /**
   * The mask of this layer's (first) output, given its input's mask: passed on unchanged by
   * layers that support masking, dropped by the rest; embedding({maskZero}) makes one.
   */
  computeMask(_inputs: Tensor | Tensor[], mask?: Tensor): Tensor | undefined {
    return this.supportsMasking ? mask : undefined;
  }

  /** Options, for summaries and model files. */
  getConfig(): Record<string, unknown> {
    return { name: this.name, trainable: this.trainable, dtype: this.dtype };
  }

  /** A frozen layer's weights do not move in training and count as non-trainable. */
  get trainable(): boolean {
    return this.trainableFlag;
  }

  set trainable(value: boolean) {
    this.trainableFlag = value;
    for (const w of this.ownWeights) {
      w.variable.trainable = value && w.trainableWhenLayerIs;
      w.variable.requiresGrad = w.variable.trainable;
    }
  }

  /** What this layer's weight names start with: its name (an RNN's cell uses its RNN's, as TensorFlow.js names them). */
  protected get weightScope(): string {
    return this.name;
  }

  /**
   * Makes a weight `${layer}/${name}`, initialised now. Two signatures: striate's
   * `addWeight(name, shape, initializer, {regularizer, constraint, trainable, dtype})` and
   * TensorFlow.js' positional `addWeight(name, shape, dtype, initializer, regularizer, trainable,
   * constraint)`. Initializers, regularizers and constraints may be objects or names.
   */
  addWeight(name: string, shape: Shape, initializer: WeightInitializer | string,
    options?: { regularizer?: LayerWeight['regularizer'] | string; constraint?: LayerWeight['constraint'] | string; trainable?: boolean; dtype?: DType }): LayerVariable;
  addWeight(name: string, shape: Shape, dtype?: DType | null, initializer?: WeightInitializer | string | null,
    regularizer?: LayerWeight['regularizer'] | string | null, trainable?: boolean | null,
    constraint?: LayerWeight['constraint'] | string | null, getInitializerFunction?: boolean): LayerVariable;
  addWeight(name: string, shape: Shape, ...rest: unknown[]): LayerVariable {
    const where = `${this.className} "${this.name}".addWeight`;
    // striate's form has an initializer third (an object or a name that is not a dtype)
    const third = rest[0];
    const striateForm = rest.length <= 2 && third !== null && third !== undefined &&
      (typeof third === 'object' || (typeof third === 'string' && !DTYPE_NAMES.includes(third)));
    const [initArg, regArg, trainableArg, constraintArg, dtypeArg] = striateForm
      ? [rest[0], (rest[1] as { regularizer?: unknown })?.regularizer, (rest[1] as { trainable?: boolean })?.trainable,
        (rest[1] as { constraint?: unknown })?.constraint, (rest[1] as { dtype?: DType })?.dtype]
      : [rest[1], rest[2], rest[3], rest[4], rest[0]];
    if (typeof name !== 'string' || name === '') throw new Error(`${where}: expected a weight name, got ${JSON.stringify(name)}`);
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && (d as number) >= 0)) {
      throw new Error(`${where}: weight "${name}" needs a shape of non-negative integers, got ${JSON.stringify(shape)}`);
    }
    if (this.addedWeightNames.has(name)) throw new Error(`${where}: duplicate weight name "${name}"`);
    const dtype = (dtypeArg ?? this.dtype) as DType;
    const initializer = this.fastWeightInit ? getInitializer('zeros')
      : initArg === undefined || initArg === null
        ? getInitializer(dtype === 'int32' || dtype === 'bool' ? 'zeros' : 'glorotUniform')
        : getInitializer(initArg as InitializerIdentifier, `${where} "${name}" initializer`);
    const regularizer = getRegularizer(regArg as RegularizerIdentifier | null | undefined, `${where} "${name}" regularizer`);
    const constraint = getConstraint(constraintArg as ConstraintIdentifier | null | undefined, `${where} "${name}" constraint`);
    const trainableWhenLayerIs = (trainableArg ?? true) as boolean;
    const initial = noGrad(() => initializer.apply(shape as number[], dtype));
    const v = new LayerVariable(initial, dtype, `${this.weightScope}/${name}`, this.trainable && trainableWhenLayerIs, constraint ?? null);
    initial.dispose();
    this.addedWeightNames.add(name);
    this.ownWeights.push({ variable: v, regularizer, constraint, trainableWhenLayerIs });
    return v;
  }

  /** When true, weights made from now on start as zeros (they are about to be loaded). */
  setFastWeightInitDuringBuild(value: boolean): void {
    this.fastWeightInit = value;
  }

  /**
   * Keras' `layer.output`: the symbolic output of the layer's one call in a graph (e.g. inside a
   * built Sequential), to build a new model from, `st.model({inputs: m.inputs, outputs: l.output})`.
   */
  get output(): SymbolicTensor | SymbolicTensor[] {
    const outs = this.onlyNode('output').outputs;
    return outs.length === 1 ? outs[0] : outs;
  }

  /** Keras' `layer.input`: the symbolic input(s) of the layer's one call in a graph. */
  get input(): SymbolicTensor | SymbolicTensor[] {
    const ins = this.onlyNode('input').inputs;
    return ins.length === 1 ? ins[0] : ins;
  }

  private onlyNode(what: string): LayerNode {
    // a shared layer has one output per call, so "its" output would be a guess
    if (this.nodes.length !== 1) {
      throw this.error(`.${what} is defined for a layer called exactly once in a graph; it has been called ` +
        `${this.nodes.length} time(s) (build the model first, or take the tensor from the model's graph)`);
    }
    return this.nodes[0];
  }

  /** The calls of this layer in graphs (TensorFlow.js' inboundNodes), oldest first. */
  get inboundNodes(): readonly LayerNode[] {
    return this.nodes;
  }

  /** The calls of other layers that take this layer's outputs (TensorFlow.js' outboundNodes). */
  get outboundNodes(): readonly LayerNode[] {
    return this.consumers;
  }

  /** The `nodeIndex`-th call of this layer in a graph; `what` names the attribute asked for, for errors. */
  getNodeAtIndex(nodeIndex: number, what = 'node'): LayerNode {
    if (this.nodes.length === 0) throw this.error(`has never been called in a graph and so has no ${what}`);
    if (!Number.isInteger(nodeIndex) || nodeIndex < 0 || nodeIndex >= this.nodes.length) {
      throw this.error(`asked for the ${what} at node ${nodeIndex}, but the layer has ${this.nodes.length} node(s)`);
    }
    return this.nodes[nodeIndex];
  }

  /** The symbolic input(s) of the `nodeIndex`-th call. */
  getInputAt(nodeIndex: number): SymbolicTensor | SymbolicTensor[] {
    const ins = this.getNodeAtIndex(nodeIndex, 'input').inputs;
    return ins.length === 1 ? ins[0] : ins;
  }

  /** The symbolic output(s) of the `nodeIndex`-th call. */
  getOutputAt(nodeIndex: number): SymbolicTensor | SymbolicTensor[] {
    const outs = this.getNodeAtIndex(nodeIndex, 'output').outputs;
    return outs.length === 1 ? outs[0] : outs;
  }

  /**
   * The output shape of this layer's calls in graphs (batch as null); a list for several
   * outputs. Throws when it has never been called, or called with different shapes.
   */
  get outputShape(): Shape | Shape[] {
    return this.shapeOfNodes('output', (n) => n.outputs.map((s) => s.shape));
  }

  /** The input shape of this layer's calls in graphs, or the shape it was given (inputShape). */
  get inputShape(): Shape | Shape[] {
    if (this.nodes.length === 0 && this.batchInputShape) return [...this.batchInputShape];
    return this.shapeOfNodes('input', (n) => n.inputs.map((s) => s.shape));
  }

  private shapeOfNodes(what: string, shapesOf: (n: LayerNode) => Shape[]): Shape | Shape[] {
    if (this.nodes.length === 0) {
      throw this.error(`has never been called, so it has no ${what} shape yet (add it to a model with a known ` +
        'input shape, or apply it to st.input(...))');
    }
    const distinct = new Set(this.nodes.map((n) => JSON.stringify(shapesOf(n))));
    if (distinct.size > 1) {
      throw this.error(`is called ${this.nodes.length} times with different ${what} shapes (${[...distinct].join(', ')}); ` +
        `use getNodeAtIndex(i) to pick one call`);
    }
    const shapes = shapesOf(this.nodes[0]).map((s) => [...s]);
    return shapes.length === 1 ? shapes[0] : shapes;
  }

  /** Every weight of this layer (sub-layers included, for wrappers and models). */
  get weightEntries(): LayerWeight[] {
    return [...this.ownWeights, ...this.subLayers().flatMap((l) => l.weightEntries)];
  }

  /** Layers inside this one (wrappers such as bidirectional, and models) */
  protected subLayers(): Layer[] {
    return [];
  }

  get weights(): Variable[] {
    return this.weightEntries.map((w) => w.variable);
  }

  get trainableWeights(): Variable[] {
    return this.weights.filter((v) => v.trainable);
  }

  get nonTrainableWeights(): Variable[] {
    return this.weights.filter((v) => !v.trainable);
  }

  /** Number of weight values (0 for a layer not built yet, whose weights do not exist yet). */
  countParams(): number {
    return this.weights.reduce((n, v) => n + v.size, 0);
  }

  /**
   * The weight variables themselves, in the order the layer made them (trainable ones only if
   * asked), as TensorFlow.js hands them out: programs pass them to variableGrads as a varList.
   * Clone them to keep a snapshot; setWeights copies values in.
   */
  getWeights(trainableOnly = false): Tensor[] {
    return [...(trainableOnly ? this.trainableWeights : this.weights)];
  }

  setWeights(values: Tensor[]): void {
    const vars = this.weights;
    if (!Array.isArray(values) || values.length !== vars.length) {
      throw new Error(`${this.className} "${this.name}".setWeights: expected ${vars.length} tensors, got ${values?.length}`);
    }
    vars.forEach((v, i) => {
      const t = values[i];
      if (t.shape.join() !== v.shape.join()) {
        throw new Error(`${this.className} "${this.name}".setWeights: weight ${i} (${v.name}) has shape ` +
          `[${v.shape}], got [${t.shape}]`);
      }
      v.assign(t.dtype === v.dtype ? t : t.cast(v.dtype));
    });
  }

  /**
   * Extra terms of the training loss: the weights' regularisation penalties and the functions
   * given to `addLoss`, of this layer and the layers inside it (TensorFlow.js' losses).
   */
  get losses(): LossFn[] {
    const own: LossFn[] = this.ownWeights.filter((w) => w.regularizer).map((w) => () => w.regularizer!.apply(w.variable));
    return [...own, ...this.addedLosses, ...this.subLayers().flatMap((l) => l.addedLossesDeep())];
  }

  private addedLossesDeep(): LossFn[] {
    return [...this.addedLosses, ...this.subLayers().flatMap((l) => l.addedLossesDeep())];
  }

  /** Adds a loss term: a function giving a scalar, evaluated at each training step. */
  addLoss(losses: LossFn | LossFn[]): void {
    const list = Array.isArray(losses) ? losses : losses === undefined || losses === null ? [] : [losses];
    list.forEach((f, i) => {
      if (typeof f !== 'function') {
        throw this.error(`addLoss: expected functions returning a scalar loss, got ${typeof f}${list.length > 1 ? ` at ${i}` : ''}`);
      }
    });
    this.addedLosses.push(...list);
  }

  /** The loss terms' current values (TensorFlow.js' calculateLosses). */
  calculateLosses(): Tensor[] {
    return this.losses.map((f) => f());
  }

  /** L1/L2 penalties of this layer's weights, and added losses, to add to the loss. */
  regularizationLosses(): Tensor[] {
    const penalties = this.weightEntries.filter((w) => w.regularizer).map((w) => w.regularizer!.apply(w.variable));
    return [...penalties, ...this.addedLossesDeep().map((f, i) => this.checkedLoss(f, i))];
  }

  private checkedLoss(f: LossFn, i: number): Tensor {
    const value = f();
    if (!(value instanceof Tensor) || value.size !== 1) {
      throw this.error(`addLoss: loss function ${i} must return a scalar Tensor, got ` +
        `${value instanceof Tensor ? `shape [${value.shape}]` : typeof value}`);
    }
    return value.rank === 0 ? value : value.reshape([]);
  }

  /** State updates (TensorFlow.js keeps this list for Keras' sake; striate layers update in place). */
  get updates(): Tensor[] {
    return [];
  }

  /** Whether the layer carries state from one batch to the next (stateful RNNs). */
  get stateful(): boolean {
    return false;
  }

  /** Clears the carried state of a stateful layer. */
  resetStates(): void {
    if (!this.stateful) throw this.error('resetStates: the layer is not stateful');
  }

  /** Applies weight constraints after an optimizer step. */
  applyConstraints(): void {
    noGrad(() => {
      for (const w of this.weightEntries) if (w.constraint) w.variable.assign(w.constraint.apply(w.variable));
    });
  }

  /** Frees the weights; returns how many. */
  disposeWeights(): number {
    const ws = this.weights;
    for (const w of ws) if (!w.isDisposed) w.dispose();
    return ws.length;
  }

  /** Throws if `dispose()` has freed this layer. */
  assertNotDisposed(): void {
    if (this.disposed) throw this.error('the layer is disposed');
  }

  /**
   * TensorFlow.js' dispose: one use fewer; the weights are freed when no model (and no direct
   * use) holds the layer any more.
   */
  dispose(): DisposeResult {
    if (!this.built) throw this.error('dispose: the layer is not built yet');
    if (this.refCount === null) throw this.error('dispose: the layer has not been used yet');
    this.assertNotDisposed();
    let numDisposedVariables = 0;
    if (--this.refCount === 0) {
      numDisposedVariables = this.disposeWeights();
      this.disposed = true;
    }
    return { refCountAfterDispose: this.refCount, numDisposedVariables };
  }

  /** Runs `hook(inputs, kwargs)` before each call on tensors (for inspection). */
  setCallHook(hook: CallHook): void {
    if (typeof hook !== 'function') throw this.error(`setCallHook: expected a function, got ${typeof hook}`);
    this.callHook = hook;
  }

  clearCallHook(): void {
    this.callHook = null;
  }

  /** Runs the call hook, if one is set. */
  invokeCallHook(inputs: Tensor | Tensor[], kwargs: CallArgs): void {
    if (this.callHook) this.callHook(inputs, kwargs);
  }

  /** Checks inputs against `inputSpec` (rank, dtype, axis sizes). */
  assertInputCompatibility(inputs: Tensor | Tensor[] | SymbolicTensor | SymbolicTensor[]): void {
    checkInputSpec(`${this.className} "${this.name}"`, this.inputSpec, Array.isArray(inputs) ? inputs : [inputs]);
  }

  /** An error that names this layer. */
  protected error(message: string): Error {
    return new Error(`${this.className} "${this.name}": ${message}`);
  }

  /** Builds on first use, with the shape checked. */
  ensureBuilt(inputShape: Shape | Shape[]): void {
    if (this.built) return;
    this.computeOutputShape(inputShape); // validates
    this.build(inputShape);
    this.built = true;
    if (this.initialWeights) {
      this.setWeights(this.initialWeights);
      this.initialWeights = undefined;
    }
  }

  /**
   * On tensors: runs the layer. On symbolic tensors: checks shapes, builds, and records a node of
   * the graph, returning symbolic outputs.
   */
  apply(inputs: SymbolicTensor, args?: CallArgs): SymbolicTensor;
  apply(inputs: SymbolicTensor[], args?: CallArgs): SymbolicTensor | SymbolicTensor[];
  apply(inputs: Tensor, args?: CallArgs): Tensor;
  apply(inputs: Tensor[], args?: CallArgs): Tensor | Tensor[];
  apply(inputs: Tensor | Tensor[] | SymbolicTensor | SymbolicTensor[], args: CallArgs = {}): unknown {
    this.assertNotDisposed();
    const list = Array.isArray(inputs) ? inputs : [inputs];
    if (list.length === 0) throw this.error('apply: got no inputs');
    if (args === null || typeof args !== 'object') throw this.error(`apply: kwargs must be an object, got ${typeof args}`);
    if (list.every((x) => x instanceof SymbolicTensor)) {
      this.assertInputCompatibility(list as SymbolicTensor[]);
      return this.applySymbolic(list as SymbolicTensor[], Array.isArray(inputs));
    }
    if (!list.every((x) => x instanceof Tensor)) {
      throw this.error('apply: inputs must be all Tensors or all SymbolicTensors (from st.input)');
    }
    const tensors = list as Tensor[];
    const shapes = tensors.map((t) => [...t.shape] as Shape);
    const inShape = Array.isArray(inputs) ? shapes : shapes[0];
    if (!this.built) this.ensureBuilt(batchless(inShape));
    else this.computeOutputShape(inShape);
    if (this.refCount === null) this.refCount = 1;
    this.assertInputCompatibility(tensors);
    const callInputs = Array.isArray(inputs) ? tensors : tensors[0];
    this.invokeCallHook(callInputs, args);
    return this.call(callInputs, args);
  }

  private applySymbolic(inputs: SymbolicTensor[], asList: boolean): SymbolicTensor | SymbolicTensor[] {
    const inShape = asList ? inputs.map((s) => s.shape) : inputs[0].shape;
    this.ensureBuilt(inShape);
    const out = this.computeOutputShape(inShape);
    const node: LayerNode = { layer: this, inputs, outputs: [] };
    const outShapes = isShapeList(out) ? out : [out as Shape];
    node.outputs = outShapes.map((s, i) => new SymbolicTensor(s, this.dtype, node, i,
      // TensorFlow.js' names, which model.execute(inputs, outputNames) looks up
      outShapes.length > 1 ? `${this.name}/${this.name}_${i}` : `${this.name}/${this.name}`));
    this.nodes.push(node);
    for (const source of new Set(inputs.map((s) => s.sourceLayer))) source?.consumers.push(node);
    this.refCount = (this.refCount ?? 0) + 1;
    return isShapeList(out) ? node.outputs : node.outputs[0];
  }

  /** Drops graph calls that no longer exist (a Sequential rebuilding its graph). */
  forgetNodes(stale: ReadonlySet<LayerNode>): void {
    for (let i = this.nodes.length - 1; i >= 0; i--) {
      if (!stale.has(this.nodes[i])) continue;
      this.nodes.splice(i, 1);
      if (this.refCount !== null && this.refCount > 0) this.refCount--;
    }
    for (let i = this.consumers.length - 1; i >= 0; i--) if (stale.has(this.consumers[i])) this.consumers.splice(i, 1);
  }
}