/**
 * TensorFlow.js-style IO handlers: objects with `save(artifacts)` or `load()` that exchange
 * `ModelArtifacts` (`modelTopology`, `weightSpecs`, one `weightData` buffer, `format`,
 * `generatedBy`, `convertedBy`, `trainingConfig`) in memory. The same objects tfjs makes with
 * `tf.io.fromMemory` / `tf.io.withSaveHandler` work here, so models pass between the two
 * libraries without files. Optimizer state stays out of artifacts: it travels in files only.
 */
import type { LayersModel } from '../nn/model.js';
import { modelArtifacts, modelFromJSON, parseModelJSON, type ModelJSON } from './model_json.js';
import type { WeightSpec } from './weight_data.js';

export interface ModelArtifacts {
  modelTopology: Record<string, unknown>;
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  trainingConfig?: ModelJSON['trainingConfig'];
  weightSpecs?: WeightSpec[];
  weightData?: ArrayBuffer | ArrayBuffer[];
  userDefinedMetadata?: Record<string, unknown>;
}

export interface SaveHandler {
  save(artifacts: ModelArtifacts): Promise<unknown>;
}

export interface LoadHandler {
  load(): Promise<ModelArtifacts>;
}

export function isSaveHandler(x: unknown): x is SaveHandler {
  return typeof x === 'object' && x !== null && typeof (x as SaveHandler).save === 'function';
}

export function isLoadHandler(x: unknown): x is LoadHandler {
  return typeof x === 'object' && x !== null && typeof (x as LoadHandler).load === 'function';
}

/** The model as tfjs' artifacts (one weight buffer, no optimizer state). */
export function toArtifacts(model: LayersModel): ModelArtifacts {
  const { json, shards } = modelArtifacts(model, false);
  const data = shards[0].data;
  return {
    modelTopology: json.modelTopology, format: json.format, generatedBy: json.generatedBy, convertedBy: json.convertedBy,
    trainingConfig: json.trainingConfig, weightSpecs: json.weightsManifest[0].weights,
    userDefinedMetadata: json.userDefinedMetadata,
    weightData: data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer,
  };
}

/** The model from tfjs' artifacts; `where` names their source in errors. */
export function fromArtifacts(artifacts: ModelArtifacts, where = 'loadLayersModel(handler)'): LayersModel {
  const buffers = artifacts?.weightData === undefined ? [] : Array.isArray(artifacts.weightData) ? artifacts.weightData : [artifacts.weightData];
  const json = parseModelJSON(JSON.stringify({
    modelTopology: artifacts?.modelTopology, format: artifacts?.format, generatedBy: artifacts?.generatedBy,
    convertedBy: artifacts?.convertedBy, trainingConfig: artifacts?.trainingConfig,
    userDefinedMetadata: artifacts?.userDefinedMetadata,
    weightsManifest: [{ paths: buffers.map((_, i) => String(i)), weights: artifacts?.weightSpecs ?? [] }],
  }), where);
  return modelFromJSON(json, (p) => new Uint8Array(buffers[Number(p)]), where);
}
