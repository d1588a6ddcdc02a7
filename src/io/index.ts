/**
 * `st.io` in Node: everything of the browser's `st.io` (portable.ts: TensorFlow.js' `tf.io`),
 * tfjs-node's `fileSystem` handler for file://, and striate's own files (weights-only saves,
 * checkpoints, the synchronous model file calls, ONNX export).
 */
import type { Layer } from '../nn/layer.js';
import type { WeightsManifestConfig } from './handlers.js';
import type { NamedTensorMap } from './io_utils.js';
import { loadManifestWeights } from './http.js';
import { loadWeights as loadWeightsFile } from './weights_file.js';

export * from './portable.js';
export { saveWeights, WEIGHTS_FORMAT, WEIGHTS_VERSION } from './weights_file.js';
export * from './checkpoint.js';
export { saveModelSync, loadLayersModelSync } from './model_file.js';
export { loadLayersModel, type SaveOptions, type SaveResult as ModelSaveResult } from './save_load.js';
export { modelArtifacts, parseModelJSON, modelFromJSON, MODEL_FILE_VERSION, type ModelJSON as ModelFileJSON } from './model_json.js';
export { toOnnx, type OnnxExportOptions } from './onnx.js';
export { fileSystem, NodeFileSystem } from './file_system.js';

/**
 * Two calls under one name. TensorFlow.js' `loadWeights(manifest, filePathPrefix?, weightNames?,
 * requestInit?)` fetches a manifest's weights and resolves to tensors by name; striate's
 * `loadWeights(model, dir)` reads a folder written by `saveWeights` into the model at once and
 * returns the metadata saved with it. A manifest is a list; a model is not.
 *
 * @example
 * ```ts
 * const fs = await import('node:fs'), os = await import('node:os'), path = await import('node:path');
 * const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'st-weights-'));
 * const model = st.sequential({ layers: [st.layers.dense({ units: 1, inputShape: [2] })] });
 * st.io.saveWeights(model, dir, { epoch: 3 });
 * const fresh = st.sequential({ layers: [st.layers.dense({ units: 1, inputShape: [2] })] });
 * console.log(st.io.loadWeights(fresh, dir)); // { epoch: 3 }: the metadata saved with them
 * fresh.predict(st.ones([1, 2])).print(); // what model.predict gives
 * ```
 */
export function loadWeights(manifest: WeightsManifestConfig, filePathPrefix?: string, weightNames?: string[], requestInit?: RequestInit): Promise<NamedTensorMap>;
export function loadWeights(model: Layer, dir: string): Record<string, unknown> | undefined;
export function loadWeights(first: WeightsManifestConfig | Layer, ...rest: unknown[]): Promise<NamedTensorMap> | Record<string, unknown> | undefined {
  if (Array.isArray(first)) return loadManifestWeights(first, ...(rest as [string?, string[]?, RequestInit?]));
  return loadWeightsFile(first, rest[0] as string);
}
