export { GraphModel, type GraphModelParts, type ModelTensorInfo, type NamedTensorsMap } from './graph_model.js';
export { supportedOps } from './op_table.js';
export type { GraphDef, NodeDef, AttrValue, FunctionDef, SignatureDef, TensorInfo } from './graph_def.js';
