/**
 * `st.layers.Layer`: the class users extend to write their own layers, as TensorFlow.js users do:
 *
 *   class Scale extends st.layers.Layer {
 *     static className = 'Scale';
 *     build(inputShape) { this.w = this.addWeight('w', [inputShape.at(-1)], 'float32', st.initializers.ones()); }
 *     call(inputs) { return st.mul(Array.isArray(inputs) ? inputs[0] : inputs, this.w.read()); }
 *   }
 *   st.serialization.registerClass(Scale);   // so that saved models with it load
 *
 * Unlike striate's own layers it needs nothing but what it changes: the class name comes from
 * the static `className` (else the constructor's name), `call` passes its input through and
 * `computeOutputShape` keeps the shape, as in TensorFlow.js. Every striate layer counts as an
 * instance of it (`dense instanceof st.layers.Layer`).
 */
import type { Tensor } from '../tensor/tensor.js';
import { CallArgs, Layer as LayerBase, LayerArgs, Shape, snakeCase } from './layer.js';
import { layers as factories } from './layers/index.js';

export class Layer extends LayerBase {
  readonly className: string;
  private masking = false;

  constructor(args: LayerArgs = {}) {
    if (args !== undefined && (args === null || typeof args !== 'object' || Array.isArray(args))) {
      throw new Error(`layers.Layer: expected a config object ({name, inputShape, trainable, ...}), got ${args === null ? 'null' : typeof args}`);
    }
    const ctor = new.target as unknown as { className?: unknown; name: string };
    const className = typeof ctor.className === 'string' && ctor.className !== '' ? ctor.className : ctor.name;
    super(args ?? {}, snakeCase(className));
    this.className = className;
  }

  /** Whether the layer passes a mask on; a custom layer sets it (`this.supportsMasking = true`). */
  override get supportsMasking(): boolean {
    return this.masking;
  }

  override set supportsMasking(value: boolean) {
    this.masking = value;
  }

  /** The identity, until a subclass says otherwise. */
  call(inputs: Tensor | Tensor[], _kwargs: CallArgs): Tensor | Tensor[] {
    return inputs;
  }

  /** The input shape, until a subclass says otherwise. */
  computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    return inputShape;
  }

  /** `x instanceof st.layers.Layer` holds for every layer; for subclasses it means what it usually does. */
  static override [Symbol.hasInstance](x: unknown): boolean {
    if (this === Layer) return x instanceof LayerBase;
    return Function.prototype[Symbol.hasInstance].call(this, x);
  }
}

/**
 * `st.layers`: the layer factories and the `Layer` base class for custom layers.
 * @namespace
 */
export const layers = { ...factories, Layer };
