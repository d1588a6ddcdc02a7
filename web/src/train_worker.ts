/**
 * The studio's training worker: trains the digit CNN on the packed digits and answers
 * predictions, so the page never waits on a kernel. The wasm backend's own pool of workers
 * runs under this one when the page is cross-origin isolated.
 */
import * as st from 'striate/browser';
import {
  unpackDigits, type BackendName, type BackendState, type Example, type FromWorker, type LayerMaps, type ModelName, type ToWorker,
} from './protocol';

const TEST_COUNT = 1000;
/** where the studio keeps a saved model: TensorFlow.js' IndexedDB store, so tfjs can load it too */
const STORE_URL = 'indexeddb://striate-studio';
const EVALUATE_EVERY = 25;
/** channels drawn per layer: enough for the zoo's small nets (8 and 16 filters), bounded for the message size */
const MAX_CHANNELS = 16;
/** layers whose picture would repeat the one before: at prediction dropout passes values on and flatten only reshapes */
const SKIPPED = new Set(['Dropout', 'Flatten']);

const post = (message: FromWorker, transfer: Transferable[] = []): void =>
  (self as unknown as Worker).postMessage(message, transfer);

interface State {
  model: st.Sequential;
  trainX: st.Tensor;
  trainY: st.Tensor;
  testX: st.Tensor;
  testLabels: Int32Array;
  testImages: Float32Array;
  step: number;
  learningRate: number;
  trainImages: Float32Array;
  trainLabels: Int32Array;
  /** how many examples the train page has been shown, to walk through the training set */
  shown: number;
}

let state: State | null = null;
let running = false;
let stopAsked = false;
const queue: ToWorker[] = [];

function build(name: ModelName): st.Sequential {
  st.setSeed(1);
  if (name === 'lenet5') return st.models.lenet5();
  if (name === 'mlp') return st.models.mlp({ inputShape: [28, 28, 1], units: [128, 64] });
  return st.models.digitCnn();
}

/**
 * Whether webgpu can train in this worker: the training loop reads values synchronously (the
 * loss, the fallback kernels), which the backend can do only from a worker of a cross-origin
 * isolated page (its GPU then runs in a worker of its own that this one waits on).
 */
async function probeWebGpu(): Promise<{ available: boolean; detail: string }> {
  const gpu = (navigator as unknown as { gpu?: { requestAdapter(): Promise<{ info?: Record<string, string> } | null> } }).gpu;
  if (!gpu) return { available: false, detail: 'this browser has no WebGPU (navigator.gpu is undefined)' };
  if (!(typeof crossOriginIsolated !== 'undefined' && crossOriginIsolated)) {
    return { available: false, detail: 'WebGPU training needs a cross-origin isolated page (serve it with "npx striate studio")' };
  }
  try {
    const adapter = await gpu.requestAdapter();
    if (!adapter) return { available: false, detail: 'WebGPU found no GPU adapter' };
    const info = adapter.info ?? {};
    return { available: true, detail: [info.vendor, info.architecture, info.description].filter(Boolean).join(' ') || 'GPU adapter' };
  } catch (e) {
    return { available: false, detail: `WebGPU failed: ${(e as Error).message}` };
  }
}

/** The backend in use, its adapter and the kernels it ran on the CPU, for the page. */
function backendState(): BackendState {
  const r = st.backendReport();
  return { backend: r.backend, ...(r.adapter ? { adapter: r.adapter } : {}), fallbacks: r.fallbacks };
}

/** The digits as tensors of the active backend. */
function dataTensors(s: State): void {
  for (const t of [s.trainX, s.trainY, s.testX]) t?.dispose();
  const trainCount = s.trainLabels.length;
  s.trainX = st.tensor(s.trainImages, [trainCount, 28, 28, 1]);
  s.trainY = st.tensor(s.trainLabels, [trainCount], 'int32');
  s.testX = st.tensor(s.testImages, [s.testLabels.length, 28, 28, 1]);
}

/**
 * Moves training to `name`: the model goes over as TensorFlow.js artifacts (its weights read on
 * the old backend, made anew on the new one), the data tensors too; the optimizer starts afresh
 * (its moments stay behind). When the new backend cannot start, the old one carries on.
 */
async function switchBackend(s: State, name: BackendName): Promise<void> {
  stopAsked = true;
  while (running) await new Promise((resolve) => setTimeout(resolve, 10));
  if (st.getBackend() === name) {
    post({ type: 'backend', state: backendState(), step: s.step });
    return;
  }
  let artifacts: st.ModelArtifacts | null = null;
  await s.model.save({ save: async (a) => { artifacts = a; return {}; } });
  try {
    await st.setBackend(name);
  } catch (e) {
    post({ type: 'backend', state: backendState(), step: s.step, error: (e as Error).message });
    return;
  }
  const moved = await st.loadLayersModel({ load: async () => artifacts! });
  s.model.dispose();
  s.model = moved as st.Sequential;
  s.learningRate = 0; // compile afresh on the next run
  dataTensors(s);
  evaluate(s); // before the news of the move, so the page shows the moved model's accuracy when it hears
  post({ type: 'backend', state: backendState(), step: s.step });
}

async function setup(): Promise<State> {
  await st.ready();
  const webgpu = await probeWebGpu();
  const response = await fetch(new URL(/* @vite-ignore */ '../digits.bin', import.meta.url));
  if (!response.ok) throw new Error(`could not fetch digits.bin: HTTP ${response.status}`);
  const { images, labels, count } = unpackDigits(new Uint8Array(await response.arrayBuffer()));
  const trainCount = count - TEST_COUNT;
  const s: State = {
    model: build('digitCnn'),
    trainX: st.tensor(images.subarray(0, trainCount * 784), [trainCount, 28, 28, 1]),
    trainY: st.tensor(labels.subarray(0, trainCount), [trainCount], 'int32'),
    testX: st.tensor(images.subarray(trainCount * 784), [TEST_COUNT, 28, 28, 1]),
    testLabels: labels.slice(trainCount),
    testImages: images.subarray(trainCount * 784),
    step: 0,
    learningRate: 0,
    trainImages: images.subarray(0, trainCount * 784),
    trainLabels: labels.subarray(0, trainCount),
    shown: 0,
  };
  post({ type: 'ready', threads: st.getNumThreads(), shared: typeof crossOriginIsolated !== 'undefined' && crossOriginIsolated,
    backend: st.getBackend(), trainCount, testCount: TEST_COUNT, webgpu });
  return s;
}

/** Every layer's feature maps for one 28x28 image, and the model's class probabilities for it (one forward pass for both). */
function layerMaps(model: st.LayersModel, pixels: Float32Array): { maps: LayerMaps[]; probabilities: number[]; predicted: number } {
  let maps: LayerMaps[] = [];
  let probabilities: number[] = [];
  // the pictures are plain bytes: tidy frees every activation once they are drawn
  st.tidy(() => {
    const all = st.viz.activations(model, st.tensor(pixels, [1, 28, 28, 1]));
    maps = all.filter((a) => !SKIPPED.has(a.layer.className)).map(({ layer, output }): LayerMaps => {
      const { tiles, channels } = st.viz.mapTiles(output, { maxChannels: MAX_CHANNELS });
      return { name: layer.name, className: layer.className, shape: output.shape.slice(1), channels,
        tiles: tiles.map((t) => ({ ...t.raster, caption: t.caption })) };
    });
    probabilities = Array.from(all[all.length - 1].output.dataSync() as Float32Array);
  });
  let predicted = 0;
  for (let k = 1; k < probabilities.length; k++) if (probabilities[k] > probabilities[predicted]) predicted = k;
  return { maps, probabilities, predicted };
}

const rasters = (maps: LayerMaps[]): Transferable[] => maps.flatMap((m) => m.tiles.map((t) => t.rgb.buffer));

/** A training example for the train page's feature maps: a different one at each refresh. */
function example(s: State): Example {
  // a stride coprime with the set's size wanders over all of it without repeating
  const index = (s.shown++ * 997) % s.trainLabels.length;
  const { maps, predicted } = layerMaps(s.model, s.trainImages.subarray(index * 784, (index + 1) * 784));
  return { index, label: s.trainLabels[index], predicted, maps };
}

function evaluate(s: State): void {
  const probs = s.model.predict(s.testX, { batchSize: 250 }) as st.Tensor;
  const predicted = (st.argMax(probs, -1).dataSync() as Int32Array);
  const confusion = Array.from({ length: 10 }, () => new Array<number>(10).fill(0));
  let right = 0;
  for (let i = 0; i < predicted.length; i++) {
    confusion[s.testLabels[i]][predicted[i]]++;
    if (predicted[i] === s.testLabels[i]) right++;
  }
  const kernel = s.model.layers.find((layer) => layer.getWeights().length > 0)!.getWeights()[0];
  const filters = Float32Array.from(kernel.dataSync() as Float32Array);
  const shown = example(s);
  post({ type: 'evaluation', step: s.step, testAccuracy: right / predicted.length, confusion, filters, filterShape: kernel.shape.slice(),
    example: shown }, [filters.buffer, ...rasters(shown.maps)]);
}

/** Trains until asked to stop or `steps` more batches are done, posting progress each batch. */
async function train(s: State, steps: number, batchSize: number, learningRate: number): Promise<void> {
  if (!s.model.optimizer || learningRate !== s.learningRate) {
    // a new learning rate means a new optimizer; the weights carry on
    s.model.compile({ optimizer: st.train.adam(learningRate), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    s.learningRate = learningRate;
  }
  const end = s.step + steps;
  let batchStart = 0;
  let window: number[] = [];
  // fit logs the epoch's running means (as Keras does); the curves want each batch's own value
  let seen = 0, lossSum = 0, accSum = 0;
  stopAsked = false;
  s.model.stopTraining = false;
  await s.model.fit(s.trainX, s.trainY, {
    epochs: 1_000_000, batchSize, shuffle: true, verbose: 0,
    callbacks: [{
      onEpochBegin: () => { seen = lossSum = accSum = 0; },
      onBatchBegin: () => { batchStart = performance.now(); },
      onBatchEnd: async (_batch, logs) => {
        window.push(performance.now() - batchStart);
        if (window.length > 20) window = window.slice(-20);
        s.step++;
        const ms = window.reduce((a, b) => a + b, 0) / window.length;
        const size = logs?.size ?? batchSize;
        seen += size;
        const loss = ((logs?.loss ?? NaN) * seen - lossSum) / size, acc = ((logs?.acc ?? NaN) * seen - accSum) / size;
        lossSum += loss * size;
        accSum += acc * size;
        post({ type: 'progress', step: s.step, loss, acc, examplesPerSecond: (batchSize * 1000) / ms });
        if (s.step % EVALUATE_EVERY === 0) evaluate(s);
        // let stop and predict messages in between batches
        await new Promise((resolve) => setTimeout(resolve, 0));
        serveQueue(s);
        if (stopAsked || s.step >= end) s.model.stopTraining = true;
      },
    }],
  });
  if (s.step % EVALUATE_EVERY !== 0) evaluate(s);
  post({ type: 'stopped', step: s.step, state: backendState() });
}

/** Predictions are answered at once, or between two training batches while training runs. */
function serveQueue(s: State): void {
  for (let i = 0; i < queue.length; i++) {
    const m = queue[i];
    if (m.type !== 'predict') continue;
    queue.splice(i--, 1);
    const { maps, probabilities } = layerMaps(s.model, m.pixels);
    post({ type: 'prediction', id: m.id, probabilities, step: s.step, maps }, rasters(maps));
  }
}

/** Takes a loaded model as the one to train, if it reads the studio's digits; otherwise the page hears why not. */
function adopt(s: State, loaded: st.LayersModel, source: string): void {
  const input = loaded.inputs[0]?.shape.slice(1) ?? [];
  const classes = loaded.outputs[0]?.shape.slice(-1)[0];
  if (input.join(',') !== '28,28,1' || classes !== 10) {
    post({ type: 'storeError', message: `${source}: this model takes input [${input.join(', ')}] and gives ${classes} classes; ` +
      'the studio\'s digits need input [28, 28, 1] and 10 classes, as `npx striate train` and this page make.' });
    return;
  }
  s.model = loaded as st.Sequential;
  s.step = Number(loaded.getUserDefinedMetadata()?.step ?? 0);
  s.learningRate = 0; // compile afresh on the next training run
  post({ type: 'loaded', step: s.step, url: source });
  evaluate(s);
}

/** Save in / load from this browser's IndexedDB, or hand the model out as artifacts / take one from chosen files. */
async function store(s: State, m: Extract<ToWorker, { type: 'save' | 'load' | 'export' | 'import' }>): Promise<void> {
  if (running) {
    post({ type: 'storeError', message: 'Pause training first, then save, load, download or open a model.' });
    return;
  }
  const failed = (e: Error): null => {
    post({ type: 'storeError', message: e.message });
    return null;
  };
  if (m.type === 'load' || m.type === 'import') {
    const loaded = await st.loadLayersModel(m.type === 'load' ? STORE_URL : { load: async () => m.artifacts }).catch(failed);
    if (loaded) adopt(s, loaded, m.type === 'load' ? STORE_URL : m.names);
    return;
  }
  s.model.setUserDefinedMetadata({ step: s.step });
  if (m.type === 'save') {
    await s.model.save(STORE_URL);
    post({ type: 'saved', step: s.step, url: STORE_URL });
    return;
  }
  let artifacts: st.ModelArtifacts | null = null;
  await s.model.save({ save: async (a) => { artifacts = a; return {}; } });
  const data = artifacts!.weightData;
  post({ type: 'exported', step: s.step, artifacts: artifacts! }, data instanceof ArrayBuffer ? [data] : []);
}

// start loading at once, so the page can say how many threads there are before training
const starting: Promise<State> = setup();
starting.catch((e: Error) => post({ type: 'error', message: e.message ?? String(e) }));

self.onmessage = async (event: MessageEvent<ToWorker>) => {
  const m = event.data;
  try {
    if (m.type === 'stop') { stopAsked = true; return; }
    if (m.type === 'predict') queue.push(m);
    const s = (state ??= await starting);
    if (m.type === 'predict') { serveQueue(s); return; }
    if (m.type === 'reset') {
      stopAsked = true;
      while (running) await new Promise((resolve) => setTimeout(resolve, 10));
      s.model = build(m.model);
      s.step = 0;
      s.learningRate = 0;
      post({ type: 'reset', model: m.model });
      return;
    }
    if (m.type === 'backend') {
      await switchBackend(s, m.name);
      return;
    }
    if (m.type === 'save' || m.type === 'load' || m.type === 'export' || m.type === 'import') {
      await store(s, m);
      return;
    }
    if (m.type === 'train' && !running) {
      running = true;
      try {
        await train(s, m.steps ?? Infinity, m.batchSize, m.learningRate);
      } finally {
        running = false;
      }
    }
  } catch (e) {
    running = false;
    post({ type: 'error', message: (e as Error).message ?? String(e) });
  }
};
