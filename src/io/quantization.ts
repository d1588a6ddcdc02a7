/**
 * Quantized weights, as the TensorFlow.js converter writes them and tfjs-core reads them.
 *
 * Writing follows the converter's `--quantize_uint8` / `--quantize_uint16` / `--quantize_float16`:
 * each float32 weight on its own gets an affine range [min, max] mapped onto the codes
 * 0..2^bits-1 (`scale = (max - min) / (2^bits - 1)`), with the range shifted so that 0.0 falls
 * exactly on a code when the weight has both signs (zero padding and ReLU zeros stay exact); a
 * weight whose values are all equal is stored as zeros with scale 1 and min = that value, so it
 * comes back exactly. float16 stores each float32 rounded to the nearest half (ties to even).
 * Only float32 weights are quantized, as the converter does; int32, bool and float64 weights, and
 * float32 weights holding NaN or Infinity (no finite range), are written as they are.
 *
 * Reading is tfjs-core's: `code * scale + min` (computed in double, stored as float32; rounded
 * for int32 weights), float16 bits to float32. A manifest entry is checked whole before any
 * tensor is made: a shape of safe non-negative integers, a dtype striate has tensors for, and
 * quantization fields that mean something.
 */
import type { DType } from '../backend/types.js';

export type QuantizationDType = 'uint8' | 'uint16' | 'float16';

/**
 * How a weight's values were stored smaller: uint8/uint16 codes `q` standing for `q * scale + min`
 * (rounded for int32 weights), or float16 for float32 weights. `original_dtype` is the converter's
 * note of the weight's dtype; readers go by the entry's own `dtype`.
 */
export interface Quantization {
  dtype: QuantizationDType;
  scale?: number;
  min?: number;
  original_dtype?: string;
}

/** The manifest entry fields this module checks (weight_data.ts' WeightSpec has them all). */
interface SpecLike {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: Quantization;
}

export const QUANTIZED_BYTES: Record<QuantizationDType, number> = { uint8: 1, uint16: 2, float16: 2 };

/** Bytes per value of the dtypes a manifest may hold ('string' has no fixed size: string weights are refused). */
export const DTYPE_BYTES: Partial<Record<DType, number>> = { float32: 4, float64: 8, int32: 4, bool: 1, complex64: 8, complex128: 16 };

/** The quantization `model.save` was asked for: `{quantizationBytes: 1 | 2}` or `{float16: true}`. */
export interface QuantizeOptions {
  /** store float32 weights as 1-byte (uint8) or 2-byte (uint16) affine codes, as the converter's `--quantization_bytes` */
  quantizationBytes?: 1 | 2;
  /** store float32 weights as float16, as the converter's `--quantize_float16` */
  float16?: boolean;
}

/** The quantization dtype the save options ask for, or undefined for none; nonsense is an error naming `where`. */
export function quantizationOf(options: QuantizeOptions | undefined, where: string): QuantizationDType | undefined {
  const bytes = options?.quantizationBytes;
  const half = options?.float16;
  if (bytes !== undefined && bytes !== 1 && bytes !== 2) {
    throw new Error(`${where}: quantizationBytes must be 1 (uint8) or 2 (uint16), got ${JSON.stringify(bytes)}`);
  }
  if (half !== undefined && typeof half !== 'boolean') throw new Error(`${where}: float16 must be true or false, got ${JSON.stringify(half)}`);
  if (bytes !== undefined && half) {
    throw new Error(`${where}: give quantizationBytes or float16, not both (a weight is stored one way)`);
  }
  if (half) return 'float16';
  return bytes === 1 ? 'uint8' : bytes === 2 ? 'uint16' : undefined;
}

/** numpy's rounding: to the nearest integer, ties to the even one. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** A float32's nearest float16, as its 16 bits (ties to even; too large is Infinity; NaN stays NaN). */
export function numberToFloat16(value: number): number {
  f32[0] = value;
  const bits = u32[0];
  const sign = (bits >>> 16) & 0x8000;
  const exponent = (bits >>> 23) & 0xff;
  const mantissa = bits & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa !== 0 ? 0x200 : 0);
  const halfExponent = exponent - 127 + 15;
  if (halfExponent >= 0x1f) return sign | 0x7c00;
  // the float32's 24-bit significand, shifted down to the half's 10 (normal) or fewer (subnormal) bits
  const significand = exponent === 0 ? mantissa : mantissa | 0x800000;
  const shift = halfExponent > 0 ? 13 : 14 - halfExponent;
  if (shift > 24) return sign;
  const kept = significand >>> shift;
  const rest = significand & ((1 << shift) - 1);
  const half = 1 << (shift - 1);
  const rounded = kept + (rest > half || (rest === half && (kept & 1) === 1) ? 1 : 0);
  // a normal half: the exponent field plus the fraction (a carry out of the fraction bumps the exponent, up to Infinity)
  return sign | (halfExponent > 0 ? ((halfExponent << 10) + (rounded - 0x400)) : rounded);
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

/**
 * One float32 weight's codes and manifest fields, or null when it cannot be quantized (NaN or
 * Infinity in it). The affine range is the converter's (see the top of this file).
 */
export function quantizeValues(values: Float32Array, dtype: QuantizationDType): { bytes: Uint8Array; quantization: Quantization } | null {
  if (dtype === 'float16') {
    const codes = new Uint16Array(values.length);
    for (let i = 0; i < values.length; i++) codes[i] = numberToFloat16(values[i]);
    return { bytes: new Uint8Array(codes.buffer), quantization: { dtype, original_dtype: 'float32' } };
  }
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) return null;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const codes = dtype === 'uint8' ? new Uint8Array(values.length) : new Uint16Array(values.length);
  if (values.length === 0 || lo === hi) {
    // all zeros stand for min exactly
    return { bytes: new Uint8Array(codes.buffer), quantization: { dtype, min: values.length === 0 ? 0 : lo, scale: 1, original_dtype: 'float32' } };
  }
  const top = dtype === 'uint8' ? 255 : 65535;
  const scale = (hi - lo) / top;
  let min = lo;
  let max = hi;
  if (lo <= 0 && 0 <= hi) {
    // shift the range so that 0.0 is a code: min = -zeroCode * scale
    min = -roundHalfEven(-lo / scale) * scale;
    max = top * scale + min;
  }
  for (let i = 0; i < values.length; i++) {
    const clipped = Math.min(Math.max(values[i], min), max);
    codes[i] = Math.min(top, Math.max(0, roundHalfEven((clipped - min) / scale)));
  }
  return { bytes: new Uint8Array(codes.buffer), quantization: { dtype, min, scale, original_dtype: 'float32' } };
}

/** The values of one quantized weight from exactly its stored codes (the spec already checked by checkWeightSpec). */
export function dequantize(spec: SpecLike, bytes: ArrayBuffer): Float32Array | Int32Array {
  const q = spec.quantization!;
  const codes = q.dtype === 'uint8' ? new Uint8Array(bytes) : new Uint16Array(bytes);
  // plain loops: TypedArray.from with a mapping function is about 30x slower on big models
  if (q.dtype === 'float16') {
    const out = new Float32Array(codes.length);
    for (let i = 0; i < codes.length; i++) out[i] = float16ToNumber(codes[i]);
    return out;
  }
  const scale = q.scale!;
  const min = q.min!;
  if (spec.dtype === 'int32') {
    const out = new Int32Array(codes.length);
    for (let i = 0; i < codes.length; i++) out[i] = Math.round(codes[i] * scale + min);
    return out;
  }
  const out = new Float32Array(codes.length);
  for (let i = 0; i < codes.length; i++) out[i] = codes[i] * scale + min;
  return out;
}

const KNOWN_DTYPES = 'float32, int32, bool and float64 weights, and uint8, uint16 and float16 quantized ones';

/**
 * Checks one manifest entry before anything is allocated for it, and returns the bytes it takes
 * in its shard. `where` names the file in the message.
 */
export function checkWeightSpec(spec: SpecLike, where: string): number {
  if (spec === null || typeof spec !== 'object') throw new Error(`${where}: a weights manifest entry is ${JSON.stringify(spec)}, expected {name, shape, dtype}`);
  const name = typeof spec.name === 'string' ? spec.name : JSON.stringify(spec.name);
  const shape = spec.shape;
  if (!Array.isArray(shape)) throw new Error(`${where}: weight "${name}" has shape ${JSON.stringify(shape)}; expected a list of dimensions`);
  for (const d of shape) {
    if (typeof d !== 'number' || !Number.isInteger(d) || d < 0) {
      throw new Error(`${where}: weight "${name}" has an invalid shape ${JSON.stringify(shape)}: dimension ${JSON.stringify(d)} is not a non-negative integer`);
    }
    if (!Number.isSafeInteger(d)) throw new Error(`${where}: weight "${name}" has shape ${JSON.stringify(shape)}: dimension ${d} is too large to count`);
  }
  let count = 1;
  for (const d of shape) {
    count *= d;
    if (!Number.isSafeInteger(count)) {
      throw new Error(`${where}: weight "${name}" has shape ${JSON.stringify(shape)} whose element count overflows (more than 2^53 values)`);
    }
  }
  const q = spec.quantization;
  let per: number | undefined;
  if (q != null) {
    if (typeof q !== 'object') throw new Error(`${where}: weight "${name}" has quantization ${JSON.stringify(q)}; expected {dtype, scale, min}`);
    if (!Object.prototype.hasOwnProperty.call(QUANTIZED_BYTES, q.dtype)) {
      throw new Error(`${where}: weight "${name}" has quantization dtype ${JSON.stringify(q.dtype)}; known: 'uint8', 'uint16', 'float16'`);
    }
    if (q.dtype === 'float16') {
      if (spec.dtype !== 'float32') {
        throw new Error(`${where}: weight "${name}" is stored as float16, which only float32 weights can be, but its dtype is ${JSON.stringify(spec.dtype)}`);
      }
    } else {
      if (spec.dtype !== 'float32' && spec.dtype !== 'int32') {
        throw new Error(`${where}: weight "${name}" of dtype ${JSON.stringify(spec.dtype)} cannot be quantized (float32 and int32 weights can)`);
      }
      for (const key of ['scale', 'min'] as const) {
        const v = q[key];
        if (typeof v !== 'number' || !Number.isFinite(v)) {
          throw new Error(`${where}: weight "${name}" is quantized as ${q.dtype} but its ${key} is ${v === undefined ? 'missing' : typeof v === 'number' ? String(v) : JSON.stringify(v)}` +
            ` (expected a finite number)`);
        }
      }
      if (q.scale! < 0) throw new Error(`${where}: weight "${name}" is quantized as ${q.dtype} with a negative scale ${q.scale} (a range's scale is >= 0)`);
    }
    per = QUANTIZED_BYTES[q.dtype];
  } else {
    per = Object.prototype.hasOwnProperty.call(DTYPE_BYTES, spec.dtype) ? DTYPE_BYTES[spec.dtype as DType] : undefined;
    if (per === undefined) {
      throw new Error(`${where}: weight "${name}" has unsupported dtype ${JSON.stringify(spec.dtype)} (striate reads ${KNOWN_DTYPES}; ` +
        `string weights are not supported)`);
    }
  }
  const bytes = count * per;
  if (!Number.isSafeInteger(bytes)) throw new Error(`${where}: weight "${name}" has shape ${JSON.stringify(shape)} whose byte size overflows`);
  return bytes;
}
