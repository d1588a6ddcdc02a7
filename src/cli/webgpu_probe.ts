/**
 * Run as a child process by `probeWebGpu` (backends.ts): starts the webgpu backend and prints
 * one JSON line, { ok, adapter } or { ok: false, reason }. Dawn's own stderr stays in this
 * process, so the command line shows only the reason.
 */
import { findBackend } from '../backend/registry.js';

const gpu = findBackend('webgpu');
try {
  await gpu.ready?.();
  console.log(JSON.stringify({ ok: true, adapter: (gpu as { adapter?: string | null }).adapter ?? null }));
} catch (e) {
  console.log(JSON.stringify({ ok: false, reason: (e as Error).message }));
}
process.exit(0);
