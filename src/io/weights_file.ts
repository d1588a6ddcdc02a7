/**
 * Weights on disk: `weights.json` (a TensorFlow.js-style weights manifest plus a SHA-256 of the
 * data) beside a binary shard. Saving never leaves a half-written file: the new shard gets a
 * fresh name, is fsynced, and only then does a renamed-into-place `weights.json` point to it,
 * so a crash at any moment leaves the previous save whole.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import type { DType } from '../backend/types.js';
import { makeTensor } from '../tensor/engine.js';
import type { Layer } from '../nn/layer.js';

export const WEIGHTS_FORMAT = 'striate-weights';
export const WEIGHTS_VERSION = 1;

interface ManifestEntry {
  name: string;
  shape: number[];
  dtype: DType;
}

interface WeightsFile {
  format: string;
  version: number;
  weightsManifest: { paths: string[]; weights: ManifestEntry[] }[];
  sha256: string;
  byteLength: number;
  /** free-form facts about the save (epoch, monitored value) */
  meta?: Record<string, unknown>;
}

export const BYTES: Record<DType, number> = { float32: 4, float64: 8, int32: 4, bool: 1 };

/** Writes `data` to `file` and fsyncs it. */
export function writeSynced(file: string, data: Uint8Array | string): void {
  const fd = fs.openSync(file, 'w');
  try {
    if (typeof data === "string") fs.writeSync(fd, data);
    else fs.writeSync(fd, data, 0, data.length);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Saves every weight of `model` into `dir` (created if needed), atomically. */
export function saveWeights(model: Layer, dir: string, meta?: Record<string, unknown>): void {
  fs.mkdirSync(dir, { recursive: true });
  const weights = model.weights;
  const parts = weights.map((v) => {
    const values = v.dataSync();
    return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  });
  const byteLength = parts.reduce((n, p) => n + p.length, 0);
  const data = new Uint8Array(byteLength);
  let offset = 0;
  for (const p of parts) {
    data.set(p, offset);
    offset += p.length;
  }
  const sha256 = createHash('sha256').update(data).digest('hex');
  const shard = `weights.${sha256.slice(0, 16)}.bin`;
  writeSynced(path.join(dir, shard), data);
  const manifest: WeightsFile = {
    format: WEIGHTS_FORMAT, version: WEIGHTS_VERSION, sha256, byteLength, meta,
    weightsManifest: [{ paths: [shard], weights: weights.map((v) => ({ name: v.name, shape: [...v.shape], dtype: v.dtype })) }],
  };
  const target = path.join(dir, 'weights.json');
  const temp = `${target}.tmp-${process.pid}`;
  writeSynced(temp, JSON.stringify(manifest, null, 1));
  const previous = readManifestQuietly(target);
  fs.renameSync(temp, target);
  syncDir(dir);
  // the old shard is garbage only once the new manifest is in place
  for (const p of previous?.weightsManifest.flatMap((g) => g.paths) ?? []) {
    if (p !== shard) fs.rmSync(path.join(dir, p), { force: true });
  }
}

/** Makes a rename in `dir` durable. */
export function syncDir(dir: string): void {
  try {
    const fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
    fs.closeSync(fd);
  } catch {
    // some platforms cannot fsync a directory; the rename is still atomic
  }
}

function readManifestQuietly(file: string): WeightsFile | null {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as WeightsFile;
  } catch {
    return null;
  }
}

/** Loads weights saved by `saveWeights` into `model`, checking format, checksum, names and shapes. */
export function loadWeights(model: Layer, dir: string): Record<string, unknown> | undefined {
  const file = path.join(dir, 'weights.json');
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`loadWeights: cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  let manifest: WeightsFile;
  try {
    manifest = JSON.parse(text) as WeightsFile;
  } catch (e) {
    throw new Error(`loadWeights: ${file} is not valid JSON (${(e as Error).message})`);
  }
  if (manifest.format !== WEIGHTS_FORMAT) {
    throw new Error(`loadWeights: ${file} is not a striate weights file (format ${JSON.stringify(manifest.format)})`);
  }
  if (manifest.version !== WEIGHTS_VERSION) {
    throw new Error(`loadWeights: ${file} has version ${manifest.version}; this striate reads version ${WEIGHTS_VERSION}`);
  }
  const group = manifest.weightsManifest?.[0];
  const shard = path.join(dir, group?.paths?.[0] ?? '');
  let data: Buffer;
  try {
    data = fs.readFileSync(shard);
  } catch (e) {
    throw new Error(`loadWeights: cannot read the weight data ${shard} named in ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  if (data.length !== manifest.byteLength) {
    throw new Error(`loadWeights: ${shard} has ${data.length} bytes, ${file} expects ${manifest.byteLength} (truncated?)`);
  }
  if (createHash('sha256').update(data).digest('hex') !== manifest.sha256) {
    throw new Error(`loadWeights: ${shard} does not match the checksum in ${file} (corrupted)`);
  }
  const vars = model.weights;
  const entries = group.weights;
  if (entries.length !== vars.length) {
    throw new Error(`loadWeights: ${file} holds ${entries.length} weights, the model "${model.name}" has ${vars.length}`);
  }
  let offset = 0;
  const values = entries.map((e, i) => {
    const v = vars[i];
    if (e.shape.join() !== v.shape.join()) {
      throw new Error(`loadWeights: weight ${i} "${e.name}" in ${file} has shape [${e.shape}], the model's "${v.name}" has [${v.shape}]`);
    }
    const n = e.shape.reduce((a, b) => a * b, 1);
    const bytes = data.subarray(offset, offset + n * BYTES[e.dtype]);
    offset += bytes.length;
    const copy = new Uint8Array(bytes).buffer;
    const typed = e.dtype === 'float64' ? new Float64Array(copy) : e.dtype === 'int32' ? new Int32Array(copy)
      : e.dtype === 'bool' ? new Uint8Array(copy) : new Float32Array(copy);
    return makeTensor(typed, e.shape, e.dtype);
  });
  model.setWeights(values);
  return manifest.meta;
}
