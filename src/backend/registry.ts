/** Which backends exist and which one new tensors go to. */
import type { Backend } from './types.js';
import { JsBackend } from './js/backend.js';
import { WasmBackend, setPreloadedKernels } from './wasm/backend.js';
import { isNode, loadKernels, type SimdFlavour } from './wasm/module.js';
import { WebGpuBackend } from './webgpu/backend.js'; // webgpu area

const factories = new Map<string, { factory: () => Backend; priority: number }>();
const instances = new Map<string, Backend>();
let activeName: string | null = null;

/**
 * Adds a backend. `priority` (TensorFlow.js' third argument) orders the candidates for the default
 * backend: the highest that loads is used when no backend was set.
 *
 * @example
 * ```ts
 * st.registerBackend('my-js', () => st.findBackendFactory('js')!(), 0);
 * console.log(st.findBackendFactory('my-js') !== undefined); // true
 * st.removeBackend('my-js');
 * ```
 */
export function registerBackend(name: string, factory: () => Backend, priority = 1): boolean {
  if (typeof factory !== 'function') throw new Error(`registerBackend: expected a factory function for "${name}", got ${typeof factory}`);
  const existed = factories.has(name);
  factories.set(name, { factory, priority });
  return !existed;
}

registerBackend('js', () => new JsBackend(), 1);
registerBackend('wasm', () => new WasmBackend(), 2);
// TensorFlow.js' reference backend is called 'cpu': the same role as striate's 'js'
registerBackend('cpu', () => findBackend('js'), 0);
// webgpu area: never the default (it starts asynchronously); `await st.setBackend('webgpu')`
registerBackend('webgpu', () => new WebGpuBackend(), -1);

/**
 * The factory registered for `name`, if any.
 *
 * @example
 * ```ts
 * console.log(typeof st.findBackendFactory('js')); // 'function'
 * ```
 */
export function findBackendFactory(name: string): (() => Backend) | undefined {
  return factories.get(name)?.factory;
}

/**
 * Forgets a backend; when it was the active one, the next op picks the default again.
 *
 * @example
 * ```ts
 * st.registerBackend('scratch', () => st.findBackendFactory('js')!(), 0);
 * st.removeBackend('scratch');
 * console.log(st.findBackendFactory('scratch')); // undefined
 * ```
 */
export function removeBackend(name: string): void {
  factories.delete(name);
  instances.delete(name);
  if (activeName === name) activeName = null;
}

/**
 * @example
 * ```ts
 * console.log(st.findBackend('js').name); // 'js'
 * ```
 */
export function findBackend(name: string): Backend {
  let backend = instances.get(name);
  if (backend) return backend;
  const factory = factories.get(name);
  if (!factory) {
    throw new Error(`setBackend: unknown backend "${name}"; available: ${[...factories.keys()].join(', ')}`);
  }
  backend = factory.factory();
  instances.set(name, backend);
  return backend;
}

/**
 * Makes `name` the backend for new tensors, at once; the promise (TensorFlow.js' signature)
 * resolves to true. An unknown name throws.
 *
 * @example
 * ```ts
 * await st.setBackend('js');   // the reference backend
 * console.log(st.getBackend()); // 'js'
 * await st.setBackend('wasm');
 * ```
 */
export function setBackend(name: string): Promise<boolean> {
  const b = findBackend(name);
  // a backend that starts asynchronously (webgpu: a GPU device) becomes active once it runs;
  // when it cannot, the promise rejects with the reason and the active backend stays as it was
  const starting = b.ready?.();
  if (starting) return starting.then(() => { activeName = name; return true; });
  activeName = name;
  return Promise.resolve(true);
}

// ---- webgpu area (issue 19): what runs where ----
export interface BackendReport {
  backend: string;
  /** the GPU adapter, in words (webgpu) */
  adapter?: string;
  /** kernels that ran on the reference backend as a fallback since the backend started */
  fallbacks: string[];
}

/**
 * The active backend and the kernels it ran on the reference backend for want of its own
 * (webgpu: ops without a GPU kernel yet; wasm: dtypes and ops without a wasm kernel).
 *
 * @example
 * ```ts
 * st.relu(st.tensor([1, -1])).dispose();
 * console.log(st.backendReport().fallbacks); // e.g. [] on wasm
 * ```
 */
export function backendReport(): BackendReport {
  const b = backend();
  const adapter = (b as { adapter?: string | null }).adapter;
  return { backend: b.name, ...(adapter ? { adapter } : {}), fallbacks: [...(b.fallbacks?.() ?? [])] };
}

/**
 * The first backend in use: STRIATE_BACKEND when set, else `wasm` where its kernels load,
 * else the reference `js` (with a warning saying why).
 */
function chooseDefault(): string {
  const env = typeof process !== 'undefined' ? process.env?.STRIATE_BACKEND : undefined;
  if (env) {
    setBackend(env);
    return env;
  }
  const candidates = [...factories].sort((a, b) => b[1].priority - a[1].priority).map(([name]) => name);
  for (const name of candidates) {
    try {
      findBackend(name);
      return name;
    } catch (e) {
      if (name !== 'js') console.warn(`striate: the ${name} backend did not load (${(e as Error).message}); trying the next one`);
    }
  }
  throw new Error(`striate: no backend loaded (registered: ${candidates.join(', ')})`);
}

/**
 * @example
 * ```ts
 * console.log(st.getBackend()); // 'wasm' where it loads, else 'js'
 * ```
 */
export function getBackendName(): string {
  return (activeName ??= chooseDefault());
}

/**
 * @example
 * ```ts
 * console.log(st.backend().name);
 * ```
 */
export function backend(): Backend {
  return findBackend(activeName ??= chooseDefault());
}

/**
 * Threads the wasm backend runs its large kernels on (default: every core).
 *
 * @example
 * ```ts
 * st.setNumThreads(2); // wasm kernels run on 2 threads
 * console.log(st.getNumThreads());
 * ```
 */
export function setNumThreads(threads: number): void {
  (findBackend('wasm') as WasmBackend).setThreads(threads);
}

/**
 * @example
 * ```ts
 * console.log(st.getNumThreads());
 * ```
 */
export function getNumThreads(): number {
  return (findBackend('wasm') as WasmBackend).threads;
}

/**
 * Which build of the wasm kernels runs: 'relaxed' (relaxed SIMD, fused multiply-add) where the
 * runtime supports it, else 'plain' (SIMD multiply then add). STRIATE_WASM_SIMD=plain|relaxed
 * forces one.
 *
 * @example
 * ```ts
 * console.log(st.getWasmSimd()); // 'relaxed' on Node >= 22
 * ```
 */
export function getWasmSimd(): SimdFlavour {
  return (findBackend('wasm') as WasmBackend).k.simd;
}

/**
 * Resolves when the default backend can run. Node loads the kernels synchronously; a browser
 * page must await this once, since it fetches and compiles the .wasm file.
 *
 * @example
 * ```ts
 * await st.ready(); // the wasm kernels are loaded
 * st.tensor([1, 2]).print();
 * ```
 */
export async function ready(): Promise<void> {
  if (!isNode && !instances.has('wasm')) setPreloadedKernels(await loadKernels());
}
