/**
 * `st.io` in the browser: TensorFlow.js' `tf.io` (handlers over memory and HTTP, routers, the
 * model stores, weight encoding and decoding), with no `node:` module. The Node entry's `st.io`
 * (index.ts) is this plus the file system.
 */
export { fromMemory, fromMemorySync, withSaveHandler, withSaveHandlerSync } from './passthrough.js';
export {
  http, browserHTTPRequest, isHTTPScheme, weightsLoaderFactory, loadManifestWeights as loadWeights, HTTPRequest,
  type LoadOptions, type OnProgressCallback, type RequestDetails,
} from './http.js';
export { browserFiles, type NamedBlob } from './browser_files.js';
export { copyModel, moveModel, listModels, removeModel } from './model_management.js';
export { registerLoadRouter, registerSaveRouter, getLoadHandlers, getSaveHandlers, type IORouter } from './router_registry.js';
export {
  encodeWeights, decodeWeights, decodeWeightsStream, getModelArtifactsForJSON, getModelArtifactsForJSONSync, getModelArtifactsInfoForJSON,
  getWeightSpecs, type NamedTensorMap, type NamedTensor,
} from './io_utils.js';
export { CompositeArrayBuffer, concatenateArrayBuffers } from './composite_array_buffer.js';
export { toArtifacts, fromArtifacts } from './handlers.js';
export type {
  IOHandler, IOHandlerSync, LoadHandler, SaveHandler, LoadHandlerSync, SaveHandlerSync, ModelArtifacts, ModelArtifactsInfo,
  ModelJSONLike as ModelJSON, ModelStoreManager, SaveResult, TrainingConfig, WeightData, WeightGroup, WeightsManifestConfig,
  WeightsManifestEntry, WeightsManifestGroupConfig,
} from './handlers.js';
export type { Quantization } from './quantization.js';
export type { SaveOptions as SaveConfig } from './save_load.js';
