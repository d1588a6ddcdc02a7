/** Small shape helpers shared by every layer above (pure functions on number arrays). */
import type { DType, TensorInfo, TypedArray } from './types.js';

export function sizeFromShape(shape: readonly number[]): number {
  let size = 1;
  for (const d of shape) size *= d;
  return size;
}

/** Row-major strides: strides[last] = 1. */
export function computeStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  return strides;
}

/**
 * Strides for reading an input of `inShape` while walking `outShape` (NumPy broadcasting:
 * shapes aligned on the right, size-1 and missing dims get stride 0).
 */
export function broadcastStrides(inShape: readonly number[], outShape: readonly number[]): number[] {
  const inStrides = computeStrides(inShape);
  const offset = outShape.length - inShape.length;
  const result = new Array<number>(outShape.length).fill(0);
  for (let i = 0; i < inShape.length; i++) {
    result[i + offset] = inShape[i] === 1 ? 0 : inStrides[i];
  }
  return result;
}

/** NumPy broadcast of two shapes, or null when they are incompatible. */
export function broadcastShapes(a: readonly number[], b: readonly number[]): number[] | null {
  const rank = Math.max(a.length, b.length);
  const out = new Array<number>(rank);
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da === db || db === 1) out[i] = da;
    else if (da === 1) out[i] = db;
    else return null;
  }
  return out;
}

export function arraysEqual(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function typedArrayFor(dtype: DType, size: number): TypedArray {
  switch (dtype) {
    case 'float32': return new Float32Array(size);
    case 'float64': return new Float64Array(size);
    case 'int32': return new Int32Array(size);
    case 'bool': return new Uint8Array(size);
    case 'string': throw new Error(`string tensors have no typed array: their values are byte strings (size ${size})`);
    // complex: the parts interleaved, two slots per element
    case 'complex64': return new Float32Array(2 * size);
    case 'complex128': return new Float64Array(2 * size);
  }
}

export function bytesPerElement(dtype: DType): number {
  switch (dtype) {
    case 'bool': return 1;
    case 'float64': case 'complex64': return 8;
    case 'complex128': return 16;
    default: return 4;
  }
}

/** Whether a dtype is complex (storage: parts interleaved). */
export function isComplexDtype(dtype: DType): boolean {
  return dtype === 'complex64' || dtype === 'complex128';
}

/** The dtype of a complex dtype's parts, and of its storage slots. */
export function complexPartDtype(dtype: DType): 'float32' | 'float64' {
  return dtype === 'complex128' ? 'float64' : 'float32';
}

/** The complex dtype whose parts have `dtype` (float64 parts: complex128, otherwise complex64). */
export function complexDtypeOf(dtype: DType): 'complex64' | 'complex128' {
  return dtype === 'float64' || dtype === 'complex128' ? 'complex128' : 'complex64';
}

export function shapeToString(shape: readonly number[]): string {
  return `[${shape.join(',')}]`;
}

/** Whether a kernel argument is a tensor (the reference fallbacks pass those as views). */
export function isInfo(p: unknown): p is TensorInfo {
  return typeof p === 'object' && p !== null && 'dataId' in p && 'shape' in p;
}

/** The dtype of a kernel's result from its values (a reference fallback's output). */
export function dtypeOf(values: TypedArray): DType {
  if (values instanceof Float32Array) return 'float32';
  if (values instanceof Float64Array) return 'float64';
  if (values instanceof Int32Array) return 'int32';
  return 'bool';
}

