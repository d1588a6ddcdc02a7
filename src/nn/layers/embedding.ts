/** Embedding: integer ids -> rows of a learned [inputDim, outputDim] table. */
import { Tensor, Variable } from '../../tensor/tensor.js';
import * as ops from '../../ops/index.js';
import { Layer, LayerArgs, Shape, shapeString, singleShape } from '../layer.js';
import { getInitializer, type InitializerIdentifier } from '../initializers.js';
import { getRegularizer, type RegularizerIdentifier } from '../regularizers.js';
import { getConstraint, type ConstraintIdentifier } from '../constraints.js';

export interface EmbeddingArgs extends LayerArgs {
  /** vocabulary size: ids run 0 .. inputDim - 1 */
  inputDim: number;
  /** length of each embedding vector */
  outputDim: number;
  /** default 'randomUniform' (Keras: uniform in [-0.05, 0.05]) */
  embeddingsInitializer?: InitializerIdentifier;
  embeddingsRegularizer?: RegularizerIdentifier;
  embeddingsConstraint?: ConstraintIdentifier;
  /** id 0 is padding: the layer makes a mask (id != 0) that models pass to the next layers, so RNNs skip padded steps */
  maskZero?: boolean;
  /** length of the id sequences, when fixed (TensorFlow.js) */
  inputLength?: number | number[];
}

/** [batch, ...] integer ids -> [batch, ..., outputDim]; ids out of [0, inputDim) are errors. */
export class Embedding extends Layer {
  get className(): string {
    return 'Embedding';
  }
  readonly inputDim: number;
  readonly outputDim: number;
  readonly maskZero: boolean;
  readonly inputLength?: number[];
  embeddings?: Variable;

  constructor(private readonly args: EmbeddingArgs) {
    super(args);
    for (const key of ['inputDim', 'outputDim'] as const) {
      const v = args?.[key];
      if (!Number.isInteger(v) || (v as number) <= 0) throw this.error(`${key} must be a positive integer, got ${JSON.stringify(v)}`);
    }
    this.inputDim = args.inputDim;
    this.outputDim = args.outputDim;
    this.maskZero = args.maskZero ?? false;
    if (args.inputLength !== undefined) {
      this.inputLength = Array.isArray(args.inputLength) ? [...args.inputLength] : [args.inputLength];
      if (!this.batchInputShape) this.batchInputShape = [args.batchSize ?? null, ...this.inputLength];
    }
  }

  computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const s = singleShape(this, inputShape);
    if (s.length < 1) throw this.error(`expected input of rank >= 1 [batch, ...ids], got ${shapeString(s)}`);
    if (this.inputLength) {
      const rest = s.slice(1);
      const ok = rest.length === this.inputLength.length && rest.every((d, i) => d === null || d === this.inputLength![i]);
      if (!ok) throw this.error(`inputLength ${JSON.stringify(this.inputLength)} does not match input ${shapeString(s)}`);
    }
    return [...s, this.outputDim];
  }

  override build(): void {
    this.embeddings = this.addWeight('embeddings', [this.inputDim, this.outputDim],
      getInitializer(this.args.embeddingsInitializer ?? 'randomUniform'),
      { regularizer: getRegularizer(this.args.embeddingsRegularizer), constraint: getConstraint(this.args.embeddingsConstraint) });
  }

  call(inputs: Tensor | Tensor[]): Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    const ids = x.dtype === 'int32' ? x : ops.cast(x, 'int32');
    const values = ids.dataSync();
    for (let i = 0; i < values.length; i++) {
      const v = Number(values[i]);
      if (v < 0 || v >= this.inputDim) {
        throw this.error(`id ${v} (at flat position ${i} of input [${x.shape.join(', ')}]) is out of range [0, ${this.inputDim}); ` +
          `inputDim is the vocabulary size`);
      }
    }
    return ops.gather(this.embeddings!, ids, 0);
  }

  /** [batch, steps] true where the id is not 0, with maskZero; no mask without. */
  override computeMask(inputs: Tensor | Tensor[]): Tensor | undefined {
    if (!this.maskZero) return undefined;
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    return ops.notEqual(x, 0);
  }

  override getConfig(): Record<string, unknown> {
    const a = this.args;
    return {
      ...super.getConfig(), inputDim: this.inputDim, outputDim: this.outputDim,
      embeddingsInitializer: a.embeddingsInitializer ?? 'randomUniform', embeddingsRegularizer: a.embeddingsRegularizer ?? null,
      embeddingsConstraint: a.embeddingsConstraint ?? null, maskZero: this.maskZero, inputLength: this.inputLength ?? null,
    };
  }
}
