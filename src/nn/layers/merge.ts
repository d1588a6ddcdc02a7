/**
 * Merge layers: take a list of tensors and combine them. Add, Subtract, Multiply, Average,
 * Maximum, Minimum (elementwise; shapes equal, or 1 to broadcast) and Concatenate (along an axis).
 */
import { Tensor } from '../../tensor/tensor.js';
import * as ops from '../../ops/index.js';
import { Layer, LayerArgs, Shape, isShapeList, shapeString } from '../layer.js';

function shapesList(layer: Layer, inputShape: Shape | Shape[], min = 2): Shape[] {
  if (!isShapeList(inputShape) || inputShape.length < min) {
    throw new Error(`${layer.className} "${layer.name}": expected a list of at least ${min} inputs, got ` +
      `${isShapeList(inputShape) ? `${inputShape.length}` : `one input ${shapeString(inputShape)}`}`);
  }
  return inputShape;
}

function list(inputs: Tensor | Tensor[]): Tensor[] {
  return Array.isArray(inputs) ? inputs : [inputs];
}

/** Elementwise merges: every input of the same rank; each dimension equal, unknown, or 1 (broadcast). */
abstract class ElementwiseMerge extends Layer {
  readonly takesList = true;
  protected abstract combine(a: Tensor, b: Tensor): Tensor;
  protected readonly inputCount?: number;

  constructor(args: LayerArgs = {}) {
    super(args ?? {});
  }

  computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shapes = shapesList(this, inputShape);
    if (this.inputCount !== undefined && shapes.length !== this.inputCount) {
      throw this.error(`expected exactly ${this.inputCount} inputs, got ${shapes.length}`);
    }
    const rank = shapes[0].length;
    const all = shapes.map(shapeString).join(', ');
    if (shapes.some((s) => s.length !== rank)) throw this.error(`inputs must have the same rank, got ${all}`);
    const out: Shape = [];
    for (let i = 0; i < rank; i++) {
      let d: number | null = 1;
      let unknown = false;
      for (const s of shapes) {
        const v = s[i];
        if (v === null) unknown = true;
        else if (v !== 1) {
          if (d !== 1 && d !== v) throw this.error(`input shapes are incompatible at axis ${i}: ${all}`);
          d = v;
        }
      }
      out.push(d === 1 && unknown ? null : d);
    }
    return out;
  }

  call(inputs: Tensor | Tensor[]): Tensor {
    const xs = list(inputs);
    return xs.slice(1).reduce((acc, x) => this.combine(acc, x), xs[0]);
  }
}

/** Sum of the inputs (residual connections). */
export class Add extends ElementwiseMerge {
  get className(): string {
    return 'Add';
  }
  protected combine(a: Tensor, b: Tensor): Tensor {
    return ops.add(a, b);
  }
}

/** inputs[0] - inputs[1] (exactly two). */
export class Subtract extends ElementwiseMerge {
  get className(): string {
    return 'Subtract';
  }
  protected override readonly inputCount = 2;
  protected combine(a: Tensor, b: Tensor): Tensor {
    return ops.sub(a, b);
  }
}

/** Elementwise product of the inputs. */
export class Multiply extends ElementwiseMerge {
  get className(): string {
    return 'Multiply';
  }
  protected combine(a: Tensor, b: Tensor): Tensor {
    return ops.mul(a, b);
  }
}

/** Elementwise mean of the inputs. */
export class Average extends ElementwiseMerge {
  get className(): string {
    return 'Average';
  }
  protected combine(a: Tensor, b: Tensor): Tensor {
    return ops.add(a, b);
  }

  override call(inputs: Tensor | Tensor[]): Tensor {
    return ops.div(super.call(inputs), list(inputs).length);
  }
}

/** Elementwise maximum of the inputs. */
export class Maximum extends ElementwiseMerge {
  get className(): string {
    return 'Maximum';
  }
  protected combine(a: Tensor, b: Tensor): Tensor {
    return ops.maximum(a, b);
  }
}

/** Elementwise minimum of the inputs. */
export class Minimum extends ElementwiseMerge {
  get className(): string {
    return 'Minimum';
  }
  protected combine(a: Tensor, b: Tensor): Tensor {
    return ops.minimum(a, b);
  }
}

export interface ConcatenateArgs extends LayerArgs {
  /** the axis joined along (default -1, the features or channels) */
  axis?: number;
}

/** Joins the inputs along `axis`; every other dimension must agree (inception-style branches). */
export class Concatenate extends Layer {
  get className(): string {
    return 'Concatenate';
  }
  readonly takesList = true;
  readonly axis: number;

  constructor(args: ConcatenateArgs = {}) {
    super(args ?? {});
    this.axis = args?.axis ?? -1;
    if (!Number.isInteger(this.axis)) throw this.error(`axis must be an integer, got ${JSON.stringify(args?.axis)}`);
  }

  computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shapes = shapesList(this, inputShape);
    const rank = shapes[0].length;
    const all = shapes.map(shapeString).join(', ');
    if (shapes.some((s) => s.length !== rank)) throw this.error(`inputs must have the same rank, got ${all}`);
    const ax = this.axis < 0 ? this.axis + rank : this.axis;
    if (ax < 1 || ax >= rank) throw this.error(`axis ${this.axis} is out of range for inputs of rank ${rank} (${all}); the batch axis cannot be joined`);
    const out: Shape = [];
    for (let i = 0; i < rank; i++) {
      if (i === ax) {
        const dims = shapes.map((s) => s[i]);
        out.push(dims.some((d) => d === null) ? null : (dims as number[]).reduce((a, b) => a + b, 0));
        continue;
      }
      const known = shapes.map((s) => s[i]).filter((d): d is number => d !== null);
      if (known.some((d) => d !== known[0])) {
        throw this.error(`inputs must match on every axis but ${this.axis}; they differ at axis ${i}: ${all}`);
      }
      out.push(known.length ? known[0] : null);
    }
    return out;
  }

  call(inputs: Tensor | Tensor[]): Tensor {
    const xs = list(inputs);
    return ops.concat(xs, this.axis < 0 ? this.axis + xs[0].rank : this.axis);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axis: this.axis };
  }
}
