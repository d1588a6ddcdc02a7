/** `st.util`, part 1: shuffles, small numeric helpers, assertions and array comparisons. */
import { sizeFromShape as sizeOf } from '../backend/shape_util.js';
import { randomFor } from './random.js';

type FlatVector = ArrayLike<number>;

type Shuffleable = unknown[] | Uint32Array | Int32Array | Float32Array;

/**
 * Shuffles an array in place (Fisher-Yates).
 *
 * @example
 * ```ts
 * const a = [1, 2, 3, 4];
 * st.util.shuffle(a); // in place
 * console.log(a);
 * ```
 */
export function shuffle(array: Shuffleable): void {
  const random = randomFor();
  for (let i = array.length - 1; i > 0; i--) {
    const j = Math.floor(random.next() * (i + 1));
    swap(array as unknown as Record<number, unknown>, i, j);
  }
}

/**
 * Shuffles two arrays of one length in place, by the same permutation.
 *
 * @example
 * ```ts
 * const xs = [1, 2, 3], ys = ['a', 'b', 'c'];
 * st.util.shuffleCombo(xs, ys); // the same permutation for both
 * console.log(xs, ys);
 * ```
 */
export function shuffleCombo(array: Shuffleable, array2: Shuffleable): void {
  if (array.length !== array2.length) {
    throw new Error(`util.shuffleCombo: the arrays must have one length, got ${array.length} and ${array2.length}`);
  }
  const random = randomFor();
  for (let i = array.length - 1; i > 0; i--) {
    const j = Math.floor(random.next() * (i + 1));
    swap(array as unknown as Record<number, unknown>, i, j);
    swap(array2 as unknown as Record<number, unknown>, i, j);
  }
}

/**
 * 0 .. n-1 in random order.
 *
 * @example
 * ```ts
 * console.log(st.util.createShuffledIndices(5)); // 0..4 in random order
 * ```
 */
export function createShuffledIndices(n: number): Uint32Array {
  const indices = new Uint32Array(n);
  for (let i = 0; i < n; i++) indices[i] = i;
  shuffle(indices);
  return indices;
}

/**
 * @example
 * ```ts
 * console.log(st.util.clamp(0, 7, 5)); // 5
 * ```
 */
export function clamp(min: number, x: number, max: number): number {
  return Math.max(min, Math.min(x, max));
}

/**
 * @example
 * ```ts
 * console.log(st.util.nearestLargerEven(3)); // 4
 * ```
 */
export function nearestLargerEven(val: number): number {
  return val % 2 === 0 ? val : val + 1;
}

/**
 * @example
 * ```ts
 * const a = [1, 2, 3];
 * st.util.swap(a, 0, 2);
 * console.log(a); // [3, 2, 1]
 * ```
 */
export function swap<T>(object: { [index: number]: T }, left: number, right: number): void {
  const t = object[left];
  object[left] = object[right];
  object[right] = t;
}

/**
 * @example
 * ```ts
 * console.log(st.util.sum([1, 2, 3])); // 6
 * ```
 */
export function sum(arr: FlatVector): number {
  let s = 0;
  for (let i = 0; i < arr.length; i++) s += arr[i];
  return s;
}

/**
 * A uniform random number in [a, b).
 *
 * @example
 * ```ts
 * console.log(st.util.randUniform(0, 10)); // a number in [0, 10)
 * ```
 */
export function randUniform(a: number, b: number): number {
  return a + randomFor().next() * (b - a);
}

/**
 * @example
 * ```ts
 * console.log(st.util.distSquared([0, 0], [3, 4])); // 25
 * ```
 */
export function distSquared(a: FlatVector, b: FlatVector): number {
  if (a.length !== b.length) throw new Error(`util.distSquared: vectors of lengths ${a.length} and ${b.length}`);
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return s;
}

/**
 * Throws `new Error(msg())` when `expr` is false (msg is a function, so building it costs nothing when true).
 *
 * @example
 * ```ts
 * st.util.assert(2 > 1, () => 'never shown');
 * ```
 */
export function assert(expr: boolean, msg: () => string): void {
  if (!expr) throw new Error(typeof msg === 'string' ? msg : msg());
}

/**
 * @example
 * ```ts
 * st.util.assertShapesMatch([2, 3], [2, 3]); // [2, 4] would throw
 * ```
 */
export function assertShapesMatch(shapeA: number[], shapeB: number[], errorMessagePrefix = ''): void {
  assert(arraysEqual(shapeA, shapeB), () => `${errorMessagePrefix} Shapes [${shapeA}] and [${shapeB}] must match`);
}

/**
 * @example
 * ```ts
 * st.util.assertNonNull(0); // null or undefined would throw
 * ```
 */
export function assertNonNull(a: unknown): void {
  assert(a != null, () => 'The input to the tensor constructor must be a non-null value.');
}

/**
 * @example
 * ```ts
 * console.log(st.util.sizeFromShape([2, 3, 4])); // 24
 * ```
 */
export function sizeFromShape(shape: number[]): number {
  return sizeOf(shape);
}

/**
 * @example
 * ```ts
 * console.log(st.util.isScalarShape([])); // true
 * ```
 */
export function isScalarShape(shape: number[]): boolean {
  return shape.length === 0;
}

/**
 * Equal shapes where null (an unknown dimension) matches anything.
 *
 * @example
 * ```ts
 * console.log(st.util.arraysEqualWithNull([null, 3], [null, 3])); // true
 * ```
 */
export function arraysEqualWithNull(n1: (number | null)[], n2: (number | null)[]): boolean {
  if (n1 === n2) return true;
  if (n1 == null || n2 == null || n1.length !== n2.length) return false;
  return n1.every((v, i) => v === null || n2[i] === null || v === n2[i]);
}

/**
 * @example
 * ```ts
 * console.log(st.util.arraysEqual([1, 2], [1, 2])); // true
 * ```
 */
export function arraysEqual(n1: FlatVector, n2: FlatVector): boolean {
  if (n1 === n2) return true;
  if (n1 == null || n2 == null || n1.length !== n2.length) return false;
  for (let i = 0; i < n1.length; i++) if (n1[i] !== n2[i]) return false;
  return true;
}

/**
 * @example
 * ```ts
 * console.log(st.util.isInt(3), st.util.isInt(3.5)); // true false
 * ```
 */
export function isInt(a: number): boolean {
  return a % 1 === 0;
}

/**
 * @example
 * ```ts
 * console.log(st.util.tanh(0.5));
 * ```
 */
export function tanh(x: number): number {
  return Math.tanh(x);
}

/**
 * [width, height] of the near-square grid that holds `size` cells.
 *
 * @example
 * ```ts
 * console.log(st.util.sizeToSquarishShape(12)); // [3, 4]
 * ```
 */
export function sizeToSquarishShape(size: number): [number, number] {
  const width = Math.ceil(Math.sqrt(size));
  return [width, Math.ceil(size / width)];
}

/**
 * @example
 * ```ts
 * console.log(`[${st.util.rightPad('ab', 5)}]`); // '[ab   ]'
 * ```
 */
export function rightPad(a: string, size: number): string {
  return size <= a.length ? a : a + ' '.repeat(size - a.length);
}

/**
 * Calls `checkFn` until it returns true, waiting `delayFn(tries)` ms between calls; rejects after
 * `maxCounter` tries.
 *
 * @example
 * ```ts
 * let calls = 0;
 * await st.util.repeatedTry(() => ++calls === 3);
 * console.log(calls); // 3
 * ```
 */
export function repeatedTry(checkFn: () => boolean, delayFn: (counter: number) => number = () => 0,
  maxCounter?: number, scheduleFn?: (f: () => void, delay: number) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    let tries = 0;
    const attempt = (): void => {
      if (checkFn()) return resolve();
      tries++;
      if (maxCounter != null && tries >= maxCounter) return reject(new Error(`util.repeatedTry: gave up after ${tries} tries`));
      const delay = delayFn(tries);
      if (scheduleFn) scheduleFn(attempt, delay);
      else setTimeout(attempt, delay);
    };
    attempt();
  });
}
