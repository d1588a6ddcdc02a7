/**
 * Recurrent layers (SimpleRNN, LSTM, GRU) with Keras 3's options, defaults and weight layouts (see recurrent_cells.ts for the formulas;
 * the wrappers Bidirectional and TimeDistributed are in recurrent_wrappers.ts).
 *
 * Input is [batch, timesteps, features]. The layer unrolls the time steps into ordinary ops,
 * so back propagation through time is plain autograd over the unrolled graph. A `mask` call
 * argument ([batch, timesteps], true = real step) makes padded steps keep the previous state
 * and output, so a padded sequence ends in the same state as the unpadded one.
 */
import { Tensor, Variable } from '../../tensor/tensor.js';
import { zeros, ones } from '../../tensor/creation.js';
import { add, concat, dropout, matMul, mul, notEqual, stack, unstack, where } from '../../ops/index.js';
import { CallArgs, Layer, LayerArgs, Shape, WeightInitializer, shapeString, singleShape } from '../layer.js';
import { getActivation, type ActivationIdentifier } from '../activations.js';
import { getInitializer, type InitializerIdentifier } from '../initializers.js';
import { getRegularizer, type RegularizerIdentifier } from '../regularizers.js';
import { getConstraint, type ConstraintIdentifier } from '../constraints.js';
import { Cell, CellWeights, GRUCell, LSTMCell, SimpleRNNCell } from './recurrent_cells.js';
import type { DType } from '../../backend/types.js';

export interface RecurrentCallArgs extends CallArgs {
  /** [batch, timesteps]: true (or nonzero) for real steps, false for padding */
  mask?: Tensor;
  /** the states to start from ([batch, units] each; LSTM: [h, c]); zeros without */
  initialState?: Tensor[];
}

export interface RNNArgs extends LayerArgs {
  units: number;
  activation?: ActivationIdentifier | null;
  useBias?: boolean;
  kernelInitializer?: InitializerIdentifier;
  recurrentInitializer?: InitializerIdentifier;
  biasInitializer?: InitializerIdentifier;
  kernelRegularizer?: RegularizerIdentifier;
  recurrentRegularizer?: RegularizerIdentifier;
  biasRegularizer?: RegularizerIdentifier;
  kernelConstraint?: ConstraintIdentifier;
  recurrentConstraint?: ConstraintIdentifier;
  biasConstraint?: ConstraintIdentifier;
  /** fraction of the input features dropped in training (one mask for all time steps) */
  dropout?: number;
  /** fraction of the state dropped before the recurrent product in training */
  recurrentDropout?: number;
  /** output every step's output ([batch, t, units]) instead of the last one ([batch, units]) */
  returnSequences?: boolean;
  /** also return the final states: [output, ...states] */
  returnState?: boolean;
  /** read the sequence from the end (outputs come in the order they were computed, as Keras) */
  goBackwards?: boolean;
  /** seed for the dropout masks */
  seed?: number;
}

export interface LSTMArgs extends RNNArgs {
  recurrentActivation?: ActivationIdentifier | null;
  /** start the forget gate's bias at 1 (Keras' default: true) */
  unitForgetBias?: boolean;
}

export interface GRUArgs extends RNNArgs {
  recurrentActivation?: ActivationIdentifier | null;
  /** apply the reset gate after the recurrent product (Keras 3's default: true; bias [2, 3u]) */
  resetAfter?: boolean;
}

/** What SimpleRNN, LSTM and GRU share: options, shapes, the unrolled loop, masking, dropout. */
export abstract class RNN extends Layer {
  readonly units: number;
  readonly returnSequences: boolean;
  readonly returnState: boolean;
  readonly goBackwards: boolean;
  readonly useBias: boolean;
  readonly dropoutRate: number;
  readonly recurrentDropoutRate: number;
  protected abstract readonly cell: Cell;
  kernel?: Variable;
  recurrentKernel?: Variable;
  bias?: Variable;
  private dropoutCalls = 0;

  constructor(readonly args: RNNArgs) {
    super(args);
    if (!Number.isInteger(args?.units) || args.units <= 0) {
      throw this.error(`units must be a positive integer, got ${JSON.stringify(args?.units)}`);
    }
    this.units = args.units;
    this.returnSequences = args.returnSequences ?? false;
    this.returnState = args.returnState ?? false;
    this.goBackwards = args.goBackwards ?? false;
    this.useBias = args.useBias ?? true;
    this.dropoutRate = this.checkRate('dropout', args.dropout);
    this.recurrentDropoutRate = this.checkRate('recurrentDropout', args.recurrentDropout);
  }

  private checkRate(what: string, rate: number | undefined): number {
    const r = rate ?? 0;
    if (typeof r !== 'number' || !(r >= 0 && r < 1)) throw this.error(`${what} must be a number in [0, 1), got ${JSON.stringify(rate)}`);
    return r;
  }

  /** The bias' shape and initial value (LSTM's unit forget bias, GRU's two rows). */
  protected biasShape(): number[] {
    return [this.cell.gates * this.units];
  }

  protected biasInitializer(): WeightInitializer {
    return getInitializer(this.args.biasInitializer ?? 'zeros');
  }

  /** A copy with the same options and some changed (Bidirectional's forward and backward layers). */
  cloneWith(overrides: Partial<RNNArgs>): RNN {
    const Ctor = this.constructor as new (args: RNNArgs) => RNN;
    return new Ctor({ ...this.args, inputShape: undefined, batchInputShape: undefined, ...overrides });
  }

  private inputFeatures(inputShape: Shape | Shape[]): number {
    const s = singleShape(this, inputShape, 3, '[batch, timesteps, features]');
    const f = s[2];
    if (f === null) throw this.error(`the number of features (last axis) must be known, got ${shapeString(s)}`);
    if (this.kernel && this.kernel.shape[0] !== f) {
      throw this.error(`expected input [batch, timesteps, ${this.kernel.shape[0]}], got ${shapeString(s)}`);
    }
    return f;
  }

  computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    this.inputFeatures(inputShape);
    const s = singleShape(this, inputShape);
    const out: Shape = this.returnSequences ? [s[0], s[1], this.units] : [s[0], this.units];
    if (!this.returnState) return out;
    return [out, ...Array.from({ length: this.cell.stateCount }, (): Shape => [s[0], this.units])];
  }

  override build(inputShape: Shape | Shape[]): void {
    const f = this.inputFeatures(inputShape);
    const g = this.cell.gates * this.units;
    const a = this.args;
    this.kernel = this.addWeight('kernel', [f, g], getInitializer(a.kernelInitializer ?? 'glorotUniform'), {
      regularizer: getRegularizer(a.kernelRegularizer), constraint: getConstraint(a.kernelConstraint),
    });
    this.recurrentKernel = this.addWeight('recurrent_kernel', [this.units, g],
      getInitializer(a.recurrentInitializer ?? 'orthogonal'), {
        regularizer: getRegularizer(a.recurrentRegularizer), constraint: getConstraint(a.recurrentConstraint),
      });
    if (this.useBias) {
      this.bias = this.addWeight('bias', this.biasShape(), this.biasInitializer(), {
        regularizer: getRegularizer(a.biasRegularizer), constraint: getConstraint(a.biasConstraint),
      });
    }
  }

  call(inputs: Tensor | Tensor[], args: RecurrentCallArgs = {}): Tensor | Tensor[] {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    return this.forwardWith(x, { kernel: this.kernel!, recurrentKernel: this.recurrentKernel!, bias: this.bias }, args);
  }

  /**
   * The layer's computation with the given weights (the layer's own in `call`); public so that
   * gradient checks can differentiate with respect to the weights as ordinary inputs.
   */
  forwardWith(x: Tensor, w: CellWeights, args: RecurrentCallArgs = {}): Tensor | Tensor[] {
    if (x.rank !== 3) throw this.error(`expected input [batch, timesteps, features], got [${x.shape}]`);
    const [batch, steps, features] = x.shape;
    if (steps === 0) throw this.error(`expected at least one time step, got [${x.shape}]`);
    const u = this.units;
    const dtype: DType = x.dtype;
    const training = args.training ?? false;

    let inputs = x;
    if (training && this.dropoutRate > 0) {
      const keep = dropout(ones([batch, 1, features], dtype), this.dropoutRate, this.nextSeed());
      inputs = mul(inputs, keep);
    }
    let proj = matMul(inputs.reshape([batch * steps, features]), w.kernel);
    const inputBias = this.cell.inputBias(w);
    if (inputBias) proj = add(proj, inputBias);
    const projSteps = unstack(proj.reshape([batch, steps, this.cell.gates * u]), 1);
    let maskSteps = args.mask ? this.maskSteps(args.mask, batch, steps) : undefined;
    if (this.goBackwards) {
      projSteps.reverse();
      maskSteps = maskSteps?.reverse();
    }
    const recurrentKeep = training && this.recurrentDropoutRate > 0
      ? dropout(ones([batch, u], dtype), this.recurrentDropoutRate, this.nextSeed())
      : undefined;

    let states = this.initialStates(args.initialState, batch, dtype);
    let output = states[0];
    const outputs: Tensor[] = [];
    for (let t = 0; t < steps; t++) {
      const hRec = recurrentKeep ? mul(states[0], recurrentKeep) : states[0];
      let [out, next] = this.cell.step(projSteps[t], states, hRec, w);
      const m = maskSteps?.[t];
      if (m) {
        const prev = states;
        out = where(m, out, output);
        next = next.map((s, k) => where(m, s, prev[k]));
      }
      states = next;
      output = out;
      if (this.returnSequences) outputs.push(out);
    }
    const result = this.returnSequences ? stack(outputs, 1) : output;
    return this.returnState ? [result, ...states] : result;
  }

  override get supportsMasking(): boolean {
    return true;
  }

  /** A sequence output keeps the mask (one entry per step); a last-step output has none. */
  override computeMask(_inputs: Tensor | Tensor[], mask?: Tensor): Tensor | undefined {
    return this.returnSequences ? mask : undefined;
  }

  private nextSeed(): number | undefined {
    return this.args.seed === undefined ? undefined : this.args.seed + 7919 * this.dropoutCalls++;
  }

  /** The mask as one bool [batch, 1] tensor per time step. */
  private maskSteps(mask: Tensor, batch: number, steps: number): Tensor[] {
    if (!(mask instanceof Tensor) || mask.rank !== 2 || mask.shape[0] !== batch || mask.shape[1] !== steps) {
      throw this.error(`expected mask [${batch}, ${steps}] (batch, timesteps), got ` +
        `${mask instanceof Tensor ? `[${mask.shape}]` : typeof mask}`);
    }
    const b = mask.dtype === 'bool' ? mask : notEqual(mask, 0);
    return unstack(b, 1).map((m) => m.reshape([batch, 1]));
  }

  private initialStates(given: Tensor[] | undefined, batch: number, dtype: DType): Tensor[] {
    const n = this.cell.stateCount;
    if (given === undefined) return Array.from({ length: n }, () => zeros([batch, this.units], dtype));
    const list = Array.isArray(given) ? given : [given];
    if (list.length !== n || list.some((s) => !(s instanceof Tensor) || s.shape.join() !== `${batch},${this.units}`)) {
      throw this.error(`expected initialState as ${n} tensor(s) [${batch}, ${this.units}], got ` +
        `${list.map((s) => (s instanceof Tensor ? `[${s.shape}]` : typeof s)).join(', ')}`);
    }
    return list;
  }

  override getConfig(): Record<string, unknown> {
    const a = this.args;
    return {
      ...super.getConfig(), units: this.units, useBias: this.useBias, returnSequences: this.returnSequences,
      returnState: this.returnState, goBackwards: this.goBackwards, dropout: this.dropoutRate,
      recurrentDropout: this.recurrentDropoutRate,
      kernelInitializer: a.kernelInitializer ?? 'glorotUniform', recurrentInitializer: a.recurrentInitializer ?? 'orthogonal',
      biasInitializer: a.biasInitializer ?? 'zeros', kernelRegularizer: a.kernelRegularizer ?? null,
      recurrentRegularizer: a.recurrentRegularizer ?? null, biasRegularizer: a.biasRegularizer ?? null,
      kernelConstraint: a.kernelConstraint ?? null, recurrentConstraint: a.recurrentConstraint ?? null,
      biasConstraint: a.biasConstraint ?? null, seed: a.seed ?? null,
    };
  }
}

export class SimpleRNN extends RNN {
  readonly className = 'SimpleRNN';
  protected readonly cell: SimpleRNNCell;

  constructor(args: RNNArgs) {
    super(args);
    this.cell = new SimpleRNNCell(this.units, getActivation(args.activation === undefined ? 'tanh' : args.activation,
      `SimpleRNN "${this.name}"`));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), activation: this.cell.activation.name };
  }
}

export class LSTM extends RNN {
  readonly className = 'LSTM';
  protected readonly cell: LSTMCell;
  readonly unitForgetBias: boolean;

  constructor(override readonly args: LSTMArgs) {
    super(args);
    const who = `LSTM "${this.name}"`;
    this.cell = new LSTMCell(this.units,
      getActivation(args.activation === undefined ? 'tanh' : args.activation, who),
      getActivation(args.recurrentActivation === undefined ? 'sigmoid' : args.recurrentActivation, who));
    this.unitForgetBias = args.unitForgetBias ?? true;
  }

  /** With unitForgetBias, the forget gate's block [u, 2u) starts at 1, the rest from biasInitializer. */
  protected override biasInitializer(): WeightInitializer {
    const base = super.biasInitializer();
    if (!this.unitForgetBias) return base;
    const u = this.units;
    return {
      apply: (_shape: number[], dtype?: DType) =>
        concat([base.apply([u], dtype), ones([u], dtype ?? 'float32'), base.apply([2 * u], dtype)], 0),
    };
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(), activation: this.cell.activation.name,
      recurrentActivation: this.cell.recurrentActivation.name, unitForgetBias: this.unitForgetBias,
    };
  }
}

export class GRU extends RNN {
  readonly className = 'GRU';
  protected readonly cell: GRUCell;

  constructor(override readonly args: GRUArgs) {
    super(args);
    const who = `GRU "${this.name}"`;
    this.cell = new GRUCell(this.units,
      getActivation(args.activation === undefined ? 'tanh' : args.activation, who),
      getActivation(args.recurrentActivation === undefined ? 'sigmoid' : args.recurrentActivation, who),
      args.resetAfter ?? true);
  }

  get resetAfter(): boolean {
    return this.cell.resetAfter;
  }

  protected override biasShape(): number[] {
    return this.cell.resetAfter ? [2, 3 * this.units] : [3 * this.units];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(), activation: this.cell.activation.name,
      recurrentActivation: this.cell.recurrentActivation.name, resetAfter: this.resetAfter,
    };
  }
}

export const simpleRNN = (args: RNNArgs): SimpleRNN => new SimpleRNN(args);
export const lstm = (args: LSTMArgs): LSTM => new LSTM(args);
export const gru = (args: GRUArgs): GRU => new GRU(args);
