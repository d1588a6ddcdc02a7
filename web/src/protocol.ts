/** Messages between the pages and the training worker (train_worker.ts). */
import type * as st from 'striate/browser';
/** the zoo models the studio trains */
export type ModelName = 'digitCnn' | 'lenet5' | 'mlp';
/** the backends the studio offers for training */
export type BackendName = 'wasm' | 'webgpu';

/** What runs the training (st.backendReport() in the worker). */
export interface BackendState {
  backend: string;
  /** the GPU adapter, in words (webgpu) */
  adapter?: string;
  /** kernels that ran on the CPU for want of a GPU kernel so far */
  fallbacks: string[];
}

export type ToWorker =
  | { type: 'train'; steps?: number; batchSize: number; learningRate: number }
  | { type: 'reset'; model: ModelName }
  | { type: 'stop' }
  | { type: 'predict'; id: number; pixels: Float32Array }
  /** keep the model in this browser (IndexedDB, TensorFlow.js' layers format), or take it back */
  | { type: 'save' }
  | { type: 'load' }
  /** the model as TensorFlow.js artifacts, for the page to download as files */
  | { type: 'export' }
  /** a model from files the person chose (read on the page with st.browserFiles) */
  | { type: 'import'; artifacts: st.ModelArtifacts; names: string }
  /** train on another backend from now on: the model's weights move with it, the optimizer starts afresh */
  | { type: 'backend'; name: BackendName };

export interface Progress {
  type: 'progress';
  step: number;
  loss: number;
  acc: number;
  examplesPerSecond: number;
}

/** One layer's feature maps for one input, drawn by st.viz.mapTiles in the worker (grey, each map its own range). */
export interface LayerMaps {
  name: string;
  className: string;
  /** the layer's output shape without the batch axis */
  shape: number[];
  /** how many channels the layer has; `tiles` may hold fewer */
  channels: number;
  tiles: { width: number; height: number; rgb: Uint8Array; caption: string }[];
}

/** A training example the network was just shown, with what it makes of it, layer by layer. */
export interface Example {
  index: number;
  label: number;
  predicted: number;
  maps: LayerMaps[];
}

export interface Evaluation {
  type: 'evaluation';
  step: number;
  testAccuracy: number;
  confusion: number[][];
  /** the first weighted layer's kernel as stored: [kh, kw, 1, filters] (conv) or [784, units] (dense) */
  filters: Float32Array;
  filterShape: number[];
  example: Example;
}

export type FromWorker =
  | { type: 'ready'; threads: number; shared: boolean; backend: string; trainCount: number; testCount: number;
      /** whether webgpu can train here, and the adapter or why not */
      webgpu: { available: boolean; detail: string } }
  /** the backend changed (or `error` says why it did not and which one still runs) */
  | { type: 'backend'; state: BackendState; step: number; error?: string }
  | Progress
  | Evaluation
  | { type: 'stopped'; step: number; state: BackendState }
  | { type: 'reset'; model: ModelName }
  | { type: 'prediction'; id: number; probabilities: number[]; step: number; maps: LayerMaps[] }
  | { type: 'saved'; step: number; url: string }
  | { type: 'loaded'; step: number; url: string }
  | { type: 'exported'; step: number; artifacts: st.ModelArtifacts }
  | { type: 'storeError'; message: string }
  | { type: 'error'; message: string };

/** The packed digits (see vite.config.ts): n images of 784 bytes, then n label bytes. */
export function unpackDigits(bytes: Uint8Array): { images: Float32Array; labels: Int32Array; count: number } {
  const count = bytes.length / 785;
  if (!Number.isInteger(count)) throw new Error(`digits.bin: ${bytes.length} bytes is not a whole number of 28x28 digits with labels`);
  const images = new Float32Array(count * 784);
  for (let i = 0; i < images.length; i++) images[i] = bytes[i] / 255;
  return { images, labels: Int32Array.from(bytes.subarray(count * 784)), count };
}
