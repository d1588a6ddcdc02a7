/**
 * The benchmark's networks as Keras layer configs, in a module that imports nothing at run time,
 * so that the browser side of the webgpu benchmark (bench/webgpu_workloads.ts, run in a page's
 * worker) builds exactly the networks the Node benchmarks build.
 */
import type { WideWorkload } from './common.js';

export type ModelKind = 'cnn' | 'lenet' | 'mlp';

/**
 * The networks as Keras layer configs, which striate's and TensorFlow.js' `layers.<type>(config)`
 * both take as they are. The digit CNN mirrors striate's `models.digitCnn()` (striate uses the
 * zoo function itself). LeNet-5 pads its first convolution ('same') to fit 28x28 inputs.
 */
export type LayerSpec = [type: 'conv2d' | 'maxPooling2d' | 'dropout' | 'flatten' | 'dense' | 'embedding' | 'lstm' | 'gru',
  config: Record<string, unknown>];
export const MODEL_LAYERS: Record<ModelKind, LayerSpec[]> = {
  cnn: [
    ['conv2d', { filters: 8, kernelSize: [5, 5], padding: 'same', activation: 'relu', inputShape: [28, 28, 1] }],
    ['maxPooling2d', { poolSize: [2, 2] }],
    ['dropout', { rate: 0.25 }],
    ['conv2d', { filters: 16, kernelSize: [3, 3], padding: 'same', activation: 'relu' }],
    ['maxPooling2d', { poolSize: [2, 2], strides: [2, 2] }],
    ['dropout', { rate: 0.25 }],
    ['flatten', {}],
    ['dense', { units: 256, activation: 'relu' }],
    ['dropout', { rate: 0.5 }],
    ['dense', { units: 10, activation: 'softmax' }],
  ],
  lenet: [
    ['conv2d', { filters: 6, kernelSize: [5, 5], padding: 'same', activation: 'relu', inputShape: [28, 28, 1] }],
    ['maxPooling2d', { poolSize: [2, 2] }],
    ['conv2d', { filters: 16, kernelSize: [5, 5], padding: 'valid', activation: 'relu' }],
    ['maxPooling2d', { poolSize: [2, 2] }],
    ['flatten', {}],
    ['dense', { units: 120, activation: 'relu' }],
    ['dense', { units: 84, activation: 'relu' }],
    ['dense', { units: 10, activation: 'softmax' }],
  ],
  mlp: [
    ['dense', { units: 256, activation: 'relu', inputShape: [784] }],
    ['dense', { units: 256, activation: 'relu' }],
    ['dense', { units: 10, activation: 'softmax' }],
  ],
};

/** The input shape of one sample for each model (the MLP takes flat images). */
export function sampleShape(kind: ModelKind): number[] {
  return kind === 'mlp' ? [784] : [28, 28, 1];
}

/** the IMDB-style text workloads: vocabulary, sequence length, classes */
export const TEXT = { vocab: 5000, steps: 80, embedding: 64, units: 128, classes: 2 } as const;
export const IMAGE = { size: 32, channels: 3, classes: 10 } as const;

/** The sequential networks as Keras layer configs (striate and TensorFlow.js take them as they are). */
export const WIDE_LAYERS: Partial<Record<WideWorkload, LayerSpec[]>> = {
  cifar: [
    ['conv2d', { filters: 32, kernelSize: [3, 3], padding: 'same', activation: 'relu', inputShape: [32, 32, 3] }],
    ['conv2d', { filters: 32, kernelSize: [3, 3], padding: 'same', activation: 'relu' }],
    ['maxPooling2d', { poolSize: [2, 2] }],
    ['conv2d', { filters: 64, kernelSize: [3, 3], padding: 'same', activation: 'relu' }],
    ['conv2d', { filters: 64, kernelSize: [3, 3], padding: 'same', activation: 'relu' }],
    ['maxPooling2d', { poolSize: [2, 2] }],
    ['flatten', {}],
    ['dense', { units: 256, activation: 'relu' }],
    ['dense', { units: 10, activation: 'softmax' }],
  ],
  lstm: [
    ['embedding', { inputDim: TEXT.vocab, outputDim: TEXT.embedding, inputLength: TEXT.steps }],
    ['lstm', { units: TEXT.units }],
    ['dense', { units: TEXT.classes, activation: 'softmax' }],
  ],
  // PyTorch's GRU applies the reset gate after the recurrent matmul: Keras v2's resetAfter
  gru: [
    ['embedding', { inputDim: TEXT.vocab, outputDim: TEXT.embedding, inputLength: TEXT.steps }],
    ['gru', { units: TEXT.units, resetAfter: true }],
    ['dense', { units: TEXT.classes, activation: 'softmax' }],
  ],
};

