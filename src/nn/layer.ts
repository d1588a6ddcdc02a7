/**
 * `Layer`: Keras' unit of a network. It owns weights (made lazily by `build(inputShape)` on
 * first use), maps inputs to outputs in `call`, and states its output shape in
 * `computeOutputShape`, so that shapes are inferred and checked when a model is built.
 * `apply` takes concrete tensors (runs the layer) or symbolic ones (records a graph node).
 */
import type { DType } from '../backend/types.js';
import { Tensor, Variable } from '../tensor/tensor.js';
import { noGrad } from '../autograd/tape.js';
import { variable } from '../tensor/creation.js';

/** A shape with `null` for the unknown batch size (and any unknown dimension). */
export type Shape = (number | null)[];

let nextSymbolicId = 0;

/** A placeholder in a model graph: the shape (batch as null) and where it comes from. */
export class SymbolicTensor {
  readonly id = nextSymbolicId++;
  constructor(
    readonly shape: Shape,
    readonly dtype: DType,
    /** the layer call that produced it (null for a model input before its InputLayer records it) */
    readonly node: LayerNode | null,
    /** which of the node's outputs it is */
    readonly outputIndex: number,
    readonly name: string,
  ) {}

  get rank(): number {
    return this.shape.length;
  }

  get sourceLayer(): Layer | null {
    return this.node?.layer ?? null;
  }
}

/** One application of a layer in a graph: which symbolic tensors went in and came out. */
export interface LayerNode {
  readonly layer: Layer;
  readonly inputs: SymbolicTensor[];
  outputs: SymbolicTensor[];
}

export interface LayerArgs {
  name?: string;
  /** shape of one sample (no batch), for the first layer of a model */
  inputShape?: number[];
  /** shape with the batch dimension (null for any) */
  batchInputShape?: Shape;
  batchSize?: number;
  trainable?: boolean;
  dtype?: DType;
}

export interface CallArgs {
  /** true while fitting: dropout drops, batch norm uses batch statistics */
  training?: boolean;
  /**
   * [batch, timesteps], true for real steps: the mask a model passes along from a layer that
   * makes one (embedding with maskZero) to the layers that support masking (RNNs skip masked steps)
   */
  mask?: Tensor;
}

/** A weight a layer owns, with what shapes its training. */
export interface LayerWeight {
  readonly variable: Variable;
  readonly regularizer?: { apply(w: Tensor): Tensor };
  readonly constraint?: { apply(w: Tensor): Tensor };
  /** false for statistics such as batch norm's moving mean, whatever `layer.trainable` says */
  readonly trainableWhenLayerIs: boolean;
}

export interface WeightInitializer {
  apply(shape: number[], dtype?: DType): Tensor;
}

const nameCounts = new Map<string, number>();
/** names given explicitly (as a loaded model's layers are), which generated names must not repeat */
const takenNames = new Set<string>();

/** Keras' unique names: conv2d, conv2d_1, conv2d_2, ..., skipping names already given to a layer. */
export function uniqueLayerName(base: string): string {
  for (;;) {
    const n = nameCounts.get(base) ?? 0;
    nameCounts.set(base, n + 1);
    const name = n === 0 ? base : `${base}_${n}`;
    if (!takenNames.has(name)) return name;
  }
}

/**
 * 'Conv2D' -> 'conv2d', 'MaxPooling2D' -> 'max_pooling2d', 'Conv2DTranspose' -> 'conv2d_transpose',
 * 'BatchNormalization' -> 'batch_normalization', 'SimpleRNN' -> 'simple_rnn'.
 */
export function snakeCase(className: string): string {
  return className
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .replace(/(\d)([A-Z][a-z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
}

export function shapeString(shape: Shape): string {
  return `[${shape.map((d) => (d === null ? 'None' : d)).join(', ')}]`;
}

export abstract class Layer {
  /** Keras' class name, as in model files and summaries ('Conv2D') */
  abstract readonly className: string;
  readonly name: string;
  built = false;
  batchInputShape?: Shape;
  readonly dtype: DType;
  private trainableFlag: boolean;
  private readonly ownWeights: LayerWeight[] = [];
  /** the graph nodes this layer was applied in (more than one when shared) */
  readonly nodes: LayerNode[] = [];

  constructor(args: LayerArgs = {}, defaultName?: string) {
    this.name = args.name ?? uniqueLayerName(defaultName ?? snakeCase(new.target.name));
    if (args.name !== undefined) takenNames.add(args.name);
    this.trainableFlag = args.trainable ?? true;
    this.dtype = args.dtype ?? 'float32';
    if (args.batchInputShape) this.batchInputShape = [...args.batchInputShape];
    else if (args.inputShape) this.batchInputShape = [args.batchSize ?? null, ...args.inputShape];
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

  /** Makes a weight: `${weightScope}/${name}`, initialised now. */
  protected addWeight(
    name: string, shape: number[], initializer: WeightInitializer,
    options: { regularizer?: LayerWeight['regularizer']; constraint?: LayerWeight['constraint']; trainable?: boolean; dtype?: DType } = {},
  ): Variable {
    const trainableWhenLayerIs = options.trainable ?? true;
    const initial = noGrad(() => initializer.apply(shape, options.dtype ?? this.dtype));
    const v = variable(initial, this.trainable && trainableWhenLayerIs, `${this.weightScope}/${name}`);
    this.ownWeights.push({ variable: v, regularizer: options.regularizer, constraint: options.constraint, trainableWhenLayerIs });
    return v;
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

  countParams(): number {
    return this.weights.reduce((n, v) => n + v.size, 0);
  }

  /** Copies of the weight values, in the order the layer made them. */
  getWeights(): Tensor[] {
    return this.weights.map((v) => v.clone());
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

  /** L1/L2 penalties of this layer's weights, to add to the loss. */
  regularizationLosses(): Tensor[] {
    return this.weightEntries.filter((w) => w.regularizer).map((w) => w.regularizer!.apply(w.variable));
  }

  /** Applies weight constraints after an optimizer step. */
  applyConstraints(): void {
    noGrad(() => {
      for (const w of this.weightEntries) if (w.constraint) w.variable.assign(w.constraint.apply(w.variable));
    });
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
    const list = Array.isArray(inputs) ? inputs : [inputs];
    if (list.length === 0) throw this.error('apply: got no inputs');
    if (list.every((x) => x instanceof SymbolicTensor)) {
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
    return this.call(Array.isArray(inputs) ? tensors : tensors[0], args);
  }

  private applySymbolic(inputs: SymbolicTensor[], asList: boolean): SymbolicTensor | SymbolicTensor[] {
    const inShape = asList ? inputs.map((s) => s.shape) : inputs[0].shape;
    this.ensureBuilt(inShape);
    const out = this.computeOutputShape(inShape);
    const node: LayerNode = { layer: this, inputs, outputs: [] };
    const outShapes = isShapeList(out) ? out : [out as Shape];
    node.outputs = outShapes.map((s, i) => new SymbolicTensor(s, this.dtype, node, i,
      `${this.name}/out${outShapes.length > 1 ? i : ''}`));
    this.nodes.push(node);
    return isShapeList(out) ? node.outputs : node.outputs[0];
  }
}

/** True for a list of shapes (as opposed to one shape). */
export function isShapeList(s: Shape | Shape[]): s is Shape[] {
  return s.length > 0 && Array.isArray(s[0]);
}

/** A concrete shape with the batch dimension made unknown, for build(). */
function batchless(s: Shape | Shape[]): Shape | Shape[] {
  return isShapeList(s) ? s.map((x) => [null, ...x.slice(1)]) : [null, ...s.slice(1)];
}

/** Checks the rank of a layer's input and returns it as one shape. */
export function singleShape(layer: { className: string; name: string }, s: Shape | Shape[], rank?: number | number[], layout?: string): Shape {
  if (isShapeList(s)) {
    if (s.length !== 1) throw new Error(`${layer.className} "${layer.name}": expected one input, got ${s.length}`);
    s = s[0];
  }
  const ranks = rank === undefined ? undefined : typeof rank === 'number' ? [rank] : rank;
  if (ranks && !ranks.includes(s.length)) {
    throw new Error(`${layer.className} "${layer.name}": expected input ${layout ?? `of rank ${ranks.join(' or ')}`}, ` +
      `got ${shapeString(s)}`);
  }
  return s;
}
