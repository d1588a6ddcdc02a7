/**
 * Two small TensorFlow.js classes layers use: `LayerVariable`, a weight (here a `Variable` that
 * also answers TensorFlow.js' `read()`/`write()`, so custom layers written for TensorFlow.js
 * use their weights unchanged), and `InputSpec`, what a layer accepts as input (rank, dtype,
 * sizes of some axes), checked by `apply` before the layer runs.
 */
import type { DType } from '../backend/types.js';
import { Tensor, Variable } from '../tensor/tensor.js';
import { noGrad } from '../autograd/tape.js';
import type { Shape } from './layer.js';

/** A constraint applied to a weight after each write (max norm, non-negativity, ...). */
export interface WeightConstraint {
  apply(w: Tensor): Tensor;
}

/** A layer's weight: a trainable Variable with TensorFlow.js' `read()`/`write()`. */
export class LayerVariable extends Variable {
  /** the name asked for, before the layer's prefix (TensorFlow.js' originalName) */
  readonly originalName: string;
  readonly constraint: WeightConstraint | null;

  /** TensorFlow.js' argument order: initial value, dtype, name, trainable, constraint. */
  constructor(val: Tensor, dtype: DType = 'float32', name?: string, trainable = true, constraint: WeightConstraint | null = null) {
    if (!(val instanceof Tensor)) throw new Error(`LayerVariable: expected a Tensor as the initial value, got ${typeof val}`);
    const initial = val.dtype === dtype ? val : noGrad(() => val.cast(dtype));
    super(initial, trainable, name);
    if (initial !== val) initial.dispose();
    this.originalName = name ?? this.name;
    this.constraint = constraint;
  }

  /** The current value (the variable itself: it is a tensor). */
  read(): Variable {
    this.assertLive();
    return this;
  }

  /** Sets a new value of the same shape, then applies the constraint, if any. */
  write(newVal: Tensor): this {
    if (!(newVal instanceof Tensor)) throw new Error(`LayerVariable "${this.name}".write: expected a Tensor, got ${typeof newVal}`);
    if (newVal.shape.join() !== this.shape.join()) {
      throw new Error(`LayerVariable "${this.name}".write: expected shape [${this.shape}], got [${newVal.shape}]`);
    }
    noGrad(() => {
      this.assign(newVal.dtype === this.dtype ? newVal : newVal.cast(this.dtype));
      if (this.constraint) this.assign(this.constraint.apply(this));
    });
    return this;
  }
}

export interface InputSpecArgs {
  dtype?: DType;
  /** the full shape, batch included (null for any size) */
  shape?: Shape;
  ndim?: number;
  maxNDim?: number;
  minNDim?: number;
  /** sizes some axes must have, e.g. {[-1]: 64} for 64 features */
  axes?: { [axis: number]: number };
}

/** What a layer accepts as input; a layer lists one per input in `layer.inputSpec`. */
export class InputSpec {
  dtype?: DType;
  shape?: Shape;
  ndim?: number;
  maxNDim?: number;
  minNDim?: number;
  axes?: { [axis: number]: number };

  constructor(args: InputSpecArgs) {
    if (args === null || typeof args !== 'object') throw new Error(`InputSpec: expected an options object, got ${typeof args}`);
    this.dtype = args.dtype;
    this.shape = args.shape;
    // a shape fixes the rank
    this.ndim = args.shape != null ? args.shape.length : args.ndim;
    this.maxNDim = args.maxNDim;
    this.minNDim = args.minNDim;
    this.axes = args.axes ?? {};
  }
}

/** Throws, naming the layer and the input, when an input does not meet its spec. */
export function checkInputSpec(where: string, specs: InputSpec | InputSpec[] | null | undefined,
  inputs: { shape: readonly (number | null)[]; dtype: DType }[]): void {
  if (!specs) return;
  const list = Array.isArray(specs) ? specs : [specs];
  if (list.length === 0) return;
  if (inputs.length !== list.length) {
    throw new Error(`${where}: expected ${list.length} input(s) (its inputSpec), got ${inputs.length}`);
  }
  const shapeText = (s: readonly (number | null)[]): string => `[${s.map((d) => d ?? 'null').join(', ')}]`;
  inputs.forEach((x, i) => {
    const spec = list[i];
    if (!spec) return;
    const ndim = x.shape.length;
    const bad = (what: string): never => {
      throw new Error(`${where}: input ${i} is incompatible with the layer: expected ${what}, got shape ${shapeText(x.shape)} (${x.dtype})`);
    };
    if (spec.ndim != null && ndim !== spec.ndim) bad(`rank ${spec.ndim}`);
    if (spec.maxNDim != null && ndim > spec.maxNDim) bad(`rank at most ${spec.maxNDim}`);
    if (spec.minNDim != null && ndim < spec.minNDim) bad(`rank at least ${spec.minNDim}`);
    if (spec.dtype != null && x.dtype !== spec.dtype) bad(`dtype ${spec.dtype}`);
    for (const [key, size] of Object.entries(spec.axes ?? {})) {
      const axis = Number(key);
      const actual = axis >= 0 ? x.shape[axis] : x.shape[ndim + axis];
      if (size != null && actual != null && actual !== size) bad(`axis ${axis} of size ${size}`);
    }
    if (spec.shape) {
      spec.shape.forEach((d, k) => {
        if (d != null && x.shape[k] != null && x.shape[k] !== d) bad(`shape ${shapeText(spec.shape!)}`);
      });
    }
  });
}
