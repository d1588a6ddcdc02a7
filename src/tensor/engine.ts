/**
 * Bookkeeping around tensors: creation on the active backend, `tidy` scopes, live counts,
 * and release of storage for tensors the garbage collector takes.
 */
import type { Backend, DataId, DType, MemoryInfo, TypedArray } from '../backend/types.js';
import { backend as activeBackend } from '../backend/registry.js';
import { Tensor, Variable, tensorHooks } from './tensor.js';

let liveTensors = 0;
const scopes: Set<Tensor>[] = [];

// Storage the collector cannot see (wasm heap) is released here when a tensor is collected
// without dispose(); typed-array storage needs nothing, so only the count is kept.
// The held record follows the tensor's current storage: a Variable's assign() swaps it.
interface Held { backend: Backend; dataId: DataId | null; registered: boolean }
const collected = new FinalizationRegistry<Held>((held) => {
  liveTensors--;
  if (held.dataId) held.backend.decRef(held.dataId);
});

// A tensor made inside a tidy scope is registered only when it leaves the outermost scope alive:
// until then the scope disposes it or hands it on. V8's young-generation collector keeps every
// registered object alive until the next full collection, so registering each intermediate of a
// training step promoted them all to the old generation and grew the young generation to its
// limit within a few epochs (RSS +16 MB).
function register(t: Tensor): void {
  const held = t.engineRecord as Held;
  if (held.registered || t.isDisposed) return;
  held.registered = true;
  collected.register(t, held, t);
}

/** Passes tensors that outlive a scope to the enclosing one, or to the collector's care. */
function handOn(tensors: Iterable<Tensor>): void {
  const parent = scopes[scopes.length - 1];
  for (const t of tensors) {
    if (t.isDisposed) continue;
    if (parent) parent.add(t);
    else register(t);
  }
}

tensorHooks.onCreate = (t: Tensor) => {
  liveTensors++;
  const b = t.backend;
  t.engineRecord = { backend: b, dataId: b.collectsGarbage ? null : t.dataId, registered: false } satisfies Held;
  if (scopes.length > 0 && !(t instanceof Variable)) scopes[scopes.length - 1].add(t);
  else register(t);
};

tensorHooks.onStorageChange = (t: Tensor) => {
  const held = t.engineRecord as Held | undefined;
  if (held && held.dataId) held.dataId = t.dataId;
};

tensorHooks.onDispose = (t: Tensor) => {
  liveTensors--;
  if ((t.engineRecord as Held).registered) collected.unregister(t);
  for (const scope of scopes) scope.delete(t);
};

/**
 * A tensor over existing storage of the active backend (takes over one reference).
 *
 * @example
 * ```ts
 * const a = st.tensor1d([1, 2, 3, 4]);
 * st.tensorFromDataId(a.dataId, [2, 2], 'float32').print(); // the same storage, another shape
 * ```
 */
export function tensorFromDataId(dataId: DataId, shape: readonly number[], dtype: DType): Tensor {
  return new Tensor(dataId, shape, dtype, activeBackend());
}

/**
 * A tensor holding `values` (ownership passes to the backend).
 *
 * @example
 * ```ts
 * st.makeTensor(new Float32Array([1, 2, 3, 4]), [2, 2], 'float32').print();
 * ```
 */
export function makeTensor(values: TypedArray, shape: readonly number[], dtype: DType): Tensor {
  const b = activeBackend();
  return new Tensor(b.write(values, dtype), shape, dtype, b);
}

/**
 * A 'string' tensor holding `values`, one UTF-8 byte string per element (ownership passes to the backend).
 *
 * @example
 * ```ts
 * const t = st.makeStringTensor([new TextEncoder().encode('a'), new TextEncoder().encode('bc')], [2]);
 * t.print(); // ['a', 'bc']
 * ```
 */
export function makeStringTensor(values: Uint8Array[], shape: readonly number[]): Tensor {
  const b = activeBackend();
  return new Tensor(b.writeStrings(values), shape, 'string', b);
}

export type TensorContainer = Tensor | null | undefined | void | number | string | boolean
  | readonly TensorContainer[] | { [key: string]: TensorContainer }
  // as in TensorFlow.js: tidy(() => y.dataSync()) returns the values (mlp speed area)
  | Float32Array | Int32Array | Uint8Array | Float64Array;

function collectTensors(value: TensorContainer, into: Set<Tensor>, seen = new Set<object>()): void {
  if (value instanceof Tensor) into.add(value);
  else if (value !== null && typeof value === 'object') {
    // mlp speed area: a typed array (tidy(() => y.dataSync())) holds no tensor; walking it made
    // an array of every value (about 13 ms CPU for a 784 x 256 result on the loaded VM)
    if (ArrayBuffer.isView(value)) return;
    // a container may refer back to itself (a model returned from tidy does)
    if (seen.has(value)) return;
    seen.add(value);
    for (const v of Array.isArray(value) ? value : Object.values(value)) collectTensors(v as TensorContainer, into, seen);
  }
}

const kept = new WeakSet<Tensor>();

/**
 * Exempts a tensor from the enclosing `tidy`.
 *
 * @example
 * ```ts
 * let kept!: st.Tensor;
 * st.tidy(() => { kept = st.keep(st.ones([2])); });
 * kept.print(); // still alive after tidy
 * ```
 */
export function keep<T extends Tensor>(t: T): T {
  kept.add(t);
  return t;
}

/** The tensors in `result`, and what their tape reads, so `tidy(() => loss).backward()` still works. */
function survivorsOf(result: TensorContainer): Set<Tensor> {
  const survivors = new Set<Tensor>();
  collectTensors(result, survivors);
  const pending = [...survivors];
  while (pending.length > 0) {
    const node = pending.pop()!.node;
    for (const needed of node ? [...node.inputs, ...(node.saved ?? [])] : []) {
      if (!survivors.has(needed)) {
        survivors.add(needed);
        pending.push(needed);
      }
    }
  }
  return survivors;
}

/**
 * Runs `fn` and disposes every tensor it made except those it returns or `keep`s
 * (TensorFlow.js habit: striate frees unreachable tensors by itself anyway).
 * `tidy(name, fn)` as in TensorFlow.js: the name only labels the scope.
 *
 * @example
 * ```ts
 * const y = st.tidy(() => st.sum(st.square(st.tensor1d([1, 2, 3])))); // the intermediate square is freed
 * y.print(); // 14
 * ```
 */
export function tidy<T extends TensorContainer>(nameOrFn: string | (() => T), fn?: () => T): T {
  const body = typeof nameOrFn === 'function' ? nameOrFn : fn;
  if (typeof body !== 'function') {
    throw new Error(`tidy: expected a function (or a name and a function), got ${typeof nameOrFn === 'string' ? `the name "${nameOrFn}" and ${typeof fn}` : typeof nameOrFn}`);
  }
  startScope();
  let result: T;
  try {
    result = body();
    if (result instanceof Promise) throw new Error('tidy: the function must be synchronous, got one returning a Promise');
  } catch (e) {
    // what a failed function made is not disposed (the caller may still hold some of it)
    handOn(scopes.pop()!);
    throw e;
  }
  endScope(result);
  return result;
}

/**
 * Opens a scope by hand (TensorFlow.js' `engine().startScope()`); `endScope` closes it.
 *
 * @example
 * ```ts
 * st.startScope();
 * const t = st.ones([2]);
 * st.endScope(); // disposes t
 * console.log(t.isDisposed);
 * ```
 */
export function startScope(): void {
  scopes.push(new Set<Tensor>());
}

/**
 * Closes the innermost scope: disposes what it made, except `result`'s tensors and kept ones.
 *
 * @example
 * ```ts
 * st.startScope();
 * const kept = st.ones([2]);
 * st.endScope(kept); // kept survives the scope
 * kept.print();
 * ```
 */
export function endScope(result?: TensorContainer): void {
  const scope = scopes.pop();
  if (!scope) throw new Error('endScope: no scope is open (call startScope first)');
  let survivors: Set<Tensor>;
  try {
    survivors = survivorsOf(result);
  } catch (e) {
    handOn(scope);
    throw e;
  }
  const outliving: Tensor[] = [];
  for (const t of scope) {
    if (survivors.has(t) || kept.has(t)) outliving.push(t);
    else t.dispose();
  }
  handOn(outliving);
}

/**
 * Runs `fn` and reports the tensors it made (they stay in the enclosing tidy scope). Ops use it
 * to exempt from `tidy` what their backward rule keeps (masks, saved intermediates).
 *
 * @example
 * ```ts
 * const { result, created } = st.trackCreated(() => st.add(st.ones([2]), 1));
 * console.log(created.length);
 * ```
 */
export function trackCreated<T>(fn: () => T): { result: T; created: Tensor[] } {
  const scope = new Set<Tensor>();
  scopes.push(scope);
  let result: T;
  try {
    result = fn();
  } finally {
    scopes.pop();
    handOn(scope);
  }
  return { result, created: [...scope] };
}

/**
 * trackCreated's two halves, for runOp's hot path (js overhead area, issue 18: no closure and no
 * result object per op). Always in pairs, closeTracking in a `finally`; it returns what was made.
 */
export function openTracking(): void {
  scopes.push(new Set<Tensor>());
}

export function closeTracking(): Tensor[] {
  const scope = scopes.pop()!;
  handOn(scope);
  return [...scope];
}

/**
 * Disposes every tensor found in `value`.
 *
 * @example
 * ```ts
 * const t = st.ones([2]);
 * st.dispose(t);
 * console.log(t.isDisposed); // true
 * ```
 */
export function dispose(value: TensorContainer): void {
  const all = new Set<Tensor>();
  collectTensors(value, all);
  for (const t of all) t.dispose();
}

export interface EngineMemory extends MemoryInfo {
  /** tensors not yet disposed or collected */
  numTensors: number;
  backend: string;
}

/**
 * Live tensors and buffers on the active backend (counts of collected ones settle after GC).
 *
 * @example
 * ```ts
 * const before = st.memory().numTensors;
 * const t = st.ones([100]);
 * console.log(st.memory().numTensors - before); // 1
 * ```
 */
export function memory(): EngineMemory {
  const b = activeBackend();
  return { ...b.memory(), numTensors: liveTensors, backend: b.name };
}

/**
 * A new tensor over the same storage (no copy), with its own shape of the same size.
 *
 * @example
 * ```ts
 * const a = st.tensor1d([1, 2, 3, 4]);
 * st.shareStorage(a, [2, 2]).print(); // a view on a's storage
 * ```
 */
export function shareStorage(x: Tensor, shape: readonly number[] = x.shape): Tensor {
  x.assertLive();
  x.backend.incRef(x.dataId);
  return new Tensor(x.dataId, shape, x.dtype, x.backend);
}

/**
 * Disposes every live variable (TensorFlow.js' `disposeVariables`).
 *
 * @example
 * ```ts
 * const v = st.variable(st.ones([2]));
 * st.disposeVariables();
 * console.log(v.isDisposed); // true
 * ```
 */
export function disposeVariables(): void {
  for (const v of Variable.live()) v.dispose();
}
