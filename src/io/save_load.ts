/**
 * `model.save(url)` and `st.loadLayersModel(url)`, the front doors of every kind of model file,
 * as in TensorFlow.js: `file://` (Node), `http(s)://` (loading), `localstorage://`,
 * `indexeddb://`, `downloads://` (browser), or an IO handler object. This module imports no
 * `node:` module so the browser build can use it; Node's file access registers itself here.
 */
import { LayersModel } from '../nn/model.js';
import '../train/index.js'; // compile/optimizer on models, used when a file has a training config
import { fromArtifacts, isLoadHandler, isSaveHandler, toArtifacts, type LoadHandler, type SaveHandler } from './handlers.js';
import { checkShard, modelFromJSON, parseModelJSON, shardPaths } from './model_json.js';
import { browserHandler } from './browser_handlers.js';

export interface SaveOptions {
  /** also write the optimizer's state (default true; only for a compiled model; files only) */
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

interface FileIO {
  save(model: LayersModel, dir: string, options?: SaveOptions): SaveResult;
  load(url: string): LayersModel;
}

let fileIO: FileIO | null = null;

/** Node's model_file.ts hands over its file access here. */
export function registerFileIO(io: FileIO): void {
  fileIO = io;
}

function files(door: string, url: string): FileIO {
  if (!fileIO) throw new Error(`${door}: ${url} is a file path, and files need Node (in a browser use localstorage://, indexeddb:// or downloads://)`);
  return fileIO;
}

/**
 * `st.loadLayersModel('file://dir/model.json')`, `'https://host/dir/model.json'`,
 * `'localstorage://name'` or `'indexeddb://name'`, as in TensorFlow.js; also takes an IO handler
 * (an object with `load()`, e.g. tfjs' `tf.io.fromMemory(artifacts)`).
 */
export async function loadLayersModel(source: string | LoadHandler): Promise<LayersModel> {
  if (isLoadHandler(source)) return fromArtifacts(await source.load());
  if (typeof source === 'string' && /^https?:\/\//i.test(source)) return loadOverHttp(source);
  const handler = typeof source === 'string' ? browserHandler(source, 'loadLayersModel') : null;
  if (handler) return fromArtifacts(await handler.load(), source as string);
  return files('loadLayersModel', String(source)).load(source as string);
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
  const shards = new Map<string, Uint8Array>();
  for (const p of shardPaths(json)) {
    const shardUrl = new URL(p, url).href;
    const data = await fetchBytes(shardUrl, `the weight shard named in ${url},`);
    checkShard(json, p, data, shardUrl, url);
    shards.set(p, data);
  }
  return modelFromJSON(json, (p) => shards.get(p)!, url);
}

declare module '../nn/model.js' {
  interface LayersModel {
    /** Saves the model in TensorFlow.js' layers format: `await model.save('file://my-model')`, a browser URL, or an IO handler. */
    save(url: string | SaveHandler, options?: SaveOptions): Promise<SaveResult>;
  }
}

Object.defineProperty(LayersModel.prototype, 'save', {
  value: async function save(this: LayersModel, url: string | SaveHandler, options?: SaveOptions): Promise<SaveResult> {
    if (isSaveHandler(url)) return await url.save(toArtifacts(this)) as SaveResult;
    const handler = typeof url === 'string' ? browserHandler(url, `model "${this.name}".save`) : null;
    if (handler) return await handler.save(toArtifacts(this)) as SaveResult;
    return files(`model "${this.name}".save`, String(url)).save(this, url, options);
  },
  writable: true, configurable: true,
});
