/**
 * Hand-built graph models for the tests: a small builder that writes GraphDef JSON as the
 * TensorFlow.js converter does (typed attributes, base64 strings, Const values in the weights
 * manifest, optionally uint8-quantized) and gives model artifacts both libraries load.
 */
import type { AttrValue, FunctionDef, NodeDef } from '../../src/graph/graph_def.js';

type TfType = 'DT_FLOAT' | 'DT_INT32' | 'DT_BOOL';
const SPEC_DTYPE: Record<TfType, 'float32' | 'int32' | 'bool'> = { DT_FLOAT: 'float32', DT_INT32: 'int32', DT_BOOL: 'bool' };

export const attr = {
  type: (t: TfType): AttrValue => ({ type: t }),
  s: (text: string): AttrValue => ({ s: Buffer.from(text).toString('base64') }),
  i: (n: number): AttrValue => ({ i: String(n) }),
  f: (x: number): AttrValue => ({ f: x }),
  b: (x: boolean): AttrValue => ({ b: x }),
  ints: (xs: number[]): AttrValue => ({ list: { i: xs.map(String) } }),
  strs: (xs: string[]): AttrValue => ({ list: { s: xs.map((x) => Buffer.from(x).toString('base64')) } }),
  shape: (dims: number[]): AttrValue => ({ shape: { dim: dims.map((d) => ({ size: String(d) })) } }),
  func: (name: string): AttrValue => ({ func: { name } }),
};

export const T = { T: attr.type('DT_FLOAT') };

export type Quantize = false | true | 'uint8' | 'uint16' | 'float16';

interface Weight {
  name: string;
  shape: number[];
  dtype: TfType;
  values: number[];
  quantize: Quantize;
}

/** float32 -> float16 bits, rounding to nearest (normal and subnormal halves; the tests' values stay in range). */
export function toFloat16Bits(v: number): number {
  const sign = v < 0 || Object.is(v, -0) ? 0x8000 : 0;
  const a = Math.abs(v);
  if (a === 0) return sign;
  if (a < 2 ** -14) return sign | Math.round(a / 2 ** -24);
  let e = Math.floor(Math.log2(a));
  let m = Math.round((a / 2 ** e - 1) * 1024);
  if (m === 1024) {
    m = 0;
    e++;
  }
  return sign | ((e + 15) << 10) | m;
}

/** A seeded stream of numbers in [-1, 1). */
export function randoms(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  };
}

export class GraphBuilder {
  readonly nodes: NodeDef[] = [];
  readonly weights: Weight[] = [];
  readonly functions: FunctionDef[] = [];
  private readonly rand: () => number;

  constructor(seed = 1) {
    this.rand = randoms(seed);
  }

  placeholder(name: string, shape: number[], dtype: TfType = 'DT_FLOAT'): string {
    this.nodes.push({ name, op: 'Placeholder', attr: { dtype: attr.type(dtype), shape: attr.shape(shape) } });
    return name;
  }

  /** A Const whose values go in the weights manifest (quantized to uint8 when `quantize` is true, or as named). */
  const(name: string, shape: number[], values?: number[], dtype: TfType = 'DT_FLOAT', quantize: Quantize = false): string {
    const size = shape.reduce((a, b) => a * b, 1);
    const v = values ?? Array.from({ length: size }, () => this.rand());
    if (v.length !== size) throw new Error(`fixture ${name}: ${v.length} values for shape [${shape}]`);
    this.weights.push({ name, shape, dtype, values: v, quantize });
    this.nodes.push({ name, op: 'Const', attr: { dtype: attr.type(dtype), value: { tensor: { dtype, tensorShape: { dim: shape.map((d) => ({ size: String(d) })) } } } } });
    return name;
  }

  ints(name: string, values: number[], shape = [values.length]): string {
    return this.const(name, shape, values, 'DT_INT32');
  }

  op(name: string, op: string, inputs: string[], attrs: Record<string, AttrValue> = {}): string {
    this.nodes.push({ name, op, input: inputs, attr: attrs });
    return name;
  }

  fn(def: FunctionDef): void {
    this.functions.push(def);
  }

  /** model.json's parts with one weight buffer, as `io.fromMemory` takes them. */
  artifacts(extra: Record<string, unknown> = {}): {
    format: string; modelTopology: object; weightSpecs: object[]; weightData: ArrayBuffer; [key: string]: unknown;
  } {
    const specs: object[] = [];
    const parts: Uint8Array[] = [];
    for (const w of this.weights) {
      if (w.quantize === 'float16') {
        parts.push(new Uint8Array(Uint16Array.from(w.values, toFloat16Bits).buffer));
        specs.push({ name: w.name, shape: w.shape, dtype: SPEC_DTYPE[w.dtype], quantization: { dtype: 'float16' } });
      } else if (w.quantize) {
        const kind = w.quantize === 'uint16' ? 'uint16' : 'uint8';
        const levels = kind === 'uint16' ? 65535 : 255;
        const min = Math.min(...w.values);
        const max = Math.max(...w.values);
        const scale = (max - min) / levels || 1;
        const codes = w.values.map((v) => Math.round((v - min) / scale));
        parts.push(kind === 'uint16' ? new Uint8Array(Uint16Array.from(codes).buffer) : Uint8Array.from(codes));
        specs.push({ name: w.name, shape: w.shape, dtype: SPEC_DTYPE[w.dtype], quantization: { dtype: kind, scale, min } });
      } else {
        const typed = w.dtype === 'DT_FLOAT' ? new Float32Array(w.values) : w.dtype === 'DT_INT32' ? new Int32Array(w.values) : new Uint8Array(w.values);
        parts.push(new Uint8Array(typed.buffer));
        specs.push({ name: w.name, shape: w.shape, dtype: SPEC_DTYPE[w.dtype] });
      }
    }
    const data = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let offset = 0;
    for (const p of parts) {
      data.set(p, offset);
      offset += p.length;
    }
    const topology: Record<string, unknown> = { node: this.nodes, versions: { producer: 1395, minConsumer: 12 } };
    if (this.functions.length > 0) topology.library = { function: this.functions };
    return { format: 'graph-model', generatedBy: '2.15.0', convertedBy: 'TensorFlow.js Converter v4.22.0', modelTopology: topology,
      weightSpecs: specs, weightData: data.buffer, ...extra };
  }
}
