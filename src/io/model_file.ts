/**
 * `model.save('file://dir')` and `loadLayersModel('file://dir/model.json')` in Node, written
 * through `commitSave` (shards first, under fresh names, then model.json renamed into place), so
 * a crash at any moment leaves either the old save or the new one whole.
 */
import fs from 'node:fs';
import path from 'node:path';
import { LayersModel } from '../nn/model.js';
import '../train/index.js'; // compile/optimizer on models, used when a file has a training config
import { commitSave } from './atomic.js';
import { checkShard, modelArtifacts, modelFromJSON, parseModelJSON, shardPaths, type ModelJSON } from './model_json.js';
import { registerFileIO, SAVE_OPTION_KEYS, type SaveOptions, type SaveResult } from './save_load.js';
import { quantizationOf } from './quantization.js';
import { checkOptions } from '../tensor/options.js';
import { insideFolder } from './local_shard.js';
import { checkWeightSpecs } from './weight_data.js';

export type { SaveOptions, SaveResult } from './save_load.js';

/** 'file://dir' or a plain path -> the path; other schemes are not this function's. */
function filePath(url: string, door: string): string {
  if (typeof url !== 'string' || url === '') throw new Error(`${door}: expected a 'file://' URL or a path, got ${JSON.stringify(url)}`);
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url);
  if (scheme && scheme[1].toLowerCase() !== 'file') {
    throw new Error(`${door}: only file:// URLs (or plain paths) are supported in Node, got ${JSON.stringify(url)}`);
  }
  return scheme ? url.slice(scheme[0].length) : url;
}

/**
 * Saves `model` into the folder `dir` (created if needed) as model.json plus shards, atomically.
 *
 * @example
 * ```ts
 * const os = await import('node:os'), path = await import('node:path');
 * const model = st.sequential({ layers: [st.layers.dense({ units: 1, inputShape: [2] })] });
 * st.io.saveModelSync(model, path.join(os.tmpdir(), 'st-sync-model'));
 * ```
 */
export function saveModelSync(model: LayersModel, dir: string, options: SaveOptions = {}): SaveResult {
  const where = `model "${model.name}".save`;
  checkOptions(where, options, SAVE_OPTION_KEYS);
  dir = filePath(dir, where);
  const { json, shards } = modelArtifacts(model, options.includeOptimizer ?? true, quantizationOf(options, where));
  commitSave(dir, 'model.json', JSON.stringify(json), shards, (previous) => shardPaths(previous as ModelJSON));
  return {
    modelArtifactsInfo: {
      dateSaved: new Date(), modelTopologyType: 'JSON',
      modelTopologyBytes: JSON.stringify(json.modelTopology).length,
      weightSpecsBytes: JSON.stringify(json.weightsManifest).length,
      weightDataBytes: shards[0].data.length,
    },
  };
}

/**
 * Reads model.json (a path or file:// URL) and its shards, and rebuilds the model.
 *
 * @example
 * ```ts
 * const os = await import('node:os'), path = await import('node:path');
 * const dir = path.join(os.tmpdir(), 'st-sync-model2');
 * st.io.saveModelSync(st.sequential({ layers: [st.layers.dense({ units: 1, inputShape: [2] })] }), dir);
 * console.log(st.io.loadLayersModelSync(path.join(dir, 'model.json')).layers.length);
 * ```
 */
export function loadLayersModelSync(url: string, options: FileLoadOptions = {}): LayersModel {
  checkOptions('loadLayersModel', options, ['onProgress']);
  const onProgress = options.onProgress;
  if (onProgress != null && typeof onProgress !== 'function') throw new Error(`loadLayersModel: onProgress must be a function of the fraction loaded, got ${typeof onProgress}`);
  const file = filePath(url, 'loadLayersModel');
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new Error(`loadLayersModel: cannot read ${file}: ${code === 'EISDIR' ? 'it is a folder; give the path of its model.json' : code ?? (e as Error).message}`);
  }
  const json = parseModelJSON(text, file);
  const dir = path.dirname(file);
  const cannot = (shard: string, e: unknown): Error => new Error(`loadLayersModel: cannot read the weight shard ${shard} named in ${file}: ` +
    `${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  // with progress, every shard's size first, so that progress is a fraction of all the bytes to read
  let total = 0;
  if (onProgress) {
    checkWeightSpecs((json.weightsManifest ?? []).flatMap((g) => g.weights ?? []), file);
    for (const p of shardPaths(json)) {
      const shard = insideFolder(dir, p, file);
      try {
        total += fs.statSync(shard).size;
      } catch (e) {
        throw cannot(shard, e);
      }
    }
  }
  let done = 0;
  const readShard = (p: string): Uint8Array => {
    const shard = insideFolder(dir, p, file);
    let data: Uint8Array;
    try {
      data = onProgress ? readInChunks(shard, (n) => onProgress(total === 0 ? 1 : (done += n) / total)) : fs.readFileSync(shard);
    } catch (e) {
      throw cannot(shard, e);
    }
    checkShard(json, p, data, shard, file);
    return data;
  };
  const model = modelFromJSON(json, readShard, file);
  if (onProgress && (total === 0 || done < total)) onProgress(1);
  return model;
}

/** Options of loading a model file (TensorFlow.js' LoadOptions that mean something for a local file). */
export interface FileLoadOptions {
  /** called with the fraction of the weight bytes read so far, rising to 1 */
  onProgress?: (fraction: number) => void;
}

const CHUNK = 8 << 20;

/** A file's bytes, read a chunk at a time, telling `read(bytes)` after each. */
function readInChunks(file: string, read: (bytes: number) => void): Uint8Array {
  const fd = fs.openSync(file, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    const data = new Uint8Array(size);
    let offset = 0;
    while (offset < size) {
      const n = fs.readSync(fd, data, offset, Math.min(CHUNK, size - offset), offset);
      if (n === 0) return data.subarray(0, offset);
      offset += n;
      read(n);
    }
    return data;
  } finally {
    fs.closeSync(fd);
  }
}

// file:// for the browser-safe dispatcher (save_load.ts), which cannot import node:fs itself
registerFileIO({ save: saveModelSync, load: loadLayersModelSync });
