/**
 * `st.loadGraphModel(url | handler)`: a TensorFlow.js graph model (model.json with
 * format "graph-model": a GraphDef as JSON and its weights manifest) through the same IO handlers
 * as layers models (file://, http(s)://, the browser stores, routers, handler objects), its
 * weights decoded (quantized ones expanded) and handed to a `GraphModel`.
 */
import { GraphModel, type GraphModelParts } from '../graph/graph_model.js';
import type { GraphDef, SignatureDef } from '../graph/graph_def.js';
import { checkOptions } from '../tensor/options.js';
import { isLoadHandler, type IOHandlerSync, type LoadSource, type ModelArtifacts, type ModelJSONLike } from './handlers.js';
import { http, LOAD_OPTION_KEYS, type LoadOptions } from './http.js';
import { handlerFor, programHandler } from './router_registry.js';
import { decodeWeights, decodeWeightsStream, getModelArtifactsForJSONSync, getWeightSpecs, type NamedTensorMap } from './io_utils.js';

/** TensorFlow Hub serves a graph model's files under the module's URL with this query. */
function tfHubUrl(url: string): string {
  return `${url.endsWith('/') ? url : `${url}/`}model.json?tfjs-format=file`;
}

function describe(source: unknown): string {
  return typeof source === 'string' ? source : 'handler';
}

/** The model from loaded artifacts; the decoded weights are freed again if the graph is refused. */
function build(artifacts: ModelArtifacts, weights: NamedTensorMap, where: string): GraphModel {
  const parts: GraphModelParts = {
    modelTopology: artifacts.modelTopology as GraphDef, weights, signature: artifacts.signature as SignatureDef | undefined,
    userDefinedMetadata: artifacts.userDefinedMetadata as GraphModelParts['userDefinedMetadata'],
    format: artifacts.format, generatedBy: artifacts.generatedBy, convertedBy: artifacts.convertedBy,
  };
  try {
    return new GraphModel(parts, where);
  } catch (e) {
    for (const t of Object.values(weights)) t.dispose();
    throw e;
  }
}

function checkArtifacts(artifacts: ModelArtifacts | undefined, where: string): ModelArtifacts {
  if (artifacts == null || typeof artifacts !== 'object') throw new Error(`${where}: the IO handler loaded nothing (got ${artifacts === null ? 'null' : typeof artifacts})`);
  const topology = artifacts.modelTopology as { node?: unknown; class_name?: unknown; model_config?: unknown } | undefined;
  if (artifacts.format === 'layers-model' || (topology && (topology.class_name != null || topology.model_config != null))) {
    throw new Error(`${where}: this is a layers model (format "layers-model"); load it with st.loadLayersModel`);
  }
  if (topology == null || typeof topology !== 'object' || !Array.isArray(topology.node)) {
    throw new Error(`${where}: modelTopology is not a TensorFlow GraphDef (expected format "graph-model" with a list of nodes)`);
  }
  const init = artifacts.modelInitializer as { node?: unknown[] } | undefined;
  if (init?.node != null && init.node.length > 0) {
    throw new Error(`${where}: the model has an initializer graph (hash tables of a text model), which striate does not run`);
  }
  return artifacts;
}

/**
 * Loads a TensorFlow.js graph model (converted from a SavedModel, a frozen graph or TF Hub) for
 * inference, as TensorFlow.js' `tf.loadGraphModel` does: a URL (`file://` in Node, `http(s)://`,
 * a registered router's scheme) or an IO handler such as `st.io.fromMemory(artifacts)`, and
 * TensorFlow.js' load options (`fromTFHub`, `requestInit`, `fetchFunc`, `weightPathPrefix`,
 * `onProgress`, `streamWeights`). An op striate does not run is an error here, naming the op and
 * its node.
 *
 * @example
 * ```ts
 * const w = new Float32Array([2]);
 * const model = await st.loadGraphModel(st.io.fromMemory({
 *   format: 'graph-model',
 *   modelTopology: { node: [
 *     { name: 'x', op: 'Placeholder', attr: { dtype: { type: 'DT_FLOAT' }, shape: { shape: { dim: [{ size: '-1' }] } } } },
 *     { name: 'w', op: 'Const', attr: { dtype: { type: 'DT_FLOAT' } } },
 *     { name: 'y', op: 'Mul', input: ['x', 'w'], attr: { T: { type: 'DT_FLOAT' } } },
 *   ] },
 *   weightSpecs: [{ name: 'w', shape: [1], dtype: 'float32' }],
 *   weightData: w.buffer,
 * }));
 * (model.predict(st.tensor1d([1, 2, 3])) as st.Tensor).print(); // [2, 4, 6]
 * ```
 */
export async function loadGraphModel(source: string | LoadSource, options: LoadOptions = {}): Promise<GraphModel> {
  if (source == null) throw new Error('loadGraphModel: expected the URL of model.json or an IO handler, got ' + String(source));
  checkOptions('loadGraphModel', options ?? {}, LOAD_OPTION_KEYS);
  options = options ?? {};
  const where = `loadGraphModel(${describe(source)})`;
  let handler: LoadSource;
  if (typeof source === 'object') {
    if (!isLoadHandler(source)) throw new Error(`${where}: the IO handler has no load() method`);
    handler = source;
  } else if (typeof source === 'string' && source !== '') {
    const url = options.fromTFHub ? tfHubUrl(source) : source;
    handler = programHandler('load', url, 'loadGraphModel', options)
      ?? (/^https?:\/\//i.test(url) || options.requestInit != null || options.fetchFunc != null ? http(url, options) : handlerFor('load', url, 'loadGraphModel'));
  } else {
    throw new Error(`loadGraphModel: expected the URL of model.json or an IO handler, got ${JSON.stringify(source)}`);
  }
  const artifacts = checkArtifacts(await handler.load!(), where);
  let weights: NamedTensorMap = {};
  if (artifacts.weightData != null) weights = decodeWeights(artifacts.weightData, artifacts.weightSpecs ?? []);
  else if (typeof artifacts.getWeightStream === 'function') weights = await decodeWeightsStream(artifacts.getWeightStream(), artifacts.weightSpecs ?? []);
  else if ((artifacts.weightSpecs ?? []).length > 0) throw new Error(`${where}: the model names weights but the handler gave no weight data`);
  return build(artifacts, weights, where);
}

/**
 * `loadGraphModel` without waiting: from a synchronous IO handler (`st.io.fromMemorySync`),
 * model artifacts, or [model.json's content, the weights' ArrayBuffer], as TensorFlow.js'
 * `tf.loadGraphModelSync`.
 *
 * @example
 * ```ts
 * const json = {
 *   format: 'graph-model',
 *   modelTopology: { node: [
 *     { name: 'x', op: 'Placeholder', attr: { dtype: { type: 'DT_FLOAT' }, shape: { shape: { dim: [{ size: '-1' }] } } } },
 *     { name: 'b', op: 'Const', attr: { dtype: { type: 'DT_FLOAT' } } },
 *     { name: 'y', op: 'AddV2', input: ['x', 'b'], attr: { T: { type: 'DT_FLOAT' } } },
 *   ] },
 *   weightsManifest: [{ paths: ['w.bin'], weights: [{ name: 'b', shape: [1], dtype: 'float32' }] }],
 * };
 * const model = st.loadGraphModelSync([json, new Float32Array([10]).buffer]);
 * (model.execute(st.tensor1d([1, 2]), 'y') as st.Tensor).print(); // [11, 12]
 * ```
 */
export function loadGraphModelSync(source: IOHandlerSync | ModelArtifacts | [ModelJSONLike, ArrayBuffer]): GraphModel {
  const where = 'loadGraphModelSync';
  if (source == null) throw new Error(`${where}: expected model artifacts, a synchronous IO handler or [modelJSON, weights], got ${String(source)}`);
  let artifacts: ModelArtifacts;
  if (Array.isArray(source)) {
    const [json, data] = source;
    if (json == null || !('modelTopology' in json)) throw new Error(`${where}: the first element must be model.json's content with a modelTopology`);
    if (!(data instanceof ArrayBuffer)) throw new Error(`${where}: the second element must be the weights as an ArrayBuffer`);
    artifacts = getModelArtifactsForJSONSync(json, getWeightSpecs(json.weightsManifest ?? []), data);
  } else if (typeof (source as IOHandlerSync).load === 'function') {
    const loaded = (source as IOHandlerSync).load!() as unknown;
    if (loaded instanceof Promise) throw new Error(`${where}: the handler's load() returned a promise; use loadGraphModel for asynchronous handlers`);
    artifacts = loaded as ModelArtifacts;
  } else {
    artifacts = source as ModelArtifacts;
  }
  checkArtifacts(artifacts, where);
  const weights = artifacts.weightData != null ? decodeWeights(artifacts.weightData, artifacts.weightSpecs ?? []) : {};
  return build(artifacts, weights, where);
}
