/**
 * Loads the kernel module (`kernels.wasm`, built from `assembly/` by `npm run build`) the same
 * way in Node and the browser: the bytes come from the file next to this script, the memory is
 * a shared WebAssembly.Memory when SharedArrayBuffer is available (so workers can join) and a
 * plain one otherwise (then one thread, from `kernels-single.wasm`).
 */

export interface KernelExports {
  heapBase(): number;
  init(scratchBase: number, scratchBytes: number): void;
  runTask(task: number, args: number, chunk: number, tid: number): void;
  [name: string]: unknown;
}

export interface KernelModule {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  exports: KernelExports;
  shared: boolean;
}

const isNode = typeof process !== 'undefined' && !!process.versions?.node;
const nodeFs: typeof import('node:fs') | null = isNode ? await import('node:fs') : null;
const nodeUrl: typeof import('node:url') | null = isNode ? await import('node:url') : null;
const nodeOs: typeof import('node:os') | null = isNode ? await import('node:os') : null;

/** Cores this program may use. */
export function cores(): number {
  if (nodeOs) return nodeOs.availableParallelism?.() ?? nodeOs.cpus().length;
  return (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 1;
}

/** Initial pages; the heap grows on demand up to the maximum. */
const INITIAL_PAGES = 256;
const MAX_PAGES = 65536;

export function canShareMemory(): boolean {
  return typeof SharedArrayBuffer !== 'undefined' &&
    (typeof crossOriginIsolated === 'undefined' || crossOriginIsolated);
}

function fileFor(shared: boolean): URL {
  return new URL(shared ? './kernels.wasm' : './kernels-single.wasm', import.meta.url);
}

export function makeMemory(shared: boolean): WebAssembly.Memory {
  let maximum = MAX_PAGES;
  // a 4 GiB reservation can fail where address space is short: ask for less
  for (;;) {
    try {
      return new WebAssembly.Memory({ initial: INITIAL_PAGES, maximum, shared });
    } catch (e) {
      if (maximum <= 4096) throw e;
      maximum /= 2;
    }
  }
}

function instantiate(module: WebAssembly.Module, shared: boolean): KernelModule {
  const memory = makeMemory(shared);
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  return { module, memory, exports: instance.exports as unknown as KernelExports, shared };
}

/** Node: compiles synchronously from the file. Throws when the file is missing. */
export function loadKernelsSync(): KernelModule {
  if (!nodeFs || !nodeUrl) throw new Error('wasm backend: synchronous loading works in Node only; call await st.ready() in the browser');
  const shared = canShareMemory();
  const path = nodeUrl.fileURLToPath(fileFor(shared));
  if (!nodeFs.existsSync(path)) {
    throw new Error(`wasm backend: ${path} is missing; run "npm run build" to compile the kernels`);
  }
  return instantiate(new WebAssembly.Module(nodeFs.readFileSync(path)), shared);
}

/** The browser: fetches and compiles the module. */
export async function loadKernels(): Promise<KernelModule> {
  if (isNode) return loadKernelsSync();
  const shared = canShareMemory();
  const response = await fetch(fileFor(shared));
  if (!response.ok) throw new Error(`wasm backend: could not fetch ${fileFor(shared)}: HTTP ${response.status}`);
  return instantiate(await WebAssembly.compile(await response.arrayBuffer()), shared);
}

export function instantiateOver(module: WebAssembly.Module, memory: WebAssembly.Memory): KernelExports {
  return new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as KernelExports;
}

export { isNode };
