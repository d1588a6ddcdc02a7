/**
 * `model.save('file://dir')` and `loadLayersModel('file://dir/model.json')` in Node. The shards
 * are written first under names taken from their hashes, fsynced, and only then is model.json
 * renamed into place; the previous save's shards are removed after that. A crash at any moment
 * leaves either the old save or the new one whole.
 */
import fs from 'node:fs';
import path from 'node:path';
import { LayersModel } from '../nn/model.js';
import '../train/index.js'; // compile/optimizer on models, used when a file has a training config
import { syncDir, writeSynced } from './weights_file.js';
import { checkShard, modelArtifacts, modelFromJSON, parseModelJSON, type ModelJSON } from './model_json.js';

export interface SaveOptions {
  /** also write the optimizer's state (default true; only for a compiled model) */
  includeOptimizer?: boolean;
}

/** What `save` reports, as TensorFlow.js' save handlers do. */
export interface SaveResult {
  modelArtifactsInfo: {
    dateSaved: Date;
    modelTopologyType: 'JSON';
    modelTopologyBytes: number;
    weightSpecsBytes: number;
    weightDataBytes: number;
  };
}

/** 'file://dir' or a plain path -> the path; other schemes are not this function's. */
function filePath(url: string, door: string): string {
  if (typeof url !== 'string' || url === '') throw new Error(`${door}: expected a 'file://' URL or a path, got ${JSON.stringify(url)}`);
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url);
  if (scheme && scheme[1].toLowerCase() !== 'file') {
    throw new Error(`${door}: only file:// URLs (or plain paths) are supported in Node, got ${JSON.stringify(url)}`);
  }
  return scheme ? url.slice(scheme[0].length) : url;
}

function readQuietly(file: string): ModelJSON | null {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as ModelJSON;
  } catch {
    return null;
  }
}

function shardPaths(json: ModelJSON | null): string[] {
  if (!json) return [];
  return [...(json.weightsManifest ?? []).flatMap((g) => g.paths ?? []), ...(json.striate?.optimizer?.paths ?? [])];
}

/** Saves `model` into the folder `dir` (created if needed) as model.json plus shards, atomically. */
export function saveModelSync(model: LayersModel, dir: string, options: SaveOptions = {}): SaveResult {
  dir = filePath(dir, `model "${model.name}".save`);
  fs.mkdirSync(dir, { recursive: true });
  const { json, shards } = modelArtifacts(model, options.includeOptimizer ?? true);
  for (const s of shards) writeSynced(path.join(dir, s.path), s.data);
  const target = path.join(dir, 'model.json');
  const temp = `${target}.tmp-${process.pid}`;
  const text = JSON.stringify(json);
  writeSynced(temp, text);
  const previous = readQuietly(target);
  fs.renameSync(temp, target);
  syncDir(dir);
  // the old shards are garbage only once the new model.json is in place
  const keep = new Set(shards.map((s) => s.path));
  for (const p of shardPaths(previous)) {
    if (!keep.has(p) && path.basename(p) === p) fs.rmSync(path.join(dir, p), { force: true });
  }
  return {
    modelArtifactsInfo: {
      dateSaved: new Date(), modelTopologyType: 'JSON',
      modelTopologyBytes: JSON.stringify(json.modelTopology).length,
      weightSpecsBytes: JSON.stringify(json.weightsManifest).length,
      weightDataBytes: shards[0].data.length,
    },
  };
}

/** Reads model.json (a path or file:// URL) and its shards, and rebuilds the model. */
export function loadLayersModelSync(url: string): LayersModel {
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
  const readShard = (p: string): Uint8Array => {
    const shard = path.join(dir, p);
    let data: Uint8Array;
    try {
      data = fs.readFileSync(shard);
    } catch (e) {
      throw new Error(`loadLayersModel: cannot read the weight shard ${shard} named in ${file}: ` +
        `${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    checkShard(json, p, data, shard, file);
    return data;
  };
  return modelFromJSON(json, readShard, file);
}

/** `st.loadLayersModel('file://dir/model.json')`, as in TensorFlow.js. */
export async function loadLayersModel(url: string): Promise<LayersModel> {
  return loadLayersModelSync(url);
}

declare module '../nn/model.js' {
  interface LayersModel {
    /** Saves the model as TensorFlow.js' layers format: `await model.save('file://my-model')`. */
    save(url: string, options?: SaveOptions): Promise<SaveResult>;
  }
}

Object.defineProperty(LayersModel.prototype, 'save', {
  value: async function save(this: LayersModel, url: string, options?: SaveOptions): Promise<SaveResult> {
    return saveModelSync(this, url, options);
  },
  writable: true, configurable: true,
});
