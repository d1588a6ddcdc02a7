/**
 * Tensors to and from the bytes of a weight shard, laid out as TensorFlow.js lays them: each
 * tensor's values, little-endian, one after another in the order of the manifest entries.
 * Quantized weights (quantization.ts) take their codes' bytes instead.
 */
import type { DType } from '../backend/types.js';
import type { Tensor } from '../tensor/tensor.js';
import { makeTensor } from '../tensor/engine.js';
import {
  checkWeightSpec, dequantize, DTYPE_BYTES, QUANTIZED_BYTES, quantizeValues, type Quantization, type QuantizationDType,
} from './quantization.js';

export type { Quantization } from './quantization.js';
export { float16ToNumber } from './quantization.js';

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

/** Bytes per value of each dtype ('string' has no fixed size: string weights are refused). */
export const BYTES = DTYPE_BYTES;

export { sha256 } from './hash.js';

/**
 * The named tensors as one byte array, with their manifest entries. With `quantize`, float32
 * weights are stored as uint8/uint16 codes or float16 (quantization.ts says how and which).
 */
export function encodeWeights(named: { name: string; tensor: Tensor }[], quantize?: QuantizationDType): { data: Uint8Array; specs: WeightSpec[] } {
  const specs: WeightSpec[] = [];
  const parts: Uint8Array[] = [];
  for (const { name, tensor } of named) {
    const dtype = tensor.dtype;
    if (dtype === 'complex128') throw new Error(`encodeWeights: weight '${name}' is complex128, which model files cannot hold (cast its parts to float32 first)`);
    if (dtype === 'string') {
      throw new Error(`saving weights: weight "${name}" is a string tensor; striate writes float32, int32, bool and float64 weights only`);
    }
    const spec: WeightSpec = { name, shape: [...tensor.shape], dtype };
    // copy at once: dataSync may hand out a view of backend memory that the next read reuses
    const values = tensor.dataSync();
    const quantized = quantize !== undefined && dtype === 'float32' ? quantizeValues(values as Float32Array, quantize) : null;
    if (quantized) {
      spec.quantization = quantized.quantization;
      parts.push(quantized.bytes);
    } else {
      parts.push(new Uint8Array(values.buffer, values.byteOffset, values.byteLength).slice());
    }
    specs.push(spec);
  }
  const data = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    data.set(p, offset);
    offset += p.length;
  }
  return { data, specs };
}

/** Bytes the weight takes in a shard (its quantized size when quantized); NaN for a dtype with no fixed size. */
export function byteSize(spec: WeightSpec): number {
  const per = spec.quantization != null ? QUANTIZED_BYTES[spec.quantization.dtype] : DTYPE_BYTES[spec.dtype];
  return spec.shape.reduce((a, b) => a * b, 1) * (per ?? NaN);
}

/** One weight's tensor from exactly its bytes (copied out, so the tensor owns its memory). */
export function decodeWeight(spec: WeightSpec, bytes: Uint8Array, where: string): Tensor {
  const size = checkWeightSpec(spec, where);
  if (bytes.length !== size) throw new Error(`${where}: weight "${spec.name}" needs ${size} bytes, got ${bytes.length}`);
  // a copy: a Node Buffer's slice shares (and its .buffer spans) the whole pool
  const copy = new Uint8Array(bytes).buffer;
  if (spec.quantization != null) {
    return makeTensor(dequantize(spec, copy), spec.shape, spec.dtype === 'int32' ? 'int32' : 'float32');
  }
  const typed = spec.dtype === 'float64' ? new Float64Array(copy) : spec.dtype === 'int32' ? new Int32Array(copy)
    : spec.dtype === 'bool' ? new Uint8Array(copy) : new Float32Array(copy);
  return makeTensor(typed, spec.shape, spec.dtype);
}

/** Every entry checked (shape, dtype, quantization), with the bytes each takes: before any shard is read. */
export function checkWeightSpecs(specs: WeightSpec[], where: string): number[] {
  if (!Array.isArray(specs)) throw new Error(`${where}: the weights manifest's weights must be a list, got ${JSON.stringify(specs)}`);
  return specs.map((spec) => checkWeightSpec(spec, where));
}

/**
 * Every entry checked (shape, dtype, quantization) and the bytes each takes, before anything is
 * allocated; weight data shorter than their sum is refused naming the first weight it cuts.
 */
export function checkWeightData(byteLength: number, specs: WeightSpec[], where: string): number[] {
  const sizes = checkWeightSpecs(specs, where);
  let offset = 0;
  for (const [i, size] of sizes.entries()) {
    if (offset + size > byteLength) {
      throw new Error(`${where}: weight data ends at byte ${byteLength}, but weight "${specs[i].name}" needs bytes ` +
        `${offset}..${offset + size} (truncated shard?)`);
    }
    offset += size;
  }
  return sizes;
}

/** Tensors, in manifest order, from a byte array laid out as `specs` say; `where` names the file in errors. */
export function decodeWeights(data: Uint8Array, specs: WeightSpec[], where: string): { name: string; tensor: Tensor }[] {
  const sizes = checkWeightData(data.length, specs, where);
  const total = sizes.reduce((a, b) => a + b, 0);
  if (total !== data.length) {
    throw new Error(`${where}: weight data has ${data.length} bytes, the manifest describes ${total}`);
  }
  const out: { name: string; tensor: Tensor }[] = [];
  let offset = 0;
  for (const [i, spec] of specs.entries()) {
    out.push({ name: spec.name, tensor: decodeWeight(spec, data.subarray(offset, offset + sizes[i]), where) });
    offset += sizes[i];
  }
  return out;
}
