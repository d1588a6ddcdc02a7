/**
 * Dot: the per-sample dot product of two inputs along one axis each (Keras' batch_dot), e.g.
 * [b, n] . [b, n] -> [b, 1], or attention scores [b, t, d] . [b, s, d] (axes 2) -> [b, t, s].
 */
import { Tensor } from '../../tensor/tensor.js';
import { div, matMul, maximum, reshape, sqrt, square, sum, transpose } from '../../ops/index.js';
import { Layer, LayerArgs, Shape, isShapeList, shapeString } from '../layer.js';

export interface DotLayerArgs extends LayerArgs {
  /** the axis of each input to contract (one number for both, or [axisOf0, axisOf1]); negative counts from the end */
  axes: number | [number, number];
  /** scale both inputs to unit length along their axis first, so the result is the cosine similarity */
  normalize?: boolean;
}

/** Keras' batch dot product of two inputs. */
export class Dot extends Layer {
  readonly className = 'Dot';
  readonly takesList = true;
  readonly axes: number | [number, number];
  readonly normalize: boolean;

  constructor(args: DotLayerArgs) {
    super(args);
    const axes = args?.axes;
    const ok = Number.isInteger(axes) ||
      (Array.isArray(axes) && axes.length === 2 && axes.every((a) => Number.isInteger(a)));
    if (!ok) throw this.error(`axes must be an integer or a pair of integers, got ${JSON.stringify(axes)}`);
    this.axes = Array.isArray(axes) ? [axes[0], axes[1]] : axes as number;
    this.normalize = args.normalize ?? false;
  }

  /** The two shapes and the (non-negative, non-batch) axis of each. */
  private resolve(inputShape: Shape | Shape[]): { shapes: [Shape, Shape]; axes: [number, number] } {
    if (!isShapeList(inputShape) || inputShape.length !== 2) {
      throw this.error(`expected a list of exactly 2 inputs, got ` +
        `${isShapeList(inputShape) ? `${inputShape.length}` : `one input ${shapeString(inputShape)}`}`);
    }
    const shapes = inputShape as [Shape, Shape];
    const pair = Array.isArray(this.axes) ? this.axes : [this.axes, this.axes];
    const axes = shapes.map((s, i) => {
      if (s.length < 2) throw this.error(`input ${i} must have rank >= 2 [batch, ...], got ${shapeString(s)}`);
      const a = pair[i] < 0 ? pair[i] + s.length : pair[i];
      if (a < 1 || a >= s.length) {
        throw this.error(`axis ${pair[i]} of input ${i} ${shapeString(s)} must name a non-batch axis (1..${s.length - 1} or negative)`);
      }
      return a;
    }) as [number, number];
    const [d0, d1] = [shapes[0][axes[0]], shapes[1][axes[1]]];
    if (d0 !== null && d1 !== null && d0 !== d1) {
      throw this.error(`the contracted axes differ in size: input 0 ${shapeString(shapes[0])} axis ${axes[0]} is ${d0}, ` +
        `input 1 ${shapeString(shapes[1])} axis ${axes[1]} is ${d1}`);
    }
    return { shapes, axes };
  }

  computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const { shapes: [s0, s1], axes: [a0, a1] } = this.resolve(inputShape);
    const out: Shape = [s0[0], ...s0.slice(1).filter((_, i) => i + 1 !== a0), ...s1.slice(1).filter((_, i) => i + 1 !== a1)];
    return out.length === 1 ? [out[0], 1] : out;
  }

  call(inputs: Tensor | Tensor[]): Tensor {
    const xs = Array.isArray(inputs) ? inputs : [inputs];
    const { axes: [a0, a1] } = this.resolve(xs.map((x) => [...x.shape]));
    let [x, y] = xs;
    if (this.normalize) {
      x = unitLength(x, a0);
      y = unitLength(y, a1);
    }
    const batch = x.shape[0];
    // x as [batch, rest, k] and y as [batch, k, rest]: one batched product contracts the axes
    const xRest = x.shape.filter((_, i) => i !== 0 && i !== a0);
    const yRest = y.shape.filter((_, i) => i !== 0 && i !== a1);
    const xPerm = [0, ...x.shape.map((_, i) => i).filter((i) => i !== 0 && i !== a0), a0];
    const yPerm = [0, a1, ...y.shape.map((_, i) => i).filter((i) => i !== 0 && i !== a1)];
    const k = x.shape[a0];
    const xm = reshape(transpose(x, xPerm), [batch, size(xRest), k]);
    const ym = reshape(transpose(y, yPerm), [batch, k, size(yRest)]);
    const outShape = [batch, ...xRest, ...yRest];
    return reshape(matMul(xm, ym), outShape.length === 1 ? [batch, 1] : outShape);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axes: Array.isArray(this.axes) ? [...this.axes] : this.axes, normalize: this.normalize };
  }
}

function size(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** x / sqrt(max(sum(x^2, axis), 1e-7)), as TensorFlow.js' l2 normalisation in Dot. */
function unitLength(x: Tensor, axis: number): Tensor {
  return div(x, sqrt(maximum(sum(square(x), axis, true), 1e-7)));
}
