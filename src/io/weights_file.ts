/**
 * Weights on disk: `weights.json` (a TensorFlow.js-style weights manifest plus a SHA-256 of the
 * data) beside a binary shard. Saving never leaves a half-written file: the new shard gets a
 * fresh name, is fsynced, and only then does a renamed-into-place `weights.json` point to it,
 * so a crash at any moment leaves the previous save whole.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Layer } from '../nn/layer.js';
import type { Tensor } from '../tensor/tensor.js';
import { commitSave } from './atomic.js';
import { checkShardPath } from './shard_paths.js';
import { insideFolder } from './local_shard.js';
import { decodeWeights, encodeWeights, sha256 as hashOf, type WeightSpec } from './weight_data.js';

export const WEIGHTS_FORMAT = 'striate-weights';
export const WEIGHTS_VERSION = 1;

interface WeightsFile {
  format: string;
  version: number;
  weightsManifest: { paths: string[]; weights: WeightSpec[] }[];
  sha256: string;
  byteLength: number;
  /** free-form facts about the save (epoch, monitored value) */
  meta?: Record<string, unknown>;
}

/**
 * Saves every weight of `model` into `dir` (created if needed), atomically.
 *
 * @example
 * ```ts
 * const fs = await import('node:fs'), os = await import('node:os'), path = await import('node:path');
 * const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'st-weights-'));
 * const model = st.sequential({ layers: [st.layers.dense({ units: 1, inputShape: [2] })] });
 * st.io.saveWeights(model, dir, { note: 'after epoch 1' });
 * console.log(fs.readdirSync(dir)); // weights.json and its shard
 * ```
 */
export function saveWeights(model: Layer, dir: string, meta?: Record<string, unknown>): void {
  const { data, specs } = encodeWeights(model.weights.map((v) => ({ name: v.name, tensor: v as Tensor })));
  const sha256 = hashOf(data);
  const shard = `weights.${sha256.slice(0, 16)}.bin`;
  const manifest: WeightsFile = {
    format: WEIGHTS_FORMAT, version: WEIGHTS_VERSION, sha256, byteLength: data.length, meta,
    weightsManifest: [{ paths: [shard], weights: specs }],
  };
  commitSave(dir, 'weights.json', JSON.stringify(manifest, null, 1), [{ path: shard, data }],
    (previous) => (previous as WeightsFile).weightsManifest.flatMap((g) => g.paths));
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
  const shard = insideFolder(dir, checkShardPath(group?.paths?.[0], file), file);
  let data: Buffer;
  try {
    data = fs.readFileSync(shard);
  } catch (e) {
    throw new Error(`loadWeights: cannot read the weight data ${shard} named in ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  if (data.length !== manifest.byteLength) {
    throw new Error(`loadWeights: ${shard} has ${data.length} bytes, ${file} expects ${manifest.byteLength} (truncated?)`);
  }
  if (hashOf(data) !== manifest.sha256) {
    throw new Error(`loadWeights: ${shard} does not match the checksum in ${file} (corrupted)`);
  }
  const vars = model.weights;
  const entries = group.weights;
  if (entries.length !== vars.length) {
    throw new Error(`loadWeights: ${file} holds ${entries.length} weights, the model "${model.name}" has ${vars.length}`);
  }
  // weights-only files match by position, as Keras' load_weights does
  entries.forEach((e, i) => {
    const v = vars[i];
    if (e.shape.join() !== v.shape.join()) {
      throw new Error(`loadWeights: weight ${i} "${e.name}" in ${file} has shape [${e.shape}], the model's "${v.name}" has [${v.shape}]`);
    }
  });
  model.setWeights(decodeWeights(data, entries, file).map((w) => w.tensor));
  return manifest.meta;
}
