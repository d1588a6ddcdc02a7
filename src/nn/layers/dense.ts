/** Dense: y = activation(x W + b), W [in, out], applied to the last axis. */
import { Tensor } from '../../tensor/tensor.js';
import { add, fused, matMul } from '../../ops/index.js';
import { Layer, LayerArgs, Shape, singleShape } from '../layer.js';
import { getActivation, type ActivationIdentifier } from '../activations.js';
import { getInitializer, type InitializerIdentifier } from '../initializers.js';
import { getRegularizer, type RegularizerIdentifier } from '../regularizers.js';
import { getConstraint, type ConstraintIdentifier } from '../constraints.js';

export interface DenseArgs extends LayerArgs {
  units: number;
  activation?: ActivationIdentifier | null;
  useBias?: boolean;
  kernelInitializer?: InitializerIdentifier;
  biasInitializer?: InitializerIdentifier;
  kernelRegularizer?: RegularizerIdentifier;
  biasRegularizer?: RegularizerIdentifier;
  kernelConstraint?: ConstraintIdentifier;
  biasConstraint?: ConstraintIdentifier;
  /** TensorFlow.js' shorthand for inputShape [inputDim] */
  inputDim?: number;
  /** accepted for TensorFlow.js' sake and ignored (activity regularization is not implemented) */
  activityRegularizer?: RegularizerIdentifier;
}

export class Dense extends Layer {
  readonly className = 'Dense';

  /** elementwise (or per step), so a time-step mask still describes the output */
  override get supportsMasking(): boolean {
    return true;
  }
  readonly units: number;
  readonly activation;
  readonly useBias: boolean;
  kernel?: Tensor;
  bias?: Tensor;

  constructor(private readonly args: DenseArgs) {
    super(args?.inputDim !== undefined && args.inputShape === undefined && args.batchInputShape === undefined
      ? { ...args, inputShape: [args.inputDim] } : args);
    if (!Number.isInteger(args?.units) || args.units <= 0) {
      throw this.error(`units must be a positive integer, got ${JSON.stringify(args?.units)}`);
    }
    this.units = args.units;
    this.activation = getActivation(args.activation, `Dense "${this.name}"`);
    this.useBias = args.useBias ?? true;
  }

  computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const s = singleShape(this, inputShape);
    if (s.length < 2) throw this.error(`expected input of rank >= 2 [batch, ..., features], got [${s.join(', ')}]`);
    const inDim = s[s.length - 1];
    if (inDim === null) throw this.error('the last input dimension must be known');
    if (this.kernel && this.kernel.shape[0] !== inDim) {
      throw this.error(`expected input with ${this.kernel.shape[0]} features in its last axis, got [${s.map((d) => d ?? 'None').join(', ')}]`);
    }
    return [...s.slice(0, -1), this.units];
  }

  override build(inputShape: Shape | Shape[]): void {
    const s = singleShape(this, inputShape);
    const inDim = s[s.length - 1] as number;
    this.kernel = this.addWeight('kernel', [inDim, this.units], getInitializer(this.args.kernelInitializer ?? 'glorotUniform'), {
      regularizer: getRegularizer(this.args.kernelRegularizer), constraint: getConstraint(this.args.kernelConstraint),
    });
    if (this.useBias) {
      this.bias = this.addWeight('bias', [this.units], getInitializer(this.args.biasInitializer ?? 'zeros'), {
        regularizer: getRegularizer(this.args.biasRegularizer), constraint: getConstraint(this.args.biasConstraint),
      });
    }
  }

  call(inputs: Tensor | Tensor[]): Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    const act = this.activation.name;
    if (x.rank === 2 && (act === 'relu' || act === 'linear')) {
      return fused.matMul({ a: x, b: this.kernel!, bias: this.bias ?? null, activation: act });
    }
    if (x.rank === 2) {
      // other activations (softmax on the output layer): the bias still rides in the GEMM's
      // epilogue, one op and one pass over the output fewer than matMul then add
      return this.activation.apply(fused.matMul({ a: x, b: this.kernel!, bias: this.bias ?? null, activation: 'linear' }));
    }
    let y = x.rank === 2 ? matMul(x, this.kernel!) : matMul(x.reshape([-1, x.shape[x.rank - 1]]), this.kernel!)
      .reshape([...x.shape.slice(0, -1), this.units]);
    if (this.bias) y = add(y, this.bias);
    return this.activation.apply(y);
  }

  override getConfig(): Record<string, unknown> {
    const a = this.args;
    return {
      ...super.getConfig(), units: this.units, activation: this.activation.name, useBias: this.useBias,
      kernelInitializer: a.kernelInitializer ?? 'glorotUniform', biasInitializer: a.biasInitializer ?? 'zeros',
      kernelRegularizer: a.kernelRegularizer ?? null, biasRegularizer: a.biasRegularizer ?? null,
      kernelConstraint: a.kernelConstraint ?? null, biasConstraint: a.biasConstraint ?? null,
    };
  }
}
