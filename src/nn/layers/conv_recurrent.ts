/**
 * Convolutional recurrence, as Keras and TensorFlow.js have it: ConvLSTM2DCell (the LSTM with
 * convolutions in place of its matrix products; the step formula is ConvLSTMStep in
 * recurrent_cells.ts) and ConvLSTM2D, the RNN layer over that cell.
 *
 * Input is [batch, timesteps, rows, cols, channels] (channels last); the states h and c are
 * [batch, rows', cols', filters], where rows' and cols' are what conv2d with the layer's
 * kernelSize, strides, padding and dilationRate makes of rows and cols. Weights are Keras':
 * kernel [kh, kw, channels, 4 * filters], recurrent_kernel [kh, kw, filters, 4 * filters],
 * bias [4 * filters], gates in the order (i, f, c, o).
 */
import { Tensor } from '../../tensor/tensor.js';
import { add, conv2d } from '../../ops/index.js';
import { Shape, isShapeList, shapeString } from '../layer.js';
import { ConvLSTMStep, type CellWeights } from './recurrent_cells.js';
import { LSTMCell, type LSTMCellLayerArgs } from './rnn_cells.js';
import { BuiltinRNN, cellArgs, type AnyRNNArgs, type RNNLayerArgs } from './recurrent.js';
import { checkPadding, convOutputLength, tupleOf, type PaddingMode } from './convolutional.js';

export interface ConvLSTM2DCellArgs extends Omit<LSTMCellLayerArgs, 'units'> {
  /** output channels of each gate's convolution (the states have this many channels) */
  filters: number;
  /** the convolution window, one number for a square one */
  kernelSize: number | number[];
  /** strides of the input convolution (the recurrent one always has stride 1); default 1 */
  strides?: number | number[];
  /** of the input convolution (the recurrent one is always 'same'); default 'valid' */
  padding?: PaddingMode;
  /** only 'channelsLast' (NHWC) */
  dataFormat?: 'channelsLast';
  /** dilation of the input convolution; default 1; cannot be combined with strides > 1 */
  dilationRate?: number | number[];
}

export type ConvLSTM2DArgs = ConvLSTM2DCellArgs & Omit<AnyRNNArgs, 'cell' | 'inputDim' | 'inputLength'>;

/**
 * One ConvLSTM2D step: [x [batch, rows, cols, channels], h, c] -> [h, h, c]. Run it over a
 * sequence with layers.rnn({cell}) or use layers.convLstm2d.
 */
export class ConvLSTM2DCell extends LSTMCell {
  override get className(): string {
    return 'ConvLSTM2DCell';
  }

  override readonly formula: ConvLSTMStep;
  readonly filters: number;
  readonly kernelSize: number[];
  readonly strides: number[];
  readonly padding: PaddingMode;
  readonly dataFormat = 'channelsLast' as const;
  readonly dilationRate: number[];

  constructor(args: ConvLSTM2DCellArgs) {
    super({ ...(args ?? {}), units: args?.filters } as LSTMCellLayerArgs);
    this.filters = this.units;
    this.formula = new ConvLSTMStep(this.units, this.activationOf(args.activation, 'tanh'),
      this.activationOf(args.recurrentActivation, 'sigmoid'));
    if (args.kernelSize === undefined) throw this.error('kernelSize is required (a positive integer or 2 of them)');
    this.kernelSize = tupleOf(this, 'kernelSize', args.kernelSize, 2);
    this.strides = tupleOf(this, 'strides', args.strides, 2, [1, 1]);
    this.padding = checkPadding(this, args.padding) as PaddingMode;
    if (args.dataFormat !== undefined && args.dataFormat !== 'channelsLast') {
      throw this.error(`only dataFormat 'channelsLast' (NHWC) is supported, got ${JSON.stringify(args.dataFormat)}`);
    }
    this.dilationRate = tupleOf(this, 'dilationRate', args.dilationRate, 2, [1, 1]);
    if (this.strides.some((s) => s > 1) && this.dilationRate.some((d) => d > 1)) {
      throw this.error(`strides ${JSON.stringify(this.strides)} > 1 and dilationRate ${JSON.stringify(this.dilationRate)} > 1 ` +
        'cannot be combined');
    }
  }

  protected override get unitsOption(): string {
    return 'filters';
  }

  override get sequenceRank(): number {
    return 5;
  }

  override get sequenceLayout(): string {
    return '[batch, timesteps, rows, cols, channels]';
  }

  override get stepLayout(): string {
    return '[batch, rows, cols, channels]';
  }

  /** rows and cols of the states for an input of `rows` x `cols` (null when unknown) */
  private spatialOut(rows: number | null, cols: number | null): [number | null, number | null] {
    return [rows, cols].map((n, i) => convOutputLength(n, this.kernelSize[i], this.padding, this.strides[i], this.dilationRate[i])) as
      [number | null, number | null];
  }

  /** the complaint when the kernel does not fit in an input of this shape (rows and cols at `at`) */
  private tooSmall(s: Shape, at: number): string | undefined {
    if (!this.spatialOut(s[at], s[at + 1]).some((n) => n !== null && n <= 0)) return undefined;
    return `input ${shapeString(s)} is smaller than the kernel ${JSON.stringify(this.kernelSize)}` +
      `${this.dilationRate.some((d) => d > 1) ? ` dilated by ${JSON.stringify(this.dilationRate)}` : ''} with padding 'valid'`;
  }

  override sequenceShapeProblem(s: Shape): string | undefined {
    const channels = s[4];
    if (channels === null) return `the channels dimension (last) must be known, got ${shapeString(s)}`;
    const expected = this.expectedFeatures();
    if (expected !== undefined && expected !== channels) {
      return `expected input [batch, timesteps, rows, cols, ${expected}], got ${shapeString(s)}`;
    }
    return this.tooSmall(s, 2);
  }

  override stateShapes(stepInput: Shape): Shape[] {
    const problem = this.tooSmall(stepInput, 1);
    if (problem !== undefined) throw this.error(problem);
    const [rows, cols] = this.spatialOut(stepInput[1] ?? null, stepInput[2] ?? null);
    const shape: Shape = [stepInput[0], rows, cols, this.filters];
    return [shape, [...shape]];
  }

  override stepOutputShape(stepInput: Shape): Shape {
    return this.stateShapes(stepInput)[0];
  }

  /** [x, h, c] (or x alone) -> [h, h, c], each [batch, rows', cols', filters]. */
  override computeOutputShape(inputShape: Shape | Shape[]): Shape[] {
    const x = isShapeList(inputShape) ? inputShape[0] : inputShape;
    if (x.length !== 4) throw this.error(`expected a step input ${this.stepLayout}, got ${shapeString(x)}`);
    const f = this.expectedFeatures();
    if (x[3] === null) throw this.error(`the channels dimension (last) must be known, got ${shapeString(x)}`);
    if (f !== undefined && x[3] !== f) throw this.error(`expected a step input [batch, rows, cols, ${f}], got ${shapeString(x)}`);
    const [h, c] = this.stateShapes(x);
    return [h, [...h], c];
  }

  protected override kernelShape(channels: number): number[] {
    return [...this.kernelSize, channels, 4 * this.filters];
  }

  protected override recurrentKernelShape(): number[] {
    return [...this.kernelSize, this.filters, 4 * this.filters];
  }

  /** conv2d(x, W) + b for a batch of images [n, rows, cols, channels] */
  protected override project(x: Tensor, w: CellWeights): Tensor {
    const y = conv2d(x, w.kernel, this.strides as [number, number], this.padding, 'NHWC', this.dilationRate as [number, number]);
    return w.bias ? add(y, w.bias) : y;
  }

  override getConfig(): Record<string, unknown> {
    const { units: _units, ...config } = super.getConfig();
    return {
      ...config, filters: this.filters, kernelSize: [...this.kernelSize], padding: this.padding, dataFormat: this.dataFormat,
      dilationRate: [...this.dilationRate], strides: [...this.strides],
    };
  }
}

/**
 * A convolutional LSTM over [batch, timesteps, rows, cols, channels]: each step's gates are
 * convolutions of the frame and of the previous h, so the state keeps its rows and cols (video
 * and next-frame prediction). Output [batch, rows', cols', filters], or
 * [batch, timesteps, rows', cols', filters] with returnSequences.
 */
export class ConvLSTM2D extends BuiltinRNN<ConvLSTM2DCell> {
  override get className(): string {
    return 'ConvLSTM2D';
  }

  constructor(override readonly args: ConvLSTM2DArgs) {
    super(args as unknown as RNNLayerArgs, () => new ConvLSTM2DCell(cellArgs(args)));
  }

  get filters(): number {
    return this.cell.filters;
  }

  get kernelSize(): number[] {
    return this.cell.kernelSize;
  }

  get strides(): number[] {
    return this.cell.strides;
  }

  get padding(): PaddingMode {
    return this.cell.padding;
  }

  get dataFormat(): 'channelsLast' {
    return this.cell.dataFormat;
  }

  get dilationRate(): number[] {
    return this.cell.dilationRate;
  }

  get unitForgetBias(): boolean {
    return this.cell.unitForgetBias;
  }
}

/** `layers.convLstm2d({filters, kernelSize, ...})` and `layers.convLstm2dCell(...)` (their option keys are checked from layer_options.ts). */
export const convRecurrentFactories = {
  /**
   * @example
   * ```ts
   * // 4 frames of 8x8 single-channel images -> the last step's 8x8x3 state
   * const layer = st.layers.convLstm2d({ filters: 3, kernelSize: 3, padding: 'same' });
   * console.log(layer.apply(st.ones([2, 4, 8, 8, 1])).shape); // [2, 8, 8, 3]
   * ```
   */
  convLstm2d: (args: ConvLSTM2DArgs): ConvLSTM2D => new ConvLSTM2D(args),
  /**
   * @example
   * ```ts
   * const rnn = st.layers.rnn({ cell: st.layers.convLstm2dCell({ filters: 2, kernelSize: 3 }), returnSequences: true });
   * console.log(rnn.apply(st.ones([1, 5, 6, 6, 1])).shape); // [1, 5, 4, 4, 2]
   * ```
   */
  convLstm2dCell: (args: ConvLSTM2DCellArgs): ConvLSTM2DCell => new ConvLSTM2DCell(args),
};
