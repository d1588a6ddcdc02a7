/**
 * Tensors to and from the bytes of a weight shard, laid out as TensorFlow.js lays them: each
 * tensor's values, little-endian, one after another in the order of the manifest entries.
 */
import type { DType } from '../backend/types.js';
import type { Tensor } from '../tensor/tensor.js';
import { makeTensor } from '../tensor/engine.js';

/**
 * How a weight's values were stored smaller: uint8/uint16 codes `q` standing for `q * scale + min`
 * (rounded for int32 weights), or float16 for float32 weights (the TensorFlow.js converter's
 * `--quantize_*` options).
 */
export interface Quantization {
  dtype: 'uint8' | 'uint16' | 'float16';
  scale?: number;
  min?: number;
}

/** One entry of a weights manifest. */
export interface WeightSpec {
  name: string;
  shape: number[];
  /** complex128 (float64 parts, striate's own, for gradient checks) has no TensorFlow.js manifest name */
  dtype: Exclude<DType, 'complex128'>;
  /** TensorFlow.js marks its optimizer's weights with group 'optimizer' */
  group?: string;
  quantization?: Quantization;
}

/** Bytes per value of each dtype. */
export const BYTES: Record<DType, number> = { float32: 4, float64: 8, int32: 4, bool: 1, complex64: 8, complex128: 16 };
const QUANTIZED_BYTES: Record<string, number> = { uint8: 1, uint16: 2, float16: 2 };

export { sha256 } from './hash.js';

/** The named tensors as one byte array, with their manifest entries. */
export function encodeWeights(named: { name: string; tensor: Tensor }[]): { data: Uint8Array; specs: WeightSpec[] } {
  const specs = named.map(({ name, tensor }) => {
    const dtype = tensor.dtype;
    if (dtype === 'complex128') throw new Error(`encodeWeights: weight '${name}' is complex128, which model files cannot hold (cast its parts to float32 first)`);
    return { name, shape: [...tensor.shape], dtype };
  });
  const data = new Uint8Array(specs.reduce((n, s) => n + byteSize(s), 0));
  let offset = 0;
  for (const { tensor } of named) {
    // copy at once: dataSync may hand out a view of backend memory that the next read reuses
    const values = tensor.dataSync();
    data.set(new Uint8Array(values.buffer, values.byteOffset, values.byteLength), offset);
    offset += values.byteLength;
  }
  return { data, specs };
}

/** Bytes the weight takes in a shard (its quantized size when quantized); NaN for a dtype with no fixed size. */
export function byteSize(spec: WeightSpec): number {
  const per = spec.quantization != null ? QUANTIZED_BYTES[spec.quantization.dtype] : BYTES[spec.dtype];
  return spec.shape.reduce((a, b) => a * b, 1) * (per ?? NaN);
}

/** A float16's bits as the number they encode (exact in float32). */
export function float16ToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 31) return fraction === 0 ? sign * Infinity : NaN;
  return sign * (1024 + fraction) * 2 ** (exponent - 25);
}

/** The values of one quantized weight from its stored codes (`bytes` holds exactly its codes). */
function dequantize(spec: WeightSpec, bytes: ArrayBuffer, where: string): Float32Array | Int32Array {
  const q = spec.quantization!;
  const codes = q.dtype === 'uint8' ? new Uint8Array(bytes) : new Uint16Array(bytes);
  if (q.dtype === 'float16') {
    if (spec.dtype !== 'float32') {
      throw new Error(`${where}: weight "${spec.name}" is stored as float16, which only float32 weights can be, but its dtype is ${spec.dtype}`);
    }
    return Float32Array.from(codes, float16ToNumber);
  }
  const { scale, min } = q;
  if (typeof scale !== 'number' || typeof min !== 'number') {
    throw new Error(`${where}: weight "${spec.name}" is quantized as ${q.dtype} but its quantization has no numeric scale and min ` +
      `(got ${JSON.stringify(q)})`);
  }
  if (spec.dtype === 'float32') return Float32Array.from(codes, (c) => c * scale + min);
  if (spec.dtype === 'int32') return Int32Array.from(codes, (c) => Math.round(c * scale + min));
  throw new Error(`${where}: weight "${spec.name}" of dtype ${spec.dtype} cannot be quantized (float32 and int32 weights can)`);
}

/** One weight's tensor from exactly its bytes (copied out, so the tensor owns its memory). */
export function decodeWeight(spec: WeightSpec, bytes: Uint8Array, where: string): Tensor {
  // a copy: a Node Buffer's slice shares (and its .buffer spans) the whole pool
  const copy = new Uint8Array(bytes).buffer;
  if (spec.quantization != null) {
    const q = spec.quantization.dtype;
    if (!(q in QUANTIZED_BYTES)) {
      throw new Error(`${where}: weight "${spec.name}" has quantization dtype ${JSON.stringify(q)}; known: 'uint8', 'uint16', 'float16'`);
    }
    return makeTensor(dequantize(spec, copy, where), spec.shape, spec.dtype === 'int32' ? 'int32' : 'float32');
  }
  const typed = spec.dtype === 'float64' ? new Float64Array(copy) : spec.dtype === 'int32' ? new Int32Array(copy)
    : spec.dtype === 'bool' ? new Uint8Array(copy) : new Float32Array(copy);
  return makeTensor(typed, spec.shape, spec.dtype);
}

/** Tensors, in manifest order, from a byte array laid out as `specs` say; `where` names the file in errors. */
export function decodeWeights(data: Uint8Array, specs: WeightSpec[], where: string): { name: string; tensor: Tensor }[] {
  const out: { name: string; tensor: Tensor }[] = [];
  let offset = 0;
  for (const spec of specs) {
    if (!Array.isArray(spec.shape) || !spec.shape.every((d) => Number.isInteger(d) && d >= 0)) {
      throw new Error(`${where}: weight "${spec.name}" has an invalid shape ${JSON.stringify(spec.shape)}`);
    }
    const size = byteSize(spec);
    if (Number.isNaN(size)) {
      throw new Error(`${where}: weight "${spec.name}" has unsupported dtype ${JSON.stringify(spec.quantization?.dtype ?? spec.dtype)}` +
        ` (striate reads float32, int32, bool and float64 weights, and uint8, uint16 and float16 quantized ones)`);
    }
    if (offset + size > data.length) {
      throw new Error(`${where}: weight data ends at byte ${data.length}, but weight "${spec.name}" needs bytes ` +
        `${offset}..${offset + size} (truncated shard?)`);
    }
    out.push({ name: spec.name, tensor: decodeWeight(spec, data.subarray(offset, offset + size), where) });
    offset += size;
  }
  if (offset !== data.length) {
    throw new Error(`${where}: weight data has ${data.length} bytes, the manifest describes ${offset}`);
  }
  return out;
}
