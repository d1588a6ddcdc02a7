/**
 * Loads the kernel module (`kernels.wasm`, built from `assembly/` by `npm run build`) the same
 * way in Node and the browser: the bytes come from the file next to this script, the memory is
 * a shared WebAssembly.Memory when SharedArrayBuffer is available (so workers can join) and a
 * plain one otherwise (then one thread, from `kernels-single.wasm`).
 *
 * Each of the two comes in two builds of the same source (assembly/fma.ts): plain SIMD, and
 * relaxed SIMD (`kernels-relaxed*.wasm`, fused multiply-add). The relaxed build is chosen where
 * the runtime validates relaxed SIMD (Chrome >= 114, Node >= 22; Node 20 with
 * --experimental-wasm-relaxed-simd), plain SIMD elsewhere. STRIATE_WASM_SIMD=plain|relaxed
 * (environment variable in Node, `globalThis.STRIATE_WASM_SIMD` in a page) forces one.
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
  /** which build runs: 'relaxed' uses fused multiply-add (f32x4.relaxed_madd) */
  simd: SimdFlavour;
}

export type SimdFlavour = 'plain' | 'relaxed';

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

function fileFor(shared: boolean, simd: SimdFlavour): URL {
  const name = (simd === 'relaxed' ? 'kernels-relaxed' : 'kernels') + (shared ? '' : '-single');
  return new URL(`./${name}.wasm`, import.meta.url);
}

/**
 * A module of one function, (v128, v128, v128) -> v128, that runs f32x4.relaxed_madd (opcode
 * 0xfd 0x105): it validates exactly where the runtime accepts relaxed SIMD.
 */
const RELAXED_PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version 1
  0x01, 0x08, 0x01, 0x60, 0x03, 0x7b, 0x7b, 0x7b, 0x01, 0x7b, // type: (v128 x3) -> v128
  0x03, 0x02, 0x01, 0x00, // one function of that type
  0x0a, 0x0d, 0x01, 0x0b, 0x00, // code: one body of 11 bytes, no locals
  0x20, 0x00, 0x20, 0x01, 0x20, 0x02, // local.get 0, 1, 2
  0xfd, 0x85, 0x02, 0x0b, // f32x4.relaxed_madd, end
]);

/** Whether this runtime accepts relaxed SIMD instructions. */
export function relaxedSimdSupported(): boolean {
  try {
    return WebAssembly.validate(RELAXED_PROBE);
  } catch {
    return false;
  }
}

const RELAXED_HELP = 'Node >= 22 and Chrome >= 114 have it; Node 20 needs --experimental-wasm-relaxed-simd';

/** The STRIATE_WASM_SIMD setting: 'plain', 'relaxed', or undefined to choose by feature detection. */
function requestedSimd(): SimdFlavour | undefined {
  const raw = isNode ? process.env.STRIATE_WASM_SIMD
    : (globalThis as { STRIATE_WASM_SIMD?: unknown }).STRIATE_WASM_SIMD;
  if (raw === undefined || raw === '' || raw === 'auto') return undefined;
  if (raw === 'plain' || raw === 'relaxed') {
    if (raw === 'relaxed' && !relaxedSimdSupported()) {
      throw new Error(`wasm backend: STRIATE_WASM_SIMD=relaxed, but this runtime does not support relaxed SIMD (${RELAXED_HELP})`);
    }
    return raw;
  }
  throw new Error(`wasm backend: STRIATE_WASM_SIMD: expected 'plain', 'relaxed' or 'auto', got '${String(raw)}'`);
}

/** The build the wasm backend loads here: STRIATE_WASM_SIMD where set, else by feature detection. */
export function chosenSimd(): SimdFlavour {
  return requestedSimd() ?? (relaxedSimdSupported() ? 'relaxed' : 'plain');
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

function instantiate(module: WebAssembly.Module, shared: boolean, simd: SimdFlavour): KernelModule {
  const memory = makeMemory(shared);
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  return { module, memory, exports: instance.exports as unknown as KernelExports, shared, simd };
}

/**
 * Node: compiles synchronously from the file. Throws when the file is missing; when only the
 * relaxed build is missing and nobody asked for it, the plain build runs.
 */
export function loadKernelsSync(): KernelModule {
  if (!nodeFs || !nodeUrl) throw new Error('wasm backend: synchronous loading works in Node only; call await st.ready() in the browser');
  const shared = canShareMemory();
  const requested = requestedSimd();
  let simd: SimdFlavour = chosenSimd();
  let path = nodeUrl.fileURLToPath(fileFor(shared, simd));
  if (simd === 'relaxed' && !requested && !nodeFs.existsSync(path)) {
    simd = 'plain';
    path = nodeUrl.fileURLToPath(fileFor(shared, simd));
  }
  if (!nodeFs.existsSync(path)) {
    throw new Error(`wasm backend: ${path} is missing; run "npm run build" to compile the kernels`);
  }
  return instantiate(new WebAssembly.Module(nodeFs.readFileSync(path)), shared, simd);
}

/** The browser: fetches and compiles the module (the plain build if the relaxed one cannot be fetched). */
export async function loadKernels(): Promise<KernelModule> {
  if (isNode) return loadKernelsSync();
  const shared = canShareMemory();
  const requested = requestedSimd();
  let simd: SimdFlavour = chosenSimd();
  let response = await fetch(fileFor(shared, simd));
  if (!response.ok && simd === 'relaxed' && !requested) {
    simd = 'plain';
    response = await fetch(fileFor(shared, simd));
  }
  if (!response.ok) throw new Error(`wasm backend: could not fetch ${fileFor(shared, simd)}: HTTP ${response.status}`);
  return instantiate(await WebAssembly.compile(await response.arrayBuffer()), shared, simd);
}

export function instantiateOver(module: WebAssembly.Module, memory: WebAssembly.Memory): KernelExports {
  return new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as KernelExports;
}

export { isNode };
