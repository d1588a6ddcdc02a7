/**
 * The recurrent wrappers: Bidirectional (a recurrent layer run both ways over the sequence)
 * and TimeDistributed (any layer applied to every time step with shared weights).
 */
import { Tensor } from '../../tensor/tensor.js';
import { add, concat, mul, reverse } from '../../ops/index.js';
import { CallArgs, Layer, LayerArgs, Shape, isShapeList, shapeString, singleShape } from '../layer.js';
import { RNN, gru, lstm, simpleRNN, type RecurrentCallArgs } from './recurrent.js';

export type MergeMode = 'concat' | 'sum' | 'mul' | 'ave' | null;

export interface BidirectionalArgs extends LayerArgs {
  /** the recurrent layer to run forward and (a copy of it) backward */
  layer: RNN;
  /** how to combine the two directions' outputs (default 'concat'); null returns both */
  mergeMode?: MergeMode;
  /** a layer to use as the backward one instead of a copy of `layer` */
  backwardLayer?: RNN;
}

/**
 * Runs a copy of the layer forward and a copy backward (goBackwards flipped) over the sequence
 * and merges their outputs; with returnSequences the backward outputs are reversed back into
 * input order first, so step t of both describes input step t. Weights: forward's, then backward's.
 */
export class Bidirectional extends Layer {
  readonly className = 'Bidirectional';
  readonly forwardLayer: RNN;
  readonly backwardLayer: RNN;
  readonly mergeMode: MergeMode;

  constructor(args: BidirectionalArgs) {
    super({ ...args, batchInputShape: args?.batchInputShape ?? (args?.inputShape ? undefined : args?.layer?.batchInputShape) });
    if (!(args?.layer instanceof RNN)) {
      throw this.error(`layer must be a recurrent layer (simpleRNN, lstm, gru), got ${describe(args?.layer)}`);
    }
    const mode = args.mergeMode === undefined ? 'concat' : args.mergeMode;
    if (mode !== null && !['concat', 'sum', 'mul', 'ave'].includes(mode)) {
      throw this.error(`mergeMode must be 'concat', 'sum', 'mul', 'ave' or null, got ${JSON.stringify(args.mergeMode)}`);
    }
    this.mergeMode = mode;
    const inner = args.layer;
    this.forwardLayer = inner.cloneWith({ name: `forward_${inner.name}` });
    if (args.backwardLayer !== undefined) {
      const b = args.backwardLayer;
      if (!(b instanceof RNN)) throw this.error(`backwardLayer must be a recurrent layer, got ${describe(b)}`);
      if (b.goBackwards === inner.goBackwards || b.returnSequences !== inner.returnSequences ||
        b.returnState !== inner.returnState) {
        throw this.error('backwardLayer must have the opposite goBackwards and the same returnSequences and returnState as layer');
      }
      this.backwardLayer = b;
    } else {
      this.backwardLayer = inner.cloneWith({ name: `backward_${inner.name}`, goBackwards: !inner.goBackwards });
    }
  }

  protected override subLayers(): Layer[] {
    return [this.forwardLayer, this.backwardLayer];
  }

  override get trainable(): boolean {
    return super.trainable;
  }

  override set trainable(value: boolean) {
    super.trainable = value;
    for (const l of this.subLayers()) l.trainable = value;
  }

  computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    const f = this.forwardLayer.computeOutputShape(inputShape);
    const b = this.backwardLayer.computeOutputShape(inputShape);
    const fList = isShapeList(f) ? f : [f];
    const bList = isShapeList(b) ? b : [b];
    const [fo, bo] = [fList[0], bList[0]];
    let merged: Shape[];
    if (this.mergeMode === null) merged = [fo, bo];
    else if (this.mergeMode === 'concat') {
      const last = fo[fo.length - 1]! + bo[bo.length - 1]!;
      merged = [[...fo.slice(0, -1), last]];
    } else merged = [fo];
    const states = [...fList.slice(1), ...bList.slice(1)];
    const all = [...merged, ...states];
    return all.length === 1 ? all[0] : all;
  }

  override build(inputShape: Shape | Shape[]): void {
    this.forwardLayer.ensureBuilt(inputShape);
    this.backwardLayer.ensureBuilt(inputShape);
  }

  override get supportsMasking(): boolean {
    return true;
  }

  override computeMask(_inputs: Tensor | Tensor[], mask?: Tensor): Tensor | undefined {
    return this.forwardLayer.returnSequences ? mask : undefined;
  }

  call(inputs: Tensor | Tensor[], args: RecurrentCallArgs = {}): Tensor | Tensor[] {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    let fInit: Tensor[] | undefined;
    let bInit: Tensor[] | undefined;
    if (args.initialState) {
      const n = args.initialState.length / 2;
      fInit = args.initialState.slice(0, n);
      bInit = args.initialState.slice(n);
    }
    const f = this.forwardLayer.apply(x, { ...args, initialState: fInit } as RecurrentCallArgs);
    const b = this.backwardLayer.apply(x, { ...args, initialState: bInit } as RecurrentCallArgs);
    const fList = Array.isArray(f) ? f : [f];
    const bList = Array.isArray(b) ? b : [b];
    const fo = fList[0];
    let bo = bList[0];
    if (this.backwardLayer.returnSequences) bo = reverse(bo, 1);
    let merged: Tensor[];
    switch (this.mergeMode) {
      case null: merged = [fo, bo]; break;
      case 'concat': merged = [concat([fo, bo], -1)]; break;
      case 'sum': merged = [add(fo, bo)]; break;
      case 'mul': merged = [mul(fo, bo)]; break;
      case 'ave': merged = [mul(add(fo, bo), 0.5)]; break;
    }
    const all = [...merged, ...fList.slice(1), ...bList.slice(1)];
    return all.length === 1 ? all[0] : all;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), mergeMode: this.mergeMode, layer: { className: this.forwardLayer.className, config: this.forwardLayer.getConfig() } };
  }
}

export interface TimeDistributedArgs extends LayerArgs {
  /** the layer to apply to every time step (its weights are shared across steps) */
  layer: Layer;
}

/** Applies a layer to every time step: [batch, t, ...] is folded to [batch * t, ...] and back. */
export class TimeDistributed extends Layer {
  readonly className = 'TimeDistributed';
  readonly layer: Layer;

  constructor(args: TimeDistributedArgs) {
    super(args);
    if (!(args?.layer instanceof Layer)) throw this.error(`layer must be a Layer, got ${describe(args?.layer)}`);
    this.layer = args.layer;
  }

  protected override subLayers(): Layer[] {
    return [this.layer];
  }

  override get trainable(): boolean {
    return super.trainable;
  }

  override set trainable(value: boolean) {
    super.trainable = value;
    this.layer.trainable = value;
  }

  /** Step-wise: the mask of the steps is the mask of the outputs. */
  override get supportsMasking(): boolean {
    return true;
  }

  private stepShape(inputShape: Shape | Shape[]): Shape {
    const s = singleShape(this, inputShape);
    if (s.length < 3) throw this.error(`expected input of rank >= 3 [batch, timesteps, ...], got ${shapeString(s)}`);
    return [null, ...s.slice(2)];
  }

  computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const s = singleShape(this, inputShape);
    const inner = this.layer.computeOutputShape(this.stepShape(inputShape));
    if (isShapeList(inner)) throw this.error(`the wrapped layer "${this.layer.name}" must return one tensor`);
    return [s[0], s[1], ...inner.slice(1)];
  }

  override build(inputShape: Shape | Shape[]): void {
    this.layer.ensureBuilt(this.stepShape(inputShape));
  }

  call(inputs: Tensor | Tensor[], args: CallArgs = {}): Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    const [batch, steps] = x.shape;
    // the mask is per step, and the wrapped layer sees steps folded into the batch
    const { mask: _mask, ...stepArgs } = args as RecurrentCallArgs;
    const y = this.layer.apply(x.reshape([batch * steps, ...x.shape.slice(2)]), stepArgs);
    if (Array.isArray(y)) throw this.error(`the wrapped layer "${this.layer.name}" must return one tensor`);
    return y.reshape([batch, steps, ...y.shape.slice(1)]);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), layer: { className: this.layer.className, config: this.layer.getConfig() } };
  }
}

function describe(x: unknown): string {
  if (x instanceof Layer) return `${x.className} "${x.name}"`;
  return x === undefined ? 'undefined' : typeof x === 'object' ? (x === null ? 'null' : x.constructor?.name ?? 'object') : JSON.stringify(x);
}

/**
 * @example
 * ```ts
 * const bi = st.layers.bidirectional({ layer: st.layers.lstm({ units: 4 }) });
 * console.log(bi.apply(st.ones([2, 5, 3])).shape); // [2, 8]: forward and backward concatenated
 * ```
 */
export const bidirectional = (args: BidirectionalArgs): Bidirectional => new Bidirectional(args);
/**
 * @example
 * ```ts
 * const td = st.layers.timeDistributed({ layer: st.layers.dense({ units: 2 }) });
 * console.log(td.apply(st.ones([1, 5, 3])).shape); // [1, 5, 2]
 * ```
 */
export const timeDistributed = (args: TimeDistributedArgs): TimeDistributed => new TimeDistributed(args);

/** simpleRNN, lstm, gru and their wrappers, for `st.layers` */
export const recurrentFactories = { simpleRNN, lstm, gru, bidirectional, timeDistributed };
