/**
 * `model.save(url)` and `st.loadLayersModel(url)`, the front doors of every kind of model file,
 * as in TensorFlow.js: `file://` (Node), `http(s)://` (loading), `localstorage://`,
 * `indexeddb://`, `downloads://` (browser), or an IO handler object. This module imports no
 * `node:` module so the browser build can use it; Node's file access registers itself here.
 */
import { LayersModel } from '../nn/model.js';
import '../train/index.js'; // compile/optimizer on models, used when a file has a training config
import {
  fromArtifacts, isLoadHandler, isSaveHandler, toArtifacts, type LoadSource, type ModelArtifacts,
  type SaveTarget,
} from './handlers.js';
import { checkShard, modelFromJSON, parseModelJSON, shardPaths } from './model_json.js';
import { browserHandler } from './browser_handlers.js';
import { fetchOf, fetchOk, LOAD_OPTION_KEYS, weightUrls, withProgress, type LoadOptions } from './http.js';
import { programHandler } from './router_registry.js';
import { decodeWeightsStream } from './io_utils.js';
import { checkWeightSpecs } from './weight_data.js';
import { checkOptions } from '../tensor/options.js';
import { quantizationOf, type QuantizeOptions } from './quantization.js';

export interface SaveOptions extends QuantizeOptions {
  /** also write the optimizer's state (default true; only for a compiled model; files only) */
  includeOptimizer?: boolean;
  /** TensorFlow.js' option; only false (the default) is supported */
  trainableOnly?: boolean;
}

/** The option names `model.save` knows. */
export const SAVE_OPTION_KEYS = ['includeOptimizer', 'trainableOnly', 'quantizationBytes', 'float16'];

/** What `save` reports, as TensorFlow.js' save handlers do. */
export type { SaveResult } from './handlers.js';
import type { SaveResult } from './handlers.js';

interface FileIO {
  save(model: LayersModel, dir: string, options?: SaveOptions): SaveResult;
  load(url: string, options?: { onProgress?: (fraction: number) => void }): LayersModel;
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

/** A model from artifacts, reading their weight stream first when they come with one instead of data. */
async function fromLoaded(artifacts: ModelArtifacts, where: string): Promise<LayersModel> {
  if (artifacts && artifacts.weightData == null && typeof artifacts.getWeightStream === 'function') {
    const specs = artifacts.weightSpecs ?? [];
    const tensors = await decodeWeightsStream(artifacts.getWeightStream(), specs);
    // laid back into one buffer (quantized weights now expanded): models are built from artifacts in one place
    const values = specs.map((spec) => {
      const v = tensors[spec.name].dataSync();
      const bytes = new Uint8Array(v.buffer, v.byteOffset, v.byteLength).slice();
      tensors[spec.name].dispose();
      return bytes;
    });
    const data = new Uint8Array(values.reduce((n, v) => n + v.length, 0));
    let offset = 0;
    for (const v of values) {
      data.set(v, offset);
      offset += v.length;
    }
    const plain = specs.map(({ quantization: _, ...rest }) => rest);
    artifacts = { ...artifacts, weightSpecs: plain, weightData: data.buffer, getWeightStream: undefined };
  }
  return fromArtifacts(artifacts, where);
}

/**
 * `st.loadLayersModel('file://dir/model.json')`, `'https://host/dir/model.json'`,
 * `'localstorage://name'` or `'indexeddb://name'`, as in TensorFlow.js; also takes an IO handler
 * (an object with `load()`, e.g. `st.io.fromMemory(artifacts)` or TensorFlow.js' own), and
 * TensorFlow.js' load options (fetchFunc, requestInit, weightPathPrefix, weightUrlConverter,
 * onProgress for http; striate always loads strictly: every weight must match).
 *
 * @example
 * ```ts
 * const os = await import('node:os'), path = await import('node:path');
 * const dir = path.join(os.tmpdir(), 'st-example-model');
 * await st.sequential({ layers: [st.layers.dense({ units: 1, inputShape: [2] })] }).save(`file://${dir}`);
 * const model = await st.loadLayersModel(`file://${dir}/model.json`);
 * model.predict(st.ones([1, 2])).print();
 * ```
 */
export async function loadLayersModel(source: string | LoadSource, options?: LoadOptions): Promise<LayersModel> {
  checkOptions('loadLayersModel', options, LOAD_OPTION_KEYS);
  if (options?.strict === false) throw new Error('loadLayersModel: strict: false is not supported; striate loads only files whose weights match the model');
  if (typeof source === 'object' && source !== null) {
    if (!isLoadHandler(source)) throw new Error('loadLayersModel: the IO handler has no load() method (a save-only handler, such as withSaveHandler\'s?)');
    return fromLoaded(await source.load(), 'loadLayersModel(handler)');
  }
  if (typeof source !== 'string' || source === '') {
    throw new Error(`loadLayersModel: expected a URL/path string or an IO handler, got ${source === null ? 'null' : JSON.stringify(source) ?? typeof source}`);
  }
  const routed = programHandler('load', source, 'loadLayersModel', options);
  if (routed?.load) return fromLoaded(await routed.load(), source);
  if (/^https?:\/\//i.test(source)) return loadOverHttp(source, options);
  const handler = browserHandler(source, 'loadLayersModel');
  if (handler) return fromArtifacts(await handler.load(), source);
  return files('loadLayersModel', source).load(source, options?.onProgress ? { onProgress: options.onProgress } : {});
}

/**
 * model.json and its shards over http(s): shard paths are relative to model.json's URL, as in
 * TensorFlow.js; the optimizer's shard (striate's key) comes too, and shards are checked
 * against their checksums.
 */
async function loadOverHttp(url: string, options: LoadOptions = {}): Promise<LayersModel> {
  const fetchFn = fetchOf('loadLayersModel', options);
  const json = parseModelJSON(new TextDecoder().decode(new Uint8Array(await (await fetchOk(fetchFn, url, options.requestInit, 'the model file',
    'loadLayersModel', { isBinary: false })).arrayBuffer())), url);
  const paths = shardPaths(json);
  const urls = await weightUrls(url, paths, options);
  // entries that make no sense are refused before any shard is fetched
  checkWeightSpecs((json.weightsManifest ?? []).flatMap((g) => g.weights ?? []), url);
  // progress as TensorFlow.js reports it: 0 to 0.5 as the responses arrive, 0.5 to 1 as their bodies are read
  const responses = await withProgress(urls.map((u) => fetchOk(fetchFn, u, options.requestInit, `the weight shard named in ${url},`, 'loadLayersModel',
    { isBinary: true })), options.onProgress, 0, 0.5);
  const bodies = await withProgress(responses.map((r) => r.arrayBuffer()), options.onProgress, 0.5, 1);
  if (paths.length === 0) options.onProgress?.(1);
  const shards = new Map<string, Uint8Array>();
  paths.forEach((p, i) => {
    const data = new Uint8Array(bodies[i]);
    checkShard(json, p, data, urls[i], url);
    shards.set(p, data);
  });
  return modelFromJSON(json, (p) => shards.get(p)!, url);
}

declare module '../nn/model.js' {
  interface LayersModel {
    /** Saves the model in TensorFlow.js' layers format: `await model.save('file://my-model')`, a browser URL, or an IO handler. */
    save(url: string | SaveTarget, options?: SaveOptions): Promise<SaveResult>;
  }
}

Object.defineProperty(LayersModel.prototype, 'save', {
  value: async function save(this: LayersModel, url: string | SaveTarget, options?: SaveOptions): Promise<SaveResult> {
    const where = `model "${this.name}".save`;
    checkOptions(where, options, SAVE_OPTION_KEYS);
    if (options?.trainableOnly) throw new Error(`${where}: trainableOnly is not supported; striate saves every weight`);
    const quantize = quantizationOf(options, where);
    if (typeof url === 'object' && url !== null) {
      if (!isSaveHandler(url)) throw new Error(`${where}: the IO handler has no save() method (a load-only handler, such as fromMemory's?)`);
      return await url.save(toArtifacts(this, quantize)) as SaveResult;
    }
    const routed = typeof url === 'string' ? programHandler('save', url, where) : null;
    if (routed?.save) return await routed.save(toArtifacts(this, quantize));
    const handler = typeof url === 'string' ? browserHandler(url, where) : null;
    if (handler) return await handler.save(toArtifacts(this, quantize)) as SaveResult;
    return files(`model "${this.name}".save`, String(url)).save(this, url, options);
  },
  writable: true, configurable: true,
});
