/**
 * model.json, the TensorFlow.js layers format: `modelTopology` (`{class_name, config,
 * keras_version, backend}`, snake_case), `format: 'layers-model'`, `generatedBy`,
 * `convertedBy`, `trainingConfig` and `weightsManifest`. striate adds one key of its own,
 * `striate`, which TensorFlow.js does not read: the SHA-256 and length of every shard, and the
 * optimizer's state (its own shard, so that TensorFlow.js never sees tensors it has no slot for).
 */
import { LayersModel } from '../nn/model.js';
import type { Layer } from '../nn/layer.js';
import { fromPythonic, type ClassConfig } from '../nn/serialization.js';
import { modelFromConfig } from '../nn/model_config.js';
import type { Tensor, Variable } from '../tensor/tensor.js';
import { version } from '../version.js';
import { checkWeightData, checkWeightSpecs, decodeWeights, encodeWeights, sha256, type WeightSpec } from './weight_data.js';
import type { QuantizationDType } from './quantization.js';
import { checkManifestPaths } from './shard_paths.js';
import {
  compileFromTrainingConfig, optimizerState, restoreOptimizerState, trainingConfigOf, type TrainingConfig,
} from './training_state.js';

/** Version of the `striate` key; a file with a higher one was written by a newer striate. */
export const MODEL_FILE_VERSION = 1;

export interface ManifestGroup {
  paths: string[];
  weights: WeightSpec[];
}

export interface StriateExtras {
  version: number;
  /** per shard path: its SHA-256 (hex) and length */
  shards: Record<string, { sha256: string; byteLength: number }>;
  optimizer?: { iterations: number; paths: string[]; weights: WeightSpec[] };
}

export interface ModelJSON {
  modelTopology: Record<string, unknown>;
  format: string;
  generatedBy: string;
  convertedBy: string | null;
  trainingConfig?: TrainingConfig;
  weightsManifest: ManifestGroup[];
  userDefinedMetadata?: Record<string, unknown>;
  striate?: StriateExtras;
}

/** A shard to write: its bytes and the name it gets (from its hash, so a new save never overwrites an old shard). */
export interface Shard {
  path: string;
  data: Uint8Array;
}

/**
 * model.json and its shards for `model`; with `quantize`, the model's float32 weights are stored
 * quantized (the optimizer's state, for resuming training, never is).
 *
 * @example
 * ```ts
 * const model = st.sequential({ layers: [st.layers.dense({ units: 1, inputShape: [2] })] });
 * const { json, shards } = st.io.modelArtifacts(model);
 * console.log(json.format, json.weightsManifest[0].weights.map((w) => w.name)); // layers-model [kernel, bias names]
 * console.log(shards.map((s) => s.data.byteLength)); // [12]: 2 + 1 float32 weights
 * ```
 */
export function modelArtifacts(model: LayersModel, includeOptimizer = true, quantize?: QuantizationDType): { json: ModelJSON; shards: Shard[] } {
  const names = weightFileNames(model);
  const seen = new Set<string>();
  for (const name of names.values()) {
    if (seen.has(name)) {
      throw new Error(`model "${model.name}".save: two weights are named "${name}"; layer names must be unique ` +
        `within a saved model (give the layers distinct names)`);
    }
    seen.add(name);
  }
  const weights = encodeWeights(model.weights.map((v) => ({ name: names.get(v) ?? v.name, tensor: v as Tensor })), quantize);
  const shards: Shard[] = [{ path: `weights.${sha256(weights.data).slice(0, 16)}.bin`, data: weights.data }];
  const json: ModelJSON = {
    modelTopology: model.toJSON(undefined, false) as Record<string, unknown>,
    format: 'layers-model',
    generatedBy: `striate v${version}`,
    convertedBy: null,
    weightsManifest: [{ paths: [shards[0].path], weights: weights.specs }],
  };
  const training = trainingConfigOf(model);
  if (training) json.trainingConfig = training;
  const metadata = model.getUserDefinedMetadata();
  if (metadata) json.userDefinedMetadata = metadata;
  const extras: StriateExtras = { version: MODEL_FILE_VERSION, shards: {} };
  if (training && includeOptimizer && model.optimizer) {
    const state = optimizerState(model.optimizer);
    const opt = encodeWeights(state.tensors);
    const path = `optimizer.${sha256(opt.data).slice(0, 16)}.bin`;
    shards.push({ path, data: opt.data });
    extras.optimizer = { iterations: state.iterations, paths: [path], weights: opt.specs };
  }
  for (const s of shards) extras.shards[s.path] = { sha256: sha256(s.data), byteLength: s.data.length };
  json.striate = extras;
  return { json, shards };
}

/** Every shard file model.json names: the weights' and the optimizer state's. */
export function shardPaths(json: ModelJSON): string[] {
  return [...(json.weightsManifest ?? []).flatMap((g) => g.paths ?? []), ...(json.striate?.optimizer?.paths ?? [])];
}

/**
 * Parses model.json's text, checking that it is a layers model striate can read.
 *
 * @example
 * ```ts
 * const model = st.sequential({ layers: [st.layers.dense({ units: 1, inputShape: [2] })] });
 * const text = JSON.stringify(st.io.modelArtifacts(model).json);
 * console.log(st.io.parseModelJSON(text, 'my model.json').modelTopology !== undefined); // true
 * // text that is not a layers model fails with the place named: 'my model.json: ...'
 * ```
 */
export function parseModelJSON(text: string, where: string): ModelJSON {
  let json: ModelJSON;
  try {
    json = JSON.parse(text) as ModelJSON;
  } catch (e) {
    throw new Error(`${where} is not valid JSON (${(e as Error).message})`);
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) throw new Error(`${where} is not a model file (expected a JSON object)`);
  if (json.format !== undefined && json.format !== 'layers-model') {
    throw new Error(`${where} has format ${JSON.stringify(json.format)}; striate reads TensorFlow.js 'layers-model' files ` +
      `(a 'graph-model' is a converted TensorFlow graph, not a Keras model)`);
  }
  const topo = json.modelTopology as Record<string, unknown> | undefined;
  if (!topo || typeof topo !== 'object' || (typeof topo.class_name !== 'string' && typeof topo.model_config !== 'object')) {
    throw new Error(`${where} is not a model file: it has no modelTopology with a class_name`);
  }
  if (json.striate && (typeof json.striate.version !== 'number' || json.striate.version > MODEL_FILE_VERSION)) {
    throw new Error(`${where} was written by a newer striate (model file version ${json.striate.version}); ` +
      `this striate reads version ${MODEL_FILE_VERSION}`);
  }
  if (json.weightsManifest !== undefined && !Array.isArray(json.weightsManifest)) {
    throw new Error(`${where}: weightsManifest must be a list of {paths, weights} groups`);
  }
  // every shard it names stays inside the model's folder, checked before any is read
  const optimizerPaths: unknown = json.striate?.optimizer?.paths;
  checkManifestPaths(json.weightsManifest, where, optimizerPaths == null ? [] : Array.isArray(optimizerPaths) ? optimizerPaths : [optimizerPaths]);
  return json;
}

/** Checks a shard's length and checksum against model.json's striate key (when the file has one). */
export function checkShard(json: ModelJSON, path: string, data: Uint8Array, shardWhere: string, jsonWhere: string): void {
  const expected = json.striate?.shards?.[path];
  if (!expected) return;
  if (data.length !== expected.byteLength) {
    throw new Error(`${shardWhere} has ${data.length} bytes, ${jsonWhere} expects ${expected.byteLength} (truncated?)`);
  }
  if (sha256(data) !== expected.sha256) throw new Error(`${shardWhere} does not match the checksum in ${jsonWhere} (corrupted)`);
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/**
 * The model described by `json`, with its weights (read through `readShard`, already checked),
 * compiled and with its optimizer state restored when the file has them.
 *
 * @example
 * ```ts
 * const model = st.sequential({ layers: [st.layers.dense({ units: 1, inputShape: [2] })] });
 * const { json, shards } = st.io.modelArtifacts(model);
 * // shards read from memory here; from files, a URL or a zip elsewhere
 * const copy = st.io.modelFromJSON(json, (p) => shards.find((s) => s.path === p)!.data, 'in-memory model');
 * copy.predict(st.ones([1, 2])).print(); // what model.predict gives
 * ```
 */
export function modelFromJSON(json: ModelJSON, readShard: (path: string) => Uint8Array, where: string): LayersModel {
  const topo = json.modelTopology as Record<string, unknown>;
  // Keras' converter nests the topology under model_config
  const spec = fromPythonic(topo.model_config ?? { class_name: topo.class_name, config: topo.config }) as unknown as ClassConfig;
  const groups = json.weightsManifest ?? [];
  const specs = groups.flatMap((g) => g.weights ?? []);
  // entries that make no sense are refused before any shard is read
  checkWeightSpecs(specs, where);
  const data = concat(groups.flatMap((g) => g.paths.map(readShard)));
  // the manifest is checked whole against the bytes read (shapes, dtypes, quantization, sizes) before the model is built
  checkWeightData(data.length, specs, where);
  const model = modelFromConfig(spec, where);
  // TensorFlow.js' own optimizer weights are its business; striate keeps its own state apart
  const tensors = byName(decodeWeights(data, specs, where).filter((_, i) => specs[i].group !== 'optimizer'), where);
  setWeightsByName(model, tensors, where);
  if (json.userDefinedMetadata && typeof json.userDefinedMetadata === 'object') model.setUserDefinedMetadata(json.userDefinedMetadata);
  if (json.trainingConfig) {
    compileFromTrainingConfig(model, json.trainingConfig, where);
    const opt = json.striate?.optimizer;
    if (opt && model.optimizer) {
      const state = byName(decodeWeights(concat(opt.paths.map(readShard)), opt.weights, where), where);
      restoreOptimizerState(model.optimizer, model.trainableWeights, opt.iterations, state, where);
    }
  }
  return model;
}

function byName(list: { name: string; tensor: Tensor }[], where: string): Map<string, Tensor> {
  const map = new Map<string, Tensor>();
  for (const { name, tensor } of list) {
    if (map.has(name)) throw new Error(`${where}: the weights manifest names "${name}" twice`);
    map.set(name, tensor);
  }
  return map;
}

/**
 * The names TensorFlow.js gives the model's weights: a layer's own weights are layer/weight, as in
 * striate; a wrapper's are scoped under the wrapper: Bidirectional's as
 * bidirectional/forward_lstm/kernel, TimeDistributed's as time_distributed/kernel.
 */
export function weightFileNames(model: LayersModel): Map<Variable, string> {
  const names = new Map<Variable, string>();
  const visit = (layers: readonly Layer[]): void => {
    for (const l of layers) {
      if (l instanceof LayersModel) {
        visit(l.layers);
        continue;
      }
      for (const v of l.weights) {
        if (names.has(v)) continue;
        const name = v.name.startsWith(`${l.name}/`) ? v.name
          : l.className === 'TimeDistributed' ? `${l.name}/${v.name.split('/').pop()}` : `${l.name}/${v.name}`;
        names.set(v, name);
      }
    }
  };
  visit(model.layers);
  return names;
}

/**
 * Assigns each model weight the tensor of its name (TensorFlow.js' name for it, or striate's own).
 * TensorFlow.js 2.2+ may put an RNN cell's name in the middle (layer/cell/kernel), so that form is
 * accepted for layer/kernel too.
 */
function setWeightsByName(model: LayersModel, tensors: Map<string, Tensor>, where: string): void {
  const byShortName = new Map<string, string>();
  for (const name of tensors.keys()) {
    const parts = name.split('/');
    if (parts.length > 2) byShortName.set([...parts.slice(0, -2), parts[parts.length - 1]].join('/'), name);
  }
  const vars = model.weights;
  const fileNames = weightFileNames(model);
  const used = new Set<string>();
  const values = vars.map((v) => {
    const wanted = fileNames.get(v) ?? v.name;
    const name = [wanted, v.name].find((n) => tensors.has(n)) ?? byShortName.get(wanted) ?? byShortName.get(v.name);
    if (name === undefined) {
      throw new Error(`${where}: the model's weight "${v.name}" [${v.shape}] is not in the weights manifest ` +
        `(the file has ${tensors.size} weights for the model's ${vars.length})`);
    }
    const t = tensors.get(name)!;
    if (t.shape.join() !== v.shape.join()) {
      throw new Error(`${where}: weight "${name}" has shape [${t.shape}] in the file, the model's layer expects [${v.shape}]`);
    }
    used.add(name);
    return t;
  });
  const stray = [...tensors.keys()].filter((n) => !used.has(n));
  if (stray.length > 0) {
    throw new Error(`${where}: the file has ${stray.length} weight(s) no layer of the model owns: ${stray.slice(0, 5).join(', ')}`);
  }
  model.setWeights(values);
}
