/** Which backends exist and which one new tensors go to. */
import type { Backend } from './types.js';
import { JsBackend } from './js/backend.js';
import { WasmBackend, setPreloadedKernels } from './wasm/backend.js';
import { isNode, loadKernels } from './wasm/module.js';

const factories = new Map<string, () => Backend>();
const instances = new Map<string, Backend>();
let activeName: string | null = null;

export function registerBackend(name: string, factory: () => Backend): void {
  factories.set(name, factory);
}

registerBackend('js', () => new JsBackend());
registerBackend('wasm', () => new WasmBackend());

export function findBackend(name: string): Backend {
  let backend = instances.get(name);
  if (backend) return backend;
  const factory = factories.get(name);
  if (!factory) {
    throw new Error(`setBackend: unknown backend "${name}"; available: ${[...factories.keys()].join(', ')}`);
  }
  backend = factory();
  instances.set(name, backend);
  return backend;
}

/** Makes `name` the backend for new tensors. */
export function setBackend(name: string): void {
  findBackend(name);
  activeName = name;
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
  try {
    findBackend('wasm');
    return 'wasm';
  } catch (e) {
    console.warn(`striate: the wasm backend did not load (${(e as Error).message}); using the slower js backend`);
    return 'js';
  }
}

export function getBackendName(): string {
  return (activeName ??= chooseDefault());
}

export function backend(): Backend {
  return findBackend(activeName ??= chooseDefault());
}

/** Threads the wasm backend runs its large kernels on (default: every core). */
export function setNumThreads(threads: number): void {
  (findBackend('wasm') as WasmBackend).setThreads(threads);
}

export function getNumThreads(): number {
  return (findBackend('wasm') as WasmBackend).threads;
}

/**
 * Resolves when the default backend can run. Node loads the kernels synchronously; a browser
 * page must await this once, since it fetches and compiles the .wasm file.
 */
export async function ready(): Promise<void> {
  if (!isNode && !instances.has('wasm')) setPreloadedKernels(await loadKernels());
}
