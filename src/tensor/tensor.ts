/**
 * `Tensor`: a shape, a dtype and a handle to storage owned by a backend. The values never live
 * here; they cross into JavaScript only on `dataSync()`/`data()`/`array()`.
 */
import type { Backend, DataId, DType, TypedArray } from '../backend/types.js';
import { sizeFromShape } from '../backend/shape_util.js';

/**
 * One recorded step of the tape: the tensors an op read (the edges gradients flow back along)
 * and the rule that maps the output's gradient to one gradient per input (null: none flows).
 */
export interface TapeNode {
  readonly opName: string;
  inputs: readonly Tensor[];
  backward: ((dy: Tensor) => readonly (Tensor | null)[]) | null;
  /** tensors the forward pass made that the backward rule reads (tidy keeps them with the output) */
  saved?: readonly Tensor[];
  /**
   * the op's own handles on the variables it read (see runOp): nothing outside the op holds them,
   * so a backward pass that releases the graph disposes them, and an optimizer may then update
   * the variables' storage in place
   */
  snapshots?: readonly Tensor[];
}

/** Nested arrays of numbers, booleans or strings, as `array()` returns them. */
export type NestedArray = number | boolean | string | NestedArray[];

/** The dtypes whose values are numbers (every one but 'string'). */
export type NumericDType = Exclude<DType, 'string'>;

/** What `dataSync()` returns for each dtype (TensorFlow.js' DataTypeMap): `t.dataSync<'string'>()` types strings. */
export interface DataTypeMap {
  float32: Float32Array;
  float64: Float64Array;
  int32: Int32Array;
  bool: Uint8Array;
  /** complex: the parts interleaved (re, im, ...) */
  complex64: Float32Array;
  complex128: Float64Array;
  string: string[];
}

// not fatal: bytes that are not UTF-8 read as U+FFFD, as TensorFlow.js reads them (bytes() gives them exactly)
const utf8 = new TextDecoder('utf-8');

/**
 * The UTF-8 text of each byte string.
 *
 * @example
 * ```ts
 * console.log(st.decodeStrings([new TextEncoder().encode('héllo')])); // ['héllo']
 * ```
 */
export function decodeStrings(values: readonly Uint8Array[]): string[] {
  const out = new Array<string>(values.length);
  for (let i = 0; i < values.length; i++) out[i] = utf8.decode(values[i]);
  return out;
}

/**
 * A copy of a tensor's storage on `to` (another backend), whatever its dtype.
 *
 * @example
 * ```ts
 * const x = st.tensor1d([1, 2, 3]);
 * const dataId = st.copyStorage(x, st.findBackend('js')!); // x's values, now also held by the js backend
 * console.log(st.findBackend('js')!.read(dataId)); // Float32Array [1, 2, 3]
 * ```
 */
export function copyStorage(t: Tensor, to: Backend): DataId {
  if (t.dtype === 'string') return to.writeStrings(t.backend.readStrings(t.dataId).map((b) => b.slice()));
  return to.write(t.backend.read(t.dataId).slice(), t.dtype);
}

let nextTensorId = 0;

/** Hooks the engine installs so that this file needs nothing above it. */
export const tensorHooks = {
  onCreate: (_t: Tensor): void => {},
  onDispose: (_t: Tensor): void => {},
  onStorageChange: (_t: Tensor): void => {},
  format: (t: Tensor, _verbose?: boolean): string => `Tensor ${JSON.stringify(t.shape)} ${t.dtype}`,
};

export class Tensor {
  readonly id = nextTensorId++;
  readonly shape: readonly number[];
  readonly dtype: DType;
  readonly size: number;
  /** Storage handle on `backend`. A Variable's assign() swaps it. */
  dataId: DataId;
  backend: Backend;
  /** Leaves with requiresGrad get `.grad` filled by `backward()` (PyTorch style). */
  requiresGrad = false;
  /** Accumulated gradient after `loss.backward()`; set it to null to reset. */
  grad: Tensor | null = null;
  /** How this tensor was made, when it was recorded on the tape. */
  node: TapeNode | null = null;
  /**
   * The engine's record of this tensor's storage, which releases it when the tensor is
   * collected (a field, not a WeakMap entry: one per tensor made, and ops make many).
   */
  engineRecord: unknown = undefined;
  private disposedFlag = false;

  constructor(dataId: DataId, shape: readonly number[], dtype: DType, backend: Backend) {
    this.dataId = dataId;
    this.shape = Object.freeze([...shape]);
    this.dtype = dtype;
    this.size = sizeFromShape(shape);
    this.backend = backend;
    tensorHooks.onCreate(this);
  }

  get rank(): number {
    return this.shape.length;
  }

  get isDisposed(): boolean {
    return this.disposedFlag;
  }

  /** The values, copied, in row-major order: a typed array, or decoded strings for a 'string' tensor. */
  dataSync<D extends DType = NumericDType>(): DataTypeMap[D] {
    this.assertLive();
    if (this.dtype === 'string') return decodeStrings(this.backend.readStrings(this.dataId)) as DataTypeMap[D];
    return this.backend.read(this.dataId).slice() as DataTypeMap[D];
  }

  async data<D extends DType = NumericDType>(): Promise<DataTypeMap[D]> {
    // a GPU backend reads without blocking (webgpu area)
    if (this.backend.readAsync && this.dtype !== 'string') {
      this.assertLive();
      return (await this.backend.readAsync(this.dataId)).slice() as DataTypeMap[D];
    }
    return this.dataSync<D>();
  }

  /** The values as nested arrays (booleans for bool tensors, strings for string tensors). */
  arraySync(): NestedArray {
    const values: ArrayLike<number | string> = this.dataSync<DType>();
    const asValue = this.dtype === 'bool' ? (v: number | string) => v !== 0 : (v: number | string) => v;
    if (this.rank === 0) return asValue(values[0]);
    // complex tensors, as TensorFlow.js gives them: the innermost axis lists re, im, re, im, ...
    const slots = this.dtype === 'complex64' || this.dtype === 'complex128' ? 2 : 1;
    const build = (axis: number, offset: number, stride: number): NestedArray[] => {
      const n = this.shape[axis] * (axis === this.rank - 1 ? slots : 1);
      const inner = stride / n;
      const out: NestedArray[] = new Array(n);
      for (let i = 0; i < n; i++) {
        out[i] = axis === this.rank - 1
          ? asValue(values[offset + i])
          : build(axis + 1, offset + i * inner, inner);
      }
      return out;
    };
    return build(0, 0, this.size * slots);
  }

  async array(): Promise<NestedArray> {
    if (this.backend.readAsync && this.dtype !== 'string') await this.backend.readAsync(this.dataId); // webgpu area: then read() has the values
    return this.arraySync();
  }

  /** The values as text (TensorFlow.js' layout); `verbose` adds dtype, rank and shape. */
  toString(verbose = false): string {
    return tensorHooks.format(this, verbose);
  }

  /** Logs the values (TensorFlow.js style); `verbose` adds dtype, rank and shape. */
  print(verbose = false): void {
    console.log(tensorHooks.format(this, verbose));
  }

  /** Frees the storage now (TensorFlow.js habit; never required). */
  dispose(): void {
    if (this.disposedFlag) return;
    this.disposedFlag = true;
    this.backend.decRef(this.dataId);
    tensorHooks.onDispose(this);
  }

  assertLive(): void {
    if (this.disposedFlag) throw new Error(`Tensor ${JSON.stringify(this.shape)} is disposed: it was freed by dispose() or tidy()`);
  }
}

let nextVariableId = 0;
// by name, for gradients keyed by name (TensorFlow.js' NamedTensorMap); weak, so variables die freely
const variablesByName = new Map<string, WeakRef<Variable>>();

/** A mutable tensor that training updates in place: model weights. */
export class Variable extends Tensor {
  readonly name: string;
  trainable: boolean;

  constructor(initial: Tensor, trainable = true, name?: string) {
    initial.assertLive();
    initial.backend.incRef(initial.dataId);
    super(initial.dataId, initial.shape, initial.dtype, initial.backend);
    this.trainable = trainable;
    this.requiresGrad = trainable;
    this.name = name ?? `variable_${nextVariableId++}`;
    variablesByName.set(this.name, new WeakRef(this));
  }

  /** Every variable not yet disposed or collected. */
  static live(): Variable[] {
    const out: Variable[] = [];
    for (const ref of variablesByName.values()) {
      const v = ref.deref();
      if (v && !v.isDisposed) out.push(v);
    }
    return out;
  }

  /** The live variable called `name`, if any. */
  static find(name: string): Variable | undefined {
    return variablesByName.get(name)?.deref();
  }

  /** Replaces the value; shape and dtype must stay the same. */
  assign(value: Tensor): void {
    this.assertLive();
    value.assertLive();
    if (value.shape.length !== this.shape.length || value.shape.some((d, i) => d !== this.shape[i])) {
      throw new Error(`Variable "${this.name}".assign: expected shape [${this.shape}], got [${value.shape}]`);
    }
    if (value.dtype !== this.dtype) {
      throw new Error(`Variable "${this.name}".assign: expected dtype ${this.dtype}, got ${value.dtype}`);
    }
    const old = this.dataId;
    if (value.backend === this.backend) {
      this.backend.incRef(value.dataId);
      this.dataId = value.dataId;
    } else {
      this.dataId = copyStorage(value, this.backend);
    }
    this.backend.decRef(old);
    tensorHooks.onStorageChange(this);
  }
}
