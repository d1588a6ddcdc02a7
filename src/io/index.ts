export * from './weights_file.js';
export * from './checkpoint.js';
export { saveModelSync, loadLayersModel, loadLayersModelSync, type SaveOptions, type SaveResult } from './model_file.js';
export { modelArtifacts, parseModelJSON, modelFromJSON, MODEL_FILE_VERSION, type ModelJSON } from './model_json.js';
export { toArtifacts, fromArtifacts, type ModelArtifacts, type SaveHandler, type LoadHandler } from './handlers.js';
export { toOnnx, type OnnxExportOptions } from './onnx.js';
