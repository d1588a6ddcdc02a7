/**
 * `tf.io`'s helpers for weights and model.json, with TensorFlow.js 4.22's names, arguments and
 * results: named tensors to one weight buffer and back (laid out as weight_data.ts lays every
 * shard), the weights manifest to specs, and model.json to artifacts and back.
 */
import { Tensor } from '../tensor/tensor.js';
import { CompositeArrayBuffer } from './composite_array_buffer.js';
import type {
  ModelArtifacts, ModelArtifactsInfo, ModelJSONLike, WeightData, WeightGroup, WeightsManifestConfig, WeightsManifestEntry,
} from './handlers.js';
import { decodeWeight, type WeightSpec } from './weight_data.js';
import { checkWeightSpec } from './quantization.js';

export type NamedTensorMap = { [name: string]: Tensor };
export interface NamedTensor {
  name: string;
  tensor: Tensor;
}

const ENCODABLE = ['float32', 'int32', 'bool', 'float64'];

/**
 * The tensors' values one after another (float32, int32 and bool byte for byte as TensorFlow.js
 * writes them; striate's float64 as 8-byte doubles) with a manifest entry for each, in the order
 * given (an object's own key order for a map). `group` is stamped on every entry when given.
 *
 * @example
 * ```ts
 * const { data, specs } = await st.io.encodeWeights({ w: st.tensor1d([1, 2]) });
 * console.log(specs); // [{ name: 'w', shape: [2], dtype: 'float32' }]
 * ```
 */
export async function encodeWeights(tensors: NamedTensorMap | NamedTensor[], group?: WeightGroup):
  Promise<{ data: ArrayBuffer; specs: WeightsManifestEntry[] }> {
  if (tensors === null || typeof tensors !== 'object') {
    throw new Error(`encodeWeights: expected a map of name to tensor or a list of {name, tensor}, got ${tensors === null ? 'null' : typeof tensors}`);
  }
  const named: NamedTensor[] = Array.isArray(tensors) ? tensors : Object.keys(tensors).map((name) => ({ name, tensor: tensors[name] }));
  const specs: WeightsManifestEntry[] = [];
  const parts: Uint8Array[] = [];
  for (const [i, item] of named.entries()) {
    const t = item?.tensor;
    if (!(t instanceof Tensor)) {
      throw new Error(`encodeWeights: weight ${JSON.stringify(item?.name ?? i)} is not a striate tensor (got ${t === null ? 'null' : typeof t})`);
    }
    if (!ENCODABLE.includes(t.dtype)) throw new Error(`encodeWeights: unsupported dtype in weight '${item.name}': ${t.dtype}`);
    const spec: WeightsManifestEntry = { name: item.name, shape: [...t.shape], dtype: t.dtype as WeightsManifestEntry['dtype'] };
    if (group != null) spec.group = group;
    specs.push(spec);
    const values = await t.data();
    parts.push(new Uint8Array(values.buffer, values.byteOffset, values.byteLength).slice());
  }
  const data = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    data.set(p, offset);
    offset += p.length;
  }
  return { data: data.buffer, specs };
}

function checkSpecs(where: string, specs: unknown): asserts specs is WeightsManifestEntry[] {
  if (!Array.isArray(specs)) throw new Error(`${where}: expected 'specs' to be a list of weight manifest entries, got ${specs === null ? 'null' : typeof specs}`);
  // shapes, dtypes and quantization are checkWeightSpec's
  specs.forEach((s, i) => {
    if (!s || typeof s.name !== 'string') throw new Error(`${where}: specs[${i}] must have a string name, got ${JSON.stringify(s)}`);
  });
}

/** Bytes weight `spec` takes, after checking the entry whole (shape, dtype, quantization). */
function sizeOf(where: string, spec: WeightsManifestEntry): number {
  return checkWeightSpec(spec, where);
}

/**
 * Tensors by name from weight data laid out as `specs` say (quantized weights are expanded:
 * uint8/uint16 codes to `code * scale + min`, float16 to float32). Data past the last spec is
 * ignored, as TensorFlow.js ignores it; too little data is an error naming the weight.
 *
 * @example
 * ```ts
 * const { data, specs } = await st.io.encodeWeights({ w: st.tensor1d([1, 2]) });
 * st.io.decodeWeights(data, specs).w.print(); // [1, 2]
 * ```
 */
export function decodeWeights(weightData: WeightData, specs: WeightsManifestEntry[]): NamedTensorMap {
  checkSpecs('decodeWeights', specs);
  const all = new CompositeArrayBuffer(weightData);
  // every entry is checked and fits before any tensor is made
  const sizes = specs.map((spec) => sizeOf('decodeWeights', spec));
  let end = 0;
  for (const [i, size] of sizes.entries()) {
    if (end + size > all.byteLength) {
      throw new Error(`decodeWeights: weight '${specs[i].name}' needs bytes ${end}..${end + size}, but the weight data has ${all.byteLength} (truncated?)`);
    }
    end += size;
  }
  const out: NamedTensorMap = {};
  let offset = 0;
  for (const [i, spec] of specs.entries()) {
    out[spec.name] = decodeWeight(spec as WeightSpec, new Uint8Array(all.slice(offset, offset + sizes[i])), 'decodeWeights');
    offset += sizes[i];
  }
  return out;
}

/**
 * `decodeWeights` over a stream of chunks, decoding each weight as soon as its bytes have come.
 *
 * @example
 * ```ts
 * const { data, specs } = await st.io.encodeWeights({ a: st.tensor1d([1, 2]), b: st.tensor1d([3]) });
 * // the bytes come in two chunks, as from a fetch's body
 * const stream = new ReadableStream<ArrayBuffer>({
 *   start(controller) { controller.enqueue(data.slice(0, 6)); controller.enqueue(data.slice(6)); controller.close(); },
 * });
 * const weights = await st.io.decodeWeightsStream(stream, specs);
 * weights.a.print(); // [1, 2]
 * weights.b.print(); // [3]
 * ```
 */
export async function decodeWeightsStream(weightStream: ReadableStream<ArrayBuffer>, specs: WeightsManifestEntry[]): Promise<NamedTensorMap> {
  checkSpecs('decodeWeightsStream', specs);
  const sizes = specs.map((spec) => sizeOf('decodeWeightsStream', spec));
  const reader = weightStream.getReader();
  const out: NamedTensorMap = {};
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  let received = 0;
  try {
    for (const [i, spec] of specs.entries()) {
      const size = sizes[i];
      while (pendingBytes < size) {
        const { done, value } = await reader.read();
        if (done) {
          throw new Error(`decodeWeightsStream: the stream ended after ${received} bytes, ${size - pendingBytes} short of weight '${spec.name}'`);
        }
        const chunk = ArrayBuffer.isView(value) ? new Uint8Array(value.buffer, value.byteOffset, value.byteLength) : new Uint8Array(value);
        pending.push(chunk);
        pendingBytes += chunk.length;
        received += chunk.length;
      }
      const joined = new Uint8Array(pendingBytes);
      let o = 0;
      for (const p of pending) {
        joined.set(p, o);
        o += p.length;
      }
      out[spec.name] = decodeWeight(spec as WeightSpec, joined.subarray(0, size), 'decodeWeightsStream');
      pending = [joined.subarray(size)];
      pendingBytes -= size;
    }
  } finally {
    reader.releaseLock();
  }
  return out;
}

/**
 * Every weight entry of a manifest, group after group.
 *
 * @example
 * ```ts
 * console.log(st.io.getWeightSpecs([{ paths: ['w.bin'], weights: [{ name: 'w', shape: [2], dtype: 'float32' }] }])); // the one entry
 * ```
 */
export function getWeightSpecs(weightsManifest: WeightsManifestConfig): WeightsManifestEntry[] {
  if (!Array.isArray(weightsManifest)) throw new Error(`getWeightSpecs: expected a weights manifest (a list of {paths, weights} groups)`);
  return weightsManifest.flatMap((group) => group.weights);
}

/** Bytes of a string in UTF-8: the sizes TensorFlow.js reports for the JSON parts. */
export function stringByteLength(text: string): number {
  return new TextEncoder().encode(text).length;
}

/**
 * The sizes of artifacts, as a save reports them.
 *
 * @example
 * ```ts
 * const artifacts = st.io.toArtifacts(st.sequential({ layers: [st.layers.dense({ units: 1, inputShape: [2] })] }));
 * console.log(st.io.getModelArtifactsInfoForJSON(artifacts).weightDataBytes); // 12
 * ```
 */
export function getModelArtifactsInfoForJSON(modelArtifacts: ModelArtifacts): ModelArtifactsInfo {
  if (modelArtifacts.modelTopology instanceof ArrayBuffer) {
    throw new Error('getModelArtifactsInfoForJSON: expected a JSON model topology, got an ArrayBuffer');
  }
  return {
    dateSaved: new Date(),
    modelTopologyType: 'JSON',
    modelTopologyBytes: modelArtifacts.modelTopology == null ? 0 : stringByteLength(JSON.stringify(modelArtifacts.modelTopology)),
    weightSpecsBytes: modelArtifacts.weightSpecs == null ? 0 : stringByteLength(JSON.stringify(modelArtifacts.weightSpecs)),
    weightDataBytes: modelArtifacts.weightData == null ? 0 : new CompositeArrayBuffer(modelArtifacts.weightData).byteLength,
  };
}

const OPTIONAL_KEYS = ['trainingConfig', 'signature', 'userDefinedMetadata', 'modelInitializer', 'initializerSignature'] as const;

/** model.json's content for artifacts whose weights are stored as `manifest` says. */
export function getModelJSONForModelArtifacts(artifacts: ModelArtifacts, manifest: WeightsManifestConfig): ModelJSONLike {
  const json: ModelJSONLike = {
    modelTopology: artifacts.modelTopology as {}, format: artifacts.format, generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy, weightsManifest: manifest,
  };
  const target = json as unknown as Record<string, unknown>;
  for (const key of OPTIONAL_KEYS) if (artifacts[key] != null) target[key] = artifacts[key];
  return json;
}

/**
 * Artifacts from model.json's content and weights already read.
 *
 * @example
 * ```ts
 * const model = st.sequential({ layers: [st.layers.dense({ units: 1, inputShape: [2] })] });
 * const artifacts = st.io.toArtifacts(model);
 * const json = { modelTopology: artifacts.modelTopology!, weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs! }] };
 * const again = st.io.getModelArtifactsForJSONSync(json, artifacts.weightSpecs, artifacts.weightData);
 * console.log(st.io.fromArtifacts(again).layers.length); // 1
 * ```
 */
export function getModelArtifactsForJSONSync(modelJSON: ModelJSONLike, weightSpecs?: WeightsManifestEntry[], weightData?: WeightData): ModelArtifacts {
  if (modelJSON === null || typeof modelJSON !== 'object') {
    throw new Error(`getModelArtifactsForJSON: expected model.json's content as an object, got ${modelJSON === null ? 'null' : typeof modelJSON}`);
  }
  const artifacts: ModelArtifacts = {
    modelTopology: modelJSON.modelTopology, format: modelJSON.format, generatedBy: modelJSON.generatedBy, convertedBy: modelJSON.convertedBy,
  };
  if (modelJSON.trainingConfig != null) artifacts.trainingConfig = modelJSON.trainingConfig;
  if (modelJSON.weightsManifest != null) {
    if (!weightSpecs) throw new Error('getModelArtifactsForJSON: model.json has a weightsManifest but no weightSpecs were given');
    if (!weightData) throw new Error('getModelArtifactsForJSON: model.json has a weightsManifest but no weightData was given');
    artifacts.weightSpecs = weightSpecs;
    artifacts.weightData = weightData;
  }
  const target = artifacts as Record<string, unknown>;
  for (const key of OPTIONAL_KEYS.slice(1)) if (modelJSON[key] != null) target[key] = modelJSON[key];
  return artifacts;
}

/**
 * Artifacts from model.json's content, reading the weights its manifest names through `loadWeights`.
 *
 * @example
 * ```ts
 * const model = st.sequential({ layers: [st.layers.dense({ units: 1, inputShape: [2] })] });
 * const artifacts = st.io.toArtifacts(model);
 * const json = { modelTopology: artifacts.modelTopology!, weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs! }] };
 * // the weights come through your loader, given the manifest (from a file, a URL, a zip ...)
 * const again = await st.io.getModelArtifactsForJSON(json, async (manifest) =>
 *   [manifest.flatMap((group) => group.weights), artifacts.weightData!]);
 * console.log(again.weightSpecs!.length); // 2
 * ```
 */
export async function getModelArtifactsForJSON(modelJSON: ModelJSONLike,
  loadWeights: (weightsManifest: WeightsManifestConfig) => Promise<[WeightsManifestEntry[], WeightData]>): Promise<ModelArtifacts> {
  let specs: WeightsManifestEntry[] | undefined;
  let data: WeightData | undefined;
  if (modelJSON?.weightsManifest != null) [specs, data] = await loadWeights(modelJSON.weightsManifest);
  return getModelArtifactsForJSONSync(modelJSON, specs, data);
}
