export * from './tensor.js';
export * from './engine.js';
export * from './creation.js';
export * from './random.js';
export * from './sequences.js';
export * from './print.js';
