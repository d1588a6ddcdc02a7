export { noGrad, isRecording } from './tape.js';
export { backward, type BackwardOptions } from './backward.js';
export * from './gradients.js';
export * from './gradcheck.js';
