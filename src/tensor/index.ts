export * from './tensor.js';
// engine.ts by name: its openTracking/closeTracking are runOp's internals (js overhead area), not API
export {
  tensorFromDataId, makeTensor, makeStringTensor, type TensorContainer, keep, tidy, startScope, endScope, trackCreated,
  dispose, type EngineMemory, memory, shareStorage, disposeVariables,
} from './engine.js';
export * from './creation.js';
export * from './random.js';
export * from './sequences.js';
export * from './print.js';
export * from './buffer.js';
export { Environment, ENV, env, enableDebugMode, enableProdMode, disableDeprecationWarnings, deprecationWarn, setPlatform, device_util, type Platform } from './environment.js';
// strict arguments: the creators with their positional arguments checked (arg_specs.ts)
export {
  tensor, tensor1d, tensor2d, tensor3d, tensor4d, tensor5d, tensor6d, scalar, zeros, ones, fill, variable, range, linspace, eye,
  oneHot, buffer, randomNormal, truncatedNormal, randomUniform,
} from './checked.js';
