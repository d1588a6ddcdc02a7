/**
 * Starting the backend a command asked for (`--backend`), with one plain line when it cannot
 * start, and `striate backends`: what each backend is on this machine (the wasm build and
 * threads; webgpu's adapter, or why there is none).
 */
import fs from 'node:fs';
import os from 'node:os';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { findBackend, setBackend } from '../backend/registry.js';
import { CliError, type CommandSpec, type OptionValues } from './args.js';
import type { Reporter } from './report.js';
import type { WasmBackend } from '../backend/wasm/backend.js';

/** Chromium's Vulkan SwiftShader driver on Debian: a software GPU Dawn accepts (it refuses Mesa's lavapipe). */
export const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

/** What to add to webgpu's reason when VK_ICD_FILENAMES names files that are not there (a common slip). */
function icdNote(): string {
  const icd = process.env.VK_ICD_FILENAMES;
  if (!icd) return '';
  const missing = icd.split(process.platform === 'win32' ? ';' : ':').filter((f) => f && !fs.existsSync(f));
  return missing.length ? ` (VK_ICD_FILENAMES names ${missing.join(', ')}, which does not exist)` : '';
}

/**
 * Whether webgpu starts here, found in a child process: Dawn and the Vulkan loader write their
 * own warnings (and native call sites) straight to stderr when they find no adapter, which a
 * command line should not show; the child's stderr is kept for --verbose.
 */
export function probeWebGpu(): { ok: true; adapter: string } | { ok: false; reason: string; log: string } {
  const probe = fileURLToPath(new URL('./webgpu_probe.js', import.meta.url));
  const child = spawnSync(process.execPath, [probe], { encoding: 'utf8', timeout: 60_000, env: process.env });
  const line = child.stdout?.trim().split('\n').pop() ?? '';
  try {
    const answer = JSON.parse(line) as { ok: boolean; adapter?: string; reason?: string };
    if (answer.ok) return { ok: true, adapter: answer.adapter ?? 'unnamed' };
    return { ok: false, reason: String(answer.reason).replace(/\s+/g, ' ') + icdNote(), log: child.stderr ?? '' };
  } catch {
    const why = child.error ? child.error.message : `it ended with ${child.signal ?? `exit code ${child.status}`}`;
    return { ok: false, reason: `the webgpu backend cannot start: the probe for a GPU failed (${why})${icdNote()}`, log: child.stderr ?? '' };
  }
}

/** Dawn wants a runtime folder for its Vulkan surface code and complains without one. */
function quietDawn(): void {
  if (process.platform === 'linux') process.env.XDG_RUNTIME_DIR ??= os.tmpdir();
}

/**
 * Makes `name` the backend, awaiting one that starts asynchronously (webgpu opens a GPU device).
 * An unknown name is a usage error (exit 2); a backend that cannot start here exits 1 with why.
 */
export async function startBackend(name: string): Promise<void> {
  try {
    findBackend(name);
  } catch (e) {
    throw new CliError(`--backend ${name}: ${(e as Error).message}`, 2);
  }
  if (name === 'webgpu') {
    quietDawn();
    const probe = probeWebGpu();
    if (!probe.ok) {
      if (process.argv.includes('--verbose') && probe.log) process.stderr.write(probe.log);
      throw new CliError(`--backend webgpu: ${probe.reason}; or leave --backend out to train on the CPU (wasm)`);
    }
  }
  try {
    await setBackend(name);
  } catch (e) {
    const reason = String((e as Error).message ?? e).replace(/\s+/g, ' ');
    const note = name === 'webgpu' ? icdNote() : '';
    throw new CliError(`--backend ${name}: ${reason}${note}; or leave --backend out to train on the CPU (wasm)`);
  }
}

export const BACKENDS: CommandSpec = {
  name: 'backends',
  summary: 'list the backends (js, wasm, webgpu) and whether each runs here',
  usage: '',
  positionals: [0, 0],
  options: [],
  examples: ['striate backends', 'VK_ICD_FILENAMES=' + SWIFTSHADER_ICD + ' striate backends   # webgpu on SwiftShader (Linux, no GPU)'],
};

interface Entry {
  name: string;
  available: boolean;
  /** the device or build, or why the backend does not run */
  detail: string;
}

export async function backends(_options: OptionValues, say: Reporter): Promise<number> {
  const entries: Entry[] = [{ name: 'js', available: true, detail: 'the reference backend: plain JavaScript, float64 maths where it matters' }];
  try {
    const wasm = findBackend('wasm') as WasmBackend;
    entries.push({ name: 'wasm', available: true,
      detail: `WebAssembly SIMD (${wasm.k.simd} build), ${wasm.threads} thread${wasm.threads === 1 ? '' : 's'}` });
  } catch (e) {
    entries.push({ name: 'wasm', available: false, detail: (e as Error).message });
  }
  quietDawn();
  const gpu = probeWebGpu();
  entries.push(gpu.ok ? { name: 'webgpu', available: true, detail: `GPU adapter: ${gpu.adapter}` }
    : { name: 'webgpu', available: false, detail: gpu.reason });
  if (say.json) say.result(entries);
  else {
    const width = Math.max(...entries.map((e) => e.name.length));
    for (const e of entries) console.log(`${e.name.padEnd(width)}  ${e.available ? 'runs   ' : 'missing'}  ${e.detail}`);
  }
  return 0;
}
