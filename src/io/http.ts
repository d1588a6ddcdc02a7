/**
 * Models over HTTP (`tf.io.http`, `tf.io.browserHTTPRequest`) and weights by manifest
 * (`tf.io.loadWeights`, `tf.io.weightsLoaderFactory`), with TensorFlow.js' options: a
 * `fetchFunc` in place of the global fetch, a `requestInit` for every request, a
 * `weightPathPrefix` or `weightUrlConverter` to find the shards elsewhere, and `onProgress`
 * (0 to 0.5 while the responses arrive, 0.5 to 1 while their bodies are read).
 */
import { CompositeArrayBuffer } from './composite_array_buffer.js';
import type {
  IOHandler, ModelArtifacts, ModelJSONLike, SaveResult, WeightData, WeightsManifestConfig, WeightsManifestEntry,
} from './handlers.js';
import {
  getModelArtifactsForJSON, getModelArtifactsInfoForJSON, getModelJSONForModelArtifacts, getWeightSpecs, decodeWeights,
  type NamedTensorMap,
} from './io_utils.js';
import { checkWeightSpec } from './quantization.js';
import { checkManifestPaths, checkShardPath, checkShardUrl } from './shard_paths.js';
import { checkOptions } from '../tensor/options.js';

export type OnProgressCallback = (fraction: number) => void;

/** Extra facts a `fetchFunc` is told about a request (TensorFlow.js' RequestDetails). */
export interface RequestDetails {
  isBinary?: boolean;
}

export interface LoadOptions {
  requestInit?: RequestInit;
  onProgress?: OnProgressCallback;
  fetchFunc?: Function;
  /** require the file's weights to match the model's exactly (default true; striate always does) */
  strict?: boolean;
  weightPathPrefix?: string;
  fromTFHub?: boolean;
  weightUrlConverter?: (weightFileName: string) => Promise<string>;
  /** hand the weights over as a stream (`getWeightStream`) instead of one buffer */
  streamWeights?: boolean;
}

export const LOAD_OPTION_KEYS = ['requestInit', 'onProgress', 'fetchFunc', 'strict', 'weightPathPrefix', 'fromTFHub', 'weightUrlConverter',
  'streamWeights'] as const;

type Fetch = (url: string, init?: RequestInit, details?: RequestDetails) => Promise<Response>;

/**
 * Whether `url` starts with http:// or https:// (lower case, as TensorFlow.js tests it).
 *
 * @example
 * ```ts
 * console.log(st.io.isHTTPScheme('https://example.com/m.json'), st.io.isHTTPScheme('file://m.json')); // true false
 * ```
 */
export function isHTTPScheme(url: string): boolean {
  return typeof url === 'string' && /^https?:\/\//.test(url);
}

/** The fetch to use: the options' own, or the global one (looked up at call time). */
export function fetchOf(where: string, options: LoadOptions = {}): Fetch {
  if (options.fetchFunc != null) {
    if (typeof options.fetchFunc !== 'function') {
      throw new Error(`${where}: fetchFunc must be a function with fetch's signature, got ${typeof options.fetchFunc}`);
    }
    return options.fetchFunc as Fetch;
  }
  return (url, init) => {
    if (typeof globalThis.fetch !== 'function') throw new Error(`${where}: this JavaScript runtime has no fetch; pass loadOptions.fetchFunc`);
    return globalThis.fetch(url, init);
  };
}

/** Fetches `url`; a failure names the URL, what it was for and what came back. */
export async function fetchOk(fetchFn: Fetch, url: string, init: RequestInit | undefined, what: string, where: string,
  details?: RequestDetails): Promise<Response> {
  let response: Response;
  try {
    response = await fetchFn(url, init, details);
  } catch (e) {
    throw new Error(`${where}: cannot fetch ${what} ${url}: ${(e as Error).cause ?? (e as Error).message}`);
  }
  if (!response || typeof response.arrayBuffer !== 'function') throw new Error(`${where}: fetching ${what} ${url} gave no Response`);
  if (response.ok === false) throw new Error(`${where}: ${what} ${url} answered HTTP ${response.status} ${response.statusText ?? ''}`.trimEnd());
  return response;
}

/** Resolves the promises, reporting `start`..`end` fractions to `onProgress` as each settles. */
export async function withProgress<T>(promises: Promise<T>[], onProgress: OnProgressCallback | undefined, start: number, end: number): Promise<T[]> {
  if (!onProgress || promises.length === 0) return Promise.all(promises);
  let done = 0;
  return Promise.all(promises.map((p) => p.then((value) => {
    onProgress(start + (++done / promises.length) * (end - start));
    return value;
  })));
}

/** The URLs of the shards `paths`, beside the model file `modelUrl` (keeping its query string) unless the options say otherwise. */
export async function weightUrls(modelUrl: string, paths: string[], options: LoadOptions = {}): Promise<string[]> {
  // the names come from the file: none may leave the model's folder, whatever turns them into URLs
  for (const p of paths) checkShardPath(p, modelUrl);
  if (options.weightUrlConverter != null) {
    if (typeof options.weightUrlConverter !== 'function') throw new Error('http: weightUrlConverter must be a function (file name to a promised URL)');
    return Promise.all(paths.map((p) => options.weightUrlConverter!(p)));
  }
  const slash = modelUrl.lastIndexOf('/');
  const query = modelUrl.lastIndexOf('?');
  const prefix = options.weightPathPrefix || `${modelUrl.slice(0, slash)}/`;
  const suffix = query > slash ? modelUrl.slice(query) : '';
  const urls = paths.map((p) => prefix + p + suffix);
  // and, resolved, each stays on the origin and under the folder of the model (or of the prefix the program gave)
  for (const u of urls) checkShardUrl(u, options.weightPathPrefix ? prefix : modelUrl, modelUrl);
  return urls;
}

/** The bodies of `urls`, fetched together, with progress. */
export async function loadWeightsAsArrayBuffer(urls: string[], options: LoadOptions = {}, where = 'loadWeights'): Promise<ArrayBuffer[]> {
  const fetchFn = fetchOf(where, options);
  const responses = await withProgress(urls.map((u) => fetchOk(fetchFn, u, options.requestInit, 'the weight file', where, { isBinary: true })),
    options.onProgress, 0, 0.5);
  return withProgress(responses.map((r) => r.arrayBuffer()), options.onProgress, 0.5, 1);
}

/** The shards' bytes as one stream, one shard after another, read as they are consumed. */
function streamWeights(urls: string[], options: LoadOptions, where: string): ReadableStream<ArrayBuffer> {
  const fetchFn = fetchOf(where, options);
  let index = 0;
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  options.onProgress?.(0);
  return new ReadableStream<ArrayBuffer>({
    pull: async (controller) => {
      while (index < urls.length) {
        if (!reader) {
          const response = await fetchOk(fetchFn, urls[index], options.requestInit, 'the weight file', where, { isBinary: true });
          if (response.body) reader = response.body.getReader();
          else {
            // a fetchFunc's Response without a body stream: hand its bytes over whole
            controller.enqueue(await response.arrayBuffer());
            options.onProgress?.(++index / urls.length);
            return;
          }
        }
        const { done, value } = await reader.read();
        if (done) {
          reader = undefined;
          options.onProgress?.(++index / urls.length);
          continue;
        }
        controller.enqueue(value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength) as ArrayBuffer);
        return;
      }
      controller.close();
    },
  });
}

/** An IO handler for a model served over HTTP: `load()` GETs model.json and its shards, `save()` POSTs them as a form. */
export class HTTPRequest implements IOHandler {
  readonly DEFAULT_METHOD = 'POST';
  static readonly URL_SCHEME_REGEX = /^https?:\/\//;
  protected readonly path: string | string[];
  protected readonly requestInit: RequestInit;
  private readonly fetchFn: Fetch;
  private readonly loadOptions: LoadOptions;

  constructor(path: string | string[], loadOptions: LoadOptions = {}) {
    checkOptions('http', loadOptions, LOAD_OPTION_KEYS);
    loadOptions = loadOptions ?? {};
    this.fetchFn = fetchOf('http', loadOptions);
    if (path == null || path.length === 0) throw new Error('http: expected the URL of the model (a non-empty string), got ' + JSON.stringify(path));
    if (Array.isArray(path) && path.length !== 2) {
      throw new Error(`http: a list of URLs must have 2 entries (model.json's and the weights' base), got ${path.length}`);
    }
    if (loadOptions.requestInit?.body != null) throw new Error('http: requestInit must have no body: the handler sends its own');
    this.path = path;
    this.requestInit = loadOptions.requestInit ?? {};
    this.loadOptions = loadOptions;
  }

  private get modelUrl(): string {
    return Array.isArray(this.path) ? this.path[0] : this.path;
  }

  async save(modelArtifacts: ModelArtifacts): Promise<SaveResult> {
    if (modelArtifacts.modelTopology instanceof ArrayBuffer) throw new Error('http: saving a binary (GraphDef) topology is not supported; save a layers model');
    const body = new FormData();
    const json = getModelJSONForModelArtifacts(modelArtifacts, [{ paths: ['./model.weights.bin'], weights: modelArtifacts.weightSpecs ?? [] }]);
    body.append('model.json', new Blob([JSON.stringify(json)], { type: 'application/json' }), 'model.json');
    if (modelArtifacts.weightData != null) {
      body.append('model.weights.bin', new Blob([CompositeArrayBuffer.join(modelArtifacts.weightData)], { type: 'application/octet-stream' }),
        'model.weights.bin');
    }
    const init: RequestInit = { method: this.DEFAULT_METHOD, ...this.requestInit, body };
    const response = await this.fetchFn(this.modelUrl, init);
    if (!response.ok) throw new Error(`http: saving to ${this.modelUrl} failed: HTTP ${response.status} ${response.statusText ?? ''}`.trimEnd());
    return { modelArtifactsInfo: getModelArtifactsInfoForJSON(modelArtifacts), responses: [response] };
  }

  private async modelJSON(): Promise<ModelJSONLike> {
    const url = this.modelUrl;
    const response = await fetchOk(this.fetchFn, url, this.requestInit, 'the model file', 'http');
    let json: ModelJSONLike;
    try {
      json = await response.json();
    } catch (e) {
      throw new Error(`http: ${url} did not answer with JSON (${(e as Error).message}); expected a model.json`);
    }
    if (json == null || (json.modelTopology == null && json.weightsManifest == null)) {
      throw new Error(`http: the JSON from ${url} has neither a modelTopology nor a weightsManifest; expected a model.json`);
    }
    return json;
  }

  private shardUrls(manifest: WeightsManifestConfig): Promise<string[]> {
    const base = Array.isArray(this.path) ? this.path[1] : this.path;
    return weightUrls(base, manifest.flatMap((g) => g.paths), this.loadOptions);
  }

  async load(): Promise<ModelArtifacts> {
    const json = await this.modelJSON();
    checkManifestPaths(json.weightsManifest, this.modelUrl);
    if (this.loadOptions.streamWeights) {
      const urls = await this.shardUrls(json.weightsManifest ?? []);
      return { ...json, weightSpecs: getWeightSpecs(json.weightsManifest ?? []), getWeightStream: () => streamWeights(urls, this.loadOptions, 'http') };
    }
    return getModelArtifactsForJSON(json, async (manifest): Promise<[WeightsManifestEntry[], WeightData]> =>
      [getWeightSpecs(manifest), await loadWeightsAsArrayBuffer(await this.shardUrls(manifest), this.loadOptions, 'http')]);
  }
}

/**
 * An IO handler for `path` (model.json's URL, or [model.json's URL, a URL beside the weights]).
 *
 * @example
 * ```ts
 * const handler = st.io.http('https://example.com/model.json'); // load or save over HTTP
 * console.log(typeof handler.load);
 * ```
 */
export function http(path: string | string[], loadOptions?: LoadOptions): IOHandler {
  return new HTTPRequest(path, loadOptions);
}

/**
 * The older name of `http`.
 *
 * @example
 * ```ts
 * const handler = st.io.browserHTTPRequest('https://example.com/model.json');
 * console.log(typeof handler.load);
 * ```
 */
export function browserHTTPRequest(path: string | string[], loadOptions?: LoadOptions): IOHandler {
  return http(path, loadOptions);
}

/**
 * A weights loader over your own fetching: `fetchWeightsFunction(urls)` returns the shards'
 * bytes; the loader fetches only the groups holding the wanted weights (all when `weightNames`
 * is not given) from `filePathPrefix`/path and returns the tensors by name.
 *
 * @example
 * ```ts
 * const { data, specs } = await st.io.encodeWeights({ w: st.tensor1d([1, 2, 3]) });
 * const manifest = [{ paths: ['group1-shard1of1.bin'], weights: specs }];
 * // your own fetching: here every URL answers with the encoded bytes
 * const load = st.io.weightsLoaderFactory(async (urls) => urls.map(() => data));
 * const weights = await load(manifest, 'https://example.com/model');
 * weights.w.print(); // [1, 2, 3]
 * ```
 */
export function weightsLoaderFactory(fetchWeightsFunction: (fetchUrls: string[]) => Promise<ArrayBuffer[]>):
  (manifest: WeightsManifestConfig, filePathPrefix?: string, weightNames?: string[]) => Promise<NamedTensorMap> {
  if (typeof fetchWeightsFunction !== 'function') throw new Error('weightsLoaderFactory: expected a function from URLs to promised ArrayBuffers');
  return async (manifest, filePathPrefix = '', weightNames) => {
    if (!Array.isArray(manifest)) throw new Error('loadWeights: expected a weights manifest (a list of {paths, weights} groups)');
    checkManifestPaths(manifest, 'loadWeights');
    const wanted = weightNames == null ? null : new Set(weightNames);
    const groups: { index: number; entries: { spec: WeightsManifestEntry; offset: number; size: number }[] }[] = [];
    const found = new Set<string>();
    manifest.forEach((group, index) => {
      let offset = 0;
      const entries: { spec: WeightsManifestEntry; offset: number; size: number }[] = [];
      for (const spec of group.weights) {
        const size = checkWeightSpec(spec, 'loadWeights');
        if (!wanted || wanted.has(spec.name)) {
          entries.push({ spec, offset, size });
          found.add(spec.name);
        }
        offset += size;
      }
      if (entries.length > 0) groups.push({ index, entries });
    });
    const missing = (weightNames ?? []).filter((n) => !found.has(n));
    if (missing.length > 0) {
      throw new Error(`loadWeights: the manifest has no weights named ${missing.join(', ')}; ` +
        `it has ${manifest.flatMap((g) => g.weights.map((w) => w.name)).join(', ')}`);
    }
    const join = (p: string): string => filePathPrefix + (filePathPrefix.endsWith('/') ? '' : '/') + p;
    const urls = groups.flatMap((g) => manifest[g.index].paths.map(join));
    const buffers = await fetchWeightsFunction(urls);
    const out: NamedTensorMap = {};
    let next = 0;
    for (const g of groups) {
      const count = manifest[g.index].paths.length;
      const data = new CompositeArrayBuffer(buffers.slice(next, next + count));
      next += count;
      for (const e of g.entries) Object.assign(out, decodeWeights(data.slice(e.offset, e.offset + e.size), [e.spec]));
    }
    return out;
  };
}

/**
 * `tf.io.loadWeights(manifest, filePathPrefix, weightNames, requestInit)`: the manifest's
 * weights (or those named), fetched from `filePathPrefix` with the global fetch.
 */
export async function loadManifestWeights(manifest: WeightsManifestConfig, filePathPrefix = '', weightNames?: string[],
  requestInit?: RequestInit): Promise<NamedTensorMap> {
  return weightsLoaderFactory((urls) => loadWeightsAsArrayBuffer(urls, { requestInit }))(manifest, filePathPrefix, weightNames);
}
