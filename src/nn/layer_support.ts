/**
 * What surrounds `Layer` (layer.ts): the symbolic tensors and nodes of a model graph, the
 * argument and weight types of layers, Keras' layer names (uniqueLayerName, snakeCase) and the
 * shape helpers that layers use (shapeString, isShapeList, singleShape). layer.ts re-exports
 * all of the public ones.
 */
import type { DType } from '../backend/types.js';
import type { Tensor, Variable } from '../tensor/tensor.js';
import type { Layer } from './layer.js';

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
  /** initial weight values, set when the layer is built (TensorFlow.js' `weights`) */
  weights?: Tensor[];
  /** TensorFlow.js' legacy spelling of the input dtype (kept as `dtype` when that is not given) */
  inputDType?: DType;
}

export interface CallArgs {
  /** true while fitting: dropout drops, batch norm uses batch statistics */
  training?: boolean;
  /**
   * [batch, timesteps], true for real steps: the mask a model passes along from a layer that
   * makes one (embedding with maskZero) to the layers that support masking (RNNs skip masked steps)
   */
  mask?: Tensor;
  /** anything else a layer's call understands (TensorFlow.js' Kwargs) */
  [key: string]: unknown;
}

/** A function giving a scalar loss to add to the training loss (TensorFlow.js' RegularizerFn). */
export type LossFn = () => Tensor;

/** Run on a layer's inputs just before each call (TensorFlow.js' setCallHook). */
export type CallHook = (inputs: Tensor | Tensor[], kwargs: CallArgs) => void;

/** What `dispose()` did: the layer's uses left, and how many weights were freed. */
export interface DisposeResult {
  refCountAfterDispose: number | null;
  numDisposedVariables: number;
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

/** Records a name given explicitly, so that uniqueLayerName never generates it. */
export function reserveLayerName(name: string): void {
  takenNames.add(name);
}

/**
 * Keras' unique names: conv2d, conv2d_1, conv2d_2, ..., skipping names already given to a layer.
 *
 * @example
 * ```ts
 * console.log(st.uniqueLayerName('dense')); // 'dense_1', then 'dense_2', ...
 * ```
 */
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
 *
 * @example
 * ```ts
 * console.log(st.snakeCase('BatchNormalization')); // 'batch_normalization'
 * ```
 */
export function snakeCase(className: string): string {
  return className
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .replace(/(\d)([A-Z][a-z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
}

/**
 * @example
 * ```ts
 * console.log(st.shapeString([null, 28, 28, 1])); // '[null,28,28,1]'
 * ```
 */
export function shapeString(shape: Shape): string {
  return `[${shape.map((d) => (d === null ? 'None' : d)).join(', ')}]`;
}

/**
 * True for a list of shapes (as opposed to one shape).
 *
 * @example
 * ```ts
 * console.log(st.isShapeList([[2, 3], [4]])); // true
 * ```
 */
export function isShapeList(s: Shape | Shape[]): s is Shape[] {
  return s.length > 0 && Array.isArray(s[0]);
}

/** A concrete shape with the batch dimension made unknown, for build(). */
export function batchless(s: Shape | Shape[]): Shape | Shape[] {
  return isShapeList(s) ? s.map((x) => [null, ...x.slice(1)]) : [null, ...s.slice(1)];
}

/**
 * Checks the rank of a layer's input and returns it as one shape.
 *
 * @example
 * ```ts
 * console.log(st.singleShape({ className: 'Dense', name: 'dense_1' }, [null, 4], 2)); // [null, 4]
 * ```
 */
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
