/**
 * Tensors to and from the bytes of a weight shard, laid out as TensorFlow.js lays them: each
 * tensor's values, little-endian, one after another in the order of the manifest entries.
 */
import type { DType } from '../backend/types.js';
import type { Tensor } from '../tensor/tensor.js';
import { makeTensor } from '../tensor/engine.js';

/** One entry of a weights manifest. */
export interface WeightSpec {
  name: string;
  shape: number[];
  dtype: DType;
  /** TensorFlow.js marks its optimizer's weights with group 'optimizer' */
  group?: string;
  quantization?: unknown;
}

/** Bytes per value of each dtype. */
export const BYTES: Record<DType, number> = { float32: 4, float64: 8, int32: 4, bool: 1 };

export { sha256 } from './hash.js';

/** The named tensors as one byte array, with their manifest entries. */
export function encodeWeights(named: { name: string; tensor: Tensor }[]): { data: Uint8Array; specs: WeightSpec[] } {
  const specs = named.map(({ name, tensor }) => ({ name, shape: [...tensor.shape], dtype: tensor.dtype }));
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

export function byteSize(spec: WeightSpec): number {
  return spec.shape.reduce((a, b) => a * b, 1) * (BYTES[spec.dtype] ?? NaN);
}

/** Tensors, in manifest order, from a byte array laid out as `specs` say; `where` names the file in errors. */
export function decodeWeights(data: Uint8Array, specs: WeightSpec[], where: string): { name: string; tensor: Tensor }[] {
  const out: { name: string; tensor: Tensor }[] = [];
  let offset = 0;
  for (const spec of specs) {
    if (spec.quantization) throw new Error(`${where}: weight "${spec.name}" is quantized; striate reads unquantized weights only`);
    if (!Array.isArray(spec.shape) || !spec.shape.every((d) => Number.isInteger(d) && d >= 0)) {
      throw new Error(`${where}: weight "${spec.name}" has an invalid shape ${JSON.stringify(spec.shape)}`);
    }
    const size = byteSize(spec);
    if (Number.isNaN(size)) throw new Error(`${where}: weight "${spec.name}" has unsupported dtype ${JSON.stringify(spec.dtype)}`);
    if (offset + size > data.length) {
      throw new Error(`${where}: weight data ends at byte ${data.length}, but weight "${spec.name}" needs bytes ` +
        `${offset}..${offset + size} (truncated shard?)`);
    }
    // a copy: a Node Buffer's slice shares (and its .buffer spans) the whole pool
    const copy = new Uint8Array(data.subarray(offset, offset + size)).buffer;
    offset += size;
    const typed = spec.dtype === 'float64' ? new Float64Array(copy) : spec.dtype === 'int32' ? new Int32Array(copy)
      : spec.dtype === 'bool' ? new Uint8Array(copy) : new Float32Array(copy);
    out.push({ name: spec.name, tensor: makeTensor(typed, spec.shape, spec.dtype) });
  }
  if (offset !== data.length) {
    throw new Error(`${where}: weight data has ${data.length} bytes, the manifest describes ${offset}`);
  }
  return out;
}
