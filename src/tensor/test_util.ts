/**
 * `st.test_util`: TensorFlow.js' assertions for tests (`expectArraysClose`, ...). They throw an
 * Error that says which element differs, instead of calling a test framework's `expect`.
 */
import { Tensor } from './tensor.js';

export const TEST_EPSILON_FLOAT16 = 1e-1;
const TEST_EPSILON_FLOAT32 = 1e-3;

/**
 * The tolerance TensorFlow.js' tests use for float32 results.
 *
 * @example
 * ```ts
 * console.log(st.test_util.testEpsilon()); // the tolerance expectArraysClose uses
 * ```
 */
export function testEpsilon(): number {
  return TEST_EPSILON_FLOAT32;
}

type Values = Tensor | ArrayLike<number> | number | boolean | unknown[];

function flatValues(x: Values, what: string): number[] {
  if (x instanceof Tensor) return Array.from(x.dataSync());
  if (typeof x === 'number' || typeof x === 'boolean') return [Number(x)];
  if (Array.isArray(x)) return (x as unknown[]).flat(Infinity).map((v) => (typeof v === 'boolean' ? Number(v) : v as number));
  if (ArrayBuffer.isView(x)) return Array.from(x as ArrayLike<number>);
  throw new Error(`test_util: ${what} must be a tensor, a number or an array, got ${typeof x}`);
}

function compare(actual: Values, expected: Values, close: (a: number, e: number) => boolean, how: string): void {
  const a = flatValues(actual, 'actual');
  const e = flatValues(expected, 'expected');
  if (a.length !== e.length) {
    throw new Error(`Arrays have different lengths: actual ${a.length} vs expected ${e.length}.\nActual: ${a}\nExpected: ${e}`);
  }
  for (let i = 0; i < e.length; i++) {
    if (!close(a[i], e[i])) {
      throw new Error(`Arrays differ: actual[${i}] = ${a[i]}, expected[${i}] = ${e[i]} (${how}).\nActual: ${a}\nExpected: ${e}`);
    }
  }
}

function areClose(a: number, e: number, epsilon: number): boolean {
  if (Number.isNaN(a) && Number.isNaN(e)) return true;
  if (!Number.isFinite(a) || !Number.isFinite(e)) return a === e;
  return Math.abs(a - e) <= epsilon;
}

/**
 * Every value within `epsilon` of the expected one (default: testEpsilon()).
 *
 * @example
 * ```ts
 * st.test_util.expectArraysClose(st.tensor1d([1, 2.0001]), [1, 2]); // throws when they differ
 * ```
 */
export function expectArraysClose(actual: Values, expected: Values, epsilon?: number): void {
  const eps = epsilon ?? testEpsilon();
  compare(actual, expected, (a, e) => areClose(a, e, eps), `tolerance ${eps}`);
}

/**
 * @example
 * ```ts
 * st.test_util.expectArraysEqual(st.tensor1d([1, 2], 'int32'), [1, 2]);
 * ```
 */
export function expectArraysEqual(actual: Values, expected: Values): void {
  compare(actual, expected, (a, e) => a === e || (Number.isNaN(a) && Number.isNaN(e)), 'exact');
}

/**
 * @example
 * ```ts
 * st.test_util.expectNumbersClose(0.1 + 0.2, 0.3);
 * ```
 */
export function expectNumbersClose(a: number, e: number, epsilon?: number): void {
  const eps = epsilon ?? testEpsilon();
  if (!areClose(a, e, eps)) throw new Error(`Numbers differ: actual ${a}, expected ${e} (tolerance ${eps})`);
}

/**
 * @example
 * ```ts
 * st.test_util.expectValuesInRange(st.randomUniform([10]), 0, 1);
 * ```
 */
export function expectValuesInRange(actual: Values, low: number, high: number): void {
  flatValues(actual, 'actual').forEach((v, i) => {
    if (!(v >= low && v <= high)) throw new Error(`Value out of range: actual[${i}] = ${v}, expected in [${low}, ${high}]`);
  });
}

/**
 * @example
 * ```ts
 * st.test_util.expectArrayBuffersEqual(new Uint8Array([1, 2]).buffer, new Uint8Array([1, 2]).buffer);
 * ```
 */
export function expectArrayBuffersEqual(actual: ArrayBuffer, expected: ArrayBuffer): void {
  expectArraysEqual(new Uint8Array(actual), new Uint8Array(expected));
}

/**
 * Calls `done` when the promise `fn()` returns rejects; throws through `done.fail`-style callbacks otherwise.
 *
 * @example
 * ```ts
 * st.test_util.expectPromiseToFail(() => Promise.reject(new Error('no')), () => console.log('failed, as expected'));
 * ```
 */
export function expectPromiseToFail(fn: () => Promise<unknown>, done: (error?: unknown) => void): void {
  fn().then(() => done(new Error('expectPromiseToFail: the promise resolved')), () => done());
}

/**
 * Strings as UTF-8 bytes, nested like the input.
 *
 * @example
 * ```ts
 * console.log(st.test_util.encodeStrings(['a', ['b']])); // the strings as UTF-8 bytes
 * ```
 */
export function encodeStrings(a: unknown): unknown {
  if (Array.isArray(a)) return a.map(encodeStrings);
  if (typeof a === 'string') return new TextEncoder().encode(a);
  return a;
}

/**
 * A playing video element (browsers only), as TensorFlow.js' tests make for fromPixels.
 *
 * @example
 * ```ts
 * // in a browser test: const video = await st.test_util.createVideoElement(source);
 * console.log(typeof st.test_util.createVideoElement);
 * ```
 */
export async function createVideoElement(source: HTMLSourceElement): Promise<HTMLVideoElement> {
  if (typeof document === 'undefined') throw new Error('test_util.createVideoElement: needs a browser (no document here)');
  const video = document.createElement('video');
  video.muted = true;
  video.appendChild(source);
  await new Promise<void>((resolve) => { video.onloadeddata = () => resolve(); video.load(); });
  return video;
}

/**
 * Starts a video element and resolves once it is playing (browsers only).
 *
 * @example
 * ```ts
 * // in a browser test: await st.test_util.play(video);
 * console.log(typeof st.test_util.play);
 * ```
 */
export async function play(video: HTMLVideoElement): Promise<void> {
  if (typeof document === 'undefined') throw new Error('test_util.play: needs a browser (no document here)');
  await video.play();
  if (video.readyState < 2) await new Promise<void>((resolve) => { video.onloadeddata = () => resolve(); });
}
