/**
 * Convolution layers, channels-last: Conv1D, Conv2D, DepthwiseConv2D, SeparableConv2D,
 * Conv2DTranspose, and the shape helpers ZeroPadding2D and UpSampling2D (nearest).
 * Kernels are [kh, kw, inC, outC] (Conv1D [k, inC, outC]; Conv2DTranspose [kh, kw, outC, inC]).
 */
import { Tensor } from '../../tensor/tensor.js';
import * as ops from '../../ops/index.js';
import { resizeBilinear } from '../../ops/image/index.js';
import { Layer, LayerArgs, Shape, shapeString, singleShape } from '../layer.js';
import { getActivation, type ActivationIdentifier } from '../activations.js';
import { getInitializer, type InitializerIdentifier } from '../initializers.js';
import { getRegularizer, type RegularizerIdentifier } from '../regularizers.js';
import { getConstraint, type ConstraintIdentifier } from '../constraints.js';

export type PaddingMode = 'valid' | 'same';

function one(inputs: Tensor | Tensor[]): Tensor {
  return Array.isArray(inputs) ? inputs[0] : inputs;
}

/** A number or a list of `n` positive integers as a list of `n`; throws naming the layer. */
export function tupleOf(layer: Layer & { className: string }, what: string, value: unknown, n: number, fallback?: number[]): number[] {
  if (value === undefined && fallback) return fallback;
  const list = typeof value === 'number' ? new Array<number>(n).fill(value) : value;
  if (!Array.isArray(list) || list.length !== n || !list.every((v) => Number.isInteger(v) && v > 0)) {
    throw new Error(`${layer.className} "${layer.name}": ${what} must be a positive integer or ${n} of them, ` +
      `got ${JSON.stringify(value)}`);
  }
  return [...list];
}

export function checkPadding(layer: Layer, value: unknown, allowed: readonly string[] = ['valid', 'same']): string {
  const p = value ?? 'valid';
  if (typeof p !== 'string' || !allowed.includes(p)) {
    throw new Error(`${layer.className} "${layer.name}": padding must be ${allowed.map((a) => `'${a}'`).join(' or ')}, ` +
      `got ${JSON.stringify(value)}`);
  }
  return p;
}

function checkDataFormat(layer: Layer, value: unknown): void {
  if (value !== undefined && value !== 'channelsLast') {
    throw new Error(`${layer.className} "${layer.name}": only dataFormat 'channelsLast' (NHWC) is supported, got ${JSON.stringify(value)}`);
  }
}

/** Keras' conv_output_length: 'same' -> ceil(in / stride), 'valid' -> ceil((in - dilatedKernel + 1) / stride). */
export function convOutputLength(size: number | null, kernel: number, padding: string, stride: number, dilation = 1): number | null {
  if (size === null) return null;
  const k = (kernel - 1) * dilation + 1;
  const covered = padding === 'same' ? size : padding === 'causal' ? size : size - k + 1;
  return Math.ceil(covered / stride);
}

/** Options shared by the convolution layers. */
export interface BaseConvArgs extends LayerArgs {
  kernelSize: number | number[];
  strides?: number | number[];
  padding?: PaddingMode;
  dataFormat?: 'channelsLast';
  dilationRate?: number | number[];
  activation?: ActivationIdentifier | null;
  useBias?: boolean;
  biasInitializer?: InitializerIdentifier;
  biasRegularizer?: RegularizerIdentifier;
  biasConstraint?: ConstraintIdentifier;
}

export interface ConvArgs extends BaseConvArgs {
  filters: number;
  /**
   * Keras' grouped convolution (default 1): input channels and filters split into this many
   * groups, each group of filters seeing only its own group of channels (AlexNet's two towers).
   */
  groups?: number;
  kernelInitializer?: InitializerIdentifier;
  kernelRegularizer?: RegularizerIdentifier;
  kernelConstraint?: ConstraintIdentifier;
}

export interface Conv1DArgs extends Omit<ConvArgs, 'padding'> {
  /** 'causal' pads only the start, so step t sees steps <= t (WaveNet) */
  padding?: PaddingMode | 'causal';
}

/** What every convolution layer has: kernel geometry, activation, bias, and the spatial output arithmetic. */
export abstract class BaseConv extends Layer {
  readonly kernelSize: number[];
  readonly strides: number[];
  readonly padding: string;
  readonly dilationRate: number[];
  readonly activation;
  readonly useBias: boolean;
  bias?: Tensor;
  protected abstract readonly spatialRank: number;
  protected abstract readonly layout: string;

  constructor(protected readonly baseArgs: BaseConvArgs, rank: number, paddings?: readonly string[]) {
    super(baseArgs);
    if (!baseArgs) throw this.error('expected options such as { filters, kernelSize }');
    checkDataFormat(this, baseArgs.dataFormat);
    this.kernelSize = tupleOf(this, 'kernelSize', baseArgs.kernelSize, rank);
    this.strides = tupleOf(this, 'strides', baseArgs.strides, rank, new Array<number>(rank).fill(1));
    this.padding = checkPadding(this, baseArgs.padding, paddings);
    this.dilationRate = tupleOf(this, 'dilationRate', baseArgs.dilationRate, rank, new Array<number>(rank).fill(1));
    if (this.strides.some((s) => s > 1) && this.dilationRate.some((d) => d > 1)) {
      throw this.error(`strides ${JSON.stringify(this.strides)} > 1 and dilationRate ${JSON.stringify(this.dilationRate)} > 1 ` +
        'cannot be combined');
    }
    this.activation = getActivation(baseArgs.activation, label(this));
    this.useBias = baseArgs.useBias ?? true;
  }

  /** Checks [batch, ...spatial, channels] and returns it with the channel count. */
  protected checkInput(inputShape: Shape | Shape[]): { s: Shape; channels: number } {
    const s = singleShape(this, inputShape, this.spatialRank + 2, this.layout);
    const channels = s[s.length - 1];
    if (channels === null) throw this.error(`the channels dimension (last) must be known, got ${shapeString(s)}`);
    return { s, channels };
  }

  /** Spatial output sizes of a forward convolution; throws when the input is smaller than the kernel. */
  protected spatialOut(s: Shape): (number | null)[] {
    return this.kernelSize.map((k, i) => {
      const out = convOutputLength(s[i + 1], k, this.padding, this.strides[i], this.dilationRate[i]);
      if (out !== null && out <= 0) {
        throw this.error(`input ${shapeString(s)} is smaller than the kernel ${JSON.stringify(this.kernelSize)}` +
          `${this.dilationRate.some((d) => d > 1) ? ` dilated by ${JSON.stringify(this.dilationRate)}` : ''} with padding 'valid'`);
      }
      return out;
    });
  }

  protected addBias(size: number): void {
    if (!this.useBias) return;
    this.bias = this.addWeight('bias', [size], getInitializer(this.baseArgs.biasInitializer ?? 'zeros'), {
      regularizer: getRegularizer(this.baseArgs.biasRegularizer), constraint: getConstraint(this.baseArgs.biasConstraint),
    });
  }

  protected finish(y: Tensor): Tensor {
    return this.activation.apply(this.bias ? ops.add(y, this.bias) : y);
  }

  override getConfig(): Record<string, unknown> {
    const a = this.baseArgs;
    return {
      ...super.getConfig(), kernelSize: [...this.kernelSize], strides: [...this.strides], padding: this.padding,
      dataFormat: 'channelsLast', dilationRate: [...this.dilationRate], activation: this.activation.name, useBias: this.useBias,
      biasInitializer: a.biasInitializer ?? 'zeros', biasRegularizer: a.biasRegularizer ?? null, biasConstraint: a.biasConstraint ?? null,
    };
  }
}

/** Conv1D / Conv2D: `filters` kernels over every input channel. */
export abstract class Conv extends BaseConv {
  readonly filters: number;
  readonly groups: number;
  kernel?: Tensor;

  constructor(protected readonly args: ConvArgs | Conv1DArgs, rank: number, paddings?: readonly string[]) {
    super(args as BaseConvArgs, rank, paddings);
    if (!Number.isInteger(args.filters) || args.filters <= 0) {
      throw this.error(`filters must be a positive integer, got ${JSON.stringify(args.filters)}`);
    }
    this.filters = args.filters;
    this.groups = args.groups ?? 1;
    if (!Number.isInteger(this.groups) || this.groups <= 0 || this.filters % this.groups !== 0) {
      throw this.error(`groups must be a positive integer that divides filters (${this.filters}), got ${JSON.stringify(args.groups)}`);
    }
  }

  computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const { s, channels } = this.checkInput(inputShape);
    if (channels % this.groups !== 0) {
      throw this.error(`groups (${this.groups}) must divide the input channels, got input ${shapeString(s)}`);
    }
    if (this.kernel && this.kernel.shape[this.spatialRank] * this.groups !== channels) {
      throw this.error(`was built for ${this.kernel.shape[this.spatialRank] * this.groups} input channels, got input ${shapeString(s)}`);
    }
    return [s[0], ...this.spatialOut(s), this.filters];
  }

  override build(inputShape: Shape | Shape[]): void {
    const { channels } = this.checkInput(inputShape);
    this.kernel = this.addWeight('kernel', [...this.kernelSize, channels / this.groups, this.filters],
      getInitializer(this.args.kernelInitializer ?? 'glorotUniform'),
      { regularizer: getRegularizer(this.args.kernelRegularizer), constraint: getConstraint(this.args.kernelConstraint) });
    this.addBias(this.filters);
  }

  /**
   * `convolve` on each group of channels with its slice of the kernel, joined along channels;
   * one call when there is one group.
   */
  protected grouped(x: Tensor, convolve: (x: Tensor, kernel: Tensor) => Tensor): Tensor {
    if (this.groups === 1) return convolve(x, this.kernel!);
    const kernels = ops.split(this.kernel!, this.groups, -1);
    return ops.concat(ops.split(x, this.groups, -1).map((xg, g) => convolve(xg, kernels[g])), -1);
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(), filters: this.filters, kernelInitializer: this.args.kernelInitializer ?? 'glorotUniform',
      kernelRegularizer: this.args.kernelRegularizer ?? null, kernelConstraint: this.args.kernelConstraint ?? null,
      // written only when used: TensorFlow.js' Conv2D has no groups, and its files stay as they were
      ...(this.groups !== 1 ? { groups: this.groups } : {}),
    };
  }
}

/** 1-D convolution over steps: [batch, steps, channels] -> [batch, newSteps, filters]. */
export class Conv1D extends Conv {
  get className(): string {
    return 'Conv1D';
  }
  protected readonly spatialRank = 1;
  protected readonly layout = '[batch, steps, channels]';

  constructor(args: Conv1DArgs) {
    super(args, 1, ['valid', 'same', 'causal']);
  }

  call(inputs: Tensor | Tensor[]): Tensor {
    let x = one(inputs);
    let pad = this.padding as 'valid' | 'same';
    if (this.padding === 'causal') {
      x = ops.pad(x, [[0, 0], [(this.kernelSize[0] - 1) * this.dilationRate[0], 0], [0, 0]]);
      pad = 'valid';
    }
    return this.finish(this.grouped(x, (xg, k) => ops.conv1d(xg, k, this.strides[0], pad, 'NWC', this.dilationRate[0])));
  }
}

/** 2-D convolution: [batch, h, w, channels] -> [batch, newH, newW, filters]; kernel [kh, kw, inC, filters]. */
export class Conv2D extends Conv {
  get className(): string {
    return 'Conv2D';
  }
  protected readonly spatialRank = 2;
  protected readonly layout = '[batch, height, width, channels]';

  constructor(args: ConvArgs) {
    super(args, 2);
  }

  call(inputs: Tensor | Tensor[]): Tensor {
    const act = this.activation.name;
    if (this.groups !== 1) {
      // the fused kernel takes one whole filter bank; groups convolve separately, then bias and activation
      return this.finish(this.grouped(one(inputs), (x, k) => ops.conv2d(x, k, this.strides as [number, number],
        this.padding as PaddingMode, 'NHWC', this.dilationRate as [number, number])));
    }
    if (act === 'relu' || act === 'linear') {
      return ops.fused.conv2d({
        x: one(inputs), filter: this.kernel!, strides: this.strides as [number, number], pad: this.padding as PaddingMode,
        dilations: this.dilationRate as [number, number], bias: this.bias ?? null, activation: act,
      });
    }
    return this.finish(ops.conv2d(one(inputs), this.kernel!, this.strides as [number, number], this.padding as PaddingMode,
      'NHWC', this.dilationRate as [number, number]));
  }
}

export interface DepthwiseConv2DArgs extends BaseConvArgs {
  /** output channels per input channel (default 1) */
  depthMultiplier?: number;
  depthwiseInitializer?: InitializerIdentifier;
  depthwiseRegularizer?: RegularizerIdentifier;
  depthwiseConstraint?: ConstraintIdentifier;
}

/** Each input channel convolved with its own depthMultiplier kernels: kernel [kh, kw, inC, depthMultiplier]. */
export class DepthwiseConv2D extends BaseConv {
  get className(): string {
    return 'DepthwiseConv2D';
  }
  protected readonly spatialRank = 2;
  protected readonly layout = '[batch, height, width, channels]';
  readonly depthMultiplier: number;
  depthwiseKernel?: Tensor;

  constructor(protected readonly dwArgs: DepthwiseConv2DArgs) {
    super(dwArgs, 2);
    const m = dwArgs.depthMultiplier ?? 1;
    if (!Number.isInteger(m) || m <= 0) throw this.error(`depthMultiplier must be a positive integer, got ${JSON.stringify(m)}`);
    this.depthMultiplier = m;
  }

  protected outChannels(channels: number): number {
    return channels * this.depthMultiplier;
  }

  computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const { s, channels } = this.checkInput(inputShape);
    if (this.depthwiseKernel && this.depthwiseKernel.shape[2] !== channels) {
      throw this.error(`was built for ${this.depthwiseKernel.shape[2]} input channels, got input ${shapeString(s)}`);
    }
    return [s[0], ...this.spatialOut(s), this.outChannels(channels)];
  }

  protected addDepthwiseKernel(channels: number): void {
    const a = this.dwArgs;
    this.depthwiseKernel = this.addWeight('depthwise_kernel', [...this.kernelSize, channels, this.depthMultiplier],
      getInitializer(a.depthwiseInitializer ?? 'glorotUniform'),
      { regularizer: getRegularizer(a.depthwiseRegularizer), constraint: getConstraint(a.depthwiseConstraint) });
  }

  override build(inputShape: Shape | Shape[]): void {
    const { channels } = this.checkInput(inputShape);
    this.addDepthwiseKernel(channels);
    this.addBias(channels * this.depthMultiplier);
  }

  call(inputs: Tensor | Tensor[]): Tensor {
    return this.finish(ops.depthwiseConv2d(one(inputs), this.depthwiseKernel!, this.strides as [number, number],
      this.padding as PaddingMode, 'NHWC', this.dilationRate as [number, number]));
  }

  override getConfig(): Record<string, unknown> {
    const a = this.dwArgs;
    return {
      ...super.getConfig(), depthMultiplier: this.depthMultiplier, depthwiseInitializer: a.depthwiseInitializer ?? 'glorotUniform',
      depthwiseRegularizer: a.depthwiseRegularizer ?? null, depthwiseConstraint: a.depthwiseConstraint ?? null,
    };
  }
}

export interface SeparableConv2DArgs extends DepthwiseConv2DArgs {
  filters: number;
  pointwiseInitializer?: InitializerIdentifier;
  pointwiseRegularizer?: RegularizerIdentifier;
  pointwiseConstraint?: ConstraintIdentifier;
}

/** A depthwise convolution then a 1x1 convolution to `filters` channels (Xception, MobileNet). */
export class SeparableConv2D extends DepthwiseConv2D {
  override get className(): string {
    return 'SeparableConv2D';
  }
  readonly filters: number;
  pointwiseKernel?: Tensor;

  constructor(private readonly sepArgs: SeparableConv2DArgs) {
    super(sepArgs);
    if (!Number.isInteger(sepArgs.filters) || sepArgs.filters <= 0) {
      throw this.error(`filters must be a positive integer, got ${JSON.stringify(sepArgs.filters)}`);
    }
    this.filters = sepArgs.filters;
  }

  protected override outChannels(): number {
    return this.filters;
  }

  override build(inputShape: Shape | Shape[]): void {
    const { channels } = this.checkInput(inputShape);
    this.addDepthwiseKernel(channels);
    const a = this.sepArgs;
    this.pointwiseKernel = this.addWeight('pointwise_kernel', [1, 1, channels * this.depthMultiplier, this.filters],
      getInitializer(a.pointwiseInitializer ?? 'glorotUniform'),
      { regularizer: getRegularizer(a.pointwiseRegularizer), constraint: getConstraint(a.pointwiseConstraint) });
    this.addBias(this.filters);
  }

  override call(inputs: Tensor | Tensor[]): Tensor {
    return this.finish(ops.separableConv2d(one(inputs), this.depthwiseKernel!, this.pointwiseKernel!,
      this.strides as [number, number], this.padding as PaddingMode, this.dilationRate as [number, number]));
  }

  override getConfig(): Record<string, unknown> {
    const a = this.sepArgs;
    return {
      ...super.getConfig(), filters: this.filters, pointwiseInitializer: a.pointwiseInitializer ?? 'glorotUniform',
      pointwiseRegularizer: a.pointwiseRegularizer ?? null, pointwiseConstraint: a.pointwiseConstraint ?? null,
    };
  }
}

/**
 * What the transposed convolutions (Conv2DTranspose, Conv3DTranspose) share: no dilation and no
 * groups, each spatial size n becomes n*s ('same') or n*s + max(k - s, 0) ('valid'), and the
 * kernel is [...kernelSize, filters, inC]. Each subclass calls its own op.
 */
export abstract class ConvTranspose extends Conv {
  constructor(args: ConvArgs, rank: number) {
    super(args, rank);
    if (this.dilationRate.some((d) => d !== 1)) throw this.error(`dilationRate other than 1 is not supported, got ${JSON.stringify(this.dilationRate)}`);
    if (this.groups !== 1) throw this.error(`groups other than 1 is not supported, got ${this.groups}`);
  }

  protected outSizes(s: Shape): (number | null)[] {
    return this.kernelSize.map((k, i) => {
      const n = s[i + 1];
      if (n === null) return null;
      const st = this.strides[i];
      return this.padding === 'same' ? n * st : n * st + Math.max(k - st, 0);
    });
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const { s, channels } = this.checkInput(inputShape);
    // the kernel's last axis is the input channels
    const built = this.kernel?.shape[this.kernel.shape.length - 1];
    if (built !== undefined && built !== channels) {
      throw this.error(`was built for ${built} input channels, got input ${shapeString(s)}`);
    }
    return [s[0], ...this.outSizes(s), this.filters];
  }

  override build(inputShape: Shape | Shape[]): void {
    const { channels } = this.checkInput(inputShape);
    this.kernel = this.addWeight('kernel', [...this.kernelSize, this.filters, channels],
      getInitializer(this.args.kernelInitializer ?? 'glorotUniform'),
      { regularizer: getRegularizer(this.args.kernelRegularizer), constraint: getConstraint(this.args.kernelConstraint) });
    this.addBias(this.filters);
  }
}

/**
 * Transposed convolution ("deconvolution"), the upsampling half of autoencoders and U-Nets:
 * [batch, h, w, inC] -> [batch, h*s + max(k - s, 0) ('valid') or h*s ('same'), ..., filters].
 * Kernel [kh, kw, filters, inC].
 */
export class Conv2DTranspose extends ConvTranspose {
  get className(): string {
    return 'Conv2DTranspose';
  }
  protected readonly spatialRank = 2;
  protected readonly layout = '[batch, height, width, channels]';

  constructor(args: ConvArgs) {
    super(args, 2);
  }

  call(inputs: Tensor | Tensor[]): Tensor {
    const x = one(inputs);
    const [h, w] = this.outSizes([...x.shape]) as number[];
    return this.finish(ops.conv2dTranspose(x, this.kernel!, [x.shape[0], h, w, this.filters],
      this.strides as [number, number], this.padding as PaddingMode));
  }
}

export interface ZeroPadding2DArgs extends LayerArgs {
  /** n (every side), [h, w] (top = bottom = h, left = right = w) or [[top, bottom], [left, right]]; default 1 */
  padding?: number | [number, number] | [[number, number], [number, number]];
  dataFormat?: 'channelsLast';
}

/** Adds rows and columns of zeros around each image: [batch, h, w, c] -> [batch, h + t + b, w + l + r, c]. */
export class ZeroPadding2D extends Layer {
  get className(): string {
    return 'ZeroPadding2D';
  }
  readonly padding: [[number, number], [number, number]];

  constructor(args: ZeroPadding2DArgs = {}) {
    super(args);
    checkDataFormat(this, args.dataFormat);
    const p = args.padding ?? 1;
    const ok = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0;
    if (ok(p)) this.padding = [[p, p], [p, p]];
    else if (Array.isArray(p) && p.length === 2 && p.every(ok)) this.padding = [[p[0], p[0]], [p[1], p[1]]] as [[number, number], [number, number]];
    else if (Array.isArray(p) && p.length === 2 && p.every((q) => Array.isArray(q) && q.length === 2 && q.every(ok))) {
      const q = p as [[number, number], [number, number]];
      this.padding = [[q[0][0], q[0][1]], [q[1][0], q[1][1]]];
    } else {
      throw this.error(`padding must be n, [h, w] or [[top, bottom], [left, right]] of non-negative integers, got ${JSON.stringify(p)}`);
    }
  }

  computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const s = singleShape(this, inputShape, 4, '[batch, height, width, channels]');
    const [[t, b], [l, r]] = this.padding;
    return [s[0], s[1] === null ? null : s[1] + t + b, s[2] === null ? null : s[2] + l + r, s[3]];
  }

  call(inputs: Tensor | Tensor[]): Tensor {
    return ops.pad(one(inputs), [[0, 0], this.padding[0], this.padding[1], [0, 0]]);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), padding: this.padding.map((p) => [...p]), dataFormat: 'channelsLast' };
  }
}

export interface UpSampling2DArgs extends LayerArgs {
  /** repeats of rows and columns, default [2, 2] */
  size?: number | [number, number];
  /** 'nearest' (default) or 'bilinear' */
  interpolation?: 'nearest' | 'bilinear';
  dataFormat?: 'channelsLast';
}

/**
 * Upsampling by whole factors: nearest repeats each pixel size[0] x size[1] times; bilinear
 * interpolates as TensorFlow.js' layer does (resizeBilinear without aligned corners or half-pixel
 * centres, so that converted files predict what TensorFlow.js predicts).
 */
export class UpSampling2D extends Layer {
  get className(): string {
    return 'UpSampling2D';
  }
  readonly size: number[];
  readonly interpolation: 'nearest' | 'bilinear';

  constructor(args: UpSampling2DArgs = {}) {
    super(args);
    checkDataFormat(this, args.dataFormat);
    this.size = tupleOf(this, 'size', args.size, 2, [2, 2]);
    if (args.interpolation !== undefined && args.interpolation !== 'nearest' && args.interpolation !== 'bilinear') {
      throw this.error(`interpolation must be 'nearest' or 'bilinear', got ${JSON.stringify(args.interpolation)}`);
    }
    this.interpolation = args.interpolation ?? 'nearest';
  }

  computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const s = singleShape(this, inputShape, 4, '[batch, height, width, channels]');
    return [s[0], s[1] === null ? null : s[1] * this.size[0], s[2] === null ? null : s[2] * this.size[1], s[3]];
  }

  call(inputs: Tensor | Tensor[]): Tensor {
    const x = one(inputs);
    const [b, h, w, c] = x.shape;
    const [sh, sw] = this.size;
    if (sh === 1 && sw === 1) return x;
    if (this.interpolation === 'bilinear') return resizeBilinear(x, [h * sh, w * sw]);
    const tiled = ops.tile(ops.reshape(x, [b, h, 1, w, 1, c]), [1, 1, sh, 1, sw, 1]);
    return ops.reshape(tiled, [b, h * sh, w * sw, c]);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), size: [...this.size], interpolation: this.interpolation, dataFormat: 'channelsLast' };
  }
}

/** `Conv2D "conv2d_1"`, for messages. */
function label(layer: Layer): string {
  return `${layer.className} "${layer.name}"`;
}
