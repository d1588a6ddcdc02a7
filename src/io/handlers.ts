/**
 * TensorFlow.js-style IO handlers: objects with `save(artifacts)` or `load()` that exchange
 * `ModelArtifacts` (`modelTopology`, `weightSpecs`, one `weightData` buffer, `format`,
 * `generatedBy`, `convertedBy`, `trainingConfig`) in memory. The same objects tfjs makes with
 * `tf.io.fromMemory` / `tf.io.withSaveHandler` work here, so models pass between the two
 * libraries without files. Optimizer state stays out of artifacts: it travels in files only.
 */
import type { LayersModel } from '../nn/model.js';
import { modelArtifacts, modelFromJSON, parseModelJSON, type ModelJSON } from './model_json.js';
import type { Quantization, QuantizationDType } from './quantization.js';

/** The data of a model's weights: one buffer, or shards to be read one after another. */
export type WeightData = ArrayBuffer | ArrayBuffer[];

/** TensorFlow.js marks its optimizer's weights with group 'optimizer'. */
export type WeightGroup = 'model' | 'optimizer';

/**
 * One weight in a manifest, as TensorFlow.js writes it. striate reads float32, int32, bool (and
 * its own float64); 'string' and 'complex64' are named so that TensorFlow.js' entries type-check.
 */
export interface WeightsManifestEntry {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32' | 'bool' | 'string' | 'complex64' | 'float64';
  group?: WeightGroup | string;
  quantization?: Quantization;
}

/** A group of weights stored in the shard files `paths`, read one after another. */
export interface WeightsManifestGroupConfig {
  paths: string[];
  weights: WeightsManifestEntry[];
}

export type WeightsManifestConfig = WeightsManifestGroupConfig[];

/** Keras' training configuration as model.json stores it (snake_case). */
export interface TrainingConfig {
  optimizer_config: {};
  loss: string | string[] | { [key: string]: string };
  metrics?: string[] | { [key: string]: string };
  weighted_metrics?: string[];
  sample_weight_mode?: string;
  loss_weights?: number[] | { [key: string]: number };
}

/** A model in memory, in TensorFlow.js' shape: what IO handlers save and load. */
export interface ModelArtifacts {
  modelTopology?: {} | ArrayBuffer;
  trainingConfig?: TrainingConfig | ModelJSON['trainingConfig'];
  weightSpecs?: WeightsManifestEntry[];
  weightData?: WeightData;
  /** weights as a stream instead of weightData (tfjs' http handler with `streamWeights`) */
  getWeightStream?: () => ReadableStream<ArrayBuffer>;
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  signature?: {};
  userDefinedMetadata?: { [key: string]: {} };
  modelInitializer?: {};
  initializerSignature?: {};
}

/** model.json as TensorFlow.js writes it. */
export interface ModelJSONLike {
  modelTopology: {};
  trainingConfig?: ModelArtifacts['trainingConfig'];
  weightsManifest: WeightsManifestConfig;
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  signature?: {};
  userDefinedMetadata?: { [key: string]: {} };
  modelInitializer?: {};
  initializerSignature?: {};
}

export interface ModelArtifactsInfo {
  dateSaved: Date;
  modelTopologyType: 'JSON' | 'GraphDef';
  modelTopologyBytes?: number;
  weightSpecsBytes?: number;
  weightDataBytes?: number;
}

export interface SaveResult {
  modelArtifactsInfo: ModelArtifactsInfo;
  responses?: Response[];
  errors?: Array<{} | string>;
}

/** tfjs' names: a load handler is the function that loads, a save handler the function that saves. */
export type LoadHandler = () => Promise<ModelArtifacts>;
export type SaveHandler = (modelArtifact: ModelArtifacts) => Promise<SaveResult>;
export type LoadHandlerSync = () => ModelArtifacts;
export type SaveHandlerSync = (modelArtifact: ModelArtifacts) => SaveResult;

/** An object that saves and/or loads a model: what `model.save` and `loadLayersModel` take. */
export interface IOHandler {
  save?: SaveHandler;
  load?: LoadHandler;
}

export interface IOHandlerSync {
  save?: SaveHandlerSync;
  load?: LoadHandlerSync;
}

/** A handler that certainly loads (browserFiles, fromMemory). */
export type LoadingIOHandler = IOHandler & { load: LoadHandler };

/** Any object whose `save` takes artifacts (its result, awaited, is what `model.save` returns). */
export interface SaveTarget {
  // method syntax on purpose: its parameter is checked both ways, so TensorFlow.js' own handlers
  // (typed for its artifacts, which have no float64) are accepted too
  save?(artifacts: ModelArtifacts): unknown;
}

/** Any object whose `load` gives artifacts, now or as a promise. */
export interface LoadSource {
  load?(): ModelArtifacts | Promise<ModelArtifacts>;
}

/** A store's list of models and its removal, for `listModels` / `removeModel`. */
export interface ModelStoreManager {
  listModels(): Promise<{ [path: string]: ModelArtifactsInfo }>;
  removeModel(path: string): Promise<ModelArtifactsInfo>;
}

export function isSaveHandler(x: unknown): x is Required<SaveTarget> {
  return typeof x === 'object' && x !== null && typeof (x as SaveTarget).save === 'function';
}

export function isLoadHandler(x: unknown): x is Required<LoadSource> {
  return typeof x === 'object' && x !== null && typeof (x as LoadSource).load === 'function';
}

/**
 * The model as tfjs' artifacts (one weight buffer, no optimizer state); `quantize` stores its float32
 * weights as 'uint8', 'uint16' or 'float16', as `model.save(url, {quantizationBytes, float16})` does.
 *
 * @example
 * ```ts
 * const artifacts = st.io.toArtifacts(st.sequential({ layers: [st.layers.dense({ units: 1, inputShape: [2] })] }));
 * console.log(artifacts.weightSpecs!.map((s) => s.name));
 * ```
 */
export function toArtifacts(model: LayersModel, quantize?: QuantizationDType): ModelArtifacts {
  const { json, shards } = modelArtifacts(model, false, quantize);
  const data = shards[0].data;
  return {
    modelTopology: json.modelTopology, format: json.format, generatedBy: json.generatedBy, convertedBy: json.convertedBy,
    trainingConfig: json.trainingConfig, weightSpecs: json.weightsManifest[0].weights,
    userDefinedMetadata: json.userDefinedMetadata as ModelArtifacts['userDefinedMetadata'],
    weightData: data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer,
  };
}

/**
 * The model from tfjs' artifacts; `where` names their source in errors.
 *
 * @example
 * ```ts
 * const artifacts = st.io.toArtifacts(st.sequential({ layers: [st.layers.dense({ units: 1, inputShape: [2] })] }));
 * console.log(st.io.fromArtifacts(artifacts).layers.length); // 1
 * ```
 */
export function fromArtifacts(artifacts: ModelArtifacts, where = 'loadLayersModel(handler)'): LayersModel {
  if (artifacts?.modelTopology instanceof ArrayBuffer) {
    throw new Error(`${where}: the artifacts hold a binary (GraphDef) topology; loadLayersModel reads a layers model's JSON topology`);
  }
  const buffers = artifacts?.weightData === undefined ? [] : Array.isArray(artifacts.weightData) ? artifacts.weightData : [artifacts.weightData];
  const json = parseModelJSON(JSON.stringify({
    modelTopology: artifacts?.modelTopology, format: artifacts?.format, generatedBy: artifacts?.generatedBy,
    convertedBy: artifacts?.convertedBy, trainingConfig: artifacts?.trainingConfig,
    userDefinedMetadata: artifacts?.userDefinedMetadata,
    weightsManifest: [{ paths: buffers.map((_, i) => String(i)), weights: artifacts?.weightSpecs ?? [] }],
  }), where);
  return modelFromJSON(json, (p) => new Uint8Array(buffers[Number(p)]), where);
}
