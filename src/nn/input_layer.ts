/**
 * The input layer behind `st.input`: the source of a model graph's data, with the shape of one
 * sample (or of a batch) and no weights.
 */
import type { DType } from '../backend/types.js';
import { Tensor } from '../tensor/tensor.js';
import { DisposeResult, Layer, LayerArgs, LayerNode, Shape, SymbolicTensor } from './layer.js';
import { checkOptions } from '../tensor/options.js';

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

  /** An input layer owns no weights; disposing it frees nothing (as in TensorFlow.js). */
  override dispose(): DisposeResult {
    return { refCountAfterDispose: this.refCount, numDisposedVariables: 0 };
  }
}

/** the keys of `st.input`'s options (TensorFlow.js' InputConfig; sparse must be false) */
export const INPUT_OPTIONS = ['shape', 'batchShape', 'name', 'dtype', 'sparse'] as const;

/**
 * `st.input({shape: [28, 28, 1]})`: a symbolic model input.
 *
 * @example
 * ```ts
 * const x = st.layers.input({ shape: [4] });
 * console.log(x.shape); // [null, 4]
 * ```
 */
export function input(args: InputArgs): SymbolicTensor {
  checkOptions('input', args, INPUT_OPTIONS);
  if ((args as { sparse?: boolean })?.sparse) throw new Error('input: sparse inputs are not supported; leave sparse false');
  return new InputLayer(args).output;
}
