/**
 * TensorFlow's GraphDef as the TensorFlow.js converter writes it into a graph model's model.json
 * (protobuf's JSON mapping): nodes with `name`, `op`, `input` and typed `attr` values, an optional
 * `library` of functions (the bodies of functional If/While), and `versions`. This file reads
 * those attribute values; it knows nothing of tensors.
 */
import type { DType } from '../backend/types.js';

/** One attribute value: exactly one of these fields is set (int64s come as strings in JSON). */
export interface AttrValue {
  s?: string;
  i?: string | number;
  f?: number | string;
  b?: boolean;
  type?: string | number;
  shape?: TensorShapeProto;
  tensor?: { dtype?: string | number; tensorShape?: TensorShapeProto };
  func?: { name: string; attr?: Record<string, AttrValue> };
  list?: { s?: string[]; i?: (string | number)[]; f?: (number | string)[]; b?: boolean[]; type?: (string | number)[];
    shape?: TensorShapeProto[]; func?: { name: string }[] };
}

export interface TensorShapeProto {
  dim?: { size?: string | number; name?: string }[];
  unknownRank?: boolean;
}

export interface NodeDef {
  name: string;
  op: string;
  input?: string[];
  attr?: Record<string, AttrValue>;
  device?: string;
}

export interface FunctionDef {
  signature: {
    name: string;
    inputArg?: { name: string; type?: string | number }[];
    outputArg?: { name: string; type?: string | number }[];
  };
  nodeDef?: NodeDef[];
  /** output arg name -> 'node:output_name:index' inside the function */
  ret?: Record<string, string>;
}

export interface GraphDef {
  node?: NodeDef[];
  library?: { function?: FunctionDef[] };
  versions?: { producer?: number | string; minConsumer?: number | string };
}

/** A signature entry of model.json: the tensor's name in the graph, its dtype and shape. */
export interface TensorInfo {
  name: string;
  dtype?: string | number;
  tensorShape?: TensorShapeProto;
  resourceId?: number;
}

export interface SignatureDef {
  inputs?: Record<string, TensorInfo>;
  outputs?: Record<string, TensorInfo>;
  methodName?: string;
}

// TensorFlow's DataType enum (types.proto); the converter writes the names, protobuf may write numbers
const DTYPE_NUMBERS: Record<number, string> = {
  1: 'DT_FLOAT', 2: 'DT_DOUBLE', 3: 'DT_INT32', 4: 'DT_UINT8', 6: 'DT_INT8', 7: 'DT_STRING', 8: 'DT_COMPLEX64',
  9: 'DT_INT64', 10: 'DT_BOOL', 18: 'DT_COMPLEX128', 19: 'DT_HALF', 20: 'DT_RESOURCE', 5: 'DT_INT16', 17: 'DT_UINT16',
};

/**
 * The dtype a TensorFlow DataType becomes here, as TensorFlow.js maps it (every integer type to
 * int32, every float type to float32); null for types with no tensor here (resources, variants).
 */
export function tensorDType(type: string | number | undefined): DType | null {
  const name = typeof type === 'number' ? DTYPE_NUMBERS[type] : type;
  switch (name) {
    case 'DT_FLOAT': case 'DT_HALF': case 'DT_DOUBLE': case 'DT_BFLOAT16': return 'float32';
    case 'DT_INT32': case 'DT_INT64': case 'DT_INT8': case 'DT_UINT8': case 'DT_INT16': case 'DT_UINT16': return 'int32';
    case 'DT_BOOL': return 'bool';
    case 'DT_STRING': return 'string';
    case 'DT_COMPLEX64': case 'DT_COMPLEX128': return 'complex64';
    default: return null;
  }
}

/** A TensorShapeProto as a shape (-1 for unknown sizes); undefined when even the rank is unknown. */
export function shapeOf(shape: TensorShapeProto | undefined): number[] | undefined {
  if (shape == null || shape.unknownRank) return undefined;
  return (shape.dim ?? []).map((d) => (d.size == null ? 0 : Number(d.size)));
}

function decodeBase64(text: string): string {
  const binary = atob(text);
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}

/**
 * A node's attributes, read by type. `where` names the node in errors. String attributes are
 * base64 in the JSON; `str` lowercases them (TensorFlow.js' option names are lowercase) unless
 * told to keep the case.
 */
export class Attrs {
  constructor(private readonly attrs: Record<string, AttrValue>, private readonly where: string) {}

  has(name: string): boolean {
    return this.attrs[name] != null;
  }

  private fail(name: string, expected: string): never {
    throw new Error(`${this.where}: attribute "${name}" should be ${expected}, got ${JSON.stringify(this.attrs[name])}`);
  }

  str(name: string, fallback: string, keepCase?: boolean): string;
  str(name: string, fallback?: string, keepCase?: boolean): string | undefined;
  str(name: string, fallback?: string, keepCase = false): string | undefined {
    const a = this.attrs[name];
    if (a == null) return fallback;
    if (typeof a.s !== 'string') this.fail(name, 'a string');
    const value = decodeBase64(a.s);
    return keepCase ? value : value.toLowerCase();
  }

  /** An int or float attribute (TensorFlow.js reads either field under one name). */
  num(name: string, fallback: number): number {
    const a = this.attrs[name];
    if (a == null) return fallback;
    const v = a.i != null ? a.i : a.f;
    if (v == null) return fallback;
    const n = Number(v);
    if (Number.isNaN(n) && v !== 'NaN') this.fail(name, 'a number');
    return n;
  }

  bool(name: string, fallback: boolean): boolean {
    const a = this.attrs[name];
    return a == null || a.b == null ? fallback : a.b;
  }

  nums(name: string, fallback: number[]): number[] {
    const a = this.attrs[name];
    if (a == null) return fallback;
    if (a.list == null) this.fail(name, 'a list of numbers');
    const list = a.list.f != null && a.list.f.length > 0 ? a.list.f : (a.list.i ?? []);
    return list.map(Number);
  }

  strs(name: string, fallback: string[], keepCase = false): string[] {
    const a = this.attrs[name];
    if (a == null || a.list == null || a.list.s == null) return fallback;
    return a.list.s.map((s) => (keepCase ? decodeBase64(s) : decodeBase64(s).toLowerCase()));
  }

  dtype(name: string): DType | null | undefined {
    const a = this.attrs[name];
    if (a == null || a.type == null) return undefined;
    return tensorDType(a.type);
  }

  dtypes(name: string): (DType | null)[] | undefined {
    const a = this.attrs[name];
    if (a == null || a.list == null) return undefined;
    return (a.list.type ?? []).map(tensorDType);
  }

  shape(name: string): number[] | undefined {
    const a = this.attrs[name];
    return a?.shape == null ? undefined : shapeOf(a.shape);
  }

  func(name: string): string | undefined {
    return this.attrs[name]?.func?.name;
  }
}

/**
 * 'node', 'node:2' or a function-body reference 'node:out_name:2' split into the node's name,
 * the output's index and (function bodies) the output argument's name, which the caller turns
 * into an overall index for ops with several named outputs. Control inputs ('^node') are
 * ordering only and are marked so.
 */
export function parseTensorName(ref: string): { node: string; index: number; outputName?: string; control: boolean } {
  const control = ref.startsWith('^');
  const name = control ? ref.slice(1) : ref;
  const parts = name.split(':');
  const last = parts[parts.length - 1];
  if (parts.length >= 2 && /^\d+$/.test(last)) {
    if (parts.length === 3) return { node: parts[0], index: Number(last), outputName: parts[1], control };
    return { node: parts.slice(0, -1).join(':'), index: Number(last), control };
  }
  if (parts.length === 2) return { node: parts[0], index: 0, outputName: parts[1], control };
  return { node: name, index: 0, control };
}
