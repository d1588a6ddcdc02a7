export * from './types.js';
export * from './registry.js';
export * from './shape_util.js';
export * from './conv_info.js';
