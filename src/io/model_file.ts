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
import { fromArtifacts, isLoadHandler, isSaveHandler, toArtifacts, type LoadHandler, type SaveHandler } from './handlers.js';
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

function shardPaths(json: ModelJSON): string[] {
  return [...(json.weightsManifest ?? []).flatMap((g) => g.paths ?? []), ...(json.striate?.optimizer?.paths ?? [])];
}

/** Saves `model` into the folder `dir` (created if needed) as model.json plus shards, atomically. */
export function saveModelSync(model: LayersModel, dir: string, options: SaveOptions = {}): SaveResult {
  dir = filePath(dir, `model "${model.name}".save`);
  const { json, shards } = modelArtifacts(model, options.includeOptimizer ?? true);
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

/**
 * `st.loadLayersModel('file://dir/model.json')` or `'https://host/dir/model.json'`, as in
 * TensorFlow.js; also takes an IO handler
 * (an object with `load()`, e.g. tfjs' `tf.io.fromMemory(artifacts)`).
 */
export async function loadLayersModel(source: string | LoadHandler): Promise<LayersModel> {
  if (isLoadHandler(source)) return fromArtifacts(await source.load());
  if (typeof source === 'string' && /^https?:\/\//i.test(source)) return loadOverHttp(source);
  return loadLayersModelSync(source);
}

/** GETs `url`; an error names the URL and what came back. */
async function fetchBytes(url: string, what: string): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (e) {
    throw new Error(`loadLayersModel: cannot fetch ${what} ${url}: ${(e as Error).cause ?? (e as Error).message}`);
  }
  if (!response.ok) throw new Error(`loadLayersModel: ${what} ${url} answered HTTP ${response.status} ${response.statusText}`);
  return new Uint8Array(await response.arrayBuffer());
}

/** model.json and its shards over http(s): shard paths are relative to model.json's URL, as in TensorFlow.js. */
async function loadOverHttp(url: string): Promise<LayersModel> {
  const json = parseModelJSON(new TextDecoder().decode(await fetchBytes(url, 'the model file')), url);
  const paths = shardPaths(json);
  const shards = new Map<string, Uint8Array>();
  for (const p of paths) {
    const shardUrl = new URL(p, url).href;
    const data = await fetchBytes(shardUrl, `the weight shard named in ${url},`);
    checkShard(json, p, data, shardUrl, url);
    shards.set(p, data);
  }
  return modelFromJSON(json, (p) => shards.get(p)!, url);
}

declare module '../nn/model.js' {
  interface LayersModel {
    /** Saves the model as TensorFlow.js' layers format: `await model.save('file://my-model')`, or hands it to an IO handler. */
    save(url: string | SaveHandler, options?: SaveOptions): Promise<SaveResult>;
  }
}

Object.defineProperty(LayersModel.prototype, 'save', {
  value: async function save(this: LayersModel, url: string | SaveHandler, options?: SaveOptions): Promise<SaveResult> {
    if (isSaveHandler(url)) return await url.save(toArtifacts(this)) as SaveResult;
    return saveModelSync(this, url, options);
  },
  writable: true, configurable: true,
});
