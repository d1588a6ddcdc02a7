/** `st.util`, part 3: time, fetch, strings, flattening and 64-bit string hashes. */
import { platformHooks } from './platform.js';
import type Long from 'long';
import { fingerprint64 } from './farmhash.js';

/**
 * Milliseconds, from a high-resolution clock.
 *
 * @example
 * ```ts
 * const start = st.util.now();
 * console.log(`${st.util.now() - start} ms`);
 * ```
 */
export function now(): number {
  return platformHooks.now();
}

/**
 * The platform's fetch (the browser's, or Node's built-in one).
 *
 * @example
 * ```ts
 * // the platform's fetch: await st.util.fetch('https://example.com/model.json')
 * console.log(typeof st.util.fetch);
 * ```
 */
export function fetch(path: string, requestInits?: RequestInit): Promise<Response> {
  return platformHooks.fetch(path, requestInits);
}

/**
 * @example
 * ```ts
 * console.log(st.util.encodeString('hé')); // Uint8Array [104, 195, 169]
 * ```
 */
export function encodeString(s: string, encoding = 'utf-8'): Uint8Array {
  if (encoding.toLowerCase().replace('-', '') !== 'utf8') throw new Error(`util.encodeString: only utf-8 is supported, got ${encoding}`);
  return new TextEncoder().encode(s);
}

/**
 * @example
 * ```ts
 * console.log(st.util.decodeString(new Uint8Array([104, 105]))); // 'hi'
 * ```
 */
export function decodeString(bytes: Uint8Array, encoding = 'utf-8'): string {
  return new TextDecoder(encoding).decode(bytes);
}

/**
 * @example
 * ```ts
 * console.log(st.util.isTypedArray(new Float32Array(2))); // true
 * ```
 */
export function isTypedArray(a: unknown): a is Float32Array | Int32Array | Uint8Array | Uint8ClampedArray {
  return a instanceof Float32Array || a instanceof Int32Array || a instanceof Uint8Array || a instanceof Uint8ClampedArray;
}

/**
 * Nested arrays (and, unless skipTypedArray, typed arrays inside them) as one flat list.
 *
 * @example
 * ```ts
 * console.log(st.util.flatten([[1, 2], [3, [4]]])); // [1, 2, 3, 4]
 * ```
 */
export function flatten<T>(arr: T | unknown[], result: T[] = [], skipTypedArray = false): T[] {
  if (Array.isArray(arr) || (ArrayBuffer.isView(arr) && !skipTypedArray && !(arr instanceof DataView))) {
    for (let i = 0; i < (arr as ArrayLike<unknown>).length; i++) flatten((arr as ArrayLike<unknown>)[i] as T, result, skipTypedArray);
  } else result.push(arr as T);
  return result;
}

// ---- strings area (issue 16): 64-bit hashes as TensorFlow.js returns them ----
// TensorFlow.js hands these out as Long objects of the `long` package; striate does the same
// (long 5, which protobufjs already brings), so that programs calling .toString(), .modulo(),
// .getLowBitsUnsigned() on them keep working.

// the browser entry loads unbundled and so cannot import packages: the Node entry hands the Long
// class in (setLongClass); elsewhere these two functions say what they need
let LongClass: typeof Long | undefined;

/**
 * Gives util.hexToLong/fingerPrint64 the `long` package's class (the Node entry does this).
 *
 * @example
 * ```ts
 * // in a browser, where the unbundled entry cannot import packages:
 * // import Long from 'long'; st.util.setLongClass(Long);
 * // Node's entry has done it already, so this runs there:
 * console.log(st.util.hexToLong('ff').toString()); // '255'
 * ```
 */
export function setLongClass(cls: typeof Long): void {
  LongClass = cls;
}

function longClass(where: string): typeof Long {
  if (!LongClass) throw new Error(`util.${where}: needs the "long" package; in a browser call st.util.setLongClass(Long) with it first`);
  return LongClass;
}

/**
 * An unsigned 64-bit Long from hexadecimal text (TensorFlow.js' `util.hexToLong`).
 *
 * @example
 * ```ts
 * const big = st.util.hexToLong('ffffffffffffffff');
 * console.log(big.toString()); // '18446744073709551615' (unsigned)
 * ```
 */
export function hexToLong(hex: string): Long {
  if (typeof hex !== 'string' || !/^[0-9a-fA-F]+$/.test(hex)) {
    throw new Error(`util.hexToLong: expected hexadecimal digits, got ${JSON.stringify(hex)}`);
  }
  return longClass('hexToLong').fromString(hex, true, 16);
}

/**
 * Farmhash Fingerprint64 of the first `len` bytes of `s`, as an unsigned Long (TensorFlow.js' `util.fingerPrint64`).
 *
 * @example
 * ```ts
 * const hash = st.util.fingerPrint64(new TextEncoder().encode('hello'));
 * console.log(hash.toString(16)); // the same 64 bits as TensorFlow's Fingerprint64
 * ```
 */
export function fingerPrint64(s: Uint8Array, len = s.length): Long {
  if (!(s instanceof Uint8Array)) throw new Error(`util.fingerPrint64: expected a Uint8Array, got ${typeof s}`);
  const h = fingerprint64(s, len);
  return longClass('fingerPrint64').fromBits(Number(h & 0xffffffffn) | 0, Number(h >> 32n) | 0, true);
}
