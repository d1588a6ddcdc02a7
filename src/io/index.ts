export * from './weights_file.js';
export * from './checkpoint.js';
export { saveModelSync, loadLayersModelSync } from './model_file.js';
export { loadLayersModel, type SaveOptions, type SaveResult } from './save_load.js';
export { modelArtifacts, parseModelJSON, modelFromJSON, MODEL_FILE_VERSION, type ModelJSON } from './model_json.js';
export { toArtifacts, fromArtifacts, type ModelArtifacts, type SaveHandler, type LoadHandler } from './handlers.js';
export { toOnnx, type OnnxExportOptions } from './onnx.js';
export { browserFiles, type NamedBlob } from './browser_files.js';
