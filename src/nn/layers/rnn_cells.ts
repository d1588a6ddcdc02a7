/**
 * Recurrent cells as layers, as tfjs-layers has them: `RNNCell` (the base class for custom
 * cells), SimpleRNNCell, LSTMCell, GRUCell and StackedRNNCells. A cell maps one time step
 * `[x_t, ...states]` to `[output, ...newStates]`; the RNN layer (recurrent.ts) runs it over a
 * sequence. The formulas live once, in recurrent_cells.ts; these layers own the weights
 * (kernel [in, gates * units], recurrent_kernel [units, gates * units], bias) and the options.
 */
import { Tensor, Variable } from '../../tensor/tensor.js';
import { ones } from '../../tensor/creation.js';
import { add, concat, dropout, matMul, mul, unstack } from '../../ops/index.js';
import { CallArgs, Layer, LayerArgs, Shape, WeightInitializer, isShapeList, shapeString } from '../layer.js';
import { getActivation, type ActivationIdentifier } from '../activations.js';
import { getInitializer, type InitializerIdentifier } from '../initializers.js';
import { getRegularizer, type RegularizerIdentifier } from '../regularizers.js';
import { getConstraint, type ConstraintIdentifier } from '../constraints.js';
import { serializeLayer } from '../serialization.js';
import { Cell, CellWeights, GRUStep, LSTMStep, SimpleRNNStep } from './recurrent_cells.js';
import type { DType } from '../../backend/types.js';

/** A cell prepared to run over one sequence: each step's input and the step itself. */
export interface SequenceRun {
  /** one input per time step, in time order (what `step` takes: x_t, or its projection) */
  steps: Tensor[];
  step(input: Tensor, states: Tensor[]): [Tensor, Tensor[]];
  /** the built-in cells: every step's projection [batch, steps, gates * units] (what `steps` unstacks) */
  projection?: Tensor;
  /** the built-in cells: the weights the steps use */
  weights?: CellWeights;
  /** the built-in cells: whether a recurrent dropout mask multiplies h before each recurrent product */
  recurrentDropout?: boolean;
  /** the built-in cells: that mask ([batch, units], one per sequence), when one was drawn */
  recurrentDropoutMask?: Tensor;
}

/**
 * A recurrent cell: `stateSize` says how many state tensors it carries and their sizes, and
 * `call([x_t, ...states])` returns `[output, ...newStates]`. Subclass it for a custom cell and
 * hand it to `layers.rnn({cell})`.
 */
export abstract class RNNCell extends Layer {
  /** the size of each state ([batch, size] each): a number for one state, a list for several */
  abstract get stateSize(): number | number[];

  /**
   * Set by the RNN layer that runs the cell: the cell's weights are then named under the RNN
   * (`rnn/kernel`), as TensorFlow.js names them, so files written by either load in the other.
   */
  get scope(): string | undefined {
    return this.scopeName;
  }

  set scope(value: string | undefined) {
    this.scopeName = value;
    this.scopeChanged(value);
  }

  private scopeName?: string;

  /** Cells that hold cells hand the scope on. */
  protected scopeChanged(_scope: string | undefined): void {}

  protected override get weightScope(): string {
    return this.scope ?? this.name;
  }

  get stateSizes(): number[] {
    const s = this.stateSize;
    return Array.isArray(s) ? [...s] : [s];
  }

  /** The size of each step's output: the first state's (h). */
  get outputSize(): number {
    return this.stateSizes[0];
  }

  /** Expected features per step once built (undefined when any fits or it is not built). */
  expectedFeatures(): number | undefined {
    return undefined;
  }

  /** The rank of the sequences the cell runs over, and their layout as error messages name it. */
  get sequenceRank(): number {
    return 3;
  }

  get sequenceLayout(): string {
    return '[batch, timesteps, features]';
  }

  /** The layout of one step's input (the sequence without its time axis). */
  get stepLayout(): string {
    return '[batch, features]';
  }

  /** What is wrong with a sequence shape [batch, timesteps, ...] of the right rank; undefined when it fits. */
  sequenceShapeProblem(s: Shape): string | undefined {
    const f = s[2];
    if (f === null) return `the number of features (last axis) must be known, got ${shapeString(s)}`;
    const expected = this.expectedFeatures();
    if (expected !== undefined && expected !== f) return `expected input [batch, timesteps, ${expected}], got ${shapeString(s)}`;
    return undefined;
  }

  /** The states' shapes for a step input of the given shape: [batch, size] each. */
  stateShapes(stepInput: Shape): Shape[] {
    return this.stateSizes.map((n): Shape => [stepInput[0], n]);
  }

  /** The shape of one step's output for a step input of the given shape. */
  stepOutputShape(stepInput: Shape): Shape {
    return [stepInput[0], this.outputSize];
  }

  /** [x, ...states] (or x alone) -> [output, ...states], each [batch, size]. */
  computeOutputShape(inputShape: Shape | Shape[]): Shape[] {
    const x = isShapeList(inputShape) ? inputShape[0] : inputShape;
    if (x.length !== 2) throw this.error(`expected a step input [batch, features], got ${shapeString(x)}`);
    const f = this.expectedFeatures();
    if (f !== undefined && x[1] !== null && x[1] !== f) throw this.error(`expected a step input [batch, ${f}], got ${shapeString(x)}`);
    return [[x[0], this.outputSize], ...this.stateSizes.map((s): Shape => [x[0], s])];
  }

  /** Builds from the step input's shape alone (a list [x, ...states] is reduced to x). */
  override ensureBuilt(inputShape: Shape | Shape[]): void {
    super.ensureBuilt(isShapeList(inputShape) ? inputShape[0] : inputShape);
  }

  /**
   * Prepares a run over x [batch, steps, features]. By default each step is one `call`; the
   * built-in cells project every step's input in one product first.
   */
  runSequence(x: Tensor, training: boolean): SequenceRun {
    return {
      steps: unstack(x, 1),
      step: (input, states) => {
        const out = this.call([input, ...states], { training });
        const list = Array.isArray(out) ? out : [out];
        const n = this.stateSizes.length;
        if (list.length !== n + 1) {
          throw this.error(`call must return [output, ...states] (${n + 1} tensors, stateSize ${JSON.stringify(this.stateSize)}), ` +
            `got ${list.length}`);
        }
        return [list[0], list.slice(1)];
      },
    };
  }
}

export interface SimpleRNNCellLayerArgs extends LayerArgs {
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
  /** fraction of the input features dropped in training (one mask per sequence) */
  dropout?: number;
  /** fraction of the state dropped before the recurrent product in training */
  recurrentDropout?: number;
  /** TensorFlow.js' choice of kernel layout for speed; one implementation here, so it changes nothing */
  implementation?: number;
  /** seed for the dropout masks */
  seed?: number;
}

export interface LSTMCellLayerArgs extends SimpleRNNCellLayerArgs {
  recurrentActivation?: ActivationIdentifier | null;
  /** start the forget gate's bias at 1 (Keras' default: true) */
  unitForgetBias?: boolean;
}

export interface GRUCellLayerArgs extends SimpleRNNCellLayerArgs {
  recurrentActivation?: ActivationIdentifier | null;
  /** apply the reset gate after the recurrent product (Keras 3's default: true; bias [2, 3u]) */
  resetAfter?: boolean;
}

/** SimpleRNNCell, LSTMCell and GRUCell: weights, options and dropout around one formula of recurrent_cells.ts. */
export abstract class GatedCell extends RNNCell {
  readonly units: number;
  readonly useBias: boolean;
  readonly dropoutRate: number;
  readonly recurrentDropoutRate: number;
  abstract readonly formula: Cell;
  kernel?: Variable;
  recurrentKernel?: Variable;
  bias?: Variable;
  private dropoutCalls = 0;

  constructor(readonly args: SimpleRNNCellLayerArgs) {
    super(args);
    if (!Number.isInteger(args?.units) || args.units <= 0) {
      throw this.error(`${this.unitsOption} must be a positive integer, got ${JSON.stringify(args?.units)}`);
    }
    this.units = args.units;
    this.useBias = args.useBias ?? true;
    this.dropoutRate = this.checkRate('dropout', args.dropout);
    this.recurrentDropoutRate = this.checkRate('recurrentDropout', args.recurrentDropout);
  }

  /** the option that sets `units` (ConvLSTM2DCell's is `filters`) */
  protected get unitsOption(): string {
    return 'units';
  }

  private checkRate(what: string, rate: number | undefined): number {
    const r = rate ?? 0;
    if (typeof r !== 'number' || !(r >= 0 && r < 1)) throw this.error(`${what} must be a number in [0, 1), got ${JSON.stringify(rate)}`);
    return r;
  }

  protected activationOf(option: ActivationIdentifier | null | undefined, fallback: string) {
    return getActivation(option === undefined ? fallback : option, `${this.className} "${this.name}"`);
  }

  get stateSize(): number | number[] {
    return this.formula.stateCount === 1 ? this.units : Array.from({ length: this.formula.stateCount }, () => this.units);
  }

  override expectedFeatures(): number | undefined {
    return this.kernel?.shape[this.kernel.shape.length - 2];
  }

  /** kernel [in, gates * units]; a convolutional cell's has the kernel's rows and cols in front */
  protected kernelShape(features: number): number[] {
    return [features, this.formula.gates * this.units];
  }

  protected recurrentKernelShape(): number[] {
    return [this.units, this.formula.gates * this.units];
  }

  protected biasShape(): number[] {
    return [this.formula.gates * this.units];
  }

  protected biasInitializer(): WeightInitializer {
    return getInitializer(this.args.biasInitializer ?? 'zeros');
  }

  override build(inputShape: Shape | Shape[]): void {
    const s = isShapeList(inputShape) ? inputShape[0] : inputShape;
    const f = s[s.length - 1];
    if (f === null) throw this.error(`the number of input features (last axis) must be known, got ${shapeString(s)}`);
    const a = this.args;
    this.kernel = this.addWeight('kernel', this.kernelShape(f), getInitializer(a.kernelInitializer ?? 'glorotUniform'), {
      regularizer: getRegularizer(a.kernelRegularizer), constraint: getConstraint(a.kernelConstraint),
    });
    this.recurrentKernel = this.addWeight('recurrent_kernel', this.recurrentKernelShape(),
      getInitializer(a.recurrentInitializer ?? 'orthogonal'), {
        regularizer: getRegularizer(a.recurrentRegularizer), constraint: getConstraint(a.recurrentConstraint),
      });
    if (this.useBias) {
      this.bias = this.addWeight('bias', this.biasShape(), this.biasInitializer(), {
        regularizer: getRegularizer(a.biasRegularizer), constraint: getConstraint(a.biasConstraint),
      });
    }
  }

  /** The cell's own weights, in the form the formulas take. */
  cellWeights(): CellWeights {
    if (!this.kernel || !this.recurrentKernel) throw this.error('the cell is not built yet (run it on data or in an RNN first)');
    return { kernel: this.kernel, recurrentKernel: this.recurrentKernel, bias: this.bias };
  }

  private nextSeed(): number | undefined {
    return this.args.seed === undefined ? undefined : this.args.seed + 7919 * this.dropoutCalls++;
  }

  /**
   * The dropout masks of one sequence (or one standalone step), shaped as one step's input and
   * as h: inputs, and the state before the recurrent product.
   */
  private dropoutMasks(stepInput: number[], dtype: DType, training: boolean): { input?: Tensor; state?: Tensor } {
    if (!training) return {};
    const h = this.stateShapes(stepInput)[0] as number[];
    return {
      input: this.dropoutRate > 0 ? dropout(ones(stepInput, dtype), this.dropoutRate, this.nextSeed()) : undefined,
      state: this.recurrentDropoutRate > 0 ? dropout(ones(h, dtype), this.recurrentDropoutRate, this.nextSeed()) : undefined,
    };
  }

  /** x W + input bias, for a [rows, features] x (a convolutional cell: a batch of images) */
  protected project(x: Tensor, w: CellWeights): Tensor {
    const proj = matMul(x, w.kernel);
    const bias = this.formula.inputBias(w);
    return bias ? add(proj, bias) : proj;
  }

  /**
   * One product projects every step's input (the projection does not depend on the state); the
   * dropout masks are drawn once per sequence, as Keras does. `w` replaces the cell's weights
   * (gradient checks differentiate with respect to them as plain inputs).
   */
  override runSequence(x: Tensor, training: boolean, w: CellWeights = this.cellWeights()): SequenceRun {
    const [batch, steps, ...rest] = x.shape;
    const masks = this.dropoutMasks([batch, ...rest], x.dtype, training);
    const inputs = masks.input ? mul(x, masks.input.reshape([batch, 1, ...rest])) : x;
    const proj = this.project(inputs.reshape([batch * steps, ...rest]), w);
    const whole = proj.reshape([batch, steps, ...proj.shape.slice(1)]);
    const formula = this.formula;
    let stepList: Tensor[] | undefined;
    return {
      // unstacked only when the steps run one at a time (a whole-sequence kernel takes `whole`)
      get steps(): Tensor[] {
        stepList ??= unstack(whole, 1);
        return stepList;
      },
      step: (xProj, states) => formula.step(xProj, states, masks.state ? mul(states[0], masks.state) : states[0], w),
      projection: whole,
      weights: w,
      recurrentDropout: masks.state !== undefined,
      recurrentDropoutMask: masks.state,
    };
  }

  /** One step on its own: [x [batch, features], ...states] -> [output, ...newStates]. */
  call(inputs: Tensor | Tensor[], args: CallArgs = {}): Tensor[] {
    const list = Array.isArray(inputs) ? inputs : [inputs];
    const n = this.formula.stateCount;
    if (list.length !== n + 1) {
      throw this.error(`expected [input, ...${n} state(s)] (${n + 1} tensors), got ${list.length}`);
    }
    const [x, ...states] = list;
    if (x.rank !== this.sequenceRank - 1) throw this.error(`expected a step input ${this.stepLayout}, got [${x.shape}]`);
    const expected = this.stateShapes([...x.shape]);
    states.forEach((s, k) => {
      if (s.shape.join() !== expected[k].join()) throw this.error(`expected states [${expected[k].join(', ')}], got [${s.shape}]`);
    });
    const w = this.cellWeights();
    const masks = this.dropoutMasks([...x.shape], x.dtype, args.training ?? false);
    const xProj = this.project(masks.input ? mul(x, masks.input) : x, w);
    const [out, next] = this.formula.step(xProj, states, masks.state ? mul(states[0], masks.state) : states[0], w);
    return [out, ...next];
  }

  override getConfig(): Record<string, unknown> {
    const a = this.args;
    return {
      ...super.getConfig(), units: this.units, useBias: this.useBias,
      kernelInitializer: a.kernelInitializer ?? 'glorotUniform', recurrentInitializer: a.recurrentInitializer ?? 'orthogonal',
      biasInitializer: a.biasInitializer ?? 'zeros', kernelRegularizer: a.kernelRegularizer ?? null,
      recurrentRegularizer: a.recurrentRegularizer ?? null, biasRegularizer: a.biasRegularizer ?? null,
      kernelConstraint: a.kernelConstraint ?? null, recurrentConstraint: a.recurrentConstraint ?? null,
      biasConstraint: a.biasConstraint ?? null, dropout: this.dropoutRate, recurrentDropout: this.recurrentDropoutRate,
      seed: a.seed ?? null,
    };
  }
}

/** h = activation(x W + h U + b) (tanh by default). */
export class SimpleRNNCell extends GatedCell {
  // a getter, not a field: the base constructors' errors already name the class
  get className(): string {
    return 'SimpleRNNCell';
  }

  readonly formula: SimpleRNNStep;

  constructor(args: SimpleRNNCellLayerArgs) {
    super(args);
    this.formula = new SimpleRNNStep(this.units, this.activationOf(args.activation, 'tanh'));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), activation: this.formula.activation.name };
  }
}

/** The LSTM step (gates i, f, c, o); states [h, c]. Defaults are Keras 3's (sigmoid recurrent activation). */
export class LSTMCell extends GatedCell {
  get className(): string {
    return 'LSTMCell';
  }

  readonly formula: LSTMStep;
  readonly unitForgetBias: boolean;

  constructor(override readonly args: LSTMCellLayerArgs) {
    super(args);
    this.formula = new LSTMStep(this.units, this.activationOf(args.activation, 'tanh'),
      this.activationOf(args.recurrentActivation, 'sigmoid'));
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
      ...super.getConfig(), activation: this.formula.activation.name,
      recurrentActivation: this.formula.recurrentActivation.name, unitForgetBias: this.unitForgetBias,
    };
  }
}

/** The GRU step (gates z, r, h); Keras 3's resetAfter by default (TensorFlow.js' GRUCell has resetAfter false). */
export class GRUCell extends GatedCell {
  get className(): string {
    return 'GRUCell';
  }

  readonly formula: GRUStep;

  constructor(override readonly args: GRUCellLayerArgs) {
    super(args);
    this.formula = new GRUStep(this.units, this.activationOf(args.activation, 'tanh'),
      this.activationOf(args.recurrentActivation, 'sigmoid'), args.resetAfter ?? true);
  }

  get resetAfter(): boolean {
    return this.formula.resetAfter;
  }

  protected override biasShape(): number[] {
    return this.resetAfter ? [2, 3 * this.units] : [3 * this.units];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(), activation: this.formula.activation.name,
      recurrentActivation: this.formula.recurrentActivation.name, resetAfter: this.resetAfter,
    };
  }
}

export interface StackedRNNCellsArgs extends LayerArgs {
  cells: RNNCell[];
}

/**
 * Cells run one after another within each time step (the output of one is the input of the
 * next), as one cell. Its states are the cells' states in reverse order of the cells (the last
 * cell's first), as TensorFlow.js lists them.
 */
export class StackedRNNCells extends RNNCell {
  get className(): string {
    return 'StackedRNNCells';
  }

  readonly cells: RNNCell[];

  constructor(args: StackedRNNCellsArgs) {
    super(args);
    const cells = args?.cells;
    if (!Array.isArray(cells) || cells.length === 0 || !cells.every((c) => c instanceof RNNCell)) {
      throw this.error(`cells must be a non-empty array of RNN cells (layers.lstmCell(...), ...), got ${describe(cells)}`);
    }
    this.cells = [...cells];
  }

  get stateSize(): number[] {
    return [...this.cells].reverse().flatMap((c) => c.stateSizes);
  }

  override get outputSize(): number {
    return this.cells[this.cells.length - 1].outputSize;
  }

  override expectedFeatures(): number | undefined {
    return this.cells[0].expectedFeatures();
  }

  protected override scopeChanged(scope: string | undefined): void {
    // as TensorFlow.js names them: rnn/RNNCell_0/kernel, rnn/RNNCell_1/kernel, ...
    this.cells.forEach((c, i) => { c.scope = scope === undefined ? undefined : `${scope}/RNNCell_${i}`; });
  }

  protected override subLayers(): Layer[] {
    return this.cells;
  }

  override get trainable(): boolean {
    return super.trainable;
  }

  override set trainable(value: boolean) {
    super.trainable = value;
    for (const c of this.cells ?? []) c.trainable = value;
  }

  override build(inputShape: Shape | Shape[]): void {
    let s = isShapeList(inputShape) ? inputShape[0] : inputShape;
    for (const c of this.cells) {
      c.ensureBuilt(s);
      s = [s[0], c.outputSize];
    }
  }

  /** the flat states (last cell's first) as one list per cell, in cell order */
  private perCell(states: Tensor[]): Tensor[][] {
    const rest = [...states];
    const nested: Tensor[][] = [];
    for (const c of [...this.cells].reverse()) nested.unshift(rest.splice(0, c.stateSizes.length));
    return nested;
  }

  private flatten(nested: Tensor[][]): Tensor[] {
    return [...nested].reverse().flat();
  }

  override runSequence(x: Tensor, training: boolean): SequenceRun {
    // only the first cell sees the sequence; the others get the step outputs one at a time
    const first = this.cells[0].runSequence(x, training);
    const later = this.cells.slice(1).map((c) => (input: Tensor, states: Tensor[]) => {
      const out = c.call([input, ...states], { training });
      const list = Array.isArray(out) ? out : [out];
      return [list[0], list.slice(1)] as [Tensor, Tensor[]];
    });
    return {
      steps: first.steps,
      step: (input, states) => {
        const nested = this.perCell(states);
        let [out, next] = first.step(input, nested[0]);
        const newNested = [next];
        later.forEach((step, i) => {
          [out, next] = step(out, nested[i + 1]);
          newNested.push(next);
        });
        return [out, this.flatten(newNested)];
      },
    };
  }

  call(inputs: Tensor | Tensor[], args: CallArgs = {}): Tensor[] {
    const [x, ...states] = Array.isArray(inputs) ? inputs : [inputs];
    const nested = this.perCell(states);
    let out = x;
    const newNested: Tensor[][] = [];
    this.cells.forEach((c, i) => {
      const r = c.call([out, ...nested[i]], args);
      const list = Array.isArray(r) ? r : [r];
      out = list[0];
      newNested.push(list.slice(1));
    });
    return [out, ...this.flatten(newNested)];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), cells: this.cells.map((c) => serializeLayer(c)) };
  }
}

function describe(x: unknown): string {
  if (x instanceof Layer) return `${x.className} "${x.name}"`;
  if (Array.isArray(x)) return `[${x.map(describe).join(', ')}]`;
  return x === undefined ? 'undefined' : x === null ? 'null' : typeof x === 'object' ? x.constructor?.name ?? 'object' : JSON.stringify(x);
}

export { describe as describeValueForLayer };
