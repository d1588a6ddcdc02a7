/**
 * Recurrent layers: RNN (any cell, or a list of cells, run over a sequence) and SimpleRNN, LSTM
 * and GRU (an RNN with its built-in cell), with Keras 3's options, defaults and weight layouts
 * (see recurrent_cells.ts for the formulas and rnn_cells.ts for the cells; the wrappers
 * Bidirectional and TimeDistributed are in recurrent_wrappers.ts).
 *
 * Input is [batch, timesteps, features]. The layer unrolls the time steps into ordinary ops,
 * so back propagation through time is plain autograd over the unrolled graph. A `mask` call
 * argument ([batch, timesteps], true = real step) makes padded steps keep the previous state
 * and output, so a padded sequence ends in the same state as the unpadded one.
 */
import { Tensor, Variable } from '../../tensor/tensor.js';
import { zeros } from '../../tensor/creation.js';
import { noGrad } from '../../autograd/tape.js';
import { gruSequence, lstmSequence, notEqual, simpleRnnSequence, reverse, slice, stack, unstack, where } from '../../ops/index.js';
import { CallArgs, Layer, LayerArgs, Shape, shapeString, singleShape } from '../layer.js';
import type { ActivationIdentifier } from '../activations.js';
import type { InitializerIdentifier } from '../initializers.js';
import type { RegularizerIdentifier } from '../regularizers.js';
import type { ConstraintIdentifier } from '../constraints.js';
import { deserializeLayer, serializeLayer } from '../serialization.js';
import type { CellWeights } from './recurrent_cells.js';
import {
  GRUCell, GatedCell, LSTMCell, RNNCell, SimpleRNNCell, StackedRNNCells, describeValueForLayer as describe,
  type GRUCellLayerArgs, type LSTMCellLayerArgs, type SequenceRun, type SimpleRNNCellLayerArgs,
} from './rnn_cells.js';
import { GRUStep, LSTMStep, SimpleRNNStep } from './recurrent_cells.js';

/**
 * Whether SimpleRNN/LSTM/GRU layers may run their steps as one whole-sequence op where their
 * options allow (on by default); tests turn it off to compare with the step-by-step path.
 */
export const fusedRecurrent = { enabled: true };
import type { DType, RecurrentActivation } from '../../backend/types.js';

export interface RecurrentCallArgs extends CallArgs {
  /** [batch, timesteps]: true (or nonzero) for real steps, false for padding */
  mask?: Tensor;
  /** the states to start from ([batch, units] each; LSTM: [h, c]); zeros without */
  initialState?: Tensor[];
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

export interface RNNLayerArgs extends LayerArgs {
  /** the cell run at each step, or a list of cells (stacked: StackedRNNCells) */
  cell: RNNCell | RNNCell[];
  /** output every step's output ([batch, t, units]) instead of the last one ([batch, units]) */
  returnSequences?: boolean;
  /** also return the final states: [output, ...states] */
  returnState?: boolean;
  /** read the sequence from the end (outputs come in the order they were computed, as Keras) */
  goBackwards?: boolean;
  /** carry the final states of one batch over as the initial states of the next (resetStates() clears them) */
  stateful?: boolean;
  /** TensorFlow.js' unrolling switch: the loop here is always unrolled into ops, so it changes nothing */
  unroll?: boolean;
  /** features per step, another way to give inputShape [inputLength, inputDim] */
  inputDim?: number;
  inputLength?: number;
}

/** The options of an RNN or of one of its built-in kinds (which have no `cell` option). */
export type AnyRNNArgs = Omit<RNNLayerArgs, 'cell'> & { cell?: RNNCell | RNNCell[] };

/** The options SimpleRNN, LSTM and GRU share with the RNN layer. */
const RNN_OPTIONS = ['returnSequences', 'returnState', 'goBackwards', 'stateful', 'unroll'] as const;

/**
 * Runs a cell over the time steps of [batch, timesteps, features]. The loop is unrolled into
 * ordinary ops, so back propagation through time is plain autograd. A `mask` call argument
 * ([batch, timesteps], true = real step) makes masked steps keep the previous state and output.
 */
export class RNN extends Layer {
  get className(): string {
    return 'RNN';
  }

  readonly cell: RNNCell;
  readonly returnSequences: boolean;
  readonly returnState: boolean;
  readonly goBackwards: boolean;
  private readonly statefulFlag: boolean;
  readonly unroll: boolean;
  /** with stateful: the states the next call starts from (undefined: zeros) */
  private keptStates?: Tensor[];

  readonly args: AnyRNNArgs;

  constructor(args: RNNLayerArgs, makeCell?: () => RNNCell) {
    super(withInputShape(args));
    this.args = args;
    this.cell = makeCell ? this.cellOrError(makeCell) : this.cellFrom(args?.cell);
    this.returnSequences = args.returnSequences ?? false;
    this.returnState = args.returnState ?? false;
    this.goBackwards = args.goBackwards ?? false;
    this.statefulFlag = args.stateful ?? false;
    this.unroll = args.unroll ?? false;
    this.cell.scope = this.name;
    if (args.trainable === false) this.cell.trainable = false;
  }

  /** Builds the built-in cell, its errors naming this layer. */
  private cellOrError(make: () => RNNCell): RNNCell {
    try {
      return make();
    } catch (e) {
      throw this.error((e as Error).message.replace(/^\w+ "[^"]*": /, ''));
    }
  }

  private cellFrom(cell: unknown): RNNCell {
    if (Array.isArray(cell)) {
      if (cell.length === 1 && cell[0] instanceof RNNCell) return cell[0];
      return new StackedRNNCells({ cells: cell as RNNCell[] });
    }
    if (!(cell instanceof RNNCell)) {
      throw this.error(`cell must be an RNN cell (layers.simpleRNNCell, lstmCell, gruCell, stackedRNNCells or an ` +
        `RNNCell subclass) or an array of them, got ${describe(cell)}`);
    }
    return cell;
  }

  /** The size of each step's output (units for SimpleRNN, LSTM and GRU). */
  get units(): number {
    return this.cell.outputSize;
  }

  /** The built-in cell's weights (undefined for other cells, or before building). */
  get kernel(): Variable | undefined {
    return this.cell instanceof GatedCell ? this.cell.kernel : undefined;
  }

  get recurrentKernel(): Variable | undefined {
    return this.cell instanceof GatedCell ? this.cell.recurrentKernel : undefined;
  }

  get bias(): Variable | undefined {
    return this.cell instanceof GatedCell ? this.cell.bias : undefined;
  }

  protected override subLayers(): Layer[] {
    return [this.cell];
  }

  override get trainable(): boolean {
    return super.trainable;
  }

  override set trainable(value: boolean) {
    super.trainable = value;
    if (this.cell) this.cell.trainable = value;
  }

  /** A copy with the same options and some changed (Bidirectional's forward and backward layers), with a fresh cell. */
  cloneWith(overrides: Partial<RNNLayerArgs>): RNN {
    const base = { ...this.args, inputShape: undefined, batchInputShape: undefined, ...overrides } as RNNLayerArgs;
    if (this.constructor !== RNN) {
      const Ctor = this.constructor as new (args: RNNLayerArgs) => RNN;
      return new Ctor(base);
    }
    // a generic RNN's cell is an object of its own: copy it through its config
    let cell: RNNCell;
    try {
      cell = deserializeLayer(serializeLayer(this.cell), `${this.className} "${this.name}"`) as RNNCell;
    } catch (e) {
      throw this.error(`cannot copy cell "${this.cell.name}" (${this.cell.className}) for a second direction: ` +
        `${(e as Error).message}; give Bidirectional a backwardLayer, or register the cell class with registerLayerClass`);
    }
    return new RNN({ ...base, cell });
  }

  /** The input's shape, checked against the cell ([batch, timesteps, features] for the plain cells). */
  private sequenceShape(inputShape: Shape | Shape[]): Shape {
    const s = singleShape(this, inputShape, this.cell.sequenceRank, this.cell.sequenceLayout);
    const problem = this.cell.sequenceShapeProblem(s);
    if (problem !== undefined) throw this.error(problem);
    return s;
  }

  computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    const s = this.sequenceShape(inputShape);
    const step = this.cell.stepOutputShape(stepShape(s));
    const out: Shape = this.returnSequences ? [s[0], s[1], ...step.slice(1)] : step;
    if (!this.returnState) return out;
    return [out, ...this.cell.stateShapes(stepShape(s))];
  }

  /** the input shape the layer was built for (a stateful layer's states are shaped from it) */
  private builtShape?: Shape;

  override build(inputShape: Shape | Shape[]): void {
    const s = this.sequenceShape(inputShape);
    if (this.stateful && s[0] === null && (this.batchInputShape?.[0] ?? null) === null) {
      throw this.error('a stateful RNN needs a fixed batch size: give batchInputShape (e.g. [32, 10, 8]) or batchSize with inputShape');
    }
    this.builtShape = s;
    this.cell.ensureBuilt(stepShape(s));
  }

  call(inputs: Tensor | Tensor[], args: RecurrentCallArgs = {}): Tensor | Tensor[] {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    return this.run(x, args);
  }

  /**
   * The layer's computation with the given weights of a built-in cell (the layer's own in
   * `call`); public so that gradient checks can differentiate with respect to the weights.
   */
  forwardWith(x: Tensor, w: CellWeights, args: RecurrentCallArgs = {}): Tensor | Tensor[] {
    if (!(this.cell instanceof GatedCell)) throw this.error('forwardWith takes the weights of a SimpleRNN, LSTM or GRU cell');
    return this.run(x, args, w);
  }

  private run(x: Tensor, args: RecurrentCallArgs, w?: CellWeights): Tensor | Tensor[] {
    if (x.rank !== this.cell.sequenceRank) throw this.error(`expected input ${this.cell.sequenceLayout}, got [${x.shape}]`);
    const [batch, steps] = x.shape;
    if (steps === 0) throw this.error(`expected at least one time step, got [${x.shape}]`);
    const training = args.training ?? false;
    const run = w && this.cell instanceof GatedCell ? this.cell.runSequence(x, training, w) : this.cell.runSequence(x, training);
    const whole = this.wholeSequence(run, x, args);
    if (whole) return whole;
    const stepInputs = [...run.steps];
    const stepInput = stepShape(x.shape);
    let maskSteps = args.mask ? this.maskSteps(args.mask, batch, steps, this.cell.stepOutputShape(stepInput).length) : undefined;
    if (this.goBackwards) {
      stepInputs.reverse();
      maskSteps = maskSteps?.reverse();
    }
    let states = this.initialStates(args.initialState ?? this.keptStates, stepInput, x.dtype);
    let output: Tensor | undefined;
    const outputs: Tensor[] = [];
    for (let t = 0; t < steps; t++) {
      let [out, next] = run.step(stepInputs[t], states);
      const m = maskSteps?.[t];
      if (m) {
        const prev = states;
        // before the first real step the output is zeros, as Keras' masked RNN gives
        out = where(m, out, output ?? zeros(out.shape, out.dtype));
        next = next.map((s, k) => where(m, s, prev[k]));
      }
      states = next;
      output = out;
      if (this.returnSequences) outputs.push(out);
    }
    if (this.stateful) this.keptStates = noGrad(() => states.map((s) => s.clone()));
    const result = this.returnSequences ? stack(outputs, 1) : output!;
    return this.returnState ? [result, ...states] : result;
  }

  /**
   * The steps as one op (lstmSequence, gruSequence, simpleRnnSequence: one backend call forward,
   * one for back propagation through time) where the cell is a plain LSTM, GRU or SimpleRNN cell
   * with activations the whole-sequence kernels have (LSTM and GRU: tanh and sigmoid; SimpleRNN:
   * tanh, relu or linear); the recurrent dropout mask, when drawn, goes into the kernel.
   * Undefined where the steps must run one by one.
   */
  private wholeSequence(run: SequenceRun, x: Tensor, args: RecurrentCallArgs): Tensor | Tensor[] | undefined {
    const kind = fusedKind(this.cell);
    if (!fusedRecurrent.enabled || kind === undefined) return undefined;
    if (!run.projection || !run.weights || (x.dtype !== 'float32' && x.dtype !== 'float64')) return undefined;
    const [batch, steps] = x.shape;
    let mask = args.mask;
    if (mask !== undefined && (!(mask instanceof Tensor) || mask.rank !== 2 || mask.shape[0] !== batch || mask.shape[1] !== steps)) {
      throw this.error(`expected mask [${batch}, ${steps}] (batch, timesteps), got ` +
        `${mask instanceof Tensor ? `[${mask.shape}]` : typeof mask}`);
    }
    let proj = run.projection;
    if (this.goBackwards) {
      proj = reverse(proj, 1);
      mask = mask && reverse(mask, 1);
    }
    const initial = this.initialStates(args.initialState ?? this.keptStates, stepShape(x.shape), x.dtype);
    const w = run.weights, drop = run.recurrentDropoutMask;
    let outputs: Tensor;
    let states: Tensor[];
    if (kind === 'lstm') {
      const [ys, h, c] = lstmSequence(proj, initial[0], initial[1], w.recurrentKernel, mask, drop);
      [outputs, states] = [ys, [h, c]];
    } else if (kind === 'gru') {
      const resetAfter = (this.cell as GRUCell).resetAfter, u = this.units;
      // resetAfter's bias [2, 3u]: row 0 is in the projection already, row 1 goes with the recurrence
      const rb = resetAfter && w.bias ? slice(w.bias, [1, 0], [1, 3 * u]).reshape([3 * u]) : null;
      const [ys, h] = gruSequence(proj, initial[0], w.recurrentKernel, rb, resetAfter, mask, drop);
      [outputs, states] = [ys, [h]];
    } else {
      const act = (this.cell as SimpleRNNCell).formula.activation.name as RecurrentActivation;
      const [ys, h] = simpleRnnSequence(proj, initial[0], w.recurrentKernel, mask, drop, act);
      [outputs, states] = [ys, [h]];
    }
    if (this.stateful) this.keptStates = noGrad(() => states.map((s) => s.clone()));
    const result = this.returnSequences ? outputs : slice(outputs, [0, steps - 1, 0], [batch, 1, this.units]).reshape([batch, this.units]);
    return this.returnState ? [result, ...states] : result;
  }

  override get stateful(): boolean {
    return this.statefulFlag;
  }

  /** A stateful layer's kept states: back to zeros, or to the given ones ([batch, size] each; ConvLSTM2D [batch, rows, cols, filters]). */
  override resetStates(states?: Tensor | Tensor[]): void {
    if (!this.stateful) throw this.error('resetStates is for stateful RNNs (stateful: true)');
    if (states === undefined) {
      this.keptStates = undefined;
      return;
    }
    const list = Array.isArray(states) ? states : [states];
    const batch = this.batchInputShape?.[0] ?? list[0]?.shape[0];
    const known = this.builtShape ?? this.batchInputShape;
    // before the layer is built, a convolutional cell's rows and cols are unknown (null: any)
    const step: Shape = [batch ?? null, ...(known ? stepShape(known).slice(1) : [])];
    this.keptStates = this.initialStates(list, step, list[0]?.dtype ?? this.dtype);
  }

  /** The states a stateful layer will start its next call from (null before the first call). */
  get states(): Tensor[] | null {
    return this.keptStates ?? null;
  }

  override get supportsMasking(): boolean {
    return true;
  }

  /** A sequence output keeps the mask (one entry per step); a last-step output has none. */
  override computeMask(_inputs: Tensor | Tensor[], mask?: Tensor): Tensor | undefined {
    return this.returnSequences ? mask : undefined;
  }

  /** The mask as one bool [batch, 1] tensor per time step ([batch, 1, 1, 1] for outputs of rank 4). */
  private maskSteps(mask: Tensor, batch: number, steps: number, outputRank: number): Tensor[] {
    if (!(mask instanceof Tensor) || mask.rank !== 2 || mask.shape[0] !== batch || mask.shape[1] !== steps) {
      throw this.error(`expected mask [${batch}, ${steps}] (batch, timesteps), got ` +
        `${mask instanceof Tensor ? `[${mask.shape}]` : typeof mask}`);
    }
    const b = mask.dtype === 'bool' ? mask : notEqual(mask, 0);
    const ones = new Array<number>(outputRank - 1).fill(1);
    return unstack(b, 1).map((m) => m.reshape([batch, ...ones]));
  }

  /** The given states, checked against the cell's state shapes for this step input; zeros when none are given. */
  private initialStates(given: Tensor | Tensor[] | undefined, stepInput: Shape, dtype: DType): Tensor[] {
    const shapes = this.cell.stateShapes(stepInput);
    if (given === undefined) return shapes.map((s) => zeros(s as number[], dtype));
    const list = Array.isArray(given) ? given : [given];
    const fits = (t: unknown, s: Shape): boolean =>
      t instanceof Tensor && t.rank === s.length && s.every((d, k) => d === null || d === t.shape[k]);
    if (list.length !== shapes.length || list.some((t, i) => !fits(t, shapes[i]))) {
      throw this.error(`expected initialState as ${shapes.length} tensor(s) ${shapes.map(shapeString).join(', ')}, got ` +
        `${list.map((s) => (s instanceof Tensor ? `[${s.shape}]` : typeof s)).join(', ')}`);
    }
    return list;
  }

  override getConfig(): Record<string, unknown> {
    const config: Record<string, unknown> = {
      ...super.getConfig(), returnSequences: this.returnSequences, returnState: this.returnState,
      goBackwards: this.goBackwards, stateful: this.stateful, unroll: this.unroll,
    };
    // SimpleRNN, LSTM and GRU write their cell's options flat; a plain RNN names its cell
    if (this.constructor === RNN) config.cell = serializeLayer(this.cell);
    return config;
  }
}

/**
 * Which whole-sequence op runs a cell's steps: the built-in cells with the activations the
 * kernels have (not subclasses with other formulas, such as ConvLSTM2D's); undefined for the rest.
 */
function fusedKind(cell: RNNCell): 'lstm' | 'gru' | 'simple' | undefined {
  if (cell instanceof LSTMCell && cell.formula.constructor === LSTMStep) {
    const f = cell.formula;
    return f.activation.name === 'tanh' && f.recurrentActivation.name === 'sigmoid' ? 'lstm' : undefined;
  }
  if (cell instanceof GRUCell && cell.formula.constructor === GRUStep) {
    const f = cell.formula;
    return f.activation.name === 'tanh' && f.recurrentActivation.name === 'sigmoid' ? 'gru' : undefined;
  }
  if (cell instanceof SimpleRNNCell && cell.formula.constructor === SimpleRNNStep) {
    return ['tanh', 'relu', 'linear'].includes(cell.formula.activation.name) ? 'simple' : undefined;
  }
  return undefined;
}

/** One step's input shape: the sequence's without its time axis. */
function stepShape(s: readonly (number | null)[]): Shape {
  return [s[0], ...s.slice(2)];
}

/** TensorFlow.js' inputDim / inputLength as inputShape [inputLength, inputDim]. */
function withInputShape(args: RNNLayerArgs): RNNLayerArgs {
  if (args?.inputShape || args?.batchInputShape || args?.inputDim === undefined) return args ?? ({} as RNNLayerArgs);
  return { ...args, inputShape: [args.inputLength ?? null, args.inputDim] as number[] };
}

// the cell's options (units, activation, initializers, dropout, ...) come from SimpleRNNCellLayerArgs
export interface RNNArgs extends Omit<RNNLayerArgs, 'cell'>, SimpleRNNCellLayerArgs {
  /** seed for the dropout masks */
  seed?: number;
}

export interface LSTMArgs extends RNNArgs, LSTMCellLayerArgs {
  recurrentActivation?: ActivationIdentifier | null;
  /** start the forget gate's bias at 1 (Keras' default: true) */
  unitForgetBias?: boolean;
}

export interface GRUArgs extends RNNArgs, GRUCellLayerArgs {
  recurrentActivation?: ActivationIdentifier | null;
  /** apply the reset gate after the recurrent product (Keras 3's default: true; bias [2, 3u]) */
  resetAfter?: boolean;
}

/** The cell's share of a SimpleRNN/LSTM/GRU's options (the layer keeps its name, shapes and sequence options). */
export function cellArgs<A extends object>(args: A): A {
  const a: Record<string, unknown> = { ...(args ?? {}) as Record<string, unknown> };
  for (const k of [...RNN_OPTIONS, 'name', 'inputShape', 'batchInputShape', 'batchSize', 'inputDim', 'inputLength', 'cell']) delete a[k];
  return a as A;
}

/** An RNN over its built-in cell, whose options it takes flat (units, activation, ...). */
export abstract class BuiltinRNN<C extends GatedCell> extends RNN {
  declare readonly cell: C;

  get dropoutRate(): number {
    return this.cell.dropoutRate;
  }

  get recurrentDropoutRate(): number {
    return this.cell.recurrentDropoutRate;
  }

  get useBias(): boolean {
    return this.cell.useBias;
  }

  override getConfig(): Record<string, unknown> {
    const { name: _name, trainable: _trainable, dtype: _dtype, ...cell } = this.cell.getConfig();
    return { ...super.getConfig(), ...cell };
  }
}

export class SimpleRNN extends BuiltinRNN<SimpleRNNCell> {
  override get className(): string {
    return 'SimpleRNN';
  }

  constructor(override readonly args: RNNArgs) {
    super(args as unknown as RNNLayerArgs, () => new SimpleRNNCell(cellArgs(args)));
  }
}

export class LSTM extends BuiltinRNN<LSTMCell> {
  override get className(): string {
    return 'LSTM';
  }

  constructor(override readonly args: LSTMArgs) {
    super(args as unknown as RNNLayerArgs, () => new LSTMCell(cellArgs(args)));
  }

  get unitForgetBias(): boolean {
    return this.cell.unitForgetBias;
  }
}

export class GRU extends BuiltinRNN<GRUCell> {
  override get className(): string {
    return 'GRU';
  }

  constructor(override readonly args: GRUArgs) {
    super(args as unknown as RNNLayerArgs, () => new GRUCell(cellArgs(args)));
  }

  get resetAfter(): boolean {
    return this.cell.resetAfter;
  }
}

/**
 * @example
 * ```ts
 * console.log(st.layers.simpleRNN({ units: 4 }).apply(st.ones([2, 5, 3])).shape); // [2, 4]
 * ```
 */
export const simpleRNN = (args: RNNArgs): SimpleRNN => new SimpleRNN(args);
/**
 * @example
 * ```ts
 * const lstm = st.layers.lstm({ units: 8, returnSequences: true });
 * console.log(lstm.apply(st.ones([2, 5, 3])).shape); // [2, 5, 8]
 * ```
 */
export const lstm = (args: LSTMArgs): LSTM => new LSTM(args);
/**
 * @example
 * ```ts
 * console.log(st.layers.gru({ units: 4 }).apply(st.ones([2, 5, 3])).shape); // [2, 4]
 * ```
 */
export const gru = (args: GRUArgs): GRU => new GRU(args);
