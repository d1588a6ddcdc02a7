/**
 * An ONNX graph under construction: nodes, weights (initializers) and the values flowing between
 * layers. striate's images are channels-last (NHWC) while ONNX's Conv and pooling ops want
 * channels-first (NCHW), so each value may exist in either layout; a Transpose is written the
 * first time a layer needs the layout the value does not have yet, and reused after that. A chain
 * of convolutions and poolings therefore runs channels-first with one Transpose at its start and
 * one where a layer (Flatten, Dense, Softmax, the output) needs striate's order back.
 */
import type { Shape } from '../nn/layer.js';
import { AttributeType, DataType } from './onnx_schema.js';

export type AttributeValue = number | number[] | string | string[] | { float: number } | { floats: number[] };

export interface OnnxNode {
  opType: string;
  input: string[];
  output: string[];
  name: string;
  attribute: Record<string, unknown>[];
}

/** A layer output: its striate shape (channels-last) and the ONNX names holding it in each layout. */
export interface Value {
  shape: Shape;
  /** name of the value in striate's layout (channels last) */
  last?: string;
  /** name of the value channels-first, [batch, channels, ...spatial] (rank >= 3 only) */
  first?: string;
}

/** Moves the channels (last axis) to axis 1, and back. */
export function toFirstPerm(rank: number): number[] {
  return [0, rank - 1, ...Array.from({ length: rank - 2 }, (_, i) => i + 1)];
}
export function toLastPerm(rank: number): number[] {
  return [0, ...Array.from({ length: rank - 2 }, (_, i) => i + 2), 1];
}

function attribute(name: string, value: AttributeValue): Record<string, unknown> {
  // integers and floats look alike in JavaScript: plain numbers are INT(S), { float } / { floats } FLOAT(S)
  if (typeof value === 'object' && !Array.isArray(value)) {
    if ('float' in value) return { name, type: AttributeType.FLOAT, f: value.float };
    return { name, type: AttributeType.FLOATS, floats: value.floats };
  }
  if (typeof value === 'string') return { name, type: AttributeType.STRING, s: new TextEncoder().encode(value) };
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) throw new Error(`toOnnx: internal error, attribute ${name} = ${value} must be an integer`);
    return { name, type: AttributeType.INT, i: value };
  }
  if (value.every((v) => typeof v === 'string')) {
    return { name, type: AttributeType.STRINGS, strings: (value as string[]).map((v) => new TextEncoder().encode(v)) };
  }
  return { name, type: AttributeType.INTS, ints: value };
}

export class GraphBuilder {
  readonly nodes: OnnxNode[] = [];
  readonly initializers: Record<string, unknown>[] = [];
  private readonly used = new Set<string>();

  /** A name not used yet in the graph, from `base`. */
  fresh(base: string): string {
    const clean = base.replace(/[^A-Za-z0-9_./:-]/g, '_');
    let name = clean;
    for (let k = 1; this.used.has(name); k++) name = `${clean}_${k}`;
    this.used.add(name);
    return name;
  }

  /** Appends a node; returns its output names (fresh names from `outputBase`). */
  node(opType: string, inputs: string[], outputBase: string, attributes: Record<string, AttributeValue> = {}, outputs = 1): string[] {
    const out = Array.from({ length: outputs }, (_, k) => this.fresh(outputs === 1 ? outputBase : `${outputBase}_${k}`));
    this.nodes.push({
      opType, input: inputs, output: out, name: this.fresh(`${outputBase}/${opType}`),
      attribute: Object.entries(attributes).map(([n, v]) => attribute(n, v)),
    });
    return out;
  }

  /** A float32 weight, stored little-endian in raw_data as the spec asks. */
  floats(base: string, dims: number[], values: ArrayLike<number>): string {
    const size = dims.reduce((a, b) => a * b, 1);
    if (values.length !== size) {
      throw new Error(`toOnnx: weight "${base}" has ${values.length} values, expected ${size} for [${dims.join(', ')}]`);
    }
    const bytes = new Uint8Array(size * 4);
    const view = new DataView(bytes.buffer);
    for (let i = 0; i < size; i++) view.setFloat32(i * 4, values[i], true);
    const name = this.fresh(base);
    this.initializers.push({ name, dims, dataType: DataType.FLOAT, rawData: bytes });
    return name;
  }

  /** An int64 constant (shapes, axes) as an initializer. */
  int64s(base: string, values: number[]): string {
    const name = this.fresh(base);
    this.initializers.push({ name, dims: [values.length], dataType: DataType.INT64, int64Data: values });
    return name;
  }

  /** The value in striate's channels-last layout. */
  last(v: Value, base: string): string {
    if (v.last === undefined) v.last = this.node('Transpose', [v.first!], `${base}/to_channels_last`, { perm: toLastPerm(v.shape.length) })[0];
    return v.last;
  }

  /** The value channels-first (for Conv, pooling, BatchNormalization). */
  first(v: Value, base: string): string {
    if (v.shape.length < 3) throw new Error(`toOnnx: internal error, a rank-${v.shape.length} value has no channels-first layout`);
    if (v.first === undefined) v.first = this.node('Transpose', [v.last!], `${base}/to_channels_first`, { perm: toFirstPerm(v.shape.length) })[0];
    return v.first;
  }

  /**
   * For element-wise ops that do not care about layout: the layout the value already has
   * (channels-first preferred, to stay in a conv chain), and a function wrapping an output name
   * in a Value of that layout.
   */
  either(v: Value): { name: string; wrap: (name: string, shape?: Shape) => Value } {
    if (v.first !== undefined) return { name: v.first, wrap: (name, shape = v.shape) => ({ shape, first: name }) };
    return { name: v.last!, wrap: (name, shape = v.shape) => ({ shape, last: name }) };
  }
}
