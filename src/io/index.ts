export * from './weights_file.js';
export * from './checkpoint.js';
