export * from './tensor.js';
export * from './engine.js';
export * from './creation.js';
export * from './random.js';
export * from './sequences.js';
export * from './print.js';
export * from './buffer.js';
export { Environment, ENV, env, enableDebugMode, enableProdMode, disableDeprecationWarnings, deprecationWarn, setPlatform, device_util, type Platform } from './environment.js';
